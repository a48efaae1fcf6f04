/* app/cmd_validate.c — `heapsim validate TRACE...`: the model against real glibc.
 * Owns: the replay beside the model and the report; the comparison rules are sim/step.c's. */
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
    uint64_t measured;       /* steps whose measures the replayer took (--sample) */
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

/* Compares one real step with the model's prediction for the same op
 * (sim/step.c's rules) and reports every differing field. */
static void compare(struct vctx *v, const hs_step *m, const hs_step *r)
{
    hs_step_cmp c;
    hs_step_compare(m, r, v->t->ops[r->step - 1].kind, &c);
    v->fields += c.fields;
    for (uint32_t i = 0; i < c.n; i++) {
        if (i < HS_STEP_DIFF_MAX) report(v, r->step, c.d[i].field, c.d[i].model, c.d[i].real);
        else v->bad++;
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
    if (!(r->has & HS_HAS_UNMEASURED)) v->measured++;
    compare(v, &m, r);
    return 0;
}

/* The replayer's other mappings: the model places its own around them. */
static void on_foreign(void *ctx, const uint64_t (*ranges)[2], size_t n)
{
    struct vctx *v = ctx;
    hs_sim_set_foreign(v->sim, ranges, n);
}

/* The kernel's limits on the replayer: the model refuses what they refuse. */
static void on_limits(void *ctx, const hs_kernel_limits *l)
{
    struct vctx *v = ctx;
    hs_sim_set_limits(v->sim, l);
}

/* Validates one trace; returns 0 agree, 1 disagree, 2 bad trace, 3 no replay. */
static int validate_one(const char *path, bool quiet, hs_profile profile, const hs_app_glibc *g,
                        uint32_t sample_asked)
{
    hs_trace t;
    if (hs_app_load(path, &t) != 0) return 2;
    struct vctx v = {.t = &t, .quiet = quiet};
    v.sim = hs_sim_new(profile, t.n_ids);
    if (!v.sim) {
        fprintf(stderr, "heapsim validate: out of memory\n");
        hs_trace_free(&t);
        return 2;
    }
    hs_sim_set_explain(v.sim, false);
    hs_machine_facts mf = hs_machine_read();
    hs_sim_set_machine(v.sim, &mf, t.n_threads);
    hs_real_opts opts = {.on_start = on_start, .on_foreign = on_foreign, .on_limits = on_limits,
                         .ldso = g->ldso[0] ? g->ldso : NULL, .libpath = g->libpath,
                         .replayer = g->replayer[0] ? g->replayer : hs_app_replayer()};
    opts.sample = hs_app_sample("validate", &t, sample_asked);
    char msg[512];
    int rc = hs_real_run(&t, &opts, on_real, &v, msg, sizeof msg);
    int status = 0;
    if (rc != 0) {
        printf("%s: real replay failed: %s\n", path, msg);
        status = 3;
    } else {
        if (v.bad > SHOW_MAX && !quiet)
            printf("  ... and %" PRIu64 " more disagreements\n", v.bad - SHOW_MAX);
        char measured[48] = "";   /* sampled: how many steps were measured */
        if (v.measured < v.steps)
            snprintf(measured, sizeof measured, ", %" PRIu64 " measured", v.measured);
        printf("%s: %" PRIu64 " steps%s, %" PRIu64 " fields compared, %" PRIu64 " disagreement%s\n",
               path, v.steps, measured, v.fields, v.bad, v.bad == 1 ? "" : "s");
        status = v.bad ? 1 : 0;
    }
    hs_sim_free(v.sim);
    hs_trace_free(&t);
    fflush(stdout);
    return status;
}

#define VALIDATE_USAGE "usage: heapsim validate [--quiet] [--glibc VERSION] [--sample N] TRACE...\n"

int hs_cmd_validate(int argc, char **argv)
{
    bool quiet = false, any_bad = false, any_failed = false;
    int n = 0;
    hs_profile profile = hs_app_default_profile();
    uint32_t sample = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(VALIDATE_USAGE, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--quiet")) { quiet = true; continue; }
        if (!strcmp(argv[i], "--sample")) {
            if (!hs_parse_sample("validate", i + 1 < argc ? argv[++i] : NULL, &sample)) return 2;
            continue;
        }
        if (!strcmp(argv[i], "--glibc")) {
            if (hs_app_glibc_profile("validate", i + 1 < argc ? argv[++i] : NULL, &profile) != 0)
                return 2;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "heapsim validate: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    static hs_app_glibc g;
    char gmsg[1024];
    if (hs_app_glibc_real(profile, &g, gmsg, sizeof gmsg) != 0) {
        fprintf(stderr, "heapsim validate: %s\n", gmsg);
        return 3;
    }
    if (!quiet)
        printf("model %s against real glibc %s\n", hs_profile_name(profile),
               g.ldso[0] ? hs_profile_version(profile) : hs_app_machine_glibc());
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--glibc") || !strcmp(argv[i], "--sample")) { i++; continue; }
        if (argv[i][0] == '-' && argv[i][1]) continue;
        n++;
        int rc = validate_one(argv[i], quiet, profile, &g, sample);
        if (rc == 2) return 2;            /* a bad trace: stop, as the contract says */
        any_bad |= rc == 1;
        any_failed |= rc == 3;
    }
    if (n == 0) {
        fputs(VALIDATE_USAGE, stderr);
        return 2;
    }
    return any_bad ? 1 : any_failed ? 3 : 0;
}
