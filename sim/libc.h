/* sim/libc.h — __libc_malloc and __libc_free of glibc 2.36 with their tcache paths, inline for the per-op path (apply_op) and malloc.c / free.c.
 * Owns: tcache_get, tcache_put, _int_free up to the tcache, the dynamic mmap threshold, libc_malloc and libc_free (hs_libc_malloc / hs_libc_free call them). */
#ifndef HS_LIBC_H
#define HS_LIBC_H

#include "mem.h"

/* free.c: _int_free's double-free scan, and _int_free past the tcache (see
 * there). */
void hs_tcache_double_free_scan(hs_sim *s, uint64_t p, uint64_t e, uint64_t tc_idx);
void hs_int_free_past_tcache(hs_sim *s, uint64_t p, uint64_t head);

/* tcache_get (malloc.c:3185): pop the head of tcache bin tc_idx (the caller
 * checked it is not empty).  An unaligned head aborts with glibc's message. */
HS_ALWAYS_INLINE
static inline uint64_t tcache_get(hs_sim *s, uint64_t tc_idx)
{
    uint64_t e = s->tc_entries[tc_idx];
    if (s->rules->safe_linking) {
        if (!aligned_OK (e))
            hs_printerr_rule (s, HS_RULE_SAFE_LINKING, "malloc(): unaligned tcache chunk detected");
    } else if (TAG_STATE (get_tag (s, HOFF (s, mem2chunk (e)))) != HS_CH_TCACHE) {
        /* 2.31: a head that is no chunk tcache_put put there came from a
         * stale write over a link, and nothing checks it */
        hs_emit (s, HS_EV_VERSION_RULE, HS_RULE_NO_SAFE_LINKING, 0, 0, 0);
    }
    /* REVEAL_PTR (e->next), then e->key = 0 (the counts are no memory) */
    s->tc_entries[tc_idx] = PROTECT_PTR (e, F_W_next (s, e, 0, 0));
    --s->tc_counts[tc_idx];
    return e;
}

/* __libc_malloc (malloc.c:3280): tcache first, then _int_malloc.  Returns
 * the model address of the user memory, 0 for NULL (request above
 * PTRDIFF_MAX, or no memory).  glibc's misuse checks abort (hs_printerr). */
HS_ALWAYS_INLINE
static inline uint64_t libc_malloc(hs_sim *s, uint64_t bytes)
{
    s->hook_ini = false;                            /* malloc_hook_ini (before 2.34) */
    if (bytes > PTRDIFF_MAX_U) {
        hs_emit (s, HS_EV_REFUSED, bytes, 0, 0, 0);
        return 0;
    }
    uint64_t tbytes = request2size (bytes);
    uint64_t tc_idx = csize2tidx (tbytes);

    if (!s->tcache && !s->textbook)                 /* MAYBE_INIT_TCACHE () */
        hs_tcache_init (s);

    if (tc_idx < s->tcache_bins && s->tcache && s->tc_counts[tc_idx] > 0) {
        uint64_t victim = tcache_get (s, tc_idx);
        hs_emit (s, HS_EV_TCACHE_HIT, EVOFF (s, mem2chunk (victim)), tbytes, tc_idx,
                 s->tc_counts[tc_idx]);
        return victim;
    }
    hs_arena_get (s, bytes);                        /* arena_get (ar_ptr, bytes) */
    uint64_t victim = hs_int_malloc (s, bytes);
    if (!victim && !SINGLE_THREAD_P (s)) {          /* one retry */
        hs_arena_get_retry (s, bytes);
        victim = hs_int_malloc (s, bytes);
    }
    return victim;
}

/* tcache_put (malloc.c:3169): push chunk on tcache bin tc_idx; the caller
 * checked there is room and passes TCACHE_KEY (s) as key, and ek: where
 * e->next and e->key lie on one written page if it looked them up
 * (hs_words_ptr), else NULL.  Never fails. */
HS_ALWAYS_INLINE
static inline void tcache_put(hs_sim *s, uint64_t chunk, uint64_t tc_idx, uint64_t key, uint8_t *ek)
{
    uint64_t e = chunk2mem (chunk), next = PROTECT_PTR (e, s->tc_entries[tc_idx]);
    W2_at (s, ek, e, 1, key, 0, next);                  /* e->key = tcache_key, e->next */
    s->tc_entries[tc_idx] = e;
    ++s->tc_counts[tc_idx];
    set_tag (s, chunk, TAG (HS_CH_TCACHE, HS_NO_ID));
    if (s->cur_ar != 0)            /* a refill: set_non_main_arena (a free: already set) */
        RMW (s, chunk, 1, NON_MAIN_ARENA, ~UINT64_C(0));
}

/* _int_free (malloc.c:4416) of p, whose size word the caller read as head
 * (no write since): checks, the tcache (with the key double-free scan),
 * then hs_int_free_past_tcache.  Inline in __libc_free, whose read of the size
 * word glibc's _int_free repeats: the model reads it once.  hw: where p's
 * words 1 .. 3 (size, e->next, e->key) lie on one written page if the caller
 * looked them up (hs_words_ptr), else NULL.  Misuse aborts (hs_printerr). */
HS_ALWAYS_INLINE
static inline void int_free(hs_sim *s, uint64_t p, uint64_t head, uint8_t *hw)
{
    uint64_t size = head & ~SIZE_BITS;

    if (p > (uint64_t)0 - size || misaligned_chunk (p))
        hs_printerr (s, "free(): invalid pointer");
    if (size < MINSIZE || !aligned_OK (size))
        hs_printerr (s, "free(): invalid size");

    uint64_t tc_idx = csize2tidx (size);
    if (s->tcache && tc_idx < s->tcache_bins) {
        uint64_t e = chunk2mem (p), key = TCACHE_KEY (s);
        if (F_in (s, hw, 2, e, 1) == key)                        /* e->key */
            hs_tcache_double_free_scan (s, p, e, tc_idx);
        if (s->tc_counts[tc_idx] < s->tcache_count) {
            tcache_put (s, p, tc_idx, key, hw ? hw + 8 : NULL);
            hs_emit (s, HS_EV_TCACHE_PUT, EVOFF (s, p), size, tc_idx, s->tc_counts[tc_idx]);
            return;
        }
        hs_emit (s, HS_EV_TCACHE_FULL, size, tc_idx, s->tc_counts[tc_idx], 0);
    }
    hs_int_free_past_tcache (s, p, head);
}

/* __libc_free (malloc.c:3345): free(NULL) does nothing; an mmapped chunk
 * first adjusts the dynamic threshold (3366), then is unmapped; a heap chunk
 * goes to _int_free (after MAYBE_INIT_TCACHE).  Misuse aborts with glibc's
 * message (hs_printerr) or faults (hs_segv). */
HS_ALWAYS_INLINE
static inline void libc_free(hs_sim *s, uint64_t mem)
{
    if (mem == 0) {
        hs_emit (s, HS_EV_FREE_NULL, 0, 0, 0, 0);
        return;
    }
    /* p's size, and e->next and e->key for the tcache below, with one
     * lookup when they share a written page */
    uint64_t p = mem2chunk (mem);
    uint8_t *hw = hs_words_ptr (s, p, 1, 3);
    uint64_t head = F_in (s, hw, 0, p, 1);              /* chunksize_nomask (p) */
    if (head & IS_MMAPPED) {
        uint64_t sz = head;
        if (!s->no_dyn_threshold && sz > s->mmap_threshold
            && sz <= DEFAULT_MMAP_THRESHOLD_MAX) {
            uint64_t old = s->mmap_threshold;
            s->mmap_threshold = chunksize (s, p);
            s->trim_threshold = 2 * s->mmap_threshold;
            hs_emit (s, HS_EV_DYN_THRESHOLD, s->mmap_threshold, s->trim_threshold, old, 0);
        } else {
            hs_emit (s, HS_EV_DYN_NOCHANGE, chunksize (s, p), s->mmap_threshold,
                     s->textbook ? 4 : s->no_dyn_threshold ? 1 : sz <= s->mmap_threshold ? 2 : 3, 0);
        }
        hs_munmap_chunk (s, p);
        return;
    }
    if (!s->tcache && !s->textbook) {
        hs_tcache_init (s);
        head = chunksize_nomask (s, p);     /* carving the tcache may have written it */
        hw = NULL;                          /* (F reads p's words from here on) */
    }
    /* a main-arena chunk freed by the main thread of the main arena, which
     * is loaded: arena_for_chunk has nothing to do (it only reads; for
     * another thread it finds out the same) */
    if ((head & NON_MAIN_ARENA) || (s->cur_ar | s->cur_th) != 0 || s->th[0].arena != 0) {
        hs_arena_for_chunk (s, p);
        hw = NULL;                          /* (another arena may be loaded) */
    }
    int_free (s, p, head, hw);
}

#endif
