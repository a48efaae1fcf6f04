/* loader/ld_internal.h — the loader's private interfaces, shared by the files of loader/ only.
 * Owns: the raw-text checker (json_check.c), the op checker (ops.c) and their shared context. */
#ifndef HS_LD_INTERNAL_H
#define HS_LD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "loader/trace.h"

/* Largest trace file (or buffer) the loader reads: 1 GiB. */
#define LD_MAX_BYTES ((uint64_t)1 << 30)

/* 1 if the strings are equal: strcmp inline, for the short keys, op names
 * and ids compared per op (a call each was a twentieth of a load).
 * Never fails. */
static inline int ld_streq(const char *a, const char *b)
{
    while (*a != 0 && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* 1 if v is a value of cJSON type `type` (cJSON_String, ...): what
 * cJSON_IsString and the others test, without a call into the library
 * per field.  NULL gives 0.  Never fails. */
static inline int ld_is(const cJSON *v, int type)
{
    return v != NULL && (v->type & 0xFF) == type;
}

/* FNV-1a of a NUL-terminated string, for the loader's hash tables.
 * Never fails. */
static inline uint64_t ld_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* Quoted values in messages keep at most this many characters. */
#define LD_QUOTE_CHARS 40

/* ---- json_check.c: raw JSON text ---- */

/* Result of ld_json_check. */
typedef struct ld_syntax {
    size_t      off;       /* error: byte offset of the problem */
    size_t      top_off;   /* success: offset of the top-level value */
    int         empty;     /* error: the text holds nothing but whitespace */
    const char *eof_word;  /* "end of file" or "end of line", used in messages */
    char        msg[200];  /* error: what is wrong, without position */
} ld_syntax;

/* Checks that buf[0..len) is one JSON value, as cJSON would accept it, and
 * more strictly: no NUL byte, valid UTF-8, no control character outside
 * strings, no "\u0000" escape, nesting at most CJSON_NESTING_LIMIT.  Set
 * s->eof_word before calling.  Returns 0 if the text is good; on failure
 * returns -1 with s->off and s->msg set (s->empty when only whitespace). */
int ld_json_check(const char *buf, size_t len, ld_syntax *s);

/* Offsets in text that ld_json_check accepted.  ld_skip_ws returns the
 * first non-whitespace offset at or after i; ld_skip_string the offset just
 * past the string starting at i (a '"'); ld_skip_value the offset just past
 * the value starting at i.  They never read past len. */
size_t ld_skip_ws(const char *buf, size_t len, size_t i);
size_t ld_skip_string(const char *buf, size_t len, size_t i);
size_t ld_skip_value(const char *buf, size_t len, size_t i);

/* 1-based line and column (in characters) of byte offset off. */
void ld_line_col(const char *buf, size_t len, size_t off, uint32_t *line, uint32_t *col);

/* Counts lines forward through one buffer: the line of an offset that is
 * not before the previous one asked. */
typedef struct ld_lines {
    const char *buf;
    size_t      off;
    uint32_t    line;
} ld_lines;
uint32_t ld_line_at(ld_lines *lc, size_t off);

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if it is not one. */
size_t ld_utf8_seq(const unsigned char *p, size_t n);

/* Writes s[0..n) to out as a double-quoted string for a message: escapes
 * quotes, backslashes and control characters, keeps at most LD_QUOTE_CHARS
 * characters and marks a cut with "...".  Always terminated. */
void ld_quote(const char *s, size_t n, char *out, size_t outlen);

/* ---- ops.c: one op, the id table, the string pool ---- */

/* Ops ld_ops_prefetch takes at a time. */
#define LD_PREFETCH_OPS 16

/* Everything one load builds; freed by ld_ctx_fini. */
typedef struct ld_ctx {
    const char     *name;    /* file name for messages */
    hs_trace       *t;       /* the trace being built */
    hs_trace_error *err;
    size_t          ops_cap, pool_cap;
    /* The ids (ops.c): one block of entries, each a state word (live, the
     * op that last bound it) and the name; while loading, hs_op.id is an
     * entry number.  Packed into t->id_names at the end of a load. */
    char           *names;
    size_t          names_len, names_cap;
    uint32_t       *map;     /* open addressing: hash bits and entry number, 0 = empty */
    size_t          map_cap; /* power of two */
    /* header fields seen (duplicates are errors) */
    uint32_t        seen_format, seen_title, seen_description, seen_ops;
    /* the op being checked, for messages */
    size_t          opno;
    uint32_t        line;
    const char     *op_text; /* the op's raw JSON text, for exact integers above 2^53 */
    size_t          op_len;
    /* opextra.c: optional fields of recorded traces */
    uint32_t        seen_truncated, seen_touch_rule, seen_settings;
    size_t          extra_cap;        /* entries of the side arrays */
    struct ld_intern {                /* open addressing: pool offset, 0 = empty */
        uint32_t   *map;
        size_t      cap, n;
    } callers, threads;
    size_t         *thread_exit_op;   /* [k - 1]: the op that ended thread k, 0 while it runs */
    uint32_t        thread_cap;       /* entries of t->thread_name and thread_exit_op */
    uint32_t        thread_named;     /* threads numbered so far (t->n_threads at the end) */
    struct ld_arena *arena;           /* trace.c: cJSON's memory during the load, or NULL */
    /* ops.c (ld_ops_start): by first byte, the op fields (bit k: field k)
     * and the op kinds (bit k: hs_op_name(k)) whose names begin with it */
    uint16_t        field_first[256], kind_first[256];
    /* ld_ops_prefetch: the "id" strings of the ops it was given (NULL: none)
     * and their hashes; ld_op of the hint_i-th takes the hash from here */
    const char     *hint_id[LD_PREFETCH_OPS];
    uint64_t        hint_hash[LD_PREFETCH_OPS];
    size_t          hint_n, hint_i;
} ld_ctx;

/* Fills c->err: "NAME:LINE: op N: msg" when opno > 0, "NAME:LINE: msg"
 * when only line > 0, "NAME: msg" otherwise.  Always returns -1. */
int ld_fail(ld_ctx *c, uint32_t line, size_t opno, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Asks the cache for what ld_op will read to look up the ids of ops[0..n)
 * (at most LD_PREFETCH_OPS; NULL entries are skipped), so that the misses
 * in the id table (taken one op at a time, a tenth of a load's samples)
 * overlap, and keeps their ids' hashes for ld_op (c->hint_*: set
 * c->hint_i = i before ld_op of ops[i]).  Only a hint: the ops are not
 * checked.  Never fails. */
void ld_ops_prefetch(ld_ctx *c, const cJSON *const *ops, size_t n);

/* Fills c->field_first and c->kind_first; call it once before ld_op.
 * Never fails. */
void ld_ops_start(ld_ctx *c);

/* Checks op number opno (1-based) that begins on line `line`, resolves it
 * into an hs_op and appends it to c->t.  Returns 0, or -1 with c->err set
 * (out of memory included). */
int ld_op(ld_ctx *c, const cJSON *item, size_t opno, uint32_t line);

/* Checks one top-level member other than "ops" (format, title, description;
 * other keys are ignored) whose value starts on `line`.  For "ops" it only
 * records that it was seen and fails if it was seen before.  Returns 0 or
 * -1 with c->err set. */
int ld_header_member(ld_ctx *c, const char *key, const cJSON *v, uint32_t line);

/* ---- opextra.c: optional fields of recorded traces ---- */

/* Checks the optional fields "caller", "thread" (strings) and "ptr" (a
 * non-negative integer, "mmap" or null) of the op just appended (op
 * c->t->n_ops), storing them in the side arrays, made on first use; sets
 * the op's thread number and checks the threads' lives: an op on a thread
 * after its thread_exit, a thread_exit without "thread" (the main thread)
 * or with "id" or "size" are errors.  others: 0 when every key of the op
 * is one of ops.c's fields (then there is none of these to look for).
 * Returns 0, or -1 with the error set (a wrong type, such an error, out
 * of memory). */
int ld_op_extra(ld_ctx *c, const cJSON *item, int others);

/* 1 if key is a header member opextra.c owns ("truncated", "touch_rule",
 * "settings").  Never fails. */
int ld_header_extra_key(const char *key);

/* Checks and stores such a member; duplicates are errors.  Returns 0, or
 * -1 with the error set. */
int ld_header_extra(ld_ctx *c, const char *key, const cJSON *v, uint32_t line);

/* Stores pool offset off in side array *arr (t->op_note, op_label, ...)
 * for the op just appended, making the array on first use.  Returns 0, or
 * -1 with the error set (out of memory). */
int ld_side_set(ld_ctx *c, uint32_t **arr, uint32_t off);

/* Ends a good load: the side arrays that exist get exactly n_ops entries,
 * those of the ops after the last that set one "absent" (without this they
 * stopped where the last grow left them), the slack given back.  Returns
 * 0, or -1 with the error set (out of memory). */
int ld_extra_finish(ld_ctx *c);

/* Makes *buf (*cap bytes, 0 before the first call) hold at least need
 * bytes, doubling from `first`.  Returns 0, or -1 when out of memory
 * (*buf and *cap unchanged).  (ops.c) */
int ld_reserve(char **buf, size_t *cap, size_t need, size_t first);

/* Appends s to the pool; returns its offset, or HS_NO_STR with the error
 * set (out of memory, pool beyond 4 GiB).  (ops.c) */
uint32_t ld_pool_add(ld_ctx *c, const char *s);

/* Describes a JSON value's type for messages: "a string", "true", ... */
const char *ld_type_name(const cJSON *v);

/* A value for a message: a string quoted, a number, or its type.  (ops.c) */
void ld_describe_value(const cJSON *v, char *out, size_t n);

/* Ends a good load: frees the id table, numbers the ids' slots in the ops,
 * then points t->ids into the packed names, which t now owns.  Returns 0, or -1 with the error set
 * (out of memory).  (ops.c) */
int ld_ids_finish(ld_ctx *c);

/* Frees what c owns that the trace does not (id table, names). */
void ld_ctx_fini(ld_ctx *c);

#endif
