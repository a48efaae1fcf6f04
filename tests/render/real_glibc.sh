# tests/render/real_glibc.sh — the window's real replay runs on the glibc chosen (--glibc), not the machine's.
# Owns: render --real --glibc V (the same feed the window uses, play/feed.c): which glibc was measured, the versions' own outcomes, a missing version.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

UAF="$HS_SRC/traces/use-after-free-safe-linking.json"
machine=$(ldd --version 2>&1 | head -1 | sed 's/.* //')
# The lesson writes a stale fd into a freed tcache chunk: glibc 2.31 follows
# it (all 9 steps run), 2.32+ stop at step 9 (safe-linking aborts).  So the
# number of steps replayed says which glibc really ran.
if "$HEAPSIM" real "$UAF" --glibc 2.31 >/dev/null 2>"$T/e31"; then
    expect 0 "^real glibc 2\.31 from the cache: 9 of 9 steps replayed, 0 disagree with the glibc-2\.31 model" \
        "$HEAPSIM" render "$UAF" --glibc 2.31 --real --step 9 --out "$T/a.png"
    expect 0 "^real glibc 2\.31 from the cache: 9 of 9 steps replayed" \
        "$HEAPSIM" render "$UAF" --profile glibc-2.31 --real --step 9 --out "$T/b.png"
else
    fail "glibc 2.31 cannot be replayed here (so this test cannot check it): $(head -c 300 "$T/e31")"
fi
if "$HEAPSIM" real "$UAF" --glibc 2.41 >/dev/null 2>"$T/e41"; then
    expect 0 "^real glibc 2\.41 from the cache: 8 of 9 steps replayed, 0 disagree with the glibc-2\.41 model" \
        "$HEAPSIM" render "$UAF" --glibc 2.41 --real --step 9 --out "$T/c.png"
else
    fail "glibc 2.41 cannot be replayed here (so this test cannot check it): $(head -c 300 "$T/e41")"
fi
expect 0 "^real glibc $machine on this machine: 8 of 9 steps replayed" \
    "$HEAPSIM" render "$UAF" --real --step 9 --out "$T/d.png"
# a version that is not in the cache: a clear message, exit 2, no file
other=2.41
[ "$machine" = 2.41 ] && other=2.31
HEAPSIM_GLIBC_CACHE="$T/none" expect 2 "glibc $other is not in the cache.*fetch-glibc\.sh $other" \
    "$HEAPSIM" render "$UAF" --glibc "$other" --real --step 9 --out "$T/e.png"
[ ! -e "$T/e.png" ] && ok || fail "a failed render --real wrote $T/e.png"
expect 2 "no model of glibc '2\.99'" "$HEAPSIM" render "$UAF" --glibc 2.99 --step 1 --out "$T/f.png"
expect 2 "no model of glibc '2\.99'" "$HEAPSIM" gui "$UAF" --glibc 2.99
finish
