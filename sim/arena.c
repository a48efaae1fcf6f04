/* sim/arena.c — glibc 2.36's arena.c: non-main arenas, their heap_info heaps, and each thread's tcache.
 * Owns: arena_get2, _int_new_arena, new_heap, grow_heap, shrink_heap, heap_trim, reused_arena, the free list, thread exit, and moving arenas/threads in and out of hs_sim. */
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* ---- moving state in and out of hs_sim ---- */

/* Keeps the loaded malloc_state and heap region in the loaded arena's
 * record (ar[cur_ar]).  Never fails. */
static void arena_save(hs_sim *s)
{
    s->ar[s->cur_ar].mem = s->mem;
    s->ar[s->cur_ar].st = s->st;
}

/* Makes arena k the loaded one (the one _int_malloc and _int_free work on,
 * "av").  Never fails. */
void hs_arena_load(hs_sim *s, uint32_t k)
{
    if (k == s->cur_ar || k >= s->n_ar)
        return;
    arena_save (s);
    s->mem = s->ar[k].mem;
    s->st = s->ar[k].st;
    s->cur_ar = k;
}

/* The thread whose tcache is loaded becomes t (a new thread starts with no
 * tcache and no arena: its TLS tcache and thread_arena are NULL).  Out of
 * memory: hs_oom. */
void hs_thread_enter(hs_sim *s, uint32_t t)
{
    if (t == s->cur_th)
        return;
    if (t >= s->n_th) {
        hs_thread *n = realloc (s->th, ((size_t)t + 1) * sizeof *n);
        if (!n)
            hs_oom (s);
        s->th = n;
        for (uint32_t i = s->n_th; i <= t; i++) {
            memset (&n[i], 0, sizeof n[i]);
            n[i].arena = HS_NO_ARENA;
        }
        s->n_th = t + 1;
    }
    hs_thread *o = &s->th[s->cur_th];
    o->tcache = s->tcache;
    memcpy (o->tc_counts, s->tc_counts, sizeof o->tc_counts);
    memcpy (o->tc_entries, s->tc_entries, sizeof o->tc_entries);
    const hs_thread *n = &s->th[t];
    s->tcache = n->tcache;
    memcpy (s->tc_counts, n->tc_counts, sizeof s->tc_counts);
    memcpy (s->tc_entries, n->tc_entries, sizeof s->tc_entries);
    s->cur_th = t;
    if (t != 0) {
        s->threaded = true;
        s->plain_measures = false;          /* steps carry arenas (H11) */
    }
}

/* Back to the main arena and the main thread (invariant A1 between ops).
 * Never fails. */
void hs_arena_home(hs_sim *s)
{
    hs_arena_load (s, 0);
    if (s->cur_th != 0)
        hs_thread_enter (s, 0);      /* thread 0 exists: no allocation */
}

/* Sets up ar[0] (main_arena, attached to the main thread) and th[0].
 * Returns -1 when out of memory. */
int hs_arena_setup(hs_sim *s)
{
    s->ar = calloc (4, sizeof *s->ar);
    s->th = calloc (1, sizeof *s->th);
    if (!s->ar || !s->th)
        return -1;
    s->ar_cap = 4;
    s->n_ar = 1;
    s->ar[0].next = 0;                    /* main_arena.next = &main_arena */
    s->ar[0].next_free = HS_NO_ARENA;
    s->ar[0].attached_threads = 1;
    s->n_th = 1;
    s->th[0].arena = 0;                   /* ptmalloc_init: thread_arena = &main_arena */
    s->free_list = HS_NO_ARENA;
    s->next_to_use = HS_NO_ARENA;
    s->ncpus = 2;
    return 0;
}

/* Frees a heap region's arrays and empties it.  Never fails. */
void hs_mem_release(hs_heapmem *m)
{
    uint64_t np = m->cap >> HS_PAGE_SHIFT;
    for (uint64_t i = 0; i < np; i++) {
        if (m->pmem)
            free (m->pmem[i]);
        if (m->pword)
            free (m->pword[i]);
        if (m->ptag)
            free (m->ptag[i]);
    }
    free (m->pmem);
    free (m->pword);
    free (m->ptag);
    free (m->pst);
    free (m->pfill);
    memset (m, 0, sizeof *m);
}

/* Whether spare's page i can give its buffers for m's (hs_mem_dup_reusing):
 * the bytes, the listed words (room enough) and the tags (the same size).
 * Never fails. */
static inline bool spare_bytes(const hs_heapmem *sp, uint64_t np_sp, uint64_t i)
{
    return i < np_sp && sp->pmem[i];
}
static inline bool spare_words(const hs_heapmem *sp, uint64_t np_sp, uint64_t i, const hs_sparse *w)
{
    return i < np_sp && sp->pword[i] && sp->pword[i]->cap >= w->n;
}
static inline bool spare_tags(const hs_heapmem *sp, uint64_t np_sp, uint64_t i, const hs_tagpage *t)
{
    return i < np_sp && sp->ptag[i] && hs_tags_size (sp->ptag[i]) == hs_tags_size (t);
}

/* hs_mem_dup, but a page's buffers come from spare's same page where it has
 * them (a model about to be freed: jumping in the window replaces one), so
 * most of the copy is memcpy without malloc and free.  First everything
 * spare cannot give is allocated; only then are spare's buffers taken, which
 * cannot fail.  Afterwards spare must only be released (hs_mem_release).
 * -1 when out of memory: d is empty and spare untouched. */
int hs_mem_dup_reusing(hs_heapmem *d, const hs_heapmem *m, hs_heapmem *spare)
{
    uint64_t np = m->cap >> HS_PAGE_SHIFT, nsp = spare->cap >> HS_PAGE_SHIFT;
    *d = *m;
    d->pmem = NULL;
    d->pword = NULL;
    d->ptag = NULL;
    d->pst = d->pfill = NULL;
    if (np == 0)
        return 0;
    /* one array at a time: the pages' bytes come out of malloc side by side
     * (fewer instructions in malloc than pages and tags taken in turn) */
    int ok = (d->pmem = calloc (np, sizeof *d->pmem)) != NULL;
    for (uint64_t i = 0; ok && i < np; i++)
        if (m->pmem[i] && !spare_bytes (spare, nsp, i))
            ok = (d->pmem[i] = malloc (HS_PAGE)) != NULL;
    ok = ok && (d->pword = calloc (np, sizeof *d->pword)) != NULL;
    for (uint64_t i = 0; ok && i < np; i++)
        if (m->pword[i] && !spare_words (spare, nsp, i, m->pword[i]))
            d->pword[i] = hs_sparse_dup (m->pword[i], &ok);
    ok = ok && (d->ptag = calloc (np, sizeof *d->ptag)) != NULL;
    for (uint64_t i = 0; ok && i < np; i++)
        if (m->ptag[i] && !spare_tags (spare, nsp, i, m->ptag[i]))
            d->ptag[i] = hs_tags_dup (m->ptag[i], &ok);
    ok = ok && (d->pst = malloc (np)) != NULL && (d->pfill = malloc (np)) != NULL;
    if (!ok) {
        hs_mem_release (d);
        return -1;
    }
    for (uint64_t i = 0; i < np; i++) {     /* from here nothing can fail */
        if (m->pmem[i]) {
            if (!d->pmem[i]) {
                d->pmem[i] = spare->pmem[i];
                spare->pmem[i] = NULL;
            }
            memcpy (d->pmem[i], m->pmem[i], HS_PAGE);
        }
        if (m->pword[i] && !d->pword[i]) {
            d->pword[i] = spare->pword[i];
            spare->pword[i] = NULL;
            hs_sparse_copy (d->pword[i], m->pword[i]);
        }
        if (m->ptag[i] && !d->ptag[i]) {
            d->ptag[i] = spare->ptag[i];
            spare->ptag[i] = NULL;
            hs_tags_copy (d->ptag[i], m->ptag[i]);
        }
    }
    memcpy (d->pst, m->pst, np);
    memcpy (d->pfill, m->pfill, np);
    return 0;
}

/* Makes d a copy of heap region m with its own arrays (n = cap / 4096
 * pages).  -1 when out of memory: d is then empty (what was copied is
 * freed). */
int hs_mem_dup(hs_heapmem *d, const hs_heapmem *m)
{
    hs_heapmem none;
    memset (&none, 0, sizeof none);
    return hs_mem_dup_reusing (d, m, &none);
}

/* Frees the arenas not loaded (their memory) and the arrays.  The loaded
 * region is hs_sim's own (sim.c frees it).  Never fails. */
void hs_arena_free(hs_sim *s)
{
    if (s->ar)
        for (uint32_t k = 0; k < s->n_ar; k++)
            if (k != s->cur_ar)
                hs_mem_release (&s->ar[k].mem);
    for (uint32_t j = 0; s->xh && j < s->n_xh; j++)
        hs_mem_release (&s->xh[j].mem);
    free (s->ar);
    free (s->th);
    free (s->xh);
    s->ar = NULL;
    s->th = NULL;
    s->xh = NULL;
}

/* Deep copies of s's arenas and threads into c (whose other fields are
 * already a copy of s).  Returns -1 when out of memory: c->ar, c->th and
 * c->xh are then NULL and nothing of theirs is left to free (every failure
 * goes through hs_arena_free, over the regions copied so far: c->n_ar and
 * c->n_xh count them, a failed copy is left empty by hs_mem_dup). */
int hs_arena_clone(hs_sim *c, const hs_sim *s)
{
    c->xh = NULL;
    c->n_ar = c->n_xh = c->xh_cap = 0;
    c->ar = malloc ((size_t)s->ar_cap * sizeof *c->ar);
    c->th = malloc ((size_t)(s->n_th ? s->n_th : 1) * sizeof *c->th);
    c->xh = s->n_xh ? calloc (s->n_xh, sizeof *c->xh) : NULL;
    bool ok = c->ar && c->th && (c->xh || !s->n_xh);
    if (ok)
        memcpy (c->th, s->th, (size_t)s->n_th * sizeof *c->th);
    for (uint32_t k = 0; ok && k < s->n_ar; k++, c->n_ar++) {
        c->ar[k] = s->ar[k];
        if (k == s->cur_ar)         /* the loaded region is c->mem, copied by hs_sim_clone */
            memset (&c->ar[k].mem, 0, sizeof c->ar[k].mem);
        else
            ok = hs_mem_dup (&c->ar[k].mem, &s->ar[k].mem) == 0;
    }
    for (uint32_t j = 0; ok && j < s->n_xh; j++, c->n_xh++) {
        c->xh[j] = s->xh[j];
        ok = hs_mem_dup (&c->xh[j].mem, &s->xh[j].mem) == 0;
    }
    c->xh_cap = s->n_xh;
    if (!ok) {
        hs_arena_free (c);
        return -1;
    }
    return 0;
}

/* See sim.h. */
int hs_sim_set_cpus(hs_sim *s, uint32_t online, uint32_t sched)
{
    if (s->steps)
        return -1;
    s->ncpus = s->rules->nprocs_sched ? sched : online;
    return 0;
}

/* See sim.h. */
int hs_sim_set_machine(hs_sim *s, const hs_machine_facts *m, uint32_t n_threads)
{
    if (s->steps)
        return -1;
    if (m) {
        hs_sim_set_commit_limit (s, m->commit_limit);
        hs_sim_set_cpus (s, m->cpus_online, m->cpus_sched);
    }
    return hs_sim_set_threads (s, n_threads);
}

/* See sim.h. */
int hs_sim_set_threads(hs_sim *s, uint32_t n)
{
    if (s->steps)
        return -1;
    s->threaded = n > 0;
    if (n > 0)
        s->plain_measures = false;          /* steps carry arenas (H11) */
    return 0;
}

/* ---- heap regions: memory of arenas that are not loaded ---- */

/* The arena (not the loaded one) whose heap region holds address a, or -1.
 * Never fails. */
int hs_region_other(const hs_sim *s, uint64_t a)
{
    for (uint32_t k = 0; k < s->n_ar; k++)
        if (k != s->cur_ar && a - s->ar[k].mem.heap_base < s->ar[k].mem.brk)
            return (int)k;
    for (uint32_t j = 0; j < s->n_xh; j++)
        if (a - s->xh[j].mem.heap_base < s->xh[j].mem.brk)
            return (int)(s->n_ar + j);
    return -1;
}

/* The memory of region r (hs_region_other's numbering: arenas, then the
 * earlier heaps).  Never fails. */
static hs_heapmem *region_mem(hs_sim *s, uint32_t r)
{
    return r < s->n_ar ? &s->ar[r].mem : &s->xh[r - s->n_ar].mem;
}

/* Arena k's heap region that holds its top (the loaded arena's is hs_sim's
 * mem).  Never fails. */
static const hs_heapmem *arena_mem(const hs_sim *s, uint32_t k)
{
    return k == s->cur_ar ? &s->mem : &s->ar[k].mem;
}

/* The arena that region r belongs to.  Never fails. */
uint32_t hs_region_arena(const hs_sim *s, uint32_t r)
{
    return r < s->n_ar ? r : s->xh[r - s->n_ar].arena;
}

/* The bytes of arena a's earlier heaps (its system_mem beyond the heap
 * that holds top).  Never fails. */
uint64_t hs_arena_old_heaps(const hs_sim *s, uint32_t a)
{
    uint64_t n = 0;
    for (uint32_t j = 0; j < s->n_xh; j++)
        if (s->xh[j].arena == a)
            n += s->xh[j].mem.brk;
    return n;
}

/* Makes arena k's heap region the loaded memory for one access, the loaded
 * one kept in *save (hs_mem_leave undoes it).  Never fails. */
void hs_mem_enter(hs_sim *s, uint32_t k, hs_heapmem *save)
{
    *save = s->mem;
    s->mem = *region_mem (s, k);
}

/* See hs_mem_enter.  Never fails. */
void hs_mem_leave(hs_sim *s, uint32_t k, const hs_heapmem *save)
{
    *region_mem (s, k) = s->mem;
    s->mem = *save;
}

/* set_tag (mem.h) for a chunk outside the loaded heap: in the heap of the
 * arena holding p, or nothing when none does.  Out of memory: hs_oom. */
void hs_set_tag_other(hs_sim *s, uint64_t p, uint32_t tag)
{
    int k = hs_region_other (s, p);
    if (k < 0)
        return;
    hs_heapmem save;
    hs_mem_enter (s, (uint32_t)k, &save);
    if (HOFF (s, p) < s->cap)
        set_tag (s, p, tag);
    hs_mem_leave (s, (uint32_t)k, &save);
}

/* get_tag (mem.h) for a chunk outside the loaded heap; 0 when no arena's
 * heap holds p.  Never fails. */
uint32_t hs_get_tag_other(const hs_sim *s, uint64_t p)
{
    int k = hs_region_other (s, p);
    if (k < 0)
        return 0;
    const hs_heapmem *m = region_mem ((hs_sim *)s, (uint32_t)k);
    uint64_t off = p - m->heap_base;
    const hs_tagpage *t = off < m->cap ? m->ptag[off >> HS_PAGE_SHIFT] : NULL;
    return hs_tags_get (t, (unsigned)(off & (HS_PAGE - 1)) >> 4);
}

/* heap_for_ptr's reverse: the non-main arena whose heap_info heap starts at
 * h (aligned to HEAP_MAX_SIZE), or -1.  Never fails. */
int hs_arena_of_heap(const hs_sim *s, uint64_t h)
{
    for (uint32_t k = 1; k < s->n_ar; k++) {
        if (arena_mem (s, k)->heap_base == h)
            return (int)k;
    }
    for (uint32_t j = 0; j < s->n_xh; j++)
        if (s->xh[j].mem.heap_base == h)
            return (int)s->xh[j].arena;
    return -1;
}

/* Whether [addr, addr + len) meets a non-main arena's 64 MiB reservation;
 * *below is then the lowest such reservation's start among those it meets
 * (for the kernel's top-down search).  Never fails. */
bool hs_arena_reserved(const hs_sim *s, uint64_t addr, uint64_t len, uint64_t *below)
{
    bool hit = false;
    for (uint32_t k = 1; k < s->n_ar; k++) {
        uint64_t b = arena_mem (s, k)->heap_base;
        if (b < addr + len && addr < b + HEAP_MAX_SIZE) {
            if (!hit || b < *below)
                *below = b;
            hit = true;
        }
    }
    for (uint32_t j = 0; j < s->n_xh; j++) {
        uint64_t b = s->xh[j].mem.heap_base;
        if (b < addr + len && addr < b + HEAP_MAX_SIZE) {
            if (!hit || b < *below)
                *below = b;
            hit = true;
        }
    }
    return hit;
}

/* Resident pages of the heaps of the arenas that are not loaded (the
 * loaded one's are s->heap_resident).  Never fails. */
uint64_t hs_arenas_resident(const hs_sim *s)
{
    uint64_t n = 0;
    for (uint32_t k = 0; k < s->n_ar; k++)
        if (k != s->cur_ar)
            n += s->ar[k].mem.heap_resident;
    for (uint32_t j = 0; j < s->n_xh; j++)
        n += s->xh[j].mem.heap_resident;
    return n;
}

/* ---- new_heap, grow_heap, shrink_heap, heap_trim ---- */

/* alloc_new_heap (arena.c:471) with the page size: a HEAP_MAX_SIZE-aligned
 * 64 MiB reservation.  First the aligned_heap_area hint (left by the last
 * reservation that came out aligned), else mmap (0, 2 * HEAP_MAX_SIZE,
 * PROT_NONE) top-down, the part above the aligned middle and below it
 * unmapped.  Then mprotect (h, size, PROT_READ | PROT_WRITE) of size =
 * ALIGN_UP (max (size + top_pad, HEAP_MIN_SIZE) capped at HEAP_MAX_SIZE,
 * 4096).  Returns h, or 0 when size exceeds HEAP_MAX_SIZE or no address is
 * left (hs_oom when the model's own arrays cannot grow). */
static uint64_t new_heap(hs_sim *s, uint64_t size, uint64_t top_pad, uint64_t *hsize)
{
    if (size + top_pad < HEAP_MIN_SIZE)
        size = HEAP_MIN_SIZE;
    else if (size + top_pad <= HEAP_MAX_SIZE)
        size += top_pad;
    else if (size > HEAP_MAX_SIZE)
        return 0;
    else
        size = HEAP_MAX_SIZE;
    size = ALIGN_UP (size, HS_PAGE);
    uint64_t p2 = 0;
    if (s->aligned_heap_area) {
        uint64_t hint = s->aligned_heap_area;
        s->aligned_heap_area = 0;
        if (hs_kfree_range (s, hint, HEAP_MAX_SIZE))
            p2 = hint;             /* the kernel takes a free hint as it is: aligned */
        else {
            uint64_t got = hs_ktopdown (s, HEAP_MAX_SIZE);
            if (!(got & (HEAP_MAX_SIZE - 1)))
                p2 = got;          /* elsewhere but aligned by chance: kept */
        }
    }
    if (p2 == 0) {
        uint64_t p1 = hs_ktopdown (s, HEAP_MAX_SIZE << 1);
        p2 = ALIGN_UP (p1, HEAP_MAX_SIZE);
        if (p2 == p1)
            s->aligned_heap_area = p2 + HEAP_MAX_SIZE;
    }
    *hsize = size;
    hs_emit (s, HS_EV_HEAP_NEW, p2, size, HEAP_MAX_SIZE, 0);
    return p2;
}

/* grow_heap (arena.c:570): the heap's size grows by diff rounded up to a
 * page, mprotect-ing what was never read-write; -1 past HEAP_MAX_SIZE.
 * The loaded arena's heap; out of the model's memory: hs_oom. */
static int grow_heap(hs_sim *s, uint64_t diff)
{
    diff = ALIGN_UP (diff, HS_PAGE);
    uint64_t new_size = s->brk + diff;
    if (new_size > HEAP_MAX_SIZE)
        return -1;
    hs_arena *a = &s->ar[s->cur_ar];
    if (new_size > a->mprotect_size)
        a->mprotect_size = new_size;      /* mprotect (PROT_READ | PROT_WRITE) */
    hs_emit (s, HS_EV_HEAP_GROW, s->brk, new_size, 0, 0);
    hs_heap_grow (s, new_size);
    return 0;
}

/* shrink_heap (arena.c:597): the heap's size drops by diff; the pages go
 * with madvise (MADV_DONTNEED) and stay read-write (check_may_shrink_heap
 * is false unless vm.overcommit_memory is 2, which the model does not
 * follow).  -1 if the size would fall below sizeof (heap_info).  Never
 * fails otherwise. */
static int shrink_heap(hs_sim *s, uint64_t diff)
{
    if (diff > s->brk || s->brk - diff < HS_HEAP_INFO_SZ (s))
        return -1;
    uint64_t new_size = s->brk - diff;
    uint64_t before = s->heap_resident;
    hs_heap_release (s, new_size, diff);
    hs_emit (s, HS_EV_HEAP_SHRINK, s->brk, new_size, before - s->heap_resident, 0);
    hs_set_brk (s, new_size);
    return 0;
}

/* The loop of heap_trim (arena.c:634): while top is the whole of a later
 * heap (it starts right after heap_info), and the previous heap's end (its
 * fencepost, the 16-byte chunk before it and a free chunk before that) plus
 * its unused reservation is at least pad + MINSIZE + a page, that heap is
 * unmapped and top moves back into the previous one (merged with the free
 * chunk before the fencepost).  Never fails. */
static void heap_trim_heaps(hs_sim *s, uint64_t pad)
{
    while (TOP (s) == s->heap_base + HS_HEAP_INFO_SZ (s)) {
        int j = -1;
        for (uint32_t i = 0; i < s->n_xh; i++)
            if (s->xh[i].arena == s->cur_ar)
                j = (int)i;
        if (j < 0)
            return;
        hs_xheap *ph = &s->xh[j];
        uint64_t prev_size = ph->mem.brk - (MINSIZE - 2 * SIZE_SZ);
        uint64_t p = ph->mem.heap_base + prev_size;
        uint64_t misalign = p & MALLOC_ALIGN_MASK;
        p -= misalign;                                   /* the fencepost */
        p -= prev_size (s, p);                           /* prev_chunk: the 16-byte chunk */
        uint64_t new_size = chunksize (s, p) + (MINSIZE - 2 * SIZE_SZ) + misalign;
        bool merge = !prev_inuse (s, p);
        if (merge)
            new_size += prev_size (s, p);
        if (new_size + (HEAP_MAX_SIZE - ph->mem.brk) < pad + MINSIZE + HS_PAGE)
            return;
        s->system_mem -= s->brk;
        if (s->heap_base + HEAP_MAX_SIZE == s->aligned_heap_area)
            s->aligned_heap_area = 0;
        hs_emit (s, HS_EV_HEAP_GONE, s->heap_base, s->brk, new_size, 0);
        hs_mem_release (&s->mem);                        /* munmap (heap, HEAP_MAX_SIZE) */
        s->ar[s->cur_ar].mprotect_size = ph->mprotect_size;
        s->mem = ph->mem;
        memmove (ph, ph + 1, (s->n_xh - (uint32_t)j - 1) * sizeof *ph);
        s->n_xh--;
        if (merge) {                                     /* consolidate backward */
            p -= prev_size (s, p);
            hs_unlink_chunk (s, p);
        }
        TOP (s) = p;
        set_head (s, p, new_size | PREV_INUSE);
    }
}

/* heap_trim (arena.c:624): a later heap that top fills entirely may go
 * (heap_trim_heaps); then, if top >= trim_threshold, the whole pages of top
 * above pad + MINSIZE go back with shrink_heap.  Called by _int_free after
 * a merge of >= 64 KiB in a non-main arena, for any top size.  Never
 * fails. */
void hs_heap_trim(hs_sim *s, uint64_t pad)
{
    heap_trim_heaps (s, pad);
    uint64_t top = TOP (s);
    uint64_t top_size = chunksize (s, top);
    if (top_size < s->trim_threshold) {
        hs_emit (s, HS_EV_NO_TRIM, top_size, s->trim_threshold, 0, 0);
        return;
    }
    int64_t top_area = (int64_t)top_size - (int64_t)MINSIZE - 1;
    if (top_area < 0 || (uint64_t)top_area <= pad)
        return;
    uint64_t extra = ALIGN_DOWN ((uint64_t)top_area - pad, HS_PAGE);
    if (extra == 0 || shrink_heap (s, extra) != 0)
        return;
    s->system_mem -= extra;
    set_head (s, top, (top_size - extra) | PREV_INUSE);
}

/* A new heap for the loaded arena (sysmalloc, malloc.c:2635): the heap
 * that held top joins the earlier heaps (xh), the new one becomes the
 * loaded memory, its heap_info written (the first page faults in), top the
 * whole heap after heap_info.  Out of the model's memory: hs_oom. */
static void chain_heap(hs_sim *s, uint64_t h, uint64_t hsize)
{
    if (s->n_xh == s->xh_cap) {
        uint32_t nc = s->xh_cap ? s->xh_cap * 2 : 4;
        hs_xheap *n = realloc (s->xh, (size_t)nc * sizeof *n);
        if (!n)
            hs_oom (s);
        s->xh = n;
        s->xh_cap = nc;
    }
    hs_arena *a = &s->ar[s->cur_ar];
    uint64_t prev = s->heap_base;
    s->xh[s->n_xh++] = (hs_xheap){ s->mem, s->cur_ar, a->mprotect_size };
    s->mem = (hs_heapmem){ .heap_base = h, .heap_start = HS_HEAP_INFO_SZ (s) };
    hs_heap_grow (s, hsize);
    a->mprotect_size = hsize;
    W (s, h, 1, prev);                  /* heap->prev (ar_ptr lives in the arena's first heap) */
    W (s, h, 2, hsize);
    W (s, h, 3, hsize);
    TOP (s) = h + HS_HEAP_INFO_SZ (s);
    set_head (s, TOP (s), (hsize - HS_HEAP_INFO_SZ (s)) | PREV_INUSE);
}

/* sysmalloc (malloc.c:2616) for a non-main arena: grow the heap by MINSIZE
 * + nb - top size (no top_pad) with grow_heap and widen top; if the heap
 * would pass HEAP_MAX_SIZE, a new heap (new_heap of nb + MINSIZE +
 * sizeof (heap_info), plus top_pad) becomes top, and the old top, cut down
 * to leave a fencepost (a 16-byte chunk and a 0 | PREV_INUSE header), is
 * freed with _int_free (whose heap_trim may unmap the new heap again when
 * that old top was 64 KiB or more: then top is too small and the caller
 * fails).  Returns 1 if top grew, 0 if no heap could be made (the caller
 * then tries mmap).  Out of the model's memory: hs_oom. */
uint64_t hs_heap_sysmalloc(hs_sim *s, uint64_t nb)
{
    uint64_t old_top = TOP (s);
    uint64_t old_size = chunksize (s, old_top);
    uint64_t old_heap_size = s->brk, hsize;
    if ((int64_t)(MINSIZE + nb - old_size) > 0 && grow_heap (s, MINSIZE + nb - old_size) == 0) {
        s->system_mem += s->brk - old_heap_size;
        set_head (s, old_top, (s->heap_base + s->brk - old_top) | PREV_INUSE);
    } else {
        uint64_t h = new_heap (s, nb + MINSIZE + HS_HEAP_INFO_SZ (s), s->top_pad, &hsize);
        if (!h) {
            hs_emit (s, HS_EV_HEAP_FULL, nb, old_heap_size, HEAP_MAX_SIZE, 0);
            return 0;
        }
        chain_heap (s, h, hsize);
        s->system_mem += hsize;
        old_size = (old_size - MINSIZE) & ~MALLOC_ALIGN_MASK;
        set_head (s, old_top + old_size + CHUNK_HDR_SZ, 0 | PREV_INUSE);
        if (old_size >= MINSIZE) {
            set_head (s, old_top + old_size, CHUNK_HDR_SZ | PREV_INUSE);
            set_foot (s, old_top + old_size, CHUNK_HDR_SZ);
            set_head (s, old_top, old_size | PREV_INUSE | NON_MAIN_ARENA);
            hs_int_free_carved (s, old_top);
        } else {
            set_head (s, old_top, (old_size + CHUNK_HDR_SZ) | PREV_INUSE);
            set_foot (s, old_top, old_size + CHUNK_HDR_SZ);
        }
    }
    if (s->system_mem > s->max_system_mem)
        s->max_system_mem = s->system_mem;
    return 1;
}

/* ---- arena_get2 and its helpers ---- */

/* Appends a fresh arena record; returns its index.  Out of memory: hs_oom. */
static uint32_t arena_alloc(hs_sim *s)
{
    if (s->n_ar == s->ar_cap) {
        uint32_t nc = s->ar_cap * 2;
        hs_arena *n = realloc (s->ar, (size_t)nc * sizeof *n);
        if (!n)
            hs_oom (s);
        s->ar = n;
        s->ar_cap = nc;
    }
    uint32_t k = s->n_ar;
    memset (&s->ar[k], 0, sizeof s->ar[k]);
    return k;
}

/* _int_new_arena (arena.c:737): a heap of size + sizeof (heap_info) +
 * sizeof (malloc_state) + MALLOC_ALIGNMENT (+ top_pad) whose start holds
 * heap_info and the arena's malloc_state; top starts after them, aligned
 * so that chunk2mem (top) is.  The arena joins the list after main
 * (main_arena.next) and is attached to the calling thread.  Returns its
 * index, or HS_NO_ARENA when no heap can be made.  Out of memory: hs_oom. */
static uint32_t int_new_arena(hs_sim *s, uint64_t size)
{
    uint64_t hdr = HS_HEAP_INFO_SZ (s) + HS_MSTATE_SZ + MALLOC_ALIGNMENT, hsize;
    uint64_t h = new_heap (s, size + hdr, s->top_pad, &hsize);
    if (!h)
        h = new_heap (s, hdr, s->top_pad, &hsize);
    if (!h)
        return HS_NO_ARENA;
    uint32_t k = arena_alloc (s);
    /* make it the loaded arena: an empty malloc_state (malloc_init_state:
     * every bin circular; non-contiguous; max_fast is global) */
    arena_save (s);
    s->n_ar++;
    s->plain_measures = false;              /* its pages count in rss (H11) */
    hs_arena *a = &s->ar[k];
    s->cur_ar = k;
    s->mem = (hs_heapmem){ .heap_base = h };
    memset (&s->st, 0, sizeof s->st);
    for (int i = 1; i < NBINS; i++)
        BIN_FD (s, i) = BIN_BK (s, i) = bin_at (i);
    hs_heap_grow (s, hsize);
    a->mprotect_size = hsize;
    s->system_mem = s->max_system_mem = hsize;
    /* heap_info's words (ar_ptr, prev, size, mprotect_size): the first write
     * of the new heap faults its first page in */
    W (s, h, 0, h + HS_HEAP_INFO_SZ (s));
    W (s, h, 2, hsize);
    W (s, h, 3, hsize);
    uint64_t ptr = h + HS_HEAP_INFO_SZ (s) + HS_MSTATE_SZ;
    uint64_t misalign = chunk2mem (ptr) & MALLOC_ALIGN_MASK;
    if (misalign > 0)
        ptr += MALLOC_ALIGNMENT - misalign;
    s->heap_start = ptr - h;
    TOP (s) = ptr;
    set_head (s, ptr, (h + hsize - ptr) | PREV_INUSE);
    a->attached_threads = 1;
    a->next = s->ar[0].next;            /* a->next = main_arena.next; main_arena.next = a */
    a->next_free = HS_NO_ARENA;
    s->ar[0].next = k;
    return k;
}

/* get_free_list (arena.c:782): the head of the free list, attached to the
 * thread; HS_NO_ARENA if the list is empty.  Never fails. */
static uint32_t get_free_list(hs_sim *s)
{
    uint32_t k = s->free_list;
    if (k == HS_NO_ARENA)
        return k;
    s->free_list = s->ar[k].next_free;
    s->ar[k].next_free = HS_NO_ARENA;
    s->ar[k].attached_threads = 1;
    return k;
}

/* reused_arena (arena.c:846) without contention (the replayer runs one
 * thread at a time, so the first trylock succeeds): next_to_use (the main
 * arena at first) is taken, and next_to_use moves to its ->next.  Never
 * fails. */
static uint32_t reused_arena(hs_sim *s)
{
    if (s->next_to_use == HS_NO_ARENA)
        s->next_to_use = 0;
    uint32_t k = s->next_to_use;
    /* remove_from_free_list: the caller found the list empty */
    s->ar[k].attached_threads++;
    s->next_to_use = s->ar[k].next;
    return k;
}

/* arena_get2 (arena.c:921) for the loaded thread, which has no arena yet:
 * the free list first; else a new arena while narenas <= narenas_limit - 1
 * (narenas_limit is set once: M_ARENA_MAX if given, else 8 x CPUs once
 * narenas > M_ARENA_TEST, else it stays 0 and (size_t) 0 - 1 lets every
 * arena through); else reused_arena.  Out of memory: hs_oom. */
static uint32_t arena_get2(hs_sim *s, uint64_t size)
{
    uint32_t k = get_free_list (s);
    if (k != HS_NO_ARENA) {
        hs_emit (s, HS_EV_ARENA_FREE_LIST, k, s->cur_th, 0, 0);
        return k;
    }
    if (s->narenas_limit == 0) {
        if (s->arena_max != 0)
            s->narenas_limit = s->arena_max;
        else if (s->n_ar > s->arena_test)
            s->narenas_limit = 8 * (uint64_t)(s->ncpus >= 1 ? s->ncpus : 2);   /* NARENAS_FROM_NCORES */
    }
    uint64_t n = s->n_ar;
    if (n <= s->narenas_limit - 1) {
        k = int_new_arena (s, size);
        if (k != HS_NO_ARENA) {
            hs_emit (s, HS_EV_ARENA_NEW, k, s->cur_th, s->narenas_limit, s->ncpus);
            return k;
        }
        return HS_NO_ARENA;
    }
    k = reused_arena (s);
    hs_emit (s, HS_EV_ARENA_REUSE, k, s->cur_th, s->narenas_limit, s->ncpus);
    return k;
}

/* arena_get (arena.c:95) for the loaded thread: its thread_arena, made by
 * arena_get2 (size: the request that asks) on its first call; the arena is
 * loaded (the textbook profile has the main arena only).  If no arena can be made the main arena is loaded (glibc would
 * return NULL there and fail the call: out of the model's scope).  Out of
 * memory: hs_oom. */
void hs_arena_get(hs_sim *s, uint64_t size)
{
    if (s->textbook)               /* the articles' allocator: one arena for all */
        return;
    hs_thread *t = &s->th[s->cur_th];
    if (t->arena == HS_NO_ARENA) {
        uint32_t k = arena_get2 (s, size);
        t = &s->th[s->cur_th];
        t->arena = k == HS_NO_ARENA ? 0 : k;
    }
    hs_arena_load (s, t->arena);
}

/* arena_get_retry (arena.c:1012) after _int_malloc failed in the loaded
 * arena, in a process with threads (__libc_malloc, __libc_calloc and
 * _mid_memalign call it then): a non-main arena gives way to the main
 * arena for this call; the main arena to arena_get2, whose arena becomes
 * the thread's (the main arena loses it: detach_arena).  Out of memory:
 * hs_oom. */
void hs_arena_get_retry(hs_sim *s, uint64_t bytes)
{
    if (s->textbook)
        return;
    hs_emit (s, HS_EV_ARENA_RETRY, s->cur_ar, bytes, 0, 0);
    if (s->cur_ar != 0) {
        hs_arena_load (s, 0);
        return;
    }
    hs_thread *t = &s->th[s->cur_th];
    uint32_t old = t->arena;
    uint32_t k = arena_get2 (s, bytes);
    if (k == HS_NO_ARENA)
        return;
    t = &s->th[s->cur_th];
    if (old != HS_NO_ARENA && s->ar[old].attached_threads > 0)
        s->ar[old].attached_threads--;            /* detach_arena (replaced_arena) */
    t->arena = k;
    hs_arena_load (s, k);
}

/* ---- thread exit ---- */

/* __malloc_arena_thread_freeres (arena.c:966): tcache_thread_shutdown
 * (malloc.c:3197) frees every tcache entry, bin by bin from the head, and
 * then the tcache_perthread_struct itself, with __libc_free while the
 * thread's tcache is NULL (so each goes to its own arena's fastbins, bins or
 * top); then the thread's arena loses an attached thread, and goes on the
 * free list when that was the last.  glibc's checks abort (hs_printerr). */
void hs_thread_exit(hs_sim *s)
{
    hs_thread *t = &s->th[s->cur_th];
    t->shutting_down = true;
    uint64_t tc = s->tcache, flushed = 0;
    uint64_t entries[TCACHE_MAX_BINS];
    memcpy (entries, s->tc_entries, sizeof entries);
    s->tcache = 0;
    memset (s->tc_counts, 0, sizeof s->tc_counts);
    memset (s->tc_entries, 0, sizeof s->tc_entries);
    if (tc) {
        for (int i = 0; i < TCACHE_MAX_BINS; i++)
            while (entries[i]) {
                uint64_t e = entries[i];
                if (!aligned_OK (e))
                    hs_printerr (s, "tcache_thread_shutdown(): unaligned tcache chunk detected");
                entries[i] = PROTECT_PTR (e, F (s, e, 0));
                hs_libc_free (s, e);
                flushed++;
            }
        hs_libc_free (s, tc);
    }
    t = &s->th[s->cur_th];
    uint32_t a = t->arena;
    t->arena = HS_NO_ARENA;
    hs_emit (s, HS_EV_THREAD_EXIT, s->cur_th, flushed, tc != 0, a == HS_NO_ARENA ? UINT64_MAX : a);
    if (a != HS_NO_ARENA && s->ar[a].attached_threads > 0 && --s->ar[a].attached_threads == 0) {
        s->ar[a].next_free = s->free_list;
        s->free_list = a;
        hs_emit (s, HS_EV_ARENA_FREED, a, 0, 0, 0);
    }
}

/* ---- measures ---- */

/* int_mallinfo (malloc.c:5149) of the loaded arena: system_mem and what is
 * in use (system_mem minus top, fastbins and bins).  Never fails. */
static void loaded_figures(hs_sim *s, hs_mallinfo *mi)
{
    if (!hs_step_mallinfo (s, mi))
        hs_fill_mallinfo (s, mi);
}

/* The step's per-arena figures (arenas) and mallinfo summed over every
 * arena as __libc_mallinfo2 (malloc.c:5211) does: hblks, hblkhd and keepcost
 * are the main arena's alone.  Loads each arena in turn and ends with the
 * main one loaded.  Sets HS_HAS_ARENAS when the trace has threads or an
 * arena beyond main exists.  Never fails. */
void hs_arena_measures(hs_sim *s, hs_step *out)
{
    out->n_arenas = s->n_ar;
    if (s->n_ar == 1 && !s->threaded)
        return;
    out->has |= HS_HAS_ARENAS;
    hs_mallinfo sum = out->mi;        /* the main arena's, filled by the caller */
    for (uint32_t k = 0; k < s->n_ar; k++) {
        hs_mallinfo mi;
        if (k == 0)
            mi = out->mi;
        else {
            hs_arena_load (s, k);
            loaded_figures (s, &mi);
            sum.arena += mi.arena;
            sum.ordblks += mi.ordblks;
            sum.smblks += mi.smblks;
            sum.uordblks += mi.uordblks;
            sum.fordblks += mi.fordblks;
            sum.fsmblks += mi.fsmblks;
        }
        if (k < HS_STEP_ARENAS_MAX) {
            out->arenas[k].system = mi.arena;
            out->arenas[k].in_use = mi.uordblks;
        }
    }
    hs_arena_load (s, 0);
    out->mi = sum;
}

/* ---- invariants A1-A3 (heap.h) ---- */

/* Checks A2 and A3 and, through hs_sim_check's callers, nothing of the
 * heaps themselves (check.c walks each heap).  Returns NULL or the first
 * broken invariant. */
const char *hs_arena_check(const hs_sim *s)
{
    if (s->cur_ar != 0 || s->cur_th != 0)
        return "A1: between ops the main arena and the main thread are not loaded";
    uint32_t k = 0, n = 0;
    do {
        if (k >= s->n_ar || ++n > s->n_ar)
            return "A2: the arena list does not visit every arena once";
        k = s->ar[k].next;
    } while (k != 0);
    if (n != s->n_ar)
        return "A2: the arena list misses an arena";
    n = 0;
    for (uint32_t f = s->free_list; f != HS_NO_ARENA; f = s->ar[f].next_free) {
        if (f >= s->n_ar || ++n > s->n_ar)
            return "A2: the free list has a cycle or a bad entry";
        if (s->ar[f].attached_threads != 0)
            return "A2: an arena on the free list has attached threads";
    }
    for (uint32_t a = 0; a < s->n_ar; a++) {
        uint32_t att = 0;
        for (uint32_t t = 0; t < s->n_th; t++)
            att += s->th[t].arena == a;
        if (att != s->ar[a].attached_threads)
            return "A2: attached_threads differs from the threads using the arena";
        if (a > 0) {
            const hs_heapmem *m = &s->ar[a].mem;
            if (m->heap_base & (HEAP_MAX_SIZE - 1))
                return "A1: a heap is not aligned to HEAP_MAX_SIZE";
            if (m->brk + hs_arena_old_heaps (s, a) != s->ar[a].st.system_mem || m->brk > s->ar[a].mprotect_size
                || s->ar[a].mprotect_size > HEAP_MAX_SIZE)
                return "A1: a heap's size, system_mem and mprotect_size disagree";
        }
    }
    for (uint32_t t = 0; t < s->n_th; t++) {
        const uint64_t *ent = t == s->cur_th ? s->tc_entries : s->th[t].tc_entries;
        for (int i = 0; i < TCACHE_MAX_BINS; i++)
            for (uint64_t e = ent[i], c = 0; e && c <= s->tcache_count; c++) {
                uint64_t p = mem2chunk (e);
                if (p - s->heap_base >= s->brk && hs_region_other (s, p) < 0)
                    return "A3: a tcache entry is not a chunk of any arena's heap";
                e = PROTECT_PTR (e, hs_peek (s, e, 0));
            }
    }
    return NULL;
}

/* ---- reading arenas and threads (sim.h) ---- */

/* See sim.h.  Never fails. */
uint32_t hs_sim_arena_count(const hs_sim *s) { return s->n_ar; }

/* See sim.h.  Never fails. */
uint32_t hs_sim_thread_count(const hs_sim *s) { return s->n_th; }

/* See sim.h. */
bool hs_sim_arena_info(const hs_sim *s, uint32_t k, hs_arena_view *out)
{
    if (k >= s->n_ar)
        return false;
    memset (out, 0, sizeof *out);
    out->heaps = 1;
    for (uint32_t j = 0; j < s->n_xh; j++)
        out->heaps += s->xh[j].arena == k;
    out->system_mem = k == s->cur_ar ? s->system_mem : s->ar[k].st.system_mem;
    out->attached_threads = s->ar[k].attached_threads;
    for (uint32_t f = s->free_list, n = 0; f != HS_NO_ARENA && f < s->n_ar && n++ <= s->n_ar;
         f = s->ar[f].next_free)
        if (f == k)
            out->on_free_list = true;
    out->free_list_head = s->free_list == k;
    return true;
}

/* See sim.h: arena k's earlier heaps (xh, oldest first), then the one
 * holding top. */
bool hs_sim_arena_heap(const hs_sim *s, uint32_t k, uint32_t j, hs_heap_view *out)
{
    if (k >= s->n_ar)
        return false;
    for (uint32_t x = 0; x < s->n_xh; x++) {
        if (s->xh[x].arena != k)
            continue;
        if (j-- == 0) {
            out->base = s->xh[x].mem.heap_base;
            out->brk = s->xh[x].mem.brk;
            out->mprotect_size = s->xh[x].mprotect_size;
            out->reserved = HEAP_MAX_SIZE;
            return true;
        }
    }
    if (j != 0)
        return false;
    out->base = arena_mem (s, k)->heap_base;
    out->brk = arena_mem (s, k)->brk;
    out->mprotect_size = k == 0 ? out->brk : s->ar[k].mprotect_size;
    out->reserved = k == 0 ? out->brk : HEAP_MAX_SIZE;
    return true;
}

/* See sim.h. */
uint32_t hs_sim_thread_arena(const hs_sim *s, uint32_t t)
{
    if (t >= s->n_th || s->th[t].arena == HS_NO_ARENA)
        return UINT32_MAX;
    return s->th[t].arena;
}

/* See sim.h: hs_arena_load and hs_thread_enter, which allocate nothing for
 * a known thread. */
int hs_sim_focus(hs_sim *s, uint32_t k, uint32_t t)
{
    if (k >= s->n_ar || t >= s->n_th)
        return -1;
    bool threaded = s->threaded;     /* reading makes no thread run */
    hs_arena_load (s, k);
    hs_thread_enter (s, t);
    s->threaded = threaded;
    return 0;
}
