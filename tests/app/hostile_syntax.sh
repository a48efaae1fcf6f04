#!/usr/bin/env bash
# tests/app/hostile_syntax.sh — broken trace text through check, sim, real and validate: a clear message, status 2, no crash.
# Owns: truncated, empty, NUL bytes, invalid UTF-8, deep nesting, trailing garbage, wrong top level (.json and .jsonl).
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
D=$HS_T

# bad NAME PATTERN: NAME (already written in $D) must be refused everywhere
# with status 2 and a message that names the file and matches PATTERN.
bad() {
    hs_all 2 "^$D/$1:.*($2)" "$D/$1"
}

# ---- truncated, empty ----
printf '{"format": "heapsim-trace/1", "ops": [\n  {"op": "malloc", "id": "A", "size": "30K"},\n  {"op": "fr' >"$D/truncated.json"
bad truncated.json "end of file"
printf '{"format": "heapsim-trace/1", "ops": [\n  {"op": "malloc", "id": "A", "size": 1}' >"$D/unclosed.json"
bad unclosed.json "end of file"
: >"$D/empty.json"
bad empty.json "empty"
printf ' \n\t\r\n  ' >"$D/blank.json"
bad blank.json "empty"
: >"$D/empty.jsonl"
bad empty.jsonl "empty"
printf '{"format": "heapsim-trace/1"}\n{"op": "malloc", "id": "A", "size": 1}\n{"op": "free", "i' >"$D/truncated.jsonl"
bad truncated.jsonl "end of the line"

# ---- NUL bytes ----
printf '{"ops": [{"op": "malloc", "id": "A\0B", "size": 1}]}' >"$D/nul-in-string.json"
bad nul-in-string.json "NUL"
printf '{"ops": []}\0' >"$D/nul-after.json"
bad nul-after.json "NUL"
printf '\0\0\0\0' >"$D/only-nul.json"
bad only-nul.json "NUL"
printf '{"ops": [{"op": "malloc", "id": "A\\u0000B", "size": 1}]}' >"$D/nul-escape.json"
bad nul-escape.json "NUL|u0000"
printf '{"format": "heapsim-trace/1"}\n{"op": "malloc", "id": "A", "size": 1}\0\n' >"$D/nul.jsonl"
bad nul.jsonl "NUL"

# ---- invalid UTF-8 ----
printf '{"ops": [{"op": "malloc", "id": "A\xffB", "size": 1}]}' >"$D/utf8-ff.json"
bad utf8-ff.json "UTF-8"
printf '{"ops": [{"op": "malloc", "id": "A\xc0\xafB", "size": 1}]}' >"$D/utf8-overlong.json"
bad utf8-overlong.json "UTF-8"
printf '{"ops": [{"op": "malloc", "id": "A\xed\xa0\x80", "size": 1}]}' >"$D/utf8-surrogate.json"
bad utf8-surrogate.json "UTF-8"
printf '{"ops": [{"op": "malloc", "id": "A\xe2\x82", "size": 1}]}' >"$D/utf8-cut.json"
bad utf8-cut.json "UTF-8"
printf '{"title": "\x80", "ops": []}' >"$D/utf8-title.json"
bad utf8-title.json "UTF-8"
printf '{"ops": [{"op": "malloc", "id": "A\\ud800", "size": 1}]}' >"$D/lone-surrogate.json"
bad lone-surrogate.json "surrogate"
printf '{"format": "heapsim-trace/1"}\n{"op": "malloc", "id": "\xfe", "size": 1}\n' >"$D/utf8.jsonl"
bad utf8.jsonl "UTF-8"

# ---- deep nesting (the loader must not recurse 100000 deep) ----
awk 'BEGIN { printf "{\"ops\": "; for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "}" }' >"$D/deep-array.json"
bad deep-array.json "nesting"
awk 'BEGIN { printf "{\"ignored\": "; for (i = 0; i < 100000; i++) printf "{\"a\": "; printf "1"; for (i = 0; i < 100000; i++) printf "}"; print ", \"ops\": []}" }' >"$D/deep-object.json"
bad deep-object.json "nesting"
awk 'BEGIN { printf "{\"ops\": [{\"op\": \"malloc\", \"id\": \"A\", \"size\": 1, \"note\": "; for (i = 0; i < 100000; i++) printf "["; print "" }' >"$D/deep-unclosed.json"
bad deep-unclosed.json "nesting|end of file"
awk 'BEGIN { print "{\"format\": \"heapsim-trace/1\"}"; for (i = 0; i < 100000; i++) printf "["; print "" }' >"$D/deep.jsonl"
bad deep.jsonl "nesting"

# ---- not a trace ----
printf '{"ops": []} trailing' >"$D/trailing.json"
bad trailing.json "after the end"
printf '[{"op": "malloc", "id": "A", "size": 1}]' >"$D/array.json"
bad array.json "top level"
printf '{"format": "heapsim-trace/2", "ops": []}' >"$D/format.json"
bad format.json "format"
printf '{"title": "no ops"}' >"$D/no-ops.json"
bad no-ops.json "ops"
printf '{"ops": [], "ops": []}' >"$D/ops-twice.json"
bad ops-twice.json "twice"
head -c 3000 /dev/urandom | tr -d '{[' >"$D/random.json"
hs_all 2 "^$D/random.json:" "$D/random.json"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$D/png.json"
bad png.json "."

hs_finish
