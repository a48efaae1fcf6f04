/* sim/measure.h — a step's measures, inline for the per-op path (apply) and state.c's API.
 * Owns: the mallinfo2 fields from the counters, the program's mapped chunks, resident bytes, step_measures. */
#ifndef HS_MEASURE_H
#define HS_MEASURE_H

#include <string.h>

#include "mem.h"

/* int_mallinfo (malloc.c:5149) from the counters the model keeps in step
 * with the lists (invariant H8), so no list is walked.  Never fails. */
static inline void fill_mallinfo(const hs_sim *s, hs_mallinfo *mi)
{
    uint64_t top = TOP (s), off = top - s->heap_base + 8, topsize;
    if (HS_WORD_AT (off) < s->brk_w && HPAGE (s, off >> HS_PAGE_SHIFT))
        memcpy (&topsize, HPAGE (s, off >> HS_PAGE_SHIFT) + (off & (HS_PAGE - 1)), 8);  /* top's header: always a written page */
    else
        topsize = hs_peek (s, top, 1);
    topsize &= ~SIZE_BITS;
    uint64_t avail = topsize + s->fast_bytes + s->binned_bytes;
    mi->arena = s->system_mem;
    mi->ordblks = 1 + s->n_binned;
    mi->smblks = s->n_fast;
    mi->hblks = (uint64_t)(int64_t)s->n_mmaps;
    mi->hblkhd = s->mmapped_mem;
    mi->uordblks = s->system_mem - avail;
    mi->fordblks = avail;
    mi->fsmblks = s->fast_bytes;
    mi->keepcost = topsize;
}

/* mallinfo2 () as the step reports it: from the counters while the lists are
 * known to match them, by walking them (hs_walk_mallinfo) once the program
 * may have broken them.  False when glibc's call would not return, now or
 * at an earlier step (mi_hung).  Never fails. */
static inline bool step_mallinfo(const hs_sim *s, hs_mallinfo *mi)
{
    bool ok = true;
    if (!s->mi_suspect)
        fill_mallinfo (s, mi);
    else
        ok = !s->mi_hung && hs_walk_mallinfo (s, mi);
    /* Before 2.33 (rules->mallinfo2 false) there is only __libc_mallinfo,
     * whose struct mallinfo has int fields: each value wraps to its low 32
     * bits, reported unsigned as the replayer does. */
    if (ok && !s->rules->mallinfo2)
        for (uint64_t *f = &mi->arena; f <= &mi->keepcost; f++)
            *f = (uint32_t)*f;
    return ok;
}

/* The live mmapped chunks the program holds, as the contract counts them
 * (the replayer sees only those): how many, their sizes' sum and their
 * resident pages; glibc's own mapped tcache struct is left out.  Never fails. */
static inline void program_maps(const hs_sim *s, uint64_t *n, uint64_t *bytes, uint64_t *pages)
{
    *n = s->n_live - s->n_orphans;                       /* orphans: kernel.c hs_korphan */
    *bytes = s->map_bytes;
    *pages = s->map_resident - s->orphan_resident;
    if (s->own_map != UINT32_MAX && s->maps[s->own_map].live) {
        const hs_map *m = &s->maps[s->own_map];
        *n -= 1;
        *bytes -= m->size_field & ~SIZE_BITS;
        *pages -= m->resident;
    }
}

/* Bytes resident now: the loaded heap's pages, the other arenas' heaps and
 * the program's mapped chunks (pages of hs_program_maps).  Never fails. */
static inline uint64_t resident_bytes(const hs_sim *s, uint64_t map_pages)
{
    uint64_t other = s->n_ar > 1 || s->n_xh ? hs_arenas_resident (s) : 0;
    return (s->heap_resident + other + map_pages) << HS_PAGE_SHIFT;
}

/* Fills the measures of the step: break, mappings, thresholds, rss, faults,
 * mallinfo (and, with threads or arenas, each arena's figures: this loads
 * every arena in turn, ending with the main one).  Never fails. */
static inline void step_measures(hs_sim *s, hs_step *out)
{
    bool mi_ok = step_mallinfo (s, &out->mi);
    out->has |= HS_HAS_MEASURES | HS_HAS_THRESH | (mi_ok ? HS_HAS_MALLINFO : 0);
    if (!mi_ok)
        s->mi_hung = true;
    out->brk = s->textbook ? s->brk - HS_TB_HDR (s) : s->brk;
    uint64_t pages;
    program_maps (s, &out->mmaps, &out->mmapped_bytes, &pages);
    out->mmap_threshold = (int64_t)s->mmap_threshold;
    out->trim_threshold = (int64_t)s->trim_threshold;
    out->rss = resident_bytes (s, pages);
    out->minflt = s->minflt;
    out->rss_anon = 0;
    out->n_arenas = s->n_ar;
    if (s->n_ar > 1 || s->threaded)
        hs_arena_measures (s, out);
}

#endif
