/* sim/sparse.h — one page's mostly-zero slots: a bitmap of the set ones and their values packed in slot order.
 * Owns: hs_sparse and its get/set/del/dup, for the written words of a heap page and its chunk tags (pages.c, mem.h). */
#ifndef HS_SPARSE_H
#define HS_SPARSE_H

#include <stdint.h>

/* At most HS_SPARSE_SLOTS slots (the 512 words of a 4096-byte page).  A slot
 * whose bit is clear holds the owner's default (zero for tags, the page's
 * fill pattern for words); v[] holds the n set slots' values in slot order,
 * so slot i's value is v[rank (i)], rank the set bits below i.  Invariant
 * (checked by hs_sparse_check): n equals the bits set, n <= cap, n > 0 (an
 * empty array is freed: the owner keeps NULL). */
#define HS_SPARSE_SLOTS 512
typedef struct hs_sparse {
    uint64_t bits[HS_SPARSE_SLOTS / 64];
    uint32_t n, cap;
    uint64_t v[];
} hs_sparse;

/* Set slots below slot i.  Never fails. */
static inline unsigned hs_sparse_rank(const hs_sparse *p, unsigned i)
{
    unsigned r = 0, w = i >> 6;
    for (unsigned k = 0; k < w; k++)
        r += (unsigned)__builtin_popcountll (p->bits[k]);
    if (i & 63)
        r += (unsigned)__builtin_popcountll (p->bits[w] & ((UINT64_C(1) << (i & 63)) - 1));
    return r;
}

/* Slot i's value, dflt where it is not set (or p is NULL).  Never fails. */
static inline uint64_t hs_sparse_get(const hs_sparse *p, unsigned i, uint64_t dflt)
{
    if (!p || !(p->bits[i >> 6] >> (i & 63) & 1))
        return dflt;
    return p->v[hs_sparse_rank (p, i)];
}

/* Sets slot i of *pp to v, allocating or growing the array (*pp may move;
 * NULL starts one).  -1 when out of memory, *pp unchanged. */
int hs_sparse_set(hs_sparse **pp, unsigned i, uint64_t v);
/* Clears slot i; the last one frees the array (*pp = NULL).  Never fails. */
void hs_sparse_del(hs_sparse **pp, unsigned i);
/* A copy of p (NULL for NULL); NULL with *ok cleared when out of memory. */
hs_sparse *hs_sparse_dup(const hs_sparse *p, int *ok);
/* NULL when p keeps the invariant above, else what is broken. */
const char *hs_sparse_check(const hs_sparse *p);

#endif
