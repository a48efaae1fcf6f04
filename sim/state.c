/* sim/state.c — reading the heap without changing it: the chunk walk, bin lists, mmapped chunks, status, mallinfo.
 * Owns: hs_sim_heap_next, hs_sim_mmap_next, hs_sim_bin, hs_sim_status, hs_sim_events, mallinfo by walking the lists (hs_walk_mallinfo); measure.h the step's measures. */
#include <string.h>

#include "measure.h"

/* See fill_mallinfo (measure.h).  Never fails. */
void hs_fill_mallinfo(const hs_sim *s, hs_mallinfo *mi)
{
    fill_mallinfo (s, mi);
}

/* Whether glibc's int_mallinfo can read the 32 bytes of a chunk at p: a bin
 * head (main_arena), the heap below the break or a live mapping.  Anything
 * else faults (the model knows no other mapping of the process). */
static bool readable(const hs_sim *s, uint64_t p)
{
    if (IS_BIN_ADDR (p))
        return true;
    uint64_t off = p - s->heap_base;
    if (off < s->brk && s->brk - off >= 32)
        return true;
    const hs_map *m = hs_map_find (s, p);
    return m && p + 32 <= m->base + m->len && p + 32 > p;
}

/* Brent's cycle check for a list walk: call with each new entry; true once
 * the entry repeats one already seen (the walk would never end). */
typedef struct { uint64_t saved, power, lam; } brent_t;
static bool brent_seen(brent_t *b, uint64_t p)
{
    if (p == b->saved)
        return true;
    if (++b->lam == b->power) {
        b->saved = p;
        b->power *= 2;
        b->lam = 0;
    }
    return false;
}

/* int_mallinfo (malloc.c:5149) by walking the lists as memory holds them,
 * the way glibc does (fastbins through REVEAL_PTR (fd), the bins backwards
 * through bk), for a heap whose lists may be corrupted.  Returns false when
 * glibc's call would not return: a cycle (it loops forever), an entry that
 * nothing maps (SIGSEGV) or a misaligned fastbin entry (malloc_printerr
 * "int_mallinfo(): unaligned fastbin chunk detected").  Never fails. */
bool hs_walk_mallinfo(const hs_sim *s, hs_mallinfo *mi)
{
    hs_fill_mallinfo (s, mi);            /* arena, hblks, hblkhd, keepcost */
    uint64_t topsize = mi->keepcost, nfast = 0, fastavail = 0, nblocks = 1, avail = topsize;
    for (unsigned i = 0; i < NFASTBINS; i++) {
        brent_t b = { UINT64_MAX, 1, 0 };
        for (uint64_t p = s->fastbinsY[i]; p; p = PROTECT_PTR (p + 16, hs_peek_word (s, p, 2))) {
            if (SL_MISALIGNED (s, p) || !readable (s, p) || brent_seen (&b, p))
                return false;
            nfast++;
            fastavail += hs_peek_word (s, p, 1) & ~SIZE_BITS;
        }
    }
    for (int i = 1; i < NBINS; i++) {
        brent_t b = { UINT64_MAX, 1, 0 };
        uint64_t head = bin_at (i);
        for (uint64_t p = hs_peek_word (s, head, 3); p != head; p = hs_peek_word (s, p, 3)) {
            if (!readable (s, p) || brent_seen (&b, p))
                return false;
            nblocks++;
            avail += hs_peek_word (s, p, 1) & ~SIZE_BITS;
        }
    }
    avail += fastavail;
    mi->ordblks = nblocks;
    mi->smblks = nfast;
    mi->uordblks = s->system_mem - avail;
    mi->fordblks = avail;
    mi->fsmblks = fastavail;
    return true;
}

/* See step_mallinfo (measure.h).  Never fails. */
bool hs_step_mallinfo(const hs_sim *s, hs_mallinfo *mi)
{
    return step_mallinfo (s, mi);
}

/* See program_maps (measure.h).  Never fails. */
void hs_program_maps(const hs_sim *s, uint64_t *n, uint64_t *bytes, uint64_t *pages)
{
    program_maps (s, n, bytes, pages);
}

/* See resident_bytes (measure.h).  Never fails. */
uint64_t hs_resident_bytes(const hs_sim *s, uint64_t map_pages)
{
    return resident_bytes (s, map_pages);
}

/* See step_measures (measure.h).  Never fails. */
void hs_step_measures(hs_sim *s, hs_step *out)
{
    step_measures (s, out);
}

/* A model address as the API shows it: heap offset, bin head, or as is. */
static uint64_t api_addr(const hs_sim *s, uint64_t a)
{
    if (IS_BIN_ADDR (a))
        return a;
    return a - s->heap_base;
}

/* The next pointer of a singly linked list (tcache e->next at word 0 of e,
 * fastbin fd at word 2 of the chunk), demangled; 0 is NULL. */
static uint64_t reveal(const hs_sim *s, uint64_t field_addr)
{
    return PROTECT_PTR (field_addr, hs_peek_word (s, field_addr, 0));
}

/* See sim.h.  The cursor is the next chunk's heap offset (UINT64_MAX after
 * top; 0 reads as the loaded heap's first chunk, heap_start).  A chunk is in use when the next one's PREV_INUSE says so; its tag
 * tells tcache and fastbin chunks from the program's and unsorted chunks
 * from sorted ones.  A broken heap (only after misuse glibc did not catch)
 * is shown up to top as one in-use piece.  Never fails, never faults a page. */
bool hs_sim_heap_next(const hs_sim *s, uint64_t *cursor, hs_chunk_info *out)
{
    if (s->brk == 0 || *cursor == UINT64_MAX)
        return false;
    if (*cursor < s->heap_start)
        *cursor = s->heap_start;   /* a non-main arena's heap (hs_sim_focus): after heap_info */
    uint64_t off = *cursor;
    uint64_t p = s->heap_base + off;
    uint64_t top = TOP (s);
    memset (out, 0, sizeof *out);
    out->addr = off;
    out->abs = p;
    uint64_t w[4];                 /* prev_size, size, and where fd and bk would be */
    hs_peek_words (s, p, 4, w);
    out->prev_size = w[0];
    out->bin = -1;
    out->id = HS_NO_ID;
    uint64_t sf = w[1];
    out->flags = (uint32_t)(sf & SIZE_BITS);
    out->size = sf & ~SIZE_BITS;
    if (p == top || off >= s->brk) {
        out->state = HS_CH_TOP;
        out->size = s->brk - HS_TB_HDR (s) > off ? s->brk - HS_TB_HDR (s) - off : 0;
        *cursor = UINT64_MAX;
        return true;
    }
    uint64_t next = p + out->size;
    if (out->size < 16 || next > top) {
        /* a broken heap: show the rest up to top as one in-use piece */
        out->size = top - p;
        *cursor = top - s->heap_base;
        out->state = HS_CH_INUSE;
        return true;
    }
    *cursor = off + out->size;
    bool in_use = (hs_peek_word (s, next, 1) & PREV_INUSE) != 0;
    if (out->size >= 32) {
        /* the words a free chunk's list fields would occupy (shown only for free chunks) */
        out->fd_word = w[2];
        out->bk_word = w[3];
    }
    uint32_t tag = get_tag (s, off);
    if (in_use) {
        switch (TAG_STATE (tag)) {
        case HS_CH_TCACHE:
            out->state = HS_CH_TCACHE;
            out->bin = (int32_t)csize2tidx (out->size);
            {
                uint64_t nx = reveal (s, chunk2mem (p));
                out->fd = nx ? api_addr (s, mem2chunk (nx)) : HS_NULL_PTR;
            }
            break;
        case HS_CH_FASTBIN:
            out->state = HS_CH_FASTBIN;
            out->bin = (int32_t)fastbin_index (out->size);
            {
                uint64_t nx = reveal (s, p + 16);
                out->fd = nx ? api_addr (s, nx) : HS_NULL_PTR;
            }
            break;
        default:
            out->state = HS_CH_INUSE;
            out->id = TAG_SLOT (tag);
            if (out->id != HS_NO_ID && out->id < s->nslots)
                out->req = s->slot_req[out->id];
            break;
        }
    } else {
        if (TAG_STATE (tag) == HS_CH_UNSORTED) {
            out->state = HS_CH_UNSORTED;
            out->bin = 1;
        } else {
            out->state = in_smallbin_range (out->size) ? HS_CH_SMALL : HS_CH_LARGE;
            out->bin = bin_index (out->size);
            if (out->state == HS_CH_LARGE) {
                /* malloc.c (_int_malloc, large bins): the size-sorted skip list */
                out->fd_nextsize = hs_peek_word (s, p, 4);
                out->bk_nextsize = hs_peek_word (s, p, 5);
            }
        }
        out->fd = api_addr (s, hs_peek_word (s, p, 2));
        out->bk = api_addr (s, hs_peek_word (s, p, 3));
    }
    return true;
}

/* See sim.h: the cursor indexes the live list (oldest first).  Never fails. */
bool hs_sim_mmap_next(const hs_sim *s, uint64_t *cursor, hs_chunk_info *out)
{
    while (*cursor < s->n_live && s->maps[s->live[*cursor]].orphan)
        ++*cursor;                                       /* no longer glibc's */
    if (*cursor >= s->n_live)
        return false;
    const hs_map *m = &s->maps[s->live[*cursor]];
    ++*cursor;
    memset (out, 0, sizeof *out);
    out->addr = m->chunk;
    out->size = m->size_field & ~SIZE_BITS;
    out->prev_size = m->prev_size;
    out->flags = (uint32_t)(m->size_field & SIZE_BITS);
    out->state = HS_CH_MMAPPED;
    out->bin = -1;
    out->id = m->slot;
    out->req = m->req;
    out->resident = m->resident;
    return true;
}

/* See sim.h.  An index outside the family gives 0; a list that loops
 * (misuse) is cut after brk / 16 + 16 entries.  Never fails. */
size_t hs_sim_bin(const hs_sim *s, hs_bin_family fam, int idx, uint64_t *out, size_t max)
{
    size_t n = 0;
    /* a bound against cycles (only a misused heap has them) */
    uint64_t limit = s->brk / 16 + 16;
    switch (fam) {
    case HS_BINS_TCACHE:
        if (idx < 0 || idx >= TCACHE_MAX_BINS || !s->tcache)
            return 0;
        for (uint64_t e = s->tc_entries[idx]; e && n < limit; e = reveal (s, e)) {
            if (n < max)
                out[n] = api_addr (s, mem2chunk (e));
            n++;
        }
        return n;
    case HS_BINS_FAST:
        if (idx < 0 || idx >= NFASTBINS)
            return 0;
        for (uint64_t p = s->fastbinsY[idx]; p && n < limit; p = reveal (s, p + 16)) {
            if (n < max)
                out[n] = api_addr (s, p);
            n++;
        }
        return n;
    case HS_BINS_UNSORTED:
        idx = 1;
        break;
    case HS_BINS_SMALL:
        if (idx < 2 || idx >= NSMALLBINS)
            return 0;
        break;
    case HS_BINS_LARGE:
        if (idx < NSMALLBINS || idx >= NBINS)
            return 0;
        break;
    default:
        return 0;
    }
    uint64_t bin = bin_at (idx);
    for (uint64_t p = BIN_FD (s, idx); p != bin && p && n < limit; p = hs_peek_word (s, p, 2)) {
        if (n < max)
            out[n] = api_addr (s, p);
        n++;
    }
    return n;
}

/* See sim.h; never fails. */
void hs_sim_status(const hs_sim *s, hs_status *out)
{
    memset (out, 0, sizeof *out);
    out->steps = s->steps;
    out->brk = s->brk - HS_TB_HDR (s);
    out->heap_start = 0;
    out->top = s->brk ? TOP (s) - s->heap_base : 0;
    out->top_size = hs_peek_word (s, TOP (s), 1) & ~SIZE_BITS;
    out->mmap_threshold = (int64_t)s->mmap_threshold;
    out->trim_threshold = (int64_t)s->trim_threshold;
    out->top_pad = (int64_t)s->top_pad;
    out->n_mmaps_max = s->n_mmaps_max;
    out->max_fast = (int64_t)s->global_max_fast;
    out->perturb = s->perturb_byte;
    out->dyn_threshold = !s->no_dyn_threshold;
    uint64_t pages;
    hs_program_maps (s, &out->mmaps, &out->mmapped_bytes, &pages);
    out->rss = hs_resident_bytes (s, pages);
    out->minflt = s->minflt;
    out->mi_hangs = !hs_step_mallinfo (s, &out->mi);
    if (out->mi_hangs)
        hs_fill_mallinfo (s, &out->mi);     /* the counters, for want of anything better */
    out->dead = s->dead;
}

/* See sim.h: the last op's events; *n is 0 when explanations are off. */
const hs_event *hs_sim_events(const hs_sim *s, size_t *n)
{
    *n = s->explain ? (size_t)(s->ev_at - s->ev) : 0;
    return s->ev;
}
