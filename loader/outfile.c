/* loader/outfile.c — output files that appear whole or not at all (O_TMPFILE, then link).
 * Owns: creating, committing and dropping hs_outfile; used by `heapsim gen` and PNG export. */
#define _GNU_SOURCE
#include "outfile.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory part of path ("." when there is none); malloc'd, NULL when
 * out of memory. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* See outfile.h. */
bool hs_outfile_is(const char *out, const char *in)
{
    struct stat a, b;
    return out && in && stat(out, &a) == 0 && stat(in, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

static void reset(hs_outfile *o)
{
    free(o->path);
    free(o->tmp);
    o->f = NULL;
    o->path = o->tmp = NULL;
}

/* What path must be to be replaced: nothing yet, or a regular file.  A FIFO
 * or a device (--out /dev/null) would otherwise be renamed over, and a
 * symbolic link (--out /dev/stdout) replaced by a file: the link is followed
 * instead, into *real (malloc'd, NULL when path is no link).  Returns 0, or
 * -1 with "PATH: is a FIFO, not a regular file" in err. */
static int check_target(const char *path, char **real, char *err, size_t errlen)
{
    struct stat sb, lb;
    *real = NULL;
    if (stat(path, &sb) != 0)
        return 0;                       /* a new file (or a dangling link: replaced) */
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s: is %s, not a regular file (an output only ever "
                 "replaces a regular file)", path, hs_file_kind(sb.st_mode));
        return -1;
    }
    if (lstat(path, &lb) == 0 && S_ISLNK(lb.st_mode))
        *real = realpath(path, NULL);
    return 0;
}

FILE *hs_outfile_open(hs_outfile *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    char *real;
    if (check_target(path, &real, err, errlen) != 0)
        return NULL;
    /* a link: the file it names is the one replaced (messages keep path) */
    const char *target = real ? real : path;
    char *dir = dir_of(target);
    o->path = strdup(target);
    free(real);
    if (!dir || !o->path) {
        free(dir);
        reset(o);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    int e = errno;
    free(dir);
    if (fd < 0 && (e == EOPNOTSUPP || e == EISDIR || e == EINVAL)) {
        /* no O_TMPFILE here: a named temporary beside path */
        size_t n = strlen(o->path) + 16;
        o->tmp = malloc(n);
        if (o->tmp) {
            snprintf(o->tmp, n, "%s.tmp.XXXXXX", o->path);
            fd = mkstemp(o->tmp);
            e = errno;
            if (fd >= 0) {
                mode_t um = umask(0);
                umask(um);
                (void)fchmod(fd, 0666 & ~um);   /* mkstemp makes 0600; the result is an ordinary file */
            }
        }
    }
    if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
        if (fd >= 0) {
            e = errno;
            close(fd);
        }
        if (o->tmp) unlink(o->tmp);
        snprintf(err, errlen, "%s: cannot create the file: %s", path, strerror(e));
        reset(o);
        return NULL;
    }
    return o->f;
}

/* Gives the unnamed file fd the name `name` (which must not exist). */
static int link_fd(int fd, const char *name)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
}

int hs_outfile_commit(hs_outfile *o, char *err, size_t errlen)
{
    int ok = 1, e = 0;
    if (fflush(o->f) != 0 || ferror(o->f)) { ok = 0; e = errno ? errno : EIO; }
    if (ok && o->tmp) {
        if (fclose(o->f) != 0) { ok = 0; e = errno; }
        o->f = NULL;
        if (ok && rename(o->tmp, o->path) != 0) { ok = 0; e = errno; }
        if (!ok) unlink(o->tmp);
    } else if (ok) {
        int fd = fileno(o->f);
        mode_t um = umask(0);
        umask(um);
        (void)fchmod(fd, 0666 & ~um);
        if (link_fd(fd, o->path) != 0) {
            if (errno != EEXIST) {
                ok = 0;
                e = errno;
            } else {
                /* replace the old file: link under a fresh name, rename over */
                size_t n = strlen(o->path) + 16;
                char *tmp = malloc(n);
                int tfd = -1;
                if (tmp) {
                    snprintf(tmp, n, "%s.tmp.XXXXXX", o->path);
                    tfd = mkstemp(tmp);
                }
                if (tfd < 0) { ok = 0; e = tmp ? errno : ENOMEM; }
                else {
                    close(tfd);
                    unlink(tmp);
                    if (link_fd(fd, tmp) != 0 || rename(tmp, o->path) != 0) {
                        ok = 0;
                        e = errno;
                        unlink(tmp);
                    }
                }
                free(tmp);
            }
        }
    }
    if (o->f && fclose(o->f) != 0 && ok) { ok = 0; e = errno; }
    o->f = NULL;
    if (!ok) snprintf(err, errlen, "%s: cannot write the file: %s", o->path, strerror(e));
    reset(o);
    return ok ? 0 : -1;
}

void hs_outfile_abort(hs_outfile *o)
{
    if (o->f) fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    reset(o);
}
