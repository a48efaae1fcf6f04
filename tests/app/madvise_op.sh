# tests/app/madvise_op.sh — the madvise op: loaded and refused with FILE:LINE messages, modelled, replayed, agreeing.
# Owns: the checks that madvise's pages leave RSS in the model and in the real replay, and its hostile input.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# A 1 MiB mmapped block and a 100 KiB heap block, both written in full, then
# madvised: whole pages inside the range leave RSS; a range holding no whole
# page changes nothing.
cat >"$T/m.json" <<'JSON'
{"format": "heapsim-trace/1", "title": "madvise",
 "ops": [
  {"op": "malloc", "id": "A", "size": "1M"},
  {"op": "madvise", "id": "A", "advice": "MADV_DONTNEED", "offset": 4096, "len": "512K"},
  {"op": "malloc", "id": "B", "size": "100K"},
  {"op": "madvise", "id": "B", "advice": "MADV_DONTNEED", "offset": 100, "len": 50000},
  {"op": "madvise", "id": "B", "advice": "MADV_DONTNEED", "offset": 0, "len": 100},
  {"op": "touch", "id": "B"},
  {"op": "madvise", "id": "B", "advice": "MADV_DONTNEED"},
  {"op": "free", "id": "A"}
 ]}
JSON
rss() { sed -n "$2p" "$1" | grep -o '"rss":[0-9]*' | cut -d: -f2; }
for side in sim real; do
    "$HEAPSIM" "$side" "$T/m.json" --jsonl >"$T/$side" 2>"$T/err" || { fail "$side: $(cat "$T/err")"; continue; }
    # step 2: 127 whole pages of A (offset 4096 is page-aligned in A's mapping only after
    # the 16-byte header: the first whole page starts at 8192) leave: 1032 KiB -> 524 KiB
    [ "$(rss "$T/$side" 1)" -eq $((1032 * 1024)) ] && [ "$(rss "$T/$side" 2)" -eq $((524 * 1024)) ] && ok ||
        fail "$side: A's madvised pages did not leave RSS: $(rss "$T/$side" 1) -> $(rss "$T/$side" 2)"
    [ "$(rss "$T/$side" 4)" -lt "$(rss "$T/$side" 3)" ] && ok || fail "$side: B's madvised pages stayed"
    [ "$(rss "$T/$side" 5)" -eq "$(rss "$T/$side" 4)" ] && ok || fail "$side: a range without a whole page changed RSS"
    [ "$(rss "$T/$side" 6)" -eq "$(rss "$T/$side" 3)" ] && ok || fail "$side: touching B again did not fault its pages back"
    [ "$(rss "$T/$side" 7)" -lt "$(rss "$T/$side" 6)" ] && ok || fail "$side: madvise of all of B dropped nothing"
done
"$HEAPSIM" validate "$T/m.json" >"$T/v" 2>&1 && ok || fail "model and real glibc disagree: $(cat "$T/v")"
grep -q '"op":"madvise".*"ns":[0-9]' "$T/real" && ok || fail "real: madvise has no ns"
"$HEAPSIM" sim "$T/m.json" >"$T/t" 2>&1
grep -qF 'madvise(A + 4096, 512K' "$T/t" && grep -q "127 resident pages leave RSS" "$T/t" &&
    grep -q "holds no whole page: nothing happens" "$T/t" && ok || fail "sim does not explain madvise: $(head -20 "$T/t")"

# Hostile input: FILE:LINE: op N: what is wrong, exit 2.
bad() {   # bad OP_JSON PATTERN
    printf '{"format": "heapsim-trace/1", "ops": [\n{"op": "malloc", "id": "A", "size": 8192},\n%s\n]}\n' "$1" >"$T/bad.json"
    expect 2 "bad\.json:3: op 2: $2" "$HEAPSIM" check "$T/bad.json"
}
bad '{"op": "madvise", "id": "A"}' 'missing field "advice"'
bad '{"op": "madvise", "advice": "MADV_DONTNEED"}' 'missing field "id"'
bad '{"op": "madvise", "id": "A", "advice": "MADV_FREE"}' 'advice must be one of MADV_DONTNEED, not "MADV_FREE"'
bad '{"op": "madvise", "id": "A", "advice": 4}' 'advice must be one of MADV_DONTNEED, not 4'
bad '{"op": "madvise", "id": "A", "advice": null}' 'advice must be one of MADV_DONTNEED, not null'
bad '{"op": "madvise", "id": "Z", "advice": "MADV_DONTNEED"}' 'madvise of unknown id "Z"'
bad '{"op": "madvise", "id": "A", "advice": "MADV_DONTNEED", "offset": 8193}' 'madvise advises past the requested size \(offset 8193 > 8192\)'
bad '{"op": "madvise", "id": "A", "advice": "MADV_DONTNEED", "offset": 4096, "len": 4097}' 'madvise advises past the requested size \(offset 4096 \+ len 4097 > 8192\)'
bad '{"op": "madvise", "id": "A", "advice": "MADV_DONTNEED", "len": -1}' 'len'
bad '{"op": "madvise", "id": "A", "advice": "MADV_DONTNEED", "len": 18446744073709551615}' 'madvise advises past the requested size'
printf '{"format": "heapsim-trace/1", "ops": [\n{"op": "malloc", "id": "A", "size": 8192},\n{"op": "free", "id": "A"},\n{"op": "madvise", "id": "A", "advice": "MADV_DONTNEED"}\n]}\n' >"$T/bad.json"
expect 2 "bad\.json:4: op 3: madvise of id \"A\", which is not live \(freed by op 2\)" "$HEAPSIM" check "$T/bad.json"
finish
