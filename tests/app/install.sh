# tests/app/install.sh — `cmake --install` into a DESTDIR, then the installed heapsim from an unrelated folder.
# Owns: the install layout's contract: the installed command finds its own replayer and lessons, also once moved.
set -u
: "${HS_BUILD:?HS_BUILD must name the build tree}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
unset HEAPSIM_REPLAYER HEAPSIM_TRACES     # the installed paths must be found without help

D=$T/dest
if ! DESTDIR=$D cmake --install "$HS_BUILD" --prefix /usr >"$T/install.log" 2>&1; then
    fail "cmake --install failed: $(tail -5 "$T/install.log")"
    finish
fi
for f in bin/heapsim libexec/heapsim/heapsim-replay share/heapsim/traces/figures-1-9.json \
         share/heapsim/traces/tcache-fastbins.json share/man/man1/heapsim.1.gz \
         share/doc/heapsim/README.md share/doc/heapsim/trace-format.md \
         share/bash-completion/completions/heapsim share/applications/heapsim.desktop \
         share/icons/hicolor/256x256/apps/heapsim.png share/icons/hicolor/scalable/apps/heapsim.svg; do
    if [ -f "$D/usr/$f" ]; then ok; else fail "not installed: /usr/$f"; fi
done
# every lesson, and the lesson order when there is one
for f in "$HS_SRC"/traces/*; do
    if cmp -s "$f" "$D/usr/share/heapsim/traces/${f##*/}"; then ok; else fail "lesson not installed: ${f##*/}"; fi
done

mkdir -p "$T/elsewhere"
cd "$T/elsewhere" || exit 1
# runs the installed heapsim at prefix $1 (D/usr, or wherever it was moved)
check_prefix() {
    local P=$1 HS=$1/bin/heapsim
    expect 0 "^replayer: $P/libexec/heapsim/heapsim-replay\$" "$HS" --version
    expect 0 "^lessons: $P/share/heapsim/traces\$" "$HS" --version
    expect 0 "^recorder: $P/libexec/heapsim/libheapsim-recorder.so\$" "$HS" --version
    # the installed recorder records a program, and the trace replays on the installed replayer
    expect 0 "" "$HS" record -o "$T/rec.json" -- /bin/ls /
    expect 0 "0 disagreements" "$HS" validate --quiet "$T/rec.json"
    expect 0 "figures-1-9.json" "$HS" lessons
    if grep -q "$HS_SRC" "$T/out"; then fail "heapsim lessons names the source tree: $(head -3 "$T/out")"; else ok; fi
    expect 0 "malloc" "$HS" sim figures-1-9
    expect 0 "9 steps, [0-9]+ fields compared, 0 disagreements" "$HS" validate figures-1-9
    expect 0 "0 disagreements" "$HS" validate "$P/share/heapsim/traces/tcache-fastbins.json"
    expect 2 "no trace or lesson named 'figures-1-8'.*" "$HS" sim figures-1-8
    grep -q "close matches: figures-1-9" "$T/out" && ok || fail "no close match for figures-1-8: $(cat "$T/out")"
    # the installed completion completes the installed lessons
    bash --norc --noprofile -c '. "$1/share/bash-completion/completions/heapsim"
        COMP_WORDS=("$1/bin/heapsim" sim tcache-f); COMP_CWORD=2; _heapsim
        printf "%s\n" "${COMPREPLY[@]}"' _ "$P" >"$T/out" 2>&1
    grep -qx "tcache-fastbins" "$T/out" && ok || fail "installed completion: $(head -c 300 "$T/out")"
    LC_ALL=C.UTF-8 man -l "$P/share/man/man1/heapsim.1.gz" 2>&1 | grep -q "heapsim validate" \
        && ok || fail "the installed man page does not render"
    if "$HS" render --help >/dev/null 2>&1; then      # GUI build only
        expect 0 "" "$HS" render figures-1-9 --step 3 --out "$T/elsewhere/s3.png" --size 320x200 --real
        [ "$(head -c 8 "$T/elsewhere/s3.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
            && ok || fail "render from the install wrote no PNG"
        rm -f "$T/elsewhere/s3.png"
    fi
}
check_prefix "$D/usr"

# Proof that the installed replayer is the one run: break it, and validate
# must fail naming it (exit 3) even though the build tree's one still works.
R=$D/usr/libexec/heapsim/heapsim-replay
mv "$R" "$R.real"
printf '#!/bin/sh\nexit 42\n' >"$R"
chmod +x "$R"
expect 3 "heapsim-replay.*status 42|status 42" "$D/usr/bin/heapsim" validate figures-1-9
mv "$R.real" "$R"

# A moved install keeps working: nothing points back at /usr or DESTDIR.
mkdir -p "$T/moved"
mv "$D/usr" "$T/moved/opt"
check_prefix "$T/moved/opt"

# HEAPSIM_TRACES adds the user's own lessons, after the shipped ones.
mkdir -p "$T/mine"
cp "$HS_SRC/traces/figures-1-9.json" "$T/mine/my-lesson.json"
expect 0 "malloc" env HEAPSIM_TRACES="$T/mine" "$T/moved/opt/bin/heapsim" sim my-lesson
expect 0 "^lessons: $T/mine\$" env HEAPSIM_TRACES="$T/mine" "$T/moved/opt/bin/heapsim" --version
finish
