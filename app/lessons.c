/* app/lessons.c — reads traces/lessons.txt, the one list of lessons and their class order.
 * Owns: hs_lessons_parse/_load; `heapsim lessons` and the window's L / Shift+L get its list. */
#include "lessons.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hs_lessons_free(hs_lessons *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->names[i]);
        free(l->paths[i]);
    }
    free(l->names);
    free(l->paths);
    memset(l, 0, sizeof *l);
}

/* Whether s[0..n) ends with suffix. */
static bool has_suffix(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n > k && memcmp(s + n - k, suffix, k) == 0;
}

/* Whether s[0..n) is a lesson file name: NAME.json or NAME.jsonl of
 * printable ASCII without '/', blanks or a leading '.', at most 255 bytes. */
static bool good_name(const char *s, size_t n)
{
    if (n < 6 || n > 255 || s[0] == '.' || !(has_suffix(s, n, ".json") || has_suffix(s, n, ".jsonl")))
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~' || s[i] == '/' || s[i] == '\\') return false;
    return true;
}

/* Appends one lesson; false when out of memory. */
static bool add(hs_lessons *l, size_t *cap, const char *s, size_t n, const char *dir)
{
    if (l->n == *cap) {
        size_t c = *cap ? *cap * 2 : 32;
        char **a = realloc(l->names, c * sizeof *a);
        if (!a) return false;
        l->names = a;
        char **b = realloc(l->paths, c * sizeof *b);
        if (!b) return false;
        l->paths = b;
        *cap = c;
    }
    size_t dl = strlen(dir);
    char *name = malloc(n + 1), *path = malloc(dl + 1 + n + 1);
    if (!name || !path) {
        free(name);
        free(path);
        return false;
    }
    memcpy(name, s, n);
    name[n] = '\0';
    memcpy(path, dir, dl);
    path[dl] = '/';
    memcpy(path + dl + 1, s, n);
    path[dl + 1 + n] = '\0';
    l->names[l->n] = name;
    l->paths[l->n] = path;
    l->n++;
    return true;
}

int hs_lessons_parse(const char *name, const char *buf, size_t len, const char *dir,
                     hs_lessons *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0, line = 0;
    for (size_t pos = 0; pos < len;) {
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        line++;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
        while (n && (*s == ' ' || *s == '\t')) s++, n--;
        if (n == 0 || *s == '#') continue;
        if (!good_name(s, n)) {
            snprintf(err, errlen, "%s:%zu: \"%.*s\" is not a lesson file name "
                     "(NAME.json or NAME.jsonl, printable, no '/' or blanks)", name, line,
                     (int)(n > 60 ? 60 : n), s);
            for (char *p = strchr(err, '"'); p && *p; p++)
                if ((unsigned char)*p < ' ' || (unsigned char)*p > '~') *p = '?';
            hs_lessons_free(out);
            return -1;
        }
        for (size_t i = 0; i < out->n; i++) {
            if (strlen(out->names[i]) == n && memcmp(out->names[i], s, n) == 0) {
                snprintf(err, errlen, "%s:%zu: %.*s is listed twice", name, line, (int)n, s);
                hs_lessons_free(out);
                return -1;
            }
        }
        if (!add(out, &cap, s, n, dir)) {
            snprintf(err, errlen, "%s: out of memory", name);
            hs_lessons_free(out);
            return -1;
        }
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder without lessons.txt: its lesson files in byte order (strcmp, so
 * the order does not depend on the locale); none when it cannot be read.
 * Returns 0, or -1 with err set when out of memory. */
static int scan_dir(const char *dir, hs_lessons *out, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    char **names = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!good_name(e->d_name, strlen(e->d_name))) continue;
        if (n == cap) {
            size_t c = cap ? cap * 2 : 32;
            char **a = realloc(names, c * sizeof *a);
            if (!a) { rc = -1; break; }
            names = a, cap = c;
        }
        if (!(names[n] = strdup(e->d_name))) { rc = -1; break; }
        n++;
    }
    closedir(d);
    if (rc == 0 && n) qsort(names, n, sizeof *names, by_name);   /* no NULL base, even for 0 */
    for (size_t i = 0; i < n && rc == 0; i++)
        if (!add(out, &lcap, names[i], strlen(names[i]), dir)) rc = -1;
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (rc != 0) {
        snprintf(err, errlen, "%s: out of memory", dir);
        hs_lessons_free(out);
    }
    return rc;
}

int hs_lessons_load(const char *dir, hs_lessons *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char path[4096];
    snprintf(path, sizeof path, "%.4000s/%s", dir, HS_LESSONS_FILE);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        DIR *d = e == ENOENT ? NULL : opendir(dir);
        if (!d) return scan_dir(dir, out, err, errlen);
        closedir(d);
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(e));
        return -1;
    }
    char *buf = malloc(HS_LESSONS_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    size_t len = fread(buf, 1, HS_LESSONS_MAX_BYTES + 1, f);
    int rd_err = ferror(f);
    fclose(f);
    int rc = -1;
    if (rd_err)
        snprintf(err, errlen, "%s: cannot read", path);
    else if (len > HS_LESSONS_MAX_BYTES)
        snprintf(err, errlen, "%s: bigger than %u bytes", path, HS_LESSONS_MAX_BYTES);
    else if (memchr(buf, '\0', len))
        snprintf(err, errlen, "%s: not a text file (a NUL byte)", path);
    else
        rc = hs_lessons_parse(path, buf, len, dir, out, err, errlen);
    free(buf);
    return rc;
}

int hs_lessons_load_dirs(const char *const *dirs, size_t nd, hs_lessons *out, char *err,
                         size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    for (size_t d = 0; d < nd; d++) {
        hs_lessons one;
        if (hs_lessons_load(dirs[d], &one, err, errlen) != 0) {
            hs_lessons_free(out);
            return -1;
        }
        for (size_t i = 0; i < one.n; i++) {
            if (!add(out, &cap, one.names[i], strlen(one.names[i]), dirs[d])) {
                snprintf(err, errlen, "%s: out of memory", dirs[d]);
                hs_lessons_free(&one);
                hs_lessons_free(out);
                return -1;
            }
        }
        hs_lessons_free(&one);
    }
    return 0;
}
