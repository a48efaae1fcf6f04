/* tests/sim/test_sparse.c — the model's own memory follows what a trace writes, not what it reserves; the kernel's single-request limit.
 * Owns: tests of the sparse page stores (heap bytes, listed words, tags, mappings' page vectors), of compaction, and of hs_sim_set_commit_limit. */
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

/* 20,000 live blocks of 16..1040 bytes (10 MiB of heap), as the window's
 * timeline holds them: never written, the model keeps their headers, not
 * their pages; written whole, compaction takes them back to their headers
 * and the gaps between.  Neither changes what the model reports. */
static void written_heap_costs_its_headers(void **state)
{
    (void)state;
    enum { N = 20000 };
    for (int written = 0; written < 2; written++) {
        hs_sim *s = hs_sim_new (HS_PROFILE_GLIBC_2_36, N);
        assert_non_null (s);
        char line[64];
        for (unsigned i = 0; i < N; i++) {
            unsigned n = 16 + (i * 37) % 1025;
            snprintf (line, sizeof line, "m %u %u %u", i, n, written ? n : 0);
            hs_op op;
            hs_step st;
            parse_op (line, &op);
            assert_int_equal (hs_sim_apply (s, &op, &st), 0);
        }
        assert_null (hs_sim_check (s));
        hs_status before, after;
        hs_sim_status (s, &before);
        assert_true (before.brk > 10 * MIB);
        uint64_t held_before = hs_sim_footprint (s);
        hs_sim_compact (s);
        assert_null (hs_sim_check (s));
        hs_sim_status (s, &after);
        assert_int_equal (after.rss, before.rss);
        assert_int_equal (after.minflt, before.minflt);
        assert_int_equal (after.mi.uordblks, before.mi.uordblks);
        /* what a page of headers (and the gaps between blocks) costs: ~500
         * bytes of its 4096 */
        uint64_t held = hs_sim_footprint (s);
        print_message ("written %d: brk %llu, model held %llu bytes, %llu after compacting\n", written,
                       (unsigned long long)before.brk, (unsigned long long)held_before, (unsigned long long)held);
        if (written)
            assert_true (held_before > before.brk);    /* the pages, before */
        assert_true (held < before.brk / 6);
        hs_sim *c = hs_sim_clone (s);
        assert_non_null (c);
        assert_null (hs_sim_check (c));
        assert_true (hs_sim_footprint (c) < before.brk / 6);
        /* writing them again takes the bytes back, and frees still agree */
        hs_step st;
        assert_int_equal (apply_line (c, "t 5 0 100", &st), 0);
        assert_int_equal (apply_line (c, "f 5", &st), 0);
        assert_int_equal (apply_line (s, "t 5 0 100", &st), 0);
        assert_int_equal (apply_line (s, "f 5", &st), 0);
        hs_sim_free (c);
        hs_sim_free (s);
    }
}

static unsigned rnd(uint64_t *x)
{
    *x = *x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (unsigned)(*x >> 33);
}

/* Two models run the same random ops (malloc, calloc, memalign, realloc,
 * free, touches of parts of blocks, M_PERTURB halfway) and one compacts
 * every 50 ops: each step agrees field by field and in its minor faults
 * exactly, and the invariants hold after each compaction. */
static void compaction_changes_nothing(void **state)
{
    (void)state;
    hs_sim *a = new_glibc (), *b = new_glibc ();
    uint64_t size[64] = {0}, x = 42;
    char line[96];
    for (int i = 0; i < 6000; i++) {
        unsigned id = rnd (&x) % 64, r = rnd (&x);
        uint64_t n = r % 16 == 0 ? 150000 + r % 100000 : 1 + r % 3000;
        uint64_t touch = rnd (&x) % 2 ? n : rnd (&x) % (n + 1);
        if (i == 3000)
            snprintf (line, sizeof line, "o %d 165", HS_M_PERTURB);
        else if (!size[id]) {
            switch (r % 3) {
            case 0: snprintf (line, sizeof line, "m %u %llu %llu", id, (unsigned long long)n, (unsigned long long)touch); break;
            case 1: snprintf (line, sizeof line, "c %u 1 %llu %llu", id, (unsigned long long)n, (unsigned long long)touch); break;
            default: snprintf (line, sizeof line, "a %u 64 %llu %llu", id, (unsigned long long)n, (unsigned long long)touch); break;
            }
            size[id] = n;
        } else if (r % 3 == 0) {
            snprintf (line, sizeof line, "f %u", id);
            size[id] = 0;
        } else if (r % 3 == 1) {
            snprintf (line, sizeof line, "r %u %llu %llu", id, (unsigned long long)n, (unsigned long long)touch);
            size[id] = n;
        } else {
            uint64_t off = rnd (&x) % size[id], len = rnd (&x) % (size[id] - off + 1);
            snprintf (line, sizeof line, "t %u %llu %llu", id, (unsigned long long)off, (unsigned long long)len);
        }
        hs_step sa, sb;
        hs_op op;
        parse_op (line, &op);
        int ra = hs_sim_apply (a, &op, &sa), rb = hs_sim_apply (b, &op, &sb);
        assert_int_equal (ra, rb);
        hs_step_cmp cmp;
        if (hs_step_compare (&sa, &sb, op.kind, &cmp) != 0) {
            char why[512];
            hs_step_cmp_summary (&cmp, why, sizeof why);
            fail_msg ("op %d '%s': %s", i, line, why);
        }
        assert_int_equal (sa.minflt, sb.minflt);
        if (i % 50 == 0) {
            hs_sim_compact (b);
            const char *broken = hs_sim_check (b);
            if (broken)
                fail_msg ("after compacting at op %d: %s", i, broken);
        }
    }
    assert_null (hs_sim_check (a));
    hs_sim_free (a);
    hs_sim_free (b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (huge_mappings_cost_little),
        cmocka_unit_test (huge_brk_heap_costs_little),
        cmocka_unit_test (commit_limit_refuses_single_requests),
        cmocka_unit_test (written_heap_costs_its_headers),
        cmocka_unit_test (compaction_changes_nothing),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
