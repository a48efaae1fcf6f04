/* sim/step.h — one step line (TRACE_FORMAT.md section 2) as a C struct.
 * Owns: hs_step and hs_mallinfo. Filled by the model and by the real replayer alike. */
#ifndef HS_STEP_H
#define HS_STEP_H

#include <stdint.h>

/* The nine mallinfo2() fields, in the contract's order. */
typedef struct hs_mallinfo {
    uint64_t arena, ordblks, smblks, hblks, hblkhd, uordblks, fordblks,
             fsmblks, keepcost;
} hs_mallinfo;

/* Which nullable fields hold a value.  A field whose bit is clear prints
 * as JSON null and is not compared by `heapsim validate`. */
enum {
    HS_HAS_PTR       = 1u << 0,
    HS_HAS_MMAPPED   = 1u << 1,
    HS_HAS_CHUNK     = 1u << 2,
    HS_HAS_MEASURES  = 1u << 3,  /* brk, mmaps, mmapped_bytes, rss, minflt, mallinfo */
    HS_HAS_THRESH    = 1u << 4,  /* mmap_threshold, trim_threshold */
    HS_HAS_RSS_ANON  = 1u << 5,
    HS_HAS_ERROR     = 1u << 6,
    HS_HAS_MALLINFO  = 1u << 7,  /* mi (with HS_HAS_MEASURES); the real replayer
                                    leaves it clear when mallinfo2 could not be
                                    measured on a corrupted heap */
};

#define HS_ERROR_MAX 160

/* One step.  op and id are taken from the trace by the printer; the step
 * holds only what the allocator produced.  When glibc aborts (or the model
 * says it would), the step of the aborting op has HS_HAS_ERROR and, usually,
 * no measures: it is the last step. */
typedef struct hs_step {
    uint32_t step;            /* 1-based op index */
    uint32_t has;             /* HS_HAS_* bits */
    uint64_t ptr;             /* returned pointer minus the break at start (heap chunks) */
    uint8_t  mmapped;         /* IS_MMAPPED of the returned chunk */
    uint64_t chunk;           /* chunksize() of the returned chunk */
    uint64_t brk;             /* sbrk(0) minus the break at start */
    uint64_t mmaps, mmapped_bytes;
    int64_t  mmap_threshold, trim_threshold;  /* trim_threshold may be -1 */
    uint64_t rss;             /* bytes resident: heap pages + live mmapped chunks */
    int64_t  rss_anon;        /* real only: RssAnon delta */
    uint64_t minflt;          /* minor faults since just before the first op */
    hs_mallinfo mi;
    char     error[HS_ERROR_MAX];  /* glibc's message, with HS_HAS_ERROR */
} hs_step;

#endif
