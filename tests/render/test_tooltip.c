/* tests/render/test_tooltip.c — the chunk tooltip says what glibc 2.36 stores in the chunk's words.
 * Owns: checks of the tooltip's header words, safe-linked fd and its decoding, against glibc's layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/render.h"
#include "view_open.h"

#define TRACE HS_SOURCE_DIR "/traces/tcache-fastbins.json"

/* True when some text the frame drew contains needle. */
static bool drew(const hs_scene *sc, const char *needle)
{
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT && strstr(sc->dl.text + sc->dl.cmds[i].text, needle))
            return true;
    return false;
}

/* Hovers the box of region's chunk at addr (HS_HIT_MAP or HS_HIT_SPACE,
 * its own under the pointer) and returns the frame with its tooltip. */
static const hs_scene *hover_at(hs_headless *hl, const hs_view *v, hs_ui *ui, int region, uint64_t addr)
{
    ui->mouse_in = false;
    const hs_scene *sc = hs_headless_draw(hl, v, ui);
    bool found = false;
    for (size_t i = 0; i < sc->nhits && !found; i++) {
        const hs_hit *h = &sc->hits[i];
        if (h->region != region || h->addr != addr || h->kind == HS_HIT_BIN) continue;
        float x = h->r.x + h->r.w / 2, y = h->r.y + h->r.h / 2;
        hs_hit top;
        if (hs_scene_hit(sc, x, y, &top) && top.addr == addr && top.region == region) {
            ui->mx = x;
            ui->my = y;
            found = true;
        }
    }
    assert_true(found);
    ui->mouse_in = true;
    return hs_headless_draw(hl, v, ui);
}

/* Hovers the main heap's chunk c and returns the frame with its tooltip. */
static const hs_scene *hover(hs_headless *hl, const hs_view *v, hs_ui *ui, const hs_chunk_info *c)
{
    return hover_at(hl, v, ui, 0, c->addr);
}

/* test_view_of_lines, failing the test when it does not open. */
static hs_view *open_lines(char *dir, char *path, size_t len, const char *lines)
{
    char err[1024];
    hs_view *v = test_view_of_lines(dir, path, len, lines, err, sizeof err);
    if (!v) fail_msg("%s", err);
    return v;
}

/* glibc 2.36 malloc.c: #define PROTECT_PTR(pos, ptr) ((((size_t) pos) >> 12) ^ ((size_t) ptr)),
 * tcache_put: e->next = PROTECT_PTR (&e->next, tcache->entries[tc_idx]) where e is the
 * user pointer (chunk + 16) and entries[] hold user pointers; fastbin free: p->fd =
 * PROTECT_PTR (&p->fd, old) with old a chunk pointer.  The last entry stores
 * PROTECT_PTR (&fd, NULL) = &fd >> 12, which decodes to NULL. */
static void test_tooltip_words(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(TRACE, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    hs_headless *hl = hs_headless_new(1920, 1080, err, sizeof err);
    assert_non_null(hl);
    assert_int_equal(hs_view_goto(v, 27), 0);
    hs_ui ui;
    hs_ui_init(&ui);
    ui.real_overlay = false;
    int seen_tc = 0, seen_fast_last = 0;
    for (size_t i = 0; i < v->snap.nheap; i++) {
        const hs_chunk_info *c = &v->snap.heap[i];
        if (c->state != HS_CH_TCACHE && c->state != HS_CH_FASTBIN) continue;
        uint64_t base = c->abs - c->addr;
        uint64_t pos = c->abs + 16; /* &e->next == &p->fd */
        uint64_t next = c->fd == HS_NULL_PTR ? 0
                        : base + c->fd + (c->state == HS_CH_TCACHE ? 16 : 0);
        assert_int_equal(c->fd_word, (pos >> 12) ^ next);
        const hs_scene *sc = hover(hl, v, &ui, c);
        char want[96];
        snprintf(want, sizeof want, "fd  0x%" PRIx64 "  (stored, mangled)", (pos >> 12) ^ next);
        assert_true(drew(sc, want));
        snprintf(want, sizeof want, "prev_size  0x%" PRIx64, c->prev_size);
        assert_true(drew(sc, want));
        snprintf(want, sizeof want, "size  0x%" PRIx64 " ", c->size | c->flags);
        if (!drew(sc, want)) fail_msg("no [%s] for chunk heap + 0x%" PRIx64, want, c->addr);
        if (c->state == HS_CH_TCACHE)   /* glibc draws tcache_key at random in each process */
            assert_true(drew(sc, "(tcache_key: random in each process; the model's stand-in)"));
        if (c->fd == HS_NULL_PTR) {
            assert_true(drew(sc, "next NULL (last in its bin)"));
            assert_false(drew(sc, "bin head"));
            seen_fast_last += c->state == HS_CH_FASTBIN;
        } else if (c->state == HS_CH_TCACHE) {
            snprintf(want, sizeof want, "next 0x%" PRIx64 " = user ptr", next);
            assert_true(drew(sc, want));
            seen_tc++;
        }
        if (getenv("HS_TOOLTIP_PNG") && seen_tc == 1 && c->state == HS_CH_TCACHE)
            hs_headless_save(hl, getenv("HS_TOOLTIP_PNG"), err, sizeof err);
        ui.mouse_in = false;
    }
    assert_true(seen_tc > 0);
    assert_true(seen_fast_last > 0);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
}

/* A recorded chunk's history line (allocated ... by CALLER, freed ... by
 * CALLER) wider than a 1024-pixel window wraps onto more lines instead of
 * ending in "…": every caller's name is drawn whole. */
static void test_tooltip_wraps(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs-tip-test-XXXXXX", path[256], err[1024];
    hs_view *v = open_lines(dir, path, sizeof path, "{\"format\": \"heapsim-trace/1\", \"title\": \"callers\"}\n"
          "{\"op\": \"malloc\", \"id\": \"b1\", \"size\": 2000, "
          "\"caller\": \"_PyObject_Malloc_with_a_long_name_from_a_recording+0x1064f4 (python3.11)\"}\n"
          "{\"op\": \"malloc\", \"id\": \"b2\", \"size\": 2000}\n"
          "{\"op\": \"free\", \"id\": \"b1\", "
          "\"caller\": \"_PyObject_Free_with_another_long_name_from_it+0x13f8df (python3.11)\"}\n");
    hs_headless *hl = hs_headless_new(1024, 768, err, sizeof err);
    assert_non_null(hl);
    assert_int_equal(hs_view_goto(v, 2), 0);
    hs_ui ui;
    hs_ui_init(&ui);
    ui.real_overlay = false;
    const hs_chunk_info *c = NULL;
    for (size_t i = 0; i < v->snap.nheap; i++)
        if (v->snap.heap[i].id == 0) c = &v->snap.heap[i];   /* b1 */
    assert_non_null(c);
    const hs_scene *sc = hover(hl, v, &ui, c);
    assert_true(drew(sc, "b1: allocated at step 1 by"));
    assert_true(drew(sc, "_PyObject_Free_with_another_long_name_from_it+0x13f8df"));
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT)
            assert_null(strstr(sc->dl.text + sc->dl.cmds[i].text, "\xE2\x80\xA6"));   /* no "…" */
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
    unlink(path);
    rmdir(dir);
}

/* A chunk of a thread's arena says which arena's heap it is in: W2, in
 * arena 2 (the heap map's title says so), once read "arena 3's heap". */
static void test_tooltip_arena(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(HS_SOURCE_DIR "/traces/seed000-thread-arenas.json", HS_PROFILE_GLIBC_2_36,
                                err, sizeof err);
    assert_non_null(v);
    hs_headless *hl = hs_headless_new(1280, 720, err, sizeof err);
    assert_non_null(hl);
    assert_int_equal(hs_view_goto(v, 4), 0);   /* W2 = malloc(8M) on thread T2 */
    assert_int_equal(v->arena, 2);
    const hs_snap *as = hs_view_sel_snap(v);
    const hs_chunk_info *c = NULL;
    for (size_t i = 0; i < as->nheap; i++)
        if (as->heap[i].id == hs_view_slot(v, "W2")) c = &as->heap[i];
    assert_non_null(c);
    hs_ui ui;
    hs_ui_init(&ui);
    ui.real_overlay = false;
    const hs_scene *sc = hover_at(hl, v, &ui, 2, c->addr);
    assert_true(drew(sc, "chunk W2"));
    char want[96];
    snprintf(want, sizeof want, "(arena 2's heap + 0x%" PRIx64 ")", c->addr);
    assert_true(drew(sc, want));
    assert_false(drew(sc, "arena 3"));
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
}

/* A recording names its blocks by address lifetimes and reuses a name once
 * the block is freed (python3's b1511 was handed out, freed, then handed out
 * again elsewhere while the old chunk sat in the tcache).  The free chunk's
 * history tells its own lifetime (allocated at step 1, freed at step 3),
 * not the name's current one (allocated at step 4, never freed). */
static void test_tooltip_former_lifetime(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs-tip-test-XXXXXX", path[256], err[1024];
    hs_view *v = open_lines(dir, path, sizeof path, "{\"format\": \"heapsim-trace/1\", \"title\": \"reused names\"}\n"
          "{\"op\": \"malloc\", \"id\": \"a\", \"size\": 24, \"caller\": \"first (x.c:1)\"}\n"
          "{\"op\": \"malloc\", \"id\": \"g\", \"size\": 24}\n"
          "{\"op\": \"free\", \"id\": \"a\", \"caller\": \"done (x.c:2)\"}\n"
          "{\"op\": \"malloc\", \"id\": \"a\", \"size\": 200, \"caller\": \"second (x.c:3)\"}\n");
    hs_headless *hl = hs_headless_new(1280, 720, err, sizeof err);
    assert_non_null(hl);
    assert_int_equal(hs_view_goto(v, 4), 0);
    const hs_chunk_info *c = NULL;
    for (size_t i = 0; i < v->snap.nheap; i++)
        if (v->snap.heap[i].state == HS_CH_TCACHE) c = &v->snap.heap[i];
    assert_non_null(c);
    hs_ui ui;
    hs_ui_init(&ui);
    ui.real_overlay = false;
    const hs_scene *sc = hover(hl, v, &ui, c);
    assert_true(drew(sc, "chunk a  (freed, now tcache)"));
    assert_true(drew(sc, "a: allocated at step 1 by first (x.c:1), freed at step 3 by done (x.c:2)"));
    assert_false(drew(sc, "a: allocated at step 4"));
    /* the block a is now: its own lifetime */
    for (size_t i = 0; i < v->snap.nheap; i++)
        if (v->snap.heap[i].state == HS_CH_INUSE && v->snap.heap[i].size == 208) c = &v->snap.heap[i];
    sc = hover(hl, v, &ui, c);
    assert_true(drew(sc, "a: allocated at step 4 by second (x.c:3), never freed"));
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
    unlink(path);
    rmdir(dir);
}

/* Defect 9: a pinned chunk's box never covers the timeline's buttons, and
 * the R button does not look on when real glibc is not replayed. */
static void test_pinned_and_real_button(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(TRACE, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    hs_headless *hl = hs_headless_new(1024, 768, err, sizeof err);
    assert_non_null(hl);
    assert_int_equal(hs_view_goto(v, 27), 0);
    hs_ui ui;
    hs_ui_init(&ui);
    assert_true(ui.real_overlay);
    /* pin the lowest chunk of the address-space column (the tooltip opens beside it) */
    const hs_scene *sc = hs_headless_draw(hl, v, &ui);
    const hs_hit *low = NULL;
    for (size_t i = 0; i < sc->nhits; i++)
        if (sc->hits[i].kind == HS_HIT_SPACE && (!low || sc->hits[i].r.y > low->r.y)) low = &sc->hits[i];
    assert_non_null(low);
    ui.has_sel = true;
    ui.sel_region = low->region;
    ui.sel_addr = low->addr;
    sc = hs_headless_draw(hl, v, &ui);
    /* the tooltip's yellow backing is nowhere on the timeline */
    hs_rect tl = sc->timeline;
    for (float y = tl.y + 1; y < tl.y + tl.h; y += 2)
        for (float x = 0; x < sc->w; x += 2) {
            hs_color c = hs_headless_pixel(hl, (int)x, (int)y);
            assert_false(c.r == 0xff && c.g == 0xff && c.b == 0xe8);
        }
    /* R: not replayed, so drawn off (light inside its frame) */
    hs_rect b = sc->btn[HS_BTN_REAL];
    hs_color in = hs_headless_pixel(hl, (int)(b.x + b.w * 0.08f), (int)(b.y + b.h * 0.2f));
    assert_true(in.r > 200 && in.g > 200 && in.b > 200);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tooltip_words),
        cmocka_unit_test(test_pinned_and_real_button),
        cmocka_unit_test(test_tooltip_wraps),
        cmocka_unit_test(test_tooltip_arena),
        cmocka_unit_test(test_tooltip_former_lifetime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
