#!/usr/bin/env python3
"""Spreadsheet tests: what golden files cannot show because it needs a codec
or a parser — CSV bytes decoded with Python's own cp932 codec and compared
with the UTF-8 output cell by cell, and every amount of the CSV equal to the
JSON of the same cases.

usage: sheets_test.py --kofu PATH [--root DIR]
"""
import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

FAILURES = []
EXAMPLES = ["examples/network-ict.ini", "examples/network-two-projects.ini",
            "examples/rmo-town-r7.ini", "examples/cooperative-founders.ini"]


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILURES.append(what)
    return cond


def run(kofu, *args, env=None):
    e = dict(os.environ)
    for k in ("KOFU_LANG", "KOFU_RULES", "SOURCE_DATE_EPOCH"):
        e.pop(k, None)
    e["LANG"] = "C.UTF-8"
    e.update(env or {})
    p = subprocess.run([kofu, *args], capture_output=True, env=e)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


# glibc's CP932 takes the JIS forms of these characters and writes the bytes
# Windows uses, which Python's cp932 codec (Microsoft's table) decodes as the
# full-width forms: 〜 − ‖ — ¢ £ ¬ → ～ － ∥ ― ￠ ￡ ￢.
MS_FORMS = str.maketrans("\u301c\u2212\u2016\u2014\u00a2\u00a3\u00ac",
                         "\uff5e\uff0d\u2225\u2015\uffe0\uffe1\uffe2")


def rows_of(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def test_cp932(kofu):
    rc8, utf8, _ = run(kofu, "calc", "--format", "csv", "--encoding", "utf-8", *EXAMPLES)
    rcs, sjis, _ = run(kofu, "calc", "--format", "csv", "--encoding", "cp932", *EXAMPLES)
    check(rc8 == 0 and rcs == 0, "calc csv utf-8 and cp932 succeed")
    decoded = sjis.decode("cp932")
    want = utf8.decode("utf-8").translate(MS_FORMS)
    check(decoded == want, "cp932 CSV decodes with Python's cp932 codec to the UTF-8 text")
    check(not sjis.startswith(b"\xef\xbb\xbf"), "cp932 CSV has no BOM")
    check(b"?" not in sjis and "?" not in want, "cp932 CSV has no '?' in place of a character")
    rcb, bom, _ = run(kofu, "calc", "--format", "csv", *EXAMPLES)
    check(bom == b"\xef\xbb\xbf" + utf8, "default encoding is UTF-8 with a BOM, else the same bytes")
    # batch: the same rows as calc
    rcb, batch, _ = run(kofu, "batch", "--encoding", "cp932", *EXAMPLES)
    check(batch == sjis, "batch --encoding cp932 writes the bytes calc does")
    # a character CP932 lacks: an error row naming its code point, the batch goes on
    bad = "tests/golden/csv/cases/yoshino.ini"
    rc, out, err = run(kofu, "batch", "--encoding", "cp932", "--header", "keys", bad, EXAMPLES[0])
    rows = rows_of(out.decode("cp932"))
    check(rc == 3 and len(rows) == 3, "batch cp932: one error row and one good row, exit 3")
    check(rows[1][0] == bad and rows[1][6] == "error" and "U+20BB7" in rows[1][7],
          "batch cp932: the error row names the file and U+20BB7")
    check(rows[2][0] == EXAMPLES[0] and rows[2][6] == "ok", "batch cp932: the next case is computed")


def test_cp932_everywhere(kofu):
    """Every CSV output takes --encoding: rules, sweep and check as well."""
    runs = [("rules", "--fy", "R7", "--format", "csv"),
            ("sweep", "examples/cooperative-founders.ini", "--vary",
             "cooperative.utilization=60%:100%:10%", "--format", "csv"),
            ("check", "--format", "csv", "tests/golden/batch/cases/mixed/e-good.ini")]
    for args in runs:
        rc8, utf8, _ = run(kofu, *args, "--encoding", "utf-8")
        rcs, sjis, err = run(kofu, *args, "--encoding", "cp932")
        rcb, bom, _ = run(kofu, *args)
        want = utf8.decode("utf-8").translate(MS_FORMS)
        check(rc8 == rcs == rcb and sjis.decode("cp932") == want and bom == b"\xef\xbb\xbf" + utf8,
              f"{args[0]} --format csv: cp932 decodes to the UTF-8 text; default has a BOM")
    rc, out, err = run(kofu, "rules", "--format", "csv", "--header", "keys")
    check(rc == 2, "rules rejects --header (its columns have no labels to choose)")


def test_amounts_equal_json(kofu):
    rc, out, _ = run(kofu, "calc", "--format", "csv", "--header", "keys", "--encoding", "utf-8",
                     *EXAMPLES)
    rows = rows_of(out.decode("utf-8"))
    head = rows[0]
    for path, row in zip(EXAMPLES, rows[1:]):
        _, js, _ = run(kofu, "calc", "--format", "json", path)
        res = json.loads(js)
        cell = dict(zip(head, row))
        ok = cell["case"] == res["case"] and int(cell["fiscal_year"]) == res["fiscal_year"]
        for k, v in res["totals"].items():
            ok &= int(cell["totals." + k]) == v
        for m, body in res["measures"].items():
            for k, v in body.items():
                col = f"{m}.{k}"
                if col in cell and isinstance(v, int):
                    ok &= int(cell[col]) == v
                elif col in cell and isinstance(v, str):
                    ok &= cell[col] == v
        codes = sorted({w["code"] for w in res["warnings"]})
        ok &= sorted(cell["warnings"].split()) == codes
        ok &= (cell["provisional"] == "【暫定】") == any(
            c in ("parameter_carried_forward", "parameter_provisional", "taper_provisional",
                  "cap_basis_provisional") for c in codes)
        check(ok, f"CSV row of {path} equals its JSON")
    # items: every organization and project, with its amounts
    rc, out, _ = run(kofu, "calc", "--format", "csv", "--header", "keys", "--rows", "items",
                     "--encoding", "utf-8", *EXAMPLES)
    rows = rows_of(out.decode("utf-8"))
    head = rows[0]
    items = [dict(zip(head, r)) for r in rows[1:]]
    for path in EXAMPLES:
        _, js, _ = run(kofu, "calc", "--format", "json", path)
        res = json.loads(js)
        want = []
        for m, body in res["measures"].items():
            for key in ("organizations", "projects", "workers"):
                for it in body.get(key, []):
                    want.append((m, it["id"], {k: v for k, v in it.items() if isinstance(v, int)}))
        got = [(r["measure"], r["id"], r) for r in items if r["file"] == path and r["measure"]]
        ok = len(got) == len(want)
        for (m, i, amounts), (gm, gi, r) in zip(want, got):
            ok &= m == gm and i == gi and all(int(r[k]) == v for k, v in amounts.items())
        check(ok, f"--rows items of {path}: {len(want)} items with their amounts")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", default=".")
    a = ap.parse_args()
    os.chdir(a.root)
    kofu = os.path.abspath(a.kofu)
    test_cp932(kofu)
    test_cp932_everywhere(kofu)
    test_amounts_equal_json(kofu)
    print(f"{len(FAILURES)} failed" if FAILURES else "all spreadsheet checks hold")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
