#!/usr/bin/env bash
# tests/app/hostile_files.sh — things that are not trace files: directories, FIFOs, devices, unreadable /proc files, bad paths.
# Owns: that each is refused with status 2 and a message naming it, and that none can make heapsim wait (FIFO, /dev/zero).
. "$(dirname "${BASH_SOURCE[0]}")/data/hostile/lib.sh"
D=$HS_T
HS_HANG_S=30    # none of these may take long: a hang here is a FIFO or a device being read

mkdir "$D/dir.json"
hs_all 2 "^$D/dir.json: .*directory" "$D/dir.json"
mkdir "$D/dir.jsonl"
hs_all 2 "^$D/dir.jsonl: .*directory" "$D/dir.jsonl"

# A FIFO with no writer must not block the open, and must be refused.
mkfifo "$D/fifo.json" "$D/fifo.jsonl"
hs_all 2 "^$D/fifo.json: .*FIFO" "$D/fifo.json"
hs_all 2 "^$D/fifo.jsonl: .*FIFO" "$D/fifo.jsonl"
# ... nor with a writer that never writes (the writer is ours, killed by pid).
sleep 300 >"$D/fifo.json" &
writer=$!
hs_cleanups+=("kill $writer 2>/dev/null")
hs_run 2 "FIFO" "$HEAPSIM" check "$D/fifo.json"
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null

# Devices: endless (/dev/zero, /dev/urandom) or empty (/dev/null).
for dev in /dev/zero /dev/urandom /dev/null; do
    [ -c "$dev" ] || continue
    hs_all 2 "^$dev: .*(device|regular)" "$dev"
done

# A regular file whose read fails (EIO on /proc/self/mem at offset 0).
hs_all 2 "^/proc/self/mem: .*(read error|cannot)" /proc/self/mem
# Regular-looking files that are not traces.
hs_run 2 "^/proc/self/status:1:1:" "$HEAPSIM" check /proc/self/status
hs_run 2 "^/proc/self/maps:1:" "$HEAPSIM" check /proc/self/maps

# Paths that cannot be opened.
hs_all 2 "^$D/missing.json: cannot open: No such file" "$D/missing.json"
printf '{"ops": []}' >"$D/file.json"
hs_all 2 "^$D/file.json/x.json: cannot open: Not a directory" "$D/file.json/x.json"
ln -s loop.json "$D/loop.json"
hs_all 2 "^$D/loop.json: cannot open: Too many levels" "$D/loop.json"
hs_run 2 "" "$HEAPSIM" check ""
long=$(printf 'n%.0s' $(seq 300))
hs_run 2 "^$D/$long.json: cannot open: File name too long" "$HEAPSIM" check "$D/$long.json"

# A long but valid path (500 bytes) with a bad op: the message must still say
# what is wrong, not only where.
deep="$D/$(printf 'd%.0s' $(seq 240))/$(printf 'e%.0s' $(seq 240))"
mkdir -p "$deep"
printf '{"ops": [{"op": "free", "id": "Q"}]}\n' >"$deep/t.json"
hs_run 2 "t\.json:1: op 1: free of unknown id" "$HEAPSIM" check "$deep/t.json"

# A symlink to a good trace is followed; a trace given twice is fine.
printf '{"ops": [{"op": "malloc", "id": "A", "size": 1}]}' >"$D/good.json"
ln -s good.json "$D/link.json"
hs_run 0 "" "$HEAPSIM" check "$D/link.json" "$D/good.json" "$D/link.json"

hs_finish
