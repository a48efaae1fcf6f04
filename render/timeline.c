/* render/timeline.c — the timeline: buttons, the track, labels, disagreement marks.
 * Owns: the timeline layout and its buttons. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the timeline ---- */

static void icon(hs_scene *sc, hs_rect b, int which, bool playing)
{
    /* play/pause is the dark button with the big sign; the step buttons
     * have a small triangle and a dot, one step */
    bool play = which == HS_BTN_PLAY;
    hs_dl_rect(&sc->dl, b, play ? HS_C_FG : HS_C_BG);
    hs_dl_frame(&sc->dl, b, fmaxf(1, U(sc, 2)), HS_C_FG);
    float cx = b.x + b.w / 2, cy = b.y + b.h / 2, s = b.h * (play ? 0.28f : 0.24f);
    hs_color k = play ? HS_C_BG : HS_C_FG;
    if (which == HS_BTN_BACK || which == HS_BTN_FWD) {
        float d = s * 0.35f, dx = which == HS_BTN_BACK ? cx + s * 1.25f : cx - s * 1.25f;
        hs_dl_rect(&sc->dl, hs_rect_make(dx - d / 2, cy - d / 2, d, d), k);
        s *= 0.75f;
    }
    switch (which) {
    case HS_BTN_START:
        hs_dl_rect(&sc->dl, hs_rect_make(cx - s * 1.2f, cy - s, s * 0.4f, 2 * s), k);
        hs_dl_tri(&sc->dl, cx - s * 0.6f, cy, cx + s, cy - s, cx + s, cy + s, k);
        break;
    case HS_BTN_BACK:
        hs_dl_tri(&sc->dl, cx - s, cy, cx + s * 0.8f, cy - s, cx + s * 0.8f, cy + s, k);
        break;
    case HS_BTN_PLAY:
        if (playing) {
            hs_dl_rect(&sc->dl, hs_rect_make(cx - s * 0.9f, cy - s, s * 0.6f, 2 * s), k);
            hs_dl_rect(&sc->dl, hs_rect_make(cx + s * 0.3f, cy - s, s * 0.6f, 2 * s), k);
        } else {
            hs_dl_tri(&sc->dl, cx + s * 1.1f, cy, cx - s * 0.8f, cy - s * 1.1f, cx - s * 0.8f,
                      cy + s * 1.1f, k);
        }
        break;
    case HS_BTN_FWD:
        hs_dl_tri(&sc->dl, cx + s, cy, cx - s * 0.8f, cy - s, cx - s * 0.8f, cy + s, k);
        break;
    case HS_BTN_END:
        hs_dl_tri(&sc->dl, cx + s * 0.6f, cy, cx - s, cy - s, cx - s, cy + s, k);
        hs_dl_rect(&sc->dl, hs_rect_make(cx + s * 0.8f, cy - s, s * 0.4f, 2 * s), k);
        break;
    }
}

static void text_button(hs_scene *sc, hs_rect b, const char *s, bool on)
{
    hs_dl_rect(&sc->dl, b, on ? HS_C_FG : HS_C_BG);
    hs_dl_frame(&sc->dl, b, fmaxf(1, U(sc, 2)), HS_C_FG);
    int px = fpx(sc, 18);
    float tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, s);
    while (px > 11 && tw > b.w - U(sc, 8)) {  /* big type (presenter mode): smaller before cut */
        px--;
        tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, s);
    }
    hs_dl_text_fit(&sc->dl, b.x + fmaxf(U(sc, 4), (b.w - tw) / 2), b.y + (b.h - px * 1.2f) / 2,
                   b.w - U(sc, 8), HS_FONT_BOLD, px, on ? HS_C_BG : HS_C_FG, s);
}

/* A step count short enough for the progress label: 9/9, 51234, 1.2M. */
static void fmt_count(char *buf, size_t len, size_t n)
{
    if (n < 100000) snprintf(buf, len, "%zu", n);
    else if (n < 1000000) snprintf(buf, len, "%zuk", n / 1000);
    else snprintf(buf, len, "%.1fM", (double)n / 1e6);
}

void hs_draw_timeline(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->timeline;
    hs_dl_rect(&sc->dl, r, HS_C_PANEL);
    hs_dl_line(&sc->dl, r.x, r.y, r.x + r.w, r.y, fmaxf(1, U(sc, 2)), HS_C_FG);
    float bs = U(sc, 56), gap = U(sc, 8);
    float x = r.x + U(sc, 14), y = r.y + (r.h - bs) / 2;
    for (int b = HS_BTN_START; b <= HS_BTN_END; b++) {
        sc->btn[b] = hs_rect_make(x, y, bs, bs);
        icon(sc, sc->btn[b], b, ui->playing);
        x += bs + gap;
    }
    char sp[32];
    double spd = hs_ui_speed(ui);
    if (spd <= 1) snprintf(sp, sizeof sp, "%g step/s", spd);
    else snprintf(sp, sizeof sp, "%g steps/s", spd);
    sc->btn[HS_BTN_SPEED] = hs_rect_make(x, y, U(sc, 130), bs);
    text_button(sc, sc->btn[HS_BTN_SPEED], sp, false);
    x += U(sc, 130) + U(sc, 24);
    /* the right-hand buttons */
    float rx = r.x + r.w - U(sc, 14);
    static const struct { int b; const char *s; float w; } rb[] = {
        {HS_BTN_HELP, "H  help", 110}, {HS_BTN_OPEN, "O  open", 110},
        {HS_BTN_PROFILE, "T  profile", 140}, {HS_BTN_REAL, "R  real", 110},
    };
    for (size_t i = 0; i < sizeof rb / sizeof rb[0]; i++) {
        float w = U(sc, rb[i].w);
        rx -= w;
        sc->btn[rb[i].b] = hs_rect_make(rx, y, w, bs);
        /* R looks on only when real glibc's values are there to show (not with --no-real) */
        bool on = rb[i].b == HS_BTN_REAL && ui->real_overlay &&
                  atomic_load((atomic_int *)&v->real_state) != HS_REAL_NONE;
        text_button(sc, sc->btn[rb[i].b], rb[i].s, on);
        rx -= gap;
    }
    /* real replay progress */
    int state = atomic_load((atomic_int *)&v->real_state);
    size_t got = atomic_load((atomic_size_t *)&v->real_n);
    char pr[96] = "", cg[32], cn[32];
    fmt_count(cg, sizeof cg, got);
    fmt_count(cn, sizeof cn, v->n);
    if (state == HS_REAL_RUNNING) snprintf(pr, sizeof pr, "real: %s/%s", cg, cn);
    hs_step lastb;
    const hs_step *lastr = hs_real_at(v, v->rn, &lastb);
    bool aborted = state == HS_REAL_DONE && lastr && (lastr->has & HS_HAS_ERROR);
    if (aborted) snprintf(pr, sizeof pr, "real: \xE2\x9C\x97 at %zu", v->rn);
    else if (state == HS_REAL_DONE) snprintf(pr, sizeof pr, "real: %s/%s \xE2\x9C\x93", cg, cn);
    else if (state == HS_REAL_FAILED) snprintf(pr, sizeof pr, "real: failed");
    int ppx = fpx(sc, 17);
    /* room for the widest this label gets on this trace (presenter type is
     * bigger), so it is never cut and the track does not jump */
    char prw[96];
    snprintf(prw, sizeof prw, "real: %s/%s \xE2\x9C\x93", cn, cn);
    float pw = fmaxf(U(sc, 170), fmaxf(hs_dl_text_w(&sc->dl, HS_FONT_BOLD, ppx, prw),
                                       hs_dl_text_w(&sc->dl, HS_FONT_BOLD, ppx, pr)) + U(sc, 12));
    rx -= pw;
    if (pr[0]) {
        hs_rect bar = hs_rect_make(rx, y + bs - U(sc, 12), pw - U(sc, 10), U(sc, 8));
        hs_dl_rect(&sc->dl, bar, HS_C_VOID);
        if (v->n) bar.w *= (float)got / (float)v->n;
        bool bad = state == HS_REAL_FAILED || aborted;
        hs_dl_rect(&sc->dl, bar, bad ? HS_C_ALERT : HS_C_REAL);
        hs_dl_text_fit(&sc->dl, rx, y + U(sc, 4), pw - U(sc, 10), HS_FONT_BOLD, ppx,
                       bad ? HS_C_ALERT : HS_C_FG, pr);
    }
    rx -= U(sc, 16);
    /* step counter */
    char sn[64];
    snprintf(sn, sizeof sn, "%zu / %zu", v->step, v->n);
    int spx = fpx(sc, 26);
    float sw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, spx, sn);
    /* room for the widest counter of this trace, so the track does not jump */
    char widest[64];
    snprintf(widest, sizeof widest, "%zu / %zu", v->n, v->n);
    float sw_max = fmaxf(sw, hs_dl_text_w(&sc->dl, HS_FONT_BOLD, spx, widest));
    hs_dl_text(&sc->dl, rx - sw, r.y + (r.h - spx * 1.2f) / 2, HS_FONT_BOLD, spx, HS_C_FG, sn);
    rx -= sw_max + U(sc, 24);
    /* the track */
    hs_rect tr = hs_rect_make(x + U(sc, 12), r.y + r.h * 0.58f, rx - x - U(sc, 24), 0);
    sc->track = hs_rect_make(tr.x - U(sc, 12), r.y + U(sc, 4), tr.w + U(sc, 24), r.h - U(sc, 8));
    if (tr.w < 20) return;
    hs_dl_rect(&sc->dl, hs_rect_make(tr.x, tr.y - U(sc, 3), tr.w, U(sc, 6)), HS_C_DIM);
    if (v->t.n_threads > 0 && v->n > 0) {
        /* each op's stretch of the track in its thread's colour (the
         * narration's tag has the same), one op per pixel column at most */
        size_t cols = v->n < (size_t)tr.w ? v->n : (size_t)tr.w;
        float cw = tr.w / (float)cols;
        for (size_t c = 0; c < cols; c++) {
            size_t op = c * v->n / cols;   /* 0-based: op op + 1 */
            hs_dl_rect(&sc->dl, hs_rect_make(tr.x + c * cw, tr.y - U(sc, 4), cw + 0.5f, U(sc, 8)),
                       hs_thread_color(v->t.ops[op].thread));
        }
    }
    int lpx = fpx(sc, 14);
    float last_lx = -1e9f;
    /* past 400 steps only labelled ones are drawn: their index, not every step */
    size_t li = 0;
    for (size_t i = 0; i <= v->n; i++) {
        if (v->n > 400) {
            if (li == v->nlabelled) break;
            i = v->labelled[li++];
        }
        float tx = tr.x + (v->n ? (float)i / (float)v->n * tr.w : 0);
        const char *lab = i ? hs_view_label(v, i) : NULL;
        if (v->n <= 400) {
            bool big = lab && *lab;
            hs_dl_line(&sc->dl, tx, tr.y - U(sc, big ? 12 : 7), tx, tr.y + U(sc, big ? 12 : 7),
                       fmaxf(1, U(sc, 2)), HS_C_FG);
        }
        if (lab && *lab) {
            float lw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, lpx, lab);
            /* centred on its tick, but kept inside the track (clear of the step counter) */
            float lx = fminf(tx - lw / 2, tr.x + tr.w - lw);
            if (lx > last_lx + U(sc, 6)) {
                hs_dl_text(&sc->dl, lx, tr.y - U(sc, 14) - lpx * 1.25f, HS_FONT_SANS, lpx,
                           HS_C_FG, lab);
                last_lx = lx + lw;
            }
        }
    }
    if (ui->real_overlay && v->ndis)
        for (size_t i = 1; i <= v->n; i++)
            if (v->dis[i]) {
                float tx = tr.x + (float)i / (float)v->n * tr.w;
                float ts = U(sc, 6);
                hs_dl_tri(&sc->dl, tx, tr.y + U(sc, 8), tx - ts, tr.y + U(sc, 8) + ts * 1.6f,
                          tx + ts, tr.y + U(sc, 8) + ts * 1.6f, HS_C_ALERT);
            }
    /* where glibc aborts: the model's prediction (black) and real glibc (vermillion) */
    size_t marks[2] = {v->dead_step, aborted ? v->rn : 0};
    for (int m = 0; m < 2; m++) {
        if (!marks[m] || !v->n || (m == 1 && !ui->real_overlay)) continue;
        float tx = tr.x + (float)marks[m] / (float)v->n * tr.w;
        const char *xs = "\xE2\x9C\x97";  /* ✗ */
        int xpx = fpx(sc, 22);
        float xw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, xpx, xs);
        hs_dl_text(&sc->dl, tx - xw / 2 + (m ? xw * 0.6f : -xw * 0.6f), tr.y + U(sc, 8),
                   HS_FONT_BOLD, xpx, m ? HS_C_ALERT : HS_C_FG, xs);
    }
    float kx = tr.x + (v->n ? (float)v->step / (float)v->n * tr.w : 0);
    hs_dl_rect(&sc->dl, hs_rect_make(kx - U(sc, 7), tr.y - U(sc, 18), U(sc, 14), U(sc, 36)), HS_C_FG);
    hs_dl_frame(&sc->dl, hs_rect_make(kx - U(sc, 7), tr.y - U(sc, 18), U(sc, 14), U(sc, 36)),
                fmaxf(1, U(sc, 2)), HS_C_BG);
}
