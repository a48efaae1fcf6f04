/* render/draw.h — the drawing command list: what the scene asks a backend to draw.
 * Owns: hs_dl (rects, lines, triangles, text, clips) and text measuring; no SDL here. */
#ifndef HS_DRAW_H
#define HS_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hs_color { uint8_t r, g, b, a; } hs_color;
typedef struct hs_rect { float x, y, w, h; } hs_rect;

enum { HS_FONT_SANS = 0, HS_FONT_BOLD, HS_FONT_MONO, HS_FONT_MONO_BOLD, HS_FONT_COUNT };

typedef enum hs_cmd_kind {
    HS_CMD_RECT = 0,  /* filled rect x0,y0,x1(w),y1(h) */
    HS_CMD_LINE,      /* x0,y0 -> x1,y1, thickness */
    HS_CMD_TRI,       /* filled triangle */
    HS_CMD_TEXT,      /* text at x0,y0 (top-left), font, px */
    HS_CMD_CLIP,      /* clip to rect x0,y0,x1(w),y1(h); w < 0: no clip */
} hs_cmd_kind;

typedef struct hs_cmd {
    uint8_t  kind, font;
    uint16_t px;
    hs_color c;
    float    x0, y0, x1, y1, x2, y2, thick;
    uint32_t text;     /* offset into hs_dl.text */
} hs_cmd;

/* How wide a string is in a font at a pixel size; provided by the backend.
 * Returns 0 when the font cannot be measured. */
typedef int (*hs_text_width_fn)(void *ctx, int font, int px, const char *s, size_t len);

#define HS_CLIP_DEPTH 16
#define HS_CUT_MAX 32

/* One text draw that was cut: ended with "…", wrapped out of lines, or went
 * past its panel or clip.  marked: the panel drew its own "+N more" or scroll
 * mark for it, so the reader knows there is more. */
typedef struct hs_cut {
    const char *panel;
    bool marked;
    char text[64];
} hs_cut;

typedef struct hs_dl {
    hs_cmd *cmds;
    size_t  n, cap;
    char   *text;
    size_t  tlen, tcap;
    bool    oom;          /* an append failed: the frame is incomplete */
    hs_text_width_fn width;
    void   *width_ctx;
    hs_rect clip[HS_CLIP_DEPTH];
    int     nclip;
    /* the clipping report: which panel is drawing (its name and box), and
     * every cut text draw (the first HS_CUT_MAX kept, all counted) */
    const char *panel;
    hs_rect panel_r;
    bool    marking;      /* cuts now are covered by the panel's own mark */
    size_t  ncut, nunmarked;
    hs_cut  cuts[HS_CUT_MAX];
} hs_dl;

/* Empties the list (keeps its memory and its measuring function). */
void hs_dl_reset(hs_dl *dl);
void hs_dl_free(hs_dl *dl);

/* Appends one command; on out of memory sets dl->oom and draws nothing. */
void hs_dl_rect(hs_dl *dl, hs_rect r, hs_color c);
void hs_dl_frame(hs_dl *dl, hs_rect r, float thick, hs_color c);
void hs_dl_line(hs_dl *dl, float x0, float y0, float x1, float y1, float thick, hs_color c);
void hs_dl_dashed(hs_dl *dl, float x0, float y0, float x1, float y1, float thick,
                  float dash, hs_color c);
void hs_dl_tri(hs_dl *dl, float x0, float y0, float x1, float y1, float x2, float y2, hs_color c);
/* Diagonal/straight hatching inside r: kind 1 "/", 2 "\", 3 "x", 4 "-", 5 "|", 6 dots. */
void hs_dl_hatch(hs_dl *dl, hs_rect r, int kind, float gap, float thick, hs_color c);

/* Text with its top-left at (x, y); returns its width (0 if measuring fails). */
float hs_dl_text(hs_dl *dl, float x, float y, int font, int px, hs_color c, const char *s);
float hs_dl_textn(hs_dl *dl, float x, float y, int font, int px, hs_color c, const char *s, size_t n);
/* Width of text without drawing it. */
float hs_dl_text_w(const hs_dl *dl, int font, int px, const char *s);
/* Text cut with "…" to fit in maxw; returns the width drawn. */
float hs_dl_text_fit(hs_dl *dl, float x, float y, float maxw, int font, int px, hs_color c,
                     const char *s);
/* s as one line of text into buf (len bytes, always terminated): each line
 * break shown as "\xE2\x86\xB5" (a return arrow), a tab or other control
 * byte as a space, so a title with newlines (a recorded `python3 -c`) does
 * not draw missing-glyph boxes.  Returns buf; a long s is cut at len. */
char *hs_one_line(const char *s, char *buf, size_t len);
/* Text wrapped at spaces into width w, starting at (x, y), line height lh, at most
 * maxlines lines (the last one ends with "…" when cut).  Returns the lines used. */
int hs_dl_text_wrap(hs_dl *dl, float x, float y, float w, float lh, int maxlines,
                    int font, int px, hs_color c, const char *s);

/* The clipping report.  hs_dl_panel names the panel that draws next and its
 * box (text past the box is a cut); hs_dl_marking(dl, true) says the panel
 * shows its own "+N more"/scroll mark for the cuts that follow.  hs_dl_cut
 * records a cut the caller detected itself (items left out of a list).
 * Never fail. */
void hs_dl_panel(hs_dl *dl, const char *name, hs_rect r);
void hs_dl_marking(hs_dl *dl, bool on);
void hs_dl_cut(hs_dl *dl, const char *s, size_t n);

/* How many lines hs_dl_text_wrap needs for all of s in width w (0 when the
 * font cannot be measured). */
int hs_dl_wrap_count(const hs_dl *dl, float w, int font, int px, const char *s);

/* A stretch of a draw list kept to be drawn again: the commands appended since
 * a mark, their text and the cuts they reported.  A frame that would draw the
 * same stretch (render/memo.c decides) appends it instead of drawing it. */
typedef struct hs_dl_mark { size_t n, tlen, ncut, nunmarked; } hs_dl_mark;
typedef struct hs_dl_kept {
    hs_cmd *cmds;
    size_t  n, capn;
    char   *text;
    size_t  tlen, tcap;
    uint32_t text0;       /* the offset its text had in the list it was kept from */
    hs_cut  cuts[HS_CUT_MAX];
    size_t  ncut, nunmarked;
} hs_dl_kept;
/* Where the list ends now.  Never fails. */
hs_dl_mark hs_dl_mark_now(const hs_dl *dl);
/* Copies what was appended since m into *k (its memory reused).  Returns
 * false when it cannot be kept whole: out of memory (now or before, dl->oom),
 * or a cut past the HS_CUT_MAX kept; *k is then empty. */
bool hs_dl_keep(const hs_dl *dl, hs_dl_mark m, hs_dl_kept *k);
/* Appends k's commands (text offsets moved to the list's text), text and cuts,
 * as drawing them again would.  Out of memory sets dl->oom. */
void hs_dl_replay(hs_dl *dl, const hs_dl_kept *k);
void hs_dl_kept_free(hs_dl_kept *k);

/* Clip stack: push intersects with the current clip, pop restores it. */
void hs_dl_push_clip(hs_dl *dl, hs_rect r);
void hs_dl_pop_clip(hs_dl *dl);

static inline hs_rect hs_rect_make(float x, float y, float w, float h)
{
    hs_rect r = {x, y, w, h};
    return r;
}
static inline bool hs_rect_has(hs_rect r, float x, float y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}
static inline hs_color hs_rgba(uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
    hs_color c = {r, g, b, a};
    return c;
}
hs_color hs_color_lerp(hs_color a, hs_color b, float t);

#endif
