#!/bin/sh
# bench/bench_check.sh — kofu check over the bench set, against kofu batch.
#
# usage: bench/bench_check.sh [BUILD_DIR]          (default: build)
#   env KOFU_BENCH_DIR  where the cases live (default /tmp/kofu-bench-check;
#                       regenerated when the schema of the build changes)
#       KOFU_BENCH_N    number of cases (default 10000)
#
# The set is bench/gen_cases.py's (the same generator as bench/run.sh) with a
# [claim] section added to every case by bench/add_claims.py: the two totals
# and one amount per measure, computed by kofu itself, every 100th case wrong
# by 1,000 yen. Files in the page cache (one warm-up run, then best of 3).
# Prints, in files/s (wall clock and per CPU-second):
#   - kofu batch --format csv --jobs 1 on the same files;
#   - kofu check --format csv --jobs 1 and --jobs 2;
# and the ratios the targets are about: check --jobs 1 within 1.2x batch's
# time; check --jobs 2 at least 1.7x faster than --jobs 1.
set -eu
BUILD=${1:-build}
KOFU=$BUILD/kofu
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${KOFU_BENCH_DIR:-/tmp/kofu-bench-check}
N=${KOFU_BENCH_N:-10000}
[ -x "$KOFU" ] || { echo "build first: cmake --build $BUILD" >&2; exit 2; }

stamp="$N $("$KOFU" help case --lang en | cksum | cut -d' ' -f1)"
if [ "$(cat "$DIR/stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "generating $N cases with claims in $DIR (once per schema)" >&2
    rm -rf "$DIR"
    mkdir -p "$DIR"
    python3 "$HERE/gen_cases.py" --kofu "$KOFU" "$N" "$DIR/cases"
    python3 "$HERE/add_claims.py" --kofu "$KOFU" --wrong-every 100 "$DIR/cases"
    echo "$stamp" > "$DIR/stamp"
fi

python3 - "$KOFU" "$N" "$DIR/cases" <<'EOF'
import os, resource, subprocess, sys, time
kofu, n, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def run(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd[:5])}...: exit {p.returncode}")
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

def best(cmd, k=3):
    run(cmd)
    rs = [run(cmd) for _ in range(k)]
    return min(r[0] for r in rs), min(r[1] for r in rs)

print(f"kofu check bench: {os.cpu_count()} CPUs; {n} cases with claims in {cases} "
      f"(page cache warm; best of 3)")
res = {}
for name, cmd in (("batch csv --jobs 1", [kofu, "batch", "--format", "csv", "--jobs", "1", cases]),
                  ("check csv --jobs 1", [kofu, "check", "--format", "csv", "--jobs", "1", cases]),
                  ("check csv --jobs 2", [kofu, "check", "--format", "csv", "--jobs", "2", cases])):
    wall, cpu = best(cmd)
    res[name] = (wall, cpu)
    print(f"  {name:20s} {n / wall:9.0f} files/s wall ({wall:.3f} s), "
          f"{n / cpu:7.0f} files/s per CPU-second")
b1, c1, c2 = res["batch csv --jobs 1"], res["check csv --jobs 1"], res["check csv --jobs 2"]
print(f"  check --jobs 1 / batch --jobs 1 time: {c1[0] / b1[0]:.2f}x wall, {c1[1] / b1[1]:.2f}x CPU"
      f"  (target <= 1.2x)")
print(f"  check --jobs 2 speed-up over --jobs 1: {c1[0] / c2[0]:.2f}x  (target >= 1.7x)")
EOF
