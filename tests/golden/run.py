#!/usr/bin/env python3
"""Golden tests: run the kofu command and compare exact output.

Each tests/golden/**/*.test file declares one run (curl's tests/data style):

    # what this test shows (comment lines start with #)
    args: calc --format json examples/network-ict.ini
    exit: 0
    env: KOFU_LANG=en            (optional, repeatable; SOURCE_DATE_EPOCH is
                                 1796115600 unless a test sets it)
    contract: yes                (optional: stdout must keep the output contract,
                                 schema/kofu-result.schema.json, as
                                 tests/contract/check_schema.py checks it)
    --- stdout
    ...exact expected stdout...
    --- stderr
    ...exact expected stderr...

Arguments are split like a shell would (shlex), relative to the repository
root; the literal {tmp} is replaced by a fresh temporary directory. A missing
stdout/stderr block means "must be empty". The SHA-256 of the built-in rule
data is written {rules_sha256} (its first 12 digits {rules_sha256_12}); the
runner checks the value once against rules/*.params.

Fields for tests of faults (tests/golden/bad/):
    setup: CMD          (repeatable) a shell command run first, in the root,
                        with the test's environment, {tmp} replaced and {kofu}
                        the command under test: generate a 10 MiB file, chmod
                        000, export rule data, compare two runs...
    output: devfull     stdout goes to /dev/full (nothing is captured)
    output: closed-pipe stdout is a pipe whose reading end is already closed
    unprivileged: yes   when run as root, drop to nobody (setpriv) so that
                        file permissions apply ({tmp} is made world-readable)

usage: run.py --kofu PATH [--root DIR] [--update] [--valgrind] [--jobs N] [FILTER...]
"""
import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile

SECTIONS = ("stdout", "stderr")
FIXED_EPOCH = "1796115600"
# Debian's python3-jsonschema lives with the system interpreter, not with
# whichever python3 comes first on PATH
CONTRACT_PYTHON = "/usr/bin/python3"


def parse(path):
    meta = {"args": None, "exit": "0", "env": [], "contract": "no", "stdin": None,
            "setup": [], "output": "capture", "unprivileged": "no"}
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
                if key in ("env", "setup"):
                    meta[key].append(value.strip())
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


def run_with_output(cmd, root, env, meta):
    """Runs cmd with stdout captured, sent to /dev/full, or into a closed pipe."""
    stdin = (meta["stdin"] or "").encode()
    if meta["output"] == "capture":
        return subprocess.run(cmd, cwd=root, env=env, capture_output=True, input=stdin,
                              timeout=120)
    if meta["output"] == "devfull":
        with open("/dev/full", "wb") as full:
            p = subprocess.run(cmd, cwd=root, env=env, stdout=full, stderr=subprocess.PIPE,
                               input=stdin, timeout=120)
    elif meta["output"] == "closed-pipe":
        r, w = os.pipe()
        os.close(r)  # nobody will ever read: every write fails with EPIPE
        try:
            p = subprocess.run(cmd, cwd=root, env=env, stdout=w, stderr=subprocess.PIPE,
                               input=stdin, timeout=120)
        finally:
            os.close(w)
    else:
        raise ValueError(f"unknown output '{meta['output']}'")
    p.stdout = b""
    return p


# The digest of the built-in rule data changes with every edit of rules/*.params;
# expected outputs hold {rules_sha256} (and its first 12 digits, as the text
# report prints them) so that editing a rule value re-records only the tests
# whose amounts it changes. The value itself is checked once per run, against
# the definition: sha256 over `sha256sum` lines of the files in byte order.
BUILTIN_DIGEST = None


def builtin_digest(root):
    lines = []
    folder = os.path.join(root, "rules")
    for name in sorted(os.listdir(folder), key=lambda n: n.encode()):
        if name.endswith(".params"):
            with open(os.path.join(folder, name), "rb") as f:
                lines.append(f"{hashlib.sha256(f.read()).hexdigest()}  {name}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def check_builtin_digest(kofu, root):
    """The digest kofu reports for its built-in rules, checked against rules/."""
    global BUILTIN_DIGEST
    want = builtin_digest(root)
    p = subprocess.run([kofu, "calc", "--format", "json", "examples/network-ict.ini"], cwd=root,
                       capture_output=True)
    got = json.loads(p.stdout)["meta"]["rules"]["sha256"] if p.returncode == 0 else None
    if got != want:
        sys.exit(f"built-in rules digest: kofu says {got}, rules/*.params give {want}")
    BUILTIN_DIGEST = want


def placeholders(text):
    if BUILTIN_DIGEST:
        text = text.replace(BUILTIN_DIGEST, "{rules_sha256}")
        text = text.replace(BUILTIN_DIGEST[:12], "{rules_sha256_12}")
    return text


def run_one(kofu, root, path, update, valgrind, contract_checker):
    meta, blocks = parse(path)
    with tempfile.TemporaryDirectory() as tmp:
        args = [a.replace("{tmp}", tmp) for a in shlex.split(meta["args"])]
        env = dict(os.environ)
        env.pop("KOFU_LANG", None)
        env.pop("KOFU_RULES", None)
        env["LANG"] = "C.UTF-8"
        # a fixed clock, so that meta.computed_at (2026-12-01T18:00:00+09:00)
        # is part of the expected output; a test may set its own
        env["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
        for e in meta["env"]:
            k, _, v = e.partition("=")
            env[k] = v.replace("{tmp}", tmp)
        for cmdline in meta["setup"]:
            cmdline = cmdline.replace("{tmp}", tmp).replace("{kofu}", shlex.quote(kofu))
            s = subprocess.run(cmdline, shell=True, cwd=root, env=env,
                               capture_output=True, timeout=120)
            if s.returncode != 0:
                return [f"setup failed ({s.returncode}): {cmdline}\n" + s.stderr.decode()]
        cmd = [kofu] + args
        if valgrind:
            # tests/valgrind.supp: the loader's records of the libraries
            # opened with dlopen (still reachable at exit), nothing else
            cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                   "--errors-for-leak-kinds=all", "--show-leak-kinds=all",
                   "--suppressions=" + os.path.join(root, "tests", "valgrind.supp")] + cmd
        if meta["unprivileged"] == "yes" and os.geteuid() == 0:
            os.chmod(tmp, 0o755)
            cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] + cmd
        p = run_with_output(cmd, root, env, meta)
        out = placeholders(p.stdout.decode("utf-8", "replace").replace(tmp, "{tmp}"))
        err = placeholders(p.stderr.decode("utf-8", "replace").replace(tmp, "{tmp}"))
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
        c = subprocess.run([CONTRACT_PYTHON, contract_checker], input=p.stdout, capture_output=True)
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
    ap.add_argument("--jobs", type=int, default=1, help="tests run at once")
    ap.add_argument("filters", nargs="*")
    a = ap.parse_args()
    root = os.path.abspath(a.root)
    kofu = os.path.abspath(a.kofu)
    check_builtin_digest(kofu, root)
    checker = os.path.join(root, "tests", "contract", "check_schema.py")
    tests = []
    for d, _, files in os.walk(os.path.join(root, "tests", "golden")):
        tests += [os.path.join(d, f) for f in files if f.endswith(".test")]
    tests.sort()
    if a.filters:
        tests = [t for t in tests if any(f in t for f in a.filters)]
    passed = failed = 0

    def attempt(t):
        try:
            return run_one(kofu, root, t, a.update, a.valgrind, checker)
        except Exception as e:  # a malformed test file is a failure, not a crash
            return [f"{type(e).__name__}: {e}"]

    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        results = list(pool.map(attempt, tests))
    for t, problems in zip(tests, results):
        rel = os.path.relpath(t, root)
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
