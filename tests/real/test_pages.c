/* tests/real/test_pages.c — real glibc's per-page heap residency (hs_real_opts.on_pages) against the model's.
 * Owns: the page-run tests of the replayer: agreement with hs_sim_heap_pages step by step, the cut past HS_REAL_MAX_RUNS. */
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

#define PAGE 4096u

/* One replay with pages, checked against the model as the steps come. */
typedef struct pages_run {
    const hs_trace *t;
    hs_sim *sim;
    hs_page_run *runs;          /* the last on_pages call's runs (copied) */
    size_t n_runs;
    uint64_t pages, covered;
    uint32_t pages_step;        /* the step those runs belong to, 0 if none */
    size_t steps, agree, with_pages, cut_steps;
    size_t first_bad;           /* first step whose pages differ, 0 if none */
    char bad[256];
} pages_run;

static void on_start(void *ctx, uint64_t brk0, uint64_t mmap_top)
{
    pages_run *p = ctx;
    hs_sim_set_bases(p->sim, brk0, mmap_top);   /* -1 (unaligned) leaves the defaults */
}

static void on_pages(void *ctx, const hs_real_pages *pg)
{
    pages_run *p = ctx;
    assert_true(pg->n_runs <= HS_REAL_MAX_RUNS);
    assert_true(pg->covered <= pg->pages);
    p->runs = realloc(p->runs, (pg->n_runs + 1) * sizeof *p->runs);
    assert_non_null(p->runs);
    memcpy(p->runs, pg->runs, pg->n_runs * sizeof *p->runs);
    p->n_runs = pg->n_runs;
    p->pages = pg->pages;
    p->covered = pg->covered;
    p->pages_step = pg->step;
}

/* Applies the op to the model, then compares its pages with the real ones
 * that came just before this step. */
static int on_step(void *ctx, const hs_step *st)
{
    pages_run *p = ctx;
    hs_step m;
    memset(&m, 0, sizeof m);
    hs_sim_apply(p->sim, &p->t->ops[st->step - 1], &m);
    p->steps++;
    if (st->has & HS_HAS_ERROR)
        return 0;   /* glibc aborted: nothing measured */
    assert_int_equal(p->pages_step, st->step);
    p->with_pages++;
    assert_int_equal(p->pages, (st->brk + PAGE - 1) / PAGE);
    p->cut_steps += p->covered < p->pages;
    /* runs are sorted, disjoint, not adjacent, inside the heap */
    for (size_t i = 0; i < p->n_runs; i++) {
        assert_true(p->runs[i].count > 0);
        assert_true((uint64_t)p->runs[i].first + p->runs[i].count <= p->pages);
        if (i) assert_true(p->runs[i].first > p->runs[i - 1].first + p->runs[i - 1].count);
    }
    uint64_t n = p->pages + 1;
    hs_status ms;
    hs_sim_status(p->sim, &ms);
    if ((ms.brk + PAGE - 1) / PAGE + 1 > n) n = (ms.brk + PAGE - 1) / PAGE + 1;
    uint8_t *model = calloc(n, 1), *real = calloc(n, 1);
    assert_true(model && real);
    hs_sim_heap_pages(p->sim, 0, n, model);
    for (size_t i = 0; i < p->n_runs; i++)
        memset(real + p->runs[i].first, 1, p->runs[i].count);
    size_t differ = 0, first = 0;
    uint64_t nm = 0, nr = 0;
    for (uint64_t i = 0; i < n; i++) {
        nm += model[i] != 0;
        nr += real[i];
        if (i < p->covered && (model[i] != 0) != real[i] && !differ++) first = i;
    }
    if (!p->cut_steps) {
        uint64_t heap_rss = nr * PAGE;
        assert_true(heap_rss <= st->rss);   /* rss = heap pages + mmapped chunks' */
    }
    if (differ == 0) {
        p->agree++;
    } else if (!p->first_bad) {
        p->first_bad = st->step;
        snprintf(p->bad, sizeof p->bad,
                 "step %u: %zu pages differ, first page %zu (model %u, real %u); resident model %llu, real %llu",
                 st->step, differ, first, model[first], real[first], (unsigned long long)nm,
                 (unsigned long long)nr);
    }
    free(model);
    free(real);
    return 0;
}

/* Replays t with pages on and checks every step against the model. */
static pages_run *replay_pages(const hs_trace *t)
{
    pages_run *p = calloc(1, sizeof *p);
    assert_non_null(p);
    p->t = t;
    p->sim = hs_sim_new(HS_PROFILE_GLIBC_2_36, t->n_ids);
    assert_non_null(p->sim);
    hs_sim_set_explain(p->sim, false);
    hs_real_opts o = { .replayer = replayer_path(), .on_start = on_start, .on_pages = on_pages };
    char msg[512];
    int rc = hs_real_run(t, &o, on_step, p, msg, sizeof msg);
    if (rc != 0)
        print_error("hs_real_run: %s\n", msg);
    assert_int_equal(rc, 0);
    return p;
}

static void pages_run_free(pages_run *p)
{
    hs_sim_free(p->sim);
    free(p->runs);
    free(p);
}

/* The task's own check: figures 1-9, every step, every page. */
static void figures_1_9_every_step(void **state)
{
    hs_trace t;
    hs_trace_error e;
    assert_int_equal(hs_trace_load(HS_SOURCE_DIR "/traces/figures-1-9.json", &t, &e), 0);
    pages_run *p = replay_pages(&t);
    if (p->first_bad) print_error("%s\n", p->bad);
    print_message("figures-1-9: heap pages agree on %zu of %zu steps\n", p->agree, p->steps);
    assert_int_equal(p->steps, t.n_ops);
    assert_int_equal(p->with_pages, t.n_ops);
    assert_int_equal(p->agree, t.n_ops);
    assert_int_equal(p->cut_steps, 0);
    pages_run_free(p);
    hs_trace_free(&t);
}

static int is_json(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* Every trace of dir: the pages agree wherever glibc measured them. */
static void every_trace_in(const char *dir, const char *what)
{
    struct dirent **names;
    int n = scandir(dir, &names, is_json, alphasort);
    assert_true(n > 0);
    size_t steps = 0, agree = 0, bad = 0;
    for (int i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        hs_trace t;
        hs_trace_error e;
        assert_int_equal(hs_trace_load(path, &t, &e), 0);
        pages_run *p = replay_pages(&t);
        steps += p->with_pages;
        agree += p->agree;
        if (p->first_bad) {
            print_error("%s: %s\n", names[i]->d_name, p->bad);
            bad++;
        }
        pages_run_free(p);
        hs_trace_free(&t);
        free(names[i]);
    }
    free(names);
    print_message("%s (%d traces): heap pages agree on %zu of %zu measured steps\n", what, n, agree,
                  steps);
    assert_int_equal(bad, 0);
    assert_int_equal(agree, steps);
}

static void every_lesson(void **state) { every_trace_in(HS_SOURCE_DIR "/traces", "lessons"); }

static void every_edge_trace(void **state)
{
    every_trace_in(HS_SOURCE_DIR "/tests/app/data/edge", "edge traces");
}

/* A heap whose residency has more than HS_REAL_MAX_RUNS runs: every other
 * page of a 40 MiB block is written.  The runs stop at HS_REAL_MAX_RUNS and
 * covered says where; below it they still agree with the model. */
static void more_runs_than_the_bound_are_cut(void **state)
{
    enum { BLOCK_PAGES = 10240, TOUCHES = 5000 };
    hs_op *ops = calloc(TOUCHES + 2, sizeof *ops);
    assert_non_null(ops);
    hs_trace t;
    memset(&t, 0, sizeof t);
    t.ops = ops;
    t.n_ids = 1;
    ops[t.n_ops].kind = HS_OP_MALLOPT;
    ops[t.n_ops].id = HS_NO_ID;
    ops[t.n_ops].param = HS_M_MMAP_MAX;
    ops[t.n_ops++].value = 0;                   /* no mmap: the block comes from the heap */
    ops[t.n_ops].kind = HS_OP_MALLOC;
    ops[t.n_ops++].size = (uint64_t)BLOCK_PAGES * PAGE;   /* untouched */
    for (int i = 0; i < TOUCHES; i++) {
        hs_op *op = &ops[t.n_ops++];
        op->kind = HS_OP_TOUCH;
        op->arg = (uint64_t)(2 * i + 1) * PAGE;  /* every other page: a run of its own */
        op->size = 1;
    }
    pages_run *p = replay_pages(&t);
    if (p->first_bad) print_error("%s\n", p->bad);
    assert_int_equal(p->with_pages, t.n_ops);
    assert_int_equal(p->agree, t.n_ops);        /* below covered */
    assert_true(p->cut_steps > 0);
    assert_int_equal(p->n_runs, HS_REAL_MAX_RUNS);
    assert_true(p->covered < p->pages);
    assert_int_equal(p->covered, (uint64_t)p->runs[HS_REAL_MAX_RUNS - 1].first + 2);
    print_message("cut: %zu of %zu steps had more than %d runs; last step covers %llu of %llu pages\n",
                  p->cut_steps, p->steps, HS_REAL_MAX_RUNS, (unsigned long long)p->covered,
                  (unsigned long long)p->pages);
    pages_run_free(p);
    free(ops);
}

static int count_pages_calls(void *ctx, const hs_step *st)
{
    (void)st;
    (*(size_t *)ctx)++;
    return 0;
}

static void no_pages_unless_asked(void **state)
{
    tb b;
    tb_init(&b, 1);
    tb_malloc(&b, 0, KiB(30), ALL);
    tb_free(&b, 0);
    size_t n = 0;
    hs_real_opts o = { .replayer = replayer_path() };
    char msg[512];
    assert_int_equal(hs_real_run(&b.t, &o, count_pages_calls, &n, msg, sizeof msg), 0);
    assert_int_equal(n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figures_1_9_every_step),
        cmocka_unit_test(every_lesson),
        cmocka_unit_test(every_edge_trace),
        cmocka_unit_test(more_runs_than_the_bound_are_cut),
        cmocka_unit_test(no_pages_unless_asked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
