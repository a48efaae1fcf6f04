/* sim/calloc.c — calloc: __libc_calloc of glibc 2.36.
 * Owns: the overflow check, never-from-tcache, and which bytes calloc clears (MORECORE_CLEARS, "csz = oldtopsize"). */
#include "mem.h"

static void clear_chunk(hs_sim *s, uint64_t mem, uint64_t csz);

/* __libc_calloc (malloc.c:3618): NULL if nmemb * size overflows ptrdiff_t
 * (*overflow set); else _int_malloc (no tcache) and clear the chunk: not
 * at all when mmapped (fresh pages are zero; with M_PERTURB the requested
 * bytes), and for a chunk carved from top only the part that was top
 * before the call (what grew by sbrk is fresh).  Returns user memory or 0; misuse aborts. */
uint64_t hs_libc_calloc(hs_sim *s, uint64_t n, uint64_t elem, bool *overflow)
{
    unsigned __int128 prod = (unsigned __int128)n * elem;
    *overflow = false;
    if (prod > PTRDIFF_MAX_U) {
        *overflow = true;
        hs_emit (s, HS_EV_CALLOC_OVERFLOW, n, elem, 0, 0);
        return 0;
    }
    uint64_t sz = (uint64_t)prod;

    /* Before 2.34 (rules->malloc_hook_ini): the first allocation of the
     * process finds __malloc_hook = malloc_hook_ini; __libc_calloc calls it
     * (it is __libc_malloc) and clears all sz bytes with memset. */
    if (s->hook_ini) {
        hs_emit (s, HS_EV_VERSION_RULE, HS_RULE_MALLOC_HOOK_INI, 0, 0, 0);
        uint64_t mem = hs_libc_malloc (s, sz);
        if (mem != 0 && sz != 0) {
            hs_mem_fill (s, mem, sz, 0);
            hs_emit (s, HS_EV_CALLOC_CLEAR, sz, 0, 0, 0);
        }
        return mem;
    }

    if (!s->tcache && !s->textbook)                 /* MAYBE_INIT_TCACHE () */
        hs_tcache_init (s);

    /* 2.41 (__libc_calloc calls tcache_try_malloc, rules->calloc_tcache): a
     * cached chunk of the request's size is taken and cleared whole. */
    uint64_t tbytes = request2size (sz), tc_idx = csize2tidx (tbytes);
    if (s->rules->calloc_tcache && s->tcache && tc_idx < s->tcache_bins &&
        s->tc_counts[tc_idx] > 0) {
        hs_emit (s, HS_EV_REQUEST, sz, tbytes, 0, 0);
        uint64_t mem = hs_tcache_get (s, tc_idx);
        hs_emit (s, HS_EV_TCACHE_HIT, EVOFF (s, mem2chunk (mem)), tbytes, tc_idx,
                 s->tc_counts[tc_idx]);
        hs_emit (s, HS_EV_VERSION_RULE, HS_RULE_CALLOC_TCACHE, 0, 0, 0);
        clear_chunk (s, mem, chunksize (s, mem2chunk (mem)));
        return mem;
    }

    hs_arena_get (s, sz);                           /* arena_get (av, sz) */
    uint64_t oldtop = TOP (s);
    uint64_t oldtopsize = chunksize (s, oldtop);
    /* malloc.c:3659: in a non-main arena, memory up to the heap's
     * mprotect_size may have been used before (shrink_heap leaves it
     * read-write), so only what lies beyond counts as fresh */
    if (s->cur_ar != 0 && oldtopsize < s->heap_base + s->ar[s->cur_ar].mprotect_size - oldtop)
        oldtopsize = s->heap_base + s->ar[s->cur_ar].mprotect_size - oldtop;
    /* malloc.c:3654 would raise oldtopsize to the highest break ever
     * reached (MORECORE_CLEARS < 2), but Debian's libc.so.6 (2.36-9+deb12u14)
     * has no such code: its __libc_calloc goes from chunksize (top) straight
     * to _int_malloc, and a measurement agrees (a calloc that extends top
     * after a trim leaves the pages above the old break untouched).  The
     * binary wins: only the old top counts as used memory. */

    hs_emit (s, HS_EV_REQUEST, sz, sz > PTRDIFF_MAX_U ? 0 : request2size (sz), 0, 0);
    uint64_t mem = hs_int_malloc (s, sz);
    if (mem == 0 && !SINGLE_THREAD_P (s)) {
        hs_arena_get_retry (s, sz);                 /* one retry */
        oldtop = 0;                                 /* clearing is judged against the first arena's top */
        mem = hs_int_malloc (s, sz);
    }
    if (mem == 0)
        return 0;
    uint64_t p = mem2chunk (mem);
    uint64_t head = chunksize_nomask (s, p);        /* glibc reads it twice */
    uint64_t csz = head & ~SIZE_BITS;

    if (head & IS_MMAPPED) {                        /* chunk_is_mmapped (p) */
        if (s->perturb_byte) {
            hs_mem_fill (s, mem, sz, 0);
            hs_emit (s, HS_EV_CALLOC_CLEAR, sz, 0, 0, 0);
        } else
            hs_emit (s, HS_EV_CALLOC_NOCLEAR, 1, sz, 0, 0);
        return mem;
    }

    if (s->perturb_byte == 0 && p == oldtop && csz > oldtopsize) {
        hs_emit (s, HS_EV_CALLOC_NOCLEAR, 2, csz - oldtopsize, 0, 0);
        csz = oldtopsize;
    }

    clear_chunk (s, mem, csz);
    return mem;
}

/* The clear at the end of __libc_calloc: csz - SIZE_SZ bytes from mem, as
 * memset or the unrolled 3, 5, 7 or 9 words.  Never fails. */
static void clear_chunk(hs_sim *s, uint64_t mem, uint64_t csz)
{
    if (csz <= SIZE_SZ)         /* only the textbook's empty top gets here: all fresh */
        return;
    uint64_t clearsize = csz - SIZE_SZ;
    uint64_t nclears = clearsize / 8;
    if (nclears > 9) {
        hs_mem_fill (s, mem, clearsize, 0);
        hs_emit (s, HS_EV_CALLOC_CLEAR, clearsize, 0, 0, 0);
    } else {
        /* the unrolled clear of 3, 5, 7 or 9 words */
        uint64_t words = nclears > 8 ? 9 : nclears > 6 ? 7 : nclears > 4 ? 5 : 3;
        for (uint64_t i = 0; i < words; i++)
            W (s, mem, (int)i, 0);
        hs_emit (s, HS_EV_CALLOC_CLEAR, words * 8, 0, 0, 0);
    }
}
