/* real/real.c — hs_real_run: replays a trace against this machine's glibc in a fresh process.
 * Owns: starting heapsim-replay (ASLR off, empty environment), feeding it the ops, reading its steps and stderr, reaping it. */
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

#include "real/wire.h"

#define DEFAULT_TIMEOUT_S 60.0
#define ERR_TAIL 4096          /* the last bytes of the child's stderr that we keep */
#define CHILD_FD_EXEC_ERR 5    /* in the child: where a failed execve reports errno */

/* Everything one run owns, so that every exit path can clean up. */
typedef struct run {
    pid_t pid;
    int ops_fd, null_fd;
    int steps[2], err[2], exec_err[2];
    char *msg;
    size_t msglen;
    pid_t parent;       /* heapsim's pid, for the child's parent-death check */
} run;

/* Formats the failure message into r->msg (if any); returns -1 for the caller. */
static int fail(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(run *r, const char *fmt, ...)
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
static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* Closes every descriptor the run still holds.  Cannot fail. */
static void close_all(run *r)
{
    close_fd(&r->ops_fd);
    close_fd(&r->null_fd);
    for (int i = 0; i < 2; i++) {
        close_fd(&r->steps[i]);
        close_fd(&r->err[i]);
        close_fd(&r->exec_err[i]);
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

/* Monotonic seconds.  Cannot fail (CLOCK_MONOTONIC always exists on Linux). */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Checks that every op can go on the wire; on a bad op returns -1 with msg. */
static int check_trace(run *r, const hs_trace *t)
{
    if (!t)
        return fail(r, "no trace given");
    if (t->n_ops && !t->ops)
        return fail(r, "trace has %zu ops but no op array", t->n_ops);
    if (t->n_ops >= UINT32_MAX)
        return fail(r, "trace has too many ops (%zu) for one replay", t->n_ops);
    for (size_t i = 0; i < t->n_ops; i++) {
        const hs_op *op = &t->ops[i];
        if (op->kind >= HS_OP_KIND_COUNT)
            return fail(r, "op %zu: unknown op kind %u", i + 1, (unsigned)op->kind);
        if (op->kind == HS_OP_MALLOPT) {
            if (op->param >= HS_PARAM_COUNT)
                return fail(r, "op %zu: unknown mallopt param %u", i + 1, (unsigned)op->param);
            if (op->value < INT_MIN || op->value > INT_MAX)
                return fail(r, "op %zu: mallopt value %lld does not fit in an int", i + 1,
                            (long long)op->value);
        } else if (op->kind != HS_OP_MALLOC_TRIM && op->id >= t->n_ids) {
            return fail(r, "op %zu: id slot %u out of range (trace has %u ids)", i + 1,
                        (unsigned)op->id, (unsigned)t->n_ids);
        }
    }
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
static int make_ops_file(run *r, const hs_trace *t, int want_pages)
{
    int fd = memfd_create("heapsim-ops", MFD_CLOEXEC);
    if (fd < 0)
        fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(r, "cannot create a file for the ops: %s", strerror(errno));
    hs_wire_header h;
    memset(&h, 0, sizeof h);
    h.magic = HS_WIRE_MAGIC;
    h.version = HS_WIRE_VERSION;
    h.n_ops = t->n_ops;
    h.n_ids = t->n_ids;
    h.op_size = sizeof(hs_wire_op);
    h.flags = want_pages ? HS_WIRE_WANT_PAGES : 0;
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
            w->touch = op->touch;
            w->value = op->value;
        }
        bad = write_all(fd, batch, n * sizeof batch[0]);
    }
    if (bad || lseek(fd, 0, SEEK_SET) != 0) {
        int e = errno;
        close(fd);
        return fail(r, "cannot write the ops: %s", strerror(e));
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
        return fail(r, "no replayer given (name heapsim-replay in the options or set HEAPSIM_REPLAYER)");
    if (strlen(p) >= len)
        return fail(r, "replayer path too long: %s", p);
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
    char *envp[] = { NULL };   /* glibc 2.36 writes malloc's abort message to fd 2 unconditionally */
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

/* The last non-empty line of buf (len bytes) into out, without its newline,
 * truncated to outlen - 1 bytes; "" when there is none.  Cannot fail. */
static void last_line(const char *buf, size_t len, char *out, size_t outlen)
{
    size_t end = len;
    for (;;) {
        while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r' ||
                           buf[end - 1] == ' ' || buf[end - 1] == '\t'))
            end--;
        size_t start = end;
        while (start > 0 && buf[start - 1] != '\n')
            start--;
        if (end > start || start == 0) {
            size_t n = end - start;
            if (n >= outlen)
                n = outlen - 1;
            memcpy(out, buf + start, n);
            out[n] = '\0';
            return;
        }
        end = start;
    }
}

/* Converts one wire record into the contract's step: thresholds are null
 * (the replayer cannot read them), ptr only for heap chunks, mallinfo only
 * when the replayer could measure it (HS_HAS_MALLINFO: a heap corrupted
 * without glibc noticing may make mallinfo2 loop or crash, and that
 * measurement is contained; the other measures stay).  Cannot fail. */
static void to_step(const hs_wire_step *w, int rss_anon_ok, hs_step *st)
{
    memset(st, 0, sizeof *st);
    st->step = w->step;
    st->has = HS_HAS_MEASURES;
    if (rss_anon_ok) {
        st->has |= HS_HAS_RSS_ANON;
        st->rss_anon = w->rss_anon;
    }
    if (w->flags & HS_WIRE_RESULT) {
        st->has |= HS_HAS_MMAPPED | HS_HAS_CHUNK;
        st->mmapped = (w->flags & HS_WIRE_MMAPPED) != 0;
        st->chunk = w->chunk;
        if (w->flags & HS_WIRE_HEAP) {
            st->has |= HS_HAS_PTR;
            st->ptr = w->ptr;
        }
    }
    st->brk = w->brk;
    st->mmaps = w->mmaps;
    st->mmapped_bytes = w->mmapped_bytes;
    st->rss = w->rss;
    st->minflt = w->minflt;
    if (w->flags & HS_WIRE_NO_MALLINFO)
        return;
    st->has |= HS_HAS_MALLINFO;
    st->mi.arena = w->mi[0];
    st->mi.ordblks = w->mi[1];
    st->mi.smblks = w->mi[2];
    st->mi.hblks = w->mi[3];
    st->mi.hblkhd = w->mi[4];
    st->mi.uordblks = w->mi[5];
    st->mi.fordblks = w->mi[6];
    st->mi.fsmblks = w->mi[7];
    st->mi.keepcost = w->mi[8];
}

/* The length of the step record at buf (len bytes in hand): an
 * hs_wire_step, followed with want_pages by its hs_wire_pages and runs.
 * Returns 0 while it is not all in, SIZE_MAX when it announces more runs
 * than the protocol allows.  Cannot fail otherwise. */
static size_t unit_len(const char *buf, size_t len, int want_pages)
{
    size_t need = sizeof(hs_wire_step) + (want_pages ? sizeof(hs_wire_pages) : 0);
    if (len < need)
        return 0;
    if (!want_pages)
        return need;
    hs_wire_pages pg;
    memcpy(&pg, buf + sizeof(hs_wire_step), sizeof pg);
    if (!(pg.flags & HS_WIRE_PAGES_SAME)) {
        if (pg.n_runs > HS_WIRE_MAX_RUNS)
            return SIZE_MAX;
        need += pg.n_runs * sizeof(hs_wire_run);
    }
    return len >= need ? need : 0;
}

/* Reads the page record that follows the hs_wire_step at buf (whole: see
 * unit_len) into *pg, whose runs buffer holds HS_REAL_MAX_RUNS; an
 * HS_WIRE_PAGES_SAME record keeps the previous runs.  Cannot fail. */
static void take_pages(hs_real_pages *pg, const char *buf, uint32_t step)
{
    hs_wire_pages w;
    buf += sizeof(hs_wire_step);
    memcpy(&w, buf, sizeof w);
    pg->step = step;
    if (w.flags & HS_WIRE_PAGES_SAME)
        return;
    pg->pages = w.pages;
    pg->covered = w.covered < w.pages ? w.covered : w.pages;
    pg->n_runs = w.n_runs;
    memcpy((hs_page_run *)pg->runs, buf + sizeof w, w.n_runs * sizeof(hs_wire_run));
}

/* Waits until the child has ended (without reaping it) or the deadline
 * passes.  Returns 1 when it has ended, 0 at the deadline. */
static int wait_dead(pid_t pid, double deadline)
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
        if (now_s() >= deadline)
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
static int reap(pid_t pid, int kill_child)
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

/* See real/real.h.  Details of this implementation:
 * - the timeout is a lease renewed by every step (and by the hello): the
 *   child is killed when it makes no progress for timeout_s seconds, so a
 *   long trace is not cut short; time spent in fn counts as progress;
 * - when fn asks to stop, the child is killed and 0 is returned with no
 *   error step;
 * - the child's whole process group is killed before it is reaped, so
 *   nothing it started survives;
 * - a caller that sets SIGCHLD to SIG_IGN lets the kernel reap the child:
 *   the exit status is then lost and the run fails with "cannot reap". */
int hs_real_run(const hs_trace *t, const hs_real_opts *opts,
                hs_real_step_fn fn, void *ctx, char *msg, size_t msglen)
{
    run r = { .pid = -1, .ops_fd = -1, .null_fd = -1,
              .steps = { -1, -1 }, .err = { -1, -1 }, .exec_err = { -1, -1 },
              .msg = msg, .msglen = msglen };
    if (msg && msglen)
        msg[0] = '\0';
    if (check_trace(&r, t) < 0)
        return -1;
    double timeout = opts && opts->timeout_s > 0 ? opts->timeout_s : DEFAULT_TIMEOUT_S;
    char path[PATH_MAX];
    if (find_replayer(&r, opts, path, sizeof path) < 0)
        return -1;

    int want_pages = opts && opts->on_pages;
    r.ops_fd = make_ops_file(&r, t, want_pages);
    if (r.ops_fd < 0)
        return -1;
    r.null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (r.null_fd < 0 || pipe2(r.steps, O_CLOEXEC) < 0 || pipe2(r.err, O_CLOEXEC) < 0 ||
        pipe2(r.exec_err, O_CLOEXEC) < 0 || raise_fd(&r.ops_fd) < 0 ||
        raise_fd(&r.null_fd) < 0 || raise_fd(&r.steps[1]) < 0 || raise_fd(&r.err[1]) < 0 ||
        raise_fd(&r.exec_err[1]) < 0) {
        int e = errno;
        close_all(&r);
        return fail(&r, "cannot set up pipes for the replayer: %s", strerror(e));
    }
    long open_max = sysconf(_SC_OPEN_MAX);
    int max_fd = open_max > 0 && open_max < 65536 ? (int)open_max : 65536;

    /* No signal handler of ours may run in the child before it resets them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    r.parent = getpid();
    r.pid = fork();
    if (r.pid == 0)
        child_exec(&r, path, opts, max_fd);
    int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (r.pid < 0) {
        close_all(&r);
        return fail(&r, "cannot fork the replayer: %s", strerror(fork_errno));
    }
    close_fd(&r.ops_fd);
    close_fd(&r.null_fd);
    close_fd(&r.steps[1]);
    close_fd(&r.err[1]);
    close_fd(&r.exec_err[1]);

    /* execve succeeded when the close-on-exec pipe closes with nothing in it. */
    int exec_errno = 0;
    for (;;) {
        ssize_t n = read(r.exec_err[0], &exec_errno, sizeof exec_errno);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != (ssize_t)sizeof exec_errno)
            exec_errno = 0;
        break;
    }
    close_fd(&r.exec_err[0]);
    if (exec_errno) {
        reap(r.pid, 1);
        close_all(&r);
        return fail(&r, "cannot run the replayer %s: %s (build heapsim-replay or set "
                        "HEAPSIM_REPLAYER)", path, strerror(exec_errno));
    }

    /* Read steps and stderr together until both close, or until the child
     * has made no progress (no hello, no step) for `timeout` seconds: a long
     * trace may take minutes, a hung child is caught anyway. */
    double deadline = now_s() + timeout;
    static_assert(sizeof(hs_wire_step) < PIPE_BUF, "a step is one atomic pipe write");
    static_assert(HS_REAL_MAX_RUNS == HS_WIRE_MAX_RUNS, "one bound on both sides");
    static_assert(sizeof(hs_page_run) == sizeof(hs_wire_run), "runs are copied as they come");
    /* Room for 64 steps, or two of the largest step records with pages. */
    size_t in_cap = 2 * (sizeof(hs_wire_step) + sizeof(hs_wire_pages) +
                         HS_WIRE_MAX_RUNS * sizeof(hs_wire_run));
    if (!want_pages)
        in_cap = 64 * sizeof(hs_wire_step);
    char *inbuf = malloc(in_cap);
    hs_page_run *runs = want_pages ? malloc(HS_REAL_MAX_RUNS * sizeof *runs) : NULL;
    if (!inbuf || (want_pages && !runs)) {
        free(inbuf);
        free(runs);
        reap(r.pid, 1);
        close_all(&r);
        return fail(&r, "out of memory for the replay's buffers");
    }
    hs_real_pages pages = { 0, 0, 0, runs, 0 };
    size_t in_len = 0;
    int have_hello = 0, rss_anon_ok = 0;
    size_t n_steps = 0;
    char tail[ERR_TAIL];
    size_t tail_len = 0;
    int timed_out = 0, stopped = 0, proto_err = 0;
    char proto_msg[200] = "";

    while ((r.steps[0] >= 0 || r.err[0] >= 0) && !stopped && !proto_err) {
        double left = deadline - now_s();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        struct pollfd pf[2] = { { r.steps[0], POLLIN, 0 }, { r.err[0], POLLIN, 0 } };
        int ms = left > 1000.0 ? 1000000 : (int)(left * 1000.0) + 1;
        int rc = poll(pf, 2, ms);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            proto_err = 1;
            snprintf(proto_msg, sizeof proto_msg, "poll: %s", strerror(errno));
            break;
        }
        if (pf[1].revents) {
            char buf[4096];
            ssize_t n = read(r.err[0], buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close_fd(&r.err[0]);
            } else {
                if ((size_t)n >= ERR_TAIL) {
                    memcpy(tail, buf + n - ERR_TAIL, ERR_TAIL);
                    tail_len = ERR_TAIL;
                } else {
                    if (tail_len + (size_t)n > ERR_TAIL) {
                        size_t drop = tail_len + (size_t)n - ERR_TAIL;
                        memmove(tail, tail + drop, tail_len - drop);
                        tail_len -= drop;
                    }
                    memcpy(tail + tail_len, buf, (size_t)n);
                    tail_len += (size_t)n;
                }
            }
        }
        if (pf[0].revents) {
            ssize_t n = read(r.steps[0], inbuf + in_len, in_cap - in_len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                close_fd(&r.steps[0]);
                continue;
            }
            in_len += (size_t)n;
            size_t off = 0;
            while (!stopped && !proto_err) {
                size_t want = have_hello ? unit_len(inbuf + off, in_len - off, want_pages)
                                         : in_len - off >= sizeof(hs_wire_hello)
                                               ? sizeof(hs_wire_hello) : 0;
                if (want == SIZE_MAX) {
                    proto_err = 1;
                    snprintf(proto_msg, sizeof proto_msg, "replayer sent too many page runs");
                    break;
                }
                if (want == 0)
                    break;
                if (!have_hello) {
                    hs_wire_hello hello;
                    memcpy(&hello, inbuf + off, sizeof hello);
                    off += sizeof hello;
                    have_hello = 1;
                    rss_anon_ok = hello.rss_anon_ok != 0;
                    if (hello.magic != HS_WIRE_MAGIC || hello.version != HS_WIRE_VERSION ||
                        hello.n_ops != t->n_ops) {
                        proto_err = 1;
                        snprintf(proto_msg, sizeof proto_msg,
                                 "it does not speak this build's protocol");
                    } else if (hello.arena0 != 0 || hello.hblkhd0 != 0) {
                        proto_err = 1;
                        snprintf(proto_msg, sizeof proto_msg,
                                 "the replayer's heap was already in use before the first op "
                                 "(mallinfo2: arena %llu, hblkhd %llu); is something preloaded?",
                                 (unsigned long long)hello.arena0,
                                 (unsigned long long)hello.hblkhd0);
                    } else if (opts && opts->on_start) {
                        opts->on_start(ctx, hello.brk0, hello.mmap_top);
                        if (opts->on_foreign)
                            opts->on_foreign(ctx, (const uint64_t (*)[2])hello.foreign,
                                             hello.n_foreign <= HS_WIRE_MAX_FOREIGN ? hello.n_foreign : 0);
                    }
                    continue;
                }
                hs_wire_step w;
                memcpy(&w, inbuf + off, sizeof w);
                off += sizeof w;
                if (w.step != n_steps + 1 || n_steps >= t->n_ops) {
                    proto_err = 1;
                    snprintf(proto_msg, sizeof proto_msg, "replayer sent step %u, expected %zu",
                             (unsigned)w.step, n_steps + 1);
                    break;
                }
                n_steps++;
                if (want_pages) {
                    take_pages(&pages, inbuf + off - sizeof w, w.step);
                    off = off - sizeof w + want;
                    opts->on_pages(ctx, &pages);
                }
                hs_step st;
                to_step(&w, rss_anon_ok, &st);
                if (fn && fn(ctx, &st) != 0)
                    stopped = 1;
            }
            memmove(inbuf, inbuf + off, in_len - off);
            in_len -= off;
            if (off)   /* progress (the callback's own time included): a new lease */
                deadline = now_s() + timeout;
        }
    }

    /* Reap: kill first if we gave up on it; otherwise give it until the
     * deadline to finish exiting. */
    free(inbuf);
    free(runs);
    int must_kill = timed_out || stopped || proto_err;
    if (!must_kill && !wait_dead(r.pid, deadline)) {
        timed_out = 1;
        must_kill = 1;
    }
    int status = reap(r.pid, must_kill);
    close_all(&r);
    char err_line[HS_ERROR_MAX];
    last_line(tail, tail_len, err_line, sizeof err_line);

    if (stopped)
        return 0;
    if (timed_out)
        return fail(&r, "the replayer made no progress for %g s and was killed "
                        "(after %zu of %zu steps)", timeout, n_steps, t->n_ops);
    if (proto_err)
        return fail(&r, "replay with %s failed: %s", path, proto_msg);
    if (status == -1)
        return fail(&r, "cannot reap the replayer: %s", strerror(errno));
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (code == 0 && have_hello && n_steps == t->n_ops)
            return 0;
        if (code == 0)
            return fail(&r, "the replayer ended after %zu of %zu steps", n_steps, t->n_ops);
        return fail(&r, "the replayer exited with status %d after %zu of %zu steps%s%s", code,
                    n_steps, t->n_ops, err_line[0] ? ": " : "", err_line);
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *what = NULL;
        if (sig == SIGABRT)
            what = err_line[0] ? err_line : "Aborted";
        else if (sig == SIGSEGV)
            what = "Segmentation fault";
        else if (sig == SIGBUS)
            what = "Bus error";
        else if (sig == SIGKILL)
            what = "Killed (SIGKILL: out of memory?)";
        if (!what || !have_hello || n_steps >= t->n_ops) {
            const char *d = sigdescr_np(sig);
            return fail(&r, "the replayer was killed by signal %d (%s) after %zu of %zu steps%s%s",
                        sig, d ? d : "?", n_steps, t->n_ops, err_line[0] ? ": " : "", err_line);
        }
        hs_step st;
        memset(&st, 0, sizeof st);
        st.step = (uint32_t)(n_steps + 1);
        st.has = HS_HAS_ERROR;
        snprintf(st.error, sizeof st.error, "%s", what);
        if (fn)
            fn(ctx, &st);
        return 0;
    }
    return fail(&r, "the replayer ended with wait status %d", status);
}
