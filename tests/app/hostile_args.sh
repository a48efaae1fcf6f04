#!/usr/bin/env bash
# tests/app/hostile_args.sh — options given twice, --out targets that are not regular files, and outputs that are the command's own input.
# Owns: that a repeated value option is refused (never "the last one wins" silently) and that --out never replaces a FIFO, a device or a link.
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
: "${HS_SRC:?HS_SRC must name the source tree}"
D=$HS_T
FIG=$HS_SRC/traces/figures-1-9.json

# ---- a value option given twice: which value was meant? ----
hs_run 2 "^heapsim gen: --seed given twice" "$HEAPSIM" gen --seed 1 --seed 2 --ops 3
hs_run 2 "^heapsim gen: --seed given twice" "$HEAPSIM" gen --seed=1 --ops 3 --seed 1
hs_run 2 "^heapsim gen: --ops given twice" "$HEAPSIM" gen --seed 1 --ops 3 --ops 4
hs_run 2 "^heapsim gen: --mix given twice" "$HEAPSIM" gen --seed 1 --ops 30 --mix small --mix large
hs_run 2 "^heapsim gen: --threads given twice" "$HEAPSIM" gen --seed 1 --ops 3 --threads 1 --threads 2
hs_run 2 "^heapsim gen: --out given twice" "$HEAPSIM" gen --seed 1 --ops 3 --out "$D/a.json" --out "$D/b.json"
[ -e "$D/a.json" ] || [ -e "$D/b.json" ] && hs_fail "gen --out twice wrote a file"
hs_run 0 "" "$HEAPSIM" gen --seed 1 --ops 3 --jsonl --jsonl     # a flag twice means the same
hs_run 2 "^heapsim sim: --glibc after --glibc: one model" "$HEAPSIM" sim "$FIG" --glibc 2.31 --glibc 2.41
hs_run 2 "^heapsim sim: --profile after --glibc" "$HEAPSIM" sim "$FIG" --glibc 2.31 --profile textbook
hs_run 2 "^heapsim sim: --glibc after --profile" "$HEAPSIM" sim --jsonl --profile textbook "$FIG" --glibc 2.41
hs_run 0 "" "$HEAPSIM" sim --jsonl --jsonl "$FIG" --glibc 2.41
hs_run 2 "^heapsim compare: --timeout given twice" "$HEAPSIM" compare "$FIG" --timeout 5 --timeout 6

# ---- --out that is not a regular file: refused, the node left as it was ----
mkfifo "$D/out.fifo"
hs_run 2 "^heapsim gen: $D/out.fifo: is a FIFO, not a regular file" "$HEAPSIM" gen --seed 1 --ops 3 --out "$D/out.fifo"
[ -p "$D/out.fifo" ] && hs_ok || hs_fail "gen --out FIFO replaced the FIFO"
if mknod "$D/null" c 1 3 2>/dev/null; then    # root: what --out /dev/null would have done to /dev/null
    hs_run 2 "^heapsim gen: $D/null: is a character device, not a regular file" "$HEAPSIM" gen --seed 1 --ops 3 --out "$D/null"
    [ -c "$D/null" ] && hs_ok || hs_fail "gen --out a device replaced the device"
fi
ln -s out.fifo "$D/fifo-link.json"
hs_run 2 "fifo-link.json: is a FIFO" "$HEAPSIM" gen --seed 1 --ops 3 --out "$D/fifo-link.json"
[ -L "$D/fifo-link.json" ] && [ -p "$D/out.fifo" ] && hs_ok || hs_fail "gen --out a link to a FIFO replaced something"
mkdir "$D/dir.json"
hs_run 2 "^heapsim gen: $D/dir.json: is a directory, not a regular file" "$HEAPSIM" gen --seed 1 --ops 3 --out "$D/dir.json"
# A link to a regular file: the file is replaced, the link kept.
echo old >"$D/target.json"
ln -s target.json "$D/link.json"
hs_run 0 "" "$HEAPSIM" gen --seed 1 --ops 3 --out "$D/link.json"
[ -L "$D/link.json" ] && hs_ok || hs_fail "gen --out a link: the link was replaced by a file"
hs_run 0 "" "$HEAPSIM" check "$D/target.json"
# A dangling link: the trace takes its place.
ln -s nowhere.json "$D/dangling.json"
hs_run 0 "" "$HEAPSIM" gen --seed 1 --ops 3 --out "$D/dangling.json"
hs_run 0 "" "$HEAPSIM" check "$D/dangling.json"
ls "$D" | grep -q '\.tmp\.' && hs_fail "a temporary was left: $(ls "$D")"

# ---- a read-only directory (as nobody: root writes anywhere) ----
mkdir "$D/ro" && chmod 555 "$D/ro" && chmod 755 "$D"
as=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
fi
if [ "$(id -u)" -ne 0 ] || [ ${#as[@]} -gt 0 ]; then
    hs_run 2 "^heapsim gen: $D/ro/t.json: cannot create the file: Permission denied" \
        "${as[@]}" "$HEAPSIM" gen --seed 1 --ops 3 --out "$D/ro/t.json"
    [ -z "$(ls "$D/ro")" ] && hs_ok || hs_fail "gen --out into a read-only directory left: $(ls "$D/ro")"
else
    echo "note: root without setpriv: the read-only directory is not checked"
fi

# ---- an output that is the command's own input: refused, the input kept ----
cp "$FIG" "$D/self.json"
if "$HEAPSIM" render --help >/dev/null 2>&1; then   # a build with the window
    hs_run 2 "^heapsim render: --out $D/self.json is the trace $D/self.json itself" \
        "$HEAPSIM" render "$D/self.json" --step 1 --out "$D/self.json"
    cmp -s "$FIG" "$D/self.json" && hs_ok || hs_fail "render --out the trace replaced the trace"
    ln -s self.json "$D/self-link.json"
    hs_run 2 "is the trace $D/self.json itself" "$HEAPSIM" render "$D/self.json" --step 1 --out "$D/self-link.json"
    hs_run 2 "^heapsim render: --step needs a step number, not ' 3'" "$HEAPSIM" render "$FIG" --step " 3" --out "$D/s.png"
    hs_run 2 "^heapsim render: --step given twice" "$HEAPSIM" render "$FIG" --step 3 --step 4 --out "$D/s.png"
    hs_run 2 "^heapsim render: --out given twice" "$HEAPSIM" render "$FIG" --step 3 --out "$D/s.png" --out "$D/t.png"
    [ -e "$D/s.png" ] || [ -e "$D/t.png" ] && hs_fail "render with bad options wrote a file"
fi
cp /bin/true "$D/prog"
hs_run 2 "^heapsim record: -o $D/prog is the program $D/prog itself" "$HEAPSIM" record -o "$D/prog" -- "$D/prog"
cmp -s /bin/true "$D/prog" && hs_ok || hs_fail "record -o the program replaced the program"
mkdir "$D/bin" && cp /bin/true "$D/bin/hs-true"
hs_run 2 "is the program hs-true itself" env PATH="$D/bin:$PATH" "$HEAPSIM" record -o "$D/bin/hs-true" -- hs-true
cmp -s /bin/true "$D/bin/hs-true" && hs_ok || hs_fail "record -o the program found in PATH replaced it"

# ---- stdout that cannot be written: status 2, said once ----
"$HEAPSIM" gen --seed 1 --ops 3 >&- 2>"$D/gen.err"; rc=$?
[ "$rc" -eq 2 ] && [ "$(wc -l <"$D/gen.err")" -eq 1 ] && grep -q "^heapsim gen: cannot write the trace to stdout" "$D/gen.err" &&
    hs_ok || hs_fail "gen with stdout closed: status $rc, stderr: $(cat "$D/gen.err")"
"$HEAPSIM" check "$FIG" >/dev/full 2>"$D/check.err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "^heapsim: cannot write the output: No space left on device" "$D/check.err" &&
    hs_ok || hs_fail "check into a full disk: status $rc, stderr: $(cat "$D/check.err")"

hs_finish
