/* render/scene.h — the layout and drawing of one frame, the same for the window and PNGs.
 * Owns: hs_ui (what the user set: zoom, overlay, help, ...), hs_scene (a frame's commands,
 * where each panel, chunk box and the _edata arrow landed, for hit tests and tests). */
#ifndef HS_SCENE_H
#define HS_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "../play/view.h"

#define HS_SPEEDS 6  /* 0.25, 0.5, 1, 2, 4, 8 steps per second */

typedef struct hs_ui {
    bool help;              /* help overlay shown */
    bool real_overlay;      /* real glibc values drawn over the model */
    bool playing;
    int  speed;             /* index into the speeds, default 2 (1 step/s) */
    int  map_zoom;          /* heap map: 0 fits the whole heap; each +1 halves bytes per row */
    double map_pan;         /* heap map: first row shown */
    float mx, my;           /* mouse, in output pixels */
    bool mouse_in;
    bool has_sel;           /* a chunk was clicked: its details stay shown */
    uint8_t sel_region;
    uint64_t sel_addr;
    bool prompt;            /* the "open a trace" prompt is up */
    char prompt_text[1024];
    char banner[1024];      /* a message over the window ("" for none) */
    int  banner_kind;       /* 1 error, 2 info */
    float anim_t;           /* 0..1 through the current change; 1 = still */
    hs_item *from;          /* the items before the change */
    size_t nfrom, capfrom;
    uint64_t from_brk;
    bool has_from;
} hs_ui;

/* Defaults: overlay on, paused, 1 step/s, no animation.  Never fails. */
void hs_ui_init(hs_ui *ui);
void hs_ui_free(hs_ui *ui);
/* Remembers what v shows now, so the next frame can animate from it; call
 * just before moving v.  Out of memory: the change is not animated. */
void hs_ui_anim_from(hs_ui *ui, const hs_view *v);
double hs_ui_speed(const hs_ui *ui);  /* steps per second */

enum { HS_HIT_SPACE = 0, HS_HIT_MAP = 1 };

typedef struct hs_hit {
    hs_rect r;
    uint8_t kind;     /* HS_HIT_SPACE (address-space column) or HS_HIT_MAP (heap map) */
    uint8_t region;   /* 0 heap, 1 mmap */
    uint32_t info;    /* index into hs_snap.heap / hs_snap.mm */
    uint64_t addr;
} hs_hit;

typedef enum hs_button {
    HS_BTN_START = 0, HS_BTN_BACK, HS_BTN_PLAY, HS_BTN_FWD, HS_BTN_END, HS_BTN_SPEED,
    HS_BTN_REAL, HS_BTN_PROFILE, HS_BTN_OPEN, HS_BTN_HELP, HS_BTN_COUNT
} hs_button;

typedef struct hs_scene {
    hs_dl dl;
    int w, h;
    float u;                 /* scale: 1 at 1920x1080 */
    /* panels */
    hs_rect title, narr, space, map, bins, plots, timeline, track;
    hs_rect btn[HS_BTN_COUNT];
    hs_rect map_rows;        /* the heap map's rows area (wheel and drag act here) */
    hs_rect op_text;         /* where the current op's C text was drawn */
    /* chunk boxes, heap map segments */
    hs_hit *hits;
    size_t nhits, caphits;
    /* the address-space column */
    float col_x0, col_x1;
    float heap_base_y;       /* y of heap offset 0 */
    double heap_ppb;         /* pixels per byte inside the heap */
    float mm_top_y;          /* y of the top of the mmap area */
    double mm_ppb;
    float edata_y;           /* the _edata arrow: its tip is at (edata_tip_x, edata_y) */
    float edata_tip_x, edata_tail_x;
    float real_edata_y;      /* real glibc's break, < 0 when not drawn */
    /* the heap map */
    uint64_t map_bpr;        /* bytes per row */
    float map_rh;            /* row height */
    size_t map_nrows, map_first, map_visible;
    /* heap pages whose residency differs between the model and real glibc
     * (0 when real per-page data is not shown), and the first mark drawn
     * for them in the visible rows (w 0 when none is visible) */
    uint64_t map_differ;
    hs_rect map_mark;
    bool note_warn;          /* the narration warns that the note is glibc 2.36's */
} hs_scene;

/* Lays out and draws one frame of v at w x h output pixels into sc->dl (the
 * measuring function must already be set in sc->dl).  Out of memory leaves
 * sc->dl.oom set and a partial frame. */
void hs_scene_build(hs_scene *sc, const hs_view *v, const hs_ui *ui, int w, int h);
void hs_scene_free(hs_scene *sc);

/* The chunk box or heap map segment under (x, y), or NULL. */
const hs_hit *hs_scene_hit(const hs_scene *sc, float x, float y);
/* The first box drawn for the chunk at addr in region, in view kind; false if none. */
bool hs_scene_item_box(const hs_scene *sc, int kind, int region, uint64_t addr, hs_rect *out);
/* The step under x on the timeline track (clamped to 0..n). */
size_t hs_scene_track_step(const hs_scene *sc, const hs_view *v, float x);
/* The button under (x, y), or -1. */
int hs_scene_button(const hs_scene *sc, float x, float y);

/* The help overlay's lines: key, then what it does; NULL key ends the list. */
extern const char *const hs_help_keys[][2];

#endif
