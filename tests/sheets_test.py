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
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tables"))
from xlsxgen import col_name as col_letter  # noqa: E402  (the tests' one column naming)

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
    # one clock for every run, so that outputs compared byte for byte agree
    e["SOURCE_DATE_EPOCH"] = "1796120000"
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


# ---- xlsx, read back with zipfile and xml ------------------------------------------

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(path):
    """{sheet name: [[cell, ...], ...]}; a cell is a str, a float or None."""
    z = zipfile.ZipFile(path)
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    sheets = {}
    for sh in wb.find("m:sheets", NS):
        rid = sh.get(f"{{{NS['r']}}}id")
        xml = ET.fromstring(z.read("xl/" + target[rid]))
        rows = []
        for row in xml.iter(f"{{{NS['m']}}}row"):
            cells = []
            for c in row.findall("m:c", NS):
                i = col_index(c.get("r"))
                while len(cells) <= i:
                    cells.append(None)
                v = c.find("m:v", NS)
                if v is None:
                    continue
                cells[i] = strings[int(v.text)] if c.get("t") == "s" else float(v.text)
            rows.append(cells)
        sheets[sh.get("name")] = rows
    return z, sheets


def scalars(obj):
    """The amounts and exact decimals of a result object, as the workbook holds them."""
    out = []
    for k, v in obj.items():
        if isinstance(v, bool) or k in ("id", "name"):
            continue
        if isinstance(v, int):
            out.append(float(v))
        elif isinstance(v, str) and "/" in v:
            out.append(v)
        elif isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?", v):
            out.append(float(v))
    return Counter(out)


def row_values(row, skip):
    return Counter(v for i, v in enumerate(row) if i not in skip and v is not None and
                   (isinstance(v, float) or "/" in v))


def test_xlsx_calc(kofu, tmp):
    path = os.path.join(tmp, "calc.xlsx")
    env = {"SOURCE_DATE_EPOCH": "1796120000"}
    rc, _, err = run(kofu, "calc", "--format", "xlsx", "--output", path, *EXAMPLES, env=env)
    check(rc == 0 and os.path.exists(path), f"calc --format xlsx writes the workbook ({err.strip()})")
    z, book = read_xlsx(path)
    names = list(book)
    check(names[0] == "概要" and names[-3:] == ["計算過程", "根拠", "注意"],
          f"sheets: 概要, the measures, 計算過程, 根拠, 注意 ({names})")
    results = {p: json.loads(run(kofu, "calc", "--format", "json", p, env=env)[1]) for p in EXAMPLES}
    summary = book["概要"]
    head = summary[0]
    for p, res in results.items():
        row = next(r for r in summary[1:] if r[0] == p)
        cells = dict(zip(head, row))
        ok = cells["ケースID"] == res["case"]
        ok &= cells["特別交付税 合計"] == res["totals"]["special_tax_grant"]
        ok &= cells["国の交付金 合計"] == res["totals"]["national_grant"]
        ok &= cells.get("計算日時") == res["meta"]["computed_at"]
        ok &= cells.get("ルールデータの SHA-256") == res["meta"]["rules"]["sha256"]
        check(ok, f"概要 row of {p}: id, totals and the meta stamp equal the JSON")
    # each measure sheet: the 合計 row holds the measure's amounts, each item row its own
    for p, res in results.items():
        for m, body in res["measures"].items():
            sheet = next((rows for name, rows in book.items()
                          if rows and rows[0][:1] == ["ファイル"] and
                          any(r[0] == p for r in rows[1:]) and name not in ("概要", "計算過程", "注意")
                          and measure_sheet_matches(rows, p, body)), None)
            check(sheet is not None, f"{p}: {m} has a sheet whose rows equal the JSON amounts")
    # the trace: every step's value, exactly
    trace = book["計算過程"]
    th = trace[0]
    ok = True
    n = 0
    for p, res in results.items():
        rows = [dict(zip(th, r)) for r in trace[1:] if r[0] == p]
        ok &= len(rows) == len(res["trace"])
        for r, st in zip(rows, res["trace"]):
            v = r["値"]
            ok &= r["計算の段階"] == st["step"] and (
                v == st["value"] if isinstance(v, str) else Fraction(st["value"]) == Fraction(repr(v)))
            n += 1
    check(ok and n > 0, f"計算過程: {n} steps, each value equal to the JSON trace")
    notes = book["注意"]
    want = sum(len(r["warnings"]) + len(r.get("findings", [])) for r in results.values())
    check(len(notes) - 1 == want, f"注意: one row per warning and finding ({want})")
    # numbers: amounts carry a yen format, and a fraction stays text
    styles = z.read("xl/styles.xml").decode()
    check('formatCode="#,##0&quot;円&quot;"' in styles, "amounts have a yen number format")
    coop = dict(zip(head, next(r for r in summary[1:] if r[0].endswith("cooperative-founders.ini"))))
    check(coop.get("特定地域づくり事業協同組合 稼働率") == "9/11",
          "a non-terminating ratio is text holding the exact fraction")
    # the same input and SOURCE_DATE_EPOCH: the same bytes
    path2 = os.path.join(tmp, "calc2.xlsx")
    run(kofu, "calc", "--format", "xlsx", "--output", path2, *EXAMPLES, env=env)
    check(open(path, "rb").read() == open(path2, "rb").read(),
          "same input and SOURCE_DATE_EPOCH: byte-identical workbooks")
    core = z.read("docProps/core.xml").decode()
    check("2026-12-01T" in core and "<dcterms:created" in core,
          "the workbook's created date comes from SOURCE_DATE_EPOCH")
    # --unit 千円: the same yen in the cells, a thousands format
    path3 = os.path.join(tmp, "sen.xlsx")
    run(kofu, "calc", "--format", "xlsx", "--unit", "千円", "--output", path3, *EXAMPLES, env=env)
    z3, book3 = read_xlsx(path3)
    check(book3["概要"] == summary and '#,##0,&quot;千円&quot;' in z3.read("xl/styles.xml").decode(),
          "--unit 千円: cells keep exact yen, shown with a 千円 format")


def test_xlsx_sweep(kofu, tmp):
    """The sweep workbook: its rows equal the sweep's JSON, and its native chart
    stacks who pays what against the varied value, with the break-even fee as a
    line on a secondary axis."""
    path = os.path.join(tmp, "sweep.xlsx")
    args = ["sweep", "examples/cooperative-founders.ini", "--vary", "cooperative.utilization=50%:100%:5%"]
    rc, _, err = run(kofu, *args, "--format", "xlsx", "--output", path)
    check(rc == 0, f"sweep --format xlsx ({err.strip()})")
    js = json.loads(run(kofu, *args, "--format", "json")[1])
    z, book = read_xlsx(path)
    rows = book["感度分析"]
    head = rows[0]
    ok = len(rows) - 1 == len(js["rows"])
    for r, jr in zip(rows[1:], js["rows"]):
        ok &= r[0] == jr["vary"]["cooperative.utilization"]
        vals = [v for v in r[1:] if isinstance(v, float)]
        for col in ("cooperative.national_grant", "cooperative.required_usage_fees",
                    "cooperative.municipal_net_burden", "cooperative.break_even_hourly_fee"):
            ok &= float(jr[col]) in vals
    check(ok, f"感度分析: {len(js['rows'])} points, each with the sweep JSON's amounts")
    chart = ET.fromstring(z.read("xl/charts/chart1.xml"))
    C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    plot = chart.find(f"{C}chart/{C}plotArea")
    bar, line = plot.find(f"{C}barChart"), plot.find(f"{C}lineChart")
    names = [s.find(f"{C}tx/{C}v").text for s in bar.findall(f"{C}ser")]
    check(bar.find(f"{C}grouping").get("val") == "stacked" and
          names == ["利用料金", "国", "市町村（実質負担）", "特別交付税"],
          f"chart: who pays what, stacked ({names})")
    lser = line.findall(f"{C}ser") if line is not None else []
    check(len(lser) == 1 and "損益分岐" in lser[0].find(f"{C}tx/{C}v").text,
          "chart: the break-even fee is a line")
    ax = {a.find(f"{C}axId").get("val"): a for a in plot if a.tag in (f"{C}valAx", f"{C}catAx")}
    line_axes = [a.get("val") for a in line.findall(f"{C}axId")]
    y2 = ax[line_axes[1]]
    check(y2.tag == f"{C}valAx" and y2.find(f"{C}axPos").get("val") == "r" and
          y2.find(f"{C}crosses").get("val") == "max" and
          ax[line_axes[0]].find(f"{C}delete").get("val") == "1",
          "chart: the line has its own value axis on the right")
    cats = bar.find(f"{C}ser/{C}cat/{C}strRef/{C}f").text
    check(cats == "'感度分析'!$A$2:$A$12", f"chart: categories are the varied values ({cats})")
    path2 = os.path.join(tmp, "sweep2.xlsx")
    run(kofu, *args, "--format", "xlsx", "--output", path2)
    check(open(path, "rb").read() == open(path2, "rb").read(),
          "sweep workbook: byte-identical for the same input and SOURCE_DATE_EPOCH")
    check(not any(h and "地域運営組織" in h for h in head),
          "sweep workbook: no columns for measures the case does not have")
    # an RMO case: its three grants, and no chart of a cooperative's payers
    path3 = os.path.join(tmp, "rmo.xlsx")
    rc, _, err = run(kofu, "sweep", "examples/rmo-town-r7.ini", "--vary", "case.fiscal_year=2024:2025:1",
                     "--format", "xlsx", "--output", path3)
    z3, book3 = read_xlsx(path3)
    head3 = book3["感度分析"][0]
    check(rc == 0 and not err and not any("chart" in n for n in z3.namelist()) and
          not any(h and ("協同組合" in h or "利用料金" in h) for h in head3) and
          sum(1 for h in head3 if h and h.endswith("特別交付税")) == 3,
          f"RMO sweep workbook: its three grants, no cooperative column, no chart ({head3})")


def test_xlsx_batch_check_rules(kofu, tmp):
    # batch: one 概要 row per input (an error row for a bad one), the same for any --jobs
    bad = "tests/golden/errors/cases/nonexistent.ini"
    p1, p2 = os.path.join(tmp, "b1.xlsx"), os.path.join(tmp, "b2.xlsx")
    rc1, _, _ = run(kofu, "batch", "--format", "xlsx", "--output", p1, "examples", bad)
    rc2, _, _ = run(kofu, "batch", "--format", "xlsx", "--jobs", "2", "--output", p2, "examples", bad)
    check(rc1 == rc2 == 3, "batch --format xlsx: exit 3 with a failed case")
    check(open(p1, "rb").read() == open(p2, "rb").read(), "batch xlsx: --jobs 2 writes the same bytes")
    _, book = read_xlsx(p1)
    rows = book["概要"]
    head = rows[0]
    _, out, _ = run(kofu, "batch", "--header", "keys", "--encoding", "utf-8", "examples", bad)
    want = rows_of(out.decode("utf-8"))
    wh = want[0]
    ok = len(rows) == len(want)
    for r, w in zip(rows[1:], want[1:]):
        cells, wc = dict(zip(head, r)), dict(zip(wh, w))
        ok &= cells["ファイル"] == wc["file"]
        if wc["status"] == "ok":
            ok &= cells["特別交付税 合計"] == float(wc["totals.special_tax_grant"])
            ok &= cells["国の交付金 合計"] == float(wc["totals.national_grant"])
        else:
            ok &= cells["状態"] == "エラー" and cells["エラーの内容"] == wc["error"]
    check(ok, f"batch xlsx: {len(rows) - 1} 概要 rows equal the batch CSV (totals, error row)")
    # check: the 照合 sheet equals check's JSON
    case = "tests/golden/batch/cases/mixed/e-good.ini"
    pk = os.path.join(tmp, "k.xlsx")
    rc, _, _ = run(kofu, "check", "--format", "xlsx", "--output", pk, case)
    js = json.loads(run(kofu, "check", "--format", "json", case)[1])
    _, book = read_xlsx(pk)
    rows = [dict(zip(book["照合"][0], r)) for r in book["照合"][1:]]
    ok = rc == 1 and len(rows) == len(js["claims"])
    for r, c in zip(rows, js["claims"]):
        ok &= (r["請求項目"], r["請求額"], r["計算額"], r["差額"], r["差の見立て"]) == (
            c["key"], c["claimed"], c["computed"], c["difference"], c.get("diagnosis"))
    check(ok, "check --format xlsx: 照合 equals check's JSON, exit 1 on a mismatch")
    # rules: every parameter, values exact
    pr = os.path.join(tmp, "r.xlsx")
    rc, _, _ = run(kofu, "rules", "--fy", "R7", "--format", "xlsx", "--output", pr)
    js = json.loads(run(kofu, "rules", "--fy", "R7", "--format", "json")[1])
    _, book = read_xlsx(pr)
    rows = [dict(zip(book["ルールデータ"][0], r)) for r in book["ルールデータ"][1:]]
    ok = rc == 0 and len(rows) == len(js)
    for r, p in zip(rows, js):
        v = r["値"]
        ok &= r["パラメータ"] == p["name"] and (
            v == p["value"] if isinstance(v, str) else Fraction(p["value"]) == Fraction(repr(v)))
    check(ok, f"rules --format xlsx: {len(js)} parameters with their exact values")
    bib = json.loads(run(kofu, "rules", "--sources", "--format", "json")[1])
    check(len(book["根拠"]) - 1 == len(bib), "rules xlsx: 根拠 lists the bibliography")


def without_places(res):
    """A result without what names where its inputs were read (file:line or
    file:cell of a trace step) and when it was computed."""
    res = json.loads(json.dumps(res))
    for st in res.get("trace", []):
        if re.match(r".*:([A-Z]+)?\d+$", st.get("source", "")) and "source_id" not in st:
            st["source"] = "<input>"
    res.get("meta", {}).pop("computed_at", None)
    return res


def same_as_inis(kofu, tmp, got, inis, what):
    """Each case of got ({id: result}) equals the JSON of its INI text in inis."""
    for cid, text in inis.items():
        ini = os.path.join(tmp, cid + ".ini")
        with open(ini, "w", encoding="utf-8") as f:
            f.write(text)
        want = json.loads(run(kofu, "calc", "--format", "json", ini)[1])
        check(cid in got and without_places(got[cid]) == without_places(want),
              f"{what} {cid} = the JSON of the same INI file")


def test_tables_in(kofu, tmp):
    """A case table gives the same JSON as the INI files holding the same values."""
    table = os.path.join(tmp, "cases.csv")
    with open(table, "w", encoding="utf-8", newline="") as f:
        f.write("case.id,case.fiscal_year,case.entity,section,network.eligible_cost,"
                "network.specialist,network.ict,cooperative.secretariat_cost,"
                "cooperative.worker.personnel_cost,cooperative.worker.months,claim.network.grant\r\n"
                "two-r7,R7,municipality,network.kita,\"18,500,000\",no,yes,,,,\r\n"
                "two-r7,,,network.minami,24125500,yes,yes,,,,\r\n"
                "coop-r4,R4,,,,,,\"4,000,000\",,,\r\n"
                "coop-r4,,,cooperative.worker.a,,,,,3400千円,12,\r\n"
                "coop-r4,,,cooperative.worker.b,,,,,300万円,6,\r\n")
    inis = {
        "two-r7": "[case]\nid = two-r7\nfiscal_year = R7\nentity = municipality\n"
                  "[network.kita]\neligible_cost = 18,500,000\nspecialist = no\nict = yes\n"
                  "[network.minami]\neligible_cost = 24125500\nspecialist = yes\nict = yes\n",
        "coop-r4": "[case]\nid = coop-r4\nfiscal_year = R4\n[cooperative]\nsecretariat_cost = 4,000,000\n"
                   "[cooperative.worker.a]\npersonnel_cost = 3400千円\nmonths = 12\n"
                   "[cooperative.worker.b]\npersonnel_cost = 300万円\nmonths = 6\n",
    }
    rc, out, err = run(kofu, "calc", "--format", "json", table)
    got = {r["case"]: r for r in json.loads(out)}
    check(rc == 0 and set(got) == set(inis), f"calc reads the table's two cases ({err.strip()})")
    same_as_inis(kofu, tmp, got, inis, "table case")
    # every trace step reading an input cites the table's cell
    cites = [s["source"] for s in got["coop-r4"]["trace"] if s["source"].startswith(table)]
    check(cites and all(re.match(re.escape(table) + r":[A-Z]+\d+$", c) for c in cites),
          f"trace steps cite the table's cells ({cites[:2]})")
    # CP932 bytes read the same
    sjis = os.path.join(tmp, "sjis.csv")
    with open(table, encoding="utf-8") as f, open(sjis, "w", encoding="cp932", newline="") as g:
        g.write(f.read())
    rc2, out2, _ = run(kofu, "calc", "--format", "json", sjis)
    a = [without_places(r) for r in json.loads(out2)]
    b = [without_places(r) for r in json.loads(out)]
    check(rc2 == 0 and a == b, "the same table saved as CP932 gives the same results")


def test_template_round_trip(kofu, tmp):
    """The template's CSV and INI forms hold the same case: filled as they come,
    they compute to the same JSON."""
    for measures in (["network"], ["cooperative"], ["rmo_formation", "rmo_operation"], []):
        csv_path = os.path.join(tmp, "t.csv")
        ini_path = os.path.join(tmp, "t.ini")
        run_out = lambda *a: run(kofu, "template", *measures, *a)[1]
        open(csv_path, "wb").write(run_out("--format", "csv"))
        open(ini_path, "wb").write(run_out("--format", "ini"))
        rc1, a, e1 = run(kofu, "calc", "--format", "json", csv_path)
        rc2, b, e2 = run(kofu, "calc", "--format", "json", ini_path)
        name = " ".join(measures) or "every measure"
        ok = rc1 == 0 and rc2 == 0
        ok = ok and [without_places(r) for r in json.loads(a)] == [without_places(json.loads(b))]
        check(ok, f"template {name}: the CSV and the INI compute to the same JSON ({e1.strip()}{e2.strip()})")


def validations(z, sheet="xl/worksheets/sheet1.xml"):
    """{column letter: the dataValidation element} of a worksheet."""
    xml = ET.fromstring(z.read(sheet))
    out, bad = {}, []
    for dv in xml.iter(f"{{{NS['m']}}}dataValidation"):
        m = re.fullmatch(r"([A-Z]+)2:\1(\d+)", dv.get("sqref"))
        if m and m.group(2) == "1048576":
            out[m.group(1)] = dv
        else:
            bad.append(dv.get("sqref"))
    check(not bad, f"every validation covers its column from row 2 to the sheet's last ({bad[:3]})")
    return out


def formulas(dv):
    return [dv.findtext(f"m:formula{i}", None, NS) for i in (1, 2)]


def test_template_xlsx(kofu, tmp):
    """kofu template --format xlsx: the CSV template's header and example rows,
    Excel data validation on every column by type, messages in the language,
    the same bytes for the same SOURCE_DATE_EPOCH."""
    path, again = os.path.join(tmp, "t.xlsx"), os.path.join(tmp, "t2.xlsx")
    rc, _, err = run(kofu, "template", "--format", "xlsx", "--output", path)
    rc2, _, _ = run(kofu, "template", "--format", "xlsx", "--output", again)
    check(rc == 0 and rc2 == 0 and not err, f"template --format xlsx ({err.strip()})")
    check(open(path, "rb").read() == open(again, "rb").read(),
          "template xlsx: byte-identical for the same SOURCE_DATE_EPOCH")
    z, book = read_xlsx(path)
    check(list(book) == ["ケース表", "記入のしかた"], f"sheets: the case table first ({list(book)})")
    rows = book["ケース表"]
    want = rows_of(run(kofu, "template", "--format", "csv", "--encoding", "utf-8")[1].decode())
    check(rows[0] == want[0], "row 1: the CSV template's headers, section.key（label）")
    head = [h.split("（")[0] for h in want[0]]

    def as_xlsx(key, v):
        if v == "":
            return None
        if re.fullmatch(r"[\d,]+(\.\d+)?%?", v) and key != "case.id":
            x = float(v.replace(",", "").rstrip("%"))
            return x / 100 if v.endswith("%") else x
        return {"no": "いいえ", "yes": "はい", "municipality": "市町村", "R7": "令和7年度"}.get(v, v)
    got = [r + [None] * (len(head) - len(r)) for r in rows[1:]]
    check(got == [[as_xlsx(k, v) for k, v in zip(head, r)] for r in want[1:]],
          f"the example rows: the CSV template's, as numbers and Japanese words ({len(want) - 1} rows)")
    dv = validations(z)
    check(set(dv) == {col_letter(i) for i in range(len(head))},
          f"every column has a validation ({len(dv)} of {len(head)})")
    at = {k: dv[col_letter(i)] for i, k in enumerate(head)}
    check(all(d.get("prompt") and d.get("promptTitle") for d in at.values()),
          "every column shows an input message")
    # by type
    t = at["network.specialist"]
    check(t.get("type") == "list" and formulas(t)[0] == '"はい,いいえ"', "boolean: a はい/いいえ list")
    t = at["case.entity"]
    check(t.get("type") == "list" and formulas(t)[0] == '"市町村,道府県"', "entity: a 市町村/道府県 list")
    t = at["network.eligible_cost"]
    check(t.get("type") == "whole" and t.get("operator") == "greaterThanOrEqual" and formulas(t)[0] == "0",
          "amount: whole numbers ≥ 0")
    t = at["fiscal_capacity.demand_1"]
    check(t.get("type") == "whole" and formulas(t)[0] == "1", "amount with a schema minimum: ≥ 1")
    t = at["cooperative.utilization"]
    check(t.get("type") == "decimal" and t.get("operator") is None and formulas(t) == ["0", "1"],
          "ratio: decimals between 0 and 1")
    t = at["cooperative.worker.months"]
    check(t.get("type") == "whole" and formulas(t) == ["1", "12"], "months: whole numbers 1 to 12")
    t = at["cooperative.hours_scheduled"]
    check(t.get("type") == "custom" and "ROUND(AR2,2)=AR2" in formulas(t)[0] and "AR2>=0.01" in formulas(t)[0],
          f"decimal: at most 2 decimals, from the schema's minimum ({formulas(t)[0]})")
    t = at["case.fiscal_year"]
    check(t.get("type") == "custom" and "B2>=2015" in formulas(t)[0] and '"令和"' in formulas(t)[0],
          f"fiscal year: from 2015 (network's first) or the 令和 form ({formulas(t)[0]})")
    check("入力できる値" in t.get("error") and t.get("errorTitle") == "入力できない値です",
          "error messages in Japanese")
    check(at["network.eligible_cost"].get("prompt").endswith("（必須）"), "a required key says so")
    # the first fiscal year follows the chosen measures
    for measures, first in ((["cooperative"], 2020), (["rmo_formation"], 2022), (["network"], 2015)):
        p = os.path.join(tmp, "m.xlsx")
        rc, _, err = run(kofu, "template", *measures, "--format", "xlsx", "--output", p)
        f = formulas(validations(zipfile.ZipFile(p))["B"])[0]
        check(rc == 0 and f">={first}," in f, f"template {measures[0]}: fiscal years from {first}")
    # English
    p = os.path.join(tmp, "en.xlsx")
    rc, _, _ = run(kofu, "template", "network", "--format", "xlsx", "--output", p, "--lang", "en")
    z, book = read_xlsx(p)
    dv = validations(z)
    spec = [d for d in dv.values() if d.get("prompt", "").startswith("network.specialist")]
    check(rc == 0 and list(book) == ["cases", "how to fill in"] and spec and
          formulas(spec[0])[0] == '"yes,no"' and book["cases"][1][1] == 2025.0,
          "--lang en: English sheets, yes/no, the Western year")
    check(all(d.get("errorTitle") == "value not accepted" for d in dv.values()), "--lang en: English errors")
    # a terminal is refused before anything is written (a pseudo-terminal
    # stands for one: the golden tests have none)
    master, slave = os.openpty()
    try:
        tty = os.ttyname(slave)
        for args, lang in ((["template", "network"], "ja"), (["calc", EXAMPLES[0]], "en")):
            rc, out, err = run(kofu, *args, "--format", "xlsx", "--output", tty, "--lang", lang)
            want = (f"kofu: --output {tty} は端末です。ブックはファイルに書きます" if lang == "ja"
                    else f"kofu: --output {tty} is a terminal; a workbook goes into a file")
            check(rc == 2 and err.splitlines()[0] == want and not out,
                  f"{args[0]} --format xlsx --output TERMINAL: exit 2, '{err.splitlines()[0] if err else ''}'")
    finally:
        os.close(master)
        os.close(slave)
    # the help sheet lists every column
    help_keys = [r[1] for r in read_xlsx(path)[1]["記入のしかた"] if len(r) > 1 and r[1]]
    check(all(k in help_keys for k in head), "記入のしかた lists every column's key")


def fill_xlsx(src, dst, rows):
    """The workbook src with its first sheet's rows below the header replaced
    by rows (each {"section.key": value}; a str is an inline string, a number
    a numeric cell), as a person filling it in Excel would leave it."""
    z = zipfile.ZipFile(src)
    header = read_xlsx(src)[1]
    head = [h.split("（")[0] for h in list(header.values())[0][0]]
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    start = sheet.index("<sheetData>") + len("<sheetData>")
    first_end = sheet.index("</row>", start) + len("</row>")
    body = []
    for n, row in enumerate(rows, start=2):
        cells = []
        for key, v in row.items():
            ref = f"{col_letter(head.index(key))}{n}"
            if isinstance(v, str):
                text = v.replace("&", "&amp;").replace("<", "&lt;")
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
        cells.sort(key=lambda c: col_index(re.search(r'r="([A-Z]+)', c).group(1)))
        body.append(f'<row r="{n}">{"".join(cells)}</row>')
    end = sheet.index("</sheetData>")
    sheet = sheet[:first_end] + "".join(body) + sheet[end:]
    sheet = re.sub(r'<dimension ref="[^"]*"/>', "", sheet)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else z.read(item)
            out.writestr(item, data)


def test_template_xlsx_filled(kofu, tmp):
    """The xlsx template filled as in Excel (numbers, はい/いいえ, 令和 years, a
    worker per row) computes to the same JSON as the INI files of the same cases."""
    path, filled = os.path.join(tmp, "blank.xlsx"), os.path.join(tmp, "filled.xlsx")
    rc, _, err = run(kofu, "template", "network", "cooperative", "--format", "xlsx", "--output", path)
    rows = [
        {"case.id": "kita-r7", "case.fiscal_year": "令和7年度", "case.name": "〇〇町", "section": "network.kita",
         "network.eligible_cost": 18500000, "network.specialist": "いいえ", "network.ict": "はい"},
        {"case.id": "kita-r7", "section": "network.minami", "network.eligible_cost": 24125500,
         "network.specialist": "はい", "network.ict": "はい"},
        {"case.id": "coop-r4", "case.fiscal_year": 2022, "case.entity": "市町村",
         "cooperative.secretariat_cost": 4000000, "cooperative.utilization": 0.8},
        {"case.id": "coop-r4", "section": "cooperative.worker.a", "cooperative.worker.personnel_cost": 3400000,
         "cooperative.worker.months": 12},
        {"case.id": "coop-r4", "section": "cooperative.worker.b", "cooperative.worker.personnel_cost": 3000000,
         "cooperative.worker.months": 6},
    ]
    fill_xlsx(path, filled, rows)
    inis = {
        "kita-r7": "[case]\nid = kita-r7\nfiscal_year = R7\nname = 〇〇町\n"
                   "[network.kita]\neligible_cost = 18,500,000\nspecialist = no\nict = yes\n"
                   "[network.minami]\neligible_cost = 24125500\nspecialist = yes\nict = yes\n",
        "coop-r4": "[case]\nid = coop-r4\nfiscal_year = 2022\nentity = municipality\n"
                   "[cooperative]\nsecretariat_cost = 4000000\nutilization = 80%\n"
                   "[cooperative.worker.a]\npersonnel_cost = 3400000\nmonths = 12\n"
                   "[cooperative.worker.b]\npersonnel_cost = 3000000\nmonths = 6\n",
    }
    rc, out, err = run(kofu, "calc", "--format", "json", filled)
    got = {r["case"]: r for r in json.loads(out)} if rc == 0 else {}
    check(rc == 0 and set(got) == set(inis), f"the filled template computes its two cases ({err.strip()[:300]})")
    same_as_inis(kofu, tmp, got, inis, "filled xlsx template: case")
    # the blank template's example rows compute as the CSV template's do
    csv_path = os.path.join(tmp, "blank.csv")
    open(csv_path, "wb").write(run(kofu, "template", "network", "cooperative", "--format", "csv")[1])
    a = [without_places(r) for r in json.loads(run(kofu, "calc", "--format", "json", path)[1])]
    b = [without_places(r) for r in json.loads(run(kofu, "calc", "--format", "json", csv_path)[1])]
    check(a and a == b, "the xlsx template's example rows = the CSV template's, computed")


def measure_sheet_matches(rows, path, body):
    head = rows[0]
    skip = {head.index(h) for h in ("ファイル", "ケースID", "名称", "区分", "ID", "組織・事業・職員の名称")
            if h in head}
    mine = [r for r in rows[1:] if r and r[0] == path]
    if not mine:
        return False
    kind = head.index("区分")
    total = [r for r in mine if r[kind] == "合計"]
    items = [r for r in mine if r[kind] != "合計"]
    want_items = [it for k in ("organizations", "projects", "workers") for it in body.get(k, [])]
    if len(total) != 1 or len(items) != len(want_items):
        return False
    if row_values(total[0], skip) != scalars(body):
        return False
    idc = head.index("ID")
    return all(r[idc] == (it["id"] or None) and row_values(r, skip) == scalars(it)
               for r, it in zip(items, want_items))


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
    with tempfile.TemporaryDirectory() as tmp:
        test_xlsx_calc(kofu, tmp)
        test_xlsx_sweep(kofu, tmp)
        test_xlsx_batch_check_rules(kofu, tmp)
        test_tables_in(kofu, tmp)
        test_template_round_trip(kofu, tmp)
        test_template_xlsx(kofu, tmp)
        test_template_xlsx_filled(kofu, tmp)
    print(f"{len(FAILURES)} failed" if FAILURES else "all spreadsheet checks hold")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
