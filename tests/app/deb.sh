# tests/app/deb.sh — `cpack -G DEB` builds heapsim's Debian package with its dependencies and files.
# Owns: the package's contract: Depends on the runtime libraries and fonts, the installed layout inside.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_BUILD:?HS_BUILD must name the build tree}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# cpack's own work folder goes to $T, not into the build tree
if ! (cd "$T" && cpack -G DEB --config "$HS_BUILD/CPackConfig.cmake" -B "$T/pkg") >"$T/cpack.log" 2>&1; then
    fail "cpack failed: $(tail -15 "$T/cpack.log")"
    finish
fi
deb=$(ls "$T"/pkg/heapsim_*_amd64.deb "$T"/pkg/heapsim_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] && ok || { fail "no heapsim_*.deb in $(ls "$T/pkg")"; finish; }

dpkg-deb --info "$deb" >"$T/info" || fail "dpkg-deb --info failed"
field() { sed -n "s/^ $1: //p" "$T/info"; }
[ "$(field Package)" = heapsim ] && ok || fail "Package: $(field Package)"
[ -n "$(field Maintainer)" ] && ok || fail "no Maintainer"
[ "$(field Section)" = devel ] && ok || fail "Section: $(field Section)"
field Description | grep -q "glibc heap" && ok || fail "Description: $(field Description)"
deps=$(field Depends)
want="libc6 libcjson1 fonts-dejavu-core"
if "$HEAPSIM" render --help >/dev/null 2>&1; then      # GUI build: SDL2, SDL2_ttf, libpng
    want="$want libsdl2-2.0-0 libsdl2-ttf-2.0-0 libpng16-16"
fi
for p in $want; do
    echo "$deps" | grep -qE "(^|, )$p( |,|$)" && ok || fail "Depends lacks $p: $deps"
done
echo "$deps" | grep -qE -- "-dev( |,|$)" && fail "Depends names a -dev package: $deps" || ok

dpkg-deb --contents "$deb" | awk '{print $NF}' >"$T/files"
for f in ./usr/bin/heapsim ./usr/libexec/heapsim/heapsim-replay \
         ./usr/share/heapsim/traces/figures-1-9.json ./usr/share/man/man1/heapsim.1.gz \
         ./usr/share/doc/heapsim/README.md ./usr/share/bash-completion/completions/heapsim \
         ./usr/share/applications/heapsim.desktop ./usr/share/icons/hicolor/256x256/apps/heapsim.png; do
    grep -qxF "$f" "$T/files" && ok || fail "the package lacks $f"
done
n=$(ls "$HS_SRC"/traces | wc -l)
m=$(grep -c '^\./usr/share/heapsim/traces/..*[^/]$' "$T/files")
[ "$n" -eq "$m" ] && ok || fail "the package has $m files in traces/, the source $n"
finish
