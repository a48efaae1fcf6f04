/* tests/play/test_vdiff.c — one trace on two profiles' models, stepped together (play/vdiff.c).
 * Owns: the shared diff loop's results (first difference, one side aborting, the window's rows). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "play/vdiff.h"

/* traces/use-after-free-safe-linking.json's ops: 2.31 follows the forged
 * tcache link at step 8, 2.32+ aborts there (tests/app/diff_glibc.sh checks
 * that against the real glibc versions). */
static const char UAF[] =
    "{\"format\": \"heapsim-trace/1\", \"ops\": ["
    "{\"op\": \"malloc\", \"id\": \"A\", \"size\": 40},"
    "{\"op\": \"malloc\", \"id\": \"B\", \"size\": 40},"
    "{\"op\": \"malloc\", \"id\": \"T\", \"size\": 40},"
    "{\"op\": \"free\", \"id\": \"B\"},"
    "{\"op\": \"free\", \"id\": \"A\"},"
    "{\"op\": \"write\", \"id\": \"A\", \"offset\": 0, \"value_of\": \"T\"},"
    "{\"op\": \"malloc\", \"id\": \"C\", \"size\": 40},"
    "{\"op\": \"malloc\", \"id\": \"D\", \"size\": 40},"
    "{\"op\": \"write\", \"id\": \"D\", \"offset\": 0, \"value\": 7}]}";

static void load(hs_trace *t)
{
    hs_trace_error e;
    assert_int_equal(hs_trace_load_mem("t.json", UAF, sizeof UAF - 1, 0, t, &e), 0);
}

typedef struct seen {
    size_t calls, differ, last;
} seen;

static void count(void *ctx, const hs_vdiff_step *s)
{
    seen *c = ctx;
    c->calls++;
    assert_int_equal(s->step, c->last + 1);  /* every step, in order */
    c->last = s->step;
    if (s->cmp->n) c->differ++;
    assert_int_equal(s->sum[0] != '\0', s->cmp->n != 0);
}

/* Runs the trace on a and b, counting the callbacks into *c. */
static void run(hs_profile a, hs_profile b, hs_trace *t, hs_vdiff_result *r, seen *c)
{
    load(t);
    const hs_profile p[2] = {a, b};
    memset(c, 0, sizeof *c);
    assert_int_equal(hs_vdiff_run(t, p, NULL, count, c, r), 0);
}

/* The same profile on both sides: nothing differs, every step compared. */
static void same_profile_agrees(void **state)
{
    (void)state;
    hs_trace t;
    hs_vdiff_result r;
    seen c;
    run(HS_PROFILE_GLIBC_2_31, HS_PROFILE_GLIBC_2_31, &t, &r, &c);
    assert_int_equal(r.differ, 0);
    assert_int_equal(r.first, 0);
    assert_int_equal(r.done, t.n_ops);
    assert_int_equal(c.calls, t.n_ops);
    assert_false(r.dead[0] || r.dead[1]);
    hs_trace_free(&t);
}

/* 2.31 against 2.36: the first difference is step 8, where 2.36 aborts
 * (one side only: a difference), and the run stops there. */
static void one_side_aborts(void **state)
{
    (void)state;
    hs_trace t;
    hs_vdiff_result r;
    seen c;
    run(HS_PROFILE_GLIBC_2_31, HS_PROFILE_GLIBC_2_36, &t, &r, &c);
    assert_int_equal(r.first, 8);
    assert_int_equal(r.done, 8);
    assert_int_equal(c.calls, 8);
    assert_int_equal(r.differ, c.differ);
    assert_false(r.dead[0]);
    assert_true(r.dead[1]);
    assert_string_equal(r.first_call, "D = malloc(40)");
    assert_non_null(strstr(r.first_sum, "glibc-2.36"));
    hs_trace_free(&t);
}

/* The window's rows: one per differing step, the first being r.first, both
 * sides' values of the differing fields, and different from each other. */
static void list_rows(void **state)
{
    (void)state;
    hs_trace t;
    load(&t);
    hs_vdiff_list l;
    memset(&l, 0, sizeof l);
    assert_int_equal(hs_vdiff_list_build(&l, &t, HS_PROFILE_GLIBC_2_36, HS_PROFILE_GLIBC_2_31,
                                         NULL), 0);
    assert_int_equal(l.nrows, l.r.differ);
    assert_true(l.nrows >= 1);
    assert_int_equal(l.rows[0].step, l.r.first);
    assert_int_equal(l.rows[0].step, 8);
    assert_true(l.r.dead[0]);
    for (size_t i = 0; i < l.nrows; i++) {
        assert_true(l.rows[i].val[0][0] && l.rows[i].val[1][0]);
        assert_string_not_equal(l.rows[i].val[0], l.rows[i].val[1]);
    }
    assert_non_null(strstr(l.rows[0].val[0], "error"));
    assert_int_equal(hs_vdiff_list_row_at(&l, 1), 0);
    assert_int_equal(hs_vdiff_list_row_at(&l, 9), l.nrows);
    /* built again (the D key cycling): the old rows are replaced, not kept */
    assert_int_equal(hs_vdiff_list_build(&l, &t, HS_PROFILE_GLIBC_2_36, HS_PROFILE_GLIBC_2_36,
                                         NULL), 0);
    assert_int_equal(l.nrows, 0);
    hs_vdiff_list_free(&l);
    hs_trace_free(&t);
}

/* D cycles through every other profile and never the one shown. */
static void next_other_cycles(void **state)
{
    (void)state;
    for (int cur = 0; cur < 4; cur++) {
        hs_profile o = hs_vdiff_next_other((hs_profile)cur, (hs_profile)cur, 1);
        unsigned seenmask = 0;
        for (int k = 0; k < 3; k++) {
            assert_int_not_equal(o, cur);
            seenmask |= 1u << o;
            hs_profile back = hs_vdiff_next_other((hs_profile)cur, o, 1);
            assert_int_equal(hs_vdiff_next_other((hs_profile)cur, back, -1), o);
            o = back;
        }
        assert_int_equal(seenmask | 1u << cur, 15u);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_profile_agrees),
        cmocka_unit_test(one_side_aborts),
        cmocka_unit_test(list_rows),
        cmocka_unit_test(next_other_cycles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
