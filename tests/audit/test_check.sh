#!/bin/sh
# tests/audit/test_check.sh — properties of `kofu check` over many files that
# golden files cannot show: byte-identical output for --jobs 1 and 2 (CSV,
# text, JSON) over 500 generated cases with claims, some wrong and some bad
# files among them; --output gives the same bytes as stdout; one row per
# claim and per invalid file.
#
# usage: test_check.sh KOFU SOURCE_DIR        (registered in tests/CMakeLists.txt)
set -u
KOFU=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

python3 "$SRC/bench/gen_cases.py" --kofu "$KOFU" --per-dir 100 500 "$T/cases" 2>/dev/null &&
    python3 "$SRC/bench/add_claims.py" --kofu "$KOFU" --wrong-every 37 "$T/cases" 2>/dev/null ||
    { echo "cannot generate cases"; exit 1; }
# bad files at places the threads race past, an upper-case name, a duplicate id
printf '[case]\nid = x\nfiscal_year = R4\n[network]\neligible_cots = 1\n' > "$T/cases/0001/case-0000150a.ini"
: > "$T/cases/0003/case-0000333.ini"
cp "$T/cases/0002/case-0000201.ini" "$T/cases/0004/COPY.INI"

for fmt in csv text json; do
    "$KOFU" check --format "$fmt" --jobs 1 "$T/cases" > "$T/j1.$fmt" 2> "$T/e1"
    rc1=$?
    "$KOFU" check --format "$fmt" --jobs 2 "$T/cases" > "$T/j2.$fmt" 2> "$T/e2"
    rc=$?
    if cmp -s "$T/j1.$fmt" "$T/j2.$fmt" && [ "$rc" = "$rc1" ] && cmp -s "$T/e1" "$T/e2"; then
        ok "$fmt: --jobs 2 output, counts and exit code identical to --jobs 1"
    else
        fail "$fmt: --jobs 2 differs from --jobs 1 (exit $rc vs $rc1)"
    fi
    [ "$rc1" = 3 ] && ok "$fmt: exit 3 with invalid files" || fail "$fmt: exit $rc1, expected 3"
done

claims=$(grep -c '^\(totals\|rmo_\|cooperative\|network\)[a-z_.]* = ' -r "$T/cases" | awk -F: '{s += $2} END {print s}')
rows=$(grep -c ',\(match\|mismatch\),' "$T/j1.csv")
[ "$rows" = "$claims" ] && ok "one CSV row per claim ($rows)" || fail "$rows claim rows, expected $claims"
errs=$(grep -c ',error,' "$T/j1.csv")
[ "$errs" = 2 ] && ok "one error row per invalid file" || fail "$errs error rows, expected 2"
grep -q 'COPY.INI,.*,finding,duplicate_case_id,' "$T/j1.csv" && ok "COPY.INI read, its duplicate id found" ||
    fail "no duplicate_case_id row for COPY.INI"
grep -q ',mismatch,' "$T/j1.csv" && ok "wrong claims reported" || fail "no mismatch row"

"$KOFU" check --format csv --jobs 2 --output "$T/report.csv" "$T/cases" 2>/dev/null
cmp -s "$T/report.csv" "$T/j1.csv" && ok "--output holds the same bytes as stdout" ||
    fail "--output differs from stdout"
ls -a "$T" | grep -q 'kofu-' && fail "a temporary file was left behind" || ok "no temporary file left"

"$KOFU" check --format csv --only-problems --jobs 2 "$T/cases" > "$T/problems.csv" 2>/dev/null
grep -q ',match,' "$T/problems.csv" && fail "--only-problems kept a matching row" ||
    ok "--only-problems drops the matching rows"

echo "$fails failed"
[ "$fails" = 0 ]
