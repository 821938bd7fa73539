#!/usr/bin/env python3
"""The installed library exports the public API and nothing else.

usage: check_exports.py --nm NM --lib EXPORTED_LIBKOFU_A --include DIR

Fails when the exported archive (build/export/libkofu.a, the one `cmake --install`
installs) defines a global symbol whose name does not start with kofu_ (an
internal function that would clash with a user's: num_add, ini_parse...), or when
a function declared in the installed headers (DIR/kofu/*.h) is not exported (it
lacks KOFU_API). docs/architecture.md explains how the archive is made.
"""
import argparse
import glob
import os
import re
import subprocess
import sys


def defined_globals(nm, lib):
    out = subprocess.run([nm, "-g", "--defined-only", lib], capture_output=True, text=True,
                         check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = parts[1]
    return syms


def declared_functions(include):
    names = set()
    for h in glob.glob(os.path.join(include, "kofu", "*.h")):
        text = open(h, encoding="utf-8").read()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)   # comments
        text = re.sub(r"^\s*#.*?(?<!\\)$", " ", text, flags=re.M | re.S)  # preprocessor lines
        for m in re.finditer(r"(?<!\(\*)(?<!\w)(kofu_\w+)\s*\(", text):
            names.add(m.group(1))
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--lib", required=True)
    ap.add_argument("--include", required=True)
    a = ap.parse_args()
    syms = defined_globals(a.nm, a.lib)
    declared = declared_functions(a.include)
    problems = []
    for name in sorted(syms):
        if not name.startswith("kofu_"):
            problems.append(f"exported but not kofu_: {name} ({syms[name]}) — make it static, or it "
                            "is a hidden symbol objcopy --localize-hidden failed to localize")
    for name in sorted(declared):
        if syms.get(name) not in ("T", "D", "B", "R"):
            problems.append(f"declared in the public header but not exported: {name} — declare it "
                            "with KOFU_API (include/kofu/kofu.h)")
    exported = sorted(n for n in syms if n.startswith("kofu_"))
    for p in problems:
        print("FAIL", p)
    print(f"{len(exported)} kofu_ symbols exported, {len(declared)} functions declared, "
          f"{len(problems)} problems")
    sys.exit(1 if problems or not exported else 0)


if __name__ == "__main__":
    main()
