# scripts/fragmented.awk — a trace in a recorded program's shape: tens of thousands of free chunks in the bins.
# Owns: that shape, for bench/real.sh's "fragmented" row and the test real_sample (one generator, not two).
# usage: awk -v n=OPS [-v keep=LIVE] -f scripts/fragmented.awk > TRACE.jsonl
# python3 making byte strings of 600-3,600 bytes (633-3,632 with its header),
# keeping half of them, at most `keep` (default 50,000), dropping a random kept
# one past that; one not kept is freed after the next one is made, as python
# rebinds the name.  Deterministic (srand(1)); about n ops, never fewer.
BEGIN {
    if (keep == "") keep = 50000
    srand(1)
    print "{\"format\": \"heapsim-trace/1\", \"title\": \"fragmented: " keep " live blocks at most\"}"
    while (ops < n) {
        id++; printf "{\"op\": \"malloc\", \"id\": \"b%d\", \"size\": %d}\n", id, 633 + int(rand() * 3000); ops++
        if (prev) { printf "{\"op\": \"free\", \"id\": \"b%d\"}\n", prev; ops++; prev = 0 }
        if (rand() < 0.5) kept[k++] = id; else prev = id
        if (k > keep) { j = int(rand() * k); printf "{\"op\": \"free\", \"id\": \"b%d\"}\n", kept[j]; kept[j] = kept[--k]; ops++ }
    }
}
