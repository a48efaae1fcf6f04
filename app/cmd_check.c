/* app/cmd_check.c — `heapsim check TRACE...`: load and check traces, nothing else.
 * Owns: the check report ("PATH: ok, N ops, M ids"); the checks themselves are loader/'s. */
#include <stdio.h>
#include <string.h>

#include "app.h"

/* Stops at the first bad trace (the loader's message on stderr): exit 2. */
int hs_cmd_check(int argc, char **argv)
{
    if (argc < 2) {
        fputs("heapsim check: no trace given\n", stderr);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs("usage: heapsim check TRACE...\n"
                  "Loads and checks each trace; exit status 2 at the first bad one.\n", stdout);
            return 0;
        }
    for (int i = 1; i < argc; i++) {
        hs_trace t;
        if (hs_app_load(argv[i], &t) != 0) return 2;
        printf("%s: ok, %zu ops, %u ids\n", argv[i], t.n_ops, t.n_ids);
        hs_trace_free(&t);
    }
    return 0;
}
