/* app/cmd_diff.c — `heapsim diff TRACE --glibc A --glibc B`: one trace on two glibc versions' models, side by side.
 * Owns: the diff subcommand's options and output (the steps that differ, the first one marked); the loop is play/vdiff.c's, the comparison sim/step.c's. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "../play/vdiff.h"
#include "../real/machine.h"
#include "../sim/sim.h"

#define DIFF_USAGE "usage: heapsim diff TRACE --glibc A --glibc B [--all]\n" \
    "  (--profile NAME for either side; --all prints every step, not only those that differ)\n"

/* Prints st's table row with the side's profile after it. */
static void print_row(const hs_trace *t, const hs_step *st, const char *mark, hs_profile p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m == NULL) {
        fputs(mark, stdout);
        hs_print_table_row(stdout, t, st);
        return;
    }
    hs_print_table_row(m, t, st);
    fclose(m);
    char *nl = strchr(buf, '\n');
    if (nl) *nl = '\0';
    printf("%s%s  [%s]\n%s", mark, buf + 2, hs_profile_name(p), nl ? nl + 1 : "");
    free(buf);
}

typedef struct print_ctx {
    const hs_trace *t;
    const hs_profile *prof;
    bool all;
    size_t first;        /* the first differing step printed, 0 before it */
} print_ctx;

/* Prints one compared step: both rows when it differs (or with --all), the
 * first difference marked ">>", the others " *". */
static void print_step(void *ctx, const hs_vdiff_step *s)
{
    print_ctx *pc = ctx;
    uint32_t n = s->cmp->n;
    if (!n && !pc->all) return;
    if (n && pc->first == 0) pc->first = s->step;
    const char *mark = n && pc->first == s->step ? ">>" : n ? " *" : "  ";
    for (int k = 0; k < 2; k++)
        print_row(pc->t, s->st[k], k ? "  " : mark, pc->prof[k]);
    if (n)
        printf("       differs: %s\n", s->sum);
}

int hs_cmd_diff(int argc, char **argv)
{
    const char *path = NULL;
    bool all = false;
    hs_profile prof[2];
    int n_prof = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(DIFF_USAGE, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--all")) all = true;
        else if (!strcmp(argv[i], "--glibc") || !strcmp(argv[i], "--profile")) {
            if (n_prof == 2) {
                fputs("heapsim diff: two versions, not more\n", stderr);
                return 2;
            }
            bool by_name = !strcmp(argv[i], "--profile");
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            if (by_name) {
                int p = hs_profile_from_name(v ? v : "");
                if (p < 0) {
                    fprintf(stderr, "heapsim diff: unknown profile '%s' (glibc-2.31, glibc-2.36, "
                            "glibc-2.41 or textbook)\n", v ? v : "");
                    return 2;
                }
                prof[n_prof++] = (hs_profile)p;
            } else if (hs_app_glibc_profile("diff", v, &prof[n_prof++]) != 0)
                return 2;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "heapsim diff: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!path) path = argv[i];
        else {
            fprintf(stderr, "heapsim diff: one trace at a time ('%s')\n", argv[i]);
            return 2;
        }
    }
    if (!path || n_prof == 0) {
        fputs(DIFF_USAGE, stderr);
        return 2;
    }
    if (n_prof == 1)    /* one version named: against this machine's */
        prof[n_prof++] = hs_app_default_profile();
    hs_trace t;
    if (hs_app_load(path, &t) != 0) return 2;
    const char *na = hs_profile_name(prof[0]), *nb = hs_profile_name(prof[1]);
    printf("%s — the model on %s and on %s (%s)\n", t.title ? t.title : path, na, nb, path);
    hs_print_table_head(stdout);
    print_ctx pc = {&t, prof, all, 0};
    hs_vdiff_result r;
    hs_machine_facts mf = hs_machine_read();
    if (hs_vdiff_run(&t, prof, &mf, print_step, &pc, &r) != 0) {
        fputs("heapsim diff: out of memory\n", stderr);
        hs_trace_free(&t);
        return 2;
    }
    for (int k = 0; k < 2; k++)
        if (r.dead[k] && r.done < t.n_ops)
            printf("%s stops at step %zu (glibc aborts); the other %zu steps are not compared\n",
                   hs_profile_name(prof[k]), r.done, t.n_ops - r.done);
    if (r.differ)
        printf("first difference: step %zu, %s: %s\n%zu of %zu steps differ between %s and %s\n",
               r.first, r.first_call, r.first_sum, r.differ, r.done, na, nb);
    else
        printf("no step differs: %s and %s agree on all %zu steps\n", na, nb, r.done);
    hs_trace_free(&t);
    return r.differ ? 1 : 0;
}
