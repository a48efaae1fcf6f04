/* sim/op.h — the compact operation: what one trace op asks of the allocator.
 * Owns: hs_op, its enums, their names (sim/op.c) and glibc's mallopt numbers. Shared by all. */
#ifndef HS_OP_H
#define HS_OP_H

#include <stdbool.h>
#include <stdint.h>

/* One op kind per row of TRACE_FORMAT.md section 1 "Operations". */
typedef enum hs_op_kind {
    HS_OP_MALLOC = 0,   /* p[id] = malloc(size) */
    HS_OP_CALLOC,       /* p[id] = calloc(arg = nmemb, size) */
    HS_OP_REALLOC,      /* p[id] = realloc(p[id], size) */
    HS_OP_MEMALIGN,     /* p[id] = memalign(arg = alignment, size) */
    HS_OP_FREE,         /* free(p[id]) */
    HS_OP_TOUCH,        /* memset(p[id] + arg, 1, size) (offset, len resolved) */
    HS_OP_MALLOPT,      /* mallopt(param, value) */
    HS_OP_MALLOC_TRIM,  /* malloc_trim(size = pad) */
    HS_OP_WRITE,        /* *(uint64_t *)(p[id] + arg) = value: deliberate misuse allowed
                           (the block may be freed: a use-after-free write) */
    HS_OP_THREAD_EXIT,  /* the op's thread ends (tcache_thread_shutdown, arena_thread_freeres) */
    HS_OP_MADVISE,      /* madvise(whole pages of [p[id] + arg, + size), param = advice) */
    HS_OP_KIND_COUNT
} hs_op_kind;

/* mallopt params the contract accepts, in the contract's order. */
typedef enum hs_param {
    HS_M_MMAP_THRESHOLD = 0,
    HS_M_MMAP_MAX,
    HS_M_TRIM_THRESHOLD,
    HS_M_TOP_PAD,
    HS_M_PERTURB,
    HS_M_ARENA_MAX,
    HS_M_ARENA_TEST,
    HS_M_MXFAST,
    HS_PARAM_COUNT
} hs_param;

/* madvise advice the contract accepts (the op's "advice"), in its order. */
typedef enum hs_advice {
    HS_MADV_DONTNEED = 0,   /* the pages leave RSS; private anonymous ones read as zero after */
    HS_ADVICE_COUNT
} hs_advice;

/* Linux's number (sys/mman.h) for an hs_advice; -1 out of range.  Inline for the replayer. */
static inline int hs_advice_linux(int advice)
{
    return advice == HS_MADV_DONTNEED ? 4 /* MADV_DONTNEED */ : -1;
}

/* The madvise rule, one place for the model and the replayer: the kernel
 * wants a page-aligned start, so of [addr, addr + len) only the whole 4 KiB
 * pages inside count: *start is addr rounded up to a page, *bytes the whole
 * pages from there to addr + len rounded down (0: no whole page, nothing
 * happens).  Cannot fail. */
static inline void hs_madvise_range(uint64_t addr, uint64_t len, uint64_t *start, uint64_t *bytes)
{
    uint64_t a = (addr + 4095u) & ~(uint64_t)4095u, e = (addr + len) & ~(uint64_t)4095u;
    *start = a;
    *bytes = e > a && addr + len >= addr ? e - a : 0;
}

/* glibc's own numbers for the params (malloc.h), for the replayer. */
#define HS_GLIBC_M_MXFAST          1
#define HS_GLIBC_M_TRIM_THRESHOLD -1
#define HS_GLIBC_M_TOP_PAD        -2
#define HS_GLIBC_M_MMAP_THRESHOLD -3
#define HS_GLIBC_M_MMAP_MAX       -4
#define HS_GLIBC_M_PERTURB        -6
#define HS_GLIBC_M_ARENA_TEST     -7
#define HS_GLIBC_M_ARENA_MAX      -8

/* Whether an op of this kind returns a pointer (malloc, calloc, realloc,
 * memalign): its step says which chunk, or NULL.  False out of range.
 * Inline, as hs_param_glibc, for the libc-only replayer. */
static inline bool hs_op_returns_ptr(int kind)
{
    return kind == HS_OP_MALLOC || kind == HS_OP_CALLOC || kind == HS_OP_REALLOC ||
           kind == HS_OP_MEMALIGN;
}

/* The largest thread number an op can carry (hs_op.thread). */
#define HS_MAX_THREADS 65535u

/* glibc's number (malloc.h) for an hs_param; 0 (no such mallopt param in
 * glibc) out of range.  Inline so the libc-only replayer needs no object. */
static inline int hs_param_glibc(int param)
{
    switch (param) {
    case HS_M_MMAP_THRESHOLD: return HS_GLIBC_M_MMAP_THRESHOLD;
    case HS_M_MMAP_MAX:       return HS_GLIBC_M_MMAP_MAX;
    case HS_M_TRIM_THRESHOLD: return HS_GLIBC_M_TRIM_THRESHOLD;
    case HS_M_TOP_PAD:        return HS_GLIBC_M_TOP_PAD;
    case HS_M_PERTURB:        return HS_GLIBC_M_PERTURB;
    case HS_M_ARENA_MAX:      return HS_GLIBC_M_ARENA_MAX;
    case HS_M_ARENA_TEST:     return HS_GLIBC_M_ARENA_TEST;
    case HS_M_MXFAST:         return HS_GLIBC_M_MXFAST;
    default:                  return 0;
    }
}

#define HS_NO_ID   UINT32_MAX
#define HS_NO_STR  0u

/* One op, resolved: ids are dense slot numbers (see hs_trace.ids), every
 * default is filled in, sizes are exact.  Field use per kind:
 *   MALLOC      id, size, touch
 *   CALLOC      id, arg = nmemb, size, touch (bytes of nmemb*size; nmemb*size
 *               may overflow: then the call returns NULL and touch is 0)
 *   REALLOC     id, size, touch
 *   MEMALIGN    id, arg = alignment, size, touch
 *   FREE        id
 *   TOUCH       id, arg = offset, size = len
 *   MALLOPT     param, value
 *   MALLOC_TRIM size = pad
 *   THREAD_EXIT (thread only)
 *   WRITE       id, arg = offset (a multiple of 8), value (the 64 bits written), or
 *               size = 1 + the slot whose pointer is written (value_of), 0 if none
 *   MADVISE     id, arg = offset, size = len (resolved as touch's), param = hs_advice
 * touch is the number of bytes written from the start of the block right
 * after the call returns (already resolved from true/false/N).  Every kind
 * has thread.  touch and value share their 8 bytes: only the four kinds
 * that return a pointer have touch (hs_op_returns_ptr), only MALLOPT and
 * WRITE have value; read each only for its kinds.  32 bytes an op: a
 * million-op trace is 32 MB of ops.  An op's note and label are the
 * trace's (hs_trace_note, hs_trace_label in loader/trace.h). */
typedef struct hs_op {
    uint8_t  kind;    /* hs_op_kind */
    uint8_t  param;   /* hs_param, MALLOPT only; hs_advice, MADVISE only */
    uint16_t thread;  /* who calls: 0 the main thread, k the k-th other thread
                         named by the trace's "thread" fields (first appearance) */
    uint32_t id;      /* slot, or HS_NO_ID */
    uint64_t size;
    uint64_t arg;
    union {
        uint64_t touch;   /* MALLOC, CALLOC, REALLOC, MEMALIGN */
        int64_t  value;   /* MALLOPT value; WRITE's 64 bits */
    };
} hs_op;

/* The contract's names (sim/op.c): "malloc", ...; "M_MMAP_THRESHOLD", ...
 * Out of range gives "?", never NULL. */
const char *hs_op_name(int kind);
const char *hs_param_name(int param);
const char *hs_advice_name(int advice);   /* "MADV_DONTNEED"; out of range "?" */

#endif
