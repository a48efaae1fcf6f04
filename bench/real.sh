#!/bin/sh
# bench/real.sh — real mode's speed against a bare replay of the same calls, side by side in one run.
# Owns: the rows "heapsim real, small mix" and "heapsim real, 10,000 live mmapped blocks" of issue 15,
# and "fragmented": a recording's shape, where tens of thousands of free chunks sit in the bins.
# usage: bench/real.sh BUILD_DIR [OPS] [ROWS]   (OPS: small-mix and fragmented ops, default 200000;
#        ROWS: "small mmapped fragmented" by default; HS_BENCH_REPEAT runs of each, default 3)
# Prints, per trace, the best of the wall times of `heapsim real --jsonl` (its
# default sampling past 100,000 ops; HS_REAL_ARGS adds options, e.g. "--sample 1"),
# of `heapsim check` (loading the trace alone, which has its own row in issue 15)
# and of the bare calls + touches (bench_model's "glibc, calls + touches" row, same
# trace, same run), and two ratios: real / bare (the issue's reference) and
# (real - check) / bare (real mode's own cost, the load left out).
# Exits 2 on bad arguments, 1 if a run fails.
set -eu
B=${1:?usage: bench/real.sh BUILD_DIR [OPS]}
OPS=${2:-200000}
ROWS=${3:-small mmapped fragmented}
REPEAT=${HS_BENCH_REPEAT:-3}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

now() { date +%s.%N; }
best_of() {     # best of $REPEAT wall seconds of "$@", stdout and stderr dropped
    best=
    for i in $(seq "$REPEAT"); do
        t0=$(now)
        "$@" > /dev/null 2>&1
        t1=$(now)
        best=$(echo "$t0 $t1 ${best:-1e9}" | awk '{d = $2 - $1; print (d < $3 ? d : $3)}')
    done
    echo "$best"
}
# shellcheck disable=SC2086  # HS_REAL_ARGS: words on purpose
best_real() { best_of "$B/heapsim" real --jsonl ${HS_REAL_ARGS:-} "$1"; }
best_check() { best_of "$B/heapsim" check "$1"; }
bare() {        # seconds of the bare calls + touches of $1 (bench_model, best of its runs)
    "$B/bench_model" "$1" | awk -v n="$2" '/calls \+ touches/ {print $(NF-1) * n / 1e9}'
}
row() {         # row NAME TRACE OPS TARGET
    r=$(best_real "$2"); c=$(best_check "$2"); b=$(bare "$2" "$3")
    echo "$1 $r $c $b" | awk -v t="$4" '{
        printf "%-32s real %7.3f s  load %6.3f s  bare %7.4f s  real/bare %6.1fx  (real-load)/bare %6.1fx  (%s)\n",
               $1, $2, $3, $4, $2 / $4, ($2 - $3) / $4, t }'
}

"$B/heapsim" gen --seed 1 --ops "$OPS" --mix small --jsonl --out "$T/small.jsonl"
# 10,000 live mmapped blocks: 10,000 mallocs of 200,000 bytes (over the mmap
# threshold, which only rises on a free), each touching its first page, then
# every other one freed: 15,000 ops.
{
    echo '{"format": "heapsim-trace/1", "title": "10000 live mmapped blocks"}'
    i=0
    while [ $i -lt 10000 ]; do echo "{\"op\": \"malloc\", \"id\": \"m$i\", \"size\": 200000, \"touch\": 4096}"; i=$((i + 1)); done
    i=0
    while [ $i -lt 10000 ]; do echo "{\"op\": \"free\", \"id\": \"m$i\"}"; i=$((i + 2)); done
} > "$T/mmapped.jsonl"
# A recorded program's shape: tens of thousands of free chunks in the bins,
# so each mallinfo2 walks them (scripts/fragmented.awk).
awk -v n="$OPS" -f "$(dirname "$0")/../scripts/fragmented.awk" > "$T/fragmented.jsonl"

for r in $ROWS; do
    case $r in
    small)   row "real_small_mix_${OPS}_ops" "$T/small.jsonl" "$OPS" "target <= 10x" ;;
    mmapped) row "real_10000_live_mmapped_blocks" "$T/mmapped.jsonl" 15000 "target < 2 s real" ;;
    fragmented)
             row "real_fragmented_${OPS}_ops" "$T/fragmented.jsonl" "$(($(wc -l < "$T/fragmented.jsonl") - 1))" "target <= 10x" ;;
    *)       echo "bench/real.sh: unknown row $r (small, mmapped, fragmented)" >&2; exit 2 ;;
    esac
done
