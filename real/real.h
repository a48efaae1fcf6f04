/* real/real.h — replay a trace against this machine's glibc in a fresh process.
 * Owns: starting heapsim-replay, feeding it the ops, reading its steps back. */
#ifndef HS_REAL_H
#define HS_REAL_H

#include <stddef.h>
#include <stdint.h>

#include "../loader/trace.h"
#include "../sim/step.h"

/* Called once per step as the replayer reports it, in op order; the last
 * call may carry HS_HAS_ERROR (glibc aborted, or the replayer died or hung).
 * Return nonzero to stop the replay early (the child is killed). */
typedef int (*hs_real_step_fn)(void *ctx, const hs_step *st);

typedef struct hs_real_opts {
    const char *replayer;   /* path of heapsim-replay; NULL: next to this executable,
                               or $HEAPSIM_REPLAYER */
    double timeout_s;       /* kill the child when it makes no progress (no step
                               reported) for this long; <= 0 means 60 */
    /* Called once, before the first step, with the replayer's break at
     * start and the top of its free mmap area (0 if unknown), so a model can
     * use the same absolute addresses; may be NULL.  Gets fn's ctx. */
    void (*on_start)(void *ctx, uint64_t brk0, uint64_t mmap_top);
} hs_real_opts;

/* Replays t in a fresh process (ASLR off), calling fn per step.  Returns 0
 * when the trace was replayed faithfully (an abort of glibc included: it is
 * reported as the error of the last step).  Returns -1 when the replay could
 * not be done (replayer missing or not executable, fork/pipe failure,
 * timeout, killed by an unexpected signal): msg then says why, and the steps
 * already reported stand.  No child is left running or unreaped. */
int hs_real_run(const hs_trace *t, const hs_real_opts *opts,
                hs_real_step_fn fn, void *ctx, char *msg, size_t msglen);

#endif
