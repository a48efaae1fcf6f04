/* bench/bench_record.c — the recorder's overhead: an allocation-heavy run with and without libheapsim-recorder.so, side by side.
 * Owns: the overhead ratio and the bytes of log and of trace per call (usage: bench_record [MILLION_CALLS] [ROUNDS]). */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The workload: calls allocator calls, malloc/free of 16..1039 bytes over
 * 256 slots (the shape of tests/record/prog_many.c). */
static int work(long calls)
{
    void *slot[256] = {0};
    unsigned x = 1;
    for (long i = 0; i < calls; i += 2) {
        x = x * 1103515245u + 12345u;
        unsigned k = (x >> 8) & 255;
        free(slot[k]);
        slot[k] = malloc(16 + (x >> 16) % 1024);
    }
    for (int k = 0; k < 256; k++)
        free(slot[k]);
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv (with env additions when lib is set) and returns its wall time, or -1. */
static double run(char **argv, const char *lib, const char *dir)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (lib) {
            setenv("LD_PRELOAD", lib, 1);
            setenv("HEAPSIM_REC_DIR", dir, 1);
            setenv("HEAPSIM_REC_CALLERS", "1", 1);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return now() - t0;
}

/* Total bytes of the files in dir, then removes them.  Never fails. */
static long long drain(const char *dir)
{
    long long total = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[PATH_MAX + 300];
    while (d && (e = readdir(d)) != NULL) {
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (strstr(e->d_name, ".log") && stat(p, &sb) == 0)
            total += (long long)sb.st_blocks * 512;   /* what the log really takes (it is sparse at its end) */
        unlink(p);
    }
    if (d)
        closedir(d);
    return total;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--work") == 0)
        return work(atol(argv[2]));
    long million = argc > 1 ? atol(argv[1]) : 10;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    char self[PATH_MAX], lib[PATH_MAX + 32], heapsim[PATH_MAX + 32], num[32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return 2;
    self[n] = 0;
    char *slash = strrchr(self, '/');
    *slash = 0;
    snprintf(lib, sizeof lib, "%s/libheapsim-recorder.so", self);
    snprintf(heapsim, sizeof heapsim, "%s/heapsim", self);
    *slash = '/';
    char dir[] = "/tmp/bench-record-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 2;
    long calls = million * 1000000L;
    snprintf(num, sizeof num, "%ld", calls);
    char *wargv[] = { self, (char *)"--work", num, NULL };
    double best_plain = 1e9, best_rec = 1e9;
    long long log_bytes = 0;
    for (int r = 0; r < rounds; r++) {   /* alternate, so both see the same machine */
        double a = run(wargv, NULL, NULL), b = run(wargv, lib, dir);
        if (a < 0 || b < 0) {
            fprintf(stderr, "bench_record: a run failed (is %s built?)\n", lib);
            rmdir(dir);
            return 2;
        }
        log_bytes = drain(dir);
        if (a < best_plain) best_plain = a;
        if (b < best_rec) best_rec = b;
        printf("round %d: plain %.3f s, recorded %.3f s (x%.2f)\n", r + 1, a, b, b / a);
    }
    rmdir(dir);
    printf("%ld calls: plain %.3f s, recorded %.3f s: the recorder costs x%.2f (best of %d, side by side)\n",
           calls, best_plain, best_rec, best_rec / best_plain, rounds);
    printf("log: %.1f bytes per call (binary, --callers 1)\n", (double)log_bytes / (double)calls);
    /* the trace heapsim record writes from it */
    char out[] = "/tmp/bench-record-XXXXXX.jsonl";
    int fd = mkstemps(out, 6);
    if (fd >= 0) {
        close(fd);
        char cmd[3 * PATH_MAX];
        snprintf(cmd, sizeof cmd, "'%s' record --callers 0 -o '%s' -- '%s' --work %ld 2>/dev/null", heapsim, out,
                 self, calls);
        struct stat sb;
        if (system(cmd) == 0 && stat(out, &sb) == 0)
            printf("trace: %.1f bytes per call (.jsonl, --callers 0)\n", (double)sb.st_size / (double)calls);
        unlink(out);
    }
    return 0;
}
