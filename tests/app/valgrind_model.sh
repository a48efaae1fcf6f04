#!/usr/bin/env bash
# tests/app/valgrind_model.sh — the model's unit tests and a model run under valgrind memcheck.
# Owns: the "no valgrind report allowed" rule for sim/ (skipped in sanitizer builds, where valgrind cannot run).
set -euo pipefail
if grep -q '^HS_SANITIZE:BOOL=ON' "$HS_BUILD/CMakeCache.txt"; then
  echo "sanitizer build: valgrind runs in the plain build"; exit 0
fi
command -v valgrind >/dev/null || { echo "valgrind is not installed (scripts/setup.sh installs it)"; exit 1; }
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
shopt -s nullglob
tests=("$HS_BUILD"/tests/sim_test_*)
[ ${#tests[@]} -gt 0 ] || { echo "no sim tests built in $HS_BUILD/tests"; exit 1; }
for t in "${tests[@]}"; do
  [ -x "$t" ] || continue
  echo "== valgrind $(basename "$t")"
  (cd "$HS_SRC/tests/sim" && "${vg[@]}" "$t" >/dev/null)
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$HEAPSIM" gen --seed 11 --ops 3000 --mix all --out "$tmp/all.json"
for p in glibc-2.36 textbook; do
  echo "== valgrind heapsim sim --profile $p"
  "${vg[@]}" "$HEAPSIM" sim "$tmp/all.json" --profile "$p" >/dev/null
done
"${vg[@]}" "$HEAPSIM" sim "$HS_SRC/traces/figures-1-9.json" >/dev/null
echo "valgrind: no reports"
