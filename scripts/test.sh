#!/usr/bin/env bash
# Installs what the tests need, then runs every check CI runs (any failure
# fails the script):
#   1. build (warnings as errors) and run every test: Criterion unit tests and
#      the golden CLI tests (ctest);
#   2. the same build and tests under AddressSanitizer + UndefinedBehaviorSanitizer
#      (build-asan/; a report aborts the process, a leak fails it);
#   3. the golden CLI tests and the server's API tests under valgrind memcheck (zero errors, zero leaks of
#      any kind);
#   4. a toy measure added to a copy of the tree works from its two files,
#      its tests and one line of rules/measures.def (tests/add_measure/run.sh);
#   5. each libFuzzer target of fuzz/ for KOFU_FUZZ_SECONDS (default 60),
#      all at once (build-fuzz/, clang);
#   6. the repository on its own: its files (git ls-files) copied to a fresh
#      directory with nothing beside it, where step 1 must pass too.
# docs/limits.md explains each step and how to run it alone.
#   KOFU_TEST_QUICK=1 scripts/test.sh   only step 1 (while editing)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
jobs=$(nproc 2>/dev/null || echo 2)
t0=$SECONDS
step() { printf '\n== %s (%ds so far)\n' "$*" $((SECONDS - t0)); }

step "build and test"
cmake -S . -B build -DKOFU_WERROR=ON -DKOFU_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
[ "${KOFU_TEST_QUICK:-}" = 1 ] && exit 0

step "AddressSanitizer + UndefinedBehaviorSanitizer: build and test"
cmake -S . -B build-asan -DKOFU_WERROR=ON -DKOFU_BUILD_TESTS=ON \
  -DKOFU_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j"$jobs"
# Criterion runs each test in a child process: a leak found at its exit
# marks that test as crashed, so detect_leaks works there too.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

step "valgrind memcheck: golden tests"
python3 tests/golden/run.py --kofu build/kofu --root . --valgrind --jobs "$jobs"
# kofu serve under memcheck: the endpoints, errors and checks (the slow
# concurrency and command tests run in step 1)
python3 tests/server/test_api.py --kofu build/kofu --root . --valgrind Pages Listings Calculate \
  Check Downloads Sweep.test_errors Table Guards.test_host Guards.test_origin Guards.test_body_limit \
  Guards.test_every_answer_has_meta

step "a new measure in one place: the toy measure added to a copy of the tree"
sh tests/add_measure/run.sh .

step "fuzzing: each target ${KOFU_FUZZ_SECONDS:-60}s"
bash fuzz/build.sh
pids=()
for target in case num rules http csv xlsx; do
  bash fuzz/run.sh "$target" "${KOFU_FUZZ_SECONDS:-60}" >"build-fuzz/fuzz-$target.log" 2>&1 &
  pids+=($!)
done
failed=0
i=0
for target in case num rules http csv xlsx; do
  if wait "${pids[$i]}"; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "build-fuzz/fuzz-$target.log" | sed "s/^/$target: /" || true
  else
    echo "fuzz target $target FAILED (input saved in fuzz/out/):"
    tail -n 60 "build-fuzz/fuzz-$target.log"
    failed=1
  fi
  i=$((i + 1))
done
[ "$failed" = 0 ] || exit 1

step "the repository on its own: step 1 in a copy with nothing beside it"
# Nothing may reach outside the repository (a sibling directory of notes, a
# checker kept elsewhere): copy what git tracks (and new files not ignored)
# into a fresh directory and run the quick suite there.
base=$(mktemp -d "${TMPDIR:-/tmp}/kofu-alone.XXXXXX")
trap 'rm -rf "$base"' EXIT
alone=$base/kofu # the only entry of its parent: nothing beside it
mkdir "$alone"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -xf - -C "$alone"
else
  tar --exclude='./build' --exclude='./build-*' --exclude='./fuzz/corpus-*' --exclude='./fuzz/out' \
    -cf - . | tar -xf - -C "$alone"
fi
KOFU_TEST_QUICK=1 bash "$alone/scripts/test.sh"

step "all checks passed"
