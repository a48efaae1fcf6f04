/* sim/realloc.c — realloc: __libc_realloc and _int_realloc of glibc 2.36.
 * Owns: realloc(NULL)/realloc(p, 0), mremap of mmapped chunks, shrinking and growing in place, allocate-copy-free, the threaded retry. */
#include "mem.h"

/* memsize (malloc.c) of a heap chunk (not mmapped) of this size: its user
 * bytes, the next chunk's prev_size field included. */
#define HEAP_MEMSIZE(size) ((size) - CHUNK_HDR_SZ + SIZE_SZ)

/* The end of realloc's allocate-copy-free (malloc.c:4880 in _int_realloc,
 * 3502 when __libc_realloc tries harder): the sz bytes of oldp copied to
 * newmem, then _int_free of oldp into its arena ar.  Misuse aborts as in
 * hs_int_free. */
static void copy_and_free(hs_sim *s, uint64_t oldp, uint64_t sz, uint64_t newmem, uint32_t ar)
{
    uint64_t newp = mem2chunk (newmem);
    hs_mem_copy (s, newmem, chunk2mem (oldp), sz);
    hs_emit (s, HS_EV_REALLOC_MOVE, EVOFF (s, oldp),
             chunk_is_mmapped (s, newp) ? 0 : EVOFF (s, newp), sz, 0);
    hs_arena_load (s, ar);
    hs_int_free (s, oldp);
}

/* _int_realloc (malloc.c:4812): keep the chunk if it is big enough, grow
 * into top or into a free next chunk, else _int_malloc (nb - 15) + copy +
 * _int_free; then split off and free a tail of at least MINSIZE.  oldhead is
 * oldp's size word as the caller read it (nothing has written it since:
 * glibc reads it again here).  Returns user memory, or 0 when no memory
 * (the old chunk stays).  Misuse aborts. */
static uint64_t int_realloc(hs_sim *s, uint64_t oldp, uint64_t oldsize, uint64_t oldhead,
                            uint64_t nb)
{
    uint64_t newp, newsize, next, remainder, remainder_size;

    if (oldhead <= CHUNK_HDR_SZ)
        hs_printerr (s, "realloc(): invalid old size");
    if (s->foreign_av)
        hs_segv (s);        /* av->system_mem of an arena glibc never made */
    if (oldsize >= SYSTEM_MEM (s))
        hs_printerr (s, "realloc(): invalid old size");

    next = oldp + oldsize;
    uint64_t next_head = chunksize_nomask (s, next);   /* glibc reads it twice, then in inuse */
    uint64_t nextsize = next_head & ~SIZE_BITS;
    if ((next_head <= CHUNK_HDR_SZ || nextsize >= SYSTEM_MEM (s))
        && !(s->textbook && next == TOP (s)))      /* the textbook's top may be empty */
        hs_printerr (s, "realloc(): invalid next size");

    if (oldsize >= nb) {
        newp = oldp;
        newsize = oldsize;
        hs_emit (s, HS_EV_REALLOC_SAME, oldsize, nb, 0, 0);
    } else {
        if (next == TOP (s) && (newsize = oldsize + nextsize) >= nb + MINSIZE) {
            set_head_size (s, oldp, nb);
            TOP (s) = oldp + nb;
            set_head (s, TOP (s), (newsize - nb) | PREV_INUSE);
            hs_emit (s, HS_EV_REALLOC_TOP, EVOFF (s, oldp), oldsize, nb, 0);
            return chunk2mem (oldp);
        } else if (next != TOP (s) && !inuse_bit_at_offset (s, next, nextsize)   /* inuse (next) */
                   && (newsize = oldsize + nextsize) >= nb) {
            newp = oldp;
            hs_unlink_chunk (s, next);
            hs_emit (s, HS_EV_REALLOC_NEXT, EVOFF (s, next), nextsize, oldsize, 0);
        } else {
            uint64_t newmem = hs_int_malloc (s, nb - MALLOC_ALIGN_MASK);
            if (newmem == 0)
                return 0;
            newp = mem2chunk (newmem);
            newsize = chunksize (s, newp);
            if (newp == next) {
                newsize += oldsize;
                newp = oldp;
                hs_emit (s, HS_EV_REALLOC_NEXT, EVOFF (s, next), newsize - oldsize, oldsize, 0);
            } else {
                copy_and_free (s, oldp, HEAP_MEMSIZE (oldsize), newmem, s->cur_ar);
                return newmem;
            }
        }
    }

    remainder_size = newsize - nb;
    if (remainder_size < MINSIZE) {
        set_head_size (s, newp, newsize);
        set_inuse_bit_at_offset (s, newp, newsize);
    } else {
        remainder = newp + nb;
        set_head_size (s, newp, nb);
        set_head (s, remainder, remainder_size | PREV_INUSE);
        set_inuse_bit_at_offset (s, remainder, remainder_size);
        hs_emit (s, HS_EV_REALLOC_SHRINK, EVOFF (s, remainder), remainder_size, 0, 0);
        hs_int_free_carved (s, remainder);
    }
    return chunk2mem (newp);
}

/* 2.38+ (rules->realloc_usable; 2.41's malloc.c:3512): whether realloc
 * returns oldmem at once because bytes fits its usable size (musable: an
 * mmapped chunk's size - 16, an in-use heap chunk's size - 8, else 0) with
 * under 2 * SIZE_SZ to spare, or at most a page for an mmapped chunk.
 * glibc reads the size and, for a heap chunk, the next chunk's PREV_INUSE:
 * a wild pointer faults (hs_segv).  Never fails otherwise. */
static bool realloc_in_usable(hs_sim *s, uint64_t oldmem, uint64_t bytes)
{
    uint64_t p = mem2chunk (oldmem), head = chunksize_nomask (s, p), usable;
    bool mmapped = (head & IS_MMAPPED) != 0;
    if (mmapped)
        usable = (head & ~SIZE_BITS) - CHUNK_HDR_SZ;
    else if (inuse_bit_at_offset (s, p, head & ~SIZE_BITS))
        usable = HEAP_MEMSIZE (head & ~SIZE_BITS);
    else
        usable = 0;
    if (bytes > usable)
        return false;
    uint64_t difference = usable - bytes;
    if (difference >= 2 * SIZE_SZ && !(mmapped && difference <= HS_PAGE))
        return false;
    hs_emit (s, HS_EV_REALLOC_USABLE, usable, bytes, mmapped, 0);
    hs_emit (s, HS_EV_VERSION_RULE, HS_RULE_REALLOC_USABLE, 0, 0, 0);
    return true;
}

/* __libc_realloc (malloc.c:3393): realloc(p, 0) frees and returns NULL;
 * realloc(NULL, n) is malloc (tcache included); an mmapped chunk is
 * mremapped and stays mmapped; a heap chunk goes to _int_realloc, which
 * never takes from the tcache (it may stash into it); when it fails in a
 * process with threads, realloc tries harder (malloc.c:3495): __libc_malloc,
 * copy, _int_free of the old chunk into its arena.  Returns user memory or
 * 0; misuse aborts (hs_printerr) or faults (hs_segv). */
uint64_t hs_libc_realloc(hs_sim *s, uint64_t oldmem, uint64_t bytes)
{
    s->hook_ini = false;                            /* realloc_hook_ini (before 2.34) */
    if (bytes == 0 && oldmem != 0) {
        hs_emit (s, HS_EV_REALLOC_ZERO, 0, 0, 0, 0);
        hs_libc_free (s, oldmem);
        return 0;
    }
    if (oldmem == 0) {
        hs_emit (s, HS_EV_REALLOC_NULL, bytes, 0, 0, 0);
        return hs_libc_malloc (s, bytes);
    }
    if (s->rules->realloc_usable && realloc_in_usable (s, oldmem, bytes))
        return oldmem;

    uint64_t oldp = mem2chunk (oldmem);
    uint64_t oldhead = chunksize_nomask (s, oldp);     /* glibc reads it twice here */
    uint64_t oldsize = oldhead & ~SIZE_BITS;
    bool mmapped = (oldhead & IS_MMAPPED) != 0;
    if (!mmapped && !s->tcache && !s->textbook) {
        hs_tcache_init (s);
        oldhead = chunksize_nomask (s, oldp);       /* carving the tcache may have written it */
    }
    if (!mmapped)
        hs_arena_for_chunk (s, oldp);

    if (oldp > (uint64_t)0 - oldsize || misaligned_chunk (oldp))
        hs_printerr (s, "realloc(): invalid pointer");

    if (bytes > PTRDIFF_MAX_U) {
        hs_emit (s, HS_EV_REFUSED, bytes, 0, 0, 0);
        return 0;
    }
    uint64_t nb = request2size (bytes);
    hs_emit (s, HS_EV_REQUEST, bytes, nb, 0, 0);

    if (mmapped) {
        uint64_t newp = hs_mremap_chunk (s, oldp, nb);
        if (newp)
            return chunk2mem (newp);
        if (oldsize - SIZE_SZ >= nb)
            return oldmem;
        uint64_t newmem = hs_libc_malloc (s, bytes);
        if (newmem == 0)
            return 0;
        hs_mem_copy (s, newmem, oldmem, oldsize - CHUNK_HDR_SZ);
        hs_munmap_chunk (s, oldp);
        return newmem;
    }
    uint32_t ar = s->cur_ar;   /* ar_ptr: the chunk's arena */
    uint64_t newmem = int_realloc (s, oldp, oldsize, oldhead, nb);
    if (newmem == 0 && !SINGLE_THREAD_P (s)) {
        /* malloc.c:3495: "try harder to allocate memory in other arenas":
         * __libc_malloc (its tcache, this thread's arena, arena_get_retry),
         * memcpy memsize (oldp), as read now, and _int_free (ar_ptr, oldp) */
        hs_emit (s, HS_EV_REALLOC_RETRY, ar, bytes, 0, 0);
        newmem = hs_libc_malloc (s, bytes);
        if (newmem != 0)
            copy_and_free (s, oldp, HEAP_MEMSIZE (chunksize (s, oldp)), newmem, ar);
    }
    return newmem;
}
