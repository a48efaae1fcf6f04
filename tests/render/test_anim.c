/* tests/render/test_anim.c — the glide between two steps draws what the matching rules say, however it is found.
 * Owns: the reference matching (the rules as first written: sorted, searched per item per frame) and its comparison with render/anim.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/render.h"
#include "render/panels.h"
#include "view_open.h"

/* ---- the reference: render/anim.c's matching before session 9, per frame ---- */

static float ref_ease(float t) { return t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t); }

static const hs_item *ref_from;
static size_t ref_hits[3], ref_grown, ref_gone;   /* what the traces exercised: matches by rule, new, gone */

static int ref_key(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }

static int ref_cmp_id(const void *pa, const void *pb)
{
    size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
    const hs_item *a = &ref_from[x], *b = &ref_from[y];
    int c = ref_key(a->region, b->region);
    c = c ? c : ref_key(a->id, b->id);
    return c ? c : ref_key(x, y);
}

static int ref_cmp_addr(const void *pa, const void *pb)
{
    size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
    const hs_item *a = &ref_from[x], *b = &ref_from[y];
    int c = ref_key(a->region, b->region);
    c = c ? c : ref_key(a->state == HS_CH_TOP, b->state == HS_CH_TOP);
    c = c ? c : ref_key(a->addr, b->addr);
    return c ? c : ref_key(x, y);
}

/* Rule 0 the same (region, id), 1 the region's top (lowest address first),
 * 2 the same (region, address) and not the top: the first unused of idx's
 * order with c's key, found by binary search as first written. */
static const hs_item *ref_find(const hs_ui *ui, const size_t *idx, const hs_item *c, int rule,
                               const uint8_t *used, size_t *at)
{
    size_t lo = 0, hi = ui->nfrom;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const hs_item *f = &ui->from[idx[mid]];
        int k = ref_key(f->region, c->region);
        if (!k && rule == 0) k = ref_key(f->id, c->id);
        if (!k && rule > 0) k = ref_key(f->state == HS_CH_TOP, rule == 1);
        if (!k && rule == 2) k = ref_key(f->addr, c->addr);
        if (k < 0) lo = mid + 1;
        else hi = mid;
    }
    for (; lo < ui->nfrom; lo++) {
        const hs_item *f = &ui->from[idx[lo]];
        if (f->region != c->region) return NULL;
        if (rule == 0 && f->id != c->id) return NULL;
        if (rule == 1 && f->state != HS_CH_TOP) return NULL;
        if (rule == 2 && (f->state == HS_CH_TOP || f->addr != c->addr)) return NULL;
        if (!used[idx[lo]]) {
            *at = idx[lo];
            return &ui->from[idx[lo]];
        }
    }
    return NULL;
}

/* The items an animated frame draws: the unmatched of from fading, then the
 * snapshot's, each from its match (or growing).  Returns the count; *out malloc'd. */
static size_t ref_items(const hs_view *v, const hs_ui *ui, dritem **out)
{
    const hs_snap *s = &v->snap;
    float t = ref_ease(ui->anim_t);
    size_t m = ui->nfrom, n = 0;
    size_t *by_id = malloc((m + 1) * sizeof *by_id), *by_addr = malloc((m + 1) * sizeof *by_addr);
    uint8_t *used = calloc(m + 1, 1);
    dritem *cur = calloc(s->nitems + 1, sizeof *cur), *d = calloc(s->nitems + m + 1, sizeof *d);
    assert_true(by_id && by_addr && used && cur && d);
    for (size_t j = 0; j < m; j++) by_id[j] = by_addr[j] = j;
    ref_from = ui->from;
    qsort(by_id, m, sizeof *by_id, ref_cmp_id);
    qsort(by_addr, m, sizeof *by_addr, ref_cmp_addr);
    for (size_t i = 0; i < s->nitems; i++) {
        const hs_item *c = &s->items[i];
        dritem *o = &cur[i];
        *o = (dritem){.region = c->region, .s_from = c->state, .s_to = c->state, .current = true,
                      .lo = (double)c->lo, .hi = (double)c->hi, .t = 1, .alpha = 1, .id = c->id,
                      .info = c->info, .addr = c->addr};
        const hs_item *f = NULL;
        size_t at = 0;
        if (c->id != HS_NO_ID) f = ref_find(ui, by_id, c, 0, used, &at);
        if (!f && c->state == HS_CH_TOP) f = ref_find(ui, by_addr, c, 1, used, &at);
        if (!f) f = ref_find(ui, by_addr, c, 2, used, &at);
        if (f) {
            ref_hits[c->id != HS_NO_ID && f->id == c->id ? 0 : c->state == HS_CH_TOP && f->state == HS_CH_TOP ? 1 : 2]++;
            used[at] = 1;
            o->s_from = f->state;
            o->lo = f->lo + ((double)c->lo - (double)f->lo) * t;
            o->hi = f->hi + ((double)c->hi - (double)f->hi) * t;
            o->t = t;
        } else {
            ref_grown++;
            o->hi = o->lo + ((double)c->hi - (double)c->lo) * t;
        }
    }
    for (size_t j = 0; j < m; j++) {
        if (used[j]) continue;
        ref_gone++;
        const hs_item *f = &ui->from[j];
        d[n++] = (dritem){.region = f->region, .s_from = f->state, .s_to = f->state, .lo = (double)f->lo,
                          .hi = (double)f->hi, .t = 1, .alpha = 1 - t, .id = f->id, .addr = f->addr};
    }
    memcpy(d + n, cur, s->nitems * sizeof *cur);
    n += s->nitems;
    free(by_id);
    free(by_addr);
    free(used);
    free(cur);
    *out = d;
    return n;
}

/* ---- the comparison ---- */

/* Field by field (dritem has padding): the frame's items equal the reference's. */
static void assert_same_items(const hs_scene *sc, const dritem *want, size_t n, const char *what)
{
    if (sc->ndr != n) fail_msg("%s: %zu items drawn, the reference %zu", what, sc->ndr, n);
    for (size_t i = 0; i < n; i++) {
        const dritem *a = &sc->dr[i], *b = &want[i];
        if (a->region != b->region || a->s_from != b->s_from || a->s_to != b->s_to || a->current != b->current ||
            a->lo != b->lo || a->hi != b->hi || a->t != b->t || a->alpha != b->alpha || a->id != b->id ||
            a->info != b->info || a->addr != b->addr)
            fail_msg("%s: item %zu of %zu: region %u/%u state %u>%u / %u>%u lo %.3f/%.3f hi %.3f/%.3f "
                     "t %g/%g alpha %g/%g id %u/%u", what, i, n, a->region, b->region, a->s_from, a->s_to,
                     b->s_from, b->s_to, a->lo, b->lo, a->hi, b->hi, a->t, b->t, a->alpha, b->alpha, a->id, b->id);
    }
}

/* What the pointer at (x, y) finds in a and in b is the same. */
static void same_hit(const hs_scene *a, const hs_scene *b, float x, float y, const char *what)
{
    hs_hit ha, hb;
    bool fa = hs_scene_hit(a, x, y, &ha), fb = hs_scene_hit(b, x, y, &hb);
    if (fa != fb || (fa && (ha.kind != hb.kind || ha.region != hb.region || ha.info != hb.info ||
                            ha.addr != hb.addr || memcmp(&ha.r, &hb.r, sizeof ha.r))))
        fail_msg("%s: at (%.1f, %.1f) the pointer finds %d %" PRIu64 " / %d %" PRIu64, what, x, y, fa,
                 fa ? ha.addr : 0, fb, fb ? hb.addr : 0);
}

/* a, drawn with plain runs, and b, every chunk on its own: the same commands and text,
 * and the same answers where the pointer is and for where a chunk's box is. */
static void assert_same_picture(const hs_scene *a, const hs_scene *b, const hs_view *v, const char *what)
{
    if (a->dl.n != b->dl.n || a->dl.tlen != b->dl.tlen || memcmp(a->dl.cmds, b->dl.cmds, a->dl.n * sizeof *a->dl.cmds) ||
        memcmp(a->dl.text, b->dl.text, a->dl.tlen))
        fail_msg("%s: the draw lists differ (%zu / %zu commands)", what, a->dl.n, b->dl.n);
    /* a 24 x 24 grid over the heap map's rows and the column, and the middle of
     * 60 chunks' boxes in each (the hit boxes are searched one by one) */
    hs_rect rs[2] = {a->map_rows, a->space};
    for (int k = 0; k < 2; k++)
        for (int gy = 0; gy < 24; gy++)
            for (int gx = 0; gx < 24; gx++)
                same_hit(a, b, rs[k].x + rs[k].w * (gx + 0.37f) / 24, rs[k].y + rs[k].h * (gy + 0.61f) / 24, what);
    size_t step = v->snap.nitems / 60 + 1;
    for (size_t i = 0; i < v->snap.nitems; i += step)
        for (int kind = HS_HIT_SPACE; kind <= HS_HIT_MAP; kind += HS_HIT_MAP - HS_HIT_SPACE) {
            const hs_item *it = &v->snap.items[i];
            hs_rect ra, rb;
            bool fa = hs_scene_item_box(a, kind, it->region, it->addr, &ra);
            bool fb = hs_scene_item_box(b, kind, it->region, it->addr, &rb);
            if (fa != fb || (fa && memcmp(&ra, &rb, sizeof ra)))
                fail_msg("%s: chunk %" PRIu64 "'s box differs (%d / %d)", what, it->addr, fa, fb);
            if (fb) same_hit(a, b, rb.x + rb.w / 2, rb.y + rb.h / 2, what);
        }
}

static const float anim_ts[] = {0, 0.2f, 0.5f, 0.85f};

/* From v's step `from` to `to` as the window glides (hs_ui_anim_from, then
 * the move): every frame's items equal the reference's, on hl (kept from
 * frame to frame) and, with from_gen cleared (matched each frame), on a
 * second scene; hl's picture is off's (hl's size, no plain runs). */
static void check_glide(hs_headless *hl, hs_headless *hl2, hs_headless *off, hs_view *v, size_t from,
                        size_t to, const char *name)
{
    char what[512];
    hs_ui ui;
    hs_ui_init(&ui);
    assert_int_equal(hs_view_goto(v, from), 0);
    hs_headless_layout(hl, v, &ui);   /* the still frame before the press */
    hs_ui_anim_from(&ui, v);
    assert_true(ui.has_from);
    assert_int_equal(hs_view_goto(v, to), 0);
    for (size_t k = 0; k < sizeof anim_ts / sizeof *anim_ts; k++) {
        ui.anim_t = anim_ts[k];
        dritem *want;
        size_t n = ref_items(v, &ui, &want);
        snprintf(what, sizeof what, "%s step %zu -> %zu at t %.2f", name, from, to, anim_ts[k]);
        const hs_scene *sc = hs_headless_layout(hl, v, &ui);
        assert_same_items(sc, want, n, what);
        if (k % 2 == 1) assert_same_picture(sc, hs_headless_layout(off, v, &ui), v, what);
        hs_ui u2 = ui;
        u2.from_gen = 0;
        assert_same_items(hs_headless_layout(hl2, v, &u2), want, n, what);
        free(want);
    }
    ui.anim_t = 1;   /* the still frame after it: the same picture too */
    snprintf(what, sizeof what, "%s step %zu, still", name, to);
    assert_same_picture(hs_headless_layout(hl, v, &ui), hs_headless_layout(off, v, &ui), v, what);
    hs_ui_free(&ui);
}

/* Steps through trace path forward (each step, at most ~150 of them),
 * back, and by jumps of 7, each glide checked. */
static void check_trace(hs_headless *hl, hs_headless *hl2, hs_headless *off, const char *path,
                        const char *name, size_t every)
{
    char err[1024];
    hs_view *v = test_view_open(path, HS_PROFILE_GLIBC_2_36, err, sizeof err);
    if (!v) fail_msg("%s", err);
    size_t stride = every ? every : v->n / 150 + 1;
    for (size_t s = v->n % stride ? v->n % stride : stride; s <= v->n; s += stride) {
        check_glide(hl, hl2, off, v, s - 1, s, name);
        check_glide(hl, hl2, off, v, s, s - 1, name);
        if (s + 7 <= v->n) check_glide(hl, hl2, off, v, s, s + 7, name);
    }
    hs_view_free(v);
}

/* Every lesson: frees, mallocs, top growth and trims, mmaps, arenas, threads, reallocs. */
static void test_glide_lessons(void **state)
{
    (void)state;
    char err[1024], line[512], path[1024];
    hs_headless *hl = hs_headless_new(1280, 720, err, sizeof err), *hl2 = hs_headless_new(1024, 768, err, sizeof err);
    hs_headless *off = hs_headless_new(1280, 720, err, sizeof err);
    assert_true(hl && hl2 && off);
    hs_headless_plain_runs(off, false);
    FILE *f = fopen(HS_SOURCE_DIR "/traces/lessons.txt", "r");
    assert_non_null(f);
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#') continue;
        snprintf(path, sizeof path, "%s/traces/%s", HS_SOURCE_DIR, line);
        check_trace(hl, hl2, off, path, line, 0);
        n++;
    }
    fclose(f);
    assert_true(n >= 20);
    /* each rule decided some match, chunks came and went */
    for (int r = 0; r < 3; r++) assert_true(ref_hits[r] > 0);
    assert_true(ref_grown > 0 && ref_gone > 0);
    hs_headless_free(hl);
    hs_headless_free(hl2);
    hs_headless_free(off);
}

/* A random trace of mallocs, frees, reallocs and callocs (some over the
 * mmap threshold, some freed in runs that coalesce and trim): the glide
 * over each of its steps and jumps, on a trace longer than a lesson. */
static void test_glide_random(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs-anim-test-XXXXXX", path[256], err[1024];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/random.jsonl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"format\": \"heapsim-trace/1\", \"title\": \"random glide\"}\n");
    enum { SLOTS = 64 };
    bool live[SLOTS] = {false};
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int op = 0; op < 900; op++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        int sl = (int)(x % SLOTS);
        unsigned sz = (x >> 20) % 8 == 0 ? 150000 + (unsigned)((x >> 30) % 90000) : 8 + (unsigned)((x >> 24) % 1500);
        if (!live[sl] && (x >> 40) % 5 == 0)
            fprintf(f, "{\"op\": \"calloc\", \"id\": \"p%d\", \"nmemb\": 1, \"size\": %u}\n", sl, sz);
        else if (!live[sl])
            fprintf(f, "{\"op\": \"malloc\", \"id\": \"p%d\", \"size\": %u}\n", sl, sz);
        else if ((x >> 40) % 3 == 0)
            fprintf(f, "{\"op\": \"realloc\", \"id\": \"p%d\", \"size\": %u}\n", sl, sz);
        else
            fprintf(f, "{\"op\": \"free\", \"id\": \"p%d\"}\n", sl);
        live[sl] = !live[sl] || (x >> 40) % 3 == 0;
    }
    fclose(f);
    hs_headless *hl = hs_headless_new(1920, 1080, err, sizeof err), *hl2 = hs_headless_new(1280, 720, err, sizeof err);
    hs_headless *off = hs_headless_new(1920, 1080, err, sizeof err);
    assert_true(hl && hl2 && off);
    hs_headless_plain_runs(off, false);
    check_trace(hl, hl2, off, path, "random.jsonl", 0);
    hs_headless_free(hl);
    hs_headless_free(hl2);
    hs_headless_free(off);
    remove(path);
    rmdir(dir);
}

/* Sixteen thousand chunks under a pixel each (the heap map's columns and the
 * column's pixel rows hold many: plain runs drawn at once): mallocs, then
 * frees of every fifth and sixth, mallocs that reuse them, a big one (mmap)
 * and its free; glides over steps of each kind, at the two sizes. */
static void test_glide_many(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs-anim-test-XXXXXX", path[256], err[1024];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/many.jsonl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"format\": \"heapsim-trace/1\", \"title\": \"many\"}\n");
    for (int i = 0; i < 16000; i++)   /* 16 to 300 bytes: under a quarter pixel each in the column */
        fprintf(f, "{\"op\": \"malloc\", \"id\": \"c%d\", \"size\": %d}\n", i, 16 + (i * 37) % 285);
    for (int i = 0; i < 6000; i++)
        if (i % 5 == 0 || i % 6 == 0) fprintf(f, "{\"op\": \"free\", \"id\": \"c%d\"}\n", i);
    for (int i = 0; i < 300; i++)
        fprintf(f, "{\"op\": \"malloc\", \"id\": \"d%d\", \"size\": %d}\n", i, 24 + (i * 53) % 900);
    fprintf(f, "{\"op\": \"malloc\", \"id\": \"big\", \"size\": 300000}\n");
    fprintf(f, "{\"op\": \"free\", \"id\": \"big\"}\n");
    for (int i = 15999; i > 15900; i--) fprintf(f, "{\"op\": \"free\", \"id\": \"c%d\"}\n", i);   /* trims */
    fclose(f);
    int sizes[2][2] = {{1920, 1080}, {1024, 768}};
    for (int k = 0; k < 2; k++) {
        hs_headless *hl = hs_headless_new(sizes[k][0], sizes[k][1], err, sizeof err);
        hs_headless *hl2 = hs_headless_new(1280, 720, err, sizeof err);
        hs_headless *off = hs_headless_new(sizes[k][0], sizes[k][1], err, sizeof err);
        assert_true(hl && hl2 && off);
        hs_headless_plain_runs(off, false);
        check_trace(hl, hl2, off, path, "many.jsonl", 3203);
        hs_headless_free(hl);
        hs_headless_free(hl2);
        hs_headless_free(off);
    }
    remove(path);
    rmdir(dir);
}

/* A from no snapshot makes (an id twice, items out of address order, five
 * tops): the general way, still the reference's answers. */
static void test_glide_odd_from(void **state)
{
    (void)state;
    char err[1024];
    hs_view *v = test_view_open(HS_SOURCE_DIR "/traces/fragmentation-trim.json", HS_PROFILE_GLIBC_2_36, err,
                                sizeof err);
    if (!v) fail_msg("%s", err);
    hs_headless *hl = hs_headless_new(1280, 720, err, sizeof err);
    assert_non_null(hl);
    assert_int_equal(hs_view_goto(v, v->n / 2), 0);
    hs_ui ui;
    hs_ui_init(&ui);
    hs_ui_anim_from(&ui, v);
    assert_int_equal(hs_view_goto(v, v->n / 2 + 3), 0);
    size_t m = ui.nfrom;
    assert_true(m >= 3);
    hs_item *odd = malloc((m + 8) * sizeof *odd);
    assert_non_null(odd);
    for (int k = 0; k < 4; k++) {
        memcpy(odd, ui.from, m * sizeof *odd);
        size_t n = m;
        if (k == 0) odd[n++] = odd[0];                       /* an id twice */
        if (k == 1) { hs_item tmp = odd[0]; odd[0] = odd[1]; odd[1] = tmp; }   /* out of order */
        if (k == 2)
            for (int j = 0; j < 5; j++) { odd[n] = odd[m - 1]; odd[n].state = HS_CH_TOP; odd[n++].addr += 16 * (uint64_t)j; }
        if (k == 3) odd[n++] = (hs_item){.region = 2, .state = HS_CH_INUSE, .id = HS_NO_ID, .lo = 0, .hi = 64};
        hs_ui u = ui;
        u.from = odd;
        u.nfrom = n;
        u.from_gen = 1000000 + (uint64_t)k;   /* a from the scene has not matched */
        for (size_t j = 0; j < sizeof anim_ts / sizeof *anim_ts; j++) {
            u.anim_t = anim_ts[j];
            dritem *want;
            size_t nw = ref_items(v, &u, &want);
            assert_same_items(hs_headless_layout(hl, v, &u), want, nw, "an odd from");
            free(want);
        }
    }
    free(odd);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glide_lessons),
        cmocka_unit_test(test_glide_random),
        cmocka_unit_test(test_glide_many),
        cmocka_unit_test(test_glide_odd_from),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
