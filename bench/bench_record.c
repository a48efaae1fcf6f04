/* bench/bench_record.c — the recorder's overhead: programs run with and without libheapsim-recorder.so, side by side.
 * Owns: the overhead ratios (an allocation loop, sort, python3) and the bytes of log and of trace per call. */
#define _GNU_SOURCE 1
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* usage: bench_record [MILLION_CALLS [ROUNDS [RECORDER.so]]]
 * Runs each program ROUNDS times alternately plain and recorded (so both
 * see the same machine) and prints the best times and their ratio: CPU
 * time (user + system of the program, what the recorder adds) and wall
 * time.  RECORDER.so (default: the one beside this program) lets two
 * builds of the recorder be compared.  Exits 2 when a run fails. */

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

/* Runs argv (found on PATH; recorded when lib is set, its log in dir,
 * stdout to /dev/null) and returns its wall time, its CPU time in *cpu;
 * -1 when it did not run or failed. */
static double run(char **argv, const char *lib, const char *dir, double *cpu)
{
    fflush(stdout);
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
        if (freopen("/dev/null", "w", stdout) == NULL)
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    *cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    return now() - t0;
}

/* Total bytes the .log files in dir take, then removes every file.  Never fails. */
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

/* One row: argv plain and recorded, rounds times alternately; prints the
 * best of each and the ratios.  Returns the log bytes of the last round,
 * or -1 when a run failed (printed). */
static long long row(const char *name, char **argv, const char *lib, const char *dir, int rounds)
{
    double bw[2] = {1e9, 1e9}, bc[2] = {1e9, 1e9};
    long long log_bytes = 0;
    for (int r = 0; r < rounds; r++) {
        for (int rec = 0; rec < 2; rec++) {
            double cpu = 0, wall = run(argv, rec ? lib : NULL, dir, &cpu);
            if (wall < 0) {
                printf("%-34s a run failed (%s)\n", name, rec ? "recorded" : "plain");
                drain(dir);
                return -1;
            }
            if (wall < bw[rec]) bw[rec] = wall;
            if (cpu < bc[rec]) bc[rec] = cpu;
        }
        log_bytes = drain(dir);
    }
    printf("%-34s cpu %.3f -> %.3f s  x%.2f   wall %.3f -> %.3f s  x%.2f\n", name, bc[0], bc[1],
           bc[1] / bc[0], bw[0], bw[1], bw[1] / bw[0]);
    return log_bytes;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--work") == 0)
        return work(atol(argv[2]));
    long million = argc > 1 ? atol(argv[1]) : 10;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    char self[PATH_MAX], lib[PATH_MAX + 32], heapsim[PATH_MAX + 32], num[32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0 || million <= 0 || rounds <= 0)
        return 2;
    self[n] = 0;
    char *slash = strrchr(self, '/');
    *slash = 0;
    snprintf(lib, sizeof lib, "%s/libheapsim-recorder.so", self);
    snprintf(heapsim, sizeof heapsim, "%s/heapsim", self);
    *slash = '/';
    if (argc > 3)
        snprintf(lib, sizeof lib, "%s", argv[3]);
    if (access(lib, R_OK) != 0) {
        fprintf(stderr, "bench_record: no recorder at %s\n", lib);
        return 2;
    }
    char dir[] = "/tmp/bench-record-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 2;
    long calls = million * 1000000L;
    snprintf(num, sizeof num, "%ld", calls);
    printf("best of %d rounds, plain -> recorded (--callers 1), CPU time = user + system of the program\n", rounds);

    char *wargv[] = { self, (char *)"--work", num, NULL };
    char name[64];
    snprintf(name, sizeof name, "loop: %ld malloc/free", calls);
    long long log_bytes = row(name, wargv, lib, dir, rounds);
    if (log_bytes < 0) {
        rmdir(dir);
        return 2;
    }

    /* real programs, when the system has them: sort of 8 MB of random
     * lines, python3 filling a dict through malloc (PYTHONMALLOC=malloc,
     * pymalloc would hide most calls) */
    char text[PATH_MAX + 32];
    snprintf(text, sizeof text, "%s/lines.txt", dir);
    FILE *f = fopen(text, "w");
    if (f != NULL) {
        unsigned x = 7;
        for (long i = 0; i < 400000; i++) {
            x = x * 1103515245u + 12345u;
            fprintf(f, "%08x line %ld %u\n", x, i, x >> 7);
        }
        fclose(f);
        char *sargv[] = { (char *)"sort", (char *)"--parallel=1", (char *)"-S", (char *)"64M", text, NULL };
        char tmpd[PATH_MAX + 32];
        snprintf(tmpd, sizeof tmpd, "%s/t", dir);
        mkdir(tmpd, 0700);
        setenv("TMPDIR", tmpd, 1);
        (void)row("sort --parallel=1 of 8 MB", sargv, lib, tmpd, rounds);
        unsetenv("TMPDIR");
        rmdir(tmpd);
        unlink(text);
    }
    /* python3 itself, not a wrapper on PATH (a pyenv shim runs ~70
     * processes before it, each paying the recorder's start) */
    char py[PATH_MAX] = "python3";
    FILE *pf = popen("python3 -c 'import sys; print(sys.executable)' 2>/dev/null", "r");
    if (pf != NULL) {
        if (fgets(py, sizeof py, pf) == NULL || py[0] != '/')
            snprintf(py, sizeof py, "python3");
        py[strcspn(py, "\n")] = 0;
        pclose(pf);
    }
    setenv("PYTHONMALLOC", "malloc", 1);
    char *pargv[] = { py, (char *)"-c",
                      (char *)"d = {}\nfor i in range(200000): d[str(i)] = [i, str(i * 7)]\n", NULL };
    (void)row("python3: a 200,000-entry dict", pargv, lib, dir, rounds);
    unsetenv("PYTHONMALLOC");
    rmdir(dir);

    printf("log: %.1f bytes per call of the loop (binary, --callers 1)\n", (double)log_bytes / (double)calls);
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
