/* tests/real/test_threads.c — hs_real_run on traces with threads: what starting them did, as the hello reports it.
 * Owns: the on_threads/on_foreign facts of threaded replays (the step fields are tests/real/threads_cli.sh's). */
#define _GNU_SOURCE 1
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "loader/trace.h"
#include "tests/real/util.h"

#define STACK (256u * 1024u)   /* the replayer's thread stacks (docs/real.md) */
#define GUARD 4096u            /* glibc's default guard page, mapped with the stack */

/* What one replay's callbacks saw. */
typedef struct seen {
    rec r;
    hs_real_threads th;
    int threads_calls;
    uint64_t foreign_bytes;
    size_t n_foreign;
    size_t arenas_calls;
} seen;

static int on_step(void *ctx, const hs_step *s)
{
    return rec_collect(&((seen *)ctx)->r, s);
}

static void on_threads(void *ctx, const hs_real_threads *th)
{
    seen *v = ctx;
    v->th = *th;
    v->threads_calls++;
}

static void on_foreign(void *ctx, const uint64_t (*ranges)[2], size_t n)
{
    seen *v = ctx;
    v->n_foreign = n;
    for (size_t i = 0; i < n; i++)
        v->foreign_bytes += ranges[i][1] - ranges[i][0];
}

static void on_start(void *ctx, uint64_t brk0, uint64_t top)
{
    (void)ctx;
    (void)brk0;
    (void)top;
}

static void on_arenas(void *ctx, const hs_real_arenas *ar)
{
    seen *v = ctx;
    (void)ar;
    v->arenas_calls++;
}

static char pool[] = "\0T1\0T2\0T3";

/* n malloc(64) ops, op i in thread i % (threads + 1) (0: main); threads 0: no field. */
static seen *replay(unsigned threads, unsigned n)
{
    static tb b;
    static uint32_t op_thread[64];
    tb_init(&b, n);
    for (unsigned i = 0; i < n; i++) {
        tb_malloc(&b, i, 64, ALL);
        unsigned k = threads ? i % (threads + 1) : 0;
        op_thread[i] = k ? 1 + 3 * (k - 1) : HS_NO_STR;
        b.t.ops[i].thread = (uint16_t)k;   /* the loader's numbering (sim/op.h) */
    }
    b.t.pool = pool;
    b.t.pool_len = sizeof pool;
    b.t.op_thread = threads ? op_thread : NULL;
    b.t.n_threads = threads;
    seen *v = calloc(1, sizeof *v);
    assert_non_null(v);
    hs_real_opts o = { .replayer = replayer_path(), .on_start = on_start, .on_foreign = on_foreign,
                       .on_threads = on_threads, .on_arenas = on_arenas };
    v->r.rc = hs_real_run(&b.t, &o, on_step, v, v->r.msg, sizeof v->r.msg);
    if (v->r.rc != 0)
        print_error("hs_real_run: %s\n", v->r.msg);
    assert_int_equal(v->r.rc, 0);
    assert_int_equal(v->r.n, n);
    return v;
}

/* Starting 3 threads: one DTV each (glibc 2.36's allocate_dtv: calloc(1 module + DTV_SURPLUS
 * 14 + 2, 16) = 272 bytes), served outside glibc's arenas; each stack (256 KiB plus its
 * guard page) is among the foreign mappings; the CPUs are those of the affinity mask. */
static void thread_start_is_reported(void **state)
{
    (void)state;
    seen *plain = replay(0, 8), *thr = replay(3, 8);
    assert_int_equal(plain->threads_calls, 0);
    assert_int_equal(plain->arenas_calls, 0);
    assert_int_equal(thr->threads_calls, 1);
    assert_int_equal(thr->arenas_calls, 8);
    assert_int_equal(thr->th.n_threads, 3);
    assert_int_equal(thr->th.setup_allocs, 3);
    assert_int_equal(thr->th.setup_bytes, 3 * 272);
    assert_int_equal(thr->th.stack_size, STACK);
    cpu_set_t set;
    CPU_ZERO(&set);
    assert_int_equal(sched_getaffinity(0, sizeof set, &set), 0);
    assert_int_equal(thr->th.cpus, (uint32_t)CPU_COUNT(&set));
    assert_true(plain->n_foreign > 0);
    assert_int_equal(thr->foreign_bytes - plain->foreign_bytes, 3 * (STACK + GUARD));
    /* The main thread's first malloc is the same with or without threads: creation left
     * the main heap alone. */
    assert_int_equal(thr->r.st[0].ptr, plain->r.st[0].ptr);
    assert_int_equal(thr->r.st[0].brk, plain->r.st[0].brk);
    assert_int_equal(thr->r.st[0].mi.arena, plain->r.st[0].mi.arena);
    free(plain);
    free(thr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thread_start_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
