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
runner checks the value once against rules/*.params. The digest of a rule
directory a test makes under {tmp} (an exported, edited copy) is written
{rules_sha256:{tmp}/DIR} ({rules_sha256_12:{tmp}/DIR}): the runner computes it
from the files left in DIR after the run, by the same definition, so a digest
kofu gets wrong still fails the test, and adding a rule file re-records nothing.

A listing of every measure (`kofu rules`, `kofu help case`, the columns of a
calc or batch CSV) grows with each measure added. The expected outputs were
recorded with the measures of RECORDED_MEASURES below (a test may name others
in a field `measures: a b ...`), and the parts of an output that belong to any
other measure of the build's registry are left out before comparing: a
paragraph of `kofu rules` (from "■ label (name)") or of `kofu help case` (from
"[name"), a row of `kofu rules --format csv` or an element of `--format json`
whose measure it is, a CSV column whose header (key, Japanese or English
label) is one of its columns. With only those measures in the registry nothing
is left out and the comparison is byte for byte; tests/add_measure/run.sh runs
the goldens in a tree with one measure more, where none may change. To show a
new measure in the listings, add it to RECORDED_MEASURES and re-record.

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
import stat
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
            "setup": [], "output": "capture", "unprivileged": "no",
            "measures": RECORDED_MEASURES}
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
    return dir_digest(os.path.join(root, "rules"))


def dir_digest(folder):
    lines = []
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


def rule_dirs(tmp):
    """(digest, placeholder path) of every directory under tmp holding rule
    files, each a readable regular file (tests of faults make FIFOs and
    unreadable ones: such a directory has no digest to stand for)."""
    found = []
    for d, _, files in os.walk(tmp):
        params = [os.path.join(d, f) for f in files if f.endswith(".params")]
        if params and all(stat.S_ISREG(os.stat(f).st_mode) and os.access(f, os.R_OK)
                          for f in params if os.path.exists(f)):
            try:
                found.append((dir_digest(d), "{tmp}" + d[len(tmp):]))
            except OSError:
                pass
    return found


def placeholders(text, dirs=()):
    if BUILTIN_DIGEST:
        text = text.replace(BUILTIN_DIGEST, "{rules_sha256}")
        text = text.replace(BUILTIN_DIGEST[:12], "{rules_sha256_12}")
    for digest, where in dirs:
        text = text.replace(digest, "{rules_sha256:%s}" % where)
        text = text.replace(digest[:12], "{rules_sha256_12:%s}" % where)
    return text


# ---- listings of every measure (the `measures:` field) ----------------------

# The measures every expected output was recorded with.
RECORDED_MEASURES = "fiscal_capacity rmo_formation rmo_operation rmo_management cooperative network"
REGISTRY = []      # the build's measures, in registry order
CSV_COLUMNS = {}   # a calc/batch CSV header cell (key or label) -> its measure


def csv_records(text):
    """The records of a CSV text as lists of raw fields (quotes kept), each
    with its line ending, so that fields can be left out and the rest joined
    back byte for byte."""
    records, fields, field, quoted, i = [], [], "", False, 0
    while i < len(text):
        c = text[i]
        if quoted:
            field += c
            if c == '"' and text.startswith('"', i + 1):
                field += '"'    # an escaped quote
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            field += c
            quoted = True
        elif c == ",":
            fields.append(field)
            field = ""
        elif c == "\n" or text.startswith("\r\n", i):
            end = "\n" if c == "\n" else "\r\n"
            records.append((fields + [field], end))
            fields, field = [], ""
            i += len(end) - 1
        else:
            field += c
        i += 1
    if field or fields:
        records.append((fields + [field], ""))
    return records


def unquote(field):
    field = field.lstrip("\ufeff")
    if field.startswith('"') and field.endswith('"') and len(field) > 1:
        return field[1:-1].replace('""', '"')
    return field


def learn_measures(kofu, root):
    """The registry's measures and the header cells of their CSV columns,
    asked of the build under test once per run."""
    p = subprocess.run([kofu, "rules", "--format", "json"], cwd=root, capture_output=True)
    for row in json.loads(p.stdout):
        if row["measure"] not in REGISTRY:
            REGISTRY.append(row["measure"])
    headers = {}
    for h in ("keys", "ja", "en"):
        p = subprocess.run([kofu, "calc", "--format", "csv", "--encoding", "utf-8", "--header", h,
                            "examples/network-ict.ini"], cwd=root, capture_output=True)
        headers[h] = [unquote(f) for f in csv_records(p.stdout.decode())[0][0]]
    # a measure without rule values of its own shows in the keys of its
    # columns (every dotted key but the totals and the stamp is a measure's)
    for i, key in enumerate(headers["keys"]):
        measure, dot, _ = key.partition(".")
        if dot and measure not in ("totals", "meta"):
            if measure not in REGISTRY:
                REGISTRY.append(measure)
            for h in headers.values():
                CSV_COLUMNS[h[i]] = measure


def paragraph_measure(first):
    """The measure a paragraph of `kofu rules` or `kofu help case` is about."""
    if first.startswith("■ ") and first.endswith(")"):
        return first[first.rfind("(") + 1:-1]
    if first.startswith("["):
        name = first[1:]
        for stop in ".[]":
            name = name.split(stop)[0]
        return name
    return None


def drop_paragraphs(text, others):
    lines = text.split("\n")
    keep, i = [], 0
    while i < len(lines):
        if lines[i] and (i == 0 or not lines[i - 1]) and paragraph_measure(lines[i]) in others:
            while i < len(lines) and lines[i]:
                i += 1
            if keep and not keep[-1]:
                keep.pop()      # the blank line before it goes with it
            elif i < len(lines):
                i += 1          # or, first of all, the one after it
            continue
        keep.append(lines[i])
        i += 1
    return "\n".join(keep)


def drop_json_elements(text, others):
    """Leaves out the elements of a top-level JSON array whose "measure" is
    another measure, cutting their text (and one separator) out."""
    if not text.startswith("["):
        return text
    dec = json.JSONDecoder()
    spans, i = [], 1
    try:
        while text[i] != "]":
            start = i
            obj, i = dec.raw_decode(text, i)
            spans.append((start, i, isinstance(obj, dict) and obj.get("measure") in others))
            while text[i] in ", \t\r\n":
                i += 1
    except (ValueError, IndexError):
        return text
    kept = [(a, b) for a, b, drop in spans if not drop]
    if len(kept) == len(spans):
        return text
    sep = text[spans[0][1]:spans[1][0]] if len(spans) > 1 else ", "
    return text[:1] + sep.join(text[a:b] for a, b in kept) + text[spans[-1][1]:]


def drop_csv_parts(text, others):
    records = csv_records(text)
    if not records:
        return text
    header = [unquote(f) for f in records[0][0]]
    gone = {i for i, cell in enumerate(header) if CSV_COLUMNS.get(cell) in others}
    rows = [(fields, end) for fields, end in records
            if not (fields and unquote(fields[0]) in others)]
    if not gone and len(rows) == len(records):
        return text
    out = []
    for fields, end in rows:
        out.append(",".join(f for i, f in enumerate(fields) if i not in gone) + end)
    return "".join(out)


def only_measures(text, named):
    """text without the parts that belong to a measure of the registry not in
    named (see the docstring)."""
    unknown = set(named) - set(REGISTRY)
    if unknown:
        raise ValueError(f"measures: not in the registry: {' '.join(sorted(unknown))}")
    others = set(REGISTRY) - set(named)
    if not others:
        return text
    return drop_csv_parts(drop_json_elements(drop_paragraphs(text, others), others), others)


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
        dirs = rule_dirs(tmp)
        out = placeholders(p.stdout.decode("utf-8", "replace").replace(tmp, "{tmp}"), dirs)
        err = placeholders(p.stderr.decode("utf-8", "replace").replace(tmp, "{tmp}"), dirs)
    out = only_measures(out, meta["measures"].split())
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
    learn_measures(kofu, root)
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
