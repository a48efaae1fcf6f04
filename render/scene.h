/* render/scene.h — the layout and drawing of one frame, the same for the window and PNGs.
 * Owns: hs_ui (what the user set: zoom, overlay, help, ...), hs_scene (a frame's commands,
 * where each panel, chunk box and the _edata arrow landed, for hit tests and tests). */
#ifndef HS_SCENE_H
#define HS_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "../play/find.h"
#include "../play/vdiff.h"
#include "../play/view.h"
#include "../play/allocs.h"

/* Presenter mode's type, over the usual sizes: the Why text and the
 * threshold labels then are at least as large as the usual narration. */
#define HS_PRESENT_TEXT 1.4f
#define HS_SPEEDS 6  /* 0.25, 0.5, 1, 2, 4, 8 steps per second */
#define HS_BIN_MORE_MAX 64   /* the bins' "… +N" marks a frame keeps for the pointer (one per row at most) */

typedef struct hs_ui {
    bool help;              /* help overlay shown */
    bool present;           /* presenter mode (P, --present): big type, fewer panels */
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
    uint32_t follow_id;     /* the id followed (clicked, or found with G): its chunk's details
                               and history stay shown while stepping; HS_NO_ID: none */
    bool prompt;            /* a prompt is up: open a trace (prompt_kind 0) or go to / find (1) */
    int  prompt_kind;
    char prompt_text[1024];
    size_t prompt_cur;      /* the prompt's cursor: a byte offset, on a UTF-8 boundary */
    char banner[1024];      /* a message over the window ("" for none) */
    int  banner_kind;       /* HS_BANNER_*: what the message is (its heading) */
    /* the lesson list (L): names and titles handed down by the window,
     * list_cur the lesson on screen (list_n if none), lesson_sel the row chosen */
    bool lessons;
    const char *const *list_names;
    const char *const *list_titles;
    size_t list_n, list_cur, lesson_sel;
    /* the "what differs" panel (D): the rows of the trace on the profile
     * shown and on another version, built by the window (or `render
     * --diff-glibc`) and handed down; diff_sel the row chosen */
    bool diff;
    const hs_vdiff_list *diff_list;
    size_t diff_sel;
    int  plot_sel;          /* the plot N / Shift+N search (HS_SER_*; RSS at first); a click picks one */
    int  narr_scroll;       /* narration: lines scrolled past (wheel over it); 0 on each step */
    float anim_t;           /* 0..1 through the current change; 1 = still */
    hs_item *from;          /* the items before the change */
    size_t nfrom, capfrom;
    uint64_t from_gen;      /* the snapshot (hs_snap.gen) from was copied from, 0: unknown (then
                               each frame matches from and the snapshot again, render/anim.c) */
    uint64_t from_brk;
    bool has_from;
    /* the allocators side by side (C: their RSS and fault curves in the plots'
     * place) and the measured mappings (M: glibc's smaps and statm in the heap
     * map's place); allocs is the job measuring them, handed down by the
     * window (or `render --compare/--smaps`), NULL: not real mode */
    bool compare, smaps;
    const hs_allocs *allocs;
} hs_ui;

/* Defaults: overlay on, paused, 1 step/s, no animation.  Never fails. */
void hs_ui_init(hs_ui *ui);
void hs_ui_free(hs_ui *ui);
/* Remembers what v shows now, so the next frame can animate from it; call
 * just before moving v.  Out of memory: the change is not animated. */
void hs_ui_anim_from(hs_ui *ui, const hs_view *v);
double hs_ui_speed(const hs_ui *ui);  /* steps per second */

/* ---- keys (render/ui.c): platform events in, commands out ----
 * The window translates its key events into hs_key and runs the command
 * hs_ui_key returns; everything that changes hs_ui alone happens here, so
 * key behaviour is tested without a display (tests/render/test_ui.c). */
typedef enum hs_key {
    HS_KEY_OTHER = 0, HS_KEY_ESCAPE, HS_KEY_RETURN, HS_KEY_BACKSPACE, HS_KEY_SPACE,
    HS_KEY_RIGHT, HS_KEY_LEFT, HS_KEY_UP, HS_KEY_DOWN, HS_KEY_HOME, HS_KEY_END,
    HS_KEY_PAGEUP, HS_KEY_PAGEDOWN, HS_KEY_PLUS, HS_KEY_MINUS, HS_KEY_0,
    HS_KEY_LBRACKET, HS_KEY_RBRACKET, HS_KEY_SLASH, HS_KEY_QUESTION,
    HS_KEY_F, HS_KEY_H, HS_KEY_L, HS_KEY_O, HS_KEY_Q, HS_KEY_R, HS_KEY_S, HS_KEY_T,
    HS_KEY_U, HS_KEY_V, HS_KEY_DELETE, HS_KEY_N, HS_KEY_G, HS_KEY_PERIOD, HS_KEY_COMMA, HS_KEY_P,
    HS_KEY_D, HS_KEY_C, HS_KEY_M,
    HS_KEY_A,
} hs_key;
enum { HS_MOD_SHIFT = 1, HS_MOD_CTRL = 2 };

typedef enum hs_action {
    HS_ACT_NONE = 0,      /* done (hs_ui changed, or nothing to do) */
    HS_ACT_QUIT,
    HS_ACT_BUTTON,        /* press button arg (hs_button) */
    HS_ACT_ZOOM,          /* heap map zoom by arg (+1 / -1) around the pointer (or the middle) */
    HS_ACT_SAVE_PNG,
    HS_ACT_FULLSCREEN,    /* toggle */
    HS_ACT_LESSON,        /* next (arg 1) / previous (arg -1) lesson */
    HS_ACT_OPEN,          /* open the trace at path (the prompt's text) */
    HS_ACT_PASTE,         /* append the clipboard to the prompt (hs_ui_prompt_append) */
    HS_ACT_BIG_CHANGE,    /* next (arg 1) / previous (arg -1) big change of plot ui->plot_sel */
    HS_ACT_FIND,          /* go to / find the prompt's text (path) */
    HS_ACT_TOUCH,         /* next (arg 1) / previous (arg -1) step touching ui->follow_id */
    HS_ACT_OPEN_LESSON,   /* open lesson arg of the list */
    HS_ACT_DIFF,          /* the "what differs" panel: open it (arg 0, the version compared
                             last, else the next one), or compare with the next (1) / previous
                             (-1) other version */
    HS_ACT_GOTO_STEP,     /* go to step arg (a row of the "what differs" panel) */
    HS_ACT_VERSION,       /* switch to the next (arg 1) / previous (arg -1) glibc version */
    HS_ACT_ALLOCS,        /* ui->compare or ui->smaps was switched on: measure the allocators
                             (start the job once per trace) */
    HS_ACT_ARENA,         /* heap map and bins: the next (arg 1) / previous (arg -1) arena
                             (hs_view_cycle_arena: following the op's thread, then each arena) */
} hs_action;

typedef struct hs_ui_cmd {
    hs_action act;
    int arg;
    bool swallow_text;    /* the key's text event ("o") must not reach the prompt */
    char path[1024];      /* HS_ACT_OPEN */
} hs_ui_cmd;

/* What key k (with HS_MOD_* mods) does: changes *ui where that is all it
 * does and returns the command left for the window.  map_visible and
 * map_nrows are the heap map's rows as last drawn (hs_scene).  Never fails. */
hs_ui_cmd hs_ui_key(hs_ui *ui, hs_key k, unsigned mods, size_t map_visible, size_t map_nrows);
/* Zooms the heap map by dz (+1: half the bytes per row, down to 64; -1:
 * twice; zoom 0 fits the whole heap) keeping the byte under the pointer
 * under it: bpr and first are the map as last drawn (hs_scene), at_row the
 * pointer's row counted from the first row shown (fractional), at_x how far
 * along that row (0..1).  The pan is clamped at 0 only (hs_ui_clamp_pan
 * does the rest).  Never fails. */
void hs_ui_zoom(hs_ui *ui, int dz, uint64_t bpr, size_t first, double at_row, double at_x);
/* Keeps the heap map's first row within its rows.  Never fails. */
void hs_ui_clamp_pan(hs_ui *ui, size_t map_visible, size_t map_nrows);
/* Inserts UTF-8 text at the prompt's cursor, cut to fit.  Never fails. */
void hs_ui_prompt_append(hs_ui *ui, const char *text);
/* Opens the prompt empty (a path is typed from the current folder).  Never fails. */
void hs_ui_prompt_open(hs_ui *ui);
/* Opens the go to / find prompt empty (G).  Never fails. */
void hs_ui_find_open(hs_ui *ui);

enum { HS_HIT_SPACE = 0, HS_HIT_MAP = 1, HS_HIT_BIN = 2, HS_HIT_ARENA = 3 };

typedef struct hs_hit {
    hs_rect r;
    uint8_t kind;     /* HS_HIT_SPACE (address-space column), HS_HIT_MAP (heap map), HS_HIT_BIN (bins
                         panel entry), HS_HIT_ARENA (an arena's heap in the column: a click shows it) */
    uint8_t region;   /* 0 heap, 1 mmap, 2 the shown arena's heap (hs_view_sel_snap) */
    uint16_t n;       /* the chunks it stands for: 1, or a run of the n current heap chunks
                         that end (info, addr) in address order (hs_scene.dr): one pixel row of
                         the address-space column (the last is on top), or the chunks a heap
                         map column passes over (each its box, 1 px wide, x where it starts) */
    uint32_t info;    /* index into hs_snap.heap / hs_snap.mm; HS_HIT_ARENA: the arena */
    uint64_t addr;
} hs_hit;

/* hs_ui.banner_kind */
enum {
    HS_BANNER_OPEN_FAILED = 1,   /* a trace did not open (the one open stays) */
    HS_BANNER_NOTE = 2,          /* a note: a PNG saved, the arena shown */
    HS_BANNER_NOT_FOUND = 3,     /* G or . / , found nothing */
    HS_BANNER_FAILED = 4,        /* a key's action failed (out of memory, no other glibc) */
};

typedef enum hs_button {
    HS_BTN_START = 0, HS_BTN_BACK, HS_BTN_PLAY, HS_BTN_FWD, HS_BTN_END, HS_BTN_SPEED,
    HS_BTN_REAL, HS_BTN_PROFILE, HS_BTN_OPEN, HS_BTN_HELP, HS_BTN_COUNT
} hs_button;

/* The glide's matches (render/anim.c alone writes, reads and frees them): the
 * glide is the 350 ms animation from the items before a change (hs_ui.from) to
 * the snapshot's.  Made on its first frame, kept for the rest.  Keyed by the
 * snapshot (its hs_snap.gen and item count n) and the snapshot ui->from was
 * copied from (ui->from_gen, its item count nfrom): stale when any of the four
 * differs; gen 0: none kept (being made, or out of memory).  All zero: empty
 * (hs_anim_free frees and empties it).  While kept:
 *   match[i] (i < n) is 0 (item i grows) or 1 + the index in ui->from of the
 *   item it continues, no index twice; gone[0, ngone) are ui->from's indices
 *   no match names, ascending (they fade out, drawn first: dr[0, ngone));
 *   pr[0, 3 npr) are plain runs as hs_runs.pr (indices in dr): heap chunks that
 *   continue one with the same bounds and state; when cap_same >= n, same[k]
 *   of a run's chunk k is where (in dr) the stretch of its state ends, at most
 *   its run's end. */
typedef struct hs_glide {
    size_t *match, *gone, *pr, *same;
    size_t n, nfrom, ngone, npr;
    size_t cap_match, cap_gone, cap_pr, cap_same;
    uint64_t gen, from;
} hs_glide;

/* A frame's plain runs (render/anim.c sets them with the items each frame; the
 * column, the heap map and the hit boxes read them): [pr[3k], pr[3k+1]) of dr,
 * pr[3k+2] the widest's bytes, current heap chunks in address order drawn as at
 * rest.  A still frame's is the one run [0, dr_plain) (in still); a glide's
 * (hs_glide.pr) leave out what moves, grows, changes state or fades.  h0..h1:
 * the current heap's chunks in dr (hit boxes standing for a run are read there,
 * by address).  same: a glide's hs_glide.same (indexed from h0), NULL: none. */
typedef struct hs_runs {
    const size_t *pr, *same;   /* into still or the glide's */
    size_t n, h0, h1, still[3];
} hs_runs;

typedef struct hs_scene {
    hs_dl dl;
    int w, h;
    float u;                 /* scale: 1 at 1920x1080 */
    float ts;                /* text scale over u: 1, HS_PRESENT_TEXT in presenter mode */
    /* panels */
    hs_rect title, narr, space, map, bins, plots, timeline, track;
    hs_rect btn[HS_BTN_COUNT];
    hs_rect map_rows;        /* the heap map's rows area (wheel and drag act here) */
    hs_rect op_text;         /* where the current op's C text was drawn */
    hs_rect title_cut;       /* where the trace's title was drawn cut (it ends with "…": the
                                pointer over it shows it whole); w 0: drawn whole */
    hs_rect key_cut;         /* the allocators' key (C) when a window too small for it cut it (the
                                pointer over it shows it whole, hs_draw_compare_tip); w 0: whole */
    hs_rect smaps_more;      /* the mappings table's "+N more mappings" line (M): the pointer over
                                it lists them (hs_draw_smaps_tip); w 0: every mapping shown */
    uint32_t smaps_shown;    /* the mappings the table shows, the first ones */
    /* the bins' marks (render/bins.c): a row's "… +N" (bin: its index in the
     * snapshot's bins, from: the first entry left out) or a family's "+N more
     * bins" (bin UINT32_MAX, fam, from: the first of its bins left out); the
     * pointer over one lists what it stands for (hs_bins_more_lines) */
    struct hs_bin_more { hs_rect r; uint32_t bin, from; int fam; } bin_more[HS_BIN_MORE_MAX];
    uint32_t nbin_more;
    hs_rect heaps_more;      /* the address column's "+N more heaps" line: the pointer over it lists
                                them (hs_heaps_more_lines); w 0: every arena heap drawn */
    uint32_t heaps_from, heaps_shown;   /* the arena heaps drawn: v->rsv[from .. from + shown) */
    /* chunk boxes, heap map segments */
    hs_hit *hits;
    size_t nhits, caphits;
    /* the chunks this frame draws (render/anim.c writes them and frees them, hs_anim_free),
     * kept from frame to frame; the first dr_plain are the current heap's chunks in address
     * order, not animated (the panels pass over those a pixel holds many of quickly) */
    struct dritem *dr;
    size_t capdr, dr_plain, ndr;
    uint64_t dr_gen;         /* the snapshot (hs_snap.gen) dr holds, still; 0: none */
    size_t dr_top;           /* the index in dr of the current heap's top chunk (the last), ndr: none */
    bool dr_any_mm;          /* whether dr holds a current mapping */
    bool dr_glide;           /* dr holds a frame of the glide whose matches are kept (glide) */
    hs_glide glide;          /* the glide's matches, kept from its first frame to its last */
    hs_runs runs;            /* this frame's plain runs of dr */
    bool runs_off;           /* tests (hs_headless_plain_runs): no plain runs */
    struct hs_memo *memo;    /* the chunk passes' output kept for still frames (render/memo.c) */
    /* the address-space column */
    float col_x0, col_x1;
    float heap_base_y;       /* y of heap offset 0 */
    double heap_ppb;         /* pixels per byte inside the heap (of chunks drawn to scale) */
    /* heap offset -> y (hs_scene_heap_y): to scale at heap_ppb, except that a
     * chunk smaller than heap_min_h pixels is drawn heap_min_h tall and marked
     * "//" (heap_enlarged counts them; 0: the whole heap is to scale).  The
     * breakpoints are the current chunks' bounds, hy_off ascending (render/space.c
     * makes them, hs_space_free frees them). */
    double *hy_off;
    float *hy_y;
    size_t nhy, caphy;
    size_t heap_enlarged;
    float heap_min_h;
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
    float narr_split;        /* the note column's share of the narration's width: 0.62, less when the
                                Why needs the room (hs_narration_need chooses it) */
    struct hs_narr_memo {    /* hs_narration_need's last answer and what it depended on */
        bool ok;
        uint64_t gen;
        size_t step, real_n;
        int profile, real_state;
        bool overlay;
        float w, room, u, ts, split, need;
    } narr_memo;
    int narr_more;           /* narration lines out of sight (scroll marks shown), 0: all shown */
    hs_rect plot_c[HS_SER_COUNT];  /* each plot's chart (w 0: not drawn) */
    hs_rect list_rows;       /* the lesson list's rows (w 0: not shown) */
    float list_rh;
    size_t list_first;
    hs_rect diff_rows;       /* the "what differs" panel's rows (w 0: not shown) */
    float diff_rh;
    size_t diff_first;
} hs_scene;

/* Lays out and draws one frame of v at w x h output pixels into sc->dl (the
 * measuring function must already be set in sc->dl).  Out of memory leaves
 * sc->dl.oom set and a partial frame. */
void hs_scene_build(hs_scene *sc, const hs_view *v, const hs_ui *ui, int w, int h);
void hs_scene_free(hs_scene *sc);

/* The y of heap offset off in the address-space column of the last frame
 * (to scale, or stretched where small chunks were drawn taller).  Never fails. */
float hs_scene_heap_y(const hs_scene *sc, double off);
/* Whether a hit box of the last frame (a chunk box, heap map segment, bin entry
 * or arena heap) is under (x, y): then *out is the top one, a heap map run's
 * told of the chunk under the pointer alone (n 1, its own box); false (*out
 * unset) when none is.  Never fails. */
bool hs_scene_hit(const hs_scene *sc, float x, float y, hs_hit *out);
/* The first box drawn for the chunk at addr in region, in view kind; false if none. */
bool hs_scene_item_box(const hs_scene *sc, int kind, int region, uint64_t addr, hs_rect *out);
/* Whether hit h of the last frame is (or, a run, stands for) the chunk at
 * addr in region; then *out (if not NULL) is h told of that chunk alone
 * (n 1, its info and addr).  Never fails. */
bool hs_hit_covers(const hs_scene *sc, const hs_hit *h, int region, uint64_t addr, hs_hit *out);
/* The step under x on the timeline track (clamped to 0..n). */
size_t hs_scene_track_step(const hs_scene *sc, const hs_view *v, float x);
/* The plot and step under (x, y) (a chart, or within 4 px of it); false
 * when it is over no chart. */
bool hs_scene_plot_at(const hs_scene *sc, const hs_view *v, float x, float y, int *plot,
                      size_t *step);
/* The trace id of a hit's chunk: its own, or for a free heap chunk the id
 * it last had; HS_NO_ID if none.  info UINT32_MAX: found by address.
 * Never fails. */
uint32_t hs_hit_id(const hs_view *v, const hs_hit *h);
/* hs_hit_id, with the step that began the chunk's lifetime into *since when
 * that is a former one (a free chunk's name may be another chunk's now),
 * else 0 (the name's current lifetime).  since may be NULL.  Never fails. */
uint32_t hs_hit_lifetime(const hs_view *v, const hs_hit *h, size_t *since);
/* The "what differs" panel's row under (x, y) (0..nrows-1), or -1. */
int hs_scene_diff_at(const hs_scene *sc, const hs_ui *ui, float x, float y);
/* The lesson list's row under (x, y) (0..list_n-1), or -1. */
int hs_scene_lesson_at(const hs_scene *sc, const hs_ui *ui, float x, float y);
/* The button under (x, y), or -1. */
int hs_scene_button(const hs_scene *sc, float x, float y);

/* The help overlay's lines: key, then what it does; NULL key ends the list. */
extern const char *const hs_help_keys[][2];

#endif
