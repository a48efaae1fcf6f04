/* render/map.c — the heap map: chunks by rows of bytes, resident pages, mismatches.
 * Owns: the map grid, zoom and pan geometry, the page overlay. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the heap map ---- */

/* The mark of a heap page where the model and real glibc disagree on
 * residency: a black frame and a big X (white under vermillion), readable
 * on every chunk colour and without colour at all. */
static void mismatch_mark(hs_scene *sc, hs_rect b)
{
    float t = fmaxf(1.5f, U(sc, 2));
    hs_dl_frame(&sc->dl, b, t, HS_C_FG);
    hs_dl_line(&sc->dl, b.x, b.y, b.x + b.w, b.y + b.h, t * 2.6f, HS_C_BG);
    hs_dl_line(&sc->dl, b.x, b.y + b.h, b.x + b.w, b.y, t * 2.6f, HS_C_BG);
    hs_dl_line(&sc->dl, b.x, b.y, b.x + b.w, b.y + b.h, t * 1.3f, HS_C_ALERT);
    hs_dl_line(&sc->dl, b.x, b.y + b.h, b.x + b.w, b.y, t * 1.3f, HS_C_ALERT);
}

/* The bar along the bottom of a page (or of a row of one) that real glibc
 * has resident. */
static hs_rect real_bar(const hs_scene *sc, float x, float y, float w, float rh)
{
    float h = fmaxf(2, fminf(U(sc, 6), rh * 0.25f));
    return hs_rect_make(x, y + rh - 1 - h, w, h);
}

/* The legend's entries past the chunk states. */
enum { LEG_PALE = HS_CH_STATE_COUNT, LEG_REAL, LEG_DIFF, LEG_COUNT };

/* Lays out the legend in w; draws it when draw is set.  Returns its height. */
static float legend(hs_scene *sc, float x, float y, float w, bool draw)
{
    static const char *const extra[] = {"pale: page not resident (model)", "orange bar: resident in real glibc",
                                        "X: model \xE2\x89\xA0 real"};
    int px = fpx(sc, 16);
    float sw = U(sc, 26), sh = px * 1.1f, cx = x, y0 = y;
    for (int s = 0; s < LEG_COUNT; s++) {
        const char *nm = s < HS_CH_STATE_COUNT ? hs_state_name(s) : extra[s - LEG_PALE];
        float tw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, px, nm);
        if (cx > x && cx + sw + tw + U(sc, 6) > x + w) {
            cx = x;
            y += sh * 1.35f;
        }
        if (draw) {
            hs_rect b = hs_rect_make(cx, y, sw, sh);
            if (s < HS_CH_STATE_COUNT) {
                hs_chunk_box(sc, b, hs_state_color(s), s, 1);
            } else {
                hs_chunk_box(sc, b, hs_state_color(HS_CH_INUSE), HS_CH_INUSE, 1);
                if (s == LEG_PALE) hs_dl_rect(&sc->dl, b, hs_rgba(0xff, 0xff, 0xff, 0xa8));
                if (s == LEG_REAL) hs_dl_rect(&sc->dl, real_bar(sc, b.x, b.y, b.w, b.h + 1), HS_C_REAL);
                if (s == LEG_DIFF) mismatch_mark(sc, b);
            }
            hs_dl_text(&sc->dl, cx + sw + U(sc, 5), y - px * 0.05f, HS_FONT_SANS, px, HS_C_FG, nm);
        }
        cx += sw + tw + U(sc, 18);
    }
    return y - y0 + sh * 1.35f;
}

/* A row's label: its heap offset, short ("+16K") or in hex ("+0x15a00"). */
static void row_label(char *buf, size_t len, uint64_t off, bool hex)
{
    char bs[32];
    if (hex) return (void)snprintf(buf, len, "+0x%llx", (unsigned long long)off);
    hs_bytes_short(off, bs, sizeof bs);
    snprintf(buf, len, "+%s", bs);
}

/* The heap map's geometry, shared by its drawing passes. */
typedef struct map_grid {
    hs_rect rows;
    uint64_t bpr;
    float rh;
    size_t first, last;
    const uint8_t *res;      /* the model's residency of pages [0, pages) */
    const uint8_t *real;     /* real glibc's (1, 0, HS_PAGE_UNKNOWN), NULL when not shown */
    uint64_t pages;
    int cpx;
    size_t plain;            /* a still frame's: the items before it are current chunks in address order */
    bool runs;               /* they are hs_scene.dr's: one run hit box may stand for many */
    const size_t *pr;        /* the plain runs (hs_scene.runs): chunks drawn as at rest */
    size_t npr;
} map_grid;

/* Whether page pg's residency differs between the model and real glibc. */
static bool page_differs(const map_grid *g, uint64_t pg)
{
    return g->real && pg < g->pages && g->real[pg] != HS_PAGE_UNKNOWN &&
           (g->res[pg] != 0) != (g->real[pg] != 0);
}

/* Opaque chunk pieces under a pixel wide, merged while they are drawn:
 * each pixel column of a row takes the colour of the last piece that starts
 * in it, and neighbouring columns of one colour are one box.  A piece alone
 * is drawn one pixel wide at x (its column the integer part of x, as SDL
 * fills a float rect), each on top of the one before, so the merged boxes
 * colour the same pixels; but a row costs at most its width in pixels of
 * boxes, however many chunks it holds. */
typedef struct map_agg {
    size_t row;            /* the row of the pending column and run */
    long col;              /* the pending column (pixels from the left edge), -1: none */
    hs_color colc;         /* its colour so far */
    long c0, c1;           /* the pending run [c0, c1) of colour runc; c0 == c1: none */
    hs_color runc;
} map_agg;

/* Draws the pending run (a plain box, like a piece too thin for a border)
 * and forgets it.  Cannot fail (out of memory is the draw list's flag). */
static void agg_draw_run(hs_scene *sc, const map_grid *g, map_agg *a)
{
    if (a->c1 > a->c0) {
        float y = g->rows.y + (float)(a->row - g->first) * g->rh;
        hs_dl_rect(&sc->dl, hs_rect_make((float)a->c0, y + 1, (float)(a->c1 - a->c0), g->rh - 3), a->runc);
    }
    a->c0 = a->c1 = 0;
}

/* Ends the pending column: it joins the run when it continues it in the
 * same colour, else the run is drawn and the column starts a new one. */
static void agg_end_col(hs_scene *sc, const map_grid *g, map_agg *a)
{
    if (a->col < 0) return;
    if (a->c1 > a->c0 && a->c1 == a->col && !memcmp(&a->runc, &a->colc, sizeof a->colc)) {
        a->c1 = a->col + 1;
    } else {
        agg_draw_run(sc, g, a);
        a->c0 = a->col;
        a->c1 = a->col + 1;
        a->runc = a->colc;
    }
    a->col = -1;
}

/* Draws everything pending (before anything else is drawn over it). */
static void agg_flush(hs_scene *sc, const map_grid *g, map_agg *a)
{
    agg_end_col(sc, g, a);
    agg_draw_run(sc, g, a);
}

/* Adds a piece under a pixel wide starting at x in row. */
static void agg_add(hs_scene *sc, const map_grid *g, map_agg *a, size_t row, float x, hs_color c)
{
    long col = (long)floorf(x);
    if (row != a->row) {
        agg_flush(sc, g, a);
        a->row = row;
    }
    if (col != a->col) {
        agg_end_col(sc, g, a);
        a->col = col;
    }
    a->colc = c;
}

/* After item i, whose last piece (in row) starts in pixel column col: the plain chunks
 * (i's plain run, up to plain) after it starting in the column, but the last, are passed over
 * (found by doubling and halving: x grows with the address) under one run hit box (hs_hit.n)
 * for their 1-pixel boxes, leaving their colour to a, as agg_add would.  Returns the index
 * before the last. */
static size_t same_column(hs_scene *sc, const map_grid *g, map_agg *a, const dritem *d, size_t i,
                          size_t row, long col, size_t plain)
{
    size_t e = i + 1, hi = i + 2, f = i + 1, l, nh = sc->nhits;   /* e: the first not in the column */
#define IN_COL(m) ((size_t)(d[m].lo * (1.0 / (double)g->bpr)) == row && \
                   (long)hs_floorf(hs_map_x(g->rows, g->bpr, row, d[m].lo)) == col)
    while (hi < plain && IN_COL(hi)) e = hi + 1, hi = i + 2 * (hi - i);   /* doubling, then halving */
    for (hi = hi < plain ? hi : plain; e < hi;) {
        size_t m = e + (hi - e) / 2;
        if (IN_COL(m)) e = m + 1;
        else hi = m;
    }
#undef IN_COL
    if (e < i + 3) return i;   /* none passed over: d[e - 1] is drawn next */
    for (l = e - 2; f <= l && d[f].hi <= d[f].lo; f++) {}   /* the first and last not empty */
    while (l > f && d[l].hi <= d[l].lo) l--;
    if (f > l) return e - 2;
    float y = g->rows.y + (float)(row - g->first) * g->rh, xl = hs_map_x(g->rows, g->bpr, row, d[l].lo);
    bool run = g->runs && f < l && l - f < UINT16_MAX;   /* else a box each, as a run's read */
    for (size_t k = run ? l : f; k <= l; k++) {
        float xa = hs_map_x(g->rows, g->bpr, row, d[run ? f : k].lo);
        if (d[k].hi > d[k].lo)
            hs_add_hit(sc, hs_rect_make(xa, y + 1, (run ? xl + 1 : xa + 1) - xa, g->rh - 3), HS_HIT_MAP,
                       d[k].region, d[k].info, d[k].addr);
    }
    if (run && sc->nhits > nh) sc->hits[nh].n = (uint16_t)(l - f + 1);
    a->colc = hs_state_color(d[l].s_to);   /* what the last's box may draw over */
    return e - 2;
}

/* Chunks cut into rows: boxes (and hit boxes), or, with labels, their names.
 * Pieces under a pixel wide are drawn merged (map_agg). */
static void map_chunks(hs_scene *sc, const hs_view *v, const map_grid *g, const dritem *d,
                       size_t nd, bool labels)
{
    map_agg agg = {.row = 0, .col = -1};
    /* bpr is a power of two: multiplying by its inverse is exactly dividing (and cheaper) */
    const double inv = 1.0 / (double)g->bpr;
    const float rw = g->rows.w, u8 = U(sc, 8);
    size_t r = 0;   /* the plain run i is in or before */
    for (size_t i = 0; i < nd; i++) {
        const dritem *it = &d[i];
        while (r < g->npr && g->pr[3 * r + 1] <= i) r++;
        /* a run too narrow for any label: passed over (no piece is wider than its chunk) */
        if (labels && r < g->npr && g->pr[3 * r] == i && (double)g->pr[3 * r + 2] * inv * rw < u8) {
            i = g->pr[3 * r + 1] - 1;
            continue;
        }
        if (it->region == 1 || it->hi <= it->lo) continue;   /* heap (0) or the shown arena's (2) */
        /* no piece of a chunk is wider than the chunk: no label fits in it */
        if (labels && (it->hi - it->lo) * inv * rw < u8) continue;
        size_t r0 = (size_t)(it->lo * inv);
        size_t r1 = (size_t)((it->hi - 1e-6) * inv);
        if (r1 < g->first || r0 >= g->last) continue;
        if (r0 < g->first) r0 = g->first;
        if (r1 >= g->last) r1 = g->last - 1;
        for (size_t row = r0; row <= r1; row++) {
            double rlo = (double)(row * g->bpr), rhi = rlo + (double)g->bpr;
            double a = it->lo > rlo ? it->lo : rlo, b = it->hi < rhi ? it->hi : rhi;  /* no NaN here */
            float xa = g->rows.x + (float)((a - rlo) * inv * g->rows.w);
            float xb = g->rows.x + (float)((b - rlo) * inv * g->rows.w);
            bool thin = xb - xa < 1;
            if (thin) xb = xa + 1;
            float y = g->rows.y + (float)(row - g->first) * g->rh;
            hs_rect seg = hs_rect_make(xa, y + 1, xb - xa, g->rh - 3);
            if (!labels) {
                hs_color c = hs_item_color(it);
                if (it->alpha < 1) c.a = (uint8_t)(c.a * it->alpha);  /* as hs_chunk_box */
                if (thin && c.a == 255 && xa >= 0) {
                    agg_add(sc, g, &agg, row, xa, c);
                    if (row == r1 && it->current) {
                        hs_add_hit(sc, seg, HS_HIT_MAP, it->region, it->info, it->addr);
                        size_t plain = r < g->npr && g->pr[3 * r] <= i ? g->pr[3 * r + 1] : 0;
                        i = same_column(sc, g, &agg, d, i, row, (long)floorf(xa), plain);
                        break;
                    }
                } else {   /* translucent pieces blend with what is under them: drawn one by one */
                    agg_flush(sc, g, &agg);
                    hs_chunk_box(sc, seg, hs_item_color(it), hs_item_state(it), it->alpha);
                }
                if (it->current) hs_add_hit(sc, seg, HS_HIT_MAP, it->region, it->info, it->addr);
                continue;
            }
            if (it->alpha < 1 || g->rh < g->cpx * 1.2f) break;
            if (seg.w < U(sc, 8)) continue;   /* no label fits (below: tw + 8 <= seg.w) */
            char lab[64];
            hs_chunk_label(v, it, lab, sizeof lab, false);
            float tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, g->cpx, lab);
            if (tw + U(sc, 8) <= seg.w) {
                int st = hs_item_state(it);
                hs_tag(sc, xa + U(sc, 4), y + (g->rh - g->cpx * 1.2f) / 2, HS_FONT_BOLD, g->cpx,
                    hs_state_ink(st), hs_state_color(st), lab, seg.w - U(sc, 8));
                break;  /* one label per chunk, in its first row wide enough */
            }
        }
    }
    if (!labels) agg_flush(sc, g, &agg);
}

/* map_chunks, or what it drew on a frame of the same snapshot and grid
 * (render/memo.c): the scene's items only, not the shown arena's (new each frame). */
static void map_pass(hs_scene *sc, const hs_view *v, const map_grid *g, const dritem *d, size_t nd,
                     bool labels)
{
    struct {
        hs_rect rows;
        uint64_t bpr;
        float rh;
        size_t first, last, plain, nd, npr;
        int cpx;
        bool runs;
    } k;
    memset(&k, 0, sizeof k);   /* compared as bytes */
    k.rows = g->rows, k.bpr = g->bpr, k.rh = g->rh, k.first = g->first, k.last = g->last;
    k.plain = g->plain, k.nd = nd, k.cpx = g->cpx, k.runs = g->runs, k.npr = g->npr;
    int p = labels ? HS_MEMO_MAP_LABELS : HS_MEMO_MAP_BOXES;
    bool kept = d == sc->dr;
    if (kept && hs_memo_replay(sc, p, &k, sizeof k)) return;
    hs_memo_mark at = hs_memo_begin(sc);
    map_chunks(sc, v, g, d, nd, labels);
    if (kept) hs_memo_end(sc, p, at, &k, sizeof k);
}

/* The first page in [from, to) whose flag is v, or to (flags NULL: none). */
static uint64_t page_find(const uint8_t *flags, int v, uint64_t from, uint64_t to)
{
    if (!flags || from >= to) return to;
    const uint8_t *q = memchr(flags + from, v, (size_t)(to - from));
    return q ? (uint64_t)(q - flags) : to;
}

/* Page boundaries; pages never written (not resident in the model) are
 * pale; pages real glibc has resident get an orange bar along the bottom. */
static void map_pages(hs_scene *sc, const map_grid *g)
{
    hs_color pale = hs_rgba(0xff, 0xff, 0xff, 0xa8);
    for (size_t row = g->first; row < g->last; row++) {
        float y = g->rows.y + (float)(row - g->first) * g->rh;
        uint64_t lo = row * g->bpr;
        if (g->bpr >= 4096) {
            float pw = g->rows.w * 4096.0f / (float)g->bpr;
            uint64_t p0 = lo / 4096, end = p0 + g->bpr / 4096 < g->pages ? p0 + g->bpr / 4096 : g->pages;
            if (pw < 3) {
                /* no boundary lines: only the pale and the real pages draw, found by memchr
                 * (a row may hold thousands of pages), in the order the loop below takes them */
                uint64_t a = page_find(g->res, 0, p0, end), b = page_find(g->real, 1, p0, end);
                while (a < end || b < end) {
                    uint64_t pg = a < b ? a : b, p = pg - p0;
                    float px0 = g->rows.x + p * pw;
                    if (pg == a) {
                        hs_dl_rect(&sc->dl, hs_rect_make(px0, y, pw, g->rh - 1), pale);
                        a = page_find(g->res, 0, a + 1, end);
                    }
                    if (pg == b) {
                        hs_dl_rect(&sc->dl, real_bar(sc, px0, y, pw, g->rh), HS_C_REAL);
                        b = page_find(g->real, 1, b + 1, end);
                    }
                }
                continue;
            }
            for (uint64_t p = 0; p < g->bpr / 4096; p++) {
                uint64_t pg = lo / 4096 + p;
                float px0 = g->rows.x + p * pw;
                if (pg < g->pages && g->res && !g->res[pg])
                    hs_dl_rect(&sc->dl, hs_rect_make(px0, y, pw, g->rh - 1), pale);
                if (pg < g->pages && g->real && g->real[pg] == 1)
                    hs_dl_rect(&sc->dl, real_bar(sc, px0, y, pw, g->rh), HS_C_REAL);
                if (p > 0 && pw >= 3)
                    hs_dl_line(&sc->dl, px0, y, px0, y + g->rh - 1, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
            }
        } else {
            uint64_t pg = lo / 4096;
            if (pg < g->pages && g->res && !g->res[pg])
                hs_dl_rect(&sc->dl, hs_rect_make(g->rows.x, y, g->rows.w, g->rh - 1), pale);
            if (pg < g->pages && g->real && g->real[pg] == 1)
                hs_dl_rect(&sc->dl, real_bar(sc, g->rows.x, y, g->rows.w, g->rh), HS_C_REAL);
            if (lo % 4096 == 0 && row > g->first)
                hs_dl_line(&sc->dl, g->rows.x - U(sc, 4), y - 0.5f, g->rows.x + g->rows.w, y - 0.5f,
                           fmaxf(2, U(sc, 2.5f)), HS_C_FG);
        }
    }
}

/* Marks pages whose residency differs (runs of them in a row as one mark),
 * on top of everything; the first mark drawn goes to sc->map_mark. */
static void map_mismatches(hs_scene *sc, const map_grid *g)
{
    if (!g->real) return;
    for (size_t row = g->first; row < g->last; row++) {
        float y = g->rows.y + (float)(row - g->first) * g->rh;
        uint64_t lo = row * g->bpr;
        uint64_t n = g->bpr >= 4096 ? g->bpr / 4096 : 1;
        float pw = g->bpr >= 4096 ? g->rows.w * 4096.0f / (float)g->bpr : g->rows.w;
        for (uint64_t p = 0; p < n; p++) {
            uint64_t pg = lo / 4096 + p;
            if (!page_differs(g, pg)) continue;
            uint64_t q = p + 1;
            /* wide pages get an X each; narrow ones one X per run */
            while (pw < U(sc, 14) && q < n && page_differs(g, lo / 4096 + q)) q++;
            hs_rect b = hs_rect_make(g->rows.x + p * pw + 1, y + 1, (q - p) * pw - 2, g->rh - 3);
            if (b.w < 4) b.x -= (4 - b.w) / 2, b.w = 4;
            mismatch_mark(sc, b);
            if (sc->map_mark.w <= 0) sc->map_mark = b;
            p = q - 1;
        }
    }
}

void hs_draw_map(hs_scene *sc, const hs_view *v, const hs_ui *ui, const dritem *d, size_t nd,
                 double brk)
{
    /* a non-main arena shown: its heap_info heap instead of the main heap */
    bool am = v->asel && v->arena != 0;
    dritem *ad = NULL;
    if (am) {
        ad = hs_map_arena_items(v, &nd);
        d = ad;
        if (!ad) nd = 0;
        brk = (double)v->arena_heap.brk;
    }
    hs_rect r = sc->map;
    hs_panel(sc, r, NULL);
    int hpx = fpx(sc, 21), spx = fpx(sc, 16);
    float pad = U(sc, 12);
    float legend_h = legend(sc, r.x + pad, 0, r.w - 2 * pad, false);
    float res_h = am ? hs_map_arena_reservation(sc, v, 0, 0, 0, false) : 0;
    float head_h = U(sc, 8) + hpx * 1.25f + spx * 1.3f + res_h + U(sc, 8);
    hs_rect rows = hs_rect_make(r.x + pad + U(sc, 70), r.y + head_h, r.w - 2 * pad - U(sc, 70), 0);
    rows.h = r.y + r.h - legend_h - U(sc, 8) - rows.y;
    uint64_t top = v->max_brk;
    if (ui->real_overlay && v->real_max_brk > top) top = v->real_max_brk;  /* real pages too */
    if (am) top = v->arena_heap.mprotect_size;   /* its read-write part (real pages: main only) */
    uint64_t extent = top > 4096 ? (top + 4095) / 4096 * 4096 : 4096;
    int cpx = fpx(sc, 14);
    float min_rh = fmaxf(U(sc, 16), cpx * 1.25f);
    uint64_t fit = 256;
    while (fit < extent && (double)((extent + fit - 1) / fit) * min_rh > rows.h) fit *= 2;
    uint64_t bpr = fit;
    for (int z = 0; z < ui->map_zoom && bpr > 64; z++) bpr /= 2;
    size_t nrows = (size_t)((extent + bpr - 1) / bpr);
    float rh = rows.h / (float)nrows;
    if (rh < min_rh) rh = min_rh;
    if (rh > U(sc, 40)) rh = U(sc, 40);
    size_t vis = (size_t)(rows.h / rh);
    if (vis < 1) vis = 1;
    double pan = ui->map_pan;
    if (pan > (double)nrows - (double)vis) pan = (double)nrows - (double)vis;
    if (pan < 0) pan = 0;
    size_t first = (size_t)pan;
    size_t last = first + vis < nrows ? first + vis : nrows;
    /* row labels: heap offsets, short ("+16K") while each label's step is
     * whole KiB, else in hex ("+0x15a00"), so no two labels read the same;
     * the margin is as wide as the widest */
    int apx = fpx(sc, 14);
    size_t every = (size_t)ceil(apx * 1.15 / rh);
    if (every < 1) every = 1;
    bool hex = (bpr * every) % 1024 != 0 && extent >= 10240;
    {
        char lab[40];
        row_label(lab, sizeof lab, extent, hex);
        float lw = hs_dl_text_w(&sc->dl, HS_FONT_MONO, apx, lab) + U(sc, 10);
        if (lw > U(sc, 70)) {
            rows.x += lw - U(sc, 70);
            rows.w -= lw - U(sc, 70);
        }
    }
    sc->map_rows = rows;
    sc->map_bpr = bpr;
    sc->map_mark = hs_rect_make(0, 0, 0, 0);
    sc->map_rh = rh;
    sc->map_nrows = nrows;
    sc->map_first = first;
    sc->map_visible = vis;
    /* header */
    char head[200], bs[32];
    hs_bytes_short(bpr, bs, sizeof bs);
    char of[96];
    hs_map_arena_title(v, of, sizeof of);
    if (bpr >= 4096)
        snprintf(head, sizeof head, "Heap map%s  (to scale: 1 row = %s = %llu page%s)", of, bs,
                 (unsigned long long)(bpr / 4096), bpr == 4096 ? "" : "s");
    else snprintf(head, sizeof head, "Heap map%s  (to scale: 1 row = %s bytes)", of, bs);
    if (of[0] && hs_dl_text_w(&sc->dl, HS_FONT_BOLD, hpx, head) > r.w - 2 * pad)
        snprintf(head, sizeof head, "Heap map%s  (1 row = %s)", of, bs);   /* the arena's name first */
    hs_dl_text_fit(&sc->dl, r.x + pad, r.y + U(sc, 8), r.w - 2 * pad, HS_FONT_BOLD, hpx, HS_C_FG,
                   head);
    /* residency: the model's, and real glibc's when it is in */
    uint8_t *res = NULL, *real = NULL;
    uint64_t pages = 0;
    map_counts mc;
    if (am) {
        /* the model's pages of that heap; real glibc's are measured for the main heap only */
        memset(&mc, 0, sizeof mc);
        mc.real_stat = HS_RPG_NONE;
        pages = mc.model_pages = v->napages;
        res = pages ? malloc(pages) : NULL;
        if (res) memcpy(res, v->apages, pages);
        else pages = 0;
        for (uint64_t i = 0; i < pages; i++) mc.model += res[i] != 0;
    } else {
        mc = hs_map_residency(v, ui, &res, &real, &pages);
    }
    sc->map_differ = mc.differ;
    char line[256];
    float lx = r.x + pad;
    float ly = r.y + U(sc, 8) + hpx * 1.25f;
    snprintf(line, sizeof line, "heap pages resident: model %llu of %llu",
             (unsigned long long)mc.model, (unsigned long long)mc.model_pages);
    if (hs_dl_text_w(&sc->dl, HS_FONT_SANS, spx, line) > r.w * 0.5f)
        snprintf(line, sizeof line, "resident: model %llu/%llu",
                 (unsigned long long)mc.model, (unsigned long long)mc.model_pages);
    float w1 = hs_dl_text_fit(&sc->dl, lx, ly, r.w - 2 * pad, HS_FONT_SANS, spx, HS_C_DIM, line);
    hs_color rc = HS_C_DIM;
    int rfont = HS_FONT_SANS;
    if (mc.real_stat == HS_RPG_OK) {
        char more[96] = "";
        if (mc.unknown)
            snprintf(more, sizeof more, " (%llu not measured)", (unsigned long long)mc.unknown);
        if (mc.differ)
            snprintf(line, sizeof line, ", real %llu of %llu%s   \xE2\x89\xA0 %llu page%s differ%s (X)",
                     (unsigned long long)mc.real, (unsigned long long)mc.real_pages, more,
                     (unsigned long long)mc.differ, mc.differ == 1 ? "" : "s",
                     mc.differ == 1 ? "s" : "");
        else
            snprintf(line, sizeof line, ", real %llu of %llu%s   \xE2\x9C\x93 same pages",
                     (unsigned long long)mc.real, (unsigned long long)mc.real_pages, more);
        rc = mc.differ ? HS_C_ALERT : HS_C_FG;
        rfont = HS_FONT_BOLD;
    } else if (mc.real_stat == HS_RPG_BUDGET) {
        snprintf(line, sizeof line, "; real glibc's pages are kept for steps 1-%zu only (%zu MiB)",
                 hs_view_real_pages_full(v) - 1, HS_REAL_PAGES_BUDGET >> 20);
    } else if (am && ui->real_overlay && v->step > 0 && v->step <= v->rn) {
        snprintf(line, sizeof line, "; real glibc's pages: main heap only");
    } else if (ui->real_overlay && v->step > 0 && v->step <= v->rn) {
        snprintf(line, sizeof line, "; no per-page data from real glibc");
    } else {
        line[0] = '\0';
    }
    if (line[0] && mc.real_stat == HS_RPG_OK &&
        hs_dl_text_w(&sc->dl, rfont, spx, line) > r.w - 2 * pad - w1) {
        /* narrow panel: the same facts, fewer words */
        if (mc.differ)
            snprintf(line, sizeof line, ", real %llu/%llu  \xE2\x89\xA0 %llu differ (X)",
                     (unsigned long long)mc.real, (unsigned long long)mc.real_pages,
                     (unsigned long long)mc.differ);
        else
            snprintf(line, sizeof line, ", real %llu/%llu \xE2\x9C\x93",
                     (unsigned long long)mc.real, (unsigned long long)mc.real_pages);
    }
    if (line[0])
        hs_dl_text_fit(&sc->dl, lx + w1, ly, r.w - 2 * pad - w1, rfont, spx, rc, line);
    if (am) hs_map_arena_reservation(sc, v, lx, ly + spx * 1.3f, r.w - 2 * pad, true);
    hs_dl_push_clip(&sc->dl, hs_rect_make(r.x, rows.y, r.w, rows.h));
    /* rows: background, labels */
    for (size_t row = first; row < last; row++) {
        float y = rows.y + (float)(row - first) * rh;
        uint64_t lo = row * bpr;
        bool beyond = (double)lo >= brk;
        hs_dl_rect(&sc->dl, hs_rect_make(rows.x, y, rows.w, rh - 1), beyond ? HS_C_VOID : HS_C_BG);
        if (row % every == 0) {
            char lab[40];
            row_label(lab, sizeof lab, lo, hex);
            float tw = hs_dl_text_w(&sc->dl, HS_FONT_MONO, apx, lab);
            hs_dl_text(&sc->dl, rows.x - tw - U(sc, 6), y + (rh - apx * 1.2f) / 2, HS_FONT_MONO, apx,
                       HS_C_DIM, lab);
        }
    }
    if (hs_view_sel_snap(v)->st.brk == 0 && nd == 0) {
        const char *e = "no heap yet: the first malloc makes it";
        float tw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, fpx(sc, 20), e);
        hs_dl_text(&sc->dl, rows.x + (rows.w - tw) / 2, rows.y + rows.h * 0.4f, HS_FONT_SANS,
                   fpx(sc, 20), HS_C_DIM, e);
    }
    /* chunk boxes, then the page wash and boundaries, then the labels on top (the shown
     * arena's chunks are all current, in address order) */
    size_t all[3] = {0, nd, SIZE_MAX};   /* the shown arena's: all plain (widths not known) */
    map_grid g = {rows, bpr, rh, first, last, res, real, pages, cpx, am ? nd : sc->dr_plain, !am,
                  am ? all : sc->runs.pr, am ? 1 : sc->runs.n};
    map_pass(sc, v, &g, d, nd, false);
    if (am && nd > 0 && d[0].lo > 0 && first == 0 && rh >= cpx * 1.2f) {
        /* before the first chunk: heap_info, and in an arena's first heap its
         * malloc_state; named where the name fits (hovering shows nothing there) */
        float room = (float)fmin(d[0].lo / (double)bpr, 1.0) * rows.w - U(sc, 8);
        const char *nm = v->arena_info.heaps > 1 ? "heap_info" : "heap_info + malloc_state";
        if (hs_dl_text_w(&sc->dl, HS_FONT_SANS, cpx, nm) + U(sc, 8) > room) nm = "heap_info";
        if (hs_dl_text_w(&sc->dl, HS_FONT_SANS, cpx, nm) + U(sc, 8) <= room)
            hs_tag(sc, rows.x + U(sc, 4), rows.y + (rh - cpx * 1.2f) / 2, HS_FONT_SANS, cpx, HS_C_DIM,
                   HS_C_VOID, nm, room);
    }
    map_pages(sc, &g);
    map_pass(sc, v, &g, d, nd, true);
    map_mismatches(sc, &g);
    /* _edata in the map */
    if (brk > 0) {
        size_t row = (size_t)(brk / (double)bpr);
        if ((double)row * bpr == brk && row > 0) row--;
        if (row >= first && row < last) {
            double rlo = (double)(row * bpr);
            float x = rows.x + (float)((brk - rlo) / (double)bpr * rows.w);
            float y = rows.y + (float)(row - first) * rh;
            float ah = fminf(U(sc, 10), rh * 0.6f);
            hs_dl_line(&sc->dl, x, y - U(sc, 2), x, y + rh + U(sc, 2), fmaxf(2, U(sc, 3)), HS_C_EDATA);
            hs_dl_tri(&sc->dl, x, y + rh * 0.5f, x + ah, y + rh * 0.5f - ah, x + ah, y + rh * 0.5f + ah,
                      HS_C_EDATA);
        }
    }
    hs_dl_pop_clip(&sc->dl);
    free(res);
    free(real);
    free(ad);
    if (nrows > vis) {
        /* scroll bar */
        float sx = r.x + r.w - U(sc, 8);
        float sh = rows.h * (float)vis / (float)nrows;
        float sy = rows.y + rows.h * (float)first / (float)nrows;
        hs_dl_rect(&sc->dl, hs_rect_make(sx, rows.y, U(sc, 5), rows.h), HS_C_VOID);
        hs_dl_rect(&sc->dl, hs_rect_make(sx, sy, U(sc, 5), sh), HS_C_DIM);
    }
    legend(sc, r.x + pad, r.y + r.h - legend_h - U(sc, 4), r.w - 2 * pad, true);
}
