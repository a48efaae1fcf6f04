/* tests/loader/test_opextra.c — the optional fields of recorded traces: loaded into side arrays, type-checked, absent from old traces.
 * Owns: header truncated/touch_rule/settings and op caller/thread/ptr (loader/opextra.c). */
#include "ld_test.h"

#define S(x) x, sizeof(x) - 1

static void test_old_trace_has_no_side_arrays(void **state)
{
    hs_trace t;
    (void)state;
    ld_load_ok(S("{\"ops\":[{\"op\":\"malloc\",\"id\":\"A\",\"size\":10},{\"op\":\"free\",\"id\":\"A\"}]}"), 0, &t);
    assert_null(t.op_caller);
    assert_null(t.op_thread);
    assert_null(t.op_rec_ptr);
    assert_null(t.touch_rule);
    assert_null(t.settings);
    assert_int_equal(t.truncated, 0);
    assert_int_equal(t.n_threads, 0);
    hs_trace_free(&t);
}

static void test_fields_load(void **state)
{
    static const char text[] =
        "{\"format\":\"heapsim-trace/1\",\"touch_rule\":\"all\",\"truncated\":true,\"settings\":\"MALLOC_ARENA_MAX=1\"}\n"
        "{\"op\":\"malloc\",\"id\":\"b1\",\"size\":10,\"ptr\":672,\"caller\":\"main (a.c:3)\"}\n"
        "{\"op\":\"malloc\",\"id\":\"b2\",\"size\":200000,\"ptr\":\"mmap\",\"caller\":\"main (a.c:3)\",\"thread\":\"T1\"}\n"
        "{\"op\":\"malloc\",\"id\":\"b3\",\"size\":\"1024G\",\"ptr\":null,\"thread\":\"T2\"}\n"
        "{\"op\":\"free\",\"id\":\"b1\",\"thread\":\"T1\"}\n";
    hs_trace t;
    (void)state;
    ld_load_ok(S(text), 1, &t);
    assert_string_equal(t.touch_rule, "all");
    assert_string_equal(t.settings, "MALLOC_ARENA_MAX=1");
    assert_int_equal(t.truncated, 1);
    assert_non_null(t.op_caller);
    assert_non_null(t.op_thread);
    assert_non_null(t.op_rec_ptr);
    assert_int_equal(t.n_threads, 2);
    assert_string_equal(hs_trace_str(&t, t.op_caller[0]), "main (a.c:3)");
    assert_int_equal(t.op_caller[0], t.op_caller[1]);          /* stored once */
    assert_null(hs_trace_str(&t, t.op_caller[2]));
    assert_null(hs_trace_str(&t, t.op_thread[0]));
    assert_string_equal(hs_trace_str(&t, t.op_thread[1]), "T1");
    assert_string_equal(hs_trace_str(&t, t.op_thread[3]), "T1");
    assert_true(t.op_rec_ptr[0] == 672);
    assert_true(t.op_rec_ptr[1] == HS_REC_PTR_MMAPPED);
    assert_true(t.op_rec_ptr[2] == HS_REC_PTR_NULL);
    assert_true(t.op_rec_ptr[3] == HS_REC_PTR_NONE);
    hs_trace_free(&t);
}

/* A field first seen late, after the arrays' first growth. */
static void test_field_after_many_ops(void **state)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    (void)state;
    n += (size_t)snprintf(buf + n, cap - n, "{}\n");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(buf + n, cap - n, "{\"op\":\"malloc\",\"id\":\"x%d\",\"size\":8}\n", i);
    n += (size_t)snprintf(buf + n, cap - n, "{\"op\":\"free\",\"id\":\"x7\",\"caller\":\"f\",\"ptr\":16}\n");
    hs_trace t;
    ld_load_ok(buf, n, 1, &t);
    assert_int_equal(t.n_ops, 301);
    for (int i = 0; i < 300; i++) {
        assert_int_equal(t.op_caller[i], HS_NO_STR);
        assert_true(t.op_rec_ptr[i] == HS_REC_PTR_NONE);
    }
    assert_string_equal(hs_trace_str(&t, t.op_caller[300]), "f");
    assert_true(t.op_rec_ptr[300] == 16);
    hs_trace_free(&t);
    free(buf);
}

/* Fields on the first ops only, then many ops without: every side array
 * has an entry for every op, the later ones absent (they used to stop at
 * the capacity the last field left, and the accessors read past it). */
static void test_fields_before_many_ops(void **state)
{
    enum { N = 3000 };
    size_t cap = (size_t)N * 40 + 512, n = 0;
    char *buf = malloc(cap);
    (void)state;
    assert_non_null(buf);
    n += (size_t)snprintf(buf + n, cap - n, "{}\n{\"op\":\"malloc_trim\",\"pad\":0,\"note\":\"n\",\"label\":\"l\","
                          "\"caller\":\"f\",\"thread\":\"T\"}\n{\"op\":\"malloc\",\"id\":\"A\",\"size\":8,\"ptr\":16}\n");
    for (int i = 0; i < N; i++)
        n += (size_t)snprintf(buf + n, cap - n, "{\"op\":\"malloc_trim\",\"pad\":%d}\n", i);
    hs_trace t;
    ld_load_ok(buf, n, 1, &t);
    assert_int_equal(t.n_ops, N + 2);
    assert_string_equal(hs_trace_note(&t, 0), "n");
    assert_string_equal(hs_trace_label(&t, 0), "l");
    assert_true(t.op_rec_ptr[1] == 16);
    for (size_t i = 2; i < t.n_ops; i++) {
        assert_null(hs_trace_note(&t, i));
        assert_null(hs_trace_label(&t, i));
        assert_int_equal(t.op_caller[i], HS_NO_STR);
        assert_int_equal(t.op_thread[i], HS_NO_STR);
        assert_true(t.op_rec_ptr[i] == HS_REC_PTR_NONE);
    }
    hs_trace_free(&t);
    free(buf);
}

static void test_type_errors(void **state)
{
    (void)state;
    ld_expect_error("t.jsonl", S("{\"truncated\":\"yes\"}\n"), 1,
                    "t.jsonl:1: \"truncated\" must be true or false, not \"yes\"");
    ld_expect_error("t.jsonl", S("{\"touch_rule\":1}\n"), 1, "t.jsonl:1: \"touch_rule\" must be a string, not 1");
    ld_expect_error("t.json", S("{\"settings\":[],\"ops\":[]}"), 0, "t.json:1: \"settings\" must be a string, not an array");
    ld_expect_error("t.json", S("{\"truncated\":true,\n\"truncated\":false,\"ops\":[]}"), 0,
                    "t.json:2: \"truncated\" appears twice (first on line 1)");
    ld_expect_error("t.jsonl", S("{}\n{\"op\":\"malloc\",\"id\":\"A\",\"size\":1}\n{\"op\":\"free\",\"id\":\"A\",\"caller\":5}\n"), 1,
                    "t.jsonl:3: op 2: caller must be a non-empty string, not 5");
    ld_expect_error("t.jsonl", S("{}\n{\"op\":\"malloc\",\"id\":\"A\",\"size\":1,\"thread\":\"\"}\n"), 1,
                    "t.jsonl:2: op 1: thread must be a non-empty string, not \"\"");
    ld_expect_error("t.jsonl", S("{}\n{\"op\":\"malloc\",\"id\":\"A\",\"size\":1,\"ptr\":-1}\n"), 1,
                    "t.jsonl:2: op 1: ptr must be a heap offset (a non-negative integer below 2^53), \"mmap\" or null, not -1");
    ld_expect_error("t.jsonl", S("{}\n{\"op\":\"malloc\",\"id\":\"A\",\"size\":1,\"ptr\":1.5}\n"), 1,
                    "t.jsonl:2: op 1: ptr must be a heap offset (a non-negative integer below 2^53), \"mmap\" or null, not 1.5");
}

/* Threads are numbered by first appearance (hs_op.thread, thread_name);
 * thread_exit ends one. */
static void test_thread_numbers(void **state)
{
    (void)state;
    static const char text[] =
        "{}\n"
        "{\"op\":\"malloc\",\"id\":\"A\",\"size\":1,\"thread\":\"w2\"}\n"
        "{\"op\":\"malloc\",\"id\":\"B\",\"size\":1}\n"
        "{\"op\":\"free\",\"id\":\"A\",\"thread\":\"w1\"}\n"
        "{\"op\":\"thread_exit\",\"thread\":\"w2\",\"note\":\"bye\"}\n"
        "{\"op\":\"free\",\"id\":\"B\",\"thread\":\"w1\"}\n";
    hs_trace t;
    hs_trace_error err;
    assert_int_equal(hs_trace_load_mem("t.jsonl", text, sizeof text - 1, 1, &t, &err), 0);
    assert_int_equal(t.n_threads, 2);
    assert_int_equal(t.ops[0].thread, 1);
    assert_int_equal(t.ops[1].thread, 0);
    assert_int_equal(t.ops[2].thread, 2);
    assert_int_equal(t.ops[3].kind, HS_OP_THREAD_EXIT);
    assert_int_equal(t.ops[3].thread, 1);
    assert_int_equal(t.ops[3].id, HS_NO_ID);
    assert_int_equal(t.ops[4].thread, 2);
    assert_string_equal(hs_trace_str(&t, t.thread_name[0]), "w2");
    assert_string_equal(hs_trace_str(&t, t.thread_name[1]), "w1");
    char buf[64];
    hs_op_format(&t, &t.ops[3], buf, sizeof buf);
    assert_string_equal(buf, "thread w2 exits");
    hs_trace_free(&t);
}

/* Hostile thread_exit: FILE:LINE errors. */
static void test_thread_exit_errors(void **state)
{
    (void)state;
    ld_expect_error("t.jsonl", S("{}\n{\"op\":\"thread_exit\"}\n"), 1,
                    "t.jsonl:2: op 1: thread_exit needs \"thread\" (the main thread does not exit: its end is "
                    "the end of the trace)");
    ld_expect_error("t.jsonl", S("{}\n{\"op\":\"malloc\",\"id\":\"A\",\"size\":1}\n"
                                 "{\"op\":\"thread_exit\",\"thread\":\"T\",\"id\":\"A\"}\n"), 1,
                    "t.jsonl:3: op 2: thread_exit takes only \"thread\" (and note, label), not \"id\" or \"size\"");
    ld_expect_error("t.jsonl", S("{}\n{\"op\":\"thread_exit\",\"thread\":\"T\",\"size\":5}\n"), 1,
                    "t.jsonl:2: op 1: thread_exit takes only \"thread\" (and note, label), not \"id\" or \"size\"");
    ld_expect_error("t.json", S("{\"ops\":[{\"op\":\"malloc\",\"id\":\"A\",\"size\":1,\"thread\":\"T1\"},\n"
                                "{\"op\":\"thread_exit\",\"thread\":\"T1\"},\n"
                                "{\"op\":\"free\",\"id\":\"A\",\"thread\":\"T1\"}]}"), 0,
                    "t.json:3: op 3: free on thread \"T1\" after its thread_exit (op 2)");
    ld_expect_error("t.jsonl", S("{}\n{\"op\":\"thread_exit\",\"thread\":\"T1\"}\n"
                                 "{\"op\":\"thread_exit\",\"thread\":\"T1\"}\n"), 1,
                    "t.jsonl:3: op 2: thread_exit on thread \"T1\" after its thread_exit (op 1)");
    ld_expect_error("t.jsonl", S("{}\n{\"op\":\"thread_exit\",\"thread\":7}\n"), 1,
                    "t.jsonl:2: op 1: thread must be a non-empty string, not 7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_old_trace_has_no_side_arrays),
        cmocka_unit_test(test_fields_load),
        cmocka_unit_test(test_field_after_many_ops),
        cmocka_unit_test(test_fields_before_many_ops),
        cmocka_unit_test(test_type_errors),
        cmocka_unit_test(test_thread_numbers),
        cmocka_unit_test(test_thread_exit_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
