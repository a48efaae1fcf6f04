/* sim/mem.h — memory as glibc sees it: chunk fields read and written at model addresses.
 * Owns: the inline fast paths and malloc.c's chunk macros (chunksize, set_head, ...) over them. */
#ifndef HS_MEM_H
#define HS_MEM_H

#include <string.h>

#include "heap.h"

/* The model's bytes of heap page pg when it is PG_DATA, else NULL. */
#define HPAGE(s, pg) ((s)->pmem[(pg)])

/* The word index of heap offset off when off is 8-aligned, else a number
 * past every break (the low 3 bits rotated to the top): with brk_w, one
 * compare says "an aligned word below the break". */
#define HS_WORD_AT(off) (((off) >> 3) | ((off) << 61))

/* Where the aligned word k of the chunk at model address p lives in the
 * model's bytes when it is below the break on a written (PG_DATA) page of
 * the loaded heap: the fast path of F, W and RMW.  NULL for everything else
 * (bin heads, fresh or zero pages, mmapped regions, wild addresses).  Never
 * fails. */
static inline uint8_t *hs_word_ptr(const hs_sim *s, uint64_t p, int k)
{
    uint64_t off = p - s->heap_base + 8u * (uint64_t)k;
    uint64_t w = HS_WORD_AT (off);
    if (w < s->brk_w) {
        uint8_t *pg = HPAGE (s, w >> (HS_PAGE_SHIFT - 3));
        if (pg)
            return pg + (off & (HS_PAGE - 1));
    }
    return NULL;
}

/* Field k (8-byte word k) of the chunk at model address p.  The fast path is
 * an aligned word on a written heap page; everything else (bin heads, fresh
 * or zero pages, mmapped regions, addresses nothing maps: SIGSEGV) goes
 * through pages.c.  Never returns on a wild address (hs_segv). */
static inline uint64_t F(hs_sim *s, uint64_t p, int k)
{
    const uint8_t *a = hs_word_ptr (s, p, k);
    if (a) {
        uint64_t v;
        memcpy (&v, a, 8);
        return v;
    }
    return hs_rd_slow (s, p, k);
}

/* Writes field k of the chunk at p; a write to a page that is not yet
 * private faults it in.  Never returns on a wild address (hs_segv). */
static inline void W(hs_sim *s, uint64_t p, int k, uint64_t v)
{
    uint8_t *a = hs_word_ptr (s, p, k);
    if (a) {
        memcpy (a, &v, 8);
        return;
    }
    hs_wr_slow (s, p, k, v);
}

/* Where the aligned words k .. k + n - 1 of the chunk at p live when all n
 * are below the break on one written page of the loaded heap (F and W's
 * fast path for fields glibc touches together), NULL otherwise.  Never
 * fails. */
static inline uint8_t *hs_words_ptr(const hs_sim *s, uint64_t p, int k, int n)
{
    uint64_t off = p - s->heap_base + 8u * (uint64_t)k;
    /* the last word below the break and aligned, the first on its page (so
     * the offsets did not wrap round): all n are */
    if (HS_WORD_AT (off + 8u * (uint64_t)(n - 1)) < s->brk_w
        && (off & (HS_PAGE - 1)) <= HS_PAGE - 8u * (uint64_t)n) {
        uint8_t *pg = HPAGE (s, off >> HS_PAGE_SHIFT);
        if (pg)
            return pg + (off & (HS_PAGE - 1));
    }
    return NULL;
}

/* F (s, p, k) where the caller may have looked the word up already: word
 * j of w, a run of words hs_words_ptr found on one written page, when w is
 * not NULL.  Never returns on a wild address (hs_segv). */
static inline uint64_t F_in(hs_sim *s, const uint8_t *w, int j, uint64_t p, int k)
{
    if (w) {
        uint64_t v;
        memcpy (&v, w + 8 * j, 8);
        return v;
    }
    return F (s, p, k);
}

/* W (s, p, k1, v1), then W (s, p, k2, v2) of the next or previous word (|k1 -
 * k2| == 1), where a, when not NULL, is hs_words_ptr (s, p, min (k1, k2), 2)
 * as the caller looked it up; else one lookup here finds out whether both
 * lie on one written page.  Never returns on a wild address (hs_segv). */
static inline void W2_at(hs_sim *s, uint8_t *a, uint64_t p, int k1, uint64_t v1, int k2, uint64_t v2)
{
    int lo = k1 < k2 ? k1 : k2;
    if (!a)
        a = hs_words_ptr (s, p, lo, 2);
    if (a) {
        memcpy (a + 8 * (k1 - lo), &v1, 8);
        memcpy (a + 8 * (k2 - lo), &v2, 8);
        return;
    }
    W (s, p, k1, v1);
    W (s, p, k2, v2);
}

/* W2_at with nothing looked up: both words with one lookup when they lie on
 * one written page.  Never returns on a wild address (hs_segv). */
static inline void W2(hs_sim *s, uint64_t p, int k1, uint64_t v1, int k2, uint64_t v2)
{
    W2_at (s, NULL, p, k1, v1, k2, v2);
}

/* F (s, p, k), then W (s, p, k + 1, v1), with one page lookup when both words
 * lie on one written page (tcache_get: e->next, then e->key = 0).  Returns
 * what F read.  Never returns on a wild address (hs_segv). */
static inline uint64_t F_W_next(hs_sim *s, uint64_t p, int k, uint64_t v1)
{
    uint8_t *a = hs_words_ptr (s, p, k, 2);
    uint64_t v;
    if (a) {
        memcpy (&v, a, 8);
        memcpy (a + 8, &v1, 8);
        return v;
    }
    v = F (s, p, k);
    W (s, p, k + 1, v1);
    return v;
}

/* Read-modify-write of a header word, as one x86 instruction does it (orq /
 * andq on memory): a fresh page takes one write fault, not a read fault
 * too, and keeps what it held (zeros, or the bytes of a memset).  A word on
 * a written page is changed in place (one lookup, not F's and W's). */
static inline void RMW(hs_sim *s, uint64_t p, int k, uint64_t or_mask, uint64_t and_mask)
{
    uint8_t *a = hs_word_ptr (s, p, k);
    if (a) {
        uint64_t v;
        memcpy (&v, a, 8);
        v = (v | or_mask) & and_mask;
        memcpy (a, &v, 8);
        return;
    }
    uint64_t off = p - s->heap_base + 8u * (uint64_t)k;
    if (HS_WORD_AT (off) < s->brk_w)        /* below the break, not yet written */
        hs_heap_private (s, off);
    W (s, p, k, (F (s, p, k) | or_mask) & and_mask);
}

/* memset (addr, byte, len) by the program or by glibc (touch, perturb,
 * calloc's clearing, the tcache struct): every page written faults once.
 * Heap bytes are kept (stale headers must read what real memory holds);
 * mmapped bytes are not.  The fast path is a fill inside one written heap
 * page (most touches); the rest is pages.c's.  Past the mapped memory:
 * SIGSEGV (hs_segv, no return). */
static inline void hs_mem_fill(hs_sim *s, uint64_t addr, uint64_t len, int byte)
{
    uint64_t off = addr - s->heap_base;
    if (off < s->brk && len <= s->brk - off && len <= HS_PAGE - (off & (HS_PAGE - 1))) {
        uint8_t *pg = HPAGE (s, off >> HS_PAGE_SHIFT);
        if (pg) {
            memset (pg + (off & (HS_PAGE - 1)), byte, len);
            return;
        }
    }
    hs_mem_fill_pages (s, addr, len, byte);
}

/* The fill pattern of PG_FILL page pg as a word.  Never fails. */
static inline uint64_t fill_word(const hs_sim *s, uint64_t pg)
{
    return s->pfill[pg] * UINT64_C(0x0101010101010101);
}

/* The aligned word at heap offset off (< brk) as memory holds it, no page
 * effect.  Never fails. */
static inline HS_ALWAYS_INLINE uint64_t hs_heap_word(const hs_sim *s, uint64_t off)
{
    uint64_t pg = off >> HS_PAGE_SHIFT, v;
    switch (s->pst[pg]) {
    case PG_DATA:
        memcpy (&v, s->pmem[pg] + (off & (HS_PAGE - 1)), 8);
        return v;
    case PG_FILL:
        return hs_sparse_get (s->pword[pg], (unsigned)(off & (HS_PAGE - 1)) >> 3, fill_word (s, pg));
    default:
        return 0;
    }
}

/* hs_peek (pages.c) with its common case inline: an aligned word of the
 * loaded heap (the window's walk reads five of them per chunk).  No page
 * effect; never fails. */
static inline HS_ALWAYS_INLINE uint64_t hs_peek_word(const hs_sim *s, uint64_t p, int k)
{
    uint64_t off = p - s->heap_base + 8u * (uint64_t)k;
    if (!IS_BIN_ADDR (p) && HS_WORD_AT (off) < s->brk_w)   /* F's test */
        return hs_heap_word (s, off);
    return hs_peek (s, p, k);
}

/* Words 0 .. n - 1 (n <= 8) of the chunk at p into out, as hs_peek_word
 * reads them one by one; when all n lie on one page of the loaded heap,
 * that page is looked at once (a page of listed words: one rank, then its
 * bits in turn).  No page effect; never fails. */
static inline void hs_peek_words(const hs_sim *s, uint64_t p, int n, uint64_t *out)
{
    uint64_t off = p - s->heap_base, wi = HS_WORD_AT (off);
    if (!IS_BIN_ADDR (p) && wi < s->brk_w && s->brk_w - wi >= (uint64_t)n   /* F's test, n words */
        && (off >> HS_PAGE_SHIFT) == ((off + 8u * (uint64_t)(n - 1)) >> HS_PAGE_SHIFT)) {
        uint64_t pg = off >> HS_PAGE_SHIFT;
        unsigned i = (unsigned)(off & (HS_PAGE - 1)) >> 3;
        const hs_sparse *w;
        switch (s->pst[pg]) {
        case PG_DATA:
            memcpy (out, s->pmem[pg] + (off & (HS_PAGE - 1)), 8u * (size_t)n);
            return;
        case PG_FILL:
            if (!(w = s->pword[pg])) {
                for (int k = 0; k < n; k++)
                    out[k] = fill_word (s, pg);
                return;
            }
            for (unsigned k = 0, r = hs_sparse_rank (w, i); k < (unsigned)n; k++, i++)
                out[k] = (w->bits[i >> 6] >> (i & 63) & 1) ? w->v[r++] : fill_word (s, pg);
            return;
        default:
            memset (out, 0, 8u * (size_t)n);
            return;
        }
    }
    for (int k = 0; k < n; k++)
        out[k] = hs_peek_word (s, p, k);
}

/* fd / bk with the bin heads on a fast path (they live in the arena); a
 * wild p faults like F / W (hs_segv, no return). */
static inline uint64_t fd(hs_sim *s, uint64_t p)
{
    return IS_BIN_ADDR (p) ? s->aw[2 * BIN_OF (p)] : F (s, p, 2);
}
/* (see fd) */
static inline uint64_t bk(hs_sim *s, uint64_t p)
{
    return IS_BIN_ADDR (p) ? s->aw[2 * BIN_OF (p) + 1] : F (s, p, 3);
}
/* (see fd) */
static inline void set_fd(hs_sim *s, uint64_t p, uint64_t v)
{
    if (IS_BIN_ADDR (p))
        s->aw[2 * BIN_OF (p)] = v;
    else
        W (s, p, 2, v);
}
/* (see fd) */
static inline void set_bk(hs_sim *s, uint64_t p, uint64_t v)
{
    if (IS_BIN_ADDR (p))
        s->aw[2 * BIN_OF (p) + 1] = v;
    else
        W (s, p, 3, v);
}

/* Safe-linking (malloc.c:345): the single-linked next pointers of tcache
 * and fastbins are stored as (field address >> 12) ^ pointer. */
/* Safe-linking (2.32+, rules->safe_linking); before, pointers are stored raw.
 * Needs the hs_sim `s` in scope. */
#define PROTECT_PTR(pos, ptr) (s->rules->safe_linking ? (((uint64_t)(pos)) >> 12) ^ (uint64_t)(ptr) \
                                                      : (uint64_t)(ptr))
/* An alignment check of a list entry that exists only with safe-linking. */
#define SL_MISALIGNED(s, p)   ((s)->rules->safe_linking && misaligned_chunk (p))
/* What tcache_put writes as e->key: random since 2.34, the tcache before. */
#define TCACHE_KEY(s)         ((s)->rules->tcache_key_random ? HS_TCACHE_KEY : (s)->tcache)

#define prev_size(s, p)           F (s, p, 0)
#define chunksize_nomask(s, p)    F (s, p, 1)
#define chunksize(s, p)           (F (s, p, 1) & ~SIZE_BITS)
#define fd_nextsize(s, p)         F (s, p, 4)
#define bk_nextsize(s, p)         F (s, p, 5)
#define set_prev_size(s, p, v)    W (s, p, 0, v)
#define set_fd_nextsize(s, p, v)  W (s, p, 4, v)
#define set_bk_nextsize(s, p, v)  W (s, p, 5, v)
#define set_head(s, p, v)         W (s, p, 1, v)
#define set_head_size(s, p, sz)   W (s, p, 1, (F (s, p, 1) & SIZE_BITS) | (sz))
#define set_foot(s, p, sz)        W (s, (p) + (sz), 0, sz)
#define prev_inuse(s, p)          (F (s, p, 1) & PREV_INUSE)
#define chunk_is_mmapped(s, p)    (F (s, p, 1) & IS_MMAPPED)
#define inuse_bit_at_offset(s, p, o)       (F (s, (p) + (o), 1) & PREV_INUSE)
#define set_inuse_bit_at_offset(s, p, o)   RMW (s, (p) + (o), 1, PREV_INUSE, ~UINT64_C(0))
#define clear_inuse_bit_at_offset(s, p, o) RMW (s, (p) + (o), 1, 0, ~PREV_INUSE)
#define inuse(s, p)               inuse_bit_at_offset (s, p, chunksize (s, p))
#define chunk2mem(p)              ((p) + CHUNK_HDR_SZ)
#define mem2chunk(m)              ((m) - CHUNK_HDR_SZ)
#define aligned_OK(m)             (((m) & MALLOC_ALIGN_MASK) == 0)
#define misaligned_chunk(p)       ((p) & MALLOC_ALIGN_MASK)

#define TOP(s)             ((s)->aw[0])
#define LAST_REMAINDER(s)  ((s)->aw[1])
/* fd / bk of bin i, straight from the arena */
#define BIN_FD(s, i)       ((s)->aw[2 * (i)])
#define BIN_BK(s, i)       ((s)->aw[2 * (i) + 1])
#define mark_bin(s, i)     ((s)->binmap[(i) >> 5] |= (1u << ((i) & 31)))
#define unmark_bin(s, i)   ((s)->binmap[(i) >> 5] &= ~(1u << ((i) & 31)))
#define get_binmap(s, i)   ((s)->binmap[(i) >> 5] & (1u << ((i) & 31)))

/* Heap offset of a heap model address. */
#define HOFF(s, p) ((p) - (s)->heap_base)

/* A chunk address as events and step lines speak of it: the main heap's
 * offset from the break at start, a non-main arena's chunk its offset in
 * its 64 MiB heap (p & (HEAP_MAX_SIZE - 1)), whichever arena is loaded.
 * Never fails. */
static inline uint64_t EVOFF(const hs_sim *s, uint64_t p)
{
    if (p - s->heap_base < s->cap)
        return s->cur_ar ? p & (HEAP_MAX_SIZE - 1) : p - s->heap_base;
    int k = hs_region_other (s, p);
    if (k > 0 && hs_region_arena (s, (uint32_t)k) != 0)
        return p & (HEAP_MAX_SIZE - 1);
    return p - (k == 0 ? s->ar[0].mem.heap_base : s->heap_base);
}

/* The chunk tag (see heap.h) at heap address p; only called for heap
 * chunks.  Out of memory: hs_oom, no return. */
static inline void set_tag(hs_sim *s, uint64_t p, uint32_t tag)
{
    uint64_t off = HOFF (s, p);
    if (off < s->cap) {
        hs_tagpage *t = s->ptag[off >> HS_PAGE_SHIFT];
        unsigned i = (unsigned)(off & (HS_PAGE - 1)) >> 4;
        uint32_t k;
        if (t && t->n == HS_TAGS_DENSE)     /* a page of small chunks: in place */
            t->tag[i] = tag;
        else if (t && tag && (k = hs_tags_find (t, i)) < t->n)
            t->tag[k] = tag;                /* listed already: in place */
        else
            hs_tag_set (s, off, tag);
    } else
        hs_set_tag_other (s, p, tag);
}

/* The chunk tag at heap offset off (0 where none was set); an offset past
 * the loaded heap reads another arena's heap.  Never fails. */
static inline uint32_t get_tag(const hs_sim *s, uint64_t off)
{
    if (off >= s->cap)
        return hs_get_tag_other (s, s->heap_base + off);
    return hs_tags_get (s->ptag[off >> HS_PAGE_SHIFT], (unsigned)(off & (HS_PAGE - 1)) >> 4);
}

/* max_fast as get_max_fast () returns it. */
#define get_max_fast(s) ((s)->global_max_fast)

/* SINGLE_THREAD_P: no thread but main has run an op (the textbook profile
 * has no threads).  When it is false, malloc, calloc, memalign and realloc
 * try a second arena after the first fails. */
#define SINGLE_THREAD_P(s) (!(s)->threaded || (s)->textbook)

#endif
