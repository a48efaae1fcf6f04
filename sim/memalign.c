/* sim/memalign.c — memalign: _mid_memalign and _int_memalign of glibc 2.36.
 * Owns: alignment rounding, over-allocation by alignment + MINSIZE, giving back the lead and the tail. */
#include "mem.h"

/* _int_memalign (malloc.c:4936): _int_malloc (nb + alignment + MINSIZE),
 * find the aligned spot (at least MINSIZE in), free the lead (or, for an
 * mmapped chunk, just move the chunk start), free a tail > MINSIZE.
 * Returns user memory or 0; misuse aborts. */
static uint64_t int_memalign(hs_sim *s, uint64_t alignment, uint64_t bytes)
{
    if (bytes > PTRDIFF_MAX_U || alignment > PTRDIFF_MAX_U) {
        hs_emit (s, HS_EV_REFUSED, bytes, 0, 0, 0);
        return 0;
    }
    uint64_t nb = request2size (bytes);
    uint64_t m = hs_int_malloc (s, nb + alignment + MINSIZE);
    if (m == 0)
        return 0;
    uint64_t p = mem2chunk (m);

    if (m % alignment != 0) {
        uint64_t brk = mem2chunk ((m + alignment - 1) & ((uint64_t)0 - alignment));
        if (brk - p < MINSIZE)
            brk += alignment;
        uint64_t newp = brk;
        uint64_t leadsize = brk - p;
        uint64_t newsize = chunksize (s, p) - leadsize;

        if (chunk_is_mmapped (s, p)) {
            hs_map *mp = hs_map_find (s, p);
            uint64_t ps = prev_size (s, p) + leadsize;
            if (mp) {
                /* the record follows the chunk header to its new place */
                s->map_bytes -= mp->size_field & ~SIZE_BITS;
                mp->chunk = newp;
                mp->size_field = 0;
            }
            set_prev_size (s, newp, ps);
            set_head (s, newp, newsize | IS_MMAPPED);
            hs_emit (s, HS_EV_MEMALIGN_LEAD, EVOFF (s, p), leadsize, 1, 0);
            return chunk2mem (newp);
        }

        set_head (s, newp, newsize | PREV_INUSE);
        set_inuse_bit_at_offset (s, newp, newsize);
        set_head_size (s, p, leadsize);
        hs_emit (s, HS_EV_MEMALIGN_LEAD, EVOFF (s, p), leadsize, 0, 0);
        if (s->rules->memalign_merge) {
            hs_emit (s, HS_EV_VERSION_RULE, HS_RULE_MEMALIGN_MERGE, 0, 0, 0);
            /* 2.38+: _int_free_merge_chunk, never the tcache or a fastbin */
            set_tag (s, p, TAG (HS_CH_INUSE, HS_NO_ID));
            hs_int_free_merge_chunk (s, p, leadsize);
        } else
            hs_int_free_carved (s, p);
        p = newp;
    }

    if (!chunk_is_mmapped (s, p) && s->rules->memalign_merge) {
        /* 2.38+ (_int_memalign): the tail goes back when it is >= MINSIZE or
         * borders top or a free chunk, with _int_free_create_chunk (merged
         * with that neighbour; never the tcache or a fastbin). */
        uint64_t size = chunksize (s, p);
        uint64_t nextchunk = p + size, nextsize = chunksize (s, nextchunk);
        if (size > nb && (size - nb >= MINSIZE || nextchunk == TOP (s) ||
                          !inuse_bit_at_offset (s, nextchunk, nextsize))) {
            uint64_t remainder = p + nb;
            set_head_size (s, p, nb);
            hs_emit (s, HS_EV_MEMALIGN_TAIL, EVOFF (s, remainder), size - nb, 0, 0);
            hs_int_free_create_chunk (s, remainder, size - nb, nextchunk, nextsize);
        }
    } else if (!chunk_is_mmapped (s, p)) {
        uint64_t size = chunksize (s, p);
        if (size > nb + MINSIZE) {
            uint64_t remainder_size = size - nb;
            uint64_t remainder = p + nb;
            set_head (s, remainder, remainder_size | PREV_INUSE);
            set_head_size (s, p, nb);
            hs_emit (s, HS_EV_MEMALIGN_TAIL, EVOFF (s, remainder), remainder_size, 0, 0);
            hs_int_free_carved (s, remainder);
        }
    }
    return chunk2mem (p);
}

/* _mid_memalign (malloc.c:3524): alignment <= 16 is plain malloc; below
 * MINSIZE it becomes MINSIZE; a non-power of two rounds up to the next one;
 * above SIZE_MAX / 2 + 1 it fails (EINVAL, NULL); in a process with threads
 * an _int_memalign that fails is tried once more in the arena
 * arena_get_retry gives.  Note memalign does not set up the tcache.
 * Returns user memory or 0; misuse aborts. */
uint64_t hs_libc_memalign(hs_sim *s, uint64_t alignment, uint64_t bytes)
{
    uint64_t asked = alignment;
    if (alignment <= MALLOC_ALIGNMENT) {
        hs_emit (s, HS_EV_MEMALIGN_MALLOC, alignment, 0, 0, 0);
        return hs_libc_malloc (s, bytes);
    }
    if (alignment < MINSIZE)
        alignment = MINSIZE;
    if (alignment > UINT64_MAX / 2 + 1) {
        hs_emit (s, HS_EV_REFUSED, bytes, 0, 0, 0);
        return 0;
    }
    if ((alignment & (alignment - 1)) != 0) {
        uint64_t a = MALLOC_ALIGNMENT * 2;
        while (a < alignment)
            a <<= 1;
        alignment = a;
    }
    /* 2.38+ (_mid_memalign, rules->memalign_tcache): a cached chunk of the
     * request's size that is already aligned, found by walking its tcache
     * bin, is taken from wherever it is in the list (tcache_get_n). */
    if (s->rules->memalign_tcache && bytes <= PTRDIFF_MAX_U) {
        uint64_t tbytes = request2size (bytes), tc_idx = csize2tidx (tbytes);
        if (tc_idx < s->tcache_bins && s->tcache && s->tc_counts[tc_idx] > 0) {
            uint64_t prev = 0, te = s->tc_entries[tc_idx];
            while (te != 0 && te % alignment != 0) {
                prev = te;
                te = PROTECT_PTR (te, F (s, te, 0));            /* tcache_next */
            }
            if (te != 0) {
                if (s->rules->safe_linking && !aligned_OK (te))
                    hs_printerr_rule (s, HS_RULE_SAFE_LINKING,
                                      "malloc(): unaligned tcache chunk detected");
                uint64_t next = PROTECT_PTR (te, F (s, te, 0));  /* REVEAL_PTR (e->next) */
                if (prev == 0)
                    s->tc_entries[tc_idx] = next;
                else
                    W (s, prev, 0, PROTECT_PTR (prev, next));
                --s->tc_counts[tc_idx];
                W (s, te, 1, 0);
                hs_emit (s, HS_EV_TCACHE_HIT, EVOFF (s, mem2chunk (te)), tbytes, tc_idx,
                         s->tc_counts[tc_idx]);
                hs_emit (s, HS_EV_VERSION_RULE, HS_RULE_MEMALIGN_TCACHE, 0, 0, 0);
                return te;
            }
        }
    }
    hs_emit (s, HS_EV_MEMALIGN, alignment, asked,
             bytes > PTRDIFF_MAX_U ? 0 : request2size (bytes) + alignment + MINSIZE, 0);
    hs_arena_get (s, bytes + alignment + MINSIZE);  /* _mid_memalign: arena_get */
    uint64_t p = int_memalign (s, alignment, bytes);
    if (p == 0 && !SINGLE_THREAD_P (s)) {          /* one retry (malloc.c:3566) */
        hs_arena_get_retry (s, bytes);
        p = int_memalign (s, alignment, bytes);
    }
    return p;
}
