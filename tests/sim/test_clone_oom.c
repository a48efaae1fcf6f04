/* tests/sim/test_clone_oom.c — hs_sim_clone when memory runs out at each of its allocations in turn.
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (clone_fails_cleanly_everywhere),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
