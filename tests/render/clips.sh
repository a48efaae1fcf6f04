# tests/render/clips.sh — no text in the window is cut without its "+N more" or scroll mark.
# Owns: the clipping check over every lesson step, long-trace steps with many reasons and the allocators side by side, at three sizes.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

SIZES="1024x768 1280x720 1920x1080"
# every step of every lesson (render --check-clips lays out each frame, draws no pixels)
for t in "$HS_SRC"/traces/*.json; do
    for s in $SIZES; do
        expect 0 " 0 texts cut without a mark" "$HEAPSIM" render "$t" --all --check-clips --size "$s"
    done
done
# presenter mode (--present, P) at the projector sizes: every lesson step
for t in "$HS_SRC"/traces/*.json; do
    for s in 1024x768 1280x720; do
        expect 0 " 0 texts cut without a mark" "$HEAPSIM" render "$t" --all --present --check-clips --size "$s"
    done
done
# the class at a projector's size with real glibc's overlay (its labels are
# the widest: "real: 29/29 ✓" in presenter type), presenter and normal
for t in "$HS_SRC"/traces/*.json; do
    for p in --present ""; do
        expect 0 " 0 texts cut without a mark" "$HEAPSIM" render "$t" --all --real $p --check-clips --size 1024x768
    done
done
# the textbook profile beside real glibc: the real line lists every field
# that differs (wrapped whole), the note has its textbook warning
for t in "$HS_SRC"/traces/*.json; do
    for p in --present ""; do
        expect 0 " 0 texts cut without a mark" "$HEAPSIM" render "$t" --all --profile textbook --real $p --check-clips \
            --size 1280x720
    done
done
# long traces: the issue's step (10 reasons, 138 large-bin chunks) and the
# step with the most reasons (18) of a shorter trace from the same seed
"$HEAPSIM" gen --seed 1 --ops 200000 --mix mixed >"$T/long.json" || fail "gen 200000"
"$HEAPSIM" gen --seed 1 --ops 20000 --mix mixed >"$T/mid.json" || fail "gen 20000"
n=$("$HEAPSIM" sim "$T/mid.json" | awk '$1 == 6061 {f = 1; next} f && /^ +- /{n++} f && /^ +[0-9]+  /{print n; exit}')
[ "${n:-0}" -ge 15 ] && ok || fail "step 6061 of the 20000-op trace has ${n:-0} reasons, wanted >= 15"
for s in $SIZES; do
    expect 0 " 0 texts cut without a mark" "$HEAPSIM" render "$T/long.json" --step 77504 --check-clips --size "$s"
    expect 0 " 0 texts cut without a mark" "$HEAPSIM" render "$T/mid.json" --step 6061 --check-clips --size "$s"
done
# the "what differs" panel (D, render --diff-glibc): a one-sided abort, and a
# generated calloc trace where most of 300 steps differ (long rows, scrolling)
"$HEAPSIM" gen --seed 3 --ops 300 --mix calloc --out "$T/calloc.json" >/dev/null || fail "gen calloc"
for s in $SIZES; do
    expect 0 " 0 texts cut without a mark" "$HEAPSIM" render "$HS_SRC/traces/use-after-free-safe-linking.json" \
        --glibc 2.31 --diff-glibc 2.36 --all --check-clips --size "$s"
    expect 0 " 0 texts cut without a mark" "$HEAPSIM" render "$T/calloc.json" --glibc 2.36 --diff-glibc 2.41 \
        --all --check-clips --size "$s"
done
# the allocators side by side (C, render --compare): glibc aborts at the
# lesson's double free, so its key entry carries the abort's words (and an
# allocator not installed here says so at length): every word drawn
for s in $SIZES; do
    expect 0 " 0 texts cut without a mark" "$HEAPSIM" render "$HS_SRC/traces/double-free-fastbin.json" --compare \
        --all --check-clips --size "$s"
done
# the check can fail: a 100x80 frame cuts text, and says where
expect 1 "cuts \"" "$HEAPSIM" render "$HS_SRC/tests/render/fig.json" --step 1 --check-clips --size 200x160
expect 2 "writes no file" "$HEAPSIM" render "$HS_SRC/tests/render/fig.json" --step 1 --check-clips --out "$T/x.png"
finish
