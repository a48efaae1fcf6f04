/* fuzz/fuzz_sim.c — libFuzzer target: the model fed random op sequences, every invariant checked after each op.
 * Owns: the byte encoding of an op sequence (shared with fuzz/sim_seed.c) and what the model must survive. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "fuzz/sim_encoding.h"

/* Stops the run with a message libFuzzer shows next to the saved input.
 * Never returns. */
static void die(size_t opno, const hs_op *op, const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_sim: op %zu (kind %u id %u size %llu arg %llu touch %llu value %lld): %s%s%s\n",
            opno, op ? op->kind : 0u, op ? op->id : 0u,
            op ? (unsigned long long)op->size : 0ull, op ? (unsigned long long)op->arg : 0ull,
            op ? (unsigned long long)op->touch : 0ull, op ? (long long)op->value : 0ll,
            what, detail ? ": " : "", detail ? detail : "");
    abort();
}

/* Compares the two steps the same op produced in two heaps (who: "clone
 * diverged", "run diverged"): every field that the has bits say holds a
 * value.  Aborts on a difference. */
static void same_step(size_t opno, const hs_op *op, const hs_step *a, const hs_step *b, const char *who)
{
    bool m = a->has & HS_HAS_MEASURES;
    if (a->step != b->step || a->has != b->has)
        die(opno, op, who, "step or has bits differ");
    if (((a->has & HS_HAS_PTR) && a->ptr != b->ptr) ||
        ((a->has & HS_HAS_MMAPPED) && a->mmapped != b->mmapped) ||
        ((a->has & HS_HAS_CHUNK) && a->chunk != b->chunk) ||
        (m && (a->brk != b->brk || a->mmaps != b->mmaps || a->mmapped_bytes != b->mmapped_bytes ||
               a->rss != b->rss || a->minflt != b->minflt ||
               memcmp(&a->mi, &b->mi, sizeof a->mi) != 0)) ||
        ((a->has & HS_HAS_THRESH) &&
         (a->mmap_threshold != b->mmap_threshold || a->trim_threshold != b->trim_threshold)) ||
        ((a->has & HS_HAS_ERROR) && strcmp(a->error, b->error) != 0))
        die(opno, op, who, "a measured field differs");
}

/* Reads everything a renderer reads after a step: the chunk walk (which must
 * end), the mmapped chunks, every bin, the status and the events in words.
 * Aborts when a walk does not end. */
static void read_state(const hs_sim *s, size_t opno, const hs_op *op)
{
    hs_status st;
    hs_sim_status(s, &st);
    hs_chunk_info ci;
    uint64_t cur = 0, n = 0, prev = 0;
    /* Chunks are at least 16 bytes apart, plus top: a bound on any walk. */
    uint64_t bound = st.brk / 16 + 2;
    while (hs_sim_heap_next(s, &cur, &ci)) {
        if (++n > bound)
            die(opno, op, "hs_sim_heap_next does not end", NULL);
        if (n > 1 && cur != UINT64_MAX && cur <= prev)
            die(opno, op, "hs_sim_heap_next went backwards", NULL);
        if (cur != UINT64_MAX)
            prev = cur;
    }
    cur = 0;
    n = 0;
    while (hs_sim_mmap_next(s, &cur, &ci))
        if (++n > st.mmaps + 1)
            die(opno, op, "hs_sim_mmap_next returns more chunks than there are mappings", NULL);
    uint64_t addrs[16];
    static const struct { hs_bin_family fam; int lo, hi; } fams[] = {
        {HS_BINS_TCACHE, 0, 63}, {HS_BINS_FAST, 0, 9}, {HS_BINS_UNSORTED, 1, 1},
        {HS_BINS_SMALL, 2, 63}, {HS_BINS_LARGE, 64, 126},
    };
    for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++)
        for (int i = fams[f].lo; i <= fams[f].hi; i++)
            hs_sim_bin(s, fams[f].fam, i, addrs, sizeof addrs / sizeof addrs[0]);
    size_t nev = 0;
    const hs_event *ev = hs_sim_events(s, &nev);
    for (size_t i = 0; i < nev; i++) {
        char buf[96];
        int w = hs_event_format(&ev[i], buf, sizeof buf);
        if (w < 0 || memchr(buf, 0, sizeof buf) == NULL)
            die(opno, op, "hs_event_format left an unterminated buffer", NULL);
    }
    uint8_t pages[64];
    hs_sim_heap_pages(s, 0, sizeof pages, pages);
}

/* With HS_FUZZ_VERBOSE set, each decoded op and its step go to stderr, so
 * a saved input can be read as a trace.  Never fails. */
static void show(const hsf_decoder *d, size_t opno, const hs_op *op, const hs_step *st)
{
    if (opno == 1)
        fprintf(stderr, "profile %s, %u ids, explain %d, clone %d at op %zu, misuse %d\n",
                hs_profile_name(d->profile), d->nslots, d->explain, d->clone, d->clone_at,
                d->misuse);
    fprintf(stderr, "op %zu: %s id=%d size=%llu arg=%llu touch=%llu param=%u value=%lld",
            opno, hs_op_name(op->kind), op->id == HS_NO_ID ? -1 : (int)op->id,
            (unsigned long long)op->size, (unsigned long long)op->arg,
            (unsigned long long)op->touch, op->param, (long long)op->value);
    if (st->has & HS_HAS_PTR)
        fprintf(stderr, " -> ptr 0x%llx chunk %llu", (unsigned long long)st->ptr,
                (unsigned long long)st->chunk);
    else if (st->has & HS_HAS_MMAPPED)
        fprintf(stderr, " -> mmapped chunk %llu", (unsigned long long)st->chunk);
    fprintf(stderr, " brk 0x%llx%s%s\n", (unsigned long long)st->brk,
            (st->has & HS_HAS_ERROR) ? " error: " : "", (st->has & HS_HAS_ERROR) ? st->error : "");
}

/* The ops of one input and their steps op by op, for the run that applies
 * them again at once (hs_sim_run). */
struct run_ref {
    hs_op *ops;
    hs_step *steps;
    size_t n, cap;
};

/* hs_sim_run's sink: op i's step must be the one hs_sim_apply made. */
static int run_same(void *ctx, size_t i, const hs_step *st)
{
    const struct run_ref *r = ctx;
    same_step(i + 1, &r->ops[i], &r->steps[i], st, "run diverged");
    return 0;
}

/* One input: decoded op by op, each applied and judged; then applied again
 * in one hs_sim_run, whose steps must be the same.  Returns 0; aborts on a
 * finding. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv("HS_FUZZ_VERBOSE") != NULL;
    hsf_decoder d;
    hsf_decoder_init(&d, data, size);
    hs_sim *s = hs_sim_new(d.profile, d.nslots);
    if (!s)
        die(0, NULL, "hs_sim_new returned NULL", NULL);
    hs_sim_set_explain(s, d.explain);
    hs_sim *clone = NULL;
    const char *bad = hs_sim_check(s);
    if (bad)
        die(0, NULL, "hs_sim_check fails on a new heap", bad);

    hs_op op;
    size_t opno = 0;
    struct run_ref ref = {NULL, NULL, 0, 0};
    while (hsf_next(&d, &op)) {
        opno++;
        if (d.clone && opno == d.clone_at && !clone) {
            clone = hs_sim_clone(s);
            if (!clone)
                die(opno, &op, "hs_sim_clone returned NULL", NULL);
        }
        hs_step st, cst;
        int dead = hs_sim_apply(s, &op, &st);
        if (dead != 0 && dead != 1)
            die(opno, &op, "hs_sim_apply returned neither 0 nor 1", NULL);
        if (verbose)
            show(&d, opno, &op, &st);
        if (st.step != opno)
            die(opno, &op, "step number is not the op number", NULL);
        if (ref.n == ref.cap) {
            ref.cap = ref.cap ? 2 * ref.cap : 64;
            ref.ops = realloc(ref.ops, ref.cap * sizeof *ref.ops);
            ref.steps = realloc(ref.steps, ref.cap * sizeof *ref.steps);
            if (!ref.ops || !ref.steps)
                die(opno, &op, "out of memory for the run's reference", NULL);
        }
        ref.ops[ref.n] = op;
        ref.steps[ref.n++] = st;
        if (dead && (!(st.has & HS_HAS_ERROR) || st.error[0] == 0 ||
                     memchr(st.error, 0, sizeof st.error) == NULL))
            die(opno, &op, "a dead step has no error message", NULL);
        if (!dead && (st.has & HS_HAS_ERROR))
            die(opno, &op, "a step has an error but hs_sim_apply returned 0", NULL);
        /* After a misuse the heap may be as broken as glibc's would be:
         * the check still runs (it must not crash) but may say so. */
        bad = hs_sim_check(s);
        if (bad && !d.misused)
            die(opno, &op, "hs_sim_check", bad);
        read_state(s, opno, &op);
        if (clone) {
            int cdead = hs_sim_apply(clone, &op, &cst);
            if (cdead != dead)
                die(opno, &op, "clone diverged", "one died, the other did not");
            same_step(opno, &op, &st, &cst, "clone diverged");
        }
        if (dead)
            break;
        /* The model's memory follows the simulated break and mappings (see
         * fuzz/README.md, "budget"): stop before it outgrows libFuzzer's limit. */
        hs_status status;
        hs_sim_status(s, &status);
        if (status.brk > HSF_MAX_BRK || status.mmapped_bytes > HSF_MAX_MMAPPED)
            break;
    }
    hs_sim_free(clone);
    hs_sim_free(s);
    /* the same ops at once: one jump buffer for all, an abort in the middle of the run */
    hs_sim *r = hs_sim_new(d.profile, d.nslots);
    if (!r)
        die(0, NULL, "hs_sim_new returned NULL", NULL);
    hs_sim_set_explain(r, d.explain);
    if (hs_sim_run(r, ref.ops, ref.n, true, NULL, run_same, &ref) != ref.n)
        die(ref.n, NULL, "hs_sim_run applied fewer ops than it was given", NULL);
    hs_sim_free(r);
    free(ref.ops);
    free(ref.steps);
    return 0;
}
