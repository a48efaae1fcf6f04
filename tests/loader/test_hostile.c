/* tests/loader/test_hostile.c — hostile files and bytes give a message, never a crash or a hang.
 * Owns: special files (dir, FIFO, devices, unreadable), huge and deep input, truncation, byte mutations. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "ld_test.h"

/* Loads path, which must fail with exactly "PATH: <want>". */
static void expect_file_error(const char *path, const char *want)
{
    hs_trace t;
    hs_trace_error err;
    char full[600];
    memset(&t, 0xAB, sizeof t);
    assert_int_equal(hs_trace_load(path, &t, &err), -1);
    snprintf(full, sizeof full, "%s: %s", path, want);
    assert_string_equal(err.msg, full);
    assert_null(t.ops);
    assert_null(t.ids);
}

static const char *EMPTY = "the file is empty (a trace is a JSON object with \"ops\", see docs/trace-format.md)";

static void test_empty_files(void **state)
{
    char *dir = ld_tmpdir(), *a = ld_write_file(dir, "e.json", "", 0), *b = ld_write_file(dir, "e.jsonl", "", 0);
    (void)state;
    expect_file_error(a, EMPTY);
    expect_file_error(b, EMPTY);
    free(a);
    free(b);
    ld_tmpdir_remove(dir);
}

static void test_directory(void **state)
{
    char *dir = ld_tmpdir(), *sub = ld_path(dir, "d.jsonl");
    (void)state;
    assert_int_equal(mkdir(sub, 0755), 0);
    expect_file_error(dir, "is a directory, not a trace file");
    expect_file_error(sub, "is a directory, not a trace file");
    free(sub);
    ld_tmpdir_remove(dir);
}

/* A FIFO with no writer: refused at once.  The alarm turns a hang into a
 * failed test instead of a stuck one. */
static void test_fifo(void **state)
{
    char *dir = ld_tmpdir(), *a = ld_path(dir, "f.json"), *b = ld_path(dir, "f.jsonl");
    (void)state;
    assert_int_equal(mkfifo(a, 0644), 0);
    assert_int_equal(mkfifo(b, 0644), 0);
    alarm(60);
    expect_file_error(a, "is a FIFO, not a regular file");
    expect_file_error(b, "is a FIFO, not a regular file");
    alarm(0);
    free(a);
    free(b);
    ld_tmpdir_remove(dir);
}

static void test_devices(void **state)
{
    (void)state;
    alarm(60);
    expect_file_error("/dev/null", "is a character device, not a regular file");
    expect_file_error("/dev/zero", "is a character device, not a regular file");
    alarm(0);
}

static void test_missing_files(void **state)
{
    char *dir = ld_tmpdir(), *f = ld_write_file(dir, "plain", "x", 1), *p = ld_path(f, "x.json"),
         *q = ld_path(dir, "absent.json");
    (void)state;
    expect_file_error(q, "cannot open: No such file or directory");
    expect_file_error(p, "cannot open: Not a directory");
    {
        hs_trace t;
        hs_trace_error err;
        assert_int_equal(hs_trace_load("", &t, &err), -1);
        assert_string_equal(err.msg, "(trace): no file name");
        assert_int_equal(hs_trace_load(NULL, &t, &err), -1);
        assert_string_equal(err.msg, "(trace): no file name");
    }
    free(f);
    free(p);
    free(q);
    ld_tmpdir_remove(dir);
}

/* A file that cannot be read.  Root reads everything, so as root the check
 * runs in a child that has become "nobody". */
static void test_unreadable(void **state)
{
    char *dir = ld_tmpdir();
    const char *text = "{\"ops\": []}";
    char *p = ld_write_file(dir, "secret.json", text, strlen(text));
    (void)state;
    assert_int_equal(chmod(p, 0), 0);
    assert_int_equal(chmod(dir, 0755), 0);
    if (geteuid() != 0) {
        expect_file_error(p, "cannot open: Permission denied");
    } else {
        pid_t pid = fork();
        int status = 0;
        assert_true(pid >= 0);
        if (pid == 0) {
            hs_trace t;
            hs_trace_error err;
            char want[600];
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(3);
            snprintf(want, sizeof want, "%s: cannot open: Permission denied", p);
            {
                int rc = hs_trace_load(p, &t, &err) == -1 && strcmp(err.msg, want) == 0 ? 0 : 5;
                free(p);                   /* keep valgrind's leak check quiet in the child */
                free(dir);
                _exit(rc);
            }
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    free(p);
    ld_tmpdir_remove(dir);
}

/* Larger than 1 GiB: refused from its size, without reading (the file is
 * sparse, so this costs no disk). */
static void test_too_large(void **state)
{
    char *dir = ld_tmpdir();
    (void)state;
    for (int i = 0; i < 2; i++) {
        char *p = ld_path(dir, i ? "big.jsonl" : "big.json");
        int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, ((off_t)1 << 30) + 1), 0);
        close(fd);
        expect_file_error(p, "the file is too large (1073741825 bytes; the limit is 1 GiB)");
        free(p);
    }
    ld_tmpdir_remove(dir);
}

/* Bytes that are not text: NUL, invalid UTF-8, from files. */
static void test_bad_bytes_in_files(void **state)
{
    char *dir = ld_tmpdir();
    static const char nul_json[] = "{\"ops\": [\n{\"op\": \"free\",\0 \"id\": \"A\"}\n]}";
    static const char nul_jsonl[] = "{}\n{\"op\": \"malloc\", \"id\": \"A\0B\", \"size\": 1}\n";
    static const char utf8_jsonl[] = "{}\n{\"op\": \"malloc\", \"id\": \"\xc3\", \"size\": 1}\n";
    char *a = ld_write_file(dir, "nul.json", nul_json, sizeof nul_json - 1);
    char *b = ld_write_file(dir, "nul.jsonl", nul_jsonl, sizeof nul_jsonl - 1);
    char *c = ld_write_file(dir, "utf8.jsonl", utf8_jsonl, sizeof utf8_jsonl - 1);
    char want[600];
    hs_trace t;
    hs_trace_error err;
    (void)state;
    assert_int_equal(hs_trace_load(a, &t, &err), -1);
    snprintf(want, sizeof want, "%s:2:15: unexpected NUL byte (expected a member name in double quotes)", a);
    assert_string_equal(err.msg, want);
    assert_int_equal(hs_trace_load(b, &t, &err), -1);
    snprintf(want, sizeof want, "%s:2:26: NUL byte in a string", b);
    assert_string_equal(err.msg, want);
    assert_int_equal(hs_trace_load(c, &t, &err), -1);
    snprintf(want, sizeof want, "%s:2:25: invalid UTF-8 in a string (byte 0xC3)", c);
    assert_string_equal(err.msg, want);
    free(a);
    free(b);
    free(c);
    ld_tmpdir_remove(dir);
}

/* A million open brackets: a clear message, no stack overflow. */
static void test_deep_nesting(void **state)
{
    size_t n = 1000000;
    char *s = malloc(n + 16);
    (void)state;
    assert_non_null(s);
    memset(s, '[', n);
    ld_expect_error("t.json", s, n, 0, "t.json:1:1001: nesting deeper than 1000 levels of arrays and objects");
    memset(s, '{', 1);
    memcpy(s, "{\"ops\":", 7);
    memset(s + 7, '{', n - 7);
    ld_expect_error("t.json", s, n, 0, "t.json:1:9: unexpected '{' (expected a member name in double quotes)");
    free(s);
}

static void test_huge_numbers(void **state)
{
    const char *a = "{\"ops\": [{\"op\": \"malloc\", \"id\": \"A\", \"size\": 1e400}]}";
    const char *b = "{\"ops\": [{\"op\": \"mallopt\", \"param\": \"M_MMAP_MAX\", \"value\": 1e400}]}";
    (void)state;
    ld_expect_error("t.json", a, strlen(a), 0,
                    "t.json:1: op 1: size is too large (the largest is 2^64 - 1 = 18446744073709551615)");
    {
        /* a 300-digit number */
        char s[512];
        int n = snprintf(s, sizeof s, "{\"ops\": [{\"op\": \"malloc_trim\", \"pad\": ");
        memset(s + n, '9', 300);
        n += 300;
        n += snprintf(s + n, sizeof s - (size_t)n, "}]}");
        ld_expect_error("t.json", s, (size_t)n, 0,
                        "t.json:1: op 1: pad 1e+300 is too large (the largest is 2^64 - 1 = 18446744073709551615)");
    }
    ld_expect_error("t.json", b, strlen(b), 0,
                    "t.json:1: op 1: value does not fit in an int (-2147483648 to 2147483647)");
}

/* Every proper prefix of a good trace fails with a message; so does a
 * .jsonl cut inside a line.  (The .json has no trailing whitespace, so no
 * proper prefix is a complete document.) */
static void test_truncated(void **state)
{
    FILE *f = fopen("data/figures.json", "rb");
    char *buf = malloc(1 << 16);
    size_t len;
    (void)state;
    assert_non_null(f);
    assert_non_null(buf);
    len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
        len--;
    {
        hs_trace t;
        ld_load_ok(buf, len, 0, &t);
        hs_trace_free(&t);
    }
    for (size_t n = 0; n < len; n++) {
        hs_trace t;
        hs_trace_error err;
        assert_int_equal(hs_trace_load_mem("t.json", buf, n, 0, &t, &err), -1);
        assert_true(strncmp(err.msg, "t.json:", 7) == 0);
        assert_null(t.ops);
    }
    free(buf);
    {
        const char *l = "{\"title\": \"x\"}\n{\"op\": \"malloc\", \"id\": \"A\", \"size\": 8}\n";
        ld_expect_error("t.jsonl", l, strlen(l) - 2, 1,
                        "t.jsonl:2:38: unexpected end of the line (expected ',' or '}' after an object member)");
    }
}

/* Deterministic random damage to good traces: any result is fine except a
 * crash, a leak (valgrind/ASan) or a success that breaks the invariants. */
static void test_mutations(void **state)
{
    static const char *const files[] = { "data/figures.json", "data/figures.jsonl" };
    static const char bytes[] = "{}[]\",:\\ 0123456789eE.-+tfnul\n\x80\xff\xc3\0AKMG";
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    (void)state;
    for (int fi = 0; fi < 2; fi++) {
        FILE *f = fopen(files[fi], "rb");
        char *orig = malloc(1 << 16), *buf = malloc(1 << 16);
        size_t len;
        assert_non_null(f);
        len = fread(orig, 1, 1 << 16, f);
        fclose(f);
        for (int round = 0; round < 4000; round++) {
            hs_trace t;
            hs_trace_error err;
            size_t n = len;
            int edits = 1 + (int)(rng % 4);
            memcpy(buf, orig, len);
            for (int e = 0; e < edits; e++) {
                size_t pos;
                if (n == 0)
                    break;
                rng = rng * 6364136223846793005ull + 1442695040888963407ull;
                pos = (size_t)(rng >> 33) % n;
                switch ((rng >> 20) % 3) {
                case 0:  /* replace a byte */
                    buf[pos] = bytes[(rng >> 40) % (sizeof bytes - 1)];
                    break;
                case 1:  /* delete a byte */
                    memmove(buf + pos, buf + pos + 1, n - pos - 1);
                    n--;
                    break;
                default: /* cut */
                    n = pos + 1;
                    break;
                }
            }
            if (hs_trace_load_mem(files[fi], buf, n, fi, &t, &err) == 0) {
                for (size_t i = 0; i < t.n_ops; i++) {
                    assert_true(t.ops[i].kind < HS_OP_KIND_COUNT);
                    assert_true(t.ops[i].id == HS_NO_ID || t.ops[i].id < t.n_ids);
                    assert_true(i == 0 || hs_trace_op_line(&t, i) >= hs_trace_op_line(&t, i - 1));
                }
                hs_trace_free(&t);
            } else {
                assert_true(strncmp(err.msg, files[fi], strlen(files[fi])) == 0);
                assert_true(strlen(err.msg) > strlen(files[fi]) + 2);
                assert_null(t.ops);
            }
        }
        free(orig);
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_files),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_devices),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_bad_bytes_in_files),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_huge_numbers),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests_name("loader_hostile", tests, NULL, NULL);
}
