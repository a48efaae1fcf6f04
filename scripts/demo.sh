#!/usr/bin/env bash
# scripts/demo.sh — the README's first command: install, build, run the figures 1-9 demo.
# Owns: choosing the window (a display is there) or headless output (no display).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
hs_install
hs_build build
HS=$HS_ROOT/build/heapsim
TRACE=${1:-$HS_ROOT/traces/figures-1-9.json}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && "$HS" --help | grep -q render; then
  exec "$HS" "$TRACE"
fi
echo "== no display: the model's story, then real glibc on this machine =="
"$HS" sim "$TRACE"
echo
"$HS" real "$TRACE"
mkdir -p "$HS_ROOT/out/figures"
if "$HS" render "$TRACE" --all --out-dir "$HS_ROOT/out/figures"; then
  echo
  echo "PNG of every step (what the window shows): $HS_ROOT/out/figures/"
fi
