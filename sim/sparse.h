/* sim/sparse.h — one page's mostly-default slots: the written words of a PG_FILL page, and a page's chunk tags.
 * Owns: hs_sparse (a bitmap and the set values in slot order) and hs_tagpage (listed while few, then in place), with their get/set/dup/check. */
#ifndef HS_SPARSE_H
#define HS_SPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Set bits of x, without a library call on machines the build does not
 * assume have POPCNT.  Never fails. */
static inline unsigned hs_popcount64(uint64_t x)
{
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
    return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* At most HS_SPARSE_SLOTS slots (the 512 words of a 4096-byte page).  A slot
 * whose bit is clear holds the owner's default (the page's fill pattern);
 * v[] holds the n set slots' values in slot order, so slot i's value is
 * v[rank (i)], rank the set bits below i: pre[i / 64] plus those of its own
 * bitmap word.  Invariant (hs_sparse_check): pre[k] counts the bits of
 * bits[0, k), n all of them, n <= cap, n > 0 (an empty array is freed: the
 * owner keeps NULL). */
#define HS_SPARSE_SLOTS 512
typedef struct hs_sparse {
    uint64_t bits[HS_SPARSE_SLOTS / 64];
    uint16_t pre[HS_SPARSE_SLOTS / 64];
    uint32_t n, cap;
    uint64_t v[];
} hs_sparse;

/* Set slots below slot i.  Never fails. */
static inline unsigned hs_sparse_rank(const hs_sparse *p, unsigned i)
{
    uint64_t below = p->bits[i >> 6] & ((UINT64_C(1) << (i & 63)) - 1);
    return p->pre[i >> 6] + hs_popcount64 (below);
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
/* The words of page (HS_SPARSE_SLOTS of them, 8 bytes each, any alignment)
 * whose bits are set in bits[] (not all clear) as a new array of exactly that
 * room.  NULL when out of memory. */
hs_sparse *hs_sparse_from(const uint8_t *page, const uint64_t *bits);
/* A copy of p (NULL for NULL); NULL with *ok cleared when out of memory. */
hs_sparse *hs_sparse_dup(const hs_sparse *p, int *ok);
/* Makes q (room for at least p->n slots: q->cap >= p->n) hold p's slots,
 * keeping q's room.  Never fails. */
void hs_sparse_copy(hs_sparse *q, const hs_sparse *p);
/* Bytes p takes (0 for NULL).  Never fails. */
size_t hs_sparse_size(const hs_sparse *p);
/* NULL when p keeps the invariant above, else what is broken. */
const char *hs_sparse_check(const hs_sparse *p);

/* The chunk tags of one page, HS_TAGS_PER_PAGE slots (heap.h): while at
 * most HS_TAGS_LISTED are non-zero, n of them listed as (slot[k], tag[k])
 * in any order; past that (n == HS_TAGS_DENSE) tag[] holds every slot in
 * place, as a page full of small chunks needs.  A page of a few big chunks
 * costs ~90 bytes, a dense one ~1 KiB.  Invariant (hs_tags_check): listed
 * slots are distinct and their tags non-zero. */
#define HS_TAGS_LISTED 16
#define HS_TAGS_DENSE  UINT32_MAX
typedef struct hs_tagpage {
    uint32_t n;
    uint8_t  slot[HS_TAGS_LISTED];
    uint32_t tag[];
} hs_tagpage;

/* Where slot i is listed in a listed (not dense) t: k < t->n with
 * t->slot[k] == i, else t->n.  All 16 slot bytes are compared at once (the
 * bytes past n hold stale slots or zeros: the first match is exact, and
 * one at k >= n means none below n).  Never fails. */
static inline uint32_t hs_tags_find(const hs_tagpage *t, unsigned i)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    uint64_t w[2];
    memcpy (w, t->slot, sizeof w);
    for (unsigned h = 0; h < 2; h++) {
        uint64_t x = w[h] ^ (ones * (uint8_t)i);          /* a zero byte where slot == i */
        uint64_t z = (x - ones) & ~x & highs;             /* its lowest set bit is exact */
        if (z) {
            uint32_t k = 8 * h + (uint32_t)__builtin_ctzll (z) / 8;
            return k < t->n ? k : t->n;
        }
    }
    return t->n;
}

/* The tag of slot i (0 where none, or t NULL).  Never fails. */
static inline uint32_t hs_tags_get(const hs_tagpage *t, unsigned i)
{
    if (!t)
        return 0;
    if (t->n == HS_TAGS_DENSE)
        return t->tag[i];
    uint32_t k = hs_tags_find (t, i);
    return k < t->n ? t->tag[k] : 0;
}

/* Sets slot i of *tp to tag (0 clears it), allocating the page's tags or
 * making them dense (*tp may move).  -1 when out of memory, *tp unchanged. */
int hs_tags_set(hs_tagpage **tp, unsigned i, uint32_t tag);
/* A copy of t (NULL for NULL); NULL with *ok cleared when out of memory. */
hs_tagpage *hs_tags_dup(const hs_tagpage *t, int *ok);
/* Makes c, of t's size (hs_tags_size equal), a copy of t.  Never fails. */
void hs_tags_copy(hs_tagpage *c, const hs_tagpage *t);
/* Bytes t takes (0 for NULL).  Never fails. */
size_t hs_tags_size(const hs_tagpage *t);
/* NULL when t keeps the invariant above, else what is broken. */
const char *hs_tags_check(const hs_tagpage *t);

#endif
