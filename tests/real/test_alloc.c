/* tests/real/test_alloc.c — hs_real_run with another allocator preloaded, time per call, smaps, madvise.
 * Owns: the library-level checks of hs_real_opts.preload/on_extra/smaps_at/info (the CLI's are alloc_cli.sh's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/real/util.h"

#define MAX_STEPS 32

typedef struct got {
    hs_step st[MAX_STEPS];
    hs_real_extra x[MAX_STEPS];
    size_t n, nx;
} got;

static int on_step(void *ctx, const hs_step *st)
{
    got *g = ctx;
    if (g->n < MAX_STEPS) g->st[g->n++] = *st;
    return 0;
}

static void on_extra(void *ctx, const hs_real_extra *x)
{
    got *g = ctx;
    if (g->nx < MAX_STEPS) {
        g->x[g->nx] = *x;
        g->x[g->nx].smaps = NULL;   /* valid only during the call */
        g->nx++;
    }
}

/* Debian's libjemalloc2, where the multiarch dirs have it; NULL when absent. */
static const char *jemalloc(void)
{
    static const char *const p[] = { "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
                                     "/lib/x86_64-linux-gnu/libjemalloc.so.2",
                                     "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2" };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        if (access(p[i], R_OK) == 0)
            return p[i];
    return NULL;
}

/* malloc(200K) written, a touch, a free: replayed with preload (NULL: glibc). */
static got *run(const char *preload, hs_real_info *info)
{
    static tb b;
    tb_init(&b, 1);
    tb_malloc(&b, 0, KiB(200), ALL);
    tb_touch(&b, 0, 0, KiB(4));
    tb_free(&b, 0);
    got *g = calloc(1, sizeof *g);
    assert_non_null(g);
    hs_real_opts o = { .replayer = HS_REPLAYER, .preload = preload, .on_extra = on_extra,
                       .want_maps = 1, .info = info };
    char msg[512];
    int rc = hs_real_run(&b.t, &o, on_step, g, msg, sizeof msg);
    if (rc != 0) print_error("hs_real_run: %s\n", msg);
    assert_int_equal(rc, 0);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->nx, 3);
    return g;
}

/* glibc's own malloc: the replayer says so, and every glibc field is there. */
static void glibc_is_glibc(void **state)
{
    (void)state;
    hs_real_info info;
    memset(&info, 0, sizeof info);
    got *g = run(NULL, &info);
    assert_int_equal(info.glibc_malloc, 1);
    assert_non_null(strstr(info.malloc_lib, "libc.so"));
    assert_true(g->st[0].has & HS_HAS_MEASURES);
    assert_true(g->st[0].has & HS_HAS_MMAPPED);
    assert_true(g->st[0].mmapped);
    assert_true(g->x[0].has & HS_REAL_X_NS);     /* malloc: timed */
    assert_false(g->x[1].has & HS_REAL_X_NS);    /* touch: no allocator call */
    assert_true(g->x[2].has & HS_REAL_X_NS);     /* free: timed */
    assert_true(g->x[0].has & HS_REAL_X_MAPS);
    assert_int_equal(g->x[0].maps_bytes - g->x[2].maps_bytes, 200 * 1024 + 4096);  /* munmap'd */
    assert_true(g->x[0].proc_rss > 0 && g->x[0].vm_size >= g->x[0].proc_rss);
    free(g);
}

/* jemalloc preloaded: the replayer's malloc is that library's, the glibc
 * fields are null, minflt and the any-allocator fields are measured. */
static void jemalloc_is_jemalloc(void **state)
{
    (void)state;
    const char *je = jemalloc();
    if (!je) fail_msg("libjemalloc2 is not installed (scripts/setup.sh installs it)");
    hs_real_info info;
    memset(&info, 0, sizeof info);
    got *g = run(je, &info);
    assert_int_equal(info.glibc_malloc, 0);
    assert_string_equal(info.malloc_lib, je);
    for (size_t i = 0; i < g->n; i++) {
        assert_false(g->st[i].has & (HS_HAS_MEASURES | HS_HAS_PTR | HS_HAS_MMAPPED | HS_HAS_CHUNK |
                                     HS_HAS_MALLINFO));
        assert_true(g->st[i].has & HS_HAS_MINFLT);
        assert_true(g->st[i].has & HS_HAS_RSS_ANON);
        assert_true(g->x[i].has & HS_REAL_X_MAPS);
    }
    assert_true(g->st[0].minflt >= 50);          /* 200 KiB written: 50 pages */
    assert_true(g->x[0].has & HS_REAL_X_NS);
    assert_true(g->x[2].has & HS_REAL_X_NS);
    free(g);
}

static hs_real_smap last_smaps[256];
static uint64_t last_smaps_rss;
static int smaps_steps;

static void on_extra_smaps(void *ctx, const hs_real_extra *x)
{
    (void)ctx;
    if (!(x->has & HS_REAL_X_SMAPS)) return;
    smaps_steps++;
    last_smaps_rss = x->smaps_rss;
    assert_true(x->n_smaps <= 256);
    memcpy(last_smaps, x->smaps, x->n_smaps * sizeof *x->smaps);
}

static uint64_t rss_after;
static int on_step_rss(void *ctx, const hs_step *st)
{
    (void)ctx;
    rss_after = st->rss;
    return 0;
}

/* madvise of a written mmapped block, smaps after it: the pages left, and
 * smaps' Rss minus its start is the replayer's rss. */
static void madvise_smaps(void **state)
{
    (void)state;
    static tb b;
    tb_init(&b, 1);
    tb_malloc(&b, 0, KiB(1024), ALL);
    hs_op *m = tb_op(&b, HS_OP_MADVISE, 0);
    m->arg = 4096;
    m->size = KiB(512);
    m->param = HS_MADV_DONTNEED;
    unsigned char at[2] = { 0, 1 };
    hs_real_info info;
    memset(&info, 0, sizeof info);
    hs_real_opts o = { .replayer = HS_REPLAYER, .on_extra = on_extra_smaps, .smaps_at = at,
                       .info = &info };
    char msg[512];
    int rc = hs_real_run(&b.t, &o, on_step_rss, NULL, msg, sizeof msg);
    if (rc != 0) print_error("hs_real_run: %s\n", msg);
    assert_int_equal(rc, 0);
    assert_int_equal(smaps_steps, 1);
    assert_int_equal(rss_after, KiB(1032) - KiB(508));   /* 127 whole pages left */
    assert_int_equal(last_smaps_rss - info.smaps_rss0, rss_after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(glibc_is_glibc),
        cmocka_unit_test(jemalloc_is_jemalloc),
        cmocka_unit_test(madvise_smaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
