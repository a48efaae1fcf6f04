/* tests/loader/test_ops.c — every op loads with its defaults resolved; ops print in C syntax.
 * Owns: tests of hs_op fields per kind, size strings, ids and slots, the pool, hs_op_format and the names. */
#include <malloc.h>

#include "ld_test.h"

/* Under -fsanitize=address, let calloc overflow return NULL as glibc does
 * instead of aborting (unused in normal builds). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static hs_trace load(const char *text)
{
    hs_trace t;
    ld_load_ok(text, strlen(text), 0, &t);
    return t;
}

static void test_every_op_with_defaults(void **state)
{
    hs_trace t = load(
        "{\"format\": \"heapsim-trace/1\", \"title\": \"T\", \"description\": \"D\", \"extra\": {\"x\": [1, 2]},\n"
        " \"ops\": [\n"
        "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": \"30K\", \"note\": \"Figure 2\", \"label\": \"Fig 2\"},\n"
        "  {\"op\": \"calloc\", \"id\": \"C\", \"nmemb\": 4, \"size\": 100},\n"
        "  {\"op\": \"realloc\", \"id\": \"C\", \"size\": 64},\n"
        "  {\"op\": \"memalign\", \"id\": \"M\", \"alignment\": 4096, \"size\": 100},\n"
        "  {\"op\": \"touch\", \"id\": \"A\"},\n"
        "  {\"op\": \"touch\", \"id\": \"A\", \"offset\": 16},\n"
        "  {\"op\": \"touch\", \"id\": \"A\", \"len\": 8},\n"
        "  {\"op\": \"free\", \"id\": \"C\"},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_TRIM_THRESHOLD\", \"value\": -1},\n"
        "  {\"op\": \"malloc_trim\", \"pad\": 0}\n"
        "]}");
    const hs_op *o = t.ops;
    (void)state;
    assert_int_equal(t.n_ops, 10);
    assert_string_equal(t.title, "T");
    assert_string_equal(t.description, "D");
    assert_int_equal(t.n_ids, 3);
    assert_string_equal(t.ids[0], "A");
    assert_string_equal(t.ids[1], "C");
    assert_string_equal(t.ids[2], "M");
    for (size_t i = 0; i < t.n_ops; i++)
        assert_int_equal(hs_trace_op_line(&t, i), i + 3);

    assert_int_equal(o[0].kind, HS_OP_MALLOC);
    assert_int_equal(o[0].id, 0);
    assert_int_equal(o[0].size, 30720);
    assert_int_equal(o[0].touch, 30720);          /* touch defaults to every requested byte */
    assert_string_equal(hs_trace_note(&t, 0), "Figure 2");
    assert_string_equal(hs_trace_label(&t, 0), "Fig 2");

    assert_int_equal(o[1].kind, HS_OP_CALLOC);
    assert_int_equal(o[1].id, 1);
    assert_int_equal(o[1].arg, 4);
    assert_int_equal(o[1].size, 100);
    assert_int_equal(o[1].touch, 400);            /* nmemb * size */
    assert_int_equal(t.op_note[1], HS_NO_STR);
    assert_null(hs_trace_note(&t, 1));
    assert_null(hs_trace_label(&t, 1));

    assert_int_equal(o[2].kind, HS_OP_REALLOC);
    assert_int_equal(o[2].id, 1);
    assert_int_equal(o[2].size, 64);
    assert_int_equal(o[2].touch, 64);

    assert_int_equal(o[3].kind, HS_OP_MEMALIGN);
    assert_int_equal(o[3].arg, 4096);
    assert_int_equal(o[3].size, 100);
    assert_int_equal(o[3].touch, 100);

    assert_int_equal(o[4].kind, HS_OP_TOUCH);     /* offset 0, len = rest of block */
    assert_int_equal(o[4].id, 0);
    assert_int_equal(o[4].arg, 0);
    assert_int_equal(o[4].size, 30720);
    assert_int_equal(o[4].touch, 0);
    assert_int_equal(o[5].arg, 16);
    assert_int_equal(o[5].size, 30720 - 16);
    assert_int_equal(o[6].arg, 0);
    assert_int_equal(o[6].size, 8);

    assert_int_equal(o[7].kind, HS_OP_FREE);
    assert_int_equal(o[7].id, 1);

    assert_int_equal(o[8].kind, HS_OP_MALLOPT);
    assert_int_equal(o[8].id, HS_NO_ID);
    assert_int_equal(o[8].param, HS_M_TRIM_THRESHOLD);
    assert_int_equal(o[8].value, -1);

    assert_int_equal(o[9].kind, HS_OP_MALLOC_TRIM);
    assert_int_equal(o[9].id, HS_NO_ID);
    assert_int_equal(o[9].size, 0);
    hs_trace_free(&t);
    assert_null(t.ops);
    hs_trace_free(&t);                            /* twice is harmless */
}

static void test_touch_field(void **state)
{
    hs_trace t = load(
        "{\"ops\": [\n"
        "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": 100, \"touch\": true},\n"
        "  {\"op\": \"malloc\", \"id\": \"B\", \"size\": 100, \"touch\": false},\n"
        "  {\"op\": \"malloc\", \"id\": \"C\", \"size\": 100, \"touch\": 40},\n"
        "  {\"op\": \"malloc\", \"id\": \"D\", \"size\": \"8K\", \"touch\": \"4K\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"E\", \"size\": 100, \"touch\": 100},\n"
        "  {\"op\": \"calloc\", \"id\": \"F\", \"nmemb\": 3, \"size\": 10, \"touch\": 30},\n"
        "  {\"op\": \"memalign\", \"id\": \"G\", \"alignment\": 64, \"size\": 10, \"touch\": 0},\n"
        "  {\"op\": \"realloc\", \"id\": \"A\", \"size\": 200, \"touch\": 150},\n"
        "  {\"op\": \"realloc\", \"id\": \"B\", \"size\": 0}\n"
        "]}");
    static const uint64_t want[] = { 100, 0, 40, 4096, 100, 30, 0, 150, 0 };
    (void)state;
    assert_int_equal(t.n_ops, 9);
    for (size_t i = 0; i < t.n_ops; i++)
        assert_int_equal(t.ops[i].touch, want[i]);
    hs_trace_free(&t);
}

/* calloc whose nmemb * size overflows is legal: the call returns NULL, so
 * nothing is written.  Real glibc agrees that such a calloc fails. */
static void test_calloc_overflow(void **state)
{
    hs_trace t = load(
        "{\"ops\": [\n"
        "  {\"op\": \"calloc\", \"id\": \"A\", \"nmemb\": \"8G\", \"size\": \"4G\"},\n"
        "  {\"op\": \"calloc\", \"id\": \"B\", \"nmemb\": \"8G\", \"size\": \"4G\", \"touch\": 12345},\n"
        "  {\"op\": \"touch\", \"id\": \"A\", \"offset\": 5},\n"
        "  {\"op\": \"free\", \"id\": \"A\"}\n"
        "]}");
    volatile size_t nmemb = (size_t)8 << 30, size = (size_t)4 << 30;  /* hidden from -Walloc-size */
    void *p;
    (void)state;
    assert_int_equal(t.ops[0].arg, (uint64_t)8 << 30);
    assert_int_equal(t.ops[0].size, (uint64_t)4 << 30);
    assert_int_equal(t.ops[0].touch, 0);
    assert_int_equal(t.ops[1].touch, 0);
    assert_int_equal(t.ops[2].arg, 5);
    assert_int_equal(t.ops[2].size, UINT64_MAX - 5);
    hs_trace_free(&t);

    /* the same call on this machine's glibc (errno is not checked: valgrind's
     * replacement calloc does not set it) */
    p = calloc(nmemb, size);
    assert_null(p);
}

/* realloc(p, 0) frees p on glibc 2.36 (the rule behind "realloc to size 0
 * frees"): it returns NULL, and a later free of the id is a double free,
 * which the loader accepts. */
static void test_realloc_zero(void **state)
{
    hs_trace t = load(
        "{\"ops\": [\n"
        "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": 100},\n"
        "  {\"op\": \"realloc\", \"id\": \"A\", \"size\": 0},\n"
        "  {\"op\": \"free\", \"id\": \"A\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": 5}\n"
        "]}");
    void *volatile p = malloc(100);
    (void)state;
    assert_int_equal(t.n_ops, 4);
    assert_int_equal(t.ops[1].touch, 0);
    assert_int_equal(t.n_ids, 1);
    hs_trace_free(&t);

    assert_non_null(p);
    assert_null(realloc(p, 0));
}

static void test_size_strings(void **state)
{
    hs_trace t = load(
        "{\"ops\": [\n"
        "  {\"op\": \"malloc\", \"id\": \"a\", \"size\": \"30K\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"b\", \"size\": \"30KiB\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"c\", \"size\": \"2M\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"d\", \"size\": \"2MiB\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"e\", \"size\": \"3G\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"f\", \"size\": \"3GiB\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"g\", \"size\": \"0\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"h\", \"size\": \"007\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"i\", \"size\": \"18446744073709551615\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"j\", \"size\": \"17179869183G\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"k\", \"size\": 1e3},\n"
        "  {\"op\": \"malloc\", \"id\": \"l\", \"size\": -0},\n"
        "  {\"op\": \"malloc\", \"id\": \"m\", \"size\": 4611686018427387904},\n"
        "  {\"op\": \"malloc\", \"id\": \"n\", \"size\": 12.0},\n"
        "  {\"op\": \"malloc\", \"id\": \"o\", \"size\": 9007199254740992}\n"
        "]}");
    static const uint64_t want[] = {
        30720, 30720, 2097152, 2097152, 3221225472ull, 3221225472ull, 0, 7,
        UINT64_MAX, 17179869183ull << 30, 1000, 0, (uint64_t)1 << 62, 12, (uint64_t)1 << 53,
    };
    (void)state;
    assert_int_equal(t.n_ops, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < t.n_ops; i++) {
        assert_int_equal(t.ops[i].size, want[i]);
        assert_int_equal(t.ops[i].touch, want[i]);
    }
    hs_trace_free(&t);
}

static void test_mallopt_params(void **state)
{
    hs_trace t = load(
        "{\"ops\": [\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_MMAP_THRESHOLD\", \"value\": 131072},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_MMAP_MAX\", \"value\": 0},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_TRIM_THRESHOLD\", \"value\": -1},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_TOP_PAD\", \"value\": \"64K\"},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_PERTURB\", \"value\": 2147483647},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_ARENA_MAX\", \"value\": -2147483648},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_ARENA_TEST\", \"value\": \"-8\"},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_MXFAST\", \"value\": -0}\n"
        "]}");
    static const int64_t want[] = { 131072, 0, -1, 65536, 2147483647, -2147483648ll, -8, 0 };
    (void)state;
    assert_int_equal(t.n_ops, HS_PARAM_COUNT);
    for (int i = 0; i < HS_PARAM_COUNT; i++) {
        assert_int_equal(t.ops[i].param, i);
        assert_int_equal(t.ops[i].value, want[i]);
        assert_int_equal(t.ops[i].id, HS_NO_ID);
    }
    hs_trace_free(&t);
}

/* The same name always maps to the same slot, also after free and rebind;
 * a double free is legal in a trace. */
static void test_id_slots(void **state)
{
    hs_trace t = load(
        "{\"ops\": [\n"
        "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": 1},\n"
        "  {\"op\": \"malloc\", \"id\": \"B\", \"size\": 1},\n"
        "  {\"op\": \"free\", \"id\": \"A\"},\n"
        "  {\"op\": \"free\", \"id\": \"A\"},\n"
        "  {\"op\": \"calloc\", \"id\": \"A\", \"nmemb\": 1, \"size\": 1},\n"
        "  {\"op\": \"free\", \"id\": \"A\"},\n"
        "  {\"op\": \"memalign\", \"id\": \"A\", \"alignment\": 16, \"size\": 1},\n"
        "  {\"op\": \"malloc\", \"id\": \"a\", \"size\": 1},\n"
        "  {\"op\": \"malloc\", \"id\": \"\\u00e9\", \"size\": 1},\n"
        "  {\"op\": \"free\", \"id\": \"\xc3\xa9\"}\n"
        "]}");
    (void)state;
    assert_int_equal(t.n_ids, 4);
    assert_int_equal(t.ops[0].id, 0);
    assert_int_equal(t.ops[1].id, 1);
    assert_int_equal(t.ops[2].id, 0);
    assert_int_equal(t.ops[3].id, 0);
    assert_int_equal(t.ops[4].id, 0);
    assert_int_equal(t.ops[6].id, 0);
    assert_int_equal(t.ops[7].id, 2);             /* ids are case-sensitive */
    assert_int_equal(t.ops[8].id, 3);
    assert_int_equal(t.ops[9].id, 3);             /* \u00e9 and the raw UTF-8 are the same name */
    assert_string_equal(t.ids[3], "\xc3\xa9");
    hs_trace_free(&t);
}

/* Many ids: the table grows and keeps every mapping. */
static void test_many_ids(void **state)
{
    enum { N = 20000 };
    size_t cap = 64 + (size_t)N * 120, len = 0;
    char *s = malloc(cap);
    hs_trace t;
    (void)state;
    assert_non_null(s);
    len += (size_t)snprintf(s + len, cap - len, "{\"ops\": [");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(s + len, cap - len, "%s{\"op\": \"malloc\", \"id\": \"p%d\", \"size\": %d}",
                                i ? ",\n" : "\n", i, i + 1);
    for (int i = N - 1; i >= 0; i--)
        len += (size_t)snprintf(s + len, cap - len, ",\n{\"op\": \"free\", \"id\": \"p%d\"}", i);
    len += (size_t)snprintf(s + len, cap - len, "\n]}");
    ld_load_ok(s, len, 0, &t);
    assert_int_equal(t.n_ops, 2 * N);
    assert_int_equal(t.n_ids, N);
    for (int i = 0; i < N; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", i);
        assert_string_equal(t.ids[t.ops[i].id], name);
        assert_int_equal(t.ops[i].id, (uint32_t)i);
        assert_int_equal(t.ops[N + i].id, (uint32_t)(N - 1 - i));
        assert_int_equal(hs_trace_op_line(&t, N + i), N + i + 2);
    }
    hs_trace_free(&t);
    free(s);
}

static void test_empty_ops_and_unknown_keys(void **state)
{
    hs_trace t = load("\xef\xbb\xbf{\"ops\": [], \"version\": 7, \"nested\": {\"ops\": 5}}");
    (void)state;
    assert_int_equal(t.n_ops, 0);
    assert_null(t.ops);
    assert_null(t.title);
    assert_null(t.description);
    assert_null(hs_trace_str(&t, 1));
    hs_trace_free(&t);
}

/* Fields an op does not take are ignored, whether the contract knows them
 * for another op ("id" on mallopt, "size" on free) or not at all. */
static void test_extra_op_fields_ignored(void **state)
{
    hs_trace t = load("{\"ops\": [\n"
                      "{\"op\": \"malloc\", \"id\": \"A\", \"size\": 8, \"colour\": \"red\"},\n"
                      "{\"op\": \"free\", \"id\": \"A\", \"size\": \"x\"},\n"
                      "{\"op\": \"mallopt\", \"id\": \"B\", \"param\": \"M_MMAP_MAX\", \"value\": 0}]}");
    (void)state;
    assert_int_equal(t.n_ops, 3);
    assert_int_equal(t.ops[0].size, 8);
    assert_int_equal(t.ops[1].kind, HS_OP_FREE);
    assert_int_equal(t.ops[1].size, 0);
    assert_int_equal(t.ops[2].id, HS_NO_ID);
    assert_int_equal(t.n_ids, 1);
    hs_trace_free(&t);
}

/* Strings with escapes and UTF-8 arrive decoded. */
static void test_strings_decoded(void **state)
{
    hs_trace t = load(
        "{\"title\": \"Tab\\there \\\"q\\\" \\u00e9 \\ud83d\\ude00\", \"\\u006fps\": [\n"
        "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": 1, \"note\": \"\xe7\xac\xac\xe4\xb8\x80\", \"label\": \"\"}\n"
        "]}");
    (void)state;
    assert_string_equal(t.title, "Tab\there \"q\" \xc3\xa9 \xf0\x9f\x98\x80");
    assert_int_equal(t.n_ops, 1);
    assert_string_equal(hs_trace_note(&t, 0), "\xe7\xac\xac\xe4\xb8\x80");
    assert_string_equal(hs_trace_label(&t, 0), "");
    hs_trace_free(&t);
}

/* A 1 MiB id is valid. */
static void test_huge_id(void **state)
{
    size_t idlen = (size_t)1 << 20, cap = idlen * 2 + 256, len = 0;
    char *s = malloc(cap), *id = malloc(idlen + 1), buf[128];
    hs_trace t;
    (void)state;
    assert_non_null(s);
    assert_non_null(id);
    memset(id, 'x', idlen);
    id[idlen] = 0;
    len += (size_t)snprintf(s + len, cap - len, "{\"ops\": [{\"op\": \"malloc\", \"id\": \"%s\", \"size\": 8},\n", id);
    len += (size_t)snprintf(s + len, cap - len, "{\"op\": \"free\", \"id\": \"%s\"}]}", id);
    ld_load_ok(s, len, 0, &t);
    assert_int_equal(t.n_ids, 1);
    assert_int_equal(strlen(t.ids[0]), idlen);
    hs_op_format(&t, &t.ops[1], buf, sizeof buf);
    {
        /* long ids are cut to 29 bytes and "..." for tables */
        char want[64] = "free(";
        memset(want + 5, 'x', 29);
        strcpy(want + 34, "...)");
        assert_string_equal(buf, want);
    }
    hs_trace_free(&t);
    free(s);
    free(id);
}

static void test_format(void **state)
{
    hs_trace t = load(
        "{\"ops\": [\n"
        "  {\"op\": \"malloc\", \"id\": \"A\", \"size\": \"30K\"},\n"
        "  {\"op\": \"calloc\", \"id\": \"C\", \"nmemb\": 4, \"size\": 100},\n"
        "  {\"op\": \"malloc\", \"id\": \"B\", \"size\": 100},\n"
        "  {\"op\": \"realloc\", \"id\": \"B\", \"size\": 64},\n"
        "  {\"op\": \"memalign\", \"id\": \"M\", \"alignment\": 4096, \"size\": 100},\n"
        "  {\"op\": \"free\", \"id\": \"C\"},\n"
        "  {\"op\": \"touch\", \"id\": \"A\"},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_MMAP_THRESHOLD\", \"value\": 131072},\n"
        "  {\"op\": \"malloc_trim\", \"pad\": 0},\n"
        "  {\"op\": \"malloc\", \"id\": \"D\", \"size\": \"2M\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"E\", \"size\": \"3G\"},\n"
        "  {\"op\": \"malloc\", \"id\": \"F\", \"size\": 1025},\n"
        "  {\"op\": \"malloc\", \"id\": \"G\", \"size\": \"1024G\"},\n"
        "  {\"op\": \"touch\", \"id\": \"A\", \"offset\": 4096, \"len\": \"1K\"},\n"
        "  {\"op\": \"mallopt\", \"param\": \"M_TRIM_THRESHOLD\", \"value\": -1},\n"
        "  {\"op\": \"malloc_trim\", \"pad\": \"128K\"},\n"
        "  {\"op\": \"calloc\", \"id\": \"H\", \"nmemb\": 1024, \"size\": 0}\n"
        "]}");
    static const char *const want[] = {
        "A = malloc(30K)", "C = calloc(4, 100)", "B = malloc(100)", "B = realloc(B, 64)",
        "M = memalign(4096, 100)", "free(C)", "memset(A + 0, 1, 30K)",
        "mallopt(M_MMAP_THRESHOLD, 131072)", "malloc_trim(0)", "D = malloc(2M)", "E = malloc(3G)",
        "F = malloc(1025)", "G = malloc(1024G)", "memset(A + 4096, 1, 1K)",
        "mallopt(M_TRIM_THRESHOLD, -1)", "malloc_trim(128K)", "H = calloc(1024, 0)",
    };
    char buf[128];
    (void)state;
    assert_int_equal(t.n_ops, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < t.n_ops; i++) {
        hs_op_format(&t, &t.ops[i], buf, sizeof buf);
        assert_string_equal(buf, want[i]);
    }
    /* short buffers are cut and terminated */
    memset(buf, 'Z', sizeof buf);
    hs_op_format(&t, &t.ops[7], buf, 8);
    assert_string_equal(buf, "mallopt");
    hs_op_format(&t, &t.ops[0], buf, 1);
    assert_string_equal(buf, "");
    hs_op_format(&t, &t.ops[0], NULL, 0);         /* nothing to write: no crash */
    /* bad input prints "?" */
    {
        hs_op bad = t.ops[5];
        bad.id = 99;
        hs_op_format(&t, &bad, buf, sizeof buf);
        assert_string_equal(buf, "free(?)");
        bad.kind = HS_OP_KIND_COUNT;
        hs_op_format(&t, &bad, buf, sizeof buf);
        assert_string_equal(buf, "?");
        hs_op_format(NULL, &t.ops[5], buf, sizeof buf);
        assert_string_equal(buf, "free(?)");
    }
    hs_trace_free(&t);
}

static void test_names(void **state)
{
    static const char *const ops[] = { "malloc", "calloc", "realloc", "memalign", "free", "touch",
                                       "mallopt", "malloc_trim", "write", "thread_exit", "madvise" };
    static const char *const params[] = { "M_MMAP_THRESHOLD", "M_MMAP_MAX", "M_TRIM_THRESHOLD",
                                          "M_TOP_PAD", "M_PERTURB", "M_ARENA_MAX", "M_ARENA_TEST",
                                          "M_MXFAST" };
    (void)state;
    for (int i = 0; i < HS_OP_KIND_COUNT; i++)
        assert_string_equal(hs_op_name(i), ops[i]);
    for (int i = 0; i < HS_PARAM_COUNT; i++)
        assert_string_equal(hs_param_name(i), params[i]);
    assert_string_equal(hs_op_name(-1), "?");
    assert_string_equal(hs_op_name(HS_OP_KIND_COUNT), "?");
    assert_string_equal(hs_param_name(HS_PARAM_COUNT), "?");
    assert_string_equal(hs_advice_name(HS_MADV_DONTNEED), "MADV_DONTNEED");
    assert_string_equal(hs_advice_name(HS_ADVICE_COUNT), "?");
    assert_null(hs_trace_str(NULL, 1));
}

/* The param numbers in sim/op.h are glibc's own (<malloc.h>). */
static void test_glibc_param_numbers(void **state)
{
    (void)state;
    assert_int_equal(HS_GLIBC_M_MXFAST, M_MXFAST);
    assert_int_equal(HS_GLIBC_M_TRIM_THRESHOLD, M_TRIM_THRESHOLD);
    assert_int_equal(HS_GLIBC_M_TOP_PAD, M_TOP_PAD);
    assert_int_equal(HS_GLIBC_M_MMAP_THRESHOLD, M_MMAP_THRESHOLD);
    assert_int_equal(HS_GLIBC_M_MMAP_MAX, M_MMAP_MAX);
    assert_int_equal(HS_GLIBC_M_PERTURB, M_PERTURB);
    assert_int_equal(HS_GLIBC_M_ARENA_TEST, M_ARENA_TEST);
    assert_int_equal(HS_GLIBC_M_ARENA_MAX, M_ARENA_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_op_with_defaults),
        cmocka_unit_test(test_touch_field),
        cmocka_unit_test(test_extra_op_fields_ignored),
        cmocka_unit_test(test_calloc_overflow),
        cmocka_unit_test(test_realloc_zero),
        cmocka_unit_test(test_size_strings),
        cmocka_unit_test(test_mallopt_params),
        cmocka_unit_test(test_id_slots),
        cmocka_unit_test(test_many_ids),
        cmocka_unit_test(test_empty_ops_and_unknown_keys),
        cmocka_unit_test(test_strings_decoded),
        cmocka_unit_test(test_huge_id),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_glibc_param_numbers),
    };
    return cmocka_run_group_tests_name("loader_ops", tests, NULL, NULL);
}
