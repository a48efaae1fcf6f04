/* render/render.h — what the app and the tests use of render/: headless frames and the window.
 * Owns: hs_headless (draw a step into memory, save it as a PNG) and hs_gui_run (the window). */
#ifndef HS_RENDER_H
#define HS_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "../loader/trace.h"
#include "../sim/sim.h"
#include "draw.h"
#include "scene.h"
#include "../play/view.h"

/* ---- headless: no display, no GPU (SDL's software renderer on a surface) ---- */

typedef struct hs_headless hs_headless;

/* A w x h canvas with the fonts loaded.  Returns NULL and fills err when the
 * size is out of range (16..16384), memory runs out or a font is missing. */
hs_headless *hs_headless_new(int w, int h, char *err, size_t errlen);
void hs_headless_free(hs_headless *hl);
/* Draws v as the window would show it with ui (NULL: defaults, no animation).
 * Returns the frame's layout (valid until the next draw), never NULL; an
 * out-of-memory frame is incomplete and sets the layout's dl.oom. */
const hs_scene *hs_headless_draw(hs_headless *hl, const hs_view *v, const hs_ui *ui);
/* The same frame's layout and command list without drawing its pixels (for
 * tests that read the scene only, e.g. its clipping report). */
const hs_scene *hs_headless_layout(hs_headless *hl, const hs_view *v, const hs_ui *ui);
/* Tests: off, the passes draw every chunk on its own, never a plain run of
 * chunks drawn as at rest at once (the picture must be the same).  Never fails. */
void hs_headless_plain_runs(hs_headless *hl, bool on);
/* The colour of one pixel of the last frame (transparent black outside). */
hs_color hs_headless_pixel(const hs_headless *hl, int x, int y);
/* Writes the last frame to path as a PNG: to a temporary file beside it, then
 * renamed, so path is never half-written.  Returns 0, or -1 with err filled. */
int hs_headless_save(const hs_headless *hl, const char *path, char *err, size_t errlen);

/* ---- the window ---- */

/* One glibc version the window can switch to (V): its profile and how to
 * replay on it, found by app/ (app/glibc.c) as hs_gui_opts' replayer, ldso,
 * libpath, real_version and real_err are for the version it starts on. */
typedef struct hs_gui_glibc {
    hs_profile profile;
    const char *replayer, *ldso, *libpath, *version, *err;
} hs_gui_glibc;

typedef struct hs_gui_opts {
    hs_profile profile;
    int w, h;              /* 0: pick from the display */
    bool fullscreen;
    bool present;          /* start in presenter mode (--present) */
    bool real;             /* run real glibc in the background (default true) */
    const char *replayer;  /* heapsim-replay, found by app/ (hs_app_replayer, or the one for
                              the chosen glibc: hs_app_glibc_real) */
    /* The real glibc replayed (app/glibc.c): ldso and libpath for a version
     * other than the machine's (NULL: the machine's own), its version for the
     * window's words; real_err: why that version cannot be replayed (the
     * window shows it instead of real data), NULL when it can. */
    const char *ldso, *libpath, *real_version, *real_err;
    uint32_t real_sample;  /* --sample N for the real replay; 0: its default (real/real.h) */
    /* Every version V cycles through (2.31, 2.36, 2.41), in that order;
     * n_glibcs 0: V says the version cannot be switched. */
    const hs_gui_glibc *glibcs;
    size_t n_glibcs;
    const char *open_dir;  /* the lessons folder (traces/); the O prompt opens empty */
    /* The lessons L / Shift+L step through, in class order (app/lessons.c
     * reads traces/lessons.txt); n_lessons 0: L shows lessons_err. */
    const char *const *lessons;
    const char *const *lesson_names;  /* their file names, for the list (L) */
    size_t n_lessons;
    const char *lessons_err;
    /* A lesson's title for the list, "Title (N steps)", read by app/ when
     * the list is first shown; a lesson that does not load says why. */
    void (*lesson_title)(const char *path, char *buf, size_t len);
    /* The machine, read by app/: the kernel's largest single grant (for
     * the model), and how the window opens a trace file (L, O); it returns
     * NULL with err set when the file does not load or memory runs out. */
    hs_machine_facts machine;   /* the machine's facts the model follows (app/ reads them) */
    hs_view *(*open_view)(const char *path, hs_profile profile, char *err, size_t errlen);
    /* The allocators C compares (and whose first, glibc, M reads the
     * mappings of), found by app/ (app/alloc.c), replayed by
     * compare_replayer; allocator_is: app/'s check that a replay got the
     * malloc asked for.  n_allocs 0: C and M say why (alloc_err). */
    const hs_alloc_target *allocs;
    size_t n_allocs;
    const char *compare_replayer, *alloc_err;
    bool (*allocator_is)(const hs_real_info *info, const char *preload);
} hs_gui_opts;

/* Opens the window on t (taking ownership; path is its file name) and runs it
 * until the user quits.  Returns 0, or 2 after printing why to stderr when no
 * window can be opened (no display: it points to `heapsim render`). */
int hs_gui_run(hs_trace *t, const char *path, const hs_gui_opts *opts);

/* Parses "WxH" (each 16..16384); returns false on anything else. */
bool hs_parse_size(const char *s, int *w, int *h);

#endif
