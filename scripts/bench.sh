#!/bin/sh
# scripts/bench.sh — runs every bench/ row and prints the machine it ran on.
# Owns: which benches run and on which traces; each bench prints its own ratio.
# usage: scripts/bench.sh [BUILD_DIR] [OPS]   (defaults: build, 1000000 ops; real mode's mmapped and
#        fragmented rows OPS / 5)
set -eu
B=${1:-build}
OPS=${2:-1000000}
[ -x "$B/heapsim" ] && [ -x "$B/bench_model" ] || { echo "scripts/bench.sh: build first (no $B/heapsim or $B/bench_model)" >&2; exit 2; }
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores online, $(uname -r)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
for mix in small mixed; do
    "$B/heapsim" gen --seed 1 --ops "$OPS" --mix $mix --jsonl --out "$T/$mix.jsonl"
    "$B/bench_model" "$T/$mix.jsonl"
done
# real mode's small mix at the issue's scale (its table is of 1M-op traces: at 200k the bare replay
# is 8-11 ms and the replayer's start weighs more), then at OPS / 5 as earlier sessions measured it;
# the other rows at OPS / 5
REAL_OPS=$((OPS / 5))
sh "$(dirname "$0")/../bench/real.sh" "$B" "$OPS" small
sh "$(dirname "$0")/../bench/real.sh" "$B" "$REAL_OPS"
# loading, validate and jumps at the issue's scale (OPS, 1M by default); render, frames and steps use their own traces
sh "$(dirname "$0")/../bench/cli.sh" "$B" "$OPS"
sh "$(dirname "$0")/../bench/limits.sh" "$B"
# the recorder (issue 12): an allocation loop, sort and python3 with and without it
if [ -x "$B/bench_record" ]; then "$B/bench_record" 30 5; fi
