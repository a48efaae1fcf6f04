/* render/diff.c — the "what differs" panel (D): the steps whose models differ between two glibc versions.
 * Owns: its rows, the fields each side differs in, the chosen row's fields in full. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* One side's differing fields (HS_VDIFF_SEP between them) at (x, y) in
 * width w: the fields that fit whole, ", " between, then "+K more" for the
 * rest (bold).  A first field too long alone is cut with "…", marked: the
 * panel's last lines show the chosen row's fields in full. */
static void diff_fields(hs_scene *sc, float x, float y, float w, int px, hs_color ink, const char *s)
{
    int total = *s ? 1 : 0;
    for (const char *p = s; *p; p++) total += *p == HS_VDIFF_SEP;
    float morew = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, "  +99 more");
    float cx = x;
    int shown = 0;
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, HS_VDIFF_SEP);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char part[HS_VDIFF_TEXT + 4];
        snprintf(part, sizeof part, "%s%.*s", shown ? ", " : "", (int)n, p);
        float pw = hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, part);
        float room = x + w - cx - (e ? morew : 0);
        if (pw > room) {
            if (shown == 0) {
                hs_dl_marking(&sc->dl, true);
                cx += hs_dl_text_fit(&sc->dl, cx, y, x + w - cx - (e ? morew : 0), HS_FONT_MONO, px,
                                     ink, part);
                hs_dl_marking(&sc->dl, false);
                shown = 1;
            }
            break;
        }
        cx += hs_dl_text(&sc->dl, cx, y, HS_FONT_MONO, px, ink, part);
        shown++;
        p = e ? e + 1 : p + n;
    }
    if (shown < total) {
        char more[32];
        snprintf(more, sizeof more, "  +%d more", total - shown);
        hs_dl_text(&sc->dl, cx, y, HS_FONT_BOLD, px, ink, more);
    }
}

/* The "what differs" panel (D): the trace's differing steps on the profile
 * shown and another version, both versions' values of the fields that
 * differ; the first difference in the alert colour, the chosen row
 * inverted, the current step's row marked. */
void hs_draw_diff(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    const hs_vdiff_list *l = ui->diff_list;
    if (l == NULL) return;
    int hpx = fpx(sc, 26), px = fpx(sc, 18), spx = fpx(sc, 16);
    float lh = px * 1.5f;
    hs_rect b = hs_list_box(sc, U(sc, 1700));
    float w = b.w;
    float x = b.x + U(sc, 24), y = b.y + U(sc, 16), iw = w - U(sc, 48);
    const char *na = hs_profile_name(l->p[0]), *nb = hs_profile_name(l->p[1]);
    char line[512];
    snprintf(line, sizeof line, "What differs: this trace on %s (shown) and on %s", na, nb);
    hs_dl_text_fit(&sc->dl, x, y, iw, HS_FONT_BOLD, hpx, HS_C_FG, line);
    y += hpx * 1.5f;
    if (l->r.differ)
        snprintf(line, sizeof line, "%zu of %zu steps differ; the first, step %zu, in red. "
                 "D / Shift+D: another version; Up/Down, Enter or a click goes to a step; Esc closes",
                 l->r.differ, l->r.done, l->r.first);
    else
        snprintf(line, sizeof line, "No step differs: the two models agree on all %zu steps. "
                 "D / Shift+D: another version; Esc closes", l->r.done);
    hs_dl_text_fit(&sc->dl, x, y, iw, HS_FONT_SANS, spx, HS_C_DIM, line);
    y += spx * 1.6f;
    /* what stops the comparison early, said under the rows */
    line[0] = '\0';
    for (int k = 0; k < 2; k++)
        if (l->r.dead[k] && l->r.done < v->n)
            snprintf(line, sizeof line, "%s stops at step %zu (glibc aborts); the other %zu steps "
                     "are not compared", hs_profile_name(l->p[k]), l->r.done, v->n - l->r.done);
    if (!line[0] && l->r.differ > l->nrows)
        snprintf(line, sizeof line, "the first %zu differing steps are listed", l->nrows);
    /* the chosen row in full at the bottom, two lines per version */
    float dh = spx * 1.35f;
    float bottom = b.y + b.h - U(sc, 16) - spx * 1.4f * (line[0] ? 2 : 1) - (l->nrows ? dh * 4.3f : 0);
    /* columns: step, call, then the two versions' values */
    float numw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, "\xE2\x96\xB6 9999999");
    size_t n = l->nrows, vis = (size_t)((bottom - y - spx * 1.5f) / lh);
    if (vis < 1) vis = 1;
    size_t sel = ui->diff_sel < n ? ui->diff_sel : 0;
    size_t first = sel + 1 > vis ? sel + 1 - vis : 0;
    if (first + vis > n) first = n > vis ? n - vis : 0;
    /* the call column as wide as the calls shown, at most 30 % (a longer
     * call is cut, marked: the last lines show it in full) */
    float callw = hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, "free(p)");
    for (size_t i = first; i < n && i < first + vis; i++)
        callw = fmaxf(callw, hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, l->rows[i].call));
    callw = fminf(callw + U(sc, 12), iw * 0.3f);
    float vx = x + numw + U(sc, 12) + callw, vw = (x + iw - vx - U(sc, 16)) / 2;
    if (n) {   /* no rows (nothing differs): no empty table under the sentence that says so */
        hs_dl_text_fit(&sc->dl, x, y, numw, HS_FONT_BOLD, spx, HS_C_FG, "step");
        hs_dl_text_fit(&sc->dl, x + numw + U(sc, 12), y, callw, HS_FONT_BOLD, spx, HS_C_FG, "call");
        hs_dl_text_fit(&sc->dl, vx, y, vw, HS_FONT_BOLD, spx, HS_C_MODEL, na);
        hs_dl_text_fit(&sc->dl, vx + vw + U(sc, 16), y, vw, HS_FONT_BOLD, spx, HS_C_REAL, nb);
    }
    y += spx * 1.5f;
    sc->diff_rows = hs_rect_make(x, y, iw, (float)vis * lh);
    sc->diff_rh = lh;
    sc->diff_first = first;
    char num[32];
    for (size_t i = first; i < n && i < first + vis; i++) {
        const hs_vdiff_row *r = &l->rows[i];
        float ry = y + (float)(i - first) * lh, ty = ry + lh * 0.15f;
        bool on = i == sel;
        if (on) hs_dl_rect(&sc->dl, hs_rect_make(x - U(sc, 8), ry, iw + U(sc, 16), lh), HS_C_FG);
        hs_color ink = on ? HS_C_BG : r->step == l->r.first ? HS_C_ALERT : HS_C_FG;
        snprintf(num, sizeof num, "%s%zu", r->step == v->step ? "\xE2\x96\xB6 " : "", r->step);
        float tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, num);
        hs_dl_text(&sc->dl, x + numw - tw, ty, HS_FONT_BOLD, px, ink, num);
        hs_dl_marking(&sc->dl, true);
        hs_dl_text_fit(&sc->dl, x + numw + U(sc, 12), ty, callw - U(sc, 12), HS_FONT_MONO, px, ink, r->call);
        hs_dl_marking(&sc->dl, false);
        diff_fields(sc, vx, ty, vw, px, ink, r->val[0]);
        diff_fields(sc, vx + vw + U(sc, 16), ty, vw, px, ink, r->val[1]);
    }
    float fy = bottom + U(sc, 2);
    char more[96];
    if (first || first + vis < n) {
        snprintf(more, sizeof more, "\xE2\x96\xBC %zu above, %zu below (Up/Down, PgUp/PgDn)", first,
                 n - (first + vis < n ? first + vis : n));
        hs_dl_text_fit(&sc->dl, x, fy, iw, HS_FONT_BOLD, spx, HS_C_ALERT, more);
    }
    fy += spx * 1.4f;
    if (n) {
        /* the chosen row's fields in full, wrapped */
        float dy = fy + dh * 0.3f;
        hs_dl_rect(&sc->dl, hs_rect_make(x, dy - dh * 0.2f, iw, fmaxf(1, U(sc, 1))), HS_C_RULE);
        for (int k = 0; k < 2; k++) {
            char full[HS_VDIFF_TEXT + 200];
            int m = snprintf(full, sizeof full, "step %zu, %s, on %s: ", l->rows[sel].step,
                             l->rows[sel].call, hs_profile_name(l->p[k]));
            for (const char *q = l->rows[sel].val[k]; *q && m + 2 < (int)sizeof full; q++) {
                if (*q == HS_VDIFF_SEP) full[m++] = ',', full[m++] = ' ';
                else full[m++] = *q;
            }
            full[m < (int)sizeof full ? m : (int)sizeof full - 1] = '\0';
            hs_dl_text_wrap(&sc->dl, x, dy, iw, dh, 2, HS_FONT_MONO, spx, k ? HS_C_REAL : HS_C_MODEL,
                            full);
            dy += dh * 2;
        }
        fy = dy;
    }
    if (line[0]) hs_dl_text_fit(&sc->dl, x, fy, iw, HS_FONT_SANS, spx, HS_C_FG, line);
}
