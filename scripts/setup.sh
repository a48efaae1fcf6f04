#!/usr/bin/env bash
# scripts/setup.sh — installs what heapsim needs on Debian (only what is missing) and builds it.
# Owns: the package list and the build directories; sourced by demo.sh and test.sh.
set -euo pipefail
HS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HS_PACKAGES=(build-essential cmake pkg-config libcjson-dev libcmocka-dev
             libsdl2-dev libsdl2-ttf-dev libpng-dev fonts-dejavu-core
             valgrind clang libclang-rt-14-dev xvfb xauth xdotool imagemagick
             dpkg-dev man-db bash-completion libdw-dev sqlite3 ltrace)
# the other allocators `heapsim real --allocator` and `heapsim compare` preload
HS_PACKAGES+=(libjemalloc2 libtcmalloc-minimal4 libmimalloc2.0)

# hs_fetch_glibc: the other glibc versions the profiles are checked against, into the user's
# cache (scripts/fetch-glibc.sh); a version that cannot be fetched is reported, and its tests fail.
hs_fetch_glibc() {
  "$HS_ROOT/scripts/fetch-glibc.sh" || echo "heapsim: some glibc versions are missing; their tests will fail" >&2
}

hs_install() {
  hs_fetch_glibc
  local missing=()
  for p in "${HS_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "heapsim: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# hs_build DIR [cmake args...]: configure and build into DIR under the repo.
hs_build() {
  local dir=$1; shift
  cmake -S "$HS_ROOT" -B "$HS_ROOT/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$HS_ROOT/$dir" -j"$(nproc)"
}
