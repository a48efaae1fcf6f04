/* render/space.c — the address-space column (figures 1-9): heap, _edata, mmap area.
 * Owns: the column's layout and chunk labels, heap offset -> y (hs_scene_heap_y, its breakpoints); the arena heaps' band: space_arenas.c. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the address space column (figures 1-9) ---- */

static void zigzag(hs_scene *sc, float x0, float x1, float y, hs_color c)
{
    float a = U(sc, 7), step = U(sc, 14);
    for (float x = x0; x < x1 - 0.5f; x += step) {
        float xe = fminf(x + step, x1);
        hs_dl_line(&sc->dl, x, y, (x + xe) / 2, y - a, fmaxf(1, U(sc, 2)), c);
        hs_dl_line(&sc->dl, (x + xe) / 2, y - a, xe, y, fmaxf(1, U(sc, 2)), c);
    }
}

static void segment(hs_scene *sc, hs_rect r, const char *name)
{
    hs_dl_rect(&sc->dl, r, HS_C_SEGMENT);
    hs_dl_frame(&sc->dl, r, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
    int px = fpx(sc, 19);
    float tw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, px, name);
    hs_dl_text_fit(&sc->dl, r.x + (r.w - fminf(tw, r.w)) / 2, r.y + (r.h - px * 1.2f) / 2,
                   r.w - U(sc, 4), HS_FONT_SANS, px, HS_C_FG, name);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Total height of the heap at scale k: each piece between breakpoints at
 * least min_h, the rest up to the highest break ever (top) to scale. */
static double heap_height(const uint64_t *b, size_t nb, uint64_t top, double ppb, double k,
                          float min_h)
{
    double t = 0;
    for (size_t i = 0; i + 1 < nb; i++) t += fmax((double)(b[i + 1] - b[i]) * ppb * k, min_h);
    if (nb && top > b[nb - 1]) t += (double)(top - b[nb - 1]) * ppb * k;
    return t;
}

/* The column's heap offset -> y map (hs_scene_heap_y): to scale at ppb
 * when every current chunk is at least min_h pixels tall; otherwise small
 * chunks are drawn min_h tall and the rest shrinks (by k) so the heap still
 * fits in avail pixels.  min_h shrinks so that the small chunks take at
 * most 70% of the room; with so many chunks that they would be thinner than
 * 6 px (at 1080p), or out of memory, the heap stays to scale (tiny chunks
 * share pixel rows, as before). */
static void heap_scale(hs_scene *sc, const hs_view *v, float base, double avail, double ppb,
                       float min_h)
{
    sc->nhy = 0;
    sc->heap_enlarged = 0;
    sc->heap_base_y = base;
    sc->heap_ppb = ppb;
    size_t n = v->snap.nheap;   /* the items of region 0 (play/snap.c) */
    if (n == 0) return;
    if ((double)(n + 1) * min_h > avail * 0.7) min_h = (float)(avail * 0.7 / (double)(n + 1));
    if (min_h < fmaxf(4, U(sc, 6))) return;
    sc->heap_min_h = min_h;
    uint64_t *b = malloc((2 * n + 1) * sizeof *b);
    if (!b) return;
    size_t nb = 0;
    b[nb++] = 0;
    for (size_t i = 0; i < v->snap.nitems; i++) {
        const hs_item *it = &v->snap.items[i];
        if (it->region != 0) continue;
        b[nb++] = it->lo;
        b[nb++] = it->hi;
    }
    qsort(b, nb, sizeof *b, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < nb; i++)
        if (u == 0 || b[i] != b[u - 1]) b[u++] = b[i];
    nb = u;
    size_t small = 0;
    for (size_t i = 0; i + 1 < nb; i++) small += (double)(b[i + 1] - b[i]) * ppb < min_h;
    uint64_t top = v->max_brk > b[nb - 1] ? v->max_brk : b[nb - 1];
    if (small && nb > sc->caphy) {
        double *o = realloc(sc->hy_off, nb * sizeof *o);
        if (o) sc->hy_off = o;
        float *y = o ? realloc(sc->hy_y, nb * sizeof *y) : NULL;
        if (y) sc->hy_y = y, sc->caphy = nb;
    }
    if (small == 0 || nb > sc->caphy) {
        free(b);
        return;
    }
    /* the largest k in (0, 1] at which the heap fits */
    double k = 1;
    if (heap_height(b, nb, top, ppb, 1, min_h) > avail) {
        double lo = 0, hi = 1;
        for (int it = 0; it < 40; it++) {
            double mid = (lo + hi) / 2;
            if (heap_height(b, nb, top, ppb, mid, min_h) > avail) hi = mid;
            else lo = mid;
        }
        k = lo;
    }
    sc->heap_ppb = ppb * k;
    double y = base;
    for (size_t i = 0; i < nb; i++) {
        sc->hy_off[i] = (double)b[i];
        sc->hy_y[i] = (float)y;
        if (i + 1 < nb) {
            double h = (double)(b[i + 1] - b[i]) * sc->heap_ppb;
            if (h < min_h) h = min_h, sc->heap_enlarged++;
            y -= h;
        }
    }
    sc->nhy = nb;
    free(b);
}

float hs_scene_heap_y(const hs_scene *sc, double off)
{
    if (sc->nhy == 0) return sc->heap_base_y - (float)(off * sc->heap_ppb);
    if (off <= sc->hy_off[0]) return sc->hy_y[0] - (float)((off - sc->hy_off[0]) * sc->heap_ppb);
    size_t lo = 0, hi = sc->nhy - 1;  /* hy_off[lo] <= off */
    if (off >= sc->hy_off[hi])
        return sc->hy_y[hi] - (float)((off - sc->hy_off[hi]) * sc->heap_ppb);
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (sc->hy_off[mid] <= off) lo = mid;
        else hi = mid;
    }
    double f = (off - sc->hy_off[lo]) / (sc->hy_off[hi] - sc->hy_off[lo]);
    return sc->hy_y[lo] + (float)(f * (sc->hy_y[hi] - sc->hy_y[lo]));
}

void hs_space_free(hs_scene *sc)
{
    free(sc->hy_off);
    free(sc->hy_y);
    sc->hy_off = NULL;
    sc->hy_y = NULL;
    sc->nhy = sc->caphy = 0;
    sc->heap_enlarged = 0;
}

/* See panels.h. */
void hs_enlarged_mark(hs_scene *sc, hs_rect box)
{
    float t = fmaxf(1, U(sc, 1.6f)), s = fminf(U(sc, 6), box.h * 0.5f);
    for (int j = 0; j < 2; j++) {
        float x = box.x + box.w - U(sc, 22) + j * U(sc, 7);
        hs_dl_line(&sc->dl, x - s, box.y + box.h, x + s, box.y, t * 3, HS_C_BG);
        hs_dl_line(&sc->dl, x - s, box.y + box.h, x + s, box.y, t, HS_C_FG);
    }
}

void hs_chunk_label(const hs_view *v, const dritem *d, char *buf, size_t len, bool wide)
{
    char sz[32];
    const hs_chunk_info *ci = NULL;
    const hs_snap *as = hs_view_sel_snap(v);   /* region 2: the shown arena's heap (map.c) */
    if (d->current)
        ci = d->region == 0 ? (d->info < v->snap.nheap ? &v->snap.heap[d->info] : NULL)
             : d->region == 2 ? (d->info < as->nheap ? &as->heap[d->info] : NULL)
                            : (d->info < v->snap.nmm ? &v->snap.mm[d->info] : NULL);
    int st = hs_item_state(d);
    /* in-use chunks show what the program asked for, as the articles do */
    if (ci && ci->req && (st == HS_CH_INUSE || st == HS_CH_MMAPPED) && d->t >= 1)
        hs_bytes_short(ci->req, sz, sizeof sz);
    else
        hs_bytes_short((uint64_t)(d->hi - d->lo + 0.5), sz, sizeof sz);
    const char *nm = hs_id_name(v, d->id);
    if (!nm && ci && st != HS_CH_TOP && st != HS_CH_INUSE && d->region != 1)   /* whose it was */
        nm = hs_id_name(v, hs_view_former_id_in(v, d->region == 2 ? v->arena : 0, ci->addr, ci->size));
    if (st == HS_CH_TOP) snprintf(buf, len, "top %s", sz);
    else if (nm && (st == HS_CH_INUSE || st == HS_CH_MMAPPED))
        snprintf(buf, len, wide ? "%s  %s" : "%s", nm, sz);
    else if (nm) snprintf(buf, len, wide ? "%s  %s  %s" : "%s", nm, sz, hs_state_name(st));
    else if (v->snap.nheap && d->region == 0 && d->addr == 0 && st == HS_CH_INUSE)
        snprintf(buf, len, wide ? "tcache struct %s" : "tc", sz);
    else snprintf(buf, len, wide ? "%s  %s" : "%s", sz, hs_state_name(st));
}

/* The tight loop of space_chunks over plain run r from chunk i (in pixel row yr), found by
 * doubling and halving where it cannot but ask the row: the chunks after i of i's state
 * (sc->runs.same), the run so narrow (under a quarter pixel a chunk, y under 65536: float's
 * rounding cannot make one a pixel tall) that each is sub-pixel, and y falls with the address.
 * Returns the last chunk the loop takes, or the one it resumes from.  Never fails. */
static size_t same_row(const hs_scene *sc, const dritem *d, size_t i, size_t r, float yr)
{
    size_t e = sc->runs.same[i - sc->runs.h0], lim = e - i < UINT16_MAX ? e : i + UINT16_MAX;
    double ppb = sc->heap_ppb;
    if (lim <= i + 1 || !((double)sc->runs.pr[3 * r + 2] * ppb < 0.25) || !(fabsf(sc->heap_base_y) < 65536) ||
        !(d[lim - 1].hi * ppb < 65536))
        return i;
#define IN_ROW(k) (hs_floorf(sc->heap_base_y - (float)(d[k].hi * ppb)) == yr)
    size_t lo = i + 1, hi = lim, step = 1;   /* IN_ROW holds on [i + 1, lo); the first not in [lo, hi] */
    while (lo < hi) {
        size_t m = step < hi - lo ? lo + step - 1 : hi - 1;
        if (!IN_ROW(m)) {
            hi = m;
            break;
        }
        lo = m + 1, step *= 2;
    }
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (IN_ROW(m)) lo = m + 1;
        else hi = m;
    }
#undef IN_ROW
    /* lo: the first not in the row; or lim, where the state, the run or UINT16_MAX ends the loop */
    return lo - 1;
}

/* The column's chunks between x0 and x1: boxes, hit boxes (one run box per
 * pixel row of plain chunks of one state) and the labels that fit; the mmap
 * area's from mm_top at mppb, the heap's at hs_scene_heap_y. */
static void space_chunks(hs_scene *sc, const hs_view *v, const dritem *d, size_t nd, float x0,
                         float x1, float mm_top, double mppb)
{
    int lpx0 = fpx(sc, 19);
    float last_y0 = -1e9f;
    int last_state = -1;
    size_t r = 0;   /* the plain run (hs_scene.runs) i is in or before */
    for (size_t i = 0; i < nd; i++) {
        const dritem *it = &d[i];
        float ya, yb;
        while (r < sc->runs.n && sc->runs.pr[3 * r + 1] <= i) r++;
        size_t plain = r < sc->runs.n && sc->runs.pr[3 * r] <= i ? sc->runs.pr[3 * r + 1] : 0;   /* i's run's end */
        if (i < plain && sc->nhy == 0) {
            /* the whole heap to scale: hs_scene_heap_y's line, inline (once per chunk) */
            ya = sc->heap_base_y - (float)(it->hi * sc->heap_ppb);
            yb = sc->heap_base_y - (float)(it->lo * sc->heap_ppb);
        } else if (it->region == 0) {
            ya = hs_scene_heap_y(sc, it->hi);
            yb = hs_scene_heap_y(sc, it->lo);
        } else {
            ya = mm_top + (float)(it->lo * mppb);
            yb = mm_top + (float)(it->hi * mppb);
        }
        if (yb - ya < 1) {
            /* sub-pixel chunks: draw one line per pixel row and state */
            float yr = hs_floorf(ya);
            if (yr == last_y0 && last_state == hs_item_state(it) && it->current) {
                /* the plain chunks after it in this pixel row and state, in a tight loop: their
                 * boxes would all be this one, each over the one before, so one run hit box
                 * stands for them all (hs_hit.n), the last on top as before */
                size_t j = i;
                if (i < plain && sc->nhy == 0 && sc->runs.same) j = same_row(sc, d, i, r, yr);
                for (; i < plain && j + 1 < plain && sc->nhy == 0 && j - i + 1 < UINT16_MAX; j++) {
                    const dritem *nx = &d[j + 1];
                    float na = sc->heap_base_y - (float)(nx->hi * sc->heap_ppb);
                    float nb = sc->heap_base_y - (float)(nx->lo * sc->heap_ppb);
                    if (!(nb - na < 1) || hs_floorf(na) != yr || nx->s_to != last_state) break;
                }
                size_t nh = sc->nhits;
                hs_add_hit(sc, hs_rect_make(x0, yr, x1 - x0, 1), HS_HIT_SPACE, d[j].region, d[j].info,
                           d[j].addr);
                if (sc->nhits > nh) sc->hits[nh].n = (uint16_t)(j - i + 1);
                i = j;
                continue;
            }
            ya = yr;
            yb = yr + 1;
        }
        last_y0 = hs_floorf(ya);
        last_state = hs_item_state(it);
        hs_rect box = hs_rect_make(x0, ya, x1 - x0, yb - ya);
        hs_chunk_box(sc, box, hs_item_color(it), hs_item_state(it), it->alpha);
        if (it->current)
            hs_add_hit(sc, box, HS_HIT_SPACE, it->region, it->info, it->addr);
        if (it->region == 0 && sc->heap_enlarged && (it->hi - it->lo) * sc->heap_ppb < box.h - 0.5f)
            hs_enlarged_mark(sc, box);
        /* a box drawn taller than to scale may take a smaller label (not under 11 px) */
        int lpx = box.h >= lpx0 * 1.15f ? lpx0 : (int)fminf(lpx0, floorf(box.h / 1.15f));
        if (it->alpha >= 1 && lpx >= 11 && box.h >= lpx * 1.15f) {
            char lab[128];
            /* the long label, else the short one, else none (hover shows it) */
            hs_chunk_label(v, it, lab, sizeof lab, true);
            if (hs_dl_text_w(&sc->dl, HS_FONT_BOLD, lpx, lab) > x1 - x0 - U(sc, 16))
                hs_chunk_label(v, it, lab, sizeof lab, false);
            if (hs_dl_text_w(&sc->dl, HS_FONT_BOLD, lpx, lab) > x1 - x0 - U(sc, 16)) continue;
            int st = hs_item_state(it);
            hs_color bg = hs_state_color(st);
            hs_tag(sc, x0 + U(sc, 8), ya + (box.h - lpx * 1.2f) / 2, HS_FONT_BOLD, lpx,
                hs_state_ink(st), bg, lab, x1 - x0 - U(sc, 16));
        }
    }
}

/* space_chunks, or what it drew on a frame of the same snapshot and geometry
 * (render/memo.c); max_brk sets the column's scale (the geometry says it too). */
static void space_pass(hs_scene *sc, const hs_view *v, const dritem *d, size_t nd, float x0,
                       float x1, float mm_top, double mppb, uint64_t max_brk)
{
    struct {
        float x0, x1, mm_top, heap_base_y, heap_min_h;
        double mppb, heap_ppb;
        size_t nd, nhy, enlarged, npr;
        uint64_t max_brk;
    } k;
    memset(&k, 0, sizeof k);   /* compared as bytes */
    k.x0 = x0, k.x1 = x1, k.mm_top = mm_top, k.heap_base_y = sc->heap_base_y, k.mppb = mppb;
    k.heap_ppb = sc->heap_ppb, k.nd = nd, k.nhy = sc->nhy, k.enlarged = sc->heap_enlarged, k.npr = sc->runs.n;
    k.heap_min_h = sc->nhy ? sc->heap_min_h : 0, k.max_brk = max_brk;
    bool kept = d == sc->dr;   /* the scene's items of a still snapshot (hs_memo_replay checks) */
    if (kept && hs_memo_replay(sc, HS_MEMO_SPACE, &k, sizeof k)) return;
    hs_memo_mark at = hs_memo_begin(sc);
    space_chunks(sc, v, d, nd, x0, x1, mm_top, mppb);
    if (kept) hs_memo_end(sc, HS_MEMO_SPACE, at, &k, sizeof k);
}

void hs_draw_space(hs_scene *sc, const hs_view *v, const hs_ui *ui, const dritem *d,
                   size_t nd, double brk)
{
    hs_rect r = sc->space;
    hs_panel(sc, r, "Address space");
    /* the margins hold the _edata/brk labels (left) and the top chunk's
     * threshold labels (right): as wide as those words at this size */
    float lm = fmaxf(U(sc, 112), fmaxf(hs_dl_text_w(&sc->dl, HS_FONT_SANS, fpx(sc, 16), "brk +999.9M"),
                                       hs_dl_text_w(&sc->dl, HS_FONT_MONO_BOLD, fpx(sc, 20), "_edata")) +
                                     U(sc, 24) + 2);
    float rm = fmaxf(U(sc, 172), fmaxf(hs_dl_text_w(&sc->dl, HS_FONT_BOLD, fpx(sc, 16), "trim thr. 999K"),
                                       hs_dl_text_w(&sc->dl, HS_FONT_SANS, fpx(sc, 16), "mmap thr. 999K")) +
                                     U(sc, 34) + 2);
    float x0 = r.x + lm, x1 = r.x + r.w - rm;
    sc->col_x0 = x0;
    sc->col_x1 = x1;
    float seg = U(sc, 32), gap = U(sc, 36), stack_h = U(sc, 42);
    float ybot = r.y + r.h - U(sc, 12);
    segment(sc, hs_rect_make(x0, ybot - seg, x1 - x0, seg), "text (code)");
    segment(sc, hs_rect_make(x0, ybot - 2 * seg, x1 - x0, seg), "data");
    segment(sc, hs_rect_make(x0, ybot - 3 * seg, x1 - x0, seg), "bss");
    float heap_base = ybot - 3 * seg;
    float ytop = fmaxf(r.y + U(sc, 62), r.y + U(sc, 8) + fpx(sc, 21) * 1.25f + fpx(sc, 16) * 1.3f + U(sc, 8));
    float avail = heap_base - ytop - stack_h - 2 * gap;
    double mb = (double)(v->max_brk > 4096 ? v->max_brk : 4096);
    double mm = (double)v->max_mm;
    double share = mm > 0 ? mb / (mb + mm) : 0.84;
    if (share < 0.4) share = 0.4;
    if (share > 0.84) share = 0.84;
    if (v->nrsv && share > 0.6) share = 0.6;   /* room for the arenas' heaps */
    float heap_h = (float)(avail * share), mm_h = avail - heap_h;
    /* the non-main arenas' heap_info heaps: a band at the bottom of the
     * mmap area, one box per 64 MiB reservation (not to scale), so the
     * mmapped chunks above are drawn in what is left */
    float band_h = v->nrsv ? hs_space_reservations(sc, v, x0, x1, 0, mm_h * 0.6f, false) : 0;
    double hppb = heap_h * 0.90 / mb;
    double mppb = mm > 0 ? fmin(hppb, (mm_h - band_h) * 0.92 / mm) : hppb;
    float heap_top = heap_base - heap_h;
    float mm_bot = heap_top - gap, mm_top = mm_bot - mm_h;
    heap_scale(sc, v, heap_base, heap_h * 0.90, hppb,
               fmaxf(U(sc, 10), fpx(sc, 19) * 1.2f));
    {
        /* the subtitle says when the heap is not all to scale */
        const char *a = "low addresses at the bottom; heap to scale";
        const char *b = "low addresses at the bottom; heap to scale except // (drawn taller)";
        const char *c = "heap to scale except // (drawn taller)";
        float sw = r.w - U(sc, 24);
        int px = fpx(sc, 16);
        const char *t = !sc->heap_enlarged ? a
                        : hs_dl_text_w(&sc->dl, HS_FONT_SANS, px, b) <= sw ? b : c;
        hs_dl_text_fit(&sc->dl, r.x + U(sc, 12), fmaxf(r.y + U(sc, 36), r.y + U(sc, 8) + fpx(sc, 21) * 1.25f), sw, HS_FONT_SANS, px,
                       sc->heap_enlarged ? HS_C_FG : HS_C_DIM, t);
    }
    sc->mm_top_y = mm_top;
    sc->mm_ppb = mppb;
    /* the regions' backgrounds: unmapped address space */
    hs_dl_rect(&sc->dl, hs_rect_make(x0, heap_top, x1 - x0, heap_h), HS_C_VOID);
    hs_dl_rect(&sc->dl, hs_rect_make(x0, mm_top, x1 - x0, mm_h), HS_C_VOID);
    hs_dl_rect(&sc->dl, hs_rect_make(x0, mm_bot, x1 - x0, gap), HS_C_VOID);
    hs_dl_rect(&sc->dl, hs_rect_make(x0, mm_top - gap, x1 - x0, gap), HS_C_VOID);
    zigzag(sc, x0, x1, heap_top - U(sc, 6), HS_C_DIM);
    zigzag(sc, x0, x1, mm_bot + U(sc, 14), HS_C_DIM);
    zigzag(sc, x0, x1, mm_top - U(sc, 8), HS_C_DIM);
    zigzag(sc, x0, x1, mm_top - gap + U(sc, 16), HS_C_DIM);
    segment(sc, hs_rect_make(x0, mm_top - gap - stack_h, x1 - x0, stack_h),
            "stack \xE2\x86\x93");
    int spx = fpx(sc, 17);
    hs_color dim = HS_C_DIM;
    /* region names on the left margin, clear of the _edata arrow */
    float ye_now = hs_scene_heap_y(sc, brk);
    float hy = heap_top + (heap_base - heap_top) * 0.35f;
    if (fabsf(hy + spx * 0.6f - ye_now) < spx * 2.6f) hy = ye_now - spx * 3.2f;
    if (hy < heap_top) hy = ye_now + spx * 2.2f;
    {
        /* ... and clear of real glibc's "real _edata ≠" label under its arrow */
        hs_step rb;
        const hs_step *rr = hs_real_at(v, v->step, &rb);
        if (ui->real_overlay && v->step > 0 && rr && (rr->has & HS_HAS_MEASURES) &&
            rr->brk != v->snap.st.brk) {
            float yr = fmaxf(heap_top, hs_scene_heap_y(sc, (double)rr->brk));
            float l0 = yr, l1 = yr + U(sc, 10) + fpx(sc, 16) * 1.3f + fpx(sc, 15) * 2.4f;
            if (hy + spx * 1.2f > l0 && hy < l1) hy = l1 + spx * 0.4f;
            if (hy + spx * 1.2f > heap_base) hy = l0 - spx * 1.6f;
        }
    }
    hs_dl_text_fit(&sc->dl, r.x + U(sc, 10), hy, x0 - r.x - U(sc, 14), HS_FONT_BOLD, spx, HS_C_FG,
                   "heap \xE2\x86\x91");
    hs_dl_text_fit(&sc->dl, r.x + U(sc, 10), mm_top + U(sc, 4), x0 - r.x - U(sc, 14),
                   HS_FONT_BOLD, spx, HS_C_FG, "mmap");
    hs_dl_text_fit(&sc->dl, r.x + U(sc, 10), mm_top + U(sc, 4) + spx * 1.2f, x0 - r.x - U(sc, 14),
                   HS_FONT_BOLD, spx, HS_C_FG, "area");
    if (mppb < hppb * 0.999)
        hs_dl_text_wrap(&sc->dl, r.x + U(sc, 10), mm_top + U(sc, 4) + spx * 2.6f,
                        x0 - r.x - U(sc, 14), fpx(sc, 15) * 1.2f, 5, HS_FONT_SANS, fpx(sc, 15), dim,
                        "(drawn at a smaller scale)");
    bool any_mm = sc->dr_any_mm;   /* of d, the scene's items (hs_anim_items) */
    if (v->nrsv) hs_space_reservations(sc, v, x0, x1, mm_bot - band_h, mm_h * 0.6f, true);
    if (!any_mm && !v->nrsv) {
        const char *s = "no mappings";
        float tw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, spx, s);
        hs_dl_text(&sc->dl, x0 + (x1 - x0 - tw) / 2, mm_top + mm_h / 2 - spx * 0.6f,
                   HS_FONT_SANS, spx, dim, s);
    }
    /* chunks */
    hs_dl_push_clip(&sc->dl, hs_rect_make(x0 - 1, mm_top - 1, x1 - x0 + 2, heap_base - mm_top + 2));
    space_pass(sc, v, d, nd, x0, x1, mm_top, mppb, v->max_brk);
    hs_dl_pop_clip(&sc->dl);

    /* top chunk annotations: size, thresholds, and a bracket as long as the
     * trim threshold, measured from the top chunk's start: free() trims only
     * when the top chunk reaches past it. */
    const hs_status *st = &v->snap.st;
    const dritem *top = sc->dr_top < nd ? &d[sc->dr_top] : NULL;   /* the last, as drawn */
    float bx = x1 + U(sc, 14);
    float ax = x1 + U(sc, 30), aw = r.x + r.w - ax - U(sc, 4);
    int tpx = fpx(sc, 16);
    float tlh = tpx * 1.25f;
    char a[96], b[32];
    char mthr[48], tthr[48];
    hs_bytes_short((uint64_t)(st->mmap_threshold < 0 ? 0 : st->mmap_threshold), b, sizeof b);
    snprintf(mthr, sizeof mthr, "mmap thr. %s", b);
    if (st->trim_threshold < 0) snprintf(tthr, sizeof tthr, "trim thr. off");
    else {
        hs_bytes_short((uint64_t)st->trim_threshold, b, sizeof b);
        snprintf(tthr, sizeof tthr, "trim thr. %s", b);
    }
    if (top && st->brk > 0) {
        float ylo = hs_scene_heap_y(sc, top->lo);
        float yc = hs_scene_heap_y(sc, (top->lo + top->hi) / 2);
        float yt = yc - tlh;
        if (yt + 3 * tlh > heap_base) yt = heap_base - 3 * tlh;
        if (yt < heap_top) yt = heap_top;
        hs_bytes_short((uint64_t)(top->hi - top->lo), b, sizeof b);
        snprintf(a, sizeof a, "top %s", b);
        hs_dl_text_fit(&sc->dl, ax, yt, aw, HS_FONT_BOLD, tpx, HS_C_FG, a);
        hs_dl_text_fit(&sc->dl, ax, yt + tlh, aw, HS_FONT_SANS, tpx, HS_C_FG, mthr);
        hs_dl_text_fit(&sc->dl, ax, yt + 2 * tlh, aw, HS_FONT_BOLD, tpx, HS_C_ALERT, tthr);
        if (st->trim_threshold >= 0 && ui->anim_t >= 1) {
            double at = top->lo + (double)st->trim_threshold;
            float yh = hs_scene_heap_y(sc, at);
            bool cut = yh < heap_top;
            if (cut) yh = heap_top;
            float bt = fmaxf(2, U(sc, 3));
            hs_dl_line(&sc->dl, bx, ylo, bx, yh, bt, HS_C_ALERT);
            hs_dl_line(&sc->dl, bx - U(sc, 6), ylo, bx + U(sc, 6), ylo, bt, HS_C_ALERT);
            if (cut)
                hs_dl_tri(&sc->dl, bx, yh - U(sc, 10), bx - U(sc, 7), yh + U(sc, 2), bx + U(sc, 7),
                          yh + U(sc, 2), HS_C_ALERT);
            else
                hs_dl_line(&sc->dl, bx - U(sc, 6), yh, bx + U(sc, 6), yh, bt, HS_C_ALERT);
        }
    } else {
        hs_dl_text_fit(&sc->dl, ax, heap_base - 3 * tlh, aw, HS_FONT_SANS, tpx, HS_C_FG, mthr);
        hs_dl_text_fit(&sc->dl, ax, heap_base - 2 * tlh, aw, HS_FONT_SANS, tpx, HS_C_FG, tthr);
    }

    /* _edata: the arrow that moves */
    float ye = hs_scene_heap_y(sc, brk);
    float tip = x0 - U(sc, 2), tail = r.x + U(sc, 8);
    float th = fmaxf(2, U(sc, 4)), ah = U(sc, 12);
    sc->edata_y = ye;
    sc->edata_tip_x = tip;
    sc->edata_tail_x = tail;
    hs_dl_dashed(&sc->dl, x0, ye, x1, ye, fmaxf(1, U(sc, 2)), U(sc, 6), HS_C_EDATA);
    int epx = fpx(sc, 20);
    hs_dl_text_fit(&sc->dl, tail, ye - epx * 1.55f, tip - tail - ah, HS_FONT_MONO_BOLD, epx,
                   HS_C_FG, "_edata");
    hs_bytes_short((uint64_t)(brk + 0.5), b, sizeof b);
    snprintf(a, sizeof a, "brk +%s", b);
    hs_dl_text_fit(&sc->dl, tail, ye + U(sc, 10), tip - tail - ah, HS_FONT_SANS, fpx(sc, 16),
                   HS_C_FG, a);

    /* real glibc's break, when it is in: an orange arrow under the black one */
    sc->real_edata_y = -1;
    hs_step rsb;
    const hs_step *rs = hs_real_at(v, v->step, &rsb);
    if (ui->real_overlay && v->step > 0 && rs && (rs->has & HS_HAS_MEASURES)) {
        float yr = hs_scene_heap_y(sc, (double)rs->brk);
        if (yr < heap_top) yr = heap_top;
        sc->real_edata_y = yr;
        bool same = rs->brk == v->snap.st.brk;
        float o = U(sc, 4);
        hs_dl_line(&sc->dl, tip - U(sc, 80), yr, tip - ah * 1.4f, yr, th + 2 * o, HS_C_REAL);
        hs_dl_tri(&sc->dl, tip + o * 1.5f, yr, tip - ah * 1.6f - o, yr - ah - o * 1.4f,
                  tip - ah * 1.6f - o, yr + ah + o * 1.4f, HS_C_REAL);
        if (!same) {
            float ly = yr + U(sc, 10) + fpx(sc, 16) * 1.3f;
            hs_dl_text_fit(&sc->dl, tail, ly, tip - tail, HS_FONT_BOLD, fpx(sc, 15), HS_C_ALERT,
                           "real");
            hs_dl_text_fit(&sc->dl, tail, ly + fpx(sc, 15) * 1.2f, tip - tail, HS_FONT_BOLD,
                           fpx(sc, 15), HS_C_ALERT, "_edata \xE2\x89\xA0");
        }
    }
    /* the model's arrow on top */
    hs_dl_line(&sc->dl, tail, ye, tip - ah * 1.4f, ye, th, HS_C_EDATA);
    hs_dl_tri(&sc->dl, tip, ye, tip - ah * 1.6f, ye - ah, tip - ah * 1.6f, ye + ah, HS_C_EDATA);
}
