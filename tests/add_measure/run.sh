#!/bin/sh
# tests/add_measure/run.sh — adding a measure touches the measure's two files,
# its tests and one line of the measure list, and nothing else.
#
# usage: tests/add_measure/run.sh ROOT
#
# Copies the source tree (as git sees it) to a temporary directory, adds the
# toy measure of this folder there (rules/toy.c, rules/toy.params, a line in
# rules/measures.def, case files in tests/measures/toy/), builds the copy and
# checks that the new measure is picked up everywhere without another edit:
# the build, the registry, `kofu help case`, `kofu rules`, `kofu calc` and
# `kofu check`, and the measure tests (claims, both sides of its dated change,
# no gap in time). It then runs every golden test of the copy, which must pass
# unchanged: from a listing of every measure (`kofu rules`, `kofu help case`,
# CSV columns) the golden runner leaves out the measures the expected outputs
# were not recorded with (RECORDED_MEASURES, tests/golden/run.py), and
# a digest of rule files is a placeholder, so a new measure re-records nothing.
set -eu
ROOT=$(cd "$1" && pwd)
HERE=$ROOT/tests/add_measure
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT INT TERM
SRC=$T/src
mkdir -p "$SRC"
fail() { echo "FAIL: $*"; exit 1; }

cd "$ROOT"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf - 2>/dev/null |
        tar -xf - -C "$SRC"
else
    tar --exclude='./build*' -cf - . | tar -xf - -C "$SRC"
fi

cd "$SRC"
git init -q
git add -A
git -c user.name=kofu -c user.email=kofu@localhost commit -qm base

cp "$HERE/toy.c" "$HERE/toy.params" rules/
echo 'KOFU_MEASURE(toy)' >> rules/measures.def
mkdir -p tests/measures/toy
cp "$HERE"/case-*.ini tests/measures/toy/

touched=$(git status --porcelain --untracked-files=all | awk '{print $2}' | sort)
n=$(echo "$touched" | wc -l)
lines=$(git diff --numstat rules/measures.def | awk '{print $1 "+" $2 "-"}')
echo "a new measure touches $n files:" $touched "(rules/measures.def: $lines lines)"
[ "$lines" = "1+0-" ] || fail "rules/measures.def changed by $lines lines, not one added"
expected="rules/measures.def
rules/toy.c
rules/toy.params
tests/measures/toy/case-r2.ini
tests/measures/toy/case-r5.ini
tests/measures/toy/case-r6.ini"
[ "$touched" = "$expected" ] || fail "files touched: $touched"

echo "building the copy with the toy measure"
cmake -S . -B build -DKOFU_BUILD_TESTS=OFF -DKOFU_WERROR=ON >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" --target kofu_cli >/dev/null
K=build/kofu

$K help case | grep -q '^\[toy\]' || $K help case | grep -q 'toy' || fail "kofu help case does not list [toy]"
$K rules --format json | python3 -c '
import json, sys
rows = [r for r in json.load(sys.stdin) if r["measure"] == "toy"]
assert {r["name"] for r in rows} == {"rate", "cap"}, rows
' || fail "kofu rules does not list the toy parameters"
out=$($K calc --format json tests/measures/toy/case-r5.ini)
echo "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["measures"]["toy"]["grant"] == 1617000, r["measures"]
assert r["totals"]["national_grant"] == 1617000, r["totals"]
' || fail "kofu calc: the toy grant is not 1,617,000"
$K check tests/measures/toy/case-r6.ini >/dev/null || fail "kofu check: the toy claim does not match"
python3 tests/measures/run.py --kofu "$K" --root . || fail "the measure tests of the copy"

echo "golden tests of the copy: none may need re-recording for a new measure"
if ! python3 tests/golden/run.py --kofu "$K" --root . --jobs 2 >"$T/golden.log" 2>&1; then
    cat "$T/golden.log"
    fail "golden tests changed by a new measure:" $(grep '^FAIL ' "$T/golden.log" | sed 's/^FAIL //')
fi
echo "ok: the toy measure works from its two files, its tests and one line of the measure list"
