/* render/draw.c — building the drawing command list the backends execute.
 * Owns: appending commands, dashes, hatching, text fitting and wrapping, the clip stack. */
#include "draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void hs_dl_reset(hs_dl *dl)
{
    dl->n = 0;
    dl->tlen = 0;
    dl->oom = false;
    dl->nclip = 0;
    dl->panel = NULL;
    dl->panel_r = hs_rect_make(0, 0, 0, 0);
    dl->marking = false;
    dl->ncut = dl->nunmarked = 0;
}

void hs_dl_free(hs_dl *dl)
{
    free(dl->cmds);
    free(dl->text);
    dl->cmds = NULL;
    dl->text = NULL;
    dl->n = dl->cap = dl->tlen = dl->tcap = 0;
}

/* Grows *p (of *cap elements of size each) to hold need; the list's one
 * growth rule (doubling from first).  Returns false, leaving *p as it was,
 * when memory runs out. */
static bool grow(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : first;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) return false;
    *p = q;
    *cap = c;
    return true;
}

/* A new command slot, or NULL (dl->oom set) when memory runs out. */
static hs_cmd *push(hs_dl *dl, int kind)
{
    if (dl->n == dl->cap && !grow((void **)&dl->cmds, &dl->cap, dl->n + 1, sizeof *dl->cmds, 1024)) {
        dl->oom = true;
        return NULL;
    }
    hs_cmd *c = &dl->cmds[dl->n++];
    memset(c, 0, sizeof *c);
    c->kind = (uint8_t)kind;
    return c;
}

/* Copies n bytes of s into the text arena; returns its offset or UINT32_MAX. */
static uint32_t push_text(hs_dl *dl, const char *s, size_t n)
{
    if (!grow((void **)&dl->text, &dl->tcap, dl->tlen + n + 1, 1, 4096)) {
        dl->oom = true;
        return UINT32_MAX;
    }
    uint32_t off = (uint32_t)dl->tlen;
    memcpy(dl->text + off, s, n);
    dl->text[off + n] = '\0';
    dl->tlen += n + 1;
    return off;
}

hs_dl_mark hs_dl_mark_now(const hs_dl *dl)
{
    return (hs_dl_mark){dl->n, dl->tlen, dl->ncut, dl->nunmarked};
}

bool hs_dl_keep(const hs_dl *dl, hs_dl_mark m, hs_dl_kept *k)
{
    size_t n = dl->n - m.n, t = dl->tlen - m.tlen;
    k->n = k->tlen = k->ncut = k->nunmarked = 0;
    bool lost = dl->ncut > HS_CUT_MAX && dl->ncut > m.ncut;   /* a cut of it not kept */
    if (dl->oom || lost || !grow((void **)&k->cmds, &k->capn, n, sizeof *k->cmds, 64) ||
        !grow((void **)&k->text, &k->tcap, t, 1, 256))
        return false;
    if (n) memcpy(k->cmds, dl->cmds + m.n, n * sizeof *k->cmds);
    if (t) memcpy(k->text, dl->text + m.tlen, t);
    memcpy(k->cuts, dl->cuts + m.ncut, (dl->ncut - m.ncut) * sizeof *k->cuts);
    k->n = n;
    k->tlen = t;
    k->text0 = (uint32_t)m.tlen;
    k->ncut = dl->ncut - m.ncut;
    k->nunmarked = dl->nunmarked - m.nunmarked;
    return true;
}

void hs_dl_replay(hs_dl *dl, const hs_dl_kept *k)
{
    if (!grow((void **)&dl->cmds, &dl->cap, dl->n + k->n, sizeof *dl->cmds, 1024) ||
        !grow((void **)&dl->text, &dl->tcap, dl->tlen + k->tlen, 1, 4096)) {
        dl->oom = true;
        return;
    }
    hs_cmd *c = dl->cmds + dl->n;
    if (k->n) memcpy(c, k->cmds, k->n * sizeof *c);
    for (size_t i = 0; i < k->n; i++)
        if (c[i].kind == HS_CMD_TEXT) c[i].text = c[i].text - k->text0 + (uint32_t)dl->tlen;
    if (k->tlen) memcpy(dl->text + dl->tlen, k->text, k->tlen);
    dl->n += k->n;
    dl->tlen += k->tlen;
    /* the cuts as hs_dl_cut counts them: the first HS_CUT_MAX kept */
    for (size_t i = 0; i < k->ncut; i++, dl->ncut++)
        if (dl->ncut < HS_CUT_MAX) dl->cuts[dl->ncut] = k->cuts[i];
    dl->nunmarked += k->nunmarked;
}

void hs_dl_kept_free(hs_dl_kept *k)
{
    free(k->cmds);
    free(k->text);
    memset(k, 0, sizeof *k);
}

hs_color hs_color_lerp(hs_color a, hs_color b, float t)
{
    if (t <= 0) return a;
    if (t >= 1) return b;
    hs_color c = {
        (uint8_t)lroundf(a.r + (b.r - a.r) * t), (uint8_t)lroundf(a.g + (b.g - a.g) * t),
        (uint8_t)lroundf(a.b + (b.b - a.b) * t), (uint8_t)lroundf(a.a + (b.a - a.a) * t)};
    return c;
}

void hs_dl_rect(hs_dl *dl, hs_rect r, hs_color c)
{
    if (r.w <= 0 || r.h <= 0 || c.a == 0) return;
    hs_cmd *k = push(dl, HS_CMD_RECT);
    if (!k) return;
    k->c = c;
    k->x0 = r.x;
    k->y0 = r.y;
    k->x1 = r.w;
    k->y1 = r.h;
}

void hs_dl_frame(hs_dl *dl, hs_rect r, float t, hs_color c)
{
    if (r.w <= 0 || r.h <= 0) return;
    if (t * 2 >= r.w || t * 2 >= r.h) {
        hs_dl_rect(dl, r, c);
        return;
    }
    hs_dl_rect(dl, hs_rect_make(r.x, r.y, r.w, t), c);
    hs_dl_rect(dl, hs_rect_make(r.x, r.y + r.h - t, r.w, t), c);
    hs_dl_rect(dl, hs_rect_make(r.x, r.y + t, t, r.h - 2 * t), c);
    hs_dl_rect(dl, hs_rect_make(r.x + r.w - t, r.y + t, t, r.h - 2 * t), c);
}

void hs_dl_line(hs_dl *dl, float x0, float y0, float x1, float y1, float thick, hs_color c)
{
    if (c.a == 0) return;
    /* Axis-aligned lines are rects: exact on every backend. */
    if (y0 == y1) {
        float a = fminf(x0, x1), b = fmaxf(x0, x1);
        hs_dl_rect(dl, hs_rect_make(a, y0 - thick / 2, b - a, thick), c);
        return;
    }
    if (x0 == x1) {
        float a = fminf(y0, y1), b = fmaxf(y0, y1);
        hs_dl_rect(dl, hs_rect_make(x0 - thick / 2, a, thick, b - a), c);
        return;
    }
    hs_cmd *k = push(dl, HS_CMD_LINE);
    if (!k) return;
    k->c = c;
    k->x0 = x0;
    k->y0 = y0;
    k->x1 = x1;
    k->y1 = y1;
    k->thick = thick;
}

void hs_dl_dashed(hs_dl *dl, float x0, float y0, float x1, float y1, float thick, float dash,
                  hs_color c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len <= 0 || dash <= 0) return;
    for (float s = 0; s < len; s += 2 * dash) {
        float e = fminf(s + dash, len);
        hs_dl_line(dl, x0 + dx * s / len, y0 + dy * s / len, x0 + dx * e / len,
                   y0 + dy * e / len, thick, c);
    }
}

void hs_dl_tri(hs_dl *dl, float x0, float y0, float x1, float y1, float x2, float y2, hs_color c)
{
    hs_cmd *k = push(dl, HS_CMD_TRI);
    if (!k) return;
    k->c = c;
    k->x0 = x0;
    k->y0 = y0;
    k->x1 = x1;
    k->y1 = y1;
    k->x2 = x2;
    k->y2 = y2;
}

void hs_dl_hatch(hs_dl *dl, hs_rect r, int kind, float gap, float thick, hs_color c)
{
    if (r.w < 2 || r.h < 2 || gap < 2) return;
    hs_dl_push_clip(dl, r);
    float x1 = r.x + r.w, y1 = r.y + r.h;
    if (kind == 1 || kind == 3) /* "/" : from bottom-left going up-right */
        for (float s = r.x - r.h; s < x1; s += gap)
            hs_dl_line(dl, s, y1, s + r.h, r.y, thick, c);
    if (kind == 2 || kind == 3) /* "\" */
        for (float s = r.x - r.h; s < x1; s += gap)
            hs_dl_line(dl, s, r.y, s + r.h, y1, thick, c);
    if (kind == 4)
        for (float y = r.y + gap / 2; y < y1; y += gap)
            hs_dl_line(dl, r.x, y, x1, y, thick, c);
    if (kind == 5)
        for (float x = r.x + gap / 2; x < x1; x += gap)
            hs_dl_line(dl, x, r.y, x, y1, thick, c);
    if (kind == 6)
        for (float y = r.y + gap / 2; y < y1; y += gap)
            for (float x = r.x + gap / 2; x < x1; x += gap)
                hs_dl_rect(dl, hs_rect_make(x - thick, y - thick, 2 * thick, 2 * thick), c);
    hs_dl_pop_clip(dl);
}

void hs_dl_panel(hs_dl *dl, const char *name, hs_rect r)
{
    dl->panel = name;
    dl->panel_r = r;
    dl->marking = false;
}

void hs_dl_marking(hs_dl *dl, bool on) { dl->marking = on; }

void hs_dl_cut(hs_dl *dl, const char *s, size_t n)
{
    if (dl->ncut < HS_CUT_MAX) {
        hs_cut *c = &dl->cuts[dl->ncut];
        c->panel = dl->panel ? dl->panel : "?";
        c->marked = dl->marking;
        size_t k = n < sizeof c->text - 1 ? n : sizeof c->text - 1;
        while (k > 0 && k < n && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
        memcpy(c->text, s, k);
        c->text[k] = '\0';
    }
    dl->ncut++;
    if (!dl->marking) dl->nunmarked++;
}

float hs_dl_text_w(const hs_dl *dl, int font, int px, const char *s)
{
    if (!dl->width || !s || !*s) return 0;
    return (float)dl->width(dl->width_ctx, font, px, s, strlen(s));
}

static float text_wn(const hs_dl *dl, int font, int px, const char *s, size_t n)
{
    if (!dl->width || n == 0) return 0;
    return (float)dl->width(dl->width_ctx, font, px, s, n);
}

static bool c_a_visible(hs_color c) { return c.a > 0; }

float hs_dl_textn(hs_dl *dl, float x, float y, int font, int px, hs_color c, const char *s,
                  size_t n)
{
    if (!s || n == 0) return 0;
    uint32_t off = push_text(dl, s, n);
    if (off == UINT32_MAX) return 0;
    hs_cmd *k = push(dl, HS_CMD_TEXT);
    if (!k) return 0;
    k->c = c;
    k->x0 = x;
    k->y0 = y;
    k->font = (uint8_t)font;
    k->px = (uint16_t)px;
    k->text = off;
    float w = text_wn(dl, font, px, s, n);
    /* past its panel's box or the clip: the reader sees part of it */
    hs_rect b = dl->panel_r;
    if (dl->nclip > 0 && dl->nclip <= HS_CLIP_DEPTH) {
        hs_rect q = dl->clip[dl->nclip - 1];
        if (b.w <= 0) b = q;
        else {
            float x0 = fmaxf(b.x, q.x), y0 = fmaxf(b.y, q.y);
            b = hs_rect_make(x0, y0, fminf(b.x + b.w, q.x + q.w) - x0,
                             fminf(b.y + b.h, q.y + q.h) - y0);
        }
    }
    if (b.w > 0 && w > 0 && c_a_visible(c) &&
        (x < b.x - 1 || x + w > b.x + b.w + 1 || y < b.y - 1 || y + px * 1.15f > b.y + b.h + 1))
        hs_dl_cut(dl, s, n);
    return w;
}

float hs_dl_text(hs_dl *dl, float x, float y, int font, int px, hs_color c, const char *s)
{
    return s ? hs_dl_textn(dl, x, y, font, px, c, s, strlen(s)) : 0;
}

/* Length of the longest prefix of s (n bytes), cut at a UTF-8 boundary, that fits in maxw. */
static size_t fit_prefix(const hs_dl *dl, int font, int px, const char *s, size_t n, float maxw)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (text_wn(dl, font, px, s, mid) <= maxw) lo = mid;
        else hi = mid - 1;
    }
    while (lo > 0 && lo < n && ((unsigned char)s[lo] & 0xC0) == 0x80) lo--;
    return lo;
}

float hs_dl_text_fit(hs_dl *dl, float x, float y, float maxw, int font, int px, hs_color c,
                     const char *s)
{
    if (!s || !*s || maxw <= 0) return 0;
    size_t n = strlen(s);
    if (text_wn(dl, font, px, s, n) <= maxw) return hs_dl_textn(dl, x, y, font, px, c, s, n);
    static const char ell[] = "\xE2\x80\xA6"; /* … */
    float ew = text_wn(dl, font, px, ell, 3);
    if (ew > maxw) {
        hs_dl_cut(dl, s, n);
        return 0;
    }
    size_t k = fit_prefix(dl, font, px, s, n, maxw - ew);
    char buf[1024];
    if (k > sizeof buf - 4) k = sizeof buf - 4;
    memcpy(buf, s, k);
    memcpy(buf + k, ell, 4);
    hs_dl_cut(dl, s, n);
    return hs_dl_textn(dl, x, y, font, px, c, buf, k + 3);
}

/* The first line of s wrapped into w: its length (at least 1), and in
 * *para the length of its paragraph (up to a newline). */
static size_t line_len(const hs_dl *dl, int font, int px, const char *s, float w, size_t *para)
{
    const char *nl = strchr(s, '\n');
    *para = nl ? (size_t)(nl - s) : strlen(s);
    size_t k = *para;
    if (text_wn(dl, font, px, s, *para) > w) {
        k = fit_prefix(dl, font, px, s, *para, w);
        size_t sp = k;
        while (sp > 0 && s[sp] != ' ') sp--;
        if (sp > 0) k = sp;
        if (k == 0) k = 1;
    }
    return k;
}

int hs_dl_wrap_count(const hs_dl *dl, float w, int font, int px, const char *s)
{
    int lines = 0;
    while (s && *s) {
        while (*s == ' ') s++;
        if (!*s) break;
        size_t para, k = line_len(dl, font, px, s, w, &para);
        lines++;
        s += k;
        if (*s == '\n') s++;
    }
    return lines;
}

/* See draw.h. */
char *hs_one_line(const char *s, char *buf, size_t len)
{
    size_t k = 0;
    if (len == 0) return buf;
    for (; *s && k + 1 < len; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\r' && s[1] == '\n') continue;   /* CR LF: one break */
        if (ch == '\n' || ch == '\r') {
            if (k + 4 > len) break;
            memcpy(buf + k, "\xE2\x86\xB5", 3);
            k += 3;
        } else {
            buf[k++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
        }
    }
    buf[k] = '\0';
    return buf;
}

int hs_dl_text_wrap(hs_dl *dl, float x, float y, float w, float lh, int maxlines, int font,
                    int px, hs_color c, const char *s)
{
    if (!s) return 0;
    if (maxlines <= 0) {
        if (*s) hs_dl_cut(dl, s, strlen(s));
        return 0;
    }
    int lines = 0;
    while (*s && lines < maxlines) {
        while (*s == ' ') s++;
        if (!*s) break;
        size_t para, k = line_len(dl, font, px, s, w, &para);
        bool last = lines == maxlines - 1;
        bool more = s[k] != '\0' && !(s[k] == '\n' && s[k + 1] == '\0');
        if (last && more) {
            char buf[1024];
            size_t m = para < sizeof buf - 8 ? para : sizeof buf - 8;
            memcpy(buf, s, m);
            buf[m] = '\0';
            if (m < strlen(s)) strcat(buf, " \xE2\x80\xA6");
            size_t nc = dl->ncut, nu = dl->nunmarked;
            hs_dl_text_fit(dl, x, y + lines * lh, w, font, px, c, buf);
            dl->ncut = nc;  /* one cut, recorded once */
            dl->nunmarked = nu;
            hs_dl_cut(dl, s, strlen(s));
            /* the fitted text ends in "…" when cut */
            return lines + 1;
        }
        hs_dl_textn(dl, x, y + lines * lh, font, px, c, s, k);
        lines++;
        s += k;
        if (*s == '\n') s++;
    }
    return lines;
}

static hs_rect isect(hs_rect a, hs_rect b)
{
    float x0 = fmaxf(a.x, b.x), y0 = fmaxf(a.y, b.y);
    float x1 = fminf(a.x + a.w, b.x + b.w), y1 = fminf(a.y + a.h, b.y + b.h);
    return hs_rect_make(x0, y0, fmaxf(0, x1 - x0), fmaxf(0, y1 - y0));
}

static void emit_clip(hs_dl *dl)
{
    hs_cmd *k = push(dl, HS_CMD_CLIP);
    if (!k) return;
    if (dl->nclip == 0) {
        k->x1 = -1;
        return;
    }
    hs_rect r = dl->clip[dl->nclip - 1];
    k->x0 = r.x;
    k->y0 = r.y;
    k->x1 = r.w;
    k->y1 = r.h;
}

void hs_dl_push_clip(hs_dl *dl, hs_rect r)
{
    if (dl->nclip > 0) r = isect(r, dl->clip[dl->nclip - 1]);
    if (dl->nclip < HS_CLIP_DEPTH) dl->clip[dl->nclip] = r;
    dl->nclip++;
    if (dl->nclip > HS_CLIP_DEPTH) return; /* too deep: keep the outer clip */
    emit_clip(dl);
}

void hs_dl_pop_clip(hs_dl *dl)
{
    if (dl->nclip == 0) return;
    dl->nclip--;
    if (dl->nclip >= HS_CLIP_DEPTH) return;
    emit_clip(dl);
}
