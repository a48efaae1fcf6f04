/* tests/record/prog_many.c — N million allocator calls (argv[1], default 10), then its peak RSS on stdout.
 * Owns: the long-run case of the recorder tests (record_many.sh) and the overhead benchmark's workload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* VmHWM in KiB from /proc/self/status, or 0. */
static long peak_kib(void)
{
    char line[256];
    long v = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            v = strtol(line + 6, NULL, 10);
    fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    long calls = (argc > 1 ? atol(argv[1]) : 10) * 1000000L;
    void *slot[256] = {0};
    unsigned x = 1;
    for (long i = 0; i < calls; i += 2) {
        x = x * 1103515245u + 12345u;
        unsigned k = (x >> 8) & 255;
        free(slot[k]);                          /* free(NULL) at first: not a call glibc sees */
        slot[k] = malloc(16 + (x >> 16) % 1024);
    }
    for (int k = 0; k < 256; k++)
        free(slot[k]);
    printf("%ld\n", peak_kib());
    return 0;
}
