/* tests/loader/ld_test.h — helpers shared by the loader's cmocka tests (header only).
 * Owns: loading from strings, exact-message checks, temporary files and directories. */
#ifndef HS_LD_TEST_H
#define HS_LD_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>
#include <sys/stat.h>

#include "loader/trace.h"

/* Loads text (a .json document, or .jsonl when jsonl) that must be good.
 * Fails the test with the loader's message otherwise. */
static inline void ld_load_ok(const char *text, size_t len, int jsonl, hs_trace *t)
{
    hs_trace_error err;
    int rc = hs_trace_load_mem(jsonl ? "t.jsonl" : "t.json", text, len, jsonl, t, &err);
    if (rc != 0)
        print_error("unexpected load error: %s\n", err.msg);
    assert_int_equal(rc, 0);
}

/* Loads text under `name` and checks that it fails with exactly `want`,
 * leaving the trace empty. */
static inline void ld_expect_error(const char *name, const char *text, size_t len, int jsonl,
                                   const char *want)
{
    hs_trace t;
    hs_trace_error err;
    int rc;
    memset(&t, 0xAB, sizeof t);
    rc = hs_trace_load_mem(name, text, len, jsonl, &t, &err);
    if (rc == 0) {
        print_error("loaded, but expected: %s\n", want);
        hs_trace_free(&t);
    }
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, want);
    assert_null(t.ops);
    assert_null(t.ids);
    assert_null(t.pool);
    assert_int_equal(t.n_ops, 0);
}

/* A new directory under /tmp, removed by ld_tmpdir_remove.  Fails the test
 * if it cannot be made. */
static inline char *ld_tmpdir(void)
{
    char tmpl[] = "/tmp/hs_loader_test.XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

/* dir/name as a new string. */
static inline char *ld_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Writes len bytes to a new file dir/name; returns its path (free it).
 * Fails the test on any error. */
static inline char *ld_write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char *p = ld_path(dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    if (len > 0)
        assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return p;
}

/* Removes path and, for a directory, everything in it; reports (does not
 * fail) what it cannot remove. */
static inline void ld_rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d != NULL && (e = readdir(d)) != NULL) {
            char *sub;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            sub = ld_path(path, e->d_name);
            ld_rm_rf(sub);
            free(sub);
        }
        if (d != NULL)
            closedir(d);
    }
    if (remove(path) != 0)
        print_error("could not remove %s\n", path);
}

/* Removes the directory made by ld_tmpdir and frees its name. */
static inline void ld_tmpdir_remove(char *dir)
{
    ld_rm_rf(dir);
    free(dir);
}

#endif
