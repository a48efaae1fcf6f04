/* render/sdl_window.h — what the window's two SDL files share (not for outside render/).
 * Owns: the gui struct (window, view, ui state, replay feed) and the actions input calls. */
#ifndef HS_SDL_WINDOW_H
#define HS_SDL_WINDOW_H

#include <SDL.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "render.h"
#include "../play/lessons.h"
#include "sdl_backend.h"

typedef struct gui {
    SDL_Window *win;
    SDL_Renderer *ren;
    hs_sdl *b;
    hs_scene sc;
    hs_ui ui;
    hs_view *v;
    hs_gui_opts o;
    /* the replay thread (play/feed.c) */
    hs_feed *feed;
    atomic_int wake_pending;   /* a wake event is queued and the UI has not synced since */
    Uint32 wake_event;
    Uint64 last_real_draw;
    Uint64 draw_ms;            /* how long the last frame took */
    /* time */
    Uint64 anim_start, next_play;
    double anim_ms;
    bool dirty, quit;
    /* mouse */
    bool drag_map, drag_track, drag_plot, moved;
    bool clicked_overlay;      /* the button-down closed an overlay: its button-up does nothing */
    char **titles;             /* the lessons' titles, filled when the list is first shown */
    hs_vdiff_list diff;        /* the "what differs" rows (D), for the view and profiles in diff.p */
    bool diff_ok;              /* diff holds the current trace's rows */
    float down_x, down_y;
    double pan0;
    bool swallow_text;
    int out_w, out_h;
    int win_w, win_h;   /* the window's size before F made it fullscreen (0: never) */
    size_t last_real;
    int last_state;
    /* the allocators side by side and glibc's mappings (C, M; play/allocs.c) */
    hs_allocs *allocs;
    size_t last_allocs;        /* its progress as last drawn */
} gui;

/* The window's actions (render/sdl_window.c).  None fails outright: what
 * goes wrong (out of memory, a trace that does not load, a PNG that cannot
 * be written) is shown in the banner. */
void gui_save_png(gui *g);                        /* S: this frame to a PNG */
void gui_press_button(gui *g, int b);             /* an hs_button */
void gui_zoom(gui *g, int dz, float at_x, float at_y); /* heap map zoom around (at_x, at_y); outside the map: its middle */
void gui_step_lesson(gui *g, int dir);            /* L (1) / Shift+L (-1) */
void gui_big_change(gui *g, int dir);
void gui_find(gui *g, const char *text);          /* G's prompt: a step, an id or an address */
void gui_arena(gui *g, int dir);                  /* A / Shift+A: the next / previous arena shown */
void gui_arena_select(gui *g, int sel);           /* a click on an arena's heap: show arena sel */
void gui_touch(gui *g, int dir);                  /* . / ,: the next / previous step on the followed id */
void gui_version(gui *g, int dir);                /* V (1) / Shift+V (-1): another glibc version */
void gui_diff(gui *g, int dir);                   /* D: open (0) / next (1) / previous (-1) other version */
void gui_lesson_titles(gui *g);                   /* fills the lesson list's titles (once) */             /* N (1) / Shift+N (-1): the selected plot's next big change */
void gui_banner(gui *g, int kind, const char *msg); /* kind: HS_BANNER_* (render/scene.h) */
void gui_allocs(gui *g);                          /* C, M: start measuring the allocators (once per trace) */
void gui_open_trace(gui *g, const char *path);
void gui_set_step(gui *g, size_t s, bool animate);
/* One SDL event (render/sdl_input.c). */
void gui_handle(gui *g, const SDL_Event *e);

#endif
