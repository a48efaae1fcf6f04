/* render/compare.c — the allocators side by side (C): each one's RSS and minor-fault curve on one plot.
 * Owns: the compare charts, their key (one colour per allocator, its values at the current step), their readout. */
#include "panels.h"

#include <limits.h>
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

/* Run k failed with no step measured (no curve) and its words at step s
 * are only why ("jemalloc: jemalloc is not installed …"). */
static bool failed_blank(const hs_allocs *a, size_t k, size_t s)
{
    const hs_alloc_run *r = &a->runs[k];
    size_t in = atomic_load_explicit(&r->n_in, memory_order_acquire);
    return atomic_load_explicit(&r->state, memory_order_acquire) == HS_REAL_FAILED &&
           !(r->vals && (in > 0 || s <= in));
}

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

/* One entry of the key: one run, or the runs that failed for one reason
 * with nothing to plot ("jemalloc, tcmalloc: replay failed: …", the
 * reason said once); its swatch and words. */
typedef struct key_entry {
    hs_color sw;
    bool dim;                  /* failed with no curve: its words dimmed, its swatch grey */
    char t[HS_ALLOCS_MAX * 34 + 600];
} key_entry;

/* The key's entries at step s into e (room for HS_ALLOCS_MAX), each run's
 * state read once, so measuring and drawing them agree while the runs go
 * on.  Returns how many.  Never fails. */
static size_t key_entries(const hs_allocs *a, size_t s, key_entry *e)
{
    size_t ne = 0;
    for (size_t k = 0; k < a->nruns; k++) {
        const hs_alloc_run *r = &a->runs[k];
        bool blank = failed_blank(a, k, s), dup = false;
        for (size_t j = 0; j < k && blank && !dup; j++)
            dup = failed_blank(a, j, s) && !strcmp(a->runs[j].msg, r->msg);
        if (dup) continue;   /* said with the first run of its reason */
        key_entry *x = &e[ne++];
        /* a curve (or its start, at step 0) in the run's colour; else grey and dimmed */
        bool failed = atomic_load(&r->state) == HS_REAL_FAILED, has = r->vals && atomic_load(&r->n_in) > 0;
        x->dim = failed && !has;
        x->sw = x->dim ? HS_C_SEGMENT : run_color(k);
        if (!blank) {
            run_words(a, k, s, x->t, sizeof x->t);
            continue;
        }
        size_t n = (size_t)snprintf(x->t, sizeof x->t, "%s", r->name);
        for (size_t j = k + 1; j < a->nruns && n < sizeof x->t; j++)
            if (failed_blank(a, j, s) && !strcmp(a->runs[j].msg, r->msg))
                n += (size_t)snprintf(x->t + n, sizeof x->t - n, ", %s", a->runs[j].name);
        if (n < sizeof x->t) snprintf(x->t + n, sizeof x->t - n, ": %s", r->msg);
    }
    return ne;
}

/* The key's type size and line height. */
static int key_px(const hs_scene *sc) { return fpx(sc, 15); }
static float key_lh(const hs_scene *sc) { return key_px(sc) * 1.3f; }

/* The key: each entry's swatch and words, flowing over lines of width w
 * from (x, y); an entry wider than a line wraps over lines of its own, so
 * a run's words (a failed replay's reason) are never cut while there are
 * lines for them.  Draws (draw) at most maxl lines: what is past them is
 * cut, its last line ending with "…", and the pointer over the key shows
 * it whole (hs_draw_compare_tip).  Returns the lines all of it needs.
 * Never fails. */
static int key(hs_scene *sc, const key_entry *e, size_t ne, float x, float y, float w, int maxl,
               bool draw)
{
    int kpx = key_px(sc);
    float lh = key_lh(sc), sw = U(sc, 24), gap = U(sc, 18), tg = U(sc, 6);
    float cx = x;
    int line = 1;
    for (size_t k = 0; k < ne; k++) {
        float tw = sw + tg + hs_dl_text_w(&sc->dl, HS_FONT_SANS, kpx, e[k].t);
        if (cx > x && cx + tw > x + w) {
            line++;
            cx = x;
        }
        /* wider than a whole line: wrapped at spaces under its own swatch */
        int nl = 1;
        if (tw > w) {
            nl = hs_dl_wrap_count(&sc->dl, w - sw - tg, HS_FONT_SANS, kpx, e[k].t);
            if (nl < 1) nl = 1;
        }
        hs_color ink = e[k].dim ? HS_C_DIM : HS_C_FG;
        /* what is cut is shown whole on the pointer (hs_draw_compare_tip) */
        hs_dl_marking(&sc->dl, true);
        if (draw && line <= maxl) {
            float ly = y + (line - 1) * lh;
            hs_dl_rect(&sc->dl, hs_rect_make(cx, ly + kpx * 0.4f, sw, fmaxf(3, U(sc, 5))), e[k].sw);
            if (nl > 1)
                hs_dl_text_wrap(&sc->dl, cx + sw + tg, ly, w - sw - tg, lh, maxl - line + 1, HS_FONT_SANS,
                                kpx, ink, e[k].t);
            else
                hs_dl_text_fit(&sc->dl, cx + sw + tg, ly, x + w - cx - sw - tg, HS_FONT_SANS, kpx, ink,
                               e[k].t);
        } else if (draw) {
            hs_dl_cut(&sc->dl, e[k].t, strlen(e[k].t));
        }
        hs_dl_marking(&sc->dl, false);
        if (nl > 1) {
            line += nl - 1;
            cx = x + w;   /* the next entry starts a line of its own */
        } else {
            cx += tw + gap;
        }
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

/* Every run failed for one reason before any step (a trace too long, say):
 * that reason, said once, into m (len bytes).  Returns false otherwise. */
static bool one_reason(const hs_allocs *a, char *m, size_t len)
{
    bool same = a->nruns > 0;
    for (size_t k = 0; k < a->nruns && same; k++)
        same = atomic_load(&a->runs[k].state) == HS_REAL_FAILED && !atomic_load(&a->runs[k].n_in) &&
               !strcmp(a->runs[k].msg, a->runs[0].msg);
    if (same) snprintf(m, len, "Every allocator: %s", a->runs[0].msg);
    return same;
}

/* The panel's words when there is nothing to plot: its title, and msg
 * wrapped under it (hs_compare_need makes room for all of it). */
static void message(hs_scene *sc, hs_rect r, const char *title, const char *msg)
{
    float pad = U(sc, 12);
    int tpx = fpx(sc, 20), px = fpx(sc, 17);
    hs_dl_text_fit(&sc->dl, r.x + pad, r.y + U(sc, 8), r.w - 2 * pad, HS_FONT_BOLD, tpx, HS_C_FG, title);
    hs_dl_text_wrap(&sc->dl, r.x + pad, r.y + U(sc, 8) + tpx * 1.5f, r.w - 2 * pad, px * 1.3f,
                    (int)fmaxf(1, (r.h - U(sc, 16) - tpx * 1.5f) / (px * 1.3f)), HS_FONT_SANS, px, HS_C_DIM,
                    msg);
}

/* The height the message panel needs for msg in width w (the panel's). */
static float message_need(const hs_scene *sc, float w, const char *msg)
{
    int tpx = fpx(sc, 20), px = fpx(sc, 17);
    return U(sc, 16) + tpx * 1.5f + hs_dl_wrap_count(&sc->dl, w - 2 * U(sc, 12), HS_FONT_SANS, px, msg) * px * 1.3f;
}

/* What the panel has besides the charts and the key: padding, the charts'
 * titles above them, their step axis under them. */
static float frame_h(const hs_scene *sc) { return U(sc, 16) + fpx(sc, 20) * 1.45f + fpx(sc, 13) * 1.3f; }

static const char no_job[] =
    "(real mode only) The same trace replayed under glibc, jemalloc, tcmalloc and mimalloc "
    "needs the real replay: open the window without --no-real, or draw it with "
    "heapsim render --compare.  C again shows the usual plots.";

/* See panels.h. */
float hs_compare_need(hs_scene *sc, const hs_view *v, const hs_ui *ui, float w)
{
    const hs_allocs *a = ui->allocs;
    char m[700];
    if (!a) return message_need(sc, w, no_job);
    if (one_reason(a, m, sizeof m)) return message_need(sc, w, m);
    key_entry e[HS_ALLOCS_MAX];
    size_t ne = key_entries(a, v->step, e);
    int kl = key(sc, e, ne, 0, 0, w - 2 * U(sc, 12), INT_MAX, false);
    /* charts of a readable height: 130 pixels at 1920x1080 (about what
     * they have with a one-line key) */
    return frame_h(sc) + kl * key_lh(sc) + U(sc, 130);
}

void hs_draw_compare(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->plots;
    hs_panel(sc, r, NULL);
    memset(sc->plot_c, 0, sizeof sc->plot_c);
    sc->key_cut = hs_rect_make(0, 0, 0, 0);
    const hs_allocs *a = ui->allocs;
    if (!a) {
        message(sc, r, "Allocators side by side (C)", no_job);
        return;
    }
    char m[700];
    if (one_reason(a, m, sizeof m)) {
        message(sc, r, "Allocators side by side (C)", m);
        return;
    }
    float pad = U(sc, 12);
    size_t s = v->step;
    int tpx = fpx(sc, 20), apx = fpx(sc, 13);
    /* the key under both charts: every line its entries need (a failed
     * run's reason wrapped whole), the charts shrinking for it down to
     * three lines of their axis type (the layout grows the panel first) */
    key_entry e[HS_ALLOCS_MAX];
    size_t ne = key_entries(a, s, e);
    float kw = r.w - 2 * pad, lh = key_lh(sc);
    int need = key(sc, e, ne, r.x + pad, 0, kw, INT_MAX, false);
    int kl = (int)floorf((r.h - frame_h(sc) - 3 * apx) / lh);
    if (kl < 1) kl = 1;
    if (kl > need) kl = need;
    float kh = kl * lh;
    float gw = (r.w - pad) / 2;
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
    float ky = r.y + r.h - U(sc, 6) - kh;
    if (need <= kl) {
        key(sc, e, ne, r.x + pad, ky, kw, kl, true);
        return;
    }
    /* a window too small for the key: what fits, then on its last line
     * where the rest is (the pointer over the key shows it all) */
    key(sc, e, ne, r.x + pad, ky, kw, kl - 1, true);
    char mark[96];
    int more = need - (kl - 1);
    snprintf(mark, sizeof mark, "\xE2\x96\xBC +%d more line%s of the key (point here)", more, more == 1 ? "" : "s");
    hs_dl_marking(&sc->dl, true);
    hs_dl_text_fit(&sc->dl, r.x + pad, ky + (kl - 1) * lh, kw, HS_FONT_BOLD, key_px(sc), HS_C_ALERT, mark);
    hs_dl_marking(&sc->dl, false);
    sc->key_cut = hs_rect_make(r.x + pad, ky, kw, kh);
}

/* See panels.h. */
bool hs_draw_compare_tip(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect k = sc->key_cut;
    if (!ui->mouse_in || !ui->allocs || k.w <= 0 || !hs_rect_has(k, ui->mx, ui->my)) return false;
    key_entry e[HS_ALLOCS_MAX];
    size_t ne = key_entries(ui->allocs, v->step, e);
    int px = key_px(sc);
    float lh = key_lh(sc), pad = U(sc, 12), sw = U(sc, 24), tg = U(sc, 6);
    float w = fminf(k.w + 2 * pad, sc->w - U(sc, 8)), tw = w - 2 * pad - sw - tg;
    /* every entry on lines of its own */
    int nl[HS_ALLOCS_MAX], n = 0;
    for (size_t i = 0; i < ne; i++) {
        nl[i] = hs_dl_wrap_count(&sc->dl, tw, HS_FONT_SANS, px, e[i].t);
        if (nl[i] < 1) nl[i] = 1;
        n += nl[i];
    }
    int maxl = (int)((sc->h - U(sc, 8) - 2 * pad) / lh);
    if (maxl < 1) return false;
    if (n > maxl) n = maxl;
    float h = n * lh + 2 * pad;
    /* over the key, growing up over the charts */
    hs_rect b = hs_rect_make(fmaxf(U(sc, 4), fminf(k.x - pad, sc->w - w - U(sc, 4))),
                             fmaxf(U(sc, 4), k.y + k.h + pad - h), w, h);
    hs_dl_rect(&sc->dl, b, HS_C_TIP);
    hs_dl_frame(&sc->dl, b, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
    float y = b.y + pad;
    for (size_t i = 0; i < ne && n > 0; i++) {
        int l = nl[i] < n ? nl[i] : n;
        hs_dl_rect(&sc->dl, hs_rect_make(b.x + pad, y + px * 0.4f, sw, fmaxf(3, U(sc, 5))), e[i].sw);
        hs_dl_text_wrap(&sc->dl, b.x + pad + sw + tg, y, tw, lh, l, HS_FONT_SANS, px,
                        e[i].dim ? HS_C_DIM : HS_C_FG, e[i].t);
        y += l * lh;
        n -= l;
    }
    return true;
}
