/* render/layout.c — one frame: where each panel goes, the shared box helpers, hit tests.
 * Owns: hs_scene_build (calls each panel in order), hs_scene_hit/_item_box/_track_step/_button. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */



bool hs_hits_grow(hs_scene *sc)
{
    size_t cap = sc->caphits ? sc->caphits * 2 : 256;
    hs_hit *p = realloc(sc->hits, cap * sizeof *p);
    if (!p) return false;
    sc->hits = p;
    sc->caphits = cap;
    return true;
}

void hs_panel(hs_scene *sc, hs_rect r, const char *title)
{
    hs_dl_rect(&sc->dl, r, HS_C_PANEL);
    hs_dl_frame(&sc->dl, r, fmaxf(1, U(sc, 1.5f)), HS_C_RULE);
    if (title)
        hs_dl_text_fit(&sc->dl, r.x + U(sc, 12), r.y + U(sc, 8), r.w - U(sc, 24), HS_FONT_BOLD,
                       fpx(sc, 21), HS_C_FG, title);
}

/* A chunk box: fill, pattern, border. */
void hs_chunk_box(hs_scene *sc, hs_rect r, hs_color fill, int state, float alpha)
{
    if (alpha < 1) fill.a = (uint8_t)(fill.a * alpha);
    hs_dl_rect(&sc->dl, r, fill);
    int hk = hs_state_hatch(state);
    if (hk && r.h >= 4 && r.w >= 4 && alpha > 0.5f)
        hs_dl_hatch(&sc->dl, r, hk, U(sc, hk == 6 ? 9 : 11), fmaxf(1, U(sc, 1.3f)),
                    hs_state_hatch_color(state));
    hs_color b = HS_C_FG;
    if (alpha < 1) b.a = (uint8_t)(255 * alpha);
    /* boxes too thin for a border show their colour only */
    if (r.h >= 4 && r.w >= 4) hs_dl_frame(&sc->dl, r, fmaxf(1, U(sc, 1.5f)), b);
}

/* A text label with a solid backing so it reads on any pattern. */
void hs_tag(hs_scene *sc, float x, float y, int font, int px, hs_color fg, hs_color bg,
            const char *s, float maxw)
{
    float w = hs_dl_text_w(&sc->dl, font, px, s);
    if (w > maxw) w = maxw;
    float pad = U(sc, 3);
    hs_dl_rect(&sc->dl, hs_rect_make(x - pad, y, w + 2 * pad, px * 1.2f), bg);
    hs_dl_text_fit(&sc->dl, x, y, maxw, font, px, fg, s);
}

const hs_chunk_info *hs_heap_chunk_at(const hs_view *v, uint64_t addr)
{
    size_t lo = 0, hi = v->snap.nheap;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->snap.heap[mid].addr < addr) lo = mid + 1;
        else hi = mid;
    }
    return lo < v->snap.nheap && v->snap.heap[lo].addr == addr ? &v->snap.heap[lo] : NULL;
}

const char *hs_id_name(const hs_view *v, uint32_t id)
{
    return (id != HS_NO_ID && id < v->t.n_ids && v->t.ids[id]) ? v->t.ids[id] : NULL;
}

/* ---- the frame ---- */

void hs_scene_build(hs_scene *sc, const hs_view *v, const hs_ui *ui, int w, int h)
{
    hs_dl_reset(&sc->dl);
    sc->nhits = 0;
    sc->note_warn = false;
    sc->map_differ = 0;
    sc->map_mark = hs_rect_make(0, 0, 0, 0);
    sc->w = w;
    sc->h = h;
    float u = fminf((float)w / 1920.0f, (float)h / 1080.0f);
    if (u < 0.5f) u = 0.5f;
    sc->u = u;
    sc->ts = ui->present ? HS_PRESENT_TEXT : 1;
    memset(sc->btn, 0, sizeof sc->btn);
    memset(sc->plot_c, 0, sizeof sc->plot_c);
    sc->map_rows = hs_rect_make(0, 0, 0, 0);
    sc->key_cut = hs_rect_make(0, 0, 0, 0);
    sc->smaps_more = hs_rect_make(0, 0, 0, 0);
    sc->nbin_more = 0;
    sc->heaps_more = hs_rect_make(0, 0, 0, 0);
    hs_dl_rect(&sc->dl, hs_rect_make(0, 0, (float)w, (float)h), HS_C_BG);
    float th = U(sc, 52) * sc->ts, tl = U(sc, 92) * fminf(sc->ts, 1.2f);
    float sw = fmaxf(U(sc, 500), w * (ui->present ? 0.34f : 0.26f));
    sc->title = hs_rect_make(0, 0, (float)w, th);
    sc->timeline = hs_rect_make(0, h - tl, (float)w, tl);
    float body = h - th - tl;
    sc->space = hs_rect_make(0, th, sw, body);
    float rx = sw, rw = w - sw;
    float nh = fmaxf(body * 0.34f, U(sc, 260));
    /* the narration grows (up to half the body) rather than cut its text */
    float ph = fmaxf(body * 0.25f, U(sc, 190));
    /* ... but leaves the bins panel its five family lines and three more */
    float min_mh = fpx(sc, 21) * 1.2f + U(sc, 24) + 8 * fmaxf(fpx(sc, 20), fpx(sc, 17)) * 1.45f;
    /* (presenter mode: the bins' five families, nothing under them) */
    float min_bh = fpx(sc, 21) * 1.2f + U(sc, 24) + 6 * fmaxf(fpx(sc, 20), fpx(sc, 17)) * 1.45f;
    float need = hs_narration_need(sc, v, ui, rw,
                                   ui->present ? body - min_bh : fminf(body * 0.5f, body - ph - min_mh));
    /* the allocators side by side (C) grow the plots for every run's words
     * (a failed replay's reason), after the narration has what it needs */
    if (ui->compare && !ui->present) {
        float cneed = hs_compare_need(sc, v, ui, rw);
        float nmin = fmaxf(nh, fminf(need, body * 0.5f));
        if (cneed > ph) ph = fmaxf(ph, fminf(cneed, body - nmin - min_mh));
    }
    if (need > nh) nh = fmaxf(nh, fminf(fminf(need, body * 0.5f), body - ph - min_mh));
    sc->narr = hs_rect_make(rx, th, rw, nh);
    sc->plots = hs_rect_make(rx, h - tl - ph, rw, ph);
    float mh = body - nh - ph;
    float mw = rw * 0.55f;
    sc->map = hs_rect_make(rx, th + nh, mw, mh);
    sc->bins = hs_rect_make(rx + mw, th + nh, rw - mw, mh);
    if (ui->present) {
        /* presenter mode: the address space, the narration and the bins,
         * big; no heap map and no plots */
        nh = fmaxf(body * 0.55f, fminf(need, body - min_bh));
        sc->narr = hs_rect_make(rx, th, rw, nh);
        sc->map = hs_rect_make(0, 0, 0, 0);
        sc->plots = hs_rect_make(0, 0, 0, 0);
        sc->bins = hs_rect_make(rx, th + nh, rw, body - nh);
    }

    double brk = 0;
    size_t nd = hs_anim_items(sc, v, ui, &brk);
    const dritem *d = sc->dr;
    hs_dl *dl = &sc->dl;
    hs_dl_panel(dl, "title", sc->title);
    hs_draw_title(sc, v, ui);
    hs_dl_panel(dl, "narration", sc->narr);
    hs_draw_narration(sc, v, ui);
    hs_dl_panel(dl, "space", sc->space);
    hs_draw_space(sc, v, ui, d, nd, brk);
    hs_dl_panel(dl, "map", sc->map);
    if (sc->map.w > 0 && ui->smaps) hs_draw_smaps(sc, v, ui);
    else if (sc->map.w > 0) hs_draw_map(sc, v, ui, d, nd, brk);
    hs_dl_panel(dl, "bins", sc->bins);
    hs_draw_bins(sc, v);
    hs_dl_panel(dl, "plots", sc->plots);
    if (sc->plots.w > 0 && ui->compare) hs_draw_compare(sc, v, ui);
    else if (sc->plots.w > 0) hs_draw_plots(sc, v, ui);
    hs_dl_panel(dl, "timeline", sc->timeline);
    hs_draw_timeline(sc, v, ui);
    hs_rect all = hs_rect_make(0, 0, (float)w, (float)h);
    hs_dl_panel(dl, "tooltip", all);
    if (!ui->help && !ui->prompt) hs_draw_tooltip(sc, v, ui);
    hs_dl_panel(dl, "banner", all);
    if (ui->banner[0]) hs_draw_banner(sc, ui);
    hs_dl_panel(dl, "prompt", all);
    if (ui->prompt) hs_draw_prompt(sc, ui);
    hs_dl_panel(dl, "help", all);
    if (ui->help) hs_draw_help(sc, v);
    hs_dl_panel(dl, "lessons", all);
    sc->list_rows = hs_rect_make(0, 0, 0, 0);
    if (ui->lessons && !ui->help) hs_draw_lessons(sc, ui);
    hs_dl_panel(dl, "diff", all);
    sc->diff_rows = hs_rect_make(0, 0, 0, 0);
    if (ui->diff && !ui->help && !ui->lessons) hs_draw_diff(sc, v, ui);
}

void hs_scene_free(hs_scene *sc)
{
    hs_dl_free(&sc->dl);
    free(sc->hits);
    sc->hits = NULL;
    sc->nhits = sc->caphits = 0;
    hs_memo_free(sc);
    hs_anim_free(sc);
    hs_space_free(sc);
}

uint32_t hs_hit_id(const hs_view *v, const hs_hit *h) { return hs_hit_lifetime(v, h, NULL); }

uint32_t hs_hit_lifetime(const hs_view *v, const hs_hit *h, size_t *since)
{
    if (since) *since = 0;
    const hs_chunk_info *c = NULL;
    if (h->kind == HS_HIT_ARENA) return HS_NO_ID;   /* a whole heap, no chunk */
    if (h->region == 0)
        c = h->info < v->snap.nheap ? &v->snap.heap[h->info] : hs_heap_chunk_at(v, h->addr);
    else if (h->region == 2)   /* the shown arena's heap (play/arenas.c) */
        c = hs_view_sel_chunk_at(v, h->addr);
    else if (h->info < v->snap.nmm)
        c = &v->snap.mm[h->info];
    else
        for (size_t i = 0; i < v->snap.nmm && !c; i++)
            if (v->snap.mm[i].addr == h->addr) c = &v->snap.mm[i];
    if (!c) return HS_NO_ID;
    if (c->id != HS_NO_ID) return c->id;
    if (h->region != 1 && c->state != HS_CH_TOP)   /* region 2: the shown arena's heap (its key) */
        return hs_view_former_owner(v, h->region == 2 ? v->arena : 0, c->addr, c->size, since);
    return HS_NO_ID;
}

int hs_scene_diff_at(const hs_scene *sc, const hs_ui *ui, float x, float y)
{
    if (!ui->diff || !ui->diff_list || sc->diff_rows.w <= 0 || sc->diff_rh <= 0 ||
        !hs_rect_has(sc->diff_rows, x, y))
        return -1;
    size_t i = sc->diff_first + (size_t)((y - sc->diff_rows.y) / sc->diff_rh);
    return i < ui->diff_list->nrows ? (int)i : -1;
}

int hs_scene_lesson_at(const hs_scene *sc, const hs_ui *ui, float x, float y)
{
    if (!ui->lessons || sc->list_rows.w <= 0 || sc->list_rh <= 0 || !hs_rect_has(sc->list_rows, x, y))
        return -1;
    size_t i = sc->list_first + (size_t)((y - sc->list_rows.y) / sc->list_rh);
    return i < ui->list_n ? (int)i : -1;
}

/* The index in sc->dr[lo, hi) of the plain item at addr (they are in address
 * order), or hi if none. */
static size_t plain_at(const hs_scene *sc, size_t lo, size_t hi, uint64_t addr)
{
    size_t end = hi;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (sc->dr[m].addr < addr) lo = m + 1;
        else hi = m;
    }
    return lo < end && sc->dr[lo].addr == addr ? lo : end;
}

/* The box chunk k of a heap map run h has alone (render/map.c's same_column). */
static hs_rect map_member_box(const hs_scene *sc, const hs_hit *h, size_t k)
{
    const dritem *it = &sc->dr[k];
    float xa = hs_map_x(sc->map_rows, sc->map_bpr, (size_t)(it->lo * (1.0 / (double)sc->map_bpr)), it->lo);
    return hs_rect_make(xa, h->r.y, (xa + 1) - xa, h->r.h);
}

bool hs_scene_hit(const hs_scene *sc, float x, float y, hs_hit *out)
{
    for (size_t i = sc->nhits; i-- > 0;) {
        const hs_hit *h = &sc->hits[i];
        if (h->kind != HS_HIT_MAP || h->n <= 1) {
            if (!hs_rect_has(h->r, x, y)) continue;
            *out = *h;
            return true;
        }
        /* a run of the heap map: each chunk its box, the last drawn on top */
        if (!hs_rect_has(hs_rect_make(h->r.x, h->r.y, h->r.w + 1, h->r.h), x, y)) continue;
        size_t last = plain_at(sc, sc->runs.h0, sc->runs.h1, h->addr);
        if (last == sc->runs.h1 || last + 1 < h->n) continue;
        for (size_t k = last + 1; k-- > last + 1 - h->n;) {
            if (sc->dr[k].hi <= sc->dr[k].lo) continue;
            hs_rect box = map_member_box(sc, h, k);
            if (!hs_rect_has(box, x, y)) continue;
            *out = *h;
            out->n = 1;
            out->r = box;
            out->info = sc->dr[k].info;
            out->addr = sc->dr[k].addr;
            return true;
        }
    }
    return false;
}

bool hs_hit_covers(const hs_scene *sc, const hs_hit *h, int region, uint64_t addr, hs_hit *out)
{
    if (h->region != region || addr > h->addr || (h->n <= 1 && addr != h->addr)) return false;
    size_t k = 0;
    if (h->n > 1) {
        /* a run: its chunks are the plain items up to its last */
        size_t last = plain_at(sc, sc->runs.h0, sc->runs.h1, h->addr);
        if (last == sc->runs.h1 || last + 1 < h->n) return false;
        k = addr == h->addr ? last : plain_at(sc, last + 1 - h->n, last, addr);
        if ((k == last && addr != h->addr) || (h->kind == HS_HIT_MAP && sc->dr[k].hi <= sc->dr[k].lo))
            return false;
    }
    if (out) {
        *out = *h;
        if (h->n > 1) {
            out->n = 1;
            out->info = sc->dr[k].info;
            out->addr = addr;
            if (h->kind == HS_HIT_MAP) out->r = map_member_box(sc, h, k);
        }
    }
    return true;
}

bool hs_scene_item_box(const hs_scene *sc, int kind, int region, uint64_t addr, hs_rect *out)
{
    hs_hit one;
    for (size_t i = 0; i < sc->nhits; i++)
        if (sc->hits[i].kind == kind && hs_hit_covers(sc, &sc->hits[i], region, addr, &one)) {
            *out = one.r;
            return true;
        }
    return false;
}

size_t hs_scene_track_step(const hs_scene *sc, const hs_view *v, float x)
{
    float x0 = sc->track.x + sc->u * 12, w = sc->track.w - sc->u * 24;
    if (w <= 0 || v->n == 0) return 0;
    double f = (x - x0) / w;
    if (f < 0) f = 0;
    if (f > 1) f = 1;
    return (size_t)lround(f * (double)v->n);
}

int hs_scene_button(const hs_scene *sc, float x, float y)
{
    for (int i = 0; i < HS_BTN_COUNT; i++)
        if (sc->btn[i].w > 0 && hs_rect_has(sc->btn[i], x, y)) return i;
    return -1;
}
