#!/bin/sh
# tests/batch/test_batch.sh — properties of `kofu batch` that golden files
# cannot show: byte-identical output for --jobs 1, 2 and 4 over 250 generated
# cases (plus bad ones), JSON Lines equal to calc's JSON, --output through a
# temporary file (complete or absent, never half), and a clean interrupt.
#
# usage: test_batch.sh KOFU SOURCE_DIR        (registered in tests/CMakeLists.txt)
set -u
KOFU=$1
SRC=$2
# one clock for every run: outputs of separate runs are compared byte for byte
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1796115600}
export SOURCE_DATE_EPOCH
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

python3 "$SRC/bench/gen_cases.py" --kofu "$KOFU" --per-dir 100 250 "$T/cases" 2>/dev/null ||
    { echo "cannot generate cases"; exit 1; }
# bad inputs among the good ones, at places the threads will race past
: > "$T/cases/0001/case-0000150.ini"                        # empty: replaces a good one
printf '[case]\nid = x\nfiscal_year = R4\n[network]\neligible_cots = 1\n' > "$T/cases/0000/case-0000050a.ini"
mkdir "$T/cases/0002/dir.ini"
N=252 # 250 generated + 1 typo + 1 directory (the empty file replaced one)

# --- the same bytes whatever --jobs is -----------------------------------------
for fmt in csv jsonl; do
    "$KOFU" batch --format "$fmt" --jobs 1 "$T/cases" > "$T/j1.$fmt" 2> "$T/e1"
    rc1=$?
    for j in 2 4; do
        "$KOFU" batch --format "$fmt" --jobs "$j" "$T/cases" > "$T/j$j.$fmt" 2> "$T/e$j"
        rc=$?
        if cmp -s "$T/j1.$fmt" "$T/j$j.$fmt" && [ "$rc" = "$rc1" ] && cmp -s "$T/e1" "$T/e$j"; then
            ok "$fmt: --jobs $j output, summary and exit code identical to --jobs 1"
        else
            fail "$fmt: --jobs $j differs from --jobs 1 (exit $rc vs $rc1)"
        fi
    done
    [ "$rc1" = 3 ] && ok "$fmt: exit 3 with failed cases" || fail "$fmt: exit $rc1, expected 3"
done
rows=$(($(wc -l < "$T/j1.csv") - 1))
[ "$rows" = "$N" ] && ok "one CSV row per input ($rows)" || fail "$rows CSV rows, expected $N"
lines=$(wc -l < "$T/j1.jsonl")
[ "$lines" = "$N" ] && ok "one JSON line per input" || fail "$lines JSON lines, expected $N"
errs=$(tail -n +2 "$T/j1.csv" | grep -c ',エラー,')
[ "$errs" = 3 ] && ok "three error rows" || fail "$errs error rows, expected 3"
grep -q '^[^,]*case-0000050a.ini,,,,,,エラー,.*eligible_cots' "$T/j1.csv" && ok "typo row in place" ||
    fail "typo row missing"

# --- JSON Lines: the contract, and the same object as calc --format json ---------
/usr/bin/python3 "$SRC/tests/contract/check_schema.py" "$T/j1.jsonl" > "$T/contract" ||
    fail "JSON Lines off the contract: $(tail -3 "$T/contract")"
first=$(find "$T/cases/0000" -name 'case-0000001.ini')
"$KOFU" calc --format json "$first" > "$T/calc.json"
"$KOFU" batch --format jsonl "$first" > "$T/one.jsonl" 2>/dev/null
if python3 - "$T/calc.json" "$T/one.jsonl" "$first" <<'EOF'
import json, sys
calc = json.load(open(sys.argv[1], encoding="utf-8"))
line = open(sys.argv[2], encoding="utf-8").read()
# cJSON's unformatted form: no blanks, non-ASCII as is; batch puts the file first
want = json.dumps({"file": sys.argv[3], **calc}, ensure_ascii=False, separators=(",", ":")) + "\n"
sys.exit(0 if line == want else 1)
EOF
then ok "JSON line = calc's JSON with its file, compact"; else fail "JSON line differs from calc's JSON"; fi

# --- --output: complete file, no temporary left, old report kept on failure ------
"$KOFU" batch --jobs 2 --output "$T/out/report.csv" "$T/cases" 2>/dev/null
[ $? = 5 ] && [ ! -e "$T/out" ] && ok "--output into a missing directory: exit 5, nothing written" ||
    fail "--output into a missing directory"
mkdir "$T/out"
"$KOFU" batch --jobs 2 --output "$T/out/report.csv" "$T/cases" > "$T/stdout" 2>/dev/null
if cmp -s "$T/out/report.csv" "$T/j1.csv" && [ ! -s "$T/stdout" ] &&
    [ "$(ls -A "$T/out")" = "report.csv" ]; then
    ok "--output: same bytes as stdout, nothing else in the directory"
else
    fail "--output: report differs or a temporary file was left: $(ls -A "$T/out")"
fi
echo "old report" > "$T/out/keep.csv"
"$KOFU" batch --output "$T/out/keep.csv" --rules "$T/no-such-rules" "$T/cases" 2>/dev/null
[ "$(cat "$T/out/keep.csv")" = "old report" ] && ok "failed run leaves the old report alone" ||
    fail "failed run replaced the old report"

# --- an interrupted run leaves no report that looks complete ----------------------
many=$(i=0; while [ $i -lt 400 ]; do printf '%s ' "$T/cases"; i=$((i + 1)); done)
# shellcheck disable=SC2086 # 400 × 252 inputs: long enough to be interrupted
"$KOFU" batch --output "$T/out/int.csv" $many 2>/dev/null &
pid=$!
sleep 0.3
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
if [ "$rc" != 0 ] && [ ! -e "$T/out/int.csv" ] && [ -z "$(ls -A "$T/out" | grep kofu-)" ]; then
    ok "SIGTERM mid-run: no report, no temporary file (exit $rc)"
elif [ "$rc" = 0 ]; then
    echo "skip: the run finished before the signal"
else
    fail "SIGTERM mid-run left: $(ls -A "$T/out")"
fi

[ "$fails" = 0 ] && echo "all batch properties hold" || echo "$fails failed"
[ "$fails" = 0 ]
