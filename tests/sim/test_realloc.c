/* tests/sim/test_realloc.c — realloc against real glibc: NULL and 0, shrink, grow into top or the next chunk, move, mremap.
 * Owns: unit tests of __libc_realloc, _int_realloc and mremap_chunk. */
#include "simtest.h"
#include "sim/event.h"
/* rl_heap: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row realloc_heap_rows[] = {
    {"r 0 100 100", 672, 0, 112, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 768, 134400, 0, 134400}, 2, NULL},
    {"r 0 0 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 768, 134400, 0, 134400}, 2, NULL},
    {"m 1 100 100", 672, 0, 112, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 768, 134400, 0, 134400}, 2, NULL},
    {"r 1 80 80", 672, 0, 112, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 768, 134400, 0, 134400}, 2, NULL},
    {"r 1 2000 2000", 672, 0, 2016, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 2672, 132496, 0, 132496}, 2, NULL},
    {"r 1 1000 1000", 672, 0, 1008, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 2672, 132496, 0, 132496}, 2, NULL},
    {"m 2 24 24", 2688, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 2704, 132464, 0, 132464}, 2, NULL},
    {"r 1 3000 3000", 2720, 0, 3008, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5712, 129456, 0, 129456}, 3, NULL},
    {"m 3 5000 5000", 5728, 0, 5008, 135168, 0, 0, 12288, {135168, 1, 0, 0, 0, 10720, 124448, 0, 124448}, 4, NULL},
    {"f 3", -1, -1, -1, 135168, 0, 0, 12288, {135168, 1, 0, 0, 0, 5712, 129456, 0, 129456}, 4, NULL},
    {"r 2 3000 3000", 5728, 0, 3008, 135168, 0, 0, 12288, {135168, 1, 0, 0, 0, 8720, 126448, 0, 126448}, 4, NULL},
    {"r 2 7000 7000", 5728, 0, 7008, 135168, 0, 0, 16384, {135168, 1, 0, 0, 0, 12720, 122448, 0, 122448}, 5, NULL},
};

static void realloc_heap(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, realloc_heap_rows);

    hs_sim_free (s);
}

/* rl_next: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row realloc_into_next_rows[] = {
    {"m 0 2000 2000", 672, 0, 2016, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 2672, 132496, 0, 132496}, 2, NULL},
    {"m 1 2000 2000", 2688, 0, 2016, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 4688, 130480, 0, 130480}, 3, NULL},
    {"m 2 24 24", 4704, 0, 32, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 4720, 130448, 0, 130448}, 3, NULL},
    {"f 1", -1, -1, -1, 135168, 0, 0, 8192, {135168, 2, 0, 0, 0, 2704, 132464, 0, 130448}, 3, NULL},
    {"r 0 3000 3000", 672, 0, 3008, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 4720, 130448, 0, 130448}, 3, NULL},
};

static void realloc_into_next(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, realloc_into_next_rows);
    assert_true (has_event (s, HS_EV_REALLOC_NEXT));
    hs_sim_free (s);
}

/* rl_mmap: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row realloc_mmapped_rows[] = {
    {"m 0 200000 200000", -1, 1, 200704, 135168, 1, 200704, 204800, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 51, NULL},
    {"r 0 201000 0", -1, 1, 204800, 135168, 1, 204800, 204800, {135168, 1, 0, 1, 204800, 656, 134512, 0, 134512}, 51, NULL},
    {"r 0 400000 400000", -1, 1, 401408, 135168, 1, 401408, 405504, {135168, 1, 0, 1, 401408, 656, 134512, 0, 134512}, 100, NULL},
    {"r 0 100 100", -1, 1, 4096, 135168, 1, 4096, 8192, {135168, 1, 0, 1, 4096, 656, 134512, 0, 134512}, 100, NULL},
    {"r 0 50000 0", -1, 1, 53248, 135168, 1, 53248, 8192, {135168, 1, 0, 1, 53248, 656, 134512, 0, 134512}, 100, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 100, NULL},
    {"m 1 300000 0", -1, 1, 303104, 135168, 1, 303104, 8192, {135168, 1, 0, 1, 303104, 656, 134512, 0, 134512}, 101, NULL},
};

static void realloc_mmapped(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, realloc_mmapped_rows);

    hs_sim_free (s);
}

/* rl_tommap: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row realloc_to_mmap_rows[] = {
    {"m 0 1000 1000", 672, 0, 1008, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1664, 133504, 0, 133504}, 2, NULL},
    {"r 0 200000 200000", -1, 1, 200704, 135168, 1, 200704, 204800, {135168, 1, 0, 1, 200704, 1664, 133504, 0, 133504}, 51, NULL},
    {"r 0 100 0", -1, 1, 4096, 135168, 1, 4096, 8192, {135168, 1, 0, 1, 4096, 1664, 133504, 0, 133504}, 51, NULL},
};

static void realloc_to_mmap(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, realloc_to_mmap_rows);
    /* realloc (p, 100) of an mmapped chunk stays mmapped */
    assert_true (has_event (s, HS_EV_MREMAP));
    hs_sim_free (s);
}

/* rl_tcache: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row realloc_tcache_rows[] = {
    {"m 0 24 24", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 688, 134480, 0, 134480}, 2, NULL},
    {"m 9 24 24", 704, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 720, 134448, 0, 134448}, 2, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 720, 134448, 0, 134448}, 2, NULL},
    {"r 9 24 24", 704, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 720, 134448, 0, 134448}, 2, NULL},
    {"m 1 24 0", 672, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 720, 134448, 0, 134448}, 2, NULL},
    {"m 2 24 24", 736, 0, 32, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
    {"f 2", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 752, 134416, 0, 134416}, 2, NULL},
    {"r 1 40 40", 768, 0, 48, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 800, 134368, 0, 134368}, 2, NULL},
};

static void realloc_tcache(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, realloc_tcache_rows);

    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (realloc_heap),
        cmocka_unit_test (realloc_into_next),
        cmocka_unit_test (realloc_mmapped),
        cmocka_unit_test (realloc_to_mmap),
        cmocka_unit_test (realloc_tcache),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
