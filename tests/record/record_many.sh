#!/usr/bin/env bash
# tests/record/record_many.sh — a program making 10 million allocator calls: bounded recorder memory, and the trace streams through check and sim.
# Owns: the long-run checks of `heapsim record` (the recorder's own memory is measured as the program's peak RSS with and without it).
. "$(dirname "$0")/../lib/check.sh"
H=${HEAPSIM:-$HS_BUILD/heapsim}
P=$HS_BUILD/tests/record

plain=$("$P/prog_many" 10) || fail "the program failed on its own"
rec=$("$H" record --callers 0 -o "$T/many.jsonl" -- "$P/prog_many" 10 2>"$T/rec.err") || fail "record failed: $(cat "$T/rec.err")"
grep -q 'many.jsonl: 1000000[0-9] ops' "$T/rec.err" || fail "not 10 million ops: $(cat "$T/rec.err")"
# the recorder maps a 256 KiB ring of its log, whatever the run's length
over=$((rec - plain))
echo "peak RSS: $plain KiB alone, $rec KiB recorded: the recorder adds $over KiB for 10 million calls"
if [ "$over" -gt 16384 ]; then fail "the recorder added $over KiB (more than 16 MiB)"; else ok; fi

out=$("$H" check "$T/many.jsonl") || fail "check failed"
echo "$out" | grep -q 'ok, 1000000[0-9] ops' && ok || fail "check: $out"
# the model agrees with the recorded process on the last pointer, 10 million calls in
last=$("$H" sim --jsonl "$T/many.jsonl" | tail -n 1)
want=$(tail -n 1 "$T/many.jsonl" | sed -n 's/.*"ptr":\([0-9]*\).*/\1/p')
got=$(echo "$last" | sed -n 's/.*"ptr":\([0-9]*\).*/\1/p')
if [ -n "$want" ] && [ "$want" = "$got" ]; then ok; else fail "last step: recorded ptr '$want', model '$got'"; fi
finish
