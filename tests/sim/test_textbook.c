/* tests/sim/test_textbook.c — the textbook profile: the articles' figures 1-9 as drawn, on the same API.
 * Owns: unit tests of sim/textbook.c (not validated against glibc: the expected numbers are the articles' picture). */
#include "simtest.h"
#include "sim/event.h"

static hs_sim *new_textbook(void)
{
    hs_sim *s = hs_sim_new (HS_PROFILE_TEXTBOOK, 16);
    assert_non_null (s);
    return s;
}

/* Figures 1-9 of SEEDS.md 001/004: _edata moves by exactly each chunk
 * (request2size: 30K -> 30736, 40K -> 40976, 100K -> 102416), 200K is
 * mmapped, free(C) unmaps, free(B) leaves a hole, free(D) merges B + D at the
 * top (140K >= 128K) and the break moves down to A's end. */
static void textbook_figures(void **state)
{
    (void)state;
    hs_sim *s = new_textbook ();
    hs_step st;
    assert_int_equal (apply_line (s, "m 0 30720 30720", &st), 0);
    assert_int_equal (st.ptr, 16);                 /* no tcache chunk in front */
    assert_int_equal (st.brk, 30736);
    assert_int_equal (apply_line (s, "m 1 40960 40960", &st), 0);
    assert_int_equal (st.brk, 30736 + 40976);
    assert_int_equal (apply_line (s, "m 2 204800 204800", &st), 0);
    assert_true (st.mmapped);
    assert_int_equal (st.mmaps, 1);
    assert_int_equal (st.brk, 30736 + 40976);
    assert_int_equal (apply_line (s, "m 3 102400 102400", &st), 0);
    assert_int_equal (st.brk, 30736 + 40976 + 102416);
    assert_int_equal (apply_line (s, "f 2", &st), 0);
    assert_int_equal (st.mmaps, 0);
    assert_int_equal (st.mmap_threshold, 131072);  /* no dynamic threshold */
    assert_int_equal (apply_line (s, "f 1", &st), 0);
    assert_int_equal (st.brk, 30736 + 40976 + 102416);
    assert_int_equal (st.mi.fordblks, 40976);
    assert_int_equal (apply_line (s, "f 3", &st), 0);
    assert_true (has_event (s, HS_EV_TB_TRIM));
    assert_int_equal (st.brk, 30736);
    assert_int_equal (st.mi.arena, 30736);
    assert_int_equal (st.mi.keepcost, 0);
    assert_int_equal (st.rss, 32768);              /* A's 30736 bytes span 8 pages */
    hs_sim_free (s);
}

/* No tcache and no fastbins: a freed small chunk is merged at once. */
static void textbook_no_caches(void **state)
{
    (void)state;
    hs_sim *s = new_textbook ();
    ops (s, "m 0 24 24", "m 1 24 24", "m 2 24 24", "f 1", NULL);
    uint64_t c[4];
    assert_int_equal (hs_sim_bin (s, HS_BINS_TCACHE, 0, c, 4), 0);
    assert_int_equal (hs_sim_bin (s, HS_BINS_FAST, 0, c, 4), 0);
    assert_int_equal (hs_sim_bin (s, HS_BINS_UNSORTED, 1, c, 4), 1);
    assert_int_equal (c[0], 32);
    ops (s, "f 0", NULL);                           /* merges with chunk 1 */
    assert_int_equal (hs_sim_bin (s, HS_BINS_UNSORTED, 1, c, 4), 1);
    assert_int_equal (c[0], 0);
    ops (s, "f 2", NULL);                           /* all into top: 96 bytes < 128K, stays */
    hs_status st;
    hs_sim_status (s, &st);
    assert_int_equal (st.brk, 96);
    assert_int_equal (st.top, 0);
    assert_int_equal (st.top_size, 96);
    assert_int_equal (st.max_fast, 16);
    assert_false (st.dyn_threshold);
    assert_int_equal (st.top_pad, 0);
    /* the walk ends with top, after nothing */
    uint64_t cur = 0;
    hs_chunk_info ci;
    assert_true (hs_sim_heap_next (s, &cur, &ci));
    assert_int_equal (ci.state, HS_CH_TOP);
    assert_false (hs_sim_heap_next (s, &cur, &ci));
    hs_sim_free (s);
}

/* malloc_trim gives back all of top above pad (rounded up to 16). */
static void textbook_trim(void **state)
{
    (void)state;
    hs_sim *s = new_textbook ();
    ops (s, "m 0 1000 1000", "m 1 50000 50000", "f 1", NULL);
    hs_status st;
    hs_sim_status (s, &st);
    assert_int_equal (st.brk, 1008 + 50016);       /* 50016 < 128K: no trim at free */
    ops (s, "T 100", NULL);
    hs_sim_status (s, &st);
    assert_int_equal (st.brk, 1008 + 112);         /* pad rounded up to 16 */
    assert_int_equal (st.top_size, 112);
    ops (s, "m 2 40 40", "m 3 3000 0", "r 3 6000 6000", "c 4 10 10 0", "a 5 64 100 100", NULL);
    hs_sim_free (s);
}

/* The rest of the API works on a textbook heap: realloc, calloc, memalign,
 * mallopt, misuse. */
static void textbook_api(void **state)
{
    (void)state;
    hs_sim *s = new_textbook ();
    ops (s, "o 0 65536", "m 0 70000 0", "r 0 80000 0", "f 0", "o 7 64", "m 1 24 24", NULL);
    hs_step st;
    assert_int_equal (apply_line (s, "f 1", &st), 0);
    assert_int_equal (apply_line (s, "f 1", &st), 1);
    assert_string_equal (st.error, "double free or corruption (top)");
    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (textbook_figures),
        cmocka_unit_test (textbook_no_caches),
        cmocka_unit_test (textbook_trim),
        cmocka_unit_test (textbook_api),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
