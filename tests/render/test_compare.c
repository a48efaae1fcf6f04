/* tests/render/test_compare.c — the allocators plot (C) and the mappings (M) in the scene: hover, click, help.
 * Owns: checks that the compare charts read the job's measured steps, hover and hit-test like the usual plots,
 * that a run that cannot run says why (every run's words whole, however long), that both panels say "(real mode
 * only)" without a job, and the help. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/render.h"
#include "play/allocs.h"
#include "view_open.h"

#define TRACE HS_SOURCE_DIR "/traces/fault-storm.json"

static bool drew(const hs_scene *sc, const char *needle)
{
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT && strstr(sc->dl.text + sc->dl.cmds[i].text, needle))
            return true;
    return false;
}

/* glibc (no preload) and one that is not installed, replayed here. */
static hs_allocs *glibc_job(const hs_view *v)
{
    static const hs_alloc_target tg[2] = {{.name = "glibc"},
                                          {.name = "nosuch", .preload = "/nonexistent/libnosuch.so", .err = "libnosuch is not installed"}};
    hs_allocs *a = hs_allocs_new(&v->t, HS_REPLAYER, tg, 2, 0);
    assert_non_null(a);
    hs_allocs_run(a);
    return a;
}

static void test_compare_reads_the_job(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(TRACE, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    hs_allocs *a = glibc_job(v);
    assert_int_equal(atomic_load(&a->runs[0].state), HS_REAL_DONE);
    assert_int_equal(atomic_load(&a->runs[0].n_in), v->n);
    assert_int_equal(atomic_load(&a->runs[1].state), HS_REAL_FAILED);
    /* the storm: glibc's faults grow with every malloc(2M) (6 pages touched each) */
    assert_true(a->runs[0].vals[v->n].minflt >= 8 * 6);
    hs_headless *hl = hs_headless_new(1280, 720, err, sizeof err);
    assert_non_null(hl);
    hs_ui ui;
    hs_ui_init(&ui);
    ui.compare = true;
    ui.allocs = a;
    assert_int_equal(hs_view_goto(v, 9), 0);
    const hs_scene *sc = hs_headless_draw(hl, v, &ui);
    char want[128], b[32];
    hs_series_format(HS_SER_RSS, a->runs[0].vals[9].rss, b, sizeof b);
    snprintf(want, sizeof want, "glibc: %s, %llu faults", b, (unsigned long long)a->runs[0].vals[9].minflt);
    assert_true(drew(sc, want));
    assert_true(drew(sc, "nosuch: libnosuch is not installed"));
    assert_int_equal(sc->dl.nunmarked, 0);
    /* hover the RSS chart at step 4: the readout gives the measured value there */
    hs_rect c = sc->plot_c[0];
    assert_true(c.w > 0 && sc->plot_c[1].w > 0);
    float x = c.x + (float)((4.5 / (double)(v->n + 1)) * c.w);
    int p = -1;
    size_t s = 0;
    assert_true(hs_scene_plot_at(sc, v, x, c.y + c.h / 2, &p, &s));   /* a click there jumps to 4 */
    assert_int_equal(p, 0);
    assert_int_equal(s, 4);
    ui.mouse_in = true;
    ui.mx = x;
    ui.my = c.y + c.h / 2;
    sc = hs_headless_draw(hl, v, &ui);
    assert_true(drew(sc, "step 4"));
    hs_series_format(HS_SER_RSS, a->runs[0].vals[4].rss, b, sizeof b);
    snprintf(want, sizeof want, "glibc %s", b);
    assert_true(drew(sc, want));
    /* the mappings (M) of step 4, statm first */
    ui.smaps = true;
    ui.mouse_in = false;
    assert_int_equal(hs_view_goto(v, 4), 0);
    sc = hs_headless_draw(hl, v, &ui);
    const hs_alloc_smaps *m = hs_allocs_smaps_at(a, 4);
    assert_non_null(m);
    assert_true(m->n >= 1);
    snprintf(want, sizeof want, "VIRT %llu KiB   RES %llu KiB   SHR %llu KiB", (unsigned long long)(m->virt / 1024),
             (unsigned long long)(m->res / 1024), (unsigned long long)(m->shr / 1024));
    assert_true(drew(sc, want));
    assert_true(drew(sc, "[heap]"));
    /* the mappings add up: their Rss is the sum drawn */
    uint64_t sum = 0;
    for (uint32_t i = 0; i < m->n; i++) sum += m->maps[i].rss;
    if (!m->cut) assert_int_equal(sum, m->smaps_rss);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_allocs_free(a);
    hs_view_free(v);
}

static void test_real_mode_only_and_help(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(TRACE, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    static const int sizes[3][2] = {{1024, 768}, {1280, 720}, {1920, 1080}};
    for (int k = 0; k < 3; k++) {
        hs_headless *hl = hs_headless_new(sizes[k][0], sizes[k][1], err, sizeof err);
        assert_non_null(hl);
        hs_ui ui;
        hs_ui_init(&ui);
        ui.compare = ui.smaps = true;   /* no job: --no-real */
        const hs_scene *sc = hs_headless_layout(hl, v, &ui);
        size_t n = 0;
        for (size_t i = 0; i < sc->dl.n; i++)
            if (sc->dl.cmds[i].kind == HS_CMD_TEXT && strstr(sc->dl.text + sc->dl.cmds[i].text, "(real mode only)"))
                n++;
        assert_true(n >= 1 && drew(sc, "(real mode"));
        assert_int_equal(sc->dl.nunmarked, 0);
        ui.help = true;
        sc = hs_headless_layout(hl, v, &ui);
        assert_true(drew(sc, "allocators side by side"));
        assert_true(drew(sc, "VIRT/RES/SHR"));
        assert_int_equal(sc->dl.nunmarked, 0);
        hs_ui_free(&ui);
        hs_headless_free(hl);
    }
    hs_view_free(v);
}

/* The window's way: a thread, stopped at once (a replay running is killed)
 * or left to finish. */
static void test_thread_stops(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(TRACE, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    static const hs_alloc_target tg[1] = {{.name = "glibc"}};
    hs_allocs *a = hs_allocs_new(&v->t, HS_REPLAYER, tg, 1, 0);
    assert_non_null(a);
    assert_int_equal(hs_allocs_start(a, NULL, NULL), 0);
    hs_allocs_free(a);   /* returns: the thread was joined */
    a = hs_allocs_new(&v->t, HS_REPLAYER, tg, 1, 0);
    assert_non_null(a);
    assert_int_equal(hs_allocs_start(a, NULL, NULL), 0);
    while (atomic_load(&a->runs[0].state) == HS_REAL_NONE || atomic_load(&a->runs[0].state) == HS_REAL_RUNNING) {
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(atomic_load(&a->runs[0].state), HS_REAL_DONE);
    assert_int_equal(hs_allocs_progress(a), v->n + 1);
    hs_allocs_free(a);
    hs_view_free(v);
}

/* A variant as app/'s glibc-tuned makes them: one op of its own first
 * (mallopt(M_MMAP_MAX, 0): no mmapped chunks), the trace's first op (its
 * mallopt) left out. */
static int no_mmap(const hs_trace *t, hs_trace *out, uint32_t **from)
{
    hs_trace_share(t, out);
    out->ops = calloc(t->n_ops, sizeof *out->ops);
    *from = calloc(t->n_ops, sizeof **from);
    if (!out->ops || !*from) {
        free(out->ops);
        free(*from);
        return -1;
    }
    out->ops[0].kind = HS_OP_MALLOPT;
    out->ops[0].param = HS_M_MMAP_MAX;
    out->ops[0].id = HS_NO_ID;
    out->ops[0].value = 0;
    for (size_t i = 1; i < t->n_ops; i++) {
        out->ops[i] = t->ops[i];
        (*from)[i] = (uint32_t)(i + 1);
    }
    return 0;
}

/* A variant's steps land on the job's: its own op is not drawn, the op it
 * left out keeps the values before it, and every step is in at the end. */
static void test_variant_steps(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(TRACE, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    assert_int_equal(v->t.ops[0].kind, HS_OP_MALLOPT);
    static const hs_alloc_target tg[2] = {{.name = "glibc"}, {.name = "glibc-nommap", .variant = no_mmap}};
    hs_allocs *a = hs_allocs_new(&v->t, HS_REPLAYER, tg, 2, 0);
    assert_non_null(a);
    assert_int_equal(a->smaps_run, 0);   /* the variant reads no smaps */
    hs_allocs_run(a);
    const hs_alloc_run *r = &a->runs[1];
    assert_int_equal(atomic_load(&r->state), HS_REAL_DONE);
    assert_int_equal(atomic_load(&r->n_in), v->n);
    assert_true(r->vals[1].has);
    assert_int_equal(r->vals[1].minflt, r->vals[0].minflt);   /* the op left out */
    /* no mmap per request: the heap grows once, no storm of faults */
    assert_true(a->runs[0].vals[v->n].minflt >= 8 * 6);
    assert_true(r->vals[v->n].minflt < a->runs[0].vals[v->n].minflt / 2);
    hs_allocs_free(a);
    hs_view_free(v);
}

/* A trace past HS_ALLOCS_MAX_STEPS: no run is made, each says why. */
static void test_too_long(void **state)
{
    (void)state;
    hs_trace t;
    memset(&t, 0, sizeof t);
    t.n_ops = HS_ALLOCS_MAX_STEPS + 1;   /* hs_allocs_new reads only the count */
    static const hs_alloc_target tg[2] = {{.name = "glibc"}, {.name = "jemalloc", .preload = "/x.so"}};
    hs_allocs *a = hs_allocs_new(&t, HS_REPLAYER, tg, 2, 0);
    assert_non_null(a);
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(atomic_load(&a->runs[k].state), HS_REAL_FAILED);
        assert_non_null(strstr(a->runs[k].msg, "heapsim compare"));
        assert_null(a->runs[k].vals);
    }
    assert_null(hs_allocs_smaps_at(a, 1));
    hs_allocs_run(a);   /* nothing to run */
    assert_int_equal(hs_allocs_progress(a), 2);
    hs_allocs_free(a);
}

/* The texts drawn inside r, in drawing order, joined by spaces (a wrapped
 * entry's lines read back as its words) into buf. */
static void texts_in(const hs_scene *sc, hs_rect r, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sc->dl.n && n + 1 < len; i++) {
        const hs_cmd *c = &sc->dl.cmds[i];
        if (c->kind != HS_CMD_TEXT || !hs_rect_has(r, c->x0 + 1, c->y0 + 1)) continue;
        n += (size_t)snprintf(buf + n, len - n, "%s ", sc->dl.text + c->text);
    }
}

/* Cuts of any kind (marked or not) the panel named made. */
static size_t cuts_of(const hs_scene *sc, const char *panel)
{
    size_t n = 0;
    for (size_t k = 0; k < sc->dl.ncut && k < HS_CUT_MAX; k++) n += !strcmp(sc->dl.cuts[k].panel, panel);
    return n;
}

/* A headless window of w x h drawing job a's compare panel (ui set up). */
static hs_headless *compare_window(int w, int h, hs_ui *ui, hs_allocs *a)
{
    char err[1024];
    hs_headless *hl = hs_headless_new(w, h, err, sizeof err);
    assert_non_null(hl);
    hs_ui_init(ui);
    ui->compare = true;
    ui->allocs = a;
    return hl;
}

/* Long reasons (app/alloc.c's "not installed", an abort's message, a run
 * that stopped early) are facts the teacher needs: every run's words are
 * drawn whole at the three sizes, wrapped over the key's lines (the key
 * used to cut the last line with "…" and leave out what came after). */
static void test_long_reasons_whole(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(TRACE, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    static const hs_alloc_target tg[5] = {
        {.name = "glibc"},
        {.name = "jemalloc", .preload = "/x/libjemalloc.so.2",
         .err = "jemalloc is not installed (no libjemalloc.so.2 in /usr/lib/x86_64-linux-gnu): apt-get install libjemalloc2"},
        {.name = "tcmalloc", .preload = "/x/libtcmalloc_minimal.so.4",
         .err = "tcmalloc is not installed (no libtcmalloc_minimal.so.4 in /usr/lib/x86_64-linux-gnu): apt-get install "
                "libtcmalloc-minimal4"},
        {.name = "mimalloc", .preload = "/x/libmimalloc.so.2",
         .err = "replay failed: step 1 (mallopt(M_MMAP_THRESHOLD, 131072)) took more than 60 s: the replayer was killed "
                "(after 0 of 17 steps)"},
        {.name = "hoard", .preload = "/x/libhoard.so",   /* the same reason as mimalloc: said once for both */
         .err = "replay failed: step 1 (mallopt(M_MMAP_THRESHOLD, 131072)) took more than 60 s: the replayer was killed "
                "(after 0 of 17 steps)"},
    };
    hs_allocs *a = hs_allocs_new(&v->t, HS_REPLAYER, tg, 5, 0);
    assert_non_null(a);
    hs_allocs_run(a);
    assert_int_equal(atomic_load(&a->runs[0].state), HS_REAL_DONE);
    /* glibc's run ended with a long reason of its own (the test writes it: the run is over) */
    snprintf(a->runs[0].msg, sizeof a->runs[0].msg,
             "aborted at step 17: malloc(): unsorted double linked list corrupted, the chunk after the victim "
             "has a prev_size that does not match its size (glibc's _int_malloc checks)");
    char want[5][1024], b[32], f[32];
    for (size_t k = 1; k < 4; k++) snprintf(want[k], sizeof want[k], "%s: %s", tg[k].name, tg[k].err);
    snprintf(want[3], sizeof want[3], "mimalloc, hoard: %s", tg[3].err);
    static const int sizes[3][2] = {{1024, 768}, {1280, 720}, {1920, 1080}};
    static char got[16384];
    for (int z = 0; z < 3; z++) {
        hs_ui ui;
        hs_headless *hl = compare_window(sizes[z][0], sizes[z][1], &ui, a);
        for (int pass = 0; pass < 2; pass++) {
            size_t s = pass ? 9 : 4;
            atomic_store(&a->runs[0].n_in, pass ? 5 : v->n);   /* pass 1: glibc stopped before step 9 */
            assert_int_equal(hs_view_goto(v, s), 0);
            const hs_scene *sc = hs_headless_layout(hl, v, &ui);
            if (pass) {
                snprintf(want[0], sizeof want[0], "glibc: stopped before step 9 — %s", a->runs[0].msg);
            } else {
                hs_series_format(HS_SER_RSS, a->runs[0].vals[s].rss, b, sizeof b);
                hs_series_format(HS_SER_MINFLT, a->runs[0].vals[s].minflt, f, sizeof f);
                snprintf(want[0], sizeof want[0], "glibc: %s, %s faults — %s", b, f, a->runs[0].msg);
            }
            texts_in(sc, sc->plots, got, sizeof got);
            for (size_t k = 0; k < 4; k++) {
                if (!strstr(got, want[k])) fail_msg("%dx%d step %zu: not drawn whole: \"%s\"\nin: %s", sizes[z][0],
                                                    sizes[z][1], s, want[k], got);
            }
            assert_null(strstr(got, "\xE2\x80\xA6"));   /* no "…" */
            assert_int_equal(cuts_of(sc, "plots"), 0);
            assert_int_equal(sc->key_cut.w, 0);
            assert_true(sc->plot_c[0].h >= 8 && sc->plot_c[1].h >= 8);   /* the charts are still drawn */
        }
        atomic_store(&a->runs[0].n_in, v->n);
        hs_ui_free(&ui);
        hs_headless_free(hl);
    }
    /* every run failed for one long reason: said once, whole */
    static char why[481];
    for (size_t i = 0; i < sizeof why - 1; i++) why[i] = i % 8 == 7 ? ' ' : (char)('a' + i % 7);
    static hs_alloc_target same[3] = {{.name = "glibc"}, {.name = "jemalloc"}, {.name = "tcmalloc"}};
    for (size_t k = 0; k < 3; k++) same[k].err = why;
    hs_allocs *one = hs_allocs_new(&v->t, HS_REPLAYER, same, 3, 0);
    assert_non_null(one);
    snprintf(want[4], sizeof want[4], "Every allocator: %s", why);
    for (int z = 0; z < 3; z++) {
        hs_ui ui;
        hs_headless *hl = compare_window(sizes[z][0], sizes[z][1], &ui, one);
        const hs_scene *sc = hs_headless_layout(hl, v, &ui);
        texts_in(sc, sc->plots, got, sizeof got);
        assert_non_null(strstr(got, want[4]));
        assert_int_equal(cuts_of(sc, "plots"), 0);
        hs_ui_free(&ui);
        hs_headless_free(hl);
    }
    hs_allocs_free(one);
    /* a window too small for the key cuts it ("…", marked), and the
     * pointer over the key shows every run's words whole */
    hs_ui ui;
    hs_headless *hl = compare_window(760, 420, &ui, a);
    assert_int_equal(hs_view_goto(v, 4), 0);
    const hs_scene *sc = hs_headless_layout(hl, v, &ui);
    assert_true(sc->key_cut.w > 0);
    assert_true(cuts_of(sc, "plots") > 0);
    /* the key's cuts are marked (the charts' titles may be cut too, at this size) */
    for (size_t k = 0; k < sc->dl.ncut && k < HS_CUT_MAX; k++)
        for (size_t r = 0; r < 5 && !sc->dl.cuts[k].marked; r++)
            assert_true(strncmp(sc->dl.cuts[k].text, tg[r].name, strlen(tg[r].name)) != 0);
    ui.mouse_in = true;
    ui.mx = sc->key_cut.x + 4;
    ui.my = sc->key_cut.y + 4;
    sc = hs_headless_layout(hl, v, &ui);
    texts_in(sc, hs_rect_make(0, 0, 760, 420), got, sizeof got);
    hs_series_format(HS_SER_RSS, a->runs[0].vals[4].rss, b, sizeof b);
    hs_series_format(HS_SER_MINFLT, a->runs[0].vals[4].minflt, f, sizeof f);
    snprintf(want[0], sizeof want[0], "glibc: %s, %s faults — %s", b, f, a->runs[0].msg);
    for (size_t k = 0; k < 4; k++) assert_non_null(strstr(got, want[k]));
    assert_int_equal(cuts_of(sc, "tooltip"), 0);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_allocs_free(a);
    hs_view_free(v);
}

/* The mappings table (M) with more mappings than rows: the ones left out
 * are a fact too; "▼ +N more mappings (… point here …)" and the pointer
 * over it lists each of them, address and figures. */
static void test_smaps_more_on_pointer(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(HS_SOURCE_DIR "/traces/seed000-thread-arenas.json", HS_PROFILE_GLIBC_2_36, err,
                                sizeof err);
    assert_non_null(v);
    static const hs_alloc_target tg[1] = {{.name = "glibc"}};
    hs_allocs *a = hs_allocs_new(&v->t, HS_REPLAYER, tg, 1, 0);
    assert_non_null(a);
    hs_allocs_run(a);
    assert_int_equal(atomic_load(&a->runs[0].state), HS_REAL_DONE);
    hs_ui ui;
    hs_headless *hl = compare_window(1280, 720, &ui, a);
    ui.compare = false;
    ui.smaps = true;
    assert_int_equal(hs_view_goto(v, 5), 0);
    const hs_alloc_smaps *m = hs_allocs_smaps_at(a, 5);
    assert_non_null(m);
    const hs_scene *sc = hs_headless_layout(hl, v, &ui);
    uint32_t shown = sc->smaps_shown;
    assert_true(shown < m->n);   /* threads' arenas and stacks: more mappings than rows */
    assert_true(sc->smaps_more.w > 0);
    assert_true(drew(sc, "more mappings"));
    ui.mouse_in = true;
    ui.mx = sc->smaps_more.x + 2;
    ui.my = sc->smaps_more.y + 2;
    sc = hs_headless_layout(hl, v, &ui);
    for (uint32_t i = shown; i < m->n; i++) {
        char addr[40];
        snprintf(addr, sizeof addr, "%012llx-%012llx", (unsigned long long)m->maps[i].start,
                 (unsigned long long)m->maps[i].end);
        if (!drew(sc, addr)) fail_msg("mapping %u of %u (%s) not listed on the pointer", i, m->n, addr);
    }
    assert_int_equal(cuts_of(sc, "tooltip"), 0);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_allocs_free(a);
    hs_view_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_reads_the_job),
        cmocka_unit_test(test_real_mode_only_and_help),
        cmocka_unit_test(test_thread_stops),
        cmocka_unit_test(test_variant_steps),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_long_reasons_whole),
        cmocka_unit_test(test_smaps_more_on_pointer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
