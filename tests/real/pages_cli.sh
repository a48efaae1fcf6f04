# tests/real/pages_cli.sh — `heapsim real --pages`: the optional "heap_pages" step-line field, only when asked.
# Owns: the command-line side of per-page residency (field present with --pages, absent without, table line).
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
FIG="$HS_SRC/traces/figures-1-9.json"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# Without --pages: the step lines are exactly as before, no heap_pages anywhere.
"$HEAPSIM" real "$FIG" --jsonl >"$T/plain" 2>"$T/err" || fail "real --jsonl: $(cat "$T/err")"
[ "$(wc -l <"$T/plain")" -eq 9 ] && ok || fail "want 9 step lines, got $(wc -l <"$T/plain")"
grep -q heap_pages "$T/plain" && fail "heap_pages without --pages" || ok

# With --pages: every line has it, as the line's last field but error.
"$HEAPSIM" real "$FIG" --jsonl --pages >"$T/pages" 2>"$T/err" || fail "real --jsonl --pages: $(cat "$T/err")"
[ "$(grep -c '"heap_pages":\[' "$T/pages")" -eq 9 ] && ok || fail "not every line has heap_pages: $(head -c 600 "$T/pages")"
grep -vq '"heap_pages":\[\(\[[0-9]*,[0-9]*\]\(,\[[0-9]*,[0-9]*\]\)*\)\?\]}$' "$T/pages" &&
    fail "a heap_pages value is not a list of [first,count] runs: $(grep -v '"heap_pages":\[\(\[[0-9]*,[0-9]*\]\(,\[[0-9]*,[0-9]*\]\)*\)\?\]}$' "$T/pages" | head -1)" || ok
grep -q heap_pages_cut "$T/pages" && fail "figures 1-9 cannot need a cut" || ok
# Apart from the field, the same lines (rss_anon and minflt may differ by a fault or two, so drop them).
norm() { sed -e 's/,"heap_pages":\[[][0-9,]*\]//' -e 's/"rss_anon":[0-9-]*,//' -e 's/"minflt":[0-9]*,//' \
             -e 's/,"ns":[0-9]*//' -e 's/,"virt":[0-9]*,"res":[0-9]*,"shr":[0-9]*//' \
             -e 's/,"maps":[0-9-]*,"maps_bytes":[0-9-]*//' "$1"; }   # measured, noisy: real_extra_cli
[ "$(norm "$T/plain")" = "$(norm "$T/pages")" ] && ok || fail "--pages changed other fields"
# Step 2 writes all of A (30K from offset 0x2a0): pages 0-7 resident, in one run.
sed -n 2p "$T/pages" | grep -q '"heap_pages":\[\[0,8\]\]}' && ok ||
    fail "step 2: want [[0,8]], got $(sed -n 2p "$T/pages" | grep -o '"heap_pages".*')"
# The resident pages add up to no more than rss (which also counts mmapped chunks).
while IFS= read -r line; do
    rss=$(printf '%s' "$line" | grep -o '"rss":[0-9]*' | cut -d: -f2)
    sum=0
    for c in $(printf '%s' "$line" | grep -o '"heap_pages":.*' | grep -o '\[[0-9]*,[0-9]*\]' | sed 's/.*,\([0-9]*\)\]/\1/'); do
        sum=$((sum + c))
    done
    [ $((sum * 4096)) -le "$rss" ] || { fail "heap pages $sum > rss $rss: $line"; break; }
done <"$T/pages" && ok

# The readable table gets a line of page ranges per step.
"$HEAPSIM" real "$FIG" --pages >"$T/table" 2>"$T/err" || fail "real --pages: $(cat "$T/err")"
[ "$(grep -c 'resident heap pages (of [0-9]*):' "$T/table")" -eq 9 ] && ok || fail "table lacks page lines: $(head -8 "$T/table")"
grep -q 'resident heap pages (of 33): 0-7$' "$T/table" && ok || fail "table: no '0-7' line: $(grep resident "$T/table" | head -3)"

# An aborting trace: the abort line has no heap_pages (nothing is measured after it).
"$HEAPSIM" real "$HS_SRC/traces/double-free-tcache.json" --jsonl --pages >"$T/df" 2>"$T/err"
last=$(tail -1 "$T/df")
case "$last" in
    *'"error":'*) case "$last" in *heap_pages*) fail "the abort line has heap_pages: $last" ;; *) ok ;; esac ;;
    *) fail "double-free-tcache did not end with an error: $last" ;;
esac

finish
