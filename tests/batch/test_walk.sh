#!/bin/sh
# tests/batch/test_walk.sh — the walker loses nothing (cli/walk.c) and names
# are safe to show: a directory it cannot read is an error row naming the
# path and the reason; a case deeper than PATH_MAX is computed; a file name
# that is not UTF-8 stays valid JSON (\udcXX) and its bytes in CSV; a file
# name holding an escape sequence is escaped in text output.
#
# usage: test_walk.sh KOFU SOURCE_DIR        (registered in tests/CMakeLists.txt)
set -u
KOFU=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
CASE=$SRC/examples/network-ict.ini

# ---- a name that is not UTF-8 (Shift_JIS 東) ---------------------------------------------
mkdir "$T/names"
cp "$CASE" "$T/names/$(printf 'sjis-\223\214.ini')"
"$KOFU" batch --format jsonl "$T/names" >"$T/out.jsonl" 2>/dev/null
if python3 - "$T/out.jsonl" <<'PY'
import json, os, sys
lines = open(sys.argv[1], "rb").read().decode("utf-8").splitlines()  # strict UTF-8
rec = json.loads(lines[0])
name = os.fsencode(rec["file"]).split(b"/")[-1]   # \udcXX back to the bytes
sys.exit(0 if len(lines) == 1 and name == b"sjis-\x93\x8c.ini" and "error" not in rec else 1)
PY
then ok "a non-UTF-8 name: valid JSON, \\udcXX giving the bytes back"; else fail "non-UTF-8 name in JSON: $(cat "$T/out.jsonl" | head -c 300)"; fi
"$KOFU" batch --format csv "$T/names" >"$T/out.csv" 2>/dev/null
grep -q "$(printf 'sjis-\223\214.ini')" "$T/out.csv" && ok "a non-UTF-8 name: its bytes kept in CSV" ||
    fail "non-UTF-8 name in CSV"

# ---- an escape sequence in a file name, in text output ---------------------------------------
esc="$T/names/$(printf 'red\033[31m.ini')"
cp "$CASE" "$esc"
"$KOFU" validate "$esc" >"$T/out.txt" 2>&1
if grep -q 'red\\x1b\[31m.ini' "$T/out.txt" && ! grep -q "$(printf '\033')" "$T/out.txt"; then
    ok "an escape sequence in a file name: shown as \\x1b in text"
else
    fail "escape sequence printed raw: $(cat -v "$T/out.txt")"
fi
rm "$esc"

# ---- deeper than PATH_MAX -------------------------------------------------------------------------
mkdir "$T/deep"
python3 - "$T/deep" "$CASE" <<'PY' || fail "cannot build the deep tree"
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(25):                      # 25 x 201 bytes: past PATH_MAX (4096)
    os.mkdir("d" * 200, dir_fd=fd)
    nfd = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
out = os.open("deep.ini", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
os.write(out, open(sys.argv[2], "rb").read())
os.close(out)
PY
"$KOFU" batch "$T/deep" >"$T/deep.csv" 2>"$T/err"
rc=$?
rows=$(($(wc -l <"$T/deep.csv") - 1))
if [ "$rc" = 0 ] && [ "$rows" = 1 ] && grep -q 'deep.ini' "$T/deep.csv" && ! grep -q ',error,' "$T/deep.csv"; then
    ok "a case below a path longer than PATH_MAX: computed"
else
    fail "deep case: exit $rc, $rows rows, $(cut -c1-200 "$T/deep.csv" | tail -1) $(cat "$T/err")"
fi
python3 -c "import shutil,sys; shutil.rmtree(sys.argv[1])" "$T/deep"

# ---- a directory it cannot read: an error row, not a silence -----------------------------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    mkdir -p "$T/perm/locked" "$T/perm/open"
    cp "$CASE" "$T/perm/open/a.ini"
    cp "$CASE" "$T/perm/locked/b.ini"
    chmod 755 "$T" "$T/perm" "$T/perm/open"
    chmod 644 "$T/perm/open/a.ini"
    chmod 000 "$T/perm/locked"
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$KOFU" --lang en batch "$T/perm" >"$T/perm.csv" 2>/dev/null
    rc=$?
    if [ "$rc" = 3 ] && grep -q 'perm/locked: cannot open the directory: permission denied' "$T/perm.csv" &&
        grep -q 'open/a.ini' "$T/perm.csv"; then
        ok "an unreadable directory: an error row naming it and the reason (exit 3)"
    else
        fail "unreadable directory: exit $rc, $(cat "$T/perm.csv")"
    fi
else
    echo "skip: the unreadable-directory check needs root (to drop to nobody)"
fi

[ "$fails" = 0 ] && echo "the walker loses nothing" || echo "$fails failed"
[ "$fails" = 0 ]
