#!/usr/bin/env bash
# tests/app/hostile_real.sh — the real replay failing every way it can: cannot start, killed, hung, out of memory.
# Owns: that `heapsim real` / `validate` say what happened (status 3, or the step's error), and leave no process behind.
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
: "${HEAPSIM_REPLAYER:?HEAPSIM_REPLAYER must name heapsim-replay}"
: "${HS_SRC:?HS_SRC must name the source tree}"
D=$HS_T
FIG=$HS_SRC/traces/figures-1-9.json

# Every replayer of this test runs from a file under $D, so a process left
# behind is one whose executable is under $D.  The replayer is started with
# an empty environment: wrappers use absolute paths only.
cp "$HEAPSIM_REPLAYER" "$D/replay"
cp "$(command -v sleep)" "$D/hang"
REPLAY=$D/replay

# strays: the pids of live processes running a file under $D (zombies have
# no executable and are not listed: their parent is gone, init reaps them).
strays() {
    local p exe
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        [[ "$exe" == "$D/"* ]] && echo "${p#/proc/}"
    done
}
# no_strays WHAT: nothing of ours is left running; whatever is, is killed
# (by pid) so the next case starts clean.
no_strays() {
    local left
    sleep 0.2
    left=$(strays)
    if [ -z "$left" ]; then
        hs_ok
    else
        hs_fail "$1: processes left running: $(for p in $left; do tr '\0' ' ' <"/proc/$p/cmdline"; echo " (pid $p)"; done)"
        kill -KILL $left 2>/dev/null
    fi
}
hs_cleanups+=('left=$(strays); [ -n "$left" ] && kill -KILL $left 2>/dev/null')

# wrapper NAME BODY: an executable shell script $D/NAME.
wrapper() {
    printf '#!/bin/sh\n%s\n' "$2" >"$D/$1"
    chmod +x "$D/$1"
}

# real_fails WHAT PATTERN REPLAYER [ARGS...]: `heapsim real ARGS` with this
# replayer: status 3, the message matches, nothing left running; without
# ARGS validate too (it has no --timeout: a hang would cost it 60 s).
real_fails() {
    local what=$1 pat=$2 rep=$3
    shift 3
    HEAPSIM_REPLAYER=$rep hs_run 3 "$pat" "$HEAPSIM" real "$@" "$FIG"
    no_strays "$what (real)"
    [ $# -gt 0 ] && return
    HEAPSIM_REPLAYER=$rep hs_run 3 "$pat" "$HEAPSIM" validate "$FIG"
    no_strays "$what (validate)"
}

# ---- cannot start ----
real_fails "missing replayer" "cannot run the replayer $D/missing: No such file" "$D/missing"
printf 'not a program\n' >"$D/text"
real_fails "not executable" "cannot run the replayer $D/text: Permission denied" "$D/text"
head -c 256 /dev/urandom >"$D/junk"; chmod +x "$D/junk"
real_fails "not a program" "cannot run the replayer $D/junk: Exec format error" "$D/junk"
mkdir "$D/adir"
real_fails "a directory" "cannot run the replayer $D/adir: Permission denied" "$D/adir"

# ---- dies at once ----
wrapper term 'kill -TERM $$'
real_fails "SIGTERM at start" "killed by signal 15 .*after 0 of 9 steps" "$D/term"
wrapper segv 'kill -SEGV $$'
real_fails "SIGSEGV at start" "killed by signal 11 .*after 0 of 9 steps" "$D/segv"
wrapper exit5 'exit 5'
real_fails "exit 5" "exited with status 5 after 0 of 9 steps" "$D/exit5"
wrapper garbage 'echo garbage >&4; exit 0'
real_fails "garbage on the step pipe" "ended after 0 of 9 steps|protocol" "$D/garbage"

# ---- hangs: killed after --timeout, with everything it started ----
wrapper hang-start "$D/hang 1000 & exec $D/hang 1001"
real_fails "hung before the first step" "did not start within 1 s .before step 1, A = malloc" "$D/hang-start" --timeout 1
wrapper hang-end "$REPLAY; exec $D/hang 1002"
HEAPSIM_REPLAYER=$D/hang-end hs_run 3 "did not exit within 1 s of its last step .all 9 steps done" "$HEAPSIM" real --timeout 1 "$FIG"
no_strays "hung after the last step"
wrapper stopped "kill -STOP \$\$"
HEAPSIM_REPLAYER=$D/stopped hs_run 3 "did not start within 1 s" "$HEAPSIM" real --timeout 1 "$FIG"
no_strays "stopped (SIGSTOP)"

# ---- killed mid-run, from outside ----
# 4000 ops, each mapping and writing 32 MiB: far longer than the test waits.
awk 'BEGIN { print "{\"format\": \"heapsim-trace/1\"}";
             for (i = 0; i < 2000; i++) print "{\"op\": \"malloc\", \"id\": \"A\", \"size\": \"32M\"}\n{\"op\": \"free\", \"id\": \"A\"}" }' >"$D/long.jsonl"
# kill_mid SIG WANT PATTERN: starts the long replay, waits until heapsim's
# child is there, sends SIG to the child, and judges heapsim.
kill_mid() {
    local sig=$1 want=$2 pat=$3 pid child i
    HEAPSIM_REPLAYER=$REPLAY timeout -k 10 "$HS_HANG_S" "$HEAPSIM" real "$D/long.jsonl" >"$HS_T/out" 2>"$HS_T/err" &
    pid=$!
    child=
    for i in $(seq 200); do
        child=$(strays | head -n 1)
        [ -n "$child" ] && break
        sleep 0.05
    done
    sleep 0.5
    if [ -z "$child" ]; then
        hs_fail "kill $sig mid-run: the replayer never started"
        kill "$pid" 2>/dev/null
    else
        kill "-$sig" "$child"
    fi
    wait "$pid"
    hs_rc=$?
    hs_judge "replayer killed by SIG$sig mid-run" "$want" &&
        { grep -Eq -- "$pat" "$HS_T/err" "$HS_T/out" && hs_ok || hs_fail "SIG$sig mid-run: no /$pat/ in: $(tail -c 400 "$HS_T/err" "$HS_T/out")"; }
    no_strays "replayer killed by SIG$sig mid-run"
}
kill_mid TERM 3 "killed by signal 15 .*after [0-9]+ of 4000 steps"
kill_mid SEGV "0|3" "Segmentation fault|signal 11"
kill_mid KILL "0|3" "Killed|signal 9"

# ---- heapsim itself killed mid-replay: its replayer must not outlive it ----
for sig in TERM INT HUP KILL; do
    wrapper hang-long "exec $D/hang 1003"
    set -m     # a job of its own, so SIGINT reaches it as from a terminal
    HEAPSIM_REPLAYER=$D/hang-long "$HEAPSIM" real --timeout 600 "$FIG" >/dev/null 2>&1 &
    pid=$!
    set +m
    for i in $(seq 200); do [ -n "$(strays)" ] && break; sleep 0.05; done
    kill "-$sig" "$pid"
    wait "$pid" 2>/dev/null
    no_strays "heapsim killed by SIG$sig while replaying"
done

# ---- out of memory ----
# glibc returns NULL: the replayer's address space is capped at 512 MiB.
wrapper capped "ulimit -v 524288; exec $REPLAY"
printf '{"ops": [{"op": "malloc", "id": "A", "size": "1G"}, {"op": "malloc", "id": "B", "size": "100K"}, {"op": "free", "id": "B"}]}\n' >"$D/1g.json"
HEAPSIM_REPLAYER=$D/capped hs_run 0 "" "$HEAPSIM" real --jsonl "$D/1g.json"
if grep -q '^{"step":1,"op":"malloc","id":"A","ptr":null,"mmapped":null' "$HS_T/out" &&
   grep -q '^{"step":3,' "$HS_T/out"; then hs_ok; else hs_fail "capped replayer: malloc(1G) should return NULL and the replay go on: $(head -c 400 "$HS_T/out")"; fi
no_strays "malloc returns NULL"

# The kernel kills the replayer: a memory cgroup of 64 MiB, 300 MiB written.
cg=
for base in /sys/fs/cgroup /sys/fs/cgroup/memory; do
    if [ -f "$base/cgroup.procs" ] && { [ -f "$base/cgroup.controllers" ] && grep -qw memory "$base/cgroup.controllers" || [ "$base" = /sys/fs/cgroup/memory ]; }; then
        if mkdir "$base/hs-hostile-$$" 2>/dev/null; then
            cg=$base/hs-hostile-$$
            break
        fi
    fi
done
if [ -n "$cg" ] && { { echo $((64 << 20)) >"$cg/memory.max"; } 2>/dev/null || { echo $((64 << 20)) >"$cg/memory.limit_in_bytes"; } 2>/dev/null; }; then
    hs_cleanups+=("rmdir '$cg' 2>/dev/null")
    { echo 0 >"$cg/memory.swap.max"; } 2>/dev/null
    { echo $((64 << 20)) >"$cg/memory.memsw.limit_in_bytes"; } 2>/dev/null
    wrapper oom "echo \$\$ >$cg/cgroup.procs && exec $REPLAY"
    printf '{"ops": [{"op": "malloc", "id": "A", "size": "1M"}, {"op": "malloc", "id": "B", "size": "300M"}, {"op": "free", "id": "B"}]}\n' >"$D/oom.json"
    HEAPSIM_REPLAYER=$D/oom hs_run 0 "" "$HEAPSIM" real "$D/oom.json"
    if grep -q "Killed (SIGKILL: out of memory?)" "$HS_T/out"; then hs_ok; else hs_fail "OOM kill not reported as such: $(tail -c 400 "$HS_T/out")"; fi
    HEAPSIM_REPLAYER=$D/oom hs_run 1 "" "$HEAPSIM" validate "$D/oom.json"
    no_strays "killed by the kernel (OOM)"
else
    [ -n "$cg" ] && rmdir "$cg" 2>/dev/null
    echo "note: no writable memory cgroup here: the kernel's OOM kill is not checked"
fi

hs_finish
