#!/bin/bash
# tests/app/gen_determinism.sh — `heapsim gen` gives the same trace for the same seed.
# Owns: determinism of gen across runs, output modes (stdout, --out, --jsonl) and seeds.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim command}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

mixes="small mixed large realloc calloc memalign mallopt misuse all"
for m in $mixes; do
    "$HEAPSIM" gen --seed 42 --ops 300 --mix "$m" > "$T/a.json" || fail "$m: gen exited $?"
    "$HEAPSIM" gen --seed 42 --ops 300 --mix "$m" > "$T/b.json" || fail "$m: gen exited $?"
    [ -s "$T/a.json" ] || fail "$m: empty output"
    cmp -s "$T/a.json" "$T/b.json" || fail "$m: two runs with seed 42 differ"
    # the same bytes through --out (temp file + rename)
    "$HEAPSIM" gen --seed 42 --ops 300 --mix "$m" --out "$T/c.json" || fail "$m: gen --out exited $?"
    cmp -s "$T/a.json" "$T/c.json" || fail "$m: --out differs from stdout"
    # another seed gives another trace
    "$HEAPSIM" gen --seed 43 --ops 300 --mix "$m" > "$T/d.json" || fail "$m: gen exited $?"
    cmp -s "$T/a.json" "$T/d.json" && fail "$m: seeds 42 and 43 give the same trace"
    # JSON Lines: deterministic, and the same ops as the JSON document
    "$HEAPSIM" gen --seed 42 --ops 300 --mix "$m" --jsonl > "$T/e.jsonl" || fail "$m: --jsonl exited $?"
    "$HEAPSIM" gen --seed 42 --ops 300 --mix "$m" --out "$T/f.jsonl" || fail "$m: --out .jsonl exited $?"
    cmp -s "$T/e.jsonl" "$T/f.jsonl" || fail "$m: --jsonl stdout differs from --out FILE.jsonl"
    diff <(grep '"op"' "$T/a.json" | sed 's/^ *//; s/,$//') <(grep '"op"' "$T/e.jsonl") > /dev/null \
        || fail "$m: the .jsonl ops differ from the .json ops"
done

# seeds at the ends of the range work and differ
"$HEAPSIM" gen --seed 0 --ops 50 > "$T/s0.json" || fail "seed 0: exit $?"
"$HEAPSIM" gen --seed 18446744073709551615 --ops 50 > "$T/smax.json" || fail "seed 2^64-1: exit $?"
cmp -s "$T/s0.json" "$T/smax.json" && fail "seeds 0 and 2^64-1 give the same trace"
# --opt=value is the same as --opt value
"$HEAPSIM" gen --seed=7 --ops=80 --mix=small > "$T/eq.json" || fail "--opt=value: exit $?"
"$HEAPSIM" gen --seed 7 --ops 80 --mix small > "$T/sp.json" || fail "--opt value: exit $?"
cmp -s "$T/eq.json" "$T/sp.json" || fail "--seed=7 and --seed 7 differ"
# no temp files left next to --out
left=$(ls "$T" | grep -c '\.tmp\.')
[ "$left" = 0 ] || fail "$left temp files left behind"

finish
