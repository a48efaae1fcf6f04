/* render/plots.c — the plots: brk, rss, minor faults, mmapped and free bytes per step.
 * Owns: the series drawing. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the plots ---- */

typedef uint64_t (*val_fn)(const hs_vals *x);
static uint64_t v_brk(const hs_vals *x) { return x->brk; }
static uint64_t v_rss(const hs_vals *x) { return x->rss; }
static uint64_t v_flt(const hs_vals *x) { return x->minflt; }
static uint64_t v_mm(const hs_vals *x) { return x->mmapped; }
static uint64_t v_free(const hs_vals *x) { return x->freeb; }

/* Draws series s[0..n] (n + 1 points) as a staircase in r, y from 0 to ymax. */
static void series(hs_scene *sc, hs_rect r, const hs_vals *s, size_t n, size_t upto, val_fn f,
                   double ymax, float thick, hs_color c, bool need_has)
{
    if (upto > n) upto = n;
    float pw = r.w;
    double xs = n ? pw / (double)n : 0;
    if (n + 1 <= (size_t)pw || n == 0) {
        float px = r.x, py = 0;
        bool have = false;
        for (size_t i = 0; i <= upto; i++) {
            if (need_has && !s[i].has) continue;
            float x = r.x + (float)(i * xs);
            float y = r.y + r.h - (float)((double)f(&s[i]) / ymax * r.h);
            if (have) {
                hs_dl_line(&sc->dl, px, py, x, py, thick, c);
                hs_dl_line(&sc->dl, x, py, x, y, thick, c);
                hs_dl_rect(&sc->dl, hs_rect_make(x - thick / 2, fminf(py, y) - thick / 2, thick,
                                                 fabsf(py - y) + thick), c);
            }
            px = x;
            py = y;
            have = true;
        }
        if (have && upto == n && n > 0) hs_dl_line(&sc->dl, px, py, px + thick, py, thick, c);
        return;
    }
    /* more steps than pixels: a min..max span per pixel column */
    size_t i = 0;
    for (int col = 0; col < (int)pw && i <= upto; col++) {
        size_t end = (size_t)((double)(col + 1) / pw * (double)n);
        if (end > upto) end = upto;
        uint64_t mn = UINT64_MAX, mx = 0;
        for (; i <= end; i++) {
            if (need_has && !s[i].has) continue;
            uint64_t y = f(&s[i]);
            if (y < mn) mn = y;
            if (y > mx) mx = y;
        }
        if (mn == UINT64_MAX) continue;
        float y0 = r.y + r.h - (float)((double)mx / ymax * r.h);
        float y1 = r.y + r.h - (float)((double)mn / ymax * r.h);
        hs_dl_rect(&sc->dl, hs_rect_make(r.x + col, y0 - thick / 2, 1, y1 - y0 + thick), c);
    }
}

void hs_draw_plots(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->plots;
    hs_panel(sc, r, NULL);
    static const struct { const char *name; val_fn f; bool bytes; } P[] = {
        {"break (_edata)", v_brk, true}, {"RSS", v_rss, true}, {"minor faults", v_flt, false},
        {"mmapped bytes", v_mm, true},   {"free in heap", v_free, true},
    };
    size_t np = sizeof P / sizeof P[0];
    float pad = U(sc, 12);
    float gw = (r.w - pad) / (float)np;
    size_t rn = v->rn;  /* what the UI thread has read */
    bool real = ui->real_overlay && rn > 0;
    int tpx = fpx(sc, 20), vpx = fpx(sc, 18);
    for (size_t p = 0; p < np; p++) {
        hs_rect g = hs_rect_make(r.x + pad + p * gw, r.y + U(sc, 8), gw - pad, r.h - U(sc, 16));
        hs_dl_text_fit(&sc->dl, g.x, g.y, g.w, HS_FONT_BOLD, tpx, HS_C_FG, P[p].name);
        char a[64], b[64], line[160];
        uint64_t mval = P[p].f(&v->mv[v->step]);
        if (P[p].bytes) hs_bytes_short(mval, a, sizeof a);
        else snprintf(a, sizeof a, "%llu", (unsigned long long)mval);
        snprintf(line, sizeof line, "%s", a);
        float lw = hs_dl_text(&sc->dl, g.x, g.y + tpx * 1.25f, HS_FONT_BOLD, vpx, HS_C_MODEL, line);
        if (real && v->step > 0 && v->step <= rn && v->rv[v->step].has) {
            uint64_t rv = P[p].f(&v->rv[v->step]);
            if (P[p].bytes) hs_bytes_short(rv, b, sizeof b);
            else snprintf(b, sizeof b, "%llu", (unsigned long long)rv);
            snprintf(line, sizeof line, "  real %s", b);
            hs_dl_text_fit(&sc->dl, g.x + lw, g.y + tpx * 1.25f, g.w - lw, HS_FONT_BOLD, vpx,
                           HS_C_FG, line);
        }
        hs_rect c = hs_rect_make(g.x + U(sc, 4), g.y + tpx * 1.25f + vpx * 1.5f, g.w - U(sc, 8), 0);
        c.h = g.y + g.h - U(sc, 14) - c.y;
        if (c.h < 8) continue;
        double ymax = 1;
        for (size_t i = 0; i <= v->n; i++) ymax = fmax(ymax, (double)P[p].f(&v->mv[i]));
        if (real)
            for (size_t i = 0; i <= rn; i++) ymax = fmax(ymax, (double)P[p].f(&v->rv[i]));
        ymax *= 1.08;
        hs_dl_rect(&sc->dl, c, HS_C_BG);
        hs_dl_line(&sc->dl, c.x, c.y + c.h, c.x + c.w, c.y + c.h, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
        hs_dl_line(&sc->dl, c.x, c.y, c.x, c.y + c.h, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
        if (real) series(sc, c, v->rv, v->n, rn, P[p].f, ymax, fmaxf(3, U(sc, 6)), HS_C_REAL, true);
        series(sc, c, v->mv, v->n, v->n, P[p].f, ymax, fmaxf(2, U(sc, 2.5f)), HS_C_MODEL, false);
        /* where model and real disagree */
        if (real && v->ndis) {
            float ts = U(sc, 6);
            for (size_t i = 1; i <= rn; i++) {
                if (!v->dis[i]) continue;
                float x = c.x + (v->n ? (float)i / (float)v->n * c.w : 0);
                hs_dl_tri(&sc->dl, x, c.y + c.h - ts * 1.6f, x - ts, c.y + c.h + ts * 0.4f,
                          x + ts, c.y + c.h + ts * 0.4f, HS_C_ALERT);
            }
        }
        if (v->dead_step) {
            float x = c.x + (float)v->dead_step / (float)(v->n ? v->n : 1) * c.w;
            hs_dl_dashed(&sc->dl, x, c.y, x, c.y + c.h, fmaxf(1, U(sc, 2)), U(sc, 4), HS_C_ALERT);
        }
        /* the cursor */
        float cx = c.x + (v->n ? (float)v->step / (float)v->n * c.w : 0);
        hs_dl_line(&sc->dl, cx, c.y - U(sc, 2), cx, c.y + c.h + U(sc, 4), fmaxf(2, U(sc, 2.5f)),
                   HS_C_FG);
    }
    /* key */
    int kpx = fpx(sc, 15);
    float ky = r.y + r.h - kpx * 1.25f, kx = r.x + pad;
    hs_dl_rect(&sc->dl, hs_rect_make(kx, ky + kpx * 0.5f, U(sc, 24), fmaxf(2, U(sc, 3))), HS_C_MODEL);
    kx += U(sc, 30) + hs_dl_text(&sc->dl, kx + U(sc, 30), ky, HS_FONT_SANS, kpx, HS_C_FG, "model") + U(sc, 18);
    hs_dl_rect(&sc->dl, hs_rect_make(kx, ky + kpx * 0.4f, U(sc, 24), fmaxf(3, U(sc, 6))), HS_C_REAL);
    kx += U(sc, 30) + hs_dl_text(&sc->dl, kx + U(sc, 30), ky, HS_FONT_SANS, kpx, HS_C_FG,
                                 "real glibc (thick; under the model line where they agree)") + U(sc, 18);
    float ts = U(sc, 6);
    hs_dl_tri(&sc->dl, kx + ts, ky + kpx * 0.1f, kx, ky + kpx, kx + 2 * ts, ky + kpx, HS_C_ALERT);
    char k2[96];
    snprintf(k2, sizeof k2, "model \xE2\x89\xA0 real (%zu step%s)", v->ndis, v->ndis == 1 ? "" : "s");
    hs_dl_text(&sc->dl, kx + 3 * ts, ky, HS_FONT_SANS, kpx, HS_C_FG, k2);
}
