#!/usr/bin/env bash
# tests/app/validate_arenas.sh — the arena edge traces (tests/app/data/arenas/) agree with real glibc, step by step.
# Owns: the check of the model's arena.c rules (limit, reuse after exit, grow/shrink, cross-arena frees, calls in threads) against this machine's glibc.
set -u
HS_SRC=${HS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
traces=("$HS_SRC"/tests/app/data/arenas/*.json)
[ ${#traces[@]} -gt 5 ] || { echo "edge traces missing in $HS_SRC/tests/app/data/arenas"; exit 1; }
"$HEAPSIM" validate "${traces[@]}"
