#!/bin/sh
# bench_html.sh — the printable report of a 100-case batch: the wall time of
# `kofu calc --format html --output FILE` over 100 generated case files (one
# HTML document, the calculation of every case in it), best of 5 runs, and
# the same with --trace-free text output for comparison. Target: under 1 s.
#
# usage: bench/bench_html.sh [BUILD_DIR]   (default build)
set -eu
build=${1:-build}
kofu=$build/kofu
dir=${TMPDIR:-/tmp}/kofu-bench-html
if [ ! -d "$dir/cases" ]; then
    mkdir -p "$dir"
    python3 "$(dirname "$0")/gen_cases.py" --kofu "$kofu" --seed 15 100 "$dir/cases" 2>/dev/null
fi
set -- $(find "$dir/cases" -name '*.ini' | sort)
n=$#
best() { # best wall time in ms of 5 runs of "$@"
    b=
    for _ in 1 2 3 4 5; do
        t0=$(date +%s%N)
        "$@" >/dev/null
        t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
    done
    echo "$b"
}
html=$(best "$kofu" calc --format html --output "$dir/report.html" "$@")
size=$(wc -c < "$dir/report.html")
text=$(best "$kofu" calc "$@")
echo "kofu calc --format html --output FILE, $n cases: ${html} ms (best of 5), $size bytes"
echo "kofu calc (text headline), $n cases:              ${text} ms (best of 5)"
if [ "$html" -lt 1000 ]; then echo "target (< 1 s): met"; else echo "target (< 1 s): NOT met"; fi
