/* tests/real/test_replay.c — hs_real_run against this machine's glibc 2.36: what the allocator really does.
 * Owns: the glibc-fact tests of the replayer (first chunk, figures 1-9, misuse, rss and faults, realloc, determinism). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "tests/real/util.h"

#define PAGE 4096u
#define ALIGN_UP(x, a) (((x) + (a) - 1) / (a) * (a))
/* glibc's request2size on x86_64 (SIZE_SZ 8, MALLOC_ALIGNMENT 16, MINSIZE 32). */
#define REQ2SIZE(n) ((n) + 23 < 32 ? 32 : ((n) + 23) & ~(uint64_t)15)
/* sysmalloc's mmapped chunk for a request: the mapping, header included. */
#define MMAP_CHUNK(n) ALIGN_UP(REQ2SIZE(n) + 8, PAGE)
#define TOP_PAD 131072u   /* DEFAULT_TOP_PAD on Linux (malloc-machine.h), not malloc.c's 0 */

/* Every replay of a complete trace: rc 0, no message, one step per op, numbered. */
static void assert_complete(const rec *r, const tb *b)
{
    if (r->rc != 0)
        print_error("hs_real_run: %s\n", r->msg);
    assert_int_equal(r->rc, 0);
    assert_string_equal(r->msg, "");
    assert_int_equal(r->n, b->t.n_ops);
    for (size_t i = 0; i < r->n; i++) {
        assert_int_equal(r->st[i].step, i + 1);
        assert_true(r->st[i].has & HS_HAS_MEASURES);
        assert_true(r->st[i].has & HS_HAS_MALLINFO);
        assert_false(r->st[i].has & (HS_HAS_ERROR | HS_HAS_THRESH));
    }
}

/* The last step is glibc's abort (or a crash) at op `step`, with nothing but the error. */
static void assert_error_at(const rec *r, uint32_t step, const char *error)
{
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, step);
    const hs_step *s = &r->st[r->n - 1];
    assert_int_equal(s->step, step);
    assert_int_equal(s->has, HS_HAS_ERROR);
    assert_string_equal(s->error, error);
}

static int has_result(const hs_step *s)
{
    return (s->has & HS_HAS_MMAPPED) && (s->has & HS_HAS_CHUNK);
}

/* The first allocation sets up tcache: a 0x290 chunk at the start of the
 * heap, so the first user pointer is brk0 + 0x2a0, and the break grows by
 * ALIGN_UP(656 + top_pad + MINSIZE, 4096) = 0x21000. */
static void first_malloc(void **state)
{
    tb b;
    tb_init(&b, 1);
    tb_malloc(&b, 0, 24, ALL);
    rec *r = run_real(&b);
    assert_complete(r, &b);
    const hs_step *s = &r->st[0];
    assert_true(s->has & HS_HAS_PTR);
    assert_true(has_result(s));
    assert_int_equal(s->ptr, 0x2a0);
    assert_false(s->mmapped);
    assert_int_equal(s->chunk, REQ2SIZE(24));
    assert_int_equal(s->brk, ALIGN_UP(0x290 + 2 * 8 + TOP_PAD + 32, PAGE));
    assert_int_equal(s->brk, 0x21000);
    assert_int_equal(s->mi.arena, 0x21000);
    /* In use: the tcache chunk and ours, nothing of the replayer's own. */
    assert_int_equal(s->mi.uordblks, 0x290 + REQ2SIZE(24));
    assert_int_equal(s->mi.fordblks, s->mi.arena - s->mi.uordblks);
    assert_int_equal(s->mmaps, 0);
    assert_int_equal(s->mi.hblks, 0);
    /* One page written: the tcache struct, the chunk, the new top's header. */
    assert_int_equal(s->rss, PAGE);
    assert_int_equal(s->minflt, 1);
    free(r);
}

/* Figures 1-9 of the seed articles: A=30K, B=40K, C=200K, D=100K, free C, B, D. */
static void build_figures(tb *b, int pin_threshold)
{
    tb_init(b, 4);
    if (pin_threshold)
        tb_mallopt(b, HS_M_MMAP_THRESHOLD, 131072);
    tb_malloc(b, 0, KiB(30), ALL);
    tb_malloc(b, 1, KiB(40), ALL);
    tb_malloc(b, 2, KiB(200), ALL);
    tb_malloc(b, 3, KiB(100), ALL);
    tb_free(b, 2);
    tb_free(b, 1);
    tb_free(b, 3);
}

static void figures_1_9(void **state)
{
    tb b;
    build_figures(&b, 0);
    rec *r = run_real(&b);
    assert_complete(r, &b);
    const hs_step *A = &r->st[0], *B = &r->st[1], *C = &r->st[2], *D = &r->st[3];

    assert_int_equal(A->ptr, 0x2a0);
    assert_int_equal(A->chunk, REQ2SIZE(KiB(30)));
    /* B is carved from top right after A; the break does not move. */
    assert_true(B->has & HS_HAS_PTR);
    assert_int_equal(B->ptr, A->ptr + A->chunk);
    assert_int_equal(B->brk, A->brk);
    /* C is above the mmap threshold: its own mapping, no heap pointer. */
    assert_true(has_result(C));
    assert_true(C->mmapped);
    assert_false(C->has & HS_HAS_PTR);
    assert_int_equal(C->chunk, MMAP_CHUNK(KiB(200)));
    assert_int_equal(C->mmaps, 1);
    assert_int_equal(C->mmapped_bytes, C->chunk);
    assert_int_equal(C->mi.hblks, 1);
    assert_int_equal(C->mi.hblkhd, C->chunk);
    assert_int_equal(C->brk, A->brk);
    /* D comes from the heap again; top was too small, so the break grows by
     * nb + top_pad + MINSIZE - top_size, page-rounded. */
    assert_false(D->mmapped);
    assert_int_equal(D->ptr, B->ptr + B->chunk);
    assert_int_equal(D->brk, ALIGN_UP(D->ptr - 16 + D->chunk + TOP_PAD + 32, PAGE));
    assert_true(D->brk > C->brk);
    assert_int_equal(D->mi.arena, D->brk);

    /* free(C): the mapping and all its (touched) pages go back at once. */
    const hs_step *fC = &r->st[4], *fB = &r->st[5], *fD = &r->st[6];
    assert_false(fC->has & (HS_HAS_PTR | HS_HAS_MMAPPED | HS_HAS_CHUNK));
    assert_int_equal(fC->mmaps, 0);
    assert_int_equal(fC->mmapped_bytes, 0);
    assert_int_equal(fC->mi.hblkhd, 0);
    assert_int_equal(D->rss - fC->rss, C->chunk);
    /* free(B): nothing goes back.  free(D): B, D and top merge, but freeing C
     * raised the trim threshold to 2 * 208896, so no trim on 2.36. */
    assert_int_equal(fB->brk, D->brk);
    assert_int_equal(fD->brk, D->brk);
    assert_int_equal(fD->rss, fC->rss);
    assert_int_equal(fD->mi.uordblks, A->mi.uordblks);
    free(r);
}

/* With the threshold pinned first, free(D) trims: the break moves down to
 * ALIGN_UP(top_start + MINSIZE + 1 + top_pad, 4096), top starting at B. */
static void figures_1_9_pinned_threshold_trims(void **state)
{
    tb b;
    build_figures(&b, 1);
    rec *r = run_real(&b);
    assert_complete(r, &b);
    const hs_step *B = &r->st[2], *D = &r->st[4], *fD = &r->st[7];
    assert_true(r->st[3].mmapped);
    assert_true(fD->brk < D->brk);
    assert_int_equal(fD->brk, ALIGN_UP(B->ptr - 16 + 32 + 1 + TOP_PAD, PAGE));
    assert_int_equal(fD->mi.arena, fD->brk);
    assert_true(fD->rss <= fD->brk);
    assert_true(fD->rss < r->st[6].rss);
    free(r);
}

/* Every fault during the replay is a page of the allocator's memory coming
 * in: while nothing is freed, minflt pages == rss; frees fault nothing here. */
static void minflt_is_the_allocators(void **state)
{
    tb b;
    build_figures(&b, 0);
    rec *r = run_real(&b);
    assert_complete(r, &b);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(r->st[i].minflt * PAGE, r->st[i].rss);
    for (size_t i = 4; i < 7; i++)
        assert_int_equal(r->st[i].minflt, r->st[3].minflt);
    free(r);

    /* mallopt writes glibc's own parameters (libc's .data), not heap pages:
     * no fault may be counted for it. */
    build_figures(&b, 1);
    r = run_real(&b);
    assert_complete(r, &b);
    assert_int_equal(r->st[0].minflt, 0);
    assert_int_equal(r->st[0].rss, 0);
    for (size_t i = 1; i < 5; i++)
        assert_int_equal(r->st[i].minflt * PAGE, r->st[i].rss);
    free(r);
}

static void double_free_tcache(void **state)
{
    tb b;
    tb_init(&b, 2);
    tb_malloc(&b, 0, 24, ALL);
    tb_free(&b, 0);
    tb_free(&b, 0);
    tb_malloc(&b, 1, 24, ALL);   /* never reached */
    rec *r = run_real(&b);
    assert_error_at(r, 3, "free(): double free detected in tcache 2");
    assert_true(r->st[1].has & HS_HAS_MEASURES);
    free(r);
}

/* Seven frees fill the tcache bin; the eighth chunk goes to the fastbin,
 * and freeing it again hits the fastbin's top check. */
static void double_free_fasttop(void **state)
{
    tb b;
    tb_init(&b, 8);
    for (uint32_t i = 0; i < 8; i++)
        tb_malloc(&b, i, 24, ALL);
    for (uint32_t i = 0; i < 8; i++)
        tb_free(&b, i);
    tb_free(&b, 7);
    rec *r = run_real(&b);
    assert_error_at(r, 17, "double free or corruption (fasttop)");
    free(r);
}

/* An mmapped chunk freed twice: the second free reads an unmapped header. */
static void double_free_mmapped_segfaults(void **state)
{
    tb b;
    tb_init(&b, 1);
    tb_malloc(&b, 0, KiB(200), 0);
    tb_free(&b, 0);
    tb_free(&b, 0);
    rec *r = run_real(&b);
    assert_error_at(r, 3, "Segmentation fault");
    assert_int_equal(r->st[1].mmaps, 0);
    free(r);
}

/* ---- Heaps corrupted without glibc noticing ----
 * The program goes on; the replayer's own mallinfo2 would loop or crash on
 * them.  The measurement is contained: the step is reported with brk, rss
 * and minflt, mallinfo is null from then on, and only the program's own
 * calls may end the replay. */

/* A step measured in full but for mallinfo, which is null; the break, the
 * mappings, rss and minflt equal those of `same` (no page moved). */
static void assert_no_mallinfo(const hs_step *s, const hs_step *same)
{
    assert_int_equal(s->has & (HS_HAS_MEASURES | HS_HAS_MALLINFO | HS_HAS_ERROR), HS_HAS_MEASURES);
    assert_true(s->has & HS_HAS_RSS_ANON);
    const hs_mallinfo zero = { 0 };
    assert_memory_equal(&s->mi, &zero, sizeof zero);
    assert_int_equal(s->brk, same->brk);
    assert_int_equal(s->mmaps, same->mmaps);
    assert_int_equal(s->mmapped_bytes, same->mmapped_bytes);
    assert_int_equal(s->rss, same->rss);
    assert_int_equal(s->minflt, same->minflt);
}

static void fastbin_dup_cycle_is_contained(void **state)
{
    tb b;
    build_fastbin_dup(&b, 11);
    tb_malloc(&b, 10, 100, ALL);   /* from top: the cycle is not touched */
    rec *r = run_with(&b, NULL, 30, 0);
    if (r->rc != 0)
        print_error("hs_real_run: %s\n", r->msg);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 21);
    for (size_t i = 0; i < 19; i++)
        assert_true(r->st[i].has & HS_HAS_MALLINFO);
    assert_int_equal(r->st[18].mi.smblks, 2);       /* a and b in the fastbin */
    assert_no_mallinfo(&r->st[19], &r->st[18]);
    const hs_step *m = &r->st[20];
    assert_true(m->has & HS_HAS_PTR);
    assert_false(m->has & (HS_HAS_MALLINFO | HS_HAS_ERROR));
    assert_int_equal(m->brk, r->st[18].brk);
    assert_int_equal(m->minflt, r->st[18].minflt);
    free(r);
}

/* The unsorted-bk trace (util.h) and a malloc that follows the bad bk. */
static void unsorted_bk_is_contained(void **state)
{
    tb b;
    build_unsorted_bk(&b);
    tb_malloc(&b, 0, 2000, ALL);
    rec *r = run_with(&b, NULL, 30, 0);
    assert_int_equal(r->st[4].ptr, r->st[1].ptr);
    assert_true(r->st[5].has & HS_HAS_MALLINFO);
    assert_no_mallinfo(&r->st[6], &r->st[5]);
    assert_error_at(r, 8, "Segmentation fault");
    free(r);
}

/* An abort inside the measurement is no abort of the program: the replay
 * goes on, and a later abort of the program's own reports its own message. */
static void contained_abort_keeps_programs_message(void **state)
{
    tb b;
    build_fastbin_poison(&b);
    rec *r = run_with(&b, NULL, 30, 0);
    if (r->rc != 0)
        print_error("hs_real_run: %s\n", r->msg);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 37);
    assert_int_equal(r->st[33].mi.smblks, 1);
    assert_no_mallinfo(&r->st[34], &r->st[33]);
    assert_no_mallinfo(&r->st[35], &r->st[33]);
    assert_no_mallinfo(&r->st[36], &r->st[33]);
    assert_true(r->st[36].has & HS_HAS_PTR);
    free(r);

    build_fastbin_poison(&b);
    tb_free(&b, 0);
    tb_free(&b, 0);
    r = run_with(&b, NULL, 30, 0);
    assert_error_at(r, 39, "free(): double free detected in tcache 2");
    assert_false(r->st[37].has & HS_HAS_MALLINFO);
    free(r);
}

/* The interrupted mallinfo2 held main_arena's mutex; the replayer releases
 * it, so the program's mallopt runs (it takes the lock even single-
 * threaded), and its malloc_trim walks the unsorted bin into the bad bk:
 * the program's own crash. */
static void arena_lock_is_released(void **state)
{
    tb b;
    build_unsorted_bk(&b);
    tb_mallopt(&b, HS_M_MMAP_THRESHOLD, 131072);
    tb_mallopt(&b, HS_M_TRIM_THRESHOLD, -1);
    tb_trim(&b, 0);
    rec *r = run_with(&b, NULL, 30, 0);
    if (r->n < 9)
        print_error("hs_real_run: rc %d, %zu steps: %s\n", r->rc, r->n, r->msg);
    assert_no_mallinfo(&r->st[7], &r->st[5]);
    assert_no_mallinfo(&r->st[8], &r->st[5]);
    assert_error_at(r, 10, "Segmentation fault");
    free(r);
}

/* free() takes the arena lock even single-threaded when a fast chunk's
 * next size looks wrong.  After the fastbin cycle (the measurement holding
 * the lock was interrupted), that free must still report glibc's message,
 * not hang. */
static void fast_free_after_containment(void **state)
{
    tb b;
    /* ids 10..16: u0..u6 fill tcache bin 0x30; 17 p and 18 q are neighbours. */
    build_fastbin_dup(&b, 19);
    for (uint32_t i = 10; i <= 18; i++)
        tb_malloc(&b, i, 40, ALL);
    for (uint32_t i = 10; i <= 16; i++)
        tb_free(&b, i);
    tb_touch(&b, 17, 40, 8);   /* q's size field: 0x0101010101010101 */
    tb_free(&b, 17);
    rec *r = run_with(&b, NULL, 30, 0);
    if (r->rc != 0)
        print_error("hs_real_run: %s\n", r->msg);
    assert_int_equal(r->st[18].mi.smblks, 2);
    assert_no_mallinfo(&r->st[19], &r->st[18]);
    assert_int_equal(r->st[27].ptr, r->st[26].ptr + 48);
    assert_error_at(r, 38, "free(): invalid next size (fast)");
    free(r);
}

/* A block that is never written costs address space, not RSS. */
static void rss_follows_touch(void **state)
{
    tb b;
    hs_step untouched, touched, part;

    tb_init(&b, 2);
    tb_malloc(&b, 0, 24, ALL);
    tb_malloc(&b, 1, KiB(1024), 0);
    rec *r = run_real(&b);
    assert_complete(r, &b);
    untouched = r->st[1];
    assert_true(untouched.mmapped);
    assert_int_equal(untouched.chunk, MMAP_CHUNK(KiB(1024)));
    /* Only the page with glibc's chunk header is resident. */
    assert_int_equal(untouched.rss - r->st[0].rss, PAGE);
    assert_int_equal(untouched.minflt - r->st[0].minflt, 1);
    free(r);

    tb_init(&b, 2);
    tb_malloc(&b, 0, 24, ALL);
    tb_malloc(&b, 1, KiB(1024), ALL);
    r = run_real(&b);
    assert_complete(r, &b);
    touched = r->st[1];
    assert_int_equal(touched.rss - r->st[0].rss, touched.chunk);
    assert_int_equal(touched.minflt - r->st[0].minflt, touched.chunk / PAGE);
    free(r);

    /* A touch op writes [p + offset, p + offset + len): user data starts 16
     * bytes into the mapping, so offset 4080 is the start of page 1. */
    tb_init(&b, 2);
    tb_malloc(&b, 0, 24, ALL);
    tb_malloc(&b, 1, KiB(1024), 0);
    tb_touch(&b, 1, PAGE - 16, 5 * PAGE);
    r = run_real(&b);
    assert_complete(r, &b);
    part = r->st[2];
    assert_false(part.has & (HS_HAS_PTR | HS_HAS_MMAPPED | HS_HAS_CHUNK));
    assert_int_equal(part.rss - r->st[1].rss, 5 * PAGE);
    assert_int_equal(part.mmaps, 1);
    free(r);
}

/* calloc writes neither a fresh mapping nor fresh sbrk memory. */
static void calloc_does_not_write_fresh_memory(void **state)
{
    tb b;
    tb_init(&b, 2);
    tb_malloc(&b, 0, 24, ALL);
    tb_calloc(&b, 1, 1, KiB(1024));
    rec *r = run_real(&b);
    assert_complete(r, &b);
    assert_true(r->st[1].mmapped);
    assert_int_equal(r->st[1].rss - r->st[0].rss, PAGE);
    free(r);

    tb_init(&b, 2);
    tb_mallopt(&b, HS_M_MMAP_MAX, 0);
    tb_malloc(&b, 0, 24, ALL);
    tb_calloc(&b, 1, 1, KiB(1024));
    r = run_real(&b);
    assert_complete(r, &b);
    const hs_step *c = &r->st[2];
    assert_false(c->mmapped);
    assert_true(c->brk > c->chunk);
    /* Only the old top (about 132K) is cleared, not the 1 MiB. */
    assert_true(c->rss < c->chunk / 4);
    assert_true(c->rss > KiB(100));
    free(r);
}

/* Overflowing and impossible requests return NULL: no pointer, no chunk. */
static void null_results(void **state)
{
    tb b;
    tb_init(&b, 3);
    tb_malloc(&b, 0, (uint64_t)1 << 62, 0);
    tb_calloc(&b, 1, (uint64_t)1 << 40, (uint64_t)1 << 40);
    tb_free(&b, 0);   /* free(NULL) */
    tb_malloc(&b, 2, 0, 0);
    rec *r = run_real(&b);
    assert_complete(r, &b);
    for (int i = 0; i < 3; i++)
        assert_false(r->st[i].has & (HS_HAS_PTR | HS_HAS_MMAPPED | HS_HAS_CHUNK));
    /* malloc(0) is a minimum chunk. */
    assert_true(has_result(&r->st[3]));
    assert_int_equal(r->st[3].chunk, 32);
    free(r);
}

/* realloc of an mmapped chunk: mremap keeps it mmapped even when shrunk; a
 * failed realloc leaves the old chunk live (and p = NULL loses it);
 * realloc(p, 0) frees. */
static void realloc_mmapped(void **state)
{
    tb b;
    tb_init(&b, 2);
    tb_malloc(&b, 0, KiB(1024), 0);
    tb_realloc(&b, 0, KiB(2048), 0);
    tb_realloc(&b, 0, 100, 0);
    tb_realloc(&b, 0, (uint64_t)1 << 62, 0);
    tb_free(&b, 0);                    /* free(NULL): the old chunk leaks */
    tb_malloc(&b, 1, KiB(512), 0);
    tb_realloc(&b, 1, 0, 0);
    rec *r = run_real(&b);
    assert_complete(r, &b);
    assert_int_equal(r->st[0].mmapped_bytes, MMAP_CHUNK(KiB(1024)));
    assert_true(r->st[1].mmapped);
    assert_int_equal(r->st[1].chunk, MMAP_CHUNK(KiB(2048)));
    assert_int_equal(r->st[1].mmaps, 1);
    assert_int_equal(r->st[1].mmapped_bytes, r->st[1].chunk);
    assert_true(r->st[2].mmapped);
    assert_int_equal(r->st[2].chunk, PAGE);
    assert_int_equal(r->st[2].mmapped_bytes, PAGE);
    assert_false(has_result(&r->st[3]));
    assert_int_equal(r->st[3].mmaps, 1);
    assert_int_equal(r->st[4].mmaps, 1);
    assert_int_equal(r->st[4].mmapped_bytes, PAGE);
    assert_int_equal(r->st[4].mi.hblkhd, PAGE);
    assert_int_equal(r->st[5].mmaps, 2);
    assert_false(has_result(&r->st[6]));
    assert_int_equal(r->st[6].mmaps, 1);
    assert_int_equal(r->st[6].mi.hblks, 1);
    free(r);
}

/* realloc on the heap grows into top in place; memalign aligns. */
static void realloc_heap_and_memalign(void **state)
{
    tb b;
    tb_init(&b, 3);
    tb_malloc(&b, 0, 100, ALL);
    tb_realloc(&b, 0, 5000, ALL);
    tb_memalign(&b, 1, 4096, 100, ALL);
    tb_memalign(&b, 2, 65536, 300000, 0);
    rec *r = run_real(&b);
    assert_complete(r, &b);
    assert_int_equal(r->st[1].ptr, r->st[0].ptr);
    assert_int_equal(r->st[1].chunk, REQ2SIZE(5000));
    assert_true(r->st[2].has & HS_HAS_PTR);
    assert_int_equal(r->st[2].ptr % 4096, 0);
    assert_true(r->st[3].mmapped);
    assert_int_equal(r->st[3].mmaps, 1);
    /* The aligned chunk starts inside its mapping (prev_size is the lead
     * piece); hblkhd counts the whole mapping. */
    assert_true(r->st[3].mi.hblkhd > r->st[3].chunk);
    assert_true(r->st[3].mi.hblkhd - r->st[3].chunk < 65536 + PAGE);
    assert_int_equal(r->st[3].mi.hblkhd % PAGE, 0);
    free(r);
}

/* mallopt(M_TRIM_THRESHOLD, -1) keeps the top; malloc_trim(0) gives it
 * back.  M_MMAP_MAX 0 puts the 1 MiB block on the heap. */
static void trim_threshold_and_malloc_trim(void **state)
{
    tb b;
    tb_init(&b, 2);
    tb_mallopt(&b, HS_M_TRIM_THRESHOLD, -1);
    tb_mallopt(&b, HS_M_MMAP_MAX, 0);
    tb_malloc(&b, 0, 24, ALL);
    tb_malloc(&b, 1, KiB(1024), ALL);
    tb_free(&b, 1);
    tb_trim(&b, 0);
    rec *r = run_real(&b);
    assert_complete(r, &b);
    const hs_step *grown = &r->st[3], *freed = &r->st[4], *trimmed = &r->st[5];
    assert_false(grown->mmapped);
    assert_true(grown->brk > 0x21000);
    assert_int_equal(freed->brk, grown->brk);
    assert_true(trimmed->brk < freed->brk);
    assert_true(trimmed->rss < freed->rss);
    assert_int_equal(trimmed->mi.arena, trimmed->brk);
    free(r);
}

/* A stale free that glibc accepts (the address was mapped again) unmaps the
 * new chunk: the replayer's count of live mmapped chunks follows. */
static void stale_free_of_reused_mapping(void **state)
{
    tb b;
    tb_init(&b, 2);
    tb_mallopt(&b, HS_M_MMAP_THRESHOLD, 131072);
    tb_malloc(&b, 0, KiB(200), 0);
    tb_free(&b, 0);
    tb_malloc(&b, 1, KiB(200), 0);
    tb_free(&b, 0);
    tb_free(&b, 1);
    rec *r = run_real(&b);
    assert_int_equal(r->rc, 0);
    assert_true(r->n >= 4);
    assert_int_equal(r->st[3].mmaps, 1);
    if (r->st[4].has & HS_HAS_ERROR) {
        /* Not reused: the stale header is unmapped. */
        assert_int_equal(r->n, 5);
        assert_string_equal(r->st[4].error, "Segmentation fault");
    } else {
        assert_int_equal(r->st[4].mmaps, 0);
        assert_int_equal(r->st[4].mmapped_bytes, 0);
        assert_int_equal(r->st[4].mi.hblks, 0);
        assert_int_equal(r->n, 6);
        assert_string_equal(r->st[5].error, "Segmentation fault");
    }
    free(r);
}

/* A fixed pseudo-random trace with every op kind. */
static void build_mixed(tb *b)
{
    uint64_t x = 0x2545F4914F6CDD1Dull;
    uint8_t live[32] = { 0 };
    uint64_t size[32] = { 0 };
    tb_init(b, 32);
    for (int i = 0; i < 600; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint32_t id = (uint32_t)(x % 32);
        uint64_t r = x >> 8;
        if (!live[id]) {
            static const uint64_t sizes[] = { 16, 24, 100, 500, 1032, 1040, 5000, KiB(30),
                                              KiB(100), KiB(140), KiB(300) };
            uint64_t s = sizes[r % 11] + (r >> 8) % 64;
            switch ((r >> 20) % 4) {
            case 0: case 1: tb_malloc(b, id, s, (r >> 24) % 2 ? ALL : 0); break;
            case 2: tb_calloc(b, id, 1, s); break;
            default: tb_memalign(b, id, 64u << ((r >> 24) % 4), s, ALL); break;
            }
            live[id] = 1;
            size[id] = s;
        } else {
            switch ((r >> 20) % 6) {
            case 0: case 1: case 2: tb_free(b, id); live[id] = 0; break;
            case 3: {
                uint64_t s = (r >> 28) % KiB(200) + 1;
                tb_realloc(b, id, s, 0);
                size[id] = s;
                break;
            }
            case 4: tb_touch(b, id, size[id] / 2, size[id] - size[id] / 2); break;
            default:
                if ((r >> 24) % 4 == 0)
                    tb_trim(b, (r >> 28) % KiB(64));
                else
                    tb_mallopt(b, HS_M_TRIM_THRESHOLD, (int64_t)KiB(64) + (int64_t)((r >> 28) % KiB(512)));
                break;
            }
        }
    }
}

/* The same trace gives the same steps, fault counts within validate's tolerance. */
static void deterministic(void **state)
{
    static tb b;
    build_mixed(&b);
    rec *r1 = run_real(&b);
    rec *r2 = run_real(&b);
    assert_complete(r1, &b);
    assert_complete(r2, &b);
    for (size_t i = 0; i < r1->n; i++) {
        hs_step a = r1->st[i], c = r2->st[i];
        assert_true(a.minflt <= c.minflt + 2 && c.minflt <= a.minflt + 2);
        a.minflt = c.minflt = 0;
        a.rss_anon = c.rss_anon = 0;
        assert_memory_equal(&a, &c, sizeof a);
    }
    free(r1);
    free(r2);
}

/* The callback may stop the replay; the child is killed and reaped. */
static void stop_early(void **state)
{
    tb b;
    tb_init(&b, 3);
    tb_malloc(&b, 0, 24, ALL);
    tb_malloc(&b, 1, 24, ALL);
    tb_malloc(&b, 2, 24, ALL);
    rec *r = run_with(&b, NULL, 0, 1);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 1);
    int status;
    assert_int_equal(waitpid(-1, &status, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    free(r);
}

/* An empty trace is a faithful replay of nothing. */
static void empty_trace(void **state)
{
    tb b;
    tb_init(&b, 0);
    rec *r = run_real(&b);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->n, 0);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_malloc),
        cmocka_unit_test(figures_1_9),
        cmocka_unit_test(figures_1_9_pinned_threshold_trims),
        cmocka_unit_test(minflt_is_the_allocators),
        cmocka_unit_test(double_free_tcache),
        cmocka_unit_test(double_free_fasttop),
        cmocka_unit_test(double_free_mmapped_segfaults),
        cmocka_unit_test(rss_follows_touch),
        cmocka_unit_test(calloc_does_not_write_fresh_memory),
        cmocka_unit_test(null_results),
        cmocka_unit_test(realloc_mmapped),
        cmocka_unit_test(realloc_heap_and_memalign),
        cmocka_unit_test(trim_threshold_and_malloc_trim),
        cmocka_unit_test(stale_free_of_reused_mapping),
        cmocka_unit_test(fastbin_dup_cycle_is_contained),
        cmocka_unit_test(unsorted_bk_is_contained),
        cmocka_unit_test(contained_abort_keeps_programs_message),
        cmocka_unit_test(arena_lock_is_released),
        cmocka_unit_test(fast_free_after_containment),
        cmocka_unit_test(deterministic),
        cmocka_unit_test(stop_early),
        cmocka_unit_test(empty_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
