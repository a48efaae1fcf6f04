/* tests/record/lib_dl.c — a library prog_dlopen loads, allocates from and unloads.
 * Owns: the code that is gone from the process when it exits (record_robust.sh's dlopen case). */
#include <stdlib.h>

void *dl_make_block(size_t n);

void *dl_make_block(size_t n)
{
    return malloc(n);
}
