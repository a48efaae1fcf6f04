/* tests/sim/test_top.c — top, sysmalloc and systrim against real glibc: brk growth with top_pad, trims, never-trim, quirks.
 * Owns: unit tests of use_top, the brk path of sysmalloc and systrim. */
#include "simtest.h"
#include "sim/event.h"
/* tp_grow: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row top_grow_rows[] = {
    {"m 0 100000 0", 672, 0, 100016, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 100672, 34496, 0, 34496}, 3, NULL},
    {"m 1 100000 0", 100688, 0, 100016, 335872, 0, 0, 12288, {335872, 1, 0, 0, 0, 200688, 135184, 0, 135184}, 4, NULL},
    {"m 2 24 0", 200704, 0, 32, 335872, 0, 0, 16384, {335872, 1, 0, 0, 0, 200720, 135152, 0, 135152}, 5, NULL},
};

static void top_grow(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, top_grow_rows);
    assert_true (has_event (s, HS_EV_USE_TOP));
    hs_sim_free (s);
}

/* tp_trim: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row top_trim_rows[] = {
    {"o 0 1048576", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 300000 300000", 672, 0, 300016, 434176, 0, 0, 303104, {434176, 1, 0, 0, 0, 300672, 133504, 0, 133504}, 76, NULL},
    {"m 1 24 24", 300688, 0, 32, 434176, 0, 0, 303104, {434176, 1, 0, 0, 0, 300704, 133472, 0, 133472}, 76, NULL},
    {"m 2 300000 300000", 300720, 0, 300016, 733184, 0, 0, 602112, {733184, 1, 0, 0, 0, 600720, 132464, 0, 132464}, 149, NULL},
    {"f 2", -1, -1, -1, 434176, 0, 0, 434176, {434176, 1, 0, 0, 0, 300704, 133472, 0, 133472}, 149, NULL},
    {"f 0", -1, -1, -1, 434176, 0, 0, 434176, {434176, 2, 0, 0, 0, 688, 433488, 0, 133472}, 149, NULL},
};

static void top_trim(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, top_trim_rows);
    /* the last free (not next to top) finds top 133472 >= trim threshold
     * 131072, but less than a page above top_pad: nothing to release */
    assert_true (has_event (s, HS_EV_TRIM_NOTHING));
    hs_sim_free (s);
}

/* tp_never_trim: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row top_never_trim_rows[] = {
    {"o 2 -1", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"o 0 1048576", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 300000 300000", 672, 0, 300016, 434176, 0, 0, 303104, {434176, 1, 0, 0, 0, 300672, 133504, 0, 133504}, 76, NULL},
    {"f 0", -1, -1, -1, 434176, 0, 0, 303104, {434176, 1, 0, 0, 0, 656, 433520, 0, 433520}, 76, NULL},
    {"T 0", -1, -1, -1, 4096, 0, 0, 4096, {4096, 1, 0, 0, 0, 656, 3440, 0, 3440}, 76, NULL},
};

static void top_never_trim(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, top_never_trim_rows);

    hs_sim_free (s);
}

/* tp_toppad0: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row top_pad_zero_rows[] = {
    {"o 3 0", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 100 100", 672, 0, 112, 4096, 0, 0, 4096, {4096, 1, 0, 0, 0, 768, 3328, 0, 3328}, 3, NULL},
    {"m 1 5000 5000", 784, 0, 5008, 8192, 0, 0, 8192, {8192, 1, 0, 0, 0, 5776, 2416, 0, 2416}, 4, NULL},
    {"m 2 3000 0", 5792, 0, 3008, 12288, 0, 0, 12288, {12288, 1, 0, 0, 0, 8784, 3504, 0, 3504}, 5, NULL},
};

static void top_pad_zero(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, top_pad_zero_rows);

    hs_sim_free (s);
}

/* tp_toppad_neg: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row top_pad_negative_rows[] = {
    {"o 3 -1", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 100 100", 672, 0, 112, 4096, 0, 0, 4096, {4096, 1, 0, 0, 0, 768, 3328, 0, 3328}, 3, NULL},
    {"m 1 5000 0", 784, 0, 5008, 8192, 0, 0, 8192, {8192, 1, 0, 0, 0, 5776, 2416, 0, 2416}, 4, NULL},
};

static void top_pad_negative(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, top_pad_negative_rows);

    hs_sim_free (s);
}

/* tp_trim0: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row top_trim_threshold_zero_rows[] = {
    {"o 2 0", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 5000 5000", 672, 0, 5008, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5664, 129504, 0, 129504}, 4, NULL},
    {"m 1 70000 70000", 5680, 0, 70016, 135168, 0, 0, 77824, {135168, 1, 0, 0, 0, 75680, 59488, 0, 59488}, 21, NULL},
    {"f 1", -1, -1, -1, 135168, 0, 0, 77824, {135168, 1, 0, 0, 0, 5664, 129504, 0, 129504}, 21, NULL},
};

static void top_trim_threshold_zero(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, top_trim_threshold_zero_rows);

    hs_sim_free (s);
}

/* tp_top32_trim: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row top_32_bytes_malloc_trim_rows[] = {
    {"m 0 134472 0", 672, 0, 134480, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 135136, 32, 0, 32}, 3, NULL},
    {"T 0", -1, -1, -1, 139264, 0, 0, 8192, {139264, 1, 0, 0, 0, 135136, 4128, 0, 4128}, 3, NULL},
    {"m 1 24 24", 135152, 0, 32, 139264, 0, 0, 12288, {139264, 1, 0, 0, 0, 135168, 4096, 0, 4096}, 4, NULL},
};

static void top_32_bytes_malloc_trim(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, top_32_bytes_malloc_trim_rows);

    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (top_grow),
        cmocka_unit_test (top_trim),
        cmocka_unit_test (top_never_trim),
        cmocka_unit_test (top_pad_zero),
        cmocka_unit_test (top_pad_negative),
        cmocka_unit_test (top_trim_threshold_zero),
        cmocka_unit_test (top_32_bytes_malloc_trim),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
