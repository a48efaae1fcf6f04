#!/usr/bin/env bash
# tests/app/hostile_output.sh — outputs are whole or absent: gen and render killed mid-write, and output that cannot be written.
# Owns: that no half-written FILE (and no stray temporary) is ever left, and that a failed write is reported.
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
: "${HS_SRC:?HS_SRC must name the source tree}"
D=$HS_T
FIG=$HS_SRC/traces/figures-1-9.json

# leftovers DIR: every file in DIR (one per line).
leftovers() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort; }

# writing PID DIR: true once PID has a file open in DIR (an unnamed
# O_TMPFILE shows as "DIR/#inode (deleted)" in /proc/PID/fd, a named
# temporary under its name) or something appeared in DIR.
fd_in() {
    local f
    for f in /proc/"$1"/fd/*; do
        [[ "$(readlink "$f" 2>/dev/null)" == "$2/"* ]] && return 0
    done
    return 1
}
writing() {
    fd_in "$1" "$2" || [ -n "$(leftovers "$2")" ]
}

# kill_writer SIG DIR FILE CMD...: runs CMD (which writes DIR/FILE through an
# unnamed O_TMPFILE, or a named temporary in DIR where the file system has
# no O_TMPFILE), waits until it is writing (at most 60 s), sends SIG, and
# checks that neither FILE nor any temporary is left.  Returns 2 (no
# verdict) when CMD finished before it could be killed.
kill_writer() {
    local sig=$1 dir=$2 file=$3 pid i rc started=
    shift 3
    rm -rf "$dir"
    mkdir -p "$dir"
    set -m     # a job of its own: SIGINT is not ignored as in a background job
    "$@" >"$HS_T/out" 2>"$HS_T/err" &
    pid=$!
    set +m
    for i in $(seq 2400); do
        writing "$pid" "$dir" && { started=1; break; }
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.025
    done
    kill "-$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    if [ "$rc" -eq 0 ]; then
        return 2
    fi
    if [ -z "$started" ]; then
        hs_fail "'${*: -4}' was not writing after 60 s (status $rc): $(head -c 300 "$HS_T/err")"
        return 0
    fi
    local left
    left=$(leftovers "$dir")
    if [ -z "$left" ]; then
        hs_ok
    elif [ -e "$dir/$file" ]; then
        hs_fail "SIG$sig mid-write of $file: a broken $file is left ($(stat -c %s "$dir/$file") bytes)"
    else
        hs_fail "SIG$sig mid-write of $file: stray temporary left: $left"
    fi
    return 0
}

# ---- heapsim gen --out FILE, killed while writing a big trace ----
for sig in TERM INT HUP KILL; do
    verdict=2
    for ops in 2000000 8000000 32000000; do
        kill_writer "$sig" "$D/gen" big.json "$HEAPSIM" gen --seed 7 --ops "$ops" --out "$D/gen/big.json"
        verdict=$?
        [ "$verdict" -ne 2 ] && break
    done
    [ "$verdict" -eq 2 ] && hs_fail "gen --out: finished before SIG$sig arrived even with 32M ops"
done
# ... and when it is not killed, FILE is whole and nothing else is left.
rm -rf "$D/gen"; mkdir -p "$D/gen"
hs_run 0 "" "$HEAPSIM" gen --seed 7 --ops 1000 --out "$D/gen/t.json"
hs_run 0 "" "$HEAPSIM" check "$D/gen/t.json"
[ "$(leftovers "$D/gen")" = t.json ] && hs_ok || hs_fail "gen --out left: $(leftovers "$D/gen")"
# An existing FILE is replaced whole or kept whole.
mkdir -p "$D/gen2"; cp "$FIG" "$D/gen2/keep.json"
"$HEAPSIM" gen --seed 7 --ops 4000000 --out "$D/gen2/keep.json" >/dev/null 2>&1 &
pid=$!
for i in $(seq 2400); do
    fd_in "$pid" "$D/gen2" && break
    [ "$(leftovers "$D/gen2")" != keep.json ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.025
done
kill -KILL "$pid"; wait "$pid" 2>/dev/null
cmp -s "$FIG" "$D/gen2/keep.json" && hs_ok || hs_fail "gen --out killed: the FILE it was replacing changed"

# ---- heapsim render --out FILE.png, killed while encoding a big image ----
if "$HEAPSIM" render --help 2>&1 | grep -q -- '--out'; then
    for sig in TERM KILL; do
        kill_writer "$sig" "$D/png" s.png "$HEAPSIM" render "$FIG" --step 5 --out "$D/png/s.png" --size 8000x6000
        [ $? -eq 2 ] && echo "note: render finished before SIG$sig arrived: no verdict"
    done
    # --all: every PNG left in the directory is whole (ends with IEND).
    rm -rf "$D/all"
    "$HEAPSIM" render "$FIG" --all --out-dir "$D/all" --size 4000x3000 >/dev/null 2>&1 &
    pid=$!
    for i in $(seq 2400); do [ -d "$D/all" ] && writing "$pid" "$D/all" && break
        kill -0 "$pid" 2>/dev/null || break; sleep 0.025; done
    kill -KILL "$pid"; wait "$pid" 2>/dev/null
    for f in "$D"/all/*; do
        [ -e "$f" ] || continue
        case $f in
        *.png) [ "$(tail -c 8 "$f" | od -An -c | tr -d ' ')" = 'IEND256B`202' ] && hs_ok || hs_fail "render --all killed: $f is not a whole PNG";;
        *) hs_fail "render --all killed: stray file $(basename "$f")";;
        esac
    done
else
    echo "note: this build has no renderer: render outputs not checked"
fi

# ---- output that cannot be written: reported, not a silent success ----
if [ -w /dev/full ]; then
    for cmd in "sim $FIG" "sim --jsonl $FIG" "real $FIG" "validate $FIG" "check $FIG" "gen --seed 1 --ops 100"; do
        # shellcheck disable=SC2086
        timeout -k 10 "$HS_HANG_S" "$HEAPSIM" $cmd >/dev/full 2>"$HS_T/err"
        hs_rc=$?
        if [ "$hs_rc" -ne 0 ] && [ "$hs_rc" -lt 128 ] && [ -s "$HS_T/err" ]; then
            hs_ok
        else
            hs_fail "'heapsim $cmd >/dev/full': status $hs_rc, message: '$(head -c 200 "$HS_T/err")' (wanted a failure status and a message)"
        fi
    done
fi

hs_finish
