/* sim/pages.c — the simulated memory behind the heap and the mmapped chunks, page by page.
 * Owns: word reads/writes off the fast path, residency (PG_NONE/PG_ZERO/PG_DATA/PG_FILL, MADV_DONTNEED), minor-fault counting, and what the pages cost (compaction, footprint). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* A read of a page that was never written maps the zero page: one minor
 * fault, and mincore reports it resident. */
static inline void heap_read_page(hs_sim *s, uint64_t pg)
{
    if (s->pst[pg] == PG_NONE) {
        s->pst[pg] = PG_ZERO;
        s->heap_resident++;
        s->minflt++;
    }
}

/* A first write to a page that is not private: one minor fault, and the
 * kernel hands out a zeroed page, which the model keeps as PG_FILL of 0
 * (no bytes).  Private pages are left as they are.  Never fails. */
static inline void heap_private(hs_sim *s, uint64_t pg)
{
    uint8_t st = s->pst[pg];
    if (st != PG_NONE && st != PG_ZERO)
        return;
    if (st == PG_NONE)
        s->heap_resident++;
    s->minflt++;
    s->pst[pg] = PG_FILL;
    s->pfill[pg] = 0;
}

/* A write to page pg that needs all its bytes (a part of the page set or
 * copied, an unaligned word): faults as heap_private, then the model keeps
 * the page's 4096 bytes (PG_DATA; a PG_FILL page's pattern and listed words
 * spelt out).  zero_fill false: the caller overwrites all of it.  Returns
 * the page's bytes; out of memory: hs_oom, no return, nothing changed. */
static inline uint8_t *heap_write_page(hs_sim *s, uint64_t pg, bool zero_fill)
{
    if (s->pst[pg] == PG_DATA)
        return s->pmem[pg];
    uint8_t *b = malloc (HS_PAGE);
    if (!b)
        hs_oom (s);
    heap_private (s, pg);
    if (zero_fill || s->pword[pg]) {
        memset (b, s->pfill[pg], HS_PAGE);
        const hs_sparse *w = s->pword[pg];
        if (w)      /* the listed words in slot order, set bits only (hs_sparse_from's walk) */
            for (unsigned k = 0, r = 0; k < HS_SPARSE_SLOTS / 64; k++)
                for (uint64_t m = w->bits[k]; m; m &= m - 1)
                    memcpy (b + 8 * (64 * k + (unsigned)__builtin_ctzll (m)), &w->v[r++], 8);
        free (s->pword[pg]);
        s->pword[pg] = NULL;
    }
    s->pmem[pg] = b;
    s->pst[pg] = PG_DATA;
    return b;
}

/* Writes the aligned word at heap offset off (within one page): a page
 * that is not PG_DATA lists it (PG_FILL), until it lists more than
 * HS_WORDS_MAX and keeps its bytes instead.  Faults as a write.  Out of
 * memory: hs_oom, no return. */
static void heap_write_word(hs_sim *s, uint64_t off, uint64_t v)
{
    uint64_t pg = off >> HS_PAGE_SHIFT;
    heap_private (s, pg);
    if (s->pst[pg] == PG_FILL) {
        unsigned i = (unsigned)(off & (HS_PAGE - 1)) >> 3;
        if (v == fill_word (s, pg)) {
            hs_sparse_del (&s->pword[pg], i);
            return;
        }
        const hs_sparse *w = s->pword[pg];
        if (!w || w->n < HS_WORDS_MAX || (w->bits[i >> 6] >> (i & 63) & 1)) {
            if (hs_sparse_set (&s->pword[pg], i, v))
                hs_oom (s);
            return;
        }
    }
    memcpy (heap_write_page (s, pg, true) + (off & (HS_PAGE - 1)), &v, 8);
}

/* A whole-page memset of heap page pg to byte b (touch, perturb, calloc, a
 * copy of uniform bytes): the page becomes PG_FILL and the model drops its
 * bytes.  Never fails. */
static void heap_fill_page(hs_sim *s, uint64_t pg, uint8_t b)
{
    uint8_t st = s->pst[pg];
    if (st == PG_NONE)
        s->heap_resident++;
    if (st == PG_NONE || st == PG_ZERO)
        s->minflt++;
    if (st == PG_DATA) {
        free (s->pmem[pg]);
        s->pmem[pg] = NULL;
    }
    free (s->pword[pg]);
    s->pword[pg] = NULL;
    s->pst[pg] = PG_FILL;
    s->pfill[pg] = b;
}

/* Makes the heap page holding offset off private as a write would (one
 * fault if it was not), keeping its bytes; for RMW.  Never fails. */
void hs_heap_private(hs_sim *s, uint64_t off)
{
    heap_private (s, off >> HS_PAGE_SHIFT);
}

/* Sets the chunk tag at heap offset off (< cap); 0 clears it.  Out of
 * memory: hs_oom, no return. */
void hs_tag_set(hs_sim *s, uint64_t off, uint32_t tag)
{
    if (hs_tags_set (&s->ptag[off >> HS_PAGE_SHIFT], (unsigned)(off & (HS_PAGE - 1)) >> 4, tag))
        hs_oom (s);
}

/* The same read and write transitions for page pg of a mapping (whose bytes
 * the model does not keep).  Never fail. */
static inline void map_read_page(hs_sim *s, hs_map *m, uint64_t pg)
{
    if (hs_pv_get (&m->pv, pg) == PG_NONE) {
        hs_pv_set (s, &m->pv, pg, PG_ZERO);
        m->resident++;
        s->map_resident++;
        s->minflt++;
    }
}

/* (see map_read_page) */
static inline void map_write_page(hs_sim *s, hs_map *m, uint64_t pg)
{
    uint8_t st = hs_pv_get (&m->pv, pg);
    if (st == PG_DATA)
        return;
    hs_pv_set (s, &m->pv, pg, PG_DATA);
    if (st == PG_NONE) {
        m->resident++;
        s->map_resident++;
    }
    s->minflt++;
}

/* The mapping containing addr, by binary search over the live mappings
 * sorted by address; NULL when no mapping holds addr.  Never fails. */
hs_map *hs_map_find(const hs_sim *s, uint64_t addr)
{
    uint32_t lo = 0, hi = s->n_live;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        hs_map *m = &s->maps[s->by_addr[mid]];
        if (addr < m->base)
            hi = mid;
        else if (addr >= m->base + m->len)
            lo = mid + 1;
        else
            return m;
    }
    return NULL;
}

/* Byte off of the heap as memory holds it, no page effect. */
static inline uint8_t byte_at(const hs_sim *s, uint64_t off)
{
    uint64_t pg = off >> HS_PAGE_SHIFT;
    switch (s->pst[pg]) {
    case PG_DATA: return s->pmem[pg][off & (HS_PAGE - 1)];
    case PG_FILL: return (uint8_t)(hs_heap_word (s, off & ~UINT64_C(7)) >> (8 * (off & 7)));
    default:      return 0;
    }
}

/* What an arena word reads as: field k of bin head i is aw[2i - 2 + k],
 * then binmap (malloc_state's layout); anything past that reads 0. */
static uint64_t arena_word(const hs_sim *s, uint64_t p, int k)
{
    long idx = 2L * BIN_OF (p) - 2 + k;
    if (idx >= 0 && idx < (long)(sizeof s->aw / sizeof s->aw[0]))
        return s->aw[idx];
    if (idx == 256)
        return s->binmap[0] | (uint64_t)s->binmap[1] << 32;
    if (idx == 257)
        return s->binmap[2] | (uint64_t)s->binmap[3] << 32;
    return 0;
}

/* Word k of the chunk at p as memory holds it, with no page effect: for
 * the walk, the checks and the step's bookkeeping, which must not fault
 * pages the program did not.  Unmapped memory reads 0.  Never fails. */
uint64_t hs_peek(const hs_sim *s, uint64_t p, int k)
{
    if (IS_BIN_ADDR (p))
        return arena_word (s, p, k);
    uint64_t a = p + 8u * (uint64_t)k, off = a - s->heap_base;
    if (off < s->brk && s->brk - off >= 8) {
        uint64_t v = 0;
        if (!(off & 7))
            v = hs_heap_word (s, off);
        else
            for (int i = 7; i >= 0; i--)
                v = (v << 8) | byte_at (s, off + (uint64_t)i);
        return v;
    }
    int r = hs_region_other (s, a);
    if (r >= 0) {                  /* another arena's heap: its memory, for one word */
        hs_sim *w = (hs_sim *)s;   /* moved in and back: nothing changes */
        hs_heapmem save;
        hs_mem_enter (w, (uint32_t)r, &save);
        uint64_t v = hs_peek (w, a, 0);
        hs_mem_leave (w, (uint32_t)r, &save);
        return v;
    }
    hs_map *m = hs_map_find (s, a);
    if (m && a == m->chunk)
        return m->prev_size;
    if (m && a == m->chunk + 8)
        return m->size_field;
    return 0;
}

/* Reads one byte of the heap at offset off (< brk), faulting as a read. */
static uint8_t heap_byte(hs_sim *s, uint64_t off)
{
    heap_read_page (s, off >> HS_PAGE_SHIFT);
    return byte_at (s, off);
}

/* The slow path of F (): bin heads, fresh or zero pages, unaligned words,
 * mmapped regions.  A read of memory nothing maps is SIGSEGV: hs_segv,
 * which does not return. */
uint64_t hs_rd_slow(hs_sim *s, uint64_t p, int k)
{
    if (IS_BIN_ADDR (p))
        return arena_word (s, p, k);
    uint64_t a = p + 8u * (uint64_t)k;
    uint64_t off = a - s->heap_base;
    if (off < s->brk && s->brk - off >= 8) {
        if (!(off & 7)) {
            heap_read_page (s, off >> HS_PAGE_SHIFT);
            return hs_heap_word (s, off);
        }
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
            v = (v << 8) | heap_byte (s, off + (uint64_t)i);
        return v;
    }
    int r = hs_region_other (s, a);
    if (r >= 0) {                  /* another arena's heap (sim/arena.c) */
        hs_heapmem save;
        hs_mem_enter (s, (uint32_t)r, &save);
        uint64_t v = hs_rd_slow (s, a, 0);
        hs_mem_leave (s, (uint32_t)r, &save);
        return v;
    }
    hs_map *m = hs_map_find (s, a);
    if (m && a + 8 <= m->base + m->len) {
        map_read_page (s, m, (a - m->base) >> HS_PAGE_SHIFT);
        if (a == m->chunk)
            return m->prev_size;
        if (a == m->chunk + 8)
            return m->size_field;
        /* Not a header glibc wrote: the program's bytes (touches are 0x01)
         * on a written page past the header, zeros elsewhere.  An
         * approximation: the model keeps no bytes of mmapped memory. */
        if (hs_pv_get (&m->pv, (a - m->base) >> HS_PAGE_SHIFT) == PG_DATA && a >= m->chunk + 16)
            return UINT64_C(0x0101010101010101);
        return 0;
    }
    hs_segv (s);
}

/* Updates the header words a mapping records, keeping map_bytes (the sum of
 * the live mapped chunks' sizes) in step.  Never fails. */
static void map_set_word(hs_sim *s, hs_map *m, uint64_t a, uint64_t v)
{
    if (a == m->chunk)
        m->prev_size = v;
    else if (a == m->chunk + 8) {
        if (m->live)
            s->map_bytes -= m->size_field & ~SIZE_BITS;
        m->size_field = v;
        if (m->live)
            s->map_bytes += v & ~SIZE_BITS;
    }
}

/* The slow path of W ().  A write nothing maps is SIGSEGV (hs_segv, no
 * return); a write to a bin head's words changes the arena. */
void hs_wr_slow(hs_sim *s, uint64_t p, int k, uint64_t v)
{
    if (IS_BIN_ADDR (p)) {
        long idx = 2L * BIN_OF (p) - 2 + k;
        if (idx >= 0 && idx < (long)(sizeof s->aw / sizeof s->aw[0]))
            s->aw[idx] = v;
        return;
    }
    uint64_t a = p + 8u * (uint64_t)k;
    uint64_t off = a - s->heap_base;
    if (off < s->brk && s->brk - off >= 8) {
        if (!(off & 7)) {
            heap_write_word (s, off, v);
            return;
        }
        uint64_t pg0 = off >> HS_PAGE_SHIFT, pg1 = (off + 7) >> HS_PAGE_SHIFT;
        uint8_t *b0 = heap_write_page (s, pg0, true);
        if (pg1 == pg0) {
            memcpy (b0 + (off & (HS_PAGE - 1)), &v, 8);
            return;
        }
        uint8_t *b1 = heap_write_page (s, pg1, true), bytes[8];
        memcpy (bytes, &v, 8);
        for (uint64_t i = 0; i < 8; i++) {
            uint64_t o = off + i;
            ((o >> HS_PAGE_SHIFT) == pg0 ? b0 : b1)[o & (HS_PAGE - 1)] = bytes[i];
        }
        return;
    }
    int r = hs_region_other (s, a);
    if (r >= 0) {                  /* another arena's heap (sim/arena.c) */
        hs_heapmem save;
        hs_mem_enter (s, (uint32_t)r, &save);
        hs_wr_slow (s, a, 0, v);
        hs_mem_leave (s, (uint32_t)r, &save);
        return;
    }
    hs_map *m = hs_map_find (s, a);
    if (m && a + 8 <= m->base + m->len) {
        map_write_page (s, m, (a - m->base) >> HS_PAGE_SHIFT);
        map_set_word (s, m, a, v);
        return;
    }
    hs_segv (s);
}

/* Where [addr, addr + len) lies: in the heap (*m NULL; heap offsets [*lo,
 * *hi)) or in mapping *m (addresses [*lo, *hi)), clipped to what is mapped.
 * Returns whether the range runs past it: the caller does the part inside,
 * then faults.  addr itself unmapped: SIGSEGV (hs_segv, no return). */
static bool clip_range(hs_sim *s, uint64_t addr, uint64_t len, hs_map **m,
                       uint64_t *lo, uint64_t *hi)
{
    uint64_t off = addr - s->heap_base, limit;
    if (off < s->brk) {
        *m = NULL;
        *lo = off;
        limit = s->brk;
    } else {
        if (!(*m = hs_map_find (s, addr)))
            hs_segv (s);
        *lo = addr;
        limit = (*m)->base + (*m)->len;
    }
    *hi = *lo + len;
    bool past = *hi > limit || *hi < *lo;
    if (past)
        *hi = limit;
    return past;
}

/* See hs_mem_fill (mem.h): every case but a fill inside one written heap
 * page.  Past the mapped memory: SIGSEGV (hs_segv). */
void hs_mem_fill_pages(hs_sim *s, uint64_t addr, uint64_t len, int byte)
{
    if (len == 0)
        return;
    uint64_t off = addr - s->heap_base;
    int r = off < s->brk ? -1 : hs_region_other (s, addr);
    if (r >= 0) {                  /* another arena's heap (sim/arena.c) */
        hs_heapmem save;
        hs_mem_enter (s, (uint32_t)r, &save);
        hs_mem_fill_pages (s, addr, len, byte);
        hs_mem_leave (s, (uint32_t)r, &save);
        return;
    }
    hs_map *m;
    uint64_t lo, hi;
    bool past = clip_range (s, addr, len, &m, &lo, &hi);
    if (m) {
        for (uint64_t pg = (lo - m->base) >> HS_PAGE_SHIFT; m->base + (pg << HS_PAGE_SHIFT) < hi; pg++)
            map_write_page (s, m, pg);
    } else {
        uint8_t b = (uint8_t)byte;
        for (uint64_t pg = lo >> HS_PAGE_SHIFT; (pg << HS_PAGE_SHIFT) < hi; pg++) {
            uint64_t ps = pg << HS_PAGE_SHIFT, pe = ps + HS_PAGE;
            if (lo <= ps && hi >= pe) {
                heap_fill_page (s, pg, b);   /* the whole page: one byte, nothing to keep */
                continue;
            }
            if (s->pst[pg] == PG_FILL && s->pfill[pg] == b && !s->pword[pg])
                continue;
            uint8_t *bytes = heap_write_page (s, pg, true);
            uint64_t a0 = lo > ps ? lo : ps, a1 = hi < pe ? hi : pe;
            memset (bytes + (a0 - ps), byte, a1 - a0);
        }
    }
    if (past)
        hs_segv (s);
}

/* A read of [addr, addr + len) (memcpy's source): never-written pages map
 * the zero page.  Past the mapped memory: SIGSEGV (hs_segv). */
void hs_mem_read(hs_sim *s, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return;
    int r = addr - s->heap_base < s->brk ? -1 : hs_region_other (s, addr);
    if (r >= 0) {                  /* another arena's heap (sim/arena.c) */
        hs_heapmem save;
        hs_mem_enter (s, (uint32_t)r, &save);
        hs_mem_read (s, addr, len);
        hs_mem_leave (s, (uint32_t)r, &save);
        return;
    }
    hs_map *m;
    uint64_t lo, hi;
    bool past = clip_range (s, addr, len, &m, &lo, &hi);
    if (m) {
        for (uint64_t pg = (lo - m->base) >> HS_PAGE_SHIFT; m->base + (pg << HS_PAGE_SHIFT) < hi; pg++)
            map_read_page (s, m, pg);
    } else {
        for (uint64_t pg = lo >> HS_PAGE_SHIFT; (pg << HS_PAGE_SHIFT) < hi; pg++)
            heap_read_page (s, pg);
    }
    if (past)
        hs_segv (s);
}

/* memcpy (dst, src, len) of two chunks that do not overlap: the source is
 * read, the destination written.  Heap-to-heap copies carry the bytes (zero
 * from never-written pages); other bytes are not kept.  SIGSEGV past the
 * mapped memory (hs_segv). */
void hs_mem_copy(hs_sim *s, uint64_t dst, uint64_t src, uint64_t len)
{
    if (len == 0)
        return;
    hs_mem_read (s, src, len);
    uint64_t so = src - s->heap_base, d0 = dst - s->heap_base;
    bool src_heap = so < s->brk, dst_heap = d0 < s->brk;
    int r = hs_region_other (s, src);
    if (!src_heap && r >= 0 && hs_region_other (s, dst) == r) {
        hs_heapmem save;           /* both in another arena's heap: copy there */
        hs_mem_enter (s, (uint32_t)r, &save);
        hs_mem_copy (s, dst, src, len);
        hs_mem_leave (s, (uint32_t)r, &save);
        return;
    }
    if (!dst_heap) {
        hs_mem_fill (s, dst, len, 1);
        return;
    }
    if (!src_heap) {
        hs_mem_fill (s, dst, len, 1);
        return;
    }
    uint64_t end = d0 + len;
    if (end > s->brk || end < d0)
        hs_segv (s);
    for (uint64_t pg = d0 >> HS_PAGE_SHIFT; (pg << HS_PAGE_SHIFT) < end; pg++) {
        uint64_t ps = pg << HS_PAGE_SHIFT, pe = ps + HS_PAGE;
        uint64_t a0 = d0 > ps ? d0 : ps, a1 = end < pe ? end : pe;
        uint64_t s0 = so + (a0 - d0), s1 = s0 + (a1 - a0);
        /* a whole destination page copied from uniform source bytes stays uniform */
        if (a0 == ps && a1 == pe) {
            int b = -1;
            for (uint64_t sp = s0 >> HS_PAGE_SHIFT; (sp << HS_PAGE_SHIFT) < s1; sp++) {
                int pb = s->pst[sp] == PG_FILL ? (s->pword[sp] ? -2 : s->pfill[sp])
                       : s->pst[sp] == PG_DATA ? -2 : 0;
                if (pb == -2 || (b >= 0 && pb != b)) {
                    b = -2;
                    break;
                }
                b = pb;
            }
            if (b >= 0) {
                heap_fill_page (s, pg, (uint8_t)b);
                continue;
            }
        }
        uint8_t *dbytes = heap_write_page (s, pg, !(a0 == ps && a1 == pe));
        /* copy piece by piece, one source page at a time */
        uint64_t done = 0, n = a1 - a0;
        while (done < n) {
            uint64_t sp = s0 + done;
            uint64_t k = HS_PAGE - (sp & (HS_PAGE - 1));
            if (k > n - done)
                k = n - done;
            uint64_t spg = sp >> HS_PAGE_SHIFT;
            uint8_t *d = dbytes + (a0 - ps) + done;
            if (s->pst[spg] == PG_DATA)
                memmove (d, s->pmem[spg] + (sp & (HS_PAGE - 1)), k);
            else if (s->pst[spg] == PG_FILL && s->pword[spg])
                for (uint64_t j = 0; j < k; j++)
                    d[j] = byte_at (s, sp + j);
            else
                memset (d, s->pst[spg] == PG_FILL ? s->pfill[spg] : 0, k);
            done += k;
        }
    }
}

/* The kernel drops the heap pages in [off, off + len) (page-aligned): by a
 * shrinking brk or MADV_DONTNEED.  They read as zero again, and the model
 * lets go of their bytes and tags (no chunk starts on such a page: it lies
 * above the break or inside one free chunk, past its header).  Never fails. */
void hs_heap_release(hs_sim *s, uint64_t off, uint64_t len)
{
    uint64_t first = off >> HS_PAGE_SHIFT, last = (off + len) >> HS_PAGE_SHIFT;
    if (last > s->cap >> HS_PAGE_SHIFT)
        last = s->cap >> HS_PAGE_SHIFT;
    for (uint64_t pg = first; pg < last; pg++) {
        if (s->pst[pg] != PG_NONE) {
            s->pst[pg] = PG_NONE;
            s->heap_resident--;
            free (s->pmem[pg]);
            s->pmem[pg] = NULL;
            free (s->pword[pg]);
            s->pword[pg] = NULL;
        }
        free (s->ptag[pg]);
        s->ptag[pg] = NULL;
    }
}

/* MADV_DONTNEED of the whole pages [addr, addr + len) (page-aligned) by
 * the program, in the heap or in one mapping: resident pages leave RSS and
 * read as zero after (heap pages: hs_heap_release), in whichever heap holds
 * them (the loaded one, another arena's, an earlier heap of an arena).
 * Returns how many were resident.  The range must lie inside one live block
 * or one free chunk (the loader's rule; mtrim),
 * so no chunk header is on these pages.  Past the mapped memory: SIGSEGV
 * (hs_segv: madvise there fails with ENOMEM; the model does not go on). */
uint64_t hs_mem_dontneed(hs_sim *s, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return 0;
    int r = addr - s->heap_base < s->brk ? -1 : hs_region_other (s, addr);
    if (r >= 0) {                  /* another arena's heap, or an earlier heap of this one */
        hs_heapmem save;
        hs_mem_enter (s, (uint32_t)r, &save);
        uint64_t dropped = hs_mem_dontneed (s, addr, len);
        hs_mem_leave (s, (uint32_t)r, &save);
        return dropped;
    }
    hs_map *m;
    uint64_t lo, hi, dropped = 0;
    bool past = clip_range (s, addr, len, &m, &lo, &hi);
    if (m) {
        for (uint64_t pg = (lo - m->base) >> HS_PAGE_SHIFT; m->base + (pg << HS_PAGE_SHIFT) < hi; pg++)
            if (hs_pv_get (&m->pv, pg) != PG_NONE) {
                hs_pv_set (s, &m->pv, pg, PG_NONE);
                m->resident--;
                s->map_resident--;
                dropped++;
            }
    } else {
        uint64_t before = s->heap_resident;
        hs_heap_release (s, lo, hi - lo);
        dropped = before - s->heap_resident;
    }
    if (past)
        hs_segv (s);
    return dropped;
}

/* Grows the pointer array *a of old_n entries to new_n, the new ones NULL,
 * without writing the new part (calloc: a break of gigabytes must not make
 * the model write megabytes of zeros).  -1 when out of memory, *a intact. */
static int grow_ptrs(void *a, uint64_t old_n, uint64_t new_n)
{
    void **old = *(void ***)a, **n = calloc (new_n, sizeof *n);
    if (!n)
        return -1;
    if (old)
        memcpy (n, old, old_n * sizeof *n);
    free (old);
    *(void ***)a = n;
    return 0;
}

/* Moves the break to new_brk (above the current one), growing the model's
 * arrays to cover it; the new pages are PG_NONE.  Out of memory: hs_oom. */
void hs_heap_grow(hs_sim *s, uint64_t new_brk)
{
    if (new_brk > s->cap) {
        uint64_t cap = s->cap ? s->cap : UINT64_C(1) << 20;
        while (cap < new_brk) {
            if (cap > (UINT64_C(1) << 46))
                hs_oom (s);
            cap *= 2;
        }
        uint64_t old_np = s->cap >> HS_PAGE_SHIFT, np = cap >> HS_PAGE_SHIFT;
        if (grow_ptrs (&s->pmem, old_np, np) || grow_ptrs (&s->pword, old_np, np)
            || grow_ptrs (&s->ptag, old_np, np))
            hs_oom (s);
        uint8_t *pst = realloc (s->pst, cap >> HS_PAGE_SHIFT);
        if (!pst)
            hs_oom (s);
        memset (pst + (s->cap >> HS_PAGE_SHIFT), 0, (cap - s->cap) >> HS_PAGE_SHIFT);
        s->pst = pst;
        uint8_t *pfill = realloc (s->pfill, cap >> HS_PAGE_SHIFT);
        if (!pfill)
            hs_oom (s);
        s->pfill = pfill;
        s->cap = cap;
    }
    hs_set_brk (s, new_brk);
    if (new_brk > s->max_brk)
        s->max_brk = new_brk;
}

/* Residency of heap pages [first, first + n) as 0/1; past the break 0.
 * Never fails. */
void hs_sim_heap_pages(const hs_sim *s, uint64_t first, size_t n, uint8_t *out)
{
    uint64_t npg = ALIGN_UP (s->brk, HS_PAGE) >> HS_PAGE_SHIFT;
    for (size_t i = 0; i < n; i++) {
        uint64_t pg = first + i;
        out[i] = pg < npg && s->pst[pg] != PG_NONE;
    }
}

/* Word j of the bytes at r.  Never fails. */
static inline uint64_t page_word(const uint8_t *r, unsigned j)
{
    uint64_t v;
    memcpy (&v, r + 8 * j, 8);
    return v;
}

/* PG_DATA page pg as PG_FILL when all but at most HS_WORDS_MAX of its words
 * repeat one byte (tried: its last byte, its middle byte, 0): the same bytes,
 * residency and faults, ~10x less memory.  One pass a candidate, 8 words at
 * a time: a run of 8 that all repeat it costs one test (the window's runs
 * compact every page of a 100k-chunk heap, nearly all of them headers on
 * zeros); the words of other runs are counted and marked, and the candidate
 * is given up past HS_WORDS_MAX.  Out of memory: left as it is. */
static void compact_page(hs_sim *s, uint64_t pg)
{
    const uint8_t *b = s->pmem[pg];
    uint8_t cand[3] = { b[HS_PAGE - 1], b[HS_PAGE / 2], 0 };
    for (int c = 0; c < 3; c++) {
        if ((c >= 1 && cand[c] == cand[0]) || (c == 2 && cand[2] == cand[1]))
            continue;
        uint64_t pat = cand[c] * UINT64_C(0x0101010101010101), bits[HS_SPARSE_SLOTS / 64] = { 0 };
        unsigned differ = 0;
        for (unsigned i = 0; i < HS_SPARSE_SLOTS && differ <= HS_WORDS_MAX; i += 8) {
            /* any of the 8 not the pattern? (spelt out: GCC -O2 keeps a loop) */
            const uint8_t *r = b + 8 * i;
            if ((((page_word (r, 0) ^ pat) | (page_word (r, 1) ^ pat))
                 | ((page_word (r, 2) ^ pat) | (page_word (r, 3) ^ pat))
                 | ((page_word (r, 4) ^ pat) | (page_word (r, 5) ^ pat))
                 | ((page_word (r, 6) ^ pat) | (page_word (r, 7) ^ pat))) == 0)
                continue;
            for (unsigned j = 0; j < 8; j++)
                if (page_word (r, j) != pat) {
                    differ++;
                    bits[(i + j) >> 6] |= UINT64_C(1) << ((i + j) & 63);
                }
        }
        if (differ > HS_WORDS_MAX)
            continue;
        hs_sparse *sp = NULL;
        if (differ && !(sp = hs_sparse_from (b, bits)))
            return;
        free (s->pmem[pg]);
        s->pmem[pg] = NULL;
        s->pst[pg] = PG_FILL;
        s->pfill[pg] = cand[c];
        s->pword[pg] = sp;
        return;
    }
}

/* Calls fn (s, ctx) with the loaded heap region, then with each other
 * region (arenas' heaps, earlier heaps) moved in and back.  Never fails. */
static void each_region(hs_sim *s, void (*fn)(hs_sim *s, void *ctx), void *ctx)
{
    fn (s, ctx);
    for (uint32_t r = 0; r < s->n_ar + s->n_xh; r++) {
        if (r == s->cur_ar)
            continue;              /* loaded: ar[cur_ar].mem is stale */
        hs_heapmem save;
        hs_mem_enter (s, r, &save);
        fn (s, ctx);
        hs_mem_leave (s, r, &save);
    }
}

/* The loaded heap region's PG_DATA pages, compacted.  Never fails. */
static void compact_loaded(hs_sim *s, void *ctx)
{
    (void)ctx;
    uint64_t np = ALIGN_UP (s->brk, HS_PAGE) >> HS_PAGE_SHIFT;
    for (uint64_t pg = 0; pg < np; pg++)
        if (s->pst[pg] == PG_DATA)
            compact_page (s, pg);
}

/* See sim.h: every heap region's pages that are one byte but for a few
 * words stop holding all their bytes.  Never fails. */
void hs_sim_compact(hs_sim *s)
{
    each_region (s, compact_loaded, NULL);
}

/* Adds to *(uint64_t *)ctx the bytes the loaded heap region's page arrays
 * and the pages' contents hold.  Never fails. */
static void footprint_loaded(hs_sim *s, void *ctx)
{
    uint64_t np = s->cap >> HS_PAGE_SHIFT, n = np * (3 * sizeof (void *) + 2);
    for (uint64_t pg = 0; pg < np; pg++) {
        if (s->pmem[pg])
            n += HS_PAGE;
        n += hs_sparse_size (s->pword[pg]) + hs_tags_size (s->ptag[pg]);
    }
    *(uint64_t *)ctx += n;
}

/* See sim.h.  Never fails. */
uint64_t hs_sim_footprint(const hs_sim *s)
{
    uint64_t n = sizeof *s;
    each_region ((hs_sim *)s, footprint_loaded, &n);   /* regions moved in and back: nothing changes */
    for (uint32_t i = 0; i < s->n_maps; i++) {
        const hs_pvec *v = &s->maps[i].pv;
        n += v->nleaf * sizeof (uint8_t *);
        for (uint64_t l = 0; l < v->nleaf; l++)
            n += v->leaf[l] ? HS_PV_LEAF : 0;
    }
    n += (uint64_t)s->maps_cap * (sizeof *s->maps + sizeof *s->free_maps)
       + (uint64_t)s->live_cap * (sizeof *s->live + sizeof *s->by_addr)
       + (uint64_t)s->nslots * (sizeof *s->slot_mem + sizeof *s->slot_req)
       + (uint64_t)(s->ev_end - s->ev) * sizeof *s->ev;
    return n;
}
