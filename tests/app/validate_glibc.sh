#!/usr/bin/env bash
# tests/app/validate_glibc.sh — every profile against its own real glibc: 2.31, 2.36, 2.41.
# Owns: the per-version run of lessons, edge and arena traces and generated traces (one with threads) through validate --glibc.
# A version that is not in the cache (scripts/fetch-glibc.sh) FAILS with a message; traces in
# tests/app/data/glibc-known-failures.txt are skipped on their version, each reported with its reason.
set -euo pipefail
shopt -s nullglob
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
known=$HS_SRC/tests/app/data/glibc-known-failures.txt
gen=()
for mix in small mixed large realloc calloc memalign mallopt misuse all; do
  f=$tmp/gen-$mix.json
  "$HEAPSIM" gen --seed 7 --ops 3000 --mix "$mix" --out "$f"
  gen+=("$f")
done
# threads: four threads' ops, each in its own arena (real threads in every replayer)
f=$tmp/gen-threads.json
"$HEAPSIM" gen --seed 7 --ops 3000 --threads 4 --out "$f"
gen+=("$f")
# threads with every op: seed 5002 reaches a malloc_trim while a thread's arena has a free
# chunk in its first heap; seed 5000 a realloc its arena cannot serve (tried harder elsewhere)
"$HEAPSIM" gen --seed 5002 --ops 600 --mix all --threads 3 --out "$tmp/gen-threads-all.json"
"$HEAPSIM" gen --seed 5000 --ops 4000 --mix realloc --threads 3 --out "$tmp/gen-threads-realloc.json"
gen+=("$tmp/gen-threads-all.json" "$tmp/gen-threads-realloc.json")
status=0
for v in 2.31 2.36 2.41; do
  traces=()
  for f in "$HS_SRC"/traces/*.json "$HS_SRC"/tests/app/data/edge/*.json "$HS_SRC"/tests/app/data/arenas/*.json; do
    rel=${f#"$HS_SRC"/}
    reason=$(awk -v v="$v" -v f="$rel" '$1 == v && $2 == f { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' "$known")
    if [ -n "$reason" ]; then echo "glibc $v: KNOWN FAILURE, skipped: $rel: $reason"; continue; fi
    traces+=("$f")
  done
  traces+=("${gen[@]}")
  out=$tmp/out-$v.txt
  rc=0
  "$HEAPSIM" validate --quiet --glibc "$v" "${traces[@]}" >"$out" 2>&1 || rc=$?
  steps=$(awk '/ steps, /{s += $2} END {print s + 0}' "$out")
  agree=$(grep -c ' 0 disagreements$' "$out" || true)
  echo "glibc $v: $agree of ${#traces[@]} traces agree, $steps steps compared (exit $rc)"
  if [ "$rc" -ne 0 ]; then
    grep -v ' 0 disagreements$' "$out" | head -20
    echo "glibc $v: FAILED (exit 3: this glibc could not be replayed, e.g. not fetched; 1: disagreements)"
    status=1
  fi
done
exit $status
