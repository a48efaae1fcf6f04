#!/usr/bin/env bash
# tests/app/diff_glibc.sh — `heapsim diff`: where two versions' models part, the two real glibcs part too.
# Owns: the check of diff's first difference against real replays of both versions (heapsim real --glibc).
set -uo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

# first_real A B TRACE: the first step whose ptr, mmapped, chunk, brk or
# error differ between the real replays on glibc A and glibc B ("none").
first_real() {
    local a=$1 b=$2 f=$3
    "$HEAPSIM" real --jsonl --glibc "$a" "$f" >"$tmp/ra" 2>/dev/null
    "$HEAPSIM" real --jsonl --glibc "$b" "$f" >"$tmp/rb" 2>/dev/null
    key() { sed -E 's/.*"step":([0-9]+).*"ptr":([^,]*).*"mmapped":([^,]*),"chunk":([^,]*),"brk":([^,]*).*/\1 \2 \3 \4 \5/; s/.*"step":([0-9]+).*"error":("[^"]*").*/\1 error \2/' "$1"; }
    local n
    n=$(paste -d'|' <(key "$tmp/ra") <(key "$tmp/rb") | awk -F'|' '$1 != $2 { split($1 != "" ? $1 : $2, w, " "); print w[1]; exit }')
    echo "${n:-none}"
}

# check A B TRACE: diff's first difference is the real one (or both none)
check() {
    local a=$1 b=$2 f=$3 out rc model real
    out=$("$HEAPSIM" diff "$f" --glibc "$a" --glibc "$b" 2>&1); rc=$?
    model=$(echo "$out" | sed -n 's/^first difference: step \([0-9]*\),.*/\1/p')
    [ -n "$model" ] || model=none
    real=$(first_real "$a" "$b" "$f")
    echo "$(basename "$f") $a vs $b: model first differs at $model, real at $real (diff exit $rc)"
    [ "$model" = "$real" ] || fail "$f: diff says $model, the real glibcs $real"
    if [ "$model" = none ]; then [ "$rc" -eq 0 ] || fail "$f: exit $rc with no difference"
    else [ "$rc" -eq 1 ] || fail "$f: exit $rc with differences"; fi
    [ "$model" = none ] || grep -q "^>> *$model " <<<"$out" || fail "$f: step $model is not marked >>"
}

check 2.31 2.36 "$HS_SRC/traces/use-after-free-safe-linking.json"
check 2.31 2.41 "$HS_SRC/traces/figures-1-9.json"
for mix in small calloc; do
    "$HEAPSIM" gen --seed 3 --ops 300 --mix "$mix" --out "$tmp/g-$mix.json"
    check 2.36 2.41 "$tmp/g-$mix.json"
done
# bad use: exit 2 with a message
"$HEAPSIM" diff "$HS_SRC/traces/figures-1-9.json" >/dev/null 2>&1; [ $? -eq 2 ] || fail "diff without a version: not exit 2"
"$HEAPSIM" diff "$HS_SRC/traces/figures-1-9.json" --glibc 9.99 >/dev/null 2>"$tmp/e"; [ $? -eq 2 ] && grep -q 9.99 "$tmp/e" || fail "diff --glibc 9.99: no exit 2 with the version named"
exit $status
