/* loader/opextra.c — the optional fields of recorded traces: header truncated/touch_rule/settings, op caller/thread/ptr.
 * Owns: their type checks and the side arrays of hs_trace that exist only when a trace has them (note, label too). */
#include <stdlib.h>
#include <string.h>

#include "loader/ld_internal.h"


/* The pool offset of s, stored once per table (a caller repeated on a
 * million ops costs its bytes once).  *fresh says whether it is new.
 * Returns HS_NO_STR with the error set when memory runs out. */
static uint32_t intern(ld_ctx *c, struct ld_intern *in, const char *s, int *fresh)
{
    *fresh = 0;
    if (in->n + 1 > in->cap / 2) {
        size_t ncap = in->cap ? in->cap * 2 : 64;
        uint32_t *nm = calloc(ncap, sizeof *nm);
        if (nm == NULL) {
            ld_fail(c, c->line, c->opno, "out of memory");
            return HS_NO_STR;
        }
        for (size_t i = 0; i < in->cap; i++) {
            if (in->map[i] == 0)
                continue;
            size_t j = ld_hash(c->t->pool + in->map[i]) & (ncap - 1);
            while (nm[j] != 0)
                j = (j + 1) & (ncap - 1);
            nm[j] = in->map[i];
        }
        free(in->map);
        in->map = nm;
        in->cap = ncap;
    }
    size_t j = ld_hash(s) & (in->cap - 1);
    for (; in->map[j] != 0; j = (j + 1) & (in->cap - 1))
        if (strcmp(c->t->pool + in->map[j], s) == 0)
            return in->map[j];
    uint32_t off = ld_pool_add(c, s);
    if (off == HS_NO_STR)
        return HS_NO_STR;
    in->map[j] = off;
    in->n++;
    *fresh = 1;
    return off;
}

/* Makes every existing side array ncap entries long, the new ones
 * "absent" (c->extra_cap then ncap).  Returns 0, or -1 when out of memory
 * (each array is still at least as long as before). */
static int resize_all(ld_ctx *c, size_t ncap)
{
    void **all[5] = { (void **)&c->t->op_caller, (void **)&c->t->op_thread, (void **)&c->t->op_note,
                      (void **)&c->t->op_label, (void **)&c->t->op_rec_ptr };
    size_t sz[5] = { sizeof(uint32_t), sizeof(uint32_t), sizeof(uint32_t), sizeof(uint32_t), sizeof(uint64_t) };
    for (int k = 0; k < 5; k++) {
        if (*all[k] == NULL)
            continue;
        void *p = realloc(*all[k], ncap * sz[k]);
        if (p == NULL)
            return -1;
        if (ncap > c->extra_cap)
            memset((char *)p + c->extra_cap * sz[k], k == 4 ? 0xff : 0, (ncap - c->extra_cap) * sz[k]);
        *all[k] = p;
    }
    c->extra_cap = ncap;
    return 0;
}

/* Makes the side arrays hold n_ops entries; a new array is filled with
 * "absent" for the ops before.  Returns 0, or -1 (out of memory). */
static int grow(ld_ctx *c, void **arr, size_t elem, int fill_ff)
{
    size_t n = c->t->n_ops;
    if (*arr != NULL && n <= c->extra_cap)
        return 0;
    if (n > c->extra_cap) {
        size_t ncap = c->extra_cap ? c->extra_cap : 64;
        while (ncap < n)
            ncap *= 2;
        if (resize_all(c, ncap) < 0)        /* every existing side array follows the common capacity */
            return ld_fail(c, c->line, c->opno, "out of memory");
    }
    if (*arr == NULL) {
        void *p = malloc(c->extra_cap * elem);
        if (p == NULL)
            return ld_fail(c, c->line, c->opno, "out of memory");
        memset(p, fill_ff ? 0xff : 0, c->extra_cap * elem);
        *arr = p;
    }
    return 0;
}

/* See ld_internal.h. */
int ld_side_set(ld_ctx *c, uint32_t **arr, uint32_t off)
{
    if (grow(c, (void **)arr, sizeof **arr, 0) < 0)
        return -1;
    (*arr)[c->t->n_ops - 1] = off;
    return 0;
}

/* A string field stored in a side array through an intern table. */
static int string_field(ld_ctx *c, const cJSON *v, const char *name, uint32_t **arr,
                        struct ld_intern *in, uint32_t *count)
{
    char d[96];
    int fresh;
    if (!ld_is(v, cJSON_String) || v->valuestring[0] == 0) {
        ld_describe_value(v, d, sizeof d);
        return ld_fail(c, c->line, c->opno, "%s must be a non-empty string, not %s", name, d);
    }
    uint32_t off = intern(c, in, v->valuestring, &fresh);
    if (off == HS_NO_STR)
        return -1;
    if (fresh && count != NULL)
        (*count)++;
    return ld_side_set(c, arr, off);
}

/* The number of the thread whose name is at pool offset off (1, 2, ... in
 * order of first appearance), numbering it if new.  0 with the error set
 * when out of memory or past HS_MAX_THREADS. */
static uint32_t thread_number(ld_ctx *c, uint32_t off)
{
    hs_trace *t = c->t;
    for (uint32_t k = c->thread_named; k > 0; k--)   /* the newest first: recorded traces */
        if (t->thread_name[k - 1] == off)
            return k;
    uint32_t k = ++c->thread_named;
    if (k > HS_MAX_THREADS) {
        ld_fail(c, c->line, c->opno, "more than %u threads (\"thread\" names)", HS_MAX_THREADS);
        return 0;
    }
    if (k > c->thread_cap) {
        uint32_t ncap = c->thread_cap ? c->thread_cap * 2 : 8;
        uint32_t *nn = realloc(t->thread_name, ncap * sizeof *nn);
        if (nn != NULL)
            t->thread_name = nn;
        size_t *ne = nn ? realloc(c->thread_exit_op, ncap * sizeof *ne) : NULL;
        if (ne == NULL) {
            ld_fail(c, c->line, c->opno, "out of memory");
            return 0;
        }
        c->thread_exit_op = ne;
        memset(ne + c->thread_cap, 0, (ncap - c->thread_cap) * sizeof *ne);
        c->thread_cap = ncap;
    }
    t->thread_name[k - 1] = off;
    return k;
}

/* Sets the thread of the op just appended and checks the threads' lives
 * (see ld_op_extra).  has_thread: the op carries "thread".  Returns 0, or -1
 * with the error set. */
static int thread_life(ld_ctx *c, const cJSON *item, int has_thread)
{
    hs_op *op = &c->t->ops[c->t->n_ops - 1];
    int exits = op->kind == HS_OP_THREAD_EXIT;
    if (exits && !has_thread)
        return ld_fail(c, c->line, c->opno, "thread_exit needs \"thread\" (the main thread does not "
                       "exit: its end is the end of the trace)");
    if (exits && (cJSON_GetObjectItemCaseSensitive(item, "id") != NULL
                  || cJSON_GetObjectItemCaseSensitive(item, "size") != NULL))
        return ld_fail(c, c->line, c->opno, "thread_exit takes only \"thread\" (and note, label), "
                       "not \"id\" or \"size\"");
    if (!has_thread)
        return 0;
    uint32_t k = thread_number(c, c->t->op_thread[c->t->n_ops - 1]);
    if (k == 0)
        return -1;
    if (c->thread_exit_op[k - 1] != 0) {
        char q[96];
        const char *name = c->t->pool + c->t->thread_name[k - 1];
        ld_quote(name, strlen(name), q, sizeof q);
        return ld_fail(c, c->line, c->opno, "%s on thread %s after its thread_exit (op %zu)", hs_op_name(op->kind),
                       q, c->thread_exit_op[k - 1]);
    }
    op->thread = (uint16_t)k;
    if (exits)
        c->thread_exit_op[k - 1] = c->opno;
    return 0;
}

/* See ld_internal.h. */
int ld_op_extra(ld_ctx *c, const cJSON *item, int others)
{
    const cJSON *v, *caller = NULL, *thread = NULL, *ptr = NULL;
    char d[96];
    /* one walk over the op's keys, the first of each kept as
     * cJSON_GetObjectItemCaseSensitive would (three such lookups per op
     * were a twentieth of a load's time) */
    for (const cJSON *ch = others ? item->child : NULL; ch != NULL; ch = ch->next) {
        const char *k = ch->string;
        if (k == NULL)
            continue;
        if (k[0] == 'c' && caller == NULL && ld_streq(k, "caller"))
            caller = ch;
        else if (k[0] == 't' && thread == NULL && ld_streq(k, "thread"))
            thread = ch;
        else if (k[0] == 'p' && ptr == NULL && ld_streq(k, "ptr"))
            ptr = ch;
    }
    if (caller != NULL && string_field(c, caller, "caller", &c->t->op_caller, &c->callers, NULL) < 0)
        return -1;
    if (thread != NULL && string_field(c, thread, "thread", &c->t->op_thread, &c->threads, &c->t->n_threads) < 0)
        return -1;
    if (thread_life(c, item, thread != NULL) < 0)
        return -1;
    v = ptr;
    if (v != NULL) {
        uint64_t p;
        if (ld_is(v, cJSON_NULL)) {
            p = HS_REC_PTR_NULL;
        } else if (ld_is(v, cJSON_String) && strcmp(v->valuestring, "mmap") == 0) {
            p = HS_REC_PTR_MMAPPED;
        } else if (ld_is(v, cJSON_Number) && v->valuedouble >= 0 && v->valuedouble < 9007199254740992.0
                   && (double)(uint64_t)v->valuedouble == v->valuedouble) {
            p = (uint64_t)v->valuedouble;
        } else {
            ld_describe_value(v, d, sizeof d);
            return ld_fail(c, c->line, c->opno, "ptr must be a heap offset (a non-negative integer below 2^53), "
                           "\"mmap\" or null, not %s", d);
        }
        if (grow(c, (void **)&c->t->op_rec_ptr, sizeof(uint64_t), 1) < 0)
            return -1;
        c->t->op_rec_ptr[c->t->n_ops - 1] = p;
    }
    return 0;
}

/* See ld_internal.h. */
int ld_header_extra_key(const char *key)
{
    return strcmp(key, "truncated") == 0 || strcmp(key, "touch_rule") == 0 || strcmp(key, "settings") == 0;
}

/* See ld_internal.h. */
int ld_header_extra(ld_ctx *c, const char *key, const cJSON *v, uint32_t line)
{
    char d[96];
    uint32_t *seen = !strcmp(key, "truncated") ? &c->seen_truncated
                   : !strcmp(key, "touch_rule") ? &c->seen_touch_rule : &c->seen_settings;
    if (*seen)
        return ld_fail(c, line, 0, "\"%s\" appears twice (first on line %u)", key, *seen);
    *seen = line;
    if (seen == &c->seen_truncated) {
        if (!cJSON_IsBool(v)) {
            ld_describe_value(v, d, sizeof d);
            return ld_fail(c, line, 0, "\"truncated\" must be true or false, not %s", d);
        }
        c->t->truncated = ld_is(v, cJSON_True);
        return 0;
    }
    if (!ld_is(v, cJSON_String)) {
        ld_describe_value(v, d, sizeof d);
        return ld_fail(c, line, 0, "\"%s\" must be a string, not %s", key, d);
    }
    char **dst = seen == &c->seen_touch_rule ? &c->t->touch_rule : &c->t->settings;
    *dst = strdup(v->valuestring);
    if (*dst == NULL)
        return ld_fail(c, line, 0, "out of memory");
    return 0;
}

/* See ld_internal.h. */
int ld_extra_finish(ld_ctx *c)
{
    size_t n = c->t->n_ops;
    if (n > c->extra_cap && resize_all(c, n) < 0)
        return ld_fail(c, 0, 0, "out of memory");
    if (n > 0 && n < c->extra_cap)
        resize_all(c, n);                   /* failing to give back the slack is no error */
    return 0;
}
