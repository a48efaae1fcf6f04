#!/usr/bin/env bash
# tests/app/validate_limits.sh — the model against real glibc under low RLIMIT_AS / RLIMIT_DATA, and the kernel's VMA merges.
# Owns: tests/app/data/limits/*.json replayed by a heapsim-replay started under `ulimit -v` / `ulimit -d`
# (a wrapper sets the limit and execs it: heapsim itself, maybe sanitized, runs unlimited).
set -euo pipefail
: "${HEAPSIM_REPLAYER:?HEAPSIM_REPLAYER must name heapsim-replay}"
D="$HS_SRC/tests/app/data/limits"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
REPLAY=$(readlink -f "$HEAPSIM_REPLAYER")

# Each trace must really hit its limit on this machine (the real replay
# shows NULL results and, for the ladder, a large request served by the
# heap), and the model must agree step by step.
check() {   # limit-option KiB trace
    # the replayer starts with an empty environment: absolute paths only
    printf '#!/bin/sh\nulimit %s %s || exit 97\nexec %s "$@"\n' "$1" "$2" "$REPLAY" > "$tmp/limited"
    chmod +x "$tmp/limited"
    HEAPSIM_REPLAYER=$tmp/limited "$HEAPSIM" real --jsonl "$D/$3" > "$tmp/real.jsonl" 2>/dev/null
    nulls=$(grep '"op":"malloc"' "$tmp/real.jsonl" | grep -c '"ptr":null' || true)
    [ "$nulls" -gt 0 ] || { echo "FAIL: $3 under ulimit $1 $2: no malloc returned NULL"; exit 1; }
    HEAPSIM_REPLAYER=$tmp/limited "$HEAPSIM" validate "$D/$3" > "$tmp/v.txt" \
        || { cat "$tmp/v.txt"; echo "FAIL: $3 under ulimit $1 $2"; exit 1; }
    grep -q ' 0 disagreements' "$tmp/v.txt" || { cat "$tmp/v.txt"; exit 1; }
    cat "$tmp/v.txt"
}
check -v 98304 ladder.json
# the 4.5 MiB request (id B) cannot be mapped but the heap takes it
grep '"id":"B"' "$tmp/real.jsonl" | grep -q '"mmapped":false' \
    || { echo "FAIL: ladder.json: B was not served by the heap"; exit 1; }
check -d 98304 ladder.json
check -d 32768 brk.json

# The kernel merges adjacent anonymous mappings (the model's VMA count,
# sim/kernel.c): per step, the replayer's count of mappings changes by
# +1 for a free in the middle of a run, -1 for a lone block freed, 0 for a
# block placed against another.
"$HEAPSIM" real --allocator glibc --jsonl "$D/merge.json" 2>/dev/null \
    | grep -o '"maps":[-0-9]*' | cut -d: -f2 > "$tmp/maps"
deltas=$(awk 'NR > 10 { printf "%d ", $1 - prev } { prev = $1 }' "$tmp/maps")
want="1 1 1 1 "
case "$deltas" in
    "$want"*) ;;
    *) echo "FAIL: merge.json: mapping count changes '$deltas', frees in the middle should add 1 each"; exit 1 ;;
esac
set -- $deltas
[ "$7" = -1 ] && [ "$8" = 0 ] || { echo "FAIL: merge.json: lone free / joining malloc gave '$7' '$8'"; exit 1; }
"$HEAPSIM" validate "$D/merge.json" | grep -q ' 0 disagreements'
echo "validate_limits: ok"
