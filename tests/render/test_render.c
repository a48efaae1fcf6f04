/* tests/render/test_render.c — headless frames checked for what they must show.
 * Owns: pixel and layout checks of render/ (chunk boxes, _edata, text, stepping, PNG files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/render.h"
#include "view_open.h"
#include "render/theme.h"

#define FIG HS_SOURCE_DIR "/tests/render/fig.json"
#define W 1920
#define H 1080

typedef struct fx {
    hs_view *v;
    hs_headless *hl;
} fx;

static int setup(void **state)
{
    static fx f;
    char err[1024];
    f.v = test_view_open(FIG, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    if (!f.v) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    f.hl = hs_headless_new(W, H, err, sizeof err);
    if (!f.hl) {
        fprintf(stderr, "%s\n", err);
        hs_view_free(f.v);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    hs_headless_free(f->hl);
    hs_view_free(f->v);
    return 0;
}

static bool same_color(hs_color a, hs_color b, int tol)
{
    return abs(a.r - b.r) <= tol && abs(a.g - b.g) <= tol && abs(a.b - b.b) <= tol;
}

static bool dark(hs_color c) { return c.r < 80 && c.g < 80 && c.b < 80; }

/* A dark pixel within 2 pixels of (x, y): edges are rounded by the rasterizer. */
static bool dark_near(const hs_headless *hl, float x, float y)
{
    for (int dy = -2; dy <= 2; dy++)
        for (int dx = -2; dx <= 2; dx++)
            if (dark(hs_headless_pixel(hl, (int)lroundf(x) + dx, (int)lroundf(y) + dy))) return true;
    return false;
}

/* The box of trace id `name` in the address-space column at the view's step. */
static hs_rect box_of(const hs_scene *sc, const hs_view *v, const char *name, int *region)
{
    uint32_t slot = hs_view_slot(v, name);
    assert_int_not_equal(slot, HS_NO_ID);
    const hs_item *it = hs_view_find_id(v, slot);
    assert_non_null(it);
    hs_rect r;
    assert_true(hs_scene_item_box(sc, HS_HIT_SPACE, it->region, it->addr, &r));
    if (region) *region = it->region;
    return r;
}

/* Chunk boxes sit where the model puts the chunks, in the model's colours. */
static void test_chunk_boxes(void **state)
{
    fx *f = *state;
    assert_int_equal(hs_view_goto(f->v, 5), 0);  /* A, B, C, D all allocated */
    const hs_scene *sc = hs_headless_draw(f->hl, f->v, NULL);
    assert_false(sc->dl.oom);
    const char *heap_ids[] = {"A", "B", "D"};
    float last_y = 1e9f;
    for (int i = 0; i < 3; i++) {
        int region;
        hs_rect r = box_of(sc, f->v, heap_ids[i], &region);
        assert_int_equal(region, 0);
        const hs_item *it = hs_view_find_id(f->v, hs_view_slot(f->v, heap_ids[i]));
        /* to scale: top and bottom edges follow the chunk's address range */
        float yb = hs_scene_heap_y(sc, (double)it->lo);
        float yt = hs_scene_heap_y(sc, (double)it->hi);
        assert_true(fabsf(r.y + r.h - yb) < 1.5f);
        assert_true(fabsf(r.y - yt) < 1.5f);
        assert_true(r.h > 20);  /* 30K or more is a visible box at 1080p */
        /* higher addresses are higher on screen */
        assert_true(r.y < last_y);
        last_y = r.y;
        /* its fill is the in-use colour (bottom-right corner, clear of the label) */
        hs_color px = hs_headless_pixel(f->hl, (int)(r.x + r.w - 6), (int)(r.y + r.h - 6));
        assert_true(same_color(px, hs_state_color(HS_CH_INUSE), 2));
        /* and the box is outlined */
        assert_true(dark_near(f->hl, r.x + r.w * 0.7f, r.y + r.h - 1));
    }
    /* C went to the mmap area: above the heap, in the mmapped colour */
    int region;
    hs_rect c = box_of(sc, f->v, "C", &region);
    assert_int_equal(region, 1);
    assert_true(c.y + c.h < last_y);
    assert_true(c.y >= sc->mm_top_y - 1);
    hs_color px = hs_headless_pixel(f->hl, (int)(c.x + c.w - 6), (int)(c.y + c.h - 6));
    assert_true(same_color(px, hs_state_color(HS_CH_MMAPPED), 2));
    /* hit testing finds the same chunk */
    hs_rect a = box_of(sc, f->v, "A", NULL);
    hs_hit h;
    assert_true(hs_scene_hit(sc, a.x + a.w / 2, a.y + a.h / 2, &h));
    assert_int_equal(h.addr, hs_view_find_id(f->v, hs_view_slot(f->v, "A"))->addr);
    /* the heap map shows A too */
    hs_rect m;
    assert_true(hs_scene_item_box(sc, HS_HIT_MAP, 0, h.addr, &m));
    assert_true(hs_rect_has(sc->map, m.x + 1, m.y + 1));
}

/* The _edata arrow points at the break, and moves with it. */
static void test_edata_arrow(void **state)
{
    fx *f = *state;
    float ys[10];
    for (size_t s = 0; s <= 9; s++) {
        assert_int_equal(hs_view_goto(f->v, s), 0);
        const hs_scene *sc = hs_headless_draw(f->hl, f->v, NULL);
        float want = hs_scene_heap_y(sc, (double)f->v->snap.st.brk);
        assert_true(fabsf(sc->edata_y - want) < 1.0f);
        ys[s] = sc->edata_y;
        /* the arrow's shaft is black from its tail to near its tip */
        int y = (int)lroundf(sc->edata_y);
        for (float x = sc->edata_tail_x + 4; x < sc->edata_tip_x - 30; x += 9)
            assert_true(dark(hs_headless_pixel(f->hl, (int)x, y)));
        /* and its head touches the column */
        assert_true(dark(hs_headless_pixel(f->hl, (int)sc->edata_tip_x - 10, y)));
    }
    assert_true(ys[1] < ys[0] - 50);   /* figure 2: the first malloc moves _edata up */
    assert_true(fabsf(ys[4] - ys[3]) < 0.5f);  /* figure 4: C is mmapped, _edata stays */
    assert_true(ys[5] < ys[4] - 20);   /* figure 5: D needs brk again */
    assert_true(fabsf(ys[8] - ys[7]) < 0.5f);  /* 2.36: free(D) does not trim */
    assert_true(ys[9] > ys[8] + 20);   /* malloc_trim brings it down */
}

/* The textbook profile trims at free(D): the figure 9 the articles draw. */
static void test_textbook_trims(void **state)
{
    fx *f = *state;
    assert_int_equal(hs_view_set_profile(f->v, HS_PROFILE_TEXTBOOK), 0);
    assert_int_equal(hs_view_goto(f->v, 7), 0);
    float y7 = hs_headless_draw(f->hl, f->v, NULL)->edata_y;
    assert_int_equal(hs_view_goto(f->v, 8), 0);
    float y8 = hs_headless_draw(f->hl, f->v, NULL)->edata_y;
    assert_true(y8 > y7 + 20);
    assert_int_equal(hs_view_set_profile(f->v, HS_PROFILE_GLIBC_2_36), 0);
    assert_int_equal(f->v->step, 8);
    float g8 = hs_headless_draw(f->hl, f->v, NULL)->edata_y;
    assert_true(g8 < y8 - 20);
}

/* The current op is drawn in C syntax, large, and it is really on screen. */
static void test_legible_text(void **state)
{
    fx *f = *state;
    assert_int_equal(hs_view_goto(f->v, 4), 0);
    const hs_scene *sc = hs_headless_draw(f->hl, f->v, NULL);
    bool found = false;
    for (size_t i = 0; i < sc->dl.n; i++) {
        const hs_cmd *k = &sc->dl.cmds[i];
        if (k->kind == HS_CMD_TEXT && strcmp(sc->dl.text + k->text, "C = malloc(200K)") == 0) {
            found = true;
            assert_true(k->px >= 40);  /* readable from the back of a classroom */
        }
    }
    assert_true(found);
    assert_true(sc->op_text.h >= 40 && sc->op_text.w > 200);
    size_t ink = 0, all = 0;
    for (int y = (int)sc->op_text.y; y < (int)(sc->op_text.y + sc->op_text.h); y++)
        for (int x = (int)sc->op_text.x; x < (int)(sc->op_text.x + sc->op_text.w); x++, all++)
            ink += dark(hs_headless_pixel(f->hl, x, y));
    /* glyphs, not an empty box and not a filled one */
    assert_true(ink > all / 20);
    assert_true(ink < all / 2);
    /* every label is at least 11 px */
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT) assert_true(sc->dl.cmds[i].px >= 11);
}

/* Stepping back gives exactly the state stepping forward gave. */
static void test_step_back(void **state)
{
    fx *f = *state;
    char err[512];
    hs_view *fresh = test_view_open(FIG, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(fresh);
    for (size_t s = 0; s <= 6; s++) assert_int_equal(hs_view_goto(fresh, s), 0);
    assert_int_equal(hs_view_goto(f->v, 9), 0);
    assert_int_equal(hs_view_goto(f->v, 6), 0);
    assert_int_equal(f->v->snap.nitems, fresh->snap.nitems);
    for (size_t i = 0; i < fresh->snap.nitems; i++) {
        assert_int_equal(f->v->snap.items[i].lo, fresh->snap.items[i].lo);
        assert_int_equal(f->v->snap.items[i].hi, fresh->snap.items[i].hi);
        assert_int_equal(f->v->snap.items[i].state, fresh->snap.items[i].state);
    }
    assert_int_equal(f->v->snap.st.brk, fresh->snap.st.brk);
    assert_memory_equal(&f->v->last, &fresh->last, sizeof fresh->last);
    hs_view_free(fresh);
}

/* Mid-animation, a new chunk is partly grown and _edata is between its ends. */
static void test_animation(void **state)
{
    fx *f = *state;
    hs_ui ui;
    hs_ui_init(&ui);
    assert_int_equal(hs_view_goto(f->v, 4), 0);
    const hs_scene *sc = hs_headless_draw(f->hl, f->v, NULL);
    float y4 = sc->edata_y;
    hs_ui_anim_from(&ui, f->v);
    assert_int_equal(hs_view_goto(f->v, 5), 0);
    sc = hs_headless_draw(f->hl, f->v, NULL);
    float y5 = sc->edata_y;
    hs_rect full = box_of(sc, f->v, "D", NULL);
    ui.anim_t = 0.5f;
    sc = hs_headless_draw(f->hl, f->v, &ui);
    assert_true(sc->edata_y < y4 - 1 && sc->edata_y > y5 + 1);
    hs_rect half = box_of(sc, f->v, "D", NULL);
    assert_true(half.h > 1 && half.h < full.h - 1);
    ui.anim_t = 1;
    sc = hs_headless_draw(f->hl, f->v, &ui);
    assert_true(fabsf(sc->edata_y - y5) < 0.01f);
    hs_ui_free(&ui);
}

/* Real values arriving mark disagreements and draw the real break. */
static void test_real_overlay(void **state)
{
    fx *f = *state;
    assert_int_equal(hs_view_goto(f->v, 0), 0);
    assert_int_equal(hs_view_real_begin(f->v), 0);
    /* feed the model's own steps as "real", with step 3's break moved a page */
    char err[512];
    hs_view *m = test_view_open(FIG, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(m);
    for (size_t s = 1; s <= 9; s++) {
        assert_int_equal(hs_view_goto(m, s), 0);
        hs_step st = m->last;
        if (s == 3) st.brk += 4096;
        hs_view_real_push(f->v, &st);
    }
    hs_view_free(m);
    hs_view_real_finish(f->v, 0, NULL);
    assert_int_equal(hs_view_real_sync(f->v), 9);
    assert_int_equal(f->v->ndis, 1);
    assert_int_equal(f->v->first_dis, 3);
    assert_true(f->v->dis[3]);
    assert_int_equal(hs_view_goto(f->v, 3), 0);
    const hs_scene *sc = hs_headless_draw(f->hl, f->v, NULL);
    assert_true(sc->real_edata_y >= 0);
    assert_true(sc->real_edata_y < sc->edata_y - 0.5f);
    /* its arrow is drawn in the real colour */
    hs_color px = hs_headless_pixel(f->hl, (int)sc->edata_tip_x - 60, (int)lroundf(sc->real_edata_y));
    assert_true(same_color(px, HS_C_REAL, 2));
    assert_int_equal(hs_view_goto(f->v, 4), 0);
    sc = hs_headless_draw(f->hl, f->v, NULL);
    assert_true(fabsf(sc->real_edata_y - sc->edata_y) < 0.5f);
    /* the overlay can be turned off */
    hs_ui ui;
    hs_ui_init(&ui);
    ui.real_overlay = false;
    sc = hs_headless_draw(f->hl, f->v, &ui);
    assert_true(sc->real_edata_y < 0);
    hs_ui_free(&ui);
}

/* PNGs appear whole (temporary file, then rename) or not at all. */
static void test_png_files(void **state)
{
    fx *f = *state;
    char dir[] = "/tmp/hs-render-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], err[1024];
    snprintf(path, sizeof path, "%s/frame.png", dir);
    assert_int_equal(hs_view_goto(f->v, 2), 0);
    hs_headless_draw(f->hl, f->v, NULL);
    assert_int_equal(hs_headless_save(f->hl, path, err, sizeof err), 0);
    FILE *p = fopen(path, "rb");
    assert_non_null(p);
    unsigned char sig[8];
    assert_int_equal(fread(sig, 1, 8, p), 8);
    fclose(p);
    assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
    /* nothing else was left in the directory */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    /* a path that cannot be written: an error, no file */
    snprintf(path, sizeof path, "%s/no/such/dir/frame.png", dir);
    assert_int_equal(hs_headless_save(f->hl, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "frame.png"));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* A small window still lays out every panel and finds the chunks. */
/* Small chunks stay visible in the address-space column (defect 6): in the
 * tcache lesson every 48-byte chunk sits under a 131K top chunk; each gets a
 * box at least 6 px tall, in address order, the column says it is not to
 * scale, and _edata still points at the top chunk's end. */
static void test_small_chunks_visible(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(HS_SOURCE_DIR "/traces/tcache-fastbins.json", HS_PROFILE_GLIBC_2_36,
                                err, sizeof err);
    assert_non_null(v);
    assert_int_equal(hs_view_goto(v, 27), 0);
    static const int sizes[][2] = {{1024, 768}, {1280, 720}, {1920, 1080}};
    for (size_t k = 0; k < 3; k++) {
        hs_headless *hl = hs_headless_new(sizes[k][0], sizes[k][1], err, sizeof err);
        assert_non_null(hl);
        const hs_scene *sc = hs_headless_draw(hl, v, NULL);
        assert_true(sc->heap_enlarged > 0);
        size_t n = 0;
        float last_top = 1e9f;
        for (size_t i = 0; i < v->snap.nitems; i++) {
            const hs_item *it = &v->snap.items[i];
            if (it->region != 0) continue;
            hs_rect r;
            assert_true(hs_scene_item_box(sc, HS_HIT_SPACE, 0, it->addr, &r));
            assert_true(r.h >= 6 * sc->u - 0.5f);
            /* its box is where the column's map puts it, so hit tests agree */
            assert_true(fabsf(r.y - hs_scene_heap_y(sc, (double)it->hi)) < 1.5f);
            hs_hit h;
            assert_true(hs_scene_hit(sc, r.x + r.w / 3, r.y + r.h / 2, &h));
            assert_int_equal(h.addr, it->addr);
            if (it->lo > 0) assert_true(r.y + r.h <= last_top + 1.5f || last_top > 1e8f);
            n++;
        }
        assert_true(n >= 12);  /* tcache struct, x, y, z, f1-f9 (some in bins), top */
        assert_true(fabsf(sc->edata_y - hs_scene_heap_y(sc, (double)v->snap.st.brk)) < 1.0f);
        hs_headless_free(hl);
    }
    hs_view_free(v);
}

/* A trace in a new temporary folder dir (a mkdtemp template) at dir/name,
 * titled name: n mallocs "c<i>" of 16 + (i * 37) % mod bytes, left open for
 * more lines (the caller closes it). */
static FILE *mallocs_trace(char *dir, char *path, size_t len, const char *name, int n, int mod)
{
    assert_non_null(mkdtemp(dir));
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"format\": \"heapsim-trace/1\", \"title\": \"%s\"}\n", name);
    for (int i = 0; i < n; i++)
        fprintf(f, "{\"op\": \"malloc\", \"id\": \"c%d\", \"size\": %d}\n", i, 16 + (i * 37) % mod);
    return f;
}

/* Many chunks to a pixel row of the address-space column (or to a pixel
 * column of the heap map): one hit box stands for each run of them (fewer
 * boxes than chunks), yet every chunk still has its box, hovering a run's
 * box finds one chunk under the pointer, and a chunk under it is found by
 * address (its box, and the hit told of it alone) as a selection finds it. */
static void test_column_runs(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs-render-test-XXXXXX", path[256], err[1024];
    fclose(mallocs_trace(dir, path, sizeof path, "runs.jsonl", 20000, 1025));
    hs_view *v = test_view_open(path, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    assert_int_equal(hs_view_goto(v, 20000), 0);
    hs_headless *hl = hs_headless_new(1024, 768, err, sizeof err);
    assert_non_null(hl);
    const hs_scene *sc = hs_headless_draw(hl, v, NULL);
    size_t space = 0, runs = 0, under = 0, map_runs = 0, map_self = 0;
    for (size_t i = 0; i < sc->nhits; i++) {
        space += sc->hits[i].kind == HS_HIT_SPACE;
        runs += sc->hits[i].kind == HS_HIT_SPACE && sc->hits[i].n > 1;
        map_runs += sc->hits[i].kind == HS_HIT_MAP && sc->hits[i].n > 1;
    }
    assert_true(runs > 0 && map_runs > 0);
    assert_true(space < v->snap.nheap / 4);
    for (size_t i = 0; i < v->snap.nheap; i++) {
        const hs_chunk_info *c = &v->snap.heap[i];
        hs_rect r;
        assert_true(hs_scene_item_box(sc, HS_HIT_SPACE, 0, c->addr, &r));
        const hs_hit *own = NULL;
        hs_hit one;
        for (size_t k = 0; k < sc->nhits && !own; k++)
            if (sc->hits[k].kind == HS_HIT_SPACE && hs_hit_covers(sc, &sc->hits[k], 0, c->addr, &one))
                own = &sc->hits[k];
        assert_non_null(own);
        assert_int_equal(one.n, 1);
        assert_int_equal(one.addr, c->addr);
        assert_int_equal(one.info, i);
        assert_true(one.r.y == r.y && one.r.h == r.h);
        assert_false(hs_hit_covers(sc, own, 0, c->addr + 1, NULL));   /* not a chunk's address */
        assert_false(hs_hit_covers(sc, own, 1, c->addr, NULL));
        hs_hit h;
        assert_true(hs_scene_hit(sc, r.x + r.w / 2, r.y + r.h / 2, &h));
        assert_int_equal(h.kind, HS_HIT_SPACE);
        assert_true(hs_hit_covers(sc, &h, 0, h.addr, NULL));
        /* the run's own box, as it is (not one chunk of it) */
        under += own->n > 1 && !memcmp(&h, own, sizeof h) && h.addr != c->addr;
        /* the heap map's columns too: its own box, and hovering resolves a run's box
         * to one chunk whose box is under the pointer */
        assert_true(hs_scene_item_box(sc, HS_HIT_MAP, 0, c->addr, &r));
        assert_true(hs_scene_hit(sc, r.x + r.w / 2, r.y + r.h / 2, &h));
        assert_int_equal(h.n, 1);
        assert_true(hs_rect_has(h.r, r.x + r.w / 2, r.y + r.h / 2));
        map_self += h.addr == c->addr;
    }
    assert_true(under > 0);
    assert_true(map_self > 0);
    hs_headless_free(hl);
    hs_view_free(v);
    remove(path);
    rmdir(dir);
}

static bool has_text(const hs_scene *sc, const char *s)
{
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT && strcmp(sc->dl.text + sc->dl.cmds[i].text, s) == 0)
            return true;
    return false;
}

/* Plots (defect 8): every step has a slot, the last one too; the axes are
 * labelled in the series' unit; hovering shows the value at that step. */
static void test_plot_axes_hover(void **state)
{
    fx *f = *state;
    assert_int_equal(hs_view_goto(f->v, 9), 0);
    const hs_scene *sc = hs_headless_draw(f->hl, f->v, NULL);
    size_t n = f->v->n;
    for (int p = 0; p < HS_SER_COUNT; p++) {
        hs_rect c = sc->plot_c[p];
        assert_true(c.w > 100);
        float slot = c.w / (float)(n + 1);
        for (size_t s = 0; s <= n; s++) {
            int pp;
            size_t got;
            assert_true(hs_scene_plot_at(sc, f->v, c.x + (s + 0.5f) * slot, c.y + c.h / 2, &pp, &got));
            assert_int_equal(pp, p);
            assert_int_equal(got, s);
        }
        /* the y axis names the largest value */
        uint64_t max = 0;
        for (size_t i = 0; i <= n; i++)
            if (hs_series_val(&f->v->mv[i], p) > max) max = hs_series_val(&f->v->mv[i], p);
        char b[32];
        hs_series_format(p, max, b, sizeof b);
        if (max) assert_true(has_text(sc, b));
    }
    int pp;
    assert_false(hs_scene_plot_at(sc, f->v, sc->plot_c[0].x - 20, sc->plot_c[0].y - 20, &pp, NULL));
    /* hover over step 4 of RSS: its value is read out */
    hs_ui ui;
    hs_ui_init(&ui);
    hs_rect c = sc->plot_c[HS_SER_RSS];
    ui.mouse_in = true;
    ui.mx = c.x + 4.5f * c.w / (float)(n + 1);
    ui.my = c.y + c.h / 2;
    sc = hs_headless_draw(f->hl, f->v, &ui);
    assert_true(has_text(sc, "step 4"));
    char b[32];
    hs_series_format(HS_SER_RSS, f->v->mv[4].rss, b, sizeof b);
    assert_true(has_text(sc, b));
    hs_ui_free(&ui);
}

/* A followed id stays shown while stepping: its chunk in use, then in the
 * tcache after its free (found by the id it last had), with its history;
 * once its chunk is gone, its history alone. */
static void test_follow_id(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(HS_SOURCE_DIR "/traces/tcache-fastbins.json", HS_PROFILE_GLIBC_2_36,
                                err, sizeof err);
    assert_non_null(v);
    hs_headless *hl = hs_headless_new(1280, 720, err, sizeof err);
    assert_non_null(hl);
    hs_ui ui;
    hs_ui_init(&ui);
    ui.follow_id = hs_view_slot(v, "f3");
    char l[4][HS_HISTORY_LINE];
    for (size_t s = 12; s <= 29; s++) {
        assert_int_equal(hs_view_goto(v, s), 0);
        const hs_scene *sc = hs_headless_draw(hl, v, &ui);
        assert_true(hs_view_history(v, ui.follow_id, l, 4) > 0);
        assert_true(has_text(sc, l[0]));                      /* allocated at ..., freed at ... */
        char none[64];
        snprintf(none, sizeof none, "f3 has no chunk at step %zu", s);
        bool gone = has_text(sc, none);
        /* from its malloc until its chunk is taken again, the chunk is shown */
        const hs_item *it = hs_view_find_id(v, ui.follow_id);
        if (it) assert_false(gone);
        if (s < 21) assert_true(has_text(sc, "chunk f3  (in use)"));
        if (s == 21) assert_true(has_text(sc, "chunk f3  (freed, now tcache)"));
    }
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
}

/* The lesson list: every row reachable, hit by a click, nothing cut
 * without its mark at 1024x768. */
static void test_lesson_list(void **state)
{
    fx *f = *state;
    static const char *names[40], *titles[40];
    static char nb[40][32], tb[40][96];
    for (int i = 0; i < 40; i++) {
        snprintf(nb[i], sizeof nb[i], "lesson-%02d.json", i);
        snprintf(tb[i], sizeof tb[i], "Lesson %d: a title as long as the shipped ones get (%d steps)", i, i);
        names[i] = nb[i];
        titles[i] = tb[i];
    }
    char err[256];
    hs_headless *hl = hs_headless_new(1024, 768, err, sizeof err);
    assert_non_null(hl);
    hs_ui ui;
    hs_ui_init(&ui);
    ui.list_names = names;
    ui.list_titles = titles;
    ui.list_n = 40;
    ui.list_cur = 3;
    ui.lessons = true;
    for (size_t sel = 0; sel < 40; sel += 13) {
        ui.lesson_sel = sel;
        const hs_scene *sc = hs_headless_layout(hl, f->v, &ui);
        assert_true(sc->list_rows.w > 0);
        /* the chosen row is in sight and a click on it picks it */
        assert_true(sel >= sc->list_first);
        float y = sc->list_rows.y + ((float)(sel - sc->list_first) + 0.5f) * sc->list_rh;
        assert_true(y < sc->list_rows.y + sc->list_rows.h);
        assert_int_equal(hs_scene_lesson_at(sc, &ui, sc->list_rows.x + 50, y), (int)sel);
        assert_true(has_text(sc, names[sel]));
        assert_int_equal(sc->dl.nunmarked, 0);
    }
    hs_ui_free(&ui);
    hs_headless_free(hl);
}

/* The px of the first text command drawing s, 0 if none. */
static int text_px(const hs_scene *sc, const char *s)
{
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT && strcmp(sc->dl.text + sc->dl.cmds[i].text, s) == 0)
            return sc->dl.cmds[i].px;
    return 0;
}

/* Presenter mode at a projector's 1024x768: no heap map or plots, and the
 * threshold labels and the Why text at least as large as the usual
 * narration (issue 14: "large type for a projector"). */
static void test_presenter(void **state)
{
    fx *f = *state;
    char err[256];
    hs_headless *hl = hs_headless_new(1024, 768, err, sizeof err);
    assert_non_null(hl);
    assert_int_equal(hs_view_goto(f->v, 6), 0);
    const hs_scene *sc = hs_headless_layout(hl, f->v, NULL);
    assert_true(sc->map.w > 0 && sc->plots.w > 0);
    int note_px = 0;   /* the usual narration's body type: its largest plain text (the note) */
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT && sc->dl.cmds[i].font == HS_FONT_SANS &&
            hs_rect_has(sc->narr, sc->dl.cmds[i].x0 + 1, sc->dl.cmds[i].y0 + 1) && sc->dl.cmds[i].px > note_px)
            note_px = sc->dl.cmds[i].px;
    assert_true(note_px > 0);
    int thr_before = text_px(sc, "mmap thr. 204K");
    hs_ui ui;
    hs_ui_init(&ui);
    ui.present = true;
    sc = hs_headless_layout(hl, f->v, &ui);
    assert_true(sc->map.w == 0 && sc->plots.w == 0);
    assert_int_equal(sc->dl.nunmarked, 0);
    int thr = text_px(sc, "mmap thr. 204K");
    assert_true(thr > thr_before);
    assert_true(thr >= note_px);
    /* the Why panel's first reason */
    int why = 0;
    for (size_t i = 0; i < sc->dl.n && !why; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT && strstr(sc->dl.text + sc->dl.cmds[i].text, "free of an mmapped"))
            why = sc->dl.cmds[i].px;
    assert_true(why >= note_px);
    hs_ui_free(&ui);
    hs_headless_free(hl);
}

/* Zoomed in, no two row labels of the heap map read the same (defect 6:
 * "+86K +86K"), and each names its row's offset. */
static void test_map_row_labels(void **state)
{
    fx *f = *state;
    assert_int_equal(hs_view_goto(f->v, 5), 0);
    hs_ui ui;
    hs_ui_init(&ui);
    for (int z = 0; z <= 12; z++) {
        ui.map_zoom = z;
        ui.map_pan = 300;   /* somewhere past +10K, clamped by the map */
        const hs_scene *sc = hs_headless_layout(f->hl, f->v, &ui);
        const char *seen[256];
        size_t n = 0;
        for (size_t i = 0; i < sc->dl.n; i++) {
            const hs_cmd *k = &sc->dl.cmds[i];
            const char *t = sc->dl.text + k->text;
            if (k->kind != HS_CMD_TEXT || t[0] != '+' || k->x0 >= sc->map_rows.x ||
                !hs_rect_has(sc->map, k->x0 + 1, k->y0 + 1))
                continue;
            for (size_t j = 0; j < n; j++) assert_string_not_equal(seen[j], t);
            if (n < 256) seen[n++] = t;
            /* the label is left of the rows, not cut by them */
            assert_true(k->x0 + hs_dl_text_w(&sc->dl, k->font, k->px, t) <= sc->map_rows.x);
        }
        assert_true(n >= 2);
    }
    hs_ui_free(&ui);
}

static void test_small_size(void **state)
{
    fx *f = *state;
    char err[512];
    hs_headless *small = hs_headless_new(800, 500, err, sizeof err);
    assert_non_null(small);
    for (size_t s = 0; s <= 9; s++) {
        assert_int_equal(hs_view_goto(f->v, s), 0);
        const hs_scene *sc = hs_headless_draw(small, f->v, NULL);
        assert_false(sc->dl.oom);
        assert_true(sc->edata_y > sc->space.y && sc->edata_y < sc->space.y + sc->space.h);
    }
    hs_headless_free(small);
    assert_null(hs_headless_new(8, 8, err, sizeof err));
    assert_non_null(strstr(err, "out of range"));
}

/* True when some text of the scene contains s. */
static bool has_text_part(const hs_scene *sc, const char *s)
{
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT && strstr(sc->dl.text + sc->dl.cmds[i].text, s))
            return true;
    return false;
}

/* The first text command containing s, NULL if none. */
static const hs_cmd *text_cmd(const hs_scene *sc, const char *s)
{
    for (size_t i = 0; i < sc->dl.n; i++)
        if (sc->dl.cmds[i].kind == HS_CMD_TEXT && strstr(sc->dl.text + sc->dl.cmds[i].text, s))
            return &sc->dl.cmds[i];
    return NULL;
}

/* The help overlay (H) at the three sizes and a laptop's: every key and
 * the checkpoints' note whole (nothing cut), the notes below the last key
 * line (at 1920x1080 the clamped box once drew them over it). */
static void test_help_overlay(void **state)
{
    fx *f = *state;
    static const int sizes[][2] = {{1024, 768}, {1280, 720}, {1920, 1080}, {1366, 768}};
    char err[256];
    hs_ui ui;
    hs_ui_init(&ui);
    ui.help = true;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        hs_headless *hl = hs_headless_new(sizes[k][0], sizes[k][1], err, sizeof err);
        assert_non_null(hl);
        const hs_scene *sc = hs_headless_layout(hl, f->v, &ui);
        for (size_t c = 0; c < sc->dl.ncut && c < HS_CUT_MAX; c++)
            if (!sc->dl.cuts[c].marked)
                print_message("%dx%d: cut in %s: %s\n", sizes[k][0], sizes[k][1],
                              sc->dl.cuts[c].panel ? sc->dl.cuts[c].panel : "?", sc->dl.cuts[c].text);
        assert_int_equal(sc->dl.nunmarked, 0);
        for (int i = 0; hs_help_keys[i][0]; i++) assert_non_null(text_cmd(sc, hs_help_keys[i][1]));
        const hs_cmd *last = text_cmd(sc, "drag the heap map"), *note = text_cmd(sc, "Checkpoints: ");
        assert_non_null(last);
        assert_non_null(note);
        assert_true(last->y0 + last->px <= note->y0);
        assert_true(has_text_part(sc, "Press H, ? or Esc to close."));
        hs_headless_free(hl);
    }
    hs_ui_free(&ui);
}

/* The plots' key claims no agreement with real glibc that was not
 * measured: without a replay it said "model \u2260 real (0 steps)" under
 * every lesson and recording drawn with --no-real or the overlay off. */
static void test_plot_key_without_real(void **state)
{
    fx *f = *state;
    hs_ui ui;
    hs_ui_init(&ui);
    assert_int_equal(hs_view_goto(f->v, 3), 0);
    const hs_scene *sc = hs_headless_draw(f->hl, f->v, &ui);
    assert_false(has_text_part(sc, "model \xE2\x89\xA0 real ("));
    assert_false(has_text_part(sc, "under the model line where they agree"));
    assert_true(has_text_part(sc, "real glibc: not replayed"));
    ui.real_overlay = false;
    sc = hs_headless_draw(f->hl, f->v, &ui);
    assert_false(has_text_part(sc, "model \xE2\x89\xA0 real ("));
    assert_true(has_text_part(sc, "real glibc: overlay off (R)"));
    hs_ui_free(&ui);
}

/* The message over the window says what it is: only a trace that did not
 * open is "Could not open that trace" with "the trace that was open stays
 * open"; a failed key (V with no other glibc, a PNG not written) is an error
 * of its own, a note (A's arena, a PNG saved) no error at all.  Every
 * message once had the first heading (kind 1) or the open's footer. */
static void test_banner_kinds(void **state)
{
    fx *f = *state;
    hs_ui ui;
    hs_ui_init(&ui);
    static const struct { int kind; const char *msg, *head; bool open; } t[] = {
        {HS_BANNER_OPEN_FAILED, "x.json:3: op 2: free of an id never allocated", "Could not open that trace", true},
        {HS_BANNER_FAILED, "no other glibc version to switch to", "Error", false},
        {HS_BANNER_NOTE, "heap map and bins: arena 1, thread T1", "Note", false},
        {HS_BANNER_NOT_FOUND, "no op on p after step 3", "Not found", false},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        snprintf(ui.banner, sizeof ui.banner, "%s", t[i].msg);
        ui.banner_kind = t[i].kind;
        const hs_scene *sc = hs_headless_draw(f->hl, f->v, &ui);
        assert_true(has_text_part(sc, t[i].msg));
        assert_true(has_text_part(sc, t[i].head));
        assert_int_equal(has_text_part(sc, "Could not open"), t[i].open);
        assert_int_equal(has_text_part(sc, "the trace that was open stays open"), t[i].open);
        assert_true(has_text_part(sc, "Esc or a click closes this message"));
    }
    hs_ui_free(&ui);
}

/* A recorded `python3 -c` title (newlines, an indented block) too long for
 * the bar: drawn on one line with return arrows, cut with a mark (the
 * pointer over it shows it whole), and the pointer there shows every line
 * of it, the loop's body indented. */
static void test_long_title(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs-render-test-XXXXXX", path[256], err[1024];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/title.jsonl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"format\": \"heapsim-trace/1\", \"title\": \"recorded: /usr/bin/python3 -c \\nimport random\\n"
          "keep=[]\\nfor i in range(300000):\\n    b=bytes(600+random.randrange(3000))\\n"
          "    if random.random()<0.5: keep.append(b)\\nprint(len(keep), 'blocks kept of', 300000)\\n\"}\n"
          "{\"op\": \"malloc\", \"id\": \"a\", \"size\": 24}\n", f);
    fclose(f);
    hs_view *v = test_view_open(path, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    hs_headless *hl = hs_headless_new(1024, 768, err, sizeof err);
    assert_non_null(hl);
    hs_ui ui;
    hs_ui_init(&ui);
    const hs_scene *sc = hs_headless_layout(hl, v, &ui);
    assert_true(has_text_part(sc, "-c \xE2\x86\xB5import random\xE2\x86\xB5keep=[]"));
    assert_false(has_text_part(sc, "\n"));
    assert_true(sc->title_cut.w > 0);
    assert_true(sc->dl.ncut > 0);
    assert_int_equal(sc->dl.nunmarked, 0);
    assert_int_equal(text_px(sc, "for i in range(300000):"), 0);   /* no tip yet */
    ui.mouse_in = true;
    ui.mx = (int)(sc->title_cut.x + sc->title_cut.w / 2);
    ui.my = (int)(sc->title_cut.y + sc->title_cut.h / 2);
    sc = hs_headless_layout(hl, v, &ui);
    const hs_cmd *loop = NULL, *body = NULL;
    for (size_t i = 0; i < sc->dl.n; i++) {
        const hs_cmd *c = &sc->dl.cmds[i];
        if (c->kind != HS_CMD_TEXT) continue;
        if (strcmp(sc->dl.text + c->text, "for i in range(300000):") == 0) loop = c;
        if (strcmp(sc->dl.text + c->text, "b=bytes(600+random.randrange(3000))") == 0) body = c;
    }
    assert_non_null(loop);
    assert_non_null(body);
    assert_true(body->x0 > loop->x0 + 2 && body->y0 > loop->y0);
    assert_true(text_px(sc, "print(len(keep), 'blocks kept of', 300000)") > 0);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
    unlink(path);
    rmdir(dir);
}

/* The seed 000 thread lesson and a 1280x720 canvas. */
static void open_threads(hs_view **v, hs_headless **hl)
{
    char err[256];
    *v = test_view_open(HS_SOURCE_DIR "/traces/seed000-thread-arenas.json", HS_PROFILE_GLIBC_2_36,
                        err, sizeof err);
    assert_non_null(*v);
    *hl = hs_headless_new(1280, 720, err, sizeof err);
    assert_non_null(*hl);
}

/* A threaded trace: the window never passes one arena for the whole
 * process.  The mmap area draws the threads' arenas' 64 MiB heaps (never
 * "no mappings" while they hold 16 MiB there), and the heap map and the
 * bins name the arena and the thread they show. */
static void test_arenas_not_hidden(void **state)
{
    (void)state;
    hs_view *v;
    hs_headless *hl;
    open_threads(&v, &hl);
    assert_int_equal(hs_view_goto(v, 8), 0);   /* free(M) by the main thread */
    const hs_scene *sc = hs_headless_draw(hl, v, NULL);
    assert_false(has_text(sc, "no mappings"));
    assert_true(has_text_part(sc, "a1 8.0M") || has_text_part(sc, "arena 1 (T1): 8.0M rw"));
    assert_true(has_text_part(sc, "a2 8.0M") || has_text_part(sc, "arena 2 (T2): 8.0M rw"));
    assert_true(has_text_part(sc, "Heap map: main arena (thread main, 3 arenas)"));
    assert_true(has_text(sc, "Bins: main arena, tcache of thread main"));
    assert_int_equal(hs_view_goto(v, 0), 0);   /* before any thread ran: nothing to say */
    sc = hs_headless_draw(hl, v, NULL);
    assert_true(has_text(sc, "no mappings"));
    assert_false(has_text_part(sc, "a1 ") || has_text_part(sc, "arena 1 ("));
    hs_headless_free(hl);
    hs_view_free(v);
}

/* The heap map of a non-main arena: following the op's thread by default
 * (T2's malloc shows arena 2, its chunk W2 and its heap_info heap's
 * read-write and PROT_NONE parts), A's choice otherwise, each chunk's hit
 * in that arena's heap; every op says its thread ("T2:"). */
static void test_arena_map(void **state)
{
    (void)state;
    hs_view *v;
    hs_headless *hl;
    open_threads(&v, &hl);
    assert_int_equal(hs_view_goto(v, 4), 0);   /* W2 = malloc(8M) on thread T2 */
    assert_int_equal(v->arena, 2);
    const hs_scene *sc = hs_headless_draw(hl, v, NULL);
    assert_true(has_text_part(sc, "Heap map: arena 2 (thread T2, 3 arenas)"));
    assert_true(has_text(sc, "Bins: arena 2, tcache of thread T2"));
    assert_true(has_text_part(sc, "8.0M rw, 56M PROT_NONE"));
    assert_true(has_text(sc, "T2:"));
    assert_true(has_text_part(sc, "arena 2's heap + 0x"));   /* where W2 is: not the main heap */
    /* the map's chunks are arena 2's: W2 is one of them, and its hit box
     * leads to a chunk of that arena's heap (NON_MAIN_ARENA set) */
    const hs_snap *as = hs_view_sel_snap(v);
    assert_ptr_not_equal(as, &v->snap);
    uint32_t w2 = hs_view_slot(v, "W2");
    bool seen = false;
    unsigned arenas_hit = 0;
    for (size_t i = 0; i < sc->nhits; i++) {
        const hs_hit *h = &sc->hits[i];
        if (h->kind == HS_HIT_ARENA) {   /* each arena's heap in the column: a click shows it */
            assert_true(h->info == 1 || h->info == 2);
            assert_int_equal(hs_hit_id(v, h), HS_NO_ID);
            arenas_hit |= 1u << h->info;
        }
        if (h->kind != HS_HIT_MAP) continue;
        assert_int_equal(h->region, 2);
        const hs_chunk_info *c = hs_view_sel_chunk_at(v, h->addr);
        assert_non_null(c);
        if (c->id == w2) {
            seen = true;
            assert_true(c->flags & 4);   /* NON_MAIN_ARENA */
            assert_int_equal(hs_hit_id(v, h), w2);
        }
    }
    assert_true(seen);
    assert_int_equal(arenas_hit, 6);
    /* hovering arena 1's heap says what it is */
    hs_rect a1 = {0, 0, 0, 0};
    for (size_t i = 0; i < sc->nhits; i++)
        if (sc->hits[i].kind == HS_HIT_ARENA && sc->hits[i].info == 1) a1 = sc->hits[i].r;
    hs_ui ui;
    hs_ui_init(&ui);
    ui.mouse_in = true;
    ui.mx = a1.x + a1.w / 2;
    ui.my = a1.y + a1.h / 2;
    sc = hs_headless_draw(hl, v, &ui);
    assert_true(has_text(sc, "arena 1, heap_info heap 1 (T1)"));
    assert_true(has_text_part(sc, "PROT_NONE: reserved"));
    hs_ui_free(&ui);
    /* A: arena 1 by choice, at a step of the main thread too */
    assert_int_equal(hs_view_select_arena(v, 1), 0);
    assert_int_equal(hs_view_goto(v, 5), 0);
    assert_int_equal(v->arena, 1);
    sc = hs_headless_draw(hl, v, NULL);
    assert_true(has_text_part(sc, "Heap map: arena 1 (thread T1, 3 arenas)"));
    assert_true(has_text(sc, "main:"));
    /* the cycle: follow, 0, 1, 2, follow */
    assert_int_equal(hs_view_cycle_arena(v, 1), 0);
    assert_int_equal(v->arena_sel, 2);
    assert_int_equal(hs_view_cycle_arena(v, 1), 0);
    assert_int_equal(v->arena_sel, -1);
    assert_int_equal(v->arena, 0);   /* step 5 is the main thread's */
    assert_int_equal(hs_view_cycle_arena(v, -1), 0);
    assert_int_equal(v->arena_sel, 2);
    /* no arena 1 yet at step 2: the map follows the thread (main) */
    assert_int_equal(hs_view_select_arena(v, 1), 0);
    assert_int_equal(hs_view_goto(v, 2), 0);
    assert_int_equal(v->arena, 0);
    assert_ptr_equal(hs_view_sel_snap(v), &v->snap);
    hs_headless_free(hl);
    hs_view_free(v);
}

/* Each thread's tcache: T1's while it runs (b then a, its last frees, in
 * arena 1), none once it has exited (its arena on the free list, the
 * chunks flushed to that arena's fastbin), then T2's, which took arena 1;
 * and a tcache holding another arena's chunks names them. */
static void test_arena_tcache(void **state)
{
    (void)state;
    char err[256];
    hs_view *v = test_view_open(HS_SOURCE_DIR "/traces/thread-exit-tcache.json",
                                HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    hs_headless *hl = hs_headless_new(1024, 768, err, sizeof err);
    assert_non_null(hl);
    assert_int_equal(hs_view_goto(v, 6), 0);   /* T1: free(b) */
    const hs_scene *sc = hs_headless_draw(hl, v, NULL);
    assert_true(has_text(sc, "Bins: arena 1, tcache of thread T1"));
    assert_true(has_text(sc, "b 48"));
    assert_true(has_text(sc, "a 48"));
    assert_int_equal(hs_view_goto(v, 8), 0);   /* T1 exits */
    sc = hs_headless_draw(hl, v, NULL);
    assert_true(has_text(sc, "Bins: arena 1, no thread's tcache"));
    assert_true(has_text(sc, "no thread in this arena"));
    assert_true(has_text(sc, "c 48"));         /* flushed into arena 1's fastbin */
    assert_int_equal(hs_view_goto(v, 9), 0);   /* T2 takes arena 1 from the free list */
    sc = hs_headless_draw(hl, v, NULL);
    assert_true(has_text(sc, "Bins: arena 1, tcache of thread T2"));
    assert_true(has_text(sc, "T2:"));
    hs_view_free(v);
    /* a cross-thread free: main's tcache holds T1's chunks of arena 1, named */
    v = test_view_open(HS_SOURCE_DIR "/traces/cross-thread-free.json", HS_PROFILE_GLIBC_2_36, err,
                       sizeof err);
    assert_non_null(v);
    assert_int_equal(hs_view_goto(v, 12), 0);   /* main: free(a3) */
    sc = hs_headless_draw(hl, v, NULL);
    assert_true(has_text(sc, "Bins: main arena, tcache of thread main"));
    assert_true(has_text(sc, "a3 112 (arena 1)"));
    hs_headless_free(hl);
    hs_view_free(v);
}

/* A frame's output, copied: its draw list (commands, text, cuts) and hit boxes. */
typedef struct frame_copy {
    hs_cmd *cmds;
    char *text;
    hs_hit *hits;
    size_t n, tlen, nhits, ncut, nunmarked;
} frame_copy;

static frame_copy frame_of(const hs_scene *sc)
{
    frame_copy c = {malloc(sc->dl.n * sizeof *c.cmds + 1), malloc(sc->dl.tlen + 1),
                    malloc(sc->nhits * sizeof *c.hits + 1), sc->dl.n, sc->dl.tlen, sc->nhits,
                    sc->dl.ncut, sc->dl.nunmarked};
    assert_true(c.cmds && c.text && c.hits && !sc->dl.oom);
    memcpy(c.cmds, sc->dl.cmds, c.n * sizeof *c.cmds);
    memcpy(c.text, sc->dl.text, c.tlen);
    memcpy(c.hits, sc->hits, c.nhits * sizeof *c.hits);
    return c;
}

/* Whether sc drew exactly what c holds (then c is freed). */
static void assert_same_frame(const hs_scene *sc, frame_copy c)
{
    assert_int_equal(sc->dl.n, c.n);
    assert_int_equal(sc->dl.tlen, c.tlen);
    assert_int_equal(sc->nhits, c.nhits);
    assert_int_equal(sc->dl.ncut, c.ncut);
    assert_int_equal(sc->dl.nunmarked, c.nunmarked);
    assert_memory_equal(sc->dl.cmds, c.cmds, c.n * sizeof *c.cmds);
    assert_memory_equal(sc->dl.text, c.text, c.tlen);
    assert_memory_equal(sc->hits, c.hits, c.nhits * sizeof *c.hits);
    free(c.cmds);
    free(c.text);
    free(c.hits);
}

/* A still frame appends what the first frame of its snapshot and layout drew
 * of the chunks (render/memo.c): it must be that frame exactly, command by
 * command and hit box by hit box; a frame of a new step, or of another layout
 * (zoomed, scrolled, presenter mode, no overlay), on the same scene must be
 * what a fresh scene draws of it, not the kept one. */
static void test_still_frame_replays(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs-render-test-XXXXXX", path[256], err[1024];
    FILE *f = mallocs_trace(dir, path, sizeof path, "still.jsonl", 6000, 3000);
    for (int i = 0; i < 6000; i += 5) fprintf(f, "{\"op\": \"free\", \"id\": \"c%d\"}\n", i);
    fprintf(f, "{\"op\": \"malloc\", \"id\": \"big\", \"size\": 40000}\n");
    fclose(f);
    hs_view *v = test_view_open(path, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    hs_headless *hl = hs_headless_new(1280, 720, err, sizeof err);
    assert_non_null(hl);
    size_t steps[] = {30, 6000, v->n};
    for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
        assert_int_equal(hs_view_goto(v, steps[s]), 0);
        const hs_scene *sc = hs_headless_draw(hl, v, NULL);
        frame_copy first = frame_of(sc);
        {   /* the first frame of a new step: nothing of the step before */
            hs_headless *fresh = hs_headless_new(1280, 720, err, sizeof err);
            assert_non_null(fresh);
            assert_same_frame(hs_headless_draw(fresh, v, NULL), frame_of(sc));
            hs_headless_free(fresh);
        }
        hs_ui ui;
        hs_ui_init(&ui);
        ui.mouse_in = true;   /* a hover redraw: the tooltip on top, the chunks kept */
        ui.mx = 700;
        ui.my = 500;
        frame_copy hover = frame_of(hs_headless_draw(hl, v, &ui));
        assert_same_frame(hs_headless_draw(hl, v, NULL), first);
        for (int k = 0; k < 3; k++) {
            ui.mouse_in = false;
            ui.map_zoom = k == 0 ? 2 : 0;
            ui.map_pan = k == 0 ? 3 : 0;
            ui.present = k == 1;
            ui.real_overlay = k != 2;
            hs_headless *fresh = hs_headless_new(1280, 720, err, sizeof err);
            assert_non_null(fresh);
            frame_copy want = frame_of(hs_headless_draw(fresh, v, &ui));
            assert_same_frame(hs_headless_draw(hl, v, &ui), want);
            hs_headless_free(fresh);
        }
        ui.map_zoom = 0, ui.map_pan = 0, ui.present = false, ui.real_overlay = true;
        ui.mouse_in = true;
        assert_same_frame(hs_headless_draw(hl, v, &ui), hover);
        hs_ui_free(&ui);
    }
    hs_headless_free(hl);
    hs_view_free(v);
    remove(path);
    rmdir(dir);
}

/* Real glibc's steps for v made by the glibc 2.36 model of trace tr (what
 * real glibc 2.36 measures of a lesson: the model predicts it exactly). */
static void feed_model_as_real(hs_view *v, const char *tr)
{
    char err[1024];
    hs_view *m = test_view_open(tr, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(m);
    assert_int_equal(hs_view_goto(v, 0), 0);
    assert_int_equal(hs_view_real_begin(v), 0);
    for (size_t s = 1; s <= m->n; s++) {
        assert_int_equal(hs_view_goto(m, s), 0);
        hs_view_real_push(v, &m->last);
    }
    hs_view_real_finish(v, 0, NULL);
    assert_int_equal(hs_view_real_sync(v), m->n);
    hs_view_free(m);
}

/* Presenter mode at a projector: real glibc's line ("Real glibc 2.36 on
 * this machine agrees with the model at this step ✓") is wider than the
 * note's column there, so the Why column stops above it; the layout gave
 * the narration room as if it did not (its Why scrolled at half the lesson
 * steps at 1920x1080, "▼ +2 more" under a malloc(24)), and the scroll mark
 * in presenter type ran past the window's edge. */
static void test_present_why_room(void **state)
{
    (void)state;
    char err[1024];
    const char *tr = HS_SOURCE_DIR "/traces/tcache-fastbins.json";
    hs_view *v = test_view_open(tr, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(v);
    static const int sizes[3][2] = {{1024, 768}, {1280, 720}, {1920, 1080}};
    for (int z = 0; z < 3; z++) {
        hs_headless *hl = hs_headless_new(sizes[z][0], sizes[z][1], err, sizeof err);
        assert_non_null(hl);
        hs_ui ui;
        hs_ui_init(&ui);
        ui.present = true;
        size_t scrolled[2] = {0, 0};
        for (int real = 0; real < 2; real++) {
            if (real) feed_model_as_real(v, tr);   /* every step agrees */
            for (size_t s = 1; s <= v->n; s++) {
                assert_int_equal(hs_view_goto(v, s), 0);
                const hs_scene *sc = hs_headless_layout(hl, v, &ui);
                if (real && s == 3) assert_true(has_text_part(sc, "agrees with the model at this step"));
                scrolled[real] += sc->narr_more > 0;
                /* a scroll mark is never cut */
                for (size_t k = 0; k < sc->dl.ncut && k < HS_CUT_MAX; k++)
                    assert_true(strncmp(sc->dl.cuts[k].text, "\xE2\x96", 2) != 0);
            }
        }
        /* real glibc's line costs the Why no line the layout can give it,
         * and the Why's column widens for its reasons: none of this
         * lesson's steps scrolls in presenter mode (7 did at 1280x720 and
         * 17 at 1920x1080 with real glibc's line) */
        assert_int_equal(scrolled[0], 0);
        if (scrolled[1] > scrolled[0])
            fail_msg("%dx%d: the Why scrolls at %zu steps with real glibc's line, %zu without", sizes[z][0],
                     sizes[z][1], scrolled[1], scrolled[0]);
        hs_ui_free(&ui);
        hs_headless_free(hl);
        hs_view_free(v);
        v = test_view_open(tr, HS_PROFILE_GLIBC_2_36, err, sizeof err);
        assert_non_null(v);
    }
    hs_view_free(v);
}

/* Fails when the frame cut a text without its mark, naming where (at: the
 * frame, e.g. "1280x720 step 3"). */
static void no_unmarked_cut(const hs_scene *sc, const char *at)
{
    for (size_t k = 0; k < sc->dl.ncut && k < HS_CUT_MAX; k++)
        if (!sc->dl.cuts[k].marked) fail_msg("%s: %s cuts \"%s\"", at, sc->dl.cuts[k].panel, sc->dl.cuts[k].text);
}

/* The textbook profile beside real glibc: what differs ("brk 0x60 (real
 * 0x21000), mallinfo.arena 96 (real 135168), …") is a fact and is drawn
 * whole, wrapped at the narration's bottom (it was cut with "…", and so
 * was the note's textbook warning in presenter type). */
static void test_real_diff_whole(void **state)
{
    (void)state;
    char err[1024];
    const char *tr = HS_SOURCE_DIR "/traces/coalescing-unsorted.json";
    hs_view *v = test_view_open(tr, HS_PROFILE_TEXTBOOK, err, sizeof err);
    assert_non_null(v);
    feed_model_as_real(v, tr);
    static const int sizes[3][2] = {{1024, 768}, {1280, 720}, {1920, 1080}};
    for (int z = 0; z < 3; z++) {
        hs_headless *hl = hs_headless_new(sizes[z][0], sizes[z][1], err, sizeof err);
        assert_non_null(hl);
        hs_ui ui;
        hs_ui_init(&ui);
        for (int present = 0; present < 2; present++) {
            ui.present = present;
            for (size_t s = 1; s <= v->n; s++) {
                assert_int_equal(hs_view_goto(v, s), 0);
                const hs_scene *sc = hs_headless_layout(hl, v, &ui);
                if (s == 11) assert_true(has_text_part(sc, "differs from the textbook (as expected)"));
                char at[64];
                snprintf(at, sizeof at, "%dx%d%s step %zu", sizes[z][0], sizes[z][1], present ? " presenter" : "", s);
                no_unmarked_cut(sc, at);
            }
        }
        hs_ui_free(&ui);
        hs_headless_free(hl);
    }
    hs_view_free(v);
}

/* A lesson or test trace open at 1024x768, no pointer yet (the marks tests). */
static void open_1024(const char *path, hs_view **v, hs_headless **hl, hs_ui *ui)
{
    char err[1024];
    *v = test_view_open(path, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    assert_non_null(*v);
    *hl = hs_headless_new(1024, 768, err, sizeof err);
    assert_non_null(*hl);
    hs_ui_init(ui);
}

/* The frame with the pointer in the middle of r. */
static const hs_scene *hover(hs_headless *hl, const hs_view *v, hs_ui *ui, hs_rect r)
{
    ui->mouse_in = true;
    ui->mx = r.x + r.w / 2;
    ui->my = r.y + r.h / 2;
    return hs_headless_layout(hl, v, ui);
}

/* A bin row too narrow for its chunks ends in "… +N"; the pointer over that
 * mark lists the chunks it stands for (double-free-fastbin's last step at
 * 1024x768: a full tcache bin, f7 to f1, of which the row shows three). */
static void test_bin_more_on_pointer(void **state)
{
    (void)state;
    hs_view *v;
    hs_headless *hl;
    hs_ui ui;
    open_1024(HS_SOURCE_DIR "/traces/double-free-fastbin.json", &v, &hl, &ui);
    assert_int_equal(hs_view_goto(v, v->n), 0);
    const hs_scene *sc = hs_headless_layout(hl, v, &ui);
    assert_true(sc->nbin_more > 0);             /* the row is cut: else this test shows nothing */
    assert_true(has_text_part(sc, "\xE2\x80\xA6 +"));
    static const char *const hidden[] = {"f4 48", "f3 48", "f2 48", "f1 48"};
    int missing = 0;
    for (size_t i = 0; i < 4; i++) missing += !has_text_part(sc, hidden[i]);
    assert_true(missing > 0);                   /* some are only behind the mark */
    sc = hover(hl, v, &ui, sc->bin_more[0].r);
    for (size_t i = 0; i < 4; i++)
        if (!has_text_part(sc, hidden[i])) fail_msg("%s is not listed on the pointer over the mark", hidden[i]);
    assert_true(has_text_part(sc, "tcache [1] 48B 7/7: 7 chunks, head first"));
    no_unmarked_cut(sc, "1024x768, the pointer over the mark");
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
}

/* A family with more bins than rows ends in "+N more bins (tcache)", an
 * address column with more arena heaps than room in "+N more heaps": the
 * pointer over either lists what it stands for (tests/render/more_marks.json
 * at 1024x768: 40 tcache bins of one chunk each at step 80, 10 arena heaps
 * at step 90). */
static void test_more_bins_and_heaps_on_pointer(void **state)
{
    (void)state;
    hs_view *v;
    hs_headless *hl;
    hs_ui ui;
    open_1024(HS_SOURCE_DIR "/tests/render/more_marks.json", &v, &hl, &ui);
    /* step 80: t0..t39 each alone in its tcache bin; the last bins drawn last */
    assert_int_equal(hs_view_goto(v, 80), 0);
    const hs_scene *sc = hs_headless_layout(hl, v, &ui);
    assert_true(has_text_part(sc, "more bins (tcache)"));
    assert_false(has_text_part(sc, "t39 656"));          /* the last bin's chunk: no row for it */
    uint32_t m = 0;
    while (m < sc->nbin_more && sc->bin_more[m].bin != UINT32_MAX) m++;
    assert_true(m < sc->nbin_more);
    sc = hover(hl, v, &ui, sc->bin_more[m].r);
    assert_true(has_text_part(sc, "tcache: "));
    assert_true(has_text_part(sc, "t39 656"));           /* the largest size's bin, [39] 656B */
    no_unmarked_cut(sc, "1024x768, the pointer over the mark");
    /* step 90: ten threads, ten arena heaps; the column draws a few */
    ui.mouse_in = false;
    assert_int_equal(hs_view_goto(v, 90), 0);
    sc = hs_headless_layout(hl, v, &ui);
    assert_true(sc->heaps_more.w > 0);
    assert_true(has_text_part(sc, "more"));
    assert_false(has_text_part(sc, "arena 1 heap 1 (T1)"));
    sc = hover(hl, v, &ui, sc->heaps_more);
    int listed = 0;
    for (int a = 1; a <= 10; a++) {
        char want[48];
        snprintf(want, sizeof want, "arena %d heap 1 (T%d)", a, a);
        listed += has_text_part(sc, want);
    }
    assert_int_equal(listed, (int)(v->nrsv - sc->heaps_shown));   /* every heap not drawn, listed */
    assert_true(listed > 0);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chunk_boxes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edata_arrow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_textbook_trims, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legible_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_step_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_animation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_overlay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_png_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_size, setup, teardown),
        cmocka_unit_test(test_small_chunks_visible),
        cmocka_unit_test_setup_teardown(test_plot_axes_hover, setup, teardown),
        cmocka_unit_test(test_follow_id),
        cmocka_unit_test_setup_teardown(test_map_row_labels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_presenter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lesson_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_banner_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_key_without_real, setup, teardown),
        cmocka_unit_test(test_present_why_room),
        cmocka_unit_test(test_real_diff_whole),
        cmocka_unit_test(test_bin_more_on_pointer),
        cmocka_unit_test(test_more_bins_and_heaps_on_pointer),
        cmocka_unit_test_setup_teardown(test_help_overlay, setup, teardown),
        cmocka_unit_test(test_long_title),
        cmocka_unit_test(test_arenas_not_hidden),
        cmocka_unit_test(test_arena_map),
        cmocka_unit_test(test_arena_tcache),
        cmocka_unit_test(test_column_runs),
        cmocka_unit_test(test_still_frame_replays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
