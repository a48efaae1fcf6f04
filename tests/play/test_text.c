/* tests/play/test_text.c — the words the window shows for a step of a recorded trace.
 * Owns: that the current op's caller and thread reach the snapshot (a thread is named, no longer said to be replayed as the main one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "play/view.h"

static const char TRACE[] =
    "{\"format\": \"heapsim-trace/1\", \"ops\": ["
    "{\"op\": \"malloc\", \"id\": \"A\", \"size\": 100, \"caller\": \"main (prog.c:12)\"},"
    "{\"op\": \"malloc\", \"id\": \"B\", \"size\": 200, \"thread\": \"T1\"},"
    "{\"op\": \"free\", \"id\": \"A\"}]}";

static void caller_and_thread(void **state)
{
    (void)state;
    hs_trace t;
    hs_trace_error e;
    assert_int_equal(hs_trace_load_mem("t.json", TRACE, sizeof TRACE - 1, 0, &t, &e), 0);
    hs_view *v = hs_view_new(&t, "t.json", HS_PROFILE_GLIBC_2_36, NULL);
    assert_non_null(v);
    assert_int_equal(hs_view_goto(v, 1), 0);
    assert_non_null(strstr(v->result, "called from main (prog.c:12)"));
    assert_null(strstr(v->result, "thread"));
    assert_int_equal(hs_view_goto(v, 2), 0);
    assert_null(strstr(v->result, "called from"));
    assert_non_null(strstr(v->result, "on thread T1"));
    assert_null(strstr(v->result, "replayed as the main thread"));   /* threads are threads now */
    assert_int_equal(hs_view_goto(v, 3), 0);
    assert_null(strstr(v->result, "called from"));
    assert_null(strstr(v->result, "thread"));
    hs_view_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(caller_and_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
