#!/usr/bin/env python3
"""Regenerates transactions.json: canonical CBOR transaction bodies (version 2, bound to a network) and their ids.

Independent of the C# encoder: a small canonical CBOR encoder (RFC 8949 section 4.2.1: shortest heads, map keys in
bytewise order of their encodings) written here with the Python standard library only. Run it from this folder:
    python3 make_transaction_vectors.py > transactions.json
"""
import hashlib
import json
import struct

def head(major, value):
    if value < 24:
        return bytes([(major << 5) | value])
    for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < (1 << (8 * struct.calcsize(fmt))):
            return bytes([(major << 5) | extra]) + struct.pack(fmt, value)
    raise ValueError(value)

def enc(item):
    if isinstance(item, bool):
        return b"\xf5" if item else b"\xf4"
    if item is None:
        return b"\xf6"
    if isinstance(item, int):
        return head(0, item) if item >= 0 else head(1, -1 - item)
    if isinstance(item, bytes):
        return head(2, len(item)) + item
    if isinstance(item, str):
        data = item.encode("utf-8")
        return head(3, len(data)) + data
    if isinstance(item, list):
        return head(4, len(item)) + b"".join(enc(x) for x in item)
    if isinstance(item, dict):
        pairs = sorted((enc(k), enc(v)) for k, v in item.items())
        return head(5, len(pairs)) + b"".join(k + v for k, v in pairs)
    raise TypeError(type(item))

NETWORK = hashlib.sha256(b"healthblock protocol test vectors").digest()
PATIENT = bytes(range(1, 21))
DOCTOR = bytes(range(0x64, 0x64 + 20))
CID = bytes.fromhex("01551220") + hashlib.sha256(b"hello world").digest()

def body(tx_type, signer, nonce, time, payload):
    return {0: 2, 1: tx_type, 2: signer, 3: nonce, 4: time, 5: payload, 6: NETWORK}

ROOT = hashlib.sha256(b"live root").digest()

# Transaction types and payload keys as docs/protocol.md lists them (payment 3, IoT 5, diagnosis 6). An IoT payload
# that commits live sub-batches adds keys 7-10 (root, first and last live sequence, count); a diagnosis that cites live
# sub-batches adds key 7, a list of [sequence, SHA-256 of the sealed sub-batch] ascending by sequence.
VECTORS = [
    ("payment", body(3, PATIENT, 7, 1_764_000_000_000, {0: DOCTOR, 1: 250})),
    ("iot", body(5, PATIENT, 8, 1_764_000_000_123, {0: 2, 1: 41, 2: CID, 3: 1_764_000_000_000, 4: 1_764_000_009_996, 5: [1, 2, 3], 6: 30})),
    ("diagnosis-with-negative-time-and-no-follows", body(6, DOCTOR, 1 << 40, -5, {
        0: PATIENT, 1: 2, 2: CID, 3: [bytes(32), b"\xff" * 32], 4: -100, 5: -5, 6: None})),
    ("iot-live-bundle", body(5, PATIENT, 9, 1_764_000_900_000, {
        0: 3, 1: 42, 2: CID, 3: 1_764_000_000_000, 4: 1_764_000_899_996, 5: [1, 3], 6: 990,
        7: ROOT, 8: 1, 9: 1000, 10: 990})),
    ("diagnosis-citing-live-sub-batches", body(6, DOCTOR, 12, 1_764_000_001_500, {
        0: PATIENT, 1: 3, 2: CID, 3: [], 4: 1_764_000_000_000, 5: 1_764_000_001_000, 6: None,
        7: [[24, hashlib.sha256(b"sub-batch 24").digest()], [300, hashlib.sha256(b"sub-batch 300").digest()]]})),
]

print(json.dumps([
    {"name": name, "bodyHex": enc(b).hex(), "idHex": hashlib.sha256(enc(b)).hexdigest()} for name, b in VECTORS
], indent=2))
