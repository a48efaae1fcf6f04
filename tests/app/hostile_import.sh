#!/usr/bin/env bash
# tests/app/hostile_import.sh — `heapsim import` given things that are not logs, and -o targets it must not write.
# Owns: the importer's file handling (non-files, empty, endless lines, -o over its own input, over a FIFO or a device, given twice); the grammar's errors are tests/record/import.sh's.
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
D=$HS_T
HS_HANG_S=60    # a FIFO read, or a sparse file read whole, would hang or take all memory

printf '= Start\n@ ./a.out:[0x4005] + 0x1000 0x10\n@ ./a.out:[0x4005] - 0x1000\n= End\n' >"$D/ok.mtrace"
printf 'malloc(16) = 0x1000\nfree(0x1000) = <void>\n' >"$D/ok.ltrace"

# imp WANT PATTERN ARGS...: heapsim import ARGS, judged as hs_run does; a
# failed run must leave no $D/out.json behind.
imp() {
    local want=$1 pat=$2
    shift 2
    rm -f "$D/out.json"
    hs_run "$want" "$pat" "$HEAPSIM" import "$@" || return
    if [ "$want" != 0 ] && [ -e "$D/out.json" ]; then
        hs_fail "'import $*' failed but left out.json"
    fi
}

# Not regular files: named, with what they are (never "is, not a regular file").
for fmt in mtrace ltrace; do
    mkfifo "$D/fifo.$fmt"
    imp 2 "^$D/fifo.$fmt: is a FIFO, not a regular file" "$fmt" "$D/fifo.$fmt" -o "$D/out.json"
    imp 2 "^/dev/null: is a character device, not a regular file" "$fmt" /dev/null -o "$D/out.json"
    imp 2 "^/dev/zero: is a character device" "$fmt" /dev/zero -o "$D/out.json"
    imp 2 "^$D: is a directory" "$fmt" "$D" -o "$D/out.json"
    imp 2 "^/proc/self/mem: read error" "$fmt" /proc/self/mem -o "$D/out.json"
done

# An empty file is no log (a run that called nothing still logs "= Start").
: >"$D/empty.log"
imp 2 "^$D/empty.log: the log is empty" mtrace "$D/empty.log" -o "$D/out.json"
imp 2 "^$D/empty.log: the log is empty" ltrace "$D/empty.log" -o "$D/out.json"

# Lines past 1 MiB are refused by number, without reading them whole: a
# 100 MB line, and 2 GiB of zeros (sparse: nothing is written) that a
# getline loop would take into memory (and, when that failed, report as an
# empty log imported successfully).
{ printf '= Start\n+ 0x1000 '; head -c 100000000 /dev/zero | tr '\0' '1'; printf '\n'; } >"$D/long.mtrace"
imp 2 "^$D/long.mtrace:2: the line is longer than 1 MiB" mtrace "$D/long.mtrace" -o "$D/out.json"
rm -f "$D/long.mtrace"
truncate -s 2G "$D/zeros.ltrace"
limit="ulimit -v 1000000 &&"
hs_is_asan && limit=        # AddressSanitizer reserves terabytes of address space
hs_run 2 "^$D/zeros.ltrace:1: the line is longer than 1 MiB" \
    bash -c "$limit"' exec "$0" import ltrace "$1" -o "$2"' "$HEAPSIM" "$D/zeros.ltrace" "$D/out.json"
[ -e "$D/out.json" ] && hs_fail "import of 2 GiB of zeros left out.json"
rm -f "$D/zeros.ltrace"
# ... but a line just under it, and a last line without its newline, are read.
{ printf '= Start\n@ ./'; head -c 1000000 /dev/zero | tr '\0' 'p'; printf ':[0x1] + 0x10 0x20\n- 0x10'; } >"$D/edge.mtrace"
imp 0 "2 ops from 3 lines" mtrace "$D/edge.mtrace" -o "$D/out.json"
hs_run 0 "" "$HEAPSIM" check "$D/out.json"

# -o the log itself (or a link to it): refused, the log kept byte for byte.
cp "$D/ok.mtrace" "$D/self.mtrace"
hs_run 2 "self.mtrace is the log .*self.mtrace itself" "$HEAPSIM" import mtrace "$D/self.mtrace" -o "$D/self.mtrace"
cmp -s "$D/ok.mtrace" "$D/self.mtrace" && hs_ok || hs_fail "import -o its own log changed the log"
ln -s self.mtrace "$D/self-link.json"
hs_run 2 "itself" "$HEAPSIM" import mtrace "$D/self.mtrace" -o "$D/self-link.json"
cmp -s "$D/ok.mtrace" "$D/self.mtrace" && hs_ok || hs_fail "import -o a link to its own log changed the log"

# -o a FIFO or a device: refused, and the node is still there (as root, a
# rename over /dev/null would have replaced it with a file).
mkfifo "$D/out.fifo"
hs_run 2 "^heapsim import: $D/out.fifo: is a FIFO, not a regular file" "$HEAPSIM" import mtrace "$D/ok.mtrace" -o "$D/out.fifo"
[ -p "$D/out.fifo" ] && hs_ok || hs_fail "import -o FIFO replaced the FIFO"
if mknod "$D/null" c 1 3 2>/dev/null; then
    hs_run 2 "is a character device, not a regular file" "$HEAPSIM" import ltrace "$D/ok.ltrace" -o "$D/null"
    [ -c "$D/null" ] && hs_ok || hs_fail "import -o a device replaced the device"
fi
mkdir "$D/outdir"
hs_run 2 "outdir: is a directory, not a regular file" "$HEAPSIM" import mtrace "$D/ok.mtrace" -o "$D/outdir"
# -o a link to a file: the file is replaced, the link stays.
echo old >"$D/target.json"
ln -s target.json "$D/link.json"
hs_run 0 "" "$HEAPSIM" import mtrace "$D/ok.mtrace" -o "$D/link.json"
[ -L "$D/link.json" ] && hs_run 0 "" "$HEAPSIM" check "$D/target.json" || hs_fail "import -o a link: the link was replaced"

# -o where nothing can be written.
imp 2 "^heapsim import: $D/no/such/out.json: cannot create the file: No such file" mtrace "$D/ok.mtrace" -o "$D/no/such/out.json"

# Options: -o without a name, empty, twice; unknown options; a bad line
# leaves an existing -o file as it was.
imp 2 "^heapsim import: -o needs a file name" mtrace "$D/ok.mtrace" -o
imp 2 "^heapsim import: -o needs a file name" mtrace "$D/ok.mtrace" -o ''
imp 2 "^heapsim import: --out given twice" mtrace "$D/ok.mtrace" --out "$D/out.json" --out "$D/b.json"
[ -e "$D/b.json" ] && hs_fail "import --out twice wrote the second"
imp 2 "^heapsim import: unknown option '--bogus'" mtrace "$D/ok.mtrace" --bogus
imp 2 "unknown log format 'xtrace'" xtrace "$D/ok.mtrace"
echo old >"$D/keep.json"
printf '= Start\n+ 0x10 0x20\nbanana\n' >"$D/bad.mtrace"
hs_run 2 "^$D/bad.mtrace:3: not an mtrace line" "$HEAPSIM" import mtrace "$D/bad.mtrace" -o "$D/keep.json"
[ "$(cat "$D/keep.json")" = old ] && hs_ok || hs_fail "a failed import changed the existing -o file"

hs_finish
