#!/usr/bin/env python3
"""The printable report, printed: `kofu calc --format html --output FILE` for
three towns, rendered to PDF by headless Chromium, then read back with
pdftotext and pdfinfo.

Checks: the HTML is one self-contained file (no script, stylesheet, image or
link to anything outside it); page 1 holds the first town's headline (its
name, year, totals and the page header with 作成日); each case starts on a page
of its own, its town in that page's header; the printed document has exactly
as many pages as the three cases printed one by one (so page breaks fall
between cases and nothing is lost); the calculation and the numbered sources
are printed.

Exit 77 (skipped, with the reason) only when chromium is not installed.

usage: test_html_pdf.py --kofu PATH --root DIR
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

CHROMIUM = os.environ.get("KOFU_CHROMIUM", "/usr/bin/chromium")
CASES = ["examples/rmo-town-r7.ini", "examples/cooperative-founders.ini",
         "examples/network-two-projects.ini"]
EPOCH = "1796115600"  # 2026-12-01 18:00 in Japan, as the golden tests


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {r.returncode}\n{r.stderr}")
    return r.stdout


def to_pdf(html, pdf, tmp):
    profile = tempfile.mkdtemp(dir=tmp)
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", "file://" + html],
                   capture_output=True, timeout=180)
    if not os.path.exists(pdf):
        sys.exit(f"FAIL: chromium wrote no PDF for {html}")


def pages(pdf):
    m = re.search(r"^Pages:\s+(\d+)", run(["pdfinfo", pdf]), re.M)
    return int(m.group(1))


def page_text(pdf, n):
    return run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), pdf, "-"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", required=True)
    a = ap.parse_args()
    if not os.path.exists(CHROMIUM):
        print(f"SKIP: {CHROMIUM} is not installed (Debian package chromium); the printed report is not checked")
        sys.exit(77)
    for tool in ("pdftotext", "pdfinfo"):
        if not shutil.which(tool):
            sys.exit(f"FAIL: {tool} (poppler-utils) is missing")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        html = os.path.join(tmp, "report.html")
        run([a.kofu, "calc", "--format", "html", "--output", html] + CASES, cwd=a.root, env=env)
        doc = open(html, encoding="utf-8").read()
        for bad in ("<script", "<link", "<img", "<iframe", "src=", "url(", "@import", "http://", "https://"):
            if bad in doc:
                failures.append(f"the HTML is not self-contained: it holds {bad!r}")
        pdf = os.path.join(tmp, "report.pdf")
        to_pdf(html, pdf, tmp)
        total = pages(pdf)

        # each case alone: how many pages it takes
        alone = []
        for i, case in enumerate(CASES):
            h = os.path.join(tmp, f"case{i}.html")
            p = os.path.join(tmp, f"case{i}.pdf")
            run([a.kofu, "calc", "--format", "html", "--output", h, case], cwd=a.root, env=env)
            to_pdf(h, p, tmp)
            alone.append(pages(p))
        if total != sum(alone):
            failures.append(f"{total} pages, but the cases printed one by one take {alone} = {sum(alone)}")

        first = page_text(pdf, 1)
        for want in ("みどり町 — 令和7年度（2025年度） — 市町村", "特別交付税 合計", "5,404,000円",
                     "作成日 2026年12月1日", "地域運営組織の形成支援", "2,774,000円"):
            if want not in first:
                failures.append(f"page 1 lacks {want!r}")
        if "計算の過程:" in first:
            failures.append("page 1 holds the calculation: the headline must have the page to itself")

        # each case begins a page whose header names its town
        start = 1
        for i, (town, title) in enumerate((("みどり町", "みどり町 — 令和7年度"), ("〇〇町", "〇〇町 — 令和4年度"),
                                           ("〇〇町", "〇〇町 — 令和7年度"))):
            text = page_text(pdf, start)
            lines = [l.strip() for l in text.splitlines() if l.strip()]
            if not lines or not lines[0].startswith(town) or "作成日" not in lines[0]:
                failures.append(f"page {start} (case {i + 1}): header {lines[:1]} does not name {town} and 作成日")
            if len(lines) < 2 or not lines[1].startswith(title):
                failures.append(f"page {start} (case {i + 1}) does not begin with its headline {title!r}: {lines[1:2]}")
            start += alone[i]

        everything = run(["pdftotext", "-layout", pdf, "-"])
        for want in ("計算の過程: 財政力補正", "計算の過程: 特定地域づくり事業協同組合",
                     "rmo_formation.special_tax_grant = 2,774,000", "根拠", "1. "):
            if want not in everything:
                failures.append(f"the printed report lacks {want!r}")
    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        sys.exit(1)
    print(f"ok: {total} A4 pages ({' + '.join(map(str, alone))}), headline on page 1, one case per page group")


if __name__ == "__main__":
    main()
