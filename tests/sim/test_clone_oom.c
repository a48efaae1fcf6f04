/* tests/sim/test_clone_oom.c — hs_sim_clone and hs_sim_clone_reusing when memory runs out at each of their allocations in turn.
 * Owns: the allocation-failure walk over a clone of a heap with arenas, threads and earlier heaps (malloc/calloc wrapped by the linker). */
#include "simtest.h"

/* The linker sends every malloc and calloc of this program (the model's
 * included: -Wl,--wrap, tests/CMakeLists.txt) here.  fail_at > 0 counts
 * calls down and fails the one that reaches 0; 0 fails none. */
void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
static long fail_at;

void *__wrap_malloc(size_t n)
{
    if (fail_at > 0 && --fail_at == 0)
        return NULL;
    return __real_malloc (n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    if (fail_at > 0 && --fail_at == 0)
        return NULL;
    return __real_calloc (k, n);
}

/* A heap with two arenas, two threads and an arena that outgrew its first
 * 64 MiB heap (new_heap: the old one becomes an earlier heap), so a clone
 * copies the loaded region, every other arena's region and the earlier
 * heaps.  Untouched requests: the model keeps no bytes for them. */
static hs_sim *busy_heap(void)
{
    hs_sim *s = hs_sim_new (HS_PROFILE_GLIBC_2_36, 1000);
    assert_non_null (s);
    assert_int_equal (hs_sim_set_cpus (s, 2, 2), 0);
    char line[64];
    run_on (s, 0, "m 0 5000 5000");
    for (int i = 1; i < 700; i++) {          /* 700 x 100,000 bytes > 64 MiB */
        snprintf (line, sizeof line, "m %d 100000 16", i);
        run_on (s, 1, line);
    }
    run_on (s, 1, "f 3");
    run_on (s, 0, "m 999 200 200");
    hs_heap_view hv;
    assert_true (hs_sim_arena_heap (s, 1, 1, &hv));   /* a second heap: the first is an earlier one */
    return s;
}

/* Every allocation of a clone in turn fails: the clone returns NULL, frees
 * what it made (ASan's leak check sees a leak, a double free crashes) and
 * leaves the source as it was; once none fails, the clone goes on as the
 * source does. */
static void clone_fails_cleanly_everywhere(void **state)
{
    (void)state;
    hs_sim *s = busy_heap ();
    long n = 1, failed = 0;
    hs_sim *c;
    for (;; n++) {
        fail_at = n;
        c = hs_sim_clone (s);
        bool hit = fail_at == 0;
        fail_at = 0;
        if (c)
            break;
        assert_true (hit);          /* NULL only when an allocation failed */
        failed++;
        assert_null (hs_sim_check (s));
    }
    assert_true (failed > 10);      /* the walk reached the arenas and heaps */
    assert_null (hs_sim_check (c));
    const char *more[] = { "m 1000 300 300", "f 1", "m 1001 100000 8", "f 999" };
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) {
        int th = i % 2;
        hs_step a = run_on (s, th, more[i]), b = run_on (c, th, more[i]);
        assert_int_equal (a.has, b.has);
        assert_int_equal (a.ptr, b.ptr);
        assert_int_equal (a.rss, b.rss);
        assert_int_equal (a.mi.uordblks, b.mi.uordblks);
    }
    hs_sim_free (c);
    hs_sim_free (s);
}

/* The chunk walks of a and b (every field) are the same.  The walk reads
 * each chunk's header words, so a page whose buffer was taken fails it. */
static void same_walk(const hs_sim *a, const hs_sim *b)
{
    uint64_t ca = 0, cb = 0;
    hs_chunk_info x, y;
    size_t n = 0;
    for (;;) {
        bool ha = hs_sim_heap_next (a, &ca, &x), hb = hs_sim_heap_next (b, &cb, &y);
        assert_int_equal (ha, hb);
        if (!ha)
            break;
        assert_memory_equal (&x, &y, sizeof x);
        n++;
    }
    assert_true (n > 100);
}

/* hs_sim_clone_reusing takes the page buffers of a model about to be freed
 * (the window's jump).  Each of its allocations in turn fails: NULL, and the
 * spare is untouched (its walk and invariants as before); once none fails,
 * the copy goes on exactly as a plain clone of the source, and the spare
 * can still be freed (ASan: no leak, no double free). */
static void clone_reusing_leaves_spare_until_it_succeeds(void **state)
{
    (void)state;
    hs_sim *s = busy_heap ();
    hs_sim *spare = busy_heap ();        /* a different state of a similar heap */
    char line[64];
    for (int i = 0; i < 200; i++) {      /* the loaded (main) heap: pages with bytes */
        snprintf (line, sizeof line, "m %d %d %d", 700 + i, 600 + 37 * i, i % 3 ? 40 : 600 + 37 * i);
        run_on (s, 0, line);
        run_on (spare, 0, line);
    }
    for (int i = 1; i < 300; i += 3) {
        snprintf (line, sizeof line, "f %d", i);
        run_on (spare, 1, line);
        snprintf (line, sizeof line, "f %d", 700 + i % 200);
        run_on (spare, 0, line);
    }
    run_on (spare, 0, "m 998 3000 3000");
    hs_sim *spare0 = hs_sim_clone (spare), *plain = hs_sim_clone (s);
    assert_non_null (spare0);
    assert_non_null (plain);
    long n = 1, failed = 0;
    hs_sim *c;
    for (;; n++) {
        fail_at = n;
        c = hs_sim_clone_reusing (s, spare);
        bool hit = fail_at == 0;
        fail_at = 0;
        if (c)
            break;
        assert_true (hit);
        failed++;
        assert_null (hs_sim_check (spare));
        same_walk (spare, spare0);
    }
    assert_true (failed > 10);
    hs_sim_free (spare);
    assert_null (hs_sim_check (c));
    same_walk (c, plain);
    const char *more[] = { "m 1000 300 300", "f 1", "m 1001 100000 8", "f 999", "f 4", "m 1002 50000 50000" };
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) {
        int th = i % 2;
        hs_step a = run_on (plain, th, more[i]), b = run_on (c, th, more[i]);
        hs_step_cmp d;             /* every field of the contract (the step has unset ones) */
        assert_int_equal (hs_step_compare (&a, &b, HS_OP_MALLOC, &d), 0);
        assert_int_equal (a.has, b.has);
        assert_int_equal (a.ptr, b.ptr);
    }
    same_walk (c, plain);
    hs_sim_free (c);
    hs_sim_free (plain);
    hs_sim_free (spare0);
    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (clone_fails_cleanly_everywhere),
        cmocka_unit_test (clone_reusing_leaves_spare_until_it_succeeds),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
