# tests/render/gui_compare_xvfb.sh — the window's allocators plot (C) and mappings (M) under Xvfb + xdotool.
# Owns: C and M draw what `render --compare` / `--smaps` draw, the window steps while the allocators replay,
# C and M again restore the usual plots and heap map; with --no-real they say so instead (the frame changes).
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
W=1280 H=720
FIG="$HS_SRC/traces/seed002-virt-res-smaps.json"   # 4 ops: no allocator's faults vary between runs
. "$HS_SRC/tests/lib/xvfb.sh"

start_app "$FIG" --size "${W}x$H"
wait_title 'step 0/4'
key End
wait_title 'step 4/4'
"$HEAPSIM" render "$FIG" --size "${W}x$H" --out "$T/plain.png" --step 4 --real >/dev/null 2>&1
becomes_like "$T/plain.png" "'render --real'"
# C: the replays run in the background; the window keeps stepping meanwhile
key c
key Left
wait_title 'step 3/4'
key Right
wait_title 'step 4/4'
"$HEAPSIM" render "$FIG" --size "${W}x$H" --out "$T/c.png" --step 4 --real --compare >/dev/null 2>&1
becomes_like "$T/c.png" "'render --real --compare'"
key m
"$HEAPSIM" render "$FIG" --size "${W}x$H" --out "$T/cm.png" --step 4 --real --compare --smaps >/dev/null 2>&1
becomes_like "$T/cm.png" "'render --real --compare --smaps'"
key c m
becomes_like "$T/plain.png" "'render --real' after C and M again"
key q
for _ in $(seq 50); do kill -0 "$APID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$APID" 2>/dev/null && fail "Q did not quit" || ok
APID=

# --no-real: C and M show "(real mode only)" in place of the plots and the map
start_app "$FIG" --size "${W}x$H" --no-real
wait_title 'step 0/4'
settle "$T/n0.png"
key c m
settle "$T/n1.png"
d=$(diffpx "$T/n1.png" "$T/n0.png")
[ "${d%.*}" -gt 20000 ] && ok || fail "C and M changed only $d pixels without real mode"
kill -0 "$APID" 2>/dev/null && ok || fail "the window died on C/M without real mode"
key q
APID=
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
