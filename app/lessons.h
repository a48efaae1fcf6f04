/* app/lessons.h — which lessons exist and in what order (traces/lessons.txt).
 * Owns: hs_lessons, read once by app/ and handed down as plain values. */
#ifndef HS_LESSONS_H
#define HS_LESSONS_H

#include <stddef.h>

/* traces/lessons.txt: one lesson trace file name a line (NAME.json or
 * NAME.jsonl, no '/'), in the class order of docs/lessons.md; blank lines
 * and lines whose first non-blank character is '#' are comments.  A name
 * appears once.  A lesson folder without lessons.txt (a user's own, through
 * HEAPSIM_TRACES) offers its NAME.json / NAME.jsonl files in byte order. */
#define HS_LESSONS_FILE "lessons.txt"
#define HS_LESSONS_MAX_BYTES (1u << 16)   /* the file's largest accepted size */

typedef struct hs_lessons {
    size_t n;
    char **names;   /* "figures-1-9.json", ... in class order */
    char **paths;   /* dir + "/" + name */
} hs_lessons;

/* Parses the text of a lessons file (name for messages) into *out with
 * paths under dir.  Returns 0, or -1 with err set ("NAME:LINE: what is
 * wrong", or out of memory) and *out empty.  Never reads past len. */
int hs_lessons_parse(const char *name, const char *buf, size_t len, const char *dir,
                     hs_lessons *out, char *err, size_t errlen);
/* Reads dir/lessons.txt into *out; without that file, dir's lesson files
 * in byte order, none when dir cannot be read.  Returns 0, or -1 with err
 * set (lessons.txt exists but cannot be read, is too big, or a line is bad;
 * out of memory) and *out empty. */
int hs_lessons_load(const char *dir, hs_lessons *out, char *err, size_t errlen);
/* The lessons of every folder of dirs, folder by folder, each in its own
 * order (hs_lessons_load).  Returns 0, or -1 with err set (the first folder
 * that fails) and *out empty. */
int hs_lessons_load_dirs(const char *const *dirs, size_t nd, hs_lessons *out, char *err,
                         size_t errlen);
void hs_lessons_free(hs_lessons *l);

#endif
