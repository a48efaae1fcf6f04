/* render/sdl_headless.c — frames without a display: SDL's software renderer on a surface.
 * Owns: hs_headless and writing PNGs (deflated on two threads, libpng's chunks) atomically: temporary file, then rename. */
#include "render.h"

#include <SDL.h>
#include <errno.h>
#include <png.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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

/* A PNG's image data (one zlib stream) is made by two threads, libpng
 * writing the chunks around it: deflating a 1920x1080 frame is
 * ~25 ms, the largest cost of a render left.  The rows are cut in two bands;
 * each is deflated on its own (the second with the first's last 32 KiB as
 * its dictionary, so it compresses as if it followed), the first ending on a
 * byte boundary (Z_SYNC_FLUSH), and the two are joined into one stream whose
 * Adler-32 is combined from theirs.  The settings are libpng's "fast" ones
 * it was written with before (zlib level 3, default strategy, filter 0 on
 * every row): the same pixels, RGBA 8-bit, a file of about the same size
 * (one IDAT chunk instead of 8 KiB ones: 0.1% smaller), other bytes. */
typedef struct png_band {
    const uint8_t *px;     /* the surface's pixels, pitch bytes a row, w wide */
    size_t pitch;
    uint32_t w, y0, y1;    /* rows [y0, y1) */
    bool last;             /* ends the stream (Z_FINISH), else Z_SYNC_FLUSH */
    uint8_t *out;          /* raw deflate data, n bytes */
    size_t n;
    uLong adler;           /* of the band's filtered rows */
    bool ok;
} png_band;

/* Row y as PNG stores it unfiltered: filter byte 0, then R, G, B, A. */
static void png_row(const png_band *b, uint32_t y, uint8_t *dst)
{
    const uint8_t *src = b->px + (size_t)y * b->pitch;
    dst[0] = 0;
    uint32_t x = 0;
#if SDL_BYTEORDER == SDL_LIL_ENDIAN
    /* two pixels at a time: R, G, B, A in memory is A<<24 | B<<16 | G<<8 | R
     * where ARGB8888 is A<<24 | R<<16 | G<<8 | B: R and B swap places */
    for (; x + 2 <= b->w; x += 2) {
        uint64_t p;
        memcpy(&p, src + 4 * (size_t)x, 8);
        p = (p & 0xff00ff00ff00ff00u) | ((p >> 16) & 0x000000ff000000ffu) |
            ((p & 0x000000ff000000ffu) << 16);
        memcpy(dst + 1 + 4 * (size_t)x, &p, 8);
    }
#endif
    for (; x < b->w; x++) {
        uint32_t p;   /* ARGB8888: a native 32-bit value */
        memcpy(&p, src + 4 * (size_t)x, 4);
        uint8_t *d = dst + 1 + 4 * (size_t)x;
        d[0] = (uint8_t)(p >> 16);
        d[1] = (uint8_t)(p >> 8);
        d[2] = (uint8_t)p;
        d[3] = (uint8_t)(p >> 24);
    }
}

/* Runs deflate on what z holds with flush, growing b->out as it fills.
 * False when out of memory or zlib refuses. */
static bool band_deflate(png_band *b, z_stream *z, size_t *cap, int flush)
{
    for (;;) {
        if (z->avail_out == 0) {
            size_t used = *cap, c = *cap * 2;
            uint8_t *q = realloc(b->out, c);
            if (!q) return false;
            b->out = q;
            *cap = c;
            z->next_out = q + used;
            z->avail_out = (uInt)(c - used);
        }
        int rc = deflate(z, flush);
        if (rc == Z_STREAM_ERROR) return false;
        if (z->avail_out != 0) return true;   /* all input taken, all output given */
    }
}

/* Deflates band b (a thread's body): b->out, b->n, b->adler, b->ok (false
 * when out of memory or zlib fails).  Returns NULL. */
static void *band_run(void *arg)
{
    png_band *b = arg;
    size_t row = 1 + 4 * (size_t)b->w, cap = 64 * 1024;
    z_stream z;
    memset(&z, 0, sizeof z);
    uint8_t *buf = NULL;
    b->ok = false;
    b->adler = adler32(0, NULL, 0);
    /* a raw stream (no zlib header: the writer puts one before the first band) */
    if (deflateInit2(&z, 3, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    uint32_t back = b->y0 < (32768 + row - 1) / row ? b->y0 : (uint32_t)((32768 + row - 1) / row);
    buf = malloc(row * (back ? back : 1));
    b->out = malloc(cap);
    if (!buf || !b->out) goto done;
    if (back) {   /* the rows before: the window the stream had there */
        for (uint32_t k = 0; k < back; k++) png_row(b, b->y0 - back + k, buf + k * row);
        size_t n = back * row, d = n < 32768 ? n : 32768;
        if (deflateSetDictionary(&z, buf + n - d, (uInt)d) != Z_OK) goto done;
    }
    z.next_out = b->out;
    z.avail_out = (uInt)cap;
    for (uint32_t y = b->y0; y < b->y1; y++) {
        png_row(b, y, buf);
        b->adler = adler32(b->adler, buf, (uInt)row);
        z.next_in = buf;
        z.avail_in = (uInt)row;
        int flush = y + 1 < b->y1 ? Z_NO_FLUSH : b->last ? Z_FINISH : Z_SYNC_FLUSH;
        if (!band_deflate(b, &z, &cap, flush)) goto done;
    }
    b->n = cap - z.avail_out;
    b->ok = true;
done:
    deflateEnd(&z);
    free(buf);
    return NULL;
}

/* Writes signature, IHDR (w x h, RGBA 8-bit), one IDAT of the n[i] bytes of
 * each part[i], IEND, to f with libpng; the IDAT's bytes are a zlib stream
 * already (libpng writes and checksums the chunks).  0, or -1 with err set
 * (a write error). */
static int png_put(FILE *f, uint32_t w, uint32_t h, const uint8_t *const *part, const size_t *n, int parts,
                   const char *path, char *err, size_t errlen)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        snprintf(err, errlen, "%s: cannot write the PNG: out of memory", path);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        snprintf(err, errlen, "%s: cannot write the PNG: %s", path, strerror(errno));
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    size_t len = 0;
    for (int i = 0; i < parts; i++) len += n[i];
    png_write_chunk_start(png, (png_const_bytep)"IDAT", (png_uint_32)len);
    for (int i = 0; i < parts; i++)
        if (n[i]) png_write_chunk_data(png, part[i], n[i]);
    png_write_chunk_end(png);
    png_write_chunk(png, (png_const_bytep)"IEND", NULL, 0);
    png_destroy_write_struct(&png, &info);
    return 0;
}

/* Writes an ARGB8888 surface to path through a temporary file in the same
 * directory; the file appears whole or not at all.  The second band is
 * deflated on a second thread when the machine has a second CPU (or
 * after the first, when a thread cannot be started).  Returns 0 or -1
 * (err: out of memory, or the file's own error). */
static int save_png(SDL_Surface *s, const char *path, char *err, size_t errlen)
{
    uint32_t w = (uint32_t)s->w, h = (uint32_t)s->h;
    int nb = h >= 64 && sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
    png_band band[2];
    memset(band, 0, sizeof band);
    for (int i = 0; i < nb; i++)
        band[i] = (png_band){s->pixels, (size_t)s->pitch, w, h * (uint32_t)i / (uint32_t)nb,
                             h * (uint32_t)(i + 1) / (uint32_t)nb, i == nb - 1, NULL, 0, 0, false};
    pthread_t th;
    bool threaded = nb > 1 && pthread_create(&th, NULL, band_run, &band[1]) == 0;
    band_run(&band[0]);
    if (threaded) pthread_join(th, NULL);
    else if (nb > 1) band_run(&band[1]);
    int rc = -1;
    bool ok = true;
    for (int i = 0; i < nb; i++) ok = ok && band[i].ok;
    if (!ok) {
        snprintf(err, errlen, "%s: cannot write the PNG: out of memory", path);
    } else {
        /* the zlib header of level 3 (32 KiB window, FLEVEL 1), the bands, the Adler-32 */
        static const uint8_t zh[2] = {0x78, 0x5e};
        uLong ad = band[0].adler;
        size_t row = 1 + 4 * (size_t)w;
        for (int i = 1; i < nb; i++)
            ad = adler32_combine(ad, band[i].adler, (z_off_t)((band[i].y1 - band[i].y0) * row));
        uint8_t za[4] = {(uint8_t)(ad >> 24), (uint8_t)(ad >> 16), (uint8_t)(ad >> 8), (uint8_t)ad};
        const uint8_t *part[4] = {zh, band[0].out, band[1].out, za};
        size_t n[4] = {2, band[0].n, band[1].n, 4};
        hs_outfile o;
        FILE *f = hs_outfile_open(&o, path, err, errlen);
        if (f && png_put(f, w, h, part, n, 4, path, err, errlen) != 0) hs_outfile_abort(&o);
        else if (f) rc = hs_outfile_commit(&o, err, errlen);
    }
    for (int i = 0; i < nb; i++) free(band[i].out);
    return rc;
}

int hs_headless_save(const hs_headless *hl, const char *path, char *err, size_t errlen)
{
    return save_png(hl->surf, path, err, errlen);
}
