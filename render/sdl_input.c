/* render/sdl_input.c — the window's SDL events: keys (decided by render/ui.c), mouse, drops.
 * Owns: SDL key codes to hs_key, the mouse on the map, timeline and buttons, gui_handle. */
#include "sdl_window.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* SDL's key to the window's (render/ui.c). */
static hs_key key_of(SDL_Keycode sym)
{
    switch (sym) {
    case SDLK_ESCAPE: return HS_KEY_ESCAPE;
    case SDLK_RETURN: case SDLK_KP_ENTER: return HS_KEY_RETURN;
    case SDLK_BACKSPACE: return HS_KEY_BACKSPACE;
    case SDLK_SPACE: return HS_KEY_SPACE;
    case SDLK_RIGHT: return HS_KEY_RIGHT;
    case SDLK_LEFT: return HS_KEY_LEFT;
    case SDLK_UP: return HS_KEY_UP;
    case SDLK_DOWN: return HS_KEY_DOWN;
    case SDLK_HOME: return HS_KEY_HOME;
    case SDLK_DELETE: return HS_KEY_DELETE;
    case SDLK_END: return HS_KEY_END;
    case SDLK_PAGEUP: return HS_KEY_PAGEUP;
    case SDLK_PAGEDOWN: return HS_KEY_PAGEDOWN;
    case SDLK_PLUS: case SDLK_KP_PLUS: case SDLK_EQUALS: return HS_KEY_PLUS;
    case SDLK_MINUS: case SDLK_KP_MINUS: return HS_KEY_MINUS;
    case SDLK_0: case SDLK_KP_0: return HS_KEY_0;
    case SDLK_LEFTBRACKET: return HS_KEY_LBRACKET;
    case SDLK_RIGHTBRACKET: return HS_KEY_RBRACKET;
    case SDLK_SLASH: return HS_KEY_SLASH;
    case SDLK_QUESTION: return HS_KEY_QUESTION;
    case SDLK_f: return HS_KEY_F;
    case SDLK_h: return HS_KEY_H;
    case SDLK_l: return HS_KEY_L;
    case SDLK_n: return HS_KEY_N;
    case SDLK_g: return HS_KEY_G;
    case SDLK_p: return HS_KEY_P;
    case SDLK_PERIOD: return HS_KEY_PERIOD;
    case SDLK_COMMA: return HS_KEY_COMMA;
    case SDLK_d: return HS_KEY_D;
    case SDLK_c: return HS_KEY_C;
    case SDLK_m: return HS_KEY_M;
    case SDLK_a: return HS_KEY_A;
    case SDLK_o: return HS_KEY_O;
    case SDLK_q: return HS_KEY_Q;
    case SDLK_r: return HS_KEY_R;
    case SDLK_s: return HS_KEY_S;
    case SDLK_t: return HS_KEY_T;
    case SDLK_u: return HS_KEY_U;
    case SDLK_v: return HS_KEY_V;
    default: return HS_KEY_OTHER;
    }
}

/* Runs what a key does (render/ui.c decides). */
static void key(gui *g, const SDL_Keysym *k)
{
    unsigned mods = ((k->mod & KMOD_SHIFT) ? HS_MOD_SHIFT : 0) | ((k->mod & KMOD_CTRL) ? HS_MOD_CTRL : 0);
    hs_key hk = key_of(k->sym);
    if (hk == HS_KEY_L && !g->ui.prompt && !g->ui.lessons) gui_lesson_titles(g);
    hs_ui_cmd c = hs_ui_key(&g->ui, hk, mods, g->sc.map_visible, g->sc.map_nrows);
    switch (c.act) {
    case HS_ACT_NONE: break;
    case HS_ACT_QUIT: g->quit = true; break;
    case HS_ACT_BUTTON: gui_press_button(g, c.arg); break;
    case HS_ACT_ZOOM: gui_zoom(g, c.arg, g->ui.mouse_in ? g->ui.mx : -1, g->ui.my); break;
    case HS_ACT_SAVE_PNG: gui_save_png(g); break;
    case HS_ACT_FULLSCREEN: {
        bool fs = SDL_GetWindowFlags(g->win) & SDL_WINDOW_FULLSCREEN_DESKTOP;
        if (!fs) SDL_GetWindowSize(g->win, &g->win_w, &g->win_h);
        SDL_SetWindowFullscreen(g->win, fs ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        /* Back from fullscreen, SDL may keep the fullscreen size (X11 with no
         * window manager sends no resize): set the old size again, so the
         * next frame is laid out for the window it is drawn in. */
        if (fs && g->win_w > 0 && g->win_h > 0) SDL_SetWindowSize(g->win, g->win_w, g->win_h);
        g->ui.mouse_in = false;   /* the pointer is elsewhere in the new geometry until it moves */
        break;
    }
    case HS_ACT_LESSON: gui_step_lesson(g, c.arg); break;
    case HS_ACT_BIG_CHANGE: gui_big_change(g, c.arg); break;
    case HS_ACT_FIND: gui_find(g, c.path); break;
    case HS_ACT_TOUCH: gui_touch(g, c.arg); break;
    case HS_ACT_OPEN_LESSON:
        if (c.arg >= 0 && (size_t)c.arg < g->o.n_lessons) gui_open_trace(g, g->o.lessons[c.arg]);
        break;
    case HS_ACT_DIFF: gui_diff(g, c.arg); break;
    case HS_ACT_VERSION: gui_version(g, c.arg); break;
    case HS_ACT_ALLOCS: gui_allocs(g); break;
    case HS_ACT_ARENA: gui_arena(g, c.arg); break;
    case HS_ACT_GOTO_STEP: gui_set_step(g, (size_t)c.arg, false); break;
    case HS_ACT_OPEN: gui_open_trace(g, c.path); break;
    case HS_ACT_PASTE: {
        char *clip = SDL_GetClipboardText();
        if (clip) {
            hs_ui_prompt_append(&g->ui, clip);
            SDL_free(clip);
        }
        break;
    }
    }
    if (c.swallow_text) g->swallow_text = true;
    g->dirty = true;
}

/* Window coordinates to output pixels (HiDPI). */
static void to_output(gui *g, int x, int y, float *ox, float *oy)
{
    int ww, wh;
    SDL_GetWindowSize(g->win, &ww, &wh);
    *ox = ww > 0 ? x * (float)g->out_w / (float)ww : (float)x;
    *oy = wh > 0 ? y * (float)g->out_h / (float)wh : (float)y;
}

static void mouse_down(gui *g, float x, float y)
{
    hs_ui *ui = &g->ui;
    if (ui->banner[0]) {
        ui->banner[0] = '\0';
        g->dirty = true;
        return;
    }
    if (ui->help) {
        ui->help = false;
        g->dirty = true;
        return;
    }
    if (ui->prompt) return;
    if (ui->diff) {
        /* a click on a row goes to its step; anywhere else closes the panel */
        int i = hs_scene_diff_at(&g->sc, ui, x, y);
        ui->diff = false;
        if (i >= 0) gui_set_step(g, ui->diff_list->rows[i].step, false);
        g->dirty = true;
        g->clicked_overlay = true;
        return;
    }
    if (ui->lessons) {
        /* a click on a lesson opens it; anywhere else closes the list */
        int i = hs_scene_lesson_at(&g->sc, ui, x, y);
        ui->lessons = false;
        if (i >= 0 && (size_t)i < g->o.n_lessons) gui_open_trace(g, g->o.lessons[i]);
        g->dirty = true;
        g->clicked_overlay = true;
        return;
    }
    int b = hs_scene_button(&g->sc, x, y);
    if (b >= 0) {
        gui_press_button(g, b);
        return;
    }
    g->down_x = x;
    g->down_y = y;
    g->moved = false;
    if (hs_rect_has(g->sc.track, x, y)) {
        g->drag_track = true;
        ui->playing = false;
        gui_set_step(g, hs_scene_track_step(&g->sc, g->v, x), true);
        return;
    }
    int plot;
    size_t step;
    if (hs_scene_plot_at(&g->sc, g->v, x, y, &plot, &step)) {
        /* a click on a plot picks it (for N) and jumps to the step under it */
        g->drag_plot = true;
        ui->plot_sel = plot;
        ui->playing = false;
        gui_set_step(g, step, true);
        g->dirty = true;
        return;
    }
    if (hs_rect_has(g->sc.map_rows, x, y)) {
        g->drag_map = true;
        g->pan0 = ui->map_pan;
    }
}

static void mouse_up(gui *g, float x, float y)
{
    hs_ui *ui = &g->ui;
    if (g->clicked_overlay) {
        g->clicked_overlay = false;
        return;
    }
    bool was_drag = g->drag_map && g->moved;
    bool on_track = g->drag_track || g->drag_plot;
    g->drag_map = g->drag_track = g->drag_plot = false;
    if (on_track) return;
    if (was_drag || ui->prompt || ui->help) return;
    hs_hit under;
    const hs_hit *h = hs_scene_hit(&g->sc, x, y, &under) ? &under : NULL;
    if (h && h->kind == HS_HIT_ARENA) {
        gui_arena_select(g, (int)h->info);   /* as A would: that arena in the map and bins */
        return;
    }
    if (h) {
        /* a click follows the chunk: by its id (or the id it last had)
         * while stepping, else by its address */
        ui->has_sel = true;
        ui->sel_region = h->region;
        ui->sel_addr = h->addr;
        ui->follow_id = hs_hit_id(g->v, h);
    } else {
        ui->has_sel = false;
        ui->follow_id = HS_NO_ID;
    }
    g->dirty = true;
}

static void mouse_move(gui *g, float x, float y)
{
    hs_ui *ui = &g->ui;
    ui->mx = x;
    ui->my = y;
    ui->mouse_in = true;
    if (fabsf(x - g->down_x) + fabsf(y - g->down_y) > 4) g->moved = true;
    if (g->drag_track) gui_set_step(g, hs_scene_track_step(&g->sc, g->v, x), false);
    size_t ps;
    if (g->drag_plot && hs_scene_plot_at(&g->sc, g->v, x, y, NULL, &ps)) gui_set_step(g, ps, false);
    if (g->drag_map && g->sc.map_rh > 0) {
        ui->map_pan = g->pan0 - (y - g->down_y) / g->sc.map_rh;
        hs_ui_clamp_pan(&g->ui, g->sc.map_visible, g->sc.map_nrows);
    }
    g->dirty = true;
}

void gui_handle(gui *g, const SDL_Event *e)
{
    float x, y;
    switch (e->type) {
    case SDL_QUIT: g->quit = true; break;
    case SDL_KEYDOWN: key(g, &e->key.keysym); break;
    case SDL_TEXTINPUT:
        if (g->ui.prompt) {
            /* the letter of the key that opened the prompt (O, G) */
            if (g->swallow_text && strlen(e->text.text) == 1 && isalpha((unsigned char)e->text.text[0])) {
                g->swallow_text = false;
                break;
            }
            hs_ui_prompt_append(&g->ui, e->text.text);
            g->dirty = true;
        }
        g->swallow_text = false;
        break;
    case SDL_DROPFILE:
        g->ui.prompt = false;
        gui_open_trace(g, e->drop.file);
        SDL_free(e->drop.file);
        break;
    case SDL_MOUSEMOTION:
        to_output(g, e->motion.x, e->motion.y, &x, &y);
        mouse_move(g, x, y);
        break;
    case SDL_MOUSEBUTTONDOWN:
        to_output(g, e->button.x, e->button.y, &x, &y);
        if (e->button.button == SDL_BUTTON_LEFT) mouse_down(g, x, y);
        break;
    case SDL_MOUSEBUTTONUP:
        to_output(g, e->button.x, e->button.y, &x, &y);
        if (e->button.button == SDL_BUTTON_LEFT) mouse_up(g, x, y);
        break;
    case SDL_MOUSEWHEEL: {
        int mx, my;
        SDL_GetMouseState(&mx, &my);
        to_output(g, mx, my, &x, &y);
        int dy = e->wheel.y;
        if (dy == 0) break;
        if (hs_rect_has(g->sc.map_rows, x, y)) gui_zoom(g, dy > 0 ? 1 : -1, x, y);
        else if (hs_rect_has(g->sc.narr, x, y)) {
            /* the narration's text that does not fit scrolls */
            if (dy < 0 && g->sc.narr_more > 0) g->ui.narr_scroll++;
            if (dy > 0 && g->ui.narr_scroll > 0) g->ui.narr_scroll--;
            g->dirty = true;
        }
        else if (hs_rect_has(g->sc.track, x, y) || hs_rect_has(g->sc.plots, x, y)) {
            size_t s = g->v->step;
            if (dy < 0 && s < g->v->n) gui_set_step(g, s + 1, true);
            if (dy > 0 && s > 0) gui_set_step(g, s - 1, true);
        }
        break;
    }
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_LEAVE) g->ui.mouse_in = false;
        g->dirty = true;
        break;
    default:
        break;
    }
}
