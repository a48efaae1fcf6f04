/* play/owners.c — who had each heap chunk: the owners build_model lists, sorted, and looked up.
 * Owns: the owners' order (address, then step) and hs_view_former_id / hs_view_former_owner. */
#include "view.h"
#include "view_internal.h"

#include <stdlib.h>
#include <string.h>

static int cmp_owner(const void *pa, const void *pb)
{
    const struct hs_owner *a = pa, *b = pb;
    if (a->addr != b->addr) return a->addr < b->addr ? -1 : 1;
    return a->step < b->step ? -1 : a->step > b->step;
}

/* Sorts o[0 .. n), which is in step order, by address then step: a stable
 * LSD radix sort on the address, 11 bits a pass, skipping the passes whose
 * digit all share (a heap's offsets vary in their low 20-30 bits).  glibc's
 * qsort took 94M instructions for the 98k owners of a 200k-op small mix
 * (callgrind), over a third of the model's run.  Out of memory for the
 * second buffer (the size glibc's qsort also asks for): qsort.  Cannot
 * fail. */
static void radix_sort(struct hs_owner *o, size_t n)
{
    struct hs_owner *tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        qsort(o, n, sizeof *o, cmp_owner);
        return;
    }
    uint64_t differ = 0;
    for (size_t i = 1; i < n; i++) differ |= o[i].addr ^ o[0].addr;
    struct hs_owner *from = o, *to = tmp;
    for (unsigned shift = 0; shift < 64 && (differ >> shift) != 0; shift += 11) {
        if (((differ >> shift) & 0x7ff) == 0) continue;   /* every key has this digit */
        size_t count[2048] = {0};
        for (size_t i = 0; i < n; i++) count[(from[i].addr >> shift) & 0x7ff]++;
        size_t at = 0;
        for (size_t d = 0; d < 2048; d++) {
            size_t c = count[d];
            count[d] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++) to[count[(from[i].addr >> shift) & 0x7ff]++] = from[i];
        struct hs_owner *t = from;
        from = to;
        to = t;
    }
    if (from != o) memcpy(o, from, n * sizeof *o);
    free(tmp);
}

/* See view_internal.h: in step order already in address order when no
 * chunk went back below a later one (a trace that only allocates), and then
 * left as it is.  Cannot fail. */
void hs_owners_sort_(struct hs_owner *o, size_t n)
{
    size_t i = 1;
    while (i < n && cmp_owner(&o[i - 1], &o[i]) < 0) i++;
    if (i < n) radix_sort(o, n);
}

uint32_t hs_view_former_id(const hs_view *v, uint64_t addr, uint64_t size)
{
    return hs_view_former_owner(v, 0, addr, size, NULL);
}

uint32_t hs_view_former_owner(const hs_view *v, uint32_t k, uint64_t addr, uint64_t size, size_t *since)
{
    if (since) *since = 0;
    addr |= (uint64_t)k << HS_OWNER_ARENA_SHIFT;   /* arena k's chunks, as the owners keep them */
    size_t lo = 0, hi = v->nowners;
    while (lo < hi) {  /* first entry past (addr, step) */
        size_t mid = (lo + hi) / 2;
        const struct hs_owner *o = &v->owners[mid];
        if (o->addr < addr || (o->addr == addr && o->step <= v->step)) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return HS_NO_ID;
    const struct hs_owner *o = &v->owners[lo - 1];
    if (o->addr != addr || o->size != size) return HS_NO_ID;
    if (since) *since = o->step;
    return o->id;
}
