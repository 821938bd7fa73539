#!/usr/bin/env python3
"""Rule-data override tests: `kofu rules --export DIR`, an edit, then
`--rules DIR` / `kofu --rules DIR cmd` / KOFU_RULES; and every kind of broken
rule file, which must stop kofu with exit 4 and an exact message.

Golden tests run only kofu, so the edits live here. Every edit is made on a
fresh export and located by text (never by a hard-coded line number), so a
change elsewhere in the rule data does not break these tests; the expected
line numbers are computed from the edited file.

usage: rules_override_test.py --kofu PATH [--root DIR]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL {what}")
    return cond


class Kofu:
    def __init__(self, exe, root):
        self.exe, self.root = exe, root

    def run(self, *args, env=None):
        e = dict(os.environ)
        for k in ("KOFU_LANG", "KOFU_RULES"):
            e.pop(k, None)
        e["LANG"] = "C.UTF-8"
        e.update(env or {})
        p = subprocess.run([self.exe, *args], cwd=self.root, env=e, capture_output=True)
        return p.returncode, p.stdout.decode(), p.stderr.decode()


def case(root, name):
    return os.path.join(root, "tests", "golden", "network", "cases", name)


def export(k, tmp, name="r"):
    d = os.path.join(tmp, name)
    rc, out, err = k.run("rules", "--export", d)
    check(rc == 0, f"export exits 0 (got {rc}: {err})")
    check(out == "", "export prints nothing on stdout")
    check(err == f"{d} にルールデータを書き出しました（kofu --rules {d} で使えます）\n",
          f"export message, got {err!r}")
    return d


def edit(path, old, new, count=1):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not check(old in text, f"{os.path.basename(path)} holds {old!r}"):
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, count))


def line_of(path, needle, after=None):
    """1-based number of the first line equal to needle (after line `after`)."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.rstrip("\n") == needle and (after is None or n > after):
                return n
    raise AssertionError(f"{needle!r} not in {path}")


def network_of(out):
    return json.loads(out)["measures"]["network"]


# ---- the override itself ----------------------------------------------------

def test_export_files(k, tmp):
    d = export(k, tmp)
    names = sorted(os.listdir(d))
    check("network.params" in names, f"export writes network.params, got {names}")
    with open(os.path.join(k.root, "rules", "network.params"), encoding="utf-8") as f:
        want = f.read()
    with open(os.path.join(d, "network.params"), encoding="utf-8") as f:
        check(f.read() == want, "exported network.params is the built-in file byte for byte")
    rc, out, err = k.run("rules", "--rules", d, "--format", "json")
    rc0, out0, _ = k.run("rules", "--format", "json")
    check(rc == 0 and out == out0 and err == "", "an unedited export lists exactly the built-in rules")


def raised_cap_dir(k, tmp):
    d = export(k, tmp, "raised")
    # network cap_base from FY2021: 15,000,000 → 16,000,000
    edit(os.path.join(d, "network.params"),
         "[cap_base.2021]\nvalue = 15000000\n", "[cap_base.2021]\nvalue = 16000000\n")
    return d


def test_override_calc(k, tmp):
    d = raised_cap_dir(k, tmp)
    base = case(k.root, "base-r4.ini")
    # 19,288,000 against a base cap of 16,000,000: grant 16,000,000, remaining 3,288,000
    want = {"grant": 16000000, "remaining_cost": 3288000,
            "projects": [{"id": "", "cap": 16000000, "eligible_cost": 19288000,
                          "grant": 16000000, "remaining_cost": 3288000}]}
    for how, args, env in (("--rules DIR", ("calc", "--rules", d, "--format", "json", base), None),
                           ("--rules=DIR", ("calc", f"--rules={d}", "--format", "json", base), None),
                           ("kofu --rules DIR calc", ("--rules", d, "calc", "--format", "json", base), None),
                           ("KOFU_RULES", ("calc", "--format", "json", base), {"KOFU_RULES": d})):
        rc, out, err = k.run(*args, env=env)
        if check(rc == 0, f"{how}: exit 0 (got {rc}: {err})"):
            check(network_of(out) == want, f"{how}: cap 16,000,000 applies, got {network_of(out)}")
    # the ICT project of 19,288,000 is now under 16,000,000 + 10,000,000 = 26,000,000
    rc, out, _ = k.run("calc", "--rules", d, "--format", "json", case(k.root, "ict-r4.ini"))
    check(rc == 0 and network_of(out)["projects"][0]["cap"] == 26000000, "ICT cap follows cap_base")
    # FY2019 still reads the 2015 value
    rc, out, _ = k.run("calc", "--rules", d, "--format", "json", case(k.root, "fy2019.ini"))
    check(rc == 0 and network_of(out)["grant"] == 20000000, "FY2019 keeps the flat 20,000,000")
    # the built-in data is untouched
    rc, out, _ = k.run("calc", "--format", "json", base)
    check(network_of(out)["grant"] == 15000000, "without --rules the built-in 15,000,000 applies")
    # --rules on the command line wins over KOFU_RULES
    plain = export(k, tmp, "plain")
    rc, out, _ = k.run("calc", "--rules", plain, "--format", "json", base, env={"KOFU_RULES": d})
    check(rc == 0 and network_of(out)["grant"] == 15000000, "--rules overrides KOFU_RULES")
    test_override_listing(k, tmp)


def test_override_listing(k, tmp):
    """Run from test_override_calc, on its edited export."""
    d = os.path.join(tmp, "raised")
    rc, out, err = k.run("rules", "--rules", d, "--fy", "R4", "--format", "csv")
    check(rc == 0, f"rules --rules exit 0 ({err})")
    row = [l for l in out.split("\r\n") if l.startswith("network,cap_base,")]
    check(len(row) == 1 and row[0].startswith("network,cap_base,交付対象経費の上限額（基本）,2021,16000000,yen,confirmed,2022,"),
          f"rules --fy R4 lists the edited value, got {row}")
    rc, out, _ = k.run("rules", "--fy", "R4", "--format", "csv", env={"KOFU_RULES": d})
    check("network,cap_base,交付対象経費の上限額（基本）,2021,16000000," in out, "KOFU_RULES reaches kofu rules")


def test_provisional_override(k, tmp):
    """The point of --export: a provisional value (the pre-FY2021 flat cap) is overridable."""
    d = export(k, tmp, "flat")
    p = os.path.join(d, "network.params")
    with open(p, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"(\[cap_base\.2015\][^\[]*?)value = 20000000", r"\g<1>value = 18000000", text, count=1)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)
    rc, out, _ = k.run("calc", "--rules", d, "--format", "json", case(k.root, "fy2019.ini"))
    check(rc == 0 and network_of(out)["grant"] == 18000000 and network_of(out)["remaining_cost"] == 7000000,
          f"edited flat cap 18,000,000 applies to FY2019, got {out[:200]}")


# ---- broken rule data: exit 4, exact messages --------------------------------

def broken(k, tmp, name, mutate, want_ja, want_en=None):
    d = export(k, tmp, name)
    p = os.path.join(d, "network.params")
    expected = mutate(p)
    base = case(k.root, "base-r4.ini")
    rc, out, err = k.run("calc", "--rules", d, base)
    check(rc == 4, f"{name}: exit 4 (got {rc})")
    check(out == "", f"{name}: nothing on stdout")
    lines_ja = want_ja(p, expected) if callable(want_ja) else want_ja
    check(err == "".join(l + "\n" for l in lines_ja), f"{name}: stderr\n  got  {err!r}\n  want {lines_ja!r}")
    if want_en:
        rc, out, err = k.run("--lang", "en", "calc", "--rules", d, base)
        lines_en = want_en(p, expected) if callable(want_en) else want_en
        check(rc == 4 and err == "".join(l + "\n" for l in lines_en),
              f"{name} (en): stderr\n  got  {err!r}\n  want {lines_en!r}")
    # kofu rules and kofu validate refuse the same data the same way
    rc, _, err2 = k.run("rules", "--rules", d)
    check(rc == 4 and err2 == "".join(l + "\n" for l in lines_ja), f"{name}: kofu rules exits 4 alike")
    rc, _, _ = k.run("validate", "--rules", d, base)
    check(rc == 4, f"{name}: kofu validate exits 4")


def section_line(p, name):
    return line_of(p, f"[{name}]")


def test_broken(k, tmp):
    src = "source = seed 004 l.89-92 (R4.5.10 過疎対策室資料 (３)交付対象経費の上限額 1,500万円)\n"

    def no_source(p):
        edit(p, src, "")
        return section_line(p, "cap_base.2021")
    broken(k, tmp, "no-source", no_source,
           lambda p, n: [f"{p}: [cap_base.2021] source: 必須のキーがありません（{n}行目）"],
           lambda p, n: [f"{p}: [cap_base.2021] source: required key is missing or empty (line {n})"])

    def empty_source(p):
        edit(p, src, "source =\n")
        return line_of(p, "source =")
    broken(k, tmp, "empty-source", empty_source,
           lambda p, n: [f"{p}: [cap_base.2021] source: 必須のキーがありません（{n}行目）"])

    def unknown_param(p):
        edit(p, "[add_ict]\n", "[add_itc]\n")
        return section_line(p, "add_itc")
    broken(k, tmp, "unknown-param", unknown_param,
           lambda p, n: [f"{p}: [add_itc] network には add_itc というパラメータはありません（add_ict の誤りでは？）（{n}行目）",
                         f"{p}: [add_ict] パラメータ add_ict の定義（[add_ict] と少なくとも一つの [add_ict.年度]）がありません"],
           lambda p, n: [f"{p}: [add_itc] measure network has no parameter add_itc; did you mean add_ict? (line {n})",
                         f"{p}: [add_ict] parameter add_ict is missing (needs [add_ict] and at least one [add_ict.<fiscal year>])"])

    def bad_status(p):
        edit(p, "[cap_base.2021]\nvalue = 15000000\nstatus = confirmed\n",
             "[cap_base.2021]\nvalue = 15000000\nstatus = certain\n")
        return line_of(p, "status = certain")
    broken(k, tmp, "bad-status", bad_status,
           lambda p, n: [f"{p}: [cap_base.2021] status: status は confirmed か provisional です: certain（{n}行目）"],
           lambda p, n: [f"{p}: [cap_base.2021] status: status must be confirmed or provisional: certain (line {n})"])

    def dup_year(p):
        # the same fiscal year under two spellings: 2021 and R3
        with open(p, encoding="utf-8") as f:
            text = f.read()
        block = re.search(r"\[add_ict\.2021\]\n(?:[^\[\n][^\n]*\n|\n)*", text).group(0)
        with open(p, "a", encoding="utf-8") as f:
            f.write("\n" + block.replace("[add_ict.2021]", "[add_ict.R3]"))
        return section_line(p, "add_ict.R3")
    broken(k, tmp, "dup-year", dup_year,
           lambda p, n: [f"{p}: [add_ict.R3] 同じ年度の値が二つあります（{n}行目）"],
           lambda p, n: [f"{p}: [add_ict.R3] two values for the same fiscal year (line {n})"])

    def missing_param(p):
        with open(p, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"\[add_both\](?:\n(?!\[(?!add_both)).*)*", "", text)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    broken(k, tmp, "missing-param", missing_param,
           lambda p, n: [f"{p}: [add_both] パラメータ add_both の定義（[add_both] と少なくとも一つの [add_both.年度]）がありません"],
           lambda p, n: [f"{p}: [add_both] parameter add_both is missing (needs [add_both] and at least one [add_both.<fiscal year>])"])

    def bad_value(p):
        edit(p, "value = 15000000\n", "value = 15,000,000 yen\n")
        return line_of(p, "value = 15,000,000 yen")
    broken(k, tmp, "bad-value", bad_value,
           lambda p, n: [f"{p}: [cap_base.2021] value: 数値ではありません: 15,000,000 yen（{n}行目）"],
           lambda p, n: [f"{p}: [cap_base.2021] value: not an exact number: 15,000,000 yen (line {n})"])

    def unknown_key(p):
        edit(p, "value = 15000000\n", "value = 15000000\nvaule = 1\n")
        return line_of(p, "vaule = 1")
    broken(k, tmp, "unknown-key", unknown_key,
           lambda p, n: [f"{p}: [cap_base.2021] vaule: 不明なキーです（value の誤りでは？）（{n}行目）"],
           lambda p, n: [f"{p}: [cap_base.2021] vaule: unknown key; did you mean value? (line {n})"])

    def bad_year(p):
        edit(p, "[add_ict.2021]\n", "[add_ict.next]\n")
        return section_line(p, "add_ict.next")
    broken(k, tmp, "bad-year", bad_year,
           lambda p, n: [f"{p}: [add_ict.next] セクション名の後半は年度です（例: add_ict.2021）（{n}行目）"])

    def missing_file(p):
        os.remove(p)
        return 0
    broken(k, tmp, "missing-file", missing_file,
           lambda p, n: [f"{p}: ファイルを開けません: ファイルもディレクトリもありません"],
           lambda p, n: [f"{p}: cannot open the file: no such file or directory"])

    rc, out, err = k.run("calc", "--rules", os.path.join(tmp, "nowhere"), case(k.root, "base-r4.ini"))
    check(rc == 4 and err == f"{os.path.join(tmp, 'nowhere')}: ルールデータのディレクトリではありません\n",
          f"--rules on a missing directory: exit 4, got {rc} {err!r}")


def test_broken_table(k, tmp):
    """Table parameters (the fiscal-capacity factor): malformed points, x not increasing."""
    d = export(k, tmp, "table")
    p = os.path.join(d, "fiscal_capacity.params")
    if not os.path.exists(p):
        print("skip: no table parameter in the rule data")
        return
    base = case(k.root, "base-r4.ini")
    for name, old, new, ja in (
            ("malformed points", "points = 0.5:1, 0.8:0.5\n", "points = 0.5:1, 0.8\n",
             "点の書式が不正です（x:y をコンマ区切りで）: 0.8"),
            ("x not increasing", "points = 0.5:1, 0.8:0.5\n", "points = 0.8:1, 0.5:0.5\n",
             "x は厳密に増加しなければなりません: 0.5:0.5"),
            ("bad interpolation", "interpolation = linear\n", "interpolation = cubic\n",
             "補間方法は linear か step です: cubic"),
            ("bad rounding", "round = half_up_0.01\n", "round = half_even\n",
             "端数処理が不明です: half_even")):
        shutil.rmtree(d)
        export(k, tmp, "table")
        edit(p, old, new)
        n = line_of(p, new.rstrip("\n"))
        key = new.split(" =")[0]
        rc, out, err = k.run("calc", "--rules", d, base)
        want = f"{p}: [factor_municipality.2022] {key}: {ja}（{n}行目）\n"
        check(rc == 4 and err == want, f"{name}: exit 4 and\n  want {want!r}\n  got  {err!r} ({rc})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", default=".")
    a = ap.parse_args()
    k = Kofu(os.path.abspath(a.kofu), os.path.abspath(a.root))
    tests = [test_export_files, test_override_calc, test_provisional_override, test_broken,
             test_broken_table]
    for t in tests:
        with tempfile.TemporaryDirectory() as tmp:
            before = len(FAILURES)
            try:
                t(k, tmp)
            except Exception as e:  # a crash in a test is a failure, not an abort
                check(False, f"{t.__name__}: {type(e).__name__}: {e}")
            print(f"{'ok  ' if len(FAILURES) == before else 'FAIL'} {t.__name__}")
    print(f"{len(FAILURES)} failures")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
