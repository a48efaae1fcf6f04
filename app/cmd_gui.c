/* app/cmd_gui.c — `heapsim [TRACE]` and `heapsim gui [TRACE] [options]`: the window.
 * Owns: the window's command line (trace, profile, size, fullscreen, real on/off). */
#ifdef HS_HAVE_GUI
#include <stdio.h>
#include <string.h>

#include "../real/machine.h"
#include "../render/render.h"
#include "app.h"
#include "lessons.h"

/* How the window opens a trace file (L, O): loaded here, handed down. */
static hs_view *open_view(const char *path, hs_profile profile, char *err, size_t errlen)
{
    hs_trace t;
    hs_trace_error e;
    if (hs_trace_load(path, &t, &e) != 0) {
        snprintf(err, errlen, "%s", e.msg);
        return NULL;
    }
    hs_machine_facts mf = hs_machine_read();
    /* checkpoints within a share of the memory free now (play/view.h) */
    hs_view *v = hs_view_new_budget(&t, path, profile, &mf, hs_view_budget(hs_machine_mem_available()));
    if (!v) snprintf(err, errlen, "%s: out of memory", path);
    return v;
}

/* A lesson's title for the window's list (L): "Title (N steps)", or why it
 * does not load. */
static void lesson_title(const char *path, char *buf, size_t len)
{
    hs_trace t;
    hs_trace_error e;
    if (hs_trace_load(path, &t, &e) != 0) {
        snprintf(buf, len, "does not load: %s", e.msg);
        return;
    }
    snprintf(buf, len, "%s (%zu steps)", t.title ? t.title : "(no title)", t.n_ops);
    hs_trace_free(&t);
}

static void usage(FILE *f)
{
    fputs("usage: heapsim [TRACE]\n"
          "       heapsim gui [TRACE] [--profile glibc-2.36|textbook] [--glibc VERSION] [--size WxH]\n"
          "                   [--fullscreen] [--no-real] [--present] [--sample N]\n"
          "--glibc VERSION: model that glibc (" HS_PROFILE_VERSIONS ") and replay on it (from the cache\n"
          "  scripts/fetch-glibc.sh fills when it is not this machine's).\n"
          "--present: presenter mode (big type, no heap map or plots; P toggles it).\n"
          "Opens the visual simulator on TRACE (default: traces/figures-1-9.json).\n"
          "In the window, H or ? lists every key.  Without a display, use heapsim render.\n",
          f);
}

int hs_cmd_gui(int argc, char **argv)
{
    const char *trace = NULL;
    hs_gui_opts o;
    memset(&o, 0, sizeof o);
    o.profile = HS_PROFILE_GLIBC_2_36;
    o.real = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!a) continue;
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--profile")) {
            int p = val ? hs_profile_from_name(val) : -1;
            if (p < 0) {
                fprintf(stderr, "heapsim: --profile needs glibc-2.36 or textbook\n");
                return 2;
            }
            o.profile = (hs_profile)p;
            i++;
        } else if (!strcmp(a, "--glibc")) {
            if (hs_app_glibc_profile("gui", val, &o.profile) != 0) return 2;
            i++;
        } else if (!strcmp(a, "--size")) {
            if (!val || !hs_parse_size(val, &o.w, &o.h)) {
                fprintf(stderr, "heapsim: --size needs WxH, each 16..16384\n");
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--fullscreen")) {
            o.fullscreen = true;
        } else if (!strcmp(a, "--no-real")) {
            o.real = false;
        } else if (!strcmp(a, "--present")) {
            o.present = true;
        } else if (!strcmp(a, "--sample")) {
            if (!hs_parse_sample("gui", val, &o.real_sample)) return 2;
            i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "heapsim: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (!trace) {
            trace = a;
        } else {
            fprintf(stderr, "heapsim: one trace only; extra argument '%s'\n", a);
            return 2;
        }
    }
    static char def[4096];
    if (!trace) {
        snprintf(def, sizeof def, "%s/figures-1-9.json", hs_app_traces_dir());
        trace = def;
    }
    o.open_dir = hs_app_traces_dir();
    o.machine = hs_machine_read();
    /* real glibc: every version the window switches to (V), and the one
     * modelled first (the machine's for the textbook) */
    static const hs_profile versions[3] = {HS_PROFILE_GLIBC_2_31, HS_PROFILE_GLIBC_2_36,
                                           HS_PROFILE_GLIBC_2_41};
    static hs_app_glibc g[3];
    static char gerr[3][1024];
    static hs_gui_glibc targets[3];
    hs_profile rp = o.profile == HS_PROFILE_TEXTBOOK ? hs_app_default_profile() : o.profile;
    for (int k = 0; k < 3; k++) {
        hs_gui_glibc *tg = &targets[k];
        tg->profile = versions[k];
        tg->err = hs_app_glibc_real(versions[k], &g[k], gerr[k], sizeof gerr[k]) != 0 ? gerr[k] : NULL;
        tg->replayer = g[k].replayer[0] ? g[k].replayer : hs_app_replayer();
        tg->ldso = g[k].ldso[0] ? g[k].ldso : NULL;
        tg->libpath = g[k].libpath[0] ? g[k].libpath : NULL;
        tg->version = g[k].ldso[0] ? hs_profile_version(versions[k]) : hs_app_machine_glibc();
        if (versions[k] == rp) {
            o.real_err = tg->err;
            o.replayer = tg->replayer;
            o.ldso = tg->ldso;
            o.libpath = tg->libpath;
            o.real_version = tg->version;
        }
    }
    o.glibcs = targets;
    o.n_glibcs = 3;
    o.open_view = open_view;
    /* the allocators C compares (M reads glibc's mappings) */
    static hs_alloc_target allocs[HS_ALLOCS_MAX];
    o.n_allocs = hs_app_compare_targets(allocs, HS_ALLOCS_MAX);
    o.allocs = allocs;
    o.compare_replayer = hs_app_replayer();
    o.allocator_is = hs_app_allocator_is;
    hs_lessons lessons;
    char lerr[1024];
    if (hs_app_lessons(&lessons, lerr, sizeof lerr) == 0) {
        o.lessons = (const char *const *)lessons.paths;
        o.lesson_names = (const char *const *)lessons.names;
        o.n_lessons = lessons.n;
        o.lesson_title = lesson_title;
    } else {
        o.lessons_err = lerr;
    }
    hs_trace t;
    int rc = hs_app_load(trace, &t) != 0 ? 2 : hs_gui_run(&t, trace, &o);
    hs_lessons_free(&lessons);
    return rc;
}
#endif
