/* tests/sim/test_pages.c — resident pages and minor faults against real glibc (mincore, getrusage).
 * Owns: unit tests of residency: touches, untouched blocks, realloc's copy reads, mremap and munmap. */
#include "simtest.h"
#include "sim/event.h"
/* pg_touch: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row pages_touch_rows[] = {
    {"m 0 10000 0", 672, 0, 10016, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 10672, 124496, 0, 124496}, 3, NULL},
    {"m 1 10000 5000", 10688, 0, 10016, 135168, 0, 0, 16384, {135168, 1, 0, 0, 0, 20688, 114480, 0, 114480}, 5, NULL},
    {"t 0 100 5000", -1, -1, -1, 135168, 0, 0, 20480, {135168, 1, 0, 0, 0, 20688, 114480, 0, 114480}, 6, NULL},
    {"t 0 9000 1000", -1, -1, -1, 135168, 0, 0, 20480, {135168, 1, 0, 0, 0, 20688, 114480, 0, 114480}, 6, NULL},
    {"m 2 50000 0", 20704, 0, 50016, 135168, 0, 0, 24576, {135168, 1, 0, 0, 0, 70704, 64464, 0, 64464}, 7, NULL},
    {"t 2 0 1", -1, -1, -1, 135168, 0, 0, 24576, {135168, 1, 0, 0, 0, 70704, 64464, 0, 64464}, 7, NULL},
    {"t 2 49999 1", -1, -1, -1, 135168, 0, 0, 24576, {135168, 1, 0, 0, 0, 70704, 64464, 0, 64464}, 7, NULL},
    {"f 1", -1, -1, -1, 135168, 0, 0, 24576, {135168, 2, 0, 0, 0, 60688, 74480, 0, 64464}, 7, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 24576, {135168, 2, 0, 0, 0, 50672, 84496, 0, 64464}, 7, NULL},
    {"m 3 20000 0", 672, 0, 20032, 135168, 0, 0, 24576, {135168, 1, 0, 0, 0, 70704, 64464, 0, 64464}, 7, NULL},
};

static void pages_touch(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, pages_touch_rows);

    hs_sim_free (s);
}

/* pg_realloc_read: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row pages_realloc_reads_rows[] = {
    {"m 0 5000 5000", 672, 0, 5008, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5664, 129504, 0, 129504}, 3, NULL},
    {"r 0 9000 0", 672, 0, 9008, 135168, 0, 0, 12288, {135168, 1, 0, 0, 0, 9664, 125504, 0, 125504}, 4, NULL},
    {"m 1 24 0", 9680, 0, 32, 135168, 0, 0, 12288, {135168, 1, 0, 0, 0, 9696, 125472, 0, 125472}, 4, NULL},
    {"r 0 20000 0", 9712, 0, 20016, 135168, 0, 0, 24576, {135168, 2, 0, 0, 0, 20704, 114464, 0, 105456}, 7, NULL},
};

static void pages_realloc_reads(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, pages_realloc_reads_rows);

    hs_sim_free (s);
}

/* pg_mmap: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row pages_mmapped_rows[] = {
    {"o 0 131072", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 300000 0", -1, 1, 303104, 135168, 1, 303104, 8192, {135168, 1, 0, 1, 303104, 656, 134512, 0, 134512}, 4, NULL},
    {"t 0 0 300000", -1, -1, -1, 135168, 1, 303104, 307200, {135168, 1, 0, 1, 303104, 656, 134512, 0, 134512}, 77, NULL},
    {"r 0 500000 0", -1, 1, 503808, 135168, 1, 503808, 307200, {135168, 1, 0, 1, 503808, 656, 134512, 0, 134512}, 77, NULL},
    {"r 0 100000 0", -1, 1, 102400, 135168, 1, 102400, 106496, {135168, 1, 0, 1, 102400, 656, 134512, 0, 134512}, 77, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 77, NULL},
};

static void pages_mmapped(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, pages_mmapped_rows);

    hs_sim_free (s);
}

/* fig: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row pages_figures_rows[] = {
    {"m 0 30720 30720", 672, 0, 30736, 135168, 0, 0, 32768, {135168, 1, 0, 0, 0, 31392, 103776, 0, 103776}, 9, NULL},
    {"m 1 40960 40960", 31408, 0, 40976, 135168, 0, 0, 73728, {135168, 1, 0, 0, 0, 72368, 62800, 0, 62800}, 19, NULL},
    {"m 2 204800 204800", -1, 1, 208896, 135168, 1, 208896, 282624, {135168, 1, 0, 1, 208896, 72368, 62800, 0, 62800}, 70, NULL},
    {"m 3 102400 102400", 72384, 0, 102416, 307200, 1, 208896, 385024, {307200, 1, 0, 1, 208896, 174784, 132416, 0, 132416}, 95, NULL},
    {"f 2", -1, -1, -1, 307200, 0, 0, 176128, {307200, 1, 0, 0, 0, 174784, 132416, 0, 132416}, 95, NULL},
    {"f 1", -1, -1, -1, 307200, 0, 0, 176128, {307200, 2, 0, 0, 0, 133808, 173392, 0, 132416}, 95, NULL},
    {"f 3", -1, -1, -1, 307200, 0, 0, 176128, {307200, 1, 0, 0, 0, 31392, 275808, 0, 275808}, 95, NULL},
};

static void pages_figures(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, pages_figures_rows);

    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (pages_touch),
        cmocka_unit_test (pages_realloc_reads),
        cmocka_unit_test (pages_mmapped),
        cmocka_unit_test (pages_figures),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
