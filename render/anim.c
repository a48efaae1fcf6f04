/* render/anim.c — what to draw between two steps: chunk boxes matched and interpolated.
 * Owns: hs_anim_items (dritem), the real step lookup the panels share. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- animation: what to draw between two steps ---- */


static float ease(float t) { return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t); }

/* Matching the items before a change with those after it, in O(n log n):
 * indices into ui->from sorted by (region, id) and by (region, addr). */
static const hs_item *sort_from;  /* the array being sorted (qsort has no context) */

static int cmp_key(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

static int cmp_from_id(const void *pa, const void *pb)
{
    const hs_item *a = &sort_from[*(const size_t *)pa], *b = &sort_from[*(const size_t *)pb];
    int c = cmp_key(a->region, b->region);
    return c ? c : cmp_key(a->id, b->id);
}

static int cmp_from_addr(const void *pa, const void *pb)
{
    const hs_item *a = &sort_from[*(const size_t *)pa], *b = &sort_from[*(const size_t *)pb];
    int c = cmp_key(a->region, b->region);
    if (c) return c;
    c = cmp_key(a->state == HS_CH_TOP, b->state == HS_CH_TOP);
    return c ? c : cmp_key(a->addr, b->addr);
}

/* The unused item before the change that c continues: rule 0 the same id,
 * 1 the top chunk (wherever it moved), 2 the same address (not the top).
 * Returns NULL when none; *at is its index in ui->from. */
static const hs_item *find_from(const hs_ui *ui, const size_t *idx, const hs_item *c, int rule,
                                const uint8_t *used, size_t *at)
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
        if (f->region != c->region) return NULL;
        if (rule == 0 && f->id != c->id) return NULL;
        if (rule == 1 && f->state != HS_CH_TOP) return NULL;
        if (rule == 2 && (f->state == HS_CH_TOP || f->addr != c->addr)) return NULL;
        if (!used[idx[lo]]) {
            *at = idx[lo];
            return f;
        }
    }
    return NULL;
}

/* Fills *by_id and *by_addr (n entries each, malloc'd) with ui->from's
 * indices in matching order.  Returns false when out of memory (both NULL). */
static bool sort_indices(const hs_ui *ui, size_t **by_id, size_t **by_addr)
{
    *by_id = malloc((ui->nfrom + 1) * sizeof **by_id);
    *by_addr = malloc((ui->nfrom + 1) * sizeof **by_addr);
    if (!*by_id || !*by_addr) {
        free(*by_id);
        free(*by_addr);
        *by_id = *by_addr = NULL;
        return false;
    }
    for (size_t j = 0; j < ui->nfrom; j++) (*by_id)[j] = (*by_addr)[j] = j;
    sort_from = ui->from;
    qsort(*by_id, ui->nfrom, sizeof **by_id, cmp_from_id);
    qsort(*by_addr, ui->nfrom, sizeof **by_addr, cmp_from_addr);
    return true;
}

void hs_anim_sort_from(hs_ui *ui)
{
    free(ui->from_by_id);
    free(ui->from_by_addr);
    sort_indices(ui, &ui->from_by_id, &ui->from_by_addr);
}

size_t hs_anim_items(hs_scene *sc, const hs_view *v, const hs_ui *ui, double *brk)
{
    const hs_snap *s = &v->snap;
    bool anim = ui->has_from && ui->anim_t < 1;
    float t = ease(ui->anim_t);
    size_t cap = s->nitems + (anim ? ui->nfrom : 0);
    *brk = anim ? ui->from_brk + ((double)s->st.brk - (double)ui->from_brk) * t : (double)s->st.brk;
    /* a still frame of the snapshot the last frame drew still: its items are there */
    if (!anim && s->gen && sc->dr_gen == s->gen) return sc->ndr;
    sc->dr_gen = 0;
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
    size_t n = 0;
    uint8_t *used = anim ? calloc(ui->nfrom + 1, 1) : NULL;
    /* the orders hs_ui_anim_from made, else sorted here for this frame */
    bool own = anim && !(ui->from_by_id && ui->from_by_addr);
    size_t *by_id = anim && !own ? ui->from_by_id : NULL, *by_addr = anim && !own ? ui->from_by_addr : NULL;
    if (own && !sort_indices(ui, &by_id, &by_addr)) anim = false;
    if (anim && !used) anim = false;
    for (size_t i = 0; i < s->nitems; i++) {
        const hs_item *c = &s->items[i];
        dritem *o = &d[n++];
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
        if (!anim) continue;
        const hs_item *m = NULL;
        size_t mi = 0;
        if (c->id != HS_NO_ID) m = find_from(ui, by_id, c, 0, used, &mi);
        if (!m && c->state == HS_CH_TOP) m = find_from(ui, by_addr, c, 1, used, &mi);
        if (!m) m = find_from(ui, by_addr, c, 2, used, &mi);
        if (m) {
            used[mi] = 1;
            o->s_from = m->state;
            o->lo = m->lo + ((double)c->lo - (double)m->lo) * t;
            o->hi = m->hi + ((double)c->hi - (double)m->hi) * t;
            o->t = t;
        } else {
            o->hi = o->lo + ((double)c->hi - (double)c->lo) * t;  /* grows */
        }
    }
    if (anim) {
        /* what went away fades out underneath: draw those first */
        size_t gone = 0;
        for (size_t j = 0; j < ui->nfrom; j++) gone += !used[j];
        if (gone) {
            memmove(d + gone, d, n * sizeof *d);
            size_t k = 0;
            for (size_t j = 0; j < ui->nfrom; j++) {
                if (used[j]) continue;
                const hs_item *f = &ui->from[j];
                dritem *o = &d[k++];
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
            n += gone;
        }
    }
    free(used);
    if (own) {
        free(by_id);
        free(by_addr);
    }
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
    return n;
}

hs_color hs_item_color(const dritem *d)
{
    return hs_color_lerp(hs_state_color(d->s_from), hs_state_color(d->s_to), d->t);
}

/* Real glibc's step line of step into *buf; NULL when it is not in. */
const hs_step *hs_real_at(const hs_view *v, size_t step, hs_step *buf)
{
    return hs_view_real_get(v, step, buf) ? buf : NULL;
}
