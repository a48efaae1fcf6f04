/* render/sdl_window.c — the interactive window: its actions, playback, animation, the event loop.
 * Owns: hs_gui_run, wake-ups from the replay thread (play/feed.c runs it); input is sdl_input.c's, searches sdl_find.c's. */
#include "sdl_window.h"

#include <SDL.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdl_backend.h"

#define ANIM_MS 350.0
/* Real steps compared with the model per turn of the event loop, so a long
 * trace (or a profile switch after one) never stalls a frame. */
#define REAL_SYNC_PER_TURN 100000
/* While real steps stream in, the window redraws at most every this many
 * ms, or every 4 frame times when a frame takes longer (a trace of millions
 * of ops: the replay must not wait on drawing). */
#define REAL_REDRAW_MS 100


/* ---- real glibc in the background ---- */

/* Wakes the UI thread, once until it has synced (not once per step: a
 * trace of millions of ops would flood SDL's event queue). */
static void wake_ui(gui *g)
{
    if (atomic_exchange(&g->wake_pending, 1)) return;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = g->wake_event;
    if (SDL_PushEvent(&e) != 1) atomic_store(&g->wake_pending, 0);
}

/* Called from the replay thread (play/feed.c). */
static void real_wake(void *ctx, bool done)
{
    gui *g = ctx;
    if (done) atomic_store(&g->wake_pending, 0);
    wake_ui(g);
}

static void start_real(gui *g)
{
    if (!g->o.real || g->v->n == 0) return;
    if (g->o.real_err) {
        /* the chosen glibc is not there: say so where real data would be */
        if (hs_view_real_begin(g->v) == 0) hs_view_real_finish(g->v, -1, g->o.real_err);
        return;
    }
    atomic_store(&g->wake_pending, 0);
    g->last_real = 0;
    hs_feed_target to = {g->o.replayer, g->o.ldso, g->o.libpath, g->o.real_version, g->o.real_sample};
    g->feed = hs_feed_start(g->v, &to, real_wake, g);
}

/* C and M: the allocators measured on a thread of their own, once per
 * trace, in real mode only (the panels say so otherwise). */
void gui_allocs(gui *g)
{
    g->ui.allocs = g->allocs;
    g->dirty = true;
    if (g->allocs || (!g->ui.compare && !g->ui.smaps) || !g->o.real || g->o.n_allocs == 0 ||
        g->v->n == 0)
        return;
    g->allocs = hs_allocs_new(&g->v->t, g->o.compare_replayer, g->o.allocs, g->o.n_allocs, 0);
    if (!g->allocs) {
        gui_banner(g, HS_BANNER_FAILED, "out of memory for the allocators' replays");
        return;
    }
    g->allocs->allocator_is = g->o.allocator_is;
    hs_allocs_start(g->allocs, real_wake, g);
    g->last_allocs = 0;
    g->ui.allocs = g->allocs;
}

/* Stops the replay and waits for it. */
static void stop_real(gui *g)
{
    hs_feed_stop(g->feed);
    g->feed = NULL;
}

/* ---- state changes ---- */

static void set_title(gui *g)
{
    char t[512];
    snprintf(t, sizeof t, "heapsim - %s - step %zu/%zu - %s", g->v->name,
             g->v->step, g->v->n, hs_profile_name(g->v->profile));
    SDL_SetWindowTitle(g->win, t);
}

void gui_banner(gui *g, int kind, const char *msg)
{
    size_t n = strlen(msg);   /* a long loader message is cut to the banner */
    if (n >= sizeof g->ui.banner) n = sizeof g->ui.banner - 1;
    memcpy(g->ui.banner, msg, n);
    g->ui.banner[n] = '\0';
    g->ui.banner_kind = kind;
    g->dirty = true;
}

static double play_interval_ms(const gui *g) { return 1000.0 / hs_ui_speed(&g->ui); }

/* Moves to step s; animate: glide from the current picture. */
void gui_set_step(gui *g, size_t s, bool animate)
{
    if (s > g->v->n) s = g->v->n;
    if (s == g->v->step) return;
    g->ui.narr_scroll = 0;
    if (animate) hs_ui_anim_from(&g->ui, g->v);
    if (hs_view_goto(g->v, s) != 0) {
        gui_banner(g, HS_BANNER_FAILED, "out of memory while moving to that step");
        return;
    }
    g->ui.anim_t = animate ? 0 : 1;
    g->anim_start = SDL_GetTicks64();
    g->anim_ms = ANIM_MS;
    if (g->ui.playing && play_interval_ms(g) * 0.8 < g->anim_ms) g->anim_ms = play_interval_ms(g) * 0.8;
    /* a pinned chunk stays pinned while stepping (shown whenever a chunk
     * starts at its address) */
    set_title(g);
    g->dirty = true;
}

/* L / Shift+L: the lesson picker.  Opens the next (dir 1) or previous
 * (dir -1) lesson of the list app/ handed down (traces/lessons.txt, the
 * order `heapsim lessons` lists and docs/lessons.md teaches); the header
 * shows its title.  No list: a message says why. */
void gui_step_lesson(gui *g, int dir)
{
    if (g->o.n_lessons == 0) {
        char msg[1200];
        snprintf(msg, sizeof msg, "no lessons: %.1100s",
                 g->o.lessons_err ? g->o.lessons_err : "none listed");
        gui_banner(g, HS_BANNER_FAILED, msg);
        return;
    }
    size_t next = hs_lesson_next(g->o.lessons, g->o.n_lessons, g->v->name, dir);
    gui_open_trace(g, g->o.lessons[next]);
}

/* The lesson list's rows for the ui: names from the list app/ handed down,
 * and which one is on screen. */
static void list_to_ui(gui *g)
{
    g->ui.list_names = g->o.lesson_names;
    g->ui.list_titles = (const char *const *)g->titles;
    g->ui.list_n = g->o.n_lessons;
    g->ui.list_cur = hs_lesson_index(g->o.lessons, g->o.n_lessons, g->v->name);
}

void gui_lesson_titles(gui *g)
{
    if (!g->titles && g->o.n_lessons && g->o.lesson_title) {
        g->titles = calloc(g->o.n_lessons, sizeof *g->titles);
        for (size_t i = 0; g->titles && i < g->o.n_lessons; i++) {
            char t[512];
            g->o.lesson_title(g->o.lessons[i], t, sizeof t);
            g->titles[i] = strdup(t);  /* NULL (out of memory): the row shows the name only */
        }
    }
    list_to_ui(g);
}

/* After the view switched profile (T, V): animate from the old state,
 * clear the selection, retitle.  Cannot fail. */
static void switched(gui *g)
{
    g->ui.anim_t = 0;
    g->anim_start = SDL_GetTicks64();
    g->anim_ms = ANIM_MS;
    g->ui.has_sel = false;
    set_title(g);
    g->dirty = true;
}

/* D: the "what differs" panel.  dir 0 opens it on the version compared
 * last (or the next one after the profile shown); 1 / -1 compare with the
 * next / previous other version.  The rows are built again only when the
 * trace or either profile changed. */
void gui_diff(gui *g, int dir)
{
    hs_profile cur = g->v->profile;
    hs_profile other = g->diff_ok && g->diff.p[1] != cur ? g->diff.p[1] : hs_vdiff_next_other(cur, cur, 1);
    if (dir) other = hs_vdiff_next_other(cur, other, dir);
    if (!g->diff_ok || g->diff.p[0] != cur || g->diff.p[1] != other) {
        g->diff_ok = hs_vdiff_list_build(&g->diff, &g->v->t, cur, other, &g->o.machine) == 0;
        if (!g->diff_ok) {
            g->ui.diff = false;
            gui_banner(g, HS_BANNER_FAILED, "out of memory while comparing the two versions");
            return;
        }
    }
    g->ui.diff = true;
    g->ui.diff_list = &g->diff;
    size_t r = hs_vdiff_list_row_at(&g->diff, g->v->step);
    g->ui.diff_sel = r < g->diff.nrows ? r : 0;
    g->dirty = true;
}

void gui_open_trace(gui *g, const char *path)
{
    char err[1024];
    hs_view *nv = g->o.open_view(path, g->v->profile, err, sizeof err);
    if (!nv) {
        gui_banner(g, HS_BANNER_OPEN_FAILED, err);
        return;
    }
    stop_real(g);
    hs_allocs_free(g->allocs);  /* it reads the old trace */
    g->allocs = NULL;
    g->ui.allocs = NULL;
    hs_view_free(g->v);
    g->v = nv;
    g->ui.playing = false;
    g->ui.anim_t = 1;
    g->ui.has_from = false;
    g->ui.has_sel = false;
    g->ui.follow_id = HS_NO_ID;
    g->ui.map_zoom = 0;
    g->ui.map_pan = 0;
    g->ui.banner[0] = '\0';
    g->ui.diff = false;
    g->diff_ok = false;
    list_to_ui(g);
    start_real(g);
    gui_allocs(g);
    set_title(g);
    g->dirty = true;
}

void gui_save_png(gui *g)
{
    char err[1024], path[1200], base[256];
    snprintf(base, sizeof base, "%s", g->v->name);
    char *dot = strrchr(base, '.');
    if (dot && dot != base) *dot = '\0';
    snprintf(path, sizeof path, "heapsim-%s-step-%03zu.png", base, g->v->step);
    hs_headless *hl = hs_headless_new(g->out_w, g->out_h, err, sizeof err);
    if (!hl) {
        gui_banner(g, HS_BANNER_FAILED, err);
        return;
    }
    hs_ui u = g->ui;
    u.anim_t = 1;
    u.has_from = false;
    u.mouse_in = false;
    u.banner[0] = '\0';
    u.help = u.prompt = false;
    hs_headless_draw(hl, g->v, &u);
    if (hs_headless_save(hl, path, err, sizeof err) != 0) gui_banner(g, HS_BANNER_FAILED, err);
    else {
        char msg[1400];
        snprintf(msg, sizeof msg, "Saved this frame as %s", path);
        gui_banner(g, HS_BANNER_NOTE, msg);
    }
    hs_headless_free(hl);
}

static void toggle_profile(gui *g)
{
    /* the glibc chosen (--glibc, --profile) and the textbook */
    hs_profile base = g->o.profile == HS_PROFILE_TEXTBOOK ? HS_PROFILE_GLIBC_2_36 : g->o.profile;
    hs_profile p = g->v->profile == HS_PROFILE_TEXTBOOK ? base : HS_PROFILE_TEXTBOOK;
    hs_ui_anim_from(&g->ui, g->v);
    if (hs_view_set_profile(g->v, p) != 0) {
        gui_banner(g, HS_BANNER_FAILED, "out of memory while switching the profile");
        return;
    }
    switched(g);
}

/* V / Shift+V: the next / previous glibc version app/ handed down.  The
 * model switches at the same step (the textbook is left for that
 * version's model; T then toggles between it and the textbook) and the real
 * replay starts again on that version, or says why it cannot. */
void gui_version(gui *g, int dir)
{
    size_t n = g->o.n_glibcs;
    if (n == 0) {
        gui_banner(g, HS_BANNER_FAILED, "no other glibc version to switch to");
        return;
    }
    hs_profile cur = g->v->profile == HS_PROFILE_TEXTBOOK ? g->o.profile : g->v->profile;
    size_t at = 0;
    for (size_t i = 0; i < n; i++)
        if (g->o.glibcs[i].profile == cur) at = i;
    const hs_gui_glibc *to = &g->o.glibcs[(at + n + (dir < 0 ? n - 1 : 1)) % n];
    stop_real(g);
    hs_ui_anim_from(&g->ui, g->v);
    if (hs_view_set_profile(g->v, to->profile) != 0) {
        gui_banner(g, HS_BANNER_FAILED, "out of memory while switching the glibc version");
        start_real(g);
        return;
    }
    g->o.profile = to->profile;
    g->o.replayer = to->replayer;
    g->o.ldso = to->ldso;
    g->o.libpath = to->libpath;
    g->o.real_version = to->version;
    g->o.real_err = to->err;
    start_real(g);
    switched(g);
}

void gui_zoom(gui *g, int dz, float at_x, float at_y)
{
    /* keep the byte under the pointer (or the middle of the map) in place */
    const hs_scene *sc = &g->sc;
    hs_rect r = sc->map_rows;
    if (!hs_rect_has(r, at_x, at_y)) {
        at_x = r.x + r.w / 2;
        at_y = r.y + r.h / 2;
    }
    double row = sc->map_rh > 0 ? (at_y - r.y) / sc->map_rh : 0;
    double fx = r.w > 0 ? (at_x - r.x) / r.w : 0.5;
    hs_ui_zoom(&g->ui, dz, sc->map_bpr, sc->map_first, row, fx);
    g->dirty = true;
}

void gui_press_button(gui *g, int b)
{
    switch (b) {
    case HS_BTN_START: g->ui.playing = false; gui_set_step(g, 0, true); break;
    case HS_BTN_BACK: g->ui.playing = false; if (g->v->step) gui_set_step(g, g->v->step - 1, true); break;
    case HS_BTN_PLAY:
        g->ui.playing = !g->ui.playing;
        if (g->ui.playing && g->v->step == g->v->n) gui_set_step(g, 0, false);
        g->next_play = SDL_GetTicks64();
        break;
    case HS_BTN_FWD: g->ui.playing = false; gui_set_step(g, g->v->step + 1, true); break;
    case HS_BTN_END: g->ui.playing = false; gui_set_step(g, g->v->n, true); break;
    case HS_BTN_SPEED: g->ui.speed = (g->ui.speed + 1) % HS_SPEEDS; break;
    case HS_BTN_REAL: g->ui.real_overlay = !g->ui.real_overlay; break;
    case HS_BTN_PROFILE: toggle_profile(g); break;
    case HS_BTN_OPEN:
        hs_ui_prompt_open(&g->ui);  /* empty: the last (maybe failed) path is not kept */
        break;
    case HS_BTN_HELP: g->ui.help = !g->ui.help; break;
    }
    g->dirty = true;
}

static void draw(gui *g)
{
    int w, h;
    if (SDL_GetRendererOutputSize(g->ren, &w, &h) != 0 || w <= 0 || h <= 0) return;
    g->out_w = w;
    g->out_h = h;
    hs_scene_build(&g->sc, g->v, &g->ui, w, h);
    SDL_SetRenderDrawColor(g->ren, 255, 255, 255, 255);
    SDL_RenderClear(g->ren);
    hs_sdl_exec(g->b, &g->sc.dl);
    SDL_RenderPresent(g->ren);
    hs_sdl_end_frame(g->b);
}

static void pick_size(const hs_gui_opts *o, int *w, int *h)
{
    *w = o->w;
    *h = o->h;
    if (*w > 0 && *h > 0) return;
    SDL_Rect r;
    if (SDL_GetDisplayUsableBounds(0, &r) == 0 && r.w > 0 && r.h > 0) {
        *w = r.w * 9 / 10;
        *h = r.h * 9 / 10;
    } else {
        *w = 1600;
        *h = 900;
    }
    if (*w > 1920) *w = 1920;
    if (*h > 1080) *h = 1080;
    if (*w < 800) *w = 800;
    if (*h < 500) *h = 500;
}

/* SDL_Init (SDL_INIT_VIDEO) on a real display.  Connecting to an X server
 * now and then fails for a moment (seen under Xvfb: "x11 not available"),
 * and SDL then quietly falls back to a driver that shows nothing
 * (offscreen, dummy): the window would run where nobody sees it.  Unless
 * the user chose the driver (chosen), such a start is undone and tried
 * again, five times 200 ms apart.  Returns false (SDL_GetError says why)
 * when no visible driver came up. */
static bool init_video(bool chosen)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        if (attempt) SDL_Delay(200);
        if (SDL_Init(SDL_INIT_VIDEO) != 0) continue;
        const char *d = SDL_GetCurrentVideoDriver();
        if (chosen || !d || (strcmp(d, "offscreen") != 0 && strcmp(d, "dummy") != 0 &&
                             strcmp(d, "evdev") != 0))
            return true;
        SDL_Quit();
        SDL_SetError("only the '%s' video driver came up: no visible display", d);
    }
    return false;
}

int hs_gui_run(hs_trace *t, const char *path, const hs_gui_opts *opts)
{
    gui g;
    memset(&g, 0, sizeof g);
    g.o = *opts;
    const char *drv = getenv("SDL_VIDEODRIVER");
    if ((!drv || !*drv) && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
        fprintf(stderr,
                "heapsim: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so no window.\n"
                "Draw steps to PNG files instead:\n"
                "  heapsim render TRACE --step N --out FILE.png [--size WxH]\n"
                "  heapsim render TRACE --all --out-dir DIR\n");
        hs_trace_free(t);
        return 2;
    }
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
    if (!init_video(drv && *drv)) {
        fprintf(stderr,
                "heapsim: cannot open a window: %s\n"
                "Without a display, draw steps to PNG files: heapsim render TRACE --step N --out FILE.png\n",
                SDL_GetError());
        hs_trace_free(t);
        return 2;
    }
    hs_view *v = hs_view_new(t, path, opts->profile, &opts->machine);
    if (!v) {
        fprintf(stderr, "heapsim: out of memory\n");
        SDL_Quit();
        return 2;
    }
    g.v = v;
    int w, h;
    pick_size(opts, &w, &h);
    g.win = SDL_CreateWindow("heapsim", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                             SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI |
                                 (opts->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0));
    if (g.win) {
        /* SDL prefers a GPU renderer and honours SDL_RENDER_DRIVER; no vsync
         * or no GPU falls back to what there is. */
        g.ren = SDL_CreateRenderer(g.win, -1, SDL_RENDERER_PRESENTVSYNC);
        if (!g.ren) g.ren = SDL_CreateRenderer(g.win, -1, 0);
    }
    char err[512];
    if (g.ren) g.b = hs_sdl_new(g.ren, err, sizeof err);
    else snprintf(err, sizeof err, "heapsim: cannot open a window: %s", SDL_GetError());
    if (!g.b) {
        fprintf(stderr, "%s\n", err);
        if (g.ren) SDL_DestroyRenderer(g.ren);
        if (g.win) SDL_DestroyWindow(g.win);
        hs_view_free(v);
        SDL_Quit();
        return 2;
    }
    SDL_SetWindowMinimumSize(g.win, 640, 400);
    /* Text input stays on: keys typed right after O, before the prompt is
     * drawn, still arrive as text.  TEXTINPUT is ignored while no prompt is up. */
    SDL_StartTextInput();
    SDL_EventState(SDL_DROPFILE, SDL_ENABLE);
    hs_sdl_bind(g.b, &g.sc.dl);
    hs_ui_init(&g.ui);
    g.ui.present = opts->present;
    list_to_ui(&g);
    g.wake_event = SDL_RegisterEvents(1);
    start_real(&g);
    set_title(&g);
    g.dirty = true;
    while (!g.quit) {
        /* busy: animating, or real steps still to read or compare */
        bool busy = g.ui.playing || g.ui.anim_t < 1 || g.v->cmp_n < g.v->rn ||
                    g.v->rn < atomic_load(&g.v->real_n) || g.last_real != g.v->rn ||
                    g.last_allocs != hs_allocs_progress(g.allocs);
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, busy ? 8 : 250)) {
            gui_handle(&g, &e);
            while (!g.quit && SDL_PollEvent(&e)) gui_handle(&g, &e);
        }
        atomic_store(&g.wake_pending, 0);
        size_t got = hs_view_real_sync_some(g.v, REAL_SYNC_PER_TURN);
        Uint64 now = SDL_GetTicks64();
        Uint64 every = g.draw_ms * 4 > REAL_REDRAW_MS ? g.draw_ms * 4 : REAL_REDRAW_MS;
        if (got != g.last_real && now - g.last_real_draw >= every) {
            g.last_real = got;
            g.last_real_draw = now;
            g.dirty = true;
        }
        size_t ap = hs_allocs_progress(g.allocs);
        if (ap != g.last_allocs && now - g.last_real_draw >= every) {
            g.last_allocs = ap;
            g.last_real_draw = now;
            g.dirty = true;
        }
        int rs = atomic_load(&g.v->real_state);
        if (rs != g.last_state) {
            g.last_state = rs;
            g.dirty = true;
        }
        if (g.ui.playing && now >= g.next_play) {
            if (g.v->step >= g.v->n) g.ui.playing = false;
            else gui_set_step(&g, g.v->step + 1, true);
            g.next_play = now + (Uint64)play_interval_ms(&g);
            g.dirty = true;
        }
        if (g.ui.anim_t < 1) {
            double at = (double)(now - g.anim_start) / (g.anim_ms > 1 ? g.anim_ms : 1);
            g.ui.anim_t = at >= 1 ? 1 : (float)at;
            g.dirty = true;
        }
        if (g.dirty) {
            g.dirty = false;
            Uint64 t0 = SDL_GetTicks64();
            draw(&g);
            g.draw_ms = SDL_GetTicks64() - t0;
        }
    }
    stop_real(&g);
    hs_allocs_free(g.allocs);
    for (size_t i = 0; g.titles && i < g.o.n_lessons; i++) free(g.titles[i]);
    free(g.titles);
    hs_vdiff_list_free(&g.diff);
    hs_scene_free(&g.sc);
    hs_ui_free(&g.ui);
    hs_sdl_free(g.b);
    SDL_DestroyRenderer(g.ren);
    SDL_DestroyWindow(g.win);
    hs_view_free(g.v);
    SDL_Quit();
    return 0;
}
