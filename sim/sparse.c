/* sim/sparse.c — growing, shrinking and copying a page's sparse slots.
 * Owns: hs_sparse_set, hs_sparse_del, hs_sparse_dup, hs_sparse_check (see sparse.h). */
#include "sparse.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static size_t sparse_size(uint32_t cap)
{
    return offsetof (hs_sparse, v) + (size_t)cap * sizeof (uint64_t);
}

int hs_sparse_set(hs_sparse **pp, unsigned i, uint64_t v)
{
    hs_sparse *p = *pp;
    uint64_t bit = UINT64_C(1) << (i & 63);
    if (p && (p->bits[i >> 6] & bit)) {
        p->v[hs_sparse_rank (p, i)] = v;
        return 0;
    }
    if (!p || p->n == p->cap) {
        uint32_t cap = p ? p->cap * 2 : 4;
        hs_sparse *q = realloc (p, sparse_size (cap));
        if (!q)
            return -1;
        if (!p)
            memset (q, 0, offsetof (hs_sparse, v));
        q->cap = cap;
        *pp = p = q;
    }
    unsigned r = hs_sparse_rank (p, i);
    memmove (&p->v[r + 1], &p->v[r], (p->n - r) * sizeof p->v[0]);
    p->v[r] = v;
    p->bits[i >> 6] |= bit;
    p->n++;
    return 0;
}

void hs_sparse_del(hs_sparse **pp, unsigned i)
{
    hs_sparse *p = *pp;
    uint64_t bit = UINT64_C(1) << (i & 63);
    if (!p || !(p->bits[i >> 6] & bit))
        return;
    if (p->n == 1) {
        free (p);
        *pp = NULL;
        return;
    }
    unsigned r = hs_sparse_rank (p, i);
    memmove (&p->v[r], &p->v[r + 1], (p->n - r - 1) * sizeof p->v[0]);
    p->bits[i >> 6] &= ~bit;
    p->n--;
}

hs_sparse *hs_sparse_dup(const hs_sparse *p, int *ok)
{
    if (!p)
        return NULL;
    hs_sparse *q = malloc (sparse_size (p->n));
    if (!q) {
        *ok = 0;
        return NULL;
    }
    memcpy (q, p, sparse_size (p->n));
    q->cap = p->n;
    return q;
}

const char *hs_sparse_check(const hs_sparse *p)
{
    if (!p)
        return NULL;
    unsigned set = 0;
    for (unsigned k = 0; k < HS_SPARSE_SLOTS / 64; k++)
        set += (unsigned)__builtin_popcountll (p->bits[k]);
    if (set != p->n || p->n == 0 || p->n > p->cap)
        return "a sparse page's count differs from its set slots, or it is empty";
    return NULL;
}
