#!/usr/bin/env bash
# tests/record/record_chain.sh — `heapsim record` through a wrapper chain (a shell script that forks helpers and execs the program, as a pyenv shim does).
# Owns: the summary of many side traces (app/cmd_record.c report): a few lines with counts, each trace still written.
. "$(dirname "$0")/../lib/check.sh"
H=${HEAPSIM:-$HS_BUILD/heapsim}
P=$HS_BUILD/tests/record

# a wrapper: bash runs helpers (forked children, some exec'ing a program), then
# env execs bash execs the program; every process image allocates
cat >"$T/shim" <<SH
#!/bin/bash
for i in 1 2 3 4 5 6; do
    v=\$(basename /a/b/c\$i)      # a forked child (bash)
    /usr/bin/sort /dev/null        # a forked child that execs sort
done
exec /usr/bin/env bash -c "exec '$P/prog_same'"
SH
chmod +x "$T/shim"
# (a setting no op expresses, which every image inherits: named once)
GLIBC_TUNABLES=glibc.malloc.tcache_count=0 \
    "$H" record -o "$T/w.json" -- "$T/shim" >/dev/null 2>"$T/w.err" || fail "record failed: $(cat "$T/w.err")"
cat "$T/w.err"
grep -q 'prog_same.c' "$T/w.json" && ok || fail "the trace is not the program's at the chain's end"
grep -q "^heapsim record: $T/w.json: [0-9]* ops, .* (prog_same)\$" "$T/w.err" && ok || fail "no line for the program's trace"
n_files=$(ls "$T"/w.*.json | wc -l)
# six sort and six basename images, six or more forked bash children, and bash, env, bash before the exec
[ "$n_files" -ge 15 ] && ok || fail "only $n_files side traces"
# summed up: a handful of lines, whatever the number of processes
n_lines=$(wc -l <"$T/w.err")
[ "$n_lines" -le 9 ] && ok || fail "$n_lines lines of messages for $n_files side traces"
grep -q "^heapsim record: $n_files other process images have traces of their own, [0-9]* ops in all, named $T/w.PID.json" "$T/w.err" \
    && ok || fail "the summary does not count the $n_files traces"
grep -qE "^heapsim record:   3 earlier images of pid [0-9]+, which exec'd prog_same \(a wrapper chain\): bash x2, env x1; " "$T/w.err" \
    && ok || fail "the wrapper chain's images are not named"
grep -qE '^heapsim record:   [0-9]+ forked children, .*: bash x[0-9]+; ' "$T/w.err" && ok || fail "no line for the forked children"
grep -qE "^heapsim record:   12 other process images .*: (basename x6, sort x6|sort x6, basename x6); " "$T/w.err" && ok || fail "no line for the exec'd sorts"
n=$(grep -c 'glibc.malloc.tcache_count=0 is not replayed' "$T/w.err")
[ "$n" -eq 1 ] && ok || fail "the setting not replayed is named $n times"
grep -qE "^heapsim record:   the largest of each program: .*\(sort, [0-9]+ ops\)" "$T/w.err" && ok || fail "no largest trace per program"
# each side trace's title says which process it is; the program's does not
n=$(grep -l "^{\"format\":\"heapsim-trace/1\",\"title\":\"recorded: $T/shim: pid [0-9]*, sort\"" "$T"/w.*.json | wc -l)
[ "$n" -eq 6 ] && ok || fail "$n side traces titled as sort's, expected 6"
grep -q "\"title\":\"recorded: $T/shim\"," "$T/w.json" && ok || fail "the program's title: $(head -c 200 "$T/w.json")"
# the numbers add up: the ops in all are the side traces' ops
all=$(sed -n 's/.*have traces of their own, \([0-9]*\) ops in all.*/\1/p' "$T/w.err")
sum=0
for f in "$T"/w.*.json; do
    c=$("$H" check "$f") || fail "$f does not load"
    sum=$((sum + $(echo "$c" | sed -n 's/.*ok, \([0-9]*\) ops.*/\1/p')))
done
[ "$all" = "$sum" ] && ok || fail "the summary says $all ops, the side traces hold $sum"
# the program's trace agrees with glibc
# (the tcache setting is not replayed: validate runs on a recording without it)
"$H" record -o "$T/w2.json" -- "$T/shim" >/dev/null 2>&1 || fail "record without the setting failed"
"$H" validate --quiet "$T/w2.json" | grep -q ' 0 disagreements' && ok || fail "validate disagrees"

# few side traces keep a line each (sh -c runs two programs, forking for the first)
"$H" record -o "$T/two.json" -- sh -c "'$P/prog_same'; exec '$P/prog_same'" >/dev/null 2>"$T/two.err" || fail "two: record failed"
grep -qE "^heapsim record: process [0-9]+ \(prog_same, started by pid [0-9]+\) has a trace of its own: $T/two\.[0-9]+-?[0-9]*\.json" "$T/two.err" \
    || grep -qE "^heapsim record: process [0-9]+ \(prog_same, after an exec\) has a trace of its own" "$T/two.err" \
    && ok || fail "two: no line for the first program: $(cat "$T/two.err")"
grep -q 'other process images have traces' "$T/two.err" && fail "two: summed up although few"

# a static launcher makes no call the recorder sees: its child's trace is still written
"$H" record -o "$T/st.json" -- "$P/prog_static" "$P/prog_same" >/dev/null 2>"$T/st.err"
rc=$?
cat "$T/st.err"
[ $rc -eq 0 ] && ok || fail "static launcher: exit $rc"
[ -e "$T/st.json" ] && fail "static launcher: $T/st.json written with no call of its program"
grep -q "prog_static (pid [0-9]*) made no allocator call that the recorder saw .*, so $T/st.json is not written" "$T/st.err" \
    && ok || fail "static launcher: no message"
c=$(ls "$T"/st.*.json 2>/dev/null)
[ -n "$c" ] && grep -q 'prog_same.c' "$c" && ok || fail "static launcher: no trace of its child: '$c'"
grep -qE "^heapsim record: process [0-9]+ \(prog_same, started by pid [0-9]+\) has a trace of its own: $c \(608 ops\)" "$T/st.err" \
    && ok || fail "static launcher: the child's trace is not named"
# a shell that execs the static launcher: the shell's trace is whole (ended
# with an exec the recorder could not see), not marked cut short
"$H" record -o "$T/sx.json" -- sh -c "exec '$P/prog_static' '$P/prog_same'" >/dev/null 2>"$T/sx.err" \
    || fail "exec of a static program: record failed"
grep -q '"truncated"' "$T/sx.json" && fail "exec of a static program: the shell's trace is marked truncated"
grep -q 'ended with exec' "$T/sx.json" && ok || fail "exec of a static program: $(head -c 300 "$T/sx.json")"
grep -q "sx.json: pid [0-9]* then exec'd a program the recorder cannot see .*: the trace is \(dash\|sh\|bash\)'s" "$T/sx.err" \
    && ok || fail "exec of a static program: no message: $(cat "$T/sx.err")"
# the same in a child shell: its trace says so, and is not marked cut short
"$H" record -o "$T/sy.json" -- sh -c "'$P/prog_same'; sh -c \"exec '$P/prog_static' true\"; exit 0" >/dev/null \
    2>"$T/sy.err" || fail "a child's exec of a static program: record failed"
line=$(grep "then exec'd a program the recorder cannot see) has a trace of its own" "$T/sy.err")
f=$(echo "$line" | sed -n 's/.* has a trace of its own: \([^ ]*\) .*/\1/p')
[ -n "$f" ] && grep -q 'ended with exec' "$f" && ! grep -q '"truncated"' "$f" && ok \
    || fail "a child's exec of a static program: '$line' $(head -c 300 "$f" 2>/dev/null)"
# and with no process making a call: exit 2, nothing written
"$H" record -o "$T/st2.json" -- "$P/prog_static" "$P/prog_static" >/dev/null 2>"$T/st2.err"
rc=$?
[ $rc -eq 2 ] && grep -q 'made no allocator call that the recorder saw' "$T/st2.err" && ok \
    || fail "no call at all: exit $rc, '$(cat "$T/st2.err")'"
ls "$T"/st2*.json >/dev/null 2>&1 && fail "no call at all: something was written"
finish
