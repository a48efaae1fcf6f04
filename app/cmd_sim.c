/* app/cmd_sim.c — `heapsim sim TRACE`: the model's prediction, step by step.
 * Owns: the sim subcommand's options and output (step lines, or a table with explanations). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "../real/machine.h"
#include "../play/view.h"
#include "../sim/sim.h"

/* One explanation line of `heapsim sim`. */
static void print_event(void *ctx, const char *line)
{
    fprintf(ctx, "         - %s\n", line);
}

/* Prints the label, note and the model's events of step i + 1 (op i),
 * indented under its table row. */
static void print_story(FILE *f, const hs_trace *t, size_t i, const hs_sim *s)
{
    const char *label = hs_trace_label(t, i);
    const char *note = hs_trace_note(t, i);
    if (label && note && !strncmp(note, label, strlen(label)))
        label = NULL;   /* the note already opens with its label */
    if (label || note)
        fprintf(f, "       %s%s%s\n", label ? label : "", label && note ? ": " : "",
                note ? note : "");
    hs_sim_explain_each_as(s, hs_trace_thread_namer, t, print_event, f);
}

/* What print_step prints for: the trace, its model, the output's form. */
struct sim_out {
    const hs_trace *t;
    const hs_sim *s;
    bool jsonl;
    hs_profile profile;
};

/* hs_sim_run's sink: step i + 1 as a step line, or as a table row with its
 * story.  Ends the run at the op glibc aborts.  Output errors are main()'s
 * (a failed stdout). */
static int print_step(void *ctx, size_t i, const hs_step *st)
{
    const struct sim_out *o = ctx;
    const hs_trace *t = o->t;
    if (o->jsonl) {
        bool mi_int = !hs_profile_has_mallinfo2(o->profile) && (st->has & HS_HAS_MALLINFO);
        hs_print_step_json_with(stdout, t, st, mi_int ? ",\"mallinfo_fn\":\"mallinfo\"" : NULL);
    } else {
        hs_print_table_row(stdout, t, st);
        const char *caller = hs_op_caller(t, i);
        const char *thread = t->op_thread ? hs_trace_str(t, t->op_thread[i]) : NULL;
        if (caller || thread)
            printf("       %s%s%s%s\n", thread ? "thread " : "", thread ? thread : "",
                   thread && caller ? ", " : "", caller ? caller : "");
        print_story(stdout, t, i, o->s);
    }
    return (st->has & HS_HAS_ERROR) != 0;
}

#define SIM_USAGE "usage: heapsim sim TRACE [--jsonl] [--glibc VERSION | --profile NAME]\n"

int hs_cmd_sim(int argc, char **argv)
{
    const char *path = NULL;
    bool jsonl = false;
    int profile = hs_app_default_profile();
    const char *model_opt = NULL;    /* --glibc or --profile, once given */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(SIM_USAGE, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--jsonl")) jsonl = true;
        else if ((!strcmp(argv[i], "--profile") || !strcmp(argv[i], "--glibc")) && model_opt) {
            /* which of two models was meant? */
            fprintf(stderr, "heapsim sim: %s after %s: one model at a time, given once "
                    "(heapsim diff compares two)\n", argv[i], model_opt);
            return 2;
        } else if (!strcmp(argv[i], "--profile")) {
            model_opt = argv[i];
            const char *name = i + 1 < argc ? argv[++i] : "";
            profile = hs_profile_from_name(name);
            if (profile < 0) {
                fprintf(stderr, "heapsim sim: unknown profile '%s' (glibc-2.31, glibc-2.36, "
                        "glibc-2.41 or textbook)\n", name);
                return 2;
            }
        } else if (!strcmp(argv[i], "--glibc")) {
            model_opt = argv[i];
            hs_profile p;
            if (hs_app_glibc_profile("sim", i + 1 < argc ? argv[++i] : NULL, &p) != 0)
                return 2;
            profile = p;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "heapsim sim: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!path) path = argv[i];
        else {
            fprintf(stderr, "heapsim sim: one trace at a time ('%s')\n", argv[i]);
            return 2;
        }
    }
    if (!path) {
        fputs(SIM_USAGE, stderr);
        return 2;
    }
    hs_trace t;
    if (hs_app_load(path, &t) != 0) return 2;
    hs_sim *s = hs_sim_new((hs_profile)profile, t.n_ids);
    if (!s) {
        fputs("heapsim sim: out of memory\n", stderr);
        hs_trace_free(&t);
        return 2;
    }
    hs_sim_set_explain(s, !jsonl);
    if (jsonl) hs_app_big_stdout();   /* a step line per op (before any output) */
    hs_machine_facts mf = hs_machine_read();
    hs_sim_set_machine(s, &mf, t.n_threads);
    if (!jsonl) {
        printf("%s — model, profile %s (%s)\n", t.title ? t.title : path,
               hs_profile_name((hs_profile)profile), path);
        hs_print_trace_notes(stdout, &t);
        hs_print_table_head(stdout);
    }
    struct sim_out o = {&t, s, jsonl, (hs_profile)profile};
    hs_sim_run(s, t.ops, t.n_ops, true, NULL, print_step, &o);
    hs_sim_free(s);
    hs_trace_free(&t);
    fflush(stdout);
    return 0;   /* main() reports a failed stdout */
}
