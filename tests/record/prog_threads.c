/* tests/record/prog_threads.c — ending a process from a thread: pthread_exit from main, exit or _exit from another thread.
 * Owns: the exit cases of the recorder tests (record.sh).  argv[1]: pthread_exit | exit | _exit. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *mode;

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++)
        free(malloc(64 + (size_t)i));
    void *keep = malloc(1000);
    (void)keep;
    if (strcmp(mode, "exit") == 0)
        exit(0);
    if (strcmp(mode, "_exit") == 0)
        _exit(0);
    return NULL;
}

int main(int argc, char **argv)
{
    mode = argc > 1 ? argv[1] : "pthread_exit";
    void *p = malloc(32);
    free(p);
    pthread_t t;
    if (pthread_create(&t, NULL, worker, NULL) != 0)
        return 1;
    if (strcmp(mode, "pthread_exit") == 0)
        pthread_exit(NULL);
    pthread_join(t, NULL);   /* the worker ends the process first */
    for (;;)
        pause();
}
