#!/bin/sh
# check_evgen_interrupted.sh - evgen killed by SIGTERM or SIGINT while it
# writes its outputs leaves the old set or the new set, whole, and no
# temporary file. Run by `make test` (check-evgen-interrupted).
#
# strace delivers the signal at an exact point of a real run of evgen: at
# a temporary file's fchmod (step 1: some temporary files exist, none is
# renamed) and at the first rename (step 2: the signal must wait until the
# set is in place). Before the output set, each file was renamed as soon as
# it was written: both left a mix of new and old files, and the first a
# ".NAME.tmp.XXXXXX" file. Skipped where strace is missing or cannot trace.
# Environment: EVGEN (build/evgen). Run from the repository root.
set -u

EVGEN=${EVGEN:-build/evgen}
[ -x "$EVGEN" ] || { echo "check_evgen_interrupted: $EVGEN is not built" >&2; exit 1; }
if ! command -v strace >/dev/null 2>&1 || ! strace -qq -o /dev/null true 2>/dev/null; then
    echo "check_evgen_interrupted: skipped (strace is missing or cannot trace here)"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/evgen-interrupted.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "check_evgen_interrupted: $*" >&2
    exit 1
}

# The old set (the shop catalog) and the new one (catalog.yaml) differ in
# four files; the runtime files are the same and never rewritten.
"$EVGEN" -o "$tmp/old" examples/shop/catalog.yaml || fail "cannot generate the old set"
"$EVGEN" -o "$tmp/new" catalog.yaml || fail "cannot generate the new set"

# interrupt NAME SIGNAL SYSCALL WHEN EXPECTED_SET: evgen replaces the old set
# by the new one, SIGNAL delivered at the WHEN-th call of SYSCALL.
interrupt() {
    name=$1 sig=$2 syscall=$3 when=$4 expected=$5
    rm -rf "$tmp/out"
    cp -Rp "$tmp/old" "$tmp/out"
    strace -qq -o /dev/null -e trace="$syscall" -e inject="$syscall:signal=$sig:when=$when" \
        "$EVGEN" -o "$tmp/out" catalog.yaml 2>"$tmp/err"
    status=$?
    case $sig in
    SIGTERM) want=143 ;;
    SIGINT) want=130 ;;
    esac
    [ "$status" -eq "$want" ] || fail "$name: exit status $status, expected $want ($(cat "$tmp/err"))"
    leftovers=$(ls -A "$tmp/out" | grep '\.tmp\.')
    [ -z "$leftovers" ] || fail "$name: temporary files left: $leftovers"
    diff -r "$tmp/$expected" "$tmp/out" >/dev/null || fail "$name: the output is not the $expected set, whole"
}

interrupt "SIGTERM after two temporary files" SIGTERM fchmod 2 old
interrupt "SIGINT after one temporary file" SIGINT fchmod 1 old
interrupt "SIGTERM after all temporary files" SIGTERM fchmod 4 old
interrupt "SIGTERM at the first rename" SIGTERM rename,renameat,renameat2 1 new

echo "evgen: SIGTERM and SIGINT while writing leave the old or the new output set, whole"
