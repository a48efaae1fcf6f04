/* sim/sparse.c — growing, shrinking and copying a page's sparse words and chunk tags.
 * Owns: hs_sparse_set/del/dup/size/check and hs_tags_set/dup/size/check (see sparse.h). */
#include "sparse.h"

#include <stdlib.h>
#include <string.h>

#include "heap.h"   /* HS_TAGS_PER_PAGE */

static size_t sparse_size(uint32_t cap)
{
    return offsetof (hs_sparse, v) + (size_t)cap * sizeof (uint64_t);
}

size_t hs_sparse_size(const hs_sparse *p)
{
    return p ? sparse_size (p->cap) : 0;
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
    for (unsigned k = (i >> 6) + 1; k < HS_SPARSE_SLOTS / 64; k++)
        p->pre[k]++;
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
    for (unsigned k = (i >> 6) + 1; k < HS_SPARSE_SLOTS / 64; k++)
        p->pre[k]--;
    p->n--;
}

hs_sparse *hs_sparse_from(const uint8_t *page, const uint64_t *bits)
{
    unsigned n = 0;
    for (unsigned k = 0; k < HS_SPARSE_SLOTS / 64; k++)
        n += hs_popcount64 (bits[k]);
    hs_sparse *p = malloc (sparse_size (n));
    if (!p)
        return NULL;
    p->n = p->cap = n;
    n = 0;
    for (unsigned k = 0; k < HS_SPARSE_SLOTS / 64; k++) {
        p->bits[k] = bits[k];
        p->pre[k] = (uint16_t)n;
        for (uint64_t m = bits[k]; m; m &= m - 1)
            memcpy (&p->v[n++], page + 8 * (64 * k + (unsigned)__builtin_ctzll (m)), 8);
    }
    return p;
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

void hs_sparse_copy(hs_sparse *q, const hs_sparse *p)
{
    uint32_t cap = q->cap;
    memcpy (q, p, sparse_size (p->n));
    q->cap = cap;
}

const char *hs_sparse_check(const hs_sparse *p)
{
    if (!p)
        return NULL;
    unsigned set = 0;
    for (unsigned k = 0; k < HS_SPARSE_SLOTS / 64; k++) {
        if (p->pre[k] != set)
            return "a sparse page's running counts differ from its bitmap";
        set += hs_popcount64 (p->bits[k]);
    }
    if (set != p->n || p->n == 0 || p->n > p->cap)
        return "a sparse page's count differs from its set slots, or it is empty";
    return NULL;
}

static size_t tags_size(uint32_t n)
{
    return offsetof (hs_tagpage, tag)
         + (n == HS_TAGS_DENSE ? HS_TAGS_PER_PAGE : HS_TAGS_LISTED) * sizeof (uint32_t);
}

size_t hs_tags_size(const hs_tagpage *t)
{
    return t ? tags_size (t->n) : 0;
}

int hs_tags_set(hs_tagpage **tp, unsigned i, uint32_t tag)
{
    hs_tagpage *t = *tp;
    if (t && t->n == HS_TAGS_DENSE) {
        t->tag[i] = tag;
        return 0;
    }
    uint32_t k = t ? hs_tags_find (t, i) : 0;
    if (t && k < t->n) {           /* listed: replace, or drop (the last one moves in) */
        if (tag) {
            t->tag[k] = tag;
            return 0;
        }
        t->n--;
        t->slot[k] = t->slot[t->n];
        t->tag[k] = t->tag[t->n];
        return 0;
    }
    if (!tag)
        return 0;
    if (!t) {
        if (!(t = malloc (tags_size (0))))
            return -1;
        t->n = 0;
        memset (t->slot, 0, sizeof t->slot);   /* hs_tags_find reads all of them */
        *tp = t;
    }
    if (t->n < HS_TAGS_LISTED) {
        t->slot[t->n] = (uint8_t)i;
        t->tag[t->n++] = tag;
        return 0;
    }
    hs_tagpage *d = calloc (1, tags_size (HS_TAGS_DENSE));   /* one too many: in place */
    if (!d)
        return -1;
    d->n = HS_TAGS_DENSE;
    for (k = 0; k < t->n; k++)
        d->tag[t->slot[k]] = t->tag[k];
    d->tag[i] = tag;
    free (t);
    *tp = d;
    return 0;
}

hs_tagpage *hs_tags_dup(const hs_tagpage *t, int *ok)
{
    if (!t)
        return NULL;
    hs_tagpage *c = malloc (tags_size (t->n));
    if (!c) {
        *ok = 0;
        return NULL;
    }
    memcpy (c, t, tags_size (t->n));
    return c;
}

void hs_tags_copy(hs_tagpage *c, const hs_tagpage *t)
{
    memcpy (c, t, tags_size (t->n));
}

const char *hs_tags_check(const hs_tagpage *t)
{
    if (!t || t->n == HS_TAGS_DENSE)
        return NULL;
    if (t->n > HS_TAGS_LISTED)
        return "a page lists more tags than it can";
    for (uint32_t k = 0; k < t->n; k++) {
        if (!t->tag[k])
            return "a page lists a zero tag";
        for (uint32_t j = 0; j < k; j++)
            if (t->slot[j] == t->slot[k])
                return "a page lists one slot twice";
    }
    return NULL;
}
