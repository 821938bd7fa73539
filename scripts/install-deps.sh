#!/usr/bin/env bash
# Installs the Debian 12 packages kofu needs (run as root).
#   scripts/install-deps.sh          build + run
#   scripts/install-deps.sh --test   also what the tests need (Criterion, valgrind, clang for sanitizers)
set -euo pipefail
pkgs=(build-essential cmake pkg-config libgmp-dev libmpfr-dev libiniparser-dev libcjson-dev python3)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(libcriterion-dev valgrind clang libclang-rt-14-dev)
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
