/* render/plots.c — the plots: brk, rss, minor faults, mmapped and free bytes per step.
 * Owns: the series drawing. */
#include "panels.h"
#include "../play/find.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the plots ---- */

/* Step i's slot on a chart: each step is xs wide, the last one too (so
 * the end of a trace is as visible as its start). */
static float step_x(hs_rect c, size_t n, size_t i) { return c.x + (float)((double)i * c.w / (double)(n + 1)); }

/* Draws series s[0..upto] as a staircase in r, y from 0 to ymax.  bmin,
 * bmax: the series' extremes per HS_MV_BLOCK steps (the view's, for the
 * model), or NULL to read every step. */
static void series(hs_scene *sc, hs_rect r, const hs_vals *s, size_t n, size_t upto, int which,
                   double ymax, float thick, hs_color c, bool need_has, const hs_vals *bmin,
                   const hs_vals *bmax)
{
    if (upto > n) upto = n;
    float pw = r.w;
    double xs = pw / (double)(n + 1);
    if (n + 1 <= (size_t)pw) {
        float py = 0;
        bool have = false;
        for (size_t i = 0; i <= upto; i++) {
            if (need_has && !hs_series_has(&s[i], which)) continue;
            float x = step_x(r, n, i), xe = x + (float)xs;
            float y = r.y + r.h - (float)((double)hs_series_val(&s[i], which) / ymax * r.h);
            if (have)
                hs_dl_rect(&sc->dl, hs_rect_make(x - thick / 2, fminf(py, y) - thick / 2, thick,
                                                 fabsf(py - y) + thick), c);
            hs_dl_line(&sc->dl, x, y, xe, y, thick, c);
            py = y;
            have = true;
        }
        return;
    }
    /* more steps than pixels: a min..max span per pixel column */
    size_t i = 0;
    for (int col = 0; col < (int)pw && i <= upto; col++) {
        size_t end = (size_t)((double)(col + 1) / pw * (double)(n + 1));
        if (end > upto + 1) end = upto + 1;
        uint64_t mn = UINT64_MAX, mx = 0;
        for (; i < end; i++) {
            if (bmin && !need_has && i % HS_MV_BLOCK == 0 && i + HS_MV_BLOCK <= end) {
                /* a whole block: its extremes */
                uint64_t a = hs_series_val(&bmin[i / HS_MV_BLOCK], which);
                uint64_t b = hs_series_val(&bmax[i / HS_MV_BLOCK], which);
                if (a < mn) mn = a;
                if (b > mx) mx = b;
                i += HS_MV_BLOCK - 1;
                continue;
            }
            if (need_has && !hs_series_has(&s[i], which)) continue;
            uint64_t y = hs_series_val(&s[i], which);
            if (y < mn) mn = y;
            if (y > mx) mx = y;
        }
        if (mn == UINT64_MAX) continue;
        float y0 = r.y + r.h - (float)((double)mx / ymax * r.h);
        float y1 = r.y + r.h - (float)((double)mn / ymax * r.h);
        hs_dl_rect(&sc->dl, hs_rect_make(r.x + col, y0 - thick / 2, 1, y1 - y0 + thick), c);
    }
}

bool hs_scene_plot_at(const hs_scene *sc, const hs_view *v, float x, float y, int *plot,
                      size_t *step)
{
    for (int p = 0; p < HS_SER_COUNT; p++) {
        hs_rect c = sc->plot_c[p];
        if (c.w <= 0) continue;
        /* the chart and a little around it, so its edges are easy to hit */
        hs_rect hit = hs_rect_make(c.x - 4, c.y - 4, c.w + 8, c.h + 8);
        if (!hs_rect_has(hit, x, y)) continue;
        double f = (x - c.x) / c.w * (double)(v->n + 1);
        size_t s = f <= 0 ? 0 : (size_t)f;
        if (s > v->n) s = v->n;
        if (plot) *plot = p;
        if (step) *step = s;
        return true;
    }
    return false;
}

hs_rect hs_plot_tag_box(hs_scene *sc, float x, hs_rect c, hs_rect g, float bw, float bh)
{
    float bx = x + U(sc, 6);
    if (bx + bw > g.x + g.w) bx = x - U(sc, 6) - bw;
    if (bx < g.x) bx = g.x;
    hs_rect b = hs_rect_make(bx, c.y + U(sc, 2), bw, bh);
    hs_dl_rect(&sc->dl, b, HS_C_BG);
    hs_dl_frame(&sc->dl, b, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
    return b;
}

/* The hover readout of chart c at step s: a guide line and a two-line tag
 * (the step; the model's value and real glibc's), kept inside box g. */
static void readout(hs_scene *sc, const hs_view *v, const hs_ui *ui, hs_rect c, hs_rect g, int p,
                    size_t s, bool real)
{
    float x = step_x(c, v->n, s) + c.w / (float)(v->n + 1) / 2;
    hs_dl_dashed(&sc->dl, x, c.y, x, c.y + c.h, fmaxf(1, U(sc, 1.5f)), U(sc, 4), HS_C_DIM);
    char a[32], l1[64], l2[96];
    snprintf(l1, sizeof l1, "step %zu", s);
    hs_series_format(p, hs_series_val(&v->mv[s], p), a, sizeof a);
    if (real && s > 0 && s <= v->rn && hs_series_has(&v->rv[s], p)) {
        char b[32];
        hs_series_format(p, hs_series_val(&v->rv[s], p), b, sizeof b);
        snprintf(l2, sizeof l2, "%s, real %s", a, b);
    } else {
        snprintf(l2, sizeof l2, "%s", a);
    }
    (void)ui;
    int px = fpx(sc, 15);
    float w = fmaxf(hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, l1), hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, l2));
    float pad = U(sc, 4), bw = w + 2 * pad, bh = px * 2.5f;
    hs_rect b = hs_plot_tag_box(sc, x, c, g, bw, bh);
    float tw = b.w - 2 * pad;
    hs_dl_text_fit(&sc->dl, b.x + pad, b.y + px * 0.1f, tw, HS_FONT_BOLD, px, HS_C_FG, l1);
    hs_dl_text_fit(&sc->dl, b.x + pad, b.y + px * 1.25f, tw, HS_FONT_BOLD, px, HS_C_MODEL, l2);
}

void hs_draw_plots(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->plots;
    hs_panel(sc, r, NULL);
    size_t np = HS_SER_COUNT;
    float pad = U(sc, 12);
    float gw = (r.w - pad) / (float)np;
    size_t rn = v->rn;  /* what the UI thread has read */
    bool real = ui->real_overlay && rn > 0;
    int tpx = fpx(sc, 20), vpx = fpx(sc, 18), apx = fpx(sc, 13);
    memset(sc->plot_c, 0, sizeof sc->plot_c);
    for (size_t p = 0; p < np; p++) {
        hs_rect g = hs_rect_make(r.x + pad + p * gw, r.y + U(sc, 8), gw - pad, r.h - U(sc, 16));
        float tw = hs_dl_text_fit(&sc->dl, g.x, g.y, g.w, HS_FONT_BOLD, tpx, HS_C_FG, hs_series[p].name);
        if ((int)p == ui->plot_sel)  /* the plot N and Shift+N search */
            hs_dl_rect(&sc->dl, hs_rect_make(g.x, g.y + tpx * 1.18f, tw, fmaxf(2, U(sc, 3))), HS_C_FG);
        char a[64], b[64], line[160];
        hs_series_format((int)p, hs_series_val(&v->mv[v->step], (int)p), a, sizeof a);
        snprintf(line, sizeof line, "%s", a);
        float lw = hs_dl_text(&sc->dl, g.x, g.y + tpx * 1.25f, HS_FONT_BOLD, vpx, HS_C_MODEL, line);
        if (real && v->step > 0 && v->step <= rn && hs_series_has(&v->rv[v->step], (int)p)) {
            hs_series_format((int)p, hs_series_val(&v->rv[v->step], (int)p), b, sizeof b);
            snprintf(line, sizeof line, "  real %s", b);
            hs_dl_text_fit(&sc->dl, g.x + lw, g.y + tpx * 1.25f, g.w - lw, HS_FONT_BOLD, vpx,
                           HS_C_FG, line);
        }
        double vmax = (double)hs_series_val(&v->mv_max, (int)p);  /* the max over mv, kept by the view */
        if (real)
            for (size_t i = 0; i <= rn; i++) vmax = fmax(vmax, (double)hs_series_val(&v->rv[i], (int)p));
        /* the y axis: 0 and the largest value, labelled in the series' unit */
        char ylab[32];
        hs_series_format((int)p, (uint64_t)vmax, ylab, sizeof ylab);
        float yw = fmaxf(hs_dl_text_w(&sc->dl, HS_FONT_SANS, apx, ylab),
                         hs_dl_text_w(&sc->dl, HS_FONT_SANS, apx, "0"));
        hs_rect c = hs_rect_make(g.x + yw + U(sc, 8), g.y + tpx * 1.25f + vpx * 1.5f, 0, 0);
        c.w = g.x + g.w - U(sc, 4) - c.x;
        c.h = r.y + r.h - fpx(sc, 15) * 1.4f - apx * 1.25f - c.y;  /* x labels, then the key */
        if (c.h < 8 || c.w < 8) continue;
        sc->plot_c[p] = c;
        double ymax = hs_plot_axes(sc, c, vmax, ylab, v->n, apx);
        if (real) series(sc, c, v->rv, v->n, rn, (int)p, ymax, fmaxf(3, U(sc, 6)), HS_C_REAL, true,
                         NULL, NULL);
        series(sc, c, v->mv, v->n, v->n, (int)p, ymax, fmaxf(2, U(sc, 2.5f)), HS_C_MODEL, false,
               v->mv_bmin, v->mv_bmax);
        float half = c.w / (float)(v->n + 1) / 2;
        /* where model and real disagree */
        if (real && v->ndis) {
            float ts = U(sc, 6);
            for (size_t i = 1; i <= rn; i++) {
                if (!v->dis[i]) continue;
                float x = step_x(c, v->n, i) + half;
                hs_dl_tri(&sc->dl, x, c.y + c.h - ts * 1.6f, x - ts, c.y + c.h + ts * 0.4f,
                          x + ts, c.y + c.h + ts * 0.4f, HS_C_ALERT);
            }
        }
        if (v->dead_step) {
            float x = step_x(c, v->n, v->dead_step) + half;
            hs_dl_dashed(&sc->dl, x, c.y, x, c.y + c.h, fmaxf(1, U(sc, 2)), U(sc, 4), HS_C_ALERT);
        }
        /* the cursor */
        float cx = step_x(c, v->n, v->step) + half;
        hs_dl_line(&sc->dl, cx, c.y - U(sc, 2), cx, c.y + c.h + U(sc, 4), fmaxf(2, U(sc, 2.5f)),
                   HS_C_FG);
    }
    /* the hover readout, over its chart */
    int hp;
    size_t hstep;
    if (ui->mouse_in && !ui->help && !ui->prompt && hs_scene_plot_at(sc, v, ui->mx, ui->my, &hp, &hstep)) {
        hs_rect g = hs_rect_make(r.x + pad + hp * gw, r.y, gw - pad, r.h);
        readout(sc, v, ui, sc->plot_c[hp], g, hp, hstep, real);
    }
    /* key */
    int kpx = fpx(sc, 15);
    float ky = r.y + r.h - kpx * 1.25f, kx = r.x + pad;
    hs_dl_rect(&sc->dl, hs_rect_make(kx, ky + kpx * 0.5f, U(sc, 24), fmaxf(2, U(sc, 3))), HS_C_MODEL);
    kx += U(sc, 30) + hs_dl_text(&sc->dl, kx + U(sc, 30), ky, HS_FONT_SANS, kpx, HS_C_FG, "model") + U(sc, 18);
    if (!real) {
        /* no real curve drawn: no claim that it agrees */
        int rs = atomic_load((atomic_int *)&v->real_state);
        hs_dl_text(&sc->dl, kx, ky, HS_FONT_SANS, kpx, HS_C_DIM,
                   !ui->real_overlay          ? "real glibc: overlay off (R)"
                   : rs == HS_REAL_RUNNING    ? "real glibc: replaying\xE2\x80\xA6"
                   : rs == HS_REAL_FAILED     ? "real glibc: the replay failed (see the narration)"
                                              : "real glibc: not replayed");
        return;
    }
    hs_dl_rect(&sc->dl, hs_rect_make(kx, ky + kpx * 0.4f, U(sc, 24), fmaxf(3, U(sc, 6))), HS_C_REAL);
    kx += U(sc, 30) + hs_dl_text(&sc->dl, kx + U(sc, 30), ky, HS_FONT_SANS, kpx, HS_C_FG,
                                 "real glibc (thick; under the model line where they agree)") + U(sc, 18);
    float ts = U(sc, 6);
    hs_dl_tri(&sc->dl, kx + ts, ky + kpx * 0.1f, kx, ky + kpx, kx + 2 * ts, ky + kpx, HS_C_ALERT);
    char k2[96];
    snprintf(k2, sizeof k2, "model \xE2\x89\xA0 real (%zu step%s%s)", v->ndis, v->ndis == 1 ? "" : "s",
             atomic_load((atomic_int *)&v->real_state) == HS_REAL_RUNNING ? " so far" : "");
    hs_dl_text(&sc->dl, kx + 3 * ts, ky, HS_FONT_SANS, kpx, HS_C_FG, k2);
}

/* ---- for the other charts (render/compare.c) ---- */

double hs_plot_axes(hs_scene *sc, hs_rect c, double vmax, const char *ylab, size_t n, int apx)
{
    double ymax = fmax(1, vmax) * 1.08;
    hs_dl_rect(&sc->dl, c, HS_C_BG);
    float ymx = c.y + c.h - (float)(vmax / ymax * c.h);
    if (vmax > 0)
        hs_dl_line(&sc->dl, c.x, ymx, c.x + c.w, ymx, 1, HS_C_SEGMENT);
    hs_dl_line(&sc->dl, c.x, c.y + c.h, c.x + c.w, c.y + c.h, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
    hs_dl_line(&sc->dl, c.x, c.y, c.x, c.y + c.h, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
    float lx = c.x - U(sc, 5);
    hs_dl_text(&sc->dl, lx - hs_dl_text_w(&sc->dl, HS_FONT_SANS, apx, "0"), c.y + c.h - apx * 0.7f,
               HS_FONT_SANS, apx, HS_C_DIM, "0");
    if (vmax > 0 && ymx < c.y + c.h - apx * 1.2f)
        hs_dl_text(&sc->dl, lx - hs_dl_text_w(&sc->dl, HS_FONT_SANS, apx, ylab), ymx - apx * 0.6f,
                   HS_FONT_SANS, apx, HS_C_DIM, ylab);
    /* the x axis: steps 0 .. n */
    char xl[32];
    snprintf(xl, sizeof xl, "%zu", n);
    hs_dl_text(&sc->dl, c.x, c.y + c.h + U(sc, 2), HS_FONT_SANS, apx, HS_C_DIM, "0");
    float xw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, apx, xl);
    hs_dl_text(&sc->dl, c.x + c.w - xw, c.y + c.h + U(sc, 2), HS_FONT_SANS, apx, HS_C_DIM, xl);
    return ymax;
}

float hs_plot_step_x(hs_rect c, size_t n, size_t i) { return step_x(c, n, i); }

void hs_plot_series(hs_scene *sc, hs_rect r, const hs_vals *s, size_t n, size_t upto, int which,
                    double ymax, float thick, hs_color c)
{
    series(sc, r, s, n, upto, which, ymax, thick, c, true, NULL, NULL);
}
