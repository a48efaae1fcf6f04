/* tests/record/prog_static.c — a statically linked launcher: runs its arguments as a child and waits.
 * Owns: the static-wrapper case of the recorder tests (record_chain.sh): the recorder cannot see this
 * program's own calls, only its child's. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: prog_static PROGRAM [ARGS...]\n", stderr);
        return 2;
    }
    pid_t p = fork();
    if (p < 0)
        return 1;
    if (p == 0) {
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    int st;
    if (waitpid(p, &st, 0) < 0)
        return 1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
