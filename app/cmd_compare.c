/* app/cmd_compare.c — `heapsim compare TRACE`: the same trace under every installed allocator, side by side.
 * Owns: the compared runs (glibc, glibc tuned, jemalloc, tcmalloc, mimalloc), their summary and its table. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "../play/allocs.h"
#include "../real/real.h"

/* "glibc, tuned": seed 004's fix, set before the first op.  The trace's own
 * mallopt of these params is left out of that run (it would undo it). */
static const struct { hs_param param; int64_t value; } tuning[] = {
    { HS_M_MMAP_MAX, 0 },         /* never mmap a request: the heap serves it */
    { HS_M_TRIM_THRESHOLD, -1 },  /* never trim the heap: freed memory stays for the next */
};
#define N_TUNING (sizeof tuning / sizeof tuning[0])

/* One run's summary, from its steps. */
typedef struct run_sum {
    const char *name;            /* "glibc", "glibc-tuned", "jemalloc", ... */
    const char *alloc;           /* --allocator name */
    char preload[4096];          /* "" for glibc */
    bool done;                   /* replayed to the end (an abort of the allocator included) */
    char why[640];               /* why not (not installed, replay failed) */
    int64_t anon_peak, anon_final;     /* RssAnon minus before the first op, bytes */
    uint64_t res_peak, res_final;      /* statm resident, bytes */
    uint64_t minflt;
    int64_t maps_peak, maps_final, maps_bytes_peak;
    uint64_t map_changes;        /* steps after which the mappings' bytes differ from before */
    int64_t last_maps_bytes;
    uint64_t *ns;                /* per timed call */
    size_t n_ns, cap_ns;
    uint64_t ns_total;
    bool oom;
    char error[HS_ERROR_MAX];    /* the allocator's abort, if any */
    hs_real_info info;
} run_sum;

static void on_extra(void *ctx, const hs_real_extra *x)
{
    run_sum *s = ctx;
    if (x->proc_rss > s->res_peak) s->res_peak = x->proc_rss;
    s->res_final = x->proc_rss;
    if (x->has & HS_REAL_X_MAPS) {
        if (x->maps > s->maps_peak) s->maps_peak = x->maps;
        if (x->maps_bytes > s->maps_bytes_peak) s->maps_bytes_peak = x->maps_bytes;
        s->maps_final = x->maps;
        if (x->maps_bytes != s->last_maps_bytes) s->map_changes++;
        s->last_maps_bytes = x->maps_bytes;
    }
    if (!(x->has & HS_REAL_X_NS)) return;
    if (s->n_ns == s->cap_ns) {
        size_t c = s->cap_ns ? 2 * s->cap_ns : 1024;
        uint64_t *p = realloc(s->ns, c * sizeof *p);
        if (!p) {
            s->oom = true;
            return;
        }
        s->ns = p;
        s->cap_ns = c;
    }
    s->ns[s->n_ns++] = x->ns;
    s->ns_total += x->ns;
}

static int on_step(void *ctx, const hs_step *st)
{
    run_sum *s = ctx;
    if (st->has & HS_HAS_ERROR) {
        snprintf(s->error, sizeof s->error, "%s", st->error);
        return 0;
    }
    if (st->has & HS_HAS_RSS_ANON) {
        if (st->rss_anon > s->anon_peak) s->anon_peak = st->rss_anon;
        s->anon_final = st->rss_anon;
    }
    if (st->has & (HS_HAS_MEASURES | HS_HAS_MINFLT)) s->minflt = st->minflt;
    return s->oom ? 1 : 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The p-th percentile (nearest rank) of s's call times; 0 without calls.
 * Sorts s->ns.  Cannot fail. */
static uint64_t percentile(run_sum *s, unsigned p)
{
    if (!s->n_ns) return 0;
    qsort(s->ns, s->n_ns, sizeof *s->ns, cmp_u64);
    size_t rank = (s->n_ns * p + 99) / 100;
    return s->ns[rank ? rank - 1 : 0];
}

/* See app.h. */
int hs_app_tuned_trace(const hs_trace *t, hs_trace *out, uint32_t **from)
{
    hs_trace_share(t, out);
    out->ops = calloc(t->n_ops + N_TUNING, sizeof *out->ops);
    uint32_t *fr = from ? calloc(t->n_ops + N_TUNING, sizeof *fr) : NULL;
    if (!out->ops || (from && !fr)) {
        free(out->ops);
        free(fr);
        out->ops = NULL;
        return -1;
    }
    size_t n = 0;
    for (size_t k = 0; k < N_TUNING; k++) {
        hs_op *op = &out->ops[n++];
        op->kind = HS_OP_MALLOPT;
        op->param = (uint8_t)tuning[k].param;
        op->id = HS_NO_ID;
        op->value = tuning[k].value;
    }
    for (size_t i = 0; i < t->n_ops; i++) {
        const hs_op *op = &t->ops[i];
        bool tuned = false;
        for (size_t k = 0; k < N_TUNING; k++)
            tuned |= op->kind == HS_OP_MALLOPT && op->param == tuning[k].param;
        if (tuned) continue;
        if (fr) fr[n] = (uint32_t)(i + 1);
        out->ops[n++] = *op;
    }
    out->n_ops = n;
    if (from) *from = fr;
    return 0;
}

/* See app.h. */
size_t hs_app_compare_targets(hs_alloc_target *tg, size_t max)
{
    static char path[HS_ALLOCS_MAX][1024], why[HS_ALLOCS_MAX][512];
    size_t n = 0;
    for (size_t a = 0; a < hs_app_allocator_count(); a++) {
        for (int tune = 0; tune < 1 + (a == 0) && n < max && n < HS_ALLOCS_MAX; tune++, n++) {
            const char *name = hs_app_allocator_name(a);
            bool bad = hs_app_allocator(name, path[n], sizeof path[n], why[n], sizeof why[n]) != 0;
            tg[n] = (hs_alloc_target){.name = tune ? "glibc-tuned" : name,
                                      .preload = path[n][0] ? path[n] : NULL,
                                      .err = bad ? why[n] : NULL,
                                      .variant = tune ? hs_app_tuned_trace : NULL};
        }
    }
    return n;
}

/* Replays t under s's allocator into s.  Never fails: a run that could not
 * be done says why in s->why. */
static void run_one(const hs_trace *t, run_sum *s, double timeout)
{
    hs_real_opts opts = {.replayer = hs_app_replayer(), .timeout_s = timeout};
    opts.preload = s->preload[0] ? s->preload : NULL;
    opts.on_extra = on_extra;
    opts.want_maps = 1;
    opts.info = &s->info;
    char msg[512];
    int rc = hs_real_run(t, &opts, on_step, s, msg, sizeof msg);
    if (rc != 0) {
        snprintf(s->why, sizeof s->why, "replay failed: %s", msg);
        return;
    }
    if (s->oom) {
        snprintf(s->why, sizeof s->why, "out of memory for the call times");
        return;
    }
    if (!hs_app_allocator_is(&s->info, s->preload)) {
        snprintf(s->why, sizeof s->why, "the replayer's malloc is %s, not %s's",
                 s->info.malloc_lib[0] ? s->info.malloc_lib : "the replayer's own", s->alloc);
        return;
    }
    s->done = true;
}

/* The table: one row per run, then what its columns mean. */
static void print_table(run_sum *runs, size_t n, const char *path, const hs_trace *t)
{
    printf("%s — %zu ops under each allocator (%s)\n", t->title ? t->title : path, t->n_ops, path);
    printf("%-12s %10s %10s %9s %7s %9s %6s %7s %6s %11s %9s %9s\n", "allocator", "anon peak",
           "anon final", "RES peak", "faults", "maps peak", "final", "changes", "calls",
           "total ns", "p50 ns", "p99 ns");
    for (size_t i = 0; i < n; i++) {
        run_sum *s = &runs[i];
        if (!s->done) {
            printf("%-12s %s\n", s->name, s->why);
            continue;
        }
        uint64_t p50 = percentile(s, 50), p99 = percentile(s, 99);
        printf("%-12s %7lld KiB %6lld KiB %5llu KiB %7llu %5lld %3lld MiB %6lld %7llu %6zu %11llu %9llu %9llu\n",
               s->name, (long long)(s->anon_peak / 1024), (long long)(s->anon_final / 1024),
               (unsigned long long)(s->res_peak / 1024), (unsigned long long)s->minflt,
               (long long)s->maps_peak, (long long)(s->maps_bytes_peak >> 20),
               (long long)s->maps_final, (unsigned long long)s->map_changes, s->n_ns,
               (unsigned long long)s->ns_total, (unsigned long long)p50, (unsigned long long)p99);
        if (s->error[0]) printf("%-12s   (aborted: %s)\n", "", s->error);
    }
    printf("anon: RssAnon minus before the first op (the allocator's resident memory); RES: the\n"
           "replayer's whole RSS (statm; its code and libraries included); faults: minor faults\n"
           "since the first op; maps: heap and anonymous mappings added (peak count, bytes);\n"
           "changes: steps after which the mappings' bytes changed (an mmap/munmap or a moved break);\n"
           "calls: timed allocator calls, ns: CLOCK_MONOTONIC around each call alone, one run:\n"
           "noisy, an order of magnitude.  glibc-tuned: mallopt(M_MMAP_MAX, 0) and\n"
           "mallopt(M_TRIM_THRESHOLD, -1) before the first op (the trace's own mallopt of those\n"
           "left out); the trace's mallopt settings mean nothing to the other allocators.\n");
}

/* --jsonl: one object per run, for other tools (and the window). */
static void print_jsonl(run_sum *runs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        run_sum *s = &runs[i];
        printf("{\"allocator\":");
        hs_print_json_str(stdout, s->name);
        if (!s->done) {
            printf(",\"error\":");
            hs_print_json_str(stdout, s->why);
            printf("}\n");
            continue;
        }
        printf(",\"malloc_lib\":");
        hs_print_json_str(stdout, s->info.malloc_lib);
        uint64_t p50 = percentile(s, 50), p99 = percentile(s, 99);
        printf(",\"anon_peak\":%lld,\"anon_final\":%lld,\"res_peak\":%llu,\"res_final\":%llu,"
               "\"minflt\":%llu,\"maps_peak\":%lld,\"maps_final\":%lld,\"maps_bytes_peak\":%lld,"
               "\"map_changes\":%llu,\"calls\":%zu,\"ns_total\":%llu,\"ns_p50\":%llu,\"ns_p99\":%llu",
               (long long)s->anon_peak, (long long)s->anon_final,
               (unsigned long long)s->res_peak, (unsigned long long)s->res_final,
               (unsigned long long)s->minflt, (long long)s->maps_peak, (long long)s->maps_final,
               (long long)s->maps_bytes_peak, (unsigned long long)s->map_changes, s->n_ns,
               (unsigned long long)s->ns_total, (unsigned long long)p50, (unsigned long long)p99);
        if (s->error[0]) {
            printf(",\"abort\":");
            hs_print_json_str(stdout, s->error);
        }
        printf("}\n");
    }
}

#define COMPARE_USAGE "usage: heapsim compare TRACE [--jsonl] [--timeout S]\n"

int hs_cmd_compare(int argc, char **argv)
{
    const char *path = NULL;
    bool jsonl = false;
    double timeout = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(COMPARE_USAGE, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--jsonl")) jsonl = true;
        else if (!strcmp(argv[i], "--timeout")) {
            if (timeout > 0) {
                fputs("heapsim compare: --timeout given twice\n", stderr);
                return 2;
            }
            if (!hs_parse_seconds("--timeout", i + 1 < argc ? argv[++i] : NULL, &timeout))
                return 2;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "heapsim compare: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!path) path = argv[i];
        else {
            fprintf(stderr, "heapsim compare: one trace at a time ('%s')\n", argv[i]);
            return 2;
        }
    }
    if (!path) {
        fputs(COMPARE_USAGE, stderr);
        return 2;
    }
    hs_trace t, tuned;
    if (hs_app_load(path, &t) != 0) return 2;
    if (hs_app_tuned_trace(&t, &tuned, NULL) != 0) {
        hs_trace_free(&t);
        fputs("heapsim compare: out of memory\n", stderr);
        return 3;
    }
    size_t n_runs = hs_app_allocator_count() + 1;
    run_sum *runs = calloc(n_runs, sizeof *runs);
    if (!runs) {
        free(tuned.ops);
        hs_trace_free(&t);
        fputs("heapsim compare: out of memory\n", stderr);
        return 3;
    }
    size_t n = 0;
    for (size_t a = 0; a < hs_app_allocator_count(); a++) {
        const char *name = hs_app_allocator_name(a);
        for (int tune = 0; tune < 1 + (a == 0); tune++) {
            run_sum *s = &runs[n++];
            s->name = tune ? "glibc-tuned" : name;
            s->alloc = name;
            char msg[512];
            if (hs_app_allocator(name, s->preload, sizeof s->preload, msg, sizeof msg) != 0) {
                snprintf(s->why, sizeof s->why, "%s", msg);
                continue;
            }
            run_one(tune ? &tuned : &t, s, timeout);
        }
    }
    if (jsonl) print_jsonl(runs, n);
    else print_table(runs, n, path, &t);
    int rc = runs[0].done ? 0 : 3;   /* glibc itself must replay */
    if (!runs[0].done) fprintf(stderr, "heapsim compare: glibc: %s\n", runs[0].why);
    for (size_t i = 0; i < n; i++) free(runs[i].ns);
    free(runs);
    free(tuned.ops);
    hs_trace_free(&t);
    return rc;
}
