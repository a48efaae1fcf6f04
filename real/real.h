/* real/real.h — replay a trace against this machine's glibc in a fresh process.
 * Owns: starting heapsim-replay, feeding it the ops, reading its steps back. */
#ifndef HS_REAL_H
#define HS_REAL_H

#include <stddef.h>
#include <stdint.h>

#include "../loader/trace.h"
#include "../sim/step.h"
#include "../sim/sim.h"
#include "wire.h"   /* HS_WIRE_MI_VISITS */

/* Called once per step as the replayer reports it, in op order; the last
 * call may carry HS_HAS_ERROR (glibc aborted, or the replayer died or hung).
 * Return nonzero to stop the replay early (the child is killed). */
typedef int (*hs_real_step_fn)(void *ctx, const hs_step *st);

/* The main heap's resident pages after one step, as mincore(2) saw them.
 * Pages are 4 KiB and numbered from the break at process start (rounded
 * down to a page, which it already is on Linux): page i is heap offsets
 * [i * 4096, (i + 1) * 4096), as in hs_sim_heap_pages (sim/sim.h). */
typedef struct hs_page_run {
    uint32_t first, count;   /* resident pages [first, first + count) */
} hs_page_run;

#define HS_REAL_MAX_RUNS 4096   /* runs reported per step; see covered */

typedef struct hs_real_pages {
    uint32_t step;              /* 1-based op index, as hs_step.step */
    uint64_t pages;             /* pages below the break: [0, pages) */
    uint64_t covered;           /* the runs describe pages [0, covered): = pages, unless
                                   the heap's residency has more than HS_REAL_MAX_RUNS
                                   runs; then past covered nothing is known */
    const hs_page_run *runs;    /* resident runs in page order, none empty */
    size_t n_runs;
} hs_real_pages;

/* Traces with threads: the trace's threads run as real threads of the
 * replayer, created before the first op (docs/real.md "Threads"). */
typedef struct hs_real_threads {
    uint32_t n_threads;       /* threads besides the main one */
    uint32_t cpus;            /* CPUs glibc's arena limit counts (affinity mask), 0 unknown */
    uint64_t setup_allocs;    /* allocations thread creation made (the DTVs): served by the
                                 replayer's own pool, so glibc's arenas start empty */
    uint64_t setup_bytes;
    uint64_t stack_size;      /* each thread's stack; the stacks are in on_foreign's ranges */
} hs_real_threads;

/* One step's arena figures. */
typedef struct hs_real_arena {
    uint64_t system;          /* malloc_stats "system bytes": the arena's system_mem */
    uint64_t in_use;          /* malloc_stats "in use bytes": system_mem minus top and the
                                 free chunks of its fastbins and bins (tcache'd ones are in use) */
} hs_real_arena;

#define HS_REAL_MAX_ARENAS 32  /* arenas reported per step; see cut */

typedef struct hs_real_arenas {
    uint32_t step;            /* 1-based op index */
    int32_t  arena;           /* arena of the non-mmapped chunk the op returned: 0 main_arena,
                                 k the k-th arena glibc created; -1 none */
    int      non_main;        /* that chunk has NON_MAIN_ARENA: the step's ptr is its offset
                                 in its 64 MiB heap_info heap (p & (64 MiB - 1)) */
    size_t   n;               /* arenas[] entries, creation order, main first; 0 when not
                                 measured (mallinfo unavailable, main_arena not found) */
    int      cut;             /* glibc has more arenas than HS_REAL_MAX_ARENAS */
    const hs_real_arena *arenas;
} hs_real_arenas;
struct hs_real_extra;
struct hs_real_info;

typedef struct hs_real_opts {
    const char *replayer;   /* path of heapsim-replay (app/ finds it); NULL:
                               $HEAPSIM_REPLAYER, else the run fails */
    double timeout_s;       /* kill the child when it makes no progress (no step
                               reported) for this long; <= 0 means 60 */
    /* Called once, before the first step, with the replayer's break at
     * start and the top of its free mmap area (0 if unknown), so a model can
     * use the same absolute addresses; may be NULL.  Gets fn's ctx. */
    void (*on_start)(void *ctx, uint64_t brk0, uint64_t mmap_top);
    /* Optional, called right after on_start: the replayer's other mappings
     * below mmap_top (n [start, end) ranges, ascending; n is 0 when it could
     * not read them), for hs_sim_set_foreign.  Gets fn's ctx. */
    void (*on_foreign)(void *ctx, const uint64_t (*ranges)[2], size_t n);
    /* Optional: when set, the replayer also reports the main heap's
     * resident pages, and on_pages is called for every step just before fn
     * is called for the same step (not for a step that only carries an
     * error).  pg and its runs are valid until that fn returns.  Gets fn's
     * ctx.  Costs nothing when NULL. */
    void (*on_pages)(void *ctx, const hs_real_pages *pg);
    /* Optional: another glibc.  When ldso is set the replayer is started as
     * `ldso --library-path libpath REPLAYER` (that glibc's dynamic loader and
     * the directory of its libc.so.6); NULL: the machine's own.  A missing
     * ldso fails like a missing replayer. */
    const char *ldso, *libpath;
    /* Optional, for traces with threads (field "thread"), see docs/real.md:
     * on_threads is called once after on_foreign with what starting the
     * threads did; on_arenas for every step just before on_pages (and fn),
     * not for a step that only carries an error.  Both get fn's ctx; the
     * pointers are valid until the call returns. */
    void (*on_threads)(void *ctx, const struct hs_real_threads *th);
    void (*on_arenas)(void *ctx, const struct hs_real_arenas *ar);
    /* Optional: another allocator, the path of its shared object (app/
     * finds it): the replayer is started with LD_PRELOAD set to it.  NULL:
     * glibc's own malloc.  The replayer reports which malloc it got (info). */
    const char *preload;
    /* Optional: what any allocator has (time per call, statm, mappings,
     * smaps), called for every step before on_arenas, on_pages and fn (not
     * for a step that only carries an error).  x is valid until fn returns.  Gets fn's ctx. */
    void (*on_extra)(void *ctx, const struct hs_real_extra *x);
    /* With on_extra: also count the replayer's mappings after every step
     * (x->maps): a read of /proc/self/maps per step, whose cost grows with
     * the number of mappings (10,000 live mmapped chunks: minutes). */
    int want_maps;
    /* Optional, one flag per op (t->n_ops): nonzero reports the replayer's
     * heap and anonymous mappings from /proc/self/smaps after that op. */
    const unsigned char *smaps_at;
    /* Optional: filled once the replayer said hello (which malloc). */
    struct hs_real_info *info;
    /* Optional, called right after on_foreign (before on_threads): the
     * kernel's limits on the replayer (RLIMIT_AS, RLIMIT_DATA,
     * vm.max_map_count) and what counted against them before the first op,
     * for hs_sim_set_limits.  l is valid during the call.  Gets fn's ctx. */
    void (*on_limits)(void *ctx, const hs_kernel_limits *l);
    /* Sampling (docs/real.md "Sampling"): 0 or 1 measures every step; N > 1
     * measures step 1, the last, every N-th, every step that moves the break,
     * adds or removes a live mmapped chunk or may drop pages (malloc_trim,
     * madvise), asks for smaps, and every step from the first misuse on.
     * Any other step reaches fn with HS_HAS_UNMEASURED and its measures null,
     * on_extra with HS_REAL_X_UNMEASURED (ns only), and not on_pages or
     * on_arenas.  A trace with threads is measured on every step whatever
     * this says.  hs_real_sample_auto picks the default. */
    uint32_t sample;
} hs_real_opts;

/* Steps up to which a replay measures every step by default; past it,
 * HS_REAL_SAMPLE_AUTO (the default of `heapsim real`, `validate` and the
 * window; every trace the tests validate is shorter). */
#define HS_REAL_SAMPLE_UP_TO 100000u
#define HS_REAL_SAMPLE_AUTO  64u
/* With sampling, the measured steps call mallinfo2 (a walk of every free
 * chunk) so that it walks at most this many chunks per op on average; the
 * others reach fn with HS_HAS_MI_UNMEASURED (real/wire.h HS_WIRE_MI_SKIPPED
 * has the rule). */
#define HS_REAL_MI_VISITS HS_WIRE_MI_VISITS
/* The sample the replay of t takes (hs_real_opts.sample): asked when
 * nonzero, else 1 up to HS_REAL_SAMPLE_UP_TO ops and HS_REAL_SAMPLE_AUTO
 * past it; 1 for a trace with threads.  Cannot fail. */
uint32_t hs_real_sample_for(const hs_trace *t, uint32_t asked);

/* Which allocator the replayer ran with. */
typedef struct hs_real_info {
    int glibc_malloc;        /* 1: glibc's malloc; 0: another one (glibc-only fields null) */
    char malloc_lib[256];    /* the object holding the malloc the dynamic linker bound
                                ("" is the replayer itself) */
    uint64_t smaps_rss0;     /* Rss of the heap and anonymous mappings before the first op
                                (bytes; with smaps_at) */
} hs_real_info;

/* One mapping of /proc/self/smaps (the heap, "[heap]", or anonymous, ""). */
typedef struct hs_real_smap {
    uint64_t start, end;
    uint64_t size, rss, pss, private_dirty, anonymous, anon_huge;   /* bytes */
    char name[16];
} hs_real_smap;

/* hs_real_extra.has */
enum {
    HS_REAL_X_NS    = 1u << 0,   /* ns: the op made an allocator call */
    HS_REAL_X_MAPS  = 1u << 1,   /* maps, maps_bytes */
    HS_REAL_X_SMAPS = 1u << 2,   /* smaps (smaps_at asked for this step) */
    HS_REAL_X_UNMEASURED = 1u << 3,  /* a step not measured (hs_real_opts.sample): statm and
                                    maps were not read (0 here, null in a step line) */
};

/* What the replayer measures for any allocator, after one step.  ns is
 * noisy by nature (CPU frequency, interrupts, the other processes): one
 * run's numbers are an order of magnitude, never a contract. */
typedef struct hs_real_extra {
    uint32_t step;
    uint32_t has;              /* HS_REAL_X_* */
    uint64_t ns;               /* CLOCK_MONOTONIC around the allocator call alone */
    uint64_t proc_rss, vm_size, shared;   /* statm: top's RES, VIRT, SHR, bytes */
    int64_t maps, maps_bytes;  /* heap + anonymous mappings (VMAs) minus before the first op */
    const hs_real_smap *smaps; /* in address order */
    size_t n_smaps;
    int smaps_cut;             /* more mappings than were sent (smaps_rss counts them all) */
    uint64_t smaps_rss;        /* Rss summed over every heap and anonymous mapping */
} hs_real_extra;

/* Replays t in a fresh process (ASLR off), calling fn per step.  Returns 0
 * when the trace was replayed faithfully (an abort of glibc included: it is
 * reported as the error of the last step).  Returns -1 when the replay could
 * not be done (replayer missing or not executable, fork/pipe failure,
 * timeout, killed by an unexpected signal): msg then says why, and the steps
 * already reported stand.  No child is left running or unreaped. */
int hs_real_run(const hs_trace *t, const hs_real_opts *opts,
                hs_real_step_fn fn, void *ctx, char *msg, size_t msglen);

#endif
