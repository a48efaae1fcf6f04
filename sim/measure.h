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

/* The live mmapped chunks, glibc's own mapped tcache struct included: how
 * many, their sizes' sum and their resident pages (orphans left out:
 * kernel.c hs_korphan).  Never fails. */
static inline void all_maps(const hs_sim *s, uint64_t *n, uint64_t *bytes, uint64_t *pages)
{
    *n = s->n_live - s->n_orphans;
    *bytes = s->map_bytes;
    *pages = s->map_resident - s->orphan_resident;
}

/* The live mmapped chunks the program holds, as the contract counts them
 * (the replayer sees only those): all_maps without glibc's own mapped
 * tcache struct.  Never fails. */
static inline void program_maps(const hs_sim *s, uint64_t *n, uint64_t *bytes, uint64_t *pages)
{
    all_maps (s, n, bytes, pages);
    if (s->own_map != UINT32_MAX && s->maps[s->own_map].live) {
        const hs_map *m = &s->maps[s->own_map];
        *n -= 1;
        *bytes -= m->size_field & ~SIZE_BITS;
        *pages -= m->resident;
    }
}

/* Bytes resident: the loaded heap's pages, other_pages of the other arenas'
 * heaps and map_pages of the program's mapped chunks.  Never fails. */
static inline uint64_t rss_of(const hs_sim *s, uint64_t other_pages, uint64_t map_pages)
{
    return (s->heap_resident + other_pages + map_pages) << HS_PAGE_SHIFT;
}

/* Bytes resident now: the loaded heap's pages, the other arenas' heaps and
 * the program's mapped chunks (pages of hs_program_maps).  Never fails. */
static inline uint64_t resident_bytes(const hs_sim *s, uint64_t map_pages)
{
    return rss_of (s, s->n_ar > 1 || s->n_xh ? hs_arenas_resident (s) : 0, map_pages);
}

/* Fills the measures of the step: break, mappings, thresholds, rss, faults,
 * mallinfo (and, with threads or arenas, each arena's figures: this loads
 * every arena in turn, ending with the main one).  A heap with
 * plain_measures (invariant H11) has none of the rare cases: its mallinfo
 * is the counters' as mallinfo2 gives them, its break is not the textbook's,
 * no mapping is glibc's own, no other arena has pages.  Never fails. */
static inline void step_measures(hs_sim *s, hs_step *out)
{
    uint64_t pages;
    if (s->plain_measures) {
        fill_mallinfo (s, &out->mi);
        out->has |= HS_HAS_MEASURES | HS_HAS_THRESH | HS_HAS_MALLINFO;
        out->brk = s->brk;
        all_maps (s, &out->mmaps, &out->mmapped_bytes, &pages);
        out->rss = rss_of (s, 0, pages);
    } else {
        bool mi_ok = step_mallinfo (s, &out->mi);
        out->has |= HS_HAS_MEASURES | HS_HAS_THRESH | (mi_ok ? HS_HAS_MALLINFO : 0);
        if (!mi_ok)
            s->mi_hung = true;
        out->brk = s->textbook ? s->brk - HS_TB_HDR (s) : s->brk;
        program_maps (s, &out->mmaps, &out->mmapped_bytes, &pages);
        out->rss = resident_bytes (s, pages);
    }
    out->mmap_threshold = (int64_t)s->mmap_threshold;
    out->trim_threshold = (int64_t)s->trim_threshold;
    out->minflt = s->minflt;
    out->rss_anon = 0;
    out->n_arenas = s->n_ar;
    if (!s->plain_measures && (s->n_ar > 1 || s->threaded))
        hs_arena_measures (s, out);
}

#endif
