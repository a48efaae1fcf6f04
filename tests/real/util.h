/* tests/real/util.h — helpers for the replayer's tests: build hs_trace values in C, collect steps.
 * Owns: nothing outside tests/real; no loader symbol is used, so these tests stand on their own. */
#ifndef HS_TESTS_REAL_UTIL_H
#define HS_TESTS_REAL_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "real/real.h"

#define KiB(n) ((uint64_t)(n) * 1024u)
#define ALL UINT64_MAX   /* touch: every requested byte */

/* A trace under construction: ops are appended, ids are slot numbers. */
typedef struct tb {
    hs_op ops[1024];
    hs_trace t;
} tb;

static inline void tb_init(tb *b, uint32_t n_ids)
{
    memset(b, 0, sizeof *b);
    b->t.ops = b->ops;
    b->t.n_ids = n_ids;
}

/* Appends one op; aborts the test program if the builder is full (a bug in a test). */
static inline hs_op *tb_op(tb *b, int kind, uint32_t id)
{
    if (b->t.n_ops >= sizeof b->ops / sizeof b->ops[0])
        abort();
    hs_op *op = &b->ops[b->t.n_ops++];
    memset(op, 0, sizeof *op);
    op->kind = (uint8_t)kind;
    op->id = id;
    return op;
}

static inline void tb_malloc(tb *b, uint32_t id, uint64_t size, uint64_t touch)
{
    hs_op *op = tb_op(b, HS_OP_MALLOC, id);
    op->size = size;
    op->touch = touch == ALL ? size : touch;
}

static inline void tb_calloc(tb *b, uint32_t id, uint64_t nmemb, uint64_t size)
{
    hs_op *op = tb_op(b, HS_OP_CALLOC, id);
    op->arg = nmemb;
    op->size = size;
    op->touch = 0;
}

static inline void tb_realloc(tb *b, uint32_t id, uint64_t size, uint64_t touch)
{
    hs_op *op = tb_op(b, HS_OP_REALLOC, id);
    op->size = size;
    op->touch = touch == ALL ? size : touch;
}

static inline void tb_memalign(tb *b, uint32_t id, uint64_t align, uint64_t size, uint64_t touch)
{
    hs_op *op = tb_op(b, HS_OP_MEMALIGN, id);
    op->arg = align;
    op->size = size;
    op->touch = touch == ALL ? size : touch;
}

static inline void tb_free(tb *b, uint32_t id)
{
    tb_op(b, HS_OP_FREE, id);
}

static inline void tb_touch(tb *b, uint32_t id, uint64_t off, uint64_t len)
{
    hs_op *op = tb_op(b, HS_OP_TOUCH, id);
    op->arg = off;
    op->size = len;
}

static inline void tb_mallopt(tb *b, int param, int64_t value)
{
    hs_op *op = tb_op(b, HS_OP_MALLOPT, HS_NO_ID);
    op->param = (uint8_t)param;
    op->value = value;
}

static inline void tb_trim(tb *b, uint64_t pad)
{
    hs_op *op = tb_op(b, HS_OP_MALLOC_TRIM, HS_NO_ID);
    op->size = pad;
}

/* ---- Misuse traces that corrupt the heap without glibc noticing ---- */

/* Seven frees of 24-byte blocks fill tcache bin 0x20; then free(a),
 * free(b), free(a) passes the fasttop check (it looks at the head only)
 * and leaves the fastbin a -> b -> a -> ...: mallinfo2 would walk it for
 * ever.  Ids: 0 x, 1..7 t0..t6, 8 a, 9 b.  The cycle is made at step 20. */
static inline void build_fastbin_dup(tb *b, uint32_t n_ids)
{
    tb_init(b, n_ids);
    tb_malloc(b, 0, 10, ALL);
    for (uint32_t i = 1; i <= 9; i++)
        tb_malloc(b, i, 24, ALL);
    for (uint32_t i = 1; i <= 8; i++)
        tb_free(b, i);
    tb_free(b, 9);
    tb_free(b, 8);
}

/* A stale free puts a live 1100-byte block in the unsorted bin; the
 * program writes its bk.  mallinfo2 would follow bk = 0x0101...: a fault in
 * the measurement of the touch step, contained.  The program's own next
 * malloc follows it too and crashes: that is reported as ever. */
static inline void build_unsorted_bk(tb *b)
{
    tb_init(b, 4);
    tb_malloc(b, 0, 10, ALL);
    tb_malloc(b, 1, 1100, ALL);
    tb_malloc(b, 2, 10, ALL);
    tb_free(b, 1);
    tb_malloc(b, 3, 1100, ALL);   /* the same block again */
    tb_free(b, 1);                /* stale: back into the unsorted bin */
    tb_touch(b, 3, 8, 8);         /* its bk */
}

/* With the tcache bin of 48-byte chunks full, a stale free puts a live
 * block in a fastbin and the program writes its fd: mallinfo2 aborts with
 * "int_mallinfo(): unaligned fastbin chunk detected" at the touch (step
 * 35).  The program's own mallocs after it are served by the tcache. */
static inline void build_fastbin_poison(tb *b)
{
    /* ids: 0 x, 1..7 t0..t6, 8 a, 9 g, 10 b, 11 c, 12 d */
    tb_init(b, 13);
    tb_malloc(b, 0, 10, ALL);
    for (uint32_t i = 1; i <= 8; i++)
        tb_malloc(b, i, 40, ALL);
    tb_malloc(b, 9, 10, ALL);
    for (uint32_t i = 1; i <= 8; i++)
        tb_free(b, i);                 /* a goes to the fastbin */
    for (uint32_t i = 1; i <= 7; i++)
        tb_malloc(b, i, 40, ALL);      /* empties the tcache bin */
    tb_malloc(b, 10, 40, ALL);         /* b: a, from the fastbin */
    for (uint32_t i = 1; i <= 7; i++)
        tb_free(b, i);
    tb_free(b, 8);                     /* stale free of a (= b): fastbin */
    tb_touch(b, 10, 0, 8);             /* the program writes b's first word: a's fd */
    tb_malloc(b, 11, 40, ALL);
    tb_malloc(b, 12, 40, ALL);
}

/* The steps of one run. */
typedef struct rec {
    hs_step st[1024];
    size_t n;
    size_t stop_after;   /* nonzero: ask to stop after this many steps */
    int rc;
    char msg[512];
} rec;

static inline int rec_collect(void *ctx, const hs_step *s)
{
    rec *r = ctx;
    if (r->n < sizeof r->st / sizeof r->st[0])
        r->st[r->n] = *s;
    r->n++;
    return r->stop_after && r->n >= r->stop_after;
}

/* The replayer built with the tests (HS_REPLAYER), unless $HEAPSIM_REPLAYER says otherwise. */
static inline const char *replayer_path(void)
{
    const char *e = getenv("HEAPSIM_REPLAYER");
    if (e && *e)
        return e;
#ifdef HS_REPLAYER
    return HS_REPLAYER;
#else
    return NULL;
#endif
}

/* Replays b with the given replayer (NULL: the real one) and timeout into a
 * fresh rec (calloc'd: the caller frees it). */
static inline rec *run_with(const tb *b, const char *replayer, double timeout_s, size_t stop_after)
{
    rec *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->stop_after = stop_after;
    hs_real_opts o = { .replayer = replayer ? replayer : replayer_path(), .timeout_s = timeout_s };
    r->rc = hs_real_run(&b->t, &o, rec_collect, r, r->msg, sizeof r->msg);
    return r;
}

static inline rec *run_real(const tb *b)
{
    return run_with(b, NULL, 0, 0);
}

#endif
