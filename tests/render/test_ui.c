/* tests/render/test_ui.c — what each key does, without a display (render/ui.c).
 * Owns: key -> hs_ui change or window command, the prompt's editing, Esc's order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "render/scene.h"

static hs_ui_cmd key(hs_ui *ui, hs_key k, unsigned mods) { return hs_ui_key(ui, k, mods, 10, 100); }

static void buttons_and_commands(void **state)
{
    hs_ui ui;
    hs_ui_init(&ui);
    static const struct { hs_key k; unsigned mods; hs_action act; int arg; } t[] = {
        {HS_KEY_SPACE, 0, HS_ACT_BUTTON, HS_BTN_PLAY},   {HS_KEY_RIGHT, 0, HS_ACT_BUTTON, HS_BTN_FWD},
        {HS_KEY_LEFT, 0, HS_ACT_BUTTON, HS_BTN_BACK},    {HS_KEY_HOME, 0, HS_ACT_BUTTON, HS_BTN_START},
        {HS_KEY_END, 0, HS_ACT_BUTTON, HS_BTN_END},      {HS_KEY_R, 0, HS_ACT_BUTTON, HS_BTN_REAL},
        {HS_KEY_T, 0, HS_ACT_BUTTON, HS_BTN_PROFILE},    {HS_KEY_H, 0, HS_ACT_BUTTON, HS_BTN_HELP},
        {HS_KEY_QUESTION, 0, HS_ACT_BUTTON, HS_BTN_HELP}, {HS_KEY_SLASH, HS_MOD_SHIFT, HS_ACT_BUTTON, HS_BTN_HELP},
        {HS_KEY_SLASH, 0, HS_ACT_NONE, 0},               {HS_KEY_PLUS, 0, HS_ACT_ZOOM, 1},
        {HS_KEY_MINUS, 0, HS_ACT_ZOOM, -1},              {HS_KEY_L, 0, HS_ACT_LESSON, 1},
        {HS_KEY_L, HS_MOD_SHIFT, HS_ACT_LESSON, 1},     {HS_KEY_S, 0, HS_ACT_SAVE_PNG, 0},
        {HS_KEY_F, 0, HS_ACT_FULLSCREEN, 0},             {HS_KEY_Q, 0, HS_ACT_QUIT, 0},
        {HS_KEY_PERIOD, 0, HS_ACT_TOUCH, 1},             {HS_KEY_COMMA, 0, HS_ACT_TOUCH, -1},
        {HS_KEY_N, 0, HS_ACT_BIG_CHANGE, 1},             {HS_KEY_N, HS_MOD_SHIFT, HS_ACT_BIG_CHANGE, -1},
        {HS_KEY_V, 0, HS_ACT_VERSION, 1},                {HS_KEY_V, HS_MOD_SHIFT, HS_ACT_VERSION, -1},
        {HS_KEY_A, 0, HS_ACT_ARENA, 1},                  {HS_KEY_A, HS_MOD_SHIFT, HS_ACT_ARENA, -1},
        {HS_KEY_OTHER, 0, HS_ACT_NONE, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        hs_ui_cmd c = key(&ui, t[i].k, t[i].mods);
        assert_int_equal(c.act, t[i].act);
        if (t[i].act == HS_ACT_BUTTON || t[i].act == HS_ACT_ZOOM || t[i].act == HS_ACT_LESSON ||
            t[i].act == HS_ACT_BIG_CHANGE || t[i].act == HS_ACT_TOUCH || t[i].act == HS_ACT_VERSION ||
            t[i].act == HS_ACT_ARENA)
            assert_int_equal(c.arg, t[i].arg);
        assert_false(c.swallow_text);
    }
    assert_int_equal(ui.plot_sel, HS_SER_RSS);
    assert_false(ui.present);
    assert_int_equal(key(&ui, HS_KEY_P, 0).act, HS_ACT_NONE);   /* presenter mode on, off */
    assert_true(ui.present);
    key(&ui, HS_KEY_P, 0);
    assert_false(ui.present);   /* N searches RSS until a plot is clicked */
    hs_ui_cmd c = key(&ui, HS_KEY_O, 0);
    assert_int_equal(c.act, HS_ACT_BUTTON);
    assert_int_equal(c.arg, HS_BTN_OPEN);
    assert_true(c.swallow_text);   /* the "o" must not land in the prompt */
    hs_ui_free(&ui);
}

/* Esc closes help first, then quits; a message is dismissed by any key and
 * Esc then does only that; Q quits even with a message up. */
static void escape_order(void **state)
{
    hs_ui ui;
    hs_ui_init(&ui);
    ui.help = true;
    assert_int_equal(key(&ui, HS_KEY_ESCAPE, 0).act, HS_ACT_NONE);
    assert_false(ui.help);
    assert_int_equal(key(&ui, HS_KEY_ESCAPE, 0).act, HS_ACT_QUIT);
    strcpy(ui.banner, "saved");
    assert_int_equal(key(&ui, HS_KEY_ESCAPE, 0).act, HS_ACT_NONE);
    assert_string_equal(ui.banner, "");
    strcpy(ui.banner, "saved");
    assert_int_equal(key(&ui, HS_KEY_RIGHT, 0).act, HS_ACT_BUTTON);
    assert_string_equal(ui.banner, "");
    strcpy(ui.banner, "saved");
    assert_int_equal(key(&ui, HS_KEY_Q, 0).act, HS_ACT_QUIT);
    assert_string_equal(ui.banner, "saved");
    hs_ui_free(&ui);
}

static void speed_zoom_pan(void **state)
{
    hs_ui ui;
    hs_ui_init(&ui);
    assert_true(hs_ui_speed(&ui) == 1.0);
    for (int i = 0; i < 10; i++) key(&ui, HS_KEY_RBRACKET, 0);
    assert_int_equal(ui.speed, HS_SPEEDS - 1);
    assert_true(hs_ui_speed(&ui) == 8.0);
    for (int i = 0; i < 10; i++) key(&ui, HS_KEY_LBRACKET, 0);
    assert_int_equal(ui.speed, 0);
    /* 100 rows, 10 visible: the first row stays within 0..90 */
    for (int i = 0; i < 30; i++) key(&ui, HS_KEY_DOWN, 0);
    assert_true(ui.map_pan == 90);
    key(&ui, HS_KEY_PAGEUP, 0);
    assert_true(ui.map_pan == 80);
    key(&ui, HS_KEY_UP, 0);
    assert_true(ui.map_pan == 76);
    for (int i = 0; i < 30; i++) key(&ui, HS_KEY_PAGEUP, 0);
    assert_true(ui.map_pan == 0);
    key(&ui, HS_KEY_PAGEDOWN, 0);
    assert_true(ui.map_pan == 10);
    ui.map_zoom = 3;
    key(&ui, HS_KEY_0, 0);
    assert_int_equal(ui.map_zoom, 0);
    assert_true(ui.map_pan == 0);
    hs_ui_free(&ui);
}

/* Zooming keeps the byte under the pointer in the pointer's row (defect 6:
 * it used to zoom around the middle), in and out, down to 64-byte rows. */
static void zoom_around_pointer(void **state)
{
    (void)state;
    hs_ui ui;
    hs_ui_init(&ui);
    uint64_t bpr = 4096;
    size_t first = 0;
    ui.map_zoom = 1;
    ui.map_pan = 10;
    first = 10;
    double at_row = 3.5, at_x = 0.75;
    double addr = (first + 3 + at_x) * (double)bpr;  /* 56320: in row 13 */
    hs_ui_zoom(&ui, 1, bpr, first, at_row, at_x);
    assert_int_equal(ui.map_zoom, 2);
    bpr /= 2;
    size_t row = (size_t)ui.map_pan + 3;              /* the pointer's row after the zoom */
    assert_true(row * bpr <= addr && addr < (row + 1) * bpr);
    assert_true(ui.map_pan == 24);                    /* 56320 / 2048 = 27.5: row 27 at row 3 */
    /* the byte under the pointer stays in its row all the way in (the x
     * along the row cannot stay too: rows are bytes wrapped at the width) */
    for (int i = 0; i < 5; i++) {
        addr = ((double)(size_t)ui.map_pan + 3 + at_x) * (double)bpr;
        hs_ui_zoom(&ui, 1, bpr, (size_t)ui.map_pan, at_row, at_x);
        bpr /= 2;
        row = (size_t)ui.map_pan + 3;
        assert_true(row * bpr <= addr && addr < (row + 1) * bpr);
    }
    assert_int_equal(bpr, 64);
    int z = ui.map_zoom;
    double pan = ui.map_pan;
    hs_ui_zoom(&ui, 1, bpr, (size_t)ui.map_pan, at_row, at_x);  /* 64 is the floor */
    assert_int_equal(ui.map_zoom, z);
    assert_true(ui.map_pan == pan);
    /* and back out */
    addr = ((double)(size_t)ui.map_pan + 3 + at_x) * (double)bpr;
    hs_ui_zoom(&ui, -1, bpr, (size_t)ui.map_pan, at_row, at_x);
    bpr *= 2;
    row = (size_t)ui.map_pan + 3;
    assert_true(row * bpr <= addr && addr < (row + 1) * bpr);
    /* near the start the pan stops at 0; zoom 0 shows the whole heap */
    hs_ui_zoom(&ui, -1, bpr, 0, 9, 0);
    assert_true(ui.map_pan >= 0);
    ui.map_zoom = 1;
    hs_ui_zoom(&ui, -1, bpr, 5, 2, 0.5);
    assert_int_equal(ui.map_zoom, 0);
    assert_true(ui.map_pan == 0);
    hs_ui_free(&ui);
}

/* L shows the lesson list (from the current lesson), Up/Down/Home/End/
 * PgUp/PgDn choose within it, Enter opens the chosen one, Esc or L closes;
 * with no list L asks the window (which says why there is none). */
static void lesson_list(void **state)
{
    (void)state;
    hs_ui ui;
    hs_ui_init(&ui);
    assert_int_equal(key(&ui, HS_KEY_L, 0).act, HS_ACT_LESSON);  /* no list handed down */
    assert_false(ui.lessons);
    const char *names[12] = {"a.json", "b.json", "c.json", "d.json", "e.json", "f.json",
                             "g.json", "h.json", "i.json", "j.json", "k.json", "l.json"};
    ui.list_names = names;
    ui.list_n = 12;
    ui.list_cur = 2;
    assert_int_equal(key(&ui, HS_KEY_L, 0).act, HS_ACT_NONE);
    assert_true(ui.lessons);
    assert_int_equal(ui.lesson_sel, 2);                          /* starts at the one on screen */
    assert_int_equal(key(&ui, HS_KEY_SPACE, 0).act, HS_ACT_NONE);  /* no playing behind the list */
    key(&ui, HS_KEY_DOWN, 0);
    assert_int_equal(ui.lesson_sel, 3);
    key(&ui, HS_KEY_PAGEDOWN, 0);
    assert_int_equal(ui.lesson_sel, 11);
    key(&ui, HS_KEY_DOWN, 0);
    assert_int_equal(ui.lesson_sel, 11);                         /* stays on the last */
    key(&ui, HS_KEY_HOME, 0);
    key(&ui, HS_KEY_UP, 0);
    assert_int_equal(ui.lesson_sel, 0);
    key(&ui, HS_KEY_END, 0);
    key(&ui, HS_KEY_PAGEUP, 0);
    assert_int_equal(ui.lesson_sel, 3);
    hs_ui_cmd c = key(&ui, HS_KEY_RETURN, 0);
    assert_int_equal(c.act, HS_ACT_OPEN_LESSON);
    assert_int_equal(c.arg, 3);
    assert_false(ui.lessons);
    key(&ui, HS_KEY_L, 0);
    assert_int_equal(key(&ui, HS_KEY_ESCAPE, 0).act, HS_ACT_NONE);  /* closes, does not quit */
    assert_false(ui.lessons);
    key(&ui, HS_KEY_L, 0);
    key(&ui, HS_KEY_L, 0);
    assert_false(ui.lessons);
    assert_int_equal(key(&ui, HS_KEY_L, HS_MOD_SHIFT).act, HS_ACT_LESSON);  /* the next, directly */
    hs_ui_free(&ui);
}

/* D asks the window for the "what differs" panel (which sets ui.diff and
 * hands the rows down); while it is up D / Shift+D cycle the other version,
 * Up/Down/Home/End/PgUp/PgDn choose a row, Enter goes to its step and closes
 * the panel, Esc closes it without quitting, other keys do nothing behind it. */
static void diff_panel(void **state)
{
    (void)state;
    hs_ui ui;
    hs_ui_init(&ui);
    hs_ui_cmd c = key(&ui, HS_KEY_D, 0);
    assert_int_equal(c.act, HS_ACT_DIFF);
    assert_int_equal(c.arg, 0);
    hs_vdiff_row rows[12];
    memset(rows, 0, sizeof rows);
    for (size_t i = 0; i < 12; i++) rows[i].step = 10 + 3 * i;
    hs_vdiff_list l;
    memset(&l, 0, sizeof l);
    l.rows = rows;
    l.nrows = 12;
    ui.diff = true;
    ui.diff_list = &l;
    assert_int_equal(key(&ui, HS_KEY_D, 0).arg, 1);
    c = key(&ui, HS_KEY_D, HS_MOD_SHIFT);
    assert_int_equal(c.act, HS_ACT_DIFF);
    assert_int_equal(c.arg, -1);
    assert_int_equal(key(&ui, HS_KEY_SPACE, 0).act, HS_ACT_NONE);  /* no playing behind it */
    assert_int_equal(key(&ui, HS_KEY_RIGHT, 0).act, HS_ACT_NONE);
    key(&ui, HS_KEY_DOWN, 0);
    assert_int_equal(ui.diff_sel, 1);
    key(&ui, HS_KEY_PAGEDOWN, 0);
    assert_int_equal(ui.diff_sel, 9);
    key(&ui, HS_KEY_END, 0);
    key(&ui, HS_KEY_DOWN, 0);
    assert_int_equal(ui.diff_sel, 11);                           /* stays on the last */
    key(&ui, HS_KEY_HOME, 0);
    key(&ui, HS_KEY_UP, 0);
    assert_int_equal(ui.diff_sel, 0);
    key(&ui, HS_KEY_DOWN, 0);
    key(&ui, HS_KEY_DOWN, 0);
    c = key(&ui, HS_KEY_RETURN, 0);
    assert_int_equal(c.act, HS_ACT_GOTO_STEP);
    assert_int_equal(c.arg, 16);                                 /* row 2's step */
    assert_false(ui.diff);
    ui.diff = true;
    assert_int_equal(key(&ui, HS_KEY_ESCAPE, 0).act, HS_ACT_NONE);  /* closes, does not quit */
    assert_false(ui.diff);
    ui.diff = true;
    l.nrows = 0;                                                 /* nothing differs */
    assert_int_equal(key(&ui, HS_KEY_RETURN, 0).act, HS_ACT_NONE);
    ui.diff = true;
    assert_int_equal(key(&ui, HS_KEY_Q, 0).act, HS_ACT_QUIT);
    hs_ui_free(&ui);
}

/* G opens the go to / find prompt; Enter hands its text to the window as
 * FIND (O's prompt gives OPEN); the G itself is not typed into it. */
static void find_prompt(void **state)
{
    (void)state;
    hs_ui ui;
    hs_ui_init(&ui);
    assert_true(ui.follow_id == HS_NO_ID);
    hs_ui_cmd c = key(&ui, HS_KEY_G, 0);
    assert_true(ui.prompt);
    assert_int_equal(ui.prompt_kind, 1);
    assert_true(c.swallow_text);
    hs_ui_prompt_append(&ui, "p26929");
    c = key(&ui, HS_KEY_RETURN, 0);
    assert_int_equal(c.act, HS_ACT_FIND);
    assert_string_equal(c.path, "p26929");
    c = key(&ui, HS_KEY_O, 0);
    assert_int_equal(c.arg, HS_BTN_OPEN);
    hs_ui_prompt_open(&ui);                  /* what the window does for that button */
    assert_int_equal(ui.prompt_kind, 0);
    hs_ui_prompt_append(&ui, "x.json");
    assert_int_equal(key(&ui, HS_KEY_RETURN, 0).act, HS_ACT_OPEN);
    hs_ui_free(&ui);
}

/* The prompt opens empty and edits at its cursor: Left/Right by whole UTF-8
 * characters, Home/End, Backspace before and Delete at the cursor. */
static void prompt_cursor(void **state)
{
    (void)state;
    hs_ui ui;
    hs_ui_init(&ui);
    snprintf(ui.prompt_text, sizeof ui.prompt_text, "old/failed.json");
    hs_ui_prompt_open(&ui);
    assert_true(ui.prompt);
    assert_string_equal(ui.prompt_text, "");              /* not pre-filled, not the old text */
    hs_ui_prompt_append(&ui, "traces/caf\xC3\xA9.json");
    key(&ui, HS_KEY_HOME, 0);
    hs_ui_prompt_append(&ui, "./");
    assert_string_equal(ui.prompt_text, "./traces/caf\xC3\xA9.json");
    key(&ui, HS_KEY_END, 0);
    for (int i = 0; i < 6; i++) key(&ui, HS_KEY_LEFT, 0); /* before "é" */
    key(&ui, HS_KEY_DELETE, 0);
    assert_string_equal(ui.prompt_text, "./traces/caf.json");
    hs_ui_prompt_append(&ui, "e");
    key(&ui, HS_KEY_RIGHT, 0);
    key(&ui, HS_KEY_BACKSPACE, 0);
    assert_string_equal(ui.prompt_text, "./traces/cafejson");
    key(&ui, HS_KEY_HOME, 0);
    key(&ui, HS_KEY_BACKSPACE, 0);                       /* nothing before the start */
    key(&ui, HS_KEY_DELETE, 0);
    key(&ui, HS_KEY_DELETE, 0);
    assert_string_equal(ui.prompt_text, "traces/cafejson");
    key(&ui, HS_KEY_END, 0);
    key(&ui, HS_KEY_RIGHT, 0);                           /* nothing after the end */
    key(&ui, HS_KEY_DELETE, 0);
    assert_string_equal(ui.prompt_text, "traces/cafejson");
    hs_ui_free(&ui);
}

static void prompt_editing(void **state)
{
    hs_ui ui;
    hs_ui_init(&ui);
    ui.prompt = true;
    hs_ui_prompt_append(&ui, "traces/caf\xC3\xA9");
    assert_int_equal(key(&ui, HS_KEY_Q, 0).act, HS_ACT_NONE);       /* typing, not quitting */
    assert_int_equal(key(&ui, HS_KEY_BACKSPACE, 0).act, HS_ACT_NONE);
    assert_string_equal(ui.prompt_text, "traces/caf");               /* a whole UTF-8 character */
    assert_int_equal(key(&ui, HS_KEY_V, HS_MOD_CTRL).act, HS_ACT_PASTE);
    assert_int_equal(key(&ui, HS_KEY_V, 0).act, HS_ACT_NONE);
    hs_ui_prompt_append(&ui, "e.json");
    hs_ui_cmd c = key(&ui, HS_KEY_RETURN, 0);
    assert_int_equal(c.act, HS_ACT_OPEN);
    assert_string_equal(c.path, "traces/cafe.json");
    assert_false(ui.prompt);
    ui.prompt = true;
    key(&ui, HS_KEY_U, HS_MOD_CTRL);
    assert_string_equal(ui.prompt_text, "");
    assert_int_equal(key(&ui, HS_KEY_RETURN, 0).act, HS_ACT_NONE);  /* empty: nothing to open */
    ui.prompt = true;
    assert_int_equal(key(&ui, HS_KEY_ESCAPE, 0).act, HS_ACT_NONE);
    assert_false(ui.prompt);
    /* appending never overflows */
    ui.prompt = true;
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    hs_ui_prompt_append(&ui, big);
    assert_int_equal(strlen(ui.prompt_text), sizeof ui.prompt_text - 1);
    hs_ui_free(&ui);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buttons_and_commands),
        cmocka_unit_test(escape_order),
        cmocka_unit_test(speed_zoom_pan),
        cmocka_unit_test(zoom_around_pointer),
        cmocka_unit_test(lesson_list),
        cmocka_unit_test(diff_panel),
        cmocka_unit_test(find_prompt),
        cmocka_unit_test(prompt_editing),
        cmocka_unit_test(prompt_cursor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
