#!/usr/bin/env bash
# tests/app/arena_traces.sh — the thread lessons and the arena edge traces (tests/app/data/arenas/): the model plays them to the end, arenas on every step.
# Owns: the model-side check of those traces and the lessons' endings from arena.c's rules; real glibc judges them in validate_traces.sh and validate_arenas.sh.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
S=${HS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
for f in "$S"/traces/seed000-thread-arenas.json "$S"/traces/seed000-arena-max-1.json \
         "$S"/traces/cross-thread-free.json "$S"/traces/thread-exit-tcache.json "$S"/tests/app/data/arenas/*.json; do
    n=$(basename "$f")
    expect 0 "" "$HEAPSIM" check "$f"
    "$HEAPSIM" sim --jsonl "$f" >"$T/$n.jsonl" 2>/dev/null || fail "$n: sim exited $?"
    if grep -q '"error"' "$T/$n.jsonl"; then fail "$n: the model aborts"; else ok; fi
    ops=$(grep -c '"op"' "$f")
    lines=$(grep -c '"arenas"' "$T/$n.jsonl")
    [ "$lines" -eq "$ops" ] && ok || fail "$n: $lines of $ops steps carry arenas"
done
# the stories' endings, from arena.c's rules (not from numbers the model printed)
last() { tail -n 1 "$T/$1.jsonl"; }
# seed 000: two thread arenas keep their 8 MiB after malloc_trim, the main heap is trimmed
last seed000-thread-arenas.json | grep -Eq '"brk":4096,.*"arenas":\[\{"system":4096,[^]]*\},\{"system":83[0-9]{5},[^]]*\},\{"system":83[0-9]{5},' \
    && ok || fail "seed000-thread-arenas: $(last seed000-thread-arenas.json)"
# M_ARENA_MAX=1: one arena only, whatever the threads
grep -Eq '"arena":[1-9][0-9]*,"arenas"' "$T/seed000-arena-max-1.json.jsonl" && fail "arena-max-1: a second arena" || ok
# cross-thread free: the main thread's last malloc returns arena 1's chunk from its tcache
last cross-thread-free.json | grep -q '"arena":1' && ok || fail "cross-thread-free: $(last cross-thread-free.json)"
# thread exit: the next thread takes arena 1 from the free list, no third arena
last thread-exit-tcache.json | grep -Eq '"arena":1,"arenas":\[\{[^}]*\},\{[^}]*\}\]' && ok \
    || fail "thread-exit-tcache: $(last thread-exit-tcache.json)"
finish
