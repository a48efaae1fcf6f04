/* tests/play/test_lessons.c — L / Shift+L through the lesson list (play/lessons.c).
 * Owns: next/previous with wrap-around, and the start from a trace that is no lesson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "play/lessons.h"

static void next_and_previous(void **state)
{
    const char *const l[] = {"t/figures-1-9.json", "t/virtual-vs-resident.json", "t/memalign.json"};
    assert_int_equal(hs_lesson_next(l, 3, "figures-1-9.json", 1), 1);
    assert_int_equal(hs_lesson_next(l, 3, "/elsewhere/virtual-vs-resident.json", 1), 2);
    assert_int_equal(hs_lesson_next(l, 3, "memalign.json", 1), 0);       /* wraps */
    assert_int_equal(hs_lesson_next(l, 3, "figures-1-9.json", -1), 2);   /* wraps back */
    assert_int_equal(hs_lesson_next(l, 3, "memalign.json", -1), 1);
    assert_int_equal(hs_lesson_next(l, 3, "/tmp/r.json", 1), 0);         /* not a lesson: first */
    assert_int_equal(hs_lesson_next(l, 3, "/tmp/r.json", -1), 2);        /* or last */
    assert_int_equal(hs_lesson_next(l, 1, "t/figures-1-9.json", 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(next_and_previous)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
