/* tests/play/test_seek.c — jumping around a long trace shows what stepping to it from the start shows.
 * Owns: that the checkpoints (coarse, one fine per jump, the current model reused going forward) never change a step's snapshot, words or explanations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "play/view.h"
#include "sim/step.h"

/* 20,000 ops, enough for fine checkpoints (K >= 4 * HS_FINE): mallocs of
 * 16..1040 bytes, each freed 7 ops later, every 11th kept, and a big one
 * (mmapped) now and then. */
#define N_OPS 20000

static char *make_trace(size_t *len)
{
    size_t cap = (size_t)N_OPS * 64 + 256, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    n += (size_t)snprintf(s + n, cap - n, "{\"format\": \"heapsim-trace/1\", \"ops\": [");
    size_t ops = 0;
    for (unsigned i = 0; ops < N_OPS; i++) {
        unsigned size = (i % 97 == 0) ? 200000 : 16 + (i * 37) % 1025;
        n += (size_t)snprintf(s + n, cap - n, "%s{\"op\": \"malloc\", \"id\": \"p%u\", \"size\": %u}",
                              ops ? "," : "", i, size);
        ops++;
        if (i >= 7 && (i - 7) % 11 != 0 && ops < N_OPS) {
            n += (size_t)snprintf(s + n, cap - n, ",{\"op\": \"free\", \"id\": \"p%u\"}", i - 7);
            ops++;
        }
    }
    n += (size_t)snprintf(s + n, cap - n, "]}");
    *len = n;
    return s;
}

static hs_view *open_view(const char *json, size_t len, uint64_t budget)
{
    hs_trace t;
    hs_trace_error e;
    assert_int_equal(hs_trace_load_mem("t.json", json, len, 0, &t, &e), 0);
    hs_view *v = hs_view_new_budget(&t, "t.json", HS_PROFILE_GLIBC_2_36, NULL, budget);
    assert_non_null(v);
    return v;
}

/* a and b at the same step show the same thing. */
static void same_step(const hs_view *a, const hs_view *b)
{
    assert_int_equal(a->step, b->step);
    assert_int_equal(a->snap.nitems, b->snap.nitems);
    for (size_t i = 0; i < a->snap.nitems; i++) {
        const hs_item *x = &a->snap.items[i], *y = &b->snap.items[i];
        assert_int_equal(x->region, y->region);
        assert_int_equal(x->state, y->state);
        assert_int_equal(x->id, y->id);
        assert_int_equal(x->lo, y->lo);
        assert_int_equal(x->hi, y->hi);
        assert_int_equal(x->addr, y->addr);
    }
    assert_int_equal(a->snap.nbins, b->snap.nbins);
    assert_int_equal(a->snap.nent, b->snap.nent);
    if (a->snap.nent) assert_memory_equal(a->snap.ent, b->snap.ent, a->snap.nent * sizeof *a->snap.ent);
    assert_int_equal(a->snap.st.brk, b->snap.st.brk);
    assert_int_equal(a->snap.st.rss, b->snap.st.rss);
    assert_int_equal(a->snap.st.minflt, b->snap.st.minflt);
    assert_int_equal(a->last_rc, b->last_rc);
    if (a->step > 0) {
        hs_step_cmp c;
        assert_int_equal(hs_step_compare(&a->last, &b->last, a->t.ops[a->step - 1].kind, &c), 0);
    }
    assert_int_equal(a->nexpl, b->nexpl);
    if (a->nexpl) assert_string_equal(a->expl, b->expl);
    assert_string_equal(a->op_text, b->op_text);
    assert_string_equal(a->result, b->result);
}

/* Random jumps (back, forward, far, near, one step) on a view with
 * checkpoints, each checked against a fresh view without any, which runs
 * the model from the start to the same step. */
static void jumps_match_stepping(void **state)
{
    (void)state;
    size_t len;
    char *json = make_trace(&len);
    hs_view *v = open_view(json, len, HS_CP_BUDGET);
    assert_true(v->K2 > 0);   /* the fine set is in play */
    assert_true(v->ncps > 2);
    assert_true(hs_view_checkpoint_bytes(v) > 0);
    uint64_t x = 88172645463325252ull;
    size_t prev = 0;
    for (int i = 0; i < 24; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        size_t to = (size_t)(x % (v->n + 1));
        if (i % 4 == 1) to = prev + 1 <= v->n ? prev + 1 : prev;             /* one step */
        if (i % 4 == 2) to = prev >= 3 ? prev - 3 : 0;                       /* a little back */
        if (i % 4 == 3) to = prev + v->K / 2 <= v->n ? prev + v->K / 2 : v->n;   /* forward, near */
        assert_int_equal(hs_view_goto(v, to), 0);
        hs_view *r = open_view(json, len, 0);
        assert_int_equal(r->K2, 0);
        assert_int_equal(hs_view_goto(r, to), 0);   /* from step 0, the only checkpoint */
        same_step(v, r);
        hs_view_free(r);
        prev = to;
    }
    hs_view_free(v);
    free(json);
}

/* The window's budget is an eighth of the memory available, within its
 * bounds; a view kept to a small budget keeps both sets within it (the
 * coarse one down to its last two checkpoints, the fine one within half)
 * and still shows what stepping from the start shows. */
static void budget_is_kept(void **state)
{
    (void)state;
    assert_int_equal(hs_view_budget(UINT64_MAX), HS_CP_BUDGET);
    assert_int_equal(hs_view_budget((uint64_t)1 << 30), (uint64_t)128 << 20);
    assert_int_equal(hs_view_budget((uint64_t)64 << 20), HS_CP_BUDGET_MIN);
    assert_int_equal(hs_view_budget(0), HS_CP_BUDGET_MIN);
    size_t len;
    char *json = make_trace(&len);
    hs_view *big = open_view(json, len, HS_CP_BUDGET);
    uint64_t budget = 6 * hs_view_checkpoint_bytes(big) / big->ncps;   /* room for ~6 */
    hs_view_free(big);
    hs_view *v = open_view(json, len, budget);
    assert_int_equal(hs_view_checkpoint_budget(v), budget + budget / 2);
    assert_true(v->cp_cost <= budget || v->ncps <= 2);
    assert_true(v->K2 > 0);
    /* jumps forward inside one coarse segment leave a fine checkpoint each
     * until their half of the budget is spent; then others across the trace */
    size_t seg = v->n / 2 / v->K * v->K;
    size_t to[] = {seg + 3 * v->K2 + 1, seg + 9 * v->K2 + 2, seg + 20 * v->K2 + 1, seg + 31 * v->K2 + 5,
                   seg + 40 * v->K2 + 1, seg + 52 * v->K2 + 3, seg + 60 * v->K2 + 1,
                   v->n, v->n / 3, v->n - 5, 1};
    for (size_t i = 0; i < sizeof to / sizeof to[0]; i++) {
        if (to[i] > v->n) to[i] = v->n;
        assert_int_equal(hs_view_goto(v, to[i]), 0);
        assert_true(v->fine_cost <= budget / 2);
        hs_view *r = open_view(json, len, 0);
        assert_int_equal(hs_view_goto(r, to[i]), 0);
        same_step(v, r);
        hs_view_free(r);
    }
    assert_true(hs_view_checkpoint_bytes(v) <= hs_view_checkpoint_budget(v) || v->ncps <= 2);
    hs_view_free(v);
    free(json);
}

/* The owners' order by hand: (addr, step). */
static int by_addr_step(const void *pa, const void *pb)
{
    const struct hs_owner *a = pa, *b = pb;
    if (a->addr != b->addr) return a->addr < b->addr ? -1 : 1;
    return a->step < b->step ? -1 : a->step > b->step;
}

static int by_step(const void *pa, const void *pb)
{
    const struct hs_owner *a = pa, *b = pb;
    return a->step < b->step ? -1 : a->step > b->step;
}

/* v's owners are every heap chunk handed out, once, sorted by address then
 * step: the same list as qsort makes of them. */
static void owners_as_qsort_sorts(const hs_view *v)
{
    size_t n = v->nowners;
    assert_true(n > 0);
    struct hs_owner *ref = malloc(n * sizeof *ref);
    assert_non_null(ref);
    memcpy(ref, v->owners, n * sizeof *ref);
    qsort(ref, n, sizeof *ref, by_step);     /* back in step order: as the model made them */
    for (size_t i = 1; i < n; i++)
        assert_true(ref[i - 1].step < ref[i].step);   /* one an op */
    qsort(ref, n, sizeof *ref, by_addr_step);
    assert_memory_equal(ref, v->owners, n * sizeof *ref);
    free(ref);
}

/* The chunks' owners, which the window reads to name a chunk's former ids,
 * come out of build_model in address order (a radix sort since session 13)
 * exactly as qsort orders them: this trace reuses chunks (unsorted in step
 * order), and one with threads has arenas' chunks (arena numbers in the
 * addresses' high bits). */
static void owners_sorted(void **state)
{
    (void)state;
    size_t len;
    char *json = make_trace(&len);
    hs_view *v = open_view(json, len, 0);
    owners_as_qsort_sorts(v);
    hs_view_free(v);
    free(json);
    size_t cap = 4000 * 96 + 256, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)snprintf(t + n, cap - n, "{\"format\": \"heapsim-trace/1\", \"ops\": [");
    for (unsigned i = 0; i < 2000; i++) {
        const char *th = i % 3 == 0 ? "" : i % 3 == 1 ? ", \"thread\": \"T1\"" : ", \"thread\": \"T2\"";
        n += (size_t)snprintf(t + n, cap - n, "%s{\"op\": \"malloc\", \"id\": \"p%u\", \"size\": %u%s}",
                              i ? "," : "", i, 16 + (i * 53) % 700, th);
        if (i >= 5 && i % 4 != 0)
            n += (size_t)snprintf(t + n, cap - n, ",{\"op\": \"free\", \"id\": \"p%u\"%s}", i - 5, th);
    }
    n += (size_t)snprintf(t + n, cap - n, "]}");
    v = open_view(t, n, 0);
    int arenas = 0;
    for (size_t i = 0; i < v->nowners; i++) arenas |= (v->owners[i].addr >> HS_OWNER_ARENA_SHIFT) != 0;
    assert_true(arenas);   /* the threads' chunks are there, with their arena's number */
    owners_as_qsort_sorts(v);
    hs_view_free(v);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jumps_match_stepping),
        cmocka_unit_test(budget_is_kept),
        cmocka_unit_test(owners_sorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
