/* render/sdl_backend.c — runs a drawing command list on an SDL_Renderer, text via SDL2_ttf.
 * Owns: font files and sizes, the text texture cache, clip/line/triangle translation. */
#include "sdl_backend.h"

#include <SDL_ttf.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef HS_FONT_DIR
#define HS_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

static const char *const font_files[HS_FONT_COUNT] = {
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf",
};

#define MAX_SIZES 48
#define CACHE_SLOTS 2048
#define WIDTH_SLOTS 4096

typedef struct font_slot { int font, px; TTF_Font *f; } font_slot;

typedef struct text_entry {
    uint64_t hash;
    char *s;
    int font, px;
    hs_color c;
    SDL_Texture *tex;
    int w, h;
    unsigned last;      /* frame last used */
} text_entry;

/* A measured width: the panels measure the same texts (and, fitting them,
 * the same prefixes) every frame, and shaping one costs microseconds. */
typedef struct width_entry {
    uint64_t hash;
    char *s;            /* len bytes, NULL: empty slot */
    size_t len;
    int font, px, w;
} width_entry;

struct hs_sdl {
    SDL_Renderer *r;
    char paths[HS_FONT_COUNT][1024];
    void *data[HS_FONT_COUNT];       /* each font file, mapped once: a size is opened from memory */
    size_t size[HS_FONT_COUNT];
    font_slot fonts[MAX_SIZES];
    int nfonts;
    text_entry cache[CACHE_SLOTS];
    width_entry widths[WIDTH_SLOTS];
    unsigned frame;
    bool soft;          /* SDL's software renderer: long lines are drawn in strips (line_quad) */
};

static int ttf_users;

/* Unmaps the font files.  Never fails. */
static void drop_fonts(hs_sdl *b)
{
    for (int i = 0; i < HS_FONT_COUNT; i++) {
        if (b->data[i]) munmap(b->data[i], b->size[i]);
        b->data[i] = NULL;
    }
}

/* path mapped read-only, its size in *size; NULL when it cannot be opened
 * or mapped, is not a regular file, is empty or past 2 GiB. */
static void *map_file(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    void *p = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= INT32_MAX) {
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) p = NULL;
        else *size = (size_t)st.st_size;
    }
    close(fd);
    return p;
}

/* Finds the font directory ($HEAPSIM_FONT_DIR, the built-in one, Debian's)
 * and maps its four files into memory: FreeType reads a font file through
 * many small seeks and reads, once per size opened (24,000 system calls,
 * ~25 ms, for one frame); reading the 2 MB of them whole cost ~1.5 ms of
 * copies and page faults a render, mapped only the pages FreeType reads
 * come in.  -1 with err set when no directory has them all. */
static int find_fonts(hs_sdl *b, char *err, size_t errlen)
{
    const char *dirs[] = {getenv("HEAPSIM_FONT_DIR"), HS_FONT_DIR,
                          "/usr/share/fonts/truetype/dejavu"};
    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
        if (!dirs[d] || !*dirs[d]) continue;
        int ok = 1;
        for (int i = 0; i < HS_FONT_COUNT && ok; i++) {
            snprintf(b->paths[i], sizeof b->paths[i], "%s/%s", dirs[d], font_files[i]);
            b->data[i] = map_file(b->paths[i], &b->size[i]);
            ok = b->data[i] != NULL;
        }
        if (ok) return 0;
        drop_fonts(b);
    }
    snprintf(err, errlen,
             "heapsim: cannot find the DejaVu fonts (%s/%s); install fonts-dejavu or set HEAPSIM_FONT_DIR",
             HS_FONT_DIR, font_files[0]);
    return -1;
}

hs_sdl *hs_sdl_new(SDL_Renderer *r, char *err, size_t errlen)
{
    hs_sdl *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "heapsim: out of memory");
        return NULL;
    }
    b->r = r;
    if (find_fonts(b, err, errlen) != 0) {
        free(b);
        return NULL;
    }
    if (ttf_users == 0 && TTF_Init() != 0) {
        snprintf(err, errlen, "heapsim: cannot start SDL2_ttf: %s", TTF_GetError());
        drop_fonts(b);
        free(b);
        return NULL;
    }
    ttf_users++;
    SDL_RendererInfo info;
    b->soft = SDL_GetRendererInfo(r, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return b;
}

void hs_sdl_free(hs_sdl *b)
{
    if (!b) return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (b->cache[i].tex) SDL_DestroyTexture(b->cache[i].tex);
        free(b->cache[i].s);
    }
    for (int i = 0; i < WIDTH_SLOTS; i++) free(b->widths[i].s);
    for (int i = 0; i < b->nfonts; i++) TTF_CloseFont(b->fonts[i].f);
    drop_fonts(b);   /* after the fonts that read them */
    free(b);
    if (--ttf_users == 0) TTF_Quit();
}

/* The font at a size, opened on first use; NULL if it cannot be opened. */
static TTF_Font *font_at(hs_sdl *b, int font, int px)
{
    if (font < 0 || font >= HS_FONT_COUNT) font = HS_FONT_SANS;
    if (px < 6) px = 6;
    if (px > 400) px = 400;
    for (int i = 0; i < b->nfonts; i++)
        if (b->fonts[i].font == font && b->fonts[i].px == px) return b->fonts[i].f;
    SDL_RWops *rw = SDL_RWFromConstMem(b->data[font], (int)b->size[font]);
    TTF_Font *f = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;   /* closes rw, also on failure */
    if (!f) return NULL;
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    if (b->nfonts == MAX_SIZES) {
        /* evict the oldest size; its textures stay valid */
        TTF_CloseFont(b->fonts[0].f);
        memmove(b->fonts, b->fonts + 1, (MAX_SIZES - 1) * sizeof *b->fonts);
        b->nfonts--;
    }
    b->fonts[b->nfonts].font = font;
    b->fonts[b->nfonts].px = px;
    b->fonts[b->nfonts].f = f;
    b->nfonts++;
    return f;
}

/* FNV-1a of len bytes of s, the font and the size: the key of both caches. */
static uint64_t hash_key(const char *s, size_t len, int font, int px)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    h = (h ^ (uint64_t)font) * 1099511628211ull;
    return (h ^ (uint64_t)px) * 1099511628211ull;
}

/* The width of len bytes of s in font at px, from the cache or measured by
 * SDL2_ttf (and cached); 0 when the font cannot be opened or measuring fails
 * (not cached). */
static int measure(void *ctx, int font, int px, const char *s, size_t len)
{
    hs_sdl *b = ctx;
    if (len == 0) return 0;
    if (len >= 2048) len = 2047;
    uint64_t h = hash_key(s, len, font, px);
    width_entry *e = &b->widths[h % WIDTH_SLOTS];
    if (e->s && e->hash == h && e->len == len && e->font == font && e->px == px &&
        memcmp(e->s, s, len) == 0)
        return e->w;
    TTF_Font *f = font_at(b, font, px);
    if (!f) return 0;
    char buf[2048];
    memcpy(buf, s, len);
    buf[len] = '\0';
    int w = 0, hh = 0;
    if (TTF_SizeUTF8(f, buf, &w, &hh) != 0) return 0;
    char *copy = malloc(len);
    if (copy) {   /* out of memory: measured, not kept */
        memcpy(copy, s, len);
        free(e->s);
        *e = (width_entry){.hash = h, .s = copy, .len = len, .font = font, .px = px, .w = w};
    }
    return w;
}

void hs_sdl_bind(hs_sdl *b, hs_dl *dl)
{
    dl->width = measure;
    dl->width_ctx = b;
}

static uint64_t hash_text(const char *s, int font, int px, hs_color c)
{
    uint64_t h = hash_key(s, strlen(s), font, px);
    h = (h ^ ((uint64_t)c.r << 24 | (uint64_t)c.g << 16 | (uint64_t)c.b << 8 | c.a)) *
        1099511628211ull;
    return h;
}

/* The cached texture of a text, made on a miss; NULL if it cannot be made. */
static text_entry *text_tex(hs_sdl *b, const char *s, int font, int px, hs_color c)
{
    uint64_t h = hash_text(s, font, px, c);
    size_t slot = (size_t)(h % CACHE_SLOTS);
    text_entry *e = &b->cache[slot];
    if (e->tex && e->hash == h && e->font == font && e->px == px && e->c.r == c.r &&
        e->c.g == c.g && e->c.b == c.b && e->c.a == c.a && strcmp(e->s, s) == 0) {
        e->last = b->frame;
        return e;
    }
    TTF_Font *f = font_at(b, font, px);
    if (!f) return NULL;
    SDL_Color sc = {c.r, c.g, c.b, c.a};
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, sc);
    if (!surf) return NULL;
    SDL_Texture *t = SDL_CreateTextureFromSurface(b->r, surf);
    int w = surf->w, hh = surf->h;
    SDL_FreeSurface(surf);
    if (!t) return NULL;
    char *copy = strdup(s);
    if (!copy) {
        SDL_DestroyTexture(t);
        return NULL;
    }
    if (e->tex) SDL_DestroyTexture(e->tex);
    free(e->s);
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    e->hash = h;
    e->s = copy;
    e->font = font;
    e->px = px;
    e->c = c;
    e->tex = t;
    e->w = w;
    e->h = hh;
    e->last = b->frame;
    return e;
}

static void set_color(hs_sdl *b, hs_color c)
{
    SDL_SetRenderDrawColor(b->r, c.r, c.g, c.b, c.a);
}

/* Blending an opaque colour gives the colour itself, but SDL's software
 * renderer blends pixel by pixel (about 9 ns a pixel here: 40 ms a frame
 * for the panels' backgrounds at 1920x1080) where it fills unblended ones
 * row by row: opaque rects are filled without blending, the same pixels.
 * So are opaque lines and triangles on the software renderer (which blends
 * them through a temporary surface of their box); elsewhere they blend. */
static void set_blend(SDL_Renderer *r, bool opaque)
{
    SDL_BlendMode want = opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND, now;
    if (SDL_GetRenderDrawBlendMode(r, &now) == 0 && now == want) return;
    SDL_SetRenderDrawBlendMode(r, want);
}

static void geometry(hs_sdl *b, const float *xy, int nverts, hs_color c)
{
    SDL_Vertex v[6];
    SDL_Color col = {c.r, c.g, c.b, c.a};
    for (int i = 0; i < nverts && i < 6; i++) {
        v[i].position.x = xy[2 * i];
        v[i].position.y = xy[2 * i + 1];
        v[i].color = col;
        v[i].tex_coord.x = v[i].tex_coord.y = 0;
    }
    SDL_RenderGeometry(b->r, NULL, v, nverts, NULL, 0);
}

/* Strips of STRIP pixels; a line whose box (clipped) has a shorter side
 * than STRIP_MIN is drawn whole. */
#define STRIP 16
#define STRIP_MIN 48

/* The extent in v of the convex quad (u[i], v[i]), corners in order, between
 * u = lo and u = hi; false when the quad does not reach there.  Cannot fail. */
static bool quad_span(const float *u, const float *v, float lo, float hi, float *vmin, float *vmax)
{
    float mn = INFINITY, mx = -INFINITY;
    for (int i = 0; i < 4; i++) {
        int j = (i + 1) & 3;
        if (u[i] >= lo && u[i] <= hi) mn = fminf(mn, v[i]), mx = fmaxf(mx, v[i]);
        const float cut[2] = {lo, hi};
        for (int k = 0; k < 2; k++)
            if ((u[i] - cut[k]) * (u[j] - cut[k]) < 0) {   /* the edge crosses the cut */
                float w = v[i] + (v[j] - v[i]) * (cut[k] - u[i]) / (u[j] - u[i]);
                mn = fminf(mn, w), mx = fmaxf(mx, w);
            }
    }
    if (!(mn <= mx)) return false;
    *vmin = mn;
    *vmax = mx;
    return true;
}

/* A line's quad q (six vertices: triangles 0 1 2 and 0 2 5), inside clip
 * (NULL: the w x h viewport).  SDL's software renderer tests every pixel of a
 * triangle's bounding box (clipped), through a temporary surface of that
 * size when blending: a hatch line across a 150x450 top chunk tests ~50x the
 * pixels it covers (half of a one-op frame's drawing time).  There the quad
 * is drawn once per strip of STRIP rows (columns, for a wide box), each clip
 * the strip around the quad's extent in it, 2 pixels wider on each side than
 * the truncated vertices can move: the coverage test is exact integer
 * arithmetic per pixel, whatever box it starts from, and the strips do not
 * overlap, so the same pixels are drawn the same once.  Other renderers draw
 * it whole.  Cannot fail (SDL's own failures draw less). */
static void line_quad(hs_sdl *b, const float *q, hs_color c, const SDL_Rect *clip, int w, int h)
{
    const float x[4] = {q[0], q[2], q[4], q[10]}, y[4] = {q[1], q[3], q[5], q[11]};
    float x0 = x[0], x1 = x[0], y0 = y[0], y1 = y[0];
    for (int i = 1; i < 4; i++)
        x0 = fminf(x0, x[i]), x1 = fmaxf(x1, x[i]), y0 = fminf(y0, y[i]), y1 = fmaxf(y1, y[i]);
    SDL_Rect box, lim = clip ? *clip : (SDL_Rect){0, 0, w, h};
    bool strips = b->soft && x0 > -1e6f && y0 > -1e6f && x1 < 1e6f && y1 < 1e6f;
    if (strips) {
        box.x = (int)floorf(x0) - 2;
        box.y = (int)floorf(y0) - 2;
        box.w = (int)ceilf(x1) + 2 - box.x;
        box.h = (int)ceilf(y1) + 2 - box.y;
        strips = SDL_IntersectRect(&box, &lim, &box) && box.w >= STRIP_MIN && box.h >= STRIP_MIN;
    }
    if (!strips) {
        geometry(b, q, 6, c);
        return;
    }
    bool rows = box.h >= box.w;
    const float *u = rows ? y : x, *v = rows ? x : y;
    int from = rows ? box.y : box.x, end = from + (rows ? box.h : box.w);
    for (int s = from; s < end; s += STRIP) {
        int e = s + STRIP < end ? s + STRIP : end;
        float a, z;
        if (!quad_span(u, v, (float)s - 2, (float)e + 2, &a, &z)) continue;
        int lo = (int)floorf(a) - 2, hi = (int)ceilf(z) + 2;
        SDL_Rect r = rows ? (SDL_Rect){lo, s, hi - lo, e - s} : (SDL_Rect){s, lo, e - s, hi - lo};
        if (!SDL_IntersectRect(&r, &box, &r)) continue;
        SDL_RenderSetClipRect(b->r, &r);
        geometry(b, q, 6, c);
    }
    SDL_RenderSetClipRect(b->r, clip);
}

void hs_sdl_exec(hs_sdl *b, const hs_dl *dl)
{
    SDL_RenderSetClipRect(b->r, NULL);
    SDL_Rect clip = {0, 0, 0, 0};
    bool clipped = false;
    SDL_Rect vp = {0, 0, 0, 0};   /* the drawing area, in the commands' units */
    if (b->soft) SDL_RenderGetViewport(b->r, &vp);
    int w = vp.w, h = vp.h;
    for (size_t i = 0; i < dl->n; i++) {
        const hs_cmd *k = &dl->cmds[i];
        switch (k->kind) {
        case HS_CMD_RECT: {
            SDL_FRect r = {k->x0, k->y0, k->x1, k->y1};
            set_blend(b->r, k->c.a == 255);
            set_color(b, k->c);
            SDL_RenderFillRectF(b->r, &r);
            break;
        }
        case HS_CMD_LINE: {
            float dx = k->x1 - k->x0, dy = k->y1 - k->y0, len = sqrtf(dx * dx + dy * dy);
            if (len <= 0) break;
            float t = k->thick < 1 ? 1 : k->thick;
            float nx = -dy / len * t / 2, ny = dx / len * t / 2;
            float q[12] = {k->x0 + nx, k->y0 + ny, k->x1 + nx, k->y1 + ny, k->x1 - nx, k->y1 - ny,
                           k->x0 + nx, k->y0 + ny, k->x1 - nx, k->y1 - ny, k->x0 - nx, k->y0 - ny};
            set_blend(b->r, b->soft && k->c.a == 255);
            line_quad(b, q, k->c, clipped ? &clip : NULL, w, h);
            break;
        }
        case HS_CMD_TRI: {
            float q[6] = {k->x0, k->y0, k->x1, k->y1, k->x2, k->y2};
            set_blend(b->r, b->soft && k->c.a == 255);
            geometry(b, q, 3, k->c);
            break;
        }
        case HS_CMD_TEXT: {
            const char *s = dl->text + k->text;
            if (!*s) break;
            text_entry *e = text_tex(b, s, k->font, k->px, k->c);
            if (!e) break;
            SDL_Rect dst = {(int)lroundf(k->x0), (int)lroundf(k->y0), e->w, e->h};
            SDL_RenderCopy(b->r, e->tex, NULL, &dst);
            break;
        }
        case HS_CMD_CLIP: {
            if (k->x1 < 0) {
                SDL_RenderSetClipRect(b->r, NULL);
                clipped = false;
            } else {
                int x0 = (int)floorf(k->x0), y0 = (int)floorf(k->y0);
                int x1 = (int)ceilf(k->x0 + k->x1), y1 = (int)ceilf(k->y0 + k->y1);
                SDL_Rect r = {x0, y0, x1 - x0 > 0 ? x1 - x0 : 1, y1 - y0 > 0 ? y1 - y0 : 1};
                if (k->x1 <= 0 || k->y1 <= 0) r.x = -10, r.y = -10, r.w = r.h = 1;
                SDL_RenderSetClipRect(b->r, &r);
                clip = r;
                clipped = true;
            }
            break;
        }
        }
    }
    SDL_RenderSetClipRect(b->r, NULL);
    set_blend(b->r, false);
}

void hs_sdl_end_frame(hs_sdl *b)
{
    b->frame++;
    if (b->frame % 64) return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        text_entry *e = &b->cache[i];
        if (e->tex && b->frame - e->last > 120) {
            SDL_DestroyTexture(e->tex);
            free(e->s);
            memset(e, 0, sizeof *e);
        }
    }
}
