/* app/cmd_real.c — `heapsim real TRACE`: replay against this machine's glibc.
 * Owns: the real subcommand's options and output (step lines or the readable table). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "../real/real.h"

struct real_out {
    const hs_trace *t;
    bool jsonl, pages;
    bool mi_int;          /* glibc before 2.33: the steps' mallinfo is mallinfo()'s, wrapped */
    char *extra;          /* this step's optional fields (--pages), "" when none */
    size_t len, cap;
    bool oom;
    uint64_t rec_same, rec_diff;   /* steps agreeing / differing with the recorded pointers */
    uint32_t rec_first_diff;
};

/* Appends printf output to o->extra; out of memory sets o->oom. */
static void addf(struct real_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct real_out *o, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || o->oom) return;
    if (o->len + (size_t)n + 1 > o->cap) {
        size_t c = o->cap ? o->cap * 2 : 4096;
        while (c < o->len + (size_t)n + 1) c *= 2;
        char *p = realloc(o->extra, c);
        if (!p) {
            o->oom = true;
            return;
        }
        o->extra = p;
        o->cap = c;
    }
    memcpy(o->extra + o->len, buf, (size_t)n + 1);
    o->len += (size_t)n;
}

/* --pages: the step's resident heap pages, kept for on_step.  As a step
 * line field, "heap_pages": [[first, count], ...] (and "heap_pages_cut"
 * when the runs stop short of the break); in the table, a line of ranges. */
static void on_pages(void *ctx, const hs_real_pages *pg)
{
    struct real_out *o = ctx;
    if (o->jsonl) {
        addf(o, ",\"heap_pages\":[");
        for (size_t i = 0; i < pg->n_runs; i++)
            addf(o, "%s[%u,%u]", i ? "," : "", pg->runs[i].first, pg->runs[i].count);
        addf(o, "]");
        if (pg->covered < pg->pages)
            addf(o, ",\"heap_pages_cut\":%llu", (unsigned long long)pg->covered);
        return;
    }
    addf(o, "       resident heap pages (of %llu):", (unsigned long long)pg->pages);
    for (size_t i = 0; i < pg->n_runs; i++) {
        const hs_page_run *r = &pg->runs[i];
        if (r->count == 1) addf(o, " %u", r->first);
        else addf(o, " %u-%u", r->first, r->first + r->count - 1);
    }
    if (pg->n_runs == 0) addf(o, " none");
    if (pg->covered < pg->pages)
        addf(o, " (pages from %llu on not reported: more than %d runs)",
             (unsigned long long)pg->covered, HS_REAL_MAX_RUNS);
    addf(o, "\n");
}

/* A trace with threads: what starting them did, on stderr (the step lines
 * stay the contract's). */
static void on_threads(void *ctx, const hs_real_threads *th)
{
    struct real_out *o = ctx;
    fprintf(o->jsonl ? stderr : stdout,
            "%s%u thread%s besides the main one run as real threads (stacks of %llu KiB; %llu "
            "allocation%s of thread creation, %llu bytes, kept out of glibc's arenas)%s",
            o->jsonl ? "heapsim real: " : "  note: ", th->n_threads, th->n_threads == 1 ? "" : "s",
            (unsigned long long)(th->stack_size / 1024), (unsigned long long)th->setup_allocs,
            th->setup_allocs == 1 ? "" : "s", (unsigned long long)th->setup_bytes, "\n");
}

/* A trace with threads: the step's "arena" (of the chunk it returned) and
 * "arenas" (each arena's system and in-use bytes, creation order, main
 * first), before heap_pages; in the table, a line. */
static void on_arenas(void *ctx, const hs_real_arenas *ar)
{
    struct real_out *o = ctx;
    if (o->jsonl) {
        if (ar->arena >= 0) addf(o, ",\"arena\":%d", ar->arena);
        if (ar->n) {
            addf(o, ",\"arenas\":[");
            for (size_t k = 0; k < ar->n; k++)
                addf(o, "%s{\"system\":%llu,\"in_use\":%llu}", k ? "," : "",
                     (unsigned long long)ar->arenas[k].system,
                     (unsigned long long)ar->arenas[k].in_use);
            addf(o, "]");
        }
        if (ar->cut) addf(o, ",\"arenas_cut\":true");
        return;
    }
    if (ar->arena < 0 && !ar->n) return;
    addf(o, "      ");
    if (ar->arena >= 0) addf(o, " chunk of arena %d%s;", ar->arena, ar->non_main ? " (ptr: offset in its heap)" : "");
    if (ar->n) addf(o, " arenas (system/in use KiB):");
    for (size_t k = 0; k < ar->n; k++)
        addf(o, " #%zu %llu/%llu", k, (unsigned long long)(ar->arenas[k].system / 1024),
             (unsigned long long)(ar->arenas[k].in_use / 1024));
    if (ar->cut) addf(o, " (more arenas not shown)");
    addf(o, "\n");
}

static int on_step(void *ctx, const hs_step *st)
{
    struct real_out *o = ctx;
    const char *extra = o->len && st->step ? o->extra : NULL;
    int agree = hs_rec_ptr_agrees(o->t, st);
    if (agree == 1) o->rec_same++;
    if (agree == 0 && o->rec_diff++ == 0) o->rec_first_diff = st->step;
    if (o->jsonl && o->mi_int && (st->has & HS_HAS_MALLINFO)) {
        /* marks mallinfo's values as those of mallinfo() (int fields, wrapped) */
        const char *fn = ",\"mallinfo_fn\":\"mallinfo\"";
        char *both = malloc(strlen(fn) + (extra ? strlen(extra) : 0) + 1);
        if (!both) return 1;
        strcpy(both, fn);
        if (extra) strcat(both, extra);
        hs_print_step_json_with(stdout, o->t, st, both);
        free(both);
    } else if (o->jsonl) hs_print_step_json_with(stdout, o->t, st, extra);
    else {
        hs_print_table_row(stdout, o->t, st);
        if (extra) fputs(extra, stdout);
    }
    o->len = 0;
    return o->oom ? 1 : 0;
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

#define REAL_USAGE "usage: heapsim real TRACE [--jsonl] [--pages] [--timeout S] [--glibc VERSION]\n"

int hs_cmd_real(int argc, char **argv)
{
    const char *path = NULL;
    struct real_out o = {0};
    hs_real_opts opts = {.replayer = hs_app_replayer()};
    hs_profile profile = hs_app_default_profile();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(REAL_USAGE, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--jsonl")) o.jsonl = true;
        else if (!strcmp(argv[i], "--pages")) o.pages = true;
        else if (!strcmp(argv[i], "--timeout")) {
            if (!hs_parse_seconds("--timeout", i + 1 < argc ? argv[++i] : NULL, &opts.timeout_s))
                return 2;
        } else if (!strcmp(argv[i], "--glibc")) {
            if (hs_app_glibc_profile("real", i + 1 < argc ? argv[++i] : NULL, &profile) != 0)
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
        fputs(REAL_USAGE, stderr);
        return 2;
    }
    static hs_app_glibc g;
    char gmsg[1024];
    if (hs_app_glibc_real(profile, &g, gmsg, sizeof gmsg) != 0) {
        fprintf(stderr, "heapsim real: %s\n", gmsg);
        return 3;
    }
    opts.ldso = g.ldso[0] ? g.ldso : NULL;
    opts.libpath = g.libpath;
    opts.replayer = g.replayer[0] ? g.replayer : hs_app_replayer();
    o.mi_int = !hs_profile_has_mallinfo2(profile);
    hs_trace t;
    if (hs_app_load(path, &t) != 0) return 2;
    o.t = &t;
    if (!o.jsonl) {
        printf("%s — real glibc %s%s (%s)\n", t.title ? t.title : path,
               g.ldso[0] ? hs_profile_version(profile) : hs_app_machine_glibc(),
               g.ldso[0] ? ", from the cache" : ", this machine's", path);
        if (o.mi_int)
            printf("(mallinfo: mallinfo(), int fields wrapped to 32 bits; there is no mallinfo2)\n");
        hs_trace no_thr = t;   /* threads are real here: on_threads says so, not the model's note */
        no_thr.op_thread = NULL;
        hs_print_trace_notes(stdout, &no_thr);
        hs_print_table_head(stdout);
    }
    if (o.pages) opts.on_pages = on_pages;
    opts.on_threads = on_threads;
    opts.on_arenas = on_arenas;
    char msg[512];
    int rc = hs_real_run(&t, &opts, on_step, &o, msg, sizeof msg);
    if (o.rec_same + o.rec_diff > 0) {
        /* the recording's own pointers against this replay */
        FILE *rf = o.jsonl ? stderr : stdout;
        fprintf(rf, "%srecorded pointers: %llu of %llu steps agree with the replay",
                o.jsonl ? "heapsim real: " : "", (unsigned long long)o.rec_same,
                (unsigned long long)(o.rec_same + o.rec_diff));
        if (o.rec_diff) fprintf(rf, " (first difference at step %u)", o.rec_first_diff);
        fputc('\n', rf);
    }
    fflush(stdout);
    hs_trace_free(&t);
    free(o.extra);
    if (rc == 0 && o.oom) {
        snprintf(msg, sizeof msg, "out of memory for the page runs");
        rc = -1;
    }
    if (rc != 0) {
        fprintf(stderr, "heapsim real: %s\n", msg);
        return 3;
    }
    return 0;   /* main() reports a failed stdout */
}
