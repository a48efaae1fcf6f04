/* tests/record/prog_fork.c — a program that forks: parent and child both allocate.
 * Owns: the fork case of the recorder tests (record.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    char *a = malloc(100), *b = malloc(5000);
    memset(a, 1, 100);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        char *c = malloc(300);      /* the child's own calls */
        free(a);
        free(c);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    free(b);
    char *d = malloc(200000);       /* mmapped */
    free(d);
    free(a);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
