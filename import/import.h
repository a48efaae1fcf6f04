/* import/import.h — turning other tools' allocation logs (glibc mtrace, ltrace) into trace ops.
 * Owns: hs_imp, the line-by-line importers, and the address-lifetime ids shared with `heapsim record`. */
#ifndef HS_IMPORT_H
#define HS_IMPORT_H

#include <stddef.h>
#include <stdint.h>

/* ---- ids.c: ids from address lifetimes ----
 * A block is named when a call returns its address and keeps the name
 * through realloc until it is freed; a freed name is used again, oldest
 * first, once HS_IDS_REST names freed after it wait too (so a trace needs
 * as many ids as blocks were live at once, plus HS_IDS_REST, and a freed
 * chunk still in a bin rarely shares its label with a new block: reusing
 * the newest freed name at once put two chunks named alike in the tcache). */
#define HS_IDS_REST 1024
typedef struct hs_addr_ids {
    uint64_t *key;     /* open addressing, 0 = empty */
    uint32_t *val;
    size_t    cap, n;
    uint32_t *pool;    /* freed names, a ring: first-in first-out */
    size_t    pool_head, pool_n, pool_cap;
    uint32_t  next;    /* names handed out so far (ids are 1..next) */
} hs_addr_ids;

/* A name for a new block at addr (addr 0: a NULL result, named but not
 * findable).  Returns the id (>= 1), or 0 when out of memory. */
uint32_t hs_ids_bind(hs_addr_ids *m, uint64_t addr);
/* The live block at addr; with del it stops being findable (its name is
 * not freed: see hs_ids_release).  Returns the id, or 0 if none. */
uint32_t hs_ids_find(hs_addr_ids *m, uint64_t addr, int del);
/* Makes addr name id (a realloc that moved).  Returns 0, or -1 (out of memory). */
int hs_ids_move(hs_addr_ids *m, uint64_t addr, uint32_t id);
/* Gives id back for reuse.  Returns 0, or -1 (out of memory). */
int hs_ids_release(hs_addr_ids *m, uint32_t id);
void hs_ids_free(hs_addr_ids *m);

/* ---- the importers ---- */

typedef enum hs_imp_format { HS_IMP_MTRACE, HS_IMP_LTRACE } hs_imp_format;

/* One op found in a log, ready to print.  kind is an hs_op_kind (malloc,
 * calloc, realloc, memalign, free). */
typedef struct hs_imp_op {
    int         kind;
    uint32_t    id;          /* "b<id>" */
    uint64_t    size;        /* malloc, calloc, realloc, memalign */
    uint64_t    arg;         /* calloc nmemb, memalign alignment */
    const char *caller;      /* NULL or caller text (valid during the callback) */
    size_t      caller_len;
    uint32_t    thread;      /* 0 = the first pid/thread seen, else 1, 2, ... */
} hs_imp_op;

typedef int (*hs_imp_emit)(void *ctx, const hs_imp_op *op);

typedef struct hs_imp_stats {
    uint64_t lines, ops;
    uint64_t unknown_dropped;   /* free/realloc of a pointer the log never returned */
    uint64_t other_skipped;     /* ltrace lines of other functions, signals, exits */
    uint32_t threads;           /* pids/threads besides the first */
} hs_imp_stats;

typedef struct hs_imp hs_imp;

/* A new importer that calls emit for each op (a nonzero return from emit
 * stops it: hs_imp_line then fails with "cannot write").  NULL when out of
 * memory. */
hs_imp *hs_imp_new(hs_imp_format fmt, hs_imp_emit emit, void *ctx);

/* One line of the log, without its newline (it may hold any bytes).
 * Returns 0, or -1 with err set to what is wrong with the line (the caller
 * adds FILE:LINE). */
int hs_imp_line(hs_imp *im, const char *line, size_t len, char *err, size_t errlen);

/* The end of the log: an open "<" without its ">" is an error; calls
 * left unfinished are dropped (counted).  Returns 0, or -1 with err. */
int hs_imp_finish(hs_imp *im, char *err, size_t errlen);

const hs_imp_stats *hs_imp_get_stats(const hs_imp *im);
void hs_imp_free(hs_imp *im);

/* ---- reading a log a block at a time, cut into lines ----
 * The caller gives the bytes (read(2) on the log, or a fuzzer's buffer); a
 * line longer than max is refused without being read whole (a sparse file
 * of zeros must not take all memory). */
#define HS_IMP_LINE_MAX (1 << 20)    /* an allocator log's lines are short */

/* Reads up to n bytes into buf: returns how many (0 at the end), or -1 with
 * errno set. */
typedef long (*hs_imp_read_fn)(void *ctx, char *buf, size_t n);

typedef struct hs_imp_reader {
    hs_imp_read_fn read;
    void          *ctx;
    size_t         max;        /* the longest line taken (HS_IMP_LINE_MAX) */
    char          *buf;
    size_t         cap, start, end;   /* unread bytes: buf[start..end) */
    int            eof;
} hs_imp_reader;

/* The next line (without its newline, NUL-terminated inside r's buffer:
 * valid until the next call; NUL bytes inside are kept, hs_imp_line refuses
 * them) in *line and *len; a last line without a newline counts.  Returns 1
 * for a line, 0 at the end, -1 on a read error (errno set), -2 for a line
 * longer than r->max, -3 when out of memory. */
int hs_imp_read_line(hs_imp_reader *r, char **line, size_t *len);

/* Frees r's buffer.  Never fails. */
void hs_imp_reader_free(hs_imp_reader *r);

/* mtrace.c / ltrace.c: one line each (used by hs_imp_line, which has
 * already refused NUL bytes, cut trailing CRs and spaces, skipped blank
 * lines and reset the caller). */
int hs_imp_mtrace_line(hs_imp *im, const char *line, size_t len, char *err, size_t errlen);
int hs_imp_ltrace_line(hs_imp *im, const char *line, size_t len, char *err, size_t errlen);

#endif
