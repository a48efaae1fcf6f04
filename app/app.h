/* app/app.h — the heapsim command's subcommands, one file each (app/cmd_*.c).
 * Owns: the subcommand entry points and the helpers they share. */
#ifndef HS_APP_H
#define HS_APP_H

#include <stdio.h>

#include "../loader/trace.h"
#include "../sim/sim.h"
#include "../sim/step.h"

/* Every subcommand: argv[0] is the subcommand's name.  Returns the process
 * exit status: 0 success, 1 a check failed (validate), 2 bad input or usage. */
int hs_cmd_real(int argc, char **argv);
int hs_cmd_sim(int argc, char **argv);
int hs_cmd_validate(int argc, char **argv);
int hs_cmd_check(int argc, char **argv);     /* app/cmd_check.c */
int hs_cmd_gen(int argc, char **argv);       /* app/cmd_gen.c */
int hs_cmd_lessons(int argc, char **argv);
int hs_cmd_render(int argc, char **argv);    /* app/cmd_render.c (GUI build) */
int hs_cmd_gui(int argc, char **argv);       /* app/cmd_gui.c (GUI build) */

/* Prints one step as a heapsim-steps/1 JSON line (TRACE_FORMAT.md section 2). */
void hs_print_step_json(FILE *f, const hs_trace *t, const hs_step *st);
/* The same with extra (optional fields, each as ,"name":value) after
 * mallinfo and before error; NULL or "" adds nothing.  Never fails. */
void hs_print_step_json_with(FILE *f, const hs_trace *t, const hs_step *st, const char *extra);

/* Prints the header of the readable step table, then one row per step:
 * step, the call in C syntax, ptr, brk, RSS in KiB, faults. */
void hs_print_table_head(FILE *f);
void hs_print_table_row(FILE *f, const hs_trace *t, const hs_step *st);

/* Parses the seconds after option opt; prints a message and returns false
 * when s is missing or not a number in (0, 86400]. */
#include <stdbool.h>
bool hs_parse_seconds(const char *opt, const char *s, double *out);

/* Loads a trace (a path, or a lesson name: hs_app_trace_path) or prints the
 * loader's message to stderr; returns 0 or 2. */
int hs_app_load(const char *arg, hs_trace *t);

/* app/paths.c: where heapsim's parts are.  The directory of the running
 * executable; the shipped lessons (installed, else the source tree's when
 * run from the build tree); the replayer ($HEAPSIM_REPLAYER, installed, or
 * beside the executable).  Each is computed once; never fails. */
const char *hs_app_exe_dir(void);
const char *hs_app_traces_dir(void);
const char *hs_app_replayer(void);
/* The lesson folders in lookup order (shipped, then $HEAPSIM_TRACES's);
 * fills at most max, returns how many. */
size_t hs_app_lesson_dirs(const char **dirs, size_t max);
/* Every lesson of those folders, folder by folder, each in its lessons.txt
 * order (app/lessons.c): the one list `heapsim lessons`, a lesson by name
 * and the window's L key use.  Returns 0, or -1 with err set. */
struct hs_lessons;
int hs_app_lessons(struct hs_lessons *out, char *err, size_t errlen);
/* A trace argument to a path: arg when it is a file or looks like a path,
 * else NAME.json / NAME.jsonl from the lesson folders.  Returns 0, or 2
 * after printing "no trace or lesson named" and close matches. */
int hs_app_trace_path(const char *arg, char *out, size_t len);
/* heapsim --version and heapsim --lesson-dirs; return the exit status. */
int hs_app_print_version(void);
int hs_app_print_lesson_dirs(void);

/* ---- app/glibc.c: --glibc VERSION ---- */
#include <limits.h>
/* The machine's glibc version (gnu_get_libc_version), and its profile
 * (glibc-2.36 when none models it). */
const char *hs_app_machine_glibc(void);
hs_profile hs_app_default_profile(void);
/* The profile of --glibc VERSION ("2.41" or "glibc-2.41"); prints
 * "heapsim CMD: ..." and returns -1 when no profile models it. */
int hs_app_glibc_profile(const char *cmd, const char *version, hs_profile *out);
/* How to replay on profile p's glibc: all empty for the machine's own;
 * else ldso and libpath in scripts/fetch-glibc.sh's cache, and for a glibc
 * before 2.34 the replayer built for it.  For hs_real_opts. */
typedef struct hs_app_glibc {
    char ldso[PATH_MAX], libpath[PATH_MAX], replayer[PATH_MAX];
} hs_app_glibc;
/* Returns 0, or -1 with msg (the version is not fetched, its replayer not
 * built: what to run to get it). */
int hs_app_glibc_real(hs_profile p, hs_app_glibc *g, char *msg, size_t msglen);

#endif
