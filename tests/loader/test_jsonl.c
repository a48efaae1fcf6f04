/* tests/loader/test_jsonl.c — a .jsonl trace means exactly what the same .json trace means.
 * Owns: .json/.jsonl equivalence (files, buffers, CRLF, a large generated trace, a big file read on two threads, a small one on one) and op line numbers. */
#include "ld_test.h"

/* Same ops, ids, pool, title and description (op_line may differ). */
static void assert_same_trace(const hs_trace *a, const hs_trace *b)
{
    assert_int_equal(a->n_ops, b->n_ops);
    assert_int_equal(a->n_ids, b->n_ids);
    if (a->n_ops > 0)
        assert_memory_equal(a->ops, b->ops, a->n_ops * sizeof a->ops[0]);
    for (uint32_t i = 0; i < a->n_ids; i++)
        assert_string_equal(a->ids[i], b->ids[i]);
    for (size_t i = 0; i < a->n_ops; i++) {
        const char *na = hs_trace_note(a, i), *nb = hs_trace_note(b, i);
        const char *la = hs_trace_label(a, i), *lb = hs_trace_label(b, i);
        assert_true((na == NULL) == (nb == NULL) && (la == NULL) == (lb == NULL));
        if (na)
            assert_string_equal(na, nb);
        if (la)
            assert_string_equal(la, lb);
    }
    assert_int_equal(a->pool_len, b->pool_len);
    if (a->pool_len > 0)
        assert_memory_equal(a->pool, b->pool, a->pool_len);
    if (a->title == NULL)
        assert_null(b->title);
    else
        assert_string_equal(a->title, b->title);
    if (a->description == NULL)
        assert_null(b->description);
    else
        assert_string_equal(a->description, b->description);
}

static void load_file_ok(const char *path, hs_trace *t)
{
    hs_trace_error err;
    int rc = hs_trace_load(path, t, &err);
    if (rc != 0)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
}

/* data/figures.jsonl was written from data/figures.json by Python's json
 * module: an independent reading of the same document. */
static void test_figures_json_equals_jsonl(void **state)
{
    hs_trace a, b;
    (void)state;
    load_file_ok("data/figures.json", &a);
    load_file_ok("data/figures.jsonl", &b);
    assert_int_equal(a.n_ops, 20);
    assert_int_equal(a.n_ids, 7);
    assert_string_equal(a.title, "Figures 1-9: _edata, mmap and trim");
    assert_same_trace(&a, &b);
    /* in the .jsonl, op N is on line N + 1 (the header is line 1) */
    for (size_t i = 0; i < b.n_ops; i++)
        assert_int_equal(hs_trace_op_line(&b, i), i + 2);
    /* in the .json, op 1 begins on line 6 and op 2 (after a two-line op) on line 8 */
    assert_int_equal(hs_trace_op_line(&a, 0), 6);
    assert_int_equal(hs_trace_op_line(&a, 1), 8);
    assert_int_equal(hs_trace_op_line(&a, 19), 27);
    hs_trace_free(&a);
    hs_trace_free(&b);
}

/* Reads a whole file into memory (test helper). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The buffer loader and the file loader agree, for both formats. */
static void test_mem_equals_file(void **state)
{
    static const char *const files[] = { "data/figures.json", "data/figures.jsonl" };
    (void)state;
    for (int i = 0; i < 2; i++) {
        size_t len;
        char *buf = slurp(files[i], &len);
        hs_trace a, b;
        hs_trace_error err;
        load_file_ok(files[i], &a);
        assert_int_equal(hs_trace_load_mem(files[i], buf, len, i, &b, &err), 0);
        assert_same_trace(&a, &b);
        for (size_t k = 0; k < a.n_ops; k++)
            assert_int_equal(hs_trace_op_line(&a, k), hs_trace_op_line(&b, k));
        hs_trace_free(&a);
        hs_trace_free(&b);
        free(buf);
    }
}

/* CRLF line ends, blank lines and a last line without '\n' change nothing
 * but line numbers. */
static void test_jsonl_line_ends(void **state)
{
    const char *lf = "{\"title\": \"t\"}\n{\"op\": \"malloc\", \"id\": \"A\", \"size\": 8}\n"
                     "{\"op\": \"free\", \"id\": \"A\"}\n";
    const char *crlf = "\r\n{\"title\": \"t\"}\r\n\r\n{\"op\": \"malloc\", \"id\": \"A\", \"size\": 8}\r\n"
                       "   \r\n{\"op\": \"free\", \"id\": \"A\"}";
    const char *json = "{\"title\": \"t\", \"ops\": [{\"op\": \"malloc\", \"id\": \"A\", \"size\": 8},"
                       "{\"op\": \"free\", \"id\": \"A\"}]}";
    hs_trace a, b, c;
    (void)state;
    ld_load_ok(lf, strlen(lf), 1, &a);
    ld_load_ok(crlf, strlen(crlf), 1, &b);
    ld_load_ok(json, strlen(json), 0, &c);
    assert_same_trace(&a, &b);
    assert_same_trace(&a, &c);
    assert_int_equal(hs_trace_op_line(&b, 0), 4);
    assert_int_equal(hs_trace_op_line(&b, 1), 6);
    hs_trace_free(&a);
    hs_trace_free(&b);
    hs_trace_free(&c);
}

/* A generated trace of 199 000 ops (1000 ids bound and freed again), written both ways to files. */
static void test_large_generated(void **state)
{
    enum { N = 100000 };
    char *dir = ld_tmpdir(), *pj = ld_path(dir, "big.json"), *pl = ld_path(dir, "big.jsonl");
    FILE *fj = fopen(pj, "w"), *fl = fopen(pl, "w");
    hs_trace a, b;
    (void)state;
    assert_non_null(fj);
    assert_non_null(fl);
    fprintf(fj, "{\"format\": \"heapsim-trace/1\", \"title\": \"big\", \"ops\": [\n");
    fprintf(fl, "{\"format\": \"heapsim-trace/1\", \"title\": \"big\"}\n");
    for (int i = 0; i < N; i++) {
        char op[160];
        snprintf(op, sizeof op, "{\"op\": \"malloc\", \"id\": \"b%d\", \"size\": \"%dK\", \"touch\": %d%s}",
                 i % 1000, i % 50 + 1, i % 7, i % 11 == 0 ? ", \"note\": \"n\"" : "");
        if (i >= 1000) {
            /* free the previous binding of the same id first */
            fprintf(fj, ",\n{\"op\": \"free\", \"id\": \"b%d\"}", i % 1000);
            fprintf(fl, "{\"op\": \"free\", \"id\": \"b%d\"}\n", i % 1000);
        }
        fprintf(fj, "%s%s", i ? ",\n" : "", op);
        fprintf(fl, "%s\n", op);
    }
    fprintf(fj, "\n]}\n");
    assert_int_equal(fclose(fj), 0);
    assert_int_equal(fclose(fl), 0);
    load_file_ok(pj, &a);
    load_file_ok(pl, &b);
    assert_int_equal(a.n_ops, 2 * N - 1000);
    assert_int_equal(a.n_ids, 1000);
    assert_same_trace(&a, &b);
    for (size_t i = 0; i < b.n_ops; i++) {
        assert_int_equal(hs_trace_op_line(&a, i), i + 2);
        assert_int_equal(hs_trace_op_line(&b, i), i + 2);
    }
    hs_trace_free(&a);
    hs_trace_free(&b);
    free(pj);
    free(pl);
    ld_tmpdir_remove(dir);
}

/* One .jsonl line may be long: a 4 MiB note. */
static void test_jsonl_long_line(void **state)
{
    size_t n = (size_t)4 << 20, cap = n + 256, len = 0;
    char *s = malloc(cap);
    hs_trace t;
    (void)state;
    assert_non_null(s);
    len += (size_t)snprintf(s, cap, "{}\n{\"op\": \"malloc_trim\", \"pad\": 0, \"note\": \"");
    memset(s + len, 'n', n);
    len += n;
    len += (size_t)snprintf(s + len, cap - len, "\"}\n");
    {
        char *dir = ld_tmpdir();
        char *p = ld_write_file(dir, "long.jsonl", s, len);
        hs_trace_error err;
        assert_int_equal(hs_trace_load(p, &t, &err), 0);
        assert_int_equal(strlen(hs_trace_note(&t, 0)), n);
        hs_trace_free(&t);
        free(p);
        ld_tmpdir_remove(dir);
    }
    free(s);
}

/* The number of the line that begins at buf[len]: 1 + the '\n's before it. */
static size_t count_lines(const char *buf, size_t len)
{
    size_t k = 1;
    for (size_t i = 0; i < len; i++)
        k += buf[i] == '\n';
    return k;
}

/* A .jsonl trace of n ops (malloc and free in turn, a blank line now and
 * then, a 100 KB note line before op n / 3: longer than a batch of lines)
 * with bad[0..bad_len) on a line of its own before op `where` (bad NULL:
 * none); CRLF when crlf, else without a '\n' after the last line.  Returns
 * a new buffer, its length in *len, and in *line the line of the bad line
 * (none: of the last op). */
static char *make_jsonl(size_t n, const char *bad, size_t bad_len, size_t where, int crlf, size_t *len,
                        size_t *line)
{
    enum { NOTE = 100000 };
    size_t cap = n * 80 + NOTE + 4096, l = 0;
    char *buf = malloc(cap);
    const char *eol = crlf ? "\r\n" : "\n";
    assert_non_null(buf);
    l += (size_t)snprintf(buf + l, cap - l, "{\"format\": \"heapsim-trace/1\"}%s", eol);
    for (size_t i = 0; i <= n; i++) {
        if (bad != NULL && i == where) {
            *line = count_lines(buf, l);
            memcpy(buf + l, bad, bad_len);
            l += bad_len;
            l += (size_t)snprintf(buf + l, cap - l, "%s", eol);
        }
        if (i == n)
            break;
        if (i % 977 == 5)
            l += (size_t)snprintf(buf + l, cap - l, "   %s", eol);
        if (i == n / 3) {
            l += (size_t)snprintf(buf + l, cap - l, "{\"op\": \"malloc_trim\", \"pad\": 0, \"note\": \"");
            memset(buf + l, 'n', NOTE);
            l += NOTE;
            l += (size_t)snprintf(buf + l, cap - l, "\"}%s", eol);
        }
        if (i % 2 == 0)
            l += (size_t)snprintf(buf + l, cap - l, "{\"op\": \"malloc\", \"id\": \"p%zu\", \"size\": %zu, \"touch\": 3}",
                                  i % 500, 3 + i % 1000);   /* touch 3 fits */
        else
            l += (size_t)snprintf(buf + l, cap - l, "{\"op\": \"free\", \"id\": \"p%zu\"}", (i - 1) % 500);
        if (i + 1 < n || crlf)
            l += (size_t)snprintf(buf + l, cap - l, "%s", eol);   /* LF files end without one */
    }
    if (bad == NULL)
        *line = count_lines(buf, l - 1);
    *len = l;
    return buf;
}

/* A .jsonl trace of n ops from a file against the same bytes from a
 * buffer: the same trace, op lines, and the same error message, on the bad
 * line's number, for a bad line anywhere: first, at a batch's edge, in the
 * middle, last (where[], n meaning after the last op); a syntax error, a
 * NUL, an unbound id, a bad size, an array; CRLF, blank lines, a line
 * longer than a batch and a last line without '\n'. */
static void file_equals_buffer(size_t n, const size_t *where, size_t n_where)
{
    static const char nul_line[] = "{\"op\": \"malloc\", \"id\": \"x\"\0, \"size\": 8}";
    static const char *const bad[] = {
        "{\"op\": \"malloc\", \"id\": \"x\", \"size\": 8,}",
        "{\"op\": \"free\", \"id\": \"never\"}",
        "{\"op\": \"malloc\", \"id\": \"x\", \"size\": \"8Q\"}",
        nul_line,
        "[1, 2",
        /* cJSON takes these whole (a vertical tab as whitespace, text after
         * the value): only the checker refuses them, on either thread */
        "{\"op\": \"malloc\", \"id\": \"x\",\v\"size\": 8}",
        "{\"op\": \"malloc\", \"id\": \"x\", \"size\": 8} x",
    };
    char *dir = ld_tmpdir();
    for (size_t w = 0; w <= n_where; w++)
        for (size_t k = 0; k < (w < n_where ? sizeof bad / sizeof bad[0] : 1); k++) {
            size_t len, line;
            char *buf = make_jsonl(n, w < n_where ? bad[k] : NULL, k == 3 ? sizeof nul_line - 1 : strlen(bad[k]),
                                   w < n_where ? where[w] : 0, (w + k) % 2, &len, &line);
            char *path = ld_write_file(dir, "t.jsonl", buf, len), at[600];
            hs_trace a, b;
            hs_trace_error ea, eb;
            int ra = hs_trace_load(path, &a, &ea), rb = hs_trace_load_mem(path, buf, len, 1, &b, &eb);
            assert_int_equal(ra, w < n_where ? -1 : 0);
            assert_int_equal(ra, rb);
            if (ra != 0) {
                assert_string_equal(ea.msg, eb.msg);
                snprintf(at, sizeof at, "%s:%zu:", path, line);     /* the bad line's number */
                assert_true(strncmp(ea.msg, at, strlen(at)) == 0);
            } else {
                assert_int_equal(a.n_ops, n + 1);
                assert_int_equal(hs_trace_op_line(&a, n), line);
                assert_same_trace(&a, &b);
                for (size_t i = 0; i < a.n_ops; i++)
                    assert_int_equal(hs_trace_op_line(&a, i), hs_trace_op_line(&b, i));
                hs_trace_free(&a);
                hs_trace_free(&b);
            }
            free(path);
            free(buf);
        }
    ld_tmpdir_remove(dir);
}

/* A big file, read on two threads (over 1 MiB). */
static void test_big_file_equals_buffer(void **state)
{
    static const size_t where[] = { 0, 1, 1300, 1301, 1302, 30000, 59999, 60000 };
    size_t len, line;
    (void)state;
    free(make_jsonl(60000, NULL, 0, 0, 0, &len, &line));
    assert_true(len > ((size_t)1 << 20));
    file_equals_buffer(60000, where, sizeof where / sizeof where[0]);
}

/* A small file, read on one thread (under 1 MiB) in several batches. */
static void test_small_file_equals_buffer(void **state)
{
    static const size_t where[] = { 0, 1, 700, 1500, 2999, 3000 };
    size_t len, line;
    (void)state;
    free(make_jsonl(3000, NULL, 0, 0, 1, &len, &line));
    assert_true(len < ((size_t)1 << 20) && len > ((size_t)200 << 10));
    file_equals_buffer(3000, where, sizeof where / sizeof where[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures_json_equals_jsonl),
        cmocka_unit_test(test_mem_equals_file),
        cmocka_unit_test(test_jsonl_line_ends),
        cmocka_unit_test(test_large_generated),
        cmocka_unit_test(test_jsonl_long_line),
        cmocka_unit_test(test_big_file_equals_buffer),
        cmocka_unit_test(test_small_file_equals_buffer),
    };
    return cmocka_run_group_tests_name("loader_jsonl", tests, NULL, NULL);
}
