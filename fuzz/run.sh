#!/usr/bin/env bash
# Runs one libFuzzer target for a given time.
#   fuzz/run.sh TARGET SECONDS [libFuzzer options...]
# TARGET is case, num, rules, http, csv or xlsx. The corpus grows in fuzz/corpus-TARGET/
# (not committed), seeded from fuzz/seeds/TARGET/ and, for case and rules,
# from examples/, tests/ and rules/. Crashes, leaks and timeouts are written
# to fuzz/out/ and make the script exit non-zero. Build first: fuzz/build.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: fuzz/run.sh case|num|rules|http|csv|xlsx SECONDS [libFuzzer options...]" >&2; exit 2; }
target=$1 seconds=$2
shift 2
build=${KOFU_FUZZ_BUILD:-build-fuzz}
bin=$build/fuzz/fuzz_$target
[ -x "$bin" ] || { echo "fuzz/run.sh: $bin not built (run fuzz/build.sh)" >&2; exit 2; }
corpus=fuzz/corpus-$target
mkdir -p "$corpus" fuzz/out

# Seeds: committed small inputs plus the project's own files.
seed_files=()
case $target in
  case)  seed_files=(examples/*.ini) ;;
  rules) seed_files=(rules/*.params examples/*.ini) ;;
  csv)   seed_files=(tests/tables/*.csv) ;;
  xlsx)  seed_files=(tests/tables/*.xlsx) ;;
esac
for dir in tests/golden tests/bad; do
  [ "$target" = num ] || [ "$target" = csv ] || [ "$target" = xlsx ] && break
  while IFS= read -r -d '' f; do seed_files+=("$f"); done \
    < <(find "$dir" -name '*.ini' -size -64k -print0 2>/dev/null)
done
for f in "${seed_files[@]}"; do
  [ -f "$f" ] && cp -f "$f" "$corpus/seed-$(echo "$f" | tr '/' '_')"
done

max_len=65536
seeds=()
[ -d "fuzz/seeds/$target" ] && seeds=("fuzz/seeds/$target")
dict=()
[ "$target" = num ] && max_len=256
[ -f "fuzz/$target.dict" ] && dict=(-dict="fuzz/$target.dict")
export KOFU_SOURCE_DIR=$PWD
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len \
  -print_final_stats=1 -artifact_prefix=fuzz/out/"$target"- "${dict[@]}" "$@" "$corpus" "${seeds[@]}"
