/* tests/sim/test_advance.c — hs_sim_advance (an op without the step's measures), hs_sim_measure and hs_sim_run.
 * Owns: the promise that advancing, or running many ops at once, leaves the model exactly where hs_sim_apply does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "sim/sim.h"

#define NIDS 64

/* The next op of a fixed pseudo-random trace over NIDS ids and threads
 * 0..2: every allocating call, frees, touches and malloc_trim, sizes from a
 * few bytes to past the mmap threshold; frees, reallocs and touches only of
 * ids that hold a chunk (live, kept up to date here). */
static hs_op op_at(uint64_t *rng, bool *live)
{
    *rng = *rng * 6364136223846793005u + 1442695040888963407u;
    uint64_t r = *rng >> 17;
    hs_op op;
    memset(&op, 0, sizeof op);
    op.id = (uint32_t)(r % NIDS);
    op.thread = (uint16_t)((r >> 8) % 3);
    static const uint64_t sizes[] = {8, 24, 100, 200, 1000, 5000, 70000, 200000};
    op.size = sizes[(r >> 12) % 8] + (r >> 20) % 40;
    switch ((r >> 16) % 10) {
    case 0: case 1: case 2: op.kind = HS_OP_MALLOC; op.touch = op.size / 2; break;
    case 3: op.kind = HS_OP_CALLOC; op.arg = 2; op.size /= 2; break;
    case 4: op.kind = HS_OP_REALLOC; break;
    case 5: op.kind = HS_OP_MEMALIGN; op.arg = 64; break;
    case 6: op.kind = HS_OP_TOUCH; op.arg = 0; op.size = 8; break;
    case 7:
        if ((r >> 24) % 50 == 0) { op.kind = HS_OP_MALLOC_TRIM; op.size = 0; op.id = HS_NO_ID; break; }
        /* fall through */
    default: op.kind = HS_OP_FREE; break;
    }
    if (op.kind == HS_OP_TOUCH || op.kind == HS_OP_FREE || op.kind == HS_OP_REALLOC) {
        if (!live[op.id])
            op.kind = HS_OP_MALLOC;
        else if (op.kind == HS_OP_FREE)
            live[op.id] = false;
    }
    if (op.kind <= HS_OP_MEMALIGN)
        live[op.id] = true;
    return op;
}

/* The two steps' measures agree (what hs_sim_measure adds to an advance). */
static void same_measures(const hs_step *a, const hs_step *b, size_t i)
{
    uint32_t bits = HS_HAS_MEASURES | HS_HAS_THRESH | HS_HAS_MALLINFO | HS_HAS_ARENAS;
    if ((a->has & bits) != (b->has & bits))
        fail_msg("step %zu: has %#x after apply, %#x after advance + measure", i, a->has & bits,
                 b->has & bits);
    if (a->brk != b->brk || a->mmaps != b->mmaps || a->mmapped_bytes != b->mmapped_bytes
        || a->rss != b->rss || a->minflt != b->minflt || a->mmap_threshold != b->mmap_threshold
        || a->trim_threshold != b->trim_threshold)
        fail_msg("step %zu: measures differ (rss %llu / %llu)", i, (unsigned long long)a->rss,
                 (unsigned long long)b->rss);
    if ((a->has & HS_HAS_MALLINFO) && memcmp(&a->mi, &b->mi, sizeof a->mi) != 0)
        fail_msg("step %zu: mallinfo differs", i);
    if (a->has & HS_HAS_ARENAS) {
        if (a->n_arenas != b->n_arenas)
            fail_msg("step %zu: %u arenas after apply, %u after advance", i, a->n_arenas, b->n_arenas);
        for (uint32_t k = 0; k < a->n_arenas && k < HS_STEP_ARENAS_MAX; k++)
            if (a->arenas[k].system != b->arenas[k].system || a->arenas[k].in_use != b->arenas[k].in_use)
                fail_msg("step %zu: arena %u differs", i, k);
    }
}

/* The result fields and the events of one op agree. */
static void same_result(hs_sim *sa, const hs_step *a, hs_sim *sb, const hs_step *b, size_t i)
{
    uint32_t bits = HS_HAS_PTR | HS_HAS_MMAPPED | HS_HAS_CHUNK | HS_HAS_ERROR | HS_HAS_ARENA;
    if (a->step != b->step || (a->has & bits) != (b->has & bits) || a->ptr != b->ptr
        || a->chunk != b->chunk || a->mmapped != b->mmapped || strcmp(a->error, b->error) != 0
        || ((a->has & HS_HAS_ARENA) && a->arena != b->arena))
        fail_msg("step %zu: the op's result differs between apply and advance", i);
    size_t na, nb;
    const hs_event *ea = hs_sim_events(sa, &na), *eb = hs_sim_events(sb, &nb);
    if (na != nb || (na && memcmp(ea, eb, na * sizeof *ea) != 0))
        fail_msg("step %zu: %zu events after apply, %zu after advance (or they differ)", i, na, nb);
}

/* The two heaps are the same: status, every chunk, every mapping. */
static void same_state(const hs_sim *a, const hs_sim *b, size_t i)
{
    hs_status x, y;
    hs_sim_status(a, &x);
    hs_sim_status(b, &y);
    if (memcmp(&x, &y, sizeof x) != 0)
        fail_msg("step %zu: hs_sim_status differs", i);
    uint64_t ca = 0, cb = 0;
    hs_chunk_info p, q;
    for (;;) {
        bool ma = hs_sim_heap_next(a, &ca, &p), mb = hs_sim_heap_next(b, &cb, &q);
        if (ma != mb || (ma && memcmp(&p, &q, sizeof p) != 0))
            fail_msg("step %zu: the heap walks differ", i);
        if (!ma) break;
    }
    ca = cb = 0;
    for (;;) {
        bool ma = hs_sim_mmap_next(a, &ca, &p), mb = hs_sim_mmap_next(b, &cb, &q);
        if (ma != mb || (ma && memcmp(&p, &q, sizeof p) != 0))
            fail_msg("step %zu: the mapping walks differ", i);
        if (!ma) break;
    }
}

/* One heap steps with hs_sim_apply, the other with hs_sim_advance on most
 * ops (hs_sim_measure after every third), both with explanations on: the
 * results, events, measures and final state agree, threads and arenas
 * included. */
static void advance_matches_apply(void **state)
{
    hs_sim *a = hs_sim_new(HS_PROFILE_GLIBC_2_36, NIDS), *b = hs_sim_new(HS_PROFILE_GLIBC_2_36, NIDS);
    assert_non_null(a);
    assert_non_null(b);
    uint64_t rng = 15;
    bool live[NIDS] = {false};
    size_t i;
    for (i = 1; i <= 6000; i++) {
        hs_op op = op_at(&rng, live);
        hs_step sa, sb;
        memset(&sb, 0xa5, sizeof sb);
        int ra = hs_sim_apply(a, &op, &sa), rb = hs_sim_advance(b, &op, &sb);
        assert_int_equal(ra, rb);
        if (!ra && (sb.has & (HS_HAS_MEASURES | HS_HAS_MALLINFO | HS_HAS_THRESH | HS_HAS_ARENAS)))
            fail_msg("step %zu: hs_sim_advance filled measures", i);
        same_result(a, &sa, b, &sb, i);
        if (i % 3 == 0) {
            hs_sim_measure(b, &sb);
            same_measures(&sa, &sb, i);
        }
        if (ra) fail_msg("step %zu: the trace aborts: %s", i, sa.error);
    }
    uint32_t arenas = 0;
    hs_step last;
    hs_sim_measure(a, &last);
    arenas = last.n_arenas;
    assert_true(arenas > 1);    /* the threads made arenas: their figures were compared */
    same_state(a, b, i);
    assert_null(hs_sim_check(a));
    assert_null(hs_sim_check(b));
    hs_sim_free(a);
    hs_sim_free(b);
}

/* A fastbin double free (a, b, a) makes a cycle that glibc's mallinfo2
 * never leaves: the step says mallinfo null from then on, even after the
 * program breaks the cycle again.  Advancing past that step (no measures
 * taken) must still remember it. */
static void advance_remembers_hung_mallinfo(void **state)
{
    hs_sim *a = hs_sim_new(HS_PROFILE_GLIBC_2_36, 16), *b = hs_sim_new(HS_PROFILE_GLIBC_2_36, 16);
    assert_non_null(a);
    assert_non_null(b);
    hs_op ops[40];
    size_t n = 0;
    for (uint32_t id = 0; id < 9; id++)
        ops[n++] = (hs_op){.kind = HS_OP_MALLOC, .id = id, .size = 24};
    for (uint32_t id = 0; id < 7; id++)                     /* fill tcache bin 0 */
        ops[n++] = (hs_op){.kind = HS_OP_FREE, .id = id};
    ops[n++] = (hs_op){.kind = HS_OP_FREE, .id = 7};         /* fastbin: 7 */
    ops[n++] = (hs_op){.kind = HS_OP_FREE, .id = 8};         /* 8 -> 7 */
    ops[n++] = (hs_op){.kind = HS_OP_FREE, .id = 7};         /* 7 -> 8 -> 7: a cycle */
    size_t cut = n;
    /* the program clears 7's fd: the list ends at 7 again (PROTECT_PTR (&fd, NULL)) */
    ops[n++] = (hs_op){.kind = HS_OP_WRITE, .id = 7, .arg = 0, .value = 0};
    ops[n++] = (hs_op){.kind = HS_OP_MALLOC, .id = 9, .size = 500};
    hs_step sa, sb, s7;
    uint64_t p7 = 0;
    for (size_t i = 0; i < n; i++) {
        if (ops[i].kind == HS_OP_WRITE)   /* the mangled NULL needs 7's address */
            ops[i].value = (int64_t)((UINT64_C(0x555555572000) + p7) >> 12);
        int ra = hs_sim_apply(a, &ops[i], &sa);
        int rb = i + 1 < cut ? hs_sim_apply(b, &ops[i], &sb) : hs_sim_advance(b, &ops[i], &sb);
        if (i == cut - 1)   /* the cycle's step: b advances from here, a measures */
            assert_false(sa.has & HS_HAS_MALLINFO);
        if (i < 9 && ops[i].id == 7) {
            s7 = sa;
            p7 = s7.ptr + 16;
        }
        assert_int_equal(ra, 0);
        assert_int_equal(rb, 0);
    }
    /* b took no measure since before the cycle, and the cycle is gone now */
    hs_sim_measure(b, &sb);
    assert_true(sb.has & HS_HAS_MEASURES);
    assert_false(sa.has & HS_HAS_MALLINFO);
    assert_false(sb.has & HS_HAS_MALLINFO);
    hs_sim_free(a);
    hs_sim_free(b);
}

/* hs_sim_run's sink in run_matches_apply: each step and its events
 * against b stepped op by op with hs_sim_apply (measures) or
 * hs_sim_advance; stops after op stop_at. */
struct run_check {
    hs_sim *a, *b;
    const hs_op *ops;
    bool measures;
    size_t base, seen, stop_at, errors;   /* base: ops[base] is the run's op 0 */
};

static int check_step(void *ctx, size_t i, const hs_step *st)
{
    struct run_check *c = ctx;
    size_t j = c->base + i;
    if (j != c->seen)
        fail_msg("the sink got op %zu after %zu ops", j, c->seen);
    c->seen++;
    hs_step sb;
    int rb = c->measures ? hs_sim_apply(c->b, &c->ops[j], &sb) : hs_sim_advance(c->b, &c->ops[j], &sb);
    assert_int_equal((st->has & HS_HAS_ERROR) != 0, rb);
    c->errors += rb;
    same_result(c->a, st, c->b, &sb, j + 1);
    if (c->measures && !rb)
        same_measures(st, &sb, j + 1);
    return j == c->stop_at;
}

/* hs_sim_run over a trace that aborts halfway (a tcache double free) hands
 * its sink the same steps and events as hs_sim_apply / hs_sim_advance op
 * by op: before the abort, at it (glibc's message) and after it (a dead
 * heap's steps); a sink that says stop ends the run after that op, and a
 * second run goes on from there. */
static void run_matches_apply(void **state)
{
    enum { N = 3000, ABORT_AT = 2000 };
    static hs_op ops[N];
    uint64_t rng = 77;
    bool live[NIDS] = {false};
    for (size_t i = 0; i < N; i++)
        ops[i] = op_at(&rng, live);
    ops[ABORT_AT - 2] = (hs_op){.kind = HS_OP_MALLOC, .id = 0, .size = 40};
    ops[ABORT_AT - 1] = (hs_op){.kind = HS_OP_FREE, .id = 0};
    ops[ABORT_AT] = (hs_op){.kind = HS_OP_FREE, .id = 0};  /* free(): double free detected in tcache 2 */
    for (int measures = 0; measures < 2; measures++) {
        hs_sim *a = hs_sim_new(HS_PROFILE_GLIBC_2_36, NIDS), *b = hs_sim_new(HS_PROFILE_GLIBC_2_36, NIDS);
        assert_non_null(a);
        assert_non_null(b);
        hs_sim_set_explain(a, true);
        hs_sim_set_explain(b, true);
        struct run_check c = {a, b, ops, measures, 0, 0, 500, 0};
        hs_step out;
        assert_int_equal(hs_sim_run(a, ops, N, measures, &out, check_step, &c), 501);
        c.base = 501;
        c.stop_at = SIZE_MAX;   /* the rest: the abort, and the dead heap after it */
        assert_int_equal(hs_sim_run(a, ops + 501, N - 501, measures, &out, check_step, &c), N - 501);
        assert_int_equal(c.seen, N);
        assert_int_equal(c.errors, N - ABORT_AT);   /* the abort and every op after it */
        assert_string_equal(out.error, "free(): double free detected in tcache 2");
        same_state(a, b, N);
        /* a run of no ops, and one that starts on the dead heap (b, stepped op by
         * op, is dead too) */
        assert_int_equal(hs_sim_run(a, ops, 0, measures, &out, check_step, &c), 0);
        c.base = 0;
        c.seen = 0;
        c.errors = 0;
        assert_int_equal(hs_sim_run(a, ops, 10, measures, &out, check_step, &c), 10);
        assert_int_equal(c.errors, 10);
        assert_int_equal(out.step, N + 10);
        hs_sim_free(a);
        hs_sim_free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(advance_matches_apply),
        cmocka_unit_test(advance_remembers_hung_mallinfo),
        cmocka_unit_test(run_matches_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
