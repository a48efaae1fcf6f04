/* bench/gui/bench_view.c — the window's costs at the scale of recordings: jumping to a step, drawing one frame, stepping.
 * Owns: the rows "jump to any step" (< 50 ms, checkpoint memory reported), "one frame, 1920x1080" and "a step (->)" (< 16 ms) of issue 15. */
#define _GNU_SOURCE 1
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loader/trace.h"
#include "play/view.h"
#include "real/machine.h"
#include "render/render.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Loads path into a view at step 0; exits 2 with the loader's message. */
static hs_view *open_view(const char *path, double *load_ms, double *new_ms)
{
    hs_trace t;
    hs_trace_error err;
    double t0 = now_ms();
    if (hs_trace_load(path, &t, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    double t1 = now_ms();
    hs_machine_facts mf = hs_machine_read();
    hs_view *v = hs_view_new(&t, path, HS_PROFILE_GLIBC_2_36, &mf);
    if (v == NULL) {
        fprintf(stderr, "bench_view: out of memory\n");
        exit(2);
    }
    *load_ms = t1 - t0;
    *new_ms = now_ms() - t1;
    return v;
}

/* Row 1: JUMPS gotos to steps drawn by a fixed xorshift, each timed. */
static void jumps(const char *path, int n_jumps)
{
    double lm, nm;
    hs_view *v = open_view(path, &lm, &nm);
    size_t n = v->n;
    double *ms = calloc((size_t)n_jumps, sizeof *ms);
    if (ms == NULL || n == 0) {
        fprintf(stderr, "bench_view: %s\n", n == 0 ? "an empty trace" : "out of memory");
        exit(2);
    }
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < n_jumps; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        size_t to = (size_t)(x % (n + 1));
        double t0 = now_ms();
        if (hs_view_goto(v, to) != 0) {
            fprintf(stderr, "bench_view: goto %zu failed (out of memory)\n", to);
            exit(1);
        }
        ms[i] = now_ms() - t0;
    }
    qsort(ms, (size_t)n_jumps, sizeof *ms, cmp_d);
    double med = ms[n_jumps / 2], p99 = ms[(n_jumps * 99) / 100], mx = ms[n_jumps - 1];
    printf("jump_to_step_%zu_ops  %d jumps: median %.2f ms, p99 %.2f ms, max %.2f ms; "
           "max / 50 ms target = %.2fx\n", n, n_jumps, med, p99, mx, mx / 50.0);
    printf("  checkpoints: %.1f MB coarse (one every %zu ops: a jump replays at most that) + %.1f MB fine "
           "(estimated, as the window's help says); load %.0f ms, view %.0f ms\n",
           (double)v->cp_cost / 1e6, v->K, (double)v->fine_cost / 1e6, lm, nm);
    free(ms);
    hs_view_free(v);
}

/* The median of n_frames draws of v's current step; *mx the slowest.  With
 * fresh set, every draw is the first of its state: the view steps back and
 * forth between step `at` and the one before it (untimed), so the frame
 * rebuilds what a still frame of the same snapshot keeps (render/anim.c).
 * Exits 1 when a step cannot be reached (out of memory). */
static double median_frame(hs_headless *hl, hs_view *v, int n_frames, int fresh, double *mx)
{
    size_t at = v->step;
    hs_headless_draw(hl, v, NULL);   /* the first frame loads fonts and glyphs */
    double *ms = calloc((size_t)n_frames, sizeof *ms);
    if (ms == NULL)
        exit(2);
    for (int i = 0; i < n_frames; i++) {
        if (fresh && at > 0 && hs_view_goto(v, (i & 1) ? at : at - 1) != 0) {
            fprintf(stderr, "bench_view: goto failed (out of memory)\n");
            exit(1);
        }
        double t0 = now_ms();
        hs_headless_draw(hl, v, NULL);
        ms[i] = now_ms() - t0;
    }
    qsort(ms, (size_t)n_frames, sizeof *ms, cmp_d);
    double med = ms[n_frames / 2];
    *mx = ms[n_frames - 1];
    free(ms);
    return med;
}

/* Row 2: the last step of path drawn FRAMES times at 1920x1080, and step 0
 * of the same trace (no chunks, the same plots and timeline) in the same
 * run: what the chunks add to the rest of the frame. */
static void frames(const char *path, int n_frames)
{
    double lm, nm;
    hs_view *v = open_view(path, &lm, &nm);
    if (hs_view_goto(v, v->n) != 0) {
        fprintf(stderr, "bench_view: goto failed (out of memory)\n");
        exit(1);
    }
    char err[256];
    hs_headless *hl = hs_headless_new(1920, 1080, err, sizeof err);
    if (hl == NULL) {
        fprintf(stderr, "bench_view: %s\n", err);
        exit(2);
    }
    double mx, med = median_frame(hl, v, n_frames, 0, &mx);
    double mxf, medf = median_frame(hl, v, n_frames, 1, &mxf);
    if (hs_view_goto(v, 0) != 0) {
        fprintf(stderr, "bench_view: goto failed (out of memory)\n");
        exit(1);
    }
    double mx0, med0 = median_frame(hl, v, n_frames, 0, &mx0);
    printf("frame_1920x1080_step_%zu  %d frames: median %.2f ms, max %.2f ms; "
           "median / 16 ms target = %.2fx\n", v->n, n_frames, med, mx, med / 16.0);
    printf("  the first frame of each state (stepping between the last two steps): median %.2f ms, "
           "max %.2f ms; / 16 ms target = %.2fx\n", medf, mxf, medf / 16.0);
    printf("  same trace at step 0 (no chunks), same run: median %.2f ms, max %.2f ms; "
           "frame with / without the chunks = %.2fx\n", med0, mx0, med / med0);
    hs_headless_free(hl);
    hs_view_free(v);
}

/* ---- Row 3: a step (->) as the window makes it (render/sdl_window.c gui_set_step) ---- */

/* The glide's frames: ANIM_MS = 350 ms at 60 Hz. */
#define GLIDE_FRAMES 21

/* The key press: what gui_set_step does before the first frame (remember
 * the picture, move the view).  Not static, not inlined: callgrind's
 * --toggle-collect and callgrind_annotate find each phase by its name. */
__attribute__((noinline)) void step_press(hs_ui *ui, hs_view *v, size_t to)
{
    hs_ui_anim_from(ui, v);
    if (hs_view_goto(v, to) != 0) {
        fprintf(stderr, "bench_view: goto failed (out of memory)\n");
        exit(1);
    }
    ui->anim_t = 0;
}

__attribute__((noinline)) void step_first_frame(hs_headless *hl, const hs_view *v, const hs_ui *ui)
{
    hs_headless_draw(hl, v, ui);
}

__attribute__((noinline)) void step_anim_frame(hs_headless *hl, const hs_view *v, const hs_ui *ui)
{
    hs_headless_draw(hl, v, ui);
}

__attribute__((noinline)) void step_still_frame(hs_headless *hl, const hs_view *v, const hs_ui *ui)
{
    hs_headless_draw(hl, v, ui);
}

/* PRESSES times: from a still frame of the step before the last, -> to the
 * last step (press, the glide's GLIDE_FRAMES frames, the first still frame
 * after it), each phase timed; png: the frame at anim_t 0.5 of the first
 * press saved there.  The window before the press is set up untimed. */
static void steps(const char *path, int presses, const char *png)
{
    double lm, nm;
    hs_view *v = open_view(path, &lm, &nm);
    if (v->n < 1) {
        fprintf(stderr, "bench_view: an empty trace\n");
        exit(2);
    }
    char err[256];
    hs_headless *hl = hs_headless_new(1920, 1080, err, sizeof err);
    if (hl == NULL) {
        fprintf(stderr, "bench_view: %s\n", err);
        exit(2);
    }
    hs_ui ui;
    hs_ui_init(&ui);
    double *pm = calloc((size_t)presses, sizeof *pm), *fm = calloc((size_t)presses, sizeof *fm);
    double *sm = calloc((size_t)presses, sizeof *sm);
    double *am = calloc((size_t)presses * GLIDE_FRAMES, sizeof *am);
    if (!pm || !fm || !sm || !am) {
        fprintf(stderr, "bench_view: out of memory\n");
        exit(2);
    }
    size_t na = 0;
    for (int r = 0; r < presses; r++) {
        if (hs_view_goto(v, v->n - 1) != 0) {
            fprintf(stderr, "bench_view: goto failed (out of memory)\n");
            exit(1);
        }
        ui.anim_t = 1;
        ui.has_from = false;
        hs_headless_draw(hl, v, &ui);   /* the still frame on screen, twice: kept passes too */
        hs_headless_draw(hl, v, &ui);
        double t0 = now_ms();
        step_press(&ui, v, v->n);
        double t1 = now_ms();
        step_first_frame(hl, v, &ui);
        double t2 = now_ms();
        pm[r] = t1 - t0;
        fm[r] = t2 - t1;
        for (int k = 1; k < GLIDE_FRAMES; k++) {
            ui.anim_t = (float)k / GLIDE_FRAMES;
            double a0 = now_ms();
            step_anim_frame(hl, v, &ui);
            am[na++] = now_ms() - a0;
            if (r == 0 && png && k == GLIDE_FRAMES / 2) {
                if (hs_headless_save(hl, png, err, sizeof err) != 0) {
                    fprintf(stderr, "bench_view: %s\n", err);
                    exit(2);
                }
            }
        }
        ui.anim_t = 1;
        double s0 = now_ms();
        step_still_frame(hl, v, &ui);
        sm[r] = now_ms() - s0;
    }
    qsort(pm, (size_t)presses, sizeof *pm, cmp_d);
    qsort(fm, (size_t)presses, sizeof *fm, cmp_d);
    qsort(sm, (size_t)presses, sizeof *sm, cmp_d);
    qsort(am, na, sizeof *am, cmp_d);
    double p = pm[presses / 2], f = fm[presses / 2], s = sm[presses / 2], a = am[na / 2];
    printf("step_1920x1080_%zu_items  %d presses (->): key press %.2f ms + first frame %.2f ms = %.2f ms; "
           "/ 16 ms target = %.2fx\n", v->snap.nitems, presses, p, f, p + f, (p + f) / 16.0);
    printf("  the glide (%d frames a press): median %.2f ms, max %.2f ms; / 16 ms target = %.2fx\n",
           GLIDE_FRAMES - 1, a, am[na - 1], a / 16.0);
    printf("  the first still frame after it: median %.2f ms, max %.2f ms; / 16 ms target = %.2fx\n",
           s, sm[presses - 1], s / 16.0);
    free(pm);
    free(fm);
    free(sm);
    free(am);
    hs_ui_free(&ui);
    hs_headless_free(hl);
    hs_view_free(v);
}

int main(int argc, char **argv)
{
    bool step = argc >= 2 && !strcmp(argv[1], "step");
    if (!(argc == 4 || (step && argc == 5)) || (strcmp(argv[1], "jump") && strcmp(argv[1], "frame") && !step)) {
        fprintf(stderr, "usage: bench_view jump TRACE JUMPS | bench_view frame TRACE FRAMES | "
                        "bench_view step TRACE PRESSES [GLIDE.png]\n"
                        "  (bench/cli.sh makes the traces: 1M ops for jump, 100,000 live chunks for frame and step)\n");
        return 2;
    }
    int k = atoi(argv[3]);
    if (k < 1 || k > 100000) {
        fprintf(stderr, "bench_view: count must be 1..100000\n");
        return 2;
    }
    if (step)
        steps(argv[2], k, argc == 5 ? argv[4] : NULL);
    else if (!strcmp(argv[1], "jump"))
        jumps(argv[2], k);
    else
        frames(argv[2], k);
    return 0;
}
