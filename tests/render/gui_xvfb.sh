# tests/render/gui_xvfb.sh — the real window under Xvfb, driven by xdotool, checked by screenshots.
# Owns: stepping, play/pause, profile and overlay toggles, help, opening an invalid trace, quit.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
FIG="$HS_SRC/tests/render/fig.json"
BAD="$HS_SRC/tests/render/bad.json"
W=1280 H=720
. "$HS_SRC/tests/lib/xvfb.sh"

# ---------------------------------------------------------------- the model only
start_app "$FIG" --size "${W}x$H" --no-real
wait_title 'fig\.json - step 0/9 - glibc-2\.36$'
settle "$T/s0.png"
same_as_render "$T/s0.png" --step 0

# stepping
key Right Right Right
wait_title 'step 3/9'
settle "$T/s3.png"
same_as_render "$T/s3.png" --step 3
key Left
wait_title 'step 2/9'
key End
wait_title 'step 9/9'
settle "$T/s9.png"
same_as_render "$T/s9.png" --step 9
key Home
wait_title 'step 0/9'

# play, then pause
key space
wait_title 'step [2-9]/9'
key space
sleep 0.3
t1=$(title)
sleep 1.5
[ "$(title)" = "$t1" ] && ok || fail "still playing after pause: '$t1' then '$(title)'"

# the textbook profile and back
key End
wait_title 'step 9/9 - glibc'
key t
wait_title 'step 9/9 - textbook$'
settle "$T/tb.png"
same_as_render "$T/tb.png" --step 9 --profile textbook
key t
wait_title 'step 9/9 - glibc-2\.36$'
settle "$T/back.png"
same_as_render "$T/back.png" --step 9

# help overlay: on, then off
key h
settle "$T/help.png"
d=$(diffpx "$T/help.png" "$T/back.png")
[ "${d%.*}" -gt $((W * H / 10)) ] && ok || fail "help overlay changed only $d pixels"
key Escape
settle "$T/nohelp.png"
[ "$(diffpx "$T/nohelp.png" "$T/back.png")" = "0" ] && ok || fail "Esc did not close the help"

# real overlay toggle (R): the frame changes, and changes back
key r
settle "$T/r1.png"
[ "$(diffpx "$T/r1.png" "$T/back.png")" != "0" ] && ok || fail "R changed nothing"
key r
settle "$T/r2.png"
[ "$(diffpx "$T/r2.png" "$T/back.png")" = "0" ] && ok || fail "R twice did not restore the frame"

# fullscreen and back (F twice): the frame is laid out for the window's own
# size again, as `heapsim render` draws it at that size (issue 14, defect 5)
key f
sleep 1
settle "$T/fs.png"
[ "$(diffpx "$T/fs.png" "$T/back.png")" != "0" ] && ok || fail "F changed nothing"
key f
sleep 1
# SDL may report the pointer inside the resized window: move it out and back
xdotool mousemove 0 0 sleep 0.2 mousemove 1919 1079
settle "$T/fs2.png"
same_as_render "$T/fs2.png" --step 9

# open an invalid trace: its message in the window, the program keeps running
before=$(alert_share "$T/back.png")
key o
sleep 0.3
key ctrl+u
xdotool type --delay 20 "$BAD"
key Return
sleep 0.5
settle "$T/err.png"
kill -0 "$APID" 2>/dev/null && ok || fail "the window died on an invalid trace"
title | grep -q 'fig\.json - step 9/9' && ok || fail "the open trace changed: '$(title)'"
after=$(alert_share "$T/err.png")
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a > b + 0.003) }' && ok ||
    fail "no error message drawn (alert share $before -> $after)"
key Escape
settle "$T/cleared.png"
[ "$(diffpx "$T/cleared.png" "$T/back.png")" = "0" ] && ok || fail "Esc did not clear the message"

# quit with Q
key q
for _ in $(seq 50); do kill -0 "$APID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$APID" 2>/dev/null; then fail "Q did not quit"; else
    wait "$APID"; rc=$?
    [ "$rc" -eq 0 ] && ok || fail "the window exited $rc"
fi
APID=

# ---------------------------------------------------------------- with real glibc
if [ -n "${HEAPSIM_REPLAYER:-}" ] && [ -x "$HEAPSIM_REPLAYER" ]; then
    start_app "$FIG" --size "${W}x$H"
    wait_title 'step 0/9'
    key End
    wait_title 'step 9/9'
    "$HEAPSIM" render "$FIG" --size "${W}x$H" --out "$T/realref.png" --step 9 --real 2>"$T/render.err" ||
        fail "render --real: $(cat "$T/render.err")"
    becomes_like "$T/realref.png" "'render --real' (the real overlay)"
    key Escape
    for _ in $(seq 50); do kill -0 "$APID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$APID" 2>/dev/null && fail "Esc did not quit" || ok
    APID=
else
    fail "HEAPSIM_REPLAYER is not set to the replayer"
fi

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
