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

/* Writes s as a JSON string literal (quotes included).  Never fails (stdio
 * errors show in ferror). */
void hs_print_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':  fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20) fprintf(f, "\\u%04x", *p);
            else fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void json_u64(FILE *f, const char *key, bool has, uint64_t v)
{
    if (has) fprintf(f, ",\"%s\":%llu", key, (unsigned long long)v);
    else fprintf(f, ",\"%s\":null", key);
}

static void json_i64(FILE *f, const char *key, bool has, int64_t v)
{
    if (has) fprintf(f, ",\"%s\":%lld", key, (long long)v);
    else fprintf(f, ",\"%s\":null", key);
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
    fprintf(f, "{\"step\":%u,\"op\":", st->step);
    hs_print_json_str(f, op ? hs_op_name(op->kind) : "?");
    fputs(",\"id\":", f);
    if (op && op->id != HS_NO_ID) hs_print_json_str(f, t->ids[op->id]);
    else fputs("null", f);
    json_u64(f, "ptr", st->has & HS_HAS_PTR, st->ptr);
    if (st->has & HS_HAS_MMAPPED) fprintf(f, ",\"mmapped\":%s", st->mmapped ? "true" : "false");
    else fputs(",\"mmapped\":null", f);
    json_u64(f, "chunk", st->has & HS_HAS_CHUNK, st->chunk);
    json_u64(f, "brk", m, st->brk);
    json_u64(f, "mmaps", m, st->mmaps);
    json_u64(f, "mmapped_bytes", m, st->mmapped_bytes);
    json_i64(f, "mmap_threshold", st->has & HS_HAS_THRESH, st->mmap_threshold);
    json_i64(f, "trim_threshold", st->has & HS_HAS_THRESH, st->trim_threshold);
    json_u64(f, "rss", m, st->rss);
    if (st->has & HS_HAS_RSS_ANON) json_i64(f, "rss_anon", true, st->rss_anon);
    json_u64(f, "minflt", m || (st->has & HS_HAS_MINFLT), st->minflt);
    if (m && (st->has & HS_HAS_MALLINFO)) {
        const hs_mallinfo *mi = &st->mi;
        fprintf(f, ",\"mallinfo\":{\"arena\":%llu,\"ordblks\":%llu,\"smblks\":%llu,"
                   "\"hblks\":%llu,\"hblkhd\":%llu,\"uordblks\":%llu,\"fordblks\":%llu,"
                   "\"fsmblks\":%llu,\"keepcost\":%llu}",
                (unsigned long long)mi->arena, (unsigned long long)mi->ordblks,
                (unsigned long long)mi->smblks, (unsigned long long)mi->hblks,
                (unsigned long long)mi->hblkhd, (unsigned long long)mi->uordblks,
                (unsigned long long)mi->fordblks, (unsigned long long)mi->fsmblks,
                (unsigned long long)mi->keepcost);
    } else {
        fputs(",\"mallinfo\":null", f);
    }
    if (st->has & HS_HAS_ARENA) fprintf(f, ",\"arena\":%u", st->arena);
    if (m && (st->has & HS_HAS_ARENAS)) {           /* docs/trace-format.md: arenas */
        uint32_t n = st->n_arenas < HS_STEP_ARENAS_MAX ? st->n_arenas : HS_STEP_ARENAS_MAX;
        fputs(",\"arenas\":[", f);
        for (uint32_t i = 0; i < n; i++)
            fprintf(f, "%s{\"system\":%llu,\"in_use\":%llu}", i ? "," : "",
                    (unsigned long long)st->arenas[i].system, (unsigned long long)st->arenas[i].in_use);
        fputs("]", f);
    }
    if (extra && *extra) fputs(extra, f);
    if (st->has & HS_HAS_ERROR) {
        fputs(",\"error\":", f);
        hs_print_json_str(f, st->error);
    }
    fputs("}\n", f);
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
