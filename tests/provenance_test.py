#!/usr/bin/env python3
"""Provenance: every citation kofu prints can be looked up.

- The rule data, the formulas (rules/) and the reference documentation
  (docs/measures/, docs/case-file.md, docs/interpretations.md) name no
  internal document: no SPEC.md, no seed file, no line number of a text
  extraction.
- `kofu calc --format json` on every example and every golden case that
  computes: each trace step carries a `source`; a step with a `source_id`
  names an entry of `kofu rules --sources --format json` and a locator; a step
  without one reads the case file and cites FILE:LINE of it.
- No output (JSON, text in Japanese and English, the rules listing, the
  bibliography) names SPEC.md, a seed or a line number.
- No warning code appears twice in one result.

usage: provenance_test.py --kofu PATH [--root DIR]
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

FAILURES = []
# SPEC.md or "SPEC §3", a seed file or "seed 004", "l.89" / "l.89-92"
FORBIDDEN = re.compile(r"SPEC\.md|SPEC §|\bseeds?/|\bseed \d|\bl\.\d")


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL {what}")
    return cond


def run(kofu, root, *args):
    env = dict(os.environ)
    for k in ("KOFU_LANG", "KOFU_RULES"):
        env.pop(k, None)
    env["LANG"] = "C.UTF-8"
    p = subprocess.run([kofu, *args], cwd=root, env=env, capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def no_internal_names(text, what):
    m = FORBIDDEN.search(text)
    check(m is None, f"{what} names an internal document: …{text[max(0, m.start() - 60):m.end() + 40]}…"
          if m else what)


def test_rule_files(root):
    paths = sorted(glob.glob(os.path.join(root, "rules", "*.params")) +
                   glob.glob(os.path.join(root, "rules", "*.c")) +
                   glob.glob(os.path.join(root, "rules", "*.h")) +
                   glob.glob(os.path.join(root, "docs", "measures", "*.md")) +
                   [os.path.join(root, "docs", n) for n in ("case-file.md", "interpretations.md")])
    check(len(paths) > 10, f"rule files found: {len(paths)}")
    for p in paths:
        with open(p, encoding="utf-8") as f:
            no_internal_names(f.read(), os.path.relpath(p, root))


# The team's own contract and the material behind it live outside the
# repository; nothing in it may send a reader there.
OUTSIDE = re.compile(r"\.\./shared|shared/contract|check_json\.py")
# FORBIDDEN, less a generator's `--seed N` option
IN_TREE = re.compile(r"SPEC\.md|SPEC §|\bseeds?/|(?<!-)\bseed \d|\bl\.\d")


def test_whole_tree(root):
    """Every tracked text file (code, tests, docs, README, scripts, goldens)."""
    p = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True)
    if p.returncode != 0:
        print("not a git checkout: the whole-tree scan is skipped")
        return
    names = [n for n in p.stdout.decode().split("\0") if n]
    me = os.path.relpath(os.path.abspath(__file__), root)
    scanned = 0
    for name in names:
        # libFuzzer corpora live in fuzz/seeds/: the folder name is not a citation
        if name == me or name.startswith("fuzz/seeds/"):
            continue
        try:
            with open(os.path.join(root, name), encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        scanned += 1
        m = IN_TREE.search(text.replace("fuzz/seeds/", "")) or OUTSIDE.search(text)
        check(m is None, f"{name} names an internal document" if m is None else
              f"{name} names an internal document: …{text[max(0, m.start() - 60):m.end() + 40]}…")
    check(scanned > 100, f"tracked text files scanned: {scanned}")


def cases(root):
    found = sorted(glob.glob(os.path.join(root, "examples", "*.ini")))
    for d in sorted(glob.glob(os.path.join(root, "tests", "golden", "*", "cases"))):
        found += sorted(glob.glob(os.path.join(d, "*.ini")))
    return [os.path.relpath(p, root) for p in found]


def test_outputs(kofu, root):
    rc, out, err = run(kofu, root, "rules", "--sources", "--format", "json")
    check(rc == 0, f"rules --sources exits 0 ({err})")
    ids = {s["id"] for s in json.loads(out)}
    check({"tokko_shorei", "soumu_kaso_nw_r4", "soumu_coop_r4", "kofu_interp"} <= ids,
          f"the bibliography holds the main sources: {sorted(ids)}")
    for fmt in ("text", "json", "csv"):
        for lang in ("ja", "en"):
            rc, out, _ = run(kofu, root, "--lang", lang, "rules", "--sources", "--format", fmt)
            check(rc == 0, f"rules --sources --format {fmt} ({lang}) exits 0")
            no_internal_names(out, f"rules --sources --format {fmt} ({lang})")
            rc, out, _ = run(kofu, root, "--lang", lang, "rules", "--format", fmt)
            no_internal_names(out, f"rules --format {fmt} ({lang})")
    computed = 0
    cited = set()
    for c in cases(root):
        rc, out, _ = run(kofu, root, "calc", "--format", "json", c)
        if rc != 0:
            continue  # the error cases: no trace to check
        computed += 1
        no_internal_names(out, f"calc --format json {c}")
        res = json.loads(out)
        for results in (res if isinstance(res, list) else [res]):
            codes = [w["code"] for w in results["warnings"]]
            check(len(codes) == len(set(codes)), f"{c}: no warning code twice in one result: {codes}")
            for t in results["trace"]:
                what = f"{c}: step {t['step']}"
                if not check(t.get("source"), f"{what} has a source"):
                    continue
                if "source_id" in t:
                    cited.add(t["source_id"])
                    check(t["source_id"] in ids, f"{what}: source_id {t['source_id']} is in the bibliography")
                    check("locator" in t, f"{what}: a locator")
                else:
                    check(re.fullmatch(re.escape(c) + r"(:\d+)?", t["source"]) is not None,
                          f"{what}: without a source_id it cites the case file, got {t['source']!r}")
        for lang in ("ja", "en"):
            rc, out, _ = run(kofu, root, "--lang", lang, "calc", c)
            no_internal_names(out, f"calc {c} ({lang})")
    check(computed >= 20, f"cases computed: {computed}")
    check(len(cited) >= 5, f"sources cited by the traces: {sorted(cited)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", default=".")
    a = ap.parse_args()
    kofu, root = os.path.abspath(a.kofu), os.path.abspath(a.root)
    test_rule_files(root)
    test_whole_tree(root)
    test_outputs(kofu, root)
    print(f"{len(FAILURES)} failures")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
