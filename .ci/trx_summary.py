#!/usr/bin/env python3
"""Adds up every TRX file under a folder and prints 'N passed, N failed, N skipped'.

A skipped test counts as a failure unless its skip reason starts with one of the --allow-skip prefixes (CI allows
only the real-device tests, which need a flashed wearable); each refused skip is listed with its reason.
"""
import argparse
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

parser = argparse.ArgumentParser()
parser.add_argument("results")
parser.add_argument("--allow-skip", action="append", default=[], help="skip-reason prefix that is allowed")
args = parser.parse_args()

passed = failed = skipped = 0
refused = []
files = sorted(pathlib.Path(args.results).rglob("*.trx"))
for trx in files:
    root = ET.parse(trx).getroot()
    counters = root.find("t:ResultSummary/t:Counters", NS)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    for result in root.iter(f"{{{NS['t']}}}UnitTestResult"):
        if result.get("outcome") != "NotExecuted":
            continue
        skipped += 1
        message = result.find("t:Output/t:ErrorInfo/t:Message", NS)
        reason = (message.text or "").strip() if message is not None else ""
        if not any(reason.startswith(prefix) for prefix in args.allow_skip):
            refused.append((result.get("testName"), reason))
if not files:
    failed += 1
    print("no test results found", file=sys.stderr)
for name, reason in refused:
    print(f"skipped, and not allowed to be: {name}: {reason}", file=sys.stderr)
failed += len(refused)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
