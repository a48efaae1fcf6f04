/* render/bins.c — the bins panel: tcache, fastbins, unsorted, small and large bins.
 * Owns: how bin lists are drawn. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the bins ---- */

static void bin_entry_label(const hs_view *v, uint64_t addr, char *buf, size_t len)
{
    const hs_chunk_info *c = hs_view_sel_chunk_at(v, addr);
    const struct hs_xent *x = c ? NULL : hs_view_foreign_entry(v, addr);
    if (x && x->size) {
        /* another arena's chunk (a thread's tcache holds what it freed of them) */
        const char *xn = hs_id_name(v, x->id);
        char sz[32];
        hs_bytes_short(x->size, sz, sizeof sz);
        if (xn) snprintf(buf, len, "%s %s (arena %u)", xn, sz, x->arena);
        else snprintf(buf, len, "%s (arena %u)", sz, x->arena);
        return;
    }
    const char *nm = c ? hs_id_name(v, c->id) : NULL;
    if (c && !nm) nm = hs_id_name(v, hs_view_former_id_in(v, v->asel ? v->arena : 0, c->addr, c->size));
    char sz[32] = "";
    if (c) hs_bytes_short(c->size, sz, sizeof sz);
    if (nm) snprintf(buf, len, "%s %s", nm, sz);
    else if (c) snprintf(buf, len, "0x%llx %s", (unsigned long long)addr, sz);
    else snprintf(buf, len, "0x%llx", (unsigned long long)addr);
}

/* Draws a row's "… +N" mark at (x, y) and keeps where it is, with its bin
 * (the index in the snapshot's bins) and the first entry the row left out,
 * for the pointer (hs_bins_more_lines).  Past HS_BIN_MORE_MAX marks the mark
 * is drawn but not kept.  Never fails. */
static void more_mark(hs_scene *sc, float x, float y, int px, float lh, const char *text, size_t bin,
                      uint32_t from)
{
    float w = hs_dl_text(&sc->dl, x, y, HS_FONT_SANS, px, HS_C_FG, text);
    if (sc->nbin_more < HS_BIN_MORE_MAX)
        sc->bin_more[sc->nbin_more++] = (struct hs_bin_more){hs_rect_make(x, y, w, lh), (uint32_t)bin, from, -1};
}

/* Keeps a family's "+N more bins" mark at r: the family fam's bins from its
 * from-th on (hs_bins_more_lines).  Never fails. */
static void more_bins_mark(hs_scene *sc, hs_rect r, int fam, size_t from)
{
    if (sc->nbin_more < HS_BIN_MORE_MAX)
        sc->bin_more[sc->nbin_more++] = (struct hs_bin_more){r, UINT32_MAX, (uint32_t)from, fam};
}

/* A bin's label as its row in the bins panel starts ("[1] 48B 7/7" for a
 * tcache bin, "bin 1" for the unsorted one).  Never fails. */
static void bin_label(const hs_binview *b, char *buf, size_t len)
{
    int idx = b->idx;
    if (b->fam == HS_BINS_TCACHE) snprintf(buf, len, "[%d] %dB %u/7", idx, 32 + 16 * idx, b->len);
    else if (b->fam == HS_BINS_FAST) snprintf(buf, len, "[%d] %dB", idx, 32 + 16 * idx);
    else if (b->fam == HS_BINS_SMALL) snprintf(buf, len, "[%d] %dB", idx, 16 * idx);
    else if (b->fam == HS_BINS_UNSORTED) snprintf(buf, len, "bin 1");
    else snprintf(buf, len, "bin %d", idx);
}

/* A bin family's name in the tooltips ("tcache", "small bin").  Never fails. */
static const char *fam_name(int fam)
{
    switch (fam) {
    case HS_BINS_TCACHE: return "tcache";
    case HS_BINS_FAST: return "fastbin";
    case HS_BINS_UNSORTED: return "unsorted";
    case HS_BINS_SMALL: return "small bin";
    case HS_BINS_LARGE: return "large bin";
    default: return "bin";
    }
}

/* The lines of a family's "+N more bins" mark: the heading, then each of
 * the family's bins from its from-th on, its label and its entries head
 * first as far as a line holds them (at most max lines; the bins past them
 * counted in the last).  Returns the lines written.  Never fails. */
static int more_bins_lines(const hs_view *v, const hs_snap *s, int fam, uint32_t from,
                           char (*lines)[HS_HISTORY_LINE], int max)
{
    uint32_t nb = 0;
    for (size_t i = 0; i < s->nbins; i++) nb += s->bins[i].fam == fam;
    if (from >= nb) return 0;
    snprintf(lines[0], sizeof lines[0], "%s: %u more bin%s, head first (no room for them in the panel)",
             fam_name(fam), nb - from, nb - from == 1 ? "" : "s");
    int n = 1;
    uint32_t k = 0;
    for (size_t i = 0; i < s->nbins; i++) {
        const hs_binview *b = &s->bins[i];
        if (b->fam != fam || k++ < from) continue;
        if (n == max - 1 && k < nb) {   /* room for one line: the rest counted */
            snprintf(lines[n++], sizeof lines[0], "and %u more bins", nb - k + 1);
            break;
        }
        char *l = lines[n++];
        size_t len = sizeof lines[0], o = 0;
        bin_label(b, l, len);
        o = strlen(l);
        o += (size_t)snprintf(l + o, len - o, ":");
        uint32_t e = 0;
        for (; e < b->shown; e++) {
            char el[64];
            bin_entry_label(v, s->ent[b->first + e], el, sizeof el);
            if (o + strlen(el) + 24 >= len) break;   /* room kept for the arrow and the count */
            o += (size_t)snprintf(l + o, len - o, "%s%s", e ? " \xE2\x86\x92 " : " ", el);
        }
        if (e < b->len) snprintf(l + o, len - o, " \xE2\x80\xA6 +%u", b->len - e);
        if (n == max) break;
    }
    return n;
}

/* See panels.h. */
int hs_bins_more_lines(const hs_scene *sc, const hs_view *v, uint32_t m, char (*lines)[HS_HISTORY_LINE], int max)
{
    const hs_snap *s = hs_view_sel_snap(v);
    if (m >= sc->nbin_more || max < 2) return 0;
    if (sc->bin_more[m].bin == UINT32_MAX)
        return more_bins_lines(v, s, sc->bin_more[m].fam, sc->bin_more[m].from, lines, max);
    if (sc->bin_more[m].bin >= s->nbins) return 0;
    const hs_binview *b = &s->bins[sc->bin_more[m].bin];
    uint32_t from = sc->bin_more[m].from;
    char lab[64];
    bin_label(b, lab, sizeof lab);
    snprintf(lines[0], sizeof lines[0], "%s %s: %u chunk%s, head first; the row shows the first %u",
             fam_name(b->fam), lab, b->len, b->len == 1 ? "" : "s", from);
    int n = 1;
    uint32_t k = from;
    for (; k < b->shown && n < max - 1; k++, n++) {
        char el[64];
        bin_entry_label(v, s->ent[b->first + k], el, sizeof el);
        snprintf(lines[n], sizeof lines[n], "%3u. %s", k + 1, el);
    }
    if (k < b->len) {   /* beyond what the snapshot keeps (HS_BIN_SHOWN) or the box holds */
        if (k >= b->shown)
            snprintf(lines[n], sizeof lines[n], "%3u-%u: not listed (the window keeps a bin's first %u)", k + 1,
                     b->len, b->shown);
        else
            snprintf(lines[n], sizeof lines[n], "%3u-%u: not listed (no room)", k + 1, b->len);
        n++;
    }
    return n;
}

void hs_draw_bins(hs_scene *sc, const hs_view *v)
{
    hs_rect r = sc->bins;
    char title[128] = "Bins  (free lists, head first)";
    if (v->n_arenas > 1 || v->asel) {
        /* the shown arena's bins and its thread's tcache (A picks the arena) */
        char tb[32];
        char an[32];
        if (v->arena == 0) snprintf(an, sizeof an, "main arena");
        else snprintf(an, sizeof an, "arena %u", v->arena);
        if (v->arena_thread == UINT32_MAX)
            snprintf(title, sizeof title, "Bins: %s, no thread's tcache", an);
        else
            snprintf(title, sizeof title, "Bins: %s, tcache of thread %s", an,
                     hs_view_thread_name(v, v->arena_thread, tb, sizeof tb));
    }
    hs_panel(sc, r, title);
    static const struct { int fam, state; const char *name; } fams[] = {
        {HS_BINS_TCACHE, HS_CH_TCACHE, "tcache"},   {HS_BINS_FAST, HS_CH_FASTBIN, "fastbins"},
        {HS_BINS_UNSORTED, HS_CH_UNSORTED, "unsorted"}, {HS_BINS_SMALL, HS_CH_SMALL, "small bins"},
        {HS_BINS_LARGE, HS_CH_LARGE, "large bins"},
    };
    enum { NF = sizeof fams / sizeof fams[0] };
    float pad = U(sc, 12);
    float y = r.y + fpx(sc, 21) * 1.2f + U(sc, 16);
    float bottom = r.y + r.h - U(sc, 8);
    int fpx_ = fpx(sc, 20), epx = fpx(sc, 17);
    float lh = fmaxf(fpx_, epx) * 1.45f;
    const hs_snap *s = hs_view_sel_snap(v);
    bool textbook = v->profile == HS_PROFILE_TEXTBOOK;
    /* every family keeps its heading; the rows left are shared out in order,
     * and a family with more bins than its share says "+N more bins" */
    size_t nb[NF] = {0}, nc[NF] = {0};
    for (size_t f = 0; f < NF; f++)
        for (size_t i = 0; i < s->nbins; i++)
            if (s->bins[i].fam == fams[f].fam) nb[f]++, nc[f] += s->bins[i].len;
    long lines = (long)((bottom - y) / lh), want = 0, empties = 0;
    for (size_t f = 0; f < NF; f++) want += (long)nb[f], empties += nc[f] == 0;
    /* short of room: the empty families share one line at the end */
    bool collapse = empties > 1 && lines < (long)NF + want;
    long rows = lines - (collapse ? (long)NF - empties + 1 : (long)NF);
    size_t show[NF];
    for (size_t f = 0; f < NF; f++) show[f] = nb[f];
    for (;;) {
        long cost = 0;
        size_t big = 0;
        for (size_t f = 0; f < NF; f++) {
            cost += (long)show[f] + (show[f] < nb[f] && show[f] > 0);
            if (show[f] > show[big]) big = f;
        }
        if (cost <= rows || show[big] == 0) break;
        show[big]--;
    }
    char empty[160] = "";
    for (size_t f = 0; f < NF; f++) {
        char head[96];
        float x = r.x + pad;
        if (collapse && nc[f] == 0) {
            size_t k = strlen(empty);
            snprintf(empty + k, sizeof empty - k, "%s%s", k ? ", " : "empty: ", fams[f].name);
            continue;
        }
        hs_chunk_box(sc, hs_rect_make(x, y + lh * 0.15f, U(sc, 18), lh * 0.6f),
                  hs_state_color(fams[f].state), fams[f].state, 1);
        x += U(sc, 26);
        x += hs_dl_text(&sc->dl, x, y, HS_FONT_BOLD, fpx_, HS_C_FG, fams[f].name) + U(sc, 10);
        if (nc[f] == 0) {
            bool off = textbook && (fams[f].fam == HS_BINS_TCACHE || fams[f].fam == HS_BINS_FAST);
            bool gone = fams[f].fam == HS_BINS_TCACHE && v->arena_thread == UINT32_MAX;
            hs_dl_text(&sc->dl, x, y + (fpx_ - epx) * 0.6f, HS_FONT_SANS, epx, HS_C_DIM,
                       off ? "not in the textbook profile" : gone ? "no thread in this arena" : "empty");
            y += lh;
            continue;
        }
        snprintf(head, sizeof head, "%zu chunk%s in %zu bin%s", nc[f], nc[f] == 1 ? "" : "s", nb[f],
                 nb[f] == 1 ? "" : "s");
        if (show[f] == 0) {
            /* no row left for this family: its heading is its mark */
            size_t k = strlen(head);
            snprintf(head + k, sizeof head - k, ", +%zu more", nb[f]);
            hs_dl_marking(&sc->dl, true);
        }
        float hw = hs_dl_text_fit(&sc->dl, x, y + (fpx_ - epx) * 0.6f, r.x + r.w - pad - x, HS_FONT_SANS, epx,
                                  HS_C_DIM, head);
        hs_dl_marking(&sc->dl, false);
        if (show[f] == 0) more_bins_mark(sc, hs_rect_make(x, y, hw, lh), fams[f].fam, 0);
        y += lh;
        size_t drawn = 0;
        for (size_t i = 0; i < s->nbins && drawn < show[f]; i++) {
            const hs_binview *b = &s->bins[i];
            if (b->fam != fams[f].fam) continue;
            drawn++;
            char lab[64];
            bin_label(b, lab, sizeof lab);
            float bx = r.x + pad + U(sc, 26);
            hs_dl_text(&sc->dl, bx, y, HS_FONT_MONO, epx, HS_C_FG, lab);
            bx += fmaxf(U(sc, 150), hs_dl_text_w(&sc->dl, HS_FONT_MONO, epx, "[63] 1024B 7/7") + U(sc, 8));
            float xr = r.x + r.w - pad;
            char more[32];
            float mw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, epx, " \xE2\x80\xA6 +99");
            for (uint32_t k = 0; k < b->shown; k++) {
                char el[64];
                uint64_t addr = s->ent[b->first + k];
                bin_entry_label(v, addr, el, sizeof el);
                float tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, epx, el) + U(sc, 12);
                float aw = k ? U(sc, 24) : 0;
                bool last = k + 1 == b->len;
                if (bx + aw + tw > xr - (last ? 0 : mw)) {
                    snprintf(more, sizeof more, "\xE2\x80\xA6 +%u", b->len - k);
                    more_mark(sc, bx + U(sc, 4), y, epx, lh, more, i, k);
                    break;
                }
                if (k) {
                    float ym = y + lh * 0.38f;
                    hs_dl_line(&sc->dl, bx + U(sc, 3), ym, bx + aw - U(sc, 6), ym, fmaxf(1, U(sc, 2)),
                               HS_C_FG);
                    hs_dl_tri(&sc->dl, bx + aw - U(sc, 2), ym, bx + aw - U(sc, 9), ym - U(sc, 5),
                              bx + aw - U(sc, 9), ym + U(sc, 5), HS_C_FG);
                    bx += aw;
                }
                hs_rect box = hs_rect_make(bx, y - U(sc, 2), tw, epx * 1.45f);
                hs_dl_rect(&sc->dl, box, hs_state_color(fams[f].state));
                hs_dl_frame(&sc->dl, box, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
                hs_dl_text(&sc->dl, bx + U(sc, 6), y + epx * 0.05f, HS_FONT_BOLD, epx,
                           hs_state_ink(fams[f].state), el);
                /* hover shows the chunk, a click pins it (its boxes light up) */
                const hs_chunk_info *c = hs_view_sel_chunk_at(v, addr);
                if (c) hs_add_hit(sc, box, HS_HIT_BIN, v->asel ? 2 : 0, (uint32_t)(c - s->heap), addr);
                bx += tw;
                if (k + 1 == b->shown && b->len > b->shown) {
                    snprintf(more, sizeof more, " \xE2\x80\xA6 +%u", b->len - b->shown);
                    more_mark(sc, bx + U(sc, 4), y, epx, lh, more, i, b->shown);
                }
            }
            y += lh;
        }
        if (drawn < nb[f] && drawn > 0) {
            char more[64];
            snprintf(more, sizeof more, "+%zu more bin%s (%s)", nb[f] - drawn,
                     nb[f] - drawn == 1 ? "" : "s", fams[f].name);
            float mw = hs_dl_text_fit(&sc->dl, r.x + pad + U(sc, 26), y, r.w - 2 * pad - U(sc, 26),
                                      HS_FONT_BOLD, epx, HS_C_ALERT, more);
            more_bins_mark(sc, hs_rect_make(r.x + pad + U(sc, 26), y, mw, lh), fams[f].fam, drawn);
            y += lh;
        }
    }
    if (empty[0])
        hs_dl_text_fit(&sc->dl, r.x + pad, y, r.w - 2 * pad, HS_FONT_SANS, epx, HS_C_DIM, empty);
}
