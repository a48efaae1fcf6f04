/* tests/record/prog_dlopen.c — loads argv[1] with dlopen, allocates through it, unloads it, exits.
 * Owns: the dlopen case of the recorder tests (record_robust.sh): its caller must be named though the library is gone at exit. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    void *h = dlopen(argv[1], RTLD_NOW);
    if (h == NULL) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    void *(*make)(size_t) = (void *(*)(size_t))dlsym(h, "dl_make_block");
    if (make == NULL)
        return 1;
    void *p = make(777);
    free(p);
    dlclose(h);
    return 0;
}
