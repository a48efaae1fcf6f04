#!/usr/bin/env bash
# tests/record/record_robust.sh — the recorder on a program that forks, one that ends from a thread, one killed by SIGKILL.
# Owns: the fork, exit/_exit/pthread_exit and SIGKILL cases of `heapsim record` (programs: tests/record/prog_*.c).
. "$(dirname "$0")/../lib/check.sh"
H=${HEAPSIM:-$HS_BUILD/heapsim}
P=$HS_BUILD/tests/record

# fork: the child's calls go to a trace of its own, never into the parent's
"$H" record -o "$T/f.json" -- "$P/prog_fork" 2>"$T/f.err" || fail "fork: record failed: $(cat "$T/f.err")"
side=$(ls "$T"/f.*.json 2>/dev/null)
if [ "$(echo "$side" | grep -c .)" -ne 1 ]; then fail "fork: expected one child trace, got '$side'"; else ok; fi
grep -q "process [0-9]* (prog_fork, a fork of pid [0-9]*) has a trace of its own: $T/f\.[0-9]*\.json (2 ops)" "$T/f.err" \
    || fail "fork: no message about the child: $(cat "$T/f.err")"
# the child's free(a): a block of its parent's, named as such
grep -q "f\.[0-9]*\.json: 1 free/realloc call of pointers no recorded call returned was dropped (blocks its parent allocated before the fork)" "$T/f.err" \
    || fail "fork: the dropped free is not explained: $(cat "$T/f.err")"
grep -q '"size":300' "$T/f.json" && fail "fork: the child's malloc(300) is in the parent's trace"
grep -q '"size":300' "$side" || fail "fork: the child's malloc(300) is not in its trace"
grep -q '"size":200000' "$T/f.json" || fail "fork: the parent's malloc after the fork is missing"
"$H" check "$T/f.json" "$side" >/dev/null || fail "fork: traces do not load"
"$H" validate --quiet "$T/f.json" | grep -q ' 0 disagreements' || fail "fork: validate disagrees on the parent"

# exec: each image of a pid gets its own trace; the program's is the last one
"$H" record -o "$T/ex.json" -- sh -c "exec '$P/prog_same'" 2>"$T/ex.err" || fail "exec: record failed"
grep -q 'prog_same.c' "$T/ex.json" && ok || fail "exec: the trace is not the exec'd program's"
xs=$(ls "$T"/ex.*.json 2>/dev/null | head -1)
[ -n "$xs" ] && grep -q ', before its exec) has a trace of its own' "$T/ex.err" && ok || fail "exec: no trace for the shell: $(cat "$T/ex.err")"
[ -n "$xs" ] && grep -q 'ended with exec' "$xs" && ! grep -q '"truncated"' "$xs" && ok || fail "exec: the shell's trace is marked cut short"

# ending from a thread: every mode leaves a complete, untruncated trace
for mode in pthread_exit exit _exit; do
    "$H" record -o "$T/t.json" -- "$P/prog_threads" "$mode" 2>"$T/t.err" || { fail "$mode: record failed"; continue; }
    n=$(grep -c '"thread":"T1"' "$T/t.json")
    # the worker's 100 malloc/free pairs and its malloc(1000)
    if [ "$n" -lt 201 ]; then fail "$mode: $n ops of thread T1, expected at least 201"; else ok; fi
    grep -q '"truncated"' "$T/t.json" && fail "$mode: marked truncated"
    grep -q '"size":1000,.*"thread":"T1"' "$T/t.json" || fail "$mode: the worker's last malloc is missing"
    "$H" sim "$T/t.json" >"$T/sim.out" 2>"$T/sim.err" || fail "$mode: sim failed"
    grep -q '^       thread T1' "$T/sim.out" || fail "$mode: sim does not name the thread of its calls"
    # threads are modelled (arenas, tcaches) and replayed as threads: the recording validates
    "$H" validate "$T/t.json" >"$T/v.out" 2>"$T/v.err" || fail "$mode: validate: $(tail -n 3 "$T/v.out")"
done

# SIGKILL mid-run: the trace is valid, marked truncated, and holds every call up to the kill
"$H" record -o "$T/k.json" -- "$P/prog_kill" 2>"$T/k.err"
grep -q 'killed by signal 9' "$T/k.err" || fail "kill: no message about the signal"
grep -q '"truncated":true' "$T/k.json" || fail "kill: not marked truncated"
out=$("$H" check "$T/k.json") || fail "kill: the trace does not load"
# i = 0..40000: 40001 mallocs, and a free for every i >= 64 (past the ring: both parts of the log)
nm=$(grep -c '"op":"malloc"' "$T/k.json"); nf=$(grep -c '"op":"free"' "$T/k.json")
if [ "$nm" -lt 40001 ] || [ "$nf" -lt 39937 ]; then fail "kill: $nm mallocs and $nf frees, expected 40001 and 39937"; else ok; fi
"$H" real "$T/k.json" | grep -q 'note: truncated' || fail "kill: real does not say the trace is truncated"
"$H" real "$T/k.json" | grep -qE '^recorded pointers: ([0-9]+) of \1 steps agree' || fail "kill: pointers differ"

# a vfork child's _exit after a failed exec (in the parent's memory) does not
# mark the parent's log ended: the parent, killed later, has a truncated trace
"$H" record -o "$T/vk.json" -- "$P/prog_vfork" 2>"$T/vk.err"
grep -q '"truncated":true' "$T/vk.json" && grep -q 'did not reach exit' "$T/vk.json" && ok \
    || fail "vfork: the parent's trace: $(head -c 300 "$T/vk.json")"
[ "$(grep -c '"op":"malloc"' "$T/vk.json")" -eq 2 ] && ok || fail "vfork: expected both mallocs"

# a log that cannot grow (RLIMIT_FSIZE, SIGXFSZ ignored: pwrite fails like on a
# full disk): the trace ends at the last call recorded, marked truncated, with a
# message; it loads and holds no gap (the replay's pointers agree to its end)
"$H" record -o "$T/fs.json" -- bash -c "trap '' XFSZ; ulimit -f 2048; exec '$P/prog_many' 1" >/dev/null 2>"$T/fs.err" \
    || fail "full log: record failed: $(cat "$T/fs.err")"
grep -q 'the log could not grow' "$T/fs.err" || fail "full log: no message: $(cat "$T/fs.err")"
grep -q '"truncated":true' "$T/fs.json" || fail "full log: not marked truncated"
n=$(grep -c '"op":"malloc"' "$T/fs.json")
if [ "$n" -lt 50000 ] || [ "$n" -ge 500000 ]; then fail "full log: $n mallocs, expected the first ~2 MiB of the log"; else ok; fi
"$H" real "$T/fs.json" | grep -qE '^recorded pointers: ([0-9]+) of \1 steps agree' || fail "full log: pointers differ"

# bad command lines: a message and exit 2, nothing written
expect2() {   # expect2 MESSAGE-PART ARGS...
    local want=$1; shift
    "$H" record "$@" >/dev/null 2>"$T/e.err"
    local rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$want" "$T/e.err"; then ok; else fail "record $*: exit $rc, '$(cat "$T/e.err")'"; fi
}
expect2 'no program given'
expect2 'no program given' -o "$T/x.json" --
expect2 'wants a number of frames from 0 to 16' --callers 99 -- "$P/prog_fork"
expect2 'wants a number of frames' --callers x -- "$P/prog_fork"
expect2 'unknown option' --bogus -- "$P/prog_fork"
expect2 'cannot run /nonexistent/prog: No such file' -o "$T/x.json" -- /nonexistent/prog
expect2 "$T/no/such/dir/x.json" -o "$T/no/such/dir/x.json" -- "$P/prog_fork"
expect2 "$T is a folder: -o wants the trace's file name" -o "$T" -- "$P/prog_fork"
expect2 "-o wants the trace's file name" -o
# a trace that cannot be written is found before the program runs
"$H" record -o "$T/no/such/dir/x.json" -- sh -c "touch '$T/ran'" 2>/dev/null
[ -e "$T/ran" ] && fail "the program ran although its trace could not be written" || ok
[ -e "$T/x.json" ] && fail "a failed record left $T/x.json"
HEAPSIM_RECORDER=/nonexistent.so "$H" record -o "$T/x.json" -- "$P/prog_fork" 2>"$T/e.err"
[ $? -eq 2 ] && grep -q 'cannot find the recorder' "$T/e.err" && ok || fail "a missing recorder: $(cat "$T/e.err")"

# a reader of the messages that goes away (| true) does not stop the
# trace being written, nor leave the logs behind
mkdir -p "$T/tmp"
TMPDIR="$T/tmp" "$H" record -o "$T/pipe.json" -- sh -c "'$P/prog_same' >/dev/null; sleep 0.3" 2>&1 | true
"$H" check "$T/pipe.json" >/dev/null 2>&1 && ok || fail "messages to a closed pipe: no trace"
[ -z "$(ls "$T/tmp")" ] && ok || fail "messages to a closed pipe: logs left in TMPDIR: $(ls "$T/tmp")"

# a child still running when the program ends: its trace says it is cut short
# (the shell waits until the child's exec'd image, its second after the
# fork child's own calls, has its log, at most 20 s, then exits)
mkdir -p "$T/tmp2"
TMPDIR="$T/tmp2" "$H" record -o "$T/bg.json" -- sh -c "'$P/prog_many' 100 >/dev/null & c=\$!; echo \$c >'$T/bg.pid'
    i=0; until [ -e '$T'/tmp2/heapsim-rec-*/\$c.1.log ] || [ \$i -ge 400 ]; do sleep 0.05; i=\$((i + 1)); done" \
    2>"$T/bg.err" \
    || fail "background child: record failed"
kill "$(cat "$T/bg.pid")" 2>/dev/null
grep -q 'prog_many.*; truncated: it was still running when the program ended' "$T/bg.err" && ok \
    || fail "background child: not said to be cut short: $(cat "$T/bg.err")"

# --callers 3: frames from backtrace(), innermost first, joined by " < "
"$H" record --callers 3 -o "$T/c.json" -- "$P/prog_same" 2>/dev/null || fail "callers: record failed"
grep -q '"caller":"main (prog_same.c:[0-9]*) < __libc_start_call_main' "$T/c.json" && ok || fail "callers: no 3-frame caller"
"$H" real "$T/c.json" | grep -qE '^recorded pointers: ([0-9]+) of \1 steps agree' && ok || fail "callers: pointers differ"
# a library loaded with dlopen and unloaded before exit: its call site is still named
"$H" record -o "$T/d.json" -- "$P/prog_dlopen" "$P/libhs_lib_dl.so" 2>"$T/d.err" || fail "dlopen: record failed: $(cat "$T/d.err")"
grep -q '"size":777,.*"caller":"dl_make_block (lib_dl.c:[0-9]*)' "$T/d.json" && ok || fail "dlopen: the unloaded library's caller is not named: $(grep 777 "$T/d.json")"
finish
