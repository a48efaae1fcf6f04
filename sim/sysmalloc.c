/* sim/sysmalloc.c — getting memory from and giving it back to the kernel: sysmalloc, systrim, munmap_chunk, mremap_chunk.
 * Owns: brk growth (top_pad, the first-call path), mmapped chunks, trimming the top of the heap. */
#include "mem.h"

/* The model's own bound on a brk heap or a mapping: 1 TiB (it only keeps
 * the model's bookkeeping bounded; no machine it runs on grants more). */
#define HS_KERNEL_MAX UINT64_C(0x10000000000)

/* Whether the kernel grants `bytes` more memory in one request (how: 0
 * mmap, 1 brk, 2 mremap growth): first the process's limits (RLIMIT_AS,
 * RLIMIT_DATA, vm.max_map_count: sim/kernel.c hs_klimits_allow), then,
 * under heuristic overcommit, no single request may exceed RAM + swap
 * (mm/util.c, __vm_enough_memory).  Says why when it refuses.  Never fails. */
static bool kernel_grants(hs_sim *s, uint64_t bytes, int how)
{
    if (!hs_klimits_allow (s, bytes, how))
        return false;
    if (bytes <= s->commit_max)
        return true;
    hs_emit (s, HS_EV_KERNEL_REFUSES, bytes, s->commit_max, (uint64_t)how, 0);
    return false;
}

/* sysmalloc_mmap (malloc.c:2414): maps ALIGN_UP (nb + SIZE_SZ, 4096) bytes
 * and puts an IS_MMAPPED chunk at the start.  Returns user memory, or 0 when
 * the size wraps or the kernel would refuse (MAP_FAILED). */
uint64_t hs_sysmalloc_mmap(hs_sim *s, uint64_t nb)
{
    uint64_t size = ALIGN_UP (nb + SIZE_SZ, HS_PAGE);
    if (size <= nb || size > HS_KERNEL_MAX || !kernel_grants (s, size, 0))
        return 0;
    hs_map *m = hs_kmmap (s, size);
    uint64_t p = m->base;
    set_prev_size (s, p, 0);
    set_head (s, p, size | IS_MMAPPED);
    int n = ++s->n_mmaps;
    if (n > s->max_n_mmaps)
        s->max_n_mmaps = n;
    s->mmapped_mem += size;
    if (s->mmapped_mem > s->max_mmapped_mem)
        s->max_mmapped_mem = s->mmapped_mem;
    hs_emit (s, HS_EV_MMAP, nb, s->mmap_threshold, size, (uint64_t)s->n_mmaps);
    return chunk2mem (p);
}

/* sbrk (increment) for the main arena: moves the model's break.  Returns the
 * old break (model address), or 0 when the kernel would refuse (beyond the
 * model's limit, or below the start of the heap). */
uint64_t hs_morecore(hs_sim *s, int64_t increment)
{
    uint64_t old = s->brk;
    if (increment > 0) {
        if ((uint64_t)increment > HS_KERNEL_MAX || old + (uint64_t)increment > HS_KERNEL_MAX
            || !kernel_grants (s, (uint64_t)increment, 1))
            return 0;
        hs_heap_grow (s, old + (uint64_t)increment);
    } else if (increment < 0) {
        uint64_t dec = (uint64_t)0 - (uint64_t)increment;
        if (dec > old)
            return 0;
        uint64_t nb = old - dec;
        hs_heap_release (s, ALIGN_UP (nb, HS_PAGE), ALIGN_UP (old, HS_PAGE) - ALIGN_UP (nb, HS_PAGE));
        hs_set_brk (s, nb);
    }
    return s->heap_base + old;
}

/* The end of sysmalloc (2937): nb split off the grown top, the rest the
 * new top; 0 if top is still too small.  Never fails. */
static uint64_t split_top(hs_sim *s, uint64_t nb)
{
    uint64_t p = TOP (s);
    uint64_t tsize = chunksize (s, p);
    if (tsize >= nb + MINSIZE) {
        uint64_t remainder_size = tsize - nb;
        uint64_t remainder = p + nb;
        TOP (s) = remainder;
        set_head (s, p, nb | PREV_INUSE | (s->cur_ar ? NON_MAIN_ARENA : 0));
        set_head (s, remainder, remainder_size | PREV_INUSE);
        hs_emit (s, HS_EV_USE_TOP, EVOFF (s, p), nb, tsize, remainder_size);
        return chunk2mem (p);
    }
    return 0;
}

/* sysmalloc (malloc.c:2541), main arena: mmap when nb >= mmap_threshold and
 * n_mmaps < n_mmaps_max; else grow the break by ALIGN_UP (nb + top_pad +
 * MINSIZE - top size, 4096) (the first call sets top at the start of the
 * new space) and split nb off top.  Returns user memory or 0 (ENOMEM: the
 * kernel refused).  A foreign sbrk cannot happen in the model. */
uint64_t hs_sysmalloc(hs_sim *s, uint64_t nb)
{
    if (s->textbook)
        return hs_textbook_sysmalloc (s, nb);

    if (nb >= s->mmap_threshold && s->n_mmaps < s->n_mmaps_max) {
        uint64_t mm = hs_sysmalloc_mmap (s, nb);
        if (mm)
            return mm;
    } else if (nb >= s->mmap_threshold) {
        hs_emit (s, HS_EV_MMAP_MAX, nb, s->mmap_threshold, (uint64_t)s->n_mmaps,
                 (uint64_t)(int64_t)s->n_mmaps_max);
    }

    if (s->cur_ar != 0) {
        /* a non-main arena (2616): grow its heap, else chain a new heap
         * (sim/arena.c), else mmap */
        bool tried_mmap = nb >= s->mmap_threshold && s->n_mmaps < s->n_mmaps_max;
        if (!hs_heap_sysmalloc (s, nb)) {
            if (!tried_mmap)
                return hs_sysmalloc_mmap (s, nb);
            return 0;
        }
        return split_top (s, nb);
    }

    uint64_t old_top = TOP (s);
    uint64_t old_size = chunksize (s, old_top);
    uint64_t old_end = old_top + old_size;

    /* Request enough space for nb + pad + overhead (2681). */
    int64_t size = (int64_t)(nb + s->top_pad + MINSIZE);
    size = (int64_t)((uint64_t)size - old_size);           /* contiguous (av) */
    size = (int64_t)ALIGN_UP ((uint64_t)size, HS_PAGE);

    uint64_t brk = 0;
    if (size > 0)
        brk = hs_morecore (s, size);
    if (brk == 0) {
        /* MORECORE failed (2713): sysmalloc_mmap_fallback (2499) maps
         * ALIGN_UP (size + old_size, 4096) (contiguous: the old top cannot
         * merge), at least MMAP_AS_MORECORE_SIZE (1 MiB), ignoring the mmap
         * threshold and n_mmaps_max.  That asks for at least what the break
         * was refused, so each limit the kernel applies to both (RAM + swap,
         * RLIMIT_AS, RLIMIT_DATA: data_vm holds the heap and the data
         * segment, vm.max_map_count) refuses it too, and malloc returns
         * NULL with errno ENOMEM (2961).  The model asks its kernel; one
         * that granted the fallback would need a main heap in two pieces,
         * which the model does not have, so it still says NULL. */
        uint64_t fb = ALIGN_UP ((uint64_t)(size > 0 ? size : 0) + old_size, HS_PAGE);
        if (fb < MMAP_AS_MORECORE_SIZE)
            fb = MMAP_AS_MORECORE_SIZE;
        if (fb > nb) {
            bool granted = fb <= HS_KERNEL_MAX && kernel_grants (s, fb, 0);
            hs_emit (s, HS_EV_MMAP_FALLBACK, fb, nb, granted, 0);
        }
        return 0;
    }

    if (s->sbrk_base == 0)
        s->sbrk_base = brk;
    s->system_mem += (uint64_t)size;
    hs_emit (s, old_size ? HS_EV_BRK_GROW : HS_EV_BRK_FIRST, (uint64_t)size, nb, s->top_pad, old_size);

    if (brk == old_end) {
        set_head (s, old_top, ((uint64_t)size + old_size) | PREV_INUSE);
    } else if (old_size && brk < old_end) {
        hs_printerr (s, "break adjusted to free malloc space");
    } else {
        /* First time through (2774): align the start, extend to a page
         * boundary with a second sbrk, and make the new space top. */
        uint64_t front_misalign, correction = 0, aligned_brk = brk;
        if (old_size)
            s->system_mem += brk - old_end;
        front_misalign = chunk2mem (brk) & MALLOC_ALIGN_MASK;
        if (front_misalign > 0) {
            correction = MALLOC_ALIGNMENT - front_misalign;
            aligned_brk += correction;
        }
        correction += old_size;
        uint64_t end_misalign = brk + (uint64_t)size + correction;
        correction += ALIGN_UP (end_misalign, HS_PAGE) - end_misalign;
        uint64_t snd_brk = hs_morecore (s, (int64_t)correction);   /* sbrk (0) if no correction */
        if (snd_brk == 0) {
            correction = 0;
            snd_brk = hs_morecore (s, 0);
        }
        TOP (s) = aligned_brk;
        set_head (s, TOP (s), (snd_brk - aligned_brk + correction) | PREV_INUSE);
        s->system_mem += correction;
        if (old_size != 0) {
            /* fenceposts (2909): cannot happen without a foreign sbrk */
            old_size = (old_size - 2 * CHUNK_HDR_SZ) & ~MALLOC_ALIGN_MASK;
            set_head (s, old_top, old_size | PREV_INUSE);
            set_head (s, old_top + old_size, CHUNK_HDR_SZ | PREV_INUSE);
            set_head (s, old_top + old_size + CHUNK_HDR_SZ, CHUNK_HDR_SZ | PREV_INUSE);
            if (old_size >= MINSIZE)
                hs_int_free_carved (s, old_top);
        }
    }

    if (s->system_mem > s->max_system_mem)
        s->max_system_mem = s->system_mem;
    return split_top (s, nb);
}

/* systrim (malloc.c:2971): give back the whole pages of top above pad +
 * MINSIZE.  The arithmetic is glibc's, signed and unsigned mixed as there:
 * a top of exactly MINSIZE makes "extra" negative and the break grows by a
 * page.  Returns 1 if the break moved. */
int hs_systrim(hs_sim *s, uint64_t pad)
{
    if (s->textbook)
        return hs_textbook_systrim (s, pad);
    int64_t top_size = (int64_t)chunksize (s, TOP (s));
    int64_t top_area = top_size - (int64_t)MINSIZE - 1;
    if ((uint64_t)top_area <= pad) {
        hs_emit (s, HS_EV_TRIM_NOTHING, (uint64_t)top_size, pad, 0, 0);
        return 0;
    }
    int64_t extra = (int64_t)ALIGN_DOWN ((uint64_t)top_area - pad, HS_PAGE);
    if (extra == 0) {
        hs_emit (s, HS_EV_TRIM_NOTHING, (uint64_t)top_size, pad, 0, 0);
        return 0;
    }
    uint64_t current_brk = s->heap_base + s->brk;
    if (current_brk == TOP (s) + (uint64_t)top_size) {
        hs_morecore (s, -extra);
        uint64_t new_brk = s->heap_base + s->brk;
        int64_t released = (int64_t)(current_brk - new_brk);
        if (released != 0) {
            s->system_mem -= (uint64_t)released;
            set_head (s, TOP (s), ((uint64_t)top_size - (uint64_t)released) | PREV_INUSE);
            hs_emit (s, HS_EV_TRIM, (uint64_t)released, (uint64_t)top_size - (uint64_t)released, pad, 0);
            return 1;
        }
    }
    return 0;
}

/* The live mapping whose start is block, or NULL. */
static hs_map *map_at(hs_sim *s, uint64_t block)
{
    hs_map *m = hs_map_find (s, block);
    return m && m->base == block ? m : NULL;
}

/* munmap_chunk (malloc.c:3037): checks that the chunk sits at a page
 * boundary of its mapping, then unmaps [p - prev_size, + prev_size + size).
 * A bad pointer aborts ("munmap_chunk(): invalid pointer"). */
void hs_munmap_chunk(hs_sim *s, uint64_t p)
{
    uint64_t size = chunksize (s, p);
    uint64_t mem = chunk2mem (p);
    uint64_t ps = prev_size (s, p);
    uint64_t block = p - ps;
    uint64_t total_size = ps + size;
    uint64_t low = mem & (HS_PAGE - 1);
    if (((block | total_size) & (HS_PAGE - 1)) != 0 || (low & (low - 1)) != 0)
        hs_printerr (s, "munmap_chunk(): invalid pointer");

    s->n_mmaps--;
    s->mmapped_mem -= total_size;
    hs_emit (s, HS_EV_MUNMAP, total_size, (uint64_t)s->n_mmaps, 0, 0);
    /* munmap (block, total_size): the mapping goes; a range that is not
     * exactly one mapping (misuse only) takes every mapping it overlaps. */
    hs_map *m = map_at (s, block);
    if (m && m->len == total_size) {
        /* Past vm.max_map_count the kernel refuses a munmap that splits a
         * VMA (mm/vma.c do_vmi_align_munmap: ENOMEM); glibc does not look
         * at munmap's result: the block stays mapped, an orphan. */
        if (hs_kmunmap_splits_past (s, m)) {
            hs_korphan (s, m);
            return;
        }
        hs_kmunmap (s, m);
        return;
    }
    for (;;) {
        m = NULL;
        for (uint32_t i = 0; i < s->n_live && !m; i++) {
            hs_map *o = &s->maps[s->by_addr[i]];
            if (o->base < block + total_size && o->base + o->len > block)
                m = o;
        }
        if (!m)
            return;
        hs_kmunmap (s, m);
    }
}

/* mremap_chunk (malloc.c:3068): resizes the mapping to ALIGN_UP (new_size +
 * prev_size + SIZE_SZ, 4096); same chunk if the page count is unchanged.
 * Returns the (possibly moved) chunk, or 0 if the kernel would refuse.
 * A bad pointer aborts ("mremap_chunk(): invalid pointer"). */
uint64_t hs_mremap_chunk(hs_sim *s, uint64_t p, uint64_t new_size)
{
    uint64_t offset = prev_size (s, p);
    uint64_t size = chunksize (s, p);
    uint64_t block = p - offset;
    uint64_t mem = chunk2mem (p);
    uint64_t total_size = offset + size;
    uint64_t low = mem & (HS_PAGE - 1);
    if (((block | total_size) & (HS_PAGE - 1)) != 0 || (low & (low - 1)) != 0)
        hs_printerr (s, "mremap_chunk(): invalid pointer");

    new_size = ALIGN_UP (new_size + offset + SIZE_SZ, HS_PAGE);
    if (total_size == new_size) {
        hs_emit (s, HS_EV_MREMAP, total_size, new_size, 1, 0);
        return p;
    }
    hs_map *m = map_at (s, block);
    if (!m || new_size > HS_KERNEL_MAX
        || (new_size > total_size && !kernel_grants (s, new_size - total_size, 2)))
        return 0;
    hs_emit (s, HS_EV_MREMAP, total_size, new_size, 0, 0);
    m = hs_kmremap (s, m, new_size);
    p = m->base + offset;
    set_head (s, p, (new_size - offset) | IS_MMAPPED);
    s->mmapped_mem += new_size - size - offset;
    if (s->mmapped_mem > s->max_mmapped_mem)
        s->max_mmapped_mem = s->mmapped_mem;
    return p;
}
