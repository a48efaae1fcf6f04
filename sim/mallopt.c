/* sim/mallopt.c — tuning and trimming: __libc_mallopt (the do_set_* helpers) and malloc_trim (mtrim) of glibc 2.36.
 * Owns: every mallopt param of the contract, the no_dyn_threshold switch, MADV_DONTNEED of free pages. */
#include "mem.h"

/* set_max_fast (malloc.c:1791): 0..7 gives 16 (no chunk is that small, so
 * fastbins are off), else (s + SIZE_SZ) & ~15.  Never fails. */
static void set_max_fast(hs_sim *s, uint64_t v)
{
    s->global_max_fast = v <= MALLOC_ALIGN_MASK - SIZE_SZ ? MINSIZE / 2
                                                          : (v + SIZE_SZ) & ~MALLOC_ALIGN_MASK;
}

/* __libc_mallopt (malloc.c:5448): malloc_consolidate always runs first;
 * then the do_set_* helper of the param (5310-5425).  The int value is
 * converted to size_t where glibc does, so -1 means SIZE_MAX.  M_MXFAST
 * above MAX_FAST_SIZE (160) fails (returns 0, changes nothing);
 * M_ARENA_TEST / M_ARENA_MAX <= 0 are ignored.  Returns mallopt's result. */
int hs_libc_mallopt(hs_sim *s, int param, int value)
{
    int res = 1, dyn_off = 0;
    hs_malloc_consolidate (s, HS_WHY_MALLOPT);
    uint64_t sv = (uint64_t)(int64_t)value;      /* (size_t) value */
    switch (param) {
    case HS_M_MXFAST:
        if (sv <= MAX_FAST_SIZE && !s->textbook)    /* the textbook has no fastbins at all */
            set_max_fast (s, sv);
        else
            res = 0;
        break;
    case HS_M_TRIM_THRESHOLD:
        s->trim_threshold = sv;
        dyn_off = !s->no_dyn_threshold;
        s->no_dyn_threshold = 1;
        break;
    case HS_M_TOP_PAD:
        s->top_pad = sv;
        dyn_off = !s->no_dyn_threshold;
        s->no_dyn_threshold = 1;
        break;
    case HS_M_MMAP_THRESHOLD:
        s->mmap_threshold = sv;
        dyn_off = !s->no_dyn_threshold;
        s->no_dyn_threshold = 1;
        break;
    case HS_M_MMAP_MAX:
        s->n_mmaps_max = value;
        dyn_off = !s->no_dyn_threshold;
        s->no_dyn_threshold = 1;
        break;
    case HS_M_PERTURB:
        s->perturb_byte = value;
        break;
    case HS_M_ARENA_TEST:
        if (value > 0)
            s->arena_test = sv;
        break;
    case HS_M_ARENA_MAX:
        if (value > 0)
            s->arena_max = sv;
        break;
    default:
        break;
    }
    if (s->textbook)
        s->no_dyn_threshold = 1;
    hs_emit (s, HS_EV_MALLOPT, (uint64_t)param, (uint64_t)(int64_t)value, (uint64_t)res,
             (uint64_t)dyn_off);
    return res;
}

/* MADV_DONTNEED of [addr, addr + len) inside a free chunk of the loaded
 * arena, which may lie in one of its earlier heaps (an arena that outgrew
 * its first 64 MiB heap keeps its chunks there): the pages go and read as
 * zero later.  Never fails. */
static void madvise_dontneed(hs_sim *s, uint64_t addr, uint64_t len)
{
    uint64_t dropped = hs_mem_dontneed (s, addr, len);
    hs_emit (s, HS_EV_MADVISE, EVOFF (s, addr), len, dropped, 0);
}

/* mtrim (malloc.c:5037): malloc_consolidate; then for every chunk in the
 * unsorted bin and the bins from bin_index (4096) = 99 up, MADV_DONTNEED its
 * whole pages past chunk + sizeof (struct malloc_chunk) (48); then systrim
 * (pad).  Returns this arena's part of malloc_trim's result (1 if memory was
 * released). */
static int mtrim(hs_sim *s, uint64_t pad)
{
    hs_malloc_consolidate (s, HS_WHY_TRIM);
    const uint64_t ps = HS_PAGE, psm1 = ps - 1;
    const int psindex = bin_index (ps);
    int result = 0;
    for (int i = 1; i < NBINS; ++i) {
        if (!(i == 1 || i >= psindex))
            continue;
        uint64_t bin = bin_at (i);
        for (uint64_t p = BIN_BK (s, i); p != bin; p = bk (s, p)) {
            uint64_t size = chunksize (s, p);
            if (size > psm1 + 48) {
                uint64_t paligned_mem = (p + 48 + psm1) & ~psm1;
                size -= paligned_mem - p;
                if (size > psm1) {
                    if (!s->textbook)
                        madvise_dontneed (s, paligned_mem, size & ~psm1);
                    result = 1;
                }
            }
        }
    }
    if (s->cur_ar == 0)            /* only the main arena's top goes back (systrim) */
        result |= hs_systrim (s, pad);
    if (s->n_ar > 1)
        hs_emit (s, HS_EV_MTRIM_ARENA, (uint64_t)result, s->cur_ar, 0, 0);
    return result;
}

/* __malloc_trim (malloc.c:5112): mtrim of every arena, main first, then
 * along the arena list (main_arena.next: the newest first).  A non-main
 * arena's top is never trimmed here: only whole free pages inside its bins
 * are dropped.  Returns whether memory went back.  Misuse aborts. */
int hs_malloc_trim(hs_sim *s, uint64_t pad)
{
    int result = 0;
    uint32_t k = 0;
    do {
        hs_arena_load (s, k);
        result |= mtrim (s, pad);
        k = s->ar[k].next;
    } while (k != 0 && k < s->n_ar);
    hs_arena_load (s, 0);
    hs_emit (s, HS_EV_MTRIM_RESULT, (uint64_t)result, 0, 0, 0);
    return result;
}
