/* sim/kernel.c — the kernel's side of mmap, munmap and mremap for the model's mmapped chunks.
 * Owns: mapping records, top-down address choice (so a freed range is reused as the kernel would), page arrays,
 * the VMA count (merges of adjacent mappings) and the limits the kernel enforces (RLIMIT_AS, RLIMIT_DATA, vm.max_map_count). */
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

static uint32_t by_addr_pos(const hs_sim *s, uint64_t base);

/* The highest free gap below mmap_top that holds len bytes, as the
 * kernel's top-down vm_unmapped_area picks it, around the live mappings
 * (a mapping being moved by mremap is still among them) and the process's
 * foreign ones.  Out of address space: hs_oom (the kernel would refuse:
 * out of the model's scope). */
static uint64_t topdown_below(hs_sim *s, uint64_t len, uint64_t ceiling)
{
    uint64_t upper = ceiling;
    uint32_t i = s->n_live, j = s->n_foreign;
    if (ceiling == s->mmap_top && s->td_len && len >= s->td_len) {
        /* No gap above td_base holds td_len bytes (hs_kmmap's hint): start
         * the walk there, at the live mapping based at td_base. */
        upper = s->td_base;
        i = by_addr_pos (s, s->td_base);
        while (j > 0 && s->foreign[j - 1][0] >= s->td_base)
            j--;
    }
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
 * reservations too (sim/arena.c); *first is whether the first gap found
 * was taken (no reservation in the way).  Out of address space: hs_oom. */
static uint64_t topdown_addr_first(hs_sim *s, uint64_t len, bool *first)
{
    uint64_t ceiling = s->mmap_top, below;
    *first = true;
    for (;;) {
        uint64_t c = topdown_below (s, len, ceiling);
        if (!hs_arena_reserved (s, c, len, &below))
            return c;
        ceiling = below;
        *first = false;
    }
}

/* topdown_addr_first without the flag.  Out of address space: hs_oom. */
static uint64_t topdown_addr(hs_sim *s, uint64_t len)
{
    bool first;
    return topdown_addr_first (s, len, &first);
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

/* The first of by_addr's first n entries whose mapping is based at or
 * above base (they are sorted by base).  Never fails. */
static uint32_t by_addr_lower(const hs_sim *s, uint64_t base, uint32_t n)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->maps[s->by_addr[mid]].base < base)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Inserts record idx into by_addr at its sorted place.  Never fails (the
 * vector was reserved by the caller). */
static void by_addr_insert(hs_sim *s, uint32_t idx)
{
    uint32_t lo = by_addr_lower (s, s->maps[idx].base, s->n_live);
    memmove (s->by_addr + lo + 1, s->by_addr + lo, (s->n_live - lo) * sizeof *s->by_addr);
    s->by_addr[lo] = idx;
}

/* Removes record idx from the first n entries of by_addr; nothing if it is
 * not there.  Found by its base (binary search: the entries are sorted and
 * no two live mappings share a base), else by a scan.  Never fails. */
static void by_addr_remove(hs_sim *s, uint32_t idx, uint32_t n)
{
    uint32_t lo = by_addr_lower (s, s->maps[idx].base, n);
    if (lo < n && s->by_addr[lo] == idx) {
        memmove (s->by_addr + lo, s->by_addr + lo + 1, (n - lo - 1) * sizeof *s->by_addr);
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        if (s->by_addr[i] == idx) {
            memmove (s->by_addr + i, s->by_addr + i + 1, (n - i - 1) * sizeof *s->by_addr);
            return;
        }
}

/* Where a live mapping based at base sits in by_addr.  Never fails (the
 * caller knows it is there). */
static uint32_t by_addr_pos(const hs_sim *s, uint64_t base)
{
    return by_addr_lower (s, base, s->n_live);
}

/* The anon_vma of the mapping that ends right at m's base (below) or starts
 * right at its end (above), if that one is a VMA m could merge with: a live
 * mapping of the model whose pages continue m's vm_pgoff (mm/vma.c
 * can_vma_merge_before / _after: a mapping mremap moved keeps its old
 * pgoff and merges with no fresh neighbour), or a foreign one marked
 * anonymous read-write (hs_kernel_limits merge_*; its pgoff is taken to be
 * its address); 0 if none.  pos is m's place in by_addr.  Never fails. */
static uint64_t av_next_to(const hs_sim *s, uint32_t pos, const hs_map *m, bool above)
{
    uint64_t at = above ? m->base + m->len : m->base;
    uint64_t pages = m->len >> HS_PAGE_SHIFT;
    if (!above && pos > 0) {
        const hs_map *o = &s->maps[s->by_addr[pos - 1]];
        if (o->base + o->len == at)
            return o->pgoff + (o->len >> HS_PAGE_SHIFT) == m->pgoff ? o->av : 0;
    }
    if (above && pos + 1 < s->n_live) {
        const hs_map *o = &s->maps[s->by_addr[pos + 1]];
        if (o->base == at)
            return m->pgoff + pages == o->pgoff ? o->av : 0;
    }
    if (m->pgoff != m->base >> HS_PAGE_SHIFT)
        return 0;
    for (uint32_t j = 0; j < s->n_foreign && j < 64; j++)
        if (s->foreign[j][above ? 0 : 1] == at)
            return (((above ? s->lim.merge_below : s->lim.merge_above) >> j) & 1) ? HS_FOREIGN_AV (j) : 0;
    return 0;
}

/* How many neighbours m forms one VMA with (0, 1 or 2): adjacent and of the
 * same anon_vma (mm/vma.c is_mergeable_anon_vma; every mapping here has the
 * same flags, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS).  Never fails. */
static int vma_joins(const hs_sim *s, uint32_t pos, const hs_map *m)
{
    uint64_t lo = av_next_to (s, pos, m, false), hi = av_next_to (s, pos, m, true);
    return (lo && lo == m->av) + (hi && hi == m->av);
}

/* See sim.h. */
uint64_t hs_sim_map_count(const hs_sim *s)
{
    int64_t n = (int64_t)s->lim.maps0 + (s->brk > 0) + s->vmas;
    return n > 0 ? (uint64_t)n : 0;
}

/* See sim.h: -1 after the first op. */
int hs_sim_set_limits(hs_sim *s, const hs_kernel_limits *l)
{
    if (s->steps)
        return -1;
    s->lim = *l;
    return 0;
}

/* The limit named by which (HS_LIM_*) refuses: says so.  Returns false. */
static bool refuse(hs_sim *s, uint64_t bytes, uint64_t used, uint64_t limit, int which, int how)
{
    hs_emit (s, HS_EV_KERNEL_LIMIT, bytes, used, limit, (uint64_t)(which * 4 + how));
    return false;
}

/* Whether the process's limits let the kernel grant `bytes` more (how: 0 a
 * new mapping, mm/mmap.c do_mmap then mmap_region; 1 the break grown by
 * bytes, the brk syscall then do_brk_flags; 2 a mapping grown by mremap,
 * mm/mremap.c vma_to_resize), in the kernel's order of checks.  Counts the
 * main heap up to the break and every live mapping on top of the start
 * figures (hs_kernel_limits).  Says why when it refuses.  Never fails. */
bool hs_klimits_allow(hs_sim *s, uint64_t bytes, int how)
{
    const hs_kernel_limits *l = &s->lim;
    uint64_t heap = (s->brk + HS_PAGE - 1) & ~(HS_PAGE - 1);
    uint64_t maps = hs_sim_map_count (s);
    if (how == 0 && l->map_max && maps > l->map_max)
        return refuse (s, bytes, maps, l->map_max, HS_LIM_MAPS, how);
    if (how == 1 && l->data_max != UINT64_MAX
        && s->brk + bytes + l->data_seg > l->data_max)        /* check_data_rlimit */
        return refuse (s, bytes, s->brk + l->data_seg, l->data_max, HS_LIM_BRK_DATA, how);
    /* may_expand_vm: whole pages, the limit rounded down to pages */
    uint64_t pages = how == 1 ? ((s->brk + bytes + HS_PAGE - 1) & ~(HS_PAGE - 1)) - heap
                              : (bytes + HS_PAGE - 1) & ~(HS_PAGE - 1);
    uint64_t vm = l->vm0 + heap + s->map_len, data = l->data0 + heap + s->map_len;
    if (l->as_max != UINT64_MAX && vm + pages > (l->as_max & ~(HS_PAGE - 1)))
        return refuse (s, bytes, vm, l->as_max, HS_LIM_AS, how);
    if (l->data_max != UINT64_MAX && data + pages > (l->data_max & ~(HS_PAGE - 1)))
        return refuse (s, bytes, data, l->data_max, HS_LIM_DATA, how);
    if (how == 1 && l->map_max && maps > l->map_max)         /* do_brk_flags */
        return refuse (s, bytes, maps, l->map_max, HS_LIM_MAPS, how);
    return true;
}

/* Whether munmap of all of m would split the VMA it is in (a neighbour on
 * each side) while the process already has vm.max_map_count mappings:
 * mm/vma.c do_vmi_align_munmap refuses that with ENOMEM, and glibc's
 * munmap_chunk does not look at munmap's result.  Says so when it does.
 * Never fails. */
bool hs_kmunmap_splits_past(hs_sim *s, hs_map *m)
{
    if (!s->lim.map_max)
        return false;
    uint64_t maps = hs_sim_map_count (s);
    if (maps < s->lim.map_max || vma_joins (s, by_addr_pos (s, m->base), m) < 2)
        return false;
    return !refuse (s, 0, maps, s->lim.map_max, HS_LIM_MAPS, 3);
}

/* glibc forgot m (munmap_chunk counted it gone) but the kernel refused to
 * unmap it: it stays mapped, resident and in the VMA count, and leaves
 * glibc's chunks (map_bytes, the walk, the step's mmaps and rss, which
 * count what the program holds).  Never fails. */
void hs_korphan(hs_sim *s, hs_map *m)
{
    m->orphan = 1;
    m->slot = HS_NO_ID;
    s->map_bytes -= m->size_field & ~SIZE_BITS;
    s->n_orphans++;
    s->orphan_resident += m->resident;
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
    bool first;
    m->base = topdown_addr_first (s, len, &first);
    if (first) {
        /* Every gap above the new mapping is smaller than len (the walk
         * came down from mmap_top, or from a hint of at most len): the next
         * request of len bytes or more may start below it.  Cleared by any
         * change above (hs_kmunmap, hs_kmremap). */
        s->td_base = m->base;
        s->td_len = len;
    }
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
    m->orphan = 0;
    m->pgoff = m->base >> HS_PAGE_SHIFT;     /* mmap_region: an anonymous mapping's pgoff */
    by_addr_insert (s, idx);
    s->live[s->n_live++] = idx;
    m->live = 1;
    /* mm/vma.c: a new anonymous mapping merges with the one below it, and
     * with the one above too if that has the same anon_vma (or takes the
     * one above's alone); otherwise it is a VMA of its own, whose anon_vma
     * comes with its first fault (glibc writes the header at once). */
    uint32_t pos = by_addr_pos (s, m->base);
    uint64_t lo = av_next_to (s, pos, m, false), hi = av_next_to (s, pos, m, true);
    m->av = lo ? lo : hi ? hi : ++s->av_seq;
    s->vmas += 1 - vma_joins (s, pos, m);
    s->map_len += len;
    return m;
}

/* munmap of the whole mapping: its pages go at once.  Never fails. */
void hs_kmunmap(hs_sim *s, hs_map *m)
{
    uint32_t idx = (uint32_t)(m - s->maps);
    if (m->base >= s->td_base)
        s->td_len = 0;                   /* a gap opens above the hint */
    s->vmas -= 1 - vma_joins (s, by_addr_pos (s, m->base), m);
    s->map_len -= m->len;
    by_addr_remove (s, idx, s->n_live);
    /* live is in creation order, so by seq: a binary search */
    uint32_t lo = 0, hi = s->n_live;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->maps[s->live[mid]].seq < m->seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n_live && s->live[lo] == idx)
        memmove (s->live + lo, s->live + lo + 1, (s->n_live - lo - 1) * sizeof *s->live);
    else
        for (uint32_t i = 0; i < s->n_live; i++)
            if (s->live[i] == idx) {
                memmove (s->live + i, s->live + i + 1, (s->n_live - i - 1) * sizeof *s->live);
                break;
            }
    s->n_live--;
    s->map_resident -= m->resident;
    if (m->orphan) {
        s->n_orphans--;
        s->orphan_resident -= m->resident < s->orphan_resident ? m->resident : s->orphan_resident;
        m->orphan = 0;
    } else
        s->map_bytes -= m->size_field & ~SIZE_BITS;
    m->resident = 0;
    hs_pv_free (&m->pv);
    m->live = 0;
    s->free_maps[s->n_free_maps++] = idx;
}

static hs_map *kmremap(hs_sim *s, hs_map *m, uint64_t new_len);

/* mremap (base, len, new_len, MREMAP_MAYMOVE): shrinks in place (the tail
 * pages go), grows in place when the range above is free, else moves to a
 * new top-down address with its pages (page tables move, nothing faults).
 * Returns the same record, updated.  Out of memory: hs_oom. */
hs_map *hs_kmremap(hs_sim *s, hs_map *m, uint64_t new_len)
{
    /* The VMA count: m leaves its place, then comes back at its new one
     * with its anon_vma (mm/mremap.c: the VMA moves, copy_vma merges it
     * where it lands). */
    s->td_len = 0;
    s->vmas -= 1 - vma_joins (s, by_addr_pos (s, m->base), m);
    s->map_len += new_len - m->len;
    m = kmremap (s, m, new_len);
    s->vmas += 1 - vma_joins (s, by_addr_pos (s, m->base), m);
    return m;
}

/* hs_kmremap without the VMA count.  Out of memory: hs_oom. */
static hs_map *kmremap(hs_sim *s, hs_map *m, uint64_t new_len)
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
