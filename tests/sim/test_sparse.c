/* tests/sim/test_sparse.c — the model's own memory follows what a trace writes, not what it reserves; the kernel's single-request limit.
 * Owns: tests of the sparse page stores (heap bytes, tags, mappings' page vectors) and of hs_sim_set_commit_limit. */
#include <unistd.h>

#include "simtest.h"
#include "sim/event.h"

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

/* Bytes of this test process that are resident (/proc/self/statm): what
 * the model's memory costs the machine.  (Its pointer arrays are reserved
 * for the whole break, 16 bytes a page, but stay untouched where no page
 * was written.)  0 under valgrind, whose own malloc touches what it hands
 * out (the bounds then hold trivially; the plain run checks them).  Fails
 * the test if statm cannot be read. */
static uint64_t held(void)
{
    const char *pre = getenv ("LD_PRELOAD");
    if (pre && strstr (pre, "vgpreload"))
        return 0;
    unsigned long long size = 0, res = 0;
    FILE *f = fopen ("/proc/self/statm", "r");
    assert_non_null (f);
    assert_int_equal (fscanf (f, "%llu %llu", &size, &res), 2);
    fclose (f);
    return res * (uint64_t)sysconf (_SC_PAGESIZE);
}

/* Four untouched 1000 GiB mappings (no commit limit set: only the model's
 * 1 TiB bound) and a clone of that heap: a few MiB, not the quarter of a
 * byte per page a dense page array costs (1 GiB). */
static void huge_mappings_cost_little(void **state)
{
    (void)state;
    uint64_t before = held ();
    hs_sim *s = new_glibc ();
    ops (s, "m 0 1073741824000 0", "m 1 1073741824000 0", "m 2 1073741824000 0",
         "m 3 1073741824000 0", NULL);
    hs_status st;
    hs_sim_status (s, &st);
    assert_int_equal (st.mmaps, 4);
    assert_true (st.mmapped_bytes > 4000 * GIB);
    /* one page each: the header glibc writes, plus the heap's first page */
    assert_int_equal (st.rss, 5 * 4096);
    hs_sim *c = hs_sim_clone (s);
    assert_non_null (c);
    assert_null (hs_sim_check (c));
    uint64_t used = held () - before;
    assert_true (used < 16 * MIB);

    /* a touch of 1 MiB in the middle of one (the pointer is 16 bytes into
     * a page): 257 more pages, and the clone does not see them */
    ops (s, "t 2 536870912000 1048576", NULL);
    hs_sim_status (s, &st);
    assert_int_equal (st.rss, (5 + 257) * 4096);
    assert_null (hs_sim_check (s));
    hs_sim_status (c, &st);
    assert_int_equal (st.rss, 5 * 4096);

    /* munmap lets the pages go */
    ops (s, "f 0", "f 1", "f 2", "f 3", NULL);
    hs_sim_status (s, &st);
    assert_int_equal (st.mmaps, 0);
    assert_int_equal (st.rss, 4096);
    assert_null (hs_sim_check (s));
    hs_sim_free (c);
    hs_sim_free (s);
}

/* A 16 GiB brk heap (M_MMAP_MAX 0), untouched, then trimmed: the model's
 * memory follows the pages written, and trimming gives them back. */
static void huge_brk_heap_costs_little(void **state)
{
    (void)state;
    uint64_t before = held ();
    hs_sim *s = new_glibc ();
    ops (s, "m 0 10 0", "o 1 0", "m 2 100 0", "m 1 17179869184 0", NULL);
    hs_status st;
    hs_sim_status (s, &st);
    assert_true (st.brk > 16 * GIB);
    assert_int_equal (st.mmaps, 0);
    assert_null (hs_sim_check (s));
    assert_true (held () - before < 64 * MIB);

    /* writing 64 MiB of it costs about that much, and the free that trims
     * the heap hands it back */
    ops (s, "t 1 0 67108864", NULL);
    hs_sim_status (s, &st);
    assert_true (st.rss >= 64 * MIB);
    ops (s, "f 1", NULL);
    hs_sim_status (s, &st);
    assert_true (st.brk < MIB);
    assert_null (hs_sim_check (s));
    assert_true (held () - before < 64 * MIB);
    hs_sim_free (s);
}

/* With a limit of 1 GiB (a machine with 1 GiB of RAM + swap), a 2 GiB
 * request is refused whole: the mmap, the brk growth and glibc's fallback;
 * malloc returns NULL and says why.  Smaller requests still pass. */
static void commit_limit_refuses_single_requests(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    assert_int_equal (hs_sim_set_commit_limit (s, GIB), 0);
    hs_sim_set_explain (s, true);
    hs_step st;
    assert_int_equal (apply_line (s, "m 0 2147483648 0", &st), 0);
    assert_false (st.has & HS_HAS_PTR && st.ptr);
    assert_true (has_event (s, HS_EV_KERNEL_REFUSES));
    assert_int_equal (apply_line (s, "m 1 536870912 0", &st), 0);
    assert_true (st.has & HS_HAS_MMAPPED && st.mmapped);
    /* mremap growth by more than the limit is refused; realloc's fallback
     * malloc is refused too: NULL, the old chunk stays */
    assert_int_equal (apply_line (s, "r 1 1879048192 0", &st), 0);
    assert_false (st.has & HS_HAS_PTR && st.ptr);
    assert_int_equal (st.mmaps, 1);
    /* through brk alone (M_MMAP_MAX 0) the same */
    ops (s, "o 1 0", NULL);
    assert_int_equal (apply_line (s, "m 2 2147483648 0", &st), 0);
    assert_false (st.has & HS_HAS_PTR && st.ptr);
    assert_true (has_event (s, HS_EV_KERNEL_REFUSES));
    assert_null (hs_sim_check (s));
    /* too late to change it */
    assert_int_equal (hs_sim_set_commit_limit (s, UINT64_MAX), -1);
    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (huge_mappings_cost_little),
        cmocka_unit_test (huge_brk_heap_costs_little),
        cmocka_unit_test (commit_limit_refuses_single_requests),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
