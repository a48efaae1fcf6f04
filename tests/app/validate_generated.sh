#!/usr/bin/env bash
# tests/app/validate_generated.sh — generated traces of every mix agree with real glibc.
# Owns: the random corpus (fixed seeds, 5000+ ops each, all mixes) run through heapsim validate.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mixes=(small mixed large realloc calloc memalign mallopt misuse all)
files=()
n=0
for seed in 1 2 3 4; do
  for mix in "${mixes[@]}"; do
    f=$tmp/gen-$mix-$seed.json
    "$HEAPSIM" gen --seed "$seed" --ops 5000 --mix "$mix" --out "$f"
    files+=("$f")
    n=$((n + 1))
  done
done
echo "validating $n generated traces"
"$HEAPSIM" validate --quiet "${files[@]}"
