#!/usr/bin/env bash
# fuzz/run.sh — one fuzz ctest: replays the saved regression inputs, then fuzzes for a while from the seed corpus.
# Owns: the libFuzzer options of the suite's short run (time, memory, where new inputs and crashes go).
# usage: run.sh FUZZER SECONDS MAX_LEN CORPUS_DIR REGRESS_DIR WORK_DIR [DICT]
# Exit status: 0 clean; 1 a regression input or the run found a crash, a leak,
# a timeout or an out-of-memory (libFuzzer's report says which, and where the
# input was saved: WORK_DIR/artifacts/).  Set HS_FUZZ_SEED for a fixed seed.
set -u
fuzzer=$1 seconds=$2 max_len=$3 corpus=$4 regress=$5 work=$6 dict=${7:-}
[ -x "$fuzzer" ] || { echo "run.sh: $fuzzer is not built"; exit 1; }
mkdir -p "$work/corpus" "$work/artifacts" || exit 1
opts=(-rss_limit_mb=2048 -timeout=30 -max_len="$max_len" -artifact_prefix="$work/artifacts/")
[ -n "$dict" ] && opts+=(-dict="$dict")

# 1. Every saved finding must now run clean (files as arguments: each runs once).
shopt -s nullglob
inputs=("$regress"/*)
if [ ${#inputs[@]} -gt 0 ]; then
    echo "== ${#inputs[@]} regression inputs from $regress"
    "$fuzzer" "${opts[@]}" "${inputs[@]}" 2>&1 | tail -n 40
    rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then
        echo "run.sh: a regression input fails again (status $rc)"
        exit 1
    fi
fi

# 2. A short run from the seeds: new inputs go to a fresh work corpus, never
#    into the source tree (an old, grown one would make the run's start,
#    which libFuzzer does not count against -max_total_time, take minutes).
rm -rf "$work/corpus" && mkdir -p "$work/corpus" || exit 1
seed=()
[ -n "${HS_FUZZ_SEED:-}" ] && seed=(-seed="$HS_FUZZ_SEED")
[ -d "$corpus" ] || corpus=
echo "== fuzzing for $seconds s"
"$fuzzer" "${opts[@]}" "${seed[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    "$work/corpus" ${corpus:+"$corpus"} >"$work/log" 2>&1
rc=$?
tail -n 60 "$work/log"
if [ "$rc" -ne 0 ]; then
    echo "run.sh: $(basename "$fuzzer") found a problem (status $rc); input saved under $work/artifacts/"
    exit 1
fi
exit 0
