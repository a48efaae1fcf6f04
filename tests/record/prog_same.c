/* tests/record/prog_same.c — one run logged by glibc's mtrace and by ltrace at once, for the importers' test.
 * Owns: the calls both logs must show (import.sh); no stdio while tracing, so both see the same calls. */
#include <mcheck.h>
#include <stdlib.h>

int main(void)
{
    mtrace();
    void *keep[32] = {0};
    unsigned x = 7;
    for (int i = 0; i < 400; i++) {
        x = x * 1103515245u + 12345u;
        int k = (int)((x >> 8) % 32);
        if (keep[k] != NULL && (x & 0x10000))
            keep[k] = realloc(keep[k], 16 + (x >> 20) % 5000);
        else {
            free(keep[k]);
            keep[k] = malloc(16 + (x >> 18) % (i % 50 == 0 ? 300000 : 3000));
        }
    }
    void *r = realloc(NULL, 70);      /* a malloc */
    r = realloc(r, 0);                /* a free in glibc 2.36 */
    free(NULL);                       /* nothing */
    for (int k = 0; k < 32; k++)
        free(keep[k]);
    muntrace();
    return r != NULL;
}
