#!/usr/bin/env python3
"""Regenerates pairing-blob.json: the hbpair2 vectors, from an encoder independent of the C# codec.

Python 3 standard library only. Run from anywhere: python3 firmware/vectors/make_pairing_vectors.py
The format is specified in firmware/README.md ("Provisioning: the pairing blob"); this script writes the blobs
from that text, so the C# parser and printer are checked against a second implementation, not against
themselves. test-ca.der (beside this script) is a throwaway self-signed P-256 certificate made with
`openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -outform DER`; its key was discarded.
"""

import base64
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PATIENT = "mfrggzdfmztwq2lknnwg23tpobyxe43u"
DEVICE = "0123456789abcdef"
KEY = bytes(range(32))
CA = open(os.path.join(HERE, "test-ca.der"), "rb").read()
ORDER = ["device", "patient", "key", "broker", "topic", "transport", "user", "pass", "ca"]


def fields(**changes):
    """The fields of the reference plaintext blob, with changes (None removes a field)."""
    result = {"device": DEVICE, "patient": PATIENT, "key": KEY.hex(), "broker": "gateway.local:1883",
              "topic": "hb/%s/%s" % (PATIENT, DEVICE), "transport": "plaintext"}
    for name, value in changes.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def blob(values, order=None, tag="hbpair2"):
    names = order or [n for n in ORDER if n in values] + [n for n in values if n not in ORDER]
    return ";".join([tag] + ["%s=%s" % (n, values[n]) for n in names])


def tls(**changes):
    base = {"transport": "tls", "ca": base64.b64encode(CA).decode()}
    base.update(changes)
    return fields(**base)


def valid(name, text, host, port, values, key=KEY, user=None, password=None, ca=None):
    device, patient = values["device"], values["patient"]
    canonical = {"device": device, "patient": patient, "key": key.hex(), "broker": values["broker"] if ":" not in host
                 else "[%s]:%d" % (host, port), "topic": "hb/%s/%s" % (patient, device), "transport": values["transport"]}
    if user is not None:
        canonical["user"], canonical["pass"] = user, password
    if ca is not None:
        canonical["ca"] = base64.b64encode(ca).decode()
    return {"name": name, "blob": text, "deviceId": device, "patient": patient, "keyHex": key.hex(),
            "brokerHost": host, "brokerPort": port, "baseTopic": "hb/%s/%s" % (patient, device),
            "transport": values["transport"], "username": user, "password": password,
            "caBase64": None if ca is None else base64.b64encode(ca).decode(), "canonical": blob(canonical)}


def valid_vectors():
    plain = fields()
    reordered = fields(key=base64.b64encode(KEY).decode())
    upper = tls(key=KEY.hex().upper(), broker="192.168.4.1:8883", user="dev-0123456789abcdef", **{"pass": "s3cr=t!~"})
    ipv6 = fields(broker="[fd00::1]:1883")
    ward = fields(device="ffffffffffffffff", patient="Ward-7_bed.12", broker="gw:65535",
                  topic="hb/Ward-7_bed.12/ffffffffffffffff", user="w", **{"pass": "p"})
    tls_plain = tls()
    host = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])
    longest = tls(device="fedcba9876543210", patient="p" * 64, broker=host + ":65535", topic="hb/%s/fedcba9876543210" % ("p" * 64),
                  user="u" * 64, ca=b64(der(2044)), **{"pass": "~" * 64})
    return [
        valid("canonical form, explicit plaintext", blob(plain), "gateway.local", 1883, plain),
        valid("base64 key, fields reordered, CRLF and spaces around the line",
              "  " + blob(reordered, ["topic", "transport", "key", "device", "broker", "patient"]) + "\r\n",
              "gateway.local", 1883, reordered),
        valid("TLS with CA and credentials, uppercase hex key, IPv4 broker, '=' in the password", blob(upper),
              "192.168.4.1", 8883, upper, user="dev-0123456789abcdef", password="s3cr=t!~", ca=CA),
        valid("TLS with CA, no credentials", blob(tls_plain, ["ca", "device", "patient", "key", "broker", "topic", "transport"]),
              "gateway.local", 1883, tls_plain, ca=CA),
        valid("IPv6 broker in brackets", blob(ipv6), "fd00::1", 1883, ipv6),
        valid("patient with dots, underscores and hyphens; all-ones device id; port 65535; plaintext credentials",
              blob(ward), "gw", 65535, ward, user="w", password="p"),
        valid("every field at its longest: 253-character host, 64-character patient and credentials, 2048-byte CA",
              blob(longest), host, 65535, longest, user="u" * 64, password="~" * 64, ca=der(2044)),
    ]


def invalid(error, why, text):
    return {"blob": text, "error": error, "why": why}


def der(length):
    """A DER SEQUENCE whose content is `length` zero bytes, with the shortest length form."""
    if length < 0x80:
        head = bytes([0x30, length])
    elif length < 0x100:
        head = bytes([0x30, 0x81, length])
    else:
        head = bytes([0x30, 0x82, length >> 8, length & 0xFF])
    return head + bytes(length)


def b64(data):
    return base64.b64encode(data).decode()


def invalid_vectors():
    assert b64(CA).endswith("=")
    p = blob(fields())
    t = "hb/%s/%s" % (PATIENT, DEVICE)
    cases = [
        ("Empty", "empty string", ""),
        ("Empty", "white space only", " \t\r\n"),
        ("TooLong", "4097 characters", blob(tls(user="u", **{"pass": "x" * 64})) + ";" + "x" * 4096),
        ("BadCharacter", "a space inside", p.replace(";patient", "; patient")),
        ("BadCharacter", "a tab inside", p.replace(";key", "\t;key")),
        ("BadCharacter", "non-ASCII character", blob(fields(patient="p\u00e4tient", topic="hb/p\u00e4tient/" + DEVICE))),
        ("OldFormat", "hbpair1, the format before TLS", blob(fields(transport=None), tag="hbpair1")),
        ("BadPrefix", "another version", blob(fields(), tag="hbpair3")),
        ("BadPrefix", "the tag is case-sensitive", blob(fields(), tag="HBPAIR2")),
        ("BadPrefix", "no tag", p[len("hbpair2;"):]),
        ("MalformedField", "empty field", p.replace(";patient", ";;patient")),
        ("MalformedField", "trailing separator", p + ";"),
        ("MalformedField", "field without =", p.replace("broker=gateway.local:1883", "broker")),
        ("MalformedField", "empty name", p.replace("broker=", "=")),
        ("MalformedField", "empty value", p.replace("transport=plaintext", "transport=")),
        ("UnknownField", "Wi-Fi settings are not part of the blob", p + ";ssid=home"),
        ("UnknownField", "names are lowercase", p.replace("device=", "Device=")),
        ("DuplicateField", "device twice", p + ";device=" + DEVICE),
        ("DuplicateField", "transport twice", p + ";transport=tls"),
        ("MissingField", "no topic", blob(fields(topic=None))),
        ("MissingField", "no transport: plaintext is never implied", blob(fields(transport=None))),
        ("MissingField", "no fields at all", "hbpair2"),
        ("BadDeviceId", "uppercase hex", blob(fields(device=DEVICE.upper(), topic="hb/%s/%s" % (PATIENT, DEVICE.upper())))),
        ("BadDeviceId", "15 digits", blob(fields(device=DEVICE[:15], topic="hb/%s/%s" % (PATIENT, DEVICE[:15])))),
        ("BadDeviceId", "17 digits", blob(fields(device=DEVICE + "0", topic=t + "0"))),
        ("BadDeviceId", "device id not hex", blob(fields(device=DEVICE[:15] + "g", topic="hb/%s/%sg" % (PATIENT, DEVICE[:15])))),
        ("BadPatient", "a topic separator", blob(fields(patient="pat/ient", topic="hb/pat/ient/" + DEVICE))),
        ("BadPatient", "an MQTT wildcard (+)", blob(fields(patient="pat+", topic="hb/pat+/" + DEVICE))),
        ("BadPatient", "an MQTT wildcard (#)", blob(fields(patient="p#", topic="hb/p#/" + DEVICE))),
        ("BadPatient", "65 characters", blob(fields(patient="a" * 65, topic="hb/%s/%s" % ("a" * 65, DEVICE)))),
        ("BadKey", "63 hex digits", blob(fields(key=KEY.hex()[:63]))),
        ("BadKey", "65 hex digits", blob(fields(key=KEY.hex() + "0"))),
        ("BadKey", "key not hex", blob(fields(key=KEY.hex()[:62] + "zz"))),
        ("BadKey", "base64 without padding", blob(fields(key=b64(KEY).rstrip("=")))),
        ("BadKey", "base64 with non-zero trailing bits (non-canonical)", blob(fields(key=b64(KEY)[:42] + "B="))),
        ("BadKey", "base64 of 31 bytes", blob(fields(key=b64(bytes(31))))),
        ("BadKey", "base64url alphabet", blob(fields(key=b64(KEY)[:40] + "-_A="))),
        ("BadBroker", "no port", blob(fields(broker="gateway.local"))),
        ("BadBroker", "port 0", blob(fields(broker="gateway.local:0"))),
        ("BadBroker", "port above 65535", blob(fields(broker="gateway.local:65536"))),
        ("BadBroker", "leading zero", blob(fields(broker="gateway.local:01883"))),
        ("BadBroker", "no host", blob(fields(broker=":1883"))),
        ("BadBroker", "underscore in a host name", blob(fields(broker="gate_way:1883"))),
        ("BadBroker", "label starting with a hyphen", blob(fields(broker="-gw:1883"))),
        ("BadBroker", "empty label", blob(fields(broker="a..b:1883"))),
        ("BadBroker", "IPv6 without brackets", blob(fields(broker="fd00::1:1883"))),
        ("BadBroker", "no colon after the bracket", blob(fields(broker="[fd00::1]1883"))),
        ("BadBroker", "a name in brackets", blob(fields(broker="[gateway]:1883"))),
        ("BadTopic", "another patient", blob(fields(topic="hb/other/" + DEVICE))),
        ("BadTopic", "a sensor topic, not the base topic", blob(fields(topic=t + "/ecg"))),
        ("BadTopic", "topics are case-sensitive", blob(fields(topic="HB" + t[2:]))),
        ("BadTransport", "transport values are lowercase", blob(fields(transport="TLS"))),
        ("BadTransport", "an unknown transport", blob(fields(transport="none"))),
        ("BadUsername", "a colon in the user name", blob(fields(user="dev:1", **{"pass": "p"}))),
        ("BadUsername", "65-character user name", blob(fields(user="u" * 65, **{"pass": "p"}))),
        ("BadPassword", "65-character password", blob(fields(user="u", **{"pass": "p" * 65}))),
        ("IncompleteCredentials", "a user name without a password", blob(fields(user="u"))),
        ("IncompleteCredentials", "a password without a user name", blob(fields(**{"pass": "p"}))),
        ("MissingCertificate", "TLS without a CA certificate", blob(fields(transport="tls"))),
        ("UnexpectedCertificate", "plaintext with a CA certificate", blob(fields(ca=b64(CA)))),
        ("BadCertificate", "CA not base64", blob(tls(ca="not*base64"))),
        ("BadCertificate", "CA base64 without padding", blob(tls(ca=b64(CA).rstrip("=")))),
        ("BadCertificate", "CA truncated: the DER length says more", blob(tls(ca=b64(CA[:-3])))),
        ("BadCertificate", "CA not a DER SEQUENCE", blob(tls(ca=b64(b"\x31" + CA[1:])))),
        ("BadCertificate", "CA of 2049 bytes, over the limit", blob(tls(ca=b64(der(2045))))),
    ]
    return [invalid(*c) for c in cases]


def main():
    document = {
        "format": "hbpair2",
        "generator": "firmware/vectors/make_pairing_vectors.py",
        "valid": valid_vectors(),
        "invalid": invalid_vectors(),
    }
    with open(os.path.join(HERE, "pairing-blob.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("wrote %d valid and %d invalid vectors" % (len(document["valid"]), len(document["invalid"])))


if __name__ == "__main__":
    main()
