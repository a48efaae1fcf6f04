/* sim/free.c — free: _int_free past the tcache and malloc_consolidate of glibc 2.36 (__libc_free, tcache_put: libc.h).
 * Owns: putting chunks into fastbins and the unsorted bin, coalescing, the trim decision, the tcache double-free scan. */
#include "libc.h"

#define BIN_ADD(s, sz) ((s)->n_binned++, (s)->binned_bytes += (sz))

/* Links p (already with its final size) at the front of the unsorted bin,
 * as _int_free (4623) and malloc_consolidate (4780) do.  Never fails. */
static void link_unsorted_front(hs_sim *s, uint64_t p, uint64_t first_unsorted, uint64_t size)
{
    set_fd (s, unsorted_chunks (), p);
    set_bk (s, first_unsorted, p);
    if (!in_smallbin_range (size))
        W2 (s, p, 4, 0, 5, 0);                      /* p->fd_nextsize = p->bk_nextsize = NULL */
    set_head (s, p, size | PREV_INUSE);
    W2 (s, p, 3, unsorted_chunks (), 2, first_unsorted);   /* p->bk, p->fd */
    set_foot (s, p, size);
    BIN_ADD (s, size);
    set_tag (s, p, TAG (HS_CH_UNSORTED, HS_NO_ID));
}

/* tcache_put for _int_malloc's refills (sim/malloc.c).  Never fails. */
void hs_tcache_put(hs_sim *s, uint64_t chunk, uint64_t tc_idx)
{
    tcache_put (s, chunk, tc_idx, TCACHE_KEY (s), NULL);
}

/* _int_free's double-free scan (malloc.c:4436), run when e->key is the
 * tcache key: walk tcache bin tc_idx looking for e.  Finding it, more
 * entries than tcache_count (2.33+) or an unaligned entry (2.32+) aborts
 * with glibc's message (hs_printerr); else the free goes on. */
HS_COLD
void hs_tcache_double_free_scan(hs_sim *s, uint64_t p, uint64_t e, uint64_t tc_idx)
{
    hs_emit (s, HS_EV_DOUBLE_FREE_SCAN, EVOFF (s, p), tc_idx, 0, 0);
    uint64_t cnt = 0;
    for (uint64_t tmp = s->tc_entries[tc_idx]; tmp; tmp = PROTECT_PTR (tmp, F (s, tmp, 0)), ++cnt) {
        if (cnt >= s->tcache_count && s->rules->tcache_scan_count)
            hs_printerr_rule (s, HS_RULE_TCACHE_SCAN_COUNT,
                              "free(): too many chunks detected in tcache");
        /* before 2.33 nothing stops the walk: a cycle never ends */
        if (cnt > s->tcache_count + 65536)
            hs_printerr (s, "heapsim: glibc loops forever here (a cycle in the tcache "
                            "list; no count check before 2.33)");
        if (s->rules->safe_linking && !aligned_OK (tmp))
            hs_printerr_rule (s, HS_RULE_SAFE_LINKING,
                              "free(): unaligned chunk detected in tcache 2");
        if (tmp == e)
            hs_printerr (s, "free(): double free detected in tcache 2");
    }
}

/* _int_free_create_chunk + _int_free_maybe_consolidate (2.41's names for the
 * end of 2.36's _int_free): merge with a free next chunk or top, link into
 * the unsorted bin (2.41: a small chunk into its smallbin), and for >= 64 KiB
 * consolidate fastbins and trim when top >= trim_threshold.  Misuse aborts. */
HS_ALWAYS_INLINE
static inline void create_chunk(hs_sim *s, uint64_t p, uint64_t size, uint64_t nextchunk,
                                uint64_t nextsize)
{
    if (nextchunk != TOP (s)) {
        int nextinuse = inuse_bit_at_offset (s, nextchunk, nextsize) != 0;
        if (!nextinuse) {
            hs_unlink_chunk (s, nextchunk);
            size += nextsize;
            hs_emit (s, HS_EV_MERGE_NEXT, EVOFF (s, nextchunk), nextsize, size, 0);
        } else
            clear_inuse_bit_at_offset (s, nextchunk, 0);

        /* glibc 2.41, _int_free_create_chunk (rules->free_small_to_smallbin):
         * a small chunk goes straight into its smallbin, not the unsorted bin. */
        bool small = s->rules->free_small_to_smallbin && !s->textbook && in_smallbin_range (size);
        uint64_t bck = small ? bin_at (smallbin_index (size)) : unsorted_chunks ();
        uint64_t fwd = fd (s, bck);
        if (bk (s, fwd) != bck)
            hs_printerr (s, small ? "free(): chunks in smallbin corrupted"
                                  : "free(): corrupted unsorted chunks");
        W2 (s, p, 2, fwd, 3, bck);                  /* p->fd = fwd; p->bk = bck */
        if (!in_smallbin_range (size))
            W2 (s, p, 4, 0, 5, 0);                  /* p->fd_nextsize = p->bk_nextsize = NULL */
        set_fd (s, bck, p);
        set_bk (s, fwd, p);
        set_head (s, p, size | PREV_INUSE);
        set_foot (s, p, size);
        BIN_ADD (s, size);
        if (small) {
            mark_bin (s, smallbin_index (size));
            set_tag (s, p, TAG (HS_CH_SMALL, HS_NO_ID));
            hs_emit (s, HS_EV_TO_UNSORTED, EVOFF (s, p), size, 1 + (uint64_t)smallbin_index (size), 0);
        } else {
            set_tag (s, p, TAG (HS_CH_UNSORTED, HS_NO_ID));
            hs_emit (s, HS_EV_TO_UNSORTED, EVOFF (s, p), size, 0, 0);
        }
    } else {
        size += nextsize;
        set_head (s, p, size | PREV_INUSE);
        TOP (s) = p;
        hs_emit (s, HS_EV_MERGE_TOP, EVOFF (s, p), size, 0, 0);
    }

    if (size >= FASTBIN_CONSOLIDATION_THRESHOLD) {
        hs_emit (s, HS_EV_FREE_BIG, size, s->textbook, 0, 0);
        if (s->have_fastchunks)
            hs_malloc_consolidate (s, HS_WHY_FREE_BIG);
        if (s->cur_ar != 0)
            hs_heap_trim (s, s->top_pad);           /* always tried: the heap might go away */
        else if (chunksize (s, TOP (s)) >= s->trim_threshold)
            hs_systrim (s, s->top_pad);
        else
            hs_emit (s, HS_EV_NO_TRIM, chunksize (s, TOP (s)), s->trim_threshold, 0, 0);
    }
}

/* create_chunk for memalign's tail (sim/memalign.c).  Misuse aborts. */
void hs_int_free_create_chunk(hs_sim *s, uint64_t p, uint64_t size, uint64_t nextchunk,
                              uint64_t nextsize)
{
    create_chunk (s, p, size, nextchunk, nextsize);
}

/* _int_free_merge_chunk (glibc 2.41 names the part of _int_free, malloc.c:4416
 * in 2.36, that frees a chunk into the bins): checks, coalesce backward, then
 * create_chunk.  head is p's size word, read by the caller with
 * nothing written since (glibc reads it again for prev_inuse).  Misuse
 * aborts (hs_printerr). */
HS_ALWAYS_INLINE
static inline void merge_chunk(hs_sim *s, uint64_t p, uint64_t size, uint64_t head)
{
    uint64_t nextchunk = p + size;
    uint64_t top = TOP (s);
    if (p == top)
        hs_printerr (s, "double free or corruption (top)");
    /* (the textbook's top may be empty: a chunk next to it is fine) */
    /* contiguous (av): only the main arena (malloc_init_state makes the
     * others noncontiguous), so a non-main chunk is not checked against top */
    if (s->cur_ar == 0 && nextchunk >= top + chunksize (s, top) && !(s->textbook && nextchunk == top))
        hs_printerr (s, "double free or corruption (out)");
    /* glibc reads nextchunk->size three times, with nothing written between */
    uint64_t next_head = chunksize_nomask (s, nextchunk);
    if (!(next_head & PREV_INUSE))
        hs_printerr (s, "double free or corruption (!prev)");
    uint64_t nextsize = next_head & ~SIZE_BITS;
    if ((next_head <= CHUNK_HDR_SZ || nextsize >= SYSTEM_MEM (s))
        && !(s->textbook && nextchunk == top))
        hs_printerr (s, "free(): invalid next size (normal)");

    hs_free_perturb (s, chunk2mem (p), size - CHUNK_HDR_SZ);

    if (!(head & PREV_INUSE)) {     /* prev_inuse (p) */
        uint64_t prevsize = prev_size (s, p);
        size += prevsize;
        p = p - prevsize;
        if (chunksize (s, p) != prevsize)
            hs_printerr (s, "corrupted size vs. prev_size while consolidating");
        hs_unlink_chunk (s, p);
        hs_emit (s, HS_EV_MERGE_PREV, EVOFF (s, p), prevsize, size, 0);
    }
    create_chunk (s, p, size, nextchunk, nextsize);
}

/* _int_free_merge_chunk of a chunk whose header its caller (memalign's lead)
 * has just written: reading p's size word first faults nothing.  Misuse
 * aborts (hs_printerr). */
void hs_int_free_merge_chunk(hs_sim *s, uint64_t p, uint64_t size)
{
    merge_chunk (s, p, size, chunksize_nomask (s, p));
}

/* The part of _int_free (malloc.c:4416) past the tcache: a fastbin (with
 * the fasttop check), else the bins through _int_free_merge_chunk, or
 * munmap_chunk.  head is p's size word as int_free read it (nothing has
 * written it since).  Misuse aborts (hs_printerr) or faults (hs_segv). */
HS_NOINLINE      /* out of int_free's line: the tcache path needs no frame */
void hs_int_free_past_tcache(hs_sim *s, uint64_t p, uint64_t head)
{
    uint64_t size = head & ~SIZE_BITS;
    if (s->foreign_av)
        hs_segv (s);        /* the first use of av: av->system_mem or av->top */

    if (size <= get_max_fast (s)) {
        uint64_t nxt = p + size, nxt_head = chunksize_nomask (s, nxt);   /* glibc reads it twice */
        if (nxt_head <= CHUNK_HDR_SZ || (nxt_head & ~SIZE_BITS) >= SYSTEM_MEM (s))
            hs_printerr (s, "free(): invalid next size (fast)");
        hs_free_perturb (s, chunk2mem (p), size - CHUNK_HDR_SZ);
        s->have_fastchunks = 1;
        unsigned idx = fastbin_index (size);
        uint64_t old = s->fastbinsY[idx];
        if (old == p)
            hs_printerr (s, "double free or corruption (fasttop)");
        if (get_tag (s, HOFF (s, p)) == TAG (HS_CH_FASTBIN, HS_NO_ID)) {
            hs_mi_suspect (s);          /* already in a fastbin: a-b-a */
            hs_emit (s, HS_EV_FASTBIN_CYCLE, EVOFF (s, p), idx, 0, 0);
        }
        W (s, p, 2, PROTECT_PTR (p + 16, old));
        s->fastbinsY[idx] = p;
        s->n_fast++;
        s->fast_bytes += size;
        set_tag (s, p, TAG (HS_CH_FASTBIN, HS_NO_ID));
        hs_emit (s, HS_EV_FASTBIN_PUT, EVOFF (s, p), size, idx, get_max_fast (s));
        return;
    }

    if (!(head & IS_MMAPPED))       /* chunk_is_mmapped (p) */
        merge_chunk (s, p, size, head);
    else
        hs_munmap_chunk (s, p);
}

/* __libc_free (see libc_free, libc.h) for the calls other than the trace's
 * free: realloc (p, 0) and a thread's exit (tcache_thread_shutdown).  Misuse
 * aborts (hs_printerr) or faults (hs_segv). */
void hs_libc_free(hs_sim *s, uint64_t mem)
{
    libc_free (s, mem);
}

/* _int_free of a chunk glibc carved itself (a split-off tail of realloc or
 * memalign, memalign's lead, the old top): tagged in use first, as every
 * chunk the program frees is, so that a fastbin tag found at the fastbin
 * put always means the chunk is already in a fastbin (mi_suspect).  Misuse
 * aborts as in hs_int_free. */
void hs_int_free_carved(hs_sim *s, uint64_t p)
{
    set_tag (s, p, TAG (HS_CH_INUSE, HS_NO_ID));
    hs_int_free (s, p);
}

/* arena_for_chunk (arena.c:160, called by __libc_free at malloc.c:3384 and
 * __libc_realloc at 3429): a size with NON_MAIN_ARENA says the chunk lives
 * in a non-main heap, whose heap_info starts at the chunk rounded down to
 * HEAP_MAX_SIZE; glibc reads the arena pointer there.  A one-thread process
 * maps nothing there as a rule: SIGSEGV (hs_segv, no return).  If the heap
 * or a mapping happens to cover it, the op goes on with that word as its
 * arena and faults where it first uses it (foreign_av).  The textbook
 * profile has no arenas.  Never fails otherwise. */
void hs_arena_for_chunk(hs_sim *s, uint64_t p)
{
    if (s->textbook)
        return;
    uint32_t mine = s->th[s->cur_th].arena;
    if (!(F (s, p, 1) & NON_MAIN_ARENA)) {
        if (mine != 0)
            hs_emit (s, HS_EV_CROSS_FREE, 0, mine == HS_NO_ARENA ? UINT64_MAX : mine, s->cur_th,
                     s->tcache != 0);
        hs_arena_load (s, 0);
        return;
    }
    uint64_t h = p & ~(HEAP_MAX_SIZE - 1);
    int k = hs_arena_of_heap (s, h);
    if (k > 0) {                   /* heap_for_ptr (p)->ar_ptr: that heap's arena */
        if ((uint32_t)k != mine)
            hs_emit (s, HS_EV_CROSS_FREE, (uint64_t)k, mine == HS_NO_ARENA ? UINT64_MAX : mine,
                     s->cur_th, s->tcache != 0);
        hs_arena_load (s, (uint32_t)k);
        return;
    }
    hs_emit (s, HS_EV_ARENA_FOR_CHUNK, EVOFF (s, p), h, 0, 0);
    (void)F (s, h, 0);
    s->foreign_av = true;
}

/* _int_free (malloc.c:4416): checks, tcache (with the key double-free scan),
 * fastbin (with the fasttop check), else coalesce backward and forward and
 * link into unsorted or top; for >= 64 KiB, consolidate fastbins and trim
 * when top >= trim_threshold.  Misuse aborts (hs_printerr). */
void hs_int_free(hs_sim *s, uint64_t p)
{
    int_free (s, p, chunksize_nomask (s, p), NULL);
}

/* malloc_consolidate (malloc.c:4710): empties every fastbin, coalescing
 * each chunk with its free neighbours into the unsorted bin or top.  why is
 * an HS_WHY_* for the explanation.  Broken fastbins abort (hs_printerr). */
void hs_malloc_consolidate(hs_sim *s, int why)
{
    uint64_t merged = 0;
    s->have_fastchunks = 0;
    for (unsigned i = 0; i < NFASTBINS; i++) {
        uint64_t p = s->fastbinsY[i];
        s->fastbinsY[i] = 0;
        while (p != 0) {
            if (SL_MISALIGNED (s, p))
                hs_printerr_rule (s, HS_RULE_SAFE_LINKING,
                                  "malloc_consolidate(): unaligned fastbin chunk detected");
            /* glibc reads p->size three times, with nothing written between;
             * it and p->fd with one lookup when they share a written page */
            const uint8_t *hw = hs_words_ptr (s, p, 1, 2);
            uint64_t head = F_in (s, hw, 0, p, 1);
            if (fastbin_index (head & ~SIZE_BITS) != i)
                hs_printerr (s, "malloc_consolidate(): invalid chunk size");
            uint64_t nextp = PROTECT_PTR (p + 16, F_in (s, hw, 1, p, 2));
            uint64_t size = head & ~SIZE_BITS;
            uint64_t nextchunk = p + size;
            uint64_t nextsize = chunksize (s, nextchunk);
            s->n_fast--;
            s->fast_bytes -= size;
            merged++;

            if (!(head & PREV_INUSE)) {
                uint64_t prevsize = prev_size (s, p);
                size += prevsize;
                p = p - prevsize;
                if (chunksize (s, p) != prevsize)
                    hs_printerr (s, "corrupted size vs. prev_size in fastbins");
                hs_unlink_chunk (s, p);
            }
            if (nextchunk != TOP (s)) {
                int nextinuse = inuse_bit_at_offset (s, nextchunk, nextsize) != 0;
                if (!nextinuse) {
                    size += nextsize;
                    hs_unlink_chunk (s, nextchunk);
                } else
                    clear_inuse_bit_at_offset (s, nextchunk, 0);
                link_unsorted_front (s, p, BIN_FD (s, 1), size);
            } else {
                size += nextsize;
                set_head (s, p, size | PREV_INUSE);
                TOP (s) = p;
            }
            p = nextp;
        }
    }
    if (merged || why == HS_WHY_LARGE_REQUEST || why == HS_WHY_TOP_SMALL)
        hs_emit (s, HS_EV_CONSOLIDATE, (uint64_t)why, merged, 0, 0);
}
