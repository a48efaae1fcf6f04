#!/usr/bin/env bash
# tests/app/hostile_ids.sh — ids of 1 MB, many ids, ids full of escapes: valid traces run, bad ones get a short message.
# Owns: what huge or odd id strings do to check, sim, real, validate and the step lines they print.
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
D=$HS_T

# A 1 MiB id (valid: an id is any non-empty string).
BIG=$(awk 'BEGIN { s = "x"; while (length(s) < 1048576) s = s s; print s }')
printf '{"format": "heapsim-trace/1", "ops": [\n{"op": "malloc", "id": "%s", "size": 100},\n{"op": "touch", "id": "%s", "len": 50},\n{"op": "free", "id": "%s"},\n{"op": "malloc", "id": "%s", "size": "200K"},\n{"op": "free", "id": "%s"}\n]}\n' \
    "$BIG" "$BIG" "$BIG" "$BIG" "$BIG" >"$D/big-id.json"
hs_run 0 "" "$HEAPSIM" check "$D/big-id.json"
hs_run 0 "" "$HEAPSIM" sim "$D/big-id.json"
hs_run 0 "" "$HEAPSIM" real "$D/big-id.json"
hs_run 0 "" "$HEAPSIM" validate "$D/big-id.json"
hs_run 0 "" "$HEAPSIM" sim --jsonl "$D/big-id.json"
# Five step lines, each naming the whole id once.
printf ',"id":"%s","ptr":' "$BIG" >"$D/big-id.pat"
n=$(grep -c -F -f "$D/big-id.pat" "$HS_T/out")
if [ "$n" -eq 5 ] && [ "$(wc -l <"$HS_T/out")" -eq 5 ]; then hs_ok; else hs_fail "big id: $n of 5 step lines carry the id"; fi
hs_run 0 "" "$HEAPSIM" real --jsonl "$D/big-id.json"
n=$(grep -c -F -f "$D/big-id.pat" "$HS_T/out")
if [ "$n" -eq 5 ]; then hs_ok; else hs_fail "big id (real): $n of 5 step lines carry the id"; fi

# Errors about a 1 MiB id: status 2 and a short message (hs_judge refuses
# message lines over 2000 bytes).
printf '{"ops": [{"op": "malloc", "id": "A", "size": 1}, {"op": "free", "id": "%s"}]}\n' "$BIG" >"$D/big-unknown.json"
hs_all 2 "^$D/big-unknown.json:1: op 2: .*unknown id" "$D/big-unknown.json"
printf '{"ops": [{"op": "malloc", "id": "%s", "size": 1}, {"op": "malloc", "id": "%s", "size": 1}]}\n' "$BIG" "$BIG" >"$D/big-live.json"
hs_all 2 "^$D/big-live.json:1: op 2: .*still live" "$D/big-live.json"
printf '{"ops": [{"op": "%s", "id": "A", "size": 1}]}\n' "$BIG" >"$D/big-op.json"
hs_all 2 "^$D/big-op.json:1: op 1: unknown op" "$D/big-op.json"
printf '{"ops": [{"op": "malloc", "id": "A", "size": "%s"}]}\n' "$BIG" >"$D/big-size.json"
hs_all 2 "^$D/big-size.json:1: op 1: size" "$D/big-size.json"
# A field an op does not take is ignored (docs/trace-format.md), even 1 MiB of it.
printf '{"ops": [{"op": "malloc", "id": "A", "size": 1, "%s": 1}]}\n' "$BIG" >"$D/big-key.json"
hs_run 0 "" "$HEAPSIM" check "$D/big-key.json"
hs_run 0 "" "$HEAPSIM" sim "$D/big-key.json"
printf '{"format": "%s", "ops": []}\n' "$BIG" >"$D/big-format.json"
hs_all 2 "^$D/big-format.json:1: unknown format" "$D/big-format.json"
printf '{"ops": [{"op": "malloc", "id": "A", "size": 1, "note": "%s"}, {"op": "free", "id": "A", "label": "%s"}]}\n' "$BIG" "$BIG" >"$D/big-note.json"
hs_run 0 "" "$HEAPSIM" check "$D/big-note.json"
hs_run 0 "" "$HEAPSIM" sim "$D/big-note.json"

# Ids full of escapes and non-ASCII: valid, and every step line stays one
# line of JSON.
printf '%s\n' '{"ops": [' \
  '{"op": "malloc", "id": "line\nbreak", "size": 10},' \
  '{"op": "malloc", "id": "quote\" back\\ slash", "size": 10},' \
  '{"op": "malloc", "id": "示意图 😀", "size": 10},' \
  '{"op": "malloc", "id": "\ud83d\ude00\u0001\u001f", "size": 10},' \
  '{"op": "malloc", "id": " ", "size": 10},' \
  '{"op": "free", "id": "line\nbreak"}, {"op": "free", "id": "quote\" back\\ slash"},' \
  '{"op": "free", "id": "示意图 😀"}, {"op": "free", "id": "\ud83d\ude00\u0001\u001f"}, {"op": "free", "id": " "}' \
  ']}' >"$D/odd-ids.json"
hs_run 0 "" "$HEAPSIM" check "$D/odd-ids.json"
hs_run 0 "" "$HEAPSIM" sim "$D/odd-ids.json"
hs_run 0 "" "$HEAPSIM" validate "$D/odd-ids.json"
for mode in sim real; do
    hs_run 0 "" "$HEAPSIM" "$mode" --jsonl "$D/odd-ids.json"
    lines=$(wc -l <"$HS_T/out")
    good=$(grep -c '^{"step":[0-9]*,.*}$' "$HS_T/out")
    if [ "$lines" -eq 10 ] && [ "$good" -eq 10 ]; then hs_ok; else hs_fail "odd ids ($mode --jsonl): $good good lines of $lines, wanted 10"; fi
done

# Many ids: 50000 distinct ids, each bound and freed.
awk 'BEGIN { print "{\"format\": \"heapsim-trace/1\"}";
             for (i = 0; i < 50000; i++) printf "{\"op\": \"malloc\", \"id\": \"id-%d-%s\", \"size\": %d}\n", i, "abcdefghij", 16 + i % 2000;
             for (i = 0; i < 50000; i++) printf "{\"op\": \"free\", \"id\": \"id-%d-%s\"}\n", i, "abcdefghij" }' >"$D/many-ids.jsonl"
hs_run 0 "" "$HEAPSIM" check "$D/many-ids.jsonl"
grep -q "100000 ops, 50000 ids" "$HS_T/out" && hs_ok || hs_fail "many ids: check says $(cat "$HS_T/out")"
hs_run 0 "" "$HEAPSIM" sim --jsonl "$D/many-ids.jsonl"
[ "$(wc -l <"$HS_T/out")" -eq 100000 ] && hs_ok || hs_fail "many ids: sim printed $(wc -l <"$HS_T/out") lines"
hs_run 0 "" "$HEAPSIM" real --jsonl "$D/many-ids.jsonl"
[ "$(wc -l <"$HS_T/out")" -eq 100000 ] && hs_ok || hs_fail "many ids: real printed $(wc -l <"$HS_T/out") lines"

hs_finish
