#!/bin/sh
# bench/run.sh — kofu's speed and memory figures, against the parser floor.
#
# usage: bench/run.sh [BUILD_DIR]          (default: build)
#   env KOFU_BENCH_DIR  where the generated cases live (default /tmp/kofu-bench;
#                       regenerated when the measures of the build change)
#       KOFU_BENCH_N    throughput set size (default 10000, from the 100,000 set)
#
# Prints, for files in the page cache (one warm-up run first, then best of 3):
#   - the parser floor: iniparser_load + iniparser_freedict alone over the same
#     files (bench_parse_floor), in files/s;
#   - kofu batch --jobs 1 and --jobs 2 (CSV, and JSON Lines which carries the
#     whole trace), files/s by wall clock and by CPU time, and the ratios the
#     targets are about (jobs 1 within 1.5x the floor's time; jobs 2 >= 1.7x
#     jobs 1);
#   - peak RSS of kofu batch for 1,000 and for 100,000 cases (target: within 10%);
#   - kofu calc on one case, wall time, start-up and rule loading included
#     (median of 21 runs; target < 5 ms).
# The machine may be shared: CPU-time rates are the steadier figure.
set -eu
BUILD=${1:-build}
KOFU=$BUILD/kofu
FLOOR=$BUILD/bench_parse_floor
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${KOFU_BENCH_DIR:-/tmp/kofu-bench}
N=${KOFU_BENCH_N:-10000}
[ -x "$KOFU" ] && [ -x "$FLOOR" ] || { echo "build first: cmake --build $BUILD" >&2; exit 2; }

# ---- cases (regenerated when the schema changes) ------------------------------------
stamp=$("$KOFU" help case --lang en | cksum | cut -d' ' -f1)
if [ "$(cat "$DIR/stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "generating 1,000 and 100,000 cases in $DIR (once per schema; about a minute)" >&2
    rm -rf "$DIR"
    mkdir -p "$DIR"
    python3 "$HERE/gen_cases.py" --kofu "$KOFU" 1000 "$DIR/c1k"
    python3 "$HERE/gen_cases.py" --kofu "$KOFU" 100000 "$DIR/c100k"
    echo "$stamp" > "$DIR/stamp"
fi
# the throughput set: the first N/1000 directories of the 100,000 set
SET=$(ls -d "$DIR"/c100k/* | head -n $((N / 1000)) | tr '\n' ' ')
NSET=$((N / 1000 * 1000))

python3 - "$KOFU" "$FLOOR" "$NSET" "$DIR" $SET <<'EOF'
import os, re, resource, subprocess, sys, time
kofu, floor, n, dirs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
paths = sys.argv[5:]

def run(cmd):
    """(wall s, cpu s, max rss KB) of one run, output discarded."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd[:4])}...: exit {p.returncode}")
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, cpu, r1.ru_maxrss

def best(cmd, k=3):
    run(cmd)  # warm-up: page cache, dentries
    rs = [run(cmd) for _ in range(k)]
    return min(r[0] for r in rs), min(r[1] for r in rs)

def rss(cmd):
    """Peak RSS in KB of kofu itself (GNU time execs it directly)."""
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    return int(p.stderr.strip().splitlines()[-1])

# the floor, timed inside its own process (no start-up in the figure)
subprocess.run([floor, "--repeat", "1"] + paths, capture_output=True)
fl = subprocess.run([floor, "--repeat", "3"] + paths, capture_output=True, text=True).stdout
m = re.search(r"in ([0-9.]+) s .*CPU: ([0-9.]+) s", fl)
floor_t, floor_c = float(m.group(1)), float(m.group(2))
print(f"kofu bench: {os.cpu_count()} CPUs; {n} files from {dirs}/c100k "
      f"(all measures of this build; page cache warm; best of 3)")
print(f"  parser floor (iniparser_load+freedict) {n / floor_t:9.0f} files/s wall "
      f"({floor_t:.3f} s), {n / floor_c:7.0f} files/s per CPU-second")
res = {}
for fmt in ("csv", "jsonl"):
    for j in (1, 2):
        wall, cpu = best([kofu, "batch", "--format", fmt, "--jobs", str(j)] + paths)
        res[fmt, j] = (wall, cpu)
        print(f"  kofu batch --format {fmt:5} --jobs {j}    {n / wall:9.0f} files/s wall "
              f"({wall:.3f} s), {n / cpu:7.0f} files/s per CPU-second")
w1, c1 = res["csv", 1]
w2, _ = res["csv", 2]
print(f"  jobs 1 / floor: {w1 / floor_t:.2f}x the floor's time by wall, {c1 / floor_c:.2f}x by CPU"
      f" (target <= 1.5x)")
print(f"  jobs 2 / jobs 1: {w1 / w2:.2f}x the rate (target >= 1.7x)")
small = rss([kofu, "batch", "--jobs", "2", f"{dirs}/c1k"])
large = rss([kofu, "batch", "--jobs", "2", f"{dirs}/c100k"])
small1 = rss([kofu, "batch", "--jobs", "1", f"{dirs}/c1k"])
large1 = rss([kofu, "batch", "--jobs", "1", f"{dirs}/c100k"])
print(f"  peak RSS --jobs 1: 1,000 cases {small1} KB, 100,000 cases {large1} KB "
      f"({(large1 - small1) * 100 / small1:+.1f}%)")
print(f"  peak RSS --jobs 2: 1,000 cases {small} KB, 100,000 cases {large} KB "
      f"({(large - small) * 100 / small:+.1f}%; target within 10%)")
one = os.path.join(dirs, "c1k", "0000", "case-0000001.ini")
ts = []
for _ in range(21):
    t0 = time.perf_counter()
    subprocess.run([kofu, "calc", one], stdout=subprocess.DEVNULL)
    ts.append(time.perf_counter() - t0)
ts.sort()
print(f"  kofu calc, one case: median {ts[10] * 1000:.2f} ms wall, min {ts[0] * 1000:.2f} ms "
      f"(start-up and rule loading included; target < 5 ms)")
EOF
