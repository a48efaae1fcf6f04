#!/usr/bin/env bash
# tests/app/hostile_big.sh — millions of ops and files past the size limit: loaded in bounded memory, or refused at once.
# Owns: the 2-million-op .jsonl (made here with awk), its memory bound, and the 1 GiB file limit.
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
D=$HS_T
N=2000000

# 2 million ops: malloc and free over 1000 ids, one op per line.
awk -v n="$N" 'BEGIN { print "{\"format\": \"heapsim-trace/1\", \"title\": \"two million ops\"}";
    for (i = 0; i < n / 2; i++) { id = i % 1000;
        printf "{\"op\":\"malloc\",\"id\":\"b%d\",\"size\":%d}\n{\"op\":\"free\",\"id\":\"b%d\"}\n", id, (i * 37) % 5000, id } }' \
    >"$D/big.jsonl" || { hs_fail "cannot write the 2M-op trace"; hs_finish; }

# The bound: a loaded op costs 52 bytes (hs_op 48 + its line number 4); the
# op arrays grow by doubling and are trimmed at the end, so at most twice
# that is held at once: <= 104 bytes per op, plus 48 MiB for the program,
# libc and cJSON.  The file (about 60 MiB here) is streamed, never held:
# a loader that read it whole or built a cJSON tree of it (hundreds of
# bytes per op) would exceed the bound.  2M ops: 203 + 48 = 251 MiB.
LIMIT_KB=$(( (N * 104) / 1024 + 48 * 1024 ))
if hs_is_asan; then
    echo "note: AddressSanitizer build: its quarantine and shadow memory are not heapsim's, the memory bound is not checked"
    hs_run 0 "" "$HEAPSIM" check "$D/big.jsonl"
elif [ -x /usr/bin/time ]; then
    hs_run 0 "" /usr/bin/time -f 'maxrss_kb=%M' "$HEAPSIM" check "$D/big.jsonl"
    rss=$(sed -n 's/^maxrss_kb=//p' "$HS_T/err")
    if [ -n "$rss" ] && [ "$rss" -le "$LIMIT_KB" ]; then
        hs_ok
        echo "2M ops checked in ${rss} KiB (bound ${LIMIT_KB} KiB)"
    else
        hs_fail "2M ops: max RSS ${rss:-?} KiB, bound ${LIMIT_KB} KiB"
    fi
else
    # No /usr/bin/time: bound the address space instead (code and libraries
    # add about 64 MiB of mappings to the same arithmetic).
    hs_run 0 "" bash -c "ulimit -v $((LIMIT_KB + 64 * 1024)) && exec \"\$0\" check \"\$1\"" "$HEAPSIM" "$D/big.jsonl"
fi
grep -q "2000000 ops, 1000 ids" "$HS_T/out" && hs_ok || hs_fail "2M ops: check said: $(head -c 300 "$HS_T/out")"

# A broken last line of the 2M-op file is found and named.
cp "$D/big.jsonl" "$D/big-cut.jsonl"
printf '{"op":"malloc","id":"z' >>"$D/big-cut.jsonl"
hs_run 2 "^$D/big-cut.jsonl:2000002:" "$HEAPSIM" check "$D/big-cut.jsonl"
rm -f "$D/big-cut.jsonl"

# The model steps through 200000 of them (the step lines go nowhere).
head -n 200001 "$D/big.jsonl" >"$D/200k.jsonl"
rm -f "$D/big.jsonl"
hs_run 0 "" "$HEAPSIM" sim --jsonl "$D/200k.jsonl"
[ "$(wc -l <"$HS_T/out")" -eq 200000 ] && hs_ok || hs_fail "200k ops: sim printed $(wc -l <"$HS_T/out") step lines"

# Past the 1 GiB limit (sparse files: nothing is written): refused at once,
# before anything is read.
for f in huge.json huge.jsonl; do
    truncate -s $(( (1 << 30) + 1 )) "$D/$f"
    hs_all 2 "^$D/$f: .*too large" "$D/$f"
    rm -f "$D/$f"
done

# Small traces that ask for huge memory: the model's own memory must follow
# what the trace writes, not what it reserves (a student's 3-line trace must
# not take gigabytes of the machine that plays it).  128 MiB is ten times
# what the model needs for the figures trace; untouched reservations should
# cost nothing.  Sizes the kernel grants here (half the RAM, through brk and
# as four mappings) and sizes it refuses (1000G: more than RAM + swap).
half=$(( $(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) * 512 ))
printf '{"ops": [{"op": "mallopt", "param": "M_MMAP_MAX", "value": 0}, {"op": "malloc", "id": "A", "size": %s, "touch": false}, {"op": "malloc", "id": "B", "size": 100}, {"op": "free", "id": "A"}]}\n' "$half" >"$D/brk-half.json"
printf '{"ops": [%s{"op": "malloc", "id": "D", "size": %s, "touch": false}]}\n' \
    "$(for i in 1 2 3; do printf '{"op": "malloc", "id": "M%d", "size": %s, "touch": false}, ' "$i" "$half"; done)" "$half" >"$D/maps-half.json"
printf '{"ops": [%s{"op": "malloc", "id": "D", "size": "1000G", "touch": false}]}\n' \
    "$(for i in 1 2 3; do printf '{"op": "malloc", "id": "M%d", "size": "1000G", "touch": false}, ' "$i"; done)" >"$D/maps-4t.json"
if hs_is_asan || ! [ -x /usr/bin/time ]; then
    echo "note: AddressSanitizer build or no /usr/bin/time: the model's memory for huge reservations is not checked"
else
    for f in brk-half maps-half maps-4t; do
        hs_run 0 "" /usr/bin/time -f 'maxrss_kb=%M' "$HEAPSIM" sim --jsonl "$D/$f.json"
        rss=$(sed -n 's/^maxrss_kb=//p' "$HS_T/err")
        if [ -n "$rss" ] && [ "$rss" -le $((128 * 1024)) ]; then
            hs_ok
            echo "heapsim sim $f.json: ${rss} KiB"
        else
            hs_fail "heapsim sim $f.json (nothing written): the model took ${rss:-?} KiB, bound 131072 KiB"
        fi
    done
fi

hs_finish
