/* tests/sim/test_tcache.c — the model's tcache against real glibc: LIFO, 7 per bin, the 0x290 first chunk, double free.
 * Owns: unit tests of tcache_put/tcache_get/tcache_init and the key double-free check. */
#include "simtest.h"
#include "sim/event.h"
/* tc_lifo: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row tcache_lifo_rows[] = {
    {"m 0 24 24", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
    {"m 1 24 24", 704, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 720, 134448, 0, 134448}, 2, NULL},
    {"m 2 24 24", 736, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
    {"f 1", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
    {"f 2", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
    {"m 3 24 24", 736, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
    {"m 4 24 24", 704, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
    {"m 5 24 24", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
};

static void tcache_lifo(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, tcache_lifo_rows);
    /* the three chunks came back in reverse order of their frees: nothing left cached */
    uint64_t c[8];
    assert_int_equal (bin_list (s, HS_BINS_TCACHE, 0, c, 8), 0);
    hs_sim_free (s);
}

/* tc_limit: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row tcache_limit_rows[] = {
    {"m 0 40 40", 672, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 704, 134464, 0, 134464}, 2, NULL},
    {"m 1 40 40", 720, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
    {"m 2 40 40", 768, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 800, 134368, 0, 134368}, 2, NULL},
    {"m 3 40 40", 816, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 848, 134320, 0, 134320}, 2, NULL},
    {"m 4 40 40", 864, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 896, 134272, 0, 134272}, 2, NULL},
    {"m 5 40 40", 912, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 944, 134224, 0, 134224}, 2, NULL},
    {"m 6 40 40", 960, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 992, 134176, 0, 134176}, 2, NULL},
    {"m 7 40 40", 1008, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1040, 134128, 0, 134128}, 2, NULL},
    {"m 8 40 40", 1056, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1088, 134080, 0, 134080}, 2, NULL},
    {"m 9 40 40", 1104, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
    {"f 1", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
    {"f 2", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
    {"f 3", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
    {"f 4", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
    {"f 5", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
    {"f 6", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
    {"f 7", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 1, 0, 0, 1088, 134080, 48, 134032}, 2, NULL},
    {"f 8", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 1040, 134128, 96, 134032}, 2, NULL},
    {"m 10 40 0", 960, 0, 48, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 1040, 134128, 96, 134032}, 2, NULL},
    {"m 11 40 0", 912, 0, 48, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 1040, 134128, 96, 134032}, 2, NULL},
    {"m 12 40 0", 864, 0, 48, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 1040, 134128, 96, 134032}, 2, NULL},
    {"m 13 40 0", 816, 0, 48, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 1040, 134128, 96, 134032}, 2, NULL},
    {"m 14 40 0", 768, 0, 48, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 1040, 134128, 96, 134032}, 2, NULL},
    {"m 15 40 0", 720, 0, 48, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 1040, 134128, 96, 134032}, 2, NULL},
    {"m 16 40 0", 672, 0, 48, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 1040, 134128, 96, 134032}, 2, NULL},
    {"m 17 40 0", 1056, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
    {"m 18 40 0", 1008, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1136, 134032, 0, 134032}, 2, NULL},
};

static void tcache_limit(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, tcache_limit_rows);
    /* 7 went to the tcache, the 8th and 9th to fastbin 1 (smblks 2 in the rows);
     * the last malloc came from the tcache refilled from the fastbin */
    assert_true (has_event (s, HS_EV_TCACHE_HIT));
    hs_sim_free (s);
}

/* tc_double: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row tcache_double_free_rows[] = {
    {"m 0 100 100", 672, 0, 112, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 768, 134400, 0, 134400}, 2, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 768, 134400, 0, 134400}, 2, NULL},
    {"f 0", -1, -1, -1, 0, 0, 0, 0, {0}, 0, "free(): double free detected in tcache 2"},
};

static void tcache_double_free(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, tcache_double_free_rows);
    assert_true (has_event (s, HS_EV_DOUBLE_FREE_SCAN));
    hs_step st;
    hs_op op = { .kind = HS_OP_MALLOC, .id = 5, .size = 10 };
    assert_int_equal (hs_sim_apply (s, &op, &st), 1);   /* dead heap stays dead */
    assert_string_equal (st.error, "free(): double free detected in tcache 2");
    hs_sim_free (s);
}

/* tc_first_calloc: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row tcache_first_calloc_rows[] = {
    {"c 0 1 24 0", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
    {"r 1 24 24", 704, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 720, 134448, 0, 134448}, 2, NULL},
};

static void tcache_first_calloc(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, tcache_first_calloc_rows);

    hs_sim_free (s);
}

/* tc_first_realloc: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row tcache_first_realloc_rows[] = {
    {"r 0 24 24", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
};

static void tcache_first_realloc(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, tcache_first_realloc_rows);

    hs_sim_free (s);
}

/* tc_first_memalign: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row tcache_first_memalign_rows[] = {
    {"a 0 64 100 100", 64, 0, 112, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 112, 135056, 112, 134944}, 2, NULL},
    {"m 1 24 24", 896, 0, 32, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 800, 134368, 112, 134256}, 2, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 800, 134368, 112, 134256}, 2, NULL},
    {"m 2 24 24", 928, 0, 32, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 832, 134336, 112, 134224}, 2, NULL},
};

static void tcache_first_memalign(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, tcache_first_memalign_rows);
    /* memalign does not make the tcache: lead and tail went to fastbins
     * (smblks 2); the first malloc then carved the 0x290 chunk */
    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (tcache_lifo),
        cmocka_unit_test (tcache_limit),
        cmocka_unit_test (tcache_double_free),
        cmocka_unit_test (tcache_first_calloc),
        cmocka_unit_test (tcache_first_realloc),
        cmocka_unit_test (tcache_first_memalign),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
