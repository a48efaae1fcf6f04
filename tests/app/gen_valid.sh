#!/bin/bash
# tests/app/gen_valid.sh — every trace `heapsim gen` writes loads, keeps its bounds and covers its mix.
# Owns: validity of gen's traces (via `heapsim check`), its live-set bounds, and misuse against real glibc.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim command}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# stats.awk: replays the id model of a trace written one op per line and
# prints "maxlive maxbytes doublefrees lastdouble kinds params strings touchforms"
cat > "$T/stats.awk" <<'AWK'
function val(line, key,    r) {
    if (match(line, "\"" key "\": (\"[^\"]*\"|[^,}]*)")) {
        r = substr(line, RSTART + length(key) + 4, RLENGTH - length(key) - 4)
        return r
    }
    return ""
}
function num(v,    m, n) {
    if (v ~ /^"/) { v = substr(v, 2, length(v) - 2); strings++ }
    m = 1
    if (v ~ /KiB$/) { m = 1024; v = substr(v, 1, length(v) - 3) }
    else if (v ~ /MiB$/) { m = 1048576; v = substr(v, 1, length(v) - 3) }
    else if (v ~ /GiB$/) { m = 1073741824; v = substr(v, 1, length(v) - 3) }
    else if (v ~ /K$/) { m = 1024; v = substr(v, 1, length(v) - 1) }
    else if (v ~ /M$/) { m = 1048576; v = substr(v, 1, length(v) - 1) }
    else if (v ~ /G$/) { m = 1073741824; v = substr(v, 1, length(v) - 1) }
    n = v + 0
    return n * m
}
/"op": / {
    n_ops++
    op = val($0, "op"); gsub(/"/, "", op); kinds[op] = 1
    id = val($0, "id"); gsub(/"/, "", id)
    t = val($0, "touch")
    if (t == "true") tf["true"] = 1; else if (t == "false") tf["false"] = 1; else if (t != "") tf["N"] = 1
    if (op == "malloc" || op == "calloc" || op == "memalign" || op == "realloc") {
        s = num(val($0, "size"))
        if (op == "calloc") s *= num(val($0, "nmemb"))
        if (s > maxreq && s < 2^62) maxreq = s
        if (op == "realloc") { if (!(id in live)) bad = bad " realloc-of-dead:" n_ops; bytes -= live[id]; delete live[id] }
        else if (id in live) bad = bad " rebind-live:" n_ops
        if (op == "memalign") num(val($0, "alignment"))
        if (t != "" && t != "true" && t != "false" && t + 0 > s) bad = bad " touch-past-size:" n_ops
        if (op != "realloc" || s > 0) {
            if (s >= 2^62 || (op == "calloc" && s >= 2^64)) s = 0   # a refused request returns NULL
            live[id] = s; bytes += s; bound[id] = 1
        }
    } else if (op == "free") {
        if (!(id in bound)) bad = bad " free-unbound:" n_ops
        if (id in live) { bytes -= live[id]; delete live[id] } else { doubles++; lastdouble = n_ops }
    } else if (op == "touch") {
        if (!(id in live)) bad = bad " touch-dead:" n_ops
        off = val($0, "offset"); len = val($0, "len")
        if (off != "") tf["offset"] = 1
        if (len != "") tf["len"] = 1
        o = off == "" ? 0 : num(off); l = len == "" ? live[id] - o : num(len)
        if (o + l > live[id]) bad = bad " touch-past-size:" n_ops
    } else if (op == "mallopt") {
        p = val($0, "param"); gsub(/"/, "", p); params[p] = 1
    }
    nl = 0; for (k in live) nl++
    if (nl > maxlive) maxlive = nl
    if (bytes > maxbytes) maxbytes = bytes
}
END {
    nk = 0; for (k in kinds) nk++
    np = 0; for (k in params) np++
    ntf = 0; for (k in tf) ntf++
    printf "%d %d %.0f %d %d %d %d %d %d %.0f%s\n", n_ops, maxlive, maxbytes, doubles + 0, lastdouble + 0, nk, np, strings + 0, ntf, maxreq, bad
}
AWK

mixes="small mixed large realloc calloc memalign mallopt misuse all"
for m in $mixes; do
    for seed in 1 2 3; do
        f="$T/$m-$seed.json"
        "$HEAPSIM" gen --seed "$seed" --ops 600 --mix "$m" --out "$f" || { fail "$m/$seed: gen exit $?"; continue; }
        [ -s "$f" ] || { fail "$m/$seed: gen wrote no --out file"; continue; }
        out=$("$HEAPSIM" check "$f" 2>&1) || fail "$m/$seed: heapsim check rejects it: $out"
        echo "$out" | grep -q ', 600 ops' || fail "$m/$seed: not 600 ops: $out"
        "$HEAPSIM" gen --seed "$seed" --ops 600 --mix "$m" --out "$T/$m-$seed.jsonl" || fail "$m/$seed: gen .jsonl exit $?"
        out=$("$HEAPSIM" check "$T/$m-$seed.jsonl" 2>&1) || fail "$m/$seed: .jsonl rejected: $out"
        read -r n maxlive maxbytes doubles lastdouble nk np strings ntf maxreq bad < <(awk -f "$T/stats.awk" "$f")
        [ "$n" = 600 ] || fail "$m/$seed: the awk model saw $n ops"
        [ -z "${bad:-}" ] || fail "$m/$seed: invalid ops:$bad"
        limit=200; [ "$m" = misuse ] && limit=160
        [ "$maxlive" -le "$limit" ] || fail "$m/$seed: $maxlive live blocks (limit $limit)"
        [ "$maxlive" -ge 2 ] || fail "$m/$seed: never more than $maxlive live blocks"
        [ "$maxbytes" -lt 536870912 ] || fail "$m/$seed: $maxbytes live bytes (limit 512 MiB)"
        if [ "$m" = misuse ]; then
            [ "$doubles" = 1 ] && [ "$lastdouble" = 600 ] || fail "$m/$seed: want one double free as op 600, got $doubles at $lastdouble"
        else
            [ "$doubles" = 0 ] || fail "$m/$seed: $doubles double frees"
        fi
        case $m in
            small)  [ "$maxreq" -le 1100 ] || fail "$m/$seed: a request of $maxreq bytes (> 1100)" ;;
            mixed)  [ "$maxreq" -le 4194304 ] || fail "$m/$seed: a request of $maxreq bytes (> 4 MiB)" ;;
            large|realloc) [ "$maxreq" -le 8388608 ] || fail "$m/$seed: a request of $maxreq bytes (> 8 MiB)" ;;
        esac
        [ "$ntf" -ge 3 ] || fail "$m/$seed: only $ntf of touch true/false/N/offset/len used"
        if [ "$m" = all ]; then
            [ "$nk" = 8 ] || fail "$m/$seed: only $nk of the 8 op kinds"
            [ "$np" = 8 ] || fail "$m/$seed: only $np of the 8 mallopt params"
            [ "$ntf" = 5 ] || fail "$m/$seed: only $ntf of 5 touch forms"
        fi
        [ "$m" = mallopt ] && { [ "$np" = 8 ] || fail "$m/$seed: only $np of the 8 mallopt params"; }
        case $m in small|misuse|memalign|mallopt) ;; *) [ "$strings" -gt 0 ] || fail "$m/$seed: no size written as a string" ;; esac
    done
done

# mix-specific shapes
for f in all-1 mallopt-1 realloc-1 memalign-1 large-1; do [ -s "$T/$f.json" ] || : > "$T/$f.json"; done
grep -q '"M_TRIM_THRESHOLD", "value": -1' "$T/all-1.json" || fail "all: no M_TRIM_THRESHOLD -1"
grep -q '"M_MMAP_MAX", "value": 0' "$T/all-1.json" || fail "all: no M_MMAP_MAX 0"
grep -q '"op": "malloc_trim"' "$T/mallopt-1.json" || fail "mallopt: no malloc_trim"
grep -q '"op": "realloc", "id": "[^"]*", "size": 0' "$T/realloc-1.json" || fail "realloc: no realloc to 0"
awk '/"op": "memalign"/ && match($0, /"alignment": [0-9]+/) {
        a = substr($0, RSTART + 13, RLENGTH - 13) + 0
        while (a > 1 && a % 2 == 0) a /= 2
        if (a != 1) np2 = 1
    } END { exit !np2 }' "$T/memalign-1.json" \
  || fail "memalign: no alignment that is not a power of two"
big=$(grep -o '"size": [0-9]*' "$T/large-1.json" | awk '$2 >= 131072 { n++ } END { print n + 0 }')
[ "$big" -gt 50 ] || fail "large: only $big requests at or above 128 KiB"

# misuse against real glibc: every kind aborts at the last op with the message the description names
declare -A seen=()
for seed in $(seq 1 60); do
    f="$T/mu-$seed.json"
    "$HEAPSIM" gen --seed "$seed" --ops 60 --mix misuse --out "$f" || { fail "misuse/$seed: gen exit $?"; continue; }
    [ -s "$f" ] || { fail "misuse/$seed: gen wrote no --out file"; break; }
    kind=$(grep -o 'of kind [^ ]*' "$f" | head -1 | cut -d' ' -f3)
    [ -n "$kind" ] || { fail "misuse/$seed: no kind in the description"; continue; }
    [ -n "${seen[$kind]:-}" ] && continue
    seen[$kind]=1
    want=$(grep -o "aborts with '[^']*'" "$f" | head -1 | sed "s/^aborts with '//; s/'\$//")
    last=$("$HEAPSIM" real --jsonl "$f" 2> /dev/null | tail -1)
    echo "$last" | grep -q '"step":60,' || fail "misuse/$seed ($kind): real glibc did not reach op 60: $last"
    echo "$last" | grep -qF "\"error\":\"$want\"" || fail "misuse/$seed ($kind): real glibc says ${last##*error}, want '$want'"
done
[ "${#seen[@]}" = 4 ] || fail "misuse: only ${#seen[@]} of 4 kinds in seeds 1..60 (${!seen[*]})"

finish
