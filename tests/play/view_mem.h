/* tests/play/view_mem.h — a view of a trace held in a string, for the play tests.
 * Owns: test_view_mem: load from memory (the test fails if it does not load), hs_view_new at step 0. */
#ifndef HS_TEST_VIEW_MEM_H
#define HS_TEST_VIEW_MEM_H

#include <stdint.h>

#include "play/view.h"

/* Fails the running cmocka test when the trace does not load or memory runs out. */
static inline hs_view *test_view_mem(const char *json, size_t len)
{
    hs_trace t;
    hs_trace_error e;
    assert_int_equal(hs_trace_load_mem("t.json", json, len, 0, &t, &e), 0);
    hs_view *v = hs_view_new(&t, "t.json", HS_PROFILE_GLIBC_2_36, NULL);
    assert_non_null(v);
    return v;
}

#endif
