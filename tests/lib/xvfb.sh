# tests/lib/xvfb.sh — sourced by the window tests: a private Xvfb, the window started and driven with xdotool.
# Owns: start_app, key, title/wait_title, shot/settle, diffpx; the caller sets W, H (and HEAPSIM, HS_SRC).
for tool in Xvfb xdotool import compare convert; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (xvfb, xdotool, imagemagick)"; exit 1; }
done
# In the sanitizer run, leaks are not checked here: SDL dlopens and unloads
# its X11/D-Bus libraries, whose leaks then show as "<unknown module>" that
# no suppression can name.  Memory errors are still fatal, and heapsim's own
# drawing code is leak-checked by render_test_render and render_render_cli.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"
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

# becomes_like REF WHAT: the window's frame matches the PNG REF within 30 s
# (the real replay may still be coming in); fails naming WHAT otherwise.
becomes_like() {
    local matched=0 d=
    for _ in $(seq 60); do
        settle "$T/now.png"
        d=$(diffpx "$T/now.png" "$1")
        [ "${d%.*}" -le "$LIMIT" ] && { matched=1; break; }
        sleep 0.5
    done
    [ "$matched" -eq 1 ] && ok || fail "the window never matched $2 ($d pixels differ)"
}

# alert_share FILE: the share of the top third that is the alert colour (Okabe-Ito vermillion).
alert_share() {
    convert "$1" -crop "${W}x$((H / 3))+0+0" +repage -fuzz 3% -fill white +opaque '#D55E00' \
        -fill black -opaque '#D55E00' -colorspace gray -format '%[fx:1-mean]' info: 2>/dev/null
}

