/* app/cmd_record.c — `heapsim record [-o TRACE] [--callers N] -- PROGRAM [ARGS...]`.
 * Owns: running a program under the preloaded recorder (ASLR off), its logs as traces, and the report of them. */
#define _GNU_SOURCE 1

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "rec_convert.h"

#define LARGE_OPS 100000   /* without -o, a log with more calls becomes a .jsonl */

static void usage_to(FILE *f)
{
    fputs("usage: heapsim record [-o TRACE] [--callers N] -- PROGRAM [ARGS...]\n", f);
}

static void usage(void) { usage_to(stderr); }

/* One log of the run: PID.IMAGE.log in the log directory. */
typedef struct logf {
    unsigned pid, image;
} logf;

static int cmp_log(const void *a, const void *b)
{
    const logf *x = a, *y = b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    return x->image < y->image ? -1 : x->image > y->image;
}

/* The recorder library (hs_app_recorder: $HEAPSIM_RECORDER, installed, or
 * the build tree).  Returns 0, or -1 with a message printed. */
static int find_recorder(char *out, size_t n)
{
    snprintf(out, n, "%s", hs_app_recorder());
    if (access(out, R_OK) != 0) {
        fprintf(stderr, "heapsim record: cannot find the recorder %s: %s (set HEAPSIM_RECORDER)\n", out,
                strerror(errno));
        return -1;
    }
    return 0;
}

/* Removes the log directory and what the recorder left in it.  Never fails. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        char p[PATH_MAX];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* out with tag (".PID", ".PID-IMAGE") put before its suffix (.json/.jsonl). */
static void tagged_name(const char *out, const char *tag, char *buf, size_t n)
{
    const char *dot = strrchr(out, '.');
    const char *slash = strrchr(out, '/');
    if (dot == NULL || (slash != NULL && dot < slash))
        dot = out + strlen(out);
    snprintf(buf, n, "%.*s%s%s", (int)(dot - out), out, tag, dot);
}

/* The trace of a log other than the program's: out with ".PID" (and
 * "-IMAGE") put before its suffix. */
static void side_name(const char *out, const logf *l, char *buf, size_t n)
{
    char tag[32];
    if (l->image)
        snprintf(tag, sizeof tag, ".%u-%u", l->pid, l->image);
    else
        snprintf(tag, sizeof tag, ".%u", l->pid);
    tagged_name(out, tag, buf, n);
}

/* Whether out is the program execvp would run for prog (prog itself when
 * it has a '/', else the first executable PROG in $PATH): the trace would
 * replace the program.  Never fails. */
static bool out_is_program(const char *out, const char *prog)
{
    if (strchr(prog, '/')) return hs_outfile_is(out, prog);
    const char *path = getenv("PATH");
    for (const char *p = path ? path : "/usr/local/bin:/bin:/usr/bin"; *p;) {
        size_t n = strcspn(p, ":");
        char cand[PATH_MAX];
        if (snprintf(cand, sizeof cand, "%.*s/%s", n ? (int)n : 1, n ? p : ".", prog) < (int)sizeof cand &&
            access(cand, X_OK) == 0)
            return hs_outfile_is(out, cand);
        p += n;
        if (*p == ':') p++;
    }
    return false;
}

/* Whether a trace can be written at out, checked before the program runs
 * (a long run is not lost to a typo): out is no folder, not the program
 * itself, and a file can be made in its folder.  Returns 0, or -1 with a
 * message printed. */
static int check_out(const char *out, const char *prog)
{
    if (out_is_program(out, prog)) {
        fprintf(stderr, "heapsim record: -o %s is the program %s itself: the trace would replace it "
                "(-o another file)\n", out, prog);
        return -1;
    }
    struct stat sb;
    if (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "heapsim record: %s is a folder: -o wants the trace's file name\n", out);
        return -1;
    }
    hs_outfile o;
    char err[PATH_MAX + 100];
    if (hs_outfile_open(&o, out, err, sizeof err) == NULL) {
        fprintf(stderr, "heapsim record: %s\n", err);
        return -1;
    }
    hs_outfile_abort(&o);
    return 0;
}

/* Runs argv under the recorder with ASLR off; returns its wait status in
 * *status and its pid, or -1 with a message printed. */
static pid_t run_program(char **argv, const char *lib, const char *dir, int callers, int *status)
{
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) != 0) {
        fprintf(stderr, "heapsim record: pipe: %s\n", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "heapsim record: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        char pre[PATH_MAX * 2], num[16];
        const char *old = getenv("LD_PRELOAD");
        snprintf(pre, sizeof pre, "%s%s%s", lib, old && *old ? ":" : "", old && *old ? old : "");
        snprintf(num, sizeof num, "%d", callers);
        int persona = personality(0xffffffff);
        if (persona != -1)
            personality((unsigned long)persona | ADDR_NO_RANDOMIZE);
        if (setenv("LD_PRELOAD", pre, 1) || setenv("HEAPSIM_REC_DIR", dir, 1)
            || setenv("HEAPSIM_REC_CALLERS", num, 1))
            _exit(127);
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        execvp(argv[0], argv);
        int e = errno;
        if (write(ep[1], &e, sizeof e) < 0)
            _exit(127);
        _exit(127);
    }
    close(ep[1]);
    int e = 0;
    ssize_t got = read(ep[0], &e, sizeof e);
    close(ep[0]);
    /* Ctrl-C is for the program: heapsim stays to write what was recorded */
    struct sigaction ign, oint, oquit;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ign, &oint);
    sigaction(SIGQUIT, &ign, &oquit);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
    sigaction(SIGINT, &oint, NULL);
    sigaction(SIGQUIT, &oquit, NULL);
    if (got == (ssize_t)sizeof e) {
        fprintf(stderr, "heapsim record: cannot run %s: %s\n", argv[0], strerror(e));
        return -1;
    }
    return pid;
}

/* The logs in dir, sorted by pid and image; NULL with *n = 0 when none. */
static logf *list_logs(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    logf *v = NULL;
    size_t cap = 0;
    *n = 0;
    if (d == NULL)
        return NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        unsigned pid, image;
        char tail[8];
        if (sscanf(e->d_name, "%u.%u.%7s", &pid, &image, tail) != 3 || strcmp(tail, "log") != 0)
            continue;
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            logf *nv = realloc(v, nc * sizeof *nv);
            if (nv == NULL)
                break;
            v = nv;
            cap = nc;
        }
        v[(*n)++] = (logf){ pid, image };
    }
    closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, cmp_log);
    return v;
}

/* One converted log: its trace and what hs_rec_convert reported. */
typedef struct side {
    char target[PATH_MAX + 32];
    int execd, ok;
    int later;                     /* the same pid logged a later image */
    hs_rec_stats st;
} side;

/* The last part of a path (the program's name). */
static const char *base_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s != NULL && s[1] ? s + 1 : path;
}

/* "N op"/"N ops". */
static const char *plural(uint64_t n, const char *one, const char *many) { return n == 1 ? one : many; }

/* Prints one side trace: which process image it is and what it lacks. */
static void report_one(const side *e, unsigned main_pid)
{
    const hs_rec_stats *st = &e->st;
    char from[64] = "";
    if (st->forked)
        snprintf(from, sizeof from, ", a fork of pid %u", st->ppid);
    else if (st->image == 0 && st->pid != main_pid)
        snprintf(from, sizeof from, ", started by pid %u", st->ppid);
    fprintf(stderr, "heapsim record: process %u (%s%s%s) has a trace of its own: %s (%llu %s)%s%s\n", st->pid,
            base_of(st->exe), from,
            e->later ? ", before its exec" : st->ended_exec ? ", then exec'd a program the recorder cannot see"
            : st->image ? ", after an exec" : "", e->target,
            (unsigned long long)st->ops, plural(st->ops, "op", "ops"),
            st->forked ? "; it started from its parent's heap, so its offsets are not replayable" : "",
            st->truncated ? "; truncated: it was still running when the program ended, or was killed" : "");
}

/* Prints what a trace lacks (missing calls, dropped calls), and its threads. */
static void report_lacks(const side *e)
{
    const hs_rec_stats *st = &e->st;
    if (st->stopped)
        fprintf(stderr, "heapsim record: %s: the log could not grow (a full disk?): the last %llu calls are "
                "missing, the trace ends before them, marked truncated\n", e->target, (unsigned long long)st->lost);
    else if (st->lost > 0)
        fprintf(stderr, "heapsim record: %s: %llu calls made inside a call (a signal handler that allocates) "
                "found the log's ring full and are missing from the trace\n", e->target,
                (unsigned long long)st->lost);
    if (st->unknown_dropped)
        fprintf(stderr, "heapsim record: %s: %llu free/realloc %s of pointers no recorded call returned %s "
                "dropped%s\n", e->target, (unsigned long long)st->unknown_dropped,
                plural(st->unknown_dropped, "call", "calls"), plural(st->unknown_dropped, "was", "were"),
                st->forked ? " (blocks its parent allocated before the fork)" : "");
    if (st->mallopt_dropped)
        fprintf(stderr, "heapsim record: %s: %llu mallopt %s with params the trace format has no "
                "name for %s dropped\n", e->target, (unsigned long long)st->mallopt_dropped,
                plural(st->mallopt_dropped, "call", "calls"), plural(st->mallopt_dropped, "was", "were"));
    if (st->threads)
        fprintf(stderr, "heapsim record: %s: %zu %s besides the main one made %llu of the calls "
                "(field \"thread\"); %llu of them ended before the process (op thread_exit); "
                "heapsim replays them as threads\n",
                e->target, st->threads, st->threads == 1 ? "thread" : "threads",
                (unsigned long long)st->threaded_ops, (unsigned long long)st->thread_exits);
}

/* A group of side traces in the summary. */
typedef struct group {
    const char *what;        /* "images of pid N before its last exec", ... */
    size_t n, threads, truncated, lost_in;
    uint64_t ops, min_ops, max_ops, dropped, mallopt;
} group;

#define SIDE_LISTED 4   /* at most this many side traces get a line each; more are summed up */
#define NAMES_SHOWN 5   /* programs named in a group's line */

/* Which group a side trace belongs to: 0 an earlier image of the
 * program's own pid (a wrapper that exec'd it), 1 a forked child (its
 * heap is its parent's), 2 any other process image (a program a child
 * exec'd, or one started with posix_spawn/vfork). */
static int kind_of_side(const side *e, unsigned main_pid)
{
    if (e->st.pid == main_pid)
        return 0;
    return e->st.forked ? 1 : 2;
}

/* Whether sd[k] is a side trace of group kind (not the program's, converted). */
static bool in_group(const side *sd, size_t k, size_t main_ix, unsigned main_pid, int kind)
{
    return sd[k].ok && k != main_ix && kind_of_side(&sd[k], main_pid) == kind;
}

/* Prints a group's line: how many, which programs (most frequent first),
 * their ops, and what they lack. */
static void report_group(const group *g, const side *sd, size_t n, size_t main_ix, unsigned main_pid, int kind)
{
    if (g->n == 0)
        return;
    /* the programs, counted by name, most frequent first (n is small) */
    const char *names[NAMES_SHOWN];
    size_t counts[NAMES_SHOWN], shown = 0, others = 0;
    char *done = calloc(n, 1);
    if (done == NULL)
        return;
    for (;;) {
        size_t best = n, best_c = 0;
        for (size_t k = 0; k < n; k++) {
            if (done[k] || !in_group(sd, k, main_ix, main_pid, kind))
                continue;
            size_t c = 0;
            for (size_t j = k; j < n; j++)
                if (!done[j] && in_group(sd, j, main_ix, main_pid, kind)
                    && strcmp(base_of(sd[j].st.exe), base_of(sd[k].st.exe)) == 0)
                    c++;
            if (c > best_c) {
                best = k;
                best_c = c;
            }
        }
        if (best == n)
            break;
        for (size_t j = best; j < n; j++)
            if (in_group(sd, j, main_ix, main_pid, kind)
                && strcmp(base_of(sd[j].st.exe), base_of(sd[best].st.exe)) == 0)
                done[j] = 1;
        if (shown < NAMES_SHOWN) {
            names[shown] = base_of(sd[best].st.exe);
            counts[shown++] = best_c;
        } else {
            others += best_c;
        }
    }
    free(done);
    char list[512];
    size_t o = 0;
    list[0] = 0;
    for (size_t i = 0; i < shown && o < sizeof list; i++) {
        int w = snprintf(list + o, sizeof list - o, "%s%s x%zu", i ? ", " : "", names[i], counts[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
    if (others && o < sizeof list)
        snprintf(list + o, sizeof list - o, ", %zu others", others);
    fprintf(stderr, "heapsim record:   %zu %s: %s; %llu-%llu ops each, %llu in all\n", g->n, g->what, list,
            (unsigned long long)g->min_ops, (unsigned long long)g->max_ops, (unsigned long long)g->ops);
    if (g->dropped)
        fprintf(stderr, "heapsim record:     %llu free/realloc calls of pointers no call in their trace returned "
                "were dropped%s\n", (unsigned long long)g->dropped,
                kind == 1 ? " (blocks the parent allocated before the fork)" : "");
    if (g->threads)
        fprintf(stderr, "heapsim record:     %zu of them have threads (field \"thread\"), replayed as threads\n",
                g->threads);
    if (g->truncated)
        fprintf(stderr, "heapsim record:     %zu of them end before their process did (marked truncated: "
                "still running when the program ended, or killed)\n", g->truncated);
    if (g->lost_in)
        fprintf(stderr, "heapsim record:     %zu of them miss calls (a full disk, or a signal handler that "
                "allocates)\n", g->lost_in);
    if (g->mallopt)
        fprintf(stderr, "heapsim record:     %llu mallopt calls with params the trace format has no name for "
                "were dropped\n", (unsigned long long)g->mallopt);
}

/* Prints the largest side trace of each program, largest first: where
 * to look for the program one wanted among a wrapper's many. */
static void report_largest(const side *sd, size_t n, size_t main_ix)
{
    size_t *best = malloc(n * sizeof *best), nb = 0;
    if (best == NULL)
        return;
    for (size_t k = 0; k < n; k++) {
        if (k == main_ix || !sd[k].ok)
            continue;
        size_t i = 0;
        while (i < nb && strcmp(base_of(sd[best[i]].st.exe), base_of(sd[k].st.exe)) != 0)
            i++;
        if (i == nb)
            best[nb++] = k;
        else if (sd[k].st.ops > sd[best[i]].st.ops)
            best[i] = k;
    }
    char list[1024];
    size_t o = 0;
    list[0] = 0;
    for (size_t shown = 0; shown < nb && shown < NAMES_SHOWN + 1; shown++) {
        size_t top = shown;                    /* selection: the next largest */
        for (size_t i = shown + 1; i < nb; i++)
            if (sd[best[i]].st.ops > sd[best[top]].st.ops)
                top = i;
        size_t t = best[top];
        best[top] = best[shown];
        best[shown] = t;
        int w = snprintf(list + o, sizeof list - o, "%s%s (%s, %llu ops)", shown ? ", " : "", sd[t].target,
                         base_of(sd[t].st.exe), (unsigned long long)sd[t].st.ops);
        if (w < 0 || (size_t)w >= sizeof list - o)
            break;
        o += (size_t)w;
    }
    fprintf(stderr, "heapsim record:   the largest of each program: %s%s\n", list,
            nb > NAMES_SHOWN + 1 ? ", ..." : "");
    free(best);
}

/* Prints what was recorded: the program's trace (sd[main_ix]; none when
 * main_ix == n), then the others one a line when few, else summed up by
 * kind and program, with the largest named (a wrapper chain such as a
 * pyenv shim runs dozens). */
static void report(const side *sd, size_t n, size_t main_ix, unsigned main_pid, const char *out)
{
    const side *m = main_ix < n ? &sd[main_ix] : NULL;
    if (m != NULL && m->ok) {
        fprintf(stderr, "heapsim record: %s: %llu ops, %llu ids from %llu calls of pid %u (%s)%s\n", m->target,
                (unsigned long long)m->st.ops, (unsigned long long)m->st.ids,
                (unsigned long long)m->st.records, m->st.pid, base_of(m->st.exe),
                m->st.truncated ? " (truncated: the recording stops before the process's end)" : "");
        if (m->st.ended_exec && !m->later)
            fprintf(stderr, "heapsim record: %s: pid %u then exec'd a program the recorder cannot see (a static "
                    "one, or one not using glibc's malloc): the trace is %s's, whole up to that exec\n", m->target,
                    m->st.pid, base_of(m->st.exe));
        report_lacks(m);
    }
    size_t n_side = 0;
    for (size_t k = 0; k < n; k++)
        n_side += k != main_ix && sd[k].ok;
    if (n_side == 0)
        return;
    if (n_side <= SIDE_LISTED) {
        for (size_t k = 0; k < n; k++)
            if (k != main_ix && sd[k].ok) {
                report_one(&sd[k], main_pid);
                report_lacks(&sd[k]);
            }
        return;
    }
    char pattern[PATH_MAX + 32];
    tagged_name(out, ".PID", pattern, sizeof pattern);
    group g[3];
    char what0[1200];
    snprintf(what0, sizeof what0, "earlier images of pid %u, which exec'd %s (a wrapper chain)", main_pid,
             m != NULL && m->ok ? base_of(m->st.exe) : "the program");
    memset(g, 0, sizeof g);
    g[0].what = what0;
    g[1].what = "forked children, started from their parent's heap (offsets not replayable)";
    g[2].what = "other process images (programs the children exec'd or spawned)";
    uint64_t total = 0;
    for (size_t k = 0; k < n; k++) {
        if (k == main_ix || !sd[k].ok)
            continue;
        group *x = &g[kind_of_side(&sd[k], main_pid)];
        const hs_rec_stats *st = &sd[k].st;
        if (x->n == 0 || st->ops < x->min_ops)
            x->min_ops = st->ops;
        if (st->ops > x->max_ops)
            x->max_ops = st->ops;
        x->n++;
        x->ops += st->ops;
        x->dropped += st->unknown_dropped;
        x->mallopt += st->mallopt_dropped;
        x->threads += st->threads > 0;
        x->truncated += st->truncated != 0;
        x->lost_in += st->lost > 0 || st->stopped;
        total += st->ops;
    }
    fprintf(stderr, "heapsim record: %zu other process images have traces of their own, %llu ops in all, "
            "named %s (PID-N: the image after the process's Nth exec):\n", n_side, (unsigned long long)total,
            pattern);
    for (int kind = 0; kind < 3; kind++)
        report_group(&g[kind], sd, n, main_ix, main_pid, kind);
    report_largest(sd, n, main_ix);
}

int hs_cmd_record(int argc, char **argv)
{
    const char *out = NULL;
    int callers = 1, i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage_to(stdout);
            return 0;
        } else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--out")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "heapsim record: %s wants the trace's file name\n", argv[i]);
                usage();
                return 2;
            }
            out = argv[++i];
        } else if (!strcmp(argv[i], "--callers")) {
            char *end;
            long v = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : -1;
            if (i + 1 >= argc || *end || end == argv[i + 1] || v < 0 || v > 16) {
                fprintf(stderr, "heapsim record: --callers wants a number of frames from 0 to 16, got '%s'\n",
                        i + 1 < argc ? argv[i + 1] : "");
                return 2;
            }
            callers = (int)v;
            i++;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "heapsim record: unknown option '%s'\n", argv[i]);
            usage();
            return 2;
        } else {
            break;
        }
    }
    if (i >= argc) {
        fputs("heapsim record: no program given\n", stderr);
        usage();
        return 2;
    }
    char **prog = argv + i;
    char lib[PATH_MAX];
    if (find_recorder(lib, sizeof lib) != 0 || check_out(out != NULL ? out : "record.json", prog[0]) != 0)
        return 2;
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/heapsim-rec-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "heapsim record: cannot make a directory for the logs (%s): %s\n", dir, strerror(errno));
        return 2;
    }

    int status = 0;
    pid_t pid = run_program(prog, lib, dir, callers, &status);
    if (pid < 0) {
        remove_dir(dir);
        return 2;
    }
    /* the traces are what the run was for: a reader of the messages that
     * went away (record ... 2>&1 | head) must not kill heapsim before it
     * has written them and removed the logs */
    signal(SIGPIPE, SIG_IGN);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        fprintf(stderr, "heapsim record: %s exited with status %d\n", prog[0], WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        fprintf(stderr, "heapsim record: %s was killed by signal %d (%s); the trace ends there\n", prog[0],
                WTERMSIG(status), strsignal(WTERMSIG(status)));

    /* the command line, for the title */
    char command[512];
    size_t o = 0;
    command[0] = 0;
    for (int k = 0; prog[k] && o < sizeof command - 1; k++) {
        int w = snprintf(command + o, sizeof command - o, "%s%s", k ? " " : "", prog[k]);
        if (w < 0)
            break;
        o += (size_t)w;
    }

    size_t n = 0;
    logf *logs = list_logs(dir, &n);
    size_t main_ix = n;
    for (size_t k = 0; k < n; k++)
        if (logs[k].pid == (unsigned)pid)
            main_ix = k;                       /* the last image of the program's own pid */
    if (n == 0) {
        fprintf(stderr, "heapsim record: %s made no allocator call that the recorder saw "
                "(a static program, or one that does not use glibc's malloc)\n", prog[0]);
        free(logs);
        remove_dir(dir);
        return 2;
    }
    char out_buf[PATH_MAX];
    if (out == NULL) {
        /* large recordings stream: .jsonl (the log has 40+ bytes a call);
         * without the program's own log, the largest decides */
        int large = 0;
        for (size_t k = 0; k < n; k++) {
            char lp[PATH_MAX + 64];
            struct stat sb;
            snprintf(lp, sizeof lp, "%s/%u.%u.log", dir, logs[k].pid, logs[k].image);
            if ((k == main_ix || main_ix == n) && stat(lp, &sb) == 0
                && (uint64_t)sb.st_size > 8192 + (uint64_t)LARGE_OPS * 40)
                large = 1;
        }
        snprintf(out_buf, sizeof out_buf, "record.%s", large ? "jsonl" : "json");
        out = out_buf;
    }
    if (main_ix == n)                          /* a static wrapper: its children's traces are kept */
        fprintf(stderr, "heapsim record: %s (pid %d) made no allocator call that the recorder saw (a static "
                "program, or one that does not use glibc's malloc), so %s is not written; the processes it "
                "started did, and get traces of their own:\n", prog[0], (int)pid, out);

    /* every log to its trace, the program's first; what they are is
     * printed afterwards (report), many side traces summed up */
    side *sd = calloc(n, sizeof *sd);
    if (sd == NULL) {
        fputs("heapsim record: out of memory\n", stderr);
        free(logs);
        remove_dir(dir);
        return 2;
    }
    int rc = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n; k++) {
            if ((pass == 0) != (k == main_ix))
                continue;                      /* the program's trace first */
            char lp[PATH_MAX + 64], mp[PATH_MAX + 64], err[PATH_MAX + 200];
            snprintf(lp, sizeof lp, "%s/%u.%u.log", dir, logs[k].pid, logs[k].image);
            snprintf(mp, sizeof mp, "%s/%u.%u.maps", dir, logs[k].pid, logs[k].image);
            if (k == main_ix)
                snprintf(sd[k].target, sizeof sd[k].target, "%s", out);
            else
                side_name(out, &logs[k], sd[k].target, sizeof sd[k].target);
            /* an image that exec'd another is complete, not cut short; so is
             * the program's last image when its process exited normally
             * yet it logged no end: it exec'd a program the recorder cannot
             * see (a static one) */
            sd[k].later = k + 1 < n && logs[k + 1].pid == logs[k].pid;
            sd[k].execd = sd[k].later || (k == main_ix && WIFEXITED(status));
            if (hs_rec_convert(lp, mp, sd[k].target, command, sd[k].execd, k == main_ix, &sd[k].st, err,
                               sizeof err) != 0) {
                fprintf(stderr, "heapsim record: %s\n", err);
                rc = 2;
                continue;
            }
            sd[k].ok = 1;
        }
    }
    report(sd, n, main_ix, (unsigned)pid, out);
    free(sd);
    free(logs);
    remove_dir(dir);
    return rc;
}
