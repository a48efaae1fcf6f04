/* play/snap.c — what a frame draws of one model state: its chunks, mappings and bins, copied out.
 * Owns: hs_snap_take_ and hs_snap_free_ (view.c takes the current step's, arenas.c a chosen arena's). */
#include "view.h"
#include "view_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The takes so far, all views and threads together (hs_snap.gen). */
static _Atomic uint64_t takes;

void hs_snap_free_(hs_snap *s)
{
    free(s->heap);
    free(s->mm);
    free(s->items);
    free(s->bins);
    free(s->ent);
    memset(s, 0, sizeof *s);
}

static int cmp_mm_desc(const void *a, const void *b)
{
    const hs_chunk_info *x = a, *y = b;
    return x->addr < y->addr ? 1 : x->addr > y->addr ? -1 : 0;
}

int hs_snap_take_(const hs_sim *sim, hs_snap *s)
{
    s->gen = ++takes;   /* also when this take fails half-way: its content changed */
    hs_sim_status(sim, &s->st);
    s->nheap = s->nmm = s->nitems = s->nbins = s->nent = 0;
    uint64_t cur = 0;
    hs_chunk_info ci;
    /* each chunk straight into its slot (a 400k-chunk heap: a copy and a grow call a chunk were
     * 40 of its ~320 instructions) */
    for (;;) {
        if (s->nheap == s->capheap &&
            !hs_view_grow_((void **)&s->heap, &s->capheap, s->nheap + 1, sizeof *s->heap))
            return -1;
        if (!hs_sim_heap_next(sim, &cur, &s->heap[s->nheap])) break;
        s->nheap++;
    }
    cur = 0;
    while (hs_sim_mmap_next(sim, &cur, &ci)) {
        if (!hs_view_grow_((void **)&s->mm, &s->capmm, s->nmm + 1, sizeof ci)) return -1;
        s->mm[s->nmm++] = ci;
    }
    /* The kernel hands out mappings downward from below the stack. */
    if (s->nmm > 1) qsort(s->mm, s->nmm, sizeof *s->mm, cmp_mm_desc);
    if (!hs_view_grow_((void **)&s->items, &s->capitems, s->nheap + s->nmm, sizeof *s->items)) return -1;
    for (size_t i = 0; i < s->nheap; i++) {
        hs_item *it = &s->items[s->nitems++];
        it->region = 0;
        it->state = (uint8_t)s->heap[i].state;
        it->id = s->heap[i].id;
        it->lo = s->heap[i].addr;
        it->hi = s->heap[i].addr + s->heap[i].size;
        it->addr = s->heap[i].addr;
        it->info = (uint32_t)i;
    }
    uint64_t off = 0;
    for (size_t i = 0; i < s->nmm; i++) {
        hs_item *it = &s->items[s->nitems++];
        it->region = 1;
        it->state = HS_CH_MMAPPED;
        it->id = s->mm[i].id;
        it->lo = off;
        it->hi = off + s->mm[i].size;
        it->addr = s->mm[i].addr;
        it->info = (uint32_t)i;
        off += s->mm[i].size;
    }
    static const struct { int fam, lo, hi; } fams[] = {
        {HS_BINS_TCACHE, 0, 63}, {HS_BINS_FAST, 0, 9}, {HS_BINS_UNSORTED, 1, 1},
        {HS_BINS_SMALL, 2, 63},  {HS_BINS_LARGE, 64, 126},
    };
    uint64_t buf[HS_BIN_SHOWN];
    for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++) {
        for (int idx = fams[f].lo; idx <= fams[f].hi; idx++) {
            size_t len = hs_sim_bin(sim, (hs_bin_family)fams[f].fam, idx, buf, HS_BIN_SHOWN);
            if (len == 0) continue;
            size_t shown = len < HS_BIN_SHOWN ? len : HS_BIN_SHOWN;
            if (!hs_view_grow_((void **)&s->bins, &s->capbins, s->nbins + 1, sizeof *s->bins) ||
                !hs_view_grow_((void **)&s->ent, &s->capent, s->nent + shown, sizeof *s->ent))
                return -1;
            hs_binview *b = &s->bins[s->nbins++];
            b->fam = (uint8_t)fams[f].fam;
            b->idx = (int16_t)idx;
            b->len = (uint32_t)len;
            b->first = (uint32_t)s->nent;
            b->shown = (uint32_t)shown;
            memcpy(s->ent + s->nent, buf, shown * sizeof *buf);
            s->nent += shown;
        }
    }
    return 0;
}
