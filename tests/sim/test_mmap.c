/* tests/sim/test_mmap.c — mmapped chunks against real glibc: the threshold, its dynamic rise, M_MMAP_MAX, munmap misuse.
 * Owns: unit tests of sysmalloc_mmap, munmap_chunk and the dynamic threshold of __libc_free. */
#include "simtest.h"
#include "sim/event.h"
/* mm_threshold: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row mmap_threshold_rows[] = {
    {"m 0 200000 200000", -1, 1, 200704, 135168, 1, 200704, 204800, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 51, NULL},
    {"m 1 131056 0", 672, 0, 131072, 135168, 1, 200704, 208896, {135168, 1, 0, 1, 200704, 131728, 3440, 0, 3440}, 52, NULL},
    {"m 2 131048 0", 131744, 0, 131056, 397312, 1, 200704, 212992, {397312, 1, 0, 1, 200704, 262784, 134528, 0, 134528}, 53, NULL},
};

static void mmap_threshold(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, mmap_threshold_rows);

    hs_sim_free (s);
}

/* mm_dynamic: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row mmap_dynamic_rows[] = {
    {"m 0 200000 100", -1, 1, 200704, 135168, 1, 200704, 8192, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 3, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 3, NULL},
    {"m 1 200000 100", 672, 0, 200016, 331776, 0, 0, 8192, {331776, 1, 0, 0, 0, 200672, 131104, 0, 131104}, 4, NULL},
    {"m 2 300000 100", -1, 1, 303104, 331776, 1, 303104, 12288, {331776, 1, 0, 1, 303104, 200672, 131104, 0, 131104}, 5, NULL},
    {"f 2", -1, -1, -1, 331776, 0, 0, 8192, {331776, 1, 0, 0, 0, 200672, 131104, 0, 131104}, 5, NULL},
    {"m 3 300000 0", 200688, 0, 300016, 634880, 0, 0, 12288, {634880, 1, 0, 0, 0, 500688, 134192, 0, 134192}, 6, NULL},
};

static void mmap_dynamic(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, mmap_dynamic_rows);
    hs_status st;
    hs_sim_status (s, &st);
    assert_int_equal (st.mmap_threshold, 303104);
    assert_int_equal (st.trim_threshold, 606208);
    assert_true (st.dyn_threshold);
    hs_sim_free (s);
}

/* mm_dyn_max: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row mmap_dynamic_max_rows[] = {
    {"m 0 40000000 100", -1, 1, 40001536, 135168, 1, 40001536, 8192, {135168, 1, 0, 1, 40001536, 656, 134512, 0, 134512}, 3, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 3, NULL},
    {"m 1 200000 0", -1, 1, 200704, 135168, 1, 200704, 8192, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 4, NULL},
};

static void mmap_dynamic_max(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, mmap_dynamic_max_rows);

    hs_sim_free (s);
}

/* mm_max0: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row mmap_max_zero_rows[] = {
    {"o 1 0", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 200000 100", 672, 0, 200016, 331776, 0, 0, 8192, {331776, 1, 0, 0, 0, 200672, 131104, 0, 131104}, 4, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 4, NULL},
    {"m 1 200000 0", 672, 0, 200016, 331776, 0, 0, 8192, {331776, 1, 0, 0, 0, 200672, 131104, 0, 131104}, 5, NULL},
};

static void mmap_max_zero(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, mmap_max_zero_rows);
    hs_status st;
    hs_sim_status (s, &st);
    assert_false (st.dyn_threshold);
    hs_sim_free (s);
}

/* mm_pinned: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row mmap_pinned_rows[] = {
    {"o 0 131072", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 200000 100", -1, 1, 200704, 135168, 1, 200704, 8192, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 4, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 4, NULL},
    {"m 1 200000 0", -1, 1, 200704, 135168, 1, 200704, 8192, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 5, NULL},
};

static void mmap_pinned(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, mmap_pinned_rows);

    hs_sim_free (s);
}

/* mm_double: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row mmap_double_free_rows[] = {
    {"m 0 200000 10", -1, 1, 200704, 135168, 1, 200704, 8192, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 3, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 3, NULL},
    {"f 0", -1, -1, -1, 0, 0, 0, 0, {0}, 0, "Segmentation fault"},
};

static void mmap_double_free(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, mmap_double_free_rows);

    hs_sim_free (s);
}

/* mm_munmap_inv: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row mmap_munmap_invalid_rows[] = {
    {"o 4 88", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 1100 0", 672, 0, 1120, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 1776, 133392, 0, 133392}, 3, NULL},
    {"m 1 3000 0", 1792, 0, 3008, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 4784, 130384, 0, 130384}, 4, NULL},
    {"f 1", -1, -1, -1, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 1776, 133392, 0, 133392}, 4, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 4, NULL},
    {"m 2 5000 0", 672, 0, 5008, 135168, 0, 0, 8192, {135168, 1, 0, 0, 0, 5664, 129504, 0, 129504}, 4, NULL},
    {"f 1", -1, -1, -1, 0, 0, 0, 0, {0}, 0, "munmap_chunk(): invalid pointer"},
};

static void mmap_munmap_invalid(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, mmap_munmap_invalid_rows);

    hs_sim_free (s);
}

/* mm_refuse: numbers printed by real glibc 2.36 (Debian 2.36-9+deb12u14) under setarch -R
 * by a throwaway harness (/tmp/h/real.c) running the same calls. */
static const row mmap_refused_rows[] = {
    {"m 0 1152921504606846976 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 2, NULL},
    {"m 1 9223372036854775807 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 2, NULL},
    {"m 2 9223372036854775808 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 2, NULL},
};

static void mmap_refused(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, mmap_refused_rows);

    hs_sim_free (s);
}

/* Where the kernel puts a mapping depends on the process's other mappings:
 * heapsim-replay (strace, under setarch -R) has libc and the TLS block from
 * 0x7ffff7dcf000 to 0x7ffff7fb4000, a 28 KiB hole, then its own pages and
 * ld.so up to mmap_base 0x7ffff7fff000.  memalign (65536, 200K) maps
 * 274432 bytes: too big for the hole, so below the TLS block, at
 * 0x7ffff7d8c000, and the aligned chunk real glibc returned there has 258064
 * bytes (heapsim validate on memalign-64k-mmapped-address.json). */
static void mmap_around_foreign(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    static const uint64_t foreign[][2] = {
        {UINT64_C(0x7ffff7fbb000), UINT64_C(0x7ffff7fff000)},
        {UINT64_C(0x7ffff7dcf000), UINT64_C(0x7ffff7fb4000)},
    };
    assert_int_equal (hs_sim_set_bases (s, UINT64_C(0x55555558b000), UINT64_C(0x7ffff7fff000)), 0);
    assert_int_equal (hs_sim_set_foreign (s, foreign, 2), 0);
    hs_step st;
    assert_int_equal (apply_line (s, "m 0 10 0", &st), 0);
    assert_int_equal (apply_line (s, "a 1 65536 204800 0", &st), 0);
    assert_true (st.mmapped);
    assert_int_equal (st.chunk, 258064);
    assert_int_equal (st.mmapped_bytes, 258064);
    /* overlapping ranges are refused, and nothing is set after the first op */
    static const uint64_t bad[][2] = { {0x1000, 0x3000}, {0x2000, 0x4000} };
    hs_sim *t = new_glibc ();
    assert_int_equal (hs_sim_set_foreign (t, bad, 2), -1);
    hs_sim_free (t);
    assert_int_equal (hs_sim_set_foreign (s, foreign, 2), -1);
    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (mmap_threshold),
        cmocka_unit_test (mmap_dynamic),
        cmocka_unit_test (mmap_dynamic_max),
        cmocka_unit_test (mmap_max_zero),
        cmocka_unit_test (mmap_pinned),
        cmocka_unit_test (mmap_double_free),
        cmocka_unit_test (mmap_munmap_invalid),
        cmocka_unit_test (mmap_refused),
        cmocka_unit_test (mmap_around_foreign),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
