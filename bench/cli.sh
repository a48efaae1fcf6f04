#!/bin/sh
# bench/cli.sh — loading, validate, render and the window at the scale of recordings, each against its reference in the same run.
# Owns: the rows "load a 1M-op .jsonl", "validate vs real", "render --step 1 of 100k ops", "jump to a step", "one frame", "a step (->)" of issue 15.
# usage: bench/cli.sh BUILD_DIR [OPS] [ROWS]   (OPS: ops of the big traces, default 1000000;
#        ROWS: "load validate render jump frame step" by default)
# Each row prints its figure and the ratio to its reference: load and render against the
# issue's targets (0.5 s and 48 bytes/op; 0.2 s and 64 MB; render also against the same render of
# a 1-op trace), validate against `heapsim real` of the same trace in the same run, jump and frame
# against 50 ms and 16 ms (bench_view; frame also against step 0 of the same trace; step: the key
# press and the glide at 100,000 and 400,000 live chunks, and their 400k / 100k ratios).
# Exits 2 on bad arguments, 1 if a run fails.
set -eu
B=${1:?usage: bench/cli.sh BUILD_DIR [OPS] [ROWS]}
OPS=${2:-1000000}
ROWS=${3:-load validate render jump frame step}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

# timed CMD...: runs it, output to /dev/null; sets secs and peak_kb (GNU time)
timed() {
    /usr/bin/time -f '%e %M' -o "$T/time" "$@" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; exit 1; }
    secs=$(cut -d' ' -f1 "$T/time"); peak_kb=$(cut -d' ' -f2 "$T/time")
}

"$B/heapsim" gen --seed 1 --ops "$OPS" --mix small --jsonl --out "$T/big.jsonl"
# live N FILE: N live chunks, N mallocs of 16..1040 bytes, none freed
live() {
    awk -v n="$1" 'BEGIN { print "{\"format\": \"heapsim-trace/1\", \"title\": \"" n " live chunks\"}";
             for (i = 0; i < n; i++) printf "{\"op\": \"malloc\", \"id\": \"c%d\", \"size\": %d}\n", i, 16 + (i * 37) % 1025 }' >"$2"
}
live 100000 "$T/live.jsonl"

for r in $ROWS; do
    case $r in
    load)
        timed "$B/heapsim" check "$T/big.jsonl"; ls=$secs; lk=$peak_kb
        # the same check of a 1-op trace: what any run pays (the program, libc, cJSON)
        head -2 "$T/big.jsonl" >"$T/one.jsonl"
        timed "$B/heapsim" check "$T/one.jsonl"
        echo "$ls $lk $OPS $peak_kb" | awk '{printf "load_%d_ops_jsonl              %6.2f s (/ 0.5 s target = %.2fx), peak %d MB = %.1f bytes/op (/ 48 = %.2fx)\n  a 1-op trace, same run: peak %.1f MB; the trace alone: %.1f bytes/op\n", $3, $1, $1 / 0.5, $2 / 1024, $2 * 1024 / $3, $2 * 1024 / $3 / 48, $4 / 1024, ($2 - $4) * 1024 / $3}' ;;
    validate)
        timed "$B/heapsim" real --jsonl "$T/big.jsonl"; rs=$secs
        timed "$B/heapsim" validate --quiet "$T/big.jsonl"; vs=$secs
        echo "$vs $rs $OPS" | awk '{printf "validate_%d_ops                %6.2f s, real alone %.2f s: ratio %.2fx (target <= 2x)\n", $3, $1, $2, $1 / $2}' ;;
    render)
        if [ ! -x "$B/bench_view" ]; then echo "render: skipped (a build without the window)"; continue; fi
        timed "$B/heapsim" render "$T/live.jsonl" --step 1 --out "$T/r.png"; ls=$secs; lk=$peak_kb
        # the same command on a 1-op trace: what any render pays (SDL, fonts, encoding the PNG)
        head -2 "$T/live.jsonl" >"$T/one.jsonl"
        timed "$B/heapsim" render "$T/one.jsonl" --step 1 --out "$T/r1.png"
        echo "$ls $lk $secs $peak_kb" | awk '{printf "render_step_1_of_100000_ops      %6.2f s (/ 0.2 s target = %.2fx), peak %d MB (/ 64 MB = %.2fx)\n  the same render of a 1-op trace, same run: %.2f s, peak %d MB (100k ops / 1 op: %.2fx time, %.2fx memory)\n", $1, $1 / 0.2, $2 / 1024, $2 / 1024 / 64, $3, $4 / 1024, $1 / $3, $2 / $4}' ;;
    jump)
        if [ -x "$B/bench_view" ]; then "$B/bench_view" jump "$T/big.jsonl" 200; else echo "jump: skipped (a build without the window)"; fi ;;
    frame)
        # 100,000 live chunks, 400,000 (a still frame should cost the same: issue 15
        # item 7), then the OPS-op trace (what every frame of a long trace pays)
        if [ -x "$B/bench_view" ]; then
            live 400000 "$T/live400.jsonl"
            "$B/bench_view" frame "$T/live.jsonl" 20 | tee "$T/f100"
            "$B/bench_view" frame "$T/live400.jsonl" 20 | tee "$T/f400"
            awk 'FNR == 1 { split($0, w, "median "); m[++k] = w[2] + 0 }
                 END { if (m[1] > 0) printf "  still frame, 400,000 / 100,000 live chunks, same run: %.2f / %.2f ms = %.2fx (should not grow)\n", m[2], m[1], m[2] / m[1] }' "$T/f100" "$T/f400"
            "$B/bench_view" frame "$T/big.jsonl" 20
        else echo "frame: skipped (a build without the window)"; fi ;;
    step)
        # -> from a still frame: press + first frame, the glide's frames, the still frame after
        # it (issue 15 item 7: none of these should grow with the live chunks)
        if [ -x "$B/bench_view" ]; then
            live 400000 "$T/live400.jsonl"
            "$B/bench_view" step "$T/live.jsonl" 5 | tee "$T/s100"
            "$B/bench_view" step "$T/live400.jsonl" 5 | tee "$T/s400"
            awk 'FNR == 1 { split($0, w, " = "); split(w[2], x, " "); p[++k] = x[1] + 0 }
                 FNR == 2 { split($0, w, "median "); g[k] = w[2] + 0 }
                 END { if (p[1] > 0 && g[1] > 0) printf "  400,000 / 100,000 live chunks, same run: press + first frame %.2fx, glide frame %.2fx (should not grow)\n", p[2] / p[1], g[2] / g[1] }' "$T/s100" "$T/s400"
        else echo "step: skipped (a build without the window)"; fi ;;
    *) echo "bench/cli.sh: unknown row '$r' (load validate render jump frame step)" >&2; exit 2 ;;
    esac
done
