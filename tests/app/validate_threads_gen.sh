#!/usr/bin/env bash
# tests/app/validate_threads_gen.sh — `heapsim gen --threads` traces agree with real glibc, step for step (issue 13's "done when").
# Owns: the model's arenas and tcaches on random threaded traces: 4 threads x 100,000 ops, 20 threads past the arena limit, 8 threads with every op.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
"$HEAPSIM" gen --seed 1 --ops 100000 --threads 4 --jsonl --out "$T/t4.jsonl" || fail "gen --threads 4"
"$HEAPSIM" gen --seed 4 --ops 30000 --threads 20 --jsonl --out "$T/t20.jsonl" || fail "gen --threads 20"
# every op (mallopt, malloc_trim, big reallocs and memaligns an arena cannot serve): 31,393
# disagreements before the model's realloc/memalign retries and trim in earlier heaps
"$HEAPSIM" gen --seed 11 --ops 20000 --mix all --threads 8 --jsonl --out "$T/all8.jsonl" || fail "gen --mix all --threads 8"
for f in t4 t20 all8; do
    "$HEAPSIM" validate --quiet "$T/$f.jsonl" >"$T/$f.out" 2>&1
    if grep -q ' 0 disagreements$' "$T/$f.out"; then ok; else fail "$f: $(tail -n 3 "$T/$f.out")"; fi
done
finish
