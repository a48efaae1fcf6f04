/* app/cmd_lessons.c — `heapsim lessons`: the lesson traces and their titles.
 * Owns: finding the lessons in traces/ and listing them in file-name order. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists every *.json in the traces directory with its title; a lesson that
 * does not load is listed with the loader's message.  Returns 2 if the
 * directory cannot be read. */
int hs_cmd_lessons(int argc, char **argv)
{
    const char *dir = hs_app_traces_dir();
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "heapsim lessons: cannot read %s (set HEAPSIM_TRACES)\n", dir);
        return 2;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json")) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) break;
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) break;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    printf("Lessons in %s (play one with: heapsim %s/NAME, or heapsim sim %s/NAME):\n",
           dir, dir, dir);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        hs_trace t;
        hs_trace_error err;
        if (hs_trace_load(path, &t, &err) == 0) {
            printf("  %-34s %s (%zu steps)\n", names[i], t.title ? t.title : "(no title)", t.n_ops);
            hs_trace_free(&t);
        } else {
            printf("  %-34s INVALID: %s\n", names[i], err.msg);
        }
        free(names[i]);
    }
    free(names);
    return 0;
}
