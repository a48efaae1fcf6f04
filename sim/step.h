/* sim/step.h — one step line (TRACE_FORMAT.md section 2) as a C struct.
 * Owns: hs_step, hs_mallinfo, and how a model step is compared with a real one (sim/step.c). */
#ifndef HS_STEP_H
#define HS_STEP_H

#include <stddef.h>
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
    HS_HAS_ARENA     = 1u << 8,  /* arena: the op returned a chunk that is not mmapped */
    HS_HAS_ARENAS    = 1u << 9,  /* n_arenas, arenas[] (with HS_HAS_MEASURES): the trace
                                    has threads, or more than the main arena exists */
    HS_HAS_MINFLT    = 1u << 10,  /* minflt without HS_HAS_MEASURES (real mode with another
                                    allocator: its glibc-only measures are null) */
    HS_HAS_UNMEASURED = 1u << 11, /* real mode, sampled (docs/real.md "Sampling"): the
                                    replayer did not take this step's measures, which are
                                    null (HS_HAS_MEASURES, _MALLINFO, _RSS_ANON, _MINFLT
                                    clear); printed as "measured": false */
    HS_HAS_MI_UNMEASURED = 1u << 12, /* real mode, sampled: a measured step whose mallinfo2
                                    the replayer did not call (its walk of every free chunk
                                    is rationed, docs/real.md "Sampling"); mallinfo null and
                                    not compared; printed as "mallinfo_measured": false */
};

/* What malloc_stats prints for one arena: "system bytes" and "in use bytes"
 * (int_mallinfo's system_mem and uordblks of that arena alone). */
typedef struct hs_arena_fig {
    uint64_t system, in_use;
} hs_arena_fig;

/* Arenas a step line describes one by one; a process with more has them
 * counted in n_arenas, the first HS_STEP_ARENAS_MAX described. */
#define HS_STEP_ARENAS_MAX 64

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
    hs_mallinfo mi;           /* summed over every arena, as __libc_mallinfo2 does */
    uint32_t arena;           /* HS_HAS_ARENA: 0 the main arena, k the k-th arena created */
    uint32_t n_arenas;        /* HS_HAS_ARENAS: arenas in existence (main included) */
    hs_arena_fig arenas[HS_STEP_ARENAS_MAX];  /* in creation order, main first */
    char     error[HS_ERROR_MAX];  /* glibc's message, with HS_HAS_ERROR */
} hs_step;

/* ---- comparing a model step with a real step (sim/step.c) ----
 * The one rule set `heapsim validate`, the window and `render --real` use
 * (TRACE_FORMAT.md section 3): error (message included); for an op that
 * returns a pointer and did not abort, whether it returned a chunk at all
 * (so a model chunk where glibc returned NULL differs); ptr, mmapped,
 * chunk where both have them; with measures on both sides brk, mmaps,
 * mmapped_bytes, rss, whether mallinfo2 could be measured (so model values
 * where the real step has none differ), its nine fields when both have
 * them, and minflt within 2 faults + 1 % of the real value; the returned
 * chunk's arena where both have it, and with arenas on both sides their
 * number and each one's system and in-use bytes. */

/* One field where the two steps differ, as text (model value, real value). */
typedef struct hs_step_diff {
    const char *field;               /* "ptr", "mallinfo.arena", "minflt", ... (static) */
    char model[HS_ERROR_MAX + 8];
    char real[HS_ERROR_MAX + 8];
} hs_step_diff;

#define HS_STEP_DIFF_MAX 24          /* more than the fields of one step */

typedef struct hs_step_cmp {
    uint32_t fields;                 /* fields compared */
    uint32_t n;                      /* fields that differ, listed in d[] in that order */
    hs_step_diff d[HS_STEP_DIFF_MAX];
} hs_step_cmp;

/* Compares model step m with real step r of the same op (op_kind an
 * hs_op_kind) into *out; returns out->n, 0 when they agree.  Never fails. */
uint32_t hs_step_compare(const hs_step *m, const hs_step *r, int op_kind, hs_step_cmp *out);
/* The differences in one line, "ptr 16 (real 32), mallinfo null (real
 * (values))", into buf ("" when they agree; cut to fit, always terminated). */
void hs_step_cmp_summary(const hs_step_cmp *c, char *buf, size_t len);
/* The same with another name than "real" for the second step's side
 * ("glibc-2.36" when `heapsim diff` compares two models). */
void hs_step_cmp_summary_as(const hs_step_cmp *c, const char *other, char *buf, size_t len);

#endif
