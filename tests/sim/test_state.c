/* tests/sim/test_state.c — the read side of the model: heap walk, bin lists, mmapped chunks, status, clone, events.
 * Owns: unit tests of sim/state.c and sim/explain.c against a layout real glibc produced. */
#include "simtest.h"
#include "sim/event.h"

/* st_walk: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under
 * setarch -R by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row walk_rows[] = {
    {"m 0 24 24", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
    {"m 1 2000 2000", 704, 0, 2016, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 2704, 132464, 0, 132464}, 2, NULL},
    {"m 2 24 24", 2720, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 2736, 132432, 0, 132432}, 2, NULL},
    {"m 3 3000 3000", 2752, 0, 3008, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5744, 129424, 0, 129424}, 3, NULL},
    {"m 4 24 24", 5760, 0, 32, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5776, 129392, 0, 129392}, 3, NULL},
    {"f 1", -1, -1, -1, 135168, 0, 0, 8192, {135168, 2, 0, 0, 0, 3760, 131408, 0, 129392}, 3, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 8192, {135168, 2, 0, 0, 0, 3760, 131408, 0, 129392}, 3, NULL},
    {"m 5 200000 0", -1, 1, 200704, 135168, 1, 200704, 12288, {135168, 2, 0, 1, 200704, 3760, 131408, 0, 129392}, 4, NULL},
    {"f 3", -1, -1, -1, 135168, 1, 200704, 12288, {135168, 3, 0, 1, 200704, 752, 134416, 0, 129392}, 4, NULL},
    {"m 6 100 0", 704, 0, 112, 135168, 1, 200704, 12288, {135168, 3, 0, 1, 200704, 864, 134304, 0, 129392}, 4, NULL},
};

/* The layout those pointers and sizes imply, in address order: chunk =
 * ptr - 16; the free chunks' sizes are what is left between them. */
static const struct { uint64_t addr, size; uint32_t state, id; int32_t bin; } want[] = {
    {0x000, 0x290, HS_CH_INUSE, HS_NO_ID, -1},   /* tcache_perthread_struct */
    {0x290, 32, HS_CH_TCACHE, HS_NO_ID, 0},      /* id 0, freed into tcache bin 0 */
    {0x2b0, 112, HS_CH_INUSE, 6, -1},            /* id 6 split from id 1's old chunk */
    {0x320, 1904, HS_CH_UNSORTED, HS_NO_ID, 1},  /* the remainder */
    {0xa90, 32, HS_CH_INUSE, 2, -1},
    {0xab0, 3008, HS_CH_LARGE, HS_NO_ID, 95},    /* id 3's chunk, sorted */
    {0x1670, 32, HS_CH_INUSE, 4, -1},
    {0x1690, 129392, HS_CH_TOP, HS_NO_ID, -1},
};

static hs_sim *walk_heap(void)
{
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, walk_rows);
    return s;
}

static void state_walk(void **state)
{
    (void)state;
    hs_sim *s = walk_heap ();
    uint64_t cur = 0;
    hs_chunk_info ci;
    size_t n = 0;
    while (hs_sim_heap_next (s, &cur, &ci)) {
        assert_true (n < sizeof want / sizeof want[0]);
        assert_int_equal (ci.addr, want[n].addr);
        assert_int_equal (ci.size, want[n].size);
        assert_int_equal (ci.state, want[n].state);
        assert_int_equal (ci.id, want[n].id);
        assert_int_equal (ci.bin, want[n].bin);
        if (ci.state == HS_CH_UNSORTED) {
            assert_int_equal (ci.fd, HS_BIN_ADDR (1));
            assert_int_equal (ci.bk, HS_BIN_ADDR (1));
        }
        if (ci.state == HS_CH_LARGE) {
            assert_int_equal (ci.fd, HS_BIN_ADDR (95));
            assert_int_equal (ci.bk, HS_BIN_ADDR (95));
        }
        if (ci.state == HS_CH_TCACHE)
            assert_int_equal (ci.fd, HS_NULL_PTR);
        if (ci.id == 6)
            assert_int_equal (ci.req, 100);
        n++;
    }
    assert_int_equal (n, sizeof want / sizeof want[0]);
    /* the walk does not change the heap */
    assert_null (hs_sim_check (s));

    cur = 0;
    assert_true (hs_sim_mmap_next (s, &cur, &ci));
    assert_int_equal (ci.size, 200704);
    assert_int_equal (ci.state, HS_CH_MMAPPED);
    assert_int_equal (ci.id, 5);
    assert_int_equal (ci.req, 200000);
    assert_int_equal (ci.resident, 1);         /* only the header page was written */
    assert_int_equal (ci.flags & 2, 2);
    assert_false (hs_sim_mmap_next (s, &cur, &ci));
    hs_sim_free (s);
}

static void state_bins(void **state)
{
    (void)state;
    hs_sim *s = walk_heap ();
    uint64_t c[4];
    assert_int_equal (hs_sim_bin (s, HS_BINS_UNSORTED, 1, c, 4), 1);
    assert_int_equal (c[0], 0x320);
    assert_int_equal (hs_sim_bin (s, HS_BINS_LARGE, 95, c, 4), 1);
    assert_int_equal (c[0], 0xab0);
    assert_int_equal (hs_sim_bin (s, HS_BINS_TCACHE, 0, c, 4), 1);
    assert_int_equal (c[0], 0x290);
    assert_int_equal (hs_sim_bin (s, HS_BINS_FAST, 0, c, 4), 0);
    assert_int_equal (hs_sim_bin (s, HS_BINS_SMALL, 7, c, 4), 0);
    /* out-of-range indexes are empty, never a crash */
    assert_int_equal (hs_sim_bin (s, HS_BINS_SMALL, 64, c, 4), 0);
    assert_int_equal (hs_sim_bin (s, HS_BINS_LARGE, 128, c, 4), 0);
    assert_int_equal (hs_sim_bin (s, HS_BINS_TCACHE, -1, c, 4), 0);
    assert_int_equal (hs_sim_bin (s, HS_BINS_FAST, 10, c, 4), 0);
    /* max 0: only the length */
    assert_int_equal (hs_sim_bin (s, HS_BINS_UNSORTED, 1, NULL, 0), 1);

    hs_status st;
    hs_sim_status (s, &st);
    assert_int_equal (st.steps, 10);
    assert_int_equal (st.brk, 135168);
    assert_int_equal (st.top, 0x1690);
    assert_int_equal (st.top_size, 129392);
    assert_int_equal (st.mmaps, 1);
    assert_int_equal (st.rss, 12288);
    assert_int_equal (st.mmap_threshold, 131072);
    assert_int_equal (st.trim_threshold, 131072);
    assert_int_equal (st.top_pad, 131072);
    assert_int_equal (st.max_fast, 128);
    assert_true (st.dyn_threshold);
    assert_false (st.dead);

    uint8_t pg[4];
    hs_sim_heap_pages (s, 0, 4, pg);
    assert_int_equal (pg[0], 1);
    assert_int_equal (pg[1], 1);
    assert_int_equal (pg[2], 0);
    hs_sim_heap_pages (s, 1000, 1, pg);             /* past the break */
    assert_int_equal (pg[0], 0);
    hs_sim_free (s);
}

static void state_clone(void **state)
{
    (void)state;
    hs_sim *s = walk_heap ();
    hs_sim *c = hs_sim_clone (s);
    assert_non_null (c);
    assert_null (hs_sim_check (c));
    /* the copy goes its own way; the original does not move */
    ops (c, "f 6", "f 2", "f 4", "f 5", "m 7 1000000 1000000", NULL);
    hs_status a, b;
    hs_sim_status (s, &a);
    hs_sim_status (c, &b);
    assert_int_equal (a.steps, 10);
    assert_int_equal (b.steps, 15);
    assert_int_equal (a.top, 0x1690);
    uint64_t cur = 0;
    hs_chunk_info ci;
    size_t n = 0;
    while (hs_sim_heap_next (s, &cur, &ci))
        n++;
    assert_int_equal (n, sizeof want / sizeof want[0]);
    hs_sim_free (s);
    /* the clone outlives its original */
    ops (c, "f 7", "m 8 24 24", NULL);
    assert_null (hs_sim_check (c));
    hs_sim_free (c);
}

static void state_events(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    size_t n;
    ops (s, "m 0 30720 30720", NULL);
    const hs_event *ev = hs_sim_events (s, &n);
    assert_true (n > 3);
    assert_true (has_event (s, HS_EV_TCACHE_INIT));
    assert_true (has_event (s, HS_EV_BRK_FIRST));
    char buf[256];
    for (size_t i = 0; i < n; i++) {
        assert_true (hs_event_format (&ev[i], buf, sizeof buf) > 0);
        assert_null (strstr (buf, "(event"));
    }
    hs_sim_set_explain (s, false);
    ops (s, "m 1 24 24", NULL);
    hs_sim_events (s, &n);
    assert_int_equal (n, 0);
    hs_sim_free (s);

    /* every code has a sentence, with any numbers, into any buffer */
    for (int code = 1; code < HS_EV_COUNT; code++) {
        hs_event e = { .code = (uint16_t)code, .id = 3, .a = 204816, .b = 131072, .c = 2, .d = 1 };
        int len = hs_event_format (&e, buf, sizeof buf);
        assert_true (len > 0);
        assert_null (strstr (buf, "(event"));
        e.a = UINT64_MAX; e.b = UINT64_MAX; e.c = UINT64_MAX; e.d = UINT64_MAX;
        assert_true (hs_event_format (&e, buf, 8) > 0);
        assert_true (strlen (buf) < 8);
    }
    hs_event bad = { .code = 9999 };
    assert_true (hs_event_format (&bad, buf, sizeof buf) > 0);
}

/* A namer as play/ gives one: the trace's names for threads 1 and up. */
static const char *name_threads(const void *ctx, uint32_t t, char *buf, size_t len)
{
    (void)ctx;
    snprintf (buf, len, t == 1 ? "worker" : "T%u", t);
    return buf;
}

/* Threads in sentences: the main thread by that name, others by the name
 * the caller gives (as the narration names them), else by number. */
static void state_thread_names(void **state)
{
    (void)state;
    char buf[256];
    hs_event e = { .code = HS_EV_ARENA_NEW, .a = 1, .b = 1, .c = 16, .d = 2 };
    hs_event_format_as (&e, name_threads, NULL, buf, sizeof buf);
    assert_non_null (strstr (buf, "thread worker needs an arena"));
    hs_event_format (&e, buf, sizeof buf);
    assert_non_null (strstr (buf, "thread #1 needs an arena"));
    hs_event x = { .code = HS_EV_CROSS_FREE, .a = 1, .b = 0, .c = 0 };
    hs_event_format_as (&x, name_threads, NULL, buf, sizeof buf);
    assert_non_null (strstr (buf, "but the main thread uses arena 0"));
    assert_null (strstr (buf, "#"));
    hs_event q = { .code = HS_EV_THREAD_EXIT, .a = 2, .b = 3, .c = 1 };
    hs_event_format_as (&q, name_threads, NULL, buf, sizeof buf);
    assert_non_null (strstr (buf, "thread T2 exits"));
}

/* The example sentences of the brief, from the figures 1-9 story. */
static void state_sentences(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    ops (s, "m 0 30720 30720", "m 1 40960 40960", "m 2 204800 204800", "m 3 102400 102400", NULL);
    size_t n;
    char buf[256];
    ops (s, "f 2", NULL);
    const hs_event *ev = hs_sim_events (s, &n);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        hs_event_format (&ev[i], buf, sizeof buf);
        if (strstr (buf, "mmap threshold raised from 128 KiB to 204 KiB, trim threshold to 408 KiB"))
            found = true;
    }
    assert_true (found);
    ops (s, "f 1", "f 3", NULL);
    ev = hs_sim_events (s, &n);
    found = false;
    for (size_t i = 0; i < n; i++) {
        hs_event_format (&ev[i], buf, sizeof buf);
        if (strstr (buf, "< trim threshold 408 KiB: no trim"))
            found = true;
    }
    assert_true (found);
    hs_sim_free (s);
}

static void state_dead(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    hs_step st;
    assert_int_equal (apply_line (s, "m 0 24 24", &st), 0);
    assert_int_equal (apply_line (s, "f 0", &st), 0);
    assert_int_equal (apply_line (s, "f 0", &st), 1);
    assert_true (st.has & HS_HAS_ERROR);
    assert_string_equal (st.error, "free(): double free detected in tcache 2");
    assert_int_equal (apply_line (s, "m 1 24 24", &st), 1);
    assert_int_equal (st.step, 4);
    assert_string_equal (st.error, "free(): double free detected in tcache 2");
    hs_status ss;
    hs_sim_status (s, &ss);
    assert_true (ss.dead);
    hs_sim_free (s);
}

static void state_profiles(void **state)
{
    (void)state;
    assert_int_equal (hs_profile_from_name ("glibc-2.36"), HS_PROFILE_GLIBC_2_36);
    assert_int_equal (hs_profile_from_name ("textbook"), HS_PROFILE_TEXTBOOK);
    assert_int_equal (hs_profile_from_name ("dlmalloc"), -1);
    assert_int_equal (hs_profile_from_name (NULL), -1);
    assert_string_equal (hs_profile_name (HS_PROFILE_TEXTBOOK), "textbook");
    assert_string_equal (hs_profile_name (HS_PROFILE_GLIBC_2_36), "glibc-2.36");
    hs_sim *s = new_glibc ();
    assert_int_equal (hs_sim_set_bases (s, 0x555555559001, 0x7ffff7dcf000), -1);
    assert_int_equal (hs_sim_set_bases (s, 0x555555559000, 0x7ffff7dcf000), 0);
    ops (s, "m 0 24 24", NULL);
    assert_int_equal (hs_sim_set_bases (s, 0x555555559000, 0x7ffff7dcf000), -1);
    hs_sim_free (s);
    /* two heaps side by side do not share anything */
    hs_sim *a = new_glibc (), *b = new_glibc ();
    ops (a, "m 0 100 100", NULL);
    ops (b, "m 0 5000 5000", "m 1 100 100", NULL);
    hs_status sa, sb;
    hs_sim_status (a, &sa);
    hs_sim_status (b, &sb);
    assert_int_equal (sa.mi.uordblks, 656 + 112);
    assert_int_equal (sb.mi.uordblks, 656 + 5008 + 112);
    hs_sim_free (a);
    hs_sim_free (b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (state_walk),
        cmocka_unit_test (state_bins),
        cmocka_unit_test (state_clone),
        cmocka_unit_test (state_events),
        cmocka_unit_test (state_sentences),
        cmocka_unit_test (state_thread_names),
        cmocka_unit_test (state_dead),
        cmocka_unit_test (state_profiles),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
