# tests/real/threads_cli.sh — `heapsim real` on traces with threads: glibc 2.36's arena.c facts, measured.
# Owns: the replayer's threads (creation, hand-over, thread_exit) and the "arena"/"arenas"/rss fields, judged by real glibc.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HEAPSIM_REPLAYER:?HEAPSIM_REPLAYER must name heapsim-replay}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# field LINE NAME: the integer value of "NAME" in step line LINE ("" when absent or null).
field() { printf '%s' "$1" | grep -o "\"$2\":-\?[0-9]*" | head -1 | cut -d: -f2; }
# arena LINE: the step's "arena" (the one after mallinfo, not mallinfo's own).
# time per call and statm (measured, noisy: real_extra_cli) sit between mallinfo and arena
quiet() { sed -e 's/,"ns":[0-9]*//' -e 's/,"virt":[0-9]*,"res":[0-9]*,"shr":[0-9]*//' -e 's/,"maps":[0-9-]*,"maps_bytes":[0-9-]*//'; }
arena() { printf '%s' "$1" | quiet | grep -o '},"arena":[0-9]*' | cut -d: -f2; }
# line FILE N: step line N.
line() { sed -n "$2p" "$1"; }
# sum LINE KEY: the sum of every "KEY":N inside the line's "arenas".
sum() { local s=0 v; for v in $(printf '%s' "$1" | grep -o '"arenas":\[[^]]*\]' | grep -o "\"$2\":[0-9]*" | cut -d: -f2); do s=$((s + v)); done; echo "$s"; }
narenas() { printf '%s' "$1" | grep -o '"arenas":\[[^]]*\]' | grep -o '"system"' | wc -l; }
real() { "$HEAPSIM" real "$1" --jsonl >"$2" 2>"$2.err" || fail "real $1: $(cat "$2.err")"; }

# glibc 2.36 on x86_64: a new arena's first heap is new_heap(sizeof (heap_info) 48 +
# sizeof (struct malloc_state) 2200 + MALLOC_ALIGNMENT 16, DEFAULT_TOP_PAD 128 KiB),
# page-rounded (arena.c _int_new_arena, new_heap): its system_mem.
HEAP_INFO=48   # ar_ptr, prev, size, mprotect_size, pagesize, padded to MALLOC_ALIGNMENT
NEW_ARENA=$(( ((HEAP_INFO + 2200 + 16 + 131072) + 4095) / 4096 * 4096 ))

# 1. Each thread's first malloc creates an arena (arena_get2: narenas < narenas_limit),
#    numbered in creation order; its chunk is not in the main heap.
cat >"$T/two.jsonl" <<'EOF'
{"title":"two threads"}
{"op":"malloc","id":"A","size":100}
{"op":"malloc","id":"B","size":100,"thread":"T1"}
{"op":"malloc","id":"C","size":200,"thread":"T2"}
{"op":"free","id":"A","thread":"T1"}
{"op":"free","id":"B"}
{"op":"thread_exit","thread":"T1"}
{"op":"malloc","id":"D","size":300,"thread":"T2"}
EOF
real "$T/two.jsonl" "$T/two"
[ "$(wc -l <"$T/two")" -eq 7 ] && ok || fail "two: want 7 step lines: $(cat "$T/two")"
l1=$(line "$T/two" 1); l2=$(line "$T/two" 2); l3=$(line "$T/two" 3)
[ "$(arena "$l1")" = 0 ] && [ "$(narenas "$l1")" = 1 ] && ok || fail "step 1: main thread, arena 0, one arena: $l1"
[ "$(arena "$l2")" = 1 ] && [ "$(narenas "$l2")" = 2 ] && ok || fail "step 2: T1's first malloc: arena 1 of 2: $l2"
[ "$(arena "$l3")" = 2 ] && [ "$(narenas "$l3")" = 3 ] && ok || fail "step 3: T2's first malloc: arena 2 of 3: $l3"
sys2=$(printf '%s' "$l2" | grep -o '"arenas":.*' | grep -o '"system":[0-9]*' | sed -n 2p | cut -d: -f2)
[ "$sys2" = "$NEW_ARENA" ] && ok || fail "arena 1's system bytes: want $NEW_ARENA (new_heap), got $sys2"
# The main heap is not where T1's chunk went: the break did not move past step 1's.
[ "$(field "$l2" brk)" = "$(field "$l1" brk)" ] && ok || fail "T1's malloc moved the main break: $l2"
# T1's chunk: the same offset in its heap as T2's (each heap: heap_info, malloc_state, tcache, chunk).
[ "$(field "$l2" ptr)" = "$(field "$l3" ptr)" ] && ok || fail "T1's and T2's first chunks at different heap offsets: $l2 / $l3"
# rss counts the new arenas' heaps: a page each at least.
[ "$(field "$l3" rss)" -ge $(( $(field "$l1" rss) + 8192 )) ] && ok || fail "rss lacks the arenas' heaps: $l1 / $l3"
# Every line: the arenas add up to glibc's own mallinfo2 (which sums every arena).
while IFS= read -r l; do
    mi=$(printf '%s' "$l" | grep -o '"mallinfo":{[^}]*}')
    [ "$(sum "$l" system)" = "$(field "$mi" arena)" ] && [ "$(sum "$l" in_use)" = "$(field "$mi" uordblks)" ] ||
        { fail "arenas do not add up to mallinfo: $l"; break; }
done <"$T/two" && ok
# thread_exit: T1's tcache (holding A, a main-arena chunk T1 freed) is flushed: A lands in
# main_arena's fastbin (tcache_thread_shutdown -> free), so mallinfo's fsmblks grows by A's chunk.
l5=$(line "$T/two" 5); l6=$(line "$T/two" 6)
[ "$(field "$l5" fsmblks)" = 0 ] && [ "$(field "$l6" fsmblks)" = 112 ] && ok || fail "thread_exit did not flush A to a fastbin: $l5 / $l6"

# 2. Thread creation did nothing to the main heap: step 1 is the same as in a trace without threads.
grep -v '"thread"' "$T/two.jsonl" | sed -n 1,2p >"$T/one.jsonl"
real "$T/one.jsonl" "$T/one"
strip() { printf '%s' "$1" | sed -e 's/,"ns":[0-9]*//' -e 's/,"virt":[0-9]*,"res":[0-9]*,"shr":[0-9]*//' -e 's/,"maps":[0-9-]*,"maps_bytes":[0-9-]*//' -e 's/,"arena":[0-9]*//' -e 's/,"arenas":\[[^]]*\]//' -e 's/"rss_anon":[0-9-]*,//' -e 's/"minflt":[0-9]*,//'; }
[ "$(strip "$l1")" = "$(strip "$(line "$T/one" 1)")" ] && ok || fail "threads changed step 1: $l1 / $(line "$T/one" 1)"
grep -q '2 threads besides the main one run as real threads' "$T/two.err" && ok || fail "no note on thread creation: $(cat "$T/two.err")"

# 3. After thread_exit the arena goes on free_list, and a new thread takes it (get_free_list).
cat >"$T/reuse.jsonl" <<'EOF'
{"format":"heapsim-trace/1"}
{"op":"malloc","id":"A","size":100,"thread":"T1"}
{"op":"thread_exit","thread":"T1"}
{"op":"malloc","id":"B","size":100,"thread":"T2"}
EOF
real "$T/reuse.jsonl" "$T/reuse"
l3=$(line "$T/reuse" 3)
[ "$(arena "$l3")" = 1 ] && [ "$(narenas "$l3")" = 2 ] && ok || fail "T2 did not reuse arena 1: $l3"

# 4. M_ARENA_MAX=1: narenas_limit is 1, so arena_get2 goes to reused_arena: every thread uses main_arena.
cat >"$T/max1.jsonl" <<'EOF'
{"format":"heapsim-trace/1"}
{"op":"mallopt","param":"M_ARENA_MAX","value":1}
{"op":"malloc","id":"A","size":100}
{"op":"malloc","id":"B","size":100,"thread":"T1"}
{"op":"malloc","id":"C","size":100,"thread":"T2"}
EOF
real "$T/max1.jsonl" "$T/max1"
ok1=1
for n in 3 4; do
    l=$(line "$T/max1" $n)
    [ "$(arena "$l")" = 0 ] && [ "$(narenas "$l")" = 1 ] || { ok1=0; fail "M_ARENA_MAX=1: step $n not in arena 0: $l"; }
done
[ $ok1 = 1 ] && ok
# ... and their chunks follow A's in the main heap.
[ "$(field "$(line "$T/max1" 3)" ptr)" -gt "$(field "$(line "$T/max1" 2)" ptr)" ] && ok || fail "M_ARENA_MAX=1: B not after A: $(cat "$T/max1")"

# 5. A cross-thread free: main frees T1's chunk into its own tcache (free does not look at the
#    arena before the tcache), so main's next malloc of that size returns arena 1's chunk.
cat >"$T/cross.jsonl" <<'EOF'
{"format":"heapsim-trace/1"}
{"op":"malloc","id":"X","size":100,"thread":"T1"}
{"op":"free","id":"X"}
{"op":"malloc","id":"Y","size":100}
EOF
real "$T/cross.jsonl" "$T/cross"
l1=$(line "$T/cross" 1); l3=$(line "$T/cross" 3)
[ "$(arena "$l3")" = 1 ] && [ "$(field "$l3" ptr)" = "$(field "$l1" ptr)" ] && ok || fail "cross-thread free: main did not get X back: $l1 / $l3"

# 6. A big block in a thread's arena grows its heap (grow_heap): rss follows, the main break does not.
cat >"$T/grow.jsonl" <<'EOF'
{"format":"heapsim-trace/1"}
{"op":"malloc","id":"A","size":100,"thread":"T1"}
{"op":"malloc","id":"B","size":120000,"touch":true,"thread":"T1"}
EOF
real "$T/grow.jsonl" "$T/grow"
l1=$(line "$T/grow" 1); l2=$(line "$T/grow" 2)
[ "$(field "$l2" mmaps)" = 0 ] && [ "$(arena "$l2")" = 1 ] && [ "$(field "$l2" brk)" = 0 ] && ok || fail "grow: want arena 1, no mmap, no break: $l2"
[ "$(field "$l2" rss)" -ge $(( $(field "$l1" rss) + 120000 )) ] && ok || fail "grow: rss does not count the arena's heap: $l1 / $l2"

# 7. glibc's abort in a thread is data: the last step carries the error.
cat >"$T/df.jsonl" <<'EOF'
{"format":"heapsim-trace/1"}
{"op":"malloc","id":"A","size":100,"thread":"T1"}
{"op":"free","id":"A","thread":"T1"}
{"op":"free","id":"A","thread":"T1"}
EOF
"$HEAPSIM" real "$T/df.jsonl" --jsonl >"$T/df" 2>"$T/df.err"
tail -1 "$T/df" | grep -q '"step":3,.*"error":"free(): double free detected in tcache 2"' && ok || fail "double free in T1: $(tail -1 "$T/df") $(cat "$T/df.err")"

# 8. The arena walk changes nothing: with main_arena unknown (no walk at all) the same trace
#    gives the same pointers, breaks, mmaps and mallinfo on every step (rss then lacks the
#    arenas' heaps: not compared).
printf '#!/bin/sh\nexec "%s" --test-arena-unknown\n' "$HEAPSIM_REPLAYER" >"$T/nowalk.sh"
chmod +x "$T/nowalk.sh"
HEAPSIM_REPLAYER="$T/nowalk.sh" "$HEAPSIM" real "$T/two.jsonl" --jsonl >"$T/nowalk" 2>"$T/nowalk.err" || fail "nowalk: $(cat "$T/nowalk.err")"
grep -q '"arenas"' "$T/nowalk" && fail "no main_arena, yet arenas were reported" || ok
norm() { sed -e 's/,"ns":[0-9]*//' -e 's/,"virt":[0-9]*,"res":[0-9]*,"shr":[0-9]*//' -e 's/,"maps":[0-9-]*,"maps_bytes":[0-9-]*//' -e 's/,"arena":[0-9]*//' -e 's/,"arenas":\[[^]]*\]//' -e 's/"rss":[0-9]*,//' -e 's/"rss_anon":[0-9-]*,//' -e 's/"minflt":[0-9]*,//' "$1"; }
[ "$(norm "$T/two")" = "$(norm "$T/nowalk")" ] && ok || fail "the walk changed the replay: $(diff <(norm "$T/two") <(norm "$T/nowalk") | head -5)"

# 10. The arena limit (arena_get2): arenas are created freely up to arena_test (8) + 1, then
#     up to narenas_limit = NARENAS_FROM_NCORES(CPUs) = 8 per CPU of the affinity mask;
#     later threads share (reused_arena).  40 threads, one malloc each.
{ echo '{"format":"heapsim-trace/1"}'
  for k in $(seq 1 40); do echo "{\"op\":\"malloc\",\"id\":\"A$k\",\"size\":64,\"thread\":\"T$k\"}"; done; } >"$T/many.jsonl"
real "$T/many.jsonl" "$T/many"
cpus=$(nproc)
want=$(( 8 * cpus > 9 ? 8 * cpus : 9 )); [ "$want" -gt 41 ] && want=41
if [ "$want" -le 32 ]; then
    got=$(narenas "$(line "$T/many" 40)")
    [ "$got" = "$want" ] && ok || fail "40 threads on $cpus CPUs: want $want arenas, got $got"
fi
[ "$(wc -l <"$T/many")" -eq 40 ] && ok || fail "40 threads: want 40 steps: $(cat "$T/many.err")"

# 11. A thread's heap grows to HEAP_MAX_SIZE (64 MiB), then sysmalloc takes a new heap
#     (new_heap: its first chunk right after its heap_info); rss counts both heaps; freeing
#     everything deletes the second heap (heap_trim -> delete_heap): system_mem drops.
{ echo '{"format":"heapsim-trace/1"}'
  echo '{"op":"mallopt","param":"M_MMAP_MAX","value":0}'
  for k in $(seq 1 70); do echo "{\"op\":\"malloc\",\"id\":\"B$k\",\"size\":1048576,\"thread\":\"T1\"}"; done
  for k in $(seq 1 70); do echo "{\"op\":\"free\",\"id\":\"B$k\",\"thread\":\"T1\"}"; done; } >"$T/big.jsonl"
real "$T/big.jsonl" "$T/big"
first2=""
for n in $(seq 2 71); do
    l=$(line "$T/big" $n)
    [ "$(field "$l" ptr)" = $((HEAP_INFO + 16)) ] && { first2=$n; break; }
done
if [ -n "$first2" ] && [ "$first2" -ge 60 ]; then ok; else fail "no block at the start of a second heap (step $first2)"; fi
l=$(line "$T/big" "${first2:-71}")
[ "$(arena "$l")" = 1 ] && [ "$(field "$l" brk)" = 0 ] && [ "$(field "$l" mmaps)" = 0 ] && ok || fail "second heap: $l"
prev=$(line "$T/big" $(( ${first2:-71} - 1 )))
[ "$(field "$l" rss)" -ge $(( $(field "$prev" rss) + 1048576 )) ] && [ "$(field "$prev" rss)" -gt $(( 60 * 1048576 )) ] && ok ||
    fail "second heap: rss does not count both heaps: $prev / $l"
sysmax=$(sum "$(line "$T/big" 71)" system); syslast=$(sum "$(line "$T/big" 141)" system)
[ "$syslast" -lt "$sysmax" ] && [ "$syslast" -lt $(( 64 * 1048576 )) ] && ok || fail "freeing all: system $sysmax -> $syslast"

# 9. A trace that ends a thread twice, or the main thread, is refused before anything runs.
printf '%s\n' '{"format":"heapsim-trace/1"}' '{"op":"malloc","id":"A","size":1,"thread":"T1"}' '{"op":"thread_exit","thread":"T1"}' \
    '{"op":"free","id":"A","thread":"T1"}' >"$T/after.jsonl"
"$HEAPSIM" real "$T/after.jsonl" --jsonl >"$T/after" 2>"$T/after.err" && fail "an op after thread_exit was replayed" || ok
[ ! -s "$T/after" ] && grep -qE 'thread_exit|exited' "$T/after.err" && ok || fail "after exit: $(cat "$T/after" "$T/after.err")"
# More threads than the replayer runs (128): refused with a message, nothing replayed.
{ echo '{"format":"heapsim-trace/1"}'
  for k in $(seq 1 129); do echo "{\"op\":\"malloc\",\"id\":\"A$k\",\"size\":16,\"thread\":\"T$k\"}"; done; } >"$T/129.jsonl"
"$HEAPSIM" real "$T/129.jsonl" --jsonl >"$T/129" 2>"$T/129.err" && fail "129 threads were replayed" || ok
[ ! -s "$T/129" ] && grep -q 'more than 128 threads' "$T/129.err" && ok || fail "129 threads: $(head -c 300 "$T/129.err")"

finish
