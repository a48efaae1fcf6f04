/* play/text.c — the words of a step the scene draws: its label, its call, what it returned.
 * Owns: hs_view's text snapshot (label, op_text, result, note, profile_name), hs_view_label,
 * a chunk's history in words (hs_view_history). */
#include "view.h"
#include "view_internal.h"

#include <stdio.h>
#include <string.h>

/* What op `step` returned and where _edata went, into buf ("" at step 0).
 * Cannot fail. */
static void result_text(const hs_view *v, char *buf, size_t len)
{
    buf[0] = '\0';
    if (v->step == 0) return;
    const hs_step *st = &v->last;
    const hs_op *op = &v->t.ops[v->step - 1];
    char sz[32], b[64] = "";
    if (v->dead_step && v->step > v->dead_step) {
        snprintf(buf, len, "glibc already aborted at step %zu (%s): nothing after it runs",
                 v->dead_step, v->dead_msg);
        return;
    }
    if (st->has & HS_HAS_ERROR) {
        snprintf(buf, len, "glibc aborts here: %s", st->error);
        return;
    }
    if (hs_op_returns_ptr(op->kind)) {
        if ((st->has & HS_HAS_MMAPPED) && st->mmapped) {
            hs_bytes_short(st->chunk, sz, sizeof sz);
            snprintf(buf, len, "\xE2\x86\x92 an mmapped chunk of %llu bytes (%s)",
                     (unsigned long long)st->chunk, sz);
        } else if ((st->has & HS_HAS_PTR) && (st->has & HS_HAS_ARENA) && st->arena > 0) {
            /* a non-main arena's chunk: ptr is an offset in that arena's heap_info heap */
            snprintf(buf, len, "\xE2\x86\x92 arena %u's heap + 0x%llx, chunk %llu bytes", st->arena,
                     (unsigned long long)st->ptr, (unsigned long long)st->chunk);
        } else if (st->has & HS_HAS_PTR) {
            snprintf(buf, len, "\xE2\x86\x92 heap + 0x%llx, chunk %llu bytes",
                     (unsigned long long)st->ptr, (unsigned long long)st->chunk);
        } else if (st->has & HS_HAS_MEASURES) {
            snprintf(buf, len, "\xE2\x86\x92 NULL");
        }
    }
    uint64_t b0 = v->mv[v->step - 1].brk, b1 = v->mv[v->step].brk;
    if (b1 != b0) {
        hs_bytes_short(b1 > b0 ? b1 - b0 : b0 - b1, sz, sizeof sz);
        snprintf(b, sizeof b, "_edata moves %s %s", b1 > b0 ? "up" : "down", sz);
    } else if (st->has & HS_HAS_MEASURES) {
        snprintf(b, sizeof b, "_edata stays");
    }
    if (b[0]) {
        size_t k = strlen(buf);
        snprintf(buf + k, len - k, "%s%s", k ? "   \xC2\xB7   " : "", b);
    }
    /* Who made the call, and on which thread (the model and the replay run
     * a trace's threads as threads, each with its arena: sim/arena.c). */
    const hs_trace *t = &v->t;
    const char *who = t->op_caller ? hs_trace_str(t, t->op_caller[v->step - 1]) : NULL;
    const char *thr = t->op_thread ? hs_trace_str(t, t->op_thread[v->step - 1]) : NULL;
    size_t k = strlen(buf);
    if (who && *who) snprintf(buf + k, len - k, "%scalled from %s", k ? "   \xC2\xB7   " : "", who);
    k = strlen(buf);
    if (thr && *thr)
        snprintf(buf + k, len - k, "%son thread %s", k ? "   \xC2\xB7   " : "", thr);
}

/* See view_internal.h. */
void hs_view_take_text_(hs_view *v)
{
    v->profile_name = hs_profile_name(v->profile);
    if (v->step == 0) {
        v->label = "Start";
        snprintf(v->op_text, sizeof v->op_text, "nothing has run yet");
        v->note = v->t.description;
    } else {
        const hs_op *o = &v->t.ops[v->step - 1];
        v->label = hs_trace_label(&v->t, v->step - 1);
        hs_op_format(&v->t, o, v->op_text, sizeof v->op_text);
        v->note = hs_trace_note(&v->t, v->step - 1);
    }
    result_text(v, v->result, sizeof v->result);
}

const char *hs_view_label(const hs_view *v, size_t step)
{
    return step >= 1 && step <= v->n ? hs_trace_label(&v->t, step - 1) : NULL;
}

/* " by X on thread T" of op `step` (1..n) into buf ("" without them);
 * without the thread when thread is false (the call already says it). */
static void who_text(const hs_view *v, size_t step, char *buf, size_t len, bool thread)
{
    const hs_trace *t = &v->t;
    const char *who = t->op_caller ? hs_trace_str(t, t->op_caller[step - 1]) : NULL;
    const char *thr = t->op_thread ? hs_trace_str(t, t->op_thread[step - 1]) : NULL;
    buf[0] = '\0';
    if (who && *who) snprintf(buf, len, " by %s", who);
    size_t k = strlen(buf);
    if (thread && thr && *thr) snprintf(buf + k, len - k, " on thread %s", thr);
}

/* Copies src into a history line, cut on a UTF-8 boundary. */
static void put_line(char *dst, const char *src)
{
    size_t k = strlen(src);
    if (k >= HS_HISTORY_LINE) {
        k = HS_HISTORY_LINE - 1;
        while (k > 0 && ((unsigned char)src[k] & 0xC0) == 0x80) k--;
    }
    memcpy(dst, src, k);
    dst[k] = '\0';
}

int hs_view_history(const hs_view *v, uint32_t id, char (*lines)[HS_HISTORY_LINE], int max)
{
    return hs_view_history_since(v, id, 0, lines, max);
}

int hs_view_history_since(const hs_view *v, uint32_t id, size_t since, char (*lines)[HS_HISTORY_LINE],
                          int max)
{
    if (id == HS_NO_ID || id >= v->t.n_ids || max < 4) return 0;
    /* the ops on id (their steps, ascending): how many, and which is the last at or before the step */
    const uint32_t *on = v->id_steps + v->id_first[id];
    size_t total = v->id_first[id + 1] - v->id_first[id], icur = SIZE_MAX;
    size_t alloc = 0, next_alloc = 0;  /* the lifetime: its allocating step */
    for (size_t j = 0; j < total; j++) {
        size_t s = on[j];
        const hs_op *o = &v->t.ops[s - 1];
        if (s <= v->step) icur = j;
        if (hs_op_returns_ptr(o->kind)) {
            if (s <= v->step) alloc = s;
            else if (!next_alloc) next_alloc = s;
        }
    }
    if (total == 0) return 0;
    if (!alloc) alloc = next_alloc;
    if (since) alloc = since;
    int n = 0;
    char who[160], a[512];
    const char *nm = v->t.ids[id] ? v->t.ids[id] : "?";
    if (alloc) {
        who_text(v, alloc, who, sizeof who, true);
        snprintf(a, sizeof a, "%s: allocated at step %zu%s", nm, alloc, who);
        size_t fr = 0;
        for (size_t j = 0; j < total && !fr; j++) {
            const hs_op *o = &v->t.ops[on[j] - 1];
            if (on[j] > alloc && (o->kind == HS_OP_FREE || hs_op_returns_ptr(o->kind)))
                fr = o->kind == HS_OP_FREE ? on[j] : SIZE_MAX;
        }
        size_t k = strlen(a);
        if (fr && fr != SIZE_MAX) {
            who_text(v, fr, who, sizeof who, true);
            snprintf(a + k, sizeof a - k, ", freed at step %zu%s", fr, who);
        } else if (!fr) {
            snprintf(a + k, sizeof a - k, ", never freed");
        }
    } else {
        snprintf(a, sizeof a, "%s: never allocated by the trace", nm);
    }
    put_line(lines[n++], a);
    /* the ops around the current step */
    size_t k = (size_t)max - 3, first = 0;
    if (icur != SIZE_MAX && icur + 2 > k) first = icur + 2 - k;  /* one later op in sight */
    if (first + k > total) first = total > k ? total - k : 0;
    size_t last = first + k < total ? first + k : total;
    if (first) snprintf(lines[n++], HS_HISTORY_LINE, "  +%zu earlier op%s", first, first == 1 ? "" : "s");
    for (size_t j = first; j < last; j++) {
        size_t s = on[j];
        const hs_op *o = &v->t.ops[s - 1];
        char op[160];
        hs_op_call_text(&v->t, o, op, sizeof op);   /* "T1: ..." with threads */
        who_text(v, s, who, sizeof who, false);
        snprintf(a, sizeof a, "  step %zu  %s%s%s", s, op, who,
                 s == v->step ? "  \xE2\x97\x80 now" : "");
        put_line(lines[n++], a);
    }
    if (last < total)
        snprintf(lines[n++], HS_HISTORY_LINE, "  +%zu later op%s", total - last, total - last == 1 ? "" : "s");
    return n;
}
