/* sim/textbook.c — the textbook profile: the seed articles' simplified allocator, run by the same engine.
 * Owns: what differs from glibc there: no tcache or fastbins, top_pad 0, fixed 128 KiB thresholds, exact brk moves, whole-top trims. */
#include "mem.h"

/* The articles' picture (SEEDS.md, figures 1-9): small requests move
 * _edata by exactly their chunk, large ones (>= 128 KiB) are mmapped, free
 * chunks coalesce, and free space of 128 KiB or more at the top goes back.
 * Nothing here is checked against glibc: it is the picture the lessons
 * start from.  Never fails. */
void hs_textbook_setup(hs_sim *s)
{
    s->textbook = true;
    s->plain_measures = false;              /* its break is reported less its top header (H11) */
    s->tcache_bins = 0;                     /* no tcache: tcache_init never runs */
    s->global_max_fast = MINSIZE / 2;       /* no chunk is that small: no fastbins */
    s->top_pad = 0;
    s->no_dyn_threshold = 1;                /* thresholds stay at 128 KiB */
}

/* sysmalloc, textbook: mmap at or above the threshold (page-rounded, as any
 * mapping is); else the break grows by exactly what top lacks for nb, so
 * top is empty afterwards.  Returns user memory or 0 when the model's kernel
 * refuses. */
uint64_t hs_textbook_sysmalloc(hs_sim *s, uint64_t nb)
{
    if (nb >= s->mmap_threshold && s->n_mmaps < s->n_mmaps_max) {
        uint64_t mm = hs_sysmalloc_mmap (s, nb);
        if (mm)
            return mm;
    }
    uint64_t old_size = s->brk ? chunksize (s, TOP (s)) : 0;
    uint64_t grow = nb - old_size;
    /* the first time, also the 16 bytes of top's header past the break */
    if (hs_morecore (s, (int64_t)(grow + (s->brk ? 0 : CHUNK_HDR_SZ))) == 0)
        return 0;
    if (s->sbrk_base == 0) {
        s->sbrk_base = s->heap_base;
        TOP (s) = s->heap_base;
    }
    s->system_mem += grow;
    if (s->system_mem > s->max_system_mem)
        s->max_system_mem = s->system_mem;
    hs_emit (s, HS_EV_TB_BRK, grow, nb, 0, 0);

    uint64_t p = TOP (s);
    set_head (s, p, nb | PREV_INUSE);
    TOP (s) = p + nb;
    set_head (s, TOP (s), 0 | PREV_INUSE);
    hs_emit (s, HS_EV_USE_TOP, EVOFF (s, p), nb, nb, 0);
    return chunk2mem (p);
}

/* systrim, textbook: all of top above pad (rounded up to 16) goes back.
 * Returns 1 if the break moved. */
int hs_textbook_systrim(hs_sim *s, uint64_t pad)
{
    uint64_t top_size = chunksize (s, TOP (s));
    pad = ALIGN_UP (pad, MALLOC_ALIGNMENT);         /* chunk sizes stay multiples of 16 */
    if (top_size <= pad) {
        hs_emit (s, HS_EV_TRIM_NOTHING, top_size, pad, 0, 0);
        return 0;
    }
    uint64_t extra = top_size - pad;
    hs_morecore (s, -(int64_t)extra);
    s->system_mem -= extra;
    set_head (s, TOP (s), pad | PREV_INUSE);
    hs_emit (s, HS_EV_TB_TRIM, extra, s->trim_threshold, pad, 0);
    return 1;
}
