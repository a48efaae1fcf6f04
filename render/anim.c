/* render/anim.c — what to draw between two steps: chunk boxes matched and interpolated.
 * Owns: hs_anim_items (dritem), the glide's matches (hs_glide), the plain runs (hs_runs), hs_real_at. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- animation: what to draw between two steps ---- */


static float ease(float t) { return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t); }

/* Matching the items before a change (ui->from) with those after it (the
 * snapshot's): each item continues the first unused item before it of rule
 * 0 the same (region, id), else (the top chunk) 1 the region's top with the
 * lowest address, else 2 the same (region, address), not the top; "first"
 * in from's order.  Made once per change (match), kept in the scene for the
 * glide's frames. */

/* The general way, for any from: indices into from sorted (stably) by
 * (region, id) and by (region, top last, addr), binary searched. */
static const hs_item *sort_from;  /* the array being sorted (qsort has no context) */

static int cmp_key(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

static int cmp_from_id(const void *pa, const void *pb)
{
    const hs_item *a = &sort_from[*(const size_t *)pa], *b = &sort_from[*(const size_t *)pb];
    int c = cmp_key(a->region, b->region);
    c = c ? c : cmp_key(a->id, b->id);
    return c ? c : cmp_key(*(const size_t *)pa, *(const size_t *)pb);   /* stable */
}

static int cmp_from_addr(const void *pa, const void *pb)
{
    const hs_item *a = &sort_from[*(const size_t *)pa], *b = &sort_from[*(const size_t *)pb];
    int c = cmp_key(a->region, b->region);
    if (c) return c;
    c = cmp_key(a->state == HS_CH_TOP, b->state == HS_CH_TOP);
    c = c ? c : cmp_key(a->addr, b->addr);
    return c ? c : cmp_key(*(const size_t *)pa, *(const size_t *)pb);
}

/* The unused item of from that c continues by rule (0 id, 1 top, 2 address)
 * in the sorted indices idx; SIZE_MAX when none. */
static size_t find_sorted(const hs_ui *ui, const size_t *idx, const hs_item *c, int rule, const uint8_t *used)
{
    size_t lo = 0, hi = ui->nfrom;
    while (lo < hi) {  /* first entry not below c's key */
        size_t mid = (lo + hi) / 2;
        const hs_item *f = &ui->from[idx[mid]];
        int k = cmp_key(f->region, c->region);
        if (!k && rule == 0) k = cmp_key(f->id, c->id);
        if (!k && rule > 0) k = cmp_key(f->state == HS_CH_TOP, rule == 1);
        if (!k && rule == 2) k = cmp_key(f->addr, c->addr);
        if (k < 0) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < ui->nfrom; lo++) {
        const hs_item *f = &ui->from[idx[lo]];
        if (f->region != c->region) return SIZE_MAX;
        if (rule == 0 && f->id != c->id) return SIZE_MAX;
        if (rule == 1 && f->state != HS_CH_TOP) return SIZE_MAX;
        if (rule == 2 && (f->state == HS_CH_TOP || f->addr != c->addr)) return SIZE_MAX;
        if (!used[idx[lo]]) return idx[lo];
    }
    return SIZE_MAX;
}

/* The quick way, for a from as snapshots make it (play/snap.c): the heap's
 * items (region 0) by rising address, then the mappings' (1) by falling
 * address, ids unique and below nid, at most 4 tops.  Then rule 0 has at
 * most one candidate (pos[id]), rule 2 one (found by binary search) and rule
 * 1 a few (tops, by address): the same answers as the general way, in O(n). */
typedef struct quick {
    size_t m0;          /* from's heap items: [0, m0) */
    uint32_t *pos;      /* id -> from's index + 1 */
    uint32_t nid;
    size_t tops[4], ntops;
} quick;

/* Fills q when from has the quick way's shape; false when not (or out of memory). */
static bool quick_init(const hs_ui *ui, uint32_t nid, quick *q)
{
    const hs_item *F = ui->from;
    size_t m = ui->nfrom, m0 = 0;
    memset(q, 0, sizeof *q);
    if (m >= UINT32_MAX) return false;
    while (m0 < m && F[m0].region == 0) m0++;
    for (size_t j = 0; j < m; j++) {
        if (j >= m0 && F[j].region != 1) return false;
        if (j > 0 && j != m0 && (j < m0 ? F[j].addr <= F[j - 1].addr : F[j].addr >= F[j - 1].addr)) return false;
        if (F[j].state == HS_CH_TOP) {
            if (q->ntops == 4) return false;
            size_t k = q->ntops++;   /* by address, then index: the general way's order */
            while (k > 0 && F[q->tops[k - 1]].addr > F[j].addr) q->tops[k] = q->tops[k - 1], k--;
            q->tops[k] = j;
        }
        if (F[j].id != HS_NO_ID && F[j].id >= nid) return false;
    }
    q->pos = calloc((size_t)nid + 1, sizeof *q->pos);
    if (!q->pos) return false;
    for (size_t j = 0; j < m; j++) {
        if (F[j].id == HS_NO_ID) continue;
        if (q->pos[F[j].id]) {   /* an id twice: the general way */
            free(q->pos);
            q->pos = NULL;
            return false;
        }
        q->pos[F[j].id] = (uint32_t)j + 1;
    }
    q->m0 = m0;
    q->nid = nid;
    return true;
}

/* find_sorted's answer the quick way. */
static size_t find_quick(const hs_ui *ui, const quick *q, const hs_item *c, int rule, const uint8_t *used)
{
    const hs_item *F = ui->from;
    if (rule == 0) {
        uint32_t p = c->id < q->nid ? q->pos[c->id] : 0;
        return p && F[p - 1].region == c->region && !used[p - 1] ? p - 1 : SIZE_MAX;
    }
    if (rule == 1) {
        for (size_t k = 0; k < q->ntops; k++)
            if (F[q->tops[k]].region == c->region && !used[q->tops[k]]) return q->tops[k];
        return SIZE_MAX;
    }
    if (c->region > 1) return SIZE_MAX;
    bool up = c->region == 0;   /* the heap's rise, the mappings' fall */
    size_t lo = up ? 0 : q->m0, hi = up ? q->m0 : ui->nfrom;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (up ? F[mid].addr < c->addr : F[mid].addr > c->addr) lo = mid + 1;
        else hi = mid;
    }
    if (lo < (up ? q->m0 : ui->nfrom) && F[lo].addr == c->addr && F[lo].state != HS_CH_TOP && !used[lo])
        return lo;
    return SIZE_MAX;
}

/* Makes *p hold need entries of sz bytes (*cap of them now); false when out of memory. */
static bool grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap) return true;
    void *q = realloc(*p, need * sz);
    if (!q) return false;
    *p = q;
    *cap = need;
    return true;
}

/* Fills g (the glide's matches) for v's snapshot and ui->from, kept for the
 * change's next frames when ui->from_gen says which snapshot from is.
 * Returns 2 when kept from an earlier frame, 1 when made now, 0 when out of
 * memory (nothing kept). */
static int match(hs_glide *g, const hs_view *v, const hs_ui *ui)
{
    const hs_snap *s = &v->snap;
    size_t n = s->nitems, m = ui->nfrom;
    if (ui->from_gen && g->from == ui->from_gen && g->gen == s->gen && g->n == n && g->nfrom == m)
        return 2;
    g->gen = g->from = 0;
    if (!grow((void **)&g->match, &g->cap_match, n, sizeof *g->match) ||
        !grow((void **)&g->gone, &g->cap_gone, m, sizeof *g->gone))
        return 0;
    uint8_t *used = calloc(m + 1, 1);
    size_t *by_id = NULL, *by_addr = NULL;
    quick q;
    bool fast = used && quick_init(ui, v->t.n_ids, &q);
    if (used && !fast) {
        by_id = malloc((m + 1) * sizeof *by_id);
        by_addr = malloc((m + 1) * sizeof *by_addr);
        if (by_id && by_addr) {
            for (size_t j = 0; j < m; j++) by_id[j] = by_addr[j] = j;
            sort_from = ui->from;
            qsort(by_id, m, sizeof *by_id, cmp_from_id);
            qsort(by_addr, m, sizeof *by_addr, cmp_from_addr);
        }
    }
    bool ok = used && (fast || (by_id && by_addr));
    for (size_t i = 0; ok && i < n; i++) {
        const hs_item *c = &s->items[i];
        size_t mi = SIZE_MAX;
        for (int rule = c->id != HS_NO_ID ? 0 : 1; mi == SIZE_MAX && rule <= 2; rule++) {
            if (rule == 1 && c->state != HS_CH_TOP) continue;
            mi = fast ? find_quick(ui, &q, c, rule, used) : find_sorted(ui, rule ? by_addr : by_id, c, rule, used);
        }
        if (mi != SIZE_MAX) used[mi] = 1;
        g->match[i] = mi == SIZE_MAX ? 0 : mi + 1;
    }
    g->ngone = 0;
    for (size_t j = 0; ok && j < m; j++)
        if (!used[j]) g->gone[g->ngone++] = j;
    /* the glide's plain runs (in the frame's items, after the gone): heap chunks that
     * continue one with the same bounds and state, drawn as at rest all the way */
    g->npr = 0;
    for (size_t i = 0; ok && i < n;) {
        const hs_item *c = &s->items[i], *f = g->match[i] ? &ui->from[g->match[i] - 1] : NULL;
        if (c->region != 0) break;
        if (!f || f->lo != c->lo || f->hi != c->hi || f->state != c->state) {
            i++;
            continue;
        }
        size_t j = i + 1, wide = (size_t)(c->hi - c->lo);
        for (; j < n && s->items[j].region == 0 && g->match[j]; j++) {
            const hs_item *h = &ui->from[g->match[j] - 1], *e = &s->items[j];
            if (h->lo != e->lo || h->hi != e->hi || h->state != e->state) break;
            if (e->hi - e->lo > wide) wide = (size_t)(e->hi - e->lo);
        }
        if (!grow((void **)&g->pr, &g->cap_pr, 3 * g->npr + 3, sizeof *g->pr)) {
            g->npr = 0;   /* out of memory: no runs, the same picture */
            break;
        }
        g->pr[3 * g->npr] = g->ngone + i;
        g->pr[3 * g->npr + 1] = g->ngone + j;
        g->pr[3 * g->npr + 2] = wide;
        g->npr++;
        if (grow((void **)&g->same, &g->cap_same, n, sizeof *g->same))
            for (size_t k = j; k-- > i;)
                g->same[k] = k + 1 < j && s->items[k + 1].state == s->items[k].state ? g->same[k + 1]
                                                                                   : g->ngone + k + 1;
        i = j;
    }
    free(used);
    free(by_id);
    free(by_addr);
    if (fast) free(q.pos);
    if (ok) {
        g->gen = s->gen, g->from = ui->from_gen, g->n = n, g->nfrom = m;
    }
    return ok;
}

/* sc->runs for the items just made, the current ones from index cur: a
 * still frame's one run, or the glide's (made by match). */
static void plain_runs(hs_scene *sc, size_t cur, size_t nheap, bool anim)
{
    const dritem *d = sc->dr;
    hs_runs *r = &sc->runs;
    const hs_glide *g = &sc->glide;
    r->n = 0;
    r->h0 = cur;
    r->h1 = cur + nheap;   /* the snapshot's heap items come first (play/snap.c) */
    r->same = NULL;
    if (sc->runs_off) return;
    if (anim) {
        r->pr = g->pr;
        r->n = g->npr;
        r->same = g->cap_same >= g->n && g->same ? g->same : NULL;
    } else if (sc->dr_plain) {
        size_t wide = 0;   /* the widest (labels need room) */
        for (size_t i = 0; i < sc->dr_plain; i++)
            if (d[i].hi - d[i].lo > (double)wide) wide = (size_t)(d[i].hi - d[i].lo);
        r->still[0] = 0, r->still[1] = sc->dr_plain, r->still[2] = wide;
        r->pr = r->still;
        r->n = 1;
    }
}

/* o: current item c, at rest, or at t of the glide from m (NULL: it grows). */
static void cur_item(dritem *o, const hs_item *c, bool anim, const hs_item *m, float t)
{
    o->region = c->region;
    o->s_from = o->s_to = c->state;
    o->current = true;
    o->lo = (double)c->lo;
    o->hi = (double)c->hi;
    o->t = 1;
    o->alpha = 1;
    o->id = c->id;
    o->info = c->info;
    o->addr = c->addr;
    if (!anim) return;
    if (m) {
        o->s_from = m->state;
        o->lo = m->lo + ((double)c->lo - (double)m->lo) * t;
        o->hi = m->hi + ((double)c->hi - (double)m->hi) * t;
        o->t = t;
    } else {
        o->hi = o->lo + ((double)c->hi - (double)c->lo) * t;  /* grows */
    }
}

/* A later frame of the glide sc->dr holds (the same matches): what t moves
 * of it, only; a plain run's chunks change their t alone.  Never fails. */
static void glide_again(hs_scene *sc, const hs_snap *s, const hs_ui *ui, float t)
{
    dritem *d = sc->dr;
    const hs_glide *g = &sc->glide;
    size_t ng = g->ngone, i = 0;
    for (size_t k = 0; k < ng; k++) d[k].alpha = 1 - t;
    for (size_t r = 0; r <= g->npr; r++) {
        size_t a = r < g->npr ? g->pr[3 * r] - ng : s->nitems;
        for (; i < a; i++)
            cur_item(&d[ng + i], &s->items[i], true, g->match[i] ? &ui->from[g->match[i] - 1] : NULL, t);
        for (size_t b = r < g->npr ? g->pr[3 * r + 1] - ng : i; i < b; i++) d[ng + i].t = t;
    }
}

size_t hs_anim_items(hs_scene *sc, const hs_view *v, const hs_ui *ui, double *brk)
{
    const hs_snap *s = &v->snap;
    const hs_glide *g = &sc->glide;
    bool anim = ui->has_from && ui->anim_t < 1;
    float t = ease(ui->anim_t);
    size_t cap = s->nitems + (anim ? ui->nfrom : 0);
    *brk = anim ? ui->from_brk + ((double)s->st.brk - (double)ui->from_brk) * t : (double)s->st.brk;
    /* a still frame of the snapshot the last frame drew still: its items are there */
    if (!anim && s->gen && sc->dr_gen == s->gen) return sc->ndr;
    sc->dr_gen = 0;
    int mt = anim ? match(&sc->glide, v, ui) : 0;
    if (!mt) anim = false;   /* out of memory: no glide */
    if (mt == 2 && sc->dr_glide && sc->ndr == g->ngone + s->nitems) {
        glide_again(sc, s, ui, t);   /* the column's top and mappings are as on its first frame */
        plain_runs(sc, g->ngone, s->nheap, true);
        return sc->ndr;
    }
    sc->dr_glide = false;
    sc->ndr = sc->dr_plain = sc->dr_top = 0;
    sc->dr_any_mm = false;
    if (cap > sc->capdr) {
        /* every field of every item is set below: no need to clear */
        dritem *p = realloc(sc->dr, cap * sizeof *p);
        if (!p) return 0;
        sc->dr = p;
        sc->capdr = cap;
    }
    dritem *d = sc->dr;
    if (!d) return 0;
    /* what went away fades out underneath: drawn first */
    size_t n = 0;
    for (size_t k = 0; anim && k < g->ngone; k++) {
        const hs_item *f = &ui->from[g->gone[k]];
        dritem *o = &d[n++];
        memset(o, 0, sizeof *o);
        o->region = f->region;
        o->s_from = o->s_to = f->state;
        o->lo = (double)f->lo;
        o->hi = (double)f->hi;
        o->t = 1;
        o->alpha = 1 - t;
        o->id = f->id;
        o->addr = f->addr;
    }
    for (size_t i = 0; i < s->nitems; i++)
        cur_item(&d[n++], &s->items[i], anim, anim && g->match[i] ? &ui->from[g->match[i] - 1] : NULL, t);
    /* what the column asks of the items each frame, found once */
    sc->dr_top = n;
    sc->dr_any_mm = false;
    for (size_t i = 0; i < n; i++) {
        if (!d[i].current) continue;
        if (d[i].region == 0 && d[i].s_to == HS_CH_TOP) sc->dr_top = i;
        sc->dr_any_mm |= d[i].region == 1;
    }
    /* still: the heap's chunks come first, in address order (play/snap.c) */
    if (!anim) {
        while (sc->dr_plain < n && d[sc->dr_plain].region == 0) sc->dr_plain++;
        sc->dr_gen = s->gen;
    }
    sc->ndr = n;
    sc->dr_glide = anim && ui->from_gen;   /* its matches are kept: the next frames update it */
    plain_runs(sc, anim ? g->ngone : 0, s->nheap, anim);
    return n;
}

void hs_anim_free(hs_scene *sc)
{
    hs_glide *g = &sc->glide;
    free(g->match);
    free(g->gone);
    free(g->pr);
    free(g->same);
    memset(g, 0, sizeof *g);
    memset(&sc->runs, 0, sizeof sc->runs);
    free(sc->dr);
    sc->dr = NULL;
    sc->capdr = sc->dr_plain = sc->ndr = sc->dr_top = 0;
    sc->dr_gen = 0;
    sc->dr_glide = sc->dr_any_mm = false;
}

hs_color hs_item_color(const dritem *d)
{
    /* the same state at both ends: the lerp would give that colour exactly (a + 0 * t) */
    if (d->s_from == d->s_to) return hs_state_color(d->s_to);
    return hs_color_lerp(hs_state_color(d->s_from), hs_state_color(d->s_to), d->t);
}

/* Real glibc's step line of step into *buf; NULL when it is not in. */
const hs_step *hs_real_at(const hs_view *v, size_t step, hs_step *buf)
{
    return hs_view_real_get(v, step, buf) ? buf : NULL;
}
