# tests/render/gui_xvfb.sh — the real window under Xvfb, driven by xdotool, checked by screenshots.
# Owns: stepping, play/pause, profile and overlay toggles, help, opening an invalid trace, quit.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
for tool in Xvfb xdotool import compare convert; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (xvfb, xdotool, imagemagick)"; exit 1; }
done
# In the sanitizer run, leaks are not checked here: SDL dlopens and unloads
# its X11/D-Bus libraries, whose leaks then show as "<unknown module>" that
# no suppression can name.  Memory errors are still fatal, and heapsim's own
# drawing code is leak-checked by render_test_render and render_render_cli.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"
FIG="$HS_SRC/tests/render/fig.json"
BAD="$HS_SRC/tests/render/bad.json"
W=1280 H=720
T=$(mktemp -d /tmp/hs-gui-XXXXXX)
XPID= APID=
cleanup() {
    [ -n "$APID" ] && kill "$APID" 2>/dev/null
    [ -n "$XPID" ] && kill "$XPID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
pass=0 fails=0
ok()   { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# The window draws with SDL's software renderer, as the PNG export does, so
# screenshots and exported frames can be compared pixel for pixel.
export SDL_RENDER_DRIVER=software

# --- a private X server on a free display
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$T/dpy" 2>"$T/xvfb.log" &
XPID=$!
for _ in $(seq 100); do [ -s "$T/dpy" ] && break; sleep 0.1; done
[ -s "$T/dpy" ] || { echo "FAIL: Xvfb did not start: $(cat "$T/xvfb.log")"; exit 1; }
export DISPLAY=":$(head -1 "$T/dpy")"
xdotool mousemove 1919 1079   # keep the pointer off the window: no hover tooltip

WID=
# start_app ARGS...: runs the window and waits for it to appear.
start_app() {
    "$HEAPSIM" gui "$@" >"$T/app.out" 2>"$T/app.err" &
    APID=$!
    WID=
    for _ in $(seq 300); do
        WID=$(xdotool search --pid "$APID" --name 'heapsim - ' 2>/dev/null | tail -1)
        [ -n "$WID" ] && break
        kill -0 "$APID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$WID" ]; then
        if kill -0 "$APID" 2>/dev/null; then echo "FAIL: no window after 30 s: $(cat "$T/app.err")"
        else wait "$APID"; echo "FAIL: the window exited with status $?: $(cat "$T/app.err")"; fi
        xdotool search --name . getwindowname %@ 2>&1 | head -5
        exit 1
    fi
    timeout 10 xdotool windowfocus --sync "$WID" 2>/dev/null
}

# The window's current id: SDL may replace its X window while setting up.
find_win() {
    local w
    w=$(xdotool search --pid "$APID" --name 'heapsim - ' 2>/dev/null | tail -1)
    [ -n "$w" ] && WID=$w
}

title() { find_win; xdotool getwindowname "$WID" 2>/dev/null; }

# shot FILE: a screenshot of the window (never waits forever).
shot() { find_win; timeout 20 import -window "$WID" "$1" 2>/dev/null; }

# wait_title REGEX: the window title matches within 15 s.
wait_title() {
    for _ in $(seq 150); do
        title | grep -Eq -- "$1" && { ok; return 0; }
        sleep 0.1
    done
    fail "title '$(title)' never matched '$1'"
    return 1
}

key() { find_win; timeout 10 xdotool windowfocus --sync "$WID" 2>/dev/null; xdotool key --delay 60 "$@"; }

# settle FILE: a screenshot once two in a row are identical (animations done).
settle() {
    shot "$T/a.png"
    for _ in $(seq 40); do
        sleep 0.25
        shot "$1"
        [ "$(compare -metric AE "$T/a.png" "$1" null: 2>&1)" = "0" ] && return 0
        cp "$1" "$T/a.png"
    done
    return 0
}

# diffpx A B: how many pixels differ by more than a little.
diffpx() { compare -metric AE -fuzz 5% "$1" "$2" null: 2>&1 | sed 's/[^0-9.e+].*//'; }
LIMIT=$((W * H / 200))   # 0.5% of the frame: rasterizer rounding, never a panel

# same_as_render FILE ARGS...: FILE matches `heapsim render` with ARGS at this size.
same_as_render() {
    local shot=$1
    shift
    "$HEAPSIM" render "$FIG" --size "${W}x$H" --out "$T/ref.png" "$@" 2>"$T/render.err" ||
        { fail "render $*: $(cat "$T/render.err")"; return 1; }
    local d
    d=$(diffpx "$shot" "$T/ref.png")
    if [ "${d%.*}" -le "$LIMIT" ] 2>/dev/null; then ok; else
        fail "window differs from 'heapsim render $*' in $d pixels"
        cp "$shot" "/tmp/hs-gui-fail-window.png"; cp "$T/ref.png" "/tmp/hs-gui-fail-render.png"
        return 1
    fi
}

# alert_share FILE: the share of the top third that is the alert colour (Okabe-Ito vermillion).
alert_share() {
    convert "$1" -crop "${W}x$((H / 3))+0+0" +repage -fuzz 3% -fill white +opaque '#D55E00' \
        -fill black -opaque '#D55E00' -colorspace gray -format '%[fx:1-mean]' info: 2>/dev/null
}

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
    matched=0
    for _ in $(seq 60); do
        settle "$T/real.png"
        d=$(diffpx "$T/real.png" "$T/realref.png")
        [ "${d%.*}" -le "$LIMIT" ] && { matched=1; break; }
        sleep 0.5
    done
    [ "$matched" -eq 1 ] && ok || fail "the real overlay never matched 'render --real' ($d pixels differ)"
    key Escape
    for _ in $(seq 50); do kill -0 "$APID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$APID" 2>/dev/null && fail "Esc did not quit" || ok
    APID=
else
    fail "HEAPSIM_REPLAYER is not set to the replayer"
fi

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
