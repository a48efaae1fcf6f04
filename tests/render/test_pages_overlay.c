/* tests/render/test_pages_overlay.c — the heap map's per-page residency overlay, fed synthetic real data.
 * Owns: checks that pages where model and real glibc differ are marked (and only those), the textbook
 * note warning, and the compact real-data stores behind the view (render/reallog.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/render.h"
#include "view_open.h"
#include "render/theme.h"

#define FIG HS_SOURCE_DIR "/tests/render/fig.json"
#define W 1920
#define H 1080
#define MAXP 256   /* pages of fig.json's heap, with room */

/* Runs of the 1s in vec[0..n), into runs (room for n); returns how many. */
static size_t to_runs(const uint8_t *vec, size_t n, hs_page_run *runs)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!vec[i]) continue;
        if (k && runs[k - 1].first + runs[k - 1].count == i) runs[k - 1].count++;
        else runs[k++] = (hs_page_run){(uint32_t)i, 1};
    }
    return k;
}

/* Feeds v "real glibc" = the model's own steps and pages, except that at
 * step flip_step page flip_page's residency is inverted (flip_step 0:
 * none).  with_pages false: no page data at all. */
static void feed_real(hs_view *v, size_t flip_step, uint64_t flip_page, bool with_pages)
{
    assert_int_equal(hs_view_real_begin(v), 0);
    hs_sim *s = hs_sim_new(v->profile, v->t.n_ids);
    assert_non_null(s);
    static uint8_t vec[MAXP];
    static hs_page_run runs[MAXP];
    for (size_t i = 0; i < v->n; i++) {
        hs_step st;
        memset(&st, 0, sizeof st);
        hs_sim_apply(s, &v->t.ops[i], &st);
        st.has &= ~(uint32_t)HS_HAS_THRESH;   /* as the replayer: no thresholds */
        uint64_t pages = (st.brk + 4095) / 4096;
        assert_true(pages <= MAXP);
        hs_sim_heap_pages(s, 0, MAXP, vec);
        if (i + 1 == flip_step) vec[flip_page] ^= 1;
        hs_real_pages pg = {st.step, pages, pages, runs, to_runs(vec, pages, runs)};
        if (with_pages) hs_view_real_push_pages(v, &pg);
        hs_view_real_push(v, &st);
        hs_view_real_sync(v);
    }
    hs_sim_free(s);
    hs_view_real_finish(v, 0, NULL);
    assert_int_equal(hs_view_real_sync(v), v->n);
}

static hs_view *open_fig(hs_profile p)
{
    char err[1024];
    hs_view *v = test_view_open(FIG, p, err, sizeof err);
    if (!v) fprintf(stderr, "%s\n", err);
    assert_non_null(v);
    return v;
}

static hs_headless *canvas(void)
{
    char err[1024];
    hs_headless *hl = hs_headless_new(W, H, err, sizeof err);
    if (!hl) fprintf(stderr, "%s\n", err);
    assert_non_null(hl);
    return hl;
}

/* Whether some pixel near (x, y) has colour c (the X's centre is anti-aliased). */
static bool color_near(const hs_headless *hl, float x, float y, hs_color c)
{
    for (int dy = -3; dy <= 3; dy++)
        for (int dx = -3; dx <= 3; dx++) {
            hs_color p = hs_headless_pixel(hl, (int)lroundf(x) + dx, (int)lroundf(y) + dy);
            if (abs(p.r - c.r) <= 12 && abs(p.g - c.g) <= 12 && abs(p.b - c.b) <= 12) return true;
        }
    return false;
}

/* Real glibc = the model everywhere: no page is marked, the count is 0. */
static void agreeing_pages_are_not_marked(void **state)
{
    hs_view *v = open_fig(HS_PROFILE_GLIBC_2_36);
    feed_real(v, 0, 0, true);
    assert_int_equal(v->ndis, 0);
    hs_headless *hl = canvas();
    for (size_t s = 1; s <= v->n; s++) {
        assert_int_equal(hs_view_goto(v, s), 0);
        uint8_t out[MAXP];
        uint64_t pages;
        assert_int_equal(hs_view_real_heap_pages(v, s, 0, MAXP, out, &pages), HS_RPG_OK);
        const hs_scene *sc = hs_headless_draw(hl, v, NULL);
        assert_false(sc->dl.oom);
        assert_int_equal(sc->map_differ, 0);
        assert_true(sc->map_mark.w <= 0);
    }
    hs_headless_free(hl);
    hs_view_free(v);
}

/* One page flipped at step 5 (D = malloc(100K)): exactly that page is
 * marked, with a vermillion X on it, and only at that step. */
static void a_differing_page_is_marked(void **state)
{
    const size_t step = 5;
    const uint64_t page = 3;   /* inside A: resident in the model, so "real" says not */
    hs_view *v = open_fig(HS_PROFILE_GLIBC_2_36);
    feed_real(v, step, page, true);
    hs_headless *hl = canvas();
    assert_int_equal(hs_view_goto(v, step), 0);
    const hs_scene *sc = hs_headless_draw(hl, v, NULL);
    assert_int_equal(sc->map_differ, 1);
    assert_true(sc->map_mark.w > 4 && sc->map_mark.h > 4);
    /* the mark sits on page 3: row 0 (1 row = 32K = 8 pages), the 4th page */
    assert_true(sc->map_bpr >= 4 * 4096);
    float pw = sc->map_rows.w * 4096.0f / (float)sc->map_bpr;
    float want_x = sc->map_rows.x + page * pw;
    assert_true(fabsf(sc->map_mark.x - want_x) < 3);
    assert_true(fabsf(sc->map_mark.y - sc->map_rows.y) < 3);
    /* its X: vermillion at the centre, the frame dark at a corner */
    float cx = sc->map_mark.x + sc->map_mark.w / 2, cy = sc->map_mark.y + sc->map_mark.h / 2;
    assert_true(color_near(hl, cx, cy, HS_C_ALERT));
    hs_color corner = hs_headless_pixel(hl, (int)sc->map_mark.x, (int)(sc->map_mark.y + sc->map_mark.h / 3));
    assert_true(corner.r < 90 && corner.g < 90 && corner.b < 90);
    char err[1024];
    /* HS_KEEP_PNG=1 keeps the frame for a look: /tmp/hs-pages-overlay-mismatch.png */
    assert_int_equal(hs_headless_save(hl, "/tmp/hs-pages-overlay-mismatch.png", err, sizeof err), 0);
    if (!getenv("HS_KEEP_PNG")) unlink("/tmp/hs-pages-overlay-mismatch.png");
    /* the steps around it are clean */
    for (size_t s = step - 1; s <= step + 1; s += 2) {
        assert_int_equal(hs_view_goto(v, s), 0);
        sc = hs_headless_draw(hl, v, NULL);
        assert_int_equal(sc->map_differ, 0);
    }
    /* R off: no real overlay, no mark */
    assert_int_equal(hs_view_goto(v, step), 0);
    hs_ui ui;
    hs_ui_init(&ui);
    ui.real_overlay = false;
    sc = hs_headless_draw(hl, v, &ui);
    assert_int_equal(sc->map_differ, 0);
    assert_true(sc->map_mark.w <= 0);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
}

/* Real steps without page data (a replay that did not ask): nothing marked. */
static void no_page_data_no_marks(void **state)
{
    hs_view *v = open_fig(HS_PROFILE_GLIBC_2_36);
    feed_real(v, 0, 0, false);
    uint8_t out[4];
    uint64_t pages;
    assert_int_equal(hs_view_real_heap_pages(v, 3, 0, 4, out, &pages), HS_RPG_NONE);
    hs_headless *hl = canvas();
    assert_int_equal(hs_view_goto(v, 5), 0);
    const hs_scene *sc = hs_headless_draw(hl, v, NULL);
    assert_int_equal(sc->map_differ, 0);
    hs_headless_free(hl);
    hs_view_free(v);
}

/* The textbook profile with a glibc 2.36 note on screen says so. */
static void textbook_note_is_flagged(void **state)
{
    hs_headless *hl = canvas();
    hs_view *v = open_fig(HS_PROFILE_GLIBC_2_36);
    assert_int_equal(hs_view_goto(v, 4), 0);   /* "C goes to the mmap area" */
    assert_false(hs_headless_draw(hl, v, NULL)->note_warn);
    assert_int_equal(hs_view_set_profile(v, HS_PROFILE_TEXTBOOK), 0);
    assert_true(hs_headless_draw(hl, v, NULL)->note_warn);
    assert_int_equal(hs_view_goto(v, 3), 0);   /* no note */
    assert_false(hs_headless_draw(hl, v, NULL)->note_warn);
    assert_int_equal(hs_view_goto(v, 0), 0);   /* the description */
    assert_true(hs_headless_draw(hl, v, NULL)->note_warn);
    hs_view_free(v);
    hs_headless_free(hl);
}

/* hs_rlog: any step reads back as it went in, in any order, compactly. */
static void rlog_round_trip(void **state)
{
    hs_rlog *l = hs_rlog_new();
    assert_non_null(l);
    enum { N = 200000 };
    uint64_t x = 88172645463325252ull;
    hs_step st, got;
    memset(&st, 0, sizeof st);
    for (size_t i = 1; i <= N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        st.step = (uint32_t)i;
        st.has = HS_HAS_MEASURES | HS_HAS_MALLINFO | (x & 1 ? HS_HAS_PTR | HS_HAS_CHUNK : 0);
        st.ptr = x & 1 ? (x >> 8) % (1u << 24) : 0;
        st.chunk = x & 1 ? 32 + ((x >> 40) % 64) * 16 : 0;
        st.brk += (x % 97 == 0) ? 135168 : 0;
        st.rss += (x % 5 == 0) ? 4096 : 0;
        st.minflt += x % 5 == 0;
        st.rss_anon = -(int64_t)(x % 3);
        st.mi.uordblks = (x >> 20) % 100000;
        st.mi.fordblks = st.brk - st.mi.uordblks % (st.brk + 1);
        st.mi.arena = st.brk;
        if (i == N) {
            st.has = HS_HAS_ERROR;
            snprintf(st.error, sizeof st.error, "free(): double free detected in tcache 2");
        }
        assert_int_equal(hs_rlog_append(l, &st), 0);
        if (i % 9973 == 0 || i == N) {
            assert_true(hs_rlog_get(l, i, &got));
            assert_memory_equal(&got, &st, sizeof st);
        }
    }
    assert_int_equal(hs_rlog_count(l), N);
    /* backwards and random: rebuild the same way and compare */
    assert_false(hs_rlog_get(l, 0, &got));
    assert_false(hs_rlog_get(l, N + 1, &got));
    assert_true(hs_rlog_get(l, 1, &got));
    assert_int_equal(got.step, 1);
    assert_true(hs_rlog_get(l, N, &got));
    assert_string_equal(got.error, "free(): double free detected in tcache 2");
    size_t bytes = hs_rlog_bytes(l);
    print_message("rlog: %zu steps in %zu bytes (%.1f bytes/step; hs_step is %zu)\n", (size_t)N,
                  bytes, (double)bytes / N, sizeof(hs_step));
    assert_true(bytes < (size_t)N * 64);
    hs_rlog_free(l);
}

/* hs_rpages: runs read back; unchanged steps share bytes; the budget holds. */
static void rpages_budget(void **state)
{
    hs_page_run runs[3] = {{0, 8}, {10, 1}, {20, 5}};
    hs_real_pages pg = {1, 30, 30, runs, 3};
    hs_rpages *p = hs_rpages_new(64 * 1024);
    assert_non_null(p);
    size_t stored = 0;
    int rc = 0;
    for (size_t i = 1; rc == 0; i++) {
        pg.step = (uint32_t)i;
        runs[1].first = 10 + (uint32_t)(i / 2 % 5);   /* changes every other step */
        rc = hs_rpages_append(p, i == 7 ? NULL : &pg);
        if (rc == 0) stored = i;
        assert_true(i < 100000);
    }
    assert_int_equal(rc, 1);
    assert_int_equal(hs_rpages_full(p), stored + 1);
    assert_true(hs_rpages_bytes(p) <= 2 * 64 * 1024 + 4096);
    uint8_t out[32];
    uint64_t pages;
    assert_int_equal(hs_rpages_get(p, 7, 0, 32, out, &pages), HS_RPG_NONE);
    assert_int_equal(hs_rpages_get(p, stored + 1, 0, 32, out, &pages), HS_RPG_BUDGET);
    assert_int_equal(hs_rpages_get(p, 4, 0, 32, out, &pages), HS_RPG_OK);
    assert_int_equal(pages, 30);
    for (int i = 0; i < 32; i++) {
        int want = i < 8 || i == 12 || (i >= 20 && i < 25);
        assert_int_equal(out[i], want);
    }
    /* a window inside, and a cut: pages past covered are unknown */
    runs[1].first = 10;
    hs_rpages_clear(p);
    pg.covered = 15;
    pg.n_runs = 2;
    assert_int_equal(hs_rpages_append(p, &pg), 0);
    assert_int_equal(hs_rpages_get(p, 1, 5, 20, out, &pages), HS_RPG_OK);
    for (int i = 0; i < 20; i++) {
        int pgno = 5 + i;
        int want = pgno < 8 || pgno == 10 ? 1 : pgno >= 15 ? HS_PAGE_UNKNOWN : 0;
        assert_int_equal(out[i], want);
    }
    print_message("rpages: %zu steps fit in a 64 KiB budget\n", stored);
    hs_rpages_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agreeing_pages_are_not_marked),
        cmocka_unit_test(a_differing_page_is_marked),
        cmocka_unit_test(no_page_data_no_marks),
        cmocka_unit_test(textbook_note_is_flagged),
        cmocka_unit_test(rlog_round_trip),
        cmocka_unit_test(rpages_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
