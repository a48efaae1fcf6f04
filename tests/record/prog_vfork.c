/* tests/record/prog_vfork.c — a vfork child that fails to exec and _exits, then the parent allocates and is killed.
 * Owns: the vfork case of the recorder tests (record_robust.sh): the child shares the parent's memory, so its
 * _exit must not mark the parent's log as ended. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    char *a = malloc(100);
    memset(a, 1, 100);
    pid_t p = vfork();
    if (p == 0) {
        char *argv[] = { "/nonexistent/prog", NULL };
        execv(argv[0], argv);
        _exit(127);                     /* the exec failed: the usual vfork child's end */
    }
    int st;
    if (p < 0 || waitpid(p, &st, 0) < 0)
        return 1;
    char *b = malloc(200);
    memset(b, 2, 200);
    free(a);
    raise(SIGKILL);                     /* the parent never reaches exit */
    free(b);
    return 0;
}
