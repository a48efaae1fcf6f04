/* play/lessons.h — moving through the lesson list app/ hands down (traces/lessons.txt).
 * Owns: which lesson comes next or before the trace on screen. */
#ifndef HS_PLAY_LESSONS_H
#define HS_PLAY_LESSONS_H

#include <stddef.h>

/* The index (0..n-1, n > 0) of the lesson after (dir > 0) or before (dir
 * <= 0) the one whose file name is current; from outside the list, the
 * first (dir > 0) or the last.  Lessons are matched by file name (what
 * follows the last '/').  Never fails. */
size_t hs_lesson_next(const char *const *paths, size_t n, const char *current, int dir);
/* The index of the lesson whose file name is current's, n when none.
 * Never fails. */
size_t hs_lesson_index(const char *const *paths, size_t n, const char *current);

#endif
