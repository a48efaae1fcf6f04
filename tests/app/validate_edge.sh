#!/usr/bin/env bash
# tests/app/validate_edge.sh — hand-written edge-case traces agree with real glibc, step by step.
# Owns: tests/app/data/edge/*.json, traces written by an independent tester for the paths the
# generator rarely or never produces (alignment, mremap, calloc after trim, mallopt between ops,
# perturb, huge requests, every misuse message, unsorted MAX_ITERS...). Each file's title and
# description say what it probes; a file that disagrees is a model (or replayer) bug to fix.
set -euo pipefail
shopt -s nullglob
traces=("$HS_SRC"/tests/app/data/edge/*.json)
[ ${#traces[@]} -gt 0 ] || { echo "no traces in $HS_SRC/tests/app/data/edge"; exit 1; }
"$HEAPSIM" check "${traces[@]}" >/dev/null
"$HEAPSIM" validate "${traces[@]}"
