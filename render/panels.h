/* render/panels.h — what the panel files of render/ share (not for outside render/).
 * Owns: the scale helpers, the animated items (dritem), and each panel's draw function. */
#ifndef HS_PANELS_H
#define HS_PANELS_H

#include <math.h>

#include "scene.h"
#include "theme.h"

/* scale: sizes are given at 1920x1080 */
static inline int fpx(const hs_scene *sc, float base)
{
    int p = (int)lroundf(base * sc->u * (sc->ts > 0 ? sc->ts : 1));
    return p < 11 ? 11 : p;
}
static inline float U(const hs_scene *sc, float v) { return v * sc->u; }
/* floorf, without libm's call, for the per-chunk loops: exact where a
 * float is below 2^31 (a float that large is whole: converted back exactly) */
static inline float hs_floorf(float x)
{
    if (!(fabsf(x) < 2147483648.0f)) return floorf(x);
    float t = (float)(int32_t)x;
    return t > x ? t - 1 : t;
}

/* One chunk box between two steps (render/anim.c). */
typedef struct dritem {
    uint8_t region, s_from, s_to;
    bool    current;      /* in the current snapshot (hit-testable) */
    double  lo, hi;
    float   t, alpha;
    uint32_t id, info;
    uint64_t addr;
} dritem;

/* Page counts of the heap map's header. */
typedef struct map_counts {
    uint64_t model, model_pages;     /* resident in the model, of its heap pages */
    uint64_t real, real_pages;       /* the same in real glibc (real_stat HS_RPG_OK) */
    uint64_t unknown, differ;        /* real pages not measured; pages that differ */
    int real_stat;                   /* hs_view_real_heap_pages's answer */
} map_counts;

/* The x where heap offset lo is in row row of the heap map's rows at bpr
 * bytes per row (render/map.c; hit tests recompute it).  Never fails. */
static inline float hs_map_x(hs_rect rows, uint64_t bpr, size_t row, double lo)
{
    return rows.x + (float)((lo - (double)(row * bpr)) * (1.0 / (double)bpr) * rows.w);
}

/* render/layout.c */
/* Makes room for one more hit box; false when memory runs out. */
bool hs_hits_grow(hs_scene *sc);
/* Adds a hit box (a frame adds one per chunk per panel: kept inline); out of
 * memory drops it. */
static inline void hs_add_hit(hs_scene *sc, hs_rect r, int kind, int region, uint32_t info,
                              uint64_t addr)
{
    if (sc->nhits == sc->caphits && !hs_hits_grow(sc)) return;
    hs_hit *h = &sc->hits[sc->nhits++];
    h->r = r;
    h->kind = (uint8_t)kind;
    h->region = (uint8_t)region;
    h->n = 1;
    h->info = info;
    h->addr = addr;
}
void hs_panel(hs_scene *sc, hs_rect r, const char *title);
void hs_chunk_box(hs_scene *sc, hs_rect r, hs_color fill, int state, float alpha);
void hs_tag(hs_scene *sc, float x, float y, int font, int px, hs_color fg, hs_color bg,
            const char *s, float maxw);
const char *hs_id_name(const hs_view *v, uint32_t id);
/* The heap chunk of the current snapshot starting at heap offset addr, or NULL. */
const hs_chunk_info *hs_heap_chunk_at(const hs_view *v, uint64_t addr);

/* render/anim.c */
/* Builds the items to draw at animation time ui->anim_t into sc->dr (grown
 * as needed, kept for the next frame), sets sc->dr_plain and sc->runs, and
 * keeps the glide's matches (sc->glide); returns the items' count, 0 when
 * memory runs out. */
size_t hs_anim_items(hs_scene *sc, const hs_view *v, const hs_ui *ui, double *brk);
/* Frees and empties what hs_anim_items keeps (the items, the glide's matches,
 * the plain runs; hs_scene_free).  Never fails. */
void hs_anim_free(hs_scene *sc);
hs_color hs_item_color(const dritem *d);
/* The state an item is drawn in: where it comes from for the first half of
 * the animation, then where it goes. */
static inline int hs_item_state(const dritem *d) { return d->t < 0.5f ? d->s_from : d->s_to; }
const hs_step *hs_real_at(const hs_view *v, size_t step, hs_step *buf);

/* render/memo.c: a chunk pass (the column's chunks, the map's boxes, the map's
 * labels) reads the chunk list of a still snapshot (hs_scene.dr_gen) and its
 * geometry; a frame that would run it on the same snapshot, geometry and
 * draw-list state appends what it drew before instead (hits included), so a
 * still frame or a hover redraw costs its pixels' boxes, not its chunks. */
enum { HS_MEMO_SPACE = 0, HS_MEMO_MAP_BOXES, HS_MEMO_MAP_LABELS, HS_MEMO_COUNT };
#define HS_MEMO_KEY 256   /* bytes of key, the pass's own after the common ones (~100) */
typedef struct hs_memo_mark { hs_dl_mark dl; size_t nhits; } hs_memo_mark;
/* Appends pass p's kept output when it was kept for this key (len bytes,
 * zeroed padding: compared as bytes) on the same snapshot and draw-list state:
 * true, skip the pass.  False (nothing kept for it, not a still snapshot, out
 * of memory): run the pass between hs_memo_begin and hs_memo_end. */
bool hs_memo_replay(hs_scene *sc, int p, const void *key, size_t len);
hs_memo_mark hs_memo_begin(const hs_scene *sc);
/* Keeps what was drawn since at as pass p's output for key; out of memory
 * (or a frame already out of memory) keeps nothing.  Never fails otherwise. */
void hs_memo_end(hs_scene *sc, int p, hs_memo_mark at, const void *key, size_t len);
/* Frees what is kept (hs_scene_free).  Never fails. */
void hs_memo_free(hs_scene *sc);

/* render/narration.c */
void hs_draw_title(hs_scene *sc, const hs_view *v, const hs_ui *ui);
/* The pointer over a title hs_draw_title cut: the title whole in a box under
 * the bar.  Returns whether it drew it (then no other tooltip). */
bool hs_draw_title_tip(hs_scene *sc, const hs_view *v, const hs_ui *ui);
map_counts hs_map_residency(const hs_view *v, const hs_ui *ui, uint8_t **res, uint8_t **real,
                            uint64_t *pages);
void hs_draw_narration(hs_scene *sc, const hs_view *v, const hs_ui *ui);
/* The narration's type sizes in box r: smaller (down to 80%) before its text scrolls. */
typedef struct narr_fonts { int npx, xpx; } narr_fonts;
narr_fonts hs_narration_fonts(const hs_scene *sc, const hs_view *v, const hs_ui *ui, hs_rect r);
/* The narration's height with nothing cut at full type, for width w; it
 * chooses the split of its two columns (sc->narr_split): the usual one
 * when that needs at most room, else the one that needs the least.  Never
 * fails. */
float hs_narration_need(hs_scene *sc, const hs_view *v, const hs_ui *ui, float w, float room);

/* render/space.c */
void hs_chunk_label(const hs_view *v, const dritem *d, char *buf, size_t len, bool wide);
void hs_draw_space(hs_scene *sc, const hs_view *v, const hs_ui *ui, const dritem *d,
                   size_t nd, double brk);
/* Frees and empties the heap's y breakpoints (hs_scene.hy_off; hs_scene_free).  Never fails. */
void hs_space_free(hs_scene *sc);

/* render/map_arena.c: the shown non-main arena in the heap map (A) */
/* Its chunks as items of region 2 (info indexes hs_view_sel_snap's heap; no
 * animation between steps: its chunks are new each frame), malloc'd; NULL
 * when memory runs out. */
dritem *hs_map_arena_items(const hs_view *v, size_t *n);
/* The map's title past "Heap map": which arena, and whose thread ("" with one arena). */
void hs_map_arena_title(const hs_view *v, char *buf, size_t len);
/* The arena heap's read-write part and PROT_NONE rest, as a bar to scale
 * with the numbers beside it, drawn when draw is set.  Returns its height. */
float hs_map_arena_reservation(hs_scene *sc, const hs_view *v, float x, float y, float w, bool draw);

/* render/map.c */
void hs_draw_map(hs_scene *sc, const hs_view *v, const hs_ui *ui, const dritem *d, size_t nd,
                 double brk);

/* render/bins.c */
/* A full-height list's box, at most maxw wide, over the dimmed frame (the
 * lesson list, what differs; render/overlays.c).  Never fails. */
hs_rect hs_list_box(hs_scene *sc, float maxw);
void hs_draw_bins(hs_scene *sc, const hs_view *v);
/* The tooltip of the bins' "… +N" mark m (sc->bin_more[m], this frame's):
 * its bin's heading in lines[0], then one line per entry its row left out,
 * numbered from the head (at most max lines in all; what the snapshot does
 * not keep or the box cannot hold is named by a last line).  Returns the
 * lines written, 0 when m names no mark.  Never fails. */
int hs_bins_more_lines(const hs_scene *sc, const hs_view *v, uint32_t m, char (*lines)[HS_HISTORY_LINE], int max);
/* The non-main arenas' heaps (play/arenas.c, v->rsv) as a band of boxes
 * from y down, at most max_h tall: a heading, then per heap_info heap its
 * 64 MiB reservation (one box, not to scale: the mark // at its right end)
 * filled from the left, to scale within the box, with the part mprotect-ed
 * read-write, the rest PROT_NONE; the arena the heap map shows is framed
 * thick.  Heaps past the room are counted in a "+N more heaps" line.
 * Returns the band's height; draws only when draw is set (render/space_arenas.c).
 * Never fails. */
float hs_space_reservations(hs_scene *sc, const hs_view *v, float x0, float x1, float y, float max_h,
                            bool draw);
/* The "not to scale" mark of a chunk drawn taller than its size: a white
 * "//" across its right end, like the broken axis of the column
 * (render/space.c).  Never fails. */
void hs_enlarged_mark(hs_scene *sc, hs_rect box);
/* The tooltip of the address column's "+N more heaps" (sc->heaps_more, this
 * frame's): a heading, then each arena heap not drawn, its arena, thread,
 * read-write and in-use bytes and address (at most max lines; the rest
 * counted in the last).  Returns the lines written, 0 when every heap was
 * drawn.  Never fails. */
int hs_heaps_more_lines(const hs_scene *sc, const hs_view *v, char (*lines)[HS_HISTORY_LINE], int max);

/* render/plots.c */
void hs_draw_plots(hs_scene *sc, const hs_view *v, const hs_ui *ui);
/* The x of step i's slot in chart c of n + 1 steps, and series s[0..upto]
 * (the steps with .has) as a staircase in chart r, y 0..ymax. */
float hs_plot_step_x(hs_rect c, size_t n, size_t i);
/* Chart c's background and axes: 0 and vmax (labelled ylab) up the side,
 * steps 0 and n along the bottom.  Returns the y range drawn (ymax). */
/* A readout's box, bw x bh, beside the guide at x near the top of chart c,
 * kept inside box g, drawn empty (background and frame).  Returns it. */
hs_rect hs_plot_tag_box(hs_scene *sc, float x, hs_rect c, hs_rect g, float bw, float bh);
double hs_plot_axes(hs_scene *sc, hs_rect c, double vmax, const char *ylab, size_t n, int apx);
void hs_plot_series(hs_scene *sc, hs_rect r, const hs_vals *s, size_t n, size_t upto, int which,
                    double ymax, float thick, hs_color c);

/* render/compare.c: the allocators' RSS and fault curves in the plots' place (ui->compare) */
void hs_draw_compare(hs_scene *sc, const hs_view *v, const hs_ui *ui);
/* The plots panel's height that draws the compare panel in width w with
 * every run's words whole and charts of a readable height (the layout
 * grows the panel to it where the window has room).  Never fails. */
float hs_compare_need(hs_scene *sc, const hs_view *v, const hs_ui *ui, float w);
/* The pointer over the allocators' key hs_draw_compare had to cut (a window
 * too small for it): every run's words whole in a box over it.  Returns
 * whether it drew it (then no other tooltip). */
bool hs_draw_compare_tip(hs_scene *sc, const hs_view *v, const hs_ui *ui);
/* render/smaps.c: glibc's measured mappings and statm in the heap map's place (ui->smaps) */
void hs_draw_smaps(hs_scene *sc, const hs_view *v, const hs_ui *ui);
/* The pointer over the mappings table's "+N more mappings": those mappings'
 * rows in a box over the table.  Returns whether it drew it (then no other
 * tooltip). */
bool hs_draw_smaps_tip(hs_scene *sc, const hs_view *v, const hs_ui *ui);

/* render/timeline.c */
void hs_draw_timeline(hs_scene *sc, const hs_view *v, const hs_ui *ui);

/* render/overlays.c */
void hs_draw_tooltip(hs_scene *sc, const hs_view *v, const hs_ui *ui);
void hs_draw_help(hs_scene *sc, const hs_view *v);
void hs_draw_lessons(hs_scene *sc, const hs_ui *ui);
void hs_draw_diff(hs_scene *sc, const hs_view *v, const hs_ui *ui);
void hs_draw_prompt(hs_scene *sc, const hs_ui *ui);
void hs_draw_banner(hs_scene *sc, const hs_ui *ui);

#endif
