#!/usr/bin/env python3
"""Duplicate case ids in a run too large for the in-memory id table.

kofu keeps the first 1,024 case ids of a batch or check run in memory and the
rest in a temporary file (cli/case_ids.c). This test makes 4,400 small case
files (so that the file's table doubles at least once) with ids used twice:
an id first seen among the in-memory ones and again after the spill, two ids
first seen after the spill, and one used three times. `kofu check --format
csv` must report each second (and third) use with the file that first used the
id, for --jobs 1 and 2 alike; a TMPDIR that does not exist (no temporary
file) must give the same report from memory; and batch --format csv must carry
the finding on the same rows.

usage: case_ids_test.py KOFU
"""
import csv
import io
import os
import subprocess
import sys
import tempfile

N = 4400
# index -> the index whose id it repeats
DUPLICATES = {100: 5, 2600: 10, 3000: 2500, 4399: 2050, 4398: 10}
CASE = "[case]\nid = {id}\nfiscal_year = R4\n[network]\neligible_cost = {cost}\n[claim]\nnetwork.grant = 1000000\n"


def name(i):
    return f"c{i:05d}.ini"


def make(dir_):
    for i in range(N):
        ident = f"ids-{DUPLICATES.get(i, i):05d}"
        with open(os.path.join(dir_, name(i)), "w") as f:
            f.write(CASE.format(id=ident, cost=1000000 + i))


def expected(dir_):
    """(file, first file) of every second or later use."""
    first = {}
    want = set()
    for i in range(N):
        ident = DUPLICATES.get(i, i)
        if ident in first:
            want.add((os.path.join(dir_, name(i)), os.path.join(dir_, name(first[ident]))))
        else:
            first[ident] = i
    return want


def findings(out):
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    head = rows[0]
    f, st, key, subj = (head.index(c) for c in ("file", "status", "key", "subject"))
    return {(r[f], r[subj]) for r in rows[1:] if r[st] == "finding" and r[key] == "duplicate_case_id"}


def run(kofu, args, env=None):
    p = subprocess.run([kofu] + args, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def main():
    kofu = sys.argv[1]
    fails = 0

    def check(ok, what):
        nonlocal fails
        print(("ok: " if ok else "FAIL: ") + what)
        fails += not ok

    with tempfile.TemporaryDirectory() as tmp:
        cases = os.path.join(tmp, "cases")
        os.mkdir(cases)
        make(cases)
        want = expected(cases)
        outs = {}
        for jobs in ("1", "2"):
            rc, out, err = run(kofu, ["check", "--format", "csv", "--lang", "en", "--jobs", jobs, cases])
            outs[jobs] = out
            got = findings(out)
            check(got == want, f"check --jobs {jobs}: {len(got)} duplicate_case_id findings, each naming "
                               f"the first file (want {len(want)}; missing {sorted(want - got)[:3]}, "
                               f"extra {sorted(got - want)[:3]})")
            check("ran short" not in err and "一時ファイル" not in err, f"check --jobs {jobs}: no note")
        check(outs["1"] == outs["2"], "check: --jobs 2 output identical to --jobs 1")

        env = dict(os.environ, TMPDIR=os.path.join(tmp, "no-such-dir"))
        rc, out, err = run(kofu, ["check", "--format", "csv", "--lang", "en", cases], env=env)
        check(findings(out) == want and out == outs["1"],
              "check with no usable TMPDIR: the same report, from memory")
        check("ran short" not in err, "check with no usable TMPDIR: no note (nothing was lost)")

        rc, out, err = run(kofu, ["batch", "--format", "csv", "--lang", "en", cases])
        rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
        head = rows[0]
        fcol = head.index("file")
        flagged = {r[fcol] for r in rows[1:] if "duplicate_case_id" in ",".join(r)}
        check(flagged == {f for f, _ in want}, f"batch csv: {len(flagged)} rows carry duplicate_case_id")
    print(f"{fails} failed" if fails else "all passed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
