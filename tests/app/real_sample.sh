#!/usr/bin/env bash
# tests/app/real_sample.sh — `heapsim real` / `validate` --sample N: long traces measured on some steps, never silently.
# Owns: the sampling contract (docs/real.md "Sampling"): which steps are measured, how the others are marked, --sample 1, bad values.
set -u
: "${HEAPSIM:?HEAPSIM must name the heapsim binary}"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"

# A trace just past the length up to which every step is measured by default.
N=100001
"$HEAPSIM" gen --seed 1 --ops $N --mix small --jsonl --out "$T/long.jsonl" >/dev/null 2>&1 ||
    fail "gen exited $?"

# validate samples it by default, says so on stderr, and agrees on every measured step.
"$HEAPSIM" validate "$T/long.jsonl" >"$T/v.out" 2>"$T/v.err"
rc=$?
[ $rc -eq 0 ] && ok || fail "validate (sampled) exited $rc: $(head -c 600 "$T/v.out")"
grep -qE "^$T/long.jsonl: $N steps, [0-9]+ measured, [0-9]+ fields compared, 0 disagreements$" "$T/v.out" &&
    ok || fail "validate summary: $(cat "$T/v.out")"
grep -q "measuring every 64th step" "$T/v.err" && ok || fail "no announcement on stderr: $(cat "$T/v.err")"

# The step lines: the measured ones carry numbers, the others "measured":false and null measures.
"$HEAPSIM" real --jsonl "$T/long.jsonl" >"$T/r.jsonl" 2>"$T/r.err" || fail "real (sampled) exited $?"
grep -q "measuring every 64th step" "$T/r.err" && ok || fail "real: no announcement: $(cat "$T/r.err")"
grep -qE "^heapsim real: [0-9]+ of $N steps measured" "$T/r.err" && ok || fail "real: no count: $(cat "$T/r.err")"
[ "$(wc -l <"$T/r.jsonl")" -eq $N ] && ok || fail "real: want $N step lines"
un=$(grep -c '"measured":false' "$T/r.jsonl")
[ "$un" -gt $((N / 2)) ] && [ "$un" -le $((N - N / 64)) ] && ok || fail "real: $un steps not measured of $N"
bad=$(grep '"measured":false' "$T/r.jsonl" |
      grep -vc '"brk":null,"mmaps":null,"mmapped_bytes":null,"mmap_threshold":null,"trim_threshold":null,"rss":null,"minflt":null,"mallinfo":null,"measured":false')
[ "$bad" -eq 0 ] && ok || fail "real: $bad unmeasured lines with a measure"
bad=$(grep -v '"measured"' "$T/r.jsonl" | grep -c '"brk":null')
[ "$bad" -eq 0 ] && ok || fail "real: $bad measured lines without brk"
# step 1, every 64th and the last are measured; a step that moves the break
# or changes the mmapped chunks (the model's brk and mmaps, which validate
# just found equal to glibc's) is measured too
"$HEAPSIM" sim --jsonl "$T/long.jsonl" >"$T/m.jsonl" 2>/dev/null || fail "sim exited $?"
paste -d '\n' "$T/m.jsonl" "$T/r.jsonl" | awk -v n=$N '
    function field(line, key,   s) {
        s = line; if (!sub(".*\"" key "\":", "", s)) return "?"; sub(/[,}].*/, "", s); return s
    }
    NR % 2 == 1 { mb = field($0, "brk"); mm = field($0, "mmaps"); next }
    {
        step = field($0, "step"); un = index($0, "\"measured\":false") > 0
        must = step == 1 || step == n || step % 64 == 0 || mb != pb || mm != pm
        if (must && un) { print "step " step " must be measured: " $0; bad++ }
        if (!un && field($0, "brk") != mb) { print "step " step ": real brk differs from the model"; bad++ }
        pb = mb; pm = mm
    }
    END { exit bad > 0 }' >"$T/awk.out" && ok || fail "rule: $(head -5 "$T/awk.out")"
un_ptr=$(grep '"measured":false' "$T/r.jsonl" | grep -c '"op":"malloc","id":"[^"]*","ptr":[0-9]')
[ "$un_ptr" -gt 0 ] && ok || fail "real: unmeasured mallocs lost their ptr"

# --sample 1 measures every step, and validate then compares every one.
"$HEAPSIM" real --jsonl --sample 1 "$T/long.jsonl" >"$T/r1.jsonl" 2>"$T/r1.err" || fail "real --sample 1 exited $?"
grep -q '"measured"' "$T/r1.jsonl" && fail "real --sample 1: a step not measured" || ok
grep -q "measuring every" "$T/r1.err" && fail "real --sample 1 announces sampling" || ok
[ "$(grep -c '"brk":[0-9]' "$T/r1.jsonl")" -eq $N ] && ok || fail "real --sample 1: steps without brk"
expect 0 "^$T/long.jsonl: $N steps, [0-9]+ fields compared, 0 disagreements$" \
    "$HEAPSIM" validate --sample 1 "$T/long.jsonl"

# Residency after skipped steps: pages written into live mmapped chunks on
# steps that are not measured are counted at the next measured one, exactly
# as measuring every step counts them (the stale marks are kept).
{
    echo '{"format": "heapsim-trace/1", "title": "touches into mmapped chunks between measurements"}'
    for b in 0 1 2 3 4 5 6 7; do echo "{\"op\": \"malloc\", \"id\": \"b$b\", \"size\": 1048576, \"touch\": false}"; done
    for k in $(seq 0 63); do
        echo "{\"op\": \"touch\", \"id\": \"b$((k % 8))\", \"offset\": $((k * 12288 % 1040000)), \"len\": 5000}"
        echo "{\"op\": \"malloc\", \"id\": \"s$k\", \"size\": 24}"
    done
} >"$T/mm.jsonl"
"$HEAPSIM" real --jsonl --pages --sample 8 "$T/mm.jsonl" >"$T/mm8.jsonl" 2>/dev/null ||
    fail "real --sample 8 exited $?"
"$HEAPSIM" real --jsonl --pages --sample 1 "$T/mm.jsonl" >"$T/mm1.jsonl" 2>/dev/null ||
    fail "real --sample 1 exited $?"
paste -d '\n' "$T/mm1.jsonl" "$T/mm8.jsonl" | awk '
    function field(line, key,   s) {
        s = line; if (!sub(".*\"" key "\":", "", s)) return "?"; sub(/[,}].*/, "", s); return s
    }
    function pages(line,   s) { s = line; sub(/.*"heap_pages":/, "", s); sub(/\]\].*/, "", s); return s }
    NR % 2 == 1 { all = field($0, "rss"); allp = pages($0); next }
    index($0, "\"measured\":false") {
        skipped++; if (index($0, "heap_pages")) { print "skipped step with pages"; bad++ }; next }
    { measured++; if (field($0, "rss") != all) { print "step " field($0, "step") ": rss " field($0, "rss") ", every step: " all; bad++ }
      if (pages($0) != allp) { print "step " field($0, "step") ": heap pages differ"; bad++ } }
    END { if (skipped < 64 || measured < 16) { print skipped " skipped, " measured " measured"; bad++ } exit bad > 0 }' \
    >"$T/mm.out" && ok || fail "residency after skipped steps: $(head -5 "$T/mm.out")"
expect 0 "[0-9]+ measured, [0-9]+ fields compared, 0 disagreements" \
    "$HEAPSIM" validate --sample 8 "$T/mm.jsonl"

# mallinfo2 walks every free chunk: with sampling it is called only as often
# as the ops since its last call pay for that walk (real/wire.h
# HS_WIRE_MI_SKIPPED), the other measured steps say "mallinfo_measured":false.
# A recorded program's shape: tens of thousands of free chunks in the bins.
awk -v n=120000 -v keep=30000 -f "$HS_SRC/scripts/fragmented.awk" >"$T/frag.jsonl"
FN=$(($(wc -l <"$T/frag.jsonl") - 1))
"$HEAPSIM" real --jsonl "$T/frag.jsonl" >"$T/f.jsonl" 2>"$T/f.err" || fail "real (fragmented) exited $?"
"$HEAPSIM" real --jsonl --sample 1 "$T/frag.jsonl" >"$T/f1.jsonl" 2>/dev/null || fail "real --sample 1 exited $?"
grep -q "mallinfo2 (a walk of every free chunk) on fewer" "$T/f.err" && ok || fail "no mallinfo2 announcement: $(cat "$T/f.err")"
grep -qE "steps measured .*; mallinfo2 on [0-9]+ of them" "$T/f.err" && ok || fail "no mallinfo2 count: $(cat "$T/f.err")"
grep -q '"mallinfo_measured"' "$T/f1.jsonl" && fail "--sample 1: mallinfo2 left out" || ok
bad=$(grep '"mallinfo_measured"' "$T/f.jsonl" | grep -vc '"brk":[0-9].*"mallinfo":null,"mallinfo_measured":false')
[ "$bad" -eq 0 ] && ok || fail "$bad lines with mallinfo_measured that are not measured lines with mallinfo null"
# Every mallinfo the sampled replay reports is the one measuring every step
# reads at that step (real glibc against itself); the walks follow the ration:
# after one that counted F free chunks (ordblks + smblks) at step k, none
# before k + F / 2, then the first measured step from there has one; step 1
# and the last step always have one.
paste -d '\n' "$T/f1.jsonl" "$T/f.jsonl" | awk -v n="$FN" '
    function field(line, key,   s) {
        s = line; if (!sub(".*\"" key "\":", "", s)) return "?"; sub(/[,}].*/, "", s); return s
    }
    function mi(line,   s) { s = line; if (!sub(/.*"mallinfo":/, "", s)) return "?"; sub(/}.*/, "}", s); return s }
    BEGIN { next_ok = 0 }
    NR % 2 == 1 { all = mi($0); next }
    {
        step = field($0, "step") + 0
        if (index($0, "\"measured\":false")) next
        measured++
        has = index($0, "\"mallinfo\":{") > 0
        if (has) {
            walks++
            if (mi($0) != all) { print "step " step ": mallinfo " mi($0) ", every step: " all; bad++ }
            if (step > 1 && step < n && step < next_ok) { print "step " step ": a walk before step " next_ok; bad++ }
            next_ok = step + int((field($0, "ordblks") + field($0, "smblks")) / 2) + 0
        } else {
            skipped++
            if (step == 1 || step == n) { print "step " step " has no mallinfo"; bad++ }
            if (step >= next_ok) { print "step " step ": no walk, due from step " next_ok; bad++ }
        }
    }
    END { if (skipped < 100 || walks < 10) { print walks " walks, " skipped " skipped"; bad++ } exit bad > 0 }' \
    >"$T/f.out" && ok || fail "mallinfo2 ration: $(head -5 "$T/f.out")"
expect 0 "^$T/frag.jsonl: $FN steps, [0-9]+ measured, [0-9]+ fields compared, 0 disagreements$" \
    "$HEAPSIM" validate "$T/frag.jsonl"
# The window's compare line says so at a step measured without mallinfo2.
if "$HEAPSIM" render --help >/dev/null 2>&1; then
    s=$(grep -m1 '"mallinfo_measured":false' "$T/f.jsonl" | sed 's/^{"step":\([0-9]*\).*/\1/')
    expect 0 "agrees with the model at this step .* \(mallinfo2 not measured here: sampled\)" \
        "$HEAPSIM" render "$T/frag.jsonl" --step "$s" --real --texts --out "$T/f.png"
fi

# A short trace is measured on every step unless asked; asked, it is sampled too.
L=$HS_SRC/traces/double-free-fastbin.json
expect 0 "" "$HEAPSIM" real --jsonl "$L"
grep -q '"measured"' "$T/out" && fail "a lesson sampled by default" || ok
"$HEAPSIM" real --jsonl --sample 5 "$L" >"$T/l5.jsonl" 2>/dev/null || fail "real --sample 5 exited $?"
grep -q '"measured":false' "$T/l5.jsonl" && ok || fail "--sample 5 on a lesson: every step measured"
expect 0 "steps, [0-9]+ measured, [0-9]+ fields compared, 0 disagreements" \
    "$HEAPSIM" validate --sample 5 "$L"

# The window's compare line (render --texts draws what the window draws)
# says when a step was not measured, and only then.
if "$HEAPSIM" render --help >/dev/null 2>&1; then
    expect 0 "not measured here \(sampled: 1 step in 2\)" \
        "$HEAPSIM" render "$L" --step 3 --real --sample 2 --texts --out "$T/s3.png"
    expect 0 "agrees with the model at this step" \
        "$HEAPSIM" render "$L" --step 3 --real --texts --out "$T/s3.png"
    grep -q "not measured" "$T/out" && fail "render --real of a lesson: a step not measured" || ok
fi

# A trace with threads is measured on every step, and a --sample asked for it says so.
expect 0 "a trace with threads is measured on every step: --sample 4 ignored" \
    "$HEAPSIM" real --jsonl --sample 4 "$HS_SRC/traces/cross-thread-free.json"
grep -q '"measured"' "$T/out" && fail "a trace with threads sampled" || ok

# Hostile values: a message and exit 2, nothing replayed.
for v in 0 -1 x "" 1.5 1e3 64x 1000001 99999999999999999999; do
    expect 2 "^heapsim real: --sample wants a whole number" "$HEAPSIM" real --sample "$v" "$L"
    expect 2 "^heapsim validate: --sample wants a whole number" "$HEAPSIM" validate --sample "$v" "$L"
done
expect 2 "^heapsim real: --sample wants" "$HEAPSIM" real "$L" --sample

finish
