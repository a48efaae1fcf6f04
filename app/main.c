/* app/main.c — the heapsim command: picks a subcommand and hands it argv.
 * Owns: the top-level usage text and dispatch; every subcommand lives in app/cmd_*.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app.h"

static void usage(FILE *f)
{
    fputs(
"usage: heapsim [TRACE]                      open the visual simulator (default traces/figures-1-9.json)\n"
"       heapsim gui [TRACE] [--profile glibc-2.36|textbook] [--size WxH] [--fullscreen] [--no-real]\n"
"                                            the same, with options\n"
"       heapsim sim TRACE [--jsonl] [--glibc 2.31|2.36|2.41 | --profile glibc-2.36|textbook]\n"
"                                            the model's prediction, step by step, with explanations\n"
"       heapsim real TRACE [--jsonl] [--pages] [--timeout S] [--glibc VERSION]\n"
"                          [--allocator glibc|jemalloc|tcmalloc|mimalloc] [--smaps] [--smaps-at N,M]\n"
"                                            replay TRACE against this machine's glibc in a fresh process\n"
"       heapsim compare TRACE [--jsonl] [--timeout S]\n"
"                                            TRACE under glibc, tuned glibc, jemalloc, tcmalloc, mimalloc\n"
"       heapsim validate [--quiet] [--glibc VERSION] TRACE...\n"
"                                            compare model and real glibc step by step (exit 1 on disagreement)\n"
"       heapsim check TRACE...               load and check traces only (exit 2 on the first bad one)\n"
"       heapsim gen --seed N --ops N [--mix M] [--out FILE] [--jsonl]\n"
"                                            write a random valid trace\n"
"       heapsim render TRACE --step N --out FILE.png [--size WxH]\n"
"       heapsim render TRACE --all --out-dir DIR\n"
"                                            draw steps to PNG without a display\n"
"       heapsim lessons                      list the lesson traces\n"
"       heapsim record [-o TRACE] [--callers N] -- PROGRAM [ARGS...]\n"
"                                            run PROGRAM and record its allocator calls as a trace\n"
"       heapsim import mtrace|ltrace FILE [-o OUT]\n"
"                                            a glibc mtrace or ltrace log as a trace\n"
"       heapsim diff TRACE --glibc A [--glibc B] [--all]\n"
"                                            one trace on two glibc versions' models: the steps that differ\n"
"       heapsim SUBCOMMAND --help            that subcommand's usage\n"
"       heapsim --version                    the version and where its replayer and lessons are\n"
"TRACE is a file, or a lesson's name (figures-1-9); HEAPSIM_TRACES=DIR:DIR adds lesson folders.\n"
"Traces: docs/trace-format.md, man heapsim.  Exit status: 0 ok, 1 validate found a disagreement,\n"
"2 bad input, 3 the real replay could not be done.\n",
        f);
}

#ifndef HS_HAVE_GUI
int hs_cmd_gui(int argc, char **argv)
{
    fputs("heapsim: this build has no window (built with HS_GUI=OFF); "
          "try 'heapsim sim TRACE' or 'heapsim real TRACE'\n", stderr);
    return 2;
}
int hs_cmd_render(int argc, char **argv)
{
    fputs("heapsim render: this build has no renderer (built with HS_GUI=OFF)\n", stderr);
    return 2;
}
#endif

/* Every subcommand writes to stdout; a full disk or a closed pipe must not
 * pass for success.  Returns rc, or 2 with a message when stdout failed
 * under a command that succeeded (one that failed has said why). */
static int finish_stdout(int rc)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc) return rc;
        fprintf(stderr, "heapsim: cannot write the output: %s\n",
                errno ? strerror(errno) : "write error");
        return 2;
    }
    return rc;
}

int main(int argc, char **argv)
{
    static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
        {"sim", hs_cmd_sim},         {"real", hs_cmd_real},
        {"validate", hs_cmd_validate}, {"check", hs_cmd_check},
        {"gen", hs_cmd_gen},         {"render", hs_cmd_render},
        {"lessons", hs_cmd_lessons}, {"gui", hs_cmd_gui},
        {"record", hs_cmd_record},   {"import", hs_cmd_import},
        {"diff", hs_cmd_diff},
        {"compare", hs_cmd_compare},
    };
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
                      !strcmp(argv[1], "help"))) {
        usage(stdout);
        return finish_stdout(0);
    }
    if (argc >= 2 && !strcmp(argv[1], "--version"))
        return finish_stdout(hs_app_print_version());
    if (argc >= 2 && !strcmp(argv[1], "--lesson-dirs"))
        return finish_stdout(hs_app_print_lesson_dirs());
    if (argc >= 2) {
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
            if (!strcmp(argv[1], cmds[i].name))
                return finish_stdout(cmds[i].fn(argc - 1, argv + 1));
        if (argv[1][0] == '-') {
            fprintf(stderr, "heapsim: unknown option '%s'\n", argv[1]);
            usage(stderr);
            return 2;
        }
    }
    /* a plain word that is no lesson either: say it is not a subcommand */
    if (argc >= 2 && !strchr(argv[1], '/') && !strchr(argv[1], '.')) {
        char path[4096];
        if (hs_app_trace_path(argv[1], path, sizeof path) != 0) {
            fprintf(stderr, "heapsim: '%s' is not a subcommand either; the subcommands are:", argv[1]);
            for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) fprintf(stderr, " %s", cmds[i].name);
            fputs(" help\n(heapsim --help shows the usage)\n", stderr);
            return 2;
        }
    }
    /* heapsim [TRACE]: the window. */
    char *gargv[3] = {"gui", argc >= 2 ? argv[1] : NULL, NULL};
    return hs_cmd_gui(argc >= 2 ? 2 : 1, gargv);
}
