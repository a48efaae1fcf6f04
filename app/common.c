/* app/common.c — what the subcommands share: loading with messages, step lines.
 * Owns: the heapsim-steps/1 JSON printer and the step table (paths: app/paths.c). */
#include "app.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Loads the trace named by arg (a file, or a lesson name: app/paths.c) into
 * *t; on error prints the loader's message (already in the contract's
 * FILE:LINE: form) or the lookup's, and returns 2, with *t left empty. */
int hs_app_load(const char *arg, hs_trace *t)
{
    hs_trace_error err;
    char path[PATH_MAX];
    memset(t, 0, sizeof *t);
    if (hs_app_trace_path(arg, path, sizeof path) != 0) return 2;
    if (hs_trace_load(path, t, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    return 0;
}

/* See app.h. */
void hs_app_big_stdout(void)
{
    static char buf[1u << 20];   /* stdout's until exit */
    if (!isatty(STDOUT_FILENO)) setvbuf(stdout, buf, _IOFBF, sizeof buf);
}

/* ---- the step line, built in one buffer per line ----
 * Printing a step field by field with fprintf was a fifth of `heapsim real
 * --jsonl`'s time: the line is built here with hand-written integer
 * formatting and goes out with one fwrite (flushed early only for a line
 * longer than the buffer: long ids, many arenas). */

typedef struct jline {
    FILE *f;
    size_t len;
    char buf[4096];
} jline;

/* Makes room for n more bytes (n <= sizeof buf) by writing out what is
 * built so far.  Never fails (stdio errors show in ferror). */
static inline void jl_room(jline *j, size_t n)
{
    if (__builtin_expect(j->len + n > sizeof j->buf, 0)) {
        fwrite(j->buf, 1, j->len, j->f);
        j->len = 0;
    }
}

/* jl_put's way for a piece that does not fit what is left of the buffer. */
static void jl_put_long(jline *j, const char *s, size_t n)
{
    while (n > 0) {
        jl_room(j, n < sizeof j->buf ? n : sizeof j->buf);
        size_t k = sizeof j->buf - j->len;
        if (k > n) k = n;
        memcpy(j->buf + j->len, s, k);
        j->len += k;
        s += k;
        n -= k;
    }
}

/* Appends n bytes (a literal's length is known here: the copy is inlined). */
static inline void jl_put(jline *j, const char *s, size_t n)
{
    if (__builtin_expect(j->len + n <= sizeof j->buf, 1)) {
        memcpy(j->buf + j->len, s, n);
        j->len += n;
    } else {
        jl_put_long(j, s, n);
    }
}

#define JL_LIT(j, lit) jl_put((j), (lit), sizeof(lit) - 1)

/* See app.h.  Two digits per division: a step line has some twenty numbers. */
size_t hs_fmt_u64(char *out, uint64_t v)
{
    static const char pairs[201] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    char tmp[20];
    size_t n = sizeof tmp;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        tmp[--n] = pairs[d + 1];
        tmp[--n] = pairs[d];
    }
    if (v >= 10) {
        tmp[--n] = pairs[v * 2 + 1];
        tmp[--n] = pairs[v * 2];
    } else {
        tmp[--n] = (char)('0' + v);
    }
    memcpy(out, tmp + n, sizeof tmp - n);
    return sizeof tmp - n;
}

/* See app.h. */
size_t hs_fmt_i64(char *out, int64_t v)
{
    if (v >= 0) return hs_fmt_u64(out, (uint64_t)v);
    out[0] = '-';
    return 1 + hs_fmt_u64(out + 1, (uint64_t)0 - (uint64_t)v);
}

static void jl_u64(jline *j, uint64_t v)
{
    jl_room(j, 20);
    j->len += hs_fmt_u64(j->buf + j->len, v);
}

static void jl_i64(jline *j, int64_t v)
{
    jl_room(j, 21);
    j->len += hs_fmt_i64(j->buf + j->len, v);
}

/* ,"key": then the value, or null when has is false. */
#define JL_U64(j, key, has, v) \
    do { JL_LIT((j), ",\"" key "\":"); \
         if (has) jl_u64((j), (v)); else JL_LIT((j), "null"); } while (0)
#define JL_I64(j, key, has, v) \
    do { JL_LIT((j), ",\"" key "\":"); \
         if (has) jl_i64((j), (v)); else JL_LIT((j), "null"); } while (0)

/* s as a JSON string literal, quotes included: ", \ and the control
 * characters escaped (\n, \r, \t, else \u00XX), every other byte as it is. */
static void jl_str(jline *j, const char *s)
{
    JL_LIT(j, "\"");
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        const unsigned char *q = p;
        while (*q >= 0x20 && *q != '"' && *q != '\\') q++;
        jl_put(j, (const char *)p, (size_t)(q - p));
        if (!*q) break;
        char esc[8];
        switch (*q) {
        case '"':  memcpy(esc, "\\\"", 3); break;
        case '\\': memcpy(esc, "\\\\", 3); break;
        case '\n': memcpy(esc, "\\n", 3); break;
        case '\r': memcpy(esc, "\\r", 3); break;
        case '\t': memcpy(esc, "\\t", 3); break;
        default:   snprintf(esc, sizeof esc, "\\u%04x", *q);
        }
        jl_put(j, esc, strlen(esc));
        p = q + 1;
    }
    JL_LIT(j, "\"");
}

/* Writes s as a JSON string literal (quotes included), as a step line has
 * it (jl_str).  Never fails (stdio errors show in ferror). */
void hs_print_json_str(FILE *f, const char *s)
{
    jline j;
    j.f = f;
    j.len = 0;
    jl_str(&j, s);
    fwrite(j.buf, 1, j.len, f);
}

/* One step line, fields in the contract's order.  Never fails (stdio errors
 * are caught by the caller's final fflush/ferror). */
void hs_print_step_json(FILE *f, const hs_trace *t, const hs_step *st)
{
    hs_print_step_json_with(f, t, st, NULL);
}

void hs_print_step_json_with(FILE *f, const hs_trace *t, const hs_step *st, const char *extra)
{
    const hs_op *op = (st->step >= 1 && st->step <= t->n_ops) ? &t->ops[st->step - 1] : NULL;
    bool m = st->has & HS_HAS_MEASURES;
    jline j;
    j.f = f;
    j.len = 0;
    JL_LIT(&j, "{\"step\":");
    jl_u64(&j, st->step);
    JL_LIT(&j, ",\"op\":");
    jl_str(&j, op ? hs_op_name(op->kind) : "?");
    JL_LIT(&j, ",\"id\":");
    if (op && op->id != HS_NO_ID) jl_str(&j, t->ids[op->id]);
    else JL_LIT(&j, "null");
    JL_U64(&j, "ptr", st->has & HS_HAS_PTR, st->ptr);
    if (!(st->has & HS_HAS_MMAPPED)) JL_LIT(&j, ",\"mmapped\":null");
    else if (st->mmapped) JL_LIT(&j, ",\"mmapped\":true");
    else JL_LIT(&j, ",\"mmapped\":false");
    JL_U64(&j, "chunk", st->has & HS_HAS_CHUNK, st->chunk);
    if (!m && !(st->has & (HS_HAS_THRESH | HS_HAS_RSS_ANON | HS_HAS_MINFLT | HS_HAS_MALLINFO)) &&
        (st->has & HS_HAS_UNMEASURED)) {
        /* a step real mode did not measure (the most common line of a long
         * replay): the fields below, all null, in one piece */
        JL_LIT(&j, ",\"brk\":null,\"mmaps\":null,\"mmapped_bytes\":null,\"mmap_threshold\":null,"
                   "\"trim_threshold\":null,\"rss\":null,\"minflt\":null,\"mallinfo\":null,"
                   "\"measured\":false");
        goto after_mallinfo;
    }
    JL_U64(&j, "brk", m, st->brk);
    JL_U64(&j, "mmaps", m, st->mmaps);
    JL_U64(&j, "mmapped_bytes", m, st->mmapped_bytes);
    JL_I64(&j, "mmap_threshold", st->has & HS_HAS_THRESH, st->mmap_threshold);
    JL_I64(&j, "trim_threshold", st->has & HS_HAS_THRESH, st->trim_threshold);
    JL_U64(&j, "rss", m, st->rss);
    if (st->has & HS_HAS_RSS_ANON) JL_I64(&j, "rss_anon", true, st->rss_anon);
    JL_U64(&j, "minflt", m || (st->has & HS_HAS_MINFLT), st->minflt);
    if (m && (st->has & HS_HAS_MALLINFO)) {
        /* the nine fields in hs_mallinfo's (the contract's) order */
#define MI_KEY(k) { k, sizeof(k) - 1 }
        static const struct { const char *s; size_t n; } key[9] = {
            MI_KEY(",\"mallinfo\":{\"arena\":"), MI_KEY(",\"ordblks\":"), MI_KEY(",\"smblks\":"),
            MI_KEY(",\"hblks\":"), MI_KEY(",\"hblkhd\":"), MI_KEY(",\"uordblks\":"),
            MI_KEY(",\"fordblks\":"), MI_KEY(",\"fsmblks\":"), MI_KEY(",\"keepcost\":")};
#undef MI_KEY
        const uint64_t *mi = &st->mi.arena;
        for (int i = 0; i < 9; i++) {
            jl_put(&j, key[i].s, key[i].n);
            jl_u64(&j, mi[i]);
        }
        JL_LIT(&j, "}");
    } else {
        JL_LIT(&j, ",\"mallinfo\":null");
    }
    /* docs/trace-format.md: mallinfo_measured, present only when false */
    if (st->has & HS_HAS_MI_UNMEASURED) JL_LIT(&j, ",\"mallinfo_measured\":false");
    /* docs/trace-format.md: measured, present only when false */
    if (st->has & HS_HAS_UNMEASURED) JL_LIT(&j, ",\"measured\":false");
after_mallinfo:
    if (st->has & HS_HAS_ARENA) {
        JL_LIT(&j, ",\"arena\":");
        jl_u64(&j, st->arena);
    }
    if (m && (st->has & HS_HAS_ARENAS)) {           /* docs/trace-format.md: arenas */
        uint32_t n = st->n_arenas < HS_STEP_ARENAS_MAX ? st->n_arenas : HS_STEP_ARENAS_MAX;
        JL_LIT(&j, ",\"arenas\":[");
        for (uint32_t i = 0; i < n; i++) {
            if (i) JL_LIT(&j, ",");
            JL_LIT(&j, "{\"system\":");
            jl_u64(&j, st->arenas[i].system);
            JL_LIT(&j, ",\"in_use\":");
            jl_u64(&j, st->arenas[i].in_use);
            JL_LIT(&j, "}");
        }
        JL_LIT(&j, "]");
    }
    if (extra && *extra) jl_put(&j, extra, strlen(extra));
    if (st->has & HS_HAS_ERROR) {
        JL_LIT(&j, ",\"error\":");
        jl_str(&j, st->error);
    }
    JL_LIT(&j, "}\n");
    fwrite(j.buf, 1, j.len, f);
}

void hs_print_table_head(FILE *f)
{
    fprintf(f, "%5s  %-34s %10s %10s %9s %7s %8s\n",
            "step", "call", "ptr", "brk", "RSS KiB", "faults", "mmapped");
}

/* Formats v as hex into buf, or a dash when the field is null. */
static const char *hexor(char *buf, size_t n, bool has, uint64_t v)
{
    if (!has) return "-";
    snprintf(buf, n, "0x%llx", (unsigned long long)v);
    return buf;
}

void hs_print_table_row(FILE *f, const hs_trace *t, const hs_step *st)
{
    char call[256], pb[32], bb[32], rss[32], flt[32], mm[32];
    const hs_op *op = (st->step >= 1 && st->step <= t->n_ops) ? &t->ops[st->step - 1] : NULL;
    if (op) hs_op_format(t, op, call, sizeof call);
    else snprintf(call, sizeof call, "?");
    if (strlen(call) > 34) strcpy(call + 31, "...");
    bool m = st->has & HS_HAS_MEASURES;
    const char *ptr;
    bool returns = op && hs_op_returns_ptr(op->kind);
    if (st->has & HS_HAS_PTR) ptr = hexor(pb, sizeof pb, true, st->ptr);
    else if ((st->has & HS_HAS_MMAPPED) && st->mmapped) ptr = "mmap";
    else if (returns && m) ptr = "NULL";
    else ptr = "-";
    snprintf(rss, sizeof rss, "%llu", (unsigned long long)(st->rss / 1024));
    snprintf(flt, sizeof flt, "%llu", (unsigned long long)st->minflt);
    snprintf(mm, sizeof mm, "%llu", (unsigned long long)st->mmaps);
    fprintf(f, "%5u  %-34s %10s %10s %9s %7s %8s\n", st->step, call, ptr,
            hexor(bb, sizeof bb, m, st->brk), m ? rss : "-",
            m || (st->has & HS_HAS_MINFLT) ? flt : "-", m ? mm : "-");
    if (st->has & HS_HAS_ERROR)
        fprintf(f, "       glibc aborts: %s\n", st->error);
}

/* See app.h. */
void hs_print_trace_notes(FILE *f, const hs_trace *t)
{
    if (t->touch_rule)
        fprintf(f, "  note: touch rule: %s\n", t->touch_rule);
    if (t->truncated)
        fputs("  note: truncated: the recording stops before the recorded process's end (killed? "
              "a full disk?); the trace stops at its last recorded call\n", f);
    if (t->settings)
        fprintf(f, "  note: recorded with allocator settings %s\n", t->settings);
}

/* See app.h. */
int hs_rec_ptr_agrees(const hs_trace *t, const hs_step *st)
{
    if (t->op_rec_ptr == NULL || st->step < 1 || st->step > t->n_ops)
        return -1;
    uint64_t r = t->op_rec_ptr[st->step - 1];
    if (r == HS_REC_PTR_NONE || (st->has & HS_HAS_ERROR))
        return -1;
    if (r == HS_REC_PTR_MMAPPED)
        return (st->has & HS_HAS_MMAPPED) && st->mmapped;
    if (r == HS_REC_PTR_NULL)
        return !(st->has & HS_HAS_PTR) && !((st->has & HS_HAS_MMAPPED) && st->mmapped);
    return (st->has & HS_HAS_PTR) && st->ptr == r;
}

/* See app.h. */
const char *hs_op_caller(const hs_trace *t, size_t i)
{
    if (t->op_caller == NULL || i >= t->n_ops)
        return NULL;
    return hs_trace_str(t, t->op_caller[i]);
}
