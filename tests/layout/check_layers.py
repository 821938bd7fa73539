#!/usr/bin/env python3
"""The modules of libkofu form a one-way stack, and the command uses only the public API.

usage: check_layers.py --nm NM --lib-objects DIR --cli-objects DIR

Reads, with nm, the symbols each object file of the library defines and those it
uses, and fails when
  - a module uses one of a higher layer (LAYERS below, lowest first), or
  - the modules' dependencies form a cycle, or
  - an object of the command (cli/) uses a library symbol that is not kofu_ (the
    command must go through include/kofu/, like any other program).
The one upward reference allowed is the measure list's: engine/registry.c holds a
table of pointers to each measure's definition (data generated from
rules/measures.def); the engine reaches a measure's code only through the
function pointers of that definition. docs/architecture.md draws the stack.
"""
import argparse
import os
import subprocess
import sys

# lowest first; a module may use its own layer and those below
LAYERS = [
    ("base", {"util", "num", "num_round", "num_text", "sha256", "suggest", "fy", "recycle", "dynlib",
              "diag", "registry", "rules_embedded", "buf", "display", "utf8"}),
    ("node", {"node", "inifile", "ini_read", "ini_scan", "ini_bridge", "ini_utf8"}),
    ("params", {"params", "params_check", "rules_diff", "rules_files", "sources"}),
    ("case", {"case"}),
    ("eval", {"eval", "stamp"}),
    ("measures", set()),          # every object of rules/
    ("api", {"catalog", "claims", "diagnose", "range", "csv_in", "table", "table_row", "xlsx_in",
             "xlsx_zip", "xlsx_num", "xlsx_xml", "unzip_dl", "expat_dl", "xlsx_limits"}),
    ("render", set()),            # every object of render/
]
# registry.c's table of measure definitions (data), the one upward reference
ALLOWED = {("registry", "measures")}


def module_of(path):
    return os.path.basename(path).rsplit(".c.o", 1)[0].rsplit(".o", 1)[0]


def layer_of(path, name):
    parts = path.replace(os.sep, "/").split("/")
    if "rules" in parts:
        return 5
    if "render" in parts:
        return 7
    for i, (_, names) in enumerate(LAYERS):
        if name in names:
            return i
    if name.startswith("ini"):    # the case reader's rooms (ini_*.c)
        return 1
    return None


def symbols(nm, obj):
    out = subprocess.run([nm, obj], capture_output=True, text=True, check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "TDBRCGSV":
            defined.add(p[2])
        elif len(p) == 2 and p[0] in ("U", "w"):
            used.add(p[1])
    return defined, used


def objects(root):
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".o"):
                yield os.path.join(d, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--lib-objects", required=True)
    ap.add_argument("--cli-objects", required=True)
    a = ap.parse_args()
    mods = {}
    for obj in sorted(objects(a.lib_objects)):
        name = module_of(obj)
        layer = layer_of(os.path.relpath(obj, a.lib_objects), name)
        mods[name] = (layer, *symbols(a.nm, obj))
    owner = {s: m for m, (_, d, _) in mods.items() for s in d}
    problems, unplaced = [], []
    edges = {m: set() for m in mods}
    for m, (layer, _, used) in mods.items():
        if layer is None:
            unplaced.append(m)
        for s in sorted(used):
            o = owner.get(s)
            if not o or o == m:
                continue
            ol = mods[o][0]
            up = layer is not None and ol is not None and ol > layer
            kind = LAYERS[ol][0] if ol is not None else "?"
            if up and (m, kind) not in ALLOWED:
                problems.append(f"{m} ({LAYERS[layer][0]}) uses {s} of {o} ({kind}), a higher layer")
            if (m, kind) not in ALLOWED:
                edges[m].add(o)
    # Files of one layer may call each other (params.c and rules_diff.c are one
    # store); cycles are looked for between layers, and around unplaced files.
    group = {m: (LAYERS[l][0] if l is not None else m) for m, (l, _, _) in mods.items()}
    edges = {g: set() for g in set(group.values())}
    for m, (l, _, used) in mods.items():
        for s in used:
            o = owner.get(s)
            if o and group[o] != group[m] and (m, LAYERS[mods[o][0]][0] if mods[o][0] is not None
                                               else "?") not in ALLOWED:
                edges[group[m]].add(group[o])
    # cycles, by depth-first search
    state, stack = {}, []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for n in sorted(edges[m]):
            if state.get(n) == 1:
                problems.append("cycle: " + " -> ".join(stack[stack.index(n):] + [n]))
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2
    for m in sorted(edges):
        if m not in state:
            visit(m)
    # the command: only the public API
    for obj in sorted(objects(a.cli_objects)):
        _, used = symbols(a.nm, obj)
        for s in sorted(used):
            if s in owner and not s.startswith("kofu_"):
                problems.append(f"cli/{module_of(obj)} uses {s} of {owner[s]}: not the public API")
    for p in problems:
        print("FAIL", p)
    for m in unplaced:
        print(f"note: {m} has no layer in tests/layout/check_layers.py (checked for cycles only)")
    print(f"{len(mods)} modules in {len(edges)} layers and unplaced files, "
          f"{sum(len(e) for e in edges.values())} dependencies between them, "
          f"{len(problems)} problems")
    sys.exit(1 if problems or not mods else 0)


if __name__ == "__main__":
    main()
