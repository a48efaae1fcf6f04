#!/bin/bash
# tests/app/gen_args.sh — `heapsim gen` rejects bad arguments with a message and status 2.
# Owns: the usage errors of gen and its never-half-written --out file.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim command}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# expect_usage WHAT ARGS...: status 2, a message on stderr, nothing on stdout
expect_usage() {
    local what=$1; shift
    "$HEAPSIM" gen "$@" > "$T/out" 2> "$T/err"
    local rc=$?
    [ "$rc" = 2 ] || fail "$what: exit $rc, want 2"
    [ -s "$T/err" ] || fail "$what: no message on stderr"
    grep -q 'heapsim gen' "$T/err" || fail "$what: message does not name 'heapsim gen': $(head -1 "$T/err")"
    [ -s "$T/out" ] && fail "$what: wrote to stdout"
    return 0
}

expect_usage "no arguments"
expect_usage "no --seed" --ops 10
expect_usage "no --ops" --seed 1
expect_usage "--seed without value" --ops 10 --seed
expect_usage "--seed not a number" --seed abc --ops 10
expect_usage "--seed with junk" --seed 12x --ops 10
expect_usage "--seed negative" --seed -1 --ops 10
expect_usage "--seed too big" --seed 18446744073709551616 --ops 10
expect_usage "--seed empty" --seed= --ops 10
expect_usage "--ops negative" --seed 1 --ops -5
expect_usage "--ops not a number" --seed 1 --ops ten
expect_usage "--ops too big" --seed 1 --ops 10000001
expect_usage "--ops float" --seed 1 --ops 1.5
expect_usage "unknown --mix" --seed 1 --ops 10 --mix huge
expect_usage "empty --mix" --seed 1 --ops 10 --mix ''
expect_usage "unknown option" --seed 1 --ops 10 --bogus
expect_usage "stray word" --seed 1 --ops 10 extra
expect_usage "--out without value" --seed 1 --ops 10 --out
expect_usage "--out empty" --seed 1 --ops 10 --out ''
expect_usage "--jsonl value" --seed 1 --ops 10 --jsonl=yes
expect_usage "misuse too short" --seed 1 --ops 17 --mix misuse
expect_usage "--jsonl to a .json file" --seed 1 --ops 10 --jsonl --out "$T/x.json"
[ -e "$T/x.json" ] && fail "--jsonl to .json: a file was written"

# an --out that cannot be written: status 2, nothing left behind
expect_usage "--out in a missing directory" --seed 1 --ops 10 --out "$T/no/such/dir/t.json"
mkdir "$T/ro" && chmod 500 "$T/ro"
if [ "$(id -u)" != 0 ]; then      # root can write anywhere
    expect_usage "--out in a read-only directory" --seed 1 --ops 10 --out "$T/ro/t.json"
fi
# an existing file is replaced only by a whole trace
echo "old" > "$T/keep.json"
expect_usage "bad --mix with an existing --out" --seed 1 --ops 10 --mix nope --out "$T/keep.json"
[ "$(cat "$T/keep.json")" = old ] || fail "a failed gen touched the existing --out file"
"$HEAPSIM" gen --seed 1 --ops 10 --out "$T/keep.json" || fail "gen --out over an existing file: exit $?"
grep -q '"format": "heapsim-trace/1"' "$T/keep.json" || fail "--out did not replace the old file"
tail -c 2 "$T/keep.json" | grep -q '}' || fail "--out file does not end the document"

# writing to a closed pipe or full disk is an error, not a success
if [ -w /dev/full ]; then
    "$HEAPSIM" gen --seed 1 --ops 1000 > /dev/full 2> "$T/err"
    rc=$?
    [ "$rc" = 2 ] || fail "stdout on /dev/full: exit $rc, want 2"
fi

# the good cases of the same options do succeed (so the checks above can tell)
"$HEAPSIM" gen --seed 1 --ops 18 --mix misuse > /dev/null || fail "misuse with --ops 18: exit $?"
"$HEAPSIM" gen --seed 1 --ops 0 > "$T/zero.json" || fail "--ops 0: exit $?"
"$HEAPSIM" gen --seed 1 --ops 0 --jsonl > "$T/zero.jsonl" || fail "--ops 0 --jsonl: exit $?"
"$HEAPSIM" check "$T/zero.json" > /dev/null || fail "--ops 0 trace does not load"
"$HEAPSIM" gen --help > "$T/help" || fail "gen --help: exit $?"
grep -q -- '--mix' "$T/help" || fail "gen --help does not list --mix"

finish
