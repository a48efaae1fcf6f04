/* app/cmd_real.c — `heapsim real TRACE`: replay against this machine's glibc.
 * Owns: the real subcommand's options and output (step lines or the readable table). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "../real/real.h"

struct real_out {
    const hs_trace *t;
    bool jsonl;
};

static int on_step(void *ctx, const hs_step *st)
{
    struct real_out *o = ctx;
    if (o->jsonl) hs_print_step_json(stdout, o->t, st);
    else hs_print_table_row(stdout, o->t, st);
    return 0;
}

/* Parses "--timeout S"; returns false (with a message) on a bad value. */
bool hs_parse_seconds(const char *opt, const char *s, double *out)
{
    char *end;
    double v = s ? strtod(s, &end) : 0;
    if (!s || end == s || *end || !(v > 0) || v > 86400) {
        fprintf(stderr, "heapsim: %s wants a number of seconds (0 < S <= 86400), got '%s'\n",
                opt, s ? s : "");
        return false;
    }
    *out = v;
    return true;
}

int hs_cmd_real(int argc, char **argv)
{
    const char *path = NULL;
    struct real_out o = {0};
    hs_real_opts opts = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--jsonl")) o.jsonl = true;
        else if (!strcmp(argv[i], "--timeout")) {
            if (!hs_parse_seconds("--timeout", i + 1 < argc ? argv[++i] : NULL, &opts.timeout_s))
                return 2;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "heapsim real: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!path) path = argv[i];
        else {
            fprintf(stderr, "heapsim real: one trace at a time ('%s')\n", argv[i]);
            return 2;
        }
    }
    if (!path) {
        fputs("usage: heapsim real TRACE [--jsonl] [--timeout S]\n", stderr);
        return 2;
    }
    hs_trace t;
    if (hs_app_load(path, &t) != 0) return 2;
    o.t = &t;
    if (!o.jsonl) {
        printf("%s — real glibc (%s)\n", t.title ? t.title : path, path);
        hs_print_table_head(stdout);
    }
    char msg[512];
    int rc = hs_real_run(&t, &opts, on_step, &o, msg, sizeof msg);
    fflush(stdout);
    hs_trace_free(&t);
    if (rc != 0) {
        fprintf(stderr, "heapsim real: %s\n", msg);
        return 3;
    }
    return 0;   /* main() reports a failed stdout */
}
