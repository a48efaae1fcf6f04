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
    char *extra;          /* this step's optional fields: on_extra's (called first), then
                             on_arenas' and --pages'; "" when none */
    size_t len, cap;
    char *both;           /* mallinfo_fn + extra (glibc before 2.33) */
    size_t both_cap;
    bool oom;
    uint32_t sample;      /* hs_real_opts.sample: 1 measures every step */
    uint64_t measured;    /* steps with measures */
    uint64_t mi_skipped;  /* measured steps whose mallinfo2 sampling left out */
    uint64_t steps;       /* steps reported */
    bool want_maps;       /* hs_real_opts.want_maps */
    uint64_t rec_same, rec_diff;   /* steps agreeing / differing with the recorded pointers */
    uint32_t rec_first_diff;
    hs_real_extra x;      /* this step's any-allocator measures (on_extra) */
    bool have_x;
    hs_real_info info;    /* which malloc the replayer got */
    bool glibc_malloc;    /* asked for glibc's own malloc */
};

/* Appends printf output (ap) to the buffer *b (*len used, *cap allocated);
 * out of memory sets *oom. */
static void vappend(char **b, size_t *len, size_t *cap, bool *oom, const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0 || *oom) return;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    if (*len + (size_t)n + 1 > *cap) {
        size_t c = *cap ? *cap * 2 : 4096;
        while (c < *len + (size_t)n + 1) c *= 2;
        char *p = realloc(*b, c);
        if (!p) {
            *oom = true;
            return;
        }
        *b = p;
        *cap = c;
    }
    memcpy(*b + *len, buf, (size_t)n + 1);
    *len += (size_t)n;
}

/* Appends printf output to o->extra (--pages); out of memory sets o->oom. */
static void addf(struct real_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct real_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vappend(&o->extra, &o->len, &o->cap, &o->oom, fmt, ap);
    va_end(ap);
}

/* Appends n bytes to o->extra; out of memory sets o->oom. */
static void add(struct real_out *o, const char *s, size_t n)
{
    if (o->oom) return;
    if (o->len + n + 1 > o->cap) {
        size_t c = o->cap ? o->cap * 2 : 4096;
        while (c < o->len + n + 1) c *= 2;
        char *p = realloc(o->extra, c);
        if (!p) {
            o->oom = true;
            return;
        }
        o->extra = p;
        o->cap = c;
    }
    memcpy(o->extra + o->len, s, n);
    o->len += n;
    o->extra[o->len] = '\0';
}

/* Appends ,"key":v (null unless has) to o->extra, without printf: the step
 * line's formatting (hs_fmt_u64).  key_lit: the whole ,"key": text. */
static void add_num(struct real_out *o, const char *key_lit, size_t n, bool has, bool sign,
                    uint64_t v)
{
    char b[64];
    memcpy(b, key_lit, n);
    if (!has) {
        memcpy(b + n, "null", 4);
        n += 4;
    } else {
        n += sign ? hs_fmt_i64(b + n, (int64_t)v) : hs_fmt_u64(b + n, v);
    }
    add(o, b, n);
}
#define ADD_U64(o, key, has, v) \
    add_num((o), ",\"" key "\":", sizeof(",\"" key "\":") - 1, (has), false, (v))
#define ADD_I64(o, key, has, v) \
    add_num((o), ",\"" key "\":", sizeof(",\"" key "\":") - 1, (has), true, (uint64_t)(v))

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
    if (o->jsonl) {   /* arena and arenas are the step's own (real/real.c, app/common.c) */
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

/* Bytes as KiB, rounded down (the table's unit). */
static unsigned long long kib(uint64_t b)
{
    return (unsigned long long)(b / 1024);
}

/* The any-allocator measures (time per call, statm, mappings, smaps), kept
 * for on_step: step line fields "ns", "virt", "res", "shr", "maps",
 * "maps_bytes", and with smaps "smaps" and "smaps_rss" (docs/trace-format.md);
 * in the table, the smaps lines under the step's row. */
static void on_extra(void *ctx, const hs_real_extra *x)
{
    struct real_out *o = ctx;
    o->x = *x;
    o->len = 0;   /* the first of the step's callbacks (real/real.h) */
    if (o->extra) o->extra[0] = '\0';
    o->have_x = true;
    if (o->jsonl) {
        /* a step not measured (--sample): statm and maps null */
        bool m = !(x->has & HS_REAL_X_UNMEASURED);
        if (x->has & HS_REAL_X_NS) ADD_U64(o, "ns", true, x->ns);
        if (!m && !o->want_maps) {   /* the common line of a sampled replay, in one piece */
            static const char nulls[] = ",\"virt\":null,\"res\":null,\"shr\":null";
            add(o, nulls, sizeof nulls - 1);
            return;
        }
        ADD_U64(o, "virt", m, x->vm_size);
        ADD_U64(o, "res", m, x->proc_rss);
        ADD_U64(o, "shr", m, x->shared);
        if ((x->has & HS_REAL_X_MAPS) || (!m && o->want_maps)) {
            ADD_I64(o, "maps", m, x->maps);
            ADD_I64(o, "maps_bytes", m, x->maps_bytes);
        }
    }
    if (!(x->has & HS_REAL_X_SMAPS)) return;
    if (o->jsonl) {
        addf(o, ",\"smaps\":[");
        for (size_t i = 0; i < x->n_smaps; i++) {
            const hs_real_smap *m = &x->smaps[i];
            addf(o, "%s{\"start\":%llu,\"end\":%llu,\"name\":\"%s\",\"size\":%llu,\"rss\":%llu,",
                 i ? "," : "", (unsigned long long)m->start, (unsigned long long)m->end, m->name,
                 (unsigned long long)m->size, (unsigned long long)m->rss);
            addf(o, "\"pss\":%llu,\"private_dirty\":%llu,\"anonymous\":%llu,\"anon_huge\":%llu}",
                 (unsigned long long)m->pss, (unsigned long long)m->private_dirty,
                 (unsigned long long)m->anonymous, (unsigned long long)m->anon_huge);
        }
        addf(o, "],\"smaps_rss\":%llu,\"smaps_rss_delta\":%lld", (unsigned long long)x->smaps_rss,
             (long long)(x->smaps_rss - o->info.smaps_rss0));
        return;
    }
    addf(o, "       statm (as top): VIRT %llu KiB  RES %llu KiB  SHR %llu KiB\n", kib(x->vm_size),
         kib(x->proc_rss), kib(x->shared));
    addf(o, "       %-31s%-6s %9s %9s %9s %9s %9s %9s  (KiB, /proc/self/smaps)\n", "mapping", "",
         "Size", "Rss", "Pss", "Priv_Dirty", "Anonymous", "AnonHuge");
    for (size_t i = 0; i < x->n_smaps; i++) {
        const hs_real_smap *m = &x->smaps[i];
        addf(o, "       %012llx-%012llx      %-6s %9llu %9llu %9llu %9llu %9llu %9llu\n",
             (unsigned long long)m->start, (unsigned long long)m->end,
             m->name[0] ? m->name : "anon", kib(m->size), kib(m->rss), kib(m->pss),
             kib(m->private_dirty), kib(m->anonymous), kib(m->anon_huge));
    }
    if (x->smaps_cut) addf(o, "       (more mappings than shown; the sum counts them all)\n");
    addf(o, "       heap + anonymous Rss %llu KiB: %lld KiB more than before the first op\n",
         kib(x->smaps_rss), (long long)((int64_t)(x->smaps_rss - o->info.smaps_rss0) / 1024));
}

/* The table row of st with the any-allocator columns (ns, RES, maps)
 * appended to its first line.  Never fails. */
static void print_row(struct real_out *o, const hs_step *st)
{
    char row[1024];
    FILE *m = fmemopen(row, sizeof row, "w");
    if (!m) {
        hs_print_table_row(stdout, o->t, st);
        return;
    }
    hs_print_table_row(m, o->t, st);
    fputc('\0', m);
    fclose(m);
    row[sizeof row - 1] = '\0';
    char *nl = strchr(row, '\n');
    if (nl) *nl = '\0';
    fputs(row, stdout);
    if (o->have_x && o->x.step == st->step) {
        if (o->x.has & HS_REAL_X_NS) printf(" %9llu", (unsigned long long)o->x.ns);
        else printf(" %9s", "-");
        if (o->x.has & HS_REAL_X_UNMEASURED) printf(" %9s", "-");
        else printf(" %9llu", kib(o->x.proc_rss));
        if (o->x.has & HS_REAL_X_MAPS) printf(" %+5lld", (long long)o->x.maps);
        else printf(" %5s", "-");
    }
    fputc('\n', stdout);
    if (nl) fputs(nl + 1, stdout);
}

static int on_step(void *ctx, const hs_step *st)
{
    struct real_out *o = ctx;
    /* the any-allocator fields, then the arenas' and --pages' (heap_pages
     * ends the line), in the order their callbacks came */
    const char *extra = o->len && st->step ? o->extra : NULL;
    o->steps++;
    if (!(st->has & HS_HAS_ERROR) && !(st->has & HS_HAS_UNMEASURED)) o->measured++;
    if (st->has & HS_HAS_MI_UNMEASURED) o->mi_skipped++;
    int agree = hs_rec_ptr_agrees(o->t, st);
    if (agree == 1) o->rec_same++;
    if (agree == 0 && o->rec_diff++ == 0) o->rec_first_diff = st->step;
    if (o->jsonl && o->mi_int && (st->has & HS_HAS_MALLINFO)) {
        /* marks mallinfo's values as those of mallinfo() (int fields, wrapped) */
        const char *fn = ",\"mallinfo_fn\":\"mallinfo\"";
        size_t need = strlen(fn) + (extra ? strlen(extra) : 0) + 1;
        if (need > o->both_cap) {
            char *p = realloc(o->both, need);
            if (!p) return 1;
            o->both = p;
            o->both_cap = need;
        }
        strcpy(o->both, fn);
        if (extra) strcat(o->both, extra);
        hs_print_step_json_with(stdout, o->t, st, o->both);
    } else if (o->jsonl) hs_print_step_json_with(stdout, o->t, st, extra);
    else {
        print_row(o, st);
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

#define SAMPLE_MAX 1000000u

/* See app.h. */
bool hs_parse_sample(const char *cmd, const char *s, uint32_t *out)
{
    char *end;
    unsigned long long v = s && *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
    if (!s || v < 1 || v > SAMPLE_MAX || *end) {
        fprintf(stderr, "heapsim %s: --sample wants a whole number of steps from 1 (measure every "
                "step) to %u, got '%s'\n", cmd, SAMPLE_MAX, s ? s : "");
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* See app.h. */
uint32_t hs_app_sample(const char *cmd, const hs_trace *t, uint32_t asked)
{
    uint32_t n = hs_real_sample_for(t, asked);
    if (asked > 1 && n == 1)   /* threads: the replayer measures every step (real/wire.h) */
        fprintf(stderr, "heapsim %s: a trace with threads is measured on every step: --sample %u "
                "ignored\n", cmd, asked);
    if (n > 1)
        fprintf(stderr, "heapsim %s: %zu ops: measuring every %u%s step and every step that moves "
                "the break or a mapping, mallinfo2 (a walk of every free chunk) on fewer: at most "
                "%u chunks walked per op; --sample 1 measures every step\n", cmd, t->n_ops, n,
                n % 10 == 1 && n % 100 != 11 ? "st" : n % 10 == 2 && n % 100 != 12 ? "nd"
                : n % 10 == 3 && n % 100 != 13 ? "rd" : "th", HS_REAL_MI_VISITS);
    return n;
}

#define REAL_USAGE "usage: heapsim real TRACE [--jsonl] [--pages] [--timeout S] [--glibc VERSION]\n" \
                   "                    [--allocator glibc|jemalloc|tcmalloc|mimalloc] [--smaps] [--smaps-at N,M...]\n" \
                   "                    [--sample N]\n"
#define SMAPS_EVERY_MAX 64   /* --smaps alone: every step of a trace this short */

/* Parses --smaps-at "N,M,..." (1-based steps) into at[] (n_ops flags).
 * Returns false with a message on a bad list or a step out of range. */
static bool parse_smaps_at(const char *s, unsigned char *at, size_t n_ops)
{
    const char *p = s;
    while (p && *p) {
        char *end;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || (*end && *end != ',') || v < 1 || v > n_ops || *p == '-') {
            fprintf(stderr, "heapsim real: --smaps-at wants step numbers 1..%zu separated by "
                    "commas, got '%s'\n", n_ops, s);
            return false;
        }
        at[v - 1] = 1;
        p = *end ? end + 1 : end;
    }
    return true;
}

int hs_cmd_real(int argc, char **argv)
{
    const char *path = NULL;
    struct real_out o = {0};
    hs_real_opts opts = {.replayer = hs_app_replayer()};
    bool smaps = false, glibc_given = false, allocator_given = false;
    const char *smaps_at = NULL, *allocator = "glibc";
    uint32_t sample_asked = 0;
    static char preload[4096];
    char amsg[512];
    hs_profile profile = hs_app_default_profile();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(REAL_USAGE, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--jsonl")) o.jsonl = true;
        else if (!strcmp(argv[i], "--pages")) o.pages = true;
        else if (!strcmp(argv[i], "--smaps")) smaps = true;
        else if (!strcmp(argv[i], "--smaps-at")) {
            if (i + 1 >= argc) {
                fputs("heapsim real: --smaps-at wants a list of steps (N,M,...)\n", stderr);
                return 2;
            }
            smaps_at = argv[++i];
        } else if (!strcmp(argv[i], "--allocator")) {
            allocator = i + 1 < argc ? argv[++i] : "";
            allocator_given = true;
            int arc = hs_app_allocator(allocator, preload, sizeof preload, amsg, sizeof amsg);
            if (arc != 0) {
                fprintf(stderr, "heapsim real: %s\n", amsg);
                return arc == -1 ? 2 : 3;
            }
        }
        else if (!strcmp(argv[i], "--sample")) {
            if (!hs_parse_sample("real", i + 1 < argc ? argv[++i] : NULL, &sample_asked))
                return 2;
        } else if (!strcmp(argv[i], "--timeout")) {
            if (!hs_parse_seconds("--timeout", i + 1 < argc ? argv[++i] : NULL, &opts.timeout_s))
                return 2;
        } else if (!strcmp(argv[i], "--glibc")) {
            if (hs_app_glibc_profile("real", i + 1 < argc ? argv[++i] : NULL, &profile) != 0)
                return 2;
            glibc_given = true;
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
    if (o.jsonl) hs_app_big_stdout();   /* a step line per op (before any output) */
    if (preload[0] && glibc_given) {
        fprintf(stderr, "heapsim real: --allocator and --glibc cannot go together (another "
                "allocator replaces the malloc of this machine's glibc)\n");
        return 2;
    }
    static hs_app_glibc g;
    char gmsg[1024];
    if (hs_app_glibc_real(profile, &g, gmsg, sizeof gmsg) != 0) {
        fprintf(stderr, "heapsim real: %s\n", gmsg);
        return 3;
    }
    opts.preload = preload[0] ? preload : NULL;
    o.glibc_malloc = !preload[0];
    opts.ldso = g.ldso[0] ? g.ldso : NULL;
    opts.libpath = g.libpath;
    opts.replayer = g.replayer[0] ? g.replayer : hs_app_replayer();
    o.mi_int = !hs_profile_has_mallinfo2(profile);
    hs_trace t;
    if (hs_app_load(path, &t) != 0) return 2;
    o.t = &t;
    unsigned char *at = NULL;
    if (smaps || smaps_at) {
        at = calloc(t.n_ops ? t.n_ops : 1, 1);
        if (!at) {
            fputs("heapsim real: out of memory\n", stderr);
            hs_trace_free(&t);
            return 3;
        }
        if (smaps_at && !parse_smaps_at(smaps_at, at, t.n_ops)) {
            free(at);
            hs_trace_free(&t);
            return 2;
        }
        if (!smaps_at && t.n_ops > SMAPS_EVERY_MAX) {
            fprintf(stderr, "heapsim real: --smaps after every step wants a trace of at most %d "
                    "ops (this one has %zu): choose steps with --smaps-at N,M\n",
                    SMAPS_EVERY_MAX, t.n_ops);
            free(at);
            hs_trace_free(&t);
            return 2;
        }
        if (!smaps_at) memset(at, 1, t.n_ops);
    }
    opts.smaps_at = at;
    opts.on_extra = on_extra;
    opts.want_maps = allocator_given || at;   /* a /proc/self/maps read per step: asked for */
    o.want_maps = opts.want_maps;
    opts.sample = o.sample = hs_app_sample("real", &t, sample_asked);
    opts.info = &o.info;
    if (!o.jsonl) {
        printf("%s — real glibc %s%s (%s)\n", t.title ? t.title : path,
               g.ldso[0] ? hs_profile_version(profile) : hs_app_machine_glibc(),
               g.ldso[0] ? ", from the cache" : ", this machine's", path);
        if (o.mi_int)
            printf("(mallinfo: mallinfo(), int fields wrapped to 32 bits; there is no mallinfo2)\n");
        if (!o.glibc_malloc)
            printf("allocator: %s (%s preloaded); ptr, brk, RSS (heap + mmapped chunks), "
                   "mmapped and mallinfo are null:\n  they read glibc's own heap, which %s "
                   "does not use; RES is the process's RSS (statm), faults its minor faults\n",
                   allocator, preload, allocator);
        hs_trace no_thr = t;   /* threads are real here: on_threads says so, not the model's note */
        no_thr.op_thread = NULL;
        hs_print_trace_notes(stdout, &no_thr);
        {
            char head[256];
            FILE *m = fmemopen(head, sizeof head, "w");
            if (m) {
                hs_print_table_head(m);
                fputc('\0', m);
                fclose(m);
                head[sizeof head - 1] = '\0';
                char *nl = strchr(head, '\n');
                if (nl) *nl = '\0';
                printf("%s %9s %9s %5s\n", head, "ns", "RES KiB", "maps");
            } else {
                hs_print_table_head(stdout);
            }
        }
    }
    if (o.pages) opts.on_pages = on_pages;
    opts.on_threads = on_threads;
    opts.on_arenas = on_arenas;
    char msg[512];
    int rc = hs_real_run(&t, &opts, on_step, &o, msg, sizeof msg);
    free(at);
    if (rc == 0) {
        /* the allocator the replayer really ran: the one asked for, or an error */
        const char *lib = o.info.malloc_lib[0] ? o.info.malloc_lib : "the replayer itself";
        bool right = hs_app_allocator_is(&o.info, preload);
        fprintf(o.jsonl ? stderr : stdout, "%smalloc resolved to %s (%s)\n",
                o.jsonl ? "heapsim real: " : "", lib, o.info.glibc_malloc ? "glibc" : allocator);
        if (!right) {
            snprintf(msg, sizeof msg, "asked for %s, but the replayer's malloc is %s's (%s)",
                     allocator, o.info.glibc_malloc ? "glibc" : "another allocator", lib);
            rc = -1;
        }
    }
    if (o.sample > 1) {   /* sampled: how many steps carry measures */
        if (o.jsonl)
            fprintf(stderr, "heapsim real: %llu of %llu steps measured (the others: \"measured\": "
                    "false, their measures null); mallinfo2 on %llu of them (the others: "
                    "\"mallinfo_measured\": false)\n", (unsigned long long)o.measured,
                    (unsigned long long)o.steps, (unsigned long long)(o.measured - o.mi_skipped));
        else
            printf("%llu of %llu steps measured (the others show - for brk, RSS, faults and "
                   "mmapped); mallinfo2 on %llu of them\n", (unsigned long long)o.measured,
                   (unsigned long long)o.steps, (unsigned long long)(o.measured - o.mi_skipped));
    }
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
    free(o.both);
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
