# tests/app/gen_threads.sh — `heapsim gen --threads N`: ops spread over threads, cross-thread frees, thread_exit near the end.
# Owns: the --threads option's contract (docs/heapsim.1), checked on the traces and on their real replay.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# Bad values: exit 2 with a message, nothing on stdout.
for v in 65 -1 x "" 1.5; do
    expect 2 "threads" "$HEAPSIM" gen --seed 1 --ops 10 --threads "$v"
done

# Deterministic by seed; a trace that loads.
"$HEAPSIM" gen --seed 5 --ops 2000 --threads 4 --out "$T/a.jsonl" || fail "gen --threads 4"
"$HEAPSIM" gen --seed 5 --ops 2000 --threads 4 --out "$T/b.jsonl"
cmp -s "$T/a.jsonl" "$T/b.jsonl" && ok || fail "the same seed gave two traces"
"$HEAPSIM" check "$T/a.jsonl" >"$T/check" 2>&1 && ok || fail "the trace does not load: $(cat "$T/check")"
[ "$(grep -c '"op": ' "$T/a.jsonl")" -eq 2000 ] && ok || fail "want 2000 ops"
head -1 "$T/a.jsonl" | grep -q 'gen --seed 5 --ops 2000 --mix mixed --threads 4' && ok || fail "title lacks --threads: $(head -1 "$T/a.jsonl")"

# Every thread and the main one get ops; about half the threads end (T1, T2), in the last tenth.
for k in 1 2 3 4; do grep -q "\"thread\": \"T$k\"" "$T/a.jsonl" || fail "T$k has no op"; done
grep -v '"thread"' "$T/a.jsonl" | grep -q '"op": ' && ok || fail "the main thread has no op"
exits=$(grep -n '"op": "thread_exit"' "$T/a.jsonl")
[ "$(printf '%s\n' "$exits" | grep -c .)" -eq 2 ] && ok || fail "want 2 thread_exits: $exits"
printf '%s\n' "$exits" | awk -F: '$1 - 1 <= 1800 { bad = 1 } END { exit bad }' && ok || fail "a thread_exit before the last tenth: $exits"
# No op of an exited thread; the last thread's first op comes after the first exit.
awk '/"op": "thread_exit"/ { match($0, /"T[0-9]+"/); gone[substr($0, RSTART, RLENGTH)] = 1; if (!first) first = NR; next }
     { if (match($0, /"thread": "T[0-9]+"/)) { t = substr($0, RSTART + 10, RLENGTH - 10); if (t in gone) bad = "op of exited " t " at line " NR
                                                 if (t == "\"T4\"" && !t4) t4 = NR } }
     END { if (bad) { print bad; exit 1 } if (!(t4 > first)) { print "T4 first at " t4 ", first exit at " first; exit 1 } }' "$T/a.jsonl" >"$T/awk" && ok ||
    fail "thread order: $(cat "$T/awk")"
# Cross-thread frees: a free in another thread than the block's allocation.
cross=$(awk '{ th = "main"; if (match($0, /"thread": "T[0-9]+"/)) th = substr($0, RSTART + 10, RLENGTH - 10)
              if (!match($0, /"id": "[^"]*"/)) next; id = substr($0, RSTART + 6, RLENGTH - 6)
              if ($0 ~ /"op": "(malloc|calloc|memalign)"/) owner[id] = th
              else if ($0 ~ /"op": "free"/ && (id in owner) && owner[id] != th) n++ }
            END { print n + 0 }' "$T/a.jsonl")
[ "$cross" -gt 50 ] && ok || fail "only $cross cross-thread frees"

# The ops are those of the trace without threads (fields and exits aside): a prefix of it.
"$HEAPSIM" gen --seed 5 --ops 2000 --out "$T/plain.jsonl"
grep -v thread_exit "$T/a.jsonl" | sed -e 's/, "thread": "T[0-9]*"//' | tail -n +2 >"$T/a.ops"
tail -n +2 "$T/plain.jsonl" | head -n "$(wc -l <"$T/a.ops")" >"$T/plain.ops"
cmp -s "$T/a.ops" "$T/plain.ops" && ok || fail "--threads changed the ops: $(diff "$T/a.ops" "$T/plain.ops" | head -4)"
grep -q thread "$T/plain.jsonl" && fail "--threads 0 wrote thread fields" || ok

# The misuse mix keeps its double free in the main thread and ends no thread.
"$HEAPSIM" gen --seed 2 --ops 60 --mix misuse --threads 3 --out "$T/m.jsonl" || fail "gen misuse --threads"
grep -q thread_exit "$T/m.jsonl" && fail "misuse ended a thread" || ok
tail -1 "$T/m.jsonl" | grep -q '"thread"' && fail "misuse's double free is not in the main thread" || ok

# Real glibc replays it, thread by thread: every step measured, the arenas adding up to mallinfo2.
if [ -n "${HEAPSIM_REPLAYER:-}" ]; then
    "$HEAPSIM" gen --seed 11 --ops 600 --threads 3 --mix small --out "$T/r.jsonl"
    "$HEAPSIM" real "$T/r.jsonl" --jsonl >"$T/r.out" 2>"$T/r.err" || fail "real: $(cat "$T/r.err")"
    [ "$(wc -l <"$T/r.out")" -eq 600 ] && ok || fail "real: want 600 steps, got $(wc -l <"$T/r.out")"
    awk '{ mi = $0; sub(/.*"mallinfo":\{/, "", mi); sub(/\}.*/, "", mi)
           split(mi, f, ","); for (i in f) { split(f[i], kv, ":"); m[kv[1]] = kv[2] }
           a = $0; if (!sub(/.*"arenas":\[/, "", a)) { print "no arenas at step " NR; exit 1 }
           sub(/\].*/, "", a); s = 0; u = 0; n = split(a, e, "},")
           for (i = 1; i <= n; i++) { if (match(e[i], /"system":[0-9]+/)) s += substr(e[i], RSTART + 9, RLENGTH - 9)
                                      if (match(e[i], /"in_use":[0-9]+/)) u += substr(e[i], RSTART + 9, RLENGTH - 9) }
           if (s != m["\"arena\""] || u != m["\"uordblks\""]) { print "step " NR ": arenas " s "/" u " vs mallinfo " m["\"arena\""] "/" m["\"uordblks\""]; exit 1 } }' \
        "$T/r.out" >"$T/sum" && ok || fail "real: $(cat "$T/sum")"
    grep -q '"arena":[1-9]' "$T/r.out" && ok || fail "real: no chunk from a thread's arena"
fi

finish
