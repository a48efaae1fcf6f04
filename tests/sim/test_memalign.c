/* tests/sim/test_memalign.c — memalign against real glibc: rounding, lead and tail, mmapped chunks, refusals.
 * Owns: unit tests of _mid_memalign and _int_memalign. */
#include "simtest.h"
#include "sim/event.h"
/* ma_heap: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row memalign_heap_rows[] = {
    {"a 0 64 100 100", 64, 0, 112, 135168, 0, 0, 4096, {135168, 1, 2, 0, 0, 112, 135056, 112, 134944}, 2, NULL},
    {"a 1 4096 100 100", 4096, 0, 112, 135168, 0, 0, 8192, {135168, 3, 0, 0, 0, 224, 134944, 0, 130976}, 3, NULL},
    {"a 2 100 100 100", 256, 0, 112, 135168, 0, 0, 8192, {135168, 3, 2, 0, 0, 336, 134832, 176, 130976}, 3, NULL},
    {"a 3 8 100 100", 1120, 0, 112, 135168, 0, 0, 8192, {135168, 3, 2, 0, 0, 1104, 134064, 176, 130976}, 3, NULL},
    {"a 4 24 100 100", 1280, 0, 144, 135168, 0, 0, 8192, {135168, 3, 2, 0, 0, 1296, 133872, 176, 130976}, 3, NULL},
    {"a 5 1024 5000 5000", 5120, 0, 5008, 135168, 0, 0, 12288, {135168, 5, 0, 0, 0, 7376, 127792, 0, 124896}, 4, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 12288, {135168, 5, 0, 0, 0, 7376, 127792, 0, 124896}, 4, NULL},
    {"f 1", -1, -1, -1, 135168, 0, 0, 12288, {135168, 5, 0, 0, 0, 7376, 127792, 0, 124896}, 4, NULL},
    {"f 2", -1, -1, -1, 135168, 0, 0, 12288, {135168, 5, 0, 0, 0, 7376, 127792, 0, 124896}, 4, NULL},
};

static void memalign_heap(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, memalign_heap_rows);

    hs_sim_free (s);
}

/* ma_mmap: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row memalign_mmapped_rows[] = {
    {"a 0 4096 200000 100", -1, 1, 200720, 0, 1, 200720, 8192, {0, 1, 0, 1, 204800, 0, 0, 0, 0}, 3, NULL},
    {"a 1 64 300000 100", -1, 1, 303056, 0, 2, 503776, 12288, {0, 1, 0, 2, 507904, 0, 0, 0, 0}, 4, NULL},
    {"a 2 8192 200000 100", -1, 1, 200720, 0, 3, 704496, 24576, {0, 1, 0, 3, 716800, 0, 0, 0, 0}, 7, NULL},
    {"f 0", -1, -1, -1, 0, 2, 503776, 16384, {0, 1, 0, 2, 512000, 0, 0, 0, 0}, 7, NULL},
    {"f 1", -1, -1, -1, 0, 1, 200720, 12288, {0, 1, 0, 1, 208896, 0, 0, 0, 0}, 7, NULL},
    {"f 2", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 7, NULL},
};

static void memalign_mmapped(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, memalign_mmapped_rows);

    hs_sim_free (s);
}

/* ma_refuse: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row memalign_refused_rows[] = {
    {"m 0 24 24", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
    {"a 1 9223372036854775808 100 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
    {"a 2 9223372036854775809 100 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
    {"a 3 64 9223372036854775807 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
};

static void memalign_refused(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, memalign_refused_rows);

    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (memalign_heap),
        cmocka_unit_test (memalign_mmapped),
        cmocka_unit_test (memalign_refused),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
