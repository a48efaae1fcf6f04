/* sim/madvise.c — the program's own madvise(2) on part of a block it holds (the madvise op), as Linux does it.
 * Owns: hs_sys_madvise: which pages the call reaches (op.h's hs_madvise_range) and its event; residency is pages.c's. */
#include "heap.h"
#include "op.h"

/* madvise (addr, len, advice) by the program (the kernel, not glibc: no
 * malloc.c function to cite; mm/madvise.c's madvise_dontneed_free): of
 * [addr, addr + len) only the whole pages count (hs_madvise_range, the rule
 * the replayer applies too); MADV_DONTNEED drops them from RSS.  Never fails
 * (the loader keeps the range inside a live block). */
void hs_sys_madvise(hs_sim *s, uint64_t addr, uint64_t len, int advice)
{
    uint64_t start, bytes, dropped = 0;
    hs_madvise_range (addr, len, &start, &bytes);
    if (advice == HS_MADV_DONTNEED && bytes)
        dropped = hs_mem_dontneed (s, start, bytes);
    hs_emit (s, HS_EV_PROG_MADVISE, start, bytes, dropped, len);
}
