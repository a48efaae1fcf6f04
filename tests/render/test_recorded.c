/* tests/render/test_recorded.c — the window on what a recording brings: callers, threads, arenas.
 * Owns: checks that a recorded trace's longer texts are drawn whole and apart (no cut, no overlap). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/render.h"
#include "view_open.h"

static const int sizes[][2] = {{1024, 768}, {1280, 720}, {1920, 1080}};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static void remove_trace(const char *dir, const char *path)
{
    unlink(path);
    rmdir(dir);
}

/* True when some text the frame drew contains s. */
static bool drew(const hs_scene *sc, const char *s)
{
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT && strstr(sc->dl.text + sc->dl.cmds[i].text, s))
            return true;
    return false;
}

/* Prints every text the frame cut without a mark (for the failure's log). */
static void print_cuts(const hs_scene *sc, int w, int h)
{
    for (size_t c = 0; c < sc->dl.ncut && c < HS_CUT_MAX; c++)
        if (!sc->dl.cuts[c].marked)
            print_message("%dx%d: cut in %s: %s\n", w, h,
                          sc->dl.cuts[c].panel ? sc->dl.cuts[c].panel : "?", sc->dl.cuts[c].text);
}

/* A recorded thread's call with a long caller (python3's threads): what it
 * returned, its caller and its thread are three facts the narration has room
 * for below the call; at 1024x768 (and in presenter mode) they once took a
 * third line and were cut to "called from PyThread_allocate_lock
 * (thread_pthread.h:385) · o…". */
static void test_result_whole(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs-recorded-test-XXXXXX", path[128], err[256];
    hs_view *v = test_view_of_lines(dir, path, sizeof path,
                "{\"format\": \"heapsim-trace/1\", \"title\": \"recorded: python3 thr.py\"}\n"
                "{\"op\": \"malloc\", \"id\": \"b1\", \"size\": 32, \"caller\": \"main (x.c:1)\"}\n"
                "{\"op\": \"malloc\", \"id\": \"b1468\", \"size\": 32, \"thread\": \"T1\", "
                "\"caller\": \"PyThread_allocate_lock (thread_pthread.h:385)\"}\n"
                "{\"op\": \"malloc\", \"id\": \"b2\", \"size\": 1538, \"thread\": \"T1\", "
                "\"caller\": \"_nl_make_l10nflist.localalias (l10nflist.c:166)\"}\n", err, sizeof err);
    if (!v) fail_msg("%s", err);
    hs_ui ui;
    hs_ui_init(&ui);
    for (int present = 0; present < 2; present++)
        for (size_t k = 0; k < NSIZES; k++) {
            ui.present = present;
            hs_headless *hl = hs_headless_new(sizes[k][0], sizes[k][1], err, sizeof err);
            assert_non_null(hl);
            for (size_t step = 2; step <= 3; step++) {
                assert_int_equal(hs_view_goto(v, step), 0);
                const hs_scene *sc = hs_headless_layout(hl, v, &ui);
                print_cuts(sc, sizes[k][0], sizes[k][1]);
                assert_int_equal(sc->dl.nunmarked, 0);
                assert_true(drew(sc, "thread T1"));   /* "on" may end the line above */
            }
            hs_headless_free(hl);
        }
    hs_ui_free(&ui);
    hs_view_free(v);
    remove_trace(dir, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_result_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
