#!/usr/bin/env python3
"""Writes rfc-prime-vectors.json: Paillier (g = n + 1) vectors over two published 1024-bit primes (a 2048-bit n).

p is the prime of RFC 2409 section 6.2 (the Second Oakley Group, 1024-bit MODP), q the prime of RFC 5114
section 2.1 (1024-bit MODP group with 160-bit prime order subgroup). Both are copied from the RFCs' hex. Ciphertexts are computed here with Python's integers as
c = g^m * r^n mod n^2 by plain exponentiation (not the 1 + m*n shortcut the C# code uses), with r derived
deterministically from SHA-512 so anyone can rerun this and get the same file:  python3 make_rfc_prime_vectors.py
"""
import hashlib
import json
import math

RFC2409_OAKLEY_GROUP_2 = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", 16)
RFC5114_1024_BIT_MODP = int(
    "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C0"
    "13ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0"
    "A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371", 16)


def derived_r(index, n):
    """An r with 0 < r < n and gcd(r, n) = 1, from SHA-512 in counter mode over a fixed label."""
    counter = 0
    while True:
        stream = b"".join(
            hashlib.sha512(b"HealthBlock Paillier vector r %d %d %d" % (index, counter, block)).digest()
            for block in range(n.bit_length() // 512 + 1))
        r = int.from_bytes(stream, "big") % n
        if r > 0 and math.gcd(r, n) == 1:
            return r
        counter += 1


def main():
    p, q = RFC2409_OAKLEY_GROUP_2, RFC5114_1024_BIT_MODP
    n = p * q
    n2 = n * n
    g = n + 1
    plaintexts = [0, 1, 42, 2**64 + 7, n - 1]
    cases = []
    for i, m in enumerate(plaintexts):
        r = derived_r(i, n)
        c = pow(g, m, n2) * pow(r, n, n2) % n2
        cases.append({"m": str(m), "r": str(r), "c": str(c)})
    document = {
        "source": "p: RFC 2409 section 6.2 (Second Oakley Group); q: RFC 5114 section 2.1 (1024-bit MODP group); "
                  "c = g^m r^n mod n^2 with g = n + 1, computed by make_rfc_prime_vectors.py",
        "p": str(p), "q": str(q), "n": str(n),
        "cases": cases,
    }
    with open("rfc-prime-vectors.json", "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
