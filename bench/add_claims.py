#!/usr/bin/env python3
"""Adds a [claim] section to every case file under DIR, as a municipality would
submit it: the two totals and each measure's first headline amount, computed by
kofu itself, with every Nth case wrong by 1,000 yen (a mismatch for `kofu check`).

usage: add_claims.py --kofu PATH [--wrong-every N] DIR

The amounts come from `kofu batch --format jsonl DIR` (each line names its
file), so the claims match the build's rules; files are changed in place and
keep their order. For the check benchmark (bench/bench_check.sh) and the check
tests (tests/audit/test_check.sh).
"""
import argparse
import json
import subprocess
import sys

# one claimable amount per measure, besides the totals
AMOUNTS = {"rmo_formation": "special_tax_grant", "rmo_operation": "special_tax_grant",
           "rmo_management": "special_tax_grant", "cooperative": "national_grant",
           "network": "grant"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--wrong-every", type=int, default=0)
    ap.add_argument("dir")
    a = ap.parse_args()
    out = subprocess.run([a.kofu, "batch", "--format", "jsonl", "--jobs", "2", a.dir],
                         capture_output=True, text=True)
    n = 0
    for line in out.stdout.splitlines():
        r = json.loads(line)
        if "error" in r:
            continue
        claims = [(f"totals.{k}", v) for k, v in r["totals"].items()]
        for m, amount in AMOUNTS.items():
            if m in r["measures"]:
                claims.append((f"{m}.{amount}", r["measures"][m][amount]))
        n += 1
        if a.wrong_every and n % a.wrong_every == 0:
            key, v = claims[0]
            claims[0] = (key, v + 1000)
        with open(r["file"], "a", encoding="utf-8") as f:
            f.write("\n[claim]\n" + "".join(f"{k} = {v}\n" for k, v in claims))
    print(f"add_claims: {n} cases given claims", file=sys.stderr)


if __name__ == "__main__":
    main()
