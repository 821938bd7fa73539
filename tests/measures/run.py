#!/usr/bin/env python3
"""Measure tests a reader can check by hand: case files with a [claim] section.

Each tests/measures/<measure>/*.ini is an ordinary case file. Its opening
comment says which rule it pins and works the amounts out by hand; its
[claim] section holds the expected amounts. The test is `kofu check FILE`:
it passes when every claim equals the computed amount and no finding is
raised (exit 0).

Three more checks keep the set honest:
  - every file has a [claim] section and an opening comment naming its
    根拠 (the document or statute the rule comes from) and its 計算;
  - temporal coverage: for every dated value of the rule data (`kofu rules
    --format json`), there is a case of that measure in the year the value
    starts and, when an earlier value exists, in the year before, so both
    sides of every change are pinned;
  - no gap in time: each case is computed again in every fiscal year from
    the first year its measures exist up to LAST_YEAR (exit 0, warnings
    allowed), and the year before that first year must be refused (exit 3).

usage: run.py --kofu PATH [--root DIR]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

LAST_YEAR = 2030
COMPONENTS = ("fiscal_capacity",)


def run(kofu, *args):
    p = subprocess.run([kofu, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def dated_values(kofu):
    rc, out, err = run(kofu, "rules", "--format", "json")
    if rc != 0:
        sys.exit(f"kofu rules failed ({rc}): {err}")
    starts = {}
    for row in json.loads(out):
        starts.setdefault((row["measure"], row["name"]), set()).add(row["from_fy"])
    return starts


def first_years(starts):
    first = {}
    for (measure, _), years in starts.items():
        first[measure] = min(min(years), first.get(measure, 10**9))
    return first


def case_facts(kofu, path):
    """(fiscal year, measures and components present) of a case file."""
    rc, out, err = run(kofu, "calc", "--format", "json", path)
    if rc != 0:
        return None, set(), err
    obj = json.loads(out)
    present = set(obj["measures"])
    if "fiscal_capacity" in obj:
        present.add("fiscal_capacity")
    return obj["fiscal_year"], present, ""


def check_header(path, text, problems):
    if not re.search(r"^\[claim\]\s*$", text, re.M):
        problems.append(f"{path}: no [claim] section")
    head = text.split("[case]", 1)[0]
    for word in ("根拠", "計算"):
        if word not in head:
            problems.append(f"{path}: the opening comment must give its {word}")


def check_claims(kofu, path, problems):
    rc, out, err = run(kofu, "check", path)
    if rc != 0:
        problems.append(f"{path}: kofu check exited {rc}\n{out}{err}")


def with_year(text, fy):
    return re.sub(r"^fiscal_year\s*=.*$", f"fiscal_year = {fy}", text, count=1, flags=re.M)


def check_years(kofu, path, text, present, first, problems):
    start = max(first[m] for m in present if m in first)
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, os.path.basename(path))
        for fy in range(start - 1, LAST_YEAR + 1):
            with open(probe, "w", encoding="utf-8") as f:
                f.write(with_year(text, fy))
            rc, _, err = run(kofu, "calc", "--format", "json", probe)
            want = 3 if fy == start - 1 else 0
            if rc != want:
                problems.append(f"{path}: in FY{fy} kofu calc exited {rc}, not {want}: {err.strip()}")


def check_coverage(starts, years_seen, problems):
    for (measure, name), years in sorted(starts.items()):
        ordered = sorted(years)
        for i, fy in enumerate(ordered):
            need = [fy] if i == 0 else [fy - 1, fy]
            for y in need:
                if y not in years_seen.get(measure, set()):
                    problems.append(f"no case of {measure} in FY{y}: {name} changes in FY{fy} "
                                    f"(add tests/measures/{measure}/… on that side of the change)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", default=".")
    args = ap.parse_args()
    kofu = os.path.abspath(args.kofu)
    here = os.path.join(args.root, "tests", "measures")
    starts = dated_values(kofu)
    first = first_years(starts)
    problems, years_seen, files = [], {}, 0
    for measure in sorted(os.listdir(here)):
        folder = os.path.join(here, measure)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".ini"):
                continue
            path = os.path.join(folder, name)
            files += 1
            with open(path, encoding="utf-8") as f:
                text = f.read()
            check_header(path, text, problems)
            check_claims(kofu, path, problems)
            fy, present, err = case_facts(kofu, path)
            if fy is None:
                problems.append(f"{path}: kofu calc failed: {err}")
                continue
            if measure not in present:
                problems.append(f"{path}: the case has no [{measure}] although it sits in {measure}/")
            for m in present:
                years_seen.setdefault(m, set()).add(fy)
            check_years(kofu, path, text, present, first, problems)
    check_coverage(starts, years_seen, problems)
    for p in problems:
        print(p)
    print(f"measure case files: {files}, problems: {len(problems)}")
    sys.exit(1 if problems or files == 0 else 0)


if __name__ == "__main__":
    main()
