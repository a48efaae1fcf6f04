#!/usr/bin/env bash
# tests/app/lessons.sh — traces/lessons.txt: every lesson once, in docs/lessons.md's class order, and its hostile forms.
# Owns: the lesson list's consistency, `heapsim lessons` following it, and bad lists (status 2, file:line message).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
S=${HS_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}

# the list, without comments and blank lines
grep -v '^[[:space:]]*#' "$S/traces/lessons.txt" | sed 's/[[:space:]]*$//' | grep -v '^$' >"$T/list"
# every traces/*.json exactly once
(cd "$S/traces" && ls -1 -- *.json) | LC_ALL=C sort >"$T/files"
LC_ALL=C sort "$T/list" >"$T/sorted"
if cmp -s "$T/files" "$T/sorted"; then ok; else fail "lessons.txt and traces/*.json differ:"; diff "$T/files" "$T/sorted"; fi
if [ -z "$(uniq -d "$T/sorted")" ]; then ok; else fail "listed twice: $(uniq -d "$T/sorted")"; fi
# the class order: first mention of each lesson in docs/lessons.md's numbered sections
awk '/^## 1\./{p=1} /^## Random/{p=0} p' "$S/docs/lessons.md" | grep -o '[a-z0-9-]*\.json' | awk '!s[$0]++' >"$T/doc"
if cmp -s "$T/list" "$T/doc"; then ok; else fail "lessons.txt is not in docs/lessons.md's order:"; diff "$T/doc" "$T/list"; fi

# heapsim lessons lists them in that order
HEAPSIM_TRACES="$S/traces" "$HEAPSIM" lessons >"$T/out" 2>&1 || fail "heapsim lessons exited $?"
tail -n +2 "$T/out" | awk '{print $1}' >"$T/shown"
if cmp -s "$T/list" "$T/shown"; then ok; else fail "heapsim lessons order:"; diff "$T/list" "$T/shown"; fi
if grep -q INVALID "$T/out"; then fail "a lesson does not load: $(grep INVALID "$T/out")"; else ok; fi

# hostile lists: status 2, the file and line, what is wrong, nothing on stdout
bad() {  # bad NAME EXPECTED-REGEX CONTENT
    mkdir -p "$T/$1"
    printf '%b' "$3" >"$T/$1/lessons.txt"
    HEAPSIM_TRACES="$T/$1" "$HEAPSIM" lessons >"$T/$1.out" 2>"$T/$1.err"
    rc=$?
    if [ $rc -ne 2 ]; then fail "$1: status $rc, not 2"; return; fi
    if [ -s "$T/$1.out" ]; then fail "$1: wrote to stdout"; return; fi
    if grep -Eq "$2" "$T/$1.err"; then ok; else fail "$1: message '$(cat "$T/$1.err")' lacks /$2/"; fi
}
bad slash     'lessons.txt:2: "\.\./x\.json" is not a lesson file name' '# c\n../x.json\n'
bad notjson   'lessons.txt:1: "a\.txt" is not'  'a.txt\n'
bad blank     'lessons.txt:1: "a b\.json" is not' 'a b.json\n'
bad dot       'lessons.txt:1: "\.json" is not'   '.json\n'
bad twice     'lessons.txt:3: a\.json is listed twice' 'a.json\n\na.json\n'
bad control   'lessons.txt:1: "a.b\.json" is not' 'a\x01b.json\n'
bad nul       'lessons.txt: not a text file' 'a.json\n\x00\n'
bad long      'lessons.txt:1: ".*" is not' "$(printf 'x%.0s' $(seq 300)).json\n"
mkdir -p "$T/big" && head -c 70000 /dev/zero | tr '\0' '#' >"$T/big/lessons.txt"
HEAPSIM_TRACES="$T/big" "$HEAPSIM" lessons >/dev/null 2>"$T/big.err"
if [ $? -eq 2 ] && grep -q "bigger than 65536 bytes" "$T/big.err"; then ok; else fail "big: $(cat "$T/big.err")"; fi
# a folder without lessons.txt offers its lesson files in byte order; an empty one none
mkdir -p "$T/none" "$T/plain"
HEAPSIM_TRACES="$T/none" "$HEAPSIM" lessons >"$T/none.out" 2>&1
if [ $? -eq 0 ] && sed -n "\#^Lessons in $T/none #,\$p" "$T/none.out" | grep -q '^  (none)$'; then ok; else fail "none: $(cat "$T/none.out")"; fi
cp "$S/traces/memalign.json" "$T/plain/b.json"; cp "$S/traces/memalign.json" "$T/plain/B.json"
cp "$S/traces/memalign.json" "$T/plain/a.jsonl"; echo x >"$T/plain/notes.txt"
HEAPSIM_TRACES="$T/plain" "$HEAPSIM" lessons >"$T/plain.out" 2>&1
if [ "$(sed -n "\#^Lessons in $T/plain #,\$p" "$T/plain.out" | tail -n +2 | awk '{print $1}' | tr '\n' ' ')" = "B.json a.jsonl b.json " ]; then ok; else fail "plain: $(cat "$T/plain.out")"; fi
# good: comments, blanks, CRLF, a missing file listed as INVALID, not a crash
mkdir -p "$T/good"
printf '# x\r\n\r\n  b.json  \r\na.json\n' >"$T/good/lessons.txt"
cp "$S/traces/memalign.json" "$T/good/a.json"
HEAPSIM_TRACES="$T/good" "$HEAPSIM" lessons >"$T/good.out" 2>&1
if [ $? -eq 0 ] && [ "$(sed -n "\#^Lessons in $T/good #,\$p" "$T/good.out" | tail -n +2 | awk '{print $1}' | tr '\n' ' ')" = "b.json a.json " ] &&
   grep -q "b.json.*INVALID" "$T/good.out"; then ok; else fail "good: $(cat "$T/good.out")"; fi
finish
