/* render/sdl_find.c — the window's searches: the next big change, find (G), following a chunk, the arena shown.
 * Owns: gui_big_change, gui_find, gui_touch, gui_arena, gui_arena_select (the searching is play/find.c's). */
#include "sdl_window.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void gui_big_change(gui *g, int dir)
{
    int p = g->ui.plot_sel;
    size_t s = hs_find_change(g->v, p, g->v->step, dir);
    if (s == SIZE_MAX) {
        char msg[256];
        snprintf(msg, sizeof msg, "no big change of %s %s step %zu (N: next, Shift+N: previous)",
                 p >= 0 && p < HS_SER_COUNT ? hs_series[p].name : "the plot",
                 dir > 0 ? "after" : "before", g->v->step);
        gui_banner(g, HS_BANNER_NOTE, msg);
        return;
    }
    g->ui.playing = false;
    gui_set_step(g, s, true);
}

void gui_find(gui *g, const char *text)
{
    hs_find f;
    switch (hs_find_parse(g->v, text, &f)) {
    case HS_FIND_STEP:
        g->ui.playing = false;
        gui_set_step(g, f.step, true);
        break;
    case HS_FIND_ID:
        g->ui.playing = false;
        gui_set_step(g, f.step, true);
        g->ui.follow_id = f.id;
        g->ui.has_sel = false;
        break;
    case HS_FIND_CHUNK: {
        g->ui.has_sel = true;
        g->ui.sel_region = f.region;
        g->ui.sel_addr = f.addr;
        hs_hit h;
        memset(&h, 0, sizeof h);
        h.region = f.region;
        h.addr = f.addr;
        h.info = UINT32_MAX;
        g->ui.follow_id = hs_hit_id(g->v, &h);
        break;
    }
    default:
        gui_banner(g, HS_BANNER_NOT_FOUND, f.msg);
        break;
    }
    g->dirty = true;
}

/* After A or a click chose the arena shown (rc: the view's answer). */
static void arena_chosen(gui *g, int rc)
{
    if (rc != 0) {
        gui_banner(g, HS_BANNER_FAILED, "out of memory: the heap map shows the main arena");
        return;
    }
    /* the map's rows and a chunk picked in the old arena mean nothing in the new one */
    g->ui.map_zoom = 0;
    g->ui.map_pan = 0;
    g->ui.has_sel = false;
    char msg[160], tb[32];
    if (g->v->arena_sel < 0)
        snprintf(msg, sizeof msg, "heap map and bins follow the op's thread (now arena %u; 0 is main)",
                 g->v->arena);
    else
        /* as the bins' title says it: "arena 1, thread T2", "main arena (0), thread main" */
        snprintf(msg, sizeof msg, "heap map and bins: %s%u%s, %s%s", g->v->arena ? "arena " : "main arena (",
                 g->v->arena, g->v->arena ? "" : ")", g->v->arena_thread == UINT32_MAX ? "no thread attached"
                 : "thread ", g->v->arena_thread == UINT32_MAX ? ""
                 : hs_view_thread_name(g->v, g->v->arena_thread, tb, sizeof tb));
    gui_banner(g, HS_BANNER_NOTE, msg);
    g->dirty = true;
}

void gui_arena(gui *g, int dir) { arena_chosen(g, hs_view_cycle_arena(g->v, dir)); }

void gui_arena_select(gui *g, int sel) { arena_chosen(g, hs_view_select_arena(g->v, sel)); }

void gui_touch(gui *g, int dir)
{
    uint32_t id = g->ui.follow_id;
    if (id == HS_NO_ID) {
        gui_banner(g, HS_BANNER_NOT_FOUND, "no chunk is followed: click a chunk that has an id, or press G and type an id");
        return;
    }
    size_t s = hs_find_touch(g->v, id, g->v->step, dir);
    if (s == SIZE_MAX) {
        char msg[400];
        snprintf(msg, sizeof msg, "no op on %.200s %s step %zu", g->v->t.ids[id] ? g->v->t.ids[id] : "?",
                 dir > 0 ? "after" : "before", g->v->step);
        gui_banner(g, HS_BANNER_NOTE, msg);
        return;
    }
    g->ui.playing = false;
    gui_set_step(g, s, true);
}
