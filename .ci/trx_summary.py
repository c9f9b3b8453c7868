#!/usr/bin/env python3
"""Adds up the counters of every TRX file under a folder and prints 'N passed, N failed, N skipped'."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.trx"))
for trx in files:
    counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", NS)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    # VSTest counts a skipped test in "total" but not in "executed".
    skipped += int(counters.get("total", 0)) - int(counters.get("executed", 0))
if not files:
    failed += 1
    print("no test results found", file=sys.stderr)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
