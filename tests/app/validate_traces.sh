#!/usr/bin/env bash
# tests/app/validate_traces.sh — every lesson in traces/ agrees with real glibc, step by step.
# Owns: the check that the model and this machine's glibc agree on the shipped traces.
set -euo pipefail
shopt -s nullglob
traces=("$HS_SRC"/traces/*.json)
[ ${#traces[@]} -gt 0 ] || { echo "no traces in $HS_SRC/traces"; exit 1; }
"$HEAPSIM" validate "${traces[@]}"
