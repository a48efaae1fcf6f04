/* app/cmd_record.c — `heapsim record [-o TRACE] [--callers N] -- PROGRAM [ARGS...]`.
 * Owns: running a program under the preloaded recorder (ASLR off) and turning its logs into traces. */
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

/* out with ".PID" (and "-IMAGE") put before its suffix (.json/.jsonl). */
static void side_name(const char *out, const logf *l, char *buf, size_t n)
{
    const char *dot = strrchr(out, '.');
    const char *slash = strrchr(out, '/');
    if (dot == NULL || (slash != NULL && dot < slash))
        dot = out + strlen(out);
    char tag[32];
    if (l->image)
        snprintf(tag, sizeof tag, ".%u-%u", l->pid, l->image);
    else
        snprintf(tag, sizeof tag, ".%u", l->pid);
    snprintf(buf, n, "%.*s%s%s", (int)(dot - out), out, tag, dot);
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
    if (find_recorder(lib, sizeof lib) != 0)
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
    if (main_ix == n) {
        fprintf(stderr, "heapsim record: %s made no allocator call that the recorder saw "
                "(a static program, or one that does not use glibc's malloc)\n", prog[0]);
        free(logs);
        remove_dir(dir);
        return 2;
    }
    char out_buf[PATH_MAX];
    if (out == NULL) {
        /* large recordings stream: .jsonl (the log has 40+ bytes a call) */
        char lp[PATH_MAX + 64];
        struct stat sb;
        snprintf(lp, sizeof lp, "%s/%u.%u.log", dir, logs[main_ix].pid, logs[main_ix].image);
        int large = stat(lp, &sb) == 0 && (uint64_t)sb.st_size > 8192 + (uint64_t)LARGE_OPS * 40;
        snprintf(out_buf, sizeof out_buf, "record.%s", large ? "jsonl" : "json");
        out = out_buf;
    }

    int rc = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n; k++) {
            if ((pass == 0) != (k == main_ix))
                continue;                      /* the program's trace first */
            char lp[PATH_MAX + 64], mp[PATH_MAX + 64], target[PATH_MAX + 32], err[PATH_MAX + 200];
            snprintf(lp, sizeof lp, "%s/%u.%u.log", dir, logs[k].pid, logs[k].image);
            snprintf(mp, sizeof mp, "%s/%u.%u.maps", dir, logs[k].pid, logs[k].image);
            if (k == main_ix)
                snprintf(target, sizeof target, "%s", out);
            else
                side_name(out, &logs[k], target, sizeof target);
            hs_rec_stats st;
            /* an image that exec'd another is complete, not cut short */
            int execd = k + 1 < n && logs[k + 1].pid == logs[k].pid;
            if (hs_rec_convert(lp, mp, target, command, execd, &st, err, sizeof err) != 0) {
                fprintf(stderr, "heapsim record: %s\n", err);
                rc = 2;
                continue;
            }
            if (k == main_ix)
                fprintf(stderr, "heapsim record: %s: %llu ops, %llu ids from %llu calls of pid %u%s\n", target,
                        (unsigned long long)st.ops, (unsigned long long)st.ids,
                        (unsigned long long)st.records, st.pid,
                        st.truncated ? " (truncated: the recording stops before the process's end)" : "");
            else
                fprintf(stderr, "heapsim record: %s %u%s has a trace of its own: %s (%llu ops)%s\n",
                        st.forked ? "child process" : "process", st.pid,
                        execd ? " (before its exec)" : logs[k].image ? " (after an exec)" : "",
                        target, (unsigned long long)st.ops,
                        st.forked ? "; it started from its parent's heap" : "");
            if (st.unknown_dropped)
                fprintf(stderr, "heapsim record: %s: %llu free/realloc calls of pointers no recorded call "
                        "returned were dropped\n", target, (unsigned long long)st.unknown_dropped);
            if (st.mallopt_dropped)
                fprintf(stderr, "heapsim record: %s: %llu mallopt calls with params the trace format has no "
                        "name for were dropped\n", target, (unsigned long long)st.mallopt_dropped);
            if (st.threads)
                fprintf(stderr, "heapsim record: %s: %zu threads besides the main one made %llu of the calls "
                        "(field \"thread\"); %llu of them ended before the process (op thread_exit); "
                        "heapsim replays them as threads\n",
                        target, st.threads, (unsigned long long)st.threaded_ops,
                        (unsigned long long)st.thread_exits);
        }
    }
    free(logs);
    remove_dir(dir);
    return rc;
}
