# tests/render/render_cli.sh — `heapsim render` from the command line: files, sizes, errors.
# Owns: the headless export's contract (PNG per step, exit 2 with a message on bad input).
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
FIG="$HS_SRC/tests/render/fig.json"
BAD="$HS_SRC/tests/render/bad.json"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# expect_exit CODE PATTERN CMD...: CMD exits CODE and its stderr matches PATTERN.
expect_exit() {
    local code=$1 pat=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ "$rc" -ne "$code" ]; then
        fail "'$*' exited $rc, wanted $code; stderr: $(head -c 400 "$T/err")"
    elif [ -n "$pat" ] && ! grep -q -- "$pat" "$T/err"; then
        fail "'$*': stderr lacks '$pat': $(head -c 400 "$T/err")"
    else
        ok
    fi
}

# png_size FILE: prints WxH of a valid PNG (ImageMagick reads it whole), or nothing.
png_size() {
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || return 0
    identify -format '%wx%h' "$1" 2>/dev/null
}

# --- one step, default and custom sizes
expect_exit 0 "" "$HEAPSIM" render "$FIG" --step 4 --out "$T/s4.png"
[ "$(png_size "$T/s4.png")" = "1920x1080" ] && ok || fail "s4.png is not a 1920x1080 PNG"
expect_exit 0 "" "$HEAPSIM" render "$FIG" --step 0 --out "$T/small.png" --size 800x600
[ "$(png_size "$T/small.png")" = "800x600" ] && ok || fail "small.png is not 800x600"
expect_exit 0 "" "$HEAPSIM" render "$FIG" --step 9 --out "$T/tb.png" --size 1280x720 --profile textbook
[ "$(png_size "$T/tb.png")" = "1280x720" ] && ok || fail "tb.png is not 1280x720"
# different steps draw different pictures
cmp -s "$T/s4.png" "$T/small.png" && fail "step 4 and step 0 gave the same file" || ok

# --- every step
expect_exit 0 "" "$HEAPSIM" render "$FIG" --all --out-dir "$T/all" --size 640x400
n=$(ls "$T/all" | grep -c '^step-[0-9][0-9][0-9]\.png$')
[ "$n" -eq 10 ] && ok || fail "--all wrote $n step PNGs, wanted 10 (steps 0..9)"
[ "$(ls -A "$T/all" | wc -l)" -eq 10 ] && ok || fail "--all left other files: $(ls -A "$T/all")"
for f in "$T"/all/*.png; do
    [ "$(png_size "$f")" = "640x400" ] || { fail "$f is not a 640x400 PNG"; break; }
done
ok
# the same step drawn twice is the same picture (no clock, no randomness)
expect_exit 0 "" "$HEAPSIM" render "$FIG" --step 4 --out "$T/s4b.png"
cmp -s "$T/s4.png" "$T/s4b.png" && ok || fail "two renders of step 4 differ"
# an existing file is replaced whole
expect_exit 0 "" "$HEAPSIM" render "$FIG" --step 3 --out "$T/s4b.png"
cmp -s "$T/s4.png" "$T/s4b.png" && fail "the output file was not replaced" || ok
ls "$T" | grep -q '\.tmp\.' && fail "a temporary file was left behind" || ok

# --arena K: the heap map and bins show that arena (the window's A), so the
# frame of a main-thread step differs from the default (main's arena)
THR="$HS_SRC/traces/seed000-thread-arenas.json"
expect_exit 0 "" "$HEAPSIM" render "$THR" --step 8 --out "$T/a0.png" --size 800x600
expect_exit 0 "" "$HEAPSIM" render "$THR" --step 8 --out "$T/a2.png" --size 800x600 --arena 2
cmp -s "$T/a0.png" "$T/a2.png" && fail "--arena 2 drew the same frame as the main arena" || ok

# --- bad arguments and bad traces: a message and exit 2, no file
expect_exit 2 "no trace" "$HEAPSIM" render
expect_exit 2 "step" "$HEAPSIM" render "$FIG" --out "$T/x.png"
expect_exit 2 "--out" "$HEAPSIM" render "$FIG" --step 1
expect_exit 2 "out-dir" "$HEAPSIM" render "$FIG" --all
expect_exit 2 "not both" "$HEAPSIM" render "$FIG" --all --step 1 --out "$T/x.png"
expect_exit 2 "step number" "$HEAPSIM" render "$FIG" --step two --out "$T/x.png"
expect_exit 2 "step number" "$HEAPSIM" render "$FIG" --step -1 --out "$T/x.png"
expect_exit 2 "out of range" "$HEAPSIM" render "$FIG" --step 10 --out "$T/x.png"
expect_exit 2 "WxH" "$HEAPSIM" render "$FIG" --step 1 --out "$T/x.png" --size 100
expect_exit 2 "WxH" "$HEAPSIM" render "$FIG" --step 1 --out "$T/x.png" --size 5x5
expect_exit 2 "WxH" "$HEAPSIM" render "$FIG" --step 1 --out "$T/x.png" --size 99999x100
expect_exit 2 "profile" "$HEAPSIM" render "$FIG" --step 1 --out "$T/x.png" --profile nope
expect_exit 2 "unknown option" "$HEAPSIM" render "$FIG" --step 1 --out "$T/x.png" --frobnicate
expect_exit 2 "arena number" "$HEAPSIM" render "$FIG" --step 1 --out "$T/x.png" --arena one
expect_exit 2 "arena number" "$HEAPSIM" render "$FIG" --step 1 --out "$T/x.png" --arena
expect_exit 2 "bad.json:1: op 1" "$HEAPSIM" render "$BAD" --step 0 --out "$T/x.png"
expect_exit 2 "no-such.json" "$HEAPSIM" render "$T/no-such.json" --step 0 --out "$T/x.png"
expect_exit 2 "x.png" "$HEAPSIM" render "$FIG" --step 0 --out "$T/no/such/dir/x.png"
[ -e "$T/x.png" ] && fail "a failed render left x.png" || ok
touch "$T/plainfile"
expect_exit 2 "not a directory" "$HEAPSIM" render "$FIG" --all --out-dir "$T/plainfile"
expect_exit 0 "" "$HEAPSIM" render --help

# --- no display: the window says so and points to headless output
expect_exit 2 "heapsim render" env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$HEAPSIM" gui "$FIG"
# an invalid trace given to the window: the loader's message, exit 2
expect_exit 2 "bad.json:1: op 1" env -u DISPLAY -u WAYLAND_DISPLAY "$HEAPSIM" gui "$BAD"

finish
