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
int hs_cmd_record(int argc, char **argv);    /* app/cmd_record.c */
int hs_cmd_import(int argc, char **argv);    /* app/cmd_import.c */
int hs_cmd_diff(int argc, char **argv);      /* app/cmd_diff.c */
int hs_cmd_gui(int argc, char **argv);       /* app/cmd_gui.c (GUI build) */

/* Gives stdout a 1 MiB buffer when it is not a terminal, before any output:
 * glibc's own is a block of the file (4 KiB for a pipe or /dev/null), and
 * setvbuf with no buffer of ours keeps that size, so a million step lines
 * cost 13,000 write calls a 200k-op `real --jsonl`.  On a terminal the
 * lines come as they are made.  Never fails (out of memory: glibc's own). */
void hs_app_big_stdout(void);

/* Prints one step as a heapsim-steps/1 JSON line (TRACE_FORMAT.md section 2). */
void hs_print_step_json(FILE *f, const hs_trace *t, const hs_step *st);
/* The same with extra (optional fields, each as ,"name":value) after
 * mallinfo and before error; NULL or "" adds nothing.  Never fails. */
void hs_print_step_json_with(FILE *f, const hs_trace *t, const hs_step *st, const char *extra);

/* v in decimal at out (room for 20 bytes, 21 signed), not terminated;
 * returns its length.  The step line's integer formatting (app/common.c). */
size_t hs_fmt_u64(char *out, uint64_t v);
size_t hs_fmt_i64(char *out, int64_t v);

/* Writes s as a JSON string literal, quotes included (app/common.c). */
void hs_print_json_str(FILE *f, const char *s);

/* ---- app/tracew.c: writing a heapsim-trace/1 file (record, import) ---- */
#include "../loader/outfile.h"
typedef struct hs_tw {
    hs_outfile out;
    FILE      *f;
    int        jsonl;
    size_t     n_ops;
} hs_tw;
/* Opens path for a trace (.jsonl when path ends so, else one JSON document)
 * and writes the header: "format", then members, a string of JSON members
 * without braces ("\"title\":\"x\"" or ""), each already valid JSON.
 * Returns 0, or -1 with a message in err (nothing is left at path). */
int hs_tw_open(hs_tw *w, const char *path, const char *members, char *err, size_t errlen);
/* Starts the next op: writes the separator and returns the FILE to print
 * one JSON object to, on one line, without a newline.  Never fails. */
FILE *hs_tw_op(hs_tw *w);
/* Ends the document and links the file in place.  Returns 0, or -1 with a
 * message in err (then nothing is at path). */
int hs_tw_commit(hs_tw *w, char *err, size_t errlen);
/* Drops the output.  Never fails. */
void hs_tw_abort(hs_tw *w);

/* ---- recorded traces (app/common.c) ---- */
/* Prints what a reader of t's steps must know, one "  note: ..." line
 * each: the touch rule, truncation, the recorded settings, threads.
 * Prints nothing for a trace without them.  Never fails. */
void hs_print_trace_notes(FILE *f, const hs_trace *t);
/* Whether step st agrees with the pointer the recording got for its op
 * (the op's "ptr"): 1 agrees, 0 differs, -1 nothing recorded.  Never fails. */
int hs_rec_ptr_agrees(const hs_trace *t, const hs_step *st);
/* The op's caller ("caller" field) or NULL.  Never fails. */
const char *hs_op_caller(const hs_trace *t, size_t i);

/* Prints the header of the readable step table, then one row per step:
 * step, the call in C syntax, ptr, brk, RSS in KiB, faults. */
void hs_print_table_head(FILE *f);
void hs_print_table_row(FILE *f, const hs_trace *t, const hs_step *st);

/* Parses the seconds after option opt; prints a message and returns false
 * when s is missing or not a number in (0, 86400]. */
#include <stdbool.h>
bool hs_parse_seconds(const char *opt, const char *s, double *out);
/* Parses --sample N (cmd: "real", "validate") into *out: 1 measures every
 * step, N up to 1,000,000 every N-th (real/real.h, hs_real_opts.sample);
 * prints "heapsim CMD: --sample wants ..." and returns false otherwise. */
bool hs_parse_sample(const char *cmd, const char *s, uint32_t *out);
/* The sample a replay of t takes (hs_real_sample_for) and, when it is not
 * every step, says so once on stderr ("heapsim CMD: N ops: measuring every
 * 64th step ..."); asked: --sample's value, 0 when not given.  Cannot fail. */
uint32_t hs_app_sample(const char *cmd, const hs_trace *t, uint32_t asked);

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
/* libheapsim-recorder.so, found the same way ($HEAPSIM_RECORDER first). */
const char *hs_app_recorder(void);
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

/* ---- app/alloc.c: --allocator NAME ---- */
/* The allocators heapsim knows (glibc first, then jemalloc, tcmalloc,
 * mimalloc: the order of `heapsim compare`'s table); NULL past the end. */
size_t hs_app_allocator_count(void);
const char *hs_app_allocator_name(size_t i);
/* The shared object to preload for allocator name into path ("" for
 * glibc's own malloc).  Returns 0; -1 for an unknown name, -2 when it is
 * not installed, each with msg saying so (and which package to install). */
int hs_app_allocator(const char *name, char *path, size_t len, char *msg, size_t msglen);
/* Whether the replayer's malloc (info, from hs_real_run) is the one asked
 * for: glibc's own when preload is NULL or "", else the object at preload. */
struct hs_real_info;
bool hs_app_allocator_is(const struct hs_real_info *info, const char *preload);
/* app/cmd_compare.c: "glibc-tuned", seed 004's fix: t with mallopt(M_MMAP_MAX,
 * 0) and mallopt(M_TRIM_THRESHOLD, -1) first and t's own mallopts of those
 * left out, into *out (sharing t's ids: free out->ops only).  from (may be
 * NULL) gets out's step -> t's step (1-based; 0 for a tuning op), n_ops
 * entries, for the caller to free.  Returns -1 when out of memory. */
int hs_app_tuned_trace(const hs_trace *t, hs_trace *out, uint32_t **from);
/* The runs `compare` makes (glibc, glibc-tuned, jemalloc, tcmalloc,
 * mimalloc), as the window's and render's job takes them (play/allocs.h),
 * at most max into tg; one that is not installed carries why.  The strings
 * are static.  Returns how many.  Cannot fail. */
struct hs_alloc_target;
size_t hs_app_compare_targets(struct hs_alloc_target *tg, size_t max);
int hs_cmd_compare(int argc, char **argv);   /* app/cmd_compare.c */

#endif
