/* app/cmd_lessons.c — `heapsim lessons`: the lesson traces and their titles.
 * Owns: the listing; which lessons exist and their order is traces/lessons.txt (app/lessons.c). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "lessons.h"

/* Lists every lesson of traces/lessons.txt, in class order, with its title;
 * a lesson that does not load is listed with the loader's message.  Returns
 * 2 if the list cannot be read or has a bad line. */
int hs_cmd_lessons(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs("usage: heapsim lessons\nLists the lesson traces in class order (traces/lessons.txt).\n",
                  stdout);
            return 0;
        }
    const char *dir = hs_app_traces_dir();
    hs_lessons l;
    char err[1024];
    if (hs_lessons_load(dir, &l, err, sizeof err) != 0) {
        fprintf(stderr, "heapsim lessons: %s (set HEAPSIM_TRACES)\n", err);
        return 2;
    }
    printf("Lessons in %s (play one with: heapsim %s/NAME, or heapsim sim %s/NAME):\n",
           dir, dir, dir);
    for (size_t i = 0; i < l.n; i++) {
        hs_trace t;
        hs_trace_error e;
        if (hs_trace_load(l.paths[i], &t, &e) == 0) {
            printf("  %-34s %s (%zu steps)\n", l.names[i], t.title ? t.title : "(no title)",
                   t.n_ops);
            hs_trace_free(&t);
        } else {
            printf("  %-34s INVALID: %s\n", l.names[i], e.msg);
        }
    }
    hs_lessons_free(&l);
    return 0;
}
