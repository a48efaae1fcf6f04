/* app/cmd_validate.c — `heapsim validate TRACE...`: the model against real glibc.
 * Owns: the comparison rules of TRACE_FORMAT.md section 3 and their report. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "../real/real.h"
#include "../real/machine.h"
#include "../sim/sim.h"

#define SHOW_MAX 40   /* disagreements printed per trace; the rest are counted */

struct vctx {
    const hs_trace *t;
    hs_sim *sim;
    bool quiet;
    bool model_dead;         /* the model aborted at an earlier step */
    uint64_t steps, fields, bad;
};

static void report(struct vctx *v, uint32_t step, const char *field,
                   const char *model, const char *real)
{
    v->bad++;
    if (v->quiet || v->bad > SHOW_MAX) return;
    char call[160] = "?";
    if (step >= 1 && step <= v->t->n_ops)
        hs_op_format(v->t, &v->t->ops[step - 1], call, sizeof call);
    printf("  step %u (%s) %s: model %s, real %s\n", step, call, field, model, real);
}

static void cmp_u64(struct vctx *v, uint32_t step, const char *field,
                    uint64_t model, uint64_t real)
{
    v->fields++;
    if (model == real) return;
    char a[32], b[32];
    snprintf(a, sizeof a, "%" PRIu64, model);
    snprintf(b, sizeof b, "%" PRIu64, real);
    report(v, step, field, a, b);
}

/* Compares one real step with the model's prediction for the same op. */
static void compare(struct vctx *v, const hs_step *m, const hs_step *r)
{
    uint32_t s = r->step;
    bool me = m->has & HS_HAS_ERROR, re = r->has & HS_HAS_ERROR;
    v->fields++;
    if (me != re || (me && strcmp(m->error, r->error) != 0))
        report(v, s, "error", me ? m->error : "(none)", re ? r->error : "(none)");
    /* Whether the call returned a chunk at all: mmapped is null exactly when
     * there is no result (NULL, or an op that returns nothing), so a model
     * that returns memory where glibc returned NULL is caught here. */
    const hs_op *op = &v->t->ops[s - 1];
    bool returns = op->kind == HS_OP_MALLOC || op->kind == HS_OP_CALLOC ||
                   op->kind == HS_OP_REALLOC || op->kind == HS_OP_MEMALIGN;
    if (returns && !me && !re) {
        v->fields++;
        bool mr = m->has & HS_HAS_MMAPPED, rr = r->has & HS_HAS_MMAPPED;
        if (mr != rr) report(v, s, "result", mr ? "a chunk" : "NULL", rr ? "a chunk" : "NULL");
    }
    if ((m->has & r->has & HS_HAS_PTR)) cmp_u64(v, s, "ptr", m->ptr, r->ptr);
    if ((m->has & r->has & HS_HAS_MMAPPED)) cmp_u64(v, s, "mmapped", m->mmapped, r->mmapped);
    if ((m->has & r->has & HS_HAS_CHUNK)) cmp_u64(v, s, "chunk", m->chunk, r->chunk);
    if (!(m->has & r->has & HS_HAS_MEASURES)) return;
    cmp_u64(v, s, "brk", m->brk, r->brk);
    cmp_u64(v, s, "mmaps", m->mmaps, r->mmaps);
    cmp_u64(v, s, "mmapped_bytes", m->mmapped_bytes, r->mmapped_bytes);
    cmp_u64(v, s, "rss", m->rss, r->rss);
    static const char *const names[9] = {"arena", "ordblks", "smblks", "hblks", "hblkhd",
                                         "uordblks", "fordblks", "fsmblks", "keepcost"};
    /* mallinfo2 null: glibc's walk of a corrupted heap hung or faulted (the
     * replayer's guard), which the model predicts for a fastbin cycle. */
    bool mmi = m->has & HS_HAS_MALLINFO, rmi = r->has & HS_HAS_MALLINFO;
    v->fields++;
    if (mmi != rmi)
        report(v, s, "mallinfo", mmi ? "(values)" : "null", rmi ? "(values)" : "null");
    const uint64_t *mm = &m->mi.arena, *rm = &r->mi.arena;
    for (int i = 0; i < 9 && (m->has & r->has & HS_HAS_MALLINFO); i++) {
        char f[32];
        snprintf(f, sizeof f, "mallinfo.%s", names[i]);
        cmp_u64(v, s, f, mm[i], rm[i]);
    }
    /* minflt: at most 2 faults plus 1% of the real value apart. */
    v->fields++;
    uint64_t d = m->minflt > r->minflt ? m->minflt - r->minflt : r->minflt - m->minflt;
    if (d * 100 > 200 + r->minflt) {
        char a[48], b[48];
        snprintf(a, sizeof a, "%" PRIu64, m->minflt);
        snprintf(b, sizeof b, "%" PRIu64 " (tolerance 2 + 1%%)", r->minflt);
        report(v, s, "minflt", a, b);
    }
}

/* The replayer's absolute addresses, before its first step: the model uses
 * the same ones (they matter for alignments above a page and safe-linking). */
static void on_start(void *ctx, uint64_t brk0, uint64_t mmap_top)
{
    struct vctx *v = ctx;
    hs_sim_set_bases(v->sim, brk0, mmap_top);
}

/* Called per real step: advances the model by the same op and compares. */
static int on_real(void *ctx, const hs_step *r)
{
    struct vctx *v = ctx;
    if (v->model_dead) {
        report(v, r->step, "steps", "(model stopped: it predicted an abort earlier)", "went on");
        return 1;
    }
    if (r->step != v->steps + 1 || r->step > v->t->n_ops) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%" PRIu64, v->steps + 1);
        snprintf(b, sizeof b, "%u", r->step);
        report(v, r->step, "step number", a, b);
        return 1;
    }
    hs_step m;
    if (hs_sim_apply(v->sim, &v->t->ops[r->step - 1], &m) != 0) v->model_dead = true;
    v->steps++;
    compare(v, &m, r);
    return 0;
}

/* The replayer's other mappings: the model places its own around them. */
static void on_foreign(void *ctx, const uint64_t (*ranges)[2], size_t n)
{
    struct vctx *v = ctx;
    hs_sim_set_foreign(v->sim, ranges, n);
}

/* Validates one trace; returns 0 agree, 1 disagree, 2 bad trace, 3 no replay. */
static int validate_one(const char *path, bool quiet)
{
    hs_trace t;
    if (hs_app_load(path, &t) != 0) return 2;
    struct vctx v = {.t = &t, .quiet = quiet};
    char tn[256];
    if (hs_threads_note(&t, tn, sizeof tn)) {
        fprintf(stderr, "heapsim validate: %s: %s\n", path, tn);
        printf("%s: note: %s\n", path, tn);
    }
    v.sim = hs_sim_new(HS_PROFILE_GLIBC_2_36, t.n_ids);
    if (!v.sim) {
        fprintf(stderr, "heapsim validate: out of memory\n");
        hs_trace_free(&t);
        return 2;
    }
    hs_sim_set_explain(v.sim, false);
    hs_sim_set_commit_limit(v.sim, hs_machine_commit_limit());
    hs_real_opts opts = {.on_start = on_start, .on_foreign = on_foreign};
    char msg[512];
    int rc = hs_real_run(&t, &opts, on_real, &v, msg, sizeof msg);
    int status = 0;
    if (rc != 0) {
        printf("%s: real replay failed: %s\n", path, msg);
        status = 3;
    } else {
        if (v.bad > SHOW_MAX && !quiet)
            printf("  ... and %" PRIu64 " more disagreements\n", v.bad - SHOW_MAX);
        printf("%s: %" PRIu64 " steps, %" PRIu64 " fields compared, %" PRIu64 " disagreement%s\n",
               path, v.steps, v.fields, v.bad, v.bad == 1 ? "" : "s");
        status = v.bad ? 1 : 0;
    }
    hs_sim_free(v.sim);
    hs_trace_free(&t);
    fflush(stdout);
    return status;
}

int hs_cmd_validate(int argc, char **argv)
{
    bool quiet = false, any_bad = false, any_failed = false;
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quiet")) { quiet = true; continue; }
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "heapsim validate: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) continue;
        n++;
        int rc = validate_one(argv[i], quiet);
        if (rc == 2) return 2;            /* a bad trace: stop, as the contract says */
        any_bad |= rc == 1;
        any_failed |= rc == 3;
    }
    if (n == 0) {
        fputs("usage: heapsim validate [--quiet] TRACE...\n", stderr);
        return 2;
    }
    return any_bad ? 1 : any_failed ? 3 : 0;
}
