/* tests/real/test_mapcount.c — the model's count of mappings (hs_sim_map_count) against the replayer's /proc/self/maps.
 * Owns: that the VMA merges and splits sim/kernel.c counts are the kernel's, step by step, on the limits traces and the lessons. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "loader/trace.h"
#include "sim/sim.h"
#include "tests/real/util.h"

/* One replay with the mapping count on, checked against the model. */
typedef struct count_run {
    const hs_trace *t;
    hs_sim *sim;
    uint64_t maps0;             /* the model's count before the first op */
    int64_t real_maps;          /* the last on_extra's count (heap + anonymous, minus at start) */
    uint32_t real_step;         /* the step it belongs to, 0 if none */
    size_t steps, agree;
    char bad[256];
} count_run;

static void on_start(void *ctx, uint64_t brk0, uint64_t mmap_top)
{
    count_run *c = ctx;
    hs_sim_set_bases(c->sim, brk0, mmap_top);
}

static void on_foreign(void *ctx, const uint64_t (*ranges)[2], size_t n)
{
    count_run *c = ctx;
    hs_sim_set_foreign(c->sim, ranges, n);
}

static void on_limits(void *ctx, const hs_kernel_limits *l)
{
    count_run *c = ctx;
    assert_int_equal(hs_sim_set_limits(c->sim, l), 0);
    assert_true(l->maps0 > 0);               /* the replayer could read its maps */
    c->maps0 = hs_sim_map_count(c->sim);
}

static void on_extra(void *ctx, const hs_real_extra *x)
{
    count_run *c = ctx;
    if (x->has & HS_REAL_X_MAPS) {
        c->real_maps = x->maps;
        c->real_step = x->step;
    }
}

/* Applies the op, then compares the model's count (less its start) with
 * the replayer's count of heap and anonymous mappings (less its start):
 * only those change while a trace without threads runs. */
static int on_step(void *ctx, const hs_step *st)
{
    count_run *c = ctx;
    hs_step m;
    memset(&m, 0, sizeof m);
    hs_sim_apply(c->sim, &c->t->ops[st->step - 1], &m);
    c->steps++;
    if (st->has & HS_HAS_ERROR || c->real_step != st->step)
        return 0;
    int64_t model = (int64_t)hs_sim_map_count(c->sim) - (int64_t)c->maps0;
    if (model == c->real_maps)
        c->agree++;
    else if (!c->bad[0]) {
        char call[128];
        hs_op_format(c->t, &c->t->ops[st->step - 1], call, sizeof call);
        snprintf(c->bad, sizeof c->bad, "step %u (%s): model %+lld mappings, real %+lld",
                 st->step, call, (long long)model, (long long)c->real_maps);
    }
    return 0;
}

/* Replays the trace at path; returns the steps compared, and fails the
 * test on the first that disagrees. */
static size_t check_trace(const char *path)
{
    hs_trace t;
    hs_trace_error e;
    assert_int_equal(hs_trace_load(path, &t, &e), 0);
    count_run c = { .t = &t };
    c.sim = hs_sim_new(HS_PROFILE_GLIBC_2_36, t.n_ids);
    assert_non_null(c.sim);
    hs_sim_set_explain(c.sim, false);
    hs_real_opts o = { .replayer = replayer_path(), .on_start = on_start, .on_foreign = on_foreign,
                       .on_limits = on_limits, .on_extra = on_extra, .want_maps = 1 };
    char msg[512];
    int rc = hs_real_run(&t, &o, on_step, &c, msg, sizeof msg);
    if (rc != 0)
        print_error("%s: hs_real_run: %s\n", path, msg);
    assert_int_equal(rc, 0);
    if (c.bad[0])
        print_error("%s: %s\n", path, c.bad);
    assert_false(c.bad[0]);
    assert_true(c.agree > 0);
    size_t n = c.agree;
    hs_sim_free(c.sim);
    hs_trace_free(&t);
    return n;
}

/* Mappings that merge and split (tests/app/data/limits/merge.json). */
static void merges_and_splits(void **state)
{
    (void)state;
    assert_true(check_trace(HS_SOURCE_DIR "/tests/app/data/limits/merge.json") > 0);
}

/* Every trace without threads in dir (the non-main arenas' heaps are not
 * counted: docs/real.md); returns how many were checked. */
static size_t every_trace_in(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    size_t traces = 0;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        hs_trace t;
        hs_trace_error e;
        assert_int_equal(hs_trace_load(path, &t, &e), 0);
        bool threads = t.n_threads > 0;
        hs_trace_free(&t);
        if (threads)
            continue;
        check_trace(path);
        traces++;
    }
    closedir(d);
    return traces;
}

static void every_lesson(void **state)
{
    (void)state;
    assert_true(every_trace_in(HS_SOURCE_DIR "/traces") >= 10);
}

/* The edge traces: mremap, memalign, trim, misuse (tests/app/data/edge). */
static void every_edge_trace(void **state)
{
    (void)state;
    assert_true(every_trace_in(HS_SOURCE_DIR "/tests/app/data/edge") >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(merges_and_splits),
        cmocka_unit_test(every_lesson),
        cmocka_unit_test(every_edge_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
