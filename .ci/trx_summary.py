#!/usr/bin/env python3
"""Adds up every TRX file under a folder and prints 'N passed, N failed, N skipped'.

A skipped test counts as a failure unless its skip reason starts with one of the --allow-skip prefixes (CI allows
only the real-device tests, which need a flashed wearable); each refused skip is listed with its reason, and each
failed test with the first lines of its message and stack trace, so a CI log alone says what broke.
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
failures = []
files = sorted(pathlib.Path(args.results).rglob("*.trx"))
for trx in files:
    root = ET.parse(trx).getroot()
    counters = root.find("t:ResultSummary/t:Counters", NS)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    for result in root.iter(f"{{{NS['t']}}}UnitTestResult"):
        if result.get("outcome") == "Failed":
            lines = []
            for part in ("Message", "StackTrace"):
                element = result.find(f"t:Output/t:ErrorInfo/t:{part}", NS)
                if element is not None and element.text:
                    lines += element.text.strip().splitlines()[:8]
            failures.append((result.get("testName"), lines))
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
for name, lines in failures:
    print(f"failed: {name}", file=sys.stderr)
    for line in lines:
        print(f"    {line[:300]}", file=sys.stderr)
for name, reason in refused:
    print(f"skipped, and not allowed to be: {name}: {reason}", file=sys.stderr)
failed += len(refused)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
