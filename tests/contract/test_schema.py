#!/usr/bin/python3
"""The output contract can fail: schema/kofu-result.schema.json accepts kofu's own
results and rejects each of a list of broken ones (and check_schema.py exits 1 on
them), so a `contract: yes` golden test or the batch test would notice a renderer
or a measure drifting off it.

usage: test_schema.py --kofu PATH --root DIR        (run with /usr/bin/python3)
"""
import argparse
import copy
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_schema  # noqa: E402


def result_of(kofu, root, case, *extra):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1796115600")
    p = subprocess.run([kofu, "calc", "--format", "json", *extra, case], cwd=root, env=env,
                       capture_output=True, check=True)
    return json.loads(p.stdout)


def setter(path, value):
    """A mutation setting obj[path...] = value (value DELETE removes the member)."""
    def apply(obj):
        *parents, last = path
        for p in parents:
            obj = obj[p]
        if value is DELETE:
            del obj[last]
        else:
            obj[last] = value
    return apply


DELETE = object()

BROKEN = [
    ("no meta", setter(["meta"], DELETE)),
    ("no trace", setter(["trace"], DELETE)),
    ("no findings", setter(["findings"], DELETE)),
    ("format of another version", setter(["format"], "kofu-result/2")),
    ("an unknown top-level member", setter(["note"], "x")),
    ("entity misspelt", setter(["entity"], "city")),
    ("an amount as a string", setter(["measures", "cooperative", "national_grant"], "5675000")),
    ("a negative amount", setter(["totals", "national_grant"], -1)),
    ("an amount with a fraction", setter(["measures", "cooperative", "personnel_cap"], 1.5)),
    ("a ratio as a float", setter(["measures", "cooperative", "utilization"], 0.75)),
    ("a ratio in words", setter(["measures", "cooperative", "worker_years"], "six")),
    ("a required amount missing", setter(["measures", "cooperative", "special_tax_grant"], DELETE)),
    ("a measure outside the contract", setter(["measures", "lottery"], {"grant": 1})),
    ("fiscal_capacity without its index", setter(["fiscal_capacity", "index"], DELETE)),
    ("an unknown warning code", setter(["warnings"], [{"code": "be_careful", "message": "m"}])),
    ("a warning without message", setter(["warnings"], [{"code": "taper_provisional"}])),
    ("an unknown finding code", setter(["findings"], [{"code": "looks_odd", "message": "m"}])),
    ("a digest of the wrong length", setter(["meta", "rules", "sha256"], "abc123")),
    ("a digest in capitals", setter(["meta", "rules", "sha256"], "A" * 64)),
    ("origin neither builtin nor directory", setter(["meta", "rules", "origin"], "web")),
    ("a built-in origin with a path", setter(["meta", "rules", "path"], "/tmp/r")),
    ("a directory origin without a path", setter(["meta", "rules", "origin"], "directory")),
    ("computed_at in UTC", setter(["meta", "computed_at"], "2026-12-01T09:00:00Z")),
    ("no kofu_version", setter(["meta", "kofu_version"], DELETE)),
    ("a trace step without source", setter(["trace", 0, "source"], DELETE)),
    ("a trace status outside the two", setter(["trace", 0, "status"], "likely")),
    ("a trace step with an empty source_id", setter(["trace", 0, "source_id"], "")),
]

FINE = [
    ("findings of the contract", setter(["findings"], [
        {"code": "single_employer_over_80", "measure": "cooperative", "subject": "a", "message": "m"},
        {"code": "duplicate_case_id", "subject": "other.ini", "message": "m"}])),
    ("a cited trace step", lambda o: o["trace"][0].update(source_id="soumu_kaso_nw_r4",
                                                          locator="（３）", quote="1,500万円")),
    ("a directory origin with its path", lambda o: o["meta"]["rules"].update(
        origin="directory", path="/srv/rules")),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", default=".")
    a = ap.parse_args()
    result, error_line = check_schema.validators()
    kofu = os.path.abspath(a.kofu)
    # one object holding every part of the contract: the cooperative's result,
    # with the fiscal-capacity component and the measures of a town's result
    base = result_of(kofu, a.root, "examples/cooperative-founders.ini")
    town = result_of(kofu, a.root, "examples/rmo-town-r7.ini")
    base["fiscal_capacity"] = town["fiscal_capacity"]
    base["measures"].update(town["measures"])
    base["trace"] += town["trace"]
    failed = 0

    def verdict(name, obj, want_ok):
        nonlocal failed
        found = list(check_schema.problems(obj, result, error_line))
        if bool(found) == want_ok:
            failed += 1
            print(f"FAIL {name}: " + ("rejected: " + "; ".join(found) if found else "accepted"))
        else:
            print(f"ok   {name}" + (f" — {found[0]}" if found else ""))

    verdict("kofu's own result", base, True)
    for name, mutate in BROKEN:
        obj = copy.deepcopy(base)
        mutate(obj)
        verdict(name, obj, False)
    for name, mutate in FINE:
        obj = copy.deepcopy(base)
        mutate(obj)
        verdict(name, obj, True)
    verdict("a batch error line", {"file": "a.ini", "error": "a.ini: 空のファイルです"}, True)
    verdict("a batch error line without its message", {"file": "a.ini", "error": ""}, False)

    # end to end: the checker the tests use exits 1 on a broken object
    broken = copy.deepcopy(base)
    del broken["meta"]
    p = subprocess.run([sys.executable, check_schema.__file__], input=json.dumps(broken).encode(),
                       capture_output=True)
    if p.returncode != 1 or b"meta" not in p.stdout:
        failed += 1
        print(f"FAIL check_schema.py exit {p.returncode} on a result without meta:\n"
              + p.stdout.decode())
    else:
        print("ok   check_schema.py exits 1 and names meta")
    print(f"{failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
