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

/* The highest free gap below mmap_top that holds len bytes, as the
 * kernel's top-down vm_unmapped_area picks it, around the live mappings
 * (a mapping being moved by mremap is still among them) and the process's
 * foreign ones.  Out of address space: hs_oom (the kernel would refuse:
 * out of the model's scope). */
static uint64_t topdown_below(hs_sim *s, uint64_t len, uint64_t ceiling)
{
    uint64_t upper = ceiling;
    uint32_t i = s->n_live, j = s->n_foreign;
    while (i > 0 || j > 0) {
        uint64_t b, e;
        const hs_map *m = i > 0 ? &s->maps[s->by_addr[i - 1]] : NULL;
        if (m && (j == 0 || m->base > s->foreign[j - 1][0])) {
            b = m->base;
            e = b + m->len;
            i--;
        } else {
            b = s->foreign[j - 1][0];
            e = s->foreign[j - 1][1];
            j--;
        }
        if (e <= upper && upper - e >= len)
            return upper - len;
        if (b < upper)
            upper = b;
    }
    if (upper < HS_MMAP_FLOOR || upper - HS_MMAP_FLOOR < len)
        hs_oom (s);
    return upper - len;
}

/* topdown_below from mmap_top, around the non-main arenas' 64 MiB heap
 * reservations too (sim/arena.c).  Out of address space: hs_oom. */
static uint64_t topdown_addr(hs_sim *s, uint64_t len)
{
    uint64_t ceiling = s->mmap_top, below;
    for (;;) {
        uint64_t c = topdown_below (s, len, ceiling);
        if (!hs_arena_reserved (s, c, len, &below))
            return c;
        ceiling = below;
    }
}

/* Where the kernel's mmap (NULL, len) would place a mapping now (for
 * new_heap's reservations, which are not mapping records).  Out of address
 * space: hs_oom. */
uint64_t hs_ktopdown(hs_sim *s, uint64_t len)
{
    return topdown_addr (s, len);
}

/* Whether [addr, addr + len) is free address space below mmap_top, so that
 * mmap with that hint gets it.  Never fails. */
bool hs_kfree_range(const hs_sim *s, uint64_t addr, uint64_t len)
{
    uint64_t below;
    if (addr < HS_MMAP_FLOOR || addr + len > s->mmap_top || addr + len < addr)
        return false;
    for (uint32_t i = 0; i < s->n_live; i++) {
        const hs_map *m = &s->maps[s->live[i]];
        if (m->base < addr + len && addr < m->base + m->len)
            return false;
    }
    for (uint32_t j = 0; j < s->n_foreign; j++)
        if (s->foreign[j][0] < addr + len && addr < s->foreign[j][1])
            return false;
    return !hs_arena_reserved (s, addr, len, &below);
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

/* ---- sparse page vectors (heap.h's hs_pvec) ---- */

/* Sets page pg (< the length the vector was sized for) to st; the first
 * non-PG_NONE state of a leaf allocates it.  Out of memory: hs_oom. */
void hs_pv_set(hs_sim *s, hs_pvec *v, uint64_t pg, uint8_t st)
{
    uint8_t **leaf = &v->leaf[pg >> HS_PV_SHIFT];
    if (!*leaf) {
        if (st == PG_NONE)
            return;
        *leaf = calloc (HS_PV_LEAF, 1);
        if (!*leaf)
            hs_oom (s);
    }
    (*leaf)[pg & (HS_PV_LEAF - 1)] = st;
}

/* Sets every page from first on to PG_NONE, freeing the leaves wholly past
 * it; returns how many of them were resident.  Never fails. */
uint64_t hs_pv_cut(hs_pvec *v, uint64_t first)
{
    uint64_t dropped = 0;
    for (uint64_t l = first >> HS_PV_SHIFT; l < v->nleaf; l++) {
        uint8_t *leaf = v->leaf[l];
        if (!leaf)
            continue;
        uint64_t from = l == first >> HS_PV_SHIFT ? first & (HS_PV_LEAF - 1) : 0;
        for (uint64_t i = from; i < HS_PV_LEAF; i++) {
            dropped += leaf[i] != PG_NONE;
            leaf[i] = PG_NONE;
        }
        if (from == 0) {
            free (leaf);
            v->leaf[l] = NULL;
        }
    }
    return dropped;
}

/* How many pages are not PG_NONE.  Never fails. */
uint64_t hs_pv_count(const hs_pvec *v)
{
    uint64_t n = 0;
    for (uint64_t l = 0; l < v->nleaf; l++)
        if (v->leaf[l])
            for (uint64_t i = 0; i < HS_PV_LEAF; i++)
                n += v->leaf[l][i] != PG_NONE;
    return n;
}

/* Makes the vector cover npages pages: new ones PG_NONE, leaves past the
 * end freed (cut them first to count what goes).  -1 when out of memory,
 * the vector unchanged. */
int hs_pv_resize(hs_pvec *v, uint64_t npages)
{
    uint64_t n = (npages + HS_PV_LEAF - 1) >> HS_PV_SHIFT;
    for (uint64_t l = n; l < v->nleaf; l++)
        free (v->leaf[l]);
    if (n < v->nleaf) {
        v->nleaf = n;
        return 0;
    }
    uint8_t **leaf = realloc (v->leaf, (n ? n : 1) * sizeof *leaf);
    if (!leaf)
        return -1;
    memset (leaf + v->nleaf, 0, (n - v->nleaf) * sizeof *leaf);
    v->leaf = leaf;
    v->nleaf = n;
    return 0;
}

/* Frees every leaf and the leaf array; the vector is empty after.  Never fails. */
void hs_pv_free(hs_pvec *v)
{
    for (uint64_t l = 0; l < v->nleaf; l++)
        free (v->leaf[l]);
    free (v->leaf);
    v->leaf = NULL;
    v->nleaf = 0;
}

/* Makes *d a deep copy of *v (d's old contents are not freed).  -1 when out
 * of memory: *d then holds what was copied so far, freeable by hs_pv_free. */
int hs_pv_dup(hs_pvec *d, const hs_pvec *v)
{
    d->leaf = NULL;
    d->nleaf = 0;
    if (!v->nleaf)
        return 0;
    d->leaf = calloc (v->nleaf, sizeof *d->leaf);
    if (!d->leaf)
        return -1;
    d->nleaf = v->nleaf;
    for (uint64_t l = 0; l < v->nleaf; l++)
        if (v->leaf[l]) {
            d->leaf[l] = malloc (HS_PV_LEAF);
            if (!d->leaf[l])
                return -1;
            memcpy (d->leaf[l], v->leaf[l], HS_PV_LEAF);
        }
    return 0;
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
    hs_pv_free (&m->pv);
    if (hs_pv_resize (&m->pv, len >> HS_PAGE_SHIFT))
        hs_oom (s);
    m->resident = 0;
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
    hs_pv_free (&m->pv);
    m->live = 0;
    s->free_maps[s->n_free_maps++] = idx;
}

/* mremap (base, len, new_len, MREMAP_MAYMOVE): shrinks in place (the tail
 * pages go), grows in place when the range above is free, else moves to a
 * new top-down address with its pages (page tables move, nothing faults).
 * Returns the same record, updated.  Out of memory: hs_oom. */
hs_map *hs_kmremap(hs_sim *s, hs_map *m, uint64_t new_len)
{
    uint64_t new_pages = new_len >> HS_PAGE_SHIFT;
    if (new_len <= m->len) {
        uint64_t dropped = hs_pv_cut (&m->pv, new_pages);
        m->resident -= dropped;
        s->map_resident -= dropped;
        hs_pv_resize (&m->pv, new_pages);   /* shrinking: cannot fail */
        m->len = new_len;
        return m;
    }
    if (hs_pv_resize (&m->pv, new_pages))
        hs_oom (s);
    uint32_t idx = (uint32_t)(m - s->maps);
    /* In place if nothing is mapped in [end, base + new_len). */
    uint64_t upper = s->mmap_top;
    for (uint32_t i = 0; i < s->n_live; i++) {
        hs_map *o = &s->maps[s->by_addr[i]];
        if (o != m && o->base >= m->base + m->len && o->base < upper)
            upper = o->base;
    }
    for (uint32_t j = 0; j < s->n_foreign; j++)
        if (s->foreign[j][0] >= m->base + m->len && s->foreign[j][0] < upper)
            upper = s->foreign[j][0];
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
