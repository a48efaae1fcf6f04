/* play/text.c — the words of a step the scene draws: its label, its call, what it returned.
 * Owns: hs_view's text snapshot (label, op_text, result, note, profile_name), hs_view_label. */
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
    /* A recorded trace: who made the call, and on which thread (the model
     * and the replay run every call on the main thread: say so). */
    const hs_trace *t = &v->t;
    const char *who = t->op_caller ? hs_trace_str(t, t->op_caller[v->step - 1]) : NULL;
    const char *thr = t->op_thread ? hs_trace_str(t, t->op_thread[v->step - 1]) : NULL;
    size_t k = strlen(buf);
    if (who && *who) snprintf(buf + k, len - k, "%scalled from %s", k ? "   \xC2\xB7   " : "", who);
    k = strlen(buf);
    if (thr && *thr)
        snprintf(buf + k, len - k, "%son thread %s (replayed as the main thread)",
                 k ? "   \xC2\xB7   " : "", thr);
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
        v->label = hs_trace_str(&v->t, o->label);
        hs_op_format(&v->t, o, v->op_text, sizeof v->op_text);
        v->note = hs_trace_str(&v->t, o->note);
    }
    result_text(v, v->result, sizeof v->result);
}

const char *hs_view_label(const hs_view *v, size_t step)
{
    return step >= 1 && step <= v->n ? hs_trace_str(&v->t, v->t.ops[step - 1].label) : NULL;
}
