#!/usr/bin/env python3
"""The Japanese report is Japanese: `kofu calc --trace` (default language) over
every example and every valid golden case file, scanned for ASCII English
phrases — two or more English words in a row — outside identifiers.

An identifier is what a user types or a script reads: a key or step name
(`eligible_cost`, `rmo_formation[kita].temp_staff`), a section (`[network.kita]`),
a rounding (`half_up_1000`), a file name, a case id, a code, a command
(`kofu rules --export DIR`). Those are single
tokens holding `_ . [ ] / -` or digits, so a phrase is two neighbouring tokens
that are plain English words of two letters or more (`not given`, `sum of the`).

usage: scan_english.py --kofu PATH --root DIR
"""
import argparse
import glob
import os
import re
import subprocess
import sys

WORD = re.compile(r"^\(?([A-Za-z]{2,})[,:;)]*$")


def phrases(line):
    found, run = [], []
    toks = line.split()
    for i, tok in enumerate(toks):
        # a command the report tells the reader to type ("kofu rules --export DIR")
        if tok == "kofu" or (i and toks[i - 1] == "kofu"):
            m = None
        else:
            m = WORD.match(tok)
        if m:
            run.append(m.group(1))
            continue
        if len(run) >= 2:
            found.append(" ".join(run))
        run = []
    if len(run) >= 2:
        found.append(" ".join(run))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    cases = sorted(glob.glob(os.path.join(a.root, "examples", "*.ini")) +
                   glob.glob(os.path.join(a.root, "tests", "golden", "**", "cases", "**", "*.ini"), recursive=True))
    env = {k: v for k, v in os.environ.items() if k not in ("KOFU_LANG", "LANG", "KOFU_RULES")}
    bad, checked = [], 0
    for case in cases:
        r = subprocess.run([a.kofu, "calc", "--trace", os.path.relpath(case, a.root)], cwd=a.root,
                           capture_output=True, text=True, env=env)
        if r.returncode != 0:
            continue  # an invalid case: its errors are tested elsewhere
        checked += 1
        for n, line in enumerate(r.stdout.splitlines(), 1):
            for p in phrases(line):
                bad.append(f"{os.path.relpath(case, a.root)}: line {n}: '{p}' in: {line.strip()}")
    if checked < 10:
        sys.exit(f"FAIL: only {checked} case files computed; the scan saw too little")
    if bad:
        print("\n".join(bad))
        print(f"FAIL: {len(bad)} English phrases in the Japanese reports of {checked} cases")
        sys.exit(1)
    print(f"ok: no English phrase in the Japanese --trace reports of {checked} cases")


if __name__ == "__main__":
    main()
