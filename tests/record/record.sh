#!/usr/bin/env bash
# tests/record/record.sh — `heapsim record` on programs of the system: the replay gets the pointers the program got.
# Owns: recording sort, python3 and sqlite3, replaying with `heapsim real`, and `heapsim validate` on the recordings.
. "$(dirname "$0")/../lib/check.sh"
H=${HEAPSIM:-$HS_BUILD/heapsim}

# record NAME ARGS...: records into $T/NAME.json; checks that every
# recorded pointer comes back in the replay and that validate agrees.
record() {
    local name=$1; shift
    if ! "$H" record -o "$T/$name.json" -- "$@" >"$T/$name.out" 2>"$T/$name.err"; then
        fail "$name: record failed: $(cat "$T/$name.err")"; return
    fi
    grep -q '"touch_rule"' "$T/$name.json" || fail "$name: no touch_rule in the header"
    grep -q '"truncated"' "$T/$name.json" && fail "$name: marked truncated after a normal exit"
    local real line n m
    real=$("$H" real "$T/$name.json" 2>&1) || { fail "$name: real failed: $(echo "$real" | tail -2)"; return; }
    echo "$real" | grep -q 'note: touch rule: every block is written in full' || fail "$name: real does not print the touch rule"
    line=$(echo "$real" | grep '^recorded pointers:')
    n=$(echo "$line" | sed -n 's/^recorded pointers: \([0-9]*\) of \([0-9]*\) steps agree.*/\1/p')
    m=$(echo "$line" | sed -n 's/^recorded pointers: \([0-9]*\) of \([0-9]*\) steps agree.*/\2/p')
    if [ -z "$n" ] || [ "$n" -lt 50 ] || [ "$n" != "$m" ]; then
        fail "$name: recorded pointers do not all come back: '$line'"
    else ok; fi
    echo "$name: $line"
    local v
    v=$("$H" validate --quiet "$T/$name.json" 2>&1)
    if [ $? -ne 0 ] || ! echo "$v" | grep -q ' 0 disagreements'; then
        fail "$name: validate disagrees: $(echo "$v" | tail -3)"
    else ok; fi
    echo "$v" | tail -1
}

# sort on a few MB of generated text
awk 'BEGIN { srand(7); for (i = 0; i < 300000; i++) printf "%08d line %d of the test\n", int(rand() * 1e8), i }' >"$T/big.txt"
record sort sort --parallel=1 "$T/big.txt"   # one thread: the model has one arena
cmp -s <(sort "$T/big.txt") "$T/sort.out" || fail "sort: the recorded program's output differs"

# python3 building a dict (every object through malloc)
# (the interpreter itself: a pyenv shim would run a shell script first)
PY=$(command -v /usr/bin/python3 || command -v python3)
PYTHONMALLOC=malloc record python "$PY" -c 'd = {}
for i in range(1500): d["k%d" % i] = [i] * (i % 7)
print(len(d))'
grep -qx 1500 "$T/python.out" || fail "python: wrong output"

# python3 with four threads, each building and dropping strings: a recorded
# multi-threaded program, replayed with real threads, each in its own arena.
# Python's join returns before the thread's pthread teardown (where the
# recorder writes its end), so the program then waits until the kernel has no
# other task of it: otherwise a busy machine ends the process first and the
# recording, faithfully, has a thread that never ended.
PYTHONMALLOC=malloc record python_threads "$PY" -c 'import threading, os, time
def work(n):
    l = []
    for i in range(800):
        l.append(("x" * (600 + (i * 37) % 3000)) + str(n))
        if len(l) > 50: l.pop(0)
ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
for _ in range(2000):
    if len(os.listdir("/proc/self/task")) == 1: break
    time.sleep(0.005)
print("done")'
grep -qx done "$T/python_threads.out" || fail "python_threads: wrong output"
# each worker's end is recorded (the replay's pointers agree only with them)
n=$(grep -c '"op":"thread_exit"' "$T/python_threads.json")
[ "$n" -eq 4 ] && ok || fail "python_threads: $n thread_exit ops, expected 4"
for th in T1 T2 T3 T4; do
    n=$(grep -c "\"thread\":\"$th\"" "$T/python_threads.json")
    [ "$n" -ge 800 ] && ok || fail "python_threads: only $n ops of thread $th"
done

# ids: a freed name is used again only after HS_IDS_REST (1024) later frees,
# so a chunk still in a bin rarely shares its label with a new block
awk '/"op":"(malloc|calloc|memalign)"/ { match($0, /"id":"[^"]*"/); id = substr($0, RSTART, RLENGTH)
        if (id in last) { reused++; if (frees - last[id] < 1024) soon++; delete last[id] } }
     /"op":"free"/ { match($0, /"id":"[^"]*"/); last[substr($0, RSTART, RLENGTH)] = ++frees }
     END { printf "%d %d %d\n", frees, reused, soon }' "$T/python_threads.json" >"$T/reuse"
read -r frees reused soon <"$T/reuse"
echo "python_threads: $frees frees, $reused names used again, $soon of them within 1024 frees"
[ "$reused" -gt 0 ] && [ "$soon" -eq 0 ] && ok || fail "ids: $reused names used again, $soon within 1024 frees"

# sqlite3 inserts
if command -v sqlite3 >/dev/null; then
    record sqlite sqlite3 :memory: "CREATE TABLE t(a INTEGER, b BLOB);
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000)
        INSERT INTO t SELECT x, randomblob(x % 300) FROM c; SELECT count(*) FROM t;"
    grep -qx 3000 "$T/sqlite.out" || fail "sqlite: wrong output"
else
    fail "sqlite3 is not installed (scripts/setup.sh installs it)"
fi

# callers: the program's own call sites are named
grep -q '"caller":"[a-z_]' "$T/sort.json" || fail "sort: no named caller"
sim=$("$H" sim "$T/sort.json" | head -40)
echo "$sim" | grep -qE '^       [a-zA-Z_].*\(' || fail "sim does not show the callers"
echo "$sim" | grep -q 'note: touch rule' || fail "sim does not print the touch rule"
finish
