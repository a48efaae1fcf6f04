/* app/cmd_lessons.c — `heapsim lessons`: the lesson traces and their titles.
 * Owns: the listing; which lessons exist and their order is each folder's lessons.txt (app/lessons.c). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "lessons.h"

/* Lists every lesson of every lesson folder (hs_app_lessons: the shipped
 * ones in traces/lessons.txt's class order, then HEAPSIM_TRACES's), folder
 * by folder, with its title; a lesson that does not load is listed with the
 * loader's message.  Returns 2, printing nothing on stdout, if a folder's
 * list cannot be read or has a bad line. */
int hs_cmd_lessons(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs("usage: heapsim lessons\nLists the lesson traces in class order (traces/lessons.txt),\n"
                  "then those of the HEAPSIM_TRACES folders.\n", stdout);
            return 0;
        }
    hs_lessons l;
    char err[1024];
    if (hs_app_lessons(&l, err, sizeof err) != 0) {
        fprintf(stderr, "heapsim lessons: %s\n", err);
        return 2;
    }
    const char *dirs[64];
    size_t nd = hs_app_lesson_dirs(dirs, 64), at = 0;
    for (size_t d = 0; d < nd; d++) {
        printf("Lessons in %s (play one with: heapsim NAME, or heapsim sim NAME):\n", dirs[d]);
        size_t dl = strlen(dirs[d]), shown = 0;
        for (; at < l.n && !strncmp(l.paths[at], dirs[d], dl) && l.paths[at][dl] == '/' &&
               !strcmp(l.paths[at] + dl + 1, l.names[at]); at++, shown++) {
            hs_trace t;
            hs_trace_error e;
            if (hs_trace_load(l.paths[at], &t, &e) == 0) {
                printf("  %-34s %s (%zu steps)\n", l.names[at], t.title ? t.title : "(no title)",
                       t.n_ops);
                hs_trace_free(&t);
            } else {
                printf("  %-34s INVALID: %s\n", l.names[at], e.msg);
            }
        }
        if (!shown) printf("  (none)\n");
    }
    hs_lessons_free(&l);
    return 0;
}
