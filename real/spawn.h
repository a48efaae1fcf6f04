/* real/spawn.h — starting heapsim-replay, for real/real.c's protocol loop (not for outside real/).
 * Owns: the run struct (every descriptor and the child of one replay) and its helpers. */
#ifndef HS_REAL_SPAWN_H
#define HS_REAL_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#include "real/real.h"

/* Everything one run owns, so that every exit path can clean up. */
typedef struct run {
    pid_t pid;
    int ops_fd, null_fd;
    int steps[2], err[2], exec_err[2];
    char *msg;
    size_t msglen;
    pid_t parent;       /* heapsim's pid, for the child's parent-death check */
    char preload_env[4200];   /* "LD_PRELOAD=..." for the child, "" for none */
} run;

/* Formats the failure message into r->msg (if any); returns -1 for the caller. */
int hs_run_fail(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Closes *fd if it is open and marks it closed.  Cannot fail. */
void hs_run_close_fd(int *fd);
/* Closes every descriptor the run still holds.  Cannot fail. */
void hs_run_close_all(run *r);
/* Monotonic seconds.  Cannot fail. */
double hs_run_now(void);
/* Waits until the child has ended (without reaping it) or the deadline
 * passes.  Returns 1 when it has ended, 0 at the deadline. */
int hs_run_wait_dead(pid_t pid, double deadline);
/* Kills what is left of the child's process group, then reaps the child.
 * Returns its wait status, or -1 if it could not be reaped. */
int hs_run_reap(pid_t pid, int kill_child);
/* Starts the replayer on t's ops (opts->replayer, $HEAPSIM_REPLAYER or
 * heapsim-replay beside the executable, into path) in a fresh session with
 * ASLR off and an empty environment; on return r->pid runs and r->steps[0]
 * and r->err[0] are the parent's ends.  Returns 0, or -1 with the message
 * (nothing left open, no child left). */
int hs_run_spawn(run *r, const hs_trace *t, const hs_real_opts *opts, int want_pages,
                 char *path, size_t len);

#endif
