#!/usr/bin/env bash
# tests/app/write_op.sh — the write op (deliberate use-after-free writes): what the loader refuses, and that it replays.
# Owns: write's error messages (status 2, FILE:LINE) and that validate agrees on a write into freed memory.
. "$HS_SRC/tests/lib/check.sh"
# bad WHAT OPJSON MESSAGE: a trace whose third op is OPJSON fails to load with MESSAGE.
bad() {
  printf '{"format":"heapsim-trace/1","ops":[\n{"op":"malloc","id":"A","size":40},\n{"op":"free","id":"A"},\n%s\n]}\n' "$2" >"$T/t.json"
  st=0; "$HEAPSIM" check "$T/t.json" >"$T/out" 2>"$T/err" || st=$?
  if [ "$st" -eq 2 ] && grep -q "t.json:4" "$T/err" && grep -q -- "$3" "$T/err"; then ok
  else fail "$1: status $st, stderr: $(cat "$T/err")"; fi
}
bad "unknown id" '{"op":"write","id":"Z","value":1}' "unknown id"
bad "offset not a multiple of 8" '{"op":"write","id":"A","offset":4,"value":1}' "multiple of 8"
bad "past the size" '{"op":"write","id":"A","offset":40,"value":1}' "past the requested size"
bad "neither value nor value_of" '{"op":"write","id":"A"}' "one of"
bad "both value and value_of" '{"op":"write","id":"A","value":1,"value_of":"A"}' "one of"
bad "value_of unknown" '{"op":"write","id":"A","value_of":"Q"}' "unknown id"
bad "negative value" '{"op":"write","id":"A","value":-1}' "negative"
bad "value too large" '{"op":"write","id":"A","value":"18446744073709551616"}' "too large"
# A write after free, then mallocs that follow the forged link: model and real glibc agree.
printf '{"format":"heapsim-trace/1","ops":[\n{"op":"malloc","id":"A","size":40},\n{"op":"malloc","id":"B","size":40},\n{"op":"free","id":"B"},\n{"op":"free","id":"A"},\n{"op":"write","id":"A","value":"18446744073709551615"},\n{"op":"malloc","id":"C","size":40},\n{"op":"malloc","id":"D","size":40}\n]}\n' >"$T/uaf.json"
if "$HEAPSIM" validate "$T/uaf.json" >"$T/out" 2>&1 && grep -q "7 steps.* 0 disagreements" "$T/out"; then ok
else fail "validate of a write after free: $(cat "$T/out")"; fi
finish
