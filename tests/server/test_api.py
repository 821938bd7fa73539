#!/usr/bin/env python3
"""The JSON API of `kofu serve`: every endpoint, every error, the security
checks. Answers are compared with the kofu command on the same cases.

    tests/server/test_api.py --kofu build/kofu --root .
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serving import Server  # noqa: E402

KOFU = ROOT = None
S = None  # the server shared by the tests of this module

BAD_INI = "[case]\nid = bad\nfiscal_year = R4\n\n[network]\neligble_cost = 1,000,000\n"
FOUNDERS_JSON = {
    "case": {"id": "founders", "fiscal_year": "R4", "name": "〇〇町"},
    "cooperative": {"secretariat_cost": "4,000,000", "usage_fee_income": 12000000, "utilization": "70%"},
    "cooperative.worker.a": {"personnel_cost": 3600000},
    "cooperative.worker.b": {"personnel_cost": "1,700,000", "months": 6},
}
FOUNDERS_INI = """[case]
id = founders
fiscal_year = R4
name = 〇〇町
[cooperative]
secretariat_cost = 4,000,000
usage_fee_income = 12000000
utilization = 70%
[cooperative.worker.a]
personnel_cost = 3600000
[cooperative.worker.b]
personnel_cost = 1,700,000
months = 6
"""
INI = {"Content-Type": "text/plain; charset=utf-8"}
JSON = {"Content-Type": "application/json"}


def kofu(*args, cwd=None):
    return subprocess.run([KOFU, *args], capture_output=True, text=True, cwd=cwd)


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def without_meta(d):
    d = dict(d)
    d.pop("meta", None)
    return d


def cli_diagnostics(ini_text, lang):
    """What `kofu calc` prints on stderr for the case saved as case.ini."""
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "case.ini"), "w", encoding="utf-8") as f:
            f.write(ini_text)
        p = kofu("calc", "--lang", lang, "case.ini", cwd=d)
    assert p.returncode == 3, p
    return p.stderr.splitlines()


class Pages(unittest.TestCase):
    def test_page_and_security_headers(self):
        status, h, body = S.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertEqual(h["content-type"], "text/html; charset=utf-8")
        csp = h["content-security-policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertIn("default-src 'none'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("unsafe-eval", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertEqual(h["x-content-type-options"], "nosniff")
        self.assertEqual(h["x-frame-options"], "DENY")
        self.assertTrue(h["x-kofu-version"])
        html = body.decode()
        # no inline script or style for the CSP to forbid: every <script> has a src
        import re
        for tag in re.findall(r"<script[^>]*>", html):
            self.assertIn(" src=", tag)
        self.assertNotRegex(html, r"\son[a-z]+=")
        self.assertNotRegex(html, r"\sstyle=")
        self.assertNotIn("<style", html)

    def test_assets(self):
        for path, ctype in [("/app.js", "text/javascript"), ("/app.css", "text/css"),
                            ("/chart.js", "text/javascript"), ("/index.html", "text/html")]:
            status, h, body = S.request("GET", path)
            self.assertEqual(status, 200, path)
            self.assertTrue(h["content-type"].startswith(ctype), path)
            self.assertGreater(len(body), 10)
        # Chart.js is Debian's file, embedded as it is
        _, _, body = S.request("GET", "/chart.js")
        debian = [os.path.join("/usr/share/javascript/chart.js", n) for n in ("chart.umd.js", "chart.min.js")]
        found = []
        for p in debian:
            if os.path.exists(p):
                with open(p, "rb") as f:
                    found.append(f.read())
        self.assertIn(body, found)

    def test_head(self):
        status, h, body = S.request("HEAD", "/api/v1/schema")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"")

    def test_no_file_can_be_named(self):
        for path in ["/etc/passwd", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                     "/web/index.html", "/server/web/app.js", "//etc/passwd", "/app.js/../../x",
                     "/api/v1/../../../../etc/passwd", "/README.md", "/CMakeLists.txt"]:
            status, h, data = S.request("GET", path)
            self.assertEqual(status, 404, path)
            self.assertNotIn(b"root:", data)
        status, _, d = S.json("GET", "/api/v1/calculate")
        self.assertEqual(status, 405)
        # a display name is only a label: a path is refused
        status, _, d = S.json("POST", "/api/v1/calculate?name=../../etc/passwd", read("examples/network-ict.ini"), INI)
        self.assertEqual(status, 400)
        self.assertEqual(d["error"]["code"], "bad_request")

    def test_openapi(self):
        status, h, d = S.json("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        self.assertTrue(d["openapi"].startswith("3."))
        for p in ["/api/v1/calculate", "/api/v1/check", "/api/v1/sweep", "/api/v1/rules",
                  "/api/v1/sources", "/api/v1/schema", "/api/v1/openapi.json", "/api/v1/table"]:
            self.assertIn(p, d["paths"])


class Listings(unittest.TestCase):
    def test_schema(self):
        status, h, d = S.json("GET", "/api/v1/schema")
        self.assertEqual(status, 200)
        self.assertEqual(d["format"], "kofu-schema/1")
        secs = {s["section"]: s for s in d["sections"]}
        self.assertEqual(secs["case"]["ids"], "none")
        self.assertEqual(secs["cooperative.worker"]["ids"], "required")
        self.assertEqual(secs["network"]["ids"], "optional")
        self.assertEqual(secs["cooperative.worker"]["label_ja"], "派遣職員")
        # every key of `kofu help case` is there, with both labels
        n_keys = sum(len(s["keys"]) for s in d["sections"])
        help_en = kofu("help", "case", "--lang", "en").stdout
        for s in d["sections"]:
            for k in s["keys"]:
                self.assertTrue(k["label_ja"] and k["label_en"], k)
                self.assertIn(k["label_en"], help_en)
        self.assertGreater(n_keys, 40)
        amounts = [k for s in d["sections"] for k in s["keys"] if k["type"] == "amount"]
        self.assertTrue(all(k["unit_ja"] == "円" for k in amounts))
        self.assertIn("measures.network.grant", [o["path"] for o in d["headlines"]])
        self.assertIn({"measure": "cooperative", "name": "break_even_hourly_fee"},
                      [{"measure": o["measure"], "name": o["name"]} for o in d["outputs"]])
        self.assertIn("kofu_version", d["meta"])

    def test_rules(self):
        status, h, d = S.json("GET", "/api/v1/rules?fy=R7")
        self.assertEqual(status, 200)
        cli = json.loads(kofu("rules", "--fy", "R7", "--format", "json").stdout)
        self.assertEqual(d["parameters"], cli)
        self.assertEqual(d["fiscal_year"], 2025)
        status, h, en = S.json("GET", "/api/v1/rules?fy=2025", headers={"Accept-Language": "en-US,en;q=0.9"})
        cli_en = json.loads(kofu("rules", "--fy", "2025", "--format", "json", "--lang", "en").stdout)
        self.assertEqual(en["parameters"], cli_en)
        status, h, d = S.json("GET", "/api/v1/rules")
        self.assertEqual(status, 200)
        self.assertGreaterEqual(len(d["parameters"]), len(cli))
        status, h, d = S.json("GET", "/api/v1/rules?fy=someday")
        self.assertEqual(status, 400)

    def test_sources(self):
        status, h, d = S.json("GET", "/api/v1/sources")
        self.assertEqual(status, 200)
        cli = json.loads(kofu("rules", "--sources", "--format", "json").stdout)
        self.assertEqual([{k: v for k, v in s.items() if k != "parameters"} for s in d["sources"]], cli)
        _, _, rules = S.json("GET", "/api/v1/rules")
        by_id = {s["id"]: s["parameters"] for s in d["sources"]}
        for p in rules["parameters"]:
            self.assertIn(p["measure"] + "." + p["name"], by_id[p["source_id"]])
        _, _, en = S.json("GET", "/api/v1/sources?lang=en")
        cli_en = json.loads(kofu("rules", "--sources", "--format", "json", "--lang", "en").stdout)
        self.assertEqual([{k: v for k, v in s.items() if k != "parameters"} for s in en["sources"]], cli_en)


class Calculate(unittest.TestCase):
    def test_examples_same_as_calc(self):
        for name in sorted(os.listdir(os.path.join(ROOT, "examples"))):
            if not name.endswith(".ini"):
                continue
            path = os.path.join("examples", name)
            status, h, d = S.json("POST", "/api/v1/calculate?name=" + name, read(path), INI)
            self.assertEqual(status, 200, name)
            with tempfile.TemporaryDirectory() as tmp:
                with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                    f.write(read(path))
                cli = json.loads(kofu("calc", "--format", "json", name, cwd=tmp).stdout)
            self.assertEqual(without_meta(d), without_meta(cli), name)
            self.assertIn("meta", d)
            self.assertEqual(d["meta"]["kofu_version"], h["x-kofu-version"])
            self.assertEqual(d["meta"]["rules"], cli["meta"]["rules"])
            self.assertEqual(d["meta"]["rules"]["sha256"], h["x-kofu-rules-digest"])
            self.assertTrue(d["meta"]["computed_at"])

    def test_json_case_same_as_ini(self):
        s1, _, a = S.json("POST", "/api/v1/calculate", json.dumps(FOUNDERS_JSON), JSON)
        s2, _, b = S.json("POST", "/api/v1/calculate", FOUNDERS_INI, INI)
        self.assertEqual((s1, s2), (200, 200))
        strip = lambda d: [dict(t, source=None) for t in d["trace"]]  # sources name the file
        self.assertEqual(a["measures"], b["measures"])
        self.assertEqual(a["totals"], b["totals"])
        self.assertEqual(len(strip(a)), len(strip(b)))

    def test_english(self):
        _, _, ja = S.json("POST", "/api/v1/calculate", FOUNDERS_INI, INI)
        _, _, en = S.json("POST", "/api/v1/calculate", FOUNDERS_INI, dict(INI, **{"Accept-Language": "en"}))
        _, _, q = S.json("POST", "/api/v1/calculate?lang=en", FOUNDERS_INI, INI)
        self.assertEqual(ja["totals"], en["totals"])
        self.assertNotEqual(ja["warnings"], en["warnings"])
        self.assertEqual(en["warnings"], q["warnings"])

    def test_invalid_case_422_like_cli(self):
        for lang, headers in [("ja", {}), ("en", {"Accept-Language": "en-GB, ja;q=0.5"}),
                              ("ja", {"Accept-Language": "fr, ja;q=0.8, en;q=0.3"})]:
            status, h, d = S.json("POST", "/api/v1/calculate", BAD_INI, dict(INI, **headers))
            self.assertEqual(status, 422)
            self.assertEqual(d["error"]["code"], "invalid_case")
            texts = [x["text"] for x in d["error"]["diagnostics"]]
            self.assertEqual(texts, cli_diagnostics(BAD_INI, lang), lang)
            first = d["error"]["diagnostics"][0]
            self.assertEqual((first["file"], first["section"], first["key"], first["line"]),
                             ("case.ini", "network", "eligble_cost", 6))
            self.assertIn("meta", d)

    def test_invalid_json_case_422_without_lines(self):
        bad = {"case": {"id": "bad", "fiscal_year": "R4"}, "network": {"eligble_cost": 1000000}}
        status, h, d = S.json("POST", "/api/v1/calculate", json.dumps(bad), JSON)
        self.assertEqual(status, 422)
        first = d["error"]["diagnostics"][0]
        self.assertEqual((first["file"], first["section"], first["key"], first["line"]),
                         ("case.json", "network", "eligble_cost", None))
        self.assertTrue(first["text"].startswith("case.json: [network] eligble_cost: "))
        self.assertIn("eligible_cost", first["message"])

    def test_malformed_400(self):
        cases = [
            ("{\"case\": ", JSON),                       # broken JSON
            ("[1, 2]", JSON),                            # not an object
            ('{"case": {"id": "a", "fiscal_year": "R4"}, "network": {"eligible_cost": 1.5}}', JSON),
            ('{"case": {"id": "a\\nb"}}', JSON),         # a line break in a value
            ('{"case": {"id": "a"}, "net]work": {}}', JSON),
            ('{"case": {"id": "a"}} trailing', JSON),
            ("", INI),                                   # empty body
        ]
        for body, headers in cases:
            status, h, d = S.json("POST", "/api/v1/calculate", body, headers)
            self.assertEqual(status, 400, body)
            self.assertEqual(d["error"]["code"], "bad_request")
            self.assertTrue(d["error"]["message"])
        status, _, d = S.json("POST", "/api/v1/calculate?lang=fr", FOUNDERS_INI, INI)
        self.assertEqual(status, 400)
        status, _, d = S.json("POST", "/api/v1/calculate", FOUNDERS_INI, {"Content-Type": "application/xml"})
        self.assertEqual(status, 415)
        # a fractional JSON number is refused in English too, with the reason
        status, _, d = S.json("POST", "/api/v1/calculate",
                              '{"case": {"id": "a", "fiscal_year": "R4"}, "cooperative": {"utilization": 0.7}}',
                              dict(JSON, **{"Accept-Language": "en"}))
        self.assertEqual(status, 400)
        self.assertIn("as strings", d["error"]["message"])

    def test_binary_garbage_never_crashes(self):
        for body in [b"\x00\xff\xfe" * 100, b"[case]\n" + b"\xc3" * 50, b"{" * 5000, b"[" * 100000]:
            for headers in (INI, JSON):
                status, h, data = S.request("POST", "/api/v1/calculate", body, headers)
                self.assertIn(status, (400, 422))
        status, _, _ = S.request("GET", "/api/v1/schema")
        self.assertEqual(status, 200)


class Downloads(unittest.TestCase):
    def test_csv_same_as_calc(self):
        ini = read("examples/cooperative-founders.ini")
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "founders.ini"), "w", encoding="utf-8") as f:
                f.write(ini)
            for query, args in [("", []), ("&header=keys&rows=items&encoding=utf-8", ["--header", "keys", "--rows", "items", "--encoding", "utf-8"]),
                                ("&encoding=cp932", ["--encoding", "cp932"])]:
                status, h, body = S.request("POST", "/api/v1/calculate?format=csv&name=founders.ini" + query, ini, INI)
                self.assertEqual(status, 200, query)
                self.assertTrue(h["content-type"].startswith("text/csv"))
                self.assertEqual(h["content-disposition"], 'attachment; filename="founders-r4.csv"')
                cli = subprocess.run([KOFU, "calc", "--format", "csv", *args, "founders.ini"], cwd=tmp, capture_output=True)
                # the meta columns carry the time of computing: compare the rest
                strip = lambda b: [line.rsplit(b",", 4)[0] if b"T" in line else line for line in b.split(b"\r\n")]
                self.assertEqual(strip(body), strip(cli.stdout), query)
        status, h, d = S.json("POST", "/api/v1/calculate?format=csv&encoding=latin1", ini, INI)
        self.assertEqual(status, 400)
        status, h, d = S.json("POST", "/api/v1/calculate?format=pdf", ini, INI)
        self.assertEqual(status, 400)
        # a character CP932 cannot hold: 422 naming it
        status, h, d = S.json("POST", "/api/v1/calculate?format=csv&encoding=cp932",
                              ini.replace("name = 〇〇町", "name = 𠮷野町"), INI)
        self.assertEqual(status, 422)
        self.assertIn("𠮷", d["error"]["message"])

    def test_xlsx(self):
        import io
        import zipfile
        ini = read("examples/cooperative-founders.ini")
        status, h, body = S.request("POST", "/api/v1/calculate?format=xlsx", ini, INI)
        self.assertEqual(status, 200)
        self.assertEqual(h["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(h["content-disposition"], 'attachment; filename="founders-r4.xlsx"')
        z = zipfile.ZipFile(io.BytesIO(body))
        self.assertIn("xl/workbook.xml", z.namelist())
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
        _, _, res = S.json("POST", "/api/v1/calculate", ini, INI)
        self.assertIn(">%d<" % res["totals"]["national_grant"], sheets)


    def test_xlsx_without_libxlsxwriter(self):
        """libxlsxwriter is opened on the first workbook: when the loader finds a
        broken file of its name, the answer is a 500 naming it and its package,
        and the server goes on computing."""
        with tempfile.TemporaryDirectory() as lib:
            open(os.path.join(lib, "libxlsxwriter.so.4"), "wb").close()
            env = dict(os.environ, LD_LIBRARY_PATH=lib)
            ini = read("examples/cooperative-founders.ini")
            with Server(KOFU, env=env) as s:
                for lang, words in (("ja", "を読み込めません"), ("en", "cannot be loaded")):
                    status, h, d = s.json("POST", "/api/v1/calculate?format=xlsx&lang=" + lang, ini, INI)
                    self.assertEqual(status, 500)
                    self.assertIn("libxlsxwriter.so.4", d["error"]["message"])
                    self.assertIn(words, d["error"]["message"])
                    self.assertIn("apt-get install --reinstall libxlsxwriter4", d["error"]["message"])
                self.assertEqual(s.json("POST", "/api/v1/calculate", ini, INI)[0], 200)
            self.assertEqual(s.rc, 0)


class Check(unittest.TestCase):
    def test_claims(self):
        ini = read("examples/network-ict.ini") + "\n[claim]\nnetwork.grant = 19,288,000\ntotals.national_grant = 20,000,000\n"
        status, h, d = S.json("POST", "/api/v1/check", ini, INI)
        self.assertEqual(status, 200)
        self.assertEqual(d["count"], 2)
        self.assertEqual(d["mismatched"], 1)
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "case.ini"), "w", encoding="utf-8") as f:
                f.write(ini)
            p = kofu("check", "--format", "json", "case.ini", cwd=tmp)
        self.assertEqual(p.returncode, 1)
        cli = json.loads(p.stdout)
        self.assertEqual(cli["mismatched"], d["mismatched"])
        self.assertEqual([(c["key"], c["claimed"], c.get("computed"), c.get("difference")) for c in cli["claims"]],
                         [(c["key"], c["claimed"], c.get("computed"), c.get("difference")) for c in d["claims"]])
        status, _, d = S.json("POST", "/api/v1/check", BAD_INI, INI)
        self.assertEqual(status, 422)
        # JSON only: another format is refused, not answered as JSON
        for lang, msg in (("ja", "check の format は json だけです"), ("en", "a check's format is json only")):
            status, _, d = S.json("POST", "/api/v1/check?format=csv&lang=" + lang, ini, INI)
            self.assertEqual((status, d["error"]["message"]), (400, msg))
        self.assertEqual(S.json("POST", "/api/v1/check?format=json", ini, INI)[0], 200)


class Sweep(unittest.TestCase):
    def cli_sweep(self, ini, vary):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "case.ini"), "w", encoding="utf-8") as f:
                f.write(ini)
            return json.loads(kofu("sweep", "case.ini", "--vary", vary, "--format", "json", cwd=tmp).stdout)

    def test_same_as_cli(self):
        ini = read("examples/cooperative-founders.ini")
        body = {"case": ini, "vary": {"key": "cooperative.utilization", "range": "50%:100%:5%"}}
        status, h, d = S.json("POST", "/api/v1/sweep", json.dumps(body), JSON)
        self.assertEqual(status, 200)
        cli = self.cli_sweep(ini, "cooperative.utilization=50%:100%:5%")
        self.assertEqual([c["name"] for c in d["columns"]], cli["columns"])
        self.assertEqual(d["follows"], cli.get("follows", []))  # what moves with the key
        self.assertEqual(len(d["rows"]), 11)
        for mine, theirs in zip(d["rows"], cli["rows"]):
            self.assertEqual(mine["vary"], theirs["vary"])
            for c in cli["columns"]:
                self.assertEqual(mine.get(c), theirs.get(c), c)
        units = {c["name"]: c["unit"] for c in d["columns"]}
        self.assertEqual(units["cooperative.break_even_hourly_fee"], "yen_per_hour")
        self.assertEqual(units["cooperative.national_grant"], "yen")
        # the case as JSON, and show
        body = {"case": FOUNDERS_JSON, "vary": [{"key": "cooperative.worker.b.months", "range": "1:12:1"}],
                "show": ["totals.national_grant", "cooperative.special_tax_grant"]}
        status, h, d = S.json("POST", "/api/v1/sweep", json.dumps(body), JSON)
        self.assertEqual(status, 200)
        self.assertEqual(len(d["rows"]), 12)
        self.assertEqual([c["name"] for c in d["columns"]], body["show"])

    def test_csv_same_as_cli(self):
        """?format=csv: the rows and headings of `kofu sweep --format csv` (one renderer)."""
        ini = read("examples/rmo-town-r7.ini")
        show = ["rmo_formation.special_tax_grant", "rmo_operation.special_tax_grant",
                "rmo_management.special_tax_grant"]
        body = {"case": ini, "vary": {"key": "case.fiscal_year", "range": "2024:2025:1"}, "show": show}
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "case.ini"), "w", encoding="utf-8") as f:
                f.write(ini)
            for query, args in [("", []), ("&header=keys&encoding=utf-8", ["--header", "keys", "--encoding", "utf-8"]),
                                ("&encoding=cp932&lang=en", ["--encoding", "cp932", "--lang", "en"])]:
                status, h, got = S.request("POST", "/api/v1/sweep?format=csv" + query, json.dumps(body), JSON)
                self.assertEqual(status, 200, query)
                self.assertTrue(h["content-type"].startswith("text/csv"), query)
                cli = subprocess.run([KOFU, "sweep", "case.ini", "--vary", "case.fiscal_year=2024:2025:1",
                                      "--show", ",".join(show), "--format", "csv", *args],
                                     cwd=tmp, capture_output=True)
                self.assertEqual(got, cli.stdout, query)
        # the three RMO grants read apart, in JSON labels as in the CSV headings
        status, h, d = S.json("POST", "/api/v1/sweep", json.dumps(body), JSON)
        labels = [c["label"] for c in d["columns"]]
        self.assertEqual(len(set(labels)), 3, labels)
        self.assertIn("特別交付税（地域運営組織の形成支援）", labels)
        status, h, d = S.json("POST", "/api/v1/sweep?format=xml", json.dumps(body), JSON)
        self.assertEqual(status, 400)
        status, h, d = S.json("POST", "/api/v1/sweep?format=csv&header=fr", json.dumps(body), JSON)
        self.assertEqual(status, 400)

    def test_xlsx_same_as_cli(self):
        """?format=xlsx: the bytes of `kofu sweep --format xlsx` (its table and native
        chart) under one SOURCE_DATE_EPOCH; calculate's, those of `kofu calc`."""
        import io
        import zipfile
        env = dict(os.environ, SOURCE_DATE_EPOCH="1796115600")
        ini = read("examples/cooperative-founders.ini")
        sweeps = [  # (vary items, the command's --vary arguments)
            ([{"key": "cooperative.utilization", "range": "50%:100%:10%"}],
             ["--vary", "cooperative.utilization=50%:100%:10%"]),
            ([{"key": "cooperative.utilization", "range": "60%:80%:10%"},
              {"key": "cooperative.secretariat_cost", "range": "3000000:5000000:1000000"}],
             ["--vary", "cooperative.utilization=60%:80%:10%",
              "--vary", "cooperative.secretariat_cost=3000000:5000000:1000000"]),
        ]
        with tempfile.TemporaryDirectory() as tmp, Server(KOFU, env=env) as s:
            with open(os.path.join(tmp, "case.ini"), "w", encoding="utf-8") as f:
                f.write(ini)
            for vary, args in sweeps:
                for lang in ("ja", "en"):
                    status, h, got = s.request("POST", "/api/v1/sweep?format=xlsx&lang=" + lang,
                                               json.dumps({"case": ini, "vary": vary}), JSON)
                    self.assertEqual(status, 200, (vary, lang))
                    self.assertEqual(h["content-type"],
                                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                    self.assertEqual(h["content-disposition"], 'attachment; filename="founders-r4.xlsx"')
                    out = os.path.join(tmp, "cli.xlsx")
                    p = subprocess.run([KOFU, "sweep", "case.ini", *args, "--lang", lang, "--format", "xlsx",
                                        "--output", out], cwd=tmp, env=env, capture_output=True)
                    self.assertEqual(p.returncode, 0, p.stderr)
                    with open(out, "rb") as f:
                        self.assertEqual(got, f.read(), (vary, lang))
            # the one-key sweep's workbook has its chart, with the break-even fee on a second axis
            z = zipfile.ZipFile(io.BytesIO(s.request("POST", "/api/v1/sweep?format=xlsx",
                                                     json.dumps({"case": ini, "vary": sweeps[0][0]}), JSON)[2]))
            charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
            self.assertEqual(len(charts), 1)
            self.assertIn(b"<c:lineChart>", z.read(charts[0]))
            # calculate's workbook, named as the command names the file
            status, h, got = s.request("POST", "/api/v1/calculate?format=xlsx&name=case.ini", ini, INI)
            self.assertEqual(status, 200)
            out = os.path.join(tmp, "calc.xlsx")
            subprocess.run([KOFU, "calc", "case.ini", "--format", "xlsx", "--output", out], cwd=tmp, env=env,
                           check=True)
            with open(out, "rb") as f:
                self.assertEqual(got, f.read())
        # a refused sweep is a JSON error, not a workbook
        status, h, d = S.json("POST", "/api/v1/sweep?format=xlsx",
                              json.dumps({"case": ini, "vary": {"key": "cooperative.utilization",
                                                                "range": "50%:100%:0%"}}), JSON)
        self.assertEqual(status, 422)
        self.assertTrue(h["content-type"].startswith("application/json"))
        status, h, d = S.json("POST", "/api/v1/sweep?format=pdf&lang=en",
                              json.dumps({"case": ini, "vary": sweeps[0][0][0]}), JSON)
        self.assertEqual((status, d["error"]["message"]), (400, "a sweep's format is json, csv or xlsx"))

    def test_two_keys_and_point_errors(self):
        ini = read("examples/network-ict.ini")
        body = {"case": ini, "vary": [{"key": "network.eligible_cost", "range": "0:30000000:10000000"},
                                      {"key": "network.ict", "range": "0:1:1"}]}
        status, h, d = S.json("POST", "/api/v1/sweep", json.dumps(body), JSON)
        self.assertEqual(status, 200, d)
        self.assertEqual(len(d["rows"]), 8)

    def test_errors(self):
        ini = read("examples/cooperative-founders.ini")
        bad = [
            ({"case": ini}, 400),
            ({"case": ini, "vary": {"key": "cooperative.utilization"}}, 400),
            ({"case": ini, "vary": {"key": "cooperative.utilization", "range": "1:2:1"}, "extra": 1}, 400),
            ({"case": 5, "vary": {"key": "cooperative.utilization", "range": "1:2:1"}}, 400),
            ({"case": ini, "vary": {"key": "cooperative.utilization", "range": "50%:100%:0%"}}, 422),
            ({"case": ini, "vary": {"key": "cooperative.utilization", "range": "0:10000:1"}}, 422),
            ({"case": ini, "vary": [{"key": "cooperative.utilization", "range": "0%:100%:1%"},
                                    {"key": "cooperative.secretariat_cost", "range": "0:100:1"}]}, 422),
            ({"case": ini, "vary": {"key": "cooperative.utilization", "range": "50%:60%:5%"},
              "show": ["network.grant"]}, 422),
            ({"case": BAD_INI, "vary": {"key": "network.eligible_cost", "range": "1:2:1"}}, 422),
        ]
        for body, want in bad:
            status, h, d = S.json("POST", "/api/v1/sweep", json.dumps(body), JSON)
            self.assertEqual(status, want, body.get("vary"))
            self.assertIn("error", d)
        status, h, d = S.json("POST", "/api/v1/sweep", ini, INI)
        self.assertEqual(status, 415)


class Fields(unittest.TestCase):
    """Every request field an answer repeats is checked (type, length,
    characters) before use: 400 naming the field, in Japanese or English,
    without the refused bytes; fields that pass come back as sent."""

    def post_sweep(self, body, lang="ja", raw=None):
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
        status, h, got = S.request("POST", "/api/v1/sweep?lang=" + lang, data, JSON)
        return status, json.loads(got), got

    def refused(self, body, field, raw=None, bad=None):
        for lang, words in (("ja", "を書いてください"), ("en", "write ")):
            status, d, got = self.post_sweep(body, lang, raw)
            self.assertEqual(status, 400, (field, lang, d))
            self.assertEqual(d["error"]["code"], "bad_request")
            msg = d["error"]["message"]
            self.assertTrue(msg.startswith(field + ": "), (field, msg))
            self.assertIn(words, msg)
            if bad is not None:
                self.assertNotIn(bad, got)  # the refused bytes are not repeated
                self.assertNotIn(b"\\udc", got)

    def test_vary_key(self):
        ini = read("examples/cooperative-founders.ini")
        for key in ("cooperative." + "x" * 200, "cooperative.utilization\u0007", "cooperative. utilization",
                    "協同組合.稼働率", ""):
            self.refused({"case": ini, "vary": {"key": key, "range": "1:2:1"}}, "vary[0].key")
        self.refused({"case": ini, "vary": [{"key": "cooperative.utilization", "range": "50%:60%:10%"},
                                            {"key": "x" * 129, "range": "1:2:1"}]}, "vary[1].key")
        # raw bytes that are not UTF-8, inside the JSON string
        raw = (b'{"case": ' + json.dumps(ini).encode() +
               b', "vary": {"key": "cooperative.\xff\xfe", "range": "1:2:1"}}')
        self.refused(None, "vary[0].key", raw=raw, bad=b"\xff\xfe")

    def test_vary_range(self):
        ini = read("examples/cooperative-founders.ini")
        for rng in ("50%:100%:5%" + " " * 100, "\u001b[31m50%:100%:5%", "50%:100%:5%\n", "50%\u0085:100%:5%", ""):
            self.refused({"case": ini, "vary": {"key": "cooperative.utilization", "range": rng}},
                         "vary[0].range")
        raw = (b'{"case": ' + json.dumps(ini).encode() +
               b', "vary": {"key": "cooperative.utilization", "range": "50%:\xe3\x81:5%"}}')
        self.refused(None, "vary[0].range", raw=raw, bad=b":\xe3\x81:")
        # UTF-8 units pass, and come back as sent
        body = {"case": ini, "vary": {"key": "cooperative.secretariat_cost", "range": "3000千円:5000千円:1000千円"}}
        status, d, _ = self.post_sweep(body)
        self.assertEqual(status, 200, d)
        self.assertEqual(d["vary"][0]["range"], "3000千円:5000千円:1000千円")
        self.assertEqual(d["vary"][0]["key"], "cooperative.secretariat_cost")
        # a well-formed range the library refuses: 422, the range named as sent
        body["vary"]["range"] = "5000千円:3000千円:1000千円"
        status, d, _ = self.post_sweep(body, "en")
        self.assertEqual(status, 422, d)
        self.assertEqual(d["error"]["diagnostics"][0]["key"], "5000千円:3000千円:1000千円")

    def test_show(self):
        ini = read("examples/cooperative-founders.ini")
        vary = {"key": "cooperative.utilization", "range": "50%:60%:10%"}
        for col in ("totals." + "n" * 130, "totals.national_grant\u0001", "totals.\u3000x", " totals.x"):
            self.refused({"case": ini, "vary": vary, "show": ["totals.national_grant", col]}, "show[1]")
        status, d, _ = self.post_sweep({"case": ini, "vary": vary, "show": ["network.grant"]}, "en")
        self.assertEqual(status, 422)
        self.assertEqual(d["error"]["message"], "show[0]: not an amount of this case's result: network.grant")

    def test_nul_in_json_strings(self):
        """cJSON would cut a string at \u0000 and the rest be silently lost: refused whole."""
        ini = read("examples/cooperative-founders.ini")
        for body in ({"case": ini + "\u0000[network]\neligible_cost = 1\n",
                      "vary": {"key": "cooperative.utilization", "range": "50%:60%:10%"}},):
            for lang, text in (("ja", "\\u0000（U+0000）は書けません"), ("en", "cannot hold \\u0000 (U+0000)")):
                status, d, _ = self.post_sweep(body, lang)
                self.assertEqual(status, 400)
                self.assertIn(text, d["error"]["message"])
        case = dict(FOUNDERS_JSON, case={"id": "founders\u0000x", "fiscal_year": "R4"})
        status, h, d = S.json("POST", "/api/v1/calculate", json.dumps(case), JSON)
        self.assertEqual(status, 400)
        self.assertIn("U+0000", d["error"]["message"])
        # the text "\\u0000" (an escaped backslash, then u0000) is not U+0000
        status, h, d = S.json("POST", "/api/v1/calculate",
                              json.dumps(dict(FOUNDERS_JSON, case={"id": "founders", "fiscal_year": "R4",
                                                                   "name": "a\\u0000b"})), JSON)
        self.assertEqual(status, 200, d)


XLSX = {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CSV = {"Content-Type": "text/csv"}


def table_bytes(name):
    with open(os.path.join(ROOT, "tests", "tables", name), "rb") as f:
        return f.read()


def cli_in_tables(*args):
    """The kofu command run in tests/tables/, so that files are named as the server names them."""
    return kofu(*args, cwd=os.path.join(ROOT, "tests", "tables"))


class Table(unittest.TestCase):
    """POST /api/v1/table: a CSV or xlsx case table into JSON case objects."""

    def test_cases_compute_as_calc_on_the_table(self):
        for name, headers in [("cells.xlsx", XLSX), ("claims.csv", CSV), ("claims.xlsx", XLSX)]:
            status, _, d = S.json("POST", "/api/v1/table?name=" + name, table_bytes(name), headers)
            self.assertEqual(status, 200, (name, d))
            self.assertEqual(d["file"], name)
            self.assertIn("meta", d)
            cli = {r["case"]: r for r in json.loads(cli_in_tables("calc", "--format", "json", name).stdout)}
            self.assertEqual([c["id"] for c in d["cases"]], list(cli), name)
            for c in d["cases"]:
                self.assertTrue(c["valid"])
                self.assertEqual(c["diagnostics"], 0)
                self.assertTrue(c["where"].startswith(name), c["where"])
                st, _, r = S.json("POST", "/api/v1/calculate", json.dumps(c["case"]), JSON)
                self.assertEqual(st, 200, c)
                self.assertEqual(r["totals"], cli[c["id"]]["totals"], (name, c["id"]))
                self.assertEqual(r["measures"], cli[c["id"]]["measures"], (name, c["id"]))
        # a claim goes as the [claim] section; the name and the values as written
        _, _, d = S.json("POST", "/api/v1/table", table_bytes("claims.csv"), CSV)
        self.assertEqual(d["file"], "cases.csv")
        self.assertEqual(d["cases"][0]["case"]["claim"], {"network.grant": "18000000"})
        _, _, d = S.json("POST", "/api/v1/table", table_bytes("cells.xlsx"), XLSX)
        self.assertEqual(d["file"], "cases.xlsx")
        self.assertEqual((d["cases"][0]["name"], d["cases"][0]["where"]), ("本町", "cases.xlsx:cases:2"))
        self.assertEqual(d["cases"][0]["case"]["network"],
                         {"eligible_cost": "19288000", "specialist": "false", "ict": "true"})

    def test_invalid_case_422_like_cli_with_the_cases(self):
        for name, headers in [("network.csv", CSV), ("network.xlsx", XLSX)]:
            for lang in ("ja", "en"):
                status, _, d = S.json("POST", "/api/v1/table?name=" + name, table_bytes(name),
                                      dict(headers, **{"Accept-Language": lang}))
                self.assertEqual(status, 422)
                err = d["error"]
                self.assertEqual(err["code"], "invalid_table")
                cli = cli_in_tables("validate", "--lang", lang, name)
                self.assertEqual([x["text"] for x in err["diagnostics"]], cli.stderr.splitlines(), (name, lang))
                first = err["diagnostics"][0]
                self.assertEqual((first["section"], first["key"], first["cell"], first["line"]),
                                 ("network.x", "specialist", "F5", None))
                self.assertEqual([c["valid"] for c in err["cases"]], [True, True, False])
                self.assertEqual([c["diagnostics"] for c in err["cases"]], [0, 0, 1])
                two = err["cases"][0]["case"]
                self.assertEqual(list(two), ["case", "network.kita", "network.minami"])
                self.assertEqual(two["network.kita"]["eligible_cost"], "18,500,000")

    def test_tables_that_cannot_be_read(self):
        for name, headers, code in [("bomb-ratio.xlsx", XLSX, 422), ("bomb-size.xlsx", XLSX, 422),
                                    ("dtd.xlsx", XLSX, 422), ("ole.xls", XLSX, 422),
                                    ("truncated.xlsx", XLSX, 422), ("bad-header.csv", CSV, 422),
                                    ("empty.xlsx", XLSX, 422), ("latin.csv", CSV, 422)]:
            for lang in ("ja", "en"):
                status, _, d = S.json("POST", "/api/v1/table?name=" + name, table_bytes(name),
                                      dict(headers, **{"Accept-Language": lang}))
                self.assertEqual(status, code, name)
                self.assertEqual(d["error"]["code"], "invalid_table")
                self.assertEqual(d["error"]["cases"], [])
                cli = cli_in_tables("validate", "--lang", lang, name)
                self.assertEqual([x["text"] for x in d["error"]["diagnostics"]], cli.stderr.splitlines(),
                                 (name, lang))
        # the bytes decide the form, not the Content-Type
        status, _, d = S.json("POST", "/api/v1/table", table_bytes("cells.xlsx"),
                              {"Content-Type": "application/octet-stream"})
        self.assertEqual((status, len(d["cases"])), (200, 3))

    def test_errors(self):
        status, _, d = S.json("POST", "/api/v1/table", table_bytes("claims.csv"), INI)
        self.assertEqual((status, d["error"]["code"]), (415, "unsupported_media_type"))
        status, _, d = S.json("POST", "/api/v1/table", b"", CSV)
        self.assertEqual((status, d["error"]["code"]), (400, "bad_request"))
        status, _, d = S.json("POST", "/api/v1/table?name=../x.csv", table_bytes("claims.csv"), CSV)
        self.assertEqual((status, d["error"]["code"]), (400, "bad_request"))
        status, h, d = S.json("GET", "/api/v1/table")
        self.assertEqual((status, h.get("allow")), (405, "POST"))
        many = "case.id,case.fiscal_year,network.eligible_cost,network.specialist,network.ict\n" + \
            "".join("c%d,R4,1000,no,no\n" % i for i in range(1001))
        status, _, d = S.json("POST", "/api/v1/table", many, CSV)
        self.assertEqual((status, d["error"]["code"]), (422, "too_many_cases"))
        for junk in (b"PK\x03\x04" + bytes(range(256)) * 4, bytes(range(256)) * 64, b"\xd0\xcf\x11\xe0"):
            status, _, d = S.json("POST", "/api/v1/table", junk, XLSX)
            self.assertEqual(status, 422)
            self.assertTrue(d["error"]["diagnostics"])


class Guards(unittest.TestCase):
    def test_host(self):
        for host in ["evil.example", "evil.example:%d" % S.port, "127.0.0.1:1", "127.0.0.1.evil.example:%d" % S.port]:
            status, h, d = S.json("GET", "/api/v1/schema", host=host)
            self.assertEqual(status, 403, host)
            self.assertEqual(d["error"]["code"], "forbidden_host")
        for host in ["127.0.0.1:%d" % S.port, "localhost:%d" % S.port, "LOCALHOST:%d" % S.port, "[::1]:%d" % S.port]:
            status, h, d = S.json("GET", "/api/v1/schema", host=host)
            self.assertEqual(status, 200, host)

    def test_origin(self):
        for origin in ["http://evil.example", "null", "https://127.0.0.1:%d" % S.port, "http://127.0.0.1:1"]:
            status, h, d = S.json("POST", "/api/v1/calculate", FOUNDERS_INI, dict(INI, Origin=origin))
            self.assertEqual(status, 403, origin)
            self.assertEqual(d["error"]["code"], "forbidden_origin")
        status, h, d = S.json("POST", "/api/v1/calculate", FOUNDERS_INI,
                              dict(INI, Origin="http://127.0.0.1:%d" % S.port))
        self.assertEqual(status, 200)

    def test_body_limit(self):
        # refused from its Content-Length, before any of the body is read
        s = socket.create_connection(("127.0.0.1", S.port), timeout=30)
        s.sendall(b"POST /api/v1/calculate HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: text/plain\r\n"
                  b"Content-Length: %d\r\n\r\n" % (S.port, (1 << 20) + 1))
        answer = s.recv(65536)
        s.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:100])
        self.assertIn(b'"payload_too_large"', answer)
        # without a Content-Length (chunked), the limit holds while reading
        s = socket.create_connection(("127.0.0.1", S.port), timeout=30)
        s.sendall(b"POST /api/v1/calculate HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: text/plain\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n" % S.port)
        chunk = b"; " + b"y" * 65534 + b"\n"
        try:
            for _ in range(20):
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass
        answer = b""
        while True:
            part = s.recv(65536)
            if not part:
                break
            answer += part
            if b"\r\n\r\n" in answer and b"payload_too_large" in answer:
                break
        s.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:100])
        # just under the limit is read
        line = "; " + "z" * 97 + "\n"
        ok = FOUNDERS_INI + line * (((1 << 20) - len(FOUNDERS_INI.encode())) // len(line))
        self.assertGreater(len(ok), (1 << 20) - 100)
        status, h, d = S.json("POST", "/api/v1/calculate", ok, INI)
        self.assertEqual(status, 200)

    def test_every_answer_has_meta(self):
        for method, path, body, headers in [
                ("GET", "/api/v1/schema", None, {}), ("GET", "/api/v1/rules", None, {}),
                ("GET", "/api/v1/sources", None, {}), ("GET", "/nope", None, {}),
                ("POST", "/api/v1/calculate", FOUNDERS_INI, INI), ("POST", "/api/v1/calculate", "{", JSON),
                ("DELETE", "/api/v1/schema", None, {})]:
            status, h, d = S.json(method, path, body, headers)
            self.assertIn("meta", d, path)
            self.assertIn("kofu_version", d["meta"])
            self.assertEqual(h["x-kofu-version"], d["meta"]["kofu_version"])
            self.assertEqual(h["x-kofu-rules-digest"], d["meta"]["rules"]["sha256"])
            self.assertEqual(len(h["x-kofu-rules-digest"]), 64)
        status, h, d = S.json("DELETE", "/api/v1/schema")
        self.assertEqual((status, h["allow"]), (405, "GET, HEAD"))
        status, h, d = S.json("GET", "/api/v1/sweep")
        self.assertEqual((status, h["allow"]), (405, "POST"))

    def test_concurrent(self):
        results = []

        def work():
            for _ in range(10):
                results.append(S.json("POST", "/api/v1/calculate", FOUNDERS_INI, INI)[0])
        threads = [threading.Thread(target=work) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [200] * 160)


def closed_after(sock, limit):
    """Seconds until the server closes sock (reads until end of stream), or None
    when it is still open after limit seconds; the bytes it sent before."""
    import time
    t0 = time.monotonic()
    sock.settimeout(limit)
    got = b""
    try:
        while True:
            part = sock.recv(65536)
            if not part:
                return time.monotonic() - t0, got
            got += part
    except socket.timeout:
        return None, got


class Timeouts(unittest.TestCase):
    """--idle-timeout: a connection silent that long is closed, whatever it
    was doing: connected and nothing sent, headers or a body begun and left
    unfinished (slow loris), or kept alive after an answer."""

    def connect(self, s):
        return socket.create_connection((s.host, s.port), timeout=30)

    def test_silent_connection_closed(self):
        with Server(KOFU, "--idle-timeout", "1") as s:
            c = self.connect(s)
            took, got = closed_after(c, 10)
            c.close()
            self.assertIsNotNone(took, "an idle connection stayed open for 10 s")
            self.assertGreaterEqual(took, 0.9)
            self.assertEqual(got, b"")
            self.assertEqual(s.request("GET", "/api/v1/schema")[0], 200)  # still serving
        self.assertEqual(s.rc, 0)

    def test_slow_loris_closed(self):
        with Server(KOFU, "--idle-timeout", "1") as s:
            partial = [
                # headers begun, never ended
                b"POST /api/v1/calculate HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Ty" % s.port,
                # headers whole, the body promised and stopped after 10 bytes
                b"POST /api/v1/calculate HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                b"Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\n[case]\nid" % s.port,
            ]
            socks = [self.connect(s) for _ in partial]
            for c, data in zip(socks, partial):
                c.sendall(data)
            for c in socks:
                took, got = closed_after(c, 10)
                c.close()
                self.assertIsNotNone(took, "a partial request kept its connection for 10 s")
                self.assertNotIn(b"HTTP/1.1 200", got)
            # a drip of one byte a second longer than the timeout is never
            # answered: each pause of 1.5 s ends the connection
            c = self.connect(s)
            c.sendall(b"G")
            import time
            time.sleep(1.5)
            try:
                c.sendall(b"ET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % s.port)
            except OSError:
                pass
            took, got = closed_after(c, 10)
            c.close()
            self.assertNotIn(b"HTTP/1.1 200", got)
            self.assertEqual(s.request("GET", "/api/v1/schema")[0], 200)
        self.assertEqual(s.rc, 0)

    def test_timeout_counts_from_the_last_activity(self):
        import time
        with Server(KOFU, "--idle-timeout", "3") as s:
            c = self.connect(s)
            time.sleep(1)
            # an answer, on a connection kept alive (HTTP/1.1)
            c.sendall(b"GET /api/v1/schema HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % s.port)
            answer = b""
            while b"\r\n\r\n" not in answer:
                answer += c.recv(65536)
            self.assertTrue(answer.startswith(b"HTTP/1.1 200"), answer[:60])
            t0 = time.monotonic()
            took, _ = closed_after(c, 15)
            c.close()
            self.assertIsNotNone(took, "a kept-alive connection outlived the idle timeout")
            # closed about 3 s after the answer, not 3 s after connecting
            self.assertGreaterEqual(time.monotonic() - t0, 2.5)


def ipv6_loopback():
    """True when the machine has ::1 (the kernel lists it on lo)."""
    try:
        with open("/proc/net/if_inet6") as f:
            return any(line.split()[0] == "0" * 31 + "1" for line in f if line.strip())
    except OSError:
        return False


class IPv6(unittest.TestCase):
    def setUp(self):
        if not ipv6_loopback():
            self.skipTest("this machine has no IPv6 loopback (::1 missing from /proc/net/if_inet6)")

    def test_listen_on_ipv6_loopback(self):
        for spelling in ("::1", "[::1]", "0:0:0:0:0:0:0:1"):
            with Server(KOFU, "--listen", spelling) as s:
                self.assertEqual((s.host, s.netloc), ("::1", "[::1]:%d" % s.port), spelling)
                listening = set()
                with open("/proc/net/tcp6") as f:
                    for row in f.read().splitlines()[1:]:
                        local, state = row.split()[1], row.split()[3]
                        addr, port = local.split(":")
                        if state == "0A" and int(port, 16) == s.port:
                            listening.add(addr)
                self.assertEqual(listening, {"00000000000000000000000001000000"})  # ::1 only
                status, h, d = s.json("GET", "/api/v1/schema")  # Host: [::1]:PORT
                self.assertEqual(status, 200)
                status, h, d = s.json("GET", "/api/v1/schema", host="[0:0::1]:%d" % s.port)
                self.assertEqual(status, 403)  # only the names a browser sends
                self.assertEqual(d["error"]["code"], "forbidden_host")
                status, h, d = s.json("POST", "/api/v1/calculate", FOUNDERS_INI,
                                      dict(INI, Origin="http://[::1]:%d" % s.port))
                self.assertEqual(status, 200)
                status, h, d = s.json("POST", "/api/v1/calculate", FOUNDERS_INI,
                                      dict(INI, Origin="http://[::1]:%d.evil.example" % s.port))
                self.assertEqual(status, 403)
                with self.assertRaises(OSError):  # not on IPv4
                    socket.create_connection(("127.0.0.1", s.port), timeout=5).close()
            self.assertEqual(s.rc, 0)
            self.assertEqual(s.stderr, "")  # loopback: no warning

    def test_wildcards_refused(self):
        for addr in ("::", "[::]", "0:0:0:0:0:0:0:0", "::ffff:0.0.0.0", "0.0.0.0"):
            p = kofu("serve", "--port", "0", "--listen", addr, "--lang", "en")
            self.assertEqual(p.returncode, 2, addr)
            self.assertIn("defeats the Host check", p.stderr)


class Command(unittest.TestCase):
    def test_usage_errors(self):
        for args in (["--listen", "0.0.0.0"], ["--listen", "::"], ["--port", "70000"], ["--port", "x"],
                     ["--bogus"], ["--listen", "not-an-address", "--port", "0"]):
            p = kofu("serve", *args)
            self.assertIn(p.returncode, (2, 5), args)
            self.assertTrue(p.stderr.startswith("kofu: "), p.stderr)
        p = kofu("serve", "--port", "0", "--rules", "/nonexistent-dir")
        self.assertEqual(p.returncode, 4)

    def test_edited_rules(self):
        with tempfile.TemporaryDirectory() as tmp:
            rules = os.path.join(tmp, "rules")
            self.assertEqual(kofu("rules", "--export", rules).returncode, 0)
            with Server(KOFU, "--rules", rules) as s:
                status, h, d = s.json("POST", "/api/v1/calculate", read("examples/network-ict.ini"), INI)
                self.assertEqual(status, 200)
                self.assertEqual(d["meta"]["rules"]["origin"], "directory")
                self.assertEqual(d["meta"]["rules"]["path"], rules)
                status, h, e = s.json("GET", "/nope")
                self.assertEqual(e["meta"]["rules"]["origin"], "directory")
            self.assertEqual(s.rc, 0)

    def test_port_in_use(self):
        with Server(KOFU) as other:
            p = kofu("serve", "--port", str(other.port))
            self.assertEqual(p.returncode, 5)
            self.assertIn(str(other.port), p.stderr)

    def test_loopback_by_default_and_clean_stop(self):
        with Server(KOFU, "--lang", "en") as s:
            # the listening sockets of the port, from the kernel's table (state 0A = LISTEN)
            listening = set()
            for table in ("/proc/net/tcp", "/proc/net/tcp6"):
                if os.path.exists(table):
                    with open(table) as f:
                        for row in f.read().splitlines()[1:]:
                            local, state = row.split()[1], row.split()[3]
                            addr, port = local.split(":")
                            if state == "0A" and int(port, 16) == s.port:
                                listening.add(addr)
            self.assertEqual(listening, {"0100007F"})  # 127.0.0.1 only
            self.assertEqual(s.request("GET", "/")[0], 200)
        self.assertEqual(s.rc, 0)
        self.assertEqual(s.stderr, "")


def main():
    global KOFU, ROOT, S
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--valgrind", action="store_true",
                    help="run the server under valgrind memcheck (any error or leak fails it)")
    args, rest = ap.parse_known_args()
    KOFU, ROOT = os.path.abspath(args.kofu), os.path.abspath(args.root)
    if args.valgrind:
        Server.wrapper = ["valgrind", "-q", "--leak-check=full", "--show-leak-kinds=definite,indirect",
                          "--suppressions=" + os.path.join(ROOT, "tests", "valgrind.supp"),
                          "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=9"]
    with Server(KOFU) as server:
        S = server
        prog = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=1)
        alive = S.request("GET", "/api/v1/schema")[0] == 200
    ok = prog.result.wasSuccessful() and alive and server.rc == 0
    if not alive or server.rc != 0:
        print("the server did not survive the tests (rc %s): %s" % (server.rc, server.stderr))
    r = prog.result
    failed = len(r.failures) + len(r.errors)
    print("%d passed, %d failed" % (r.testsRun - failed, failed))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
