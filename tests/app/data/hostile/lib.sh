# tests/app/data/hostile/lib.sh — what the hostile_*.sh tests share: a scratch dir, running heapsim, judging a run.
# Owns: the verdict rules (a clear message and the expected status, never a crash, a hang or a sanitizer report).
# Sourced, never run.  Needs HEAPSIM (and HEAPSIM_REPLAYER, HS_SRC for some tests).
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
HS_T=$(mktemp -d "${TMPDIR:-/tmp}/hs-hostile-XXXXXX") || exit 1
hs_cleanups=()
hs_cleanup() {
    local c
    for c in "${hs_cleanups[@]}"; do eval "$c"; done
    rm -rf "$HS_T"
}
trap hs_cleanup EXIT
hs_fails=0
hs_passes=0
hs_ok()   { hs_passes=$((hs_passes + 1)); }
hs_fail() { echo "FAIL: $*"; hs_fails=$((hs_fails + 1)); }

# Seconds any single heapsim run may take before it counts as a hang.
HS_HANG_S=${HS_HANG_S:-120}

# What a sanitizer prints when it finds something (a crash without one shows
# in the status: a signal gives 128 + its number).
HS_CRASH_RE='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|MemorySanitizer'

# hs_judge WHAT WANT: judges the run just made (status in $hs_rc, stderr in
# $HS_T/err, stdout in $HS_T/out): WANT is a status or a |-separated list of
# statuses.  A run that hung (killed by timeout), died of a signal (status
# >= 128), printed a sanitizer report or, when it failed, printed no message
# at all, fails.
hs_judge() {
    local what=$1 want=$2
    if [ "$hs_rc" -eq 124 ] || [ "$hs_rc" -eq 137 ]; then
        hs_fail "$what: hung (killed after ${HS_HANG_S} s)"
    elif [ "$hs_rc" -ge 128 ]; then
        hs_fail "$what: died of signal $((hs_rc - 128)); stderr: $(head -c 600 "$HS_T/err")"
    elif grep -Eq "$HS_CRASH_RE" "$HS_T/err"; then
        hs_fail "$what: sanitizer or libc report: $(grep -Em3 "$HS_CRASH_RE" "$HS_T/err")"
    elif ! [[ "|$want|" == *"|$hs_rc|"* ]]; then
        hs_fail "$what: status $hs_rc, wanted $want; stderr: $(head -c 600 "$HS_T/err")"
    elif [ "$hs_rc" -ne 0 ] && [ "$hs_rc" -ne 1 ] && ! [ -s "$HS_T/err" ] && ! [ -s "$HS_T/out" ]; then
        hs_fail "$what: status $hs_rc with no message"
    elif [ "$(awk 'length($0) > 2000' "$HS_T/err" | wc -l)" -ne 0 ]; then
        hs_fail "$what: a message line longer than 2000 bytes (input echoed whole?)"
    else
        hs_ok
        return 0
    fi
    return 1
}

# hs_run WANT PATTERN CMD...: runs CMD (under timeout) and judges it; when
# PATTERN is not empty, stderr must also match it (grep -E); a failing run
# may say it on stdout instead (validate reports there).
hs_run() {
    local want=$1 pat=$2
    shift 2
    timeout -k 10 "$HS_HANG_S" "$@" >"$HS_T/out" 2>"$HS_T/err"
    hs_rc=$?
    local what="'${*: -3}'"
    [ ${#what} -gt 160 ] && what="${what:0:80}...${what: -60}"
    hs_judge "$what" "$want" || return 1
    if [ -n "$pat" ] && ! grep -Eq -- "$pat" "$HS_T/err" && ! { [ "$hs_rc" -ne 0 ] && grep -Eq -- "$pat" "$HS_T/out"; }; then
        local p=$pat
        [ ${#p} -gt 160 ] && p="${p:0:80}...${p: -60}"
        hs_fail "$what: stderr lacks /$p/: $(head -c 300 "$HS_T/err")"
        return 1
    fi
    return 0
}

# hs_all WANT PATTERN TRACE: the trace through check, sim, sim --jsonl, real
# and validate: each must end with WANT (for validate, 0|1 stands for "ran").
hs_all() {
    local want=$1 pat=$2 tr=$3 vwant=$1
    [ "$want" = 0 ] && vwant="0|1"
    hs_run "$want" "$pat" "$HEAPSIM" check "$tr"
    hs_run "$want" "$pat" "$HEAPSIM" sim "$tr"
    hs_run "$want" "$pat" "$HEAPSIM" sim --jsonl "$tr"
    hs_run "$want" "$pat" "$HEAPSIM" real --jsonl "$tr"
    hs_run "$vwant" "$pat" "$HEAPSIM" validate "$tr"
}

# True when HEAPSIM was built with AddressSanitizer (its memory use is then
# not the program's).
hs_is_asan() {
    grep -qa '__asan_init' "$HEAPSIM"
}

# hs_finish: prints the verdict and exits 0 or 1.
hs_finish() {
    echo "$(basename "$0"): $hs_passes checks passed, $hs_fails failed"
    [ "$hs_fails" -eq 0 ]
    exit $?
}
