/* loader/outfile.h — output files that appear whole or not at all.
 * Owns: hs_outfile, the one way heapsim writes a trace or a PNG to a named file. */
#ifndef HS_OUTFILE_H
#define HS_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct hs_outfile {
    FILE *f;          /* write here between open and commit */
    char *path;       /* the final name */
    char *tmp;        /* a named temporary, when O_TMPFILE is not supported */
} hs_outfile;

/* Opens a file that will become `path` on hs_outfile_commit: an unnamed
 * file (O_TMPFILE) in path's directory, so a run killed by any signal,
 * SIGKILL included, leaves nothing behind; where the file system has no
 * O_TMPFILE, a named temporary beside path.  An existing path must be a
 * regular file (a FIFO, a device or a directory is refused, never replaced);
 * a symbolic link is followed, and the file it names is the one replaced.
 * Returns the FILE, or NULL with a message "PATH: reason" in err. */
FILE *hs_outfile_open(hs_outfile *o, const char *path, char *err, size_t errlen);

/* Whether out names the same file as in (after links; a trace or PNG
 * written there would replace the very file it is made from: `render T
 * --out T`, `record -o PROG -- PROG`).  False when either cannot be
 * stat-ed (out does not exist yet).  Never fails. */
bool hs_outfile_is(const char *out, const char *in);

/* Flushes, checks every write, and links the file in place (replacing an
 * old one).  Returns 0, or -1 with a message in err; either way the
 * hs_outfile is closed and nothing half-written remains at path. */
int hs_outfile_commit(hs_outfile *o, char *err, size_t errlen);

/* Drops what was written; path is left as it was.  Never fails. */
void hs_outfile_abort(hs_outfile *o);

#endif
