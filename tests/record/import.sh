#!/usr/bin/env bash
# tests/record/import.sh — `heapsim import`: mtrace and ltrace logs of the same run give equivalent traces; bad logs give FILE:LINE and exit 2.
# Owns: the importers' end-to-end checks and hostile inputs (the grammar: import/mtrace.c, import/ltrace.c).
. "$(dirname "$0")/../lib/check.sh"
H=${HEAPSIM:-$HS_BUILD/heapsim}
P=$HS_BUILD/tests/record
DBG=/lib/x86_64-linux-gnu/libc_malloc_debug.so.0

# The ops of a trace without callers/notes, calloc as malloc of the product
# and realloc to 0 as free (what mtrace writes for them), one per line.
norm() {
    python3 - "$1" <<'PY'
import json, sys
for op in json.load(open(sys.argv[1]))["ops"]:
    k = op["op"]
    if k == "calloc": print("malloc", op["id"], op["nmemb"] * op["size"])
    elif k == "realloc" and op["size"] == 0: print("free", op["id"], "")
    else: print(k, op["id"], op.get("size", ""))
PY
}

if [ -r "$DBG" ] && command -v ltrace >/dev/null; then
    # one run: mtrace logs it from inside (the debug library), ltrace from outside
    MALLOC_TRACE=$T/m.txt LD_PRELOAD=$DBG ltrace -f -e malloc+free+realloc+calloc -o "$T/l.txt" "$P/prog_same" \
        || fail "the traced run failed"
    "$H" import mtrace "$T/m.txt" -o "$T/m.json" 2>"$T/m.err" || fail "import mtrace: $(cat "$T/m.err")"
    "$H" import ltrace "$T/l.txt" -o "$T/l.json" 2>"$T/l.err" || fail "import ltrace: $(cat "$T/l.err")"
    norm "$T/m.json" >"$T/m.ops"; norm "$T/l.json" >"$T/l.ops"
    n=$(wc -l <"$T/m.ops")
    if [ "$n" -lt 400 ]; then fail "mtrace import has only $n ops"; else ok; fi
    if cmp -s "$T/m.ops" "$T/l.ops"; then ok; else fail "mtrace and ltrace imports differ: $(diff "$T/m.ops" "$T/l.ops" | head -5)"; fi
    grep -q 'ops from .* lines of .*; 0 free/realloc of unknown pointers dropped' "$T/m.err" || fail "no summary line: $(cat "$T/m.err")"
    "$H" check "$T/m.json" "$T/l.json" >/dev/null || fail "imported traces do not load"
    "$H" validate --quiet "$T/l.json" | grep -q ' 0 disagreements' || fail "validate disagrees on the import"
else
    fail "needs $DBG and ltrace (scripts/setup.sh installs ltrace)"
fi

# an unknown pointer is dropped and counted, never silently
printf '= Start\n+ 0x10 0x20\n- 0x999\n- 0x10\n= End\n' >"$T/u.txt"
"$H" import mtrace "$T/u.txt" -o "$T/u.json" 2>"$T/u.err" || fail "unknown free: import failed"
grep -q '1 free/realloc of unknown pointers dropped' "$T/u.err" || fail "unknown free not counted: $(cat "$T/u.err")"

# hostile logs: FILE:LINE: message, exit 2, nothing written
bad() {   # bad FORMAT CONTENT EXPECTED-MESSAGE-PART
    printf "$2" >"$T/bad.txt"
    rm -f "$T/bad.json"
    "$H" import "$1" "$T/bad.txt" -o "$T/bad.json" 2>"$T/bad.err"
    rc=$?
    if [ $rc -ne 2 ]; then fail "$1 '$2': exit $rc, expected 2"; return; fi
    grep -q "^$T/bad.txt:[0-9]*: .*$3" "$T/bad.err" || { fail "$1 '$2': message '$(cat "$T/bad.err")'"; return; }
    [ -e "$T/bad.json" ] && { fail "$1 '$2': output written"; return; }
    ok
}
bad mtrace '= Start\n+ 0x10\n' 'expected a size'
bad mtrace '+ 0x10 0x20 junk\n' 'unexpected text after the size'
bad mtrace '< 0x10\n+ 0x20 0x30\n' 'expected the "> new size" line'
bad mtrace '> 0x10 0x20\n' 'without the "< old" line'
bad mtrace '< 0x10\n' 'without its "> new size"'
bad mtrace 'hello\n' 'not an mtrace line'
bad mtrace '@ ./a.out:[0x1] + 0xZZ 0x1\n' 'expected a space and a pointer'
bad mtrace '+ 0x10 0xffffffffffffffffff\n' 'expected a size'
bad mtrace '+ 0x10 0x20\n\0\n' 'NUL byte'
bad ltrace 'malloc(16\n' 'expected .)'
bad ltrace 'malloc(x) = 0x10\n' 'argument 1 of malloc is not a number'
bad ltrace 'calloc(1) = 0x10\n' 'calloc takes 2 arguments'
bad ltrace 'free(0x10) = 5\n' 'free returns "<void>"'
bad ltrace 'malloc(16) = banana\n' 'result of malloc is not a pointer'
bad ltrace '[pid 1] <... malloc resumed> ) = 0x10\n' 'never started'
bad ltrace '[pid x] malloc(1) = 0x10\n' 'pid N'
bad ltrace '12 malloc(1 <unfinished ...>\n12 free(0x1 <unfinished ...>\n' 'already has an unfinished call'
bad ltrace '12 malloc(1 <unfinished ...>\n12 <... free resumed> ) = <void>\n' 'not the one process 12 left unfinished'
bad ltrace 'what is this\n' 'not an ltrace call line'
# not a log file at all
"$H" import mtrace "$T" -o "$T/d.json" 2>"$T/d.err"; [ $? -eq 2 ] && grep -q 'is a directory' "$T/d.err" && ok || fail "a directory is not refused"
"$H" import mtrace "$T/missing" 2>/dev/null; [ $? -eq 2 ] && ok || fail "a missing file is not exit 2"
"$H" import xtrace "$T/u.txt" 2>/dev/null; [ $? -eq 2 ] && ok || fail "an unknown format is not exit 2"
finish
