/* tests/record/prog_kill.c — a program killed by SIGKILL in the middle of its allocations.
 * Owns: the killed case of the recorder tests (record.sh). */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    void *keep[64] = {0};
    for (int i = 0; i < 60000; i++) {
        int k = i % 64;
        free(keep[k]);
        keep[k] = malloc((size_t)(16 + (i * 37) % 3000));
        if (i == 40000)
            kill(getpid(), SIGKILL);    /* mid-run, past a few rings of the log (rec_log.h: ~24 bytes a turn) */
    }
    return 0;
}
