# tests/app/compare.sh — `heapsim compare TRACE`: every allocator on one trace, and seed 004's storm under each.
# Owns: the checks that compare runs glibc, glibc-tuned, jemalloc, tcmalloc and mimalloc (each the malloc asked
# for), that glibc's default mmap/munmap storm shows on the fault-storm lesson and the tuned glibc has none.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

"$HEAPSIM" compare "$HS_SRC/traces/fault-storm.json" --jsonl >"$T/j" 2>"$T/err" || fail "compare --jsonl: $(cat "$T/err")"
[ "$(cut -d, -f1 "$T/j" | tr '\n' ' ')" = '{"allocator":"glibc" {"allocator":"glibc-tuned" {"allocator":"jemalloc" {"allocator":"tcmalloc" {"allocator":"mimalloc" ' ] &&
    ok || fail "want five runs in order: $(cut -d, -f1 "$T/j" | tr '\n' ' ')"
grep -q '"error"' "$T/j" && fail "a run failed: $(grep '"error"' "$T/j")" || ok
for a in jemalloc tcmalloc mimalloc; do
    grep "\"allocator\":\"$a\"" "$T/j" | grep -q "\"malloc_lib\":\"[^\"]*lib$a[^\"]*\.so" && ok ||
        fail "$a: the replayer's malloc is not lib$a: $(grep "\"allocator\":\"$a\"" "$T/j")"
done
grep '"allocator":"glibc' "$T/j" | grep -q '"malloc_lib":"[^"]*libc\.so\.6"' && ok || fail "glibc runs are not libc's malloc"

# The storm: 8 requests of malloc(2M) + free.  glibc's default (the trace's
# fixed 128 KiB threshold) maps and unmaps every time: 16 changes of the
# mappings, 6 new faults per request.  Tuned (M_MMAP_MAX 0, M_TRIM_THRESHOLD
# -1): the heap grows once and is reused: one change, the first request's
# faults only.
field() { grep "\"allocator\":\"$1\"" "$T/j" | grep -o "\"$2\":[0-9-]*" | cut -d: -f2; }
[ "$(field glibc map_changes)" -ge 16 ] && ok || fail "glibc: no mmap/munmap storm: $(field glibc map_changes) changes"
[ "$(field glibc minflt)" -ge 48 ] && ok || fail "glibc: want >= 48 faults (6 per request), got $(field glibc minflt)"
[ "$(field glibc-tuned map_changes)" -le 1 ] && ok || fail "glibc-tuned: still a storm: $(field glibc-tuned map_changes) changes"
[ "$(field glibc-tuned minflt)" -le 12 ] && ok || fail "glibc-tuned: want the first request's faults only, got $(field glibc-tuned minflt)"
[ "$(field glibc calls)" -eq 17 ] && [ "$(field glibc-tuned calls)" -eq 19 ] && ok ||
    fail "calls: glibc $(field glibc calls) (want 17), tuned $(field glibc-tuned calls) (want 19: 2 tuning, the trace's M_MMAP_THRESHOLD, 16)"

# The table names every run and says what the columns mean.
"$HEAPSIM" compare "$HS_SRC/traces/fault-storm.json" >"$T/t" 2>"$T/err" || fail "compare: $(cat "$T/err")"
for a in glibc glibc-tuned jemalloc tcmalloc mimalloc; do
    grep -qE "^$a +[0-9]+ KiB" "$T/t" && ok || fail "no row for $a: $(cat "$T/t")"
done
grep -q "p99 ns" "$T/t" && grep -q "noisy" "$T/t" && ok || fail "the table does not explain its times"

# A trace with threads: every allocator replays it, glibc-tuned too (its
# variant of the trace keeps the threads: it once failed with "thread index
# out of range").
"$HEAPSIM" compare "$HS_SRC/traces/cross-thread-free.json" >"$T/th" 2>"$T/err" || fail "compare threads: $(cat "$T/err")"
for a in glibc glibc-tuned; do
    grep -qE "^$a +[0-9]+ KiB" "$T/th" && ok || fail "threads: no row for $a: $(cat "$T/th")"
done
grep -qiE "failed|out of range" "$T/th" && fail "threads: a run failed: $(cat "$T/th")" || ok

expect 2 "usage: heapsim compare" "$HEAPSIM" compare
expect 2 "unknown option" "$HEAPSIM" compare "$HS_SRC/traces/fault-storm.json" --nope
expect 2 "one trace at a time" "$HEAPSIM" compare a b
expect 2 "no trace or lesson named" "$HEAPSIM" compare no-such-lesson-xyz
finish
