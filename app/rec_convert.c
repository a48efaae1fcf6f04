/* app/rec_convert.c — turning one recorder log (recorder/rec_log.h) into a heapsim-trace/1 file.
 * Owns: ids from address lifetimes, recorded offsets, thread names, callers, the program's allocator settings as ops. */
#include "rec_convert.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "symbolize.h"
#include "../import/import.h"
#include "../recorder/rec_log.h"

/* The one touch rule of recorded traces (docs/trace-format.md). */
const char HS_REC_TOUCH_RULE[] =
    "every block is written in full right after it is allocated: the program's own writes are not "
    "recorded, so replayed RSS and faults follow this rule, not the recorded program; "
    "returned offsets, the break and the mappings do not depend on it";

/* ---- the conversion ---- */

typedef struct conv {
    const hs_rec_header *h;
    const uint64_t *tail;     /* the stream appended after the ring */
    uint64_t tail_words;      /* its words the log holds */
    const uint64_t *ring;     /* the ring, NULL when stale (rec_log.h) */
    uint64_t ring_words;
    uint64_t n;               /* complete call records */
    hs_addr_ids ids;          /* ids from address lifetimes (import/ids.c) */
    /* threads other than the main one, in the order of their first call:
     * thread i + 1 ("T<i+1>") had kernel id tids[i] and has ended when
     * ended[i] (an exit record: a later call with that id is a new thread) */
    uint32_t *tids;
    uint8_t *ended;
    size_t n_tids, tids_cap;
    uint32_t last_tid;        /* the thread of the last call looked up, */
    int last_no;              /* and its number (0: none cached) */
    int cur_no;               /* the thread number of the call being written (0: main) */
    uint64_t exits;           /* thread_exit ops written */
    int is_main;              /* the program's own trace (hs_rec_convert) */
    hs_sym *sym;
    hs_tw w;
    hs_rec_stats *st;
} conv;

/* Walks the log's stream (the tail, then the ring) from its start, calling
 * fn on each call record and each thread's end (kind HS_REC_THREAD with
 * HS_REC_F_EXIT) until fn returns nonzero or the stream ends (its
 * first zero, unknown or cut record).  Returns fn's nonzero value, else 0;
 * *calls gets the calls walked. */
static int walk(const conv *c, int (*fn)(conv *, const hs_rec *), conv *arg, uint64_t *calls)
{
    hs_rec_cursor cur;
    hs_rec r;
    memset(&cur, 0, sizeof cur);
    cur.n_callers = c->h->n_callers;
    cur.tid = c->h->pid;
    cur.brk0 = c->h->brk0;
    *calls = 0;
    for (int part = 0; part < 2; part++) {
        const uint64_t *w = part == 0 ? c->tail : c->ring;
        uint64_t n = part == 0 ? c->tail_words : c->ring_words, k;
        if (w == NULL)
            break;
        while ((k = hs_rec_decode(w, n, &cur, &r)) > 0) {
            w += k;
            n -= k;
            if (r.kind >= HS_REC_KIND_COUNT && !(r.kind == HS_REC_THREAD && (r.flags & HS_REC_F_EXIT)))
                continue;
            if (r.kind < HS_REC_KIND_COUNT)
                (*calls)++;
            int rc = fn ? fn(arg, &r) : 0;
            if (rc)
                return rc;
        }
        if (part == 0 && n > 0)    /* the tail ends early: the log ends there */
            break;
    }
    return 0;
}

/* The number of the thread (1 for "T1", ...; 0 for the main thread) of a
 * call by kernel thread id tid: the newest thread with that id that has
 * not ended, else a new one.  With end, tid's thread ends instead and its
 * number is returned (0 when it has none: no call of it was recorded).
 * The same sequence of calls numbers the same threads on every walk
 * (thread_reset starts one).  Returns -1 when out of memory. */
static int thread_no(conv *c, uint32_t tid, int end)
{
    if (tid == c->h->pid)
        return 0;
    if (!end && c->last_no > 0 && tid == c->last_tid)
        return c->last_no;
    size_t i = c->n_tids;
    while (i > 0 && c->tids[i - 1] != tid)
        i--;
    if (end) {
        c->last_no = 0;
        if (i == 0 || c->ended[i - 1])
            return 0;
        c->ended[i - 1] = 1;
        return (int)i;
    }
    if (i == 0 || c->ended[i - 1]) {
        if (c->n_tids == c->tids_cap) {
            size_t nc = c->tids_cap ? c->tids_cap * 2 : 16;
            uint32_t *nt = realloc(c->tids, nc * sizeof *nt);
            if (nt == NULL)
                return -1;
            c->tids = nt;
            uint8_t *ne = realloc(c->ended, nc);
            if (ne == NULL)
                return -1;
            c->ended = ne;
            c->tids_cap = nc;
        }
        c->tids[c->n_tids] = tid;
        c->ended[c->n_tids] = 0;
        i = ++c->n_tids;
    }
    c->last_tid = tid;
    c->last_no = (int)i;
    return (int)i;
}

/* Starts numbering threads again (a new walk over the same stream). */
static void thread_reset(conv *c)
{
    c->n_tids = 0;
    c->last_no = 0;
}

/* The glibc mallopt number as the trace's param, or -1. */
static int param_of(int64_t glibc)
{
    switch (glibc) {
    case HS_GLIBC_M_MXFAST:         return HS_M_MXFAST;
    case HS_GLIBC_M_TRIM_THRESHOLD: return HS_M_TRIM_THRESHOLD;
    case HS_GLIBC_M_TOP_PAD:        return HS_M_TOP_PAD;
    case HS_GLIBC_M_MMAP_THRESHOLD: return HS_M_MMAP_THRESHOLD;
    case HS_GLIBC_M_MMAP_MAX:       return HS_M_MMAP_MAX;
    case HS_GLIBC_M_PERTURB:        return HS_M_PERTURB;
    case HS_GLIBC_M_ARENA_TEST:     return HS_M_ARENA_TEST;
    case HS_GLIBC_M_ARENA_MAX:      return HS_M_ARENA_MAX;
    default:                        return -1;
    }
}

/* The trace's param for one allocator setting of the environment (an
 * env alias or a glibc.malloc tunable), or -1 for one no op expresses. */
static int param_of_setting(const char *name)
{
    static const struct { const char *name; int param; } tab[] = {
        {"MALLOC_TOP_PAD_", HS_M_TOP_PAD}, {"MALLOC_PERTURB_", HS_M_PERTURB},
        {"MALLOC_MMAP_THRESHOLD_", HS_M_MMAP_THRESHOLD}, {"MALLOC_TRIM_THRESHOLD_", HS_M_TRIM_THRESHOLD},
        {"MALLOC_MMAP_MAX_", HS_M_MMAP_MAX}, {"MALLOC_ARENA_MAX", HS_M_ARENA_MAX},
        {"MALLOC_ARENA_TEST", HS_M_ARENA_TEST},
        {"glibc.malloc.top_pad", HS_M_TOP_PAD}, {"glibc.malloc.perturb", HS_M_PERTURB},
        {"glibc.malloc.mmap_threshold", HS_M_MMAP_THRESHOLD},
        {"glibc.malloc.trim_threshold", HS_M_TRIM_THRESHOLD},
        {"glibc.malloc.mmap_max", HS_M_MMAP_MAX}, {"glibc.malloc.arena_max", HS_M_ARENA_MAX},
        {"glibc.malloc.arena_test", HS_M_ARENA_TEST}, {"glibc.malloc.mxfast", HS_M_MXFAST},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(name, tab[i].name) == 0)
            return tab[i].param;
    return -1;
}

/* A setting's value as glibc's tunables read it (decimal or 0x hex, in
 * an int).  Returns 0, or -1 when it is not one. */
static int setting_value(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (errno || end == s || *end || v < -2147483648LL || v > 2147483647LL)
        return -1;
    *out = v;
    return 0;
}

/* Emits one mallopt op for a setting, or counts it as not replayed. */
static void one_setting(conv *c, const char *name, const char *value, const char *origin)
{
    int p = param_of_setting(name);
    int64_t v;
    if (p < 0 || setting_value(value, &v) < 0) {
        if (strncmp(name, "glibc.", 6) == 0 || strncmp(name, "MALLOC_", 7) == 0) {
            if (c->is_main)
                fprintf(stderr, "heapsim record: %s%s=%s is not replayed (no mallopt op expresses it)\n",
                        origin, name, value);
            c->st->settings_dropped++;
        }
        return;
    }
    fprintf(hs_tw_op(&c->w), "{\"op\":\"mallopt\",\"param\":\"%s\",\"value\":%lld,\"note\":\"from %s%s=%s\"}",
            hs_param_name(p), (long long)v, origin, name, value);
    c->st->settings_ops++;
}

/* The program's environment settings as mallopt ops, in the order glibc
 * applies them: env aliases, then GLIBC_TUNABLES (whose values win). */
static void emit_settings(conv *c)
{
    const char *s = c->h->settings;
    const char *end = c->h->settings + sizeof c->h->settings;
    char buf[HS_REC_SETTINGS];
    for (int pass = 0; pass < 2; pass++) {
        for (const char *p = s; p < end && *p; p += strnlen(p, (size_t)(end - p)) + 1) {
            size_t len = strnlen(p, (size_t)(end - p));
            if (len >= sizeof buf)
                break;
            memcpy(buf, p, len);
            buf[len] = 0;
            char *eq = strchr(buf, '=');
            if (eq == NULL)
                continue;
            *eq = 0;
            int tun = strcmp(buf, "GLIBC_TUNABLES") == 0;
            if (pass == 0 && !tun) {
                one_setting(c, buf, eq + 1, "");
            } else if (pass == 1 && tun) {
                char *save = NULL;
                for (char *t = strtok_r(eq + 1, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
                    char *e2 = strchr(t, '=');
                    if (e2 == NULL)
                        continue;
                    *e2 = 0;
                    one_setting(c, t, e2 + 1, "GLIBC_TUNABLES ");
                }
            }
        }
    }
}

/* The recorded settings as one readable string for the header, in buf. */
static void settings_text(const hs_rec_header *h, char *buf, size_t n)
{
    const char *end = h->settings + sizeof h->settings;
    size_t o = 0;
    buf[0] = 0;
    for (const char *p = h->settings; p < end && *p; p += strnlen(p, (size_t)(end - p)) + 1) {
        int w = snprintf(buf + o, n - o, "%s%.*s", o ? " " : "", (int)strnlen(p, (size_t)(end - p)), p);
        if (w < 0 || (size_t)w >= n - o)
            break;
        o += (size_t)w;
    }
}

/* Writes the optional fields every op shares: ptr, thread, caller. */
static void op_tail(conv *c, FILE *f, const hs_rec *r, int returns)
{
    if (returns && (r->flags & HS_REC_F_DONE)) {
        if (r->ret == 0)
            fputs(",\"ptr\":null", f);
        else if (r->flags & HS_REC_F_MMAPPED)
            fputs(",\"ptr\":\"mmap\"", f);
        else if (!(r->flags & HS_REC_F_ARENA) && r->ret >= c->h->brk0)
            fprintf(f, ",\"ptr\":%" PRIu64, r->ret - c->h->brk0);
    }
    int t = c->cur_no;
    if (t > 0) {
        fprintf(f, ",\"thread\":\"T%d\"", t);
        c->st->threaded_ops++;
    }
    if (c->h->n_callers > 0 && c->sym != NULL) {
        const uint64_t *cs = r->callers;
        char buf[2048];
        size_t o = 0;
        buf[0] = 0;
        for (uint32_t i = 0; i < c->h->n_callers && cs[i] != 0; i++) {
            const char *name = hs_sym_name(c->sym, cs[i]);
            int w = snprintf(buf + o, sizeof buf - o, "%s%s", o ? " < " : "", name ? name : "?");
            if (w < 0 || (size_t)w >= sizeof buf - o)
                break;
            o += (size_t)w;
        }
        if (o > 0) {
            fputs(",\"caller\":", f);
            hs_print_json_str(f, buf);
        }
    }
    fputc('}', f);
}

/* Starts an op that binds a fresh id to r->ret.  Returns the FILE, or
 * NULL when out of memory. */
static FILE *bind(conv *c, const hs_rec *r, const char *op)
{
    uint32_t id = hs_ids_bind(&c->ids, r->ret);
    if (id == 0)
        return NULL;
    FILE *f = hs_tw_op(&c->w);
    fprintf(f, "{\"op\":\"%s\",\"id\":\"b%u\"", op, id);
    return f;
}

/* One record as ops.  Returns 0, or -1 when out of memory. */
static int one(conv *c, const hs_rec *r)
{
    FILE *f;
    uint32_t id;
    switch (r->kind) {
    case HS_REC_MALLOC:
        if ((f = bind(c, r, "malloc")) == NULL)
            return -1;
        fprintf(f, ",\"size\":%" PRIu64, r->a);
        op_tail(c, f, r, 1);
        return 0;
    case HS_REC_CALLOC:
        if ((f = bind(c, r, "calloc")) == NULL)
            return -1;
        fprintf(f, ",\"nmemb\":%" PRIu64 ",\"size\":%" PRIu64, r->a, r->b);
        op_tail(c, f, r, 1);
        return 0;
    case HS_REC_MEMALIGN:
    case HS_REC_ALIGNED_ALLOC:
    case HS_REC_POSIX_MEMALIGN:
    case HS_REC_VALLOC:
    case HS_REC_PVALLOC: {
        uint64_t align = r->a, size = r->b;
        if (r->kind == HS_REC_VALLOC || r->kind == HS_REC_PVALLOC) {
            align = 4096;                       /* GLRO(dl_pagesize) */
            size = r->a;
            if (r->kind == HS_REC_PVALLOC && size <= UINT64_MAX - 4095)
                size = (size + 4095) & ~(uint64_t)4095;
        }
        if ((f = bind(c, r, "memalign")) == NULL)
            return -1;
        fprintf(f, ",\"alignment\":%" PRIu64 ",\"size\":%" PRIu64, align, size);
        op_tail(c, f, r, 1);
        return 0;
    }
    case HS_REC_REALLOC:
        if (r->a == 0) {                        /* realloc(NULL, n) is malloc(n) */
            if ((f = bind(c, r, "malloc")) == NULL)
                return -1;
            fprintf(f, ",\"size\":%" PRIu64, r->b);
            op_tail(c, f, r, 1);
            return 0;
        }
        if ((id = hs_ids_find(&c->ids, r->a, 1)) == 0) {
            c->st->unknown_dropped++;
            return 0;
        }
        f = hs_tw_op(&c->w);
        fprintf(f, "{\"op\":\"realloc\",\"id\":\"b%u\",\"size\":%" PRIu64, id, r->b);
        if (r->b == 0) {                        /* glibc 2.36 frees: REALLOC_ZERO_BYTES_FREES */
            if (hs_ids_release(&c->ids, id) < 0)
                return -1;
        } else if (!(r->flags & HS_REC_F_DONE)) {
            /* the process died inside realloc: the last op of the log */
        } else if (hs_ids_move(&c->ids, r->ret != 0 ? r->ret : r->a, id) < 0) {
            return -1;                           /* NULL: the old block stays */
        }
        op_tail(c, f, r, 1);
        return 0;
    case HS_REC_FREE:
        if ((id = hs_ids_find(&c->ids, r->a, 1)) == 0) {
            c->st->unknown_dropped++;
            return 0;
        }
        f = hs_tw_op(&c->w);
        fprintf(f, "{\"op\":\"free\",\"id\":\"b%u\"", id);
        op_tail(c, f, r, 0);
        return hs_ids_release(&c->ids, id);
    case HS_REC_MALLOPT: {
        int p = param_of((int64_t)r->a);
        if (p < 0) {
            c->st->mallopt_dropped++;
            return 0;
        }
        f = hs_tw_op(&c->w);
        fprintf(f, "{\"op\":\"mallopt\",\"param\":\"%s\",\"value\":%" PRId64, hs_param_name(p),
                (int64_t)(int32_t)(uint32_t)r->b);
        op_tail(c, f, r, 0);
        return 0;
    }
    case HS_REC_MALLOC_TRIM:
        f = hs_tw_op(&c->w);
        fprintf(f, "{\"op\":\"malloc_trim\",\"pad\":%" PRIu64, r->a);
        op_tail(c, f, r, 0);
        return 0;
    default:
        return 0;
    }
}

/* walk: notes the threads other than the main one (thread_no).  Returns
 * 0, or -1 when out of memory. */
static int add_tid(conv *c, const hs_rec *r)
{
    return thread_no(c, r->tid, r->kind == HS_REC_THREAD) < 0 ? -1 : 0;
}

/* walk: one call as ops, or a thread's end as its thread_exit op (the
 * main thread's end is no op: the trace format has none).  Returns 0, or
 * -1 when out of memory. */
static int one_or_stop(conv *c, const hs_rec *r)
{
    int t = thread_no(c, r->tid, r->kind == HS_REC_THREAD);
    if (t < 0)
        return -1;
    if (r->kind == HS_REC_THREAD) {
        if (t > 0) {
            fprintf(hs_tw_op(&c->w), "{\"op\":\"thread_exit\",\"thread\":\"T%d\"}", t);
            c->exits++;
        }
        return 0;
    }
    c->cur_no = t;
    return one(c, r) < 0 ? -1 : 0;
}

/* See rec_convert.h. */
int hs_rec_convert(const char *log_path, const char *maps_path, const char *out_path,
                   const char *command, int execd, int is_main, hs_rec_stats *st, char *err, size_t errlen)
{
    conv c;
    memset(&c, 0, sizeof c);
    memset(st, 0, sizeof *st);
    c.st = st;
    c.is_main = is_main;
    int fd = open(log_path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        snprintf(err, errlen, "%s: cannot read the recorder's log: %s", log_path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if ((uint64_t)sb.st_size < HS_REC_HEADER_BYTES) {
        close(fd);
        snprintf(err, errlen, "%s: the recorder's log is cut short (%lld bytes)", log_path,
                 (long long)sb.st_size);
        return -1;
    }
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(err, errlen, "%s: cannot map the recorder's log: %s", log_path, strerror(errno));
        return -1;
    }
    const hs_rec_header *h = m;
    c.h = h;
    if (h->magic != HS_REC_MAGIC || h->version != HS_REC_VERSION || h->n_callers > HS_REC_MAX_CALLERS) {
        munmap(m, (size_t)sb.st_size);
        snprintf(err, errlen, "%s: not a log of this recorder (wrong magic, version or callers)", log_path);
        return -1;
    }
    /* what was appended after the ring, then the ring (recorder/rec_log.h);
     * a file cut short keeps the records it still holds */
    uint64_t size = (uint64_t)sb.st_size;
    if (h->flushed % 8 != 0 || size < (uint64_t)HS_REC_HEADER_BYTES + HS_REC_RING_BYTES) {
        munmap(m, (size_t)sb.st_size);
        snprintf(err, errlen, "%s: the recorder's log is damaged (its ring does not add up)", log_path);
        return -1;
    }
    const uint64_t *ring = (const uint64_t *)((const char *)m + HS_REC_HEADER_BYTES);
    uint64_t in_tail = (size - HS_REC_HEADER_BYTES - HS_REC_RING_BYTES) / 8;
    c.tail = ring + HS_REC_RING_BYTES / 8;
    c.tail_words = h->flushed / 8;
    if (in_tail < c.tail_words) {      /* the appended part was cut: the log ends there */
        c.tail_words = in_tail;
    } else if (ring[0] == (((uint64_t)HS_REC_RING << HS_REC_KIND_SHIFT) | (h->flushed & HS_REC_V48_MASK))) {
        c.ring = ring;                 /* the ring continues the tail (else it is stale) */
        c.ring_words = HS_REC_RING_BYTES / 8;
    }
    (void)walk(&c, NULL, NULL, &c.n);
    st->records = c.n;
    uint32_t end = execd && h->end == HS_REC_END_NONE ? HS_REC_END_EXEC : h->end;
    st->truncated = end == HS_REC_END_NONE || h->stopped;
    st->ended_exec = end == HS_REC_END_EXEC;
    st->lost = h->lost;
    st->stopped = h->stopped != 0;
    st->pid = h->pid;
    st->ppid = h->ppid;
    st->image = h->image;
    st->forked = h->forked;
    snprintf(st->exe, sizeof st->exe, "%.*s", (int)strnlen(h->exe, sizeof h->exe), h->exe);

    /* threads other than the main one, numbered in the order of their first call */
    int rc = -1;
    uint64_t walked;
    if (walk(&c, add_tid, &c, &walked) != 0)
        goto oom;
    st->threads = c.n_tids;
    if (h->n_callers > 0 && (c.sym = hs_sym_open(maps_path)) == NULL)
        goto oom;

    /* the header */
    {
        char settings[HS_REC_SETTINGS + 64];
        char *members = NULL;
        size_t mlen = 0;
        FILE *mf = open_memstream(&members, &mlen);
        if (mf == NULL)
            goto oom;
        fputs("\"title\":", mf);
        char title[800];
        const char *exe_base = strrchr(st->exe, '/');
        if (is_main)
            snprintf(title, sizeof title, "recorded: %s", command);
        else                           /* another process of the run: say which */
            snprintf(title, sizeof title, "recorded: %s: pid %u, %.200s", command, h->pid,
                     exe_base != NULL ? exe_base + 1 : st->exe);
        hs_print_json_str(mf, title);
        char desc[1600];
        snprintf(desc, sizeof desc, "heapsim record of %s (pid %u%s, %s), %" PRIu64 " calls%s%s",
                 h->exe, h->pid, h->forked ? ", a fork child" : "",
                 end == HS_REC_END_EXIT ? "ended with exit" : end == HS_REC_END__EXIT ? "ended with _exit"
                 : end == HS_REC_END_EXEC ? "ended with exec" : "did not reach exit",
                 c.n, c.n_tids ? "; threads are replayed as threads" : "",
                 h->forked ? "; it started from its parent's heap, so its offsets are not replayable" : "");
        fputs(",\"description\":", mf);
        hs_print_json_str(mf, desc);
        fputs(",\"touch_rule\":", mf);
        hs_print_json_str(mf, HS_REC_TOUCH_RULE);
        settings_text(h, settings, sizeof settings);
        if (settings[0]) {
            fputs(",\"settings\":", mf);
            hs_print_json_str(mf, settings);
        }
        if (st->truncated)
            fputs(",\"truncated\":true", mf);
        if (fclose(mf) != 0) {
            free(members);
            goto oom;
        }
        int orc = hs_tw_open(&c.w, out_path, members, err, errlen);
        free(members);
        if (orc < 0)
            goto out;
    }
    emit_settings(&c);
    thread_reset(&c);
    if (walk(&c, one_or_stop, &c, &walked) != 0) {
        hs_tw_abort(&c.w);
        goto oom;
    }
    st->ops = c.w.n_ops;
    st->thread_exits = c.exits;
    st->ids = c.ids.next;
    rc = hs_tw_commit(&c.w, err, errlen);
    goto out;
oom:
    snprintf(err, errlen, "%s: out of memory", log_path);
    rc = -1;
out:
    hs_sym_close(c.sym);
    hs_ids_free(&c.ids);
    free(c.tids);
    free(c.ended);
    munmap(m, (size_t)sb.st_size);
    return rc;
}
