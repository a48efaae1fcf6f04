# tests/render/gui_find_xvfb.sh — the window's find, follow, lesson list and plots under Xvfb + xdotool.
# Owns: G (go to a step, find an id), . and , on the followed id, L's list, a click on a plot, N, --glibc, A (arenas).
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
W=1280 H=720
TC="$HS_SRC/traces/tcache-fastbins.json"
. "$HS_SRC/tests/lib/xvfb.sh"
keep() { [ -n "${HS_KEEP_SHOTS:-}" ] && cp "$1" "$HS_KEEP_SHOTS/$2.png"; return 0; }
stepof() { title | sed -n 's/.* step \([0-9]*\)\/.*/\1/p'; }
# the steps (1-based) whose op names id $1, from the trace itself
steps_of() { python3 -c "import json,sys; t=json.load(open('$TC')); print(' '.join(str(i+1) for i,o in enumerate(t['ops']) if o.get('id')==sys.argv[1]))" "$1"; }

start_app "$TC" --size "${W}x$H" --no-real
wait_title 'tcache-fastbins\.json - step 0/29'

# G: go to a step
key g
sleep 0.3
xdotool type --delay 30 "12"
key Return
wait_title 'step 12/29'

# G: find an id; the window goes to where its chunk is and follows it
want=($(steps_of f3))
[ "${#want[@]}" -ge 2 ] || fail "f3 has fewer than two ops in the lesson"
key Home
wait_title 'step 0/29'
key g
sleep 0.3
xdotool type --delay 30 "f3"
key Return
wait_title "step ${want[0]}/29"
settle "$T/follow.png"
keep "$T/follow.png" follow
# . : its next op, , : back
key period
wait_title "step ${want[1]}/29"
settle "$T/follow2.png"
keep "$T/follow2.png" follow2
key comma
wait_title "step ${want[0]}/29"
# the followed chunk's box (details and history) is drawn: the frame differs from the same step unfollowed
"$HEAPSIM" render "$TC" --size "${W}x$H" --step "${want[0]}" --out "$T/plain.png" 2>/dev/null
settle "$T/f.png"
d=$(diffpx "$T/f.png" "$T/plain.png")
[ "${d%.*}" -gt 2000 ] && ok || fail "following f3 drew nothing ($d pixels differ)"

# a step that is no step: a message, the step stays
key g
sleep 0.3
xdotool type --delay 30 "999"
key Return
sleep 0.5
[ "$(stepof)" = "${want[0]}" ] && ok || fail "a step past the end moved the window to $(stepof)"
settle "$T/nf.png"
keep "$T/nf.png" notfound
key Escape

# a click on the RSS plot near its right end jumps near the end; N from the start finds a change
xdotool mousemove --window "$WID" 700 600 click 1
sleep 0.5
s=$(stepof)
[ "${s:-0}" -ge 24 ] && ok || fail "a click near the plot's end went to step '$s'"
xdotool mousemove --window "$WID" 560 600
settle "$T/hover.png"
keep "$T/hover.png" plot-hover
xdotool mousemove --window "$WID" 1270 20
key Home
wait_title 'step 0/29'
key n
sleep 0.5
s=$(stepof)
[ "${s:-0}" -ge 1 ] && ok || fail "N found no RSS change from step 0"

# L: the lesson list, in class order; Down and Enter open the next lesson
key l
settle "$T/list.png"
keep "$T/list.png" lessons
lessons=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$HS_SRC/traces/lessons.txt")
next=$(printf '%s\n' $lessons | grep -A1 -x 'tcache-fastbins.json' | tail -1)
key Down Return
wait_title "$(printf '%s' "$next" | sed 's/\./\\./g') - step 0/"

key q
for _ in $(seq 50); do kill -0 "$APID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$APID" 2>/dev/null && fail "Q did not quit" || ok
APID=

# --glibc 2.31: the window models 2.31 and replays on it (tests/render/real_glibc.sh
# checks the replay itself); T goes to the textbook and back to 2.31, not 2.36
if "$HEAPSIM" real "$HS_SRC/traces/use-after-free-safe-linking.json" --glibc 2.31 >/dev/null 2>&1; then
    start_app "$HS_SRC/traces/use-after-free-safe-linking.json" --size "${W}x$H" --glibc 2.31
    wait_title 'step 0/9 - glibc-2\.31$'
    key End
    wait_title 'step 9/9 - glibc-2\.31$'
    sleep 2
    settle "$T/g31.png"
    keep "$T/g31.png" glibc231
    key t
    wait_title 'step 9/9 - textbook$'
    key t
    wait_title 'step 9/9 - glibc-2\.31$'
    key q
    for _ in $(seq 50); do kill -0 "$APID" 2>/dev/null || break; sleep 0.1; done
    APID=
else
    fail "glibc 2.31 cannot be replayed here: the --glibc window part is not checked"
fi
# A: the heap map and bins cycle following the thread -> arena 0 -> 1 -> 2; the
# frame is then what `heapsim render --arena 2` draws (Esc clears A's message)
THR="$HS_SRC/traces/seed000-thread-arenas.json"
start_app "$THR" --size "${W}x$H" --no-real
wait_title 'seed000-thread-arenas\.json - step 0/9'
key End
wait_title 'step 9/9'
key Left
wait_title 'step 8/9'
key a a a
sleep 0.5
key Escape
sleep 0.3
"$HEAPSIM" render "$THR" --size "${W}x$H" --step 8 --arena 2 --out "$T/arena2.png" 2>/dev/null
becomes_like "$T/arena2.png" "render --arena 2 after A A A"
keep "$T/now.png" arena2
key q
for _ in $(seq 50); do kill -0 "$APID" 2>/dev/null || break; sleep 0.1; done
APID=
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
