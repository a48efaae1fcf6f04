# tests/real/alloc_cli.sh — `heapsim real --allocator A` and the fields any allocator has (ns, virt/res/shr, maps).
# Owns: the check that the replayer's malloc IS the allocator asked for, and that glibc-only fields are null with another.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
: "${HS_SRC:?HS_SRC must name the source tree}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
STORM="$HS_SRC/traces/fault-storm.json"

# glibc (the default): malloc resolves to libc, every malloc/free line has "ns", touch/write lines none.
"$HEAPSIM" real "$STORM" --jsonl --allocator glibc >"$T/glibc" 2>"$T/err" || fail "real --jsonl: $(cat "$T/err")"
grep -q 'malloc resolved to .*libc\.so\.6 (glibc)' "$T/err" && ok || fail "glibc: no resolved libc: $(cat "$T/err")"
[ "$(grep -c '"op":"\(malloc\|free\|mallopt\)".*"ns":[0-9][0-9]*,' "$T/glibc")" -eq 17 ] && ok ||
    fail "glibc: not every allocator call has ns: $(head -2 "$T/glibc")"
grep -q '"op":"malloc".*"ptr":null,"mmapped":true.*"brk":[0-9]' "$T/glibc" && ok || fail "glibc: glibc fields missing"
grep -q '"virt":[0-9]*,"res":[0-9]*,"shr":[0-9]*,"maps":[0-9-]*,"maps_bytes":[0-9-]*' "$T/glibc" && ok ||
    fail "glibc: no statm/maps fields: $(head -1 "$T/glibc")"
# glibc's storm: every malloc(2M) is a new mapping, every free takes it away
[ "$(grep -c '"op":"malloc".*"maps":1,' "$T/glibc")" -eq 8 ] && ok || fail "glibc: malloc(2M) did not add a mapping each time"
"$HEAPSIM" real "$HS_SRC/traces/figures-1-9.json" --jsonl >"$T/fig" 2>"$T/err" || fail "figures: $(cat "$T/err")"
grep '"op":"touch"' "$T/fig" | grep -q '"ns"' && fail "a touch has ns: it calls no allocator" || ok
grep -q '"maps"' "$T/fig" && fail "maps counted without --allocator/--smaps (a maps read per step)" || ok
grep -q '"ns":[0-9]*,"virt":[0-9]*,"res":[0-9]*,"shr":[0-9]*' "$T/fig" && ok || fail "plain real lacks ns/virt/res/shr"

# Each other allocator: the replayer's malloc is that library's, and the glibc-only fields are null.
for a in jemalloc tcmalloc mimalloc; do
    case $a in
        jemalloc) so=libjemalloc.so.2 ;;
        tcmalloc) so=libtcmalloc_minimal.so.4 ;;
        mimalloc) so=libmimalloc.so.2 ;;
    esac
    "$HEAPSIM" real "$STORM" --allocator "$a" --jsonl >"$T/$a" 2>"$T/err" || { fail "$a: $(cat "$T/err")"; continue; }
    grep -q "malloc resolved to .*/$so ($a)" "$T/err" && ok || fail "$a: replayer's malloc is not $so: $(cat "$T/err")"
    [ "$(wc -l <"$T/$a")" -eq 17 ] && ok || fail "$a: want 17 lines"
    grep -v '"ptr":null,"mmapped":null,"chunk":null,"brk":null,"mmaps":null,"mmapped_bytes":null' "$T/$a" | grep -q . &&
        fail "$a: a glibc-only field is not null: $(head -1 "$T/$a")" || ok
    grep -v '"rss":null,"rss_anon":[0-9-]*,"minflt":[0-9]*,"mallinfo":null' "$T/$a" | grep -q . &&
        fail "$a: rss_anon/minflt not measured or mallinfo not null: $(head -1 "$T/$a")" || ok
    [ "$(grep -c '"ns":[0-9]' "$T/$a")" -eq 17 ] && ok || fail "$a: ns missing"
    "$HEAPSIM" real "$STORM" --allocator "$a" >"$T/$a.txt" 2>&1 || fail "$a table: $(cat "$T/$a.txt")"
    grep -q "mallinfo are null" "$T/$a.txt" && grep -q "malloc resolved to .*/$so ($a)" "$T/$a.txt" && ok ||
        fail "$a: the table does not say why fields are null or which malloc: $(head -5 "$T/$a.txt")"
done

expect 2 "unknown allocator 'nope'" "$HEAPSIM" real "$STORM" --allocator nope
expect 2 "unknown allocator ''" "$HEAPSIM" real "$STORM" --allocator
expect 2 "cannot go together" "$HEAPSIM" real "$STORM" --allocator jemalloc --glibc 2.41
finish
