#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) into build-fuzz/ (or $KOFU_FUZZ_BUILD).
#   fuzz/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${KOFU_FUZZ_BUILD:-build-fuzz}
CC=${CC_FUZZ:-clang} cmake -S . -B "$build" -DCMAKE_C_COMPILER="${CC_FUZZ:-clang}" \
  -DKOFU_FUZZ=ON -DKOFU_SANITIZE=address,undefined -DKOFU_BUILD_TESTS=OFF -DKOFU_WERROR=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target fuzz_case fuzz_num fuzz_rules fuzz_http fuzz_csv fuzz_xlsx
