/* render/sdl_headless.c — frames without a display: SDL's software renderer on a surface.
 * Owns: hs_headless and writing PNGs (libpng) atomically: temporary file, then rename. */
#include "render.h"

#include <SDL.h>
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sdl_backend.h"
#include "loader/outfile.h"
#include "play/bigmem.h"

struct hs_headless {
    int w, h;
    void *px;           /* the canvas's pixels (hs_big_alloc: the first frame touches every
                         * page), NULL: SDL's own */
    SDL_Surface *surf;
    SDL_Renderer *r;
    hs_sdl *b;
    hs_scene sc;
    hs_ui defaults;
};

bool hs_parse_size(const char *s, int *w, int *h)
{
    if (!s) return false;
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X') || errno) return false;
    const char *p = end + 1;
    long b = strtol(p, &end, 10);
    if (end == p || *end || errno) return false;
    if (a < 16 || b < 16 || a > 16384 || b > 16384) return false;
    *w = (int)a;
    *h = (int)b;
    return true;
}

hs_headless *hs_headless_new(int w, int h, char *err, size_t errlen)
{
    if (w < 16 || h < 16 || w > 16384 || h > 16384) {
        snprintf(err, errlen, "heapsim: size %dx%d out of range (16..16384)", w, h);
        return NULL;
    }
    hs_headless *hl = calloc(1, sizeof *hl);
    if (!hl) {
        snprintf(err, errlen, "heapsim: out of memory");
        return NULL;
    }
    hl->w = w;
    hl->h = h;
    hl->px = hs_big_alloc((size_t)w * h * 4);
    if (hl->px)
        hl->surf = SDL_CreateRGBSurfaceWithFormatFrom(hl->px, w, h, 32, w * 4, SDL_PIXELFORMAT_ARGB8888);
    else
        hl->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (hl->surf) hl->r = SDL_CreateSoftwareRenderer(hl->surf);
    if (!hl->surf || !hl->r) {
        snprintf(err, errlen, "heapsim: cannot make a %dx%d canvas: %s", w, h, SDL_GetError());
        hs_headless_free(hl);
        return NULL;
    }
    hl->b = hs_sdl_new(hl->r, err, errlen);
    if (!hl->b) {
        hs_headless_free(hl);
        return NULL;
    }
    hs_sdl_bind(hl->b, &hl->sc.dl);
    hs_ui_init(&hl->defaults);
    return hl;
}

void hs_headless_free(hs_headless *hl)
{
    if (!hl) return;
    hs_scene_free(&hl->sc);
    hs_ui_free(&hl->defaults);
    hs_sdl_free(hl->b);
    if (hl->r) SDL_DestroyRenderer(hl->r);
    if (hl->surf) SDL_FreeSurface(hl->surf);
    hs_big_free(hl->px, (size_t)hl->w * hl->h * 4);
    free(hl);
}

const hs_scene *hs_headless_draw(hs_headless *hl, const hs_view *v, const hs_ui *ui)
{
    hs_scene_build(&hl->sc, v, ui ? ui : &hl->defaults, hl->w, hl->h);
    hs_sdl_exec(hl->b, &hl->sc.dl);
    SDL_RenderPresent(hl->r);
    hs_sdl_end_frame(hl->b);
    return &hl->sc;
}

const hs_scene *hs_headless_layout(hs_headless *hl, const hs_view *v, const hs_ui *ui)
{
    hs_scene_build(&hl->sc, v, ui ? ui : &hl->defaults, hl->w, hl->h);
    return &hl->sc;
}

void hs_headless_plain_runs(hs_headless *hl, bool on)
{
    hl->sc.runs_off = !on;
}

hs_color hs_headless_pixel(const hs_headless *hl, int x, int y)
{
    hs_color c = {0, 0, 0, 0};
    if (x < 0 || y < 0 || x >= hl->w || y >= hl->h) return c;
    const uint8_t *row = (const uint8_t *)hl->surf->pixels + (size_t)y * hl->surf->pitch;
    uint32_t p;
    memcpy(&p, row + 4 * (size_t)x, 4);
    SDL_GetRGBA(p, hl->surf->format, &c.r, &c.g, &c.b, &c.a);
    return c;
}

/* Writes an ARGB8888 surface to path through a temporary file in the same
 * directory; the file appears whole or not at all.  Returns 0 or -1 (err). */
static int save_png(SDL_Surface *s, const char *path, char *err, size_t errlen)
{
    hs_outfile o;
    FILE *f = hs_outfile_open(&o, path, err, errlen);
    if (!f)
        return -1;
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)s->w;
    img.height = (png_uint_32)s->h;
    /* ARGB8888 is B, G, R, A in memory on little-endian machines */
    img.format = SDL_BYTEORDER == SDL_LIL_ENDIAN ? PNG_FORMAT_BGRA : PNG_FORMAT_ARGB;
    /* speed over size: zlib level 3 (libpng's "fast"), no per-row filter search (a 1920x1080
     * frame: ~50 ms less, the file ~1.5x larger) */
    img.flags = PNG_IMAGE_FLAG_FAST;
    if (!png_image_write_to_stdio(&img, f, 0, s->pixels, s->pitch, NULL)) {
        snprintf(err, errlen, "%s: cannot write the PNG: %s", path, img.message);
        hs_outfile_abort(&o);
        return -1;
    }
    return hs_outfile_commit(&o, err, errlen);
}

int hs_headless_save(const hs_headless *hl, const char *path, char *err, size_t errlen)
{
    return save_png(hl->surf, path, err, errlen);
}
