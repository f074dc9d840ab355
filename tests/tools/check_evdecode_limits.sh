#!/bin/sh
# check_evdecode_limits.sh - evdecode reads in memory bounded by its
# document limit whatever the length of a line, and never loses input
# without saying so. Run by `make test` (check-evdecode-limits).
#
#   1. In a 400 MB address space, a valid line, a 700 MB line and a valid
#      line: three output lines, the middle one TOO_LARGE, exit 1. (Reading
#      the whole line first needed the 700 MB: evdecode stopped after one
#      line, exiting 0, with nothing on standard error.)
#   2. In a 48 MB address space, too small for the default 64 MiB limit, a
#      100 MB line: the first line is decoded, the failure is reported on
#      standard error and the exit status is 2.
#
# The long lines are piped in, never stored. The tool is the unsanitized
# one: AddressSanitizer reserves far more address space than the limits.
# Environment: EVDECODE (build/evdecode). Run from the repository root.
set -u

EVDECODE=${EVDECODE:-build/evdecode}
[ -x "$EVDECODE" ] || { echo "check_evdecode_limits: $EVDECODE is not built" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/evdecode-limits.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "check_evdecode_limits: $*" >&2
    exit 1
}

valid=$(head -n 1 tests/streams/valid.jsonl)
"$EVDECODE" --date 2026-03-20 >"$tmp/valid.expected" 2>/dev/null <<EOF || fail "the valid line is not valid"
$valid
EOF

# valid line, BYTES of 'x' and a newline, valid line
stream() {
    printf '%s\n' "$valid"
    head -c "$1" /dev/zero | tr '\0' x
    printf '\n%s\n' "$valid"
}

# Runs evdecode on standard input within an address space of $1 KiB.
limited() {
    kib=$1
    shift
    (ulimit -v "$kib" && exec "$EVDECODE" "$@")
}

# 1. A 700 MB line in 400 MB.
stream 700000000 | limited 409600 --date 2026-03-20 >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 1 ] || fail "700 MB line in 400 MB: exit status $status, expected 1 ($(cat "$tmp/err"))"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "700 MB line in 400 MB: $(wc -l <"$tmp/out") output lines, expected 3"
sed -n 1p "$tmp/out" | cmp -s - "$tmp/valid.expected" || fail "700 MB line in 400 MB: line 1 is not the valid document"
sed -n 3p "$tmp/out" | cmp -s - "$tmp/valid.expected" || fail "700 MB line in 400 MB: line 3 is not the valid document"
[ "$(sed -n 2p "$tmp/out")" = "error: TOO_LARGE: (root): document larger than 67108864 bytes (offset 67108864)" ] ||
    fail "700 MB line in 400 MB: line 2 is '$(sed -n 2p "$tmp/out" | cut -c1-200)'"
[ ! -s "$tmp/err" ] || fail "700 MB line in 400 MB: unexpected standard error: $(cat "$tmp/err")"

# 2. No memory for a line the limit allows: said, and exit 2.
stream 100000000 | limited 49152 --date 2026-03-20 >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 2 ] || fail "100 MB line in 48 MB: exit status $status, expected 2"
cmp -s "$tmp/out" "$tmp/valid.expected" || fail "100 MB line in 48 MB: the first line was not decoded alone"
case "$(cat "$tmp/err")" in
"evdecode: standard input: line 2: "*) ;;
*) fail "100 MB line in 48 MB: standard error is '$(cat "$tmp/err")'" ;;
esac

echo "evdecode: a 700 MB line in 400 MB is one TOO_LARGE line; no memory is exit 2, said"
