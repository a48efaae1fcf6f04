/* tests/play/test_find.c — finding steps in a played trace (play/find.c).
 * Owns: the N key's "next big change" of a plotted series, forward and back, on any trace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "play/find.h"
#include "view_mem.h"

static const char TRACE[] =
    "{\"format\": \"heapsim-trace/1\", \"ops\": ["
    "{\"op\": \"malloc\", \"id\": \"a\", \"size\": 100},"
    "{\"op\": \"malloc\", \"id\": \"b\", \"size\": 200},"
    "{\"op\": \"malloc\", \"id\": \"C\", \"size\": \"300K\"},"
    "{\"op\": \"malloc\", \"id\": \"d\", \"size\": 40},"
    "{\"op\": \"free\", \"id\": \"C\"},"
    "{\"op\": \"free\", \"id\": \"a\"}]}";

static hs_view *open_trace(void) { return test_view_mem(TRACE, sizeof TRACE - 1); }

static uint64_t delta(const hs_view *v, int s, size_t i)
{
    uint64_t a = hs_series_val(&v->mv[i - 1], s), b = hs_series_val(&v->mv[i], s);
    return a > b ? a - b : b - a;
}

/* N finds, from any step, the next step whose change is big for that
 * series (>= a quarter of its largest); Shift+N the previous one; the
 * largest change of every series is always among them. */
static void big_changes(void **state)
{
    (void)state;
    hs_view *v = open_trace();
    for (int s = 0; s < HS_SER_COUNT; s++) {
        uint64_t max = 0;
        size_t at_max = 0;
        for (size_t i = 1; i <= v->n; i++)
            if (delta(v, s, i) > max) max = delta(v, s, i), at_max = i;
        if (max == 0) {
            assert_true(hs_find_change(v, s, 0, 1) == SIZE_MAX);
            continue;
        }
        /* walking forward with N visits exactly the big steps, in order */
        size_t at = 0, seen_max = 0;
        for (;;) {
            size_t nx = hs_find_change(v, s, at, 1);
            for (size_t i = at + 1; i <= v->n && i < nx; i++) assert_true(delta(v, s, i) < max / 4 || max / 4 == 0);
            if (nx == SIZE_MAX) break;
            assert_true(nx > at);
            assert_true(delta(v, s, nx) >= (max / 4 ? max / 4 : 1));
            if (nx == at_max) seen_max = 1;
            at = nx;
        }
        assert_true(seen_max);
        /* and backward from the end, the same steps */
        size_t back = hs_find_change(v, s, v->n + 1, -1);
        assert_true(back == at);
        assert_true(hs_find_change(v, s, at_max, -1) == SIZE_MAX ||
                    hs_find_change(v, s, at_max, -1) < at_max);
    }
    /* the 300K block is mmapped: its malloc and its free are the mmapped series' changes */
    assert_int_equal(hs_find_change(v, HS_SER_MMAPPED, 0, 1), 3);
    assert_int_equal(hs_find_change(v, HS_SER_MMAPPED, 3, 1), 5);
    assert_true(hs_find_change(v, HS_SER_MMAPPED, 5, 1) == SIZE_MAX);
    assert_int_equal(hs_find_change(v, HS_SER_MMAPPED, 5, -1), 3);
    assert_true(hs_find_change(v, HS_SER_MMAPPED, 3, -1) == SIZE_MAX);
    hs_view_free(v);
}

/* Values are written in the series' unit through sim/bytes.c. */
static void formats(void **state)
{
    (void)state;
    char b[32];
    hs_series_format(HS_SER_RSS, 135168, b, sizeof b);
    assert_string_equal(b, "132K");
    hs_series_format(HS_SER_MINFLT, 135168, b, sizeof b);
    assert_string_equal(b, "135168");
    assert_string_equal(hs_series[HS_SER_BRK].name, "break (_edata)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(big_changes),
        cmocka_unit_test(formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
