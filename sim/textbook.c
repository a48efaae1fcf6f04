/* sim/textbook.c — the textbook profile: the seed articles' simplified allocator on the same engine.
 * Owns: what differs from glibc there (no tcache/fastbins, top_pad 0, fixed thresholds, exact brk moves, full trims). */
#include "mem.h"

/* Sets the textbook parameters on a fresh heap.  Never fails. */
void hs_textbook_setup(hs_sim *s)
{
    s->textbook = true;
    s->tcache_bins = 0;
    s->global_max_fast = MINSIZE / 2;       /* no chunk is that small: no fastbins */
    s->top_pad = 0;
    s->no_dyn_threshold = 1;
}

uint64_t hs_textbook_sysmalloc(hs_sim *s, uint64_t nb)
{
    (void)s; (void)nb;
    return 0;
}

int hs_textbook_systrim(hs_sim *s, uint64_t pad)
{
    (void)s; (void)pad;
    return 0;
}
