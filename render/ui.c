/* render/ui.c — what the user set (hs_ui) and what each key does, without SDL.
 * Owns: hs_ui, the key help (hs_help_keys), key -> action (hs_ui_key). */
#include "scene.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const hs_help_keys[][2] = {
    {"Space", "play / pause"},
    {"Right  /  Left", "one step forward / back (back is instant)"},
    {"Home  /  End", "jump to the start / the end"},
    {"[  /  ]", "slower / faster playback"},
    {"+  /  -", "zoom the heap map in / out around the pointer (also the wheel)"},
    {"Up/Down PgUp/PgDn", "pan the heap map (also drag it with the mouse)"},
    {"0", "heap map: show the whole heap again"},
    {"N  /  Shift+N", "next / previous big change of the underlined plot (click a plot to pick it)"},
    {"R", "real glibc overlay on / off"},
    {"T", "profile: the glibc modelled (--glibc) / textbook"},
    {"A  /  Shift+A", "heap map and bins: next / previous arena (first: follow the op's thread)"},
    {"V  /  Shift+V", "glibc version: next / previous (2.31, 2.36, 2.41), real replay too"},
    {"S", "save this frame as a PNG (in the current directory)"},
    {"F", "fullscreen on / off"},
    {"P", "presenter mode on / off: big type, no heap map or plots"},
    {"L  /  Shift+L", "the lesson list (class order) / straight to the next lesson"},
    {"D  /  Shift+D", "what differs from another glibc version (again: the next / previous)"},
    {"C", "allocators side by side: RSS and faults per allocator (real mode)"},
    {"M", "the replayer's smaps and VIRT/RES/SHR (real mode)"},
    {"G", "go to a step, or find an id or an address (its chunk is followed)"},
    {".  /  ,", "next / previous step that touches the followed chunk's id"},
    {"O", "open a trace (type a path; or drop a file on the window)"},
    {"H  or  ?", "this help"},
    {"Q  /  Esc", "quit (Esc first closes help, prompt or message)"},
    {"Mouse", "hover a chunk for its words and history; a click follows it"},
    {"", "drag the heap map; click or drag the timeline or a plot to jump"},
    {NULL, NULL},
};

static const double speeds[HS_SPEEDS] = {0.25, 0.5, 1, 2, 4, 8};

void hs_ui_init(hs_ui *ui)
{
    memset(ui, 0, sizeof *ui);
    ui->real_overlay = true;
    ui->speed = 2;
    ui->anim_t = 1;
    ui->plot_sel = HS_SER_RSS;
    ui->follow_id = HS_NO_ID;
}

void hs_ui_free(hs_ui *ui)
{
    free(ui->from);
    ui->from = NULL;
    ui->nfrom = ui->capfrom = 0;
}

double hs_ui_speed(const hs_ui *ui)
{
    int i = ui->speed < 0 ? 0 : ui->speed >= HS_SPEEDS ? HS_SPEEDS - 1 : ui->speed;
    return speeds[i];
}

void hs_ui_anim_from(hs_ui *ui, const hs_view *v)
{
    ui->has_from = false;
    size_t n = v->snap.nitems;
    if (n > ui->capfrom) {
        hs_item *p = realloc(ui->from, n * sizeof *p);
        if (!p) return;
        ui->from = p;
        ui->capfrom = n;
    }
    if (n) memcpy(ui->from, v->snap.items, n * sizeof *ui->from);
    ui->nfrom = n;
    ui->from_brk = v->snap.st.brk;
    ui->from_gen = v->snap.gen;   /* the glide's first frame matches once (render/anim.c) */
    ui->has_from = true;
}

void hs_ui_clamp_pan(hs_ui *ui, size_t map_visible, size_t map_nrows)
{
    double max = (double)map_nrows - (double)map_visible;
    if (ui->map_pan > max) ui->map_pan = max;
    if (ui->map_pan < 0) ui->map_pan = 0;
}

void hs_ui_zoom(hs_ui *ui, int dz, uint64_t bpr, size_t first, double at_row, double at_x)
{
    int z = ui->map_zoom + dz;
    if (z < 0) z = 0;
    if (z > 12) z = 12;
    if (at_row < 0) at_row = 0;
    if (at_x < 0) at_x = 0;
    if (at_x > 1) at_x = 1;
    uint64_t nb = bpr;
    for (int d = ui->map_zoom; d < z && nb > 64; d++) nb /= 2;  /* the map's floor: 64 bytes a row */
    for (int d = z; d < ui->map_zoom; d++) nb *= 2;
    if (dz > 0 && nb == bpr) return;  /* already at the finest rows */
    ui->map_zoom = z;
    if (z == 0 || bpr == 0) {
        ui->map_pan = 0;
        return;
    }
    double addr = ((double)first + floor(at_row) + at_x) * (double)bpr;
    ui->map_pan = floor(addr / (double)nb) - floor(at_row);
    if (ui->map_pan < 0) ui->map_pan = 0;
}

void hs_ui_find_open(hs_ui *ui)
{
    hs_ui_prompt_open(ui);
    ui->prompt_kind = 1;
}

void hs_ui_prompt_open(hs_ui *ui)
{
    ui->prompt = true;
    ui->prompt_kind = 0;
    ui->prompt_text[0] = '\0';
    ui->prompt_cur = 0;
}

static bool utf8_cont(char ch) { return ((unsigned char)ch & 0xC0) == 0x80; }

void hs_ui_prompt_append(hs_ui *ui, const char *text)
{
    size_t n = strlen(ui->prompt_text), cur = ui->prompt_cur > n ? n : ui->prompt_cur;
    size_t k = strlen(text), room = sizeof ui->prompt_text - 1 - n;
    if (k > room) {
        k = room;
        while (k > 0 && utf8_cont(text[k])) k--;  /* whole characters only */
    }
    memmove(ui->prompt_text + cur + k, ui->prompt_text + cur, n - cur + 1);
    memcpy(ui->prompt_text + cur, text, k);
    ui->prompt_cur = cur + k;
}

/* A key while the "open a trace" prompt is up: edit the path at the cursor
 * (Left, Right, Home, End, Backspace, Delete, Ctrl+U), Return opens. */
static hs_ui_cmd prompt_key(hs_ui *ui, hs_key k, unsigned mods)
{
    hs_ui_cmd c = {HS_ACT_NONE, 0, false, ""};
    char *t = ui->prompt_text;
    size_t n = strlen(t);
    size_t cur = ui->prompt_cur > n ? n : ui->prompt_cur;
    switch (k) {
    case HS_KEY_ESCAPE:
        ui->prompt = false;
        break;
    case HS_KEY_RETURN:
        ui->prompt = false;
        if (n) {
            c.act = ui->prompt_kind == 1 ? HS_ACT_FIND : HS_ACT_OPEN;
            snprintf(c.path, sizeof c.path, "%s", t);
        }
        break;
    case HS_KEY_LEFT:
        while (cur > 0 && utf8_cont(t[--cur])) {}
        break;
    case HS_KEY_RIGHT:
        if (cur < n) while (++cur < n && utf8_cont(t[cur])) {}
        break;
    case HS_KEY_HOME: cur = 0; break;
    case HS_KEY_END: cur = n; break;
    case HS_KEY_BACKSPACE: {
        size_t a = cur;
        while (a > 0 && utf8_cont(t[--a])) {}
        memmove(t + a, t + cur, n - cur + 1);
        cur = a;
        break;
    }
    case HS_KEY_DELETE: {
        size_t b = cur;
        if (b < n) while (++b < n && utf8_cont(t[b])) {}
        memmove(t + cur, t + b, n - b + 1);
        break;
    }
    case HS_KEY_V:
        if (mods & HS_MOD_CTRL) c.act = HS_ACT_PASTE;
        break;
    case HS_KEY_U:
        if (mods & HS_MOD_CTRL) t[0] = '\0', cur = 0;
        break;
    default:
        break;
    }
    ui->prompt_cur = cur;
    return c;
}

/* Row s of a list of n after a moving key (Up, Down, PgUp, PgDn by 8,
 * Home, End); any other key leaves it.  Never fails. */
static size_t list_move(hs_key k, size_t s, size_t n)
{
    switch (k) {
    case HS_KEY_UP: return s > 0 ? s - 1 : s;
    case HS_KEY_DOWN: return s + 1 < n ? s + 1 : s;
    case HS_KEY_PAGEUP: return s > 8 ? s - 8 : 0;
    case HS_KEY_PAGEDOWN: return s + 8 < n ? s + 8 : (n ? n - 1 : 0);
    case HS_KEY_HOME: return 0;
    case HS_KEY_END: return n ? n - 1 : 0;
    default: return s;
    }
}

/* A key while the lesson list is up: move the choice, Enter opens it, Esc
 * or L closes the list. */
static hs_ui_cmd list_key(hs_ui *ui, hs_key k)
{
    hs_ui_cmd c = {HS_ACT_NONE, 0, false, ""};
    size_t n = ui->list_n, s = ui->lesson_sel < n ? ui->lesson_sel : 0;
    switch (k) {
    case HS_KEY_ESCAPE: case HS_KEY_L: ui->lessons = false; break;
    case HS_KEY_Q: c.act = HS_ACT_QUIT; break;
    case HS_KEY_RETURN:
        ui->lessons = false;
        if (n) c.act = HS_ACT_OPEN_LESSON, c.arg = (int)s;
        break;
    default: s = list_move(k, s, n); break;
    }
    ui->lesson_sel = s;
    return c;
}

/* A key while the "what differs" panel is up: move the choice, Enter goes
 * to its step (and closes the panel), D / Shift+D compare with the next /
 * previous other version, Esc closes. */
static hs_ui_cmd diff_key(hs_ui *ui, hs_key k, unsigned mods)
{
    hs_ui_cmd c = {HS_ACT_NONE, 0, false, ""};
    size_t n = ui->diff_list ? ui->diff_list->nrows : 0, s = ui->diff_sel < n ? ui->diff_sel : 0;
    switch (k) {
    case HS_KEY_ESCAPE: ui->diff = false; break;
    case HS_KEY_Q: c.act = HS_ACT_QUIT; break;
    case HS_KEY_D: c.act = HS_ACT_DIFF, c.arg = mods & HS_MOD_SHIFT ? -1 : 1; break;
    case HS_KEY_RETURN:
        ui->diff = false;
        if (n) c.act = HS_ACT_GOTO_STEP, c.arg = (int)ui->diff_list->rows[s].step;
        break;
    default: s = list_move(k, s, n); break;
    }
    ui->diff_sel = s;
    return c;
}

hs_ui_cmd hs_ui_key(hs_ui *ui, hs_key k, unsigned mods, size_t map_visible, size_t map_nrows)
{
    if (ui->prompt) return prompt_key(ui, k, mods);
    if (ui->lessons) return list_key(ui, k);
    if (ui->diff) return diff_key(ui, k, mods);
    hs_ui_cmd c = {HS_ACT_NONE, 0, false, ""};
    bool shift = mods & HS_MOD_SHIFT;
    if (ui->banner[0] && k != HS_KEY_Q) {
        /* any key dismisses a message; Esc does only that */
        ui->banner[0] = '\0';
        if (k == HS_KEY_ESCAPE) return c;
    }
    switch (k) {
    case HS_KEY_ESCAPE:
        if (ui->help) ui->help = false;
        else c.act = HS_ACT_QUIT;
        break;
    case HS_KEY_Q: c.act = HS_ACT_QUIT; break;
    case HS_KEY_SPACE: c.act = HS_ACT_BUTTON, c.arg = HS_BTN_PLAY; break;
    case HS_KEY_RIGHT: c.act = HS_ACT_BUTTON, c.arg = HS_BTN_FWD; break;
    case HS_KEY_LEFT: c.act = HS_ACT_BUTTON, c.arg = HS_BTN_BACK; break;
    case HS_KEY_HOME: c.act = HS_ACT_BUTTON, c.arg = HS_BTN_START; break;
    case HS_KEY_END: c.act = HS_ACT_BUTTON, c.arg = HS_BTN_END; break;
    case HS_KEY_PLUS: c.act = HS_ACT_ZOOM, c.arg = 1; break;
    case HS_KEY_MINUS: c.act = HS_ACT_ZOOM, c.arg = -1; break;
    case HS_KEY_0: ui->map_zoom = 0; ui->map_pan = 0; break;
    case HS_KEY_UP: ui->map_pan = ui->map_pan > 4 ? ui->map_pan - 4 : 0; break;
    case HS_KEY_DOWN:
        ui->map_pan += 4;
        hs_ui_clamp_pan(ui, map_visible, map_nrows);
        break;
    case HS_KEY_PAGEUP:
        ui->map_pan -= (double)map_visible;
        if (ui->map_pan < 0) ui->map_pan = 0;
        break;
    case HS_KEY_PAGEDOWN:
        ui->map_pan += (double)map_visible;
        hs_ui_clamp_pan(ui, map_visible, map_nrows);
        break;
    case HS_KEY_LBRACKET: if (ui->speed > 0) ui->speed--; break;
    case HS_KEY_RBRACKET: if (ui->speed < HS_SPEEDS - 1) ui->speed++; break;
    case HS_KEY_R: c.act = HS_ACT_BUTTON, c.arg = HS_BTN_REAL; break;
    case HS_KEY_T: c.act = HS_ACT_BUTTON, c.arg = HS_BTN_PROFILE; break;
    case HS_KEY_S: c.act = HS_ACT_SAVE_PNG; break;
    case HS_KEY_F: c.act = HS_ACT_FULLSCREEN; break;
    case HS_KEY_H: case HS_KEY_QUESTION: c.act = HS_ACT_BUTTON, c.arg = HS_BTN_HELP; break;
    case HS_KEY_SLASH: if (shift) c.act = HS_ACT_BUTTON, c.arg = HS_BTN_HELP; break;
    case HS_KEY_L:
        /* L shows the list (with none, the window says why); Shift+L goes
         * straight on to the next lesson of the class */
        if (shift || ui->list_n == 0) c.act = HS_ACT_LESSON, c.arg = 1;
        else {
            ui->lessons = true;
            ui->help = false;
            ui->lesson_sel = ui->list_cur < ui->list_n ? ui->list_cur : 0;
        }
        break;
    case HS_KEY_P: ui->present = !ui->present; break;
    case HS_KEY_G:
        hs_ui_find_open(ui);
        c.swallow_text = true;
        break;
    case HS_KEY_D: c.act = HS_ACT_DIFF, c.arg = 0; break;
    case HS_KEY_C: ui->compare = !ui->compare; c.act = HS_ACT_ALLOCS; break;
    case HS_KEY_M: ui->smaps = !ui->smaps; c.act = HS_ACT_ALLOCS; break;
    case HS_KEY_V: c.act = HS_ACT_VERSION, c.arg = shift ? -1 : 1; break;
    case HS_KEY_A: c.act = HS_ACT_ARENA, c.arg = shift ? -1 : 1; break;
    case HS_KEY_PERIOD: c.act = HS_ACT_TOUCH, c.arg = 1; break;
    case HS_KEY_COMMA: c.act = HS_ACT_TOUCH, c.arg = -1; break;
    case HS_KEY_N: c.act = HS_ACT_BIG_CHANGE, c.arg = shift ? -1 : 1; break;
    case HS_KEY_O:
        c.act = HS_ACT_BUTTON, c.arg = HS_BTN_OPEN;
        c.swallow_text = true;
        break;
    default:
        break;
    }
    return c;
}
