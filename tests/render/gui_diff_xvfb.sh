# tests/render/gui_diff_xvfb.sh — the window's "what differs" panel (D) and version switch (V) under Xvfb + xdotool.
# Owns: D opens it as `render --diff-glibc` draws it, Enter goes to the chosen row's step, D cycles, Esc closes;
# V / Shift+V switch the glibc version while the window runs, the real replay restarting on it.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
W=1280 H=720
FIG="$HS_SRC/traces/use-after-free-safe-linking.json"
. "$HS_SRC/tests/lib/xvfb.sh"

start_app "$FIG" --size "${W}x$H" --no-real --glibc 2.31
wait_title 'use-after-free-safe-linking\.json - step 0/9'
settle "$T/plain.png"
# D: the panel, 2.31 (shown) against the next version, 2.36; as render draws it
key d
settle "$T/d36.png"
same_as_render "$T/d36.png" --glibc 2.31 --diff-glibc 2.36 --step 0
d=$(diffpx "$T/d36.png" "$T/plain.png")
[ "${d%.*}" -gt 20000 ] && ok || fail "D drew no panel ($d pixels differ)"
# Enter: the chosen row (the first difference, step 8: 2.36 aborts there) is gone to, the panel closes
key Return
wait_title 'step 8/9'
settle "$T/s8.png"
same_as_render "$T/s8.png" --glibc 2.31 --step 8
# D opens on the version compared last; D again: the next one, 2.41
key d
settle "$T/d36b.png"
same_as_render "$T/d36b.png" --glibc 2.31 --diff-glibc 2.36 --step 8
key d
settle "$T/d41.png"
same_as_render "$T/d41.png" --glibc 2.31 --diff-glibc 2.41 --step 8
# Esc closes the panel and does not quit; Q quits
key Escape
settle "$T/closed.png"
same_as_render "$T/closed.png" --glibc 2.31 --step 8
kill -0 "$APID" 2>/dev/null && ok || fail "Esc in the panel quit the window"
# V / Shift+V: 2.31 -> 2.36, back, and back again wraps to 2.41; the step stays
key v
wait_title 'step 8/9 - glibc-2\.36$'
key shift+v
wait_title 'step 8/9 - glibc-2\.31$'
key shift+v
wait_title 'step 8/9 - glibc-2\.41$'
settle "$T/v41.png"
same_as_render "$T/v41.png" --glibc 2.41 --step 8
key q
for _ in $(seq 50); do kill -0 "$APID" 2>/dev/null || break; sleep 0.1; done
APID=

# with real glibc: after V the replay runs again on that version (as render --real --glibc shows it)
real_matches() {   # real_matches VERSION: the window's frame becomes render --real --glibc VERSION's
    "$HEAPSIM" render "$FIG" --size "${W}x$H" --out "$T/realref.png" --step 9 --real --glibc "$1" \
        2>"$T/render.err" || { fail "render --real --glibc $1: $(cat "$T/render.err")"; return 1; }
    becomes_like "$T/realref.png" "'render --real --glibc $1' after V"
}
start_app "$FIG" --size "${W}x$H" --glibc 2.31
wait_title 'step 0/9'
key End
wait_title 'step 9/9 - glibc-2\.31$'
real_matches 2.31
key v
wait_title 'step 9/9 - glibc-2\.36$'
real_matches 2.36
key v
wait_title 'step 9/9 - glibc-2\.41$'
real_matches 2.41
key q
for _ in $(seq 50); do kill -0 "$APID" 2>/dev/null || break; sleep 0.1; done
APID=
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
