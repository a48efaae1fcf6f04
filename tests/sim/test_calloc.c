/* tests/sim/test_calloc.c — calloc against real glibc: no tcache, what is cleared (and so made resident), overflow, perturb.
 * Owns: unit tests of __libc_calloc. */
#include "simtest.h"
#include "sim/event.h"
/* ca_notcache: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row calloc_not_from_tcache_rows[] = {
    {"m 0 24 24", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
    {"c 1 1 24 0", 704, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 720, 134448, 0, 134448}, 2, NULL},
    {"m 2 24 0", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 720, 134448, 0, 134448}, 2, NULL},
};

static void calloc_not_from_tcache(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, calloc_not_from_tcache_rows);

    hs_sim_free (s);
}

/* ca_fresh: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row calloc_fresh_memory_rows[] = {
    {"m 0 100 0", 672, 0, 112, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 768, 134400, 0, 134400}, 2, NULL},
    {"c 1 1 100000 0", 784, 0, 100016, 135168, 0, 0, 102400, {135168, 1, 0, 0, 0, 100784, 34384, 0, 34384}, 26, NULL},
    {"c 2 1 50000 0", 100800, 0, 50016, 282624, 0, 0, 143360, {282624, 1, 0, 0, 0, 150800, 131824, 0, 131824}, 36, NULL},
    {"c 3 1 300000 0", -1, 1, 303104, 282624, 1, 303104, 147456, {282624, 1, 0, 1, 303104, 150800, 131824, 0, 131824}, 37, NULL},
    {"c 4 10 100 0", 150816, 0, 1008, 282624, 1, 303104, 151552, {282624, 1, 0, 1, 303104, 151808, 130816, 0, 130816}, 38, NULL},
};

static void calloc_fresh_memory(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, calloc_fresh_memory_rows);

    hs_sim_free (s);
}

/* ca_reused: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row calloc_reused_and_overflow_rows[] = {
    {"m 0 5000 5000", 672, 0, 5008, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5664, 129504, 0, 129504}, 3, NULL},
    {"m 9 24 24", 5680, 0, 32, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5696, 129472, 0, 129472}, 3, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 8192, {135168, 2, 0, 0, 0, 688, 134480, 0, 129472}, 3, NULL},
    {"c 1 1 5000 0", 672, 0, 5008, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5696, 129472, 0, 129472}, 3, NULL},
    {"c 2 4611686018427387904 4 0", -1, -1, -1, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5696, 129472, 0, 129472}, 3, NULL},
    {"c 3 4611686018427387904 2 0", -1, -1, -1, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5696, 129472, 0, 129472}, 3, NULL},
    {"c 4 0 0 0", 5712, 0, 32, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5728, 129440, 0, 129440}, 3, NULL},
};

static void calloc_reused_and_overflow(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, calloc_reused_and_overflow_rows);

    hs_sim_free (s);
}

/* ca_perturb: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row calloc_perturb_rows[] = {
    {"o 4 88", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"c 0 1 100 0", 672, 0, 112, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 768, 134400, 0, 134400}, 3, NULL},
    {"c 1 1 200000 0", -1, 1, 200704, 135168, 1, 200704, 204800, {135168, 1, 0, 1, 200704, 768, 134400, 0, 134400}, 52, NULL},
    {"m 2 300 0", 784, 0, 320, 135168, 1, 200704, 204800, {135168, 1, 0, 1, 200704, 1088, 134080, 0, 134080}, 52, NULL},
    {"f 2", -1, -1, -1, 135168, 1, 200704, 204800, {135168, 1, 0, 1, 200704, 1088, 134080, 0, 134080}, 52, NULL},
};

static void calloc_perturb(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, calloc_perturb_rows);

    hs_sim_free (s);
}

/* ca_grow: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row calloc_grows_top_rows[] = {
    {"m 0 100000 0", 672, 0, 100016, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 100672, 34496, 0, 34496}, 3, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 3, NULL},
    {"c 1 1 200000 0", -1, 1, 200704, 135168, 1, 200704, 12288, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 4, NULL},
};

static void calloc_grows_top(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, calloc_grows_top_rows);
    assert_true (has_event (s, HS_EV_CALLOC_NOCLEAR));
    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (calloc_not_from_tcache),
        cmocka_unit_test (calloc_fresh_memory),
        cmocka_unit_test (calloc_reused_and_overflow),
        cmocka_unit_test (calloc_perturb),
        cmocka_unit_test (calloc_grows_top),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
