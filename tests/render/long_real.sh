# tests/render/long_real.sh — real glibc beside the model on a trace longer than the window's old 500,000-op limit.
# Owns: the bounded-memory check of the view's real data (render --real runs the same view code as the window).
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

OPS=600000
"$HEAPSIM" gen --seed 11 --ops $OPS --mix small --out "$T/long.jsonl" || fail "gen"

# peak_kb ARGS...: runs heapsim render ARGS, prints the peak VmHWM of heapsim
# itself (the replayer is measured apart), polled from /proc; the exit status
# and stderr go to $T/rc and $T/err.
peak_kb() {
    "$HEAPSIM" render "$@" >"$T/out" 2>"$T/err" &
    local pid=$! hwm=0 h
    while kill -0 $pid 2>/dev/null; do
        h=$(awk '/VmHWM/{print $2}' /proc/$pid/status 2>/dev/null)
        [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
        sleep 0.2
    done
    wait $pid
    echo $? >"$T/rc"
    echo "$hwm"
}

base=$(peak_kb "$T/long.jsonl" --step $OPS --out "$T/model.png")
[ "$(cat "$T/rc")" -eq 0 ] && ok || fail "render exited $(cat "$T/rc"): $(head -c 400 "$T/err")"
hwm=$(peak_kb "$T/long.jsonl" --real --step $OPS --out "$T/end.png" --timeout 300)
[ "$(cat "$T/rc")" -eq 0 ] && ok || fail "render --real exited $(cat "$T/rc"): $(head -c 400 "$T/err")"
grep -q warning "$T/err" && fail "the real replay did not complete: $(cat "$T/err")" || ok
[ -s "$T/end.png" ] && ok || fail "no PNG"
# The trace, the model's series and its checkpoints are the same in both
# runs; real glibc's data (compact step lines, page runs, the hand-over
# queue) must add tens of MB, not gigabytes (sanitizer builds double it).
extra=$((hwm - base))
echo "heapsim render of $OPS ops: peak ${base} kB, with --real ${hwm} kB (+${extra} kB)"
[ "$base" -gt 0 ] && [ "$extra" -lt 300000 ] && ok || fail "real data took ${extra} kB (want < 300 MB)"

finish
