# tests/real/smaps_sum.sh — `heapsim real --smaps`: the replayer's heap and anonymous mappings from /proc/self/smaps.
# Owns: the check that smaps' Rss adds up to the replayer's measured rss, and --smaps/--smaps-at's bad input.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# Which mappings: the [heap] and every anonymous one (the replayer's own
# buffers too, resident before the first op and unchanged after).  Their Rss
# summed, minus the same sum before the first op, is what the allocator
# added: with glibc exactly the step's rss (heap pages + live mmapped chunks,
# counted by mincore), on every step.
sum_check() {   # FILE: every line's smaps_rss_delta equals its rss
    python3 - "$1" <<'PY'
import json, sys
bad = 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    if "error" in d:
        continue
    s = sum(m["rss"] for m in d["smaps"])
    if d["smaps_rss_delta"] != d["rss"] or (len(d["smaps"]) < 256 and s != d["smaps_rss"]):
        print("step %d: smaps delta %d, rss %d, sum %d of %d" % (d["step"], d["smaps_rss_delta"], d["rss"], s, d["smaps_rss"]))
        bad = 1
    if not any(m["name"] == "[heap]" for m in d["smaps"]) and d["brk"] > 0:
        print("step %d: no [heap] mapping" % d["step"]); bad = 1
sys.exit(bad)
PY
}
for tr in figures-1-9 fault-storm virtual-vs-resident seed003-freeing-a-big-block; do
    "$HEAPSIM" real "$HS_SRC/traces/$tr.json" --smaps --jsonl >"$T/$tr" 2>"$T/err" || { fail "$tr: $(cat "$T/err")"; continue; }
    [ "$(grep -c '"smaps":\[' "$T/$tr")" -eq "$(wc -l <"$T/$tr")" ] && ok || fail "$tr: not every step has smaps"
    sum_check "$T/$tr" >"$T/why" && ok || fail "$tr: smaps Rss does not add up to rss: $(head -3 "$T/why")"
done

# --smaps-at: only the chosen steps; the table shows statm as top does and the sum line.
"$HEAPSIM" real "$HS_SRC/traces/figures-1-9.json" --smaps-at 3,5 --jsonl >"$T/at" 2>"$T/err" || fail "smaps-at: $(cat "$T/err")"
[ "$(grep -n '"smaps":\[' "$T/at" | cut -d: -f1 | tr '\n' ' ')" = "3 5 " ] && ok || fail "--smaps-at 3,5 chose other steps"
"$HEAPSIM" real "$HS_SRC/traces/figures-1-9.json" --smaps-at 4 >"$T/tab" 2>&1 || fail "table: $(cat "$T/tab")"
grep -q "statm (as top): VIRT [0-9]* KiB  RES [0-9]* KiB  SHR [0-9]* KiB" "$T/tab" && ok || fail "no statm line: $(cat "$T/tab")"
grep -qE "\[heap\] +[0-9]+ +[0-9]+" "$T/tab" && grep -q "KiB more than before the first op" "$T/tab" && ok ||
    fail "no heap mapping or sum line: $(cat "$T/tab")"

# another allocator: smaps are read the same way
"$HEAPSIM" real "$HS_SRC/traces/fault-storm.json" --allocator jemalloc --smaps-at 2 --jsonl >"$T/je" 2>"$T/err" &&
    grep -q '"smaps":\[{' "$T/je" && ok || fail "jemalloc smaps: $(cat "$T/err")"

# bad input: exit 2 with a message
"$HEAPSIM" gen --seed 1 --ops 100 --out "$T/big.json" >/dev/null 2>&1 || fail "gen"
expect 2 "at most 64 ops.*--smaps-at" "$HEAPSIM" real "$T/big.json" --smaps
expect 2 "step numbers 1\.\.17" "$HEAPSIM" real "$HS_SRC/traces/fault-storm.json" --smaps-at 0
expect 2 "step numbers 1\.\.17" "$HEAPSIM" real "$HS_SRC/traces/fault-storm.json" --smaps-at 18
expect 2 "step numbers" "$HEAPSIM" real "$HS_SRC/traces/fault-storm.json" --smaps-at 1,x
expect 2 "step numbers" "$HEAPSIM" real "$HS_SRC/traces/fault-storm.json" --smaps-at ,
expect 2 "step numbers" "$HEAPSIM" real "$HS_SRC/traces/fault-storm.json" --smaps-at -1
expect 2 "wants a list" "$HEAPSIM" real "$HS_SRC/traces/fault-storm.json" --smaps-at
finish
