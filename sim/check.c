/* sim/check.c — hs_sim_check: every invariant of sim/heap.h, verified by walking the whole state.
 * Owns: the consistency checks the tests run after every op (O(heap), never on the fast path). */
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* Where each chunk start was found (one byte per 16-byte granule). */
enum { IN_NONE = 0, IN_TCACHE, IN_FAST, IN_BIN };

typedef struct {
    const hs_sim *s;
    uint8_t *where;         /* per granule of [0, brk) */
    uint64_t ngran;
} ck_t;

/* Marks heap chunk p as found in list kind k; false if p is not a heap
 * chunk start inside the heap or was already found in some list. */
static bool mark(ck_t *c, uint64_t p, uint8_t k)
{
    uint64_t off = p - c->s->heap_base;
    if (off >= c->s->brk && hs_region_other (c->s, p) >= 0)
        return true;            /* a chunk of another heap (A1: the earlier heaps are not walked) */
    if ((off & 15) || (off >> 4) >= c->ngran)
        return false;
    if (c->where[off >> 4] != IN_NONE)
        return false;
    c->where[off >> 4] = k;
    return true;
}

static uint64_t PK(const hs_sim *s, uint64_t p, int k)
{
    return hs_peek (s, p, k);
}

/* The checks that need the lists: tcache (H7), fastbins (H6), bins (H5),
 * counters (H8).  Returns NULL or the first broken invariant. */
static const char *check_lists(ck_t *c)
{
    const hs_sim *s = c->s;
    /* H7 tcache */
    if (s->tcache) {
        for (int i = 0; i < TCACHE_MAX_BINS; i++) {
            uint64_t n = 0;
            for (uint64_t e = s->tc_entries[i]; e; e = PROTECT_PTR (e, PK (s, e, 0))) {
                uint64_t p = mem2chunk (e);
                if (++n > s->tcache_count)
                    return "H7: a tcache bin is longer than tcache_count (or has a cycle)";
                bool here = p - s->heap_base < s->brk;     /* else another arena's (A3) */
                if (!here && hs_region_other (s, p) < 0)
                    return "A3: a tcache entry is not a chunk of any arena's heap";
                if (here && !mark (c, p, IN_TCACHE))
                    return "H7: a tcache entry is not a heap chunk, or is in two lists";
                if (csize2tidx (PK (s, p, 1) & ~SIZE_BITS) != (uint64_t)i)
                    return "H7: a tcache entry's size does not match its bin";
                if (PK (s, e, 1) != TCACHE_KEY (s))
                    return "H7: a tcache entry lacks the tcache key";
                if (get_tag (s, p - s->heap_base) != TAG (HS_CH_TCACHE, HS_NO_ID))
                    return "H10: a tcache chunk is not tagged tcache";
            }
            if (n != s->tc_counts[i])
                return "H7: tcache counts[] differs from the list length";
        }
    } else {
        for (int i = 0; i < TCACHE_MAX_BINS; i++)
            if (s->tc_counts[i] || s->tc_entries[i])
                return "H7: tcache entries without a tcache";
    }
    /* A3: the other threads' tcaches may hold chunks of this heap too */
    for (uint32_t t = 0; t < s->n_th; t++) {
        if (t == s->cur_th)
            continue;
        for (int i = 0; i < TCACHE_MAX_BINS; i++) {
            uint64_t n = 0;
            for (uint64_t e = s->th[t].tc_entries[i]; e; e = PROTECT_PTR (e, PK (s, e, 0))) {
                uint64_t p = mem2chunk (e);
                if (++n > s->tcache_count)
                    return "H7: a tcache bin is longer than tcache_count (or has a cycle)";
                if (p - s->heap_base >= s->brk)
                    continue;
                if (!mark (c, p, IN_TCACHE))
                    return "H7: a tcache entry is not a heap chunk, or is in two lists";
                if (get_tag (s, p - s->heap_base) != TAG (HS_CH_TCACHE, HS_NO_ID))
                    return "H10: a tcache chunk is not tagged tcache";
            }
            if (n != s->th[t].tc_counts[i])
                return "H7: tcache counts[] differs from the list length";
        }
    }
    /* H6 fastbins */
    uint64_t nfast = 0, fbytes = 0;
    for (unsigned i = 0; i < NFASTBINS; i++) {
        for (uint64_t p = s->fastbinsY[i]; p; p = PROTECT_PTR (p + 16, PK (s, p, 2))) {
            if (!mark (c, p, IN_FAST))
                return "H6: a fastbin entry is not a heap chunk, or is in two lists (cycle?)";
            uint64_t sz = PK (s, p, 1) & ~SIZE_BITS;
            if (fastbin_index (sz) != i || sz > s->global_max_fast)
                return "H6: a fastbin chunk has the wrong size for its bin";
            if (get_tag (s, p - s->heap_base) != TAG (HS_CH_FASTBIN, HS_NO_ID))
                return "H10: a fastbin chunk is not tagged fastbin";
            nfast++;
            fbytes += sz;
        }
    }
    if (nfast != s->n_fast || fbytes != s->fast_bytes)
        return "H8: n_fast / fast_bytes differ from the fastbins";
    /* H5 bins */
    uint64_t nbin = 0, bbytes = 0;
    for (int i = 1; i < NBINS; i++) {
        uint64_t head = bin_at (i), prev = head, n = 0, last_size = UINT64_MAX;
        for (uint64_t p = BIN_FD (s, i); p != head; prev = p, p = PK (s, p, 2)) {
            if (!mark (c, p, IN_BIN))
                return "H5: a bin entry is not a heap chunk, or is in two lists (cycle?)";
            if (PK (s, p, 3) != prev)
                return "H5: a bin list is not doubly linked (bk)";
            uint64_t sz = PK (s, p, 1) & ~SIZE_BITS;
            if (i >= 2 && bin_index (sz) != i)
                return "H5: a chunk sits in the wrong bin for its size";
            if (i >= NSMALLBINS) {
                if (sz > last_size)
                    return "H5: a large bin is not sorted largest first";
                last_size = sz;
            }
            uint32_t want = i == 1 ? HS_CH_UNSORTED : in_smallbin_range (sz) ? HS_CH_SMALL : HS_CH_LARGE;
            if (TAG_STATE (get_tag (s, p - s->heap_base)) != want)
                return "H10: a binned chunk's tag names another bin";
            n++;
            nbin++;
            bbytes += sz;
        }
        if (BIN_BK (s, i) != prev)
            return "H5: a bin head's bk is not its last chunk";
        if (i >= 2 && n && !get_binmap (s, i))
            return "H5: a non-empty bin has its binmap bit clear";
        if (i >= NSMALLBINS && n) {
            /* the nextsize ring links the first chunk of each size */
            uint64_t first = BIN_FD (s, i), q = first, rings = 0;
            do {
                uint64_t nx = PK (s, q, 4);
                if (PK (s, nx, 5) != q)
                    return "H5: the fd_nextsize/bk_nextsize ring is broken";
                if (nx != first && (PK (s, nx, 1) & ~SIZE_BITS) >= (PK (s, q, 1) & ~SIZE_BITS))
                    return "H5: fd_nextsize does not lead to a smaller size";
                q = nx;
                if (++rings > n)
                    return "H5: the nextsize ring does not close";
            } while (q != first);
        }
    }
    if (nbin != s->n_binned || bbytes != s->binned_bytes)
        return "H8: n_binned / binned_bytes differ from the bins";
    return NULL;
}

/* H1-H4 and H10 on the chunk walk.  Returns NULL or the broken invariant. */
static const char *check_walk(ck_t *c)
{
    const hs_sim *s = c->s;
    uint64_t top = TOP (s);
    if (s->brk_w != s->brk >> 3 || (s->brk & 7))
        return "H1: the break is not a multiple of 8 or brk_w is not brk / 8 (hs_set_brk)";
    if (s->brk == 0)
        return top == bin_at (1) ? NULL : "H1: top moved before the heap exists";
    uint64_t top_off = top - s->heap_base;
    if (top_off >= s->brk)
        return "H1: top is not inside the heap";
    uint64_t top_size = PK (s, top, 1);
    if (!(top_size & PREV_INUSE))
        return "H2: top lacks PREV_INUSE";
    top_size &= ~SIZE_BITS;
    if (top_off + top_size + HS_TB_HDR (s) != s->brk)
        return "H1: top + chunksize (top) is not the break";
    if (top_size < MINSIZE && !s->textbook)
        return "H2: top is smaller than MINSIZE";
    uint64_t off = s->heap_start;
    bool prev_free = false, first = true;
    uint64_t prev_sz = 0;
    while (off < top_off) {
        uint64_t p = s->heap_base + off;
        uint64_t sf = PK (s, p, 1);
        uint64_t sz = sf & ~SIZE_BITS;
        if (sf & (IS_MMAPPED | (s->cur_ar ? 0 : NON_MAIN_ARENA)))
            return "H2: a heap chunk has IS_MMAPPED or NON_MAIN_ARENA set";
        if (sz < MINSIZE || (sz & MALLOC_ALIGN_MASK))
            return "H2: a heap chunk size is below MINSIZE or not a multiple of 16";
        if (off + sz > top_off)
            return "H1: a chunk runs past top";
        bool pinuse = (sf & PREV_INUSE) != 0;
        if (first) {
            if (!pinuse)
                return "H3: the first chunk lacks PREV_INUSE";
        } else if (pinuse == prev_free)
            return "H3: PREV_INUSE disagrees with the previous chunk's state";
        if (!pinuse && PK (s, p, 0) != prev_sz)
            return "H3: prev_size of a chunk after a free chunk is wrong";
        uint8_t w = c->where[off >> 4];
        bool is_free = w == IN_BIN;
        if (is_free && prev_free)
            return "H4: two adjacent free chunks";
        if (!is_free && w == IN_NONE && TAG_STATE (get_tag (s, off)) != HS_CH_INUSE)
            return "H10: an in-use chunk is tagged as cached or binned";
        prev_free = is_free;
        prev_sz = sz;
        first = false;
        off += sz;
    }
    if (off != top_off)
        return "H1: the chunks do not tile the heap up to top";
    if (prev_free)
        return "H4: a free chunk borders top";
    if (!first && (PK (s, top, 1) & PREV_INUSE) == 0)
        return "H3: top's PREV_INUSE is clear";
    /* every listed chunk must be a chunk start found by the walk: the walk
     * visits starts only, so mark them and compare */
    return NULL;
}

/* H8 (mmapped side, system_mem) and H9.  Returns NULL or the broken one. */
static const char *check_counts(const hs_sim *s)
{
    if (s->system_mem != s->brk - HS_TB_HDR (s) + hs_arena_old_heaps (s, s->cur_ar))
        return "H8: system_mem differs from the break";
    if ((uint64_t)(int64_t)s->n_mmaps != s->n_live - s->n_orphans)
        return "H8: n_mmaps differs from the live mappings (orphans aside)";
    uint64_t total = 0, res = 0, bytes = 0, orphans = 0;
    for (uint32_t i = 0; i < s->n_live; i++) {
        const hs_map *m = &s->maps[s->live[i]];
        if (!m->live)
            return "H8: a dead mapping in the live list";
        orphans += m->orphan;
        total += m->orphan ? 0 : m->len;
        bytes += m->orphan ? 0 : m->size_field & ~SIZE_BITS;
        uint64_t r = hs_pv_count (&m->pv);
        if (r != m->resident)
            return "H9: a mapping's resident count differs from its pages";
        if (!(m->size_field & IS_MMAPPED))
            return "H2: an mmapped chunk lacks IS_MMAPPED";
        if (((m->chunk - m->base) != m->prev_size))
            return "H8: an mmapped chunk's prev_size is not its offset in the mapping";
        if (i && s->maps[s->by_addr[i]].base <= s->maps[s->by_addr[i - 1]].base)
            return "H8: mappings are not sorted by address";
        res += r;
    }
    if (orphans != s->n_orphans)
        return "H8: n_orphans differs from the orphaned mappings";
    if (total != s->mmapped_mem)
        return "H8: mmapped_mem differs from the mappings";
    if (bytes != s->map_bytes)
        return "H8: map_bytes differs from the mapped chunks";
    if (res != s->map_resident)
        return "H9: map_resident differs from the mappings";
    uint64_t hr = 0, npg = ALIGN_UP (s->brk, HS_PAGE) >> HS_PAGE_SHIFT;
    for (uint64_t pg = 0; pg < s->cap >> HS_PAGE_SHIFT; pg++) {
        if (s->pst[pg] != PG_NONE) {
            if (pg >= npg)
                return "H9: a page above the break is resident";
            hr++;
        }
        if ((s->pst[pg] == PG_DATA) != (s->pmem[pg] != NULL))
            return "H9: the model keeps bytes for a page that is not PG_DATA, or none for one that is";
        const hs_sparse *w = s->pword[pg];
        if (w) {
            if (s->pst[pg] != PG_FILL || w->n > HS_WORDS_MAX || hs_sparse_check (w))
                return "H9: a page lists words but is not PG_FILL, or lists too many";
            uint64_t fw = s->pfill[pg] * UINT64_C(0x0101010101010101);
            for (uint32_t i = 0; i < w->n; i++)
                if (w->v[i] == fw)
                    return "H9: a page lists a word that equals its fill pattern";
        }
        if (hs_tags_check (s->ptag[pg]))
            return "H10: a page's tag array is broken";
    }
    if (hr != s->heap_resident)
        return "H9: heap_resident differs from the page states";
    return NULL;
}

/* See sim.h: walks everything and returns the first broken invariant of
 * heap.h (H1-H11), NULL if all hold or the heap is dead; "check: out of
 * memory" if its scratch arrays cannot be had. */
static const char *check_one(const hs_sim *s);

/* See sim.h: H11, A1-A3, then H1-H10 for the main arena and, loaded in turn, for
 * every other arena's heap (the state is put back as it was). */
const char *hs_sim_check(const hs_sim *s)
{
    if (s->dead)
        return NULL;            /* after an abort nothing is promised */
    if (s->plain_measures && (!s->rules->mallinfo2 || s->textbook || s->mi_suspect
                              || s->own_map != UINT32_MAX || s->n_ar != 1 || s->n_xh
                              || s->threaded))
        return "H11: plain measures with a rare case to measure";
    const char *r = hs_arena_check (s);
    if (r)
        return r;
    r = check_one (s);
    hs_sim *w = (hs_sim *)s;    /* each arena loaded for its check, main again after */
    for (uint32_t k = 1; k < s->n_ar && !r; k++) {
        hs_arena_load (w, k);
        r = check_one (w);
        hs_arena_load (w, 0);
    }
    return r;
}

/* H1-H10 of the loaded arena.  Returns NULL or the first broken one. */
static const char *check_one(const hs_sim *s)
{
    const char *r = check_counts (s);
    if (r)
        return r;
    ck_t c = { s, NULL, s->brk >> 4 };
    if (c.ngran) {
        c.where = calloc (c.ngran, 1);
        if (!c.where)
            return "check: out of memory";
    }
    r = check_lists (&c);
    if (!r)
        r = check_walk (&c);
    if (!r && c.ngran) {
        /* H5/H6/H7: every listed chunk is a chunk start of the walk */
        uint64_t top_off = TOP (s) - s->heap_base, off = s->heap_start;
        uint8_t *seen = calloc (c.ngran, 1);
        if (!seen)
            r = "check: out of memory";
        else {
            while (off < top_off) {
                seen[off >> 4] = 1;
                off += hs_peek (s, s->heap_base + off, 1) & ~SIZE_BITS;
            }
            for (uint64_t g = 0; g < c.ngran && !r; g++)
                if (c.where[g] != IN_NONE && !seen[g])
                    r = "H5: a listed chunk is not a chunk of the heap walk";
            free (seen);
        }
    }
    free (c.where);
    return r;
}
