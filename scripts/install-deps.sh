#!/usr/bin/env bash
# Installs the Debian 12 packages kofu needs (run as root).
#   scripts/install-deps.sh          build + run
#   scripts/install-deps.sh --test   also what the tests need (Criterion, valgrind, clang for
#                                    sanitizers, jsonschema, headless Chromium and Selenium)
set -euo pipefail
# xlsx out (libxlsxwriter), xlsx in (minizip + expat), the local web page
# (libmicrohttpd) and its chart (Chart.js, embedded into the binary at build time).
pkgs=(build-essential cmake pkg-config libgmp-dev libmpfr-dev libiniparser-dev libcjson-dev python3
      libxlsxwriter-dev libminizip-dev libexpat1-dev zlib1g-dev libmicrohttpd-dev libjs-chart.js)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(libcriterion-dev valgrind clang libclang-rt-14-dev
         python3-jsonschema chromium chromium-driver python3-selenium fonts-noto-cjk poppler-utils)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
