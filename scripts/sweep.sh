#!/bin/sh
# scripts/sweep.sh — hunts disagreements: validates generated traces of every mix, with and without threads, on each glibc.
# Owns: the sweep's choice of traces (seeds from START up, mixes, thread counts, versions) and its report; validate judges.
# usage: scripts/sweep.sh [BUILD_DIR] [SECONDS] [START]   (defaults: build, 600, 1)
#   env: VERSIONS (default "2.36 2.31 2.41": those the cache lacks are skipped), THREADS (default "0 3"),
#        OUT (a directory that keeps each disagreeing trace, default none)
# Prints one line per trace that validate does not pass (seed, mix, threads, version, its first
# disagreement or error) and a summary; exit status 1 when any, 2 on a usage or build error.
set -u
B=${1:-build}
SECS=${2:-600}
seed=${3:-1}
H=$B/heapsim
[ -x "$H" ] || { echo "scripts/sweep.sh: build first (no $H)" >&2; exit 2; }
case "$SECS$seed" in *[!0-9]*) echo "scripts/sweep.sh: SECONDS and START are whole numbers" >&2; exit 2 ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
"$H" gen --seed 1 --ops 1 --out "$T/one.json" || exit 2
vers=
for v in ${VERSIONS:-2.36 2.31 2.41}; do
    if "$H" validate --quiet --glibc "$v" "$T/one.json" 2>&1 | grep -q "not in the cache"; then
        echo "glibc $v: not in the cache (scripts/fetch-glibc.sh), skipped"
    else vers="$vers $v"; fi
done
end=$(( $(date +%s) + SECS ))
n=0 bad=0
while [ "$(date +%s)" -lt "$end" ]; do
    for mix in all small mixed large realloc calloc memalign mallopt misuse; do
        for th in ${THREADS:-0 3}; do
            [ "$mix" = misuse ] && [ "$th" != 0 ] && continue      # gen's misuse mix is one thread
            ops=4000; [ "$mix" = large ] && ops=1500; [ "$mix" = mixed ] && ops=2500
            f=$T/s$seed-$mix-t$th.jsonl
            "$H" gen --seed "$seed" --ops $ops --mix $mix --threads "$th" --out "$f" || exit 2
            for v in $vers; do
                n=$((n + 1))
                out=$("$H" validate --glibc "$v" "$f" 2>&1) && continue   # exit 0: they agree
                bad=$((bad + 1))
                first=$(printf '%s\n' "$out" | sed -n 's/^  //; 2p')   # the line after validate's heading
                [ -n "$first" ] || first=$out                              # an error (exit 2 or 3) alone
                echo "DISAGREES: gen --seed $seed --ops $ops --mix $mix --threads $th, glibc $v: $first"
                [ -n "${OUT:-}" ] && mkdir -p "$OUT" && cp "$f" "$OUT/"
            done
        done
    done
    seed=$((seed + 1))
done
echo "scripts/sweep.sh: $n validations (seeds ${3:-1}..$((seed - 1)), glibc$vers): $bad disagreed"
[ "$bad" -eq 0 ]
