#!/usr/bin/env python3
"""Small xlsx workbooks for kofu's tests, written with zipfile (no Excel).

    python3 tests/tables/xlsxgen.py              re-make tests/tables/*.xlsx and fuzz/seeds/xlsx/
    python3 tests/tables/xlsxgen.py IN.csv OUT.xlsx [--numbers]
                                                 a CSV case table as a workbook

A sheet is a list of rows; a row a list of cells (None leaves a gap, as Excel
omits empty cells):
    "text"             a shared string
    123                a number (<v>123</v>)
    True / False       a boolean cell
    Num("0.69999999999999996")   a number stored as exactly this text
    Inline("text")     an inline string (<is><t>)
    Err("#DIV/0!")     an error value
    Formula("A1*2", cached)      a formula and its cached value (None: never computed)
    Date("2025-04-01") a date cell (t="d")
    Phonetic("本町", "ホンマチ") a shared string with a phonetic guide (rPh)
The files are byte-for-byte reproducible (fixed zip dates, fixed order).
"""
import csv
import io
import os
import re
import sys
import zipfile
from xml.sax.saxutils import escape, quoteattr

DATE = (2026, 1, 1, 0, 0, 0)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


class Num(str):
    pass


class Inline(str):
    pass


class Err(str):
    pass


class Date(str):
    pass


class Formula:
    def __init__(self, f, cached):
        self.f, self.cached = f, cached


class Phonetic:
    def __init__(self, text, reading):
        self.text, self.reading = text, reading


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class Strings:
    def __init__(self):
        self.items, self.index = [], {}

    def add(self, si_xml):
        if si_xml not in self.index:
            self.index[si_xml] = len(self.items)
            self.items.append(si_xml)
        return self.index[si_xml]


def cell_xml(ref, v, strings):
    if v is None:
        return ""
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, Num)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    if isinstance(v, Inline):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
    if isinstance(v, Err):
        return f'<c r="{ref}" t="e"><v>{escape(v)}</v></c>'
    if isinstance(v, Date):
        return f'<c r="{ref}" t="d"><v>{escape(v)}</v></c>'
    if isinstance(v, Formula):
        if v.cached is None:
            return f'<c r="{ref}"><f>{escape(v.f)}</f></c>'
        t = "" if isinstance(v.cached, (int, Num)) else ' t="str"'
        return f'<c r="{ref}"{t}><f>{escape(v.f)}</f><v>{escape(str(v.cached))}</v></c>'
    if isinstance(v, Phonetic):
        si = (f'<si><t>{escape(v.text)}</t><rPh sb="0" eb="{len(v.text)}"><t>{escape(v.reading)}</t>'
              f'</rPh><phoneticPr fontId="1"/></si>')
        return f'<c r="{ref}" t="s"><v>{strings.add(si)}</v></c>'
    space = ' xml:space="preserve"' if v != v.strip() else ""
    return f'<c r="{ref}" t="s"><v>{strings.add(f"<si><t{space}>{escape(v)}</t></si>")}</v></c>'


def sheet_xml(rows, strings, first_row=1):
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
           f'xmlns:r="{REL}"><sheetData>']
    for r, row in enumerate(rows, first_row):
        if row is None:
            continue
        cells = "".join(cell_xml(f"{col_name(c)}{r}", v, strings) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook(path, sheets, hidden=(), extra=None, stored=False):
    """sheets: [(name, rows)]; hidden: names of hidden sheets; extra: {part: bytes} added or
    replacing; stored: entries not compressed (fuzzing seeds: mutations land in the XML)."""
    strings = Strings()
    parts = {}
    rels, entries, overrides = [], [], []
    for i, (name, rows) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(rows, strings)
        rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>')
        state = ' state="hidden"' if name in hidden else ""
        entries.append(f'<sheet name={quoteattr(name)} sheetId="{i}"{state} r:id="rId{i}"/>')
        overrides.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                         f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    n = len(sheets) + 1
    rels.append(f'<Relationship Id="rId{n}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" '
        f'count="{len(strings.items)}" uniqueCount="{len(strings.items)}">{"".join(strings.items)}</sst>')
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" '
        f'xmlns:r="{REL}"><sheets>{"".join(entries)}</sheets></workbook>')
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
        f'{"".join(rels)}</Relationships>')
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
        'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' + "".join(overrides) +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    for k, v in (extra or {}).items():
        if v is None:
            parts.pop(k, None)
        else:
            parts[k] = v
    order = ["[Content_Types].xml", "_rels/.rels"] + sorted(k for k in parts
                                                           if k not in ("[Content_Types].xml", "_rels/.rels"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            data = parts[name]
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


NUMERIC = re.compile(r"-?\d+(\.\d+)?$")


def from_csv(text, numbers=True):
    """The rows of a CSV case table, numbers as numeric cells (as Excel
    would store what a person typed) when numbers is true."""
    rows = []
    for rec in csv.reader(io.StringIO(text, newline="")):
        row = []
        for v in rec:
            if v == "":
                row.append(None)
            elif numbers and NUMERIC.match(v) and not (len(v) > 1 and v.startswith("0") and "." not in v):
                row.append(Num(v))
            else:
                row.append(v)
        rows.append(row)
    return rows


def csv_to_xlsx(src, dst, sheet="ケース", numbers=True):
    with open(src, encoding="utf-8-sig", newline="") as f:
        workbook(dst, [(sheet, from_csv(f.read(), numbers))])


def patch_sizes(path, entry, uncompressed):
    """Rewrites the uncompressed size the zip claims for one entry (local and
    central headers): a workbook that lies about its sizes."""
    data = bytearray(open(path, "rb").read())
    name = entry.encode()
    for sig, off_size, off_name_len, off_name in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        i = 0
        while (i := data.find(sig, i)) >= 0:
            n = int.from_bytes(data[i + off_name_len:i + off_name_len + 2], "little")
            if bytes(data[i + off_name:i + off_name + n]) == name:
                data[i + off_size:i + off_size + 4] = uncompressed.to_bytes(4, "little")
            i += 4
    open(path, "wb").write(bytes(data))


def build_all(d):
    """The test workbooks of tests/tables/ (see tests/golden/tables/xlsx-*.test)."""
    j = lambda name: os.path.join(d, name)
    with open(j("network.csv"), encoding="utf-8") as f:
        net = from_csv(f.read())
    # the CSV table network.csv as Excel stores it (first visible sheet 見積; a hidden sheet before it)
    workbook(j("network.xlsx"), [("一覧", [["hidden"]]), ("見積", net), ("メモ", [["note"]])], hidden=("一覧",))
    # every kind of cell: gaps, inline strings, booleans, long doubles, phonetic guides, _x000D_
    workbook(j("cells.xlsx"), [("cases", [
        ["case.id", "case.fiscal_year", "case.name", None, "network.eligible_cost", "network.specialist",
         "network.ict", "rmo_formation.population"],
        [Inline("cells-r4"), 2022, Phonetic("本町", "ホンマチ"), None, Num("19288000"), False, True],
        [Inline("exp-r4"), "R4", "a_x005F_x000D_b", None, Num("1.9288E7"), Num("0"), Num("1")],
        ["ratio-r7", "R7", None, None, Num("1.85E+7"), "no", "yes"],
    ])])
    # cells kofu cannot read: an error value, a date, a formula never computed, a number beyond 15 digits
    workbook(j("bad-cells.xlsx"), [("Sheet1", [
        ["case.id", "case.fiscal_year", "network.eligible_cost", "network.specialist", "network.ict"],
        ["err-r4", "R4", Err("#DIV/0!"), "no", "no"],
        ["date-r4", Date("2022-04-01"), 1000, "no", "no"],
        ["formula-r4", "R4", Formula("B2*2", None), "no", "no"],
        ["long-r4", "R4", Num("0.30000000000000004"), "no", "no"],
        ["ok-r4", "R4", Formula("1000*2", 2000), "no", Formula("\"no\"", "no")],
        ["inexact-r4", "R4", Num("1999999.9999999998"), "no", "no"],
        ["zeros-r4", "R4", Num("18500000.0000000000000"), "no", Num("1.000")],
    ])])
    csv_to_xlsx(j("claims.csv"), j("claims.xlsx"))
    # a workbook saved under a .csv name: the bytes, not the name, say xlsx
    csv_to_xlsx(j("rows.csv"), j("workbook-named.csv"))
    workbook(j("bad-header.xlsx"), [("Sheet1", [["case.id", "case.fiscal_year", "eligible_cost"], ["a", "R4", 1]])])
    workbook(j("empty.xlsx"), [("Sheet1", [])])
    workbook(j("typos.xlsx"), [("Sheet1", [["case.id", "case.fiscal_year", "netwrk.eligible_cost",
                                            "network.eligble_cost"], ["t-r4", "R4", 1, 2]])])
    # a zip bomb: 32 MiB of one byte repeated in the sheet (ratio about 1000 to 1)
    bomb = ('<?xml version="1.0"?><worksheet xmlns="%s"><sheetData>' % MAIN) + " " * (32 << 20) + \
        "</sheetData></worksheet>"
    workbook(j("bomb-ratio.xlsx"), [("Sheet1", [["case.id"]])], extra={"xl/worksheets/sheet1.xml": bomb})
    # a workbook whose sheet claims 300 MiB once inflated
    workbook(j("bomb-size.xlsx"), [("Sheet1", [["case.id"], ["a"]])])
    patch_sizes(j("bomb-size.xlsx"), "xl/worksheets/sheet1.xml", 300 << 20)
    # entities in a DTD (billion laughs) in the shared strings
    laughs = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
              '<sst xmlns="%s"><si><t>&b;</t></si></sst>' % MAIN)
    workbook(j("dtd.xlsx"), [("Sheet1", [["case.id"], ["x"]])], extra={"xl/sharedStrings.xml": laughs})
    # XML nested deeper than any sheet needs
    deep = ('<?xml version="1.0"?><worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>' % MAIN
            + "<r>" * 100 + "</r>" * 100 + "</is></c></row></sheetData></worksheet>")
    workbook(j("deep.xlsx"), [("Sheet1", [["case.id"]])], extra={"xl/worksheets/sheet1.xml": deep})
    # malformed sheet XML
    workbook(j("broken-xml.xlsx"), [("Sheet1", [["case.id"]])],
             extra={"xl/worksheets/sheet1.xml": '<worksheet xmlns="%s"><sheetData><row r="1">' % MAIN})
    # an entry whose name (300 bytes) is longer than any message shows, compressed with bzip2
    workbook(j("long-name.xlsx"), [("Sheet1", [["case.id"], ["a"]])])
    with zipfile.ZipFile(j("long-name.xlsx"), "a") as z:
        info = zipfile.ZipInfo("xl/media/" + "図" * 97, DATE)
        info.compress_type = zipfile.ZIP_BZIP2
        z.writestr(info, b"not read")
    # a zip that is not a workbook
    with zipfile.ZipFile(j("not-a-workbook.xlsx"), "w") as z:
        z.writestr(zipfile.ZipInfo("readme.txt", DATE), "hello")
    # an OLE compound file (what .xls and password-protected workbooks are)
    with open(j("ole.xls"), "wb") as f:
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    # not a zip at all, named .xlsx: read as CSV text, which it is not
    with open(j("truncated.xlsx"), "wb") as f:
        f.write(open(j("network.xlsx"), "rb").read()[:200])


def fuzz_seeds(d):
    """fuzz/seeds/xlsx/: stored workbooks, and the XML form fuzz_xlsx wraps
    itself (a sheet's XML, a NUL byte, the shared strings' XML)."""
    tables = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(tables, "network.csv"), encoding="utf-8") as f:
        net = from_csv(f.read())
    workbook(os.path.join(d, "network-stored.xlsx"), [("見積", net)], stored=True)
    cells = [["case.id", "case.fiscal_year", None, "network.eligible_cost", "network.specialist", "network.ict",
              "claim.network.grant"],
             [Inline("a-r4"), 2022, None, Num("1.9288E7"), False, True, Formula("D2", Num("19288000"))],
             [Phonetic("b-r4", "ビー"), "R4", None, Num("0.69999999999999996"), Err("#N/A"), Date("2022-04-01")]]
    workbook(os.path.join(d, "cells-stored.xlsx"), [("S", cells)], stored=True)
    for name, rows in (("network", net), ("cells", cells)):
        strings = Strings()
        sheet = sheet_xml(rows, strings)
        sst = f'<sst xmlns="{MAIN}">{"".join(strings.items)}</sst>'
        with open(os.path.join(d, f"{name}.xml"), "wb") as f:
            f.write(sheet.encode() + b"\0" + sst.encode())


def main(argv):
    if len(argv) >= 3:
        csv_to_xlsx(argv[1], argv[2], numbers="--text" not in argv)
        return 0
    here = os.path.dirname(os.path.abspath(__file__))
    build_all(here)
    fuzz_seeds(os.path.join(here, "..", "..", "fuzz", "seeds", "xlsx"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
