/* tests/play/test_agree.c — the window's comparison of real glibc with the model.
 * Owns: that the view marks as disagreeing every step sim/step.c (and so validate) does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "play/view.h"
#include "view_mem.h"

static const char TRACE[] =
    "{\"format\": \"heapsim-trace/1\", \"ops\": ["
    "{\"op\": \"malloc\", \"id\": \"A\", \"size\": 100},"
    "{\"op\": \"malloc\", \"id\": \"B\", \"size\": 200},"
    "{\"op\": \"free\", \"id\": \"A\"}]}";

static hs_view *open_view(void) { return test_view_mem(TRACE, sizeof TRACE - 1); }

/* The model's steps of the whole trace (as `heapsim validate` makes them). */
static void model_steps(const hs_view *v, hs_step *out)
{
    hs_sim *s = hs_sim_new(HS_PROFILE_GLIBC_2_36, v->t.n_ids);
    assert_non_null(s);
    for (size_t i = 0; i < v->n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        assert_int_equal(hs_sim_apply(s, &v->t.ops[i], &out[i]), 0);
    }
    hs_sim_free(s);
}

/* Feeds real steps to the view as the replay thread does; returns the
 * steps it marks as disagreeing, as a bit set. */
static unsigned window_disagrees(hs_view *v, const hs_step *real)
{
    assert_int_equal(hs_view_real_begin(v), 0);
    for (size_t i = 0; i < v->n; i++) {
        hs_view_real_push(v, &real[i]);
        hs_view_real_sync(v);
    }
    hs_view_real_finish(v, 0, NULL);
    assert_int_equal(hs_view_real_sync(v), v->n);
    unsigned bits = 0;
    for (size_t s = 1; s <= v->n; s++)
        if (v->dis[s]) bits |= 1u << s;
    return bits;
}

/* The same real steps through validate's rule (sim/step.c). */
static unsigned validate_disagrees(const hs_view *v, const hs_step *model, const hs_step *real)
{
    unsigned bits = 0;
    for (size_t i = 0; i < v->n; i++) {
        hs_step_cmp c;
        if (hs_step_compare(&model[i], &real[i], v->t.ops[i].kind, &c)) bits |= 1u << (i + 1);
    }
    return bits;
}

static void same_steps_agree(void **state)
{
    hs_view *v = open_view();
    hs_step m[3];
    model_steps(v, m);
    assert_int_equal(validate_disagrees(v, m, m), 0);
    assert_int_equal(window_disagrees(v, m), 0);
    assert_int_equal(v->ndis, 0);
    hs_view_free(v);
}

/* Step 2: the model returns a chunk where real glibc returned NULL. */
static void chunk_where_real_null(void **state)
{
    hs_view *v = open_view();
    hs_step m[3], r[3];
    model_steps(v, m);
    memcpy(r, m, sizeof r);
    r[1].has &= ~(uint32_t)(HS_HAS_PTR | HS_HAS_MMAPPED | HS_HAS_CHUNK);
    assert_int_equal(validate_disagrees(v, m, r), 1u << 2);
    assert_int_equal(window_disagrees(v, r), 1u << 2);
    assert_int_equal(v->first_dis, 2);
    hs_view_free(v);
}

/* Step 3: the model has mallinfo2 values where the real step has none. */
static void mallinfo_where_real_none(void **state)
{
    hs_view *v = open_view();
    hs_step m[3], r[3];
    model_steps(v, m);
    memcpy(r, m, sizeof r);
    r[2].has &= ~(uint32_t)HS_HAS_MALLINFO;
    assert_int_equal(validate_disagrees(v, m, r), 1u << 3);
    assert_int_equal(window_disagrees(v, r), 1u << 3);
    assert_int_equal(v->ndis, 1);
    hs_view_free(v);
}

/* Step 1: the real chunk came from another arena than the model's (a
 * threaded trace): the window keeps each step's arena and disagrees too. */
static void arena_differs(void **state)
{
    hs_view *v = open_view();
    hs_step m[3], r[3];
    model_steps(v, m);
    m[0].has |= HS_HAS_ARENA;
    m[0].arena = 0;
    memcpy(r, m, sizeof r);
    r[0].arena = 1;
    assert_int_equal(validate_disagrees(v, m, r), 1u << 1);
    assert_int_equal(window_disagrees(v, r), 1u << 1);
    hs_view_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_steps_agree),
        cmocka_unit_test(chunk_where_real_null),
        cmocka_unit_test(mallinfo_where_real_none),
        cmocka_unit_test(arena_differs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
