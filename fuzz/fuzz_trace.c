/* fuzz/fuzz_trace.c — libFuzzer target: any bytes through hs_trace_load_mem (.json, or .jsonl with HSF_JSONL=1).
 * Owns: what a load must guarantee — a clean error in the contract's form, or a trace that keeps every promise of loader/trace.h. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/trace.h"

#ifndef HSF_JSONL
#define HSF_JSONL 0
#endif
#define HSF_NAME (HSF_JSONL ? "fuzz.jsonl" : "fuzz.json")

/* Stops the run with a message libFuzzer shows next to the saved input.
 * Never returns. */
static void die(const char *what, size_t opno, const char *detail)
{
    fprintf(stderr, "fuzz_trace (%s): %s (op %zu)%s%s\n", HSF_JSONL ? "jsonl" : "json", what, opno,
            detail ? ": " : "", detail ? detail : "");
    abort();
}

/* True when s[0..n) is valid UTF-8 (no overlong forms, no surrogates).
 * Never fails. */
static bool utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned min;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xe0) == 0xc0) { len = 2; min = 0x80; c &= 0x1f; }
        else if ((c & 0xf0) == 0xe0) { len = 3; min = 0x800; c &= 0x0f; }
        else if ((c & 0xf8) == 0xf0) { len = 4; min = 0x10000; c &= 0x07; }
        else return false;
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            c = c << 6 | (s[i + k] & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

/* An error message: "NAME:..." on one line, terminated, printable, UTF-8.
 * Aborts when it is not. */
static void check_error(const hs_trace_error *err)
{
    size_t n = strnlen(err->msg, sizeof err->msg);
    if (n == sizeof err->msg)
        die("error message not terminated", 0, NULL);
    if (n == 0)
        die("load failed with an empty message", 0, NULL);
    size_t nl = strlen(HSF_NAME);
    if (strncmp(err->msg, HSF_NAME, nl) != 0 || err->msg[nl] != ':')
        die("error message does not start with the file name and ':'", 0, err->msg);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)err->msg[i] < 0x20 || err->msg[i] == 0x7f)
            die("error message holds a control character", 0, err->msg);
    if (!utf8_ok((const unsigned char *)err->msg, n))
        die("error message is not valid UTF-8", 0, err->msg);
}

/* qsort order of two id names.  Never fails. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A string of the pool: NULL for HS_NO_STR, else terminated inside it.
 * Aborts when it is not. */
static void check_str(const hs_trace *t, uint32_t off, size_t opno)
{
    if (off == HS_NO_STR)
        return;
    if (off >= t->pool_len || t->pool == NULL)
        die("note or label outside the pool", opno, NULL);
    if (memchr(t->pool + off, 0, t->pool_len - off) == NULL)
        die("note or label not terminated inside the pool", opno, NULL);
    if (hs_trace_str(t, off) != t->pool + off)
        die("hs_trace_str disagrees with the pool", opno, NULL);
}

/* Replays the loader's promises (loader/trace.h, sim/op.h) over a loaded
 * trace; aborts on the first one broken. */
static void check_trace(const hs_trace *t)
{
    if (t->n_ops > 0 && (t->ops == NULL || (t->op_line == NULL && t->op_line0 == 0)))
        die("ops without an array", 0, NULL);
    if (t->n_ids > 0 && t->ids == NULL)
        die("ids without an array", 0, NULL);
    typedef struct { bool bound, live; uint64_t size; } slot;
    slot *sl = calloc(t->n_ids ? t->n_ids : 1, sizeof *sl);
    if (!sl)
        die("out of memory in the harness", 0, NULL);
    uint32_t prev_line = 1;
    for (size_t i = 0; i < t->n_ops; i++) {
        const hs_op *op = &t->ops[i];
        size_t no = i + 1;
        if (op->kind >= HS_OP_KIND_COUNT)
            die("unknown op kind", no, NULL);
        if (hs_trace_op_line(t, i) < prev_line)
            die("op lines go backwards", no, NULL);
        prev_line = hs_trace_op_line(t, i);
        if (t->op_note)
            check_str(t, t->op_note[i], no);
        if (t->op_label)
            check_str(t, t->op_label[i], no);
        if (hs_trace_note(t, i) != (t->op_note ? hs_trace_str(t, t->op_note[i]) : NULL) ||
            hs_trace_label(t, i) != (t->op_label ? hs_trace_str(t, t->op_label[i]) : NULL))
            die("hs_trace_note or hs_trace_label disagrees with the side arrays", no, NULL);
        char buf[300], tiny[8];
        hs_op_format(t, op, buf, sizeof buf);
        hs_op_format(t, op, tiny, sizeof tiny);
        if (!memchr(buf, 0, sizeof buf) || !memchr(tiny, 0, sizeof tiny))
            die("hs_op_format left the buffer unterminated", no, NULL);
        if (op->kind == HS_OP_MALLOPT) {
            if (op->param >= HS_PARAM_COUNT)
                die("unknown mallopt param", no, NULL);
            if (op->value < INT32_MIN || op->value > INT32_MAX)
                die("mallopt value does not fit in an int", no, NULL);
            continue;
        }
        if (op->kind == HS_OP_MALLOC_TRIM)
            continue;
        if (op->kind == HS_OP_THREAD_EXIT) {   /* no id; never the main thread */
            if (op->id != HS_NO_ID || op->thread == 0)
                die("thread_exit with an id, or of the main thread", no, NULL);
            continue;
        }
        if (op->id >= t->n_ids)
            die("id slot out of range", no, NULL);
        slot *s = &sl[op->id];
        switch (op->kind) {
        case HS_OP_MALLOC:
        case HS_OP_CALLOC:
        case HS_OP_MEMALIGN: {
            if (s->live)
                die("a live id bound again", no, NULL);
            uint64_t req = op->size;
            bool fails = false;
            if (op->kind == HS_OP_CALLOC) {
                fails = op->arg != 0 && op->size > UINT64_MAX / op->arg;
                req = fails ? UINT64_MAX : op->arg * op->size;
            }
            if (fails ? op->touch != 0 : op->touch > req)
                die("touch past the requested size", no, NULL);
            s->bound = s->live = true;
            s->size = req;
            break;
        }
        case HS_OP_REALLOC:
            if (!s->live)
                die("realloc of an id that is not live", no, NULL);
            if (op->touch > op->size)
                die("touch past the requested size", no, NULL);
            if (op->size == 0)
                s->live = false;
            else
                s->size = op->size;
            break;
        case HS_OP_FREE:
            if (!s->bound)
                die("free of an id never bound", no, NULL);
            s->live = false;
            break;
        case HS_OP_MADVISE:
        case HS_OP_TOUCH:
            if (!s->live)
                die("touch or madvise of an id that is not live", no, NULL);
            if (op->arg > s->size || op->size > s->size - op->arg)
                die("touch op past the requested size", no, NULL);
            break;
        }
    }
    /* ids: non-empty, distinct, each bound by some op */
    for (uint32_t i = 0; i < t->n_ids; i++) {
        if (t->ids[i] == NULL || t->ids[i][0] == 0)
            die("an empty id name", 0, NULL);
        if (!sl[i].bound)
            die("an id slot no op binds", 0, t->ids[i]);
    }
    if (t->n_ids > 1) {
        char **copy = malloc(t->n_ids * sizeof *copy);
        if (!copy)
            die("out of memory in the harness", 0, NULL);
        memcpy(copy, t->ids, t->n_ids * sizeof *copy);
        qsort(copy, t->n_ids, sizeof *copy, cmp_str);
        for (uint32_t i = 1; i < t->n_ids; i++)
            if (strcmp(copy[i - 1], copy[i]) == 0)
                die("two slots share an id name", 0, copy[i]);
        free(copy);
    }
    free(sl);
}

/* One input: loaded from an exact-size copy (reads past the end are
 * caught), then judged.  Returns 0; aborts on a finding. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hs_trace t;
    hs_trace_error err;
    memset(&err, 0x55, sizeof err);
    /* A copy with no slack after it, so reading past len is caught. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    int rc = hs_trace_load_mem(HSF_NAME, buf, size, HSF_JSONL, &t, &err);
    if (rc != 0 && rc != -1)
        die("hs_trace_load_mem returned neither 0 nor -1", 0, NULL);
    if (rc == 0) {
        check_trace(&t);
        hs_trace_free(&t);
        if (t.ops != NULL || t.n_ops != 0 || t.ids != NULL)
            die("hs_trace_free did not empty the trace", 0, NULL);
    } else {
        check_error(&err);
        if (t.ops != NULL || t.n_ops != 0 || t.ids != NULL || t.n_ids != 0 || t.pool != NULL ||
            t.title != NULL || t.description != NULL)
            die("a failed load left the trace non-empty", 0, NULL);
    }
    free(buf);
    return 0;
}
