#!/usr/bin/env python3
"""xlsx case tables read back: a workbook holding the same cases as INI files
(or as a CSV table) gives the same JSON, numbers stored as Excel stores them
included; the sheet is streamed (memory flat as rows grow).

    tests/tables/xlsx_test.py --kofu build/kofu --root .
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xlsxgen import Num, csv_to_xlsx, from_csv, workbook  # noqa: E402

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
        print("ok: " + what)
    else:
        failed += 1
        print("FAIL: " + what)


def run(kofu, *args):
    p = subprocess.run([kofu, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def without_places(res):
    """A result without what names where its inputs were read (FILE:LINE,
    FILE:CELL or FILE:SHEET:CELL of a trace step) and when it was computed."""
    res = json.loads(json.dumps(res))
    for st in res.get("trace", []):
        if re.match(r".*:([A-Z]+)?\d+$", st.get("source", "")) and "source_id" not in st:
            st["source"] = "<input>"
    res.get("meta", {}).pop("computed_at", None)
    return res


TABLE = ("case.id,case.fiscal_year,case.entity,section,network.eligible_cost,network.specialist,"
         "network.ict,cooperative.secretariat_cost,cooperative.usage_fee_income,cooperative.utilization,"
         "cooperative.worker.personnel_cost,cooperative.worker.months,claim.network.grant\r\n"
         "two-r7,R7,municipality,network.kita,\"18,500,000\",no,yes,,,,,,\r\n"
         "two-r7,,,network.minami,24125500,yes,yes,,,,,,\r\n"
         "coop-r4,R4,,,,,,\"4,000,000\",12000000,0.7,,,\r\n"
         "coop-r4,,,cooperative.worker.a,,,,,,,3400千円,12,\r\n"
         "coop-r4,,,cooperative.worker.b,,,,,,,300万円,6,\r\n")
INIS = {
    "two-r7": "[case]\nid = two-r7\nfiscal_year = R7\nentity = municipality\n"
              "[network.kita]\neligible_cost = 18,500,000\nspecialist = no\nict = yes\n"
              "[network.minami]\neligible_cost = 24125500\nspecialist = yes\nict = yes\n",
    "coop-r4": "[case]\nid = coop-r4\nfiscal_year = R4\n[cooperative]\nsecretariat_cost = 4,000,000\n"
               "usage_fee_income = 12000000\nutilization = 0.7\n"
               "[cooperative.worker.a]\npersonnel_cost = 3400千円\nmonths = 12\n"
               "[cooperative.worker.b]\npersonnel_cost = 300万円\nmonths = 6\n",
}


def calc(kofu, path):
    rc, out, err = run(kofu, "calc", "--format", "json", path)
    res = json.loads(out) if out.strip() else []
    return rc, {r["case"]: r for r in (res if isinstance(res, list) else [res])}, err


def test_same_as_ini(kofu, tmp):
    """The cases of a workbook = the JSON of the same INI files: numbers as
    numeric cells, the 0.7 utilization as Excel's long double form too."""
    want = {}
    for cid, text in INIS.items():
        ini = os.path.join(tmp, cid + ".ini")
        with open(ini, "w", encoding="utf-8") as f:
            f.write(text)
        want[cid] = without_places(json.loads(run(kofu, "calc", "--format", "json", ini)[1]))
    rows = from_csv(TABLE)
    long_form = [[Num("0.69999999999999996") if v == Num("0.7") else v for v in r] for r in rows]
    for label, table in (("numbers as typed", rows), ("0.7 stored as 0.69999999999999996", long_form)):
        book = os.path.join(tmp, "cases.xlsx")
        workbook(book, [("ケース", table)])
        rc, got, err = calc(kofu, book)
        check(rc == 0 and set(got) == set(want), f"{label}: calc reads the workbook's two cases ({err.strip()})")
        for cid in want:
            check(cid in got and without_places(got[cid]) == want[cid],
                  f"{label}: workbook case {cid} = the JSON of the same INI file")
    cites = [s["source"] for s in got["coop-r4"]["trace"] if s["source"].startswith(book)]
    check(cites and all(re.match(re.escape(book) + r":ケース:[A-Z]+\d+$", c) for c in cites),
          f"trace steps cite the workbook's sheet and cell ({cites[:2]})")


def test_same_as_csv(kofu, tmp):
    """kofu template --format csv, filled and saved as a workbook by a
    spreadsheet (numbers as numeric cells), computes as the CSV does."""
    csv_path = os.path.join(tmp, "t.csv")
    rc, _, err = run(kofu, "template", "network", "cooperative", "--format", "csv", "--encoding", "utf-8",
                     "--output", csv_path)
    check(rc == 0, f"template --format csv ({err.strip()})")
    book = os.path.join(tmp, "t.xlsx")
    csv_to_xlsx(csv_path, book)
    rc1, a, _ = calc(kofu, csv_path)
    rc2, b, err = calc(kofu, book)
    check(rc1 == rc2 and a and set(a) == set(b), f"the template as CSV and as xlsx: the same cases ({err.strip()})")
    check(all(without_places(a[k]) == without_places(b[k]) for k in a), "and the same JSON")
    for form in ("csv", "xlsx"):
        rc, out, _ = run(kofu, "batch", "--header", "keys", "--encoding", "utf-8", os.path.join(tmp, "t." + form))
        check(rc == rc1 and out.count("\n") == len(a) + 1, f"batch reads the {form} template ({rc})")


def peak_kib(kofu, *args):
    p = subprocess.run(["/usr/bin/time", "-f", "%M", kofu, *args], capture_output=True, text=True)
    return p.returncode, int(p.stderr.strip().splitlines()[-1])


def test_streamed(kofu, tmp):
    """The sheet is streamed: 20 times the rows, about the same peak memory
    (what grows is the shared strings: the distinct case ids). Not under
    AddressSanitizer, whose quarantine keeps freed memory on purpose."""
    if os.environ.get("ASAN_OPTIONS"):
        print("note: peak memory not compared under AddressSanitizer")
        return
    sizes = {}
    for n in (1000, 20000):
        rows = [["case.id", "case.fiscal_year", "network.eligible_cost", "network.specialist", "network.ict"]]
        rows += [[f"c{i:06d}", "R4", Num(str(1_000_000 + i)), "no" if i % 2 else "yes", "yes"] for i in range(n)]
        book = os.path.join(tmp, f"big{n}.xlsx")
        workbook(book, [("Sheet1", rows)])
        rc, kib = peak_kib(kofu, "batch", "--jobs", "1", "--output", os.path.join(tmp, f"b{n}.csv"), book)
        check(rc == 0, f"batch over a {n}-row workbook")
        sizes[n] = kib
    check(sizes[20000] < sizes[1000] * 1.5 + 2048,
          f"peak memory {sizes[1000]} KiB at 1,000 rows, {sizes[20000]} KiB at 20,000")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    kofu = os.path.abspath(args.kofu)
    os.chdir(args.root)
    with tempfile.TemporaryDirectory() as tmp:
        test_same_as_ini(kofu, tmp)
        test_same_as_csv(kofu, tmp)
        test_streamed(kofu, tmp)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
