/* render/narration.c — the title bar and the narration panel (the op, its result, why, real glibc).
 * Owns: the narration text layout and the page counts it reports. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the title bar ---- */

void hs_draw_title(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->title;
    hs_dl_rect(&sc->dl, r, HS_C_TITLE);
    hs_color w = hs_rgba(0xff, 0xff, 0xff, 0xff);
    float x = r.x + U(sc, 14), y = r.y + (r.h - fpx(sc, 28) * 1.2f) / 2;
    x += hs_dl_text(&sc->dl, x, y, HS_FONT_BOLD, fpx(sc, 28), w, "heapsim") + U(sc, 20);
    char right[256];
    snprintf(right, sizeof right, "%s model   \xC2\xB7   step %zu / %zu",
             v->profile_name, v->step, v->n);
    float rw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, fpx(sc, 26), right);
    hs_dl_text(&sc->dl, r.x + r.w - rw - U(sc, 16), r.y + (r.h - fpx(sc, 26) * 1.2f) / 2,
               HS_FONT_BOLD, fpx(sc, 26), w, right);
    char tb[1024];
    const char *title = hs_one_line(v->t.title ? v->t.title : v->name, tb, sizeof tb);
    float tw = r.x + r.w - rw - U(sc, 40) - x;
    int px = fpx(sc, 26);
    /* big type (presenter mode): down to the usual size before it is cut */
    while (px > 11 && px > lroundf(26 * sc->u) && hs_dl_text_w(&sc->dl, HS_FONT_SANS, px, title) > tw) px--;
    /* too long for the bar (a recorded command line): it ends with "…" and
     * the pointer over it shows it whole (hs_draw_tooltip) */
    bool cut = hs_dl_text_w(&sc->dl, HS_FONT_SANS, px, title) > tw;
    hs_dl_marking(&sc->dl, cut);
    float drawn = hs_dl_text_fit(&sc->dl, x, r.y + (r.h - px * 1.2f) / 2, tw, HS_FONT_SANS, px, w, title);
    hs_dl_marking(&sc->dl, false);
    sc->title_cut = cut ? hs_rect_make(x, r.y, drawn, r.h) : hs_rect_make(0, 0, 0, 0);
}

/* Draws (dl non-NULL) or counts the lines of s in width w from (x, y), at
 * most maxl, each of its lines wrapped on its own and indented as s has it
 * (a recorded program's source keeps its shape).  Returns the lines used. */
static int indented_lines(hs_scene *sc, hs_dl *dl, const char *s, float x, float y, float w,
                          float lh, int maxl, int px)
{
    int used = 0;
    char buf[512];
    while (*s && used < maxl) {
        size_t n = strcspn(s, "\n"), sp = strspn(s, " ");
        if (sp > n) sp = n;
        size_t k = n - sp < sizeof buf - 1 ? n - sp : sizeof buf - 4;
        while (k < n - sp && k > 0 && ((unsigned char)s[sp + k] & 0xC0) == 0x80) k--;   /* UTF-8 */
        memcpy(buf, s + sp, k);
        if (k < n - sp) memcpy(buf + k, "\xE2\x80\xA6", 3), k += 3;   /* a line over 500 bytes: "…" */
        buf[k] = '\0';
        float ind = fminf(sp * hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, " "), w / 2);
        int need = k ? hs_dl_wrap_count(&sc->dl, w - ind, HS_FONT_MONO, px, buf) : 1;
        if (need < 1) need = 1;
        if (need > maxl - used) need = maxl - used;
        if (dl && k)
            hs_dl_text_wrap(dl, x + ind, y + used * lh, w - ind, lh, need, HS_FONT_MONO, px, HS_C_FG, buf);
        used += need;
        s += n;
        if (*s == '\n') s++;
    }
    return used;
}

/* The pointer over a title drawn cut: the title whole, its lines as the
 * trace has them, in a box under the bar.  Returns whether it drew it. */
bool hs_draw_title_tip(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect t = sc->title_cut;
    if (!ui->mouse_in || t.w <= 0 || ui->mx < t.x || ui->mx > t.x + t.w || ui->my < t.y ||
        ui->my > t.y + t.h)
        return false;
    const char *title = v->t.title ? v->t.title : v->name;
    int px = fpx(sc, 20);
    float lh = px * 1.3f, w = fminf(sc->w - U(sc, 40), U(sc, 1100)), pad = U(sc, 12);
    int maxl = (int)((sc->h - t.y - t.h - U(sc, 40) - 2 * pad) / lh);
    if (maxl < 1) return false;
    int n = indented_lines(sc, NULL, title, 0, 0, w - 2 * pad, lh, maxl, px);
    float x = fminf(t.x, sc->w - w - U(sc, 20));
    hs_rect b = hs_rect_make(x, t.y + t.h + U(sc, 4), w, n * lh + 2 * pad);
    hs_dl_rect(&sc->dl, b, HS_C_TIP);
    hs_dl_frame(&sc->dl, b, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
    indented_lines(sc, &sc->dl, title, b.x + pad, b.y + pad, w - 2 * pad, lh, maxl, px);
    return true;
}

/* ---- the narration ---- */


/* The residency of both sides over the pages either heap has, into *res
 * (the model) and *real (real glibc; left NULL when the overlay is off or
 * there is no page data for this step); *pages gets their length.  Out of
 * memory: fewer or no pages (the counts say what was measured). */
map_counts hs_map_residency(const hs_view *v, const hs_ui *ui, uint8_t **res, uint8_t **real,
                            uint64_t *pages)
{
    map_counts mc = {0};
    mc.real_stat = HS_RPG_NONE;
    mc.model_pages = (v->snap.st.brk + 4095) / 4096;
    if (ui->real_overlay && v->step > 0)
        mc.real_stat = hs_view_real_heap_pages(v, v->step, 0, 0, NULL, &mc.real_pages);
    bool with_real = mc.real_stat == HS_RPG_OK;
    uint64_t n = mc.model_pages;
    if (with_real && mc.real_pages > n) n = mc.real_pages;
    *pages = 0;
    *res = n ? calloc((size_t)n, 1) : NULL;
    if (!*res) return mc;
    hs_view_heap_pages(v, 0, (size_t)n, *res);
    if (with_real) {
        *real = malloc((size_t)n);
        if (*real) hs_view_real_heap_pages(v, v->step, 0, (size_t)n, *real, &mc.real_pages);
        else mc.real_stat = HS_RPG_NONE;
    }
    *pages = n;
    const uint8_t *r = *res;
    for (uint64_t i = 0; i < n; i++) mc.model += r[i] != 0;   /* no test of real glibc's per page */
    for (uint64_t i = 0; *real && i < n; i++) {
        mc.real += (*real)[i] == 1;
        mc.unknown += (*real)[i] == HS_PAGE_UNKNOWN;
        mc.differ += (*real)[i] != HS_PAGE_UNKNOWN && ((*res)[i] != 0) != ((*real)[i] != 0);
    }
    return mc;
}

/* How many heap pages differ in residency between the model and real
 * glibc at the current step (0 when there is no page data to compare). */
static uint64_t page_differences(const hs_view *v, const hs_ui *ui)
{
    uint8_t *res = NULL, *real = NULL;
    uint64_t pages;
    map_counts mc = hs_map_residency(v, ui, &res, &real, &pages);
    free(res);
    free(real);
    return mc.real_stat == HS_RPG_OK ? mc.differ : 0;
}

/* The Why panel's reasons, one bullet a line; NULL when memory runs out. */
static char *why_text(const hs_view *v)
{
    size_t n = 0;
    for (const char *p = v->expl; p && *p; p++) n += *p == '\n' ? 5 : 1;
    char *out = malloc(n + 8);
    if (!out) return NULL;
    size_t k = 0;
    const char *p = v->expl;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        memcpy(out + k, "\xE2\x80\xA2 ", 4);
        k += 4;
        memcpy(out + k, p, len);
        k += len;
        out[k++] = '\n';
        p = nl ? nl + 1 : NULL;
    }
    out[k] = '\0';
    return out;
}

/* Lines first..first+rows of s wrapped into w, with a scroll mark saying how
 * many lines are above and below (the wheel over the narration scrolls). */
static void scroll_text(hs_scene *sc, float x, float y, float w, float lh, int rows, int first,
                        int total, int px, const char *s)
{
    /* skip the first lines: wrap them into nothing, keep the rest */
    hs_dl_marking(&sc->dl, true);
    hs_dl_push_clip(&sc->dl, hs_rect_make(x, y, w, lh * rows));
    hs_dl_text_wrap(&sc->dl, x, y - first * lh, w, lh, first + rows, HS_FONT_SANS, px, HS_C_FG, s);
    hs_dl_pop_clip(&sc->dl);
    int below = total - first - rows;
    if (below < 0) below = 0;
    /* the mark in the longest words that fit the column (the Why column
     * in presenter type is narrow: the long words went past its edge) */
    char mark[2][96];
    const char *up = "\xE2\x96\xB2", *down = "\xE2\x96\xBC";
    if (first > 0 && below > 0) {
        snprintf(mark[0], sizeof mark[0], "%s %d line%s above, %s +%d more (scroll)", up, first,
                 first == 1 ? "" : "s", down, below);
        snprintf(mark[1], sizeof mark[1], "%s %d, %s +%d (scroll)", up, first, down, below);
    } else if (below > 0) {
        snprintf(mark[0], sizeof mark[0], "%s +%d more line%s (scroll the wheel here)", down, below,
                 below == 1 ? "" : "s");
        snprintf(mark[1], sizeof mark[1], "%s +%d more (scroll)", down, below);
    } else {
        snprintf(mark[0], sizeof mark[0], "%s %d line%s above (scroll back)", up, first, first == 1 ? "" : "s");
        snprintf(mark[1], sizeof mark[1], "%s %d above (scroll)", up, first);
    }
    int k = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, mark[0]) <= w ? 0 : 1;
    hs_dl_text_fit(&sc->dl, x, y + rows * lh, w, HS_FONT_BOLD, px, HS_C_ALERT, mark[k]);
    hs_dl_marking(&sc->dl, false);
    sc->narr_more += below + first;
}

/* The height of the result's lines in a narration of width w (two at
 * least: the room it always had). */
/* The note column's width in a narration of width w (the Why column has the rest). */
static float note_w(const hs_scene *sc, float w) { return w * (sc->narr_split > 0 ? sc->narr_split : 0.62f); }

static float result_h(const hs_scene *sc, const hs_view *v, float w)
{
    float pad = U(sc, 16), lw = note_w(sc, w);
    int n = v->result[0] ? hs_dl_wrap_count(&sc->dl, lw - 2 * pad, HS_FONT_BOLD, fpx(sc, 22), v->result) : 0;
    return fpx(sc, 22) * ((n > 2 ? n : 2) * 1.25f + 0.1f);
}

static void real_line(const hs_view *v, const hs_ui *ui, char *line, size_t len, hs_color *c);

/* The foot of a narration of width w: real glibc's line, wrapped whole over
 * the full width (what differs is a fact: "brk 0x60 (real 0x21000),
 * mallinfo.arena …" was cut with "…"), and the room it takes. */
typedef struct narr_foot {
    char line[700];
    hs_color c;
    int px, lines;
    float lh;
    float h;      /* from the narration's bottom up to the note column's bottom */
    bool wide;    /* past the note's column: the Why column stops above it too */
    float why;    /* from the narration's bottom up to the Why column's bottom */
} narr_foot;

static narr_foot foot_of(const hs_scene *sc, const hs_view *v, const hs_ui *ui, float w)
{
    narr_foot f;
    float pad = U(sc, 16), lw = note_w(sc, w), rmax = w - 2 * pad - U(sc, 10);
    real_line(v, ui, f.line, sizeof f.line, &f.c);
    /* big type (presenter mode): down to the usual size before it takes
     * more lines (the title and the op do the same before they are cut) */
    int px_min = (int)fmaxf(11, lroundf(21 * sc->u));
    for (f.px = fpx(sc, 21);; f.px--) {
        f.lines = hs_dl_wrap_count(&sc->dl, rmax, HS_FONT_SANS, f.px, f.line);
        if (f.lines < 1) f.lines = 1;
        if (f.px <= px_min || f.lines == 1 ||
            hs_dl_wrap_count(&sc->dl, rmax, HS_FONT_SANS, px_min, f.line) >= f.lines)
            break;
    }
    f.lh = f.px * 1.25f;
    f.h = U(sc, 44) + (f.lines - 1) * f.lh;
    f.wide = f.lines > 1 || U(sc, 10) + hs_dl_text_w(&sc->dl, HS_FONT_SANS, f.px, f.line) > lw - 2 * pad;
    f.why = f.wide ? f.h : U(sc, 14);
    return f;
}

/* The warning over a note in the textbook profile (the lessons' notes are
 * written for glibc 2.36), or NULL. */
static const char *note_warning(const hs_view *v)
{
    return v->note && *v->note && v->profile == HS_PROFILE_TEXTBOOK
               ? "\xE2\x9A\xA0 This note describes glibc 2.36; the textbook profile is shown (T)"
               : NULL;
}

/* The note's lines (and its warning's) in width w at px: their height. */
static float note_h(const hs_scene *sc, const hs_view *v, float w, int px)
{
    const char *warn = note_warning(v);
    int n = v->note ? hs_dl_wrap_count(&sc->dl, w, HS_FONT_SANS, px, v->note) : 0;
    if (warn) n += hs_dl_wrap_count(&sc->dl, w, HS_FONT_BOLD, px, warn);
    return n * px * 1.28f;
}

narr_fonts hs_narration_fonts(const hs_scene *sc, const hs_view *v, const hs_ui *ui, hs_rect r)
{
    narr_fonts nf = {fpx(sc, 22), fpx(sc, 20)};
    float pad = U(sc, 16), lw = note_w(sc, r.w);
    float ew = r.w - lw - 2 * pad;
    narr_foot f = foot_of(sc, v, ui, r.w);
    float avail_why = r.h - f.why - U(sc, 12) - fpx(sc, 22) * 1.5f;
    float avail_note = r.h - f.h - U(sc, 12) - fpx(sc, 46) * 1.3f - result_h(sc, v, r.w);
    char *why = v->step && v->nexpl ? why_text(v) : NULL;
    int minpx = 11;
    while (why && nf.xpx > minpx && nf.xpx > fpx(sc, 20) * 0.8f &&
           hs_dl_wrap_count(&sc->dl, ew, HS_FONT_SANS, nf.xpx, why) * nf.xpx * 1.25f > avail_why)
        nf.xpx--;
    free(why);
    while (v->note && nf.npx > minpx && nf.npx > fpx(sc, 22) * 0.8f &&
           note_h(sc, v, lw - 2 * pad, nf.npx) > avail_note)
        nf.npx--;
    return nf;
}

/* The narration's height with nothing cut at full type, for width w at the
 * split sc->narr_split. */
static float need_at(const hs_scene *sc, const hs_view *v, const hs_ui *ui, float w)
{
    float pad = U(sc, 16), lw = note_w(sc, w), ew = w - lw - 2 * pad;
    narr_foot f = foot_of(sc, v, ui, w);
    float top = U(sc, 12) + fpx(sc, 46) * 1.3f + result_h(sc, v, w) + f.h;
    float note = note_h(sc, v, lw - 2 * pad, fpx(sc, 22));
    char *why = v->step && v->nexpl ? why_text(v) : NULL;
    float wh = why ? hs_dl_wrap_count(&sc->dl, ew, HS_FONT_SANS, fpx(sc, 20), why) * fpx(sc, 20) * 1.25f
                   : 0;
    free(why);
    float need_why = U(sc, 12) + fpx(sc, 22) * 1.5f + wh + f.why;
    return fmaxf(top + note, need_why);
}

float hs_narration_need(hs_scene *sc, const hs_view *v, const hs_ui *ui, float w, float room)
{
    /* the usual split while it fits in room; else the one that needs the
     * least height (a long Why, in presenter type above all, gets a wider
     * column instead of scrolling beside a short note) */
    static const float split[] = {0.62f, 0.56f, 0.5f, 0.44f};
    /* the frames of one step (an animation, the pointer moving) ask again:
     * the same answer while the step, its real glibc line and the size are */
    struct hs_narr_memo key;
    memset(&key, 0, sizeof key);   /* the padding too: compared as bytes */
    key.ok = true;
    key.gen = v->snap.gen;
    key.step = v->step;
    key.real_n = atomic_load((atomic_size_t *)&v->real_n);
    key.profile = (int)v->profile;
    key.real_state = atomic_load((atomic_int *)&v->real_state);
    key.overlay = ui->real_overlay;
    key.w = w, key.room = room, key.u = sc->u, key.ts = sc->ts;
    struct hs_narr_memo *m = &sc->narr_memo;
    key.split = m->split, key.need = m->need;
    if (!memcmp(&key, m, sizeof key)) {
        sc->narr_split = m->split;
        return m->need;
    }
    float best = split[0], bneed = 0;
    for (size_t k = 0; k < sizeof split / sizeof split[0]; k++) {
        sc->narr_split = split[k];
        float n = need_at(sc, v, ui, w);
        if (k == 0 && n <= room) {
            bneed = n;
            break;
        }
        if (k == 0 || n < bneed - 0.5f) best = split[k], bneed = n;
    }
    sc->narr_split = best;
    key.split = best, key.need = bneed;
    memcpy(m, &key, sizeof key);
    return bneed;
}

/* The narration's real glibc line for this step into line (len bytes) and
 * its colour into *c: agrees, differs (and how), sampled, aborted, still
 * replaying.  Never fails (a long line is cut to len). */
static void real_line(const hs_view *v, const hs_ui *ui, char *line, size_t len, hs_color *c)
{
    *c = HS_C_DIM;
    int state = atomic_load((atomic_int *)&v->real_state);
    size_t got = atomic_load((atomic_size_t *)&v->real_n);
    hs_step rsb;
    const hs_step *rs = hs_real_at(v, v->step, &rsb);
    /* which glibc was measured: "2.31 from the cache", "2.36 on this machine" */
    const char *rg = v->real_glibc[0] ? v->real_glibc : "on this machine";
    if (!ui->real_overlay) {
        snprintf(line, len, "Real glibc overlay is off (R turns it on).");
    } else if (state == HS_REAL_NONE) {
        snprintf(line, len, "Real glibc: not replayed.");
    } else if (v->step == 0) {
        snprintf(line, len, "Real glibc %s: %s (%zu of %zu steps in).", rg,
                 state == HS_REAL_RUNNING ? "replaying" : "replayed", got, v->n);
    } else if (rs) {
        char diff[560];   /* with the words around it, fits line */
        bool agrees = hs_view_real_agrees(v, rs, diff, sizeof diff);
        if (rs->has & HS_HAS_UNMEASURED) {
            /* sampled (docs/real.md): only what the call returned was compared */
            char why[96];
            snprintf(why, sizeof why, "not measured here (sampled: 1 step in %u)", v->real_sample);
            if (agrees)
                snprintf(line, len, "Real glibc %s agrees on the call's result; %s", rg, why);
            else {
                snprintf(line, len, "\xE2\x89\xA0 Real glibc %s differs: %s", rg, diff);
                size_t k = strlen(line);
                if (k + 2 < len) snprintf(line + k, len - k, "; %.*s",
                                                  (int)(len - k - 3), why);
            }
            *c = agrees ? HS_C_FG : HS_C_ALERT;
        } else if (agrees) {
            uint64_t differ = page_differences(v, ui);
            if (differ)
                snprintf(line, len,
                         "Real glibc agrees on every compared field, but %llu heap page%s differ%s "
                         "in residency (X in the heap map)",
                         (unsigned long long)differ, differ == 1 ? "" : "s", differ == 1 ? "s" : "");
            else if (rs->has & HS_HAS_MI_UNMEASURED)   /* sampled: mallinfo2 was not called */
                snprintf(line, len, "Real glibc %s agrees with the model at this step  \xE2\x9C\x93 "
                         "(mallinfo2 not measured here: sampled)", rg);
            else
                snprintf(line, len, "Real glibc %s agrees with the model at this step  \xE2\x9C\x93", rg);
            *c = differ ? HS_C_ALERT : HS_C_FG;
        } else {
            if (v->profile == HS_PROFILE_TEXTBOOK)
                snprintf(line, len,
                         "\xE2\x89\xA0 Real glibc %s differs from the textbook (as expected): %s", rg, diff);
            else
                snprintf(line, len, "\xE2\x89\xA0 Real glibc %s differs: %s", rg, diff);
            *c = HS_C_ALERT;
        }
        if (rs->has & HS_HAS_ERROR) {
            snprintf(line, len, "Real glibc aborted at step %u: %s", rs->step, rs->error);
            *c = HS_C_ALERT;
        }
    } else if (state == HS_REAL_RUNNING) {
        snprintf(line, len, "Real glibc: replaying in the background, %zu of %zu steps in\xE2\x80\xA6",
                 got, v->n);
    } else if (state == HS_REAL_FAILED) {
        snprintf(line, len, "Real glibc: the replay failed after %zu steps: %s", got,
                 v->real_msg);
        *c = HS_C_ALERT;
    } else {
        const hs_step *lr = hs_real_at(v, v->rn, &rsb);
        if (lr && (lr->has & HS_HAS_ERROR))
            snprintf(line, len, "Real glibc aborted at step %zu: %s", v->rn, lr->error);
        else
            snprintf(line, len, "Real glibc: no data for this step.");
        *c = HS_C_ALERT;
    }
}

void hs_draw_narration(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->narr;
    hs_dl_rect(&sc->dl, r, HS_C_BG);
    hs_dl_line(&sc->dl, r.x, r.y + r.h, r.x + r.w, r.y + r.h, fmaxf(1, U(sc, 2)), HS_C_RULE);
    float pad = U(sc, 16);
    float lw = note_w(sc, r.w);
    float x = r.x + pad, y = r.y + U(sc, 12);
    /* the op, large */
    const char *label = v->label, *op = v->op_text;
    int lpx = fpx(sc, 26), opx = fpx(sc, 46);
    float ox = x;
    if (label && *label) {
        float tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, lpx, label);
        float ch = opx * 1.2f;
        hs_dl_rect(&sc->dl, hs_rect_make(x, y + (ch - lpx * 1.5f) / 2, tw + U(sc, 20), lpx * 1.5f),
                   HS_C_FG);
        hs_dl_text(&sc->dl, x + U(sc, 10), y + (ch - lpx * 1.2f) / 2, HS_FONT_BOLD, lpx,
                   HS_C_BG, label);
        ox = x + tw + U(sc, 36);
    }
    if (v->t.n_threads > 0 && v->step > 0) {
        /* who calls: "T1:" in the thread's colour (the timeline's strip has the same) */
        uint32_t th = v->t.ops[v->step - 1].thread;
        char tb[32], tag[48];
        snprintf(tag, sizeof tag, "%s:", hs_view_thread_name(v, th, tb, sizeof tb));
        float ch = opx * 1.2f, tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, lpx, tag);
        float room = r.x + lw - ox - pad;
        if (tw + U(sc, 20) > room * 0.4f) tw = room * 0.4f - U(sc, 20);
        hs_dl_rect(&sc->dl, hs_rect_make(ox, y + (ch - lpx * 1.5f) / 2, tw + U(sc, 20), lpx * 1.5f),
                   hs_thread_color(th));
        hs_dl_text_fit(&sc->dl, ox + U(sc, 10), y + (ch - lpx * 1.2f) / 2, tw, HS_FONT_BOLD, lpx,
                       hs_thread_ink(th), tag);
        ox += tw + U(sc, 32);
    }
    /* a long op (mallopt(M_MMAP_THRESHOLD, ...)) gets smaller type before it is cut */
    float omax = r.x + lw - ox - pad;
    int opx_min = (int)fmaxf(11, lroundf(26 * sc->u));  /* the usual size, also under big type */
    while (opx > opx_min && hs_dl_text_w(&sc->dl, HS_FONT_MONO_BOLD, opx, op) > omax) opx--;
    float ow = hs_dl_text_fit(&sc->dl, ox, y, omax, HS_FONT_MONO_BOLD, opx, HS_C_FG, op);
    sc->op_text = hs_rect_make(ox, y, ow, opx * 1.2f);
    y += opx * 1.3f;
    /* what it returned, and where _edata went */
    const char *res = v->result;
    const char *note = v->note;
    narr_foot f = foot_of(sc, v, ui, r.w);
    float bottom = r.y + r.h - f.h;
    int bpx = fpx(sc, 22);
    if (res[0]) {
        /* a recording's call has a caller and a thread too: as many lines as
         * fit above real glibc's line, two left for a note (which scrolls) */
        hs_color c = (v->last.has & HS_HAS_ERROR) ? HS_C_ALERT : HS_C_FG;
        int maxr = (int)((bottom - y) / (bpx * 1.25f)) - (note && *note ? 2 : 0);
        if (maxr < (sc->ts > 1 ? 3 : 2)) maxr = sc->ts > 1 ? 3 : 2;
        int used = hs_dl_text_wrap(&sc->dl, x, y, lw - 2 * pad, bpx * 1.25f, maxr,
                                   HS_FONT_BOLD, bpx, c, res);
        y += used * bpx * 1.25f + bpx * 0.15f;
    }
    /* the trace's note (or description at the start) */
    narr_fonts nf = hs_narration_fonts(sc, v, ui, r);
    int npx = nf.npx;
    float nlh = npx * 1.28f;
    const char *warn = note_warning(v);
    if (warn) {
        /* the trace's notes are written for glibc 2.36 and may contradict
         * the textbook model's Why panel (wrapped: in presenter type it was cut) */
        int wl = hs_dl_wrap_count(&sc->dl, lw - 2 * pad, HS_FONT_BOLD, npx, warn);
        hs_dl_text_wrap(&sc->dl, x, y, lw - 2 * pad, nlh, wl > 0 ? wl : 1, HS_FONT_BOLD, npx, HS_C_ALERT, warn);
        sc->note_warn = true;
        y += (wl > 0 ? wl : 1) * nlh;
    }
    sc->narr_more = 0;
    if (note && *note) {
        int maxl = (int)((bottom - y) / nlh + 0.01f);   /* as the Why's maxl below */
        int need = hs_dl_wrap_count(&sc->dl, lw - 2 * pad, HS_FONT_SANS, npx, note);
        if (need > maxl && maxl > 0) {
            /* what does not fit says so, and the wheel over the text scrolls it */
            int first = ui->narr_scroll;
            if (first > need - (maxl - 1)) first = need - (maxl - 1);
            if (first < 0) first = 0;
            scroll_text(sc, x, y, lw - 2 * pad, nlh, maxl - 1, first, need, npx, note);
        } else {
            hs_dl_text_wrap(&sc->dl, x, y, lw - 2 * pad, nlh, maxl, HS_FONT_SANS, npx, HS_C_FG, note);
        }
    } else if (v->step == 0) {
        hs_dl_text_wrap(&sc->dl, x, y, lw - 2 * pad, nlh, 3, HS_FONT_SANS, npx, HS_C_DIM,
                        "Press Space to play, Right to step.  H shows every key.");
    }
    /* real glibc's line, drawn at the bottom below (wrapped whole); the
     * Why column stops above it when it runs past the left column */
    float ry = bottom + U(sc, 4);
    float rmax = r.w - 2 * pad - U(sc, 10);
    bool wide = f.wide;
    /* the model's explanation */
    float ex = r.x + lw + pad, ew = r.w - lw - 2 * pad;
    hs_dl_line(&sc->dl, r.x + lw, r.y + U(sc, 10), r.x + lw, wide ? ry - U(sc, 4) : r.y + r.h - U(sc, 10),
               fmaxf(1, U(sc, 1.5f)), HS_C_RULE);
    char head[128];
    snprintf(head, sizeof head, "Why (the %s model)", v->profile_name);
    if (hs_dl_text_w(&sc->dl, HS_FONT_BOLD, fpx(sc, 22), head) > ew)  /* big type: the short form */
        snprintf(head, sizeof head, "Why (%s)", v->profile_name);
    if (hs_dl_text_w(&sc->dl, HS_FONT_BOLD, fpx(sc, 22), head) > ew) snprintf(head, sizeof head, "Why");
    float ey = r.y + U(sc, 12);
    hs_dl_text_fit(&sc->dl, ex, ey, ew, HS_FONT_BOLD, fpx(sc, 22), HS_C_FG, head);
    ey += fpx(sc, 22) * 1.5f;
    int xpx = nf.xpx;
    float xlh = xpx * 1.25f;
    if (v->step == 0 || v->nexpl == 0) {
        hs_dl_text_wrap(&sc->dl, ex, ey, ew, xlh, 3, HS_FONT_SANS, xpx, HS_C_DIM,
                        v->step == 0 ? "Each step's reasons appear here."
                                     : "(the model gave no explanation for this step)");
    } else {
        char *why = why_text(v);
        /* + 0.01: a narration the layout made exactly as tall as it needs
         * (hs_narration_need) must not lose its last line to rounding */
        int maxl = (int)((r.y + r.h - f.why - ey) / xlh + 0.01f);
        int need = why ? hs_dl_wrap_count(&sc->dl, ew, HS_FONT_SANS, xpx, why) : 0;
        if (why && need > maxl && maxl > 1) {
            int first = ui->narr_scroll;
            if (first > need - (maxl - 1)) first = need - (maxl - 1);
            if (first < 0) first = 0;
            scroll_text(sc, ex, ey, ew, xlh, maxl - 1, first, need, xpx, why);
        } else if (why) {
            hs_dl_text_wrap(&sc->dl, ex, ey, ew, xlh, maxl, HS_FONT_SANS, xpx, HS_C_FG, why);
        }
        free(why);
    }
    /* real glibc at the bottom (made above), its bar beside all its lines */
    hs_dl_rect(&sc->dl, hs_rect_make(x - U(sc, 6), ry + f.px * 0.15f, U(sc, 8), (f.lines - 1) * f.lh + f.px * 0.9f),
               HS_C_REAL);
    if (f.lines > 1)
        hs_dl_text_wrap(&sc->dl, x + U(sc, 10), ry, rmax, f.lh, f.lines, HS_FONT_SANS, f.px, f.c, f.line);
    else
        hs_dl_text_fit(&sc->dl, x + U(sc, 10), ry, rmax, HS_FONT_SANS, f.px, f.c, f.line);
}
