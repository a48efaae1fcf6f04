/* tests/play/test_find.c — finding steps in a played trace (play/find.c).
 * Owns: the N key's "next big change" of a plotted series, forward and back, on any trace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
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

static const char REC[] =
    "{\"format\": \"heapsim-trace/1\", \"ops\": ["
    "{\"op\": \"malloc\", \"id\": \"p\", \"size\": 48, \"caller\": \"main (x.c:3)\"},"
    "{\"op\": \"malloc\", \"id\": \"q\", \"size\": 48},"
    "{\"op\": \"free\", \"id\": \"p\", \"caller\": \"done (x.c:9)\", \"thread\": \"T1\"},"
    "{\"op\": \"malloc\", \"id\": \"r\", \"size\": 48},"
    "{\"op\": \"malloc\", \"id\": \"p\", \"size\": 100},"
    "{\"op\": \"free\", \"id\": \"q\"}]}";

/* . and , : the steps whose op names an id, both ways. */
static void touches(void **state)
{
    (void)state;
    hs_view *v = test_view_mem(REC, sizeof REC - 1);
    uint32_t p = hs_view_slot(v, "p");
    assert_int_equal(hs_find_touch(v, p, 0, 1), 1);
    assert_int_equal(hs_find_touch(v, p, 1, 1), 3);
    assert_int_equal(hs_find_touch(v, p, 3, 1), 5);
    assert_true(hs_find_touch(v, p, 5, 1) == SIZE_MAX);
    assert_int_equal(hs_find_touch(v, p, 5, -1), 3);
    assert_int_equal(hs_find_touch(v, p, 100, -1), 5);
    assert_true(hs_find_touch(v, p, 1, -1) == SIZE_MAX);
    assert_true(hs_find_touch(v, HS_NO_ID, 0, 1) == SIZE_MAX);
    hs_view_free(v);
}

/* G's text: a step, an id (followed from where its chunk is), an address
 * or heap offset (the chunk holding it), and what is none of them. */
static void find_texts(void **state)
{
    (void)state;
    hs_view *v = test_view_mem(REC, sizeof REC - 1);
    hs_find f;
    assert_int_equal(hs_find_parse(v, " 4 ", &f), HS_FIND_STEP);
    assert_int_equal(f.step, 4);
    assert_int_equal(hs_find_parse(v, "#6", &f), HS_FIND_STEP);
    assert_int_equal(hs_find_parse(v, "7", &f), HS_FIND_NONE);
    assert_non_null(strstr(f.msg, "past the end"));
    assert_int_equal(hs_find_parse(v, "", &f), HS_FIND_NONE);
    /* at step 0 nothing is allocated: an id goes to its first op */
    assert_int_equal(hs_find_parse(v, "q", &f), HS_FIND_ID);
    assert_int_equal(f.id, hs_view_slot(v, "q"));
    assert_int_equal(f.step, 2);
    /* at step 4, q is live: stay; p was freed: its next op */
    assert_int_equal(hs_view_goto(v, 4), 0);
    assert_int_equal(hs_find_parse(v, "q", &f), HS_FIND_ID);
    assert_int_equal(f.step, 4);
    assert_int_equal(hs_find_parse(v, "p", &f), HS_FIND_ID);
    assert_int_equal(f.step, 5);
    /* q's chunk by a heap offset inside it, and by its model address */
    const hs_item *q = hs_view_find_id(v, hs_view_slot(v, "q"));
    assert_non_null(q);
    char t[64];
    snprintf(t, sizeof t, "+0x%llx", (unsigned long long)(q->addr + 20));
    assert_int_equal(hs_find_parse(v, t, &f), HS_FIND_CHUNK);
    assert_int_equal(f.addr, q->addr);
    assert_int_equal(f.region, 0);
    const hs_chunk_info *c = NULL;
    for (size_t i = 0; i < v->snap.nheap; i++)
        if (v->snap.heap[i].addr == q->addr) c = &v->snap.heap[i];
    assert_non_null(c);
    snprintf(t, sizeof t, "0x%llx", (unsigned long long)(c->abs + 16));
    assert_int_equal(hs_find_parse(v, t, &f), HS_FIND_CHUNK);
    assert_int_equal(f.addr, q->addr);
    assert_int_equal(hs_find_parse(v, "0x10", &f), HS_FIND_NONE);
    assert_int_equal(hs_find_parse(v, "nosuchid", &f), HS_FIND_NONE);
    assert_non_null(strstr(f.msg, "no step, id or address"));
    hs_view_free(v);
}

/* A chunk's history: allocated at / freed at, with the recorded caller and
 * thread (issue 12), then the ops on its id, the current one marked. */
static void history(void **state)
{
    (void)state;
    hs_view *v = test_view_mem(REC, sizeof REC - 1);
    char l[8][HS_HISTORY_LINE];
    uint32_t p = hs_view_slot(v, "p");
    assert_int_equal(hs_view_goto(v, 3), 0);
    int n = hs_view_history(v, p, l, 8);
    assert_true(n >= 4);
    assert_string_equal(l[0], "p: allocated at step 1 by main (x.c:3), freed at step 3 by done (x.c:9) on thread T1");
    assert_non_null(strstr(l[1], "step 1"));
    assert_non_null(strstr(l[2], "step 3"));
    assert_non_null(strstr(l[2], "\xE2\x97\x80 now"));
    assert_non_null(strstr(l[2], "T1: free(p)"));   /* each op says its thread */
    assert_null(strstr(l[2], "on thread"));
    assert_non_null(strstr(l[3], "step 5"));
    /* later, its second life */
    assert_int_equal(hs_view_goto(v, 6), 0);
    n = hs_view_history(v, p, l, 8);
    assert_string_equal(l[0], "p: allocated at step 5, never freed");
    /* a short box: the ops out of sight are counted */
    n = hs_view_history(v, p, l, 4);
    assert_int_equal(n, 3);
    assert_string_equal(l[1], "  +2 earlier ops");
    assert_non_null(strstr(l[2], "step 5"));
    assert_int_equal(hs_view_history(v, HS_NO_ID, l, 8), 0);
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
        cmocka_unit_test(touches),
        cmocka_unit_test(find_texts),
        cmocka_unit_test(history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
