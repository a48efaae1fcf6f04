#!/bin/sh
# bench/limits.sh — 70,000 live mmapped blocks past vm.max_map_count: validate against heapsim real alone, one run.
# Owns: the trace of that row (issue 15, item 5) and its check that the model agrees.
# usage: bench/limits.sh BUILD_DIR [BLOCKS]   (BLOCKS mapped, every other one freed; default 140000)
# Needs about 600 MB of RAM (one resident header page per block) and python3.  Prints the wall
# times of `heapsim validate` and `heapsim real --jsonl` on the same trace and their ratio, and
# fails (exit 1) when validate reports a disagreement; exit 2 on bad arguments.
set -eu
B=${1:?usage: bench/limits.sh BUILD_DIR [BLOCKS]}
N=${2:-140000}
[ -x "$B/heapsim" ] || { echo "bench/limits.sh: no $B/heapsim" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
python3 - "$N" "$T/maps.json" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
ops = [{"op": "mallopt", "param": "M_MMAP_THRESHOLD", "value": 4096},
       {"op": "mallopt", "param": "M_MMAP_MAX", "value": 1 << 20}]
ops += [{"op": "malloc", "id": "b%d" % i, "size": 4096, "touch": False} for i in range(n)]
ops += [{"op": "free", "id": "b%d" % i} for i in range(1, n, 2)]
ops += [{"op": "malloc", "id": "c%d" % i, "size": 4096, "touch": False} for i in range(100)]
ops += [{"op": "malloc", "id": "d", "size": 65536, "touch": False},
        {"op": "malloc", "id": "s", "size": 100}]
json.dump({"format": "heapsim-trace/1", "title": "live mmapped blocks past vm.max_map_count",
           "ops": ops}, open(out, "w"))
PY
now() { date +%s.%N; }
echo "vm.max_map_count $(cat /proc/sys/vm/max_map_count), $N blocks mapped, $((N / 2)) freed"
t0=$(now); "$B/heapsim" validate --quiet "$T/maps.json" > "$T/v.txt" || true; t1=$(now)
t2=$(now); "$B/heapsim" real --jsonl "$T/maps.json" > /dev/null; t3=$(now)
tail -1 "$T/v.txt"
echo "$t0 $t1 $t2 $t3" | awk '{ printf "validate %.1f s, real alone %.1f s: %.2fx\n", $2 - $1, $4 - $3, ($2 - $1) / ($4 - $3) }'
grep -q ' 0 disagreements' "$T/v.txt"
