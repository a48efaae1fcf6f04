/* tests/sim/test_misuse.c — misuse glibc does not catch at once: stale pointers to reused mappings, a cyclic fastbin.
 * Owns: unit tests of the model's memory (kernel address reuse, safe-linked lists overwritten by the program). */
#include "simtest.h"
#include "sim/event.h"

/* mm_reuse: the first four rows are what real glibc 2.36 (Debian
 * 2.36-9+deb12u14, setarch -R) printed via the throwaway harness
 * /tmp/h/real.c.  With the threshold pinned, the second 200000-byte block
 * gets the first one's address back (strace: both mmap calls returned
 * 0x7ffff7d9e000), so the stale free(0) passes glibc's checks and unmaps
 * block 1 (strace: munmap(0x7ffff7d9e000, 200704) = 0); touching block 1
 * then faults. */
static const row reuse_rows[] = {
    {"o 0 131072", -1, -1, -1, 0, 0, 0, 0, {0, 1, 0, 0, 0, 0, 0, 0, 0}, 2, NULL},
    {"m 0 200000 10", -1, 1, 200704, 135168, 1, 200704, 8192, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 4, NULL},
    {"f 0", -1, -1, -1, 135168, 0, 0, 4096, {135168, 1, 0, 0, 0, 656, 134512, 0, 134512}, 4, NULL},
    {"m 1 200000 0", -1, 1, 200704, 135168, 1, 200704, 8192, {135168, 1, 0, 1, 200704, 656, 134512, 0, 134512}, 5, NULL},
};

static void misuse_mmap_reuse(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    RUN_ROWS (s, reuse_rows);
    hs_step st;
    assert_int_equal (apply_line (s, "f 0", &st), 0);   /* unmaps block 1 */
    assert_true (has_event (s, HS_EV_MUNMAP));
    assert_int_equal (st.mmaps, 0);
    assert_int_equal (st.mi.hblks, 0);
    assert_int_equal (apply_line (s, "t 1 0 100", &st), 1);
    assert_string_equal (st.error, "Segmentation fault");
    hs_sim_free (s);
}

/* free(a), free(b), free(a) with the tcache bin full: glibc does not see
 * the double free (a is not at the top of the fastbin), the fastbin becomes
 * a cycle, a is handed out twice, the program's write over a's fd leaves a
 * garbage (safe-linked) pointer in the tcache, and the next malloc of that
 * size aborts.  Real glibc (harness /tmp/h/real.c with mallinfo2 off, since
 * mallinfo2 itself loops forever on the cycle) aborted at op 30 with
 * "malloc(): unaligned tcache chunk detected". */
static void misuse_fastbin_cycle(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "m 0 24 0", "m 1 24 0", "m 2 24 0", "m 3 24 0", "m 4 24 0", "m 5 24 0", "m 6 24 0",
        "m 7 24 0", "m 8 24 0", "f 2", "f 3", "f 4", "f 5", "f 6", "f 7", "f 8", "f 0", "f 1",
        "f 0", "m 10 24 0", "m 11 24 0", "m 12 24 0", "m 13 24 0", "m 14 24 0", "m 15 24 0",
        "m 16 24 0", "m 17 24 24", "m 18 24 0", "m 19 24 0", "m 20 24 0",
    };
    hs_sim *s = new_glibc ();
    hs_step st;
    for (size_t i = 0; i + 1 < sizeof lines / sizeof lines[0]; i++) {
        hs_op op;
        parse_op (lines[i], &op);
        assert_int_equal (hs_sim_apply (s, &op, &st), 0);   /* check() is moot on a cyclic list */
    }
    hs_op op;
    parse_op (lines[29], &op);
    assert_int_equal (hs_sim_apply (s, &op, &st), 1);
    assert_string_equal (st.error, "malloc(): unaligned tcache chunk detected");
    hs_sim_free (s);
}

/* A touch of an id that holds NULL (a refused malloc) does nothing, as the
 * replayer skips it; a free of it is free(NULL). */
static void misuse_null_slot(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    hs_step st;
    assert_int_equal (apply_line (s, "m 0 9223372036854775808 0", &st), 0);
    assert_false (st.has & HS_HAS_CHUNK);
    assert_int_equal (apply_line (s, "t 0 0 100", &st), 0);
    assert_int_equal (apply_line (s, "f 0", &st), 0);
    assert_true (has_event (s, HS_EV_FREE_NULL));
    /* realloc of an id bound to NULL is malloc */
    assert_int_equal (apply_line (s, "m 1 9223372036854775808 0", &st), 0);
    assert_int_equal (apply_line (s, "r 1 100 100", &st), 0);
    assert_true (st.has & HS_HAS_PTR);
    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (misuse_mmap_reuse),
        cmocka_unit_test (misuse_fastbin_cycle),
        cmocka_unit_test (misuse_null_slot),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
