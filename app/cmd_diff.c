/* app/cmd_diff.c — `heapsim diff TRACE --glibc A --glibc B`: one trace on two glibc versions' models, side by side.
 * Owns: the diff subcommand's options and output (the steps that differ, the first one marked); the comparison is sim/step.c's. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "../real/machine.h"
#include "../sim/sim.h"

#define DIFF_USAGE "usage: heapsim diff TRACE --glibc A --glibc B [--all]\n" \
    "  (--profile NAME for either side; --all prints every step, not only those that differ)\n"

/* One side: a profile and its model.  Fails (NULL model) only out of memory. */
typedef struct side {
    hs_profile p;
    hs_sim *s;
    hs_step st;
    bool dead;       /* the model stopped (glibc aborts) at an earlier step */
} side;

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
    side sd[2];
    memset(sd, 0, sizeof sd);
    for (int k = 0; k < 2; k++) {
        sd[k].p = prof[k];
        sd[k].s = hs_sim_new(prof[k], t.n_ids);
        if (sd[k].s == NULL) {
            fputs("heapsim diff: out of memory\n", stderr);
            if (k) hs_sim_free(sd[0].s);
            hs_trace_free(&t);
            return 2;
        }
        hs_sim_set_commit_limit(sd[k].s, hs_machine_commit_limit());
    }
    const char *na = hs_profile_name(prof[0]), *nb = hs_profile_name(prof[1]);
    printf("%s — the model on %s and on %s (%s)\n", t.title ? t.title : path, na, nb, path);
    hs_print_table_head(stdout);
    size_t differ = 0, first = 0;
    char first_line[1024] = "";
    size_t done = 0;
    for (size_t i = 0; i < t.n_ops && !sd[0].dead && !sd[1].dead; i++) {
        for (int k = 0; k < 2; k++)
            sd[k].dead = hs_sim_apply(sd[k].s, &t.ops[i], &sd[k].st) != 0;
        done = i + 1;
        /* an abort on one side only is an error text on one side: a difference */
        char sum[600];
        hs_step_cmp c;
        uint32_t n = hs_step_compare(&sd[0].st, &sd[1].st, t.ops[i].kind, &c);
        hs_step_cmp_summary_as(&c, nb, sum, sizeof sum);
        if (n) {
            if (differ++ == 0) {
                char call[256];
                hs_op_format(&t, &t.ops[i], call, sizeof call);
                first = i + 1;
                snprintf(first_line, sizeof first_line, "first difference: step %zu, %s: %s", first,
                         call, sum);
            }
        }
        if (n || all) {
            const char *mark = n && first == i + 1 ? ">>" : n ? " *" : "  ";
            for (int k = 0; k < 2; k++)
                print_row(&t, &sd[k].st, k ? "  " : mark, sd[k].p);
            if (n)
                printf("       differs: %s\n", sum);
        }
    }
    for (int k = 0; k < 2; k++)
        if (sd[k].dead && done < t.n_ops)
            printf("%s stops at step %zu (glibc aborts); the other %zu steps are not compared\n",
                   hs_profile_name(sd[k].p), done, t.n_ops - done);
    if (differ)
        printf("%s\n%zu of %zu steps differ between %s and %s\n", first_line, differ, done, na, nb);
    else
        printf("no step differs: %s and %s agree on all %zu steps\n", na, nb, done);
    for (int k = 0; k < 2; k++)
        hs_sim_free(sd[k].s);
    hs_trace_free(&t);
    return differ ? 1 : 0;
}
