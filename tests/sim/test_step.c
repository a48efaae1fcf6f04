/* tests/sim/test_step.c — the one comparison of a model step with a real step (sim/step.c).
 * Owns: the cases `heapsim validate` and the window must both call a disagreement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sim/sim.h"

/* The model's step for malloc(100) on a fresh heap. */
static hs_step model_malloc(void)
{
    hs_sim *s = hs_sim_new(HS_PROFILE_GLIBC_2_36, 1);
    assert_non_null(s);
    hs_op op = {.kind = HS_OP_MALLOC, .id = 0, .size = 100};
    hs_step m;
    memset(&m, 0, sizeof m);
    assert_int_equal(hs_sim_apply(s, &op, &m), 0);
    hs_sim_free(s);
    assert_true(m.has & HS_HAS_PTR);
    assert_true(m.has & HS_HAS_MALLINFO);
    return m;
}

static void agree_with_itself(void **state)
{
    hs_step m = model_malloc();
    hs_step_cmp c;
    assert_int_equal(hs_step_compare(&m, &m, HS_OP_MALLOC, &c), 0);
    /* error, result, ptr, mmapped, chunk, arena, 4 measures, mallinfo, its 9, minflt */
    assert_int_equal(c.fields, 21);
    char buf[64] = "x";
    hs_step_cmp_summary(&c, buf, sizeof buf);
    assert_string_equal(buf, "");
}

/* The model returns a chunk where real glibc returned NULL. */
static void chunk_where_real_null(void **state)
{
    hs_step m = model_malloc(), r = m;
    r.has &= ~(uint32_t)(HS_HAS_PTR | HS_HAS_MMAPPED | HS_HAS_CHUNK);
    hs_step_cmp c;
    assert_int_equal(hs_step_compare(&m, &r, HS_OP_MALLOC, &c), 1);
    assert_string_equal(c.d[0].field, "result");
    assert_string_equal(c.d[0].model, "a chunk");
    assert_string_equal(c.d[0].real, "NULL");
    char buf[128];
    hs_step_cmp_summary(&c, buf, sizeof buf);
    assert_string_equal(buf, "result a chunk (real NULL)");
    /* an op that returns nothing has no result to compare */
    assert_int_equal(hs_step_compare(&m, &r, HS_OP_FREE, &c), 0);
}

/* The model has mallinfo2 values where the real step has none. */
static void mallinfo_where_real_none(void **state)
{
    hs_step m = model_malloc(), r = m;
    r.has &= ~(uint32_t)HS_HAS_MALLINFO;
    hs_step_cmp c;
    assert_int_equal(hs_step_compare(&m, &r, HS_OP_MALLOC, &c), 1);
    assert_string_equal(c.d[0].field, "mallinfo");
    assert_string_equal(c.d[0].model, "(values)");
    assert_string_equal(c.d[0].real, "null");
    assert_int_equal(hs_step_compare(&r, &m, HS_OP_MALLOC, &c), 1);
    assert_string_equal(c.d[0].model, "null");
}

/* A real step whose mallinfo2 sampling did not call (HS_HAS_MI_UNMEASURED):
 * its mallinfo is not compared at all, the other measures still are. */
static void mallinfo_not_measured(void **state)
{
    hs_step m = model_malloc(), r = m;
    r.has &= ~(uint32_t)HS_HAS_MALLINFO;
    r.has |= HS_HAS_MI_UNMEASURED;
    r.rss += 4096;
    hs_step_cmp c;
    assert_int_equal(hs_step_compare(&m, &r, HS_OP_MALLOC, &c), 1);
    assert_string_equal(c.d[0].field, "rss");
    assert_int_equal(c.fields, 21 - 10);   /* mallinfo's null-ness and its nine fields */
    r.rss = m.rss;
    assert_int_equal(hs_step_compare(&m, &r, HS_OP_MALLOC, &c), 0);
}

/* minflt: 2 faults + 1 % of the real value apart is still agreement. */
static void minflt_tolerance(void **state)
{
    hs_step m = model_malloc(), r = m;
    hs_step_cmp c;
    m.minflt = 300, r.minflt = 305;   /* 5 <= 2 + 3 */
    assert_int_equal(hs_step_compare(&m, &r, HS_OP_MALLOC, &c), 0);
    m.minflt = 299;                   /* 6 > 2 + 3.05 */
    assert_int_equal(hs_step_compare(&m, &r, HS_OP_MALLOC, &c), 1);
    assert_string_equal(c.d[0].field, "minflt");
    assert_string_equal(c.d[0].real, "305 (tolerance 2 + 1%)");
}

/* Every differing field is listed, in the contract's order. */
static void many_fields(void **state)
{
    hs_step m = model_malloc(), r = m;
    r.ptr += 16, r.brk += 4096, r.mi.keepcost += 1;
    r.has |= HS_HAS_ERROR;
    strcpy(r.error, "free(): invalid pointer");
    hs_step_cmp c;
    assert_int_equal(hs_step_compare(&m, &r, HS_OP_MALLOC, &c), 4);
    assert_string_equal(c.d[0].field, "error");
    assert_string_equal(c.d[0].model, "(none)");
    assert_string_equal(c.d[1].field, "ptr");
    assert_string_equal(c.d[2].field, "brk");
    assert_string_equal(c.d[3].field, "mallinfo.keepcost");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agree_with_itself),
        cmocka_unit_test(chunk_where_real_null),
        cmocka_unit_test(mallinfo_where_real_none),
        cmocka_unit_test(mallinfo_not_measured),
        cmocka_unit_test(minflt_tolerance),
        cmocka_unit_test(many_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
