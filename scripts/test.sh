#!/usr/bin/env bash
# Installs what the tests need, builds kofu with warnings as errors, and runs
# every test: Criterion unit tests and the golden CLI tests (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DKOFU_WERROR=ON -DKOFU_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
