#!/usr/bin/env bash
# scripts/test.sh — the README's second command: install, build, run the whole test suite.
# Owns: which builds the suite runs in (plain, ASan+UBSan, valgrind) and the final verdict.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
hs_install
hs_build build
echo "== tests =="
ctest --test-dir "$HS_ROOT/build" --output-on-failure -j"$(nproc)"
if [ "${HS_QUICK:-0}" != 1 ]; then
  echo "== tests under -fsanitize=address,undefined =="
  hs_build build-asan -DHS_SANITIZE=ON
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$HS_ROOT/tests/lsan.supp \
    ctest --test-dir "$HS_ROOT/build-asan" --output-on-failure -j"$(nproc)" -LE slow
fi
if [ "${HS_QUICK:-0}" != 1 ]; then
  echo "== fuzzers (clang, libFuzzer): saved findings, then a short run each =="
  CC=clang hs_build build-fuzz -DHS_FUZZ=ON -DHS_GUI=OFF
  ctest --test-dir "$HS_ROOT/build-fuzz" --output-on-failure -L fuzz
fi
