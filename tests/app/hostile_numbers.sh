#!/usr/bin/env bash
# tests/app/hostile_numbers.sh — huge, negative and odd numbers in traces: refused with status 2, or replayed faithfully.
# Owns: 1e400, -0, 2^64 (number and string), sizes near SIZE_MAX, calloc overflow, alignments and mallopt values at the edges.
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
D=$HS_T

# bad NAME OPS PATTERN: a trace with these ops is refused everywhere (2).
bad() {
    printf '{"format": "heapsim-trace/1", "ops": [%s]}\n' "$2" >"$D/$1.json"
    hs_all 2 "^$D/$1.json:1: op [0-9]+: .*($3)" "$D/$1.json"
}

# good NAME OPS: a valid trace: check, sim, real run (0), and model and real
# glibc agree on it (validate 0).
good() {
    printf '{"format": "heapsim-trace/1", "ops": [%s]}\n' "$2" >"$D/$1.json"
    hs_run 0 "" "$HEAPSIM" check "$D/$1.json"
    hs_run 0 "" "$HEAPSIM" sim "$D/$1.json"
    hs_run 0 "" "$HEAPSIM" sim --jsonl "$D/$1.json"
    cp "$HS_T/out" "$D/$1.sim"
    hs_run 0 "" "$HEAPSIM" real --jsonl "$D/$1.json"
    cp "$HS_T/out" "$D/$1.real"
    hs_run 0 "" "$HEAPSIM" validate "$D/$1.json" || { cat "$HS_T/out" | head -20; }
}

# nulls NAME STEP...: in both the model's and the real step lines, each
# STEP returned NULL (ptr null, mmapped null, measures present).
nulls() {
    local name=$1 f s line
    shift
    for f in sim real; do
        for s in "$@"; do
            line=$(grep -E "^\{\"step\":$s," "$D/$name.$f")
            if [[ "$line" == *'"ptr":null,"mmapped":null,"chunk":null,"brk":'[0-9]* ]]; then
                hs_ok
            else
                hs_fail "$name ($f): step $s should return NULL: $line"
            fi
        done
    done
}

# ---- numbers the loader refuses ----
bad size-1e400 '{"op": "malloc", "id": "A", "size": 1e400}' "too large"
bad size-neg-1e400 '{"op": "malloc", "id": "A", "size": -1e400}' "negative"
bad size-2-64 '{"op": "malloc", "id": "A", "size": 18446744073709551616}' "too large"
bad size-2-64-string '{"op": "malloc", "id": "A", "size": "18446744073709551616"}' "too large"
bad size-huge-string '{"op": "malloc", "id": "A", "size": "99999999999999999999999999999999999999999"}' "too large"
bad size-16E '{"op": "malloc", "id": "A", "size": "17179869184G"}' "too large"
bad size-minus-1 '{"op": "malloc", "id": "A", "size": -1}' "negative"
bad size-minus-string '{"op": "malloc", "id": "A", "size": "-1"}' "negative"
bad size-fraction '{"op": "malloc", "id": "A", "size": 1.5}' "whole number"
bad size-exp-string '{"op": "malloc", "id": "A", "size": "1e3"}' "not a size"
bad size-empty-string '{"op": "malloc", "id": "A", "size": ""}' "not a size"
bad size-bool '{"op": "malloc", "id": "A", "size": true}' "non-negative integer"
bad size-null '{"op": "malloc", "id": "A", "size": null}' "non-negative integer"
bad touch-past '{"op": "malloc", "id": "A", "size": 16, "touch": "18446744073709551615"}' "past the requested size"
bad touch-op-past '{"op": "malloc", "id": "A", "size": 16}, {"op": "touch", "id": "A", "offset": "18446744073709551615", "len": 2}' "past the requested size"
bad mallopt-2-31 '{"op": "mallopt", "param": "M_MMAP_MAX", "value": 2147483648}' "does not fit"
bad mallopt-min '{"op": "mallopt", "param": "M_MMAP_MAX", "value": -2147483649}' "does not fit"
bad mallopt-1e400 '{"op": "mallopt", "param": "M_TOP_PAD", "value": 1e400}' "does not fit"
bad mallopt-string '{"op": "mallopt", "param": "M_TOP_PAD", "value": "-99999999999"}' "does not fit"

# ---- valid traces at the edges: replayed, and the model agrees ----
good size-minus-zero '{"op": "malloc", "id": "A", "size": -0}, {"op": "free", "id": "A"}, {"op": "malloc", "id": "B", "size": -0.0}'
good size-max '{"op": "malloc", "id": "A", "size": "18446744073709551615"}, {"op": "free", "id": "A"}, {"op": "malloc", "id": "B", "size": 24}'
nulls size-max 1
good size-max-touch '{"op": "malloc", "id": "A", "size": "18446744073709551615", "touch": true}, {"op": "touch", "id": "A", "offset": "1G", "len": 8}, {"op": "free", "id": "A"}'
nulls size-max-touch 1
good ptrdiff-max '{"op": "malloc", "id": "A", "size": "9223372036854775807", "touch": false}, {"op": "malloc", "id": "B", "size": "9223372036854775808", "touch": false}'
nulls ptrdiff-max 1 2
good calloc-overflow '{"op": "calloc", "id": "A", "nmemb": "18446744073709551615", "size": 2}, {"op": "calloc", "id": "B", "nmemb": 4294967296, "size": 4294967296}, {"op": "calloc", "id": "C", "nmemb": "4G", "size": "4G", "touch": false}, {"op": "free", "id": "A"}'
nulls calloc-overflow 1 2 3
good realloc-max '{"op": "malloc", "id": "A", "size": 100}, {"op": "realloc", "id": "A", "size": "18446744073709551615"}, {"op": "touch", "id": "A", "len": 10}, {"op": "free", "id": "A"}'
nulls realloc-max 2
good memalign-edges '{"op": "memalign", "id": "A", "alignment": "18446744073709551615", "size": 10}, {"op": "memalign", "id": "B", "alignment": "9223372036854775808", "size": 10}, {"op": "memalign", "id": "C", "alignment": 0, "size": 10}, {"op": "memalign", "id": "D", "alignment": 3, "size": "18446744073709551615"}'
nulls memalign-edges 1 4
good mallopt-edges '{"op": "mallopt", "param": "M_MMAP_MAX", "value": -2147483648}, {"op": "mallopt", "param": "M_TRIM_THRESHOLD", "value": -1}, {"op": "mallopt", "param": "M_MXFAST", "value": 2147483647}, {"op": "mallopt", "param": "M_MMAP_THRESHOLD", "value": -1}, {"op": "malloc", "id": "A", "size": 100}, {"op": "malloc_trim", "pad": "18446744073709551615"}, {"op": "free", "id": "A"}, {"op": "malloc_trim", "pad": 0}'

# A JSON number the loader cannot hold exactly (above 2^53, a double's
# precision) must be refused, never read as a nearby value: 2^53 + 1 is
# not 2^53 ("write it as a string" is the cure).
printf '{"ops": [{"op": "malloc", "id": "A", "size": 9007199254740993, "touch": false}]}\n' >"$D/2-53.json"
timeout -k 10 "$HS_HANG_S" "$HEAPSIM" sim "$D/2-53.json" >"$HS_T/out" 2>"$HS_T/err"
hs_rc=$?
if [ "$hs_rc" -eq 2 ] || grep -q 'malloc(9007199254740993)' "$HS_T/out"; then
    hs_ok
else
    hs_fail "size 9007199254740993 (a number) read as: $(grep -o 'malloc([^)]*)' "$HS_T/out" | head -1) (status $hs_rc)"
fi

# A request the kernel refuses (no mapping and no break that large), on a
# machine that does not overcommit without limit: glibc returns NULL.
if [ "$(cat /proc/sys/vm/overcommit_memory 2>/dev/null)" != 1 ]; then
    good four-tib '{"op": "malloc", "id": "A", "size": "4096G", "touch": false}, {"op": "malloc", "id": "B", "size": "4096G", "touch": true}, {"op": "free", "id": "A"}'
    nulls four-tib 1 2
else
    echo "note: vm.overcommit_memory is 1 here: a 4 TiB malloc would succeed, not checked"
fi

hs_finish
