/* bench/bench_model.c — the model's speed against glibc's own malloc, side by side in one run.
 * Owns: timing hs_sim_apply and the same calls on this process's glibc, and printing the ratio. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loader/trace.h"
#include "sim/sim.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}


/* Runs ops [0, n) on this process's glibc; touches only when touch is set.
 * Returns nanoseconds.  The caller guarantees the ops do not misuse. */
static double run_glibc(const hs_trace *t, size_t n, void **slot, int touch)
{
    double t0 = now_ns();
    for (size_t i = 0; i < n; i++) {
        const hs_op *op = &t->ops[i];
        void **p = op->id != HS_NO_ID ? &slot[op->id] : NULL;
        switch (op->kind) {
        case HS_OP_MALLOC:   *p = malloc(op->size); break;
        case HS_OP_CALLOC:   *p = calloc(op->arg, op->size); break;
        case HS_OP_REALLOC:  *p = realloc(*p, op->size); break;
        case HS_OP_MEMALIGN: *p = memalign(op->arg, op->size); break;
        case HS_OP_FREE:     free(*p); *p = NULL; break;
        case HS_OP_TOUCH:
            if (touch && *p) memset((char *)*p + op->arg, 1, op->size);
            continue;
        case HS_OP_MALLOPT:  mallopt(hs_param_glibc(op->param), (int)op->value); continue;
        case HS_OP_MALLOC_TRIM: malloc_trim(op->size); continue;
        }
        if (touch && p && *p && hs_op_returns_ptr(op->kind) && op->touch) memset(*p, 1, op->touch);
    }
    double dt = now_ns() - t0;
    for (uint32_t i = 0; i < t->n_ids; i++) { free(slot[i]); slot[i] = NULL; }
    return dt;
}

/* Returns nanoseconds for ops [0, *n) through the model; *n shrinks to the
 * op before an abort the model predicts, so glibc never runs a misuse. */
static double run_model(const hs_trace *t, size_t *n, int *ok)
{
    hs_sim *s = hs_sim_new(HS_PROFILE_GLIBC_2_36, t->n_ids);
    if (!s) { *ok = 0; return 0; }
    hs_sim_set_explain(s, false);
    hs_step st;
    double t0 = now_ns();
    size_t i = 0;
    for (; i < *n; i++)
        if (hs_sim_apply(s, &t->ops[i], &st)) break;
    double dt = now_ns() - t0;
    *n = i;
    hs_sim_free(s);
    *ok = 1;
    return dt;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_model TRACE   (e.g. heapsim gen --seed 1 --ops 1000000 --mix mixed --jsonl)\n");
        return 2;
    }
    hs_trace t;
    hs_trace_error err;
    if (hs_trace_load(argv[1], &t, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    void **slot = calloc(t.n_ids ? t.n_ids : 1, sizeof *slot);
    size_t n = t.n_ops;
    int ok;
    run_model(&t, &n, &ok);  /* warm-up, and find where a misuse would abort */
    if (!ok || !slot) { fputs("bench_model: out of memory\n", stderr); return 2; }
    double best_m = 1e300, best_g = 1e300, best_gt = 1e300;
    for (int r = 0; r < 3; r++) {   /* interleaved rounds, best of three */
        size_t nn = n;
        double m = run_model(&t, &nn, &ok);
        double g = run_glibc(&t, n, slot, 0);
        double gt = run_glibc(&t, n, slot, 1);
        if (m < best_m) best_m = m;
        if (g < best_g) best_g = g;
        if (gt < best_gt) best_gt = gt;
    }
    printf("trace %s: %zu ops\n", argv[1], n);
    printf("  model (hs_sim_apply, explain off): %8.1f ns/op\n", best_m / (double)n);
    printf("  glibc, calls only:                  %8.1f ns/op\n", best_g / (double)n);
    printf("  glibc, calls + touches:             %8.1f ns/op\n", best_gt / (double)n);
    printf("  ratio model / glibc calls only:     %8.2f\n", best_m / best_g);
    printf("  ratio model / glibc with touches:   %8.2f\n", best_m / best_gt);
    free(slot);
    hs_trace_free(&t);
    return 0;
}
