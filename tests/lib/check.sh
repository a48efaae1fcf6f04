# tests/lib/check.sh — what the shell tests share: a scratch directory removed on exit, pass/fail counts, the verdict.
# Owns: T, ok, fail, expect and finish.  Source it first; a test with its own EXIT trap sets it afterwards and removes $T itself.
T=$(mktemp -d "/tmp/hs-$(basename "$0" .sh)-XXXXXX") || { echo "FAIL: cannot make a scratch directory"; exit 1; }
trap 'rm -rf "$T"' EXIT
pass=0
fails=0
ok()   { pass=$((pass + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# Prints the counts and exits 0 when nothing failed, 1 otherwise.
finish() {
    if [ "$pass" -gt 0 ]; then echo "$(basename "$0" .sh): $pass passed, $fails failed"
    else echo "$(basename "$0" .sh): $fails failures"; fi
    [ "$fails" -eq 0 ] && exit 0
    exit 1
}
# expect CODE PATTERN CMD...: CMD exits CODE and its stdout+stderr (left in
# $T/out) matches the extended regex PATTERN ("" matches anything).
expect() {
    local code=$1 pat=$2
    shift 2
    "$@" >"$T/out" 2>&1
    local rc=$?
    if [ "$rc" -ne "$code" ]; then
        fail "'${*:1:6}' exited $rc, wanted $code: $(head -c 600 "$T/out")"
    elif [ -n "$pat" ] && ! grep -qE -- "$pat" "$T/out"; then
        fail "'${*:1:6}': output lacks '$pat': $(head -c 600 "$T/out")"
    else
        ok
    fi
}
