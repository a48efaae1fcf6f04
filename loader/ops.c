/* loader/ops.c — checks one trace op (a cJSON object) and resolves it into an hs_op.
 * Owns: field tables, counts and size strings, id slots and liveness, the note/label pool, header members. */
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/ld_internal.h"

/* Fields of an op, in the order their absence is reported. */
enum ld_field {
    F_OP, F_ID, F_NMEMB, F_ALIGNMENT, F_SIZE, F_TOUCH, F_OFFSET, F_LEN,
    F_PARAM, F_VALUE, F_PAD, F_NOTE, F_LABEL, F_VALUE_OF, F_ADVICE, F_COUNT
};

static const char *const field_name[F_COUNT] = {
    "op", "id", "nmemb", "alignment", "size", "touch", "offset", "len",
    "param", "value", "pad", "note", "label", "value_of", "advice",
};

#define FB(f) (1u << (f))
#define F_COMMON (FB(F_OP) | FB(F_NOTE) | FB(F_LABEL))

/* Required and optional fields of each op (TRACE_FORMAT.md section 1). */
static const struct { unsigned req, opt; } op_fields[HS_OP_KIND_COUNT] = {
    [HS_OP_MALLOC]      = { FB(F_ID) | FB(F_SIZE), FB(F_TOUCH) },
    [HS_OP_CALLOC]      = { FB(F_ID) | FB(F_NMEMB) | FB(F_SIZE), FB(F_TOUCH) },
    [HS_OP_REALLOC]     = { FB(F_ID) | FB(F_SIZE), FB(F_TOUCH) },
    [HS_OP_MEMALIGN]    = { FB(F_ID) | FB(F_ALIGNMENT) | FB(F_SIZE), FB(F_TOUCH) },
    [HS_OP_FREE]        = { FB(F_ID), 0 },
    [HS_OP_TOUCH]       = { FB(F_ID), FB(F_OFFSET) | FB(F_LEN) },
    [HS_OP_MALLOPT]     = { FB(F_PARAM) | FB(F_VALUE), 0 },
    [HS_OP_MALLOC_TRIM] = { FB(F_PAD), 0 },
    [HS_OP_WRITE]       = { FB(F_ID), FB(F_OFFSET) | FB(F_VALUE) | FB(F_VALUE_OF) },
    [HS_OP_THREAD_EXIT] = { 0, 0 },       /* "thread" is required: loader/opextra.c */
    [HS_OP_MADVISE]     = { FB(F_ID) | FB(F_ADVICE), FB(F_OFFSET) | FB(F_LEN) },
};

#define OPFAIL(c, ...) ld_fail((c), (c)->line, (c)->opno, __VA_ARGS__)
#define NEVER_BOUND "(never bound by malloc, calloc or memalign)"

/* See ld_internal.h.  Long text is cut to fit hs_trace_error. */
int ld_fail(ld_ctx *c, uint32_t line, size_t opno, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->err == NULL)
        return -1;
    if (opno > 0)
        snprintf(c->err->msg, sizeof c->err->msg, "%s:%u: op %zu: %s", c->name, line, opno, msg);
    else if (line > 0)
        snprintf(c->err->msg, sizeof c->err->msg, "%s:%u: %s", c->name, line, msg);
    else
        snprintf(c->err->msg, sizeof c->err->msg, "%s: %s", c->name, msg);
    return -1;
}

/* See ld_internal.h.  Never fails; NULL gives "an unknown value". */
const char *ld_type_name(const cJSON *v)
{
    if (ld_is(v, cJSON_String)) return "a string";
    if (ld_is(v, cJSON_Number)) return "a number";
    if (ld_is(v, cJSON_True))   return "true";
    if (ld_is(v, cJSON_False))  return "false";
    if (ld_is(v, cJSON_NULL))   return "null";
    if (ld_is(v, cJSON_Array))  return "an array";
    if (ld_is(v, cJSON_Object)) return "an object";
    return "an unknown value";
}

/* d as text for a message: a whole number in decimal (3000000000), else
 * the shortest "%g" text that reads back as d.  Never fails. */
static void fmt_double(double d, char *out, size_t n)
{
    if (d > -9.0e18 && d < 9.0e18 && (double)(long long)d == d) {
        snprintf(out, n, "%lld", (long long)d);
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(out, n, "%.*g", p, d);
        if (strtod(out, NULL) == d)
            return;
    }
}

/* A value as it appears in messages: "abc" quoted, 1.5, true, an array. */
void ld_describe_value(const cJSON *v, char *out, size_t n)
{
    if (ld_is(v, cJSON_String))
        ld_quote(v->valuestring, strlen(v->valuestring), out, n);
    else if (ld_is(v, cJSON_Number))
        fmt_double(v->valuedouble, out, n);
    else
        snprintf(out, n, "%s", ld_type_name(v));
}

/* A JSON number as an exact non-negative integer: 0 ok, 1 negative,
 * 2 not a whole number, 3 too large (>= 2^64, inf). */
static int double_to_u64(double d, uint64_t *out)
{
    if (d == 0) {                         /* 0 and -0 */
        *out = 0;
        return 0;
    }
    if (d != d)
        return 2;
    if (d < 0)
        return 1;
    if (d >= 18446744073709551616.0)
        return 3;
    if ((double)(uint64_t)d != d)
        return 2;
    *out = (uint64_t)d;
    return 0;
}

/* A size string: digits and an optional binary suffix.  0 ok, 1 not a size,
 * 2 too large for uint64. */
static int parse_size_string(const char *s, uint64_t *out)
{
    uint64_t v = 0, mul = 1;
    int big = 0;
    size_t i = 0;
    if (!(s[0] >= '0' && s[0] <= '9'))
        return 1;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            big = 1;
        else
            v = v * 10 + d;
    }
    s += i;
    if (*s == 0)
        mul = 1;
    else if (strcmp(s, "K") == 0 || strcmp(s, "KiB") == 0)
        mul = (uint64_t)1 << 10;
    else if (strcmp(s, "M") == 0 || strcmp(s, "MiB") == 0)
        mul = (uint64_t)1 << 20;
    else if (strcmp(s, "G") == 0 || strcmp(s, "GiB") == 0)
        mul = (uint64_t)1 << 30;
    else
        return 1;
    if (big || v > UINT64_MAX / mul)
        return 2;
    *out = v * mul;
    return 0;
}

#define U64_MAX_TEXT "18446744073709551615"

/* cJSON holds numbers as doubles, exact only up to 2^53: for a larger
 * integer, read the digits of `"field": DIGITS` from the op's raw text.
 * Returns 1 with *out set when found exactly, 0 to keep the double. */
static int raw_integer(const ld_ctx *c, const char *field, uint64_t *out)
{
    size_t fl = strlen(field);
    const char *t = c->op_text, *end = c->op_text + c->op_len;
    if (!t)
        return 0;
    for (const char *p = t; p + fl + 2 <= end; p++) {
        if (p[0] != '"' || memcmp(p + 1, field, fl) != 0 || p[fl + 1] != '"')
            continue;
        const char *q = p + fl + 2;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')) q++;
        if (q >= end || *q != ':')
            continue;              /* the word as a value, not as a key */
        q++;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')) q++;
        uint64_t v = 0;
        const char *d = q;
        for (; q < end && *q >= '0' && *q <= '9'; q++) {
            unsigned dig = (unsigned)(*q - '0');
            if (v > (UINT64_MAX - dig) / 10)
                return 0;          /* beyond 2^64 - 1: the double's message says so */
            v = v * 10 + dig;
        }
        if (q == d || (q < end && (*q == '.' || *q == 'e' || *q == 'E')))
            return 0;              /* not a plain integer literal */
        *out = v;
        return 1;
    }
    return 0;
}

/* A count field (size, nmemb, alignment, offset, len, pad, touch N).
 * Returns 0, or -1 with the error set. */
static int get_count(ld_ctx *c, const cJSON *v, const char *field, uint64_t *out)
{
    char d[96];
    if (ld_is(v, cJSON_Number)) {
        double x = v->valuedouble;
        if (x >= 9007199254740992.0 && x <= 18446744073709551616.0 && raw_integer(c, field, out))
            return 0;
        int r = double_to_u64(x, out);
        if (r == 0)
            return 0;
        if (r == 1) {
            if (x < -DBL_MAX)
                return OPFAIL(c, "%s must not be negative", field);
            fmt_double(x, d, sizeof d);
            return OPFAIL(c, "%s must not be negative (%s)", field, d);
        }
        if (r == 2) {
            fmt_double(x, d, sizeof d);
            return OPFAIL(c, "%s must be a whole number, not %s", field, d);
        }
        if (x > DBL_MAX)
            return OPFAIL(c, "%s is too large (the largest is 2^64 - 1 = " U64_MAX_TEXT ")", field);
        fmt_double(x, d, sizeof d);
        return OPFAIL(c, "%s %s is too large (the largest is 2^64 - 1 = " U64_MAX_TEXT ")", field, d);
    }
    if (ld_is(v, cJSON_String)) {
        int r = parse_size_string(v->valuestring, out);
        if (r == 0)
            return 0;
        ld_describe_value(v, d, sizeof d);
        if (r == 2)
            return OPFAIL(c, "%s %s is too large (the largest is 2^64 - 1 = " U64_MAX_TEXT ")", field, d);
        if (v->valuestring[0] == '-')
            return OPFAIL(c, "%s must not be negative (%s)", field, d);
        return OPFAIL(c, "%s %s is not a size (digits with an optional K, M, G, KiB, MiB or GiB, "
                      "such as \"30K\")", field, d);
    }
    ld_describe_value(v, d, sizeof d);
    return OPFAIL(c, "%s must be a non-negative integer or a size string such as \"30K\", not %s",
                  field, d);
}

/* mallopt's value: an integer that fits in a C int (a number, or a size
 * string with an optional '-').  Returns 0, or -1 with the error set. */
static int get_int(ld_ctx *c, const cJSON *v, int64_t *out)
{
    char d[96];
    if (ld_is(v, cJSON_Number)) {
        double x = v->valuedouble;
        if (x > DBL_MAX || x < -DBL_MAX)
            return OPFAIL(c, "value does not fit in an int (-2147483648 to 2147483647)");
        if (x != x || (x != 0 && (x < -2147483648.0 || x > 2147483647.0))) {
            ld_describe_value(v, d, sizeof d);
            return OPFAIL(c, "value %s does not fit in an int (-2147483648 to 2147483647)", d);
        }
        if ((double)(int64_t)x != x) {
            ld_describe_value(v, d, sizeof d);
            return OPFAIL(c, "value must be a whole number, not %s", d);
        }
        *out = (int64_t)x;
        return 0;
    }
    if (ld_is(v, cJSON_String)) {
        const char *s = v->valuestring;
        int neg = s[0] == '-';
        uint64_t u;
        int r = parse_size_string(s + neg, &u);
        ld_describe_value(v, d, sizeof d);
        if (r == 1)
            return OPFAIL(c, "value %s is not an integer", d);
        if (r == 2 || u > (neg ? 2147483648u : 2147483647u))
            return OPFAIL(c, "value %s does not fit in an int (-2147483648 to 2147483647)", d);
        *out = neg ? -(int64_t)u : (int64_t)u;
        return 0;
    }
    ld_describe_value(v, d, sizeof d);
    return OPFAIL(c, "value must be an integer, not %s", d);
}

/* A string field (id, note, label).  Returns 0, or -1. */
static int get_string(ld_ctx *c, const cJSON *v, const char *field, int nonempty, const char **out)
{
    char d[96];
    if (!ld_is(v, cJSON_String)) {
        ld_describe_value(v, d, sizeof d);
        return OPFAIL(c, "%s must be a %sstring, not %s", field, nonempty ? "non-empty " : "", d);
    }
    if (nonempty && v->valuestring[0] == 0)
        return OPFAIL(c, "%s must not be empty", field);
    *out = v->valuestring;
    return 0;
}

/* s quoted for a message, in buf; returns buf.  Never fails. */
static const char *quoted(const char *s, char *buf, size_t n)
{
    ld_quote(s, strlen(s), buf, n);
    return buf;
}

/* ---- the id table ----
 * Each id is an entry of c->names, 4-byte aligned: a state word, then the
 * name and its NUL.  While loading, an id is known by its entry number e
 * (byte offset / 4, at least 1), ops hold it in hs_op.id, and the state
 * word says how the id stands: ID_LIVE when bound and not freed since,
 * and the op number that last bound it.  ld_ids_finish turns entry
 * numbers into slots (0, 1, ... in order of first binding). */

#define ID_LIVE   0x80000000u
#define ID_OPNO   0x7fffffffu
#define ID_E_BITS 28                          /* entry numbers below 2^28: names below 1 GiB */
#define ID_E_MASK ((1u << ID_E_BITS) - 1)

/* The state word and the name of entry e.  Never fail. */
static uint32_t *id_state(const ld_ctx *c, uint32_t e)
{
    return (uint32_t *)(void *)(c->names + (size_t)e * 4);
}
static const char *id_name(const ld_ctx *c, uint32_t e)
{
    return c->names + (size_t)e * 4 + 4;
}

/* A map entry: 4 bits of the name's hash above its entry number, so that
 * most names that differ are told apart without reading them. */
static uint32_t map_entry(uint64_t h, uint32_t e)
{
    return (uint32_t)(h >> 60) << ID_E_BITS | e;
}

/* The entry of name whose hash is h, or HS_NO_ID.  Never fails. */
static uint32_t id_find_h(const ld_ctx *c, const char *name, uint64_t h)
{
    uint32_t tag = map_entry(h, 0);
    if (c->map_cap == 0)
        return HS_NO_ID;
    for (size_t i = h & (c->map_cap - 1);; i = (i + 1) & (c->map_cap - 1)) {
        uint32_t m = c->map[i];
        if (m == 0)
            return HS_NO_ID;
        if ((m & ~ID_E_MASK) == tag && ld_streq(id_name(c, m & ID_E_MASK), name))
            return m & ID_E_MASK;
    }
}

/* The entry of name, or HS_NO_ID.  Never fails. */
static uint32_t id_find(const ld_ctx *c, const char *name)
{
    return id_find_h(c, name, ld_hash(name));
}

/* Puts entry e, whose name's hash is h, in a map of cap entries (a power
 * of two, never full: the caller keeps it at most three quarters full).
 * Never fails. */
static void map_put(uint32_t *map, size_t cap, uint32_t e, uint64_t h)
{
    size_t i = h & (cap - 1);
    while (map[i] != 0)
        i = (i + 1) & (cap - 1);
    map[i] = map_entry(h, e);
}

/* See ld_internal.h.  Two rounds, so that the misses of each overlap: the
 * map entries of the ops' ids (where their hashes put them), then the id
 * entries those name.  Never fails: ops[i] may be NULL or anything. */
void ld_ops_prefetch(ld_ctx *c, const cJSON *const *ops, size_t n)
{
    c->hint_n = 0;
    if (c->map_cap == 0)
        return;
    if (n > LD_PREFETCH_OPS)
        n = LD_PREFETCH_OPS;
    for (size_t i = 0; i < n; i++) {
        c->hint_id[i] = NULL;
        if (ld_is(ops[i], cJSON_Object))
            for (const cJSON *ch = ops[i]->child; ch != NULL; ch = ch->next)
                if (ch->string != NULL && ch->string[0] == 'i' && ch->string[1] == 'd' && ch->string[2] == 0) {
                    c->hint_id[i] = ld_is(ch, cJSON_String) ? ch->valuestring : NULL;
                    break;
                }
        if (c->hint_id[i] != NULL) {
            c->hint_hash[i] = ld_hash(c->hint_id[i]);
#if defined(__GNUC__)
            __builtin_prefetch(&c->map[c->hint_hash[i] & (c->map_cap - 1)]);
#endif
        }
    }
#if defined(__GNUC__)
    for (size_t i = 0; i < n; i++)
        if (c->hint_id[i] != NULL) {
            uint32_t m = c->map[c->hint_hash[i] & (c->map_cap - 1)];
            if (m != 0 && (m & ~ID_E_MASK) == map_entry(c->hint_hash[i], 0))
                __builtin_prefetch(id_state(c, m & ID_E_MASK));
        }
#endif
    c->hint_n = n;
}

/* A new entry for name, whose hash is h (not live, never bound).  Returns
 * HS_NO_ID with the error set when memory runs out. */
static uint32_t id_new(ld_ctx *c, const char *name, uint64_t h)
{
    hs_trace *t = c->t;
    uint32_t e;
    size_t len = strlen(name) + 1, need;
    if (t->n_ids == UINT32_MAX - 1) {
        OPFAIL(c, "too many ids (more than %u)", UINT32_MAX - 1);
        return HS_NO_ID;
    }
    if (c->names_len == 0)
        c->names_len = 4;                /* entry 0 marks an empty map entry */
    need = c->names_len + 4 + ((len + 3) & ~(size_t)3);
    if (need > (size_t)ID_E_MASK * 4) {  /* more than the ids of a 1 GiB file can take */
        OPFAIL(c, "the ids' names take more than 1 GiB");
        return HS_NO_ID;
    }
    if (ld_reserve(&c->names, &c->names_cap, need, 4096) < 0)
        goto oom;
    e = (uint32_t)(c->names_len / 4);
    *id_state(c, e) = 0;
    memcpy(c->names + c->names_len + 4, name, len);
    memset(c->names + c->names_len + 4 + len, 0, need - c->names_len - 4 - len);
    c->names_len = need;
    if ((size_t)t->n_ids + 1 > c->map_cap / 4 * 3) {
        size_t ncap = c->map_cap ? c->map_cap * 2 : 64;
        uint32_t *nmap = calloc(ncap, sizeof *nmap);
        if (nmap == NULL)
            goto oom;
        /* the entries before e, in the order of the names (read in order:
         * through the map, each name was a cache miss) */
        for (size_t off = 4; off < (size_t)e * 4;) {
            const char *nm = c->names + off + 4;
            map_put(nmap, ncap, (uint32_t)(off / 4), ld_hash(nm));
            off += 4 + ((strlen(nm) + 1 + 3) & ~(size_t)3);
        }
        free(c->map);
        c->map = nmap;
        c->map_cap = ncap;
    }
    map_put(c->map, c->map_cap, e, h);
    t->n_ids++;
    return e;
oom:
    OPFAIL(c, "out of memory");
    return HS_NO_ID;
}

/* See ld_internal.h.  The entries are in order of first binding: one walk
 * numbers them, then each op's entry number becomes its slot, then the
 * names are packed (the state words dropped) and t->ids points into them. */
int ld_ids_finish(ld_ctx *c)
{
    hs_trace *t = c->t;
    size_t off, dst = 0;
    uint32_t k = 0;
    free(c->map);
    c->map = NULL;
    c->map_cap = 0;
    if (t->n_ids == 0)
        return 0;
    for (off = 4; off < c->names_len; off += 4 + ((strlen(c->names + off + 4) + 1 + 3) & ~(size_t)3))
        *id_state(c, (uint32_t)(off / 4)) = k++;
    for (size_t i = 0; i < t->n_ops; i++) {
        hs_op *op = &t->ops[i];
        if (op->id != HS_NO_ID)
            op->id = *id_state(c, op->id);
        if (op->kind == HS_OP_WRITE && op->size != 0)   /* value_of */
            op->size = (uint64_t)*id_state(c, (uint32_t)(op->size - 1)) + 1;
    }
    for (off = 4; off < c->names_len;) {
        size_t len = strlen(c->names + off + 4) + 1;
        memmove(c->names + dst, c->names + off + 4, len);
        dst += len;
        off += 4 + ((len + 3) & ~(size_t)3);
    }
    {
        char *nn = realloc(c->names, dst);
        if (nn != NULL)
            c->names = nn;
    }
    t->ids = malloc(t->n_ids * sizeof *t->ids);
    if (t->ids == NULL)
        return ld_fail(c, 0, 0, "out of memory");
    off = 0;
    for (uint32_t s = 0; s < t->n_ids; s++) {
        t->ids[s] = c->names + off;
        off += strlen(t->ids[s]) + 1;
    }
    t->id_names = c->names;
    c->names = NULL;
    return 0;
}

/* 1 when entry e is bound and not freed since.  Never fails. */
static int id_live(const ld_ctx *c, uint32_t e)
{
    return (*id_state(c, e) & ID_LIVE) != 0;
}

/* The op number that last bound entry e (0: never).  Never fails. */
static size_t id_bound_by(const ld_ctx *c, uint32_t e)
{
    return *id_state(c, e) & ID_OPNO;
}

/* Marks entry e bound by op opno (live) or freed (not live).  Never fails. */
static void id_set(ld_ctx *c, uint32_t e, size_t opno, int live)
{
    uint32_t *st = id_state(c, e);
    *st = live ? ID_LIVE | (uint32_t)opno : (*st & ID_OPNO);
}

/* The op number that last freed entry e (free, or realloc to 0 bytes), for
 * messages: the ops are searched from the last.  0 if none.  Never fails. */
static size_t id_freed_by(const ld_ctx *c, uint32_t e)
{
    for (size_t i = c->t->n_ops; i > 0; i--) {
        const hs_op *o = &c->t->ops[i - 1];
        if (o->id == e && (o->kind == HS_OP_FREE || (o->kind == HS_OP_REALLOC && o->size == 0)))
            return i;
    }
    return 0;
}

/* The bytes entry e was last asked for: those of the op that last bound it
 * (calloc's product saturated at UINT64_MAX).  The entry has been bound.
 * Never fails. */
static uint64_t id_size(const ld_ctx *c, uint32_t e)
{
    const hs_op *o = &c->t->ops[id_bound_by(c, e) - 1];
    if (o->kind != HS_OP_CALLOC)
        return o->size;
    return o->arg != 0 && o->size > UINT64_MAX / o->arg ? UINT64_MAX : o->arg * o->size;
}

/* See ld_internal.h. */
int ld_reserve(char **buf, size_t *cap, size_t need, size_t first)
{
    size_t ncap = *cap ? *cap : first;
    char *nb;
    if (need <= *cap)
        return 0;
    while (ncap < need)
        ncap *= 2;
    nb = realloc(*buf, ncap);
    if (nb == NULL)
        return -1;
    *buf = nb;
    *cap = ncap;
    return 0;
}

/* Appends s to the pool; returns its offset, or HS_NO_STR with the error
 * set (out of memory, pool beyond 4 GiB). */
uint32_t ld_pool_add(ld_ctx *c, const char *s)
{
    hs_trace *t = c->t;
    size_t n = strlen(s) + 1;
    uint32_t off;
    if (t->pool_len == 0) {
        if (ld_reserve(&t->pool, &c->pool_cap, 1, 256) < 0)
            goto oom;
        t->pool[0] = 0;       /* offset 0 is HS_NO_STR */
        t->pool_len = 1;
    }
    if (n > UINT32_MAX - t->pool_len) {
        OPFAIL(c, "notes and labels take more than 4 GiB");
        return HS_NO_STR;
    }
    if (ld_reserve(&t->pool, &c->pool_cap, t->pool_len + n, 256) < 0)
        goto oom;
    off = (uint32_t)t->pool_len;
    memcpy(t->pool + off, s, n);
    t->pool_len += n;
    return off;
oom:
    OPFAIL(c, "out of memory");
    return HS_NO_STR;
}

/* Appends op, which begins on line c->line.  op_line is made only when an
 * op does not begin on the line after the previous op's.  Returns 0, or -1
 * with the error set (out of memory). */
static int append_op(ld_ctx *c, const hs_op *op)
{
    hs_trace *t = c->t;
    if (t->n_ops == c->ops_cap) {
        size_t ncap = c->ops_cap ? c->ops_cap * 2 : 64;
        hs_op *nops = realloc(t->ops, ncap * sizeof *nops);
        if (nops == NULL)
            return OPFAIL(c, "out of memory");
        t->ops = nops;
        if (t->op_line != NULL) {
            uint32_t *nlines = realloc(t->op_line, ncap * sizeof *nlines);
            if (nlines == NULL)
                return OPFAIL(c, "out of memory");
            t->op_line = nlines;
        }
        c->ops_cap = ncap;
    }
    if (t->n_ops == 0)
        t->op_line0 = c->line;
    if (t->op_line == NULL && c->line != t->op_line0 + t->n_ops) {
        t->op_line = malloc(c->ops_cap * sizeof *t->op_line);
        if (t->op_line == NULL)
            return OPFAIL(c, "out of memory");
        for (size_t i = 0; i < t->n_ops; i++)
            t->op_line[i] = t->op_line0 + (uint32_t)i;
    }
    if (t->op_line != NULL)
        t->op_line[t->n_ops] = c->line;
    t->ops[t->n_ops] = *op;
    t->n_ops++;
    return 0;
}

/* "id, size, touch, note, label": the fields op kind k takes.  Never fails. */
static void fields_of(int k, char *out, size_t n)
{
    unsigned all = op_fields[k].req | op_fields[k].opt | FB(F_NOTE) | FB(F_LABEL);
    size_t o = 0;
    out[0] = 0;
    for (int f = F_ID; f < F_COUNT; f++) {
        if (all & FB(f)) {
            int w = snprintf(out + o, n - o, "%s%s", o ? ", " : "", field_name[f]);
            if (w < 0 || (size_t)w >= n - o)
                return;
            o += (size_t)w;
        }
    }
}

/* madvise's "advice": a name of sim/op.c's list, into *out.  Returns 0, or
 * -1 with the message (the names it knows). */
static int get_advice(ld_ctx *c, const cJSON *v, uint8_t *out)
{
    char q[96], known[128] = "";
    if (ld_is(v, cJSON_String))
        for (int k = 0; k < HS_ADVICE_COUNT; k++)
            if (strcmp(v->valuestring, hs_advice_name(k)) == 0) {
                *out = (uint8_t)k;
                return 0;
            }
    for (int k = 0; k < HS_ADVICE_COUNT; k++) {
        size_t kl = strlen(known);
        snprintf(known + kl, sizeof known - kl, "%s%s", k ? ", " : "", hs_advice_name(k));
    }
    ld_describe_value(v, q, sizeof q);
    return OPFAIL(c, "advice must be one of %s, not %s", known, q);
}

/* The op's touch field against `req` requested bytes: absent or true = all,
 * false = none, N <= req.  When the call must fail (calloc overflow:
 * `fails`), any valid touch resolves to 0.  Returns 0, or -1 with the
 * error set. */
static int resolve_touch(ld_ctx *c, const cJSON *v, uint64_t req, int fails, uint64_t *out)
{
    uint64_t n;
    char d[96];
    if (v == NULL || ld_is(v, cJSON_True)) {
        *out = fails ? 0 : req;
        return 0;
    }
    if (ld_is(v, cJSON_False)) {
        *out = 0;
        return 0;
    }
    if (ld_is(v, cJSON_String)) {
        if (parse_size_string(v->valuestring, &n) == 1) {
            ld_describe_value(v, d, sizeof d);
            return OPFAIL(c, "touch must be true, false or a number of bytes, not %s", d);
        }
    } else if (!ld_is(v, cJSON_Number)) {
        ld_describe_value(v, d, sizeof d);
        return OPFAIL(c, "touch must be true, false or a number of bytes, not %s", d);
    }
    if (get_count(c, v, "touch", &n) < 0)
        return -1;
    if (!fails && n > req)
        return OPFAIL(c, "touch writes past the requested size (touch %llu > %llu)",
                      (unsigned long long)n, (unsigned long long)req);
    *out = fails ? 0 : n;
    return 0;
}

/* See ld_internal.h.  (A key was compared with the first byte of each
 * of the 15 field names, and an op name with each op's name through a
 * call of hs_op_name.)  Never fails. */
void ld_ops_start(ld_ctx *c)
{
    _Static_assert(F_COUNT <= 16 && HS_OP_KIND_COUNT <= 16, "ld_ctx's masks are 16 bits");
    memset(c->field_first, 0, sizeof c->field_first);
    memset(c->kind_first, 0, sizeof c->kind_first);
    for (int k = 0; k < F_COUNT; k++)
        c->field_first[(unsigned char)field_name[k][0]] |= (uint16_t)FB(k);
    for (int k = 0; k < HS_OP_KIND_COUNT; k++)
        c->kind_first[(unsigned char)hs_op_name(k)[0]] |= (uint16_t)FB(k);
}

/* See ld_internal.h.  Checks in this order: the op is an object, "op" is
 * known, the fields the op takes are there (others are ignored),
 * each value, then ids, liveness and sizes.  On failure nothing is
 * appended and -1 is returned with c->err set. */
int ld_op(ld_ctx *c, const cJSON *item, size_t opno, uint32_t line)
{
    const cJSON *f[F_COUNT];            /* f[k] set only where have says (no clearing per op) */
    const cJSON *ch;
    const char *id = NULL, *s = NULL;
    char q[96], list[128];
    unsigned allowed, have = 0, others = 0;
    int kind = -1;
    hs_op op;
    uint32_t slot = HS_NO_ID, note = HS_NO_STR, label = HS_NO_STR;
    uint64_t id_hash = 0;

    c->opno = opno;
    c->line = line;
    if (opno > ID_OPNO)                 /* cannot happen below LD_MAX_BYTES */
        return OPFAIL(c, "too many ops (more than %u)", ID_OPNO);
    memset(&op, 0, sizeof op);
    op.id = HS_NO_ID;

    if (!ld_is(item, cJSON_Object))
        return OPFAIL(c, "an op must be an object such as {\"op\": \"malloc\", \"id\": \"A\", "
                      "\"size\": 100}, not %s", ld_type_name(item));
    for (ch = item->child; ch != NULL; ch = ch->next) {
        const char *key = ch->string ? ch->string : "";
        others++;                       /* taken back when the key is an op field */
        /* only the fields whose name begins with the key's first byte (at
         * most two; a key "" has none), compared from the second byte */
        for (unsigned m = c->field_first[(unsigned char)key[0]]; m != 0; m &= m - 1) {
            int k = __builtin_ctz(m);
            if (ld_streq(key + 1, field_name[k] + 1)) {
                if (have & FB(k))
                    return OPFAIL(c, "field \"%s\" appears twice", key);
                have |= FB(k);
                f[k] = ch;
                others--;
                break;
            }
        }
    }
    if ((have & FB(F_ID)) && ld_is(f[F_ID], cJSON_String)) {
        /* the id's map entry is far in memory (a tenth of a load waited
         * for it): ask for it now, the checks below run meanwhile (a
         * chunk of .jsonl lines has asked already: ld_ops_prefetch) */
        const char *v = f[F_ID]->valuestring;
        id_hash = c->hint_i < c->hint_n && c->hint_id[c->hint_i] == v ? c->hint_hash[c->hint_i] : ld_hash(v);
#if defined(__GNUC__)
        if (c->map_cap > 0)
            __builtin_prefetch(&c->map[id_hash & (c->map_cap - 1)]);
#endif
    }
    if (!(have & FB(F_OP)))
        return OPFAIL(c, "missing field \"op\"");
    if (!ld_is(f[F_OP], cJSON_String)) {
        ld_describe_value(f[F_OP], q, sizeof q);
        return OPFAIL(c, "op must be a string such as \"malloc\", not %s", q);
    }
    for (unsigned m = c->kind_first[(unsigned char)f[F_OP]->valuestring[0]]; m != 0 && kind < 0; m &= m - 1)
        if (ld_streq(f[F_OP]->valuestring + 1, hs_op_name(__builtin_ctz(m)) + 1))
            kind = __builtin_ctz(m);
    if (kind < 0) {
        ld_describe_value(f[F_OP], q, sizeof q);
        return OPFAIL(c, "unknown op %s", q);
    }
    op.kind = (uint8_t)kind;

    /* Fields this op does not take, known or not, are ignored, as unknown
     * top-level keys are: the contract grows only by optional fields, so a
     * trace written for a later version still loads here. */
    allowed = op_fields[kind].req | op_fields[kind].opt | F_COMMON;
    have &= allowed;                    /* from here a field is FIELD(k): NULL if absent */
#define FIELD(k) ((have & FB(k)) ? f[k] : NULL)
    if (op_fields[kind].req & ~have) {
        for (int k = F_ID; k < F_COUNT; k++) {
            if ((op_fields[kind].req & FB(k)) && !(have & FB(k))) {
                fields_of(kind, list, sizeof list);
                return OPFAIL(c, "missing field \"%s\" (%s takes %s)", field_name[k], hs_op_name(kind), list);
            }
        }
    }

    /* values, in field order */
    if (FIELD(F_ID) != NULL && get_string(c, FIELD(F_ID), "id", 1, &id) < 0)
        return -1;
    if (FIELD(F_NMEMB) != NULL && get_count(c, FIELD(F_NMEMB), "nmemb", &op.arg) < 0)
        return -1;
    if (FIELD(F_ALIGNMENT) != NULL && get_count(c, FIELD(F_ALIGNMENT), "alignment", &op.arg) < 0)
        return -1;
    if (FIELD(F_SIZE) != NULL && get_count(c, FIELD(F_SIZE), "size", &op.size) < 0)
        return -1;
    if (FIELD(F_PAD) != NULL && get_count(c, FIELD(F_PAD), "pad", &op.size) < 0)
        return -1;
    if (FIELD(F_PARAM) != NULL) {
        int p = -1;
        if (!ld_is(FIELD(F_PARAM), cJSON_String)) {
            ld_describe_value(FIELD(F_PARAM), q, sizeof q);
            return OPFAIL(c, "param must be a string such as \"M_MMAP_THRESHOLD\", not %s", q);
        }
        for (int k = 0; k < HS_PARAM_COUNT; k++)
            if (strcmp(FIELD(F_PARAM)->valuestring, hs_param_name(k)) == 0)
                p = k;
        if (p < 0) {
            char known[256] = "";
            for (int k = 0; k < HS_PARAM_COUNT; k++) {
                size_t kl = strlen(known);
                snprintf(known + kl, sizeof known - kl, "%s%s", k ? ", " : "", hs_param_name(k));
            }
            ld_describe_value(FIELD(F_PARAM), q, sizeof q);
            return OPFAIL(c, "unknown param %s (known: %s)", q, known);
        }
        op.param = (uint8_t)p;
    }
    if (FIELD(F_ADVICE) != NULL && get_advice(c, FIELD(F_ADVICE), &op.param) < 0)
        return -1;
    if (FIELD(F_VALUE) != NULL && kind == HS_OP_WRITE) {
        uint64_t w;
        if (get_count(c, FIELD(F_VALUE), "value", &w) < 0)
            return -1;
        op.value = (int64_t)w;            /* the 64 bits, as stored */
    } else if (FIELD(F_VALUE) != NULL && get_int(c, FIELD(F_VALUE), &op.value) < 0)
        return -1;
    if (FIELD(F_NOTE) != NULL) {
        if (get_string(c, FIELD(F_NOTE), "note", 0, &s) < 0)
            return -1;
        if ((note = ld_pool_add(c, s)) == HS_NO_STR)
            return -1;
    }
    if (FIELD(F_LABEL) != NULL) {
        if (get_string(c, FIELD(F_LABEL), "label", 0, &s) < 0)
            return -1;
        if ((label = ld_pool_add(c, s)) == HS_NO_STR)
            return -1;
    }

    /* ids, liveness and sizes */
    if (id != NULL)                     /* id is FIELD(F_ID)'s string: id_hash is its hash */
        slot = id_find_h(c, id, id_hash);
    switch (kind) {
    case HS_OP_MALLOC:
    case HS_OP_CALLOC:
    case HS_OP_MEMALIGN: {
        uint64_t req = op.size;
        int fails = 0;
        if (slot != HS_NO_ID && id_live(c, slot))
            return OPFAIL(c, "id %s is still live (bound by op %zu)", quoted(id, q, sizeof q),
                          id_bound_by(c, slot));
        if (kind == HS_OP_CALLOC && op.arg != 0 && op.size > UINT64_MAX / op.arg) {
            fails = 1;                  /* nmemb * size overflows: calloc returns NULL */
            req = UINT64_MAX;
        } else if (kind == HS_OP_CALLOC) {
            req = op.arg * op.size;
        }
        if (resolve_touch(c, FIELD(F_TOUCH), req, fails, &op.touch) < 0)
            return -1;
        if (slot == HS_NO_ID && (slot = id_new(c, id, id_hash)) == HS_NO_ID)
            return -1;
        id_set(c, slot, opno, 1);       /* the size: id_size */
        break;
    }
    case HS_OP_REALLOC:
        if (slot == HS_NO_ID)
            return OPFAIL(c, "realloc of unknown id %s " NEVER_BOUND, quoted(id, q, sizeof q));
        if (!id_live(c, slot))
            return OPFAIL(c, "realloc of id %s, which is not live (freed by op %zu)", quoted(id, q, sizeof q),
                          id_freed_by(c, slot));
        if (resolve_touch(c, FIELD(F_TOUCH), op.size, 0, &op.touch) < 0)
            return -1;
        id_set(c, slot, opno, op.size != 0);   /* realloc(p, 0) frees p and returns NULL */
        break;
    case HS_OP_FREE:
        if (slot == HS_NO_ID)
            return OPFAIL(c, "free of unknown id %s " NEVER_BOUND, quoted(id, q, sizeof q));
        /* free of a freed id is a double free: legal here, replayed as such */
        id_set(c, slot, opno, 0);
        break;
    case HS_OP_TOUCH:
    case HS_OP_MADVISE: {
        /* madvise: the same range as touch, inside what the block was asked
         * for; the op then acts on the whole pages in it (hs_madvise_range) */
        const char *verb = kind == HS_OP_TOUCH ? "writes" : "advises";
        uint64_t size, off = 0, len;
        if (slot == HS_NO_ID)
            return OPFAIL(c, "%s of unknown id %s " NEVER_BOUND, hs_op_name(kind), quoted(id, q, sizeof q));
        if (!id_live(c, slot))
            return OPFAIL(c, "%s of id %s, which is not live (freed by op %zu)", hs_op_name(kind),
                          quoted(id, q, sizeof q), id_freed_by(c, slot));
        size = id_size(c, slot);
        if (FIELD(F_OFFSET) != NULL && get_count(c, FIELD(F_OFFSET), "offset", &off) < 0)
            return -1;
        if (FIELD(F_LEN) != NULL) {
            if (get_count(c, FIELD(F_LEN), "len", &len) < 0)
                return -1;
            if (off > size || len > size - off)
                return OPFAIL(c, "%s %s past the requested size (offset %llu + len %llu > %llu)",
                              hs_op_name(kind), verb, (unsigned long long)off, (unsigned long long)len,
                              (unsigned long long)size);
        } else {
            if (off > size)
                return OPFAIL(c, "%s %s past the requested size (offset %llu > %llu)", hs_op_name(kind),
                              verb, (unsigned long long)off, (unsigned long long)size);
            len = size - off;
        }
        op.arg = off;
        op.size = len;
        break;
    }
    case HS_OP_WRITE: {
        /* Deliberate misuse is allowed: the block may have been freed (a
         * use-after-free write, as how2heap's programs make); it must have
         * been bound, and the 8 bytes must lie in what was last requested. */
        uint64_t off = 0;
        if (slot == HS_NO_ID)
            return OPFAIL(c, "write to unknown id %s " NEVER_BOUND, quoted(id, q, sizeof q));
        if (FIELD(F_OFFSET) != NULL && get_count(c, FIELD(F_OFFSET), "offset", &off) < 0)
            return -1;
        if ((FIELD(F_VALUE) == NULL) == (FIELD(F_VALUE_OF) == NULL))
            return OPFAIL(c, "write takes one of \"value\" (a number) and \"value_of\" (an id: "
                          "its pointer is written)");
        if (FIELD(F_VALUE_OF) != NULL) {
            const char *src;
            uint32_t from;
            if (get_string(c, FIELD(F_VALUE_OF), "value_of", 1, &src) < 0)
                return -1;
            if ((from = id_find(c, src)) == HS_NO_ID)
                return OPFAIL(c, "write of the pointer of unknown id %s " NEVER_BOUND,
                              quoted(src, q, sizeof q));
            op.size = (uint64_t)from + 1;
        }
        if (off % 8 != 0)
            return OPFAIL(c, "write offset %llu is not a multiple of 8", (unsigned long long)off);
        uint64_t size = id_size(c, slot);
        if (size < 8 || off > size - 8)
            return OPFAIL(c, "write past the requested size (offset %llu + 8 > %llu)",
                          (unsigned long long)off, (unsigned long long)size);
        op.arg = off;
        break;
    }
    default:
        break;
    }
    op.id = slot;
    if (append_op(c, &op) < 0)
        return -1;
    if (note != HS_NO_STR && ld_side_set(c, &c->t->op_note, note) < 0)
        return -1;
    if (label != HS_NO_STR && ld_side_set(c, &c->t->op_label, label) < 0)
        return -1;
    return ld_op_extra(c, item, others > 0);
#undef FIELD
}

/* See ld_internal.h. */
int ld_header_member(ld_ctx *c, const char *key, const cJSON *v, uint32_t line)
{
    char d[96];
    uint32_t *seen = NULL;
    if (strcmp(key, "ops") == 0)
        seen = &c->seen_ops;
    else if (strcmp(key, "format") == 0)
        seen = &c->seen_format;
    else if (strcmp(key, "title") == 0)
        seen = &c->seen_title;
    else if (strcmp(key, "description") == 0)
        seen = &c->seen_description;
    else if (ld_header_extra_key(key))
        return ld_header_extra(c, key, v, line);
    else
        return 0;                        /* unknown top-level keys are ignored */
    if (*seen)
        return ld_fail(c, line, 0, "\"%s\" appears twice (first on line %u)", key, *seen);
    *seen = line;
    if (seen == &c->seen_ops)
        return 0;
    if (seen == &c->seen_format) {
        if (!ld_is(v, cJSON_String)) {
            ld_describe_value(v, d, sizeof d);
            return ld_fail(c, line, 0, "\"format\" must be the string \"heapsim-trace/1\", not %s", d);
        }
        if (strcmp(v->valuestring, "heapsim-trace/1") != 0) {
            ld_describe_value(v, d, sizeof d);
            return ld_fail(c, line, 0, "unknown format %s (this program reads \"heapsim-trace/1\")", d);
        }
        return 0;
    }
    if (!ld_is(v, cJSON_String)) {
        ld_describe_value(v, d, sizeof d);
        return ld_fail(c, line, 0, "\"%s\" must be a string, not %s", key, d);
    }
    {
        char **dst = seen == &c->seen_title ? &c->t->title : &c->t->description;
        *dst = strdup(v->valuestring);
        if (*dst == NULL)
            return ld_fail(c, line, 0, "out of memory");
    }
    return 0;
}

/* See ld_internal.h.  Never fails; safe to call twice. */
void ld_ctx_fini(ld_ctx *c)
{
    free(c->map);
    free(c->names);
    c->names = NULL;
    free(c->callers.map);
    free(c->threads.map);
    free(c->thread_exit_op);
    c->thread_exit_op = NULL;
    c->callers.map = c->threads.map = NULL;
    c->map = NULL;
    c->map_cap = 0;
}
