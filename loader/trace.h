/* loader/trace.h — a loaded trace: compact ops, id names, notes; and the loader.
 * Owns: hs_trace and reading heapsim-trace/1 files (.json, .jsonl) with cJSON. */
#ifndef HS_TRACE_H
#define HS_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/op.h"

typedef struct hs_trace {
    char     *title;        /* NULL if absent */
    char     *description;  /* NULL if absent */
    hs_op    *ops;
    size_t    n_ops;
    uint32_t *op_line;      /* op_line[i]: source line on which op i begins; NULL
                               when op i begins on line op_line0 + i for every i
                               (a .jsonl trace without blank lines): read it
                               with hs_trace_op_line */
    uint32_t  op_line0;
    char    **ids;          /* ids[slot]: the id's name; slot = hs_op.id */
    uint32_t  n_ids;
    char     *id_names;     /* the names ids[] point into, one block */
    char     *pool;         /* notes, labels, callers, thread names */
    size_t    pool_len;
    /* Optional fields of ops (loader/opextra.c).  Each side
     * array is NULL unless some op of the trace has the field; then it has
     * n_ops entries.  Strings are pool offsets (HS_NO_STR: absent), each
     * distinct caller or thread name stored once. */
    char     *touch_rule;   /* header "touch_rule", NULL if absent */
    char     *settings;     /* header "settings", NULL if absent */
    int       truncated;    /* header "truncated": true */
    uint32_t *op_note;      /* op "note" (read it with hs_trace_note) */
    uint32_t *op_label;     /* op "label" (hs_trace_label) */
    uint32_t *op_caller;    /* op "caller" */
    uint32_t *op_thread;    /* op "thread" */
    uint64_t *op_rec_ptr;   /* op "ptr": HS_REC_PTR_* or the heap offset */
    uint32_t  n_threads;    /* distinct "thread" names */
    uint32_t *thread_name;  /* thread_name[k - 1]: pool offset of the name of thread
                               k (hs_op.thread, numbered by first appearance);
                               NULL when n_threads is 0 */
} hs_trace;

/* op_rec_ptr values that are not heap offsets. */
#define HS_REC_PTR_NONE    UINT64_MAX         /* no "ptr" on this op */
#define HS_REC_PTR_MMAPPED (UINT64_MAX - 1)   /* "ptr": "mmap" */
#define HS_REC_PTR_NULL    (UINT64_MAX - 2)   /* "ptr": null (the call returned NULL) */

/* Error detail of a failed load, already in the contract's wording:
 *   "FILE:LINE:COL: message"        (syntax errors)
 *   "FILE:LINE: op N: message"      (any other error in op N, 1-based)
 *   "FILE: message"                 (a file that cannot be read, a top-level problem) */
typedef struct hs_trace_error {
    char msg[4608];   /* room for a PATH_MAX file name and the message */
} hs_trace_error;

/* Loads PATH (.jsonl when the name ends in ".jsonl", else one JSON document)
 * into *t and checks it whole: every op, every field, ids bound and freed in
 * order, touches within the requested size.  Returns 0 on success.  On any
 * error returns -1, fills *err, and leaves *t empty (nothing to free). */
int hs_trace_load(const char *path, hs_trace *t, hs_trace_error *err);

/* "a FIFO", "a character device", "a directory", ...: what a file of st_mode
 * `mode` is, for "PATH: is a FIFO, not a regular file" messages (the loader's,
 * the importer's and hs_outfile's).  Never fails. */
const char *hs_file_kind(unsigned int mode);

/* Same, from a buffer; name is used in messages; jsonl selects the format. */
int hs_trace_load_mem(const char *name, const char *buf, size_t len, int jsonl,
                      hs_trace *t, hs_trace_error *err);

/* *out: t's header, ids and pool (shared: out points into t), with no ops
 * and none of the per-op side arrays; for a variant of t that its caller
 * fills with ops of its own (out->ops is the caller's to free; never
 * hs_trace_free a variant).  Never fails. */
void hs_trace_share(const hs_trace *t, hs_trace *out);

void hs_trace_free(hs_trace *t);

/* Whether t's ops run on threads besides the main one (some op has a
 * "thread"): n_threads, which a variant made with hs_trace_share keeps
 * while its per-op side arrays are dropped.  Never fails. */
static inline int hs_trace_threaded(const hs_trace *t)
{
    return t->n_threads > 0;
}

/* The string at a pool offset (a note or a label); NULL for HS_NO_STR. */
const char *hs_trace_str(const hs_trace *t, uint32_t off);

/* The note and the label of op i (0-based); NULL when it has none or i is
 * out of range. */
const char *hs_trace_note(const hs_trace *t, size_t i);
const char *hs_trace_label(const hs_trace *t, size_t i);

/* The source line on which op i (0-based) begins; 0 when i is out of range
 * or the trace was not loaded from text. */
uint32_t hs_trace_op_line(const hs_trace *t, size_t i);

/* The op in C syntax, e.g. "C = malloc(200K)", "free(C)",
 * "mallopt(M_MMAP_THRESHOLD, 131072)".  Always terminated. */
void hs_op_format(const hs_trace *t, const hs_op *op, char *buf, size_t len);

/* hs_op_name, hs_param_name: sim/op.h. */

#endif
