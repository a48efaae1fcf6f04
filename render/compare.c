/* render/compare.c — the allocators side by side (C): each one's RSS and minor-fault curve on one plot.
 * Owns: the compare charts, their key (one colour per allocator, its values at the current step), their readout. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* One colour per run, in hs_allocs order (glibc in real glibc's orange);
 * text stays black beside a swatch of it (sky and orange are light on white). */
static hs_color run_color(size_t k)
{
    /* glibc, glibc-tuned, jemalloc, tcmalloc, mimalloc, then any other */
    const hs_color c[] = {HS_OI_ORANGE, HS_OI_SKY, HS_OI_BLUE, HS_OI_GREEN, HS_OI_PURPLE,
                          HS_OI_VERMILLION, HS_OI_BLACK, HS_C_RULE};
    return c[k % (sizeof c / sizeof c[0])];
}

/* The two charts: what they draw of hs_vals, and their titles. */
static const struct { int ser; const char *title; } charts[2] = {
    {HS_SER_RSS, "RSS per allocator (RssAnon added since the first op)"},
    {HS_SER_MINFLT, "minor faults per allocator (since the first op)"},
};

/* Run k's words at step s: "glibc: 44K, 11 faults", or where it is. */
static void run_words(const hs_allocs *a, size_t k, size_t s, char *buf, size_t len)
{
    const hs_alloc_run *r = &a->runs[k];
    int st = atomic_load_explicit(&r->state, memory_order_acquire);
    size_t in = atomic_load_explicit(&r->n_in, memory_order_acquire);
    /* msg is the replay thread's until the run has ended */
    const char *msg = st == HS_REAL_DONE || st == HS_REAL_FAILED ? r->msg : "";
    if (r->vals && s <= in) {
        char b[32], f[32];
        hs_series_format(HS_SER_RSS, r->vals[s].rss, b, sizeof b);
        hs_series_format(HS_SER_MINFLT, r->vals[s].minflt, f, sizeof f);
        snprintf(buf, len, "%s: %s, %s faults%s%s", r->name, b, f, msg[0] ? " — " : "", msg);
    } else if (st == HS_REAL_FAILED) {
        snprintf(buf, len, "%s: %s", r->name, r->msg);
    } else if (st == HS_REAL_DONE) {
        snprintf(buf, len, "%s: stopped before step %zu%s%s", r->name, s, r->msg[0] ? " — " : "", r->msg);
    } else if (st == HS_REAL_RUNNING) {
        snprintf(buf, len, "%s: replaying (%zu of %zu steps)", r->name, in, a->n);
    } else {
        snprintf(buf, len, "%s: waiting for its turn", r->name);
    }
}

/* The key: a swatch and the words of each run, flowing over lines of width
 * w from (x, y); draws nothing when draw is false.  Returns the lines used. */
static int key(hs_scene *sc, const hs_allocs *a, size_t s, float x, float y, float w, int maxl,
               bool draw)
{
    int kpx = fpx(sc, 15);
    float lh = kpx * 1.3f, sw = U(sc, 24), gap = U(sc, 18);
    float cx = x;
    int line = 1;
    for (size_t k = 0; k < a->nruns; k++) {
        char t[700];
        run_words(a, k, s, t, sizeof t);
        float tw = sw + U(sc, 6) + hs_dl_text_w(&sc->dl, HS_FONT_SANS, kpx, t);
        if (cx > x && cx + tw > x + w) {
            line++;
            cx = x;
        }
        if (draw && line <= maxl) {
            float ly = y + (line - 1) * lh;
            int st = atomic_load(&a->runs[k].state);
            bool has = a->runs[k].vals && atomic_load(&a->runs[k].n_in) > 0;
            hs_dl_rect(&sc->dl, hs_rect_make(cx, ly + kpx * 0.4f, sw, fmaxf(3, U(sc, 5))),
                       has || st != HS_REAL_FAILED ? run_color(k) : HS_C_SEGMENT);
            /* the last line's last entry may be cut: say so with the "…" */
            hs_dl_marking(&sc->dl, true);
            hs_dl_text_fit(&sc->dl, cx + sw + U(sc, 6), ly, x + w - cx - sw - U(sc, 6), HS_FONT_SANS,
                           kpx, st == HS_REAL_FAILED && !has ? HS_C_DIM : HS_C_FG, t);
            hs_dl_marking(&sc->dl, false);
        } else if (draw) {
            hs_dl_cut(&sc->dl, t, strlen(t));   /* no room left: the clipping report says so */
        }
        cx += tw + gap;
    }
    return line;
}

/* The hover readout of chart c at step s: a guide and every run's value. */
static void readout(hs_scene *sc, const hs_allocs *a, const hs_view *v, hs_rect c, hs_rect g,
                    int ser, size_t s)
{
    float x = hs_plot_step_x(c, v->n, s) + c.w / (float)(v->n + 1) / 2;
    hs_dl_dashed(&sc->dl, x, c.y, x, c.y + c.h, fmaxf(1, U(sc, 1.5f)), U(sc, 4), HS_C_DIM);
    int px = fpx(sc, 15);
    char lines[HS_ALLOCS_MAX + 1][96];
    hs_color col[HS_ALLOCS_MAX + 1];
    size_t nl = 0;
    col[nl] = HS_C_BG;
    snprintf(lines[nl++], sizeof lines[0], "step %zu", s);
    for (size_t k = 0; k < a->nruns; k++) {
        const hs_alloc_run *r = &a->runs[k];
        if (!r->vals || s > atomic_load(&r->n_in)) continue;
        char b[32];
        hs_series_format(ser, hs_series_val(&r->vals[s], ser), b, sizeof b);
        col[nl] = run_color(k);
        snprintf(lines[nl++], sizeof lines[0], "%s %s", r->name, b);
    }
    float w = 0;
    for (size_t i = 0; i < nl; i++) w = fmaxf(w, hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, lines[i]));
    float pad = U(sc, 4), sw = px * 0.8f, lh = px * 1.2f;
    float bw = sw + w + 3 * pad, bh = lh * nl + pad;
    hs_rect b = hs_plot_tag_box(sc, x, c, g, bw, bh);
    for (size_t i = 0; i < nl; i++) {
        float ly = b.y + pad / 2 + i * lh;
        if (i > 0) hs_dl_rect(&sc->dl, hs_rect_make(b.x + pad, ly + px * 0.25f, sw, sw), col[i]);
        hs_dl_text_fit(&sc->dl, b.x + 2 * pad + sw, ly, bw - 3 * pad - sw, HS_FONT_BOLD, px, HS_C_FG, lines[i]);
    }
}

/* The panel's words when there is nothing to plot. */
static void message(hs_scene *sc, hs_rect r, const char *title, const char *msg)
{
    float pad = U(sc, 12);
    int tpx = fpx(sc, 20), px = fpx(sc, 17);
    hs_dl_text_fit(&sc->dl, r.x + pad, r.y + U(sc, 8), r.w - 2 * pad, HS_FONT_BOLD, tpx, HS_C_FG, title);
    hs_dl_text_wrap(&sc->dl, r.x + pad, r.y + U(sc, 8) + tpx * 1.5f, r.w - 2 * pad, px * 1.3f,
                    (int)fmaxf(1, (r.h - tpx * 2) / (px * 1.3f)), HS_FONT_SANS, px, HS_C_DIM, msg);
}

void hs_draw_compare(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->plots;
    hs_panel(sc, r, NULL);
    memset(sc->plot_c, 0, sizeof sc->plot_c);
    const hs_allocs *a = ui->allocs;
    if (!a) {
        message(sc, r, "Allocators side by side (C)",
                "(real mode only) The same trace replayed under glibc, jemalloc, tcmalloc and mimalloc "
                "needs the real replay: open the window without --no-real, or draw it with "
                "heapsim render --compare.  C again shows the usual plots.");
        return;
    }
    /* every run failed for one reason (a trace too long, say): that reason once */
    bool same = a->nruns > 0;
    for (size_t k = 0; k < a->nruns && same; k++)
        same = atomic_load(&a->runs[k].state) == HS_REAL_FAILED && !atomic_load(&a->runs[k].n_in) &&
               !strcmp(a->runs[k].msg, a->runs[0].msg);
    if (same) {
        char m[700];
        snprintf(m, sizeof m, "Every allocator: %s", a->runs[0].msg);
        message(sc, r, "Allocators side by side (C)", m);
        return;
    }
    float pad = U(sc, 12);
    size_t s = v->step;
    /* the key under both charts: as many lines as its entries need (up to 3) */
    float kw = r.w - 2 * pad;
    int kl = key(sc, a, s, r.x + pad, 0, kw, 3, false);
    if (kl > 3) kl = 3;
    int kpx = fpx(sc, 15);
    float kh = kl * kpx * 1.3f;
    float gw = (r.w - pad) / 2;
    int tpx = fpx(sc, 20), apx = fpx(sc, 13);
    for (int p = 0; p < 2; p++) {
        int ser = charts[p].ser;
        hs_rect g = hs_rect_make(r.x + pad + p * gw, r.y + U(sc, 8), gw - pad, r.h - U(sc, 16));
        hs_dl_text_fit(&sc->dl, g.x, g.y, g.w, HS_FONT_BOLD, tpx, HS_C_FG, charts[p].title);
        double vmax = 0;
        for (size_t k = 0; k < a->nruns; k++) {
            const hs_alloc_run *ar = &a->runs[k];
            size_t in = atomic_load_explicit(&ar->n_in, memory_order_acquire);
            for (size_t i = 0; ar->vals && i <= in; i++)
                vmax = fmax(vmax, (double)hs_series_val(&ar->vals[i], ser));
        }
        char ylab[32];
        hs_series_format(ser, (uint64_t)vmax, ylab, sizeof ylab);
        float yw = fmaxf(hs_dl_text_w(&sc->dl, HS_FONT_SANS, apx, ylab),
                         hs_dl_text_w(&sc->dl, HS_FONT_SANS, apx, "0"));
        hs_rect c = hs_rect_make(g.x + yw + U(sc, 8), g.y + tpx * 1.45f, 0, 0);
        c.w = g.x + g.w - U(sc, 4) - c.x;
        c.h = r.y + r.h - U(sc, 8) - kh - apx * 1.3f - c.y;
        if (c.h < 8 || c.w < 8) continue;
        sc->plot_c[p] = c;   /* hover and click-to-jump as on the usual plots */
        double ymax = hs_plot_axes(sc, c, vmax, ylab, v->n, apx);
        /* thickest first, so curves that agree still show under each other */
        for (size_t k = 0; k < a->nruns; k++) {
            const hs_alloc_run *ar = &a->runs[k];
            size_t in = atomic_load_explicit(&ar->n_in, memory_order_acquire);
            if (!ar->vals || in == 0) continue;
            float th = fmaxf(2, U(sc, 2.5f + 1.5f * (float)(a->nruns - 1 - k)));
            hs_plot_series(sc, c, ar->vals, v->n, in, ser, ymax, th, run_color(k));
        }
        float half = c.w / (float)(v->n + 1) / 2;
        float cx = hs_plot_step_x(c, v->n, s) + half;
        hs_dl_line(&sc->dl, cx, c.y - U(sc, 2), cx, c.y + c.h + U(sc, 4), fmaxf(2, U(sc, 2.5f)), HS_C_FG);
    }
    int hp;
    size_t hstep;
    if (ui->mouse_in && !ui->help && !ui->prompt && hs_scene_plot_at(sc, v, ui->mx, ui->my, &hp, &hstep) &&
        hp < 2) {
        hs_rect g = hs_rect_make(r.x + pad + hp * gw, r.y, gw - pad, r.h);
        readout(sc, a, v, sc->plot_c[hp], g, charts[hp].ser, hstep);
    }
    key(sc, a, s, r.x + pad, r.y + r.h - U(sc, 6) - kh, kw, kl, true);
}
