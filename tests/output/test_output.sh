#!/bin/sh
# tests/output/test_output.sh — what --output and `rules --export` will and
# will not overwrite (docs/limits.md, "Output"), on files this test makes in
# its own temporary directory: device nodes made with mknod (the null device
# 1,3 and the full device 1,7; never the system's /dev), a FIFO, links, a
# 250-byte name, an input named as the output, and the cause named by every
# write failure of batch and check.
#
# usage: test_output.sh KOFU SOURCE_DIR        (registered in tests/CMakeLists.txt)
set -u
KOFU=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
CASE=$SRC/examples/network-ict.ini
CLAIM=$SRC/tests/golden/check/cases/one-wrong.ini
cd "$T" || exit 1

# ---- device nodes: written in place, never replaced ---------------------------------
if mknod "$T/null" c 1 3 2>/dev/null && mknod "$T/full" c 1 7 2>/dev/null; then
    "$KOFU" batch --output "$T/null" "$CASE" 2>/dev/null
    rc=$?
    [ "$rc" = 0 ] && [ -c "$T/null" ] && ok "--output on a null device: exit 0, still a device" ||
        fail "--output on a null device: exit $rc, $(ls -l "$T/null")"
    "$KOFU" batch --lang en --output "$T/full" "$CASE" 2>"$T/err"
    rc=$?
    if [ "$rc" = 5 ] && [ -c "$T/full" ] && grep -q 'no space left on the device' "$T/err"; then
        ok "--output on a full device: exit 5, 'no space left', still a device"
    else
        fail "--output on a full device: exit $rc, $(cat "$T/err"), $(ls -l "$T/full")"
    fi
    for cmd in "batch $CASE" "batch --format jsonl $CASE" "check $CLAIM $CLAIM $CLAIM" "calc $CASE"; do
        # shellcheck disable=SC2086
        "$KOFU" --lang en $cmd >"$T/full" 2>"$T/err"
        rc=$?
        grep -q 'no space left on the device' "$T/err" && [ "$rc" = 5 ] &&
            ok "$cmd > full device: exit 5 naming the cause" ||
            fail "$cmd > full device: exit $rc, $(cat "$T/err")"
    done
    "$KOFU" --lang en calc --output "$T/full" "$CASE" 2>"$T/err"
    rc=$?
    [ "$rc" = 5 ] && [ -c "$T/full" ] && grep -q 'no space left on the device' "$T/err" &&
        ok "calc --output on a full device: exit 5 naming the cause, still a device" ||
        fail "calc --output on a full device: exit $rc, $(cat "$T/err")"
    for fmt in xlsx; do
        "$KOFU" calc --format $fmt --output "$T/null" "$CASE" 2>"$T/err"
        rc=$?
        [ "$rc" = 0 ] && [ -c "$T/null" ] && ok "calc --format $fmt --output null device: exit 0, still a device" ||
            fail "calc --format $fmt --output null device: exit $rc, $(cat "$T/err"), $(ls -l "$T/null")"
        "$KOFU" --lang en calc --format $fmt --output "$T/full" "$CASE" 2>"$T/err"
        rc=$?
        [ "$rc" = 5 ] && [ -c "$T/full" ] && grep -q 'no space left on the device' "$T/err" &&
            ok "calc --format $fmt --output full device: exit 5 naming the cause, still a device" ||
            fail "calc --format $fmt --output full device: exit $rc, $(cat "$T/err"), $(ls -l "$T/full")"
    done
    "$KOFU" --lang en check $CLAIM $CLAIM >"$T/null" 2>"$T/err"
    [ $? = 1 ] && ok "check > null device: exit 1 (the mismatch), no write error" ||
        fail "check > null device: $(cat "$T/err")"
else
    echo "skip: mknod is not permitted here (device-node checks need root)"
fi

# (a closed pipe: tests/golden/bad/output-closed-pipe-*.test)

# ---- a FIFO: written directly -----------------------------------------------------------
mkfifo "$T/fifo"
timeout 20 cat "$T/fifo" >"$T/from-fifo" &
reader=$!
timeout 20 "$KOFU" batch --output "$T/fifo" "$CASE" 2>/dev/null
rc=$?
[ "$rc" = 0 ] || exec 3>"$T/fifo" 3>&- # let a reader left waiting finish
wait "$reader"
[ "$rc" = 0 ] && [ -p "$T/fifo" ] && grep -q 'network-ict.ini' "$T/from-fifo" &&
    ok "--output on a FIFO: the reader gets the report, the FIFO stays" ||
    fail "--output on a FIFO: exit $rc"

# ---- the input itself -----------------------------------------------------------------------
mkdir "$T/cases"
cp "$CASE" "$T/cases/a.ini"
cp "$CASE" "$T/cases/b.ini"
for args in "--output cases/a.ini cases/" "--output cases/b.ini cases/a.ini cases/b.ini" \
            "--jobs 2 --output cases/b.ini cases"; do
    # shellcheck disable=SC2086
    "$KOFU" --lang en batch $args 2>"$T/err"
    rc=$?
    if [ "$rc" = 2 ] && cmp -s "$CASE" "$T/cases/a.ini" && cmp -s "$CASE" "$T/cases/b.ini" &&
        grep -q 'is the input' "$T/err" && [ "$(ls -A "$T/cases" | wc -l)" = 2 ]; then
        ok "batch $args: refused (exit 2), the inputs intact"
    else
        fail "batch $args: exit $rc, $(cat "$T/err"); $(ls -A "$T/cases")"
    fi
done
"$KOFU" calc --output cases/a.ini "$CASE" cases/a.ini 2>/dev/null
[ $? = 2 ] && cmp -s "$CASE" "$T/cases/a.ini" && ok "calc --output onto its input: refused" ||
    fail "calc --output onto its input"
ln "$T/cases/a.ini" "$T/hard.ini"
"$KOFU" batch --output "$T/hard.ini" cases 2>/dev/null
[ $? = 2 ] && cmp -s "$CASE" "$T/cases/a.ini" && ok "a hard link to an input: refused" ||
    fail "a hard link to an input was overwritten"

# ---- names and links ------------------------------------------------------------------------
long=$(printf 'r%.0s' $(seq 246)).csv
"$KOFU" batch --output "$T/$long" "$CASE" 2>"$T/err"
rc=$?
[ "$rc" = 0 ] && [ -s "$T/$long" ] && [ -z "$(ls -A "$T" | grep kofu-)" ] &&
    ok "a 250-byte output name: written, no temporary left" ||
    fail "a 250-byte output name: exit $rc, $(cat "$T/err")"
echo old >"$T/real.csv"
ln -s real.csv "$T/link.csv"
"$KOFU" batch --output "$T/link.csv" "$CASE" 2>/dev/null
[ $? = 0 ] && [ -L "$T/link.csv" ] && grep -q 'network-ict.ini' "$T/real.csv" &&
    ok "a link to a regular file: the file is replaced, the link stays" ||
    fail "a link to a regular file: $(ls -l "$T/link.csv" "$T/real.csv")"
mkdir "$T/adir"
"$KOFU" batch --output "$T/adir" "$CASE" 2>/dev/null
[ $? = 2 ] && [ -d "$T/adir" ] && ok "a directory as --output: exit 2" || fail "a directory as --output"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    mkdir "$T/ro" && chmod 755 "$T" && chmod 555 "$T/ro"
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$KOFU" --lang en batch --output "$T/ro/x.csv" "$CASE" 2>"$T/err"
    rc=$?
    [ "$rc" = 5 ] && grep -q 'permission denied' "$T/err" &&
        ok "an unwritable directory: exit 5, 'permission denied'" ||
        fail "an unwritable directory: exit $rc, $(cat "$T/err")"
fi

# ---- rules --export ----------------------------------------------------------------------------
"$KOFU" rules --export "$T/r" 2>/dev/null && [ -f "$T/r/network.params" ] &&
    ok "export into a new directory" || fail "export into a new directory"
echo '; edited' >>"$T/r/network.params"
"$KOFU" rules --export "$T/r" 2>/dev/null
[ $? = 2 ] && tail -n1 "$T/r/network.params" | grep -q edited &&
    ok "export into a non-empty directory: refused (exit 2), edits kept" ||
    fail "export overwrote a non-empty directory"
mkdir "$T/s"
echo secret >"$T/secret"
ln -s ../secret "$T/s/network.params"
mkfifo "$T/s/cooperative.params"
timeout 10 "$KOFU" rules --export "$T/s" --force 2>/dev/null
rc=$?
[ "$rc" = 0 ] && [ "$(cat "$T/secret")" = secret ] && [ -f "$T/s/network.params" ] &&
    [ ! -L "$T/s/network.params" ] && [ -f "$T/s/cooperative.params" ] &&
    [ -z "$(ls -A "$T/s" | grep kofu)" ] &&
    ok "export --force: a planted link and a FIFO replaced, never written through" ||
    fail "export --force through a link/FIFO: exit $rc, secret=$(cat "$T/secret")"

[ "$fails" = 0 ] && echo "all output properties hold" || echo "$fails failed"
[ "$fails" = 0 ]
