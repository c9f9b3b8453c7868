#!/usr/bin/env python3
"""Writes paillier-bigint-vectors.json: fixed vectors made by paillier-bigint 3.4.3, an independent implementation.

Runs interop/paillier/paillier.mjs (install it first with interop/paillier/install.sh): a 2048-bit key from
paillier-bigint's own generator (simple variant, g = n + 1), encryptions of fixed plaintexts under r values drawn
here, the homomorphic sum of all of them and a scalar multiple of one, all computed by paillier-bigint.
Rerunning makes a new key and new numbers; the committed file is one such run.
    python3 make_paillier_bigint_vectors.py
"""
import json
import math
import os
import secrets
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "..", "interop", "paillier", "paillier.mjs")


def js(request):
    done = subprocess.run(["node", SCRIPT], input=json.dumps(request), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main():
    key = js({"op": "keygen", "bits": 2048, "simpleVariant": True})
    n = int(key["n"])
    public = {"n": key["n"]}
    plaintexts = [0, 1, 42, 2**64 + 7, 10**300, n - 1]
    randomness = []
    while len(randomness) < len(plaintexts):
        r = secrets.randbelow(n)
        if r > 0 and math.gcd(r, n) == 1:
            randomness.append(r)
    ciphertexts = js({"op": "encrypt", "publicKey": public, "plaintexts": [str(m) for m in plaintexts],
                      "randomness": [str(r) for r in randomness]})["ciphertexts"]
    total = js({"op": "add", "publicKey": public, "ciphertexts": ciphertexts})["ciphertext"]
    scalar = 1000003
    product = js({"op": "multiply", "publicKey": public, "ciphertext": ciphertexts[2], "scalar": str(scalar)})["ciphertext"]
    document = {
        "source": "paillier-bigint 3.4.3 via interop/paillier/paillier.mjs, made by make_paillier_bigint_vectors.py",
        "key": key,
        "cases": [{"m": str(m), "r": str(r), "c": c} for m, r, c in zip(plaintexts, randomness, ciphertexts)],
        "sum": {"c": total, "m": str(sum(plaintexts) % n)},
        "multiple": {"of_case": 2, "scalar": str(scalar), "c": product, "m": str(plaintexts[2] * scalar % n)},
    }
    with open(os.path.join(HERE, "paillier-bigint-vectors.json"), "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
