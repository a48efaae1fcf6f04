/* render/scene.c — lays out and draws one frame: narration, address space, heap map, bins,
 * plots, timeline, overlays.  Owns every position on screen; emits commands only (no SDL). */
#include "scene.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

const char *const hs_help_keys[][2] = {
    {"Space", "play / pause"},
    {"Right  /  Left", "one step forward / back (back is instant)"},
    {"Home  /  End", "jump to the start / the end"},
    {"[  /  ]", "slower / faster playback"},
    {"+  /  -", "zoom the heap map in / out (also the mouse wheel)"},
    {"Up/Down PgUp/PgDn", "pan the heap map (also drag it with the mouse)"},
    {"0", "heap map: show the whole heap again"},
    {"R", "real glibc overlay on / off"},
    {"T", "profile: glibc-2.36 / textbook"},
    {"S", "save this frame as a PNG (in the current directory)"},
    {"F", "fullscreen on / off"},
    {"L  /  Shift+L", "next / previous lesson (traces/, in the order of heapsim lessons)"},
    {"O", "open a trace (type a path; or drop a file on the window)"},
    {"H  or  ?", "this help"},
    {"Q  /  Esc", "quit (Esc first closes help, prompt or message)"},
    {"Mouse", "hover or click a chunk for its header; drag the heap map to pan;"},
    {"", "click or drag the timeline to jump; click the buttons"},
    {NULL, NULL},
};

static const double speeds[HS_SPEEDS] = {0.25, 0.5, 1, 2, 4, 8};

void hs_ui_init(hs_ui *ui)
{
    memset(ui, 0, sizeof *ui);
    ui->real_overlay = true;
    ui->speed = 2;
    ui->anim_t = 1;
}

void hs_ui_free(hs_ui *ui)
{
    free(ui->from);
    ui->from = NULL;
    ui->nfrom = ui->capfrom = 0;
}

double hs_ui_speed(const hs_ui *ui)
{
    int i = ui->speed < 0 ? 0 : ui->speed >= HS_SPEEDS ? HS_SPEEDS - 1 : ui->speed;
    return speeds[i];
}

void hs_ui_anim_from(hs_ui *ui, const hs_view *v)
{
    ui->has_from = false;
    size_t n = v->snap.nitems;
    if (n > ui->capfrom) {
        hs_item *p = realloc(ui->from, n * sizeof *p);
        if (!p) return;
        ui->from = p;
        ui->capfrom = n;
    }
    if (n) memcpy(ui->from, v->snap.items, n * sizeof *ui->from);
    ui->nfrom = n;
    ui->from_brk = v->snap.st.brk;
    ui->has_from = true;
}

/* ---- small helpers ---- */

static int fpx(const hs_scene *sc, float base)
{
    int p = (int)lroundf(base * sc->u);
    return p < 11 ? 11 : p;
}

static float U(const hs_scene *sc, float v) { return v * sc->u; }

static void add_hit(hs_scene *sc, hs_rect r, int kind, int region, uint32_t info, uint64_t addr)
{
    if (sc->nhits == sc->caphits) {
        size_t cap = sc->caphits ? sc->caphits * 2 : 256;
        hs_hit *p = realloc(sc->hits, cap * sizeof *p);
        if (!p) return;
        sc->hits = p;
        sc->caphits = cap;
    }
    hs_hit *h = &sc->hits[sc->nhits++];
    h->r = r;
    h->kind = (uint8_t)kind;
    h->region = (uint8_t)region;
    h->info = info;
    h->addr = addr;
}

static void panel(hs_scene *sc, hs_rect r, const char *title)
{
    hs_dl_rect(&sc->dl, r, HS_C_PANEL);
    hs_dl_frame(&sc->dl, r, fmaxf(1, U(sc, 1.5f)), HS_C_RULE);
    if (title)
        hs_dl_text_fit(&sc->dl, r.x + U(sc, 12), r.y + U(sc, 8), r.w - U(sc, 24), HS_FONT_BOLD,
                       fpx(sc, 21), HS_C_FG, title);
}

/* A chunk box: fill, pattern, border. */
static void chunk_box(hs_scene *sc, hs_rect r, hs_color fill, int state, float alpha)
{
    if (alpha < 1) fill.a = (uint8_t)(fill.a * alpha);
    hs_dl_rect(&sc->dl, r, fill);
    int hk = hs_state_hatch(state);
    if (hk && r.h >= 4 && r.w >= 4 && alpha > 0.5f)
        hs_dl_hatch(&sc->dl, r, hk, U(sc, hk == 6 ? 9 : 11), fmaxf(1, U(sc, 1.3f)),
                    hs_state_hatch_color(state));
    hs_color b = HS_C_FG;
    if (alpha < 1) b.a = (uint8_t)(255 * alpha);
    /* boxes too thin for a border show their colour only */
    if (r.h >= 4 && r.w >= 4) hs_dl_frame(&sc->dl, r, fmaxf(1, U(sc, 1.5f)), b);
}

/* A text label with a solid backing so it reads on any pattern. */
static void tag(hs_scene *sc, float x, float y, int font, int px, hs_color fg, hs_color bg,
                const char *s, float maxw)
{
    float w = hs_dl_text_w(&sc->dl, font, px, s);
    if (w > maxw) w = maxw;
    float pad = U(sc, 3);
    hs_dl_rect(&sc->dl, hs_rect_make(x - pad, y, w + 2 * pad, px * 1.2f), bg);
    hs_dl_text_fit(&sc->dl, x, y, maxw, font, px, fg, s);
}

static const char *id_name(const hs_view *v, uint32_t id)
{
    return (id != HS_NO_ID && id < v->t.n_ids && v->t.ids[id]) ? v->t.ids[id] : NULL;
}

/* ---- animation: what to draw between two steps ---- */

typedef struct dritem {
    uint8_t region, s_from, s_to;
    bool    current;      /* in the current snapshot (hit-testable) */
    double  lo, hi;
    float   t, alpha;
    uint32_t id, info;
    uint64_t addr;
} dritem;

static float ease(float t) { return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t); }

/* Matching the items before a change with those after it, in O(n log n):
 * indices into ui->from sorted by (region, id) and by (region, addr). */
static const hs_item *sort_from;  /* the array being sorted (qsort has no context) */

static int cmp_key(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

static int cmp_from_id(const void *pa, const void *pb)
{
    const hs_item *a = &sort_from[*(const size_t *)pa], *b = &sort_from[*(const size_t *)pb];
    int c = cmp_key(a->region, b->region);
    return c ? c : cmp_key(a->id, b->id);
}

static int cmp_from_addr(const void *pa, const void *pb)
{
    const hs_item *a = &sort_from[*(const size_t *)pa], *b = &sort_from[*(const size_t *)pb];
    int c = cmp_key(a->region, b->region);
    if (c) return c;
    c = cmp_key(a->state == HS_CH_TOP, b->state == HS_CH_TOP);
    return c ? c : cmp_key(a->addr, b->addr);
}

/* The unused item before the change that c continues: rule 0 the same id,
 * 1 the top chunk (wherever it moved), 2 the same address (not the top).
 * Returns NULL when none; *at is its index in ui->from. */
static const hs_item *find_from(const hs_ui *ui, const size_t *idx, const hs_item *c, int rule,
                                const uint8_t *used, size_t *at)
{
    size_t lo = 0, hi = ui->nfrom;
    while (lo < hi) {  /* first entry not below c's key */
        size_t mid = (lo + hi) / 2;
        const hs_item *f = &ui->from[idx[mid]];
        int k = cmp_key(f->region, c->region);
        if (!k && rule == 0) k = cmp_key(f->id, c->id);
        if (!k && rule > 0) k = cmp_key(f->state == HS_CH_TOP, rule == 1);
        if (!k && rule == 2) k = cmp_key(f->addr, c->addr);
        if (k < 0) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < ui->nfrom; lo++) {
        const hs_item *f = &ui->from[idx[lo]];
        if (f->region != c->region) return NULL;
        if (rule == 0 && f->id != c->id) return NULL;
        if (rule == 1 && f->state != HS_CH_TOP) return NULL;
        if (rule == 2 && (f->state == HS_CH_TOP || f->addr != c->addr)) return NULL;
        if (!used[idx[lo]]) {
            *at = idx[lo];
            return f;
        }
    }
    return NULL;
}

/* Builds the items to draw at animation time ui->anim_t; *out must be freed. */
static size_t lerp_items(const hs_view *v, const hs_ui *ui, dritem **out, double *brk)
{
    const hs_snap *s = &v->snap;
    bool anim = ui->has_from && ui->anim_t < 1;
    float t = ease(ui->anim_t);
    size_t cap = s->nitems + (anim ? ui->nfrom : 0);
    dritem *d = calloc(cap ? cap : 1, sizeof *d);
    *out = d;
    *brk = anim ? ui->from_brk + ((double)s->st.brk - (double)ui->from_brk) * t : (double)s->st.brk;
    if (!d) return 0;
    size_t n = 0;
    uint8_t *used = anim ? calloc(ui->nfrom + 1, 1) : NULL;
    size_t *by_id = anim ? malloc((ui->nfrom + 1) * sizeof *by_id) : NULL;
    size_t *by_addr = anim ? malloc((ui->nfrom + 1) * sizeof *by_addr) : NULL;
    if (anim && (!used || !by_id || !by_addr)) anim = false;
    if (anim) {
        for (size_t j = 0; j < ui->nfrom; j++) by_id[j] = by_addr[j] = j;
        sort_from = ui->from;
        qsort(by_id, ui->nfrom, sizeof *by_id, cmp_from_id);
        qsort(by_addr, ui->nfrom, sizeof *by_addr, cmp_from_addr);
    }
    for (size_t i = 0; i < s->nitems; i++) {
        const hs_item *c = &s->items[i];
        dritem *o = &d[n++];
        o->region = c->region;
        o->s_from = o->s_to = c->state;
        o->current = true;
        o->lo = (double)c->lo;
        o->hi = (double)c->hi;
        o->t = 1;
        o->alpha = 1;
        o->id = c->id;
        o->info = c->info;
        o->addr = c->addr;
        if (!anim) continue;
        const hs_item *m = NULL;
        size_t mi = 0;
        if (c->id != HS_NO_ID) m = find_from(ui, by_id, c, 0, used, &mi);
        if (!m && c->state == HS_CH_TOP) m = find_from(ui, by_addr, c, 1, used, &mi);
        if (!m) m = find_from(ui, by_addr, c, 2, used, &mi);
        if (m) {
            used[mi] = 1;
            o->s_from = m->state;
            o->lo = m->lo + ((double)c->lo - (double)m->lo) * t;
            o->hi = m->hi + ((double)c->hi - (double)m->hi) * t;
            o->t = t;
        } else {
            o->hi = o->lo + ((double)c->hi - (double)c->lo) * t;  /* grows */
        }
    }
    if (anim) {
        /* what went away fades out underneath: draw those first */
        size_t gone = 0;
        for (size_t j = 0; j < ui->nfrom; j++) gone += !used[j];
        if (gone) {
            memmove(d + gone, d, n * sizeof *d);
            size_t k = 0;
            for (size_t j = 0; j < ui->nfrom; j++) {
                if (used[j]) continue;
                const hs_item *f = &ui->from[j];
                dritem *o = &d[k++];
                memset(o, 0, sizeof *o);
                o->region = f->region;
                o->s_from = o->s_to = f->state;
                o->lo = (double)f->lo;
                o->hi = (double)f->hi;
                o->t = 1;
                o->alpha = 1 - t;
                o->id = f->id;
                o->addr = f->addr;
            }
            n += gone;
        }
    }
    free(used);
    free(by_id);
    free(by_addr);
    return n;
}

static hs_color item_color(const dritem *d)
{
    return hs_color_lerp(hs_state_color(d->s_from), hs_state_color(d->s_to), d->t);
}

static int item_state(const dritem *d) { return d->t < 0.5f ? d->s_from : d->s_to; }

/* Real glibc's step line of step into *buf; NULL when it is not in. */
static const hs_step *real_at(const hs_view *v, size_t step, hs_step *buf)
{
    return hs_view_real_get(v, step, buf) ? buf : NULL;
}

/* ---- the title bar ---- */

static void draw_title(hs_scene *sc, const hs_view *v, const hs_ui *ui)
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
    const char *title = v->t.title ? v->t.title : v->name;
    hs_dl_text_fit(&sc->dl, x, r.y + (r.h - fpx(sc, 26) * 1.2f) / 2,
                   r.x + r.w - rw - U(sc, 40) - x, HS_FONT_SANS, fpx(sc, 26), w, title);
}

/* ---- the narration ---- */

/* Page counts of the heap map's header. */
typedef struct map_counts {
    uint64_t model, model_pages;     /* resident in the model, of its heap pages */
    uint64_t real, real_pages;       /* the same in real glibc (real_stat HS_RPG_OK) */
    uint64_t unknown, differ;        /* real pages not measured; pages that differ */
    int real_stat;                   /* hs_view_real_heap_pages's answer */
} map_counts;

/* The residency of both sides over the pages either heap has, into *res
 * (the model) and *real (real glibc; left NULL when the overlay is off or
 * there is no page data for this step); *pages gets their length.  Out of
 * memory: fewer or no pages (the counts say what was measured). */
static map_counts map_residency(const hs_view *v, const hs_ui *ui, uint8_t **res, uint8_t **real,
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
    for (uint64_t i = 0; i < n; i++) {
        mc.model += (*res)[i] != 0;
        if (!*real) continue;
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
    map_counts mc = map_residency(v, ui, &res, &real, &pages);
    free(res);
    free(real);
    return mc.real_stat == HS_RPG_OK ? mc.differ : 0;
}

static void draw_narration(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->narr;
    hs_dl_rect(&sc->dl, r, HS_C_BG);
    hs_dl_line(&sc->dl, r.x, r.y + r.h, r.x + r.w, r.y + r.h, fmaxf(1, U(sc, 2)), HS_C_RULE);
    float pad = U(sc, 16);
    float lw = r.w * 0.62f;
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
    float ow = hs_dl_text_fit(&sc->dl, ox, y, r.x + lw - ox - pad, HS_FONT_MONO_BOLD, opx,
                              HS_C_FG, op);
    sc->op_text = hs_rect_make(ox, y, ow, opx * 1.2f);
    y += opx * 1.3f;
    /* what it returned, and where _edata went */
    const char *res = v->result;
    int bpx = fpx(sc, 22);
    if (res[0]) {
        hs_color c = (v->last.has & HS_HAS_ERROR) ? HS_C_ALERT : HS_C_FG;
        int used = hs_dl_text_wrap(&sc->dl, x, y, lw - 2 * pad, bpx * 1.25f, 2, HS_FONT_BOLD, bpx,
                                   c, res);
        y += used * bpx * 1.25f + bpx * 0.15f;
    }
    /* the trace's note (or description at the start) */
    const char *note = v->note;
    float bottom = r.y + r.h - U(sc, 44);
    int npx = fpx(sc, 22);
    float nlh = npx * 1.28f;
    if (note && *note && v->profile == HS_PROFILE_TEXTBOOK) {
        /* the trace's notes are written for glibc 2.36 and may contradict
         * the textbook model's Why panel */
        hs_dl_text_fit(&sc->dl, x, y, lw - 2 * pad, HS_FONT_BOLD, npx, HS_C_ALERT,
                       "\xE2\x9A\xA0 This note describes glibc 2.36; the textbook profile is shown (T)");
        sc->note_warn = true;
        y += nlh;
    }
    if (note && *note) {
        int maxl = (int)((bottom - y) / nlh);
        hs_dl_text_wrap(&sc->dl, x, y, lw - 2 * pad, nlh, maxl, HS_FONT_SANS, npx, HS_C_FG, note);
    } else if (v->step == 0) {
        hs_dl_text_wrap(&sc->dl, x, y, lw - 2 * pad, nlh, 3, HS_FONT_SANS, npx, HS_C_DIM,
                        "Press Space to play, Right to step.  H shows every key.");
    }
    /* the model's explanation */
    float ex = r.x + lw + pad, ew = r.w - lw - 2 * pad;
    hs_dl_line(&sc->dl, r.x + lw, r.y + U(sc, 10), r.x + lw, r.y + r.h - U(sc, 10),
               fmaxf(1, U(sc, 1.5f)), HS_C_RULE);
    char head[128];
    snprintf(head, sizeof head, "Why (the %s model)", v->profile_name);
    float ey = r.y + U(sc, 12);
    hs_dl_text_fit(&sc->dl, ex, ey, ew, HS_FONT_BOLD, fpx(sc, 22), HS_C_FG, head);
    ey += fpx(sc, 22) * 1.5f;
    int xpx = fpx(sc, 20);
    float xlh = xpx * 1.25f;
    if (v->step == 0 || v->nexpl == 0) {
        hs_dl_text_wrap(&sc->dl, ex, ey, ew, xlh, 3, HS_FONT_SANS, xpx, HS_C_DIM,
                        v->step == 0 ? "Each step's reasons appear here."
                                     : "(the model gave no explanation for this step)");
    } else {
        const char *p = v->expl;
        while (p && *p && ey + xlh <= bottom + U(sc, 30)) {
            const char *nl = strchr(p, '\n');
            size_t k = nl ? (size_t)(nl - p) : strlen(p);
            char line[600];
            snprintf(line, sizeof line, "\xE2\x80\xA2 %.*s", (int)(k < 590 ? k : 590), p);
            int maxl = (int)((bottom + U(sc, 30) - ey) / xlh);
            int used = hs_dl_text_wrap(&sc->dl, ex, ey, ew, xlh, maxl, HS_FONT_SANS, xpx,
                                       HS_C_FG, line);
            ey += used * xlh + U(sc, 4);
            p = nl ? nl + 1 : NULL;
        }
    }
    /* real glibc, one line at the bottom */
    float ry = r.y + r.h - U(sc, 40);
    int rpx = fpx(sc, 21);
    char line[700];
    hs_color c = HS_C_DIM;
    int state = atomic_load((atomic_int *)&v->real_state);
    size_t got = atomic_load((atomic_size_t *)&v->real_n);
    hs_step rsb;
    const hs_step *rs = real_at(v, v->step, &rsb);
    if (!ui->real_overlay) {
        snprintf(line, sizeof line, "Real glibc overlay is off (R turns it on).");
    } else if (state == HS_REAL_NONE) {
        snprintf(line, sizeof line, "Real glibc: not replayed.");
    } else if (v->step == 0) {
        snprintf(line, sizeof line, "Real glibc 2.36 on this machine: %s (%zu of %zu steps in).",
                 state == HS_REAL_RUNNING ? "replaying" : "replayed", got, v->n);
    } else if (rs) {
        char diff[600];
        if (hs_view_real_agrees(v, rs, diff, sizeof diff)) {
            uint64_t differ = page_differences(v, ui);
            if (differ)
                snprintf(line, sizeof line,
                         "Real glibc agrees on every compared field, but %llu heap page%s differ%s "
                         "in residency (X in the heap map)",
                         (unsigned long long)differ, differ == 1 ? "" : "s", differ == 1 ? "s" : "");
            else
                snprintf(line, sizeof line, "Real glibc agrees with the model at this step  \xE2\x9C\x93");
            c = differ ? HS_C_ALERT : HS_C_FG;
        } else {
            if (v->profile == HS_PROFILE_TEXTBOOK)
                snprintf(line, sizeof line,
                         "\xE2\x89\xA0 Real glibc 2.36 differs from the textbook (as expected): %s", diff);
            else
                snprintf(line, sizeof line, "\xE2\x89\xA0 Real glibc differs: %s", diff);
            c = HS_C_ALERT;
        }
        if (rs->has & HS_HAS_ERROR) {
            snprintf(line, sizeof line, "Real glibc aborted at step %u: %s", rs->step, rs->error);
            c = HS_C_ALERT;
        }
    } else if (state == HS_REAL_RUNNING) {
        snprintf(line, sizeof line, "Real glibc: replaying in the background, %zu of %zu steps in\xE2\x80\xA6",
                 got, v->n);
    } else if (state == HS_REAL_FAILED) {
        snprintf(line, sizeof line, "Real glibc: the replay failed after %zu steps: %s", got,
                 v->real_msg);
        c = HS_C_ALERT;
    } else {
        const hs_step *lr = real_at(v, v->rn, &rsb);
        if (lr && (lr->has & HS_HAS_ERROR))
            snprintf(line, sizeof line, "Real glibc aborted at step %zu: %s", v->rn, lr->error);
        else
            snprintf(line, sizeof line, "Real glibc: no data for this step.");
        c = HS_C_ALERT;
    }
    hs_dl_rect(&sc->dl, hs_rect_make(x - U(sc, 6), ry + rpx * 0.15f, U(sc, 8), rpx * 0.9f),
               HS_C_REAL);
    hs_dl_text_fit(&sc->dl, x + U(sc, 10), ry, r.w - 2 * pad - U(sc, 10), HS_FONT_SANS, rpx, c,
                   line);
}

/* ---- the address space column (figures 1-9) ---- */

static void zigzag(hs_scene *sc, float x0, float x1, float y, hs_color c)
{
    float a = U(sc, 7), step = U(sc, 14);
    for (float x = x0; x < x1 - 0.5f; x += step) {
        float xe = fminf(x + step, x1);
        hs_dl_line(&sc->dl, x, y, (x + xe) / 2, y - a, fmaxf(1, U(sc, 2)), c);
        hs_dl_line(&sc->dl, (x + xe) / 2, y - a, xe, y, fmaxf(1, U(sc, 2)), c);
    }
}

static void segment(hs_scene *sc, hs_rect r, const char *name)
{
    hs_dl_rect(&sc->dl, r, HS_C_SEGMENT);
    hs_dl_frame(&sc->dl, r, fmaxf(1, U(sc, 1.5f)), HS_C_FG);
    int px = fpx(sc, 19);
    float tw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, px, name);
    hs_dl_text_fit(&sc->dl, r.x + (r.w - fminf(tw, r.w)) / 2, r.y + (r.h - px * 1.2f) / 2,
                   r.w - U(sc, 4), HS_FONT_SANS, px, HS_C_FG, name);
}

static void chunk_label(const hs_view *v, const dritem *d, char *buf, size_t len, bool wide)
{
    char sz[32];
    const hs_chunk_info *ci = NULL;
    if (d->current)
        ci = d->region == 0 ? (d->info < v->snap.nheap ? &v->snap.heap[d->info] : NULL)
                            : (d->info < v->snap.nmm ? &v->snap.mm[d->info] : NULL);
    int st = item_state(d);
    /* in-use chunks show what the program asked for, as the articles do */
    if (ci && ci->req && (st == HS_CH_INUSE || st == HS_CH_MMAPPED) && d->t >= 1)
        hs_fmt_bytes(sz, sizeof sz, ci->req);
    else
        hs_fmt_bytes(sz, sizeof sz, (uint64_t)(d->hi - d->lo + 0.5));
    const char *nm = id_name(v, d->id);
    if (!nm && ci && st != HS_CH_TOP && st != HS_CH_INUSE && d->region == 0)
        nm = id_name(v, hs_view_former_id(v, ci->addr, ci->size));  /* whose it was */
    if (st == HS_CH_TOP) snprintf(buf, len, "top %s", sz);
    else if (nm && (st == HS_CH_INUSE || st == HS_CH_MMAPPED))
        snprintf(buf, len, wide ? "%s  %s" : "%s", nm, sz);
    else if (nm) snprintf(buf, len, wide ? "%s  %s  %s" : "%s", nm, sz, hs_state_name(st));
    else if (v->snap.nheap && d->region == 0 && d->addr == 0 && st == HS_CH_INUSE)
        snprintf(buf, len, wide ? "tcache struct %s" : "tc", sz);
    else snprintf(buf, len, wide ? "%s  %s" : "%s", sz, hs_state_name(st));
}

static void draw_space(hs_scene *sc, const hs_view *v, const hs_ui *ui, const dritem *d,
                       size_t nd, double brk)
{
    hs_rect r = sc->space;
    panel(sc, r, "Address space");
    hs_dl_text_fit(&sc->dl, r.x + U(sc, 12), r.y + U(sc, 36), r.w - U(sc, 24), HS_FONT_SANS,
                   fpx(sc, 16), HS_C_DIM, "low addresses at the bottom; heap to scale");
    float x0 = r.x + U(sc, 112), x1 = r.x + r.w - U(sc, 172);
    sc->col_x0 = x0;
    sc->col_x1 = x1;
    float seg = U(sc, 32), gap = U(sc, 36), stack_h = U(sc, 42);
    float ybot = r.y + r.h - U(sc, 12);
    segment(sc, hs_rect_make(x0, ybot - seg, x1 - x0, seg), "text (code)");
    segment(sc, hs_rect_make(x0, ybot - 2 * seg, x1 - x0, seg), "data");
    segment(sc, hs_rect_make(x0, ybot - 3 * seg, x1 - x0, seg), "bss");
    float heap_base = ybot - 3 * seg;
    float ytop = r.y + U(sc, 62);
    float avail = heap_base - ytop - stack_h - 2 * gap;
    double mb = (double)(v->max_brk > 4096 ? v->max_brk : 4096);
    double mm = (double)v->max_mm;
    double share = mm > 0 ? mb / (mb + mm) : 0.84;
    if (share < 0.4) share = 0.4;
    if (share > 0.84) share = 0.84;
    float heap_h = (float)(avail * share), mm_h = avail - heap_h;
    double hppb = heap_h * 0.90 / mb;
    double mppb = mm > 0 ? fmin(hppb, mm_h * 0.92 / mm) : hppb;
    float heap_top = heap_base - heap_h;
    float mm_bot = heap_top - gap, mm_top = mm_bot - mm_h;
    sc->heap_base_y = heap_base;
    sc->heap_ppb = hppb;
    sc->mm_top_y = mm_top;
    sc->mm_ppb = mppb;
    /* the regions' backgrounds: unmapped address space */
    hs_dl_rect(&sc->dl, hs_rect_make(x0, heap_top, x1 - x0, heap_h), HS_C_VOID);
    hs_dl_rect(&sc->dl, hs_rect_make(x0, mm_top, x1 - x0, mm_h), HS_C_VOID);
    hs_dl_rect(&sc->dl, hs_rect_make(x0, mm_bot, x1 - x0, gap), HS_C_VOID);
    hs_dl_rect(&sc->dl, hs_rect_make(x0, mm_top - gap, x1 - x0, gap), HS_C_VOID);
    zigzag(sc, x0, x1, heap_top - U(sc, 6), HS_C_DIM);
    zigzag(sc, x0, x1, mm_bot + U(sc, 14), HS_C_DIM);
    zigzag(sc, x0, x1, mm_top - U(sc, 8), HS_C_DIM);
    zigzag(sc, x0, x1, mm_top - gap + U(sc, 16), HS_C_DIM);
    segment(sc, hs_rect_make(x0, mm_top - gap - stack_h, x1 - x0, stack_h),
            "stack \xE2\x86\x93");
    int spx = fpx(sc, 17);
    hs_color dim = HS_C_DIM;
    /* region names on the left margin, clear of the _edata arrow */
    float ye_now = heap_base - (float)(brk * hppb);
    float hy = heap_top + (heap_base - heap_top) * 0.35f;
    if (fabsf(hy + spx * 0.6f - ye_now) < spx * 2.6f) hy = ye_now - spx * 3.2f;
    if (hy < heap_top) hy = ye_now + spx * 2.2f;
    hs_dl_text_fit(&sc->dl, r.x + U(sc, 10), hy, x0 - r.x - U(sc, 14), HS_FONT_BOLD, spx, HS_C_FG,
                   "heap \xE2\x86\x91");
    hs_dl_text_fit(&sc->dl, r.x + U(sc, 10), mm_top + U(sc, 4), x0 - r.x - U(sc, 14),
                   HS_FONT_BOLD, spx, HS_C_FG, "mmap");
    hs_dl_text_fit(&sc->dl, r.x + U(sc, 10), mm_top + U(sc, 4) + spx * 1.2f, x0 - r.x - U(sc, 14),
                   HS_FONT_BOLD, spx, HS_C_FG, "area");
    if (mppb < hppb * 0.999)
        hs_dl_text_wrap(&sc->dl, r.x + U(sc, 10), mm_top + U(sc, 4) + spx * 2.6f,
                        x0 - r.x - U(sc, 14), fpx(sc, 15) * 1.2f, 3, HS_FONT_SANS, fpx(sc, 15), dim,
                        "(drawn at a smaller scale)");
    bool any_mm = false;
    for (size_t i = 0; i < nd; i++) any_mm |= d[i].region == 1 && d[i].current;
    if (!any_mm) {
        const char *s = "no mappings";
        float tw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, spx, s);
        hs_dl_text(&sc->dl, x0 + (x1 - x0 - tw) / 2, mm_top + mm_h / 2 - spx * 0.6f,
                   HS_FONT_SANS, spx, dim, s);
    }
    /* chunks */
    hs_dl_push_clip(&sc->dl, hs_rect_make(x0 - 1, mm_top - 1, x1 - x0 + 2, heap_base - mm_top + 2));
    int lpx = fpx(sc, 19);
    float last_y0 = -1e9f;
    int last_state = -1;
    for (size_t i = 0; i < nd; i++) {
        const dritem *it = &d[i];
        float ya, yb;
        if (it->region == 0) {
            ya = heap_base - (float)(it->hi * hppb);
            yb = heap_base - (float)(it->lo * hppb);
        } else {
            ya = mm_top + (float)(it->lo * mppb);
            yb = mm_top + (float)(it->hi * mppb);
        }
        if (yb - ya < 1) {
            /* sub-pixel chunks: draw one line per pixel row and state */
            float yr = floorf(ya);
            if (yr == last_y0 && last_state == item_state(it) && it->current) {
                add_hit(sc, hs_rect_make(x0, yr, x1 - x0, 1), HS_HIT_SPACE, it->region, it->info,
                        it->addr);
                continue;
            }
            ya = yr;
            yb = yr + 1;
        }
        last_y0 = floorf(ya);
        last_state = item_state(it);
        hs_rect box = hs_rect_make(x0, ya, x1 - x0, yb - ya);
        chunk_box(sc, box, item_color(it), item_state(it), it->alpha);
        if (it->current)
            add_hit(sc, box, HS_HIT_SPACE, it->region, it->info, it->addr);
        if (it->alpha >= 1 && box.h >= lpx * 1.15f) {
            char lab[128];
            chunk_label(v, it, lab, sizeof lab, true);
            int st = item_state(it);
            hs_color bg = hs_state_color(st);
            tag(sc, x0 + U(sc, 8), ya + (box.h - lpx * 1.2f) / 2, HS_FONT_BOLD, lpx,
                hs_state_ink(st), bg, lab, x1 - x0 - U(sc, 16));
        }
    }
    hs_dl_pop_clip(&sc->dl);

    /* top chunk annotations: size, thresholds, and a bracket as long as the
     * trim threshold, measured from the top chunk's start: free() trims only
     * when the top chunk reaches past it. */
    const hs_status *st = &v->snap.st;
    const dritem *top = NULL;
    for (size_t i = 0; i < nd; i++)
        if (d[i].current && d[i].region == 0 && d[i].s_to == HS_CH_TOP) top = &d[i];
    float bx = x1 + U(sc, 14);
    float ax = x1 + U(sc, 30), aw = r.x + r.w - ax - U(sc, 4);
    int tpx = fpx(sc, 16);
    float tlh = tpx * 1.25f;
    char a[96], b[32];
    char mthr[48], tthr[48];
    hs_fmt_bytes(b, sizeof b, (uint64_t)(st->mmap_threshold < 0 ? 0 : st->mmap_threshold));
    snprintf(mthr, sizeof mthr, "mmap thr. %s", b);
    if (st->trim_threshold < 0) snprintf(tthr, sizeof tthr, "trim thr. off");
    else {
        hs_fmt_bytes(b, sizeof b, (uint64_t)st->trim_threshold);
        snprintf(tthr, sizeof tthr, "trim thr. %s", b);
    }
    if (top && st->brk > 0) {
        float ylo = heap_base - (float)(top->lo * hppb);
        float yc = heap_base - (float)((top->lo + top->hi) / 2 * hppb);
        float yt = yc - tlh;
        if (yt + 3 * tlh > heap_base) yt = heap_base - 3 * tlh;
        if (yt < heap_top) yt = heap_top;
        hs_fmt_bytes(b, sizeof b, (uint64_t)(top->hi - top->lo));
        snprintf(a, sizeof a, "top %s", b);
        hs_dl_text_fit(&sc->dl, ax, yt, aw, HS_FONT_BOLD, tpx, HS_C_FG, a);
        hs_dl_text_fit(&sc->dl, ax, yt + tlh, aw, HS_FONT_SANS, tpx, HS_C_FG, mthr);
        hs_dl_text_fit(&sc->dl, ax, yt + 2 * tlh, aw, HS_FONT_BOLD, tpx, HS_C_ALERT, tthr);
        if (st->trim_threshold >= 0 && ui->anim_t >= 1) {
            double at = top->lo + (double)st->trim_threshold;
            float yh = heap_base - (float)(at * hppb);
            bool cut = yh < heap_top;
            if (cut) yh = heap_top;
            float bt = fmaxf(2, U(sc, 3));
            hs_dl_line(&sc->dl, bx, ylo, bx, yh, bt, HS_C_ALERT);
            hs_dl_line(&sc->dl, bx - U(sc, 6), ylo, bx + U(sc, 6), ylo, bt, HS_C_ALERT);
            if (cut)
                hs_dl_tri(&sc->dl, bx, yh - U(sc, 10), bx - U(sc, 7), yh + U(sc, 2), bx + U(sc, 7),
                          yh + U(sc, 2), HS_C_ALERT);
            else
                hs_dl_line(&sc->dl, bx - U(sc, 6), yh, bx + U(sc, 6), yh, bt, HS_C_ALERT);
        }
    } else {
        hs_dl_text_fit(&sc->dl, ax, heap_base - 3 * tlh, aw, HS_FONT_SANS, tpx, HS_C_FG, mthr);
        hs_dl_text_fit(&sc->dl, ax, heap_base - 2 * tlh, aw, HS_FONT_SANS, tpx, HS_C_FG, tthr);
    }

    /* _edata: the arrow that moves */
    float ye = heap_base - (float)(brk * hppb);
    float tip = x0 - U(sc, 2), tail = r.x + U(sc, 8);
    float th = fmaxf(2, U(sc, 4)), ah = U(sc, 12);
    sc->edata_y = ye;
    sc->edata_tip_x = tip;
    sc->edata_tail_x = tail;
    hs_dl_dashed(&sc->dl, x0, ye, x1, ye, fmaxf(1, U(sc, 2)), U(sc, 6), HS_C_EDATA);
    int epx = fpx(sc, 20);
    hs_dl_text_fit(&sc->dl, tail, ye - epx * 1.55f, tip - tail - ah, HS_FONT_MONO_BOLD, epx,
                   HS_C_FG, "_edata");
    hs_fmt_bytes(b, sizeof b, (uint64_t)(brk + 0.5));
    snprintf(a, sizeof a, "brk +%s", b);
    hs_dl_text_fit(&sc->dl, tail, ye + U(sc, 10), tip - tail - ah, HS_FONT_SANS, fpx(sc, 16),
                   HS_C_FG, a);

    /* real glibc's break, when it is in: an orange arrow under the black one */
    sc->real_edata_y = -1;
    hs_step rsb;
    const hs_step *rs = real_at(v, v->step, &rsb);
    if (ui->real_overlay && v->step > 0 && rs && (rs->has & HS_HAS_MEASURES)) {
        float yr = heap_base - (float)((double)rs->brk * hppb);
        if (yr < heap_top) yr = heap_top;
        sc->real_edata_y = yr;
        bool same = rs->brk == v->snap.st.brk;
        float o = U(sc, 4);
        hs_dl_line(&sc->dl, tip - U(sc, 80), yr, tip - ah * 1.4f, yr, th + 2 * o, HS_C_REAL);
        hs_dl_tri(&sc->dl, tip + o * 1.5f, yr, tip - ah * 1.6f - o, yr - ah - o * 1.4f,
                  tip - ah * 1.6f - o, yr + ah + o * 1.4f, HS_C_REAL);
        if (!same) {
            float ly = yr + U(sc, 10) + fpx(sc, 16) * 1.3f;
            hs_dl_text_fit(&sc->dl, tail, ly, tip - tail, HS_FONT_BOLD, fpx(sc, 15), HS_C_ALERT,
                           "real");
            hs_dl_text_fit(&sc->dl, tail, ly + fpx(sc, 15) * 1.2f, tip - tail, HS_FONT_BOLD,
                           fpx(sc, 15), HS_C_ALERT, "_edata \xE2\x89\xA0");
        }
    }
    /* the model's arrow on top */
    hs_dl_line(&sc->dl, tail, ye, tip - ah * 1.4f, ye, th, HS_C_EDATA);
    hs_dl_tri(&sc->dl, tip, ye, tip - ah * 1.6f, ye - ah, tip - ah * 1.6f, ye + ah, HS_C_EDATA);
}

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
    static const char *const extra[] = {"pale: page not resident (model)",
                                        "orange bar: resident in real glibc",
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
                chunk_box(sc, b, hs_state_color(s), s, 1);
            } else {
                chunk_box(sc, b, hs_state_color(HS_CH_INUSE), HS_CH_INUSE, 1);
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
} map_grid;

/* Whether page pg's residency differs between the model and real glibc. */
static bool page_differs(const map_grid *g, uint64_t pg)
{
    return g->real && pg < g->pages && g->real[pg] != HS_PAGE_UNKNOWN &&
           (g->res[pg] != 0) != (g->real[pg] != 0);
}

/* Chunks cut into rows: boxes (and hit boxes), or, with labels, their names. */
static void map_chunks(hs_scene *sc, const hs_view *v, const map_grid *g, const dritem *d,
                       size_t nd, bool labels)
{
    for (size_t i = 0; i < nd; i++) {
        const dritem *it = &d[i];
        if (it->region != 0 || it->hi <= it->lo) continue;
        size_t r0 = (size_t)(it->lo / (double)g->bpr);
        size_t r1 = (size_t)((it->hi - 1e-6) / (double)g->bpr);
        if (r1 < g->first || r0 >= g->last) continue;
        if (r0 < g->first) r0 = g->first;
        if (r1 >= g->last) r1 = g->last - 1;
        for (size_t row = r0; row <= r1; row++) {
            double rlo = (double)(row * g->bpr), rhi = rlo + (double)g->bpr;
            double a = fmax(it->lo, rlo), b = fmin(it->hi, rhi);
            float xa = g->rows.x + (float)((a - rlo) / (double)g->bpr * g->rows.w);
            float xb = g->rows.x + (float)((b - rlo) / (double)g->bpr * g->rows.w);
            if (xb - xa < 1) xb = xa + 1;
            float y = g->rows.y + (float)(row - g->first) * g->rh;
            hs_rect seg = hs_rect_make(xa, y + 1, xb - xa, g->rh - 3);
            if (!labels) {
                chunk_box(sc, seg, item_color(it), item_state(it), it->alpha);
                if (it->current) add_hit(sc, seg, HS_HIT_MAP, 0, it->info, it->addr);
                continue;
            }
            if (it->alpha < 1 || g->rh < g->cpx * 1.2f) break;
            char lab[64];
            chunk_label(v, it, lab, sizeof lab, false);
            float tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, g->cpx, lab);
            if (tw + U(sc, 8) <= seg.w) {
                int st = item_state(it);
                tag(sc, xa + U(sc, 4), y + (g->rh - g->cpx * 1.2f) / 2, HS_FONT_BOLD, g->cpx,
                    hs_state_ink(st), hs_state_color(st), lab, seg.w - U(sc, 8));
                break;  /* one label per chunk, in its first row wide enough */
            }
        }
    }
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

static void draw_map(hs_scene *sc, const hs_view *v, const hs_ui *ui, const dritem *d, size_t nd,
                     double brk)
{
    hs_rect r = sc->map;
    panel(sc, r, NULL);
    int hpx = fpx(sc, 21), spx = fpx(sc, 16);
    float pad = U(sc, 12);
    float legend_h = legend(sc, r.x + pad, 0, r.w - 2 * pad, false);
    float head_h = U(sc, 8) + hpx * 1.25f + spx * 1.3f + U(sc, 8);
    hs_rect rows = hs_rect_make(r.x + pad + U(sc, 70), r.y + head_h, r.w - 2 * pad - U(sc, 70), 0);
    rows.h = r.y + r.h - legend_h - U(sc, 8) - rows.y;
    sc->map_rows = rows;
    uint64_t top = v->max_brk;
    if (ui->real_overlay && v->real_max_brk > top) top = v->real_max_brk;  /* real pages too */
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
    sc->map_bpr = bpr;
    sc->map_mark = hs_rect_make(0, 0, 0, 0);
    sc->map_rh = rh;
    sc->map_nrows = nrows;
    sc->map_first = first;
    sc->map_visible = vis;
    /* header */
    char head[200], bs[32];
    hs_fmt_bytes(bs, sizeof bs, bpr);
    if (bpr >= 4096)
        snprintf(head, sizeof head, "Heap map  (to scale: 1 row = %s = %llu page%s)", bs,
                 (unsigned long long)(bpr / 4096), bpr == 4096 ? "" : "s");
    else snprintf(head, sizeof head, "Heap map  (to scale: 1 row = %s bytes)", bs);
    hs_dl_text_fit(&sc->dl, r.x + pad, r.y + U(sc, 8), r.w - 2 * pad, HS_FONT_BOLD, hpx, HS_C_FG,
                   head);
    /* residency: the model's, and real glibc's when it is in */
    uint8_t *res = NULL, *real = NULL;
    uint64_t pages = 0;
    map_counts mc = map_residency(v, ui, &res, &real, &pages);
    sc->map_differ = mc.differ;
    char line[256];
    float lx = r.x + pad;
    float ly = r.y + U(sc, 8) + hpx * 1.25f;
    snprintf(line, sizeof line, "heap pages resident: model %llu of %llu",
             (unsigned long long)mc.model, (unsigned long long)mc.model_pages);
    float w1 = hs_dl_text_fit(&sc->dl, lx, ly, r.w * 0.5f, HS_FONT_SANS, spx, HS_C_DIM, line);
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
    } else if (ui->real_overlay && v->step > 0 && v->step <= v->rn) {
        snprintf(line, sizeof line, "; no per-page data from real glibc");
    } else {
        line[0] = '\0';
    }
    if (line[0])
        hs_dl_text_fit(&sc->dl, lx + w1, ly, r.w - 2 * pad - w1, rfont, spx, rc, line);
    hs_dl_push_clip(&sc->dl, hs_rect_make(r.x, rows.y, r.w, rows.h));
    int apx = fpx(sc, 14);
    size_t every = (size_t)ceil(apx * 1.15 / rh);
    if (every < 1) every = 1;
    /* rows: background, labels */
    for (size_t row = first; row < last; row++) {
        float y = rows.y + (float)(row - first) * rh;
        uint64_t lo = row * bpr;
        bool beyond = (double)lo >= brk;
        hs_dl_rect(&sc->dl, hs_rect_make(rows.x, y, rows.w, rh - 1), beyond ? HS_C_VOID : HS_C_BG);
        if (row % every == 0) {
            char lab[40];
            hs_fmt_bytes(bs, sizeof bs, lo);
            snprintf(lab, sizeof lab, "+%s", bs);
            float tw = hs_dl_text_w(&sc->dl, HS_FONT_MONO, apx, lab);
            hs_dl_text(&sc->dl, rows.x - tw - U(sc, 6), y + (rh - apx * 1.2f) / 2, HS_FONT_MONO, apx,
                       HS_C_DIM, lab);
        }
    }
    if (v->snap.st.brk == 0 && nd == 0) {
        const char *e = "no heap yet: the first malloc makes it";
        float tw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, fpx(sc, 20), e);
        hs_dl_text(&sc->dl, rows.x + (rows.w - tw) / 2, rows.y + rows.h * 0.4f, HS_FONT_SANS,
                   fpx(sc, 20), HS_C_DIM, e);
    }
    /* chunk boxes, then the page wash and boundaries, then the labels on top */
    map_grid g = {rows, bpr, rh, first, last, res, real, pages, cpx};
    map_chunks(sc, v, &g, d, nd, false);
    map_pages(sc, &g);
    map_chunks(sc, v, &g, d, nd, true);
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

/* ---- the bins ---- */

static const hs_chunk_info *heap_chunk_at(const hs_view *v, uint64_t addr)
{
    size_t lo = 0, hi = v->snap.nheap;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->snap.heap[mid].addr < addr) lo = mid + 1;
        else hi = mid;
    }
    return lo < v->snap.nheap && v->snap.heap[lo].addr == addr ? &v->snap.heap[lo] : NULL;
}

static void bin_entry_label(const hs_view *v, uint64_t addr, char *buf, size_t len)
{
    const hs_chunk_info *c = heap_chunk_at(v, addr);
    const char *nm = c ? id_name(v, c->id) : NULL;
    if (c && !nm) nm = id_name(v, hs_view_former_id(v, c->addr, c->size));
    char sz[32] = "";
    if (c) hs_fmt_bytes(sz, sizeof sz, c->size);
    if (nm) snprintf(buf, len, "%s %s", nm, sz);
    else if (c) snprintf(buf, len, "0x%llx %s", (unsigned long long)addr, sz);
    else snprintf(buf, len, "0x%llx", (unsigned long long)addr);
}

static void draw_bins(hs_scene *sc, const hs_view *v)
{
    hs_rect r = sc->bins;
    panel(sc, r, "Bins  (free lists, head first)");
    static const struct { int fam, state; const char *name; } fams[] = {
        {HS_BINS_TCACHE, HS_CH_TCACHE, "tcache"},   {HS_BINS_FAST, HS_CH_FASTBIN, "fastbins"},
        {HS_BINS_UNSORTED, HS_CH_UNSORTED, "unsorted"}, {HS_BINS_SMALL, HS_CH_SMALL, "small bins"},
        {HS_BINS_LARGE, HS_CH_LARGE, "large bins"},
    };
    float pad = U(sc, 12);
    float y = r.y + fpx(sc, 21) * 1.2f + U(sc, 16);
    float bottom = r.y + r.h - U(sc, 8);
    int fpx_ = fpx(sc, 20), epx = fpx(sc, 17);
    float lh = fmaxf(fpx_, epx) * 1.45f;
    const hs_snap *s = &v->snap;
    bool textbook = v->profile == HS_PROFILE_TEXTBOOK;
    for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++) {
        if (y + lh > bottom) break;
        size_t nb = 0, nc = 0;
        for (size_t i = 0; i < s->nbins; i++)
            if (s->bins[i].fam == fams[f].fam) nb++, nc += s->bins[i].len;
        char head[96];
        float x = r.x + pad;
        chunk_box(sc, hs_rect_make(x, y + lh * 0.15f, U(sc, 18), lh * 0.6f),
                  hs_state_color(fams[f].state), fams[f].state, 1);
        x += U(sc, 26);
        x += hs_dl_text(&sc->dl, x, y, HS_FONT_BOLD, fpx_, HS_C_FG, fams[f].name) + U(sc, 10);
        if (nc == 0) {
            bool off = textbook && (fams[f].fam == HS_BINS_TCACHE || fams[f].fam == HS_BINS_FAST);
            hs_dl_text(&sc->dl, x, y + (fpx_ - epx) * 0.6f, HS_FONT_SANS, epx, HS_C_DIM,
                       off ? "not in the textbook profile" : "empty");
            y += lh;
            continue;
        }
        snprintf(head, sizeof head, "%zu chunk%s in %zu bin%s", nc, nc == 1 ? "" : "s", nb,
                 nb == 1 ? "" : "s");
        hs_dl_text(&sc->dl, x, y + (fpx_ - epx) * 0.6f, HS_FONT_SANS, epx, HS_C_DIM, head);
        y += lh;
        for (size_t i = 0; i < s->nbins; i++) {
            const hs_binview *b = &s->bins[i];
            if (b->fam != fams[f].fam) continue;
            if (y + lh > bottom) {
                hs_dl_text(&sc->dl, r.x + pad + U(sc, 26), y - lh * 0.3f, HS_FONT_SANS, epx,
                           HS_C_DIM, "\xE2\x80\xA6");
                break;
            }
            char lab[64];
            int idx = b->idx;
            if (b->fam == HS_BINS_TCACHE)
                snprintf(lab, sizeof lab, "[%d] %dB %u/7", idx, 32 + 16 * idx, b->len);
            else if (b->fam == HS_BINS_FAST)
                snprintf(lab, sizeof lab, "[%d] %dB", idx, 32 + 16 * idx);
            else if (b->fam == HS_BINS_SMALL) snprintf(lab, sizeof lab, "[%d] %dB", idx, 16 * idx);
            else if (b->fam == HS_BINS_UNSORTED) snprintf(lab, sizeof lab, "bin 1");
            else snprintf(lab, sizeof lab, "bin %d", idx);
            float bx = r.x + pad + U(sc, 26);
            hs_dl_text(&sc->dl, bx, y, HS_FONT_MONO, epx, HS_C_FG, lab);
            bx += U(sc, 150);
            float xr = r.x + r.w - pad;
            for (uint32_t k = 0; k < b->shown; k++) {
                char el[64];
                bin_entry_label(v, s->ent[b->first + k], el, sizeof el);
                float tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, epx, el) + U(sc, 12);
                float aw = k ? U(sc, 24) : 0;
                if (bx + aw + tw > xr - U(sc, 50) && k + 1 < b->shown) {
                    char more[32];
                    snprintf(more, sizeof more, "\xE2\x80\xA6 +%u", b->len - k);
                    hs_dl_text(&sc->dl, bx + U(sc, 4), y, HS_FONT_SANS, epx, HS_C_FG, more);
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
                bx += tw;
                if (k + 1 == b->shown && b->len > b->shown) {
                    char more[32];
                    snprintf(more, sizeof more, " \xE2\x80\xA6 +%u", b->len - b->shown);
                    hs_dl_text(&sc->dl, bx + U(sc, 4), y, HS_FONT_SANS, epx, HS_C_FG, more);
                }
            }
            y += lh;
        }
    }
}

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

static void draw_plots(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    hs_rect r = sc->plots;
    panel(sc, r, NULL);
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
        if (P[p].bytes) hs_fmt_bytes(a, sizeof a, mval);
        else snprintf(a, sizeof a, "%llu", (unsigned long long)mval);
        snprintf(line, sizeof line, "%s", a);
        float lw = hs_dl_text(&sc->dl, g.x, g.y + tpx * 1.25f, HS_FONT_BOLD, vpx, HS_C_MODEL, line);
        if (real && v->step > 0 && v->step <= rn && v->rv[v->step].has) {
            uint64_t rv = P[p].f(&v->rv[v->step]);
            if (P[p].bytes) hs_fmt_bytes(b, sizeof b, rv);
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

/* ---- the timeline ---- */

static void icon(hs_scene *sc, hs_rect b, int which, bool playing)
{
    hs_dl_rect(&sc->dl, b, HS_C_BG);
    hs_dl_frame(&sc->dl, b, fmaxf(1, U(sc, 2)), HS_C_FG);
    float cx = b.x + b.w / 2, cy = b.y + b.h / 2, s = b.h * 0.24f;
    hs_color k = HS_C_FG;
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

static void draw_timeline(hs_scene *sc, const hs_view *v, const hs_ui *ui)
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
        text_button(sc, sc->btn[rb[i].b], rb[i].s, rb[i].b == HS_BTN_REAL && ui->real_overlay);
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
    const hs_step *lastr = real_at(v, v->rn, &lastb);
    bool aborted = state == HS_REAL_DONE && lastr && (lastr->has & HS_HAS_ERROR);
    if (aborted) snprintf(pr, sizeof pr, "real: \xE2\x9C\x97 at %zu", v->rn);
    else if (state == HS_REAL_DONE) snprintf(pr, sizeof pr, "real: %s/%s \xE2\x9C\x93", cg, cn);
    else if (state == HS_REAL_FAILED) snprintf(pr, sizeof pr, "real: failed");
    int ppx = fpx(sc, 17);
    float pw = U(sc, 170);
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
    int lpx = fpx(sc, 14);
    float last_lx = -1e9f;
    for (size_t i = 0; i <= v->n; i++) {
        float tx = tr.x + (v->n ? (float)i / (float)v->n * tr.w : 0);
        const char *lab = i ? hs_view_label(v, i) : NULL;
        if (v->n <= 400) {
            bool big = lab && *lab;
            hs_dl_line(&sc->dl, tx, tr.y - U(sc, big ? 12 : 7), tx, tr.y + U(sc, big ? 12 : 7),
                       fmaxf(1, U(sc, 2)), HS_C_FG);
        }
        if (lab && *lab) {
            float lw = hs_dl_text_w(&sc->dl, HS_FONT_SANS, lpx, lab);
            if (tx - lw / 2 > last_lx + U(sc, 6)) {
                hs_dl_text(&sc->dl, tx - lw / 2, tr.y - U(sc, 14) - lpx * 1.25f, HS_FONT_SANS, lpx,
                           HS_C_FG, lab);
                last_lx = tx + lw / 2;
            }
        }
        if (v->n > 400 && !lab && i > 0) {
            /* ticks would merge: jump to the next labelled op */
            size_t j = i;
            while (j < v->n && !hs_view_label(v, j + 1)) j++;
            i = j;
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

/* ---- overlays ---- */

static void draw_tooltip(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    const hs_hit *h = NULL;
    if (ui->mouse_in) h = hs_scene_hit(sc, ui->mx, ui->my);
    bool pinned = false;
    if (!h && ui->has_sel) {
        for (size_t i = 0; i < sc->nhits; i++)
            if (sc->hits[i].region == ui->sel_region && sc->hits[i].addr == ui->sel_addr) {
                h = &sc->hits[i];
                pinned = true;
                break;
            }
    }
    if (!h) return;
    const hs_chunk_info *c = h->region == 0 ? (h->info < v->snap.nheap ? &v->snap.heap[h->info] : NULL)
                                            : (h->info < v->snap.nmm ? &v->snap.mm[h->info] : NULL);
    if (!c) return;
    /* highlight every box of this chunk */
    for (size_t i = 0; i < sc->nhits; i++)
        if (sc->hits[i].region == h->region && sc->hits[i].addr == h->addr)
            hs_dl_frame(&sc->dl, sc->hits[i].r, fmaxf(2, U(sc, 4)), HS_C_ALERT);
    char lines[9][160];
    int n = 0;
    const char *nm = id_name(v, c->id);
    bool former = false;
    if (!nm && h->region == 0 && c->state != HS_CH_TOP && c->state != HS_CH_INUSE) {
        nm = id_name(v, hs_view_former_id(v, c->addr, c->size));
        former = nm != NULL;
    }
    char sz[32];
    hs_fmt_bytes(sz, sizeof sz, c->size);
    snprintf(lines[n++], sizeof lines[0], "chunk%s%s  (%s%s)", nm ? " " : "", nm ? nm : "",
             former ? "freed, now " : "", hs_state_name((int)c->state));
    if (h->region == 0)
        snprintf(lines[n++], sizeof lines[0], "address  heap + 0x%llx", (unsigned long long)c->addr);
    else
        snprintf(lines[n++], sizeof lines[0], "address  mmapped (0x%llx in the model)",
                 (unsigned long long)c->addr);
    snprintf(lines[n++], sizeof lines[0], "prev_size  %llu", (unsigned long long)c->prev_size);
    snprintf(lines[n++], sizeof lines[0], "size  %llu (0x%llx, %s)  flags %s%s%s%s",
             (unsigned long long)c->size, (unsigned long long)c->size, sz,
             (c->flags & 1) ? "P" : "-", (c->flags & 2) ? "M" : "-", (c->flags & 4) ? "A" : "-",
             (c->flags & 1) ? "  (PREV_INUSE)" : "");
    if (c->state == HS_CH_INUSE || c->state == HS_CH_MMAPPED)
        snprintf(lines[n++], sizeof lines[0], "requested  %llu bytes", (unsigned long long)c->req);
    if (c->bin >= 0)
        snprintf(lines[n++], sizeof lines[0], "bin  %s [%d]", hs_state_name((int)c->state), c->bin);
    if (c->state != HS_CH_INUSE && c->state != HS_CH_MMAPPED && c->state != HS_CH_TOP) {
        char fd[48], bk[48];
        if (c->fd >> 62) snprintf(fd, sizeof fd, "bin head %llu", (unsigned long long)(c->fd & 0xffff));
        else if (c->fd) snprintf(fd, sizeof fd, "heap + 0x%llx", (unsigned long long)c->fd);
        else snprintf(fd, sizeof fd, "NULL");
        if (c->bk >> 62) snprintf(bk, sizeof bk, "bin head %llu", (unsigned long long)(c->bk & 0xffff));
        else if (c->bk) snprintf(bk, sizeof bk, "heap + 0x%llx", (unsigned long long)c->bk);
        else snprintf(bk, sizeof bk, "NULL");
        snprintf(lines[n++], sizeof lines[0], "fd  %s", fd);
        if (c->state != HS_CH_TCACHE && c->state != HS_CH_FASTBIN)
            snprintf(lines[n++], sizeof lines[0], "bk  %s", bk);
    }
    if (h->region == 1)
        snprintf(lines[n++], sizeof lines[0], "resident pages  %llu", (unsigned long long)c->resident);
    if (pinned) snprintf(lines[n++], sizeof lines[0], "(selected: click elsewhere to clear)");
    int px = fpx(sc, 18);
    float lh = px * 1.3f, w = 0;
    for (int i = 0; i < n; i++)
        w = fmaxf(w, hs_dl_text_w(&sc->dl, i ? HS_FONT_MONO : HS_FONT_BOLD, px, lines[i]));
    w += U(sc, 24);
    float hgt = n * lh + U(sc, 16);
    float x = (ui->mouse_in ? ui->mx : h->r.x + h->r.w) + U(sc, 18);
    float y = (ui->mouse_in ? ui->my : h->r.y) + U(sc, 18);
    if (pinned) x = h->r.x + h->r.w + U(sc, 18), y = h->r.y;
    if (x + w > sc->w) x = sc->w - w - U(sc, 4);
    if (y + hgt > sc->h) y = sc->h - hgt - U(sc, 4);
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    hs_rect box = hs_rect_make(x, y, w, hgt);
    hs_dl_rect(&sc->dl, box, hs_rgba(0xff, 0xff, 0xe8, 0xff));
    hs_dl_frame(&sc->dl, box, fmaxf(2, U(sc, 2.5f)), HS_C_FG);
    for (int i = 0; i < n; i++)
        hs_dl_text(&sc->dl, x + U(sc, 12), y + U(sc, 8) + i * lh, i ? HS_FONT_MONO : HS_FONT_BOLD, px,
                   HS_C_FG, lines[i]);
}

static void dim_all(hs_scene *sc)
{
    hs_dl_rect(&sc->dl, hs_rect_make(0, 0, (float)sc->w, (float)sc->h), hs_rgba(0, 0, 0, 0xa0));
}

static void draw_help(hs_scene *sc)
{
    dim_all(sc);
    int hpx = fpx(sc, 30), kpx = fpx(sc, 24);
    float lh = kpx * 1.45f;
    int n = 0;
    while (hs_help_keys[n][0]) n++;
    float w = fminf(sc->w - U(sc, 40), U(sc, 1250)), h = hpx * 2.2f + n * lh + U(sc, 90);
    if (h > sc->h - U(sc, 20)) h = sc->h - U(sc, 20);
    hs_rect b = hs_rect_make((sc->w - w) / 2, (sc->h - h) / 2, w, h);
    hs_dl_rect(&sc->dl, b, HS_C_BG);
    hs_dl_frame(&sc->dl, b, fmaxf(2, U(sc, 4)), HS_C_FG);
    float x = b.x + U(sc, 36), y = b.y + U(sc, 24);
    hs_dl_text(&sc->dl, x, y, HS_FONT_BOLD, hpx, HS_C_FG, "Keys");
    y += hpx * 1.8f;
    for (int i = 0; i < n; i++) {
        hs_dl_text_fit(&sc->dl, x, y, U(sc, 290), HS_FONT_MONO_BOLD, kpx, HS_C_FG, hs_help_keys[i][0]);
        hs_dl_text_fit(&sc->dl, x + U(sc, 310), y, w - U(sc, 380), HS_FONT_SANS, kpx, HS_C_FG,
                       hs_help_keys[i][1]);
        y += lh;
    }
    hs_dl_text_fit(&sc->dl, x, b.y + b.h - kpx * 1.9f, w - U(sc, 72), HS_FONT_SANS, fpx(sc, 20),
                   HS_C_DIM, "Press H, ? or Esc to close.  Colours: Okabe-Ito; every free state also has its own pattern.");
}

static void draw_prompt(hs_scene *sc, const hs_ui *ui)
{
    dim_all(sc);
    int hpx = fpx(sc, 28), px = fpx(sc, 24);
    float w = fminf(sc->w - U(sc, 40), U(sc, 1300)), h = hpx * 1.5f + px * 5.2f;
    hs_rect b = hs_rect_make((sc->w - w) / 2, sc->h * 0.3f, w, h);
    hs_dl_rect(&sc->dl, b, HS_C_BG);
    hs_dl_frame(&sc->dl, b, fmaxf(2, U(sc, 4)), HS_C_FG);
    float x = b.x + U(sc, 24), y = b.y + U(sc, 16);
    hs_dl_text(&sc->dl, x, y, HS_FONT_BOLD, hpx, HS_C_FG, "Open a trace");
    y += hpx * 1.5f;
    hs_rect f = hs_rect_make(x, y, w - U(sc, 48), px * 1.6f);
    hs_dl_rect(&sc->dl, f, hs_rgba(0xff, 0xff, 0xe8, 0xff));
    hs_dl_frame(&sc->dl, f, fmaxf(2, U(sc, 2)), HS_C_FG);
    /* show the end of a long path */
    const char *s = ui->prompt_text;
    float maxw = f.w - U(sc, 30);
    while (*s && hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, s) > maxw) {
        s++;
        while (((unsigned char)*s & 0xC0) == 0x80) s++;
    }
    float tw = hs_dl_text(&sc->dl, f.x + U(sc, 10), f.y + px * 0.2f, HS_FONT_MONO, px, HS_C_FG, s);
    hs_dl_rect(&sc->dl, hs_rect_make(f.x + U(sc, 12) + tw, f.y + px * 0.2f, fmaxf(2, U(sc, 3)), px * 1.2f),
               HS_C_FG);
    y += px * 2.1f;
    hs_dl_text_fit(&sc->dl, x, y, w - U(sc, 48), HS_FONT_SANS, fpx(sc, 20), HS_C_DIM,
                   "Type a path and press Enter (Esc cancels).  You can also drop a file on the window.");
}

static void draw_banner(hs_scene *sc, const hs_ui *ui)
{
    int px = fpx(sc, 22), hpx = fpx(sc, 24);
    float w = sc->w - U(sc, 80);
    float lh = px * 1.3f;
    hs_rect b = hs_rect_make(U(sc, 40), sc->title.y + sc->title.h + U(sc, 16), w,
                             hpx * 1.5f + lh * 3 + U(sc, 44));
    hs_color edge = ui->banner_kind == 1 ? HS_C_ALERT : HS_C_FG;
    hs_dl_rect(&sc->dl, b, hs_rgba(0xff, 0xff, 0xff, 0xff));
    hs_dl_frame(&sc->dl, b, fmaxf(3, U(sc, 6)), edge);
    float x = b.x + U(sc, 24), y = b.y + U(sc, 14);
    hs_dl_text(&sc->dl, x, y, HS_FONT_BOLD, hpx, edge,
               ui->banner_kind == 1 ? "\xE2\x9A\xA0 Could not open that trace" : "Note");
    y += hpx * 1.5f;
    hs_dl_text_wrap(&sc->dl, x, y, w - U(sc, 48), lh, 3, HS_FONT_MONO, px, HS_C_FG, ui->banner);
    hs_dl_text(&sc->dl, x, b.y + b.h - fpx(sc, 17) * 1.6f, HS_FONT_SANS, fpx(sc, 17), HS_C_DIM,
               "Esc or a click closes this message; the trace that was open stays open.");
}

/* ---- the frame ---- */

void hs_scene_build(hs_scene *sc, const hs_view *v, const hs_ui *ui, int w, int h)
{
    hs_dl_reset(&sc->dl);
    sc->nhits = 0;
    sc->note_warn = false;
    sc->map_differ = 0;
    sc->map_mark = hs_rect_make(0, 0, 0, 0);
    sc->w = w;
    sc->h = h;
    float u = fminf((float)w / 1920.0f, (float)h / 1080.0f);
    if (u < 0.5f) u = 0.5f;
    sc->u = u;
    memset(sc->btn, 0, sizeof sc->btn);
    hs_dl_rect(&sc->dl, hs_rect_make(0, 0, (float)w, (float)h), HS_C_BG);
    float th = U(sc, 52), tl = U(sc, 92);
    float sw = fmaxf(U(sc, 500), w * 0.26f);
    sc->title = hs_rect_make(0, 0, (float)w, th);
    sc->timeline = hs_rect_make(0, h - tl, (float)w, tl);
    float body = h - th - tl;
    sc->space = hs_rect_make(0, th, sw, body);
    float rx = sw, rw = w - sw;
    float nh = fmaxf(body * 0.34f, U(sc, 260));
    sc->narr = hs_rect_make(rx, th, rw, nh);
    float ph = fmaxf(body * 0.25f, U(sc, 190));
    sc->plots = hs_rect_make(rx, h - tl - ph, rw, ph);
    float mh = body - nh - ph;
    float mw = rw * 0.55f;
    sc->map = hs_rect_make(rx, th + nh, mw, mh);
    sc->bins = hs_rect_make(rx + mw, th + nh, rw - mw, mh);

    dritem *d = NULL;
    double brk = 0;
    size_t nd = lerp_items(v, ui, &d, &brk);
    draw_title(sc, v, ui);
    draw_narration(sc, v, ui);
    draw_space(sc, v, ui, d, nd, brk);
    draw_map(sc, v, ui, d, nd, brk);
    draw_bins(sc, v);
    draw_plots(sc, v, ui);
    draw_timeline(sc, v, ui);
    free(d);
    if (!ui->help && !ui->prompt) draw_tooltip(sc, v, ui);
    if (ui->banner[0]) draw_banner(sc, ui);
    if (ui->prompt) draw_prompt(sc, ui);
    if (ui->help) draw_help(sc);
}

void hs_scene_free(hs_scene *sc)
{
    hs_dl_free(&sc->dl);
    free(sc->hits);
    sc->hits = NULL;
    sc->nhits = sc->caphits = 0;
}

const hs_hit *hs_scene_hit(const hs_scene *sc, float x, float y)
{
    for (size_t i = sc->nhits; i-- > 0;)
        if (hs_rect_has(sc->hits[i].r, x, y)) return &sc->hits[i];
    return NULL;
}

bool hs_scene_item_box(const hs_scene *sc, int kind, int region, uint64_t addr, hs_rect *out)
{
    for (size_t i = 0; i < sc->nhits; i++)
        if (sc->hits[i].kind == kind && sc->hits[i].region == region && sc->hits[i].addr == addr) {
            *out = sc->hits[i].r;
            return true;
        }
    return false;
}

size_t hs_scene_track_step(const hs_scene *sc, const hs_view *v, float x)
{
    float x0 = sc->track.x + sc->u * 12, w = sc->track.w - sc->u * 24;
    if (w <= 0 || v->n == 0) return 0;
    double f = (x - x0) / w;
    if (f < 0) f = 0;
    if (f > 1) f = 1;
    return (size_t)lround(f * (double)v->n);
}

int hs_scene_button(const hs_scene *sc, float x, float y)
{
    for (int i = 0; i < HS_BTN_COUNT; i++)
        if (sc->btn[i].w > 0 && hs_rect_has(sc->btn[i], x, y)) return i;
    return -1;
}
