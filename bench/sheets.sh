#!/usr/bin/env bash
# bench/sheets.sh — figures for case tables and workbooks (issue 16):
#   - kofu batch over an N-row CSV case table vs the same cases as N INI files
#     (cases per second, --jobs 1, CSV out), for N = 1,000 and 100,000;
#   - peak memory (max RSS) of the table batch for both sizes (it should not grow);
#   - the same tables as xlsx workbooks (numbers as numeric cells), read by batch:
#     cases per second and peak memory (the sheet is streamed; the shared strings,
#     the distinct case ids, are what grows);
#   - the xlsx writer: kofu batch --format xlsx over a 10,000-case table.
# usage: bench/sheets.sh [BUILD_DIR]     (default build; cases cached in /tmp/kofu-bench-sheets)
set -euo pipefail
cd "$(dirname "$0")/.."
kofu=${1:-build}/kofu
dir=/tmp/kofu-bench-sheets
mkdir -p "$dir"
gen() { # N: a table of network cases and the same cases as INI files
  local n=$1
  [ -f "$dir/t$n.csv" ] && return
  python3 - "$n" "$dir" <<'PY'
import os, sys
n, d = int(sys.argv[1]), sys.argv[2]
os.makedirs(f"{d}/ini{n}", exist_ok=True)
with open(f"{d}/t{n}.csv", "w", newline="") as t:
    t.write("case.id,case.fiscal_year,network.eligible_cost,network.specialist,network.ict\r\n")
    for i in range(n):
        cost = 1_000_000 + (i * 7919) % 30_000_000
        sp, ict = ("yes" if i % 3 == 0 else "no"), ("yes" if i % 2 == 0 else "no")
        t.write(f"c{i:06d},R4,{cost},{sp},{ict}\r\n")
        sub = f"{d}/ini{n}/{i // 1000:03d}"
        os.makedirs(sub, exist_ok=True)
        with open(f"{sub}/c{i:06d}.ini", "w") as f:
            f.write(f"[case]\nid = c{i:06d}\nfiscal_year = R4\n[network]\n"
                    f"eligible_cost = {cost}\nspecialist = {sp}\nict = {ict}\n")
PY
}
secs() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
for n in 1000 100000; do
  gen $n
  read -r ts tm <<<"$(secs "$kofu" batch --jobs 1 "$dir/t$n.csv")"
  read -r is im <<<"$(secs "$kofu" batch --jobs 1 "$dir/ini$n")"
  python3 -c "
n,ts,is_,tm,im=$n,$ts,$is,$tm,$im
print(f'{n:>7} cases: table {n/max(ts,1e-3):>9,.0f}/s ({ts:.2f} s, {tm/1024:.1f} MiB)   '
      f'INI files {n/max(is_,1e-3):>9,.0f}/s ({is_:.2f} s, {im/1024:.1f} MiB)   ratio {is_/max(ts,1e-3):.1f}x')"
  [ -f "$dir/t$n.xlsx" ] || python3 tests/tables/xlsxgen.py "$dir/t$n.csv" "$dir/t$n.xlsx"
  read -r xs xm <<<"$(secs "$kofu" batch --jobs 1 "$dir/t$n.xlsx")"
  python3 -c "
n,xs,xm,is_=$n,$xs,$xm,$is
print(f'{n:>7} cases: xlsx  {n/max(xs,1e-3):>9,.0f}/s ({xs:.2f} s, {xm/1024:.1f} MiB)   ratio to INI files {is_/max(xs,1e-3):.1f}x')"
done
head -10001 "$dir/t100000.csv" > "$dir/t10000.csv"
read -r xs xm <<<"$(secs "$kofu" batch --format xlsx --output "$dir/b.xlsx" "$dir/t10000.csv")"
echo "xlsx: batch of 10,000 cases into a workbook in $xs s ($((xm / 1024)) MiB)"
