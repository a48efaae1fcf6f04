/* play/lessons.c — the next and previous lesson (L / Shift+L), from the list app/ read.
 * Owns: hs_lesson_next, hs_lesson_index; the list and its order are traces/lessons.txt (app/lessons.c). */
#include "lessons.h"

#include <string.h>

/* What follows the last '/' of s. */
static const char *base_name(const char *s)
{
    const char *slash = strrchr(s, '/');
    return slash ? slash + 1 : s;
}

size_t hs_lesson_index(const char *const *paths, size_t n, const char *current)
{
    const char *base = base_name(current);
    size_t cur = n;
    for (size_t i = 0; i < n; i++)
        if (strcmp(base_name(paths[i]), base) == 0) cur = i;
    return cur;
}

size_t hs_lesson_next(const char *const *paths, size_t n, const char *current, int dir)
{
    size_t cur = hs_lesson_index(paths, n, current);
    if (cur == n) return dir > 0 ? 0 : n - 1;
    return (cur + (dir > 0 ? 1 : n - 1)) % n;
}
