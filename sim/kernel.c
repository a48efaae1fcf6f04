/* sim/kernel.c — the kernel's side of mmap, munmap and mremap for the model's mmapped chunks.
 * Owns: mapping records, top-down address choice (so a freed range is reused as the kernel would), page arrays. */
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/* Makes room for one more live mapping in both index vectors (live and
 * by_addr share live_cap).  Out of memory: hs_oom. */
static void live_reserve(hs_sim *s)
{
    if (s->n_live + 1 <= s->live_cap)
        return;
    uint32_t nc = s->live_cap ? s->live_cap * 2 : 16;
    uint32_t *l = realloc (s->live, nc * sizeof *l);
    if (!l)
        hs_oom (s);
    s->live = l;
    uint32_t *b = realloc (s->by_addr, nc * sizeof *b);
    if (!b)
        hs_oom (s);
    s->by_addr = b;
    s->live_cap = nc;
}

/* The highest free gap below HS_MMAP_TOP that holds len bytes, as the
 * kernel's top-down vm_unmapped_area picks it; skip is a mapping to treat as
 * present (it always is: the live list holds it).  Out of address space:
 * hs_oom (the kernel would refuse: out of the model's scope). */
static uint64_t topdown_addr(hs_sim *s, uint64_t len)
{
    uint64_t upper = s->mmap_top;
    for (uint32_t i = s->n_live; i-- > 0;) {
        hs_map *m = &s->maps[s->by_addr[i]];
        uint64_t end = m->base + m->len;
        if (upper >= end && upper - end >= len)
            return upper - len;
        upper = m->base;
    }
    if (upper - HS_MMAP_FLOOR < len)
        hs_oom (s);
    return upper - len;
}

/* Inserts record idx into by_addr at its sorted place.  Never fails (the
 * vector was reserved by the caller). */
static void by_addr_insert(hs_sim *s, uint32_t idx)
{
    uint64_t base = s->maps[idx].base;
    uint32_t lo = 0, hi = s->n_live;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->maps[s->by_addr[mid]].base < base)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove (s->by_addr + lo + 1, s->by_addr + lo, (s->n_live - lo) * sizeof *s->by_addr);
    s->by_addr[lo] = idx;
}

/* Removes record idx from the first n entries of by_addr; nothing if it is
 * not there.  Never fails. */
static void by_addr_remove(hs_sim *s, uint32_t idx, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (s->by_addr[i] == idx) {
            memmove (s->by_addr + i, s->by_addr + i + 1, (n - i - 1) * sizeof *s->by_addr);
            return;
        }
}

/* Makes the record's page array hold npages PG_NONE entries.  hs_oom on
 * failure. */
static void map_pages(hs_sim *s, hs_map *m, uint64_t npages)
{
    if (npages > m->pst_cap) {
        uint8_t *p = realloc (m->pst, npages ? npages : 1);
        if (!p)
            hs_oom (s);
        m->pst = p;
        m->pst_cap = npages;
    }
    memset (m->pst, 0, npages);
    m->resident = 0;
}

/* mmap (0, len, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS): a new
 * live mapping at the kernel's top-down address, no page resident.  The
 * caller writes the chunk header.  Out of memory: hs_oom. */
hs_map *hs_kmmap(hs_sim *s, uint64_t len)
{
    uint32_t idx;
    if (s->n_free_maps)
        idx = s->free_maps[--s->n_free_maps];
    else {
        if (s->n_maps == s->maps_cap) {
            uint32_t nc = s->maps_cap ? s->maps_cap * 2 : 16;
            hs_map *nm = realloc (s->maps, nc * sizeof *nm);
            if (!nm)
                hs_oom (s);
            memset (nm + s->maps_cap, 0, (nc - s->maps_cap) * sizeof *nm);
            s->maps = nm;
            s->maps_cap = nc;
            uint32_t *f = realloc (s->free_maps, nc * sizeof *f);
            if (!f)
                hs_oom (s);
            s->free_maps = f;
        }
        idx = s->n_maps++;
    }
    live_reserve (s);
    hs_map *m = &s->maps[idx];
    m->base = topdown_addr (s, len);
    m->len = len;
    m->chunk = m->base;
    m->prev_size = 0;
    m->size_field = 0;
    m->seq = s->map_seq++;
    m->req = 0;
    m->slot = HS_NO_ID;
    map_pages (s, m, len >> HS_PAGE_SHIFT);
    by_addr_insert (s, idx);
    s->live[s->n_live++] = idx;
    m->live = 1;
    return m;
}

/* munmap of the whole mapping: its pages go at once.  Never fails. */
void hs_kmunmap(hs_sim *s, hs_map *m)
{
    uint32_t idx = (uint32_t)(m - s->maps);
    by_addr_remove (s, idx, s->n_live);
    for (uint32_t i = 0; i < s->n_live; i++)
        if (s->live[i] == idx) {
            memmove (s->live + i, s->live + i + 1, (s->n_live - i - 1) * sizeof *s->live);
            break;
        }
    s->n_live--;
    s->map_resident -= m->resident;
    s->map_bytes -= m->size_field & ~SIZE_BITS;
    m->resident = 0;
    m->live = 0;
    s->free_maps[s->n_free_maps++] = idx;
}

/* mremap (base, len, new_len, MREMAP_MAYMOVE): shrinks in place (the tail
 * pages go), grows in place when the range above is free, else moves to a
 * new top-down address with its pages (page tables move, nothing faults).
 * Returns the same record, updated.  Out of memory: hs_oom. */
hs_map *hs_kmremap(hs_sim *s, hs_map *m, uint64_t new_len)
{
    uint64_t old_pages = m->len >> HS_PAGE_SHIFT, new_pages = new_len >> HS_PAGE_SHIFT;
    if (new_len <= m->len) {
        for (uint64_t pg = new_pages; pg < old_pages; pg++)
            if (m->pst[pg] != PG_NONE) {
                m->pst[pg] = PG_NONE;
                m->resident--;
                s->map_resident--;
            }
        m->len = new_len;
        return m;
    }
    if (new_pages > m->pst_cap) {
        uint8_t *p = realloc (m->pst, new_pages);
        if (!p)
            hs_oom (s);
        m->pst = p;
        m->pst_cap = new_pages;
    }
    memset (m->pst + old_pages, 0, new_pages - old_pages);
    uint32_t idx = (uint32_t)(m - s->maps);
    /* In place if nothing is mapped in [end, base + new_len). */
    uint64_t upper = s->mmap_top;
    for (uint32_t i = 0; i < s->n_live; i++) {
        hs_map *o = &s->maps[s->by_addr[i]];
        if (o != m && o->base >= m->base + m->len && o->base < upper)
            upper = o->base;
    }
    if (upper - m->base >= new_len) {
        m->len = new_len;
        return m;
    }
    uint64_t base = topdown_addr (s, new_len);
    by_addr_remove (s, idx, s->n_live);
    s->n_live--;                         /* by_addr_insert works on n_live entries */
    uint64_t delta_chunk = m->chunk - m->base;
    m->base = base;
    m->chunk = base + delta_chunk;
    m->len = new_len;
    by_addr_insert (s, idx);
    s->n_live++;
    return m;
}
