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
    with open(os.path.join(k.root, "rules", "sources.params"), encoding="utf-8") as f:
        want = f.read()
    with open(os.path.join(d, "sources.params"), encoding="utf-8") as f:
        check(f.read() == want, "exported sources.params is the built-in bibliography byte for byte")
    rc, out, err = k.run("rules", "--rules", d, "--format", "json")
    rc0, out0, _ = k.run("rules", "--format", "json")

    def without_file(listing):
        return [{k2: v for k2, v in p.items() if k2 != "file"} for p in json.loads(listing)]
    check(rc == 0 and without_file(out) == without_file(out0) and err == "",
          "an unedited export lists exactly the built-in rules")
    check(all(p["file"].startswith(d + "/") for p in json.loads(out)),
          "the listing names the files read from the directory")
    rc, out, err = k.run("rules", "--sources", "--rules", d, "--format", "json")
    rc0, out0, _ = k.run("rules", "--sources", "--format", "json")
    check(rc == 0 and out == out0 and err == "", "an unedited export has the built-in bibliography")
    # an unedited export raises no rules_edited
    rc, out, err = k.run("calc", "--rules", d, "--format", "json", case(k.root, "base-r4.ini"))
    check(rc == 0 and json.loads(out)["warnings"] == [], f"unedited export: no warning, got {out[-300:]}")


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
    src = "source = soumu_kaso_nw_r4\n"

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

    def unknown_source(p):
        edit(p, src, "source = soumu_kaso_nw_r5\n")
        return line_of(p, "source = soumu_kaso_nw_r5")
    broken(k, tmp, "unknown-source", unknown_source,
           lambda p, n: [f"{p}: [cap_base.2021] source: 出典 soumu_kaso_nw_r5 は文献一覧"
                         f"（{os.path.dirname(p)}/sources.params）にありません（{n}行目）"],
           lambda p, n: [f"{p}: [cap_base.2021] source: source soumu_kaso_nw_r5 is not in the "
                         f"bibliography ({os.path.dirname(p)}/sources.params) (line {n})"])

    def provisional_without_kofu(p):
        edit(p, "source_4 = kofu_interp\nlocator_4 = 集落ネットワーク圏の上限額（令和2年度まで）\n", "")
        return line_of(p, "status = provisional")
    broken(k, tmp, "provisional-without-kofu", provisional_without_kofu,
           lambda p, n: [f"{p}: [cap_base.2015] status: 暫定値は kofu の解釈（kind = kofu の出典）を引用し、"
                         f"選んだ読み方の説明を示してください（{n}行目）"],
           lambda p, n: [f"{p}: [cap_base.2015] status: a provisional value must cite kofu's own "
                         f"interpretation (a source of kind kofu) that explains the reading chosen (line {n})"])

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


# ---- the bibliography --------------------------------------------------------

def broken_file(k, tmp, name, file, mutate, want_ja, want_en):
    """Like broken(), for an edit of any rule file (the bibliography included)."""
    d = export(k, tmp, name)
    p = os.path.join(d, file)
    n = mutate(p)
    base = case(k.root, "base-r4.ini")
    for lang, want in (("ja", want_ja), ("en", want_en)):
        rc, out, err = k.run("--lang", lang, "calc", "--rules", d, base)
        lines = want(p, n)
        check(rc == 4 and out == "" and err == "".join(l + "\n" for l in lines),
              f"{name} ({lang}): exit 4 (got {rc})\n  got  {err!r}\n  want {lines!r}")
    rc, _, _ = k.run("rules", "--sources", "--rules", d)
    check(rc == 4, f"{name}: kofu rules --sources exits 4")


def test_broken_sources(k, tmp):
    def drop(key_line, section):
        def mutate(p):
            with open(p, encoding="utf-8") as f:
                text = f.read()
            head = text.index(f"[{section}]\n")
            at = text.index(key_line, head)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text[:at] + text[at + len(key_line):])
            return line_of(p, f"[{section}]")
        return mutate

    for key, ja, en in (
            ("number = 昭和51年自治省令第35号\n",
             "number: 法令には番号（number、例: 昭和51年自治省令第35号）が必要です",
             "number: a statute needs its number (number, e.g. 昭和51年自治省令第35号)"),
            ("as_of = 2025-03-19\n",
             "as_of: 法令には依拠した版（as_of、改正の施行日）が必要です",
             "as_of: a statute needs the version relied on (as_of, the date of the amendment in force)")):
        broken_file(k, tmp, "statute-" + key.split(" ")[0], "sources.params",
                    drop(key, "source.tokko_shorei"),
                    lambda p, n, ja=ja: [f"{p}: [source.tokko_shorei] {ja}（{n}行目）"],
                    lambda p, n, en=en: [f"{p}: [source.tokko_shorei] {en} (line {n})"])
    for key, ja, en in (
            ("issuer = 兵庫県\n", "issuer: 発行者（issuer）がありません", "issuer: the issuer is missing"),
            ("title = 特定地域づくり事業協同組合制度\n", "title: 題名（title）がありません",
             "title: the title is missing"),
            ("date = 2025-04-14\n", "date: 日付（date）がありません", "date: the date is missing")):
        broken_file(k, tmp, "document-" + key.split(" ")[0], "sources.params",
                    drop(key, "source.hyogo_coop_2025"),
                    lambda p, n, ja=ja: [f"{p}: [source.hyogo_coop_2025] {ja}（{n}行目）"],
                    lambda p, n, en=en: [f"{p}: [source.hyogo_coop_2025] {en} (line {n})"])

    def unknown_kind(p):
        edit(p, "kind = 二次資料\n", "kind = 新聞\n")
        return line_of(p, "kind = 新聞")
    broken_file(k, tmp, "unknown-kind", "sources.params", unknown_kind,
                lambda p, n: [f"{p}: [source.hyogo_coop_2025] kind: 出典の種類が不明です: 新聞"
                              f"（法律, 省令, 告示, 通知, 要綱, 説明資料, 二次資料, kofu）（{n}行目）"],
                lambda p, n: [f"{p}: [source.hyogo_coop_2025] kind: unknown kind of source: 新聞 "
                              f"(expected 法律, 省令, 告示, 通知, 要綱, 説明資料, 二次資料, kofu) (line {n})"])

    # a statute cited without its article
    def no_article(p):
        edit(p, "locator = 第五条第一項第三号イ（市町村、三月分。十二月分は第二条）\n", "")
        return line_of(p, "source = tokko_shorei")
    broken_file(k, tmp, "statute-no-article", "fiscal_capacity.params", no_article,
                lambda p, n: [f"{p}: [factor_municipality.2022] source: 法令 tokko_shorei の引用には"
                              f"条項（locator）が必要です（{n}行目）"],
                lambda p, n: [f"{p}: [factor_municipality.2022] source: a citation of the statute "
                              f"tokko_shorei needs its article (locator) (line {n})"])

    # a source the formulas cite, removed from the bibliography
    def drop_record(p):
        with open(p, encoding="utf-8") as f:
            text = f.read()
        text = re.sub(r"\[source\.mima_coop_yoko\](?:\n(?!\[).*)*", "", text)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    broken_file(k, tmp, "formula-source-missing", "sources.params", drop_record,
                lambda p, n: [f"{p}: 出典 mima_coop_yoko がありません（cooperative の計算式が引用しています）"],
                lambda p, n: [f"{p}: source mima_coop_yoko is missing (the formula of cooperative cites it)"])


# ---- what a result says about edited rules -----------------------------------

def test_edited_trace(k, tmp):
    """An edited rule directory: the trace names the file read and quotes its own
    source text; rules_edited names the changed parameter with both values."""
    d = export(k, tmp, "edited")
    p = os.path.join(d, "network.params")
    edit(p, "[cap_base.2021]\nvalue = 15000000\n", "[cap_base.2021]\nvalue = 16000000\n")
    edit(p, "locator = （３）交付対象経費の上限額\nquote = 1,500万円\n",
         "locator = 町の試算（令和4年度補正予算案）\nquote = 1,600万円で試算\n")
    base = case(k.root, "base-r4.ini")
    rc, out, err = k.run("calc", "--trace", "--rules", d, base)
    check(rc == 0 and err == "", f"edited: exit 0 ({rc}, {err})")
    want_step = (
        "    network[].cap_base = 16,000,000\n"
        f"        計算: {p} [cap_base.2021]（R3〜、交付対象経費の上限額（基本）、円）\n"
        "        根拠: 総務省 地域力創造グループ 過疎対策室「過疎地域等集落ネットワーク圏形成支援事業について」"
        "(令和4年5月10日) 町の試算（令和4年度補正予算案）「1,600万円で試算」／北海道 総合政策部 地域創生局 "
        "地域政策課「支援事業一覧 No.3-5（令和4年度版）」(令和4年)［二次資料］ 集落ネットワーク圏"
        "「1,500万円以内(定額補助)」\n")
    check(want_step in out, f"edited: the trace names {p} and its own source text\n{out}")
    want_warn = (f"  ・[rules_edited] {d} のルールデータは組み込みの値と異なります: "
                 "network.cap_base（R3〜）: 15000000 → 16000000。結果はこの値によるもので、"
                 "組み込みのルールデータによる結果とは異なります\n")
    check(want_warn in out, f"edited: rules_edited warning\n  want {want_warn!r}\n  got  {out[-400:]!r}")
    rc, out, _ = k.run("calc", "--rules", d, "--format", "json", base)
    res = json.loads(out)
    step = [t for t in res["trace"] if t["step"] == "network[].cap_base"][0]
    check(step["source_id"] == "soumu_kaso_nw_r4" and step["locator"] == "町の試算（令和4年度補正予算案）"
          and step["quote"] == "1,600万円で試算" and step["rule"].startswith(p + " "),
          f"edited: JSON step {step}")
    check([w["code"] for w in res["warnings"]] == ["rules_edited"], f"edited: warnings {res['warnings']}")
    rc, out, _ = k.run("--lang", "en", "calc", "--rules", d, base)
    want_en = (f"  ・[rules_edited] the rule data in {d} differ from the built-in values: "
               "network.cap_base (R3 on): 15000000 → 16000000; the results follow these values, "
               "not the built-in ones\n")
    check(want_en in out, f"edited (en): {out[-400:]!r}")
    # a value edited under the built-in citation: the warning says the citation was kept
    d2 = export(k, tmp, "value-only")
    edit(os.path.join(d2, "network.params"), "[cap_base.2021]\nvalue = 15000000\n",
         "[cap_base.2021]\nvalue = 16000000\n")
    rc, out, _ = k.run("calc", "--rules", d2, base)
    check("network.cap_base（R3〜）: 15000000 → 16000000（出典の記載は組み込みのまま）。" in out,
          f"value-only edit: the warning says the citation is the built-in one\n{out[-400:]}")


def test_edited_rates_in_text(k, tmp):
    """The cooperative's report, warnings and findings quote the rates of the
    rule data in force, never a restated 1/2 or 8割: edited, they follow."""
    d = export(k, tmp, "rates")
    p = os.path.join(d, "cooperative.params")
    edit(p, "[single_employer_limit.2020]\nvalue = 0.8\n", "[single_employer_limit.2020]\nvalue = 0.75\n")
    edit(p, "[national_rate.2020]\nvalue = 1/2\n", "[national_rate.2020]\nvalue = 2/5\n")
    founders = os.path.join(k.root, "examples", "cooperative-founders.ini")
    rc, out, err = k.run("calc", "--trace", "--rules", d, founders)
    check(rc == 0, f"rates: exit 0 ({rc}, {err})")
    for want in ("助成の 40%、千円未満切捨て", "負担の 1/2、千円未満四捨五入",
                 "派遣先の偏り（一の事業者は派遣労働時間の 75% 以内）",
                 "1,500 時間の 86.66…% で、75% を超えています"):
        check(want in out, f"rates: the report says {want!r}")
    check("助成の 1/2" not in out and "80% 以内" not in out, "rates: no built-in rate restated")
    rc, out, err = k.run("--lang", "en", "calc", "--trace", "--rules", d, founders)
    for want in ("40% of the subsidy, floored to 1,000 yen",
                 "one business takes at most 75% of a worker's dispatched hours",
                 "(86.66…%) went to one business, above the 75% limit"):
        check(want in out, f"rates (en): the report says {want!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", default=".")
    a = ap.parse_args()
    k = Kofu(os.path.abspath(a.kofu), os.path.abspath(a.root))
    tests = [test_export_files, test_override_calc, test_provisional_override, test_broken,
             test_broken_table, test_edited_trace, test_broken_sources, test_edited_rates_in_text]
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
