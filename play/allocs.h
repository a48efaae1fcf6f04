/* play/allocs.h — one trace replayed under every allocator, measured step by step, for the window.
 * Owns: hs_allocs (per allocator and step: RssAnon added and minor faults; glibc's smaps and statm per step). */
#ifndef HS_ALLOCS_H
#define HS_ALLOCS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../loader/trace.h"
#include "../real/real.h"
#include "find.h"

/* One allocator to replay under, found by app/ (app/alloc.c): its name, the
 * shared object preloaded (NULL: glibc's own malloc) and, when it cannot be
 * used (not installed), why (then it is listed, not run). */
typedef struct hs_alloc_target {
    const char *name, *preload, *err;
    /* Optional: the run replays a trace made from the job's instead (app/'s
     * hs_app_tuned_trace for "glibc-tuned": out shares t's ids, only
     * out->ops is freed), from[k] saying which step of t op k of out is
     * (1-based; 0: an op of its own, not drawn).  Returns -1 when out of
     * memory (the run then fails saying so). */
    int (*variant)(const hs_trace *t, hs_trace *out, uint32_t **from);
} hs_alloc_target;

#define HS_ALLOCS_MAX 8
/* Steps a job keeps per run (48 bytes each, five runs): past it the runs
 * are not made and say so (heapsim compare has no such limit). */
#define HS_ALLOCS_MAX_STEPS 250000
/* glibc's smaps are read after every step of a trace up to this long (past
 * it, after the first HS_ALLOCS_SMAPS_STEPS steps only): each read costs
 * the replayer a /proc read. */
#define HS_ALLOCS_SMAPS_STEPS 4096

/* glibc's mappings and statm after one step (has false: not measured). */
typedef struct hs_alloc_smaps {
    bool has;
    hs_real_smap *maps;        /* address order */
    uint32_t n;
    int cut;                   /* the replayer had more than it sent */
    uint64_t virt, res, shr;   /* statm as top shows them, bytes */
    uint64_t smaps_rss;        /* Rss over every heap and anonymous mapping */
} hs_alloc_smaps;

/* One allocator's run.  The job's thread writes vals[i] (and, for glibc,
 * smaps[i]) before it publishes n_in >= i; every other field of a running
 * run is the thread's until state is DONE or FAILED (msg and malloc_lib are
 * set before state). */
typedef struct hs_alloc_run {
    char name[32];
    char preload[1024];        /* "" for glibc's own malloc */
    char msg[512];             /* why the run failed or was not run */
    char malloc_lib[256];      /* the object whose malloc the replayer got */
    int (*variant)(const hs_trace *t, hs_trace *out, uint32_t **from);   /* hs_alloc_target's */
    atomic_int state;          /* HS_REAL_NONE (not yet), _RUNNING, _DONE, _FAILED (play/view.h) */
    atomic_size_t n_in;        /* steps measured: vals[1 .. n_in] */
    hs_vals *vals;             /* n + 1; .rss is RssAnon added (0 when below the start), .minflt
                                  the minor faults since the first op; [0] all zero */
} hs_alloc_run;

typedef struct hs_allocs {
    const hs_trace *t;         /* the trace replayed (the caller keeps it alive) */
    size_t n;                  /* its ops */
    char replayer[1024];
    double timeout_s;
    hs_alloc_run runs[HS_ALLOCS_MAX];
    size_t nruns;
    size_t smaps_run;          /* the run with smaps (glibc's own, run 0); nruns: none */
    hs_alloc_smaps *smaps;     /* n + 1, for that run */
    uint64_t smaps_rss0;       /* its heap + anonymous Rss before the first op */
    size_t smaps_steps;        /* steps 1..smaps_steps have smaps asked for */
    /* app/'s check that the replayer got the malloc asked for
     * (hs_app_allocator_is); NULL: not checked */
    bool (*allocator_is)(const hs_real_info *info, const char *preload);
    atomic_int cancel;
    /* the thread */
    pthread_t thread;
    bool threaded;
    void (*wake)(void *ctx, bool done);
    void *ctx;
} hs_allocs;

/* A job for t under targets tg[0..ntg) (at most HS_ALLOCS_MAX; the first
 * with neither preload nor variant gets smaps), replayed by replayer.  A
 * trace longer than HS_ALLOCS_MAX_STEPS gets runs that failed saying so.
 * Nothing runs yet.
 * Returns NULL when out of memory. */
hs_allocs *hs_allocs_new(const hs_trace *t, const char *replayer, const hs_alloc_target *tg,
                         size_t ntg, double timeout_s);
/* Replays every run in turn on this thread.  A run that fails says why
 * (msg, state FAILED); the others still run.  Never fails as a whole. */
void hs_allocs_run(hs_allocs *a);
/* The same on a thread of its own; wake(ctx, done) after each step and once
 * at the end.  Returns -1 (every run FAILED with the reason) when no
 * thread can be started. */
int hs_allocs_start(hs_allocs *a, void (*wake)(void *ctx, bool done), void *ctx);
/* Stops the job (a replay running is killed at its next step), waits for
 * its thread and frees it.  NULL does nothing. */
void hs_allocs_free(hs_allocs *a);
/* Steps measured over every run plus runs finished: changes whenever there
 * is something new to draw.  Any thread. */
size_t hs_allocs_progress(const hs_allocs *a);
/* glibc's smaps at step (1..n) when measured and in, else NULL. */
const hs_alloc_smaps *hs_allocs_smaps_at(const hs_allocs *a, size_t step);

#endif
