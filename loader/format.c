/* loader/format.c — ops as text: the C call each one stands for.
 * Owns: hs_op_format (the names themselves are sim/op.c's). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "loader/ld_internal.h"
#include "sim/bytes.h"

/* The id's name, shortened to fit a table cell; "?" for a bad slot. */
static void fmt_id(const hs_trace *t, uint32_t id, char *out, size_t n)
{
    const char *name;
    size_t len, cut = 0;
    enum { MAX_BYTES = 32, KEEP = 29 };
    if (t == NULL || t->ids == NULL || id >= t->n_ids || t->ids[id] == NULL) {
        snprintf(out, n, "?");
        return;
    }
    name = t->ids[id];
    len = strlen(name);
    if (len <= MAX_BYTES) {
        snprintf(out, n, "%s", name);
        return;
    }
    /* cut at a character boundary */
    while (cut < len) {
        size_t l = ld_utf8_seq((const unsigned char *)name + cut, len - cut);
        if (l == 0)
            l = 1;
        if (cut + l > KEEP)
            break;
        cut += l;
    }
    snprintf(out, n, "%.*s...", (int)cut, name);
}

/* Never fails: an unknown kind prints as "?"; buf is always terminated. */
void hs_op_format(const hs_trace *t, const hs_op *op, char *buf, size_t len)
{
    char id[48], a[32], b[32];
    if (buf == NULL || len == 0)
        return;
    if (op == NULL) {
        snprintf(buf, len, "?");
        return;
    }
    fmt_id(t, op->id, id, sizeof id);
    switch (op->kind) {
    case HS_OP_MALLOC:
        hs_bytes_exact(op->size, a, sizeof a);
        snprintf(buf, len, "%s = malloc(%s)", id, a);
        break;
    case HS_OP_CALLOC:
        hs_bytes_exact(op->size, a, sizeof a);
        snprintf(buf, len, "%s = calloc(%" PRIu64 ", %s)", id, op->arg, a);
        break;
    case HS_OP_REALLOC:
        hs_bytes_exact(op->size, a, sizeof a);
        snprintf(buf, len, "%s = realloc(%s, %s)", id, id, a);
        break;
    case HS_OP_MEMALIGN:
        hs_bytes_exact(op->size, a, sizeof a);
        snprintf(buf, len, "%s = memalign(%" PRIu64 ", %s)", id, op->arg, a);
        break;
    case HS_OP_FREE:
        snprintf(buf, len, "free(%s)", id);
        break;
    case HS_OP_TOUCH:
        hs_bytes_exact(op->size, b, sizeof b);
        snprintf(buf, len, "memset(%s + %" PRIu64 ", 1, %s)", id, op->arg, b);
        break;
    case HS_OP_MALLOPT:
        snprintf(buf, len, "mallopt(%s, %" PRId64 ")", hs_param_name(op->param), op->value);
        break;
    case HS_OP_MALLOC_TRIM:
        hs_bytes_exact(op->size, a, sizeof a);
        snprintf(buf, len, "malloc_trim(%s)", a);
        break;
    case HS_OP_WRITE:
        if (op->size != 0) {                     /* value_of: another id's pointer */
            char src[48];
            fmt_id(t, (uint32_t)(op->size - 1), src, sizeof src);
            snprintf(buf, len, "*(long *)(%s + %" PRIu64 ") = (long)%s", id, op->arg, src);
        } else
            snprintf(buf, len, "*(long *)(%s + %" PRIu64 ") = 0x%" PRIx64, id, op->arg,
                     (uint64_t)op->value);
        break;
    case HS_OP_THREAD_EXIT: {
        const char *name = op->thread && t && op->thread <= t->n_threads && t->thread_name
                         ? hs_trace_str(t, t->thread_name[op->thread - 1]) : NULL;
        /* a recorded thread may have returned from its start routine: no call is named */
        snprintf(buf, len, "thread %s exits", name ? name : "?");
        break;
    }
    case HS_OP_MADVISE:
        hs_bytes_exact(op->size, b, sizeof b);
        snprintf(buf, len, "madvise(%s + %" PRIu64 ", %s, %s)", id, op->arg, b,
                 hs_advice_name(op->param));
        break;
    default:
        snprintf(buf, len, "?");
        break;
    }
}
