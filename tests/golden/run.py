#!/usr/bin/env python3
"""Golden tests: run the kofu command and compare exact output.

Each tests/golden/**/*.test file declares one run (curl's tests/data style):

    # what this test shows (comment lines start with #)
    args: calc --format json examples/network-ict.ini
    exit: 0
    env: KOFU_LANG=en            (optional, repeatable)
    contract: yes                (optional: stdout must pass shared/contract/check_json.py)
    --- stdout
    ...exact expected stdout...
    --- stderr
    ...exact expected stderr...

Arguments are split like a shell would (shlex), relative to the repository
root; the literal {tmp} is replaced by a fresh temporary directory. A missing
stdout/stderr block means "must be empty".

usage: run.py --kofu PATH [--root DIR] [--update] [--valgrind] [FILTER...]
"""
import argparse
import os
import shlex
import subprocess
import sys
import tempfile

SECTIONS = ("stdout", "stderr")


def parse(path):
    meta = {"args": None, "exit": "0", "env": [], "contract": "no", "stdin": None}
    blocks = {}
    current = None
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            if line.startswith("--- "):
                current = line[4:].strip()
                if current not in SECTIONS:
                    raise ValueError(f"{path}: unknown block '{current}'")
                blocks[current] = ""
            elif current:
                blocks[current] += line
            elif line.strip() and not line.startswith("#"):
                key, _, value = line.partition(":")
                key = key.strip()
                if key not in meta:
                    raise ValueError(f"{path}: unknown field '{key}'")
                if key == "env":
                    meta["env"].append(value.strip())
                else:
                    meta[key] = value.strip()
    if meta["args"] is None:
        raise ValueError(f"{path}: no 'args:' line")
    return meta, blocks


def write(path, meta, blocks, out, err, code):
    head = []
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            if line.startswith("--- "):
                break
            if line.startswith("exit:"):
                line = f"exit: {code}\n"
            head.append(line)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.writelines(head)
        if out:
            f.write("--- stdout\n" + out)
        if err:
            f.write("--- stderr\n" + err)


def run_one(kofu, root, path, update, valgrind, contract_checker):
    meta, blocks = parse(path)
    with tempfile.TemporaryDirectory() as tmp:
        args = [a.replace("{tmp}", tmp) for a in shlex.split(meta["args"])]
        env = dict(os.environ)
        env.pop("KOFU_LANG", None)
        env.pop("KOFU_RULES", None)
        env["LANG"] = "C.UTF-8"
        for e in meta["env"]:
            k, _, v = e.partition("=")
            env[k] = v.replace("{tmp}", tmp)
        cmd = [kofu] + args
        if valgrind:
            cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                   "--errors-for-leak-kinds=all", "--show-leak-kinds=all"] + cmd
        p = subprocess.run(cmd, cwd=root, env=env, capture_output=True,
                           input=(meta["stdin"] or "").encode(), timeout=120)
        out = p.stdout.decode("utf-8", "replace").replace(tmp, "{tmp}")
        err = p.stderr.decode("utf-8", "replace").replace(tmp, "{tmp}")
    if update:
        write(path, meta, blocks, out, err, p.returncode)
        return []
    problems = []
    if p.returncode == 99 and valgrind:
        problems.append("valgrind reported errors:\n" + err)
    if str(p.returncode) != meta["exit"]:
        problems.append(f"exit code {p.returncode}, expected {meta['exit']}")
    for name, got in (("stdout", out), ("stderr", err)):
        want = blocks.get(name, "")
        if got != want:
            problems.append(diff(name, want, got))
    if meta["contract"] == "yes" and p.returncode in (0, 1, 3):
        c = subprocess.run([sys.executable, contract_checker], input=p.stdout, capture_output=True)
        if c.returncode != 0:
            problems.append("off the JSON contract:\n" + c.stdout.decode())
    return problems


def diff(name, want, got):
    import difflib
    lines = difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                 f"expected {name}", f"actual {name}")
    return "".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kofu", required=True)
    ap.add_argument("--root", default=".")
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--valgrind", action="store_true")
    ap.add_argument("filters", nargs="*")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    kofu = os.path.abspath(a.kofu)
    checker = os.path.join(root, "..", "shared", "contract", "check_json.py")
    tests = []
    for d, _, files in os.walk(os.path.join(root, "tests", "golden")):
        tests += [os.path.join(d, f) for f in files if f.endswith(".test")]
    tests.sort()
    if a.filters:
        tests = [t for t in tests if any(f in t for f in a.filters)]
    passed = failed = 0
    for t in tests:
        rel = os.path.relpath(t, root)
        try:
            problems = run_one(kofu, root, t, a.update, a.valgrind, checker)
        except Exception as e:  # a malformed test file is a failure, not a crash
            problems = [f"{type(e).__name__}: {e}"]
        if problems:
            failed += 1
            print(f"FAIL {rel}")
            for pr in problems:
                print("    " + pr.replace("\n", "\n    "))
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not tests else 0)


if __name__ == "__main__":
    main()
