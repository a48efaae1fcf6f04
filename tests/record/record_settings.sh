#!/usr/bin/env bash
# tests/record/record_settings.sh — the program's allocator settings (MALLOC_*_, GLIBC_TUNABLES) are recorded and replayed as mallopt ops.
# Owns: the settings checks of `heapsim record` (app/rec_convert.c emit_settings).
. "$(dirname "$0")/../lib/check.sh"
H=${HEAPSIM:-$HS_BUILD/heapsim}
P=$HS_BUILD/tests/record

# settings a mallopt expresses: the replay runs under them and gets the same pointers
MALLOC_TOP_PAD_=0 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4096 \
    "$H" record -o "$T/s.json" -- "$P/prog_same" 2>"$T/s.err" || fail "record failed: $(cat "$T/s.err")"
python3 - "$T/s.json" <<'PY' || fail "the first ops are not the settings"
import json, sys
ops = json.load(open(sys.argv[1]))["ops"]
assert ops[0] == {"op": "mallopt", "param": "M_TOP_PAD", "value": 0, "note": "from MALLOC_TOP_PAD_=0"}, ops[0]
assert ops[1]["param"] == "M_MMAP_THRESHOLD" and ops[1]["value"] == 4096, ops[1]
assert any(o.get("ptr") == "mmap" and o["size"] < 131072 for o in ops), "no small mmapped block"
PY
grep -q '"settings":"MALLOC_TOP_PAD_=0 GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4096"' "$T/s.json" || fail "no settings header"
r=$("$H" real "$T/s.json")
echo "$r" | grep -q 'note: recorded with allocator settings MALLOC_TOP_PAD_=0' || fail "real does not show the settings"
echo "$r" | grep -qE '^recorded pointers: ([0-9]+) of \1 steps agree' && ok || fail "settings: $(echo "$r" | tail -1)"

# a setting no op expresses is named, not silently lost
GLIBC_TUNABLES=glibc.malloc.tcache_count=0 "$H" record -o "$T/t.json" -- "$P/prog_same" 2>"$T/t.err"
grep -q 'glibc.malloc.tcache_count=0 is not replayed' "$T/t.err" && ok || fail "no message for tcache_count: $(cat "$T/t.err")"
finish
