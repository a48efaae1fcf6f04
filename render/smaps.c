/* render/smaps.c — the measured mappings (M): glibc's /proc/self/smaps and statm after the current step.
 * Owns: the mappings table beside the model's address-space column and its VIRT / RES / SHR line. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Bytes as `heapsim real --smaps` and top print them: whole KiB. */
static unsigned long long kib(uint64_t b) { return (unsigned long long)(b / 1024); }

static void words(hs_scene *sc, hs_rect r, float y, const char *msg)
{
    float pad = U(sc, 12);
    int px = fpx(sc, 17);
    hs_dl_text_wrap(&sc->dl, r.x + pad, y, r.w - 2 * pad, px * 1.3f,
                    (int)fmaxf(1, (r.y + r.h - y) / (px * 1.3f)), HS_FONT_SANS, px, HS_C_DIM, msg);
}

#define NCOL 8   /* mapping, address, then the six figures */

/* Mapping p's row, as `heapsim real --smaps` prints it. */
static void cells(const hs_real_smap *p, char cell[NCOL][40])
{
    uint64_t f[6] = {p->size, p->rss, p->pss, p->private_dirty, p->anonymous, p->anon_huge};
    snprintf(cell[0], 40, "%s", p->name[0] ? p->name : "anon");
    snprintf(cell[1], 40, "%012llx-%012llx", (unsigned long long)p->start, (unsigned long long)p->end);
    for (int c = 0; c < 6; c++) snprintf(cell[2 + c], 40, "%llu", kib(f[c]));
}

void hs_draw_smaps(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->map;
    size_t s = v->step;
    char title[160];
    snprintf(title, sizeof title, "Mappings after step %zu (real glibc, smaps)", s);
    hs_panel(sc, r, title);
    float pad = U(sc, 12);
    float y = r.y + U(sc, 8) + fpx(sc, 21) * 1.5f;
    const hs_allocs *a = ui->allocs;
    if (!a) {
        words(sc, r, y, "(real mode only) The replayer's mappings are measured in real mode: open the "
                        "window without --no-real, or draw it with heapsim render --smaps.  "
                        "M again shows the heap map.");
        return;
    }
    if (s == 0) {
        words(sc, r, y, "Step 0: nothing has run yet.  The mappings are read after each step; step "
                        "forward to see them next to the model's address space.");
        return;
    }
    if (s > a->smaps_steps && a->smaps_run < a->nruns) {
        char m[200];
        snprintf(m, sizeof m, "The mappings are read after the first %zu steps only (each read costs the "
                              "replayer a pass over /proc/self/smaps); this is step %zu.",
                 a->smaps_steps, s);
        words(sc, r, y, m);
        return;
    }
    const hs_alloc_smaps *m = hs_allocs_smaps_at(a, s);
    if (!m) {
        const hs_alloc_run *gr = a->smaps_run < a->nruns ? &a->runs[a->smaps_run] : NULL;
        char w[700];
        int st = gr ? atomic_load(&gr->state) : HS_REAL_FAILED;
        if (!gr) snprintf(w, sizeof w, "No mappings measured%s%s", a->nruns ? ": " : ".",
                          a->nruns ? a->runs[0].msg : "");
        else if (st == HS_REAL_FAILED || st == HS_REAL_DONE)
            snprintf(w, sizeof w, "No mappings measured at this step%s%s", gr->msg[0] ? ": " : ".", gr->msg);
        else
            snprintf(w, sizeof w, "Replaying the trace on glibc to read its mappings (%zu of %zu steps)…",
                     atomic_load(&gr->n_in), a->n);
        words(sc, r, y, w);
        return;
    }
    /* statm, as top shows them */
    int spx = fpx(sc, 18);
    char line[256];
    snprintf(line, sizeof line, "VIRT %llu KiB   RES %llu KiB   SHR %llu KiB", kib(m->virt), kib(m->res),
             kib(m->shr));
    float lw = hs_dl_text(&sc->dl, r.x + pad, y, HS_FONT_BOLD, spx, HS_C_FG, line);
    const char *as_top = "   (statm, as top shows them)";
    if (hs_dl_text_w(&sc->dl, HS_FONT_SANS, spx, as_top) <= r.w - 2 * pad - lw)   /* else left out */
        hs_dl_text(&sc->dl, r.x + pad + lw, y, HS_FONT_SANS, spx, HS_C_DIM, as_top);
    y += spx * 1.45f;
    /* the table: column widths from their widest cell */
    int px = fpx(sc, 15);
    float lh = px * 1.3f;
    /* smaps' names; narrow, shorter ones (the key under the table says which is which) */
    static const char *const heads[2][NCOL] = {
        {"mapping", "address", "Size", "Rss", "Pss", "Priv_Dirty", "Anonymous", "AnonHuge"},
        {"mapping", "address", "Size", "Rss", "Pss", "Dirty", "Anon", "Huge"}};
    char cell[NCOL][40];
    float cw[NCOL], gap = hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, "  ");
    const char *const *head = heads[0];
    bool addr = true;
    for (int k = 0; k < 4; k++) {   /* full; no address; short names; both */
        head = heads[k >= 2];
        addr = k % 2 == 0;
        for (int c = 0; c < NCOL; c++) cw[c] = hs_dl_text_w(&sc->dl, HS_FONT_MONO_BOLD, px, head[c]);
        for (uint32_t i = 0; i < m->n; i++) {
            cells(&m->maps[i], cell);
            for (int c = 0; c < NCOL; c++) cw[c] = fmaxf(cw[c], hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, cell[c]));
        }
        float total = 0;
        for (int c = 0; c < NCOL; c++) total += c == 1 && !addr ? 0 : cw[c] + gap;
        if (total - gap <= r.w - 2 * pad) break;
    }
    bool short_names = head == heads[1];
    float cx[NCOL], x = r.x + pad;
    for (int c = 0; c < NCOL; c++) {
        cx[c] = x;
        if (c != 1 || addr) x += cw[c] + gap;
    }
    float right = r.x + r.w - pad;
    for (int c = 0; c < NCOL; c++) {
        if (c == 1 && !addr) continue;
        float tx = c >= 2 ? cx[c] + cw[c] - hs_dl_text_w(&sc->dl, HS_FONT_MONO_BOLD, px, head[c]) : cx[c];
        hs_dl_text_fit(&sc->dl, tx, y, right - tx, HS_FONT_MONO_BOLD, px, HS_C_FG, head[c]);
    }
    y += lh;
    /* rows while there is room for them and the two closing lines */
    float foot = lh * (2 + (m->cut != 0) + short_names) + U(sc, 6);
    uint32_t shown = 0;
    for (uint32_t i = 0; i < m->n; i++) {
        bool last = i + 1 == m->n;
        if (y + lh * (last ? 1 : 2) > r.y + r.h - foot) break;   /* keep a line for "+N more" */
        const hs_real_smap *p = &m->maps[i];
        cells(p, cell);
        for (int c = 0; c < NCOL; c++) {
            if (c == 1 && !addr) continue;
            float tx = c >= 2 ? cx[c] + cw[c] - hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, cell[c]) : cx[c];
            hs_dl_text_fit(&sc->dl, tx, y, right - tx, HS_FONT_MONO, px,
                           c == 0 && p->name[0] ? HS_C_FG : (c == 0 ? HS_C_DIM : HS_C_FG), cell[c]);
        }
        y += lh;
        shown++;
    }
    sc->smaps_shown = shown;
    if (shown < m->n) {
        /* the rest: their rows on the pointer (hs_draw_smaps_tip) */
        char more[128];
        snprintf(more, sizeof more, "\xE2\x96\xBC +%u more mapping%s (all in the sum below; point here for them)",
                 m->n - shown, m->n - shown == 1 ? "" : "s");
        if (hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, more) > r.w - 2 * pad)
            snprintf(more, sizeof more, "\xE2\x96\xBC +%u more mapping%s (point here)", m->n - shown,
                     m->n - shown == 1 ? "" : "s");
        hs_dl_marking(&sc->dl, true);
        for (uint32_t i = shown; i < m->n; i++) hs_dl_cut(&sc->dl, m->maps[i].name, strlen(m->maps[i].name));
        float mw = hs_dl_text_fit(&sc->dl, r.x + pad, y, r.w - 2 * pad, HS_FONT_BOLD, px, HS_C_ALERT, more);
        hs_dl_marking(&sc->dl, false);
        sc->smaps_more = hs_rect_make(r.x + pad, y, mw, lh);
        y += lh;
    }
    y += U(sc, 6);
    if (short_names) {
        hs_dl_text_fit(&sc->dl, r.x + pad, y, r.w - 2 * pad, HS_FONT_SANS, px, HS_C_DIM,
                       "(KiB; Dirty: Private_Dirty, Anon: Anonymous, Huge: AnonHugePages)");
        y += lh;
    }
    if (m->cut) {
        hs_dl_text_fit(&sc->dl, r.x + pad, y, r.w - 2 * pad, HS_FONT_SANS, px, HS_C_DIM,
                       "(the replayer had more mappings than it sent; the sum counts them all)");
        y += lh;
    }
    const hs_alloc_run *gr = &a->runs[a->smaps_run];
    if (atomic_load_explicit(&gr->state, memory_order_acquire) == HS_REAL_DONE)
        snprintf(line, sizeof line, "heap + anon Rss %llu KiB (%+lld KiB since the first op)",
                 kib(m->smaps_rss), (long long)((int64_t)(m->smaps_rss - a->smaps_rss0) / 1024));
    else
        snprintf(line, sizeof line, "heap + anon Rss %llu KiB", kib(m->smaps_rss));
    hs_dl_text_fit(&sc->dl, r.x + pad, y, r.w - 2 * pad, HS_FONT_SANS, px, HS_C_FG, line);
}

/* The tooltip's row of mapping i (UINT32_MAX: the head line) into line (len
 * bytes), columns cw characters wide: the name and address left, the
 * figures right-aligned, as the table has them.  Never fails. */
static void tip_row(const hs_alloc_smaps *m, uint32_t i, const char *const head[NCOL], const int cw[NCOL],
                    char *line, size_t len)
{
    char cell[NCOL][40];
    if (i != UINT32_MAX) cells(&m->maps[i], cell);
    size_t o = 0;
    for (int c = 0; c < NCOL && o < len; c++) {
        const char *t = i != UINT32_MAX ? cell[c] : head[c];
        o += (size_t)(c < 2 ? snprintf(line + o, len - o, "%-*s  ", cw[c], t)
                            : snprintf(line + o, len - o, "%*s  ", cw[c], t));
    }
}

/* See panels.h. */
bool hs_draw_smaps_tip(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect k = sc->smaps_more;
    if (!ui->mouse_in || !ui->smaps || !ui->allocs || k.w <= 0 || !hs_rect_has(k, ui->mx, ui->my)) return false;
    const hs_alloc_smaps *m = hs_allocs_smaps_at(ui->allocs, v->step);
    if (!m || sc->smaps_shown >= m->n) return false;
    /* the table's columns (every one: the box has the window's width), in
     * mono type, each as wide as its widest cell */
    static const char *const head[NCOL] = {"mapping", "address", "Size", "Rss", "Pss", "Priv_Dirty",
                                           "Anonymous", "AnonHuge"};
    char cell[NCOL][40];
    int cw[NCOL];
    for (int c = 0; c < NCOL; c++) cw[c] = (int)strlen(head[c]);
    for (uint32_t i = sc->smaps_shown; i < m->n; i++) {
        cells(&m->maps[i], cell);
        for (int c = 0; c < NCOL; c++) cw[c] = cw[c] > (int)strlen(cell[c]) ? cw[c] : (int)strlen(cell[c]);
    }
    int px = fpx(sc, 15);
    float lh = px * 1.3f, pad = U(sc, 12);
    uint32_t n = m->n - sc->smaps_shown;
    int maxr = (int)((sc->h - U(sc, 8) - 2 * pad) / lh) - 1;   /* the head line too */
    if (maxr < 1) return false;
    uint32_t rows = n < (uint32_t)maxr ? n : (uint32_t)maxr;
    char line[NCOL * 44];
    float w = 0;
    for (uint32_t i = 0; i <= rows; i++) {
        tip_row(m, i ? sc->smaps_shown + i - 1 : UINT32_MAX, head, cw, line, sizeof line);
        w = fmaxf(w, hs_dl_text_w(&sc->dl, i ? HS_FONT_MONO : HS_FONT_MONO_BOLD, px, line));
    }
    float bw = fminf(w + 2 * pad, sc->w - U(sc, 8)), bh = (rows + 1) * lh + 2 * pad;
    /* over the table, its bottom at the "+N more" line */
    hs_rect b = hs_rect_make(fmaxf(U(sc, 4), fminf(k.x - pad, sc->w - bw - U(sc, 4))),
                             fmaxf(U(sc, 4), k.y - bh), bw, bh);
    hs_dl_rect(&sc->dl, b, HS_C_TIP);
    hs_dl_frame(&sc->dl, b, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
    for (uint32_t i = 0; i <= rows; i++) {
        tip_row(m, i ? sc->smaps_shown + i - 1 : UINT32_MAX, head, cw, line, sizeof line);
        hs_dl_text_fit(&sc->dl, b.x + pad, b.y + pad + i * lh, bw - 2 * pad, i ? HS_FONT_MONO : HS_FONT_MONO_BOLD, px,
                       HS_C_FG, line);
    }
    if (rows < n) hs_dl_cut(&sc->dl, "mappings", 8);   /* a window too short for them all: the report says so */
    return true;
}
