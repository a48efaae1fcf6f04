/* real/spawn.c — starting heapsim-replay: its pipes, the ops file, fork and execve, reaping.
 * Owns: the child's setup (ASLR off, empty environment, own session, dies with heapsim). */
#define _GNU_SOURCE 1

#include "real/real.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <assert.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "real/spawn.h"
#include "real/wire.h"

#define CHILD_FD_EXEC_ERR 5    /* in the child: where a failed execve reports errno */

/* See real/spawn.h. */
int hs_run_fail(run *r, const char *fmt, ...)
{
    if (r->msg && r->msglen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->msg, r->msglen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Closes *fd if it is open and marks it closed.  Cannot fail (EINTR on close
 * still closes the descriptor on Linux). */
void hs_run_close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Closes every descriptor the run still holds.  Cannot fail. */
void hs_run_close_all(run *r)
{
    hs_run_close_fd(&r->ops_fd);
    hs_run_close_fd(&r->null_fd);
    for (int i = 0; i < 2; i++) {
        hs_run_close_fd(&r->steps[i]);
        hs_run_close_fd(&r->err[i]);
        hs_run_close_fd(&r->exec_err[i]);
    }
}

/* Monotonic seconds.  Cannot fail (CLOCK_MONOTONIC always exists on Linux). */
double hs_run_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits until the child has ended (without reaping it) or the deadline
 * passes.  Returns 1 when it has ended, 0 at the deadline. */
int hs_run_wait_dead(pid_t pid, double deadline)
{
    siginfo_t si;
    long nap_ns = 1000000;
    for (;;) {
        memset(&si, 0, sizeof si);
        int rc = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT);
        if (rc == 0 && si.si_pid == pid)
            return 1;
        if (rc < 0 && errno != EINTR)
            return 1;   /* ECHILD: someone else reaped it; nothing left to wait for */
        if (hs_run_now() >= deadline)
            return 0;
        struct timespec ts = { 0, nap_ns };
        nanosleep(&ts, NULL);
        if (nap_ns < 20000000)
            nap_ns *= 2;
    }
}

/* Kills what is left of the child's process group (the child itself is
 * dead or being killed, so its pid still names the group), then reaps the
 * child.  Returns its wait status, or -1 if it could not be reaped. */
int hs_run_reap(pid_t pid, int kill_child)
{
    if (kill_child)
        kill(pid, SIGKILL);
    kill(-pid, SIGKILL);
    int status;
    for (;;) {
        pid_t w = waitpid(pid, &status, 0);
        if (w == pid)
            return status;
        if (w < 0 && errno != EINTR)
            return -1;
    }
}

/* Moves *fd to a number >= 6 (close-on-exec), so the child's dup2 onto 0..5
 * never overwrites a descriptor it still needs.  Returns -1 on failure. */
static int raise_fd(int *fd)
{
    if (*fd >= 6)
        return 0;
    int n = fcntl(*fd, F_DUPFD_CLOEXEC, 6);
    if (n < 0)
        return -1;
    close(*fd);
    *fd = n;
    return 0;
}

/* Writes len bytes to fd; returns -1 on an error. */
static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The op stream in an anonymous file (memfd, else an unnamed file in /tmp),
 * rewound.  Being a file, not a pipe, nothing can block or raise SIGPIPE while
 * it is written.  want_pages asks the replayer for the heap's resident
 * pages after every step.  Returns the fd, or -1 with msg. */
static int make_ops_file(run *r, const hs_trace *t, int want_pages, const hs_real_opts *opts)
{
    int fd = memfd_create("heapsim-ops", MFD_CLOEXEC);
    if (fd < 0)
        fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        return hs_run_fail(r, "cannot create a file for the ops: %s", strerror(errno));
    hs_wire_header h;
    memset(&h, 0, sizeof h);
    h.magic = HS_WIRE_MAGIC;
    h.version = HS_WIRE_VERSION;
    h.n_ops = t->n_ops;
    h.n_ids = t->n_ids;
    h.op_size = sizeof(hs_wire_op);
    h.flags = want_pages ? HS_WIRE_WANT_PAGES : 0;
    if (hs_trace_threaded(t))
        h.flags |= HS_WIRE_WANT_ARENAS;
    if (opts && opts->on_extra && opts->want_maps)
        h.flags |= HS_WIRE_WANT_MAPS;
    h.sample = opts && opts->sample > 1 && !hs_trace_threaded(t) ? opts->sample : 1;
    int bad = write_all(fd, &h, sizeof h);
    hs_wire_op batch[256];
    for (size_t i = 0; !bad && i < t->n_ops;) {
        size_t n = 0;
        for (; n < 256 && i < t->n_ops; n++, i++) {
            const hs_op *op = &t->ops[i];
            hs_wire_op *w = &batch[n];
            memset(w, 0, sizeof *w);
            w->kind = op->kind;
            w->param = op->param;
            w->id = op->id;
            w->size = op->size;
            w->arg = op->arg;
            /* touch and value share hs_op's bytes: each only for its kinds */
            w->touch = hs_op_returns_ptr(op->kind) ? op->touch : 0;
            w->value = op->kind == HS_OP_MALLOPT || op->kind == HS_OP_WRITE ? op->value : 0;
            w->thread = op->thread;   /* the loader's numbering (sim/op.h) */
            if (opts && opts->smaps_at && opts->smaps_at[i])
                w->flags |= HS_WIRE_OP_SMAPS;
        }
        bad = write_all(fd, batch, n * sizeof batch[0]);
    }
    if (bad || lseek(fd, 0, SEEK_SET) != 0) {
        int e = errno;
        close(fd);
        return hs_run_fail(r, "cannot write the ops: %s", strerror(e));
    }
    return fd;
}

/* The replayer's path: opts->replayer, else $HEAPSIM_REPLAYER.  Finding
 * the installed or built replayer is app/'s (hs_app_replayer).  Returns -1
 * with msg when neither names one. */
static int find_replayer(run *r, const hs_real_opts *opts, char *path, size_t len)
{
    const char *p = opts ? opts->replayer : NULL;
    if (!p || !*p)
        p = getenv("HEAPSIM_REPLAYER");
    if (!p || !*p)
        return hs_run_fail(r, "no replayer given (name heapsim-replay in the options or set HEAPSIM_REPLAYER)");
    if (strlen(p) >= len)
        return hs_run_fail(r, "replayer path too long: %s", p);
    strcpy(path, p);
    return 0;
}

/* In the child, between fork and execve: only async-signal-safe calls.
 * Never returns; on failure writes errno to CHILD_FD_EXEC_ERR and exits 127. */
static void child_exec(run *r, const char *path, const hs_real_opts *opts, int max_fd)
{
    int e = 0;
    /* Own session: no controlling terminal, and one process group to kill. */
    setsid();
    /* Die with heapsim, however it dies (even SIGKILL): no stray replayer. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != r->parent)
        _exit(127);
    int persona = personality(0xffffffff);
    if (persona != -1)
        personality((unsigned long)persona | ADDR_NO_RANDOMIZE);

    if (dup2(r->null_fd, 0) < 0 || dup2(r->null_fd, 1) < 0 ||
        dup2(r->err[1], 2) < 0 || dup2(r->ops_fd, HS_WIRE_FD_OPS) < 0 ||
        dup2(r->steps[1], HS_WIRE_FD_STEPS) < 0 ||
        dup3(r->exec_err[1], CHILD_FD_EXEC_ERR, O_CLOEXEC) < 0) {
        e = errno;
        if (write(r->exec_err[1], &e, sizeof e) < 0)
            _exit(127);
        _exit(127);
    }
    if (close_range(CHILD_FD_EXEC_ERR + 1, ~0u, 0) != 0)
        for (int fd = CHILD_FD_EXEC_ERR + 1; fd <= max_fd; fd++)
            close(fd);

    /* Default dispositions, nothing blocked: the parent may ignore SIGPIPE
     * or block signals, and both survive execve. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++)
        sigaction(s, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    char *argv[] = { (char *)"heapsim-replay", NULL };
    /* glibc 2.36 writes malloc's abort message to fd 2 unconditionally; the
     * only variable is another allocator's LD_PRELOAD. */
    char *envp[] = { r->preload_env[0] ? r->preload_env : NULL, NULL };
    /* Another glibc: its own ld.so loads the replayer with that libc. */
    char *ld_argv[] = { (char *)"ld.so", (char *)"--library-path",
                        (char *)(opts && opts->libpath ? opts->libpath : ""), (char *)path, NULL };
    if (opts && opts->ldso && *opts->ldso)
        execve(opts->ldso, ld_argv, envp);
    else
        execve(path, argv, envp);
    e = errno;
    if (write(CHILD_FD_EXEC_ERR, &e, sizeof e) < 0)
        _exit(127);
    _exit(127);
}

int hs_run_spawn(run *r, const hs_trace *t, const hs_real_opts *opts, int want_pages,
                 char *path, size_t len)
{
    if (find_replayer(r, opts, path, len) < 0)
        return -1;

    r->preload_env[0] = '\0';
    if (opts && opts->preload && *opts->preload) {
        int n = snprintf(r->preload_env, sizeof r->preload_env, "LD_PRELOAD=%s", opts->preload);
        if (n < 0 || (size_t)n >= sizeof r->preload_env)
            return hs_run_fail(r, "allocator path too long: %s", opts->preload);
    }
    r->ops_fd = make_ops_file(r, t, want_pages, opts);
    if (r->ops_fd < 0)
        return -1;
    r->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (r->null_fd < 0 || pipe2(r->steps, O_CLOEXEC) < 0 || pipe2(r->err, O_CLOEXEC) < 0 ||
        pipe2(r->exec_err, O_CLOEXEC) < 0 || raise_fd(&r->ops_fd) < 0 ||
        raise_fd(&r->null_fd) < 0 || raise_fd(&r->steps[1]) < 0 || raise_fd(&r->err[1]) < 0 ||
        raise_fd(&r->exec_err[1]) < 0) {
        int e = errno;
        hs_run_close_all(r);
        return hs_run_fail(r, "cannot set up pipes for the replayer: %s", strerror(e));
    }
    long open_max = sysconf(_SC_OPEN_MAX);
    int max_fd = open_max > 0 && open_max < 65536 ? (int)open_max : 65536;

    /* No signal handler of ours may run in the child before it resets them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    r->parent = getpid();
    r->pid = fork();
    if (r->pid == 0)
        child_exec(r, path, opts, max_fd);
    int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (r->pid < 0) {
        hs_run_close_all(r);
        return hs_run_fail(r, "cannot fork the replayer: %s", strerror(fork_errno));
    }
    hs_run_close_fd(&r->ops_fd);
    hs_run_close_fd(&r->null_fd);
    hs_run_close_fd(&r->steps[1]);
    hs_run_close_fd(&r->err[1]);
    hs_run_close_fd(&r->exec_err[1]);

    /* execve succeeded when the close-on-exec pipe closes with nothing in it. */
    int exec_errno = 0;
    for (;;) {
        ssize_t n = read(r->exec_err[0], &exec_errno, sizeof exec_errno);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != (ssize_t)sizeof exec_errno)
            exec_errno = 0;
        break;
    }
    hs_run_close_fd(&r->exec_err[0]);
    if (exec_errno) {
        hs_run_reap(r->pid, 1);
        hs_run_close_all(r);
        return hs_run_fail(r, "cannot run the replayer %s: %s (build heapsim-replay or set "
                        "HEAPSIM_REPLAYER)", path, strerror(exec_errno));
    }

    return 0;
}
