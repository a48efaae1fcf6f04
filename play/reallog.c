/* play/reallog.c — real glibc's steps and heap pages kept compactly, for traces of millions of ops.
 * Owns: the varint encodings behind hs_rlog and hs_rpages (play/reallog.h). */
#include "reallog.h"

#include <stdlib.h>
#include <string.h>

/* ---- varints (LEB128) and zigzag ---- */

#define VARINT_MAX 10   /* bytes of the largest uint64_t */

static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* Reads a varint at *p (advanced); the encoder wrote it, so it is whole. */
static uint64_t get_varint(const uint8_t **p)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        uint8_t b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
    }
    return v;
}

static uint64_t zigzag(uint64_t d) { return (d << 1) ^ (uint64_t)((int64_t)d >> 63); }
static uint64_t unzigzag(uint64_t z) { return (z >> 1) ^ (uint64_t)-(int64_t)(z & 1); }

/* Makes room for need bytes in *buf (capacity *cap, at most limit); false
 * when out of memory or over the limit. */
static bool reserve(uint8_t **buf, size_t *cap, size_t need, size_t limit)
{
    if (need <= *cap) return true;
    if (need > limit) return false;
    size_t c = *cap ? *cap : 4096;
    while (c < need) c *= 2;
    if (c > limit) c = limit;
    uint8_t *p = realloc(*buf, c);
    if (!p) return false;
    *buf = p;
    *cap = c;
    return true;
}

/* ---- step lines ---- */

/* Fields of hs_step kept, see pack().  A threaded trace's per-arena figures
 * (hs_step.arenas) are not kept, so the window compares each chunk's arena
 * but not those figures (`heapsim validate` does). */
enum { NF = 22 };

typedef struct rlog_err {
    size_t step;
    char msg[HS_ERROR_MAX];
} rlog_err;

struct hs_rlog {
    uint8_t *buf;
    size_t len, cap;
    size_t *key;             /* key[k]: offset of step k * HS_RLOG_KEY + 1 */
    size_t nkey, capkey;
    size_t n;
    uint64_t last[NF];       /* the last step appended */
    rlog_err *err;
    size_t nerr, caperr;
    size_t rstep, roff;      /* read cursor: step rstep decoded, next record at roff */
    uint64_t rf[NF];
};

static void pack(const hs_step *s, uint64_t f[NF])
{
    uint64_t v[NF] = {s->has & ~(uint64_t)HS_HAS_ARENAS, s->mmapped, s->ptr, s->chunk, s->brk, s->mmaps, s->mmapped_bytes,
                      (uint64_t)s->mmap_threshold, (uint64_t)s->trim_threshold, s->rss,
                      (uint64_t)s->rss_anon, s->minflt, s->mi.arena, s->mi.ordblks, s->mi.smblks,
                      s->mi.hblks, s->mi.hblkhd, s->mi.uordblks, s->mi.fordblks, s->mi.fsmblks,
                      s->mi.keepcost, s->arena};
    memcpy(f, v, sizeof v);
}

static void unpack(const uint64_t f[NF], size_t step, hs_step *s)
{
    memset(s, 0, sizeof *s);
    s->step = (uint32_t)step;
    s->has = (uint32_t)f[0];
    s->mmapped = (uint8_t)f[1];
    s->ptr = f[2];
    s->chunk = f[3];
    s->brk = f[4];
    s->mmaps = f[5];
    s->mmapped_bytes = f[6];
    s->mmap_threshold = (int64_t)f[7];
    s->trim_threshold = (int64_t)f[8];
    s->rss = f[9];
    s->rss_anon = (int64_t)f[10];
    s->minflt = f[11];
    uint64_t *mi[9] = {&s->mi.arena, &s->mi.ordblks, &s->mi.smblks, &s->mi.hblks, &s->mi.hblkhd,
                       &s->mi.uordblks, &s->mi.fordblks, &s->mi.fsmblks, &s->mi.keepcost};
    for (int i = 0; i < 9; i++) *mi[i] = f[12 + i];
    s->arena = (uint32_t)f[21];
}

hs_rlog *hs_rlog_new(void) { return calloc(1, sizeof(hs_rlog)); }

void hs_rlog_free(hs_rlog *l)
{
    if (!l) return;
    free(l->buf);
    free(l->key);
    free(l->err);
    free(l);
}

void hs_rlog_clear(hs_rlog *l)
{
    l->len = l->nkey = l->n = l->nerr = 0;
    l->rstep = 0;
}

int hs_rlog_append(hs_rlog *l, const hs_step *st)
{
    uint64_t f[NF], zero[NF] = {0};
    pack(st, f);
    bool key = l->n % HS_RLOG_KEY == 0;
    const uint64_t *prev = key ? zero : l->last;
    if (!reserve(&l->buf, &l->cap, l->len + (NF + 1) * VARINT_MAX, SIZE_MAX)) return -1;
    if (key && l->nkey == l->capkey) {
        size_t c = l->capkey ? 2 * l->capkey : 64;
        size_t *p = realloc(l->key, c * sizeof *p);
        if (!p) return -1;
        l->key = p;
        l->capkey = c;
    }
    if ((st->has & HS_HAS_ERROR) && l->nerr == l->caperr) {
        size_t c = l->caperr ? 2 * l->caperr : 2;
        rlog_err *p = realloc(l->err, c * sizeof *p);
        if (!p) return -1;
        l->err = p;
        l->caperr = c;
    }
    if (key) l->key[l->nkey++] = l->len;
    uint64_t mask = 0;
    for (int i = 0; i < NF; i++)
        if (f[i] != prev[i]) mask |= UINT64_C(1) << i;
    l->len += put_varint(l->buf + l->len, mask);
    for (int i = 0; i < NF; i++)
        if (mask >> i & 1) l->len += put_varint(l->buf + l->len, zigzag(f[i] - prev[i]));
    memcpy(l->last, f, sizeof f);
    l->n++;
    if (st->has & HS_HAS_ERROR) {
        rlog_err *e = &l->err[l->nerr++];
        e->step = l->n;
        memcpy(e->msg, st->error, sizeof e->msg);
        e->msg[sizeof e->msg - 1] = '\0';
    }
    return 0;
}

size_t hs_rlog_count(const hs_rlog *l) { return l->n; }

bool hs_rlog_get(hs_rlog *l, size_t step, hs_step *out)
{
    if (step == 0 || step > l->n) {
        memset(out, 0, sizeof *out);
        return false;
    }
    size_t blk = (step - 1) / HS_RLOG_KEY;
    if (l->rstep == 0 || step <= l->rstep || (l->rstep - 1) / HS_RLOG_KEY != blk) {
        l->rstep = blk * HS_RLOG_KEY;   /* decoded "before" the block: start from zero */
        l->roff = l->key[blk];
        memset(l->rf, 0, sizeof l->rf);
    }
    const uint8_t *p = l->buf + l->roff;
    while (l->rstep < step) {
        uint64_t mask = get_varint(&p);
        for (int i = 0; i < NF; i++)
            if (mask >> i & 1) l->rf[i] += unzigzag(get_varint(&p));
        l->rstep++;
    }
    l->roff = (size_t)(p - l->buf);
    unpack(l->rf, step, out);
    for (size_t i = 0; i < l->nerr; i++)
        if (l->err[i].step == step) memcpy(out->error, l->err[i].msg, sizeof out->error);
    return true;
}

size_t hs_rlog_bytes(const hs_rlog *l)
{
    return sizeof *l + l->cap + l->capkey * sizeof *l->key + l->caperr * sizeof *l->err;
}

/* ---- heap page runs ---- */

struct hs_rpages {
    size_t budget;
    uint8_t *buf;            /* the encoded runs */
    size_t len, cap;
    uint32_t *off;           /* off[i]: 1 + offset of step i + 1's record, 0: no data */
    size_t n, capoff;        /* steps stored */
    size_t full;             /* first step not stored for lack of room, 0 if none */
    size_t last_at, last_len;  /* the newest record, to share it when unchanged */
    uint8_t *tmp;            /* one record being encoded */
    size_t tmpcap;
};

hs_rpages *hs_rpages_new(size_t budget)
{
    hs_rpages *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->budget = budget < UINT32_MAX ? budget : UINT32_MAX;
    return p;
}

void hs_rpages_free(hs_rpages *p)
{
    if (!p) return;
    free(p->buf);
    free(p->off);
    free(p->tmp);
    free(p);
}

void hs_rpages_clear(hs_rpages *p)
{
    p->len = p->n = p->full = p->last_len = 0;
}

/* The memory counted against the budget with `extra` more record bytes and one more index entry. */
static size_t rpages_need(const hs_rpages *p, size_t extra)
{
    return p->len + extra + (p->n + 1) * sizeof *p->off;
}

int hs_rpages_append(hs_rpages *p, const hs_real_pages *pg)
{
    if (p->full) return 1;
    size_t rec = 0;
    if (pg) {
        size_t max = (3 + 2 * pg->n_runs) * VARINT_MAX;
        if (!reserve(&p->tmp, &p->tmpcap, max, SIZE_MAX)) goto oom;
        rec += put_varint(p->tmp + rec, pg->pages);
        rec += put_varint(p->tmp + rec, pg->covered);
        rec += put_varint(p->tmp + rec, pg->n_runs);
        uint64_t end = 0;
        for (size_t i = 0; i < pg->n_runs; i++) {
            rec += put_varint(p->tmp + rec, pg->runs[i].first - end);
            rec += put_varint(p->tmp + rec, pg->runs[i].count);
            end = (uint64_t)pg->runs[i].first + pg->runs[i].count;
        }
    }
    bool same = pg && p->last_len == rec && memcmp(p->buf + p->last_at, p->tmp, rec) == 0;
    size_t add = pg && !same ? rec : 0;
    if (rpages_need(p, add) > p->budget) {
        p->full = p->n + 1;
        return 1;
    }
    if (p->n == p->capoff) {
        size_t c = p->capoff ? 2 * p->capoff : 1024;
        uint32_t *o = realloc(p->off, c * sizeof *o);
        if (!o) goto oom;
        p->off = o;
        p->capoff = c;
    }
    if (add) {
        if (!reserve(&p->buf, &p->cap, p->len + add, p->budget)) goto oom;
        memcpy(p->buf + p->len, p->tmp, add);
        p->last_at = p->len;
        p->last_len = add;
        p->len += add;
    }
    p->off[p->n++] = pg ? (uint32_t)(p->last_at + 1) : 0;
    return 0;
oom:
    p->full = p->n + 1;
    return -1;
}

size_t hs_rpages_full(const hs_rpages *p) { return p->full; }

int hs_rpages_get(const hs_rpages *p, size_t step, uint64_t first, size_t n, uint8_t *out,
                  uint64_t *pages)
{
    *pages = 0;
    if (p->full && step >= p->full) return HS_RPG_BUDGET;
    if (step == 0 || step > p->n || !p->off[step - 1]) return HS_RPG_NONE;
    const uint8_t *q = p->buf + p->off[step - 1] - 1;
    uint64_t total = get_varint(&q), covered = get_varint(&q), nruns = get_varint(&q);
    *pages = total;
    for (size_t i = 0; i < n; i++) {
        uint64_t pg = first + i;
        out[i] = pg >= covered && pg < total ? HS_PAGE_UNKNOWN : 0;
    }
    uint64_t end = 0, last = first + n;
    for (uint64_t r = 0; r < nruns; r++) {
        uint64_t a = end + get_varint(&q);
        end = a + get_varint(&q);
        if (a >= last) break;
        for (uint64_t pg = a > first ? a : first; pg < end && pg < last; pg++) out[pg - first] = 1;
    }
    return HS_RPG_OK;
}

size_t hs_rpages_bytes(const hs_rpages *p)
{
    return sizeof *p + p->cap + p->capoff * sizeof *p->off + p->tmpcap;
}
