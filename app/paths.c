/* app/paths.c — where heapsim's parts are: the replayer, the lesson folders, a lesson by name.
 * Owns: the installed layout (relative to the executable), the build-tree fallback, HEAPSIM_TRACES. */
#include "app.h"
#include "lessons.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

/* The installed layout, relative to the directory holding bin/heapsim;
 * CMakeLists.txt computes both from GNUInstallDirs.  The build tree is
 * recognised by the executable's own directory (HS_BUILD_DIR). */
#ifndef HS_REL_LIBEXEC
#define HS_REL_LIBEXEC "../libexec/heapsim"
#endif
#ifndef HS_REL_DATA
#define HS_REL_DATA "../share/heapsim"
#endif
#ifndef HS_VERSION
#define HS_VERSION "0.0.0"
#endif

#define HS_MAX_LESSON_DIRS 32
#define HS_MAX_MATCHES 5

/* The directory holding the running executable ("." if /proc is missing). */
const char *hs_app_exe_dir(void)
{
    static char dir[PATH_MAX];
    if (dir[0]) return dir;
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0) { strcpy(dir, "."); return dir; }
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) *slash = '\0';
    else strcpy(dir, "/");
    return dir;
}

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

/* True when the running executable is the one in the build tree. */
static bool in_build_tree(void)
{
#ifdef HS_BUILD_DIR
    char a[PATH_MAX], b[PATH_MAX];
    return realpath(hs_app_exe_dir(), a) && realpath(HS_BUILD_DIR, b) && !strcmp(a, b);
#else
    return false;
#endif
}

/* Writes exe_dir/rel into out, made canonical when it exists; false (out
 * empty) when it does not fit. */
static bool beside_exe(char *out, size_t len, const char *rel)
{
    char raw[PATH_MAX], canon[PATH_MAX];
    if ((size_t)snprintf(raw, sizeof raw, "%s/%s", hs_app_exe_dir(), rel) >= sizeof raw) {
        out[0] = '\0';
        return false;
    }
    const char *p = realpath(raw, canon) ? canon : raw;   /* bin/../share reads better as share */
    if ((size_t)snprintf(out, len, "%s", p) >= len) {
        out[0] = '\0';
        return false;
    }
    return true;
}

/* The lessons shipped with heapsim: EXE/../share/heapsim/traces when that
 * exists (an install, wherever it was moved), else the source tree's traces/
 * when this is the build tree's executable, else "traces". */
const char *hs_app_traces_dir(void)
{
    static char dir[PATH_MAX];
    if (dir[0]) return dir;
    if (beside_exe(dir, sizeof dir, HS_REL_DATA "/traces") && is_dir(dir)) return dir;
#ifdef HS_SOURCE_DIR
    if (in_build_tree() && is_dir(HS_SOURCE_DIR "/traces")) {
        snprintf(dir, sizeof dir, "%s", HS_SOURCE_DIR "/traces");
        return dir;
    }
#endif
    snprintf(dir, sizeof dir, "traces");
    return dir;
}

/* A part installed in libexec/heapsim: $ENV, else EXE/../libexec/heapsim/FILE
 * when it exists, else FILE beside the executable (the build tree), in
 * path.  Never fails; the path may not exist (the caller then says so). */
static const char *libexec_part(char *path, size_t len, const char *env_name, const char *file)
{
    if (path[0]) return path;
    const char *env = getenv(env_name);
    if (env && *env && strlen(env) < len) {
        snprintf(path, len, "%s", env);
        return path;
    }
    char rel[256];
    snprintf(rel, sizeof rel, "%s/%s", HS_REL_LIBEXEC, file);
    if (beside_exe(path, len, rel) && is_file(path)) return path;
    if (!beside_exe(path, len, file)) snprintf(path, len, "%s", file);
    return path;
}

/* The replayer: $HEAPSIM_REPLAYER, else EXE/../libexec/heapsim/heapsim-replay
 * when it exists, else heapsim-replay beside the executable (the build
 * tree).  Never fails; the path may not exist (real/ then says so). */
const char *hs_app_replayer(void)
{
    static char path[PATH_MAX];
    return libexec_part(path, sizeof path, "HEAPSIM_REPLAYER", "heapsim-replay");
}

/* The recorder library of `heapsim record`, found as the replayer is
 * ($HEAPSIM_RECORDER, libexec, the build tree).  Never fails. */
const char *hs_app_recorder(void)
{
    static char path[PATH_MAX];
    return libexec_part(path, sizeof path, "HEAPSIM_RECORDER", "libheapsim-recorder.so");
}

/* The folders a lesson name is looked up in, in order: the shipped lessons,
 * then every non-empty folder of $HEAPSIM_TRACES (colon-separated), at most
 * HS_MAX_LESSON_DIRS in all; later ones, and a $HEAPSIM_TRACES of 8 KiB or
 * more, are ignored.  Never fails. */
size_t hs_app_lesson_dirs(const char **dirs, size_t max)
{
    static char env_copy[8192];
    static const char *list[HS_MAX_LESSON_DIRS];
    static char real[HS_MAX_LESSON_DIRS][PATH_MAX];
    static size_t n;
    if (!n) {
        list[n++] = hs_app_traces_dir();
        if (!realpath(list[0], real[0])) snprintf(real[0], sizeof real[0], "%s", list[0]);
        const char *env = getenv("HEAPSIM_TRACES");
        if (env && strlen(env) < sizeof env_copy) {
            strcpy(env_copy, env);
            for (char *s = env_copy, *tok; (tok = strsep(&s, ":")) && n < HS_MAX_LESSON_DIRS;) {
                if (!*tok) continue;
                if (!realpath(tok, real[n])) snprintf(real[n], sizeof real[n], "%s", tok);
                bool seen = false;   /* a folder named twice is read once */
                for (size_t i = 0; i < n && !seen; i++) seen = !strcmp(real[i], real[n]);
                if (!seen) list[n++] = tok;
            }
        }
    }
    size_t k = n < max ? n : max;
    for (size_t i = 0; i < k; i++) dirs[i] = list[i];
    return k;
}

int hs_app_lessons(hs_lessons *out, char *err, size_t errlen)
{
    const char *dirs[HS_MAX_LESSON_DIRS];
    size_t nd = hs_app_lesson_dirs(dirs, HS_MAX_LESSON_DIRS);
    return hs_lessons_load_dirs(dirs, nd, out, err, errlen);
}

/* True when name ends with suffix. */
static bool ends_with(const char *name, const char *suffix)
{
    size_t a = strlen(name), b = strlen(suffix);
    return a >= b && !strcmp(name + a - b, suffix);
}

/* The length of name without .json or .jsonl, or 0 when it has neither. */
static size_t lesson_stem(const char *name)
{
    size_t len = strlen(name);
    if (ends_with(name, ".jsonl")) return len - 6;
    if (ends_with(name, ".json")) return len - 5;
    return 0;
}

/* Levenshtein distance of a[0..na) and b[0..nb), capped at 255 (names
 * longer than 255 bytes count as far).  Cannot fail. */
static unsigned edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
    if (na > 255 || nb > 255) return 255;
    unsigned row[256];
    for (size_t j = 0; j <= nb; j++) row[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= nb; j++) {
            unsigned up = row[j];
            unsigned best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb] > 255 ? 255 : row[nb];
}

/* True when want[0..nw) occurs in s[0..ns).  Cannot fail. */
static bool contains(const char *s, size_t ns, const char *want, size_t nw)
{
    for (size_t i = 0; i + nw <= ns; i++)
        if (!memcmp(s + i, want, nw)) return true;
    return false;
}

typedef struct match {
    char name[256];
    unsigned dist;
} match;

/* Prints the lesson names of l close to want (small edit distance, or
 * containing it), nearest first, at most HS_MAX_MATCHES.  Never fails. */
static void print_close_matches(const char *want, const hs_lessons *l)
{
    match best[HS_MAX_MATCHES];
    size_t nbest = 0;
    size_t nw = strlen(want);
    unsigned limit = nw < 6 ? 2 : (unsigned)(nw / 3);
    for (size_t k = 0; k < l->n; k++) {
        const char *name = l->names[k];
        size_t stem = lesson_stem(name);
        if (!stem || stem >= sizeof best[0].name) continue;
        unsigned dist = edit_distance(want, nw, name, stem);
        bool part = nw >= 3 && contains(name, stem, want, nw);
        if (dist > limit && !part) continue;
        if (part && dist > limit) dist = limit;
        bool dup = false;
        for (size_t i = 0; i < nbest && !dup; i++)
            dup = strlen(best[i].name) == stem && !strncmp(best[i].name, name, stem);
        if (dup) continue;
        size_t at = nbest;
        while (at > 0 && (best[at - 1].dist > dist ||
                          (best[at - 1].dist == dist && strncmp(best[at - 1].name, name, stem) > 0)))
            at--;
        if (at >= HS_MAX_MATCHES) continue;
        if (nbest == HS_MAX_MATCHES) nbest--;
        memmove(&best[at + 1], &best[at], (nbest - at) * sizeof best[0]);
        memcpy(best[at].name, name, stem);
        best[at].name[stem] = '\0';
        best[at].dist = dist;
        nbest++;
    }
    if (nbest) {
        fputs("  close matches:", stderr);
        for (size_t i = 0; i < nbest; i++) fprintf(stderr, " %s", best[i].name);
        fputc('\n', stderr);
    }
    fputs("  (heapsim lessons lists the lessons; HEAPSIM_TRACES adds folders of your own)\n", stderr);
}

/* A trace argument to a path: arg itself when it is a file, has a '/' or
 * ends in .json/.jsonl; else the first NAME.json or NAME.jsonl in the lesson
 * folders.  Returns 0 with out set, or 2 after printing "no trace or lesson
 * named" and the close matches to stderr. */
int hs_app_trace_path(const char *arg, char *out, size_t len)
{
    bool plain = !strchr(arg, '/') && !lesson_stem(arg) && *arg;
    if (!plain || access(arg, F_OK) == 0) {
        if ((size_t)snprintf(out, len, "%s", arg) >= len) {
            fprintf(stderr, "heapsim: path too long: %.80s...\n", arg);
            return 2;
        }
        return 0;
    }
    out[0] = '\0';
    hs_lessons l;
    char err[1024];
    if (hs_app_lessons(&l, err, sizeof err) != 0) {
        fprintf(stderr, "heapsim: %s\n", err);
        return 2;
    }
    size_t na = strlen(arg);
    for (size_t i = 0; i < l.n && !out[0]; i++) {
        if (lesson_stem(l.names[i]) != na || strncmp(l.names[i], arg, na) != 0) continue;
        if ((size_t)snprintf(out, len, "%s", l.paths[i]) >= len) out[0] = '\0';
    }
    if (!out[0]) {
        fprintf(stderr, "heapsim: no trace or lesson named '%s'\n", arg);
        print_close_matches(arg, &l);
    }
    hs_lessons_free(&l);
    return out[0] ? 0 : 2;
}

/* heapsim --version: the version, then where each part is found.  Never
 * fails (stdout errors are caught by main). */
int hs_app_print_version(void)
{
    printf("heapsim %s\n", HS_VERSION);
    const char *rep = hs_app_replayer();
    printf("replayer: %s%s\n", rep, access(rep, X_OK) == 0 ? "" : " (missing)");
    const char *rec = hs_app_recorder();
    printf("recorder: %s%s\n", rec, access(rec, R_OK) == 0 ? "" : " (missing)");
    const char *dirs[HS_MAX_LESSON_DIRS];
    size_t nd = hs_app_lesson_dirs(dirs, HS_MAX_LESSON_DIRS);
    for (size_t i = 0; i < nd; i++)
        printf("lessons: %s%s\n", dirs[i], is_dir(dirs[i]) ? "" : " (missing)");
    return 0;
}

/* heapsim --lesson-dirs: the lesson folders, one a line, for scripts (the
 * bash completion).  Never fails. */
int hs_app_print_lesson_dirs(void)
{
    const char *dirs[HS_MAX_LESSON_DIRS];
    size_t nd = hs_app_lesson_dirs(dirs, HS_MAX_LESSON_DIRS);
    for (size_t i = 0; i < nd; i++) printf("%s\n", dirs[i]);
    return 0;
}
