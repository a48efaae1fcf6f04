/* sim/malloc.c — malloc: _int_malloc, unlink_chunk and tcache_init of glibc 2.36 (__libc_malloc and tcache_get: libc.h).
 * Owns: taking chunks out of fastbins, small/large/unsorted bins and top (sysmalloc is in sysmalloc.c). */
#include "libc.h"

/* ---- bookkeeping for mallinfo (what int_mallinfo, malloc.c:5149, sums) ---- */
#define BIN_ADD(s, sz) ((s)->n_binned++, (s)->binned_bytes += (sz))
#define BIN_DEL(s, sz) ((s)->n_binned--, (s)->binned_bytes -= (sz))

/* alloc_perturb (malloc.c:1997): with M_PERTURB set, fill n bytes at mem
 * with perturb_byte ^ 0xff.  SIGSEGV only on a wild mem (hs_segv). */
void hs_alloc_perturb(hs_sim *s, uint64_t mem, uint64_t n)
{
    if (s->perturb_byte) {
        int byte = (s->perturb_byte ^ 0xff) & 0xff;
        hs_mem_fill (s, mem, n, byte);
        hs_emit (s, HS_EV_PERTURB_ALLOC, n, (uint64_t)byte, 0, 0);
    }
}

/* free_perturb (malloc.c:2004): with M_PERTURB set, fill n bytes at mem
 * with perturb_byte.  SIGSEGV only on a wild mem (hs_segv). */
void hs_free_perturb(hs_sim *s, uint64_t mem, uint64_t n)
{
    if (s->perturb_byte) {
        int byte = s->perturb_byte & 0xff;
        hs_mem_fill (s, mem, n, byte);
        hs_emit (s, HS_EV_PERTURB_FREE, n, (uint64_t)byte, 0, 0);
    }
}

/* tcache_get for _int_malloc's return_cached and calloc (see tcache_get). */
uint64_t hs_tcache_get(hs_sim *s, uint64_t tc_idx)
{
    return tcache_get (s, tc_idx);
}

/* tcache_init (malloc.c:3229): the thread's first malloc/free/realloc/calloc
 * of a heap chunk carves the 640-byte tcache_perthread_struct (a 0x290 chunk)
 * with _int_malloc and clears it.  If that fails the tcache stays NULL and
 * is tried again later, as in glibc. */
void hs_tcache_init(hs_sim *s)
{
    if (s->th[s->cur_th].shutting_down)             /* tcache_shutting_down */
        return;
    hs_emit (s, HS_EV_TCACHE_INIT, TCACHE_STRUCT_BYTES, request2size (TCACHE_STRUCT_BYTES), 0, 0);
    hs_arena_get (s, TCACHE_STRUCT_BYTES);          /* arena_get (ar_ptr, bytes) */
    uint64_t victim = hs_int_malloc (s, TCACHE_STRUCT_BYTES);
    if (!victim)
        return;
    s->tcache = victim;
    if (chunk_is_mmapped (s, mem2chunk (victim))) {
        /* M_MMAP_THRESHOLD 0 came first: the struct got its own mapping */
        hs_map *m = hs_map_find (s, mem2chunk (victim));
        if (m)
            s->own_map = (uint32_t)(m - s->maps);
        s->plain_measures = false;              /* not the program's mapping (H11) */
    }
    hs_mem_fill (s, victim, TCACHE_STRUCT_BYTES, 0);
    set_tag (s, mem2chunk (victim), TAG (HS_CH_INUSE, HS_NO_ID));
}

/* __libc_malloc (see libc_malloc, libc.h) for the calls other than the
 * trace's malloc: realloc (NULL, n) and of a mapped chunk, memalign of a
 * small alignment, calloc before 2.34.  Returns user memory or 0; misuse aborts (hs_printerr). */
uint64_t hs_libc_malloc(hs_sim *s, uint64_t bytes)
{
    return libc_malloc (s, bytes);
}

/* unlink_chunk (malloc.c:1620): take p off its (unsorted, small or large)
 * bin, fixing the nextsize ring of large bins; size is chunksize (p), read
 * by the caller with nothing written since (glibc reads it here), and hw
 * what hs_words_ptr (s, p, 1, 3) found (p's size, fd and bk on one written
 * page, or NULL).  A broken list aborts with glibc's message (hs_printerr). */
HS_ALWAYS_INLINE
static inline void unlink_chunk(hs_sim *s, uint64_t p, uint64_t size, const uint8_t *hw)
{
    if (size != prev_size (s, p + size))
        hs_printerr (s, "corrupted size vs. prev_size");

    uint64_t fwd = F_in (s, hw, 1, p, 2), bck = F_in (s, hw, 2, p, 3);     /* p->fd, p->bk */
    if (bk (s, fwd) != p || fd (s, bck) != p)
        hs_printerr (s, "corrupted double-linked list");

    set_bk (s, fwd, bck);
    set_fd (s, bck, fwd);
    uint64_t fns;           /* p->fd_nextsize, which glibc reads twice */
    if (!in_smallbin_range (F_in (s, hw, 0, p, 1)) && (fns = fd_nextsize (s, p)) != 0) {
        uint64_t bns = bk_nextsize (s, p);
        if (bk_nextsize (s, fns) != p || fd_nextsize (s, bns) != p)
            hs_printerr (s, "corrupted double-linked list (not small)");
        if (fd_nextsize (s, fwd) == 0) {
            if (fns == p) {
                set_fd_nextsize (s, fwd, fwd);
                set_bk_nextsize (s, fwd, fwd);
            } else {
                set_fd_nextsize (s, fwd, fns);
                set_bk_nextsize (s, fwd, bns);
                set_bk_nextsize (s, fns, fwd);
                set_fd_nextsize (s, bns, fwd);
            }
        } else {
            set_bk_nextsize (s, fns, bns);
            set_fd_nextsize (s, bns, fns);
        }
    }
    BIN_DEL (s, size);
}

/* unlink_chunk of p (see unlink_chunk).  A broken list aborts with glibc's
 * message (hs_printerr). */
void hs_unlink_chunk(hs_sim *s, uint64_t p)
{
    const uint8_t *hw = hs_words_ptr (s, p, 1, 3);      /* p's size, fd, bk on a written page? */
    unlink_chunk (s, p, F_in (s, hw, 0, p, 1) & ~SIZE_BITS, hw);
}

/* Puts remainder (of remainder_size bytes) at the front of the unsorted bin
 * after a split, as _int_malloc's split paths do (malloc.c:4220, 4324);
 * `what` is the corruption message of that path.  Aborts on a broken list. */
static void remainder_to_unsorted(hs_sim *s, uint64_t remainder, uint64_t remainder_size,
                                  const char *what)
{
    uint64_t bck = unsorted_chunks (), fwd = fd (s, bck);
    if (bk (s, fwd) != bck)
        hs_printerr (s, what);
    W2 (s, remainder, 3, bck, 2, fwd);              /* remainder->bk, remainder->fd */
    set_fd (s, bck, remainder);
    set_bk (s, fwd, remainder);
    if (!in_smallbin_range (remainder_size))
        W2 (s, remainder, 4, 0, 5, 0);              /* its fd_nextsize = bk_nextsize = NULL */
    BIN_ADD (s, remainder_size);
    set_tag (s, remainder, TAG (HS_CH_UNSORTED, HS_NO_ID));
}

/* The end of _int_malloc's two bin paths (best fit in a large bin,
 * malloc.c:4208; the binmap scan, 4290): unlink the victim, use it whole
 * if what is left would be under MINSIZE, else split and put the remainder
 * in unsorted (the scan's remainder of a small request becomes the last
 * remainder).  how is HS_EV_BIN_FIT's d (1 best fit, 2 binmap), what the
 * path's corruption message.  Returns user memory; aborts on a broken list. */
static uint64_t use_bin_chunk(hs_sim *s, uint64_t victim, uint64_t nb, int idx, int how,
                              const char *what, uint64_t bytes)
{
    const uint8_t *hw = hs_words_ptr (s, victim, 1, 3);     /* its size, fd, bk on a written page? */
    uint64_t size = F_in (s, hw, 0, victim, 1) & ~SIZE_BITS, remainder_size = size - nb;
    unlink_chunk (s, victim, size, hw);
    hs_emit (s, HS_EV_BIN_FIT, EVOFF (s, victim), size, (uint64_t)idx, (uint64_t)how);
    if (remainder_size < MINSIZE) {
        set_inuse_bit_at_offset (s, victim, size);
        hs_emit (s, HS_EV_EXHAUST, EVOFF (s, victim), size, nb, 0);
    } else {
        uint64_t remainder = victim + nb;
        remainder_to_unsorted (s, remainder, remainder_size, what);
        if (how == 2 && in_smallbin_range (nb))
            LAST_REMAINDER (s) = remainder;
        set_head (s, victim, nb | PREV_INUSE);
        set_head (s, remainder, remainder_size | PREV_INUSE);
        set_foot (s, remainder, remainder_size);
        hs_emit (s, HS_EV_SPLIT, EVOFF (s, victim), nb, EVOFF (s, remainder), remainder_size);
    }
    uint64_t p = chunk2mem (victim);
    hs_alloc_perturb (s, p, bytes);
    return p;
}

/* _int_malloc (malloc.c:3765), step for step: fastbin, smallbin, (large:
 * consolidate), unsorted scan with the last-remainder rule and tcache
 * stashing, best fit in the large bin, binmap scan, top, consolidate and
 * retry, sysmalloc.  Returns user memory or 0 (ENOMEM); misuse aborts. */
static uint64_t int_malloc(hs_sim *s, uint64_t bytes);

/* _int_malloc with av != &main_arena's mark: a chunk handed out by a
 * non-main arena has NON_MAIN_ARENA in its size (set_non_main_arena, or in
 * set_head of a split).  Returns user memory or 0; misuse aborts. */
uint64_t hs_int_malloc(hs_sim *s, uint64_t bytes)
{
    uint64_t mem = int_malloc (s, bytes);
    if (mem && s->cur_ar != 0 && !chunk_is_mmapped (s, mem2chunk (mem)))
        RMW (s, mem2chunk (mem), 1, NON_MAIN_ARENA, ~UINT64_C(0));
    return mem;
}

static uint64_t int_malloc(hs_sim *s, uint64_t bytes)
{
    uint64_t nb, victim, size, remainder, remainder_size, fwd, bck, p;
    int idx, victim_index;

    if (bytes > PTRDIFF_MAX_U) {
        hs_emit (s, HS_EV_REFUSED, bytes, 0, 0, 0);
        return 0;
    }
    nb = request2size (bytes);

    /* ---- fastbins (3834) ---- */
    if (nb <= get_max_fast (s)) {
        idx = (int)fastbin_index (nb);
        victim = s->fastbinsY[idx];
        if (victim != 0) {
            if (SL_MISALIGNED (s, victim))
                hs_printerr_rule (s, HS_RULE_SAFE_LINKING, "malloc(): unaligned fastbin chunk detected 2");
            s->fastbinsY[idx] = PROTECT_PTR (victim + 16, F (s, victim, 2));
            uint64_t vsize = chunksize (s, victim);
            if ((int)fastbin_index (vsize) != idx)
                hs_printerr (s, "malloc(): memory corruption (fast)");
            s->n_fast--;
            s->fast_bytes -= vsize;
            hs_emit (s, HS_EV_FASTBIN_HIT, EVOFF (s, victim), vsize, (uint64_t)idx, 0);
            uint64_t tc_idx = csize2tidx (nb);
            if (s->tcache && tc_idx < s->tcache_bins) {
                uint64_t tc_victim, moved = 0;
                while (s->tc_counts[tc_idx] < s->tcache_count
                       && (tc_victim = s->fastbinsY[idx]) != 0) {
                    if (SL_MISALIGNED (s, tc_victim))
                        hs_printerr_rule (s, HS_RULE_SAFE_LINKING, "malloc(): unaligned fastbin chunk detected 3");
                    s->fastbinsY[idx] = PROTECT_PTR (tc_victim + 16, F (s, tc_victim, 2));
                    s->n_fast--;
                    s->fast_bytes -= chunksize (s, tc_victim);
                    hs_tcache_put (s, tc_victim, tc_idx);
                    moved++;
                }
                if (moved)
                    hs_emit (s, HS_EV_TCACHE_REFILL, moved, nb, 1, 0);
            }
            p = chunk2mem (victim);
            hs_alloc_perturb (s, p, bytes);
            return p;
        }
    }

    /* ---- small bins (3897) ---- */
    if (in_smallbin_range (nb)) {
        idx = smallbin_index (nb);
        uint64_t bin = bin_at (idx);
        if ((victim = BIN_BK (s, idx)) != bin) {
            bck = bk (s, victim);
            if (fd (s, bck) != victim)
                hs_printerr (s, "malloc(): smallbin double linked list corrupted");
            set_inuse_bit_at_offset (s, victim, nb);
            BIN_BK (s, idx) = bck;
            set_fd (s, bck, bin);
            BIN_DEL (s, nb);
            hs_emit (s, HS_EV_SMALLBIN_HIT, EVOFF (s, victim), nb, (uint64_t)idx, 0);
            uint64_t tc_idx = csize2tidx (nb);
            if (s->tcache && tc_idx < s->tcache_bins) {
                uint64_t tc_victim, moved = 0;
                while (s->tc_counts[tc_idx] < s->tcache_count
                       && (tc_victim = BIN_BK (s, idx)) != bin) {
                    if (tc_victim != 0) {
                        bck = bk (s, tc_victim);
                        set_inuse_bit_at_offset (s, tc_victim, nb);
                        BIN_BK (s, idx) = bck;
                        set_fd (s, bck, bin);
                        BIN_DEL (s, nb);
                        hs_tcache_put (s, tc_victim, tc_idx);
                        moved++;
                    }
                }
                if (moved)
                    hs_emit (s, HS_EV_TCACHE_REFILL, moved, nb, 2, 0);
            }
            p = chunk2mem (victim);
            hs_alloc_perturb (s, p, bytes);
            return p;
        }
    } else {
        /* ---- large request: consolidate fastbins first (3959) ---- */
        idx = largebin_index (nb);
        if (s->have_fastchunks)
            hs_malloc_consolidate (s, HS_WHY_LARGE_REQUEST);
    }

    /* ---- the unsorted bin (3987) ---- */
    uint64_t tcache_nb = 0;
    uint64_t tc_idx = csize2tidx (nb);
    if (s->tcache && tc_idx < s->tcache_bins)
        tcache_nb = nb;
    int return_cached = 0;
    uint64_t tcache_unsorted_count = 0;

    for (;;) {
        int iters = 0;
        while ((victim = BIN_BK (s, 1)) != unsorted_chunks ()) {
            /* victim's size, fd and bk: one lookup when they share a written page */
            const uint8_t *vw = hs_words_ptr (s, victim, 1, 3);
            bck = F_in (s, vw, 2, victim, 3);                   /* victim->bk */
            size = F_in (s, vw, 0, victim, 1) & ~SIZE_BITS;
            uint64_t next = victim + size;

            if (size <= CHUNK_HDR_SZ || size > SYSTEM_MEM (s))
                hs_printerr (s, "malloc(): invalid size (unsorted)");
            /* glibc reads next->size three times and bck->fd twice (4046)
             * with nothing written between: the model reads them once */
            const uint8_t *nw = hs_words_ptr (s, next, 0, 2);    /* both on a written page? */
            uint64_t next_head = F_in (s, nw, 1, next, 1);      /* chunksize_nomask (next) */
            if (next_head < CHUNK_HDR_SZ || next_head > SYSTEM_MEM (s))
                hs_printerr (s, "malloc(): invalid next size (unsorted)");
            if ((F_in (s, nw, 0, next, 0) & ~SIZE_BITS) != size)   /* prev_size (next) */
                hs_printerr (s, "malloc(): mismatching next->prev_size (unsorted)");
            uint64_t bck_fd = fd (s, bck);
            if (bck_fd != victim || F_in (s, vw, 1, victim, 2) != unsorted_chunks ())
                hs_printerr (s, "malloc(): unsorted double linked list corrupted");
            if (next_head & PREV_INUSE)
                hs_printerr (s, "malloc(): invalid next->prev_inuse (unsorted)");

            /* the last-remainder rule (4018) */
            if (in_smallbin_range (nb) && bck == unsorted_chunks ()
                && victim == LAST_REMAINDER (s) && size > nb + MINSIZE) {
                remainder_size = size - nb;
                remainder = victim + nb;
                BIN_BK (s, 1) = BIN_FD (s, 1) = remainder;
                LAST_REMAINDER (s) = remainder;
                set_fd (s, remainder, unsorted_chunks ());
                set_bk (s, remainder, unsorted_chunks ());
                if (!in_smallbin_range (remainder_size)) {
                    set_fd_nextsize (s, remainder, 0);
                    set_bk_nextsize (s, remainder, 0);
                }
                set_head (s, victim, nb | PREV_INUSE);
                set_head (s, remainder, remainder_size | PREV_INUSE);
                set_foot (s, remainder, remainder_size);
                s->binned_bytes -= nb;
                set_tag (s, remainder, TAG (HS_CH_UNSORTED, HS_NO_ID));
                hs_emit (s, HS_EV_LAST_REMAINDER, EVOFF (s, victim), nb, remainder_size, size);
                p = chunk2mem (victim);
                hs_alloc_perturb (s, p, bytes);
                return p;
            }

            /* remove from the unsorted list (4046) */
            if (bck_fd != victim)
                hs_printerr (s, "malloc(): corrupted unsorted chunks 3");
            BIN_BK (s, 1) = bck;
            set_fd (s, bck, unsorted_chunks ());

            if (size == nb) {
                BIN_DEL (s, size);      /* (a chunk sorted into its bin stays counted) */
                set_inuse_bit_at_offset (s, victim, size);
                if (tcache_nb && s->tc_counts[tc_idx] < s->tcache_count) {
                    hs_tcache_put (s, victim, tc_idx);
                    return_cached = 1;
                    hs_emit (s, HS_EV_UNSORTED_CACHED, EVOFF (s, victim), size,
                             s->tc_counts[tc_idx], 0);
                    continue;
                }
                hs_emit (s, HS_EV_UNSORTED_EXACT, EVOFF (s, victim), size, 0, 0);
                p = chunk2mem (victim);
                hs_alloc_perturb (s, p, bytes);
                return p;
            }

            /* place the chunk in its bin (4081) */
            uint64_t csize = size;
            if (in_smallbin_range (size)) {
                victim_index = smallbin_index (size);
                bck = bin_at (victim_index);
                fwd = fd (s, bck);
            } else {
                victim_index = largebin_index (size);
                bck = bin_at (victim_index);
                fwd = fd (s, bck);
                if (fwd != bck) {
                    size |= PREV_INUSE;
                    if (size < chunksize_nomask (s, bk (s, bck))) {
                        fwd = bck;
                        bck = bk (s, bck);
                        uint64_t first = fd (s, fwd);
                        set_fd_nextsize (s, victim, first);
                        set_bk_nextsize (s, victim, bk_nextsize (s, first));
                        set_fd_nextsize (s, bk_nextsize (s, victim), victim);
                        set_bk_nextsize (s, first, victim);
                    } else {
                        while (size < chunksize_nomask (s, fwd))
                            fwd = fd_nextsize (s, fwd);
                        if (size == chunksize_nomask (s, fwd))
                            fwd = fd (s, fwd);      /* always insert in the second position */
                        else {
                            set_fd_nextsize (s, victim, fwd);
                            set_bk_nextsize (s, victim, bk_nextsize (s, fwd));
                            if (fd_nextsize (s, bk_nextsize (s, fwd)) != fwd)
                                hs_printerr (s, "malloc(): largebin double linked list corrupted (nextsize)");
                            set_bk_nextsize (s, fwd, victim);
                            set_fd_nextsize (s, bk_nextsize (s, victim), victim);
                        }
                        bck = bk (s, fwd);
                        if (fd (s, bck) != fwd)
                            hs_printerr (s, "malloc(): largebin double linked list corrupted (bk)");
                    }
                } else {
                    W2 (s, victim, 4, victim, 5, victim);   /* victim->fd_nextsize = victim->bk_nextsize = victim */
                }
            }
            mark_bin (s, victim_index);
            W2 (s, victim, 3, bck, 2, fwd);                 /* victim->bk = bck; victim->fd = fwd */
            set_bk (s, fwd, victim);
            set_fd (s, bck, victim);
            set_tag (s, victim, TAG (in_smallbin_range (csize) ? HS_CH_SMALL : HS_CH_LARGE, HS_NO_ID));
            hs_emit (s, HS_EV_UNSORTED_SORT, EVOFF (s, victim), csize, (uint64_t)victim_index, 0);

            ++tcache_unsorted_count;
            if (return_cached && s->tcache_unsorted_limit > 0
                && tcache_unsorted_count > s->tcache_unsorted_limit) {
                p = hs_tcache_get (s, tc_idx);
                hs_emit (s, HS_EV_RETURN_CACHED, EVOFF (s, mem2chunk (p)), nb, 0, 0);
                return p;
            }
            if (++iters >= MAX_ITERS)
                break;
        }

        if (return_cached) {
            p = hs_tcache_get (s, tc_idx);
            hs_emit (s, HS_EV_RETURN_CACHED, EVOFF (s, mem2chunk (p)), nb, 0, 0);
            return p;
        }

        /* ---- large request: best fit in its own bin (4179) ---- */
        if (!in_smallbin_range (nb)) {
            uint64_t bin = bin_at (idx);
            if ((victim = BIN_FD (s, idx)) != bin && chunksize_nomask (s, victim) >= nb) {
                victim = bk_nextsize (s, victim);
                while ((size = chunksize (s, victim)) < nb)
                    victim = bk_nextsize (s, victim);
                if (victim != BIN_BK (s, idx)
                    && chunksize_nomask (s, victim) == chunksize_nomask (s, fd (s, victim)))
                    victim = fd (s, victim);
                return use_bin_chunk (s, victim, nb, idx, 1, "malloc(): corrupted unsorted chunks", bytes);
            }
        }

        /* ---- binmap scan of the larger bins (4252) ---- */
        ++idx;
        unsigned block = (unsigned)idx >> 5;
        uint32_t map = s->binmap[block];
        uint32_t bit = 1u << (idx & 31);
        for (;;) {
            if (bit > map || bit == 0) {
                do {
                    if (++block >= BINMAPSIZE)
                        goto use_top;
                } while ((map = s->binmap[block]) == 0);
                idx = (int)(block << 5);
                bit = 1;
            }
            while ((bit & map) == 0) {
                idx++;
                bit <<= 1;
            }
            victim = BIN_BK (s, idx);
            if (victim == bin_at (idx)) {       /* a false alarm: clear the bit */
                s->binmap[block] = map &= ~bit;
                idx++;
                bit <<= 1;
            } else {
                return use_bin_chunk (s, victim, nb, idx, 2, "malloc(): corrupted unsorted chunks 2", bytes);
            }
        }

    use_top:
        /* ---- top (4349) ---- */
        victim = TOP (s);
        size = chunksize (s, victim);
        if (size > SYSTEM_MEM (s))
            hs_printerr (s, "malloc(): corrupted top size");
        if (size >= nb + (s->textbook ? 0 : MINSIZE)) {
            remainder_size = size - nb;
            remainder = victim + nb;
            TOP (s) = remainder;
            set_head (s, victim, nb | PREV_INUSE);
            set_head (s, remainder, remainder_size | PREV_INUSE);
            hs_emit (s, HS_EV_USE_TOP, EVOFF (s, victim), nb, size, remainder_size);
            p = chunk2mem (victim);
            hs_alloc_perturb (s, p, bytes);
            return p;
        } else if (s->have_fastchunks) {
            hs_emit (s, HS_EV_TOP_TOO_SMALL, size, nb, s->textbook, 0);
            hs_malloc_consolidate (s, HS_WHY_TOP_SMALL);
            idx = in_smallbin_range (nb) ? smallbin_index (nb) : largebin_index (nb);
        } else {
            if (s->brk)
                hs_emit (s, HS_EV_TOP_TOO_SMALL, size, nb, s->textbook, 0);
            p = hs_sysmalloc (s, nb);
            if (p != 0)
                hs_alloc_perturb (s, p, bytes);
            return p;
        }
    }
}
