#!/usr/bin/env bash
# scripts/fetch-glibc.sh — fetches other Debian suites' glibc (libc6, libc6-dev) into heapsim's cache.
# Owns: the glibc cache layout and the version -> suite table; never touches the system's apt or libc.
#
# Usage: scripts/fetch-glibc.sh [VERSION...]   (default: those of 2.31 2.36 2.41 this machine does not run)
# Cache: $HEAPSIM_GLIBC_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/heapsim/glibc; per version
#   CACHE/VERSION/root/   the extracted packages (headers, crt files: for building a replayer)
#   CACHE/VERSION/ld.so   that version's dynamic loader;  CACHE/VERSION/lib  the directory of its libc.so.6
#   CACHE/VERSION/ok     written last: the version is complete (app/ looks for it)
# Idempotent: a version whose `ok` exists is skipped. apt runs with a private sources list, lists
# directory, cache and an empty dpkg status, as the calling user: the system's apt state is read
# only for its keyrings. On failure: a message naming the suite and exit status 1 (others still tried).
set -euo pipefail
CACHE=${HEAPSIM_GLIBC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/heapsim/glibc}
MIRROR=${HEAPSIM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

suite_of() {
  case $1 in
    2.31) echo bullseye ;;
    2.36) echo bookworm ;;
    2.41) echo trixie ;;
    *) return 1 ;;
  esac
}

# fetch_one VERSION: fills CACHE/VERSION; returns 1 with a message when it cannot.
fetch_one() {
  local v=$1 suite dir apt
  suite=$(suite_of "$v") || { echo "fetch-glibc: no Debian suite known for glibc $v (known: 2.31 2.36 2.41)" >&2; return 1; }
  dir=$CACHE/$v
  if [ -f "$dir/ok" ]; then echo "fetch-glibc: glibc $v ($suite) already in $dir"; return 0; fi
  echo "fetch-glibc: fetching glibc $v from Debian $suite into $dir"
  rm -rf "$dir"
  mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/apt/etc" "$dir/debs"
  echo "deb [signed-by=$KEYRING] $MIRROR $suite main" > "$dir/apt/etc/sources.list"
  : > "$dir/apt/status"
  apt=(apt-get -q -o Dir::Etc::sourcelist="$dir/apt/etc/sources.list" -o Dir::Etc::sourceparts=-
       -o Dir::Etc::preferencesparts=- -o Dir::State::lists="$dir/apt/lists"
       -o Dir::State::status="$dir/apt/status" -o Dir::Cache="$dir/apt/cache"
       -o Debug::NoLocking=1 -o APT::Architecture=amd64 -o APT::Architectures::=amd64)
  # apt-get update may exit 0 with only a warning when the mirror is unreachable: check for the list
  if ! "${apt[@]}" update >"$dir/apt/update.log" 2>&1 ||
     ! compgen -G "$dir/apt/lists/*_Packages*" >/dev/null; then
    echo "fetch-glibc: cannot fetch the package lists of Debian $suite from $MIRROR (see $dir/apt/update.log); glibc $v will be missing" >&2
    return 1
  fi
  if ! (cd "$dir/debs" && "${apt[@]}" download libc6 libc6-dev >"$dir/apt/download.log" 2>&1); then
    echo "fetch-glibc: cannot download libc6/libc6-dev of Debian $suite (see $dir/apt/download.log); glibc $v will be missing" >&2
    return 1
  fi
  local deb
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
  # Absolute links (lib64/ld-linux..., usr/lib/.../libm.so) would point into the system's libc:
  # point them inside the cache, so a compiler's --sysroot sees only this version.
  local l t
  while IFS= read -r l; do
    t=$(readlink "$l")
    ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" "$dir/root$t")" "$l"
  done < <(find "$dir/root" -type l -lname '/*')
  # Debian 11 keeps libc in /lib, Debian 13 in /usr/lib (merged /usr), and lib64/ld-linux is an
  # absolute link: name both by links inside the cache that do not depend on the suite's layout.
  local d lib=
  for d in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu; do
    [ -e "$dir/root/$d/libc.so.6" ] && [ -e "$dir/root/$d/ld-linux-x86-64.so.2" ] && { lib=$d; break; }
  done
  if [ -z "$lib" ]; then
    echo "fetch-glibc: Debian $suite's libc6 has no libc.so.6 + ld-linux-x86-64.so.2; glibc $v will be missing" >&2
    return 1
  fi
  ln -sfn "root/$lib" "$dir/lib"
  ln -sfn "root/$lib/ld-linux-x86-64.so.2" "$dir/ld.so"
  local got
  got=$(cd "$dir/debs" && ls libc6_*.deb | sed 's/^libc6_\([^_]*\)_.*/\1/')
  rm -rf "$dir/apt/lists" "$dir/apt/cache"
  echo "$got" > "$dir/ok"
  echo "fetch-glibc: glibc $v = Debian $suite libc6 $got in $dir/root"
}

status=0
if [ $# -eq 0 ]; then
  own=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed 's/^glibc //')
  for v in 2.31 2.36 2.41; do [ "$v" = "$own" ] || set -- "$@" "$v"; done
fi
for v in "$@"; do fetch_one "$v" || status=1; done
exit $status
