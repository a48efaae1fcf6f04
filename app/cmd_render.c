/* app/cmd_render.c — `heapsim render`: draw steps of a trace to PNG files, no display needed.
 * Owns: the render subcommand's arguments and messages; drawing itself is render/'s. */
#ifdef HS_HAVE_GUI
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../real/machine.h"
#include "../render/render.h"
#include "app.h"

static void usage(FILE *f)
{
    fputs("usage: heapsim render TRACE --step N --out FILE.png [--size WxH] [options]\n"
          "       heapsim render TRACE --all --out-dir DIR [--size WxH] [options]\n"
          "Draws steps exactly as the window shows them (step 0 is the start, before any op),\n"
          "without a display.  Files are written whole or not at all.\n"
          "options:\n"
          "  --size WxH        image size in pixels (default 1920x1080)\n"
          "  --profile P       glibc-2.36 (default) or textbook\n"
          "  --glibc VERSION   model that glibc (" HS_PROFILE_VERSIONS "); with --real, replay on it\n"
          "  --real            replay the trace on real glibc first (the one modelled) and overlay it\n"
          "  --timeout S       give the real replay S seconds (default 60)\n"
          "  --sample N        measure the real replay's steps as heapsim real --sample N does\n"
          "  --diff-glibc V    draw the \"what differs\" panel (the window's D): the trace on the\n"
          "                    profile drawn and on glibc V, the current step's row chosen\n"
          "  --present         presenter mode, as the window's P: big type, no heap map or plots\n"
          "  --compare         replay the trace under every installed allocator first and draw their\n"
          "                    RSS and fault curves in the plots' place (the window's C)\n"
          "  --smaps           replay it on this machine's glibc reading /proc/self/smaps after each\n"
          "                    step and draw the mappings and VIRT/RES/SHR in the heap map's place (M)\n"
          "  --texts           also print every text the frame draws, one a line (for checks)\n"
          "  --arena K         the heap map and the bins show arena K (0 main) at the steps where\n"
          "                    it exists, as the window's A (default: the op's thread's arena)\n"
          "  --check-clips     draw no file: list every text the frame cuts without a\n"
          "                    \"+N more\" or scroll mark (with --step N or --all);\n"
          "                    exit status 1 when there is one\n",
          f);
}

static int bad(const char *msg, const char *arg)
{
    if (arg) fprintf(stderr, "heapsim render: %s '%s'\n", msg, arg);
    else fprintf(stderr, "heapsim render: %s\n", msg);
    fputs("(heapsim render --help shows the usage)\n", stderr);
    return 2;
}

/* Parses a non-negative integer, digits only; false on junk (a sign, a
 * space) or overflow. */
static bool parse_count(const char *s, size_t *out)
{
    if (!s || *s < '0' || *s > '9') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno) return false;
    *out = (size_t)v;
    return true;
}

/* --compare, --smaps: v's trace under every allocator app/alloc.c knows
 * (glibc's run reading smaps), replayed here, one line each said on stdout.
 * Returns NULL when out of memory; a run that fails says why. */
static hs_allocs *measure_allocs(const hs_view *v, double timeout)
{
    static hs_alloc_target tg[HS_ALLOCS_MAX];
    size_t n = hs_app_compare_targets(tg, HS_ALLOCS_MAX);
    hs_allocs *a = hs_allocs_new(&v->t, hs_app_replayer(), tg, n, timeout);
    if (!a) return NULL;
    a->allocator_is = hs_app_allocator_is;
    hs_allocs_run(a);
    for (size_t k = 0; k < a->nruns; k++) {
        const hs_alloc_run *r = &a->runs[k];
        size_t in = atomic_load(&r->n_in);
        if (atomic_load(&r->state) != HS_REAL_DONE) {
            printf("%s: not measured: %s\n", r->name, r->msg);
            continue;
        }
        printf("%s (malloc from %s): %zu of %zu steps; at the end RssAnon added %llu bytes, %llu minor "
               "faults%s%s\n", r->name, r->malloc_lib[0] ? r->malloc_lib : "the replayer", in, a->n,
               (unsigned long long)r->vals[in].rss, (unsigned long long)r->vals[in].minflt,
               r->msg[0] ? "; " : "", r->msg);
    }
    return a;
}

/* One real step into the view, read at once (one thread: push does not
 * wait).  Never asks to stop early. */
int hs_cmd_render(int argc, char **argv)
{
    const char *trace = NULL, *out = NULL, *out_dir = NULL;
    size_t step = 0;
    bool have_step = false, all = false, real = false, clips = false, present = false;
    bool compare = false, smaps = false, texts = false;
    int w = 1920, h = 1080;
    double timeout = 0;
    uint32_t sample = 0;   /* --sample: 0, the replay's default */
    hs_profile profile = HS_PROFILE_GLIBC_2_36;
    hs_profile diff_other = HS_PROFILE_GLIBC_2_36;
    bool has_diff = false;
    size_t arena = 0;
    bool has_arena = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--step")) {
            if (!val) return bad("--step needs a number", NULL);
            if (have_step) return bad("--step given twice; give one step (or --all)", val);
            if (!parse_count(val, &step)) return bad("--step needs a step number, not", val);
            have_step = true;
            i++;
        } else if (!strcmp(a, "--all")) {
            all = true;
        } else if (!strcmp(a, "--out")) {
            if (!val) return bad("--out needs a file name", NULL);
            if (out) return bad("--out given twice", val);
            out = val;
            i++;
        } else if (!strcmp(a, "--out-dir")) {
            if (!val) return bad("--out-dir needs a directory", NULL);
            if (out_dir) return bad("--out-dir given twice", val);
            out_dir = val;
            i++;
        } else if (!strcmp(a, "--size")) {
            if (!val) return bad("--size needs WxH", NULL);
            if (!hs_parse_size(val, &w, &h))
                return bad("--size needs WxH, each 16..16384, not", val);
            i++;
        } else if (!strcmp(a, "--profile")) {
            if (!val) return bad("--profile needs glibc-2.36 or textbook", NULL);
            int p = hs_profile_from_name(val);
            if (p < 0) return bad("unknown profile (glibc-2.36 or textbook):", val);
            profile = (hs_profile)p;
            i++;
        } else if (!strcmp(a, "--glibc")) {
            if (hs_app_glibc_profile("render", val, &profile) != 0) return 2;
            i++;
        } else if (!strcmp(a, "--check-clips")) {
            clips = true;
        } else if (!strcmp(a, "--diff-glibc")) {
            if (hs_app_glibc_profile("render", val, &diff_other) != 0) return 2;
            has_diff = true;
            i++;
        } else if (!strcmp(a, "--present")) {
            present = true;
        } else if (!strcmp(a, "--compare")) {
            compare = true;
        } else if (!strcmp(a, "--smaps")) {
            smaps = true;
        } else if (!strcmp(a, "--texts")) {
            texts = true;
        } else if (!strcmp(a, "--arena")) {
            if (!val) return bad("--arena needs an arena number (0 is main)", NULL);
            if (!parse_count(val, &arena) || arena > 65535)
                return bad("--arena needs an arena number, 0..65535, not", val);
            has_arena = true;
            i++;
        } else if (!strcmp(a, "--real")) {
            real = true;
        } else if (!strcmp(a, "--sample")) {
            if (!hs_parse_sample("render", val, &sample)) return 2;
            i++;
        } else if (!strcmp(a, "--timeout")) {
            char *end;
            if (!val) return bad("--timeout needs seconds", NULL);
            timeout = strtod(val, &end);
            if (*end || timeout <= 0) return bad("--timeout needs a positive number of seconds, not", val);
            i++;
        } else if (a[0] == '-' && a[1]) {
            return bad("unknown option", a);
        } else if (!trace) {
            trace = a;
        } else {
            return bad("one trace only; extra argument", a);
        }
    }
    if (!trace) return bad("no trace given", NULL);
    if (all && have_step) return bad("give either --step N or --all, not both", NULL);
    if (!all && !have_step) return bad("give --step N (with --out FILE.png) or --all (with --out-dir DIR)", NULL);
    if (clips && (out || out_dir)) return bad("--check-clips writes no file; drop --out/--out-dir", NULL);
    if (have_step && !out && !clips) return bad("--step needs --out FILE.png", NULL);
    if (all && !out_dir && !clips) return bad("--all needs --out-dir DIR", NULL);
    if (have_step && out_dir) return bad("--out-dir goes with --all; use --out with --step", NULL);
    if (all && out) return bad("--out goes with --step; use --out-dir with --all", NULL);

    if (out && hs_outfile_is(out, trace)) {
        fprintf(stderr, "heapsim render: --out %s is the trace %s itself: it would be replaced by the "
                "picture (--out another file)\n", out, trace);
        return 2;
    }
    hs_trace t;
    if (hs_app_load(trace, &t) != 0) return 2;
    if (have_step && step > t.n_ops) {
        fprintf(stderr, "heapsim render: step %zu is out of range: %s has steps 0..%zu\n", step,
                trace, t.n_ops);
        hs_trace_free(&t);
        return 2;
    }
    if (out_dir && mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "heapsim render: cannot create %s: %s\n", out_dir, strerror(errno));
        hs_trace_free(&t);
        return 2;
    }
    struct stat sb;
    if (out_dir && (stat(out_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        fprintf(stderr, "heapsim render: %s is not a directory\n", out_dir);
        hs_trace_free(&t);
        return 2;
    }
    hs_machine_facts mf = hs_machine_read();
    /* steps are drawn in order: no checkpoints past step 0 (one model) */
    hs_view *v = hs_view_new_budget(&t, trace, profile, &mf, 0);
    if (!v || (has_arena && hs_view_select_arena(v, (int)arena) != 0)) {
        fprintf(stderr, "heapsim render: out of memory\n");
        hs_view_free(v);
        return 2;
    }
    if (real) {
        /* on the glibc modelled (the machine's for the textbook) */
        static hs_app_glibc g;
        char msg[1024] = "";
        hs_profile rp = profile == HS_PROFILE_TEXTBOOK ? hs_app_default_profile() : profile;
        if (hs_app_glibc_real(rp, &g, msg, sizeof msg) != 0) {
            fprintf(stderr, "heapsim render: --real: %s\n", msg);
            hs_view_free(v);
            return 2;
        }
        hs_feed_target to = {g.replayer[0] ? g.replayer : hs_app_replayer(), g.ldso[0] ? g.ldso : NULL,
                             g.libpath[0] ? g.libpath : NULL,
                             g.ldso[0] ? hs_profile_version(rp) : hs_app_machine_glibc(),
                             hs_app_sample("render", &v->t, sample)};
        int rc = hs_feed_run(v, &to, timeout, msg, sizeof msg);
        if (rc != 0)
            fprintf(stderr, "heapsim render: warning: the real replay failed (%s); drawing what came in\n",
                    msg);
        /* which glibc was measured, and how it compares (sim/step.c's rules) */
        printf("real glibc %s: %zu of %zu steps replayed, %zu disagree with the %s model\n", v->real_glibc,
               v->rn, v->n, v->ndis, hs_profile_name(v->profile));
    }
    hs_allocs *al = NULL;
    if (compare || smaps) {
        al = measure_allocs(v, timeout);
        if (!al) {
            fputs("heapsim render: out of memory for the allocators' replays\n", stderr);
            hs_view_free(v);
            return 2;
        }
    }
    char err[1024];
    hs_headless *hl = hs_headless_new(w, h, err, sizeof err);
    if (!hl) {
        fprintf(stderr, "%s\n", err);
        hs_allocs_free(al);
        hs_view_free(v);
        return 2;
    }
    int rc = 0;
    hs_ui ui;
    hs_ui_init(&ui);
    ui.present = present;
    ui.compare = compare;
    ui.smaps = smaps;
    ui.allocs = al;
    hs_vdiff_list dl;
    memset(&dl, 0, sizeof dl);
    if (has_diff) {
        if (hs_vdiff_list_build(&dl, &v->t, v->profile, diff_other, &mf) != 0) {
            fputs("heapsim render: out of memory comparing the two versions\n", stderr);
            hs_ui_free(&ui);
            hs_headless_free(hl);
            hs_view_free(v);
            return 2;
        }
        ui.diff = true;
        ui.diff_list = &dl;
    }
    size_t from = all ? 0 : step, to = all ? v->n : step;
    int digits = 3;
    for (size_t n = v->n; n >= 1000; n /= 10) digits++;
    size_t written = 0, cut = 0;
    for (size_t s = from; s <= to; s++) {
        if (hs_view_goto(v, s) != 0) {
            fprintf(stderr, "heapsim render: out of memory at step %zu\n", s);
            rc = 2;
            break;
        }
        size_t row = hs_vdiff_list_row_at(&dl, s);
        ui.diff_sel = row < dl.nrows ? row : 0;
        const hs_scene *sc = clips ? hs_headless_layout(hl, v, &ui) : hs_headless_draw(hl, v, &ui);
        if (sc->dl.oom) {
            fprintf(stderr, "heapsim render: out of memory drawing step %zu\n", s);
            rc = 2;
            break;
        }
        if (texts)
            for (size_t k = 0; k < sc->dl.n; k++)
                if (sc->dl.cmds[k].kind == HS_CMD_TEXT)
                    printf("text: %s\n", sc->dl.text + sc->dl.cmds[k].text);
        if (clips) {
            for (size_t k = 0; k < sc->dl.ncut && k < HS_CUT_MAX; k++)
                if (!sc->dl.cuts[k].marked)
                    printf("%s: step %zu at %dx%d: %s cuts \"%s\"\n", trace, s, w, h,
                           sc->dl.cuts[k].panel, sc->dl.cuts[k].text);
            cut += sc->dl.nunmarked;
            continue;
        }
        char path[4096];
        if (all) snprintf(path, sizeof path, "%s/step-%0*zu.png", out_dir, digits, s);
        else snprintf(path, sizeof path, "%s", out);
        if (hs_headless_save(hl, path, err, sizeof err) != 0) {
            fprintf(stderr, "heapsim render: %s\n", err);
            rc = 2;
            break;
        }
        written++;
    }
    if (clips && rc == 0) {
        printf("%s: %zu text%s cut without a mark at %dx%d\n", trace, cut, cut == 1 ? "" : "s", w, h);
        rc = cut ? 1 : 0;
    } else if (rc == 0 && all) printf("wrote %zu PNG files (steps 0..%zu) to %s\n", written, v->n, out_dir);
    hs_vdiff_list_free(&dl);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_allocs_free(al);
    hs_view_free(v);
    return rc;
}
#endif
