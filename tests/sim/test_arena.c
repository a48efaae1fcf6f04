/* tests/sim/test_arena.c — the model's arenas and threads, each expectation derived from glibc 2.36's arena.c and malloc.c.
 * Owns: tests of arena_get2 (new arena, limit, reused_arena, free list), new_heap's layout, grow/shrink, cross-arena frees, thread exit. */
#include "simtest.h"
#include "sim/event.h"

#define KIB 1024ull
#define TOP_PAD (128 * KIB)
#define PAGE 4096ull
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))
/* sizeof (heap_info) (48 since 2.35, 32 before) + sizeof (struct malloc_state) (2200) */
#define HDR_236 (48 + 2200)
#define HDR_231 (32 + 2200)

/* A thread's exit (thread_exit op), checked like run_on. */
static hs_step leave(hs_sim *s, int th)
{
    hs_op op = { .kind = HS_OP_THREAD_EXIT, .id = HS_NO_ID, .thread = (uint16_t)th };
    hs_step st;
    if (hs_sim_apply (s, &op, &st) != 0)
        fail_msg ("exit of thread %d: the model aborts: %s", th, st.error);
    const char *broken = hs_sim_check (s);
    if (broken)
        fail_msg ("after the exit of thread %d: %s", th, broken);
    return st;
}

static hs_sim *new_sim(hs_profile p, uint32_t cpus)
{
    hs_sim *s = hs_sim_new (p, 64);
    assert_non_null (s);
    assert_int_equal (hs_sim_set_cpus (s, cpus, cpus), 0);
    return s;
}

/* _int_new_arena: the heap holds heap_info and malloc_state, top starts
 * after them aligned so chunk2mem is; tcache_init's 0x290 chunk comes first,
 * then the request.  new_heap's size: ALIGN_UP (640 + hdr + 16 + top_pad). */
static void first_malloc_makes_arena(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    hs_step st = run_on (s, 1, "m 0 100 100");
    /* top = h + hdr, moved up 8 when chunk2mem (top) is not 16-aligned */
    uint64_t top0 = HDR_236 % 16 == 8 ? HDR_236 + 8 : HDR_236;   /* 0x8d0 */
    assert_int_equal (top0, 0x8d0);
    assert_true (st.has & HS_HAS_ARENA);
    assert_int_equal (st.arena, 1);
    assert_int_equal (st.ptr, top0 + 0x290 + 16);
    assert_true (st.has & HS_HAS_ARENAS);
    assert_int_equal (st.n_arenas, 2);
    uint64_t hsize = ALIGN_UP (640 + HDR_236 + 16 + TOP_PAD, PAGE);
    assert_int_equal (st.arenas[1].system, hsize);
    assert_int_equal (st.arenas[1].in_use, hsize - (hsize - top0 - 0x290 - 112));
    assert_int_equal (st.arenas[0].system, 0);                 /* main never used */
    assert_int_equal (st.mi.arena, hsize);                     /* mallinfo2 sums the arenas */
    assert_int_equal (st.brk, 0);
    hs_sim_free (s);

    /* 2.31: heap_info has no pagesize field (32 bytes): top at 0x8c0 */
    s = new_sim (HS_PROFILE_GLIBC_2_31, 2);
    st = run_on (s, 1, "m 0 100 100");
    assert_int_equal (HDR_231 % 16 == 8 ? HDR_231 + 8 : HDR_231, 0x8c0);
    assert_int_equal (st.ptr, 0x8c0 + 0x290 + 16);
    hs_sim_free (s);
}

/* arena_get2: narenas_limit stays 0 while narenas <= M_ARENA_TEST (8), so
 * the first 8 extra threads each get a new arena; once narenas (9) > 8 the
 * limit becomes 8 x CPUs; with 1 CPU that is 8 < 9: reused_arena, starting
 * at the main arena, then main_arena.next (the newest). */
static void limit_and_reuse(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 1);
    run_on (s, 0, "m 0 100 100");
    for (int t = 1; t <= 8; t++) {
        char line[32];
        snprintf (line, sizeof line, "m %d 100 100", t);
        hs_step st = run_on (s, t, line);
        assert_int_equal (st.arena, t);
        assert_int_equal (st.n_arenas, t + 1);
    }
    hs_step st = run_on (s, 9, "m 9 100 100");
    assert_int_equal (st.arena, 0);                           /* next_to_use starts at main */
    assert_int_equal (st.n_arenas, 9);
    st = run_on (s, 10, "m 10 100 100");
    assert_int_equal (st.arena, 8);                           /* main_arena.next: the newest */
    st = run_on (s, 11, "m 11 100 100");
    assert_int_equal (st.arena, 7);
    hs_sim_free (s);

    /* 2 CPUs: the limit is 16, so thread 9 gets arena 9 */
    s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    for (int t = 1; t <= 9; t++) {
        char line[32];
        snprintf (line, sizeof line, "m %d 100 100", t);
        st = run_on (s, t, line);
        assert_int_equal (st.arena, t);
    }
    hs_sim_free (s);
}

/* M_ARENA_MAX 2: narenas_limit = 2, so one extra arena; the next thread
 * reuses main, the one after main_arena.next (arena 1). */
static void arena_max(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 0, "o 5 2");                                      /* M_ARENA_MAX */
    assert_int_equal (run_on (s, 1, "m 1 100 100").arena, 1);
    assert_int_equal (run_on (s, 2, "m 2 100 100").arena, 0);
    assert_int_equal (run_on (s, 3, "m 3 100 100").arena, 1);
    hs_sim_free (s);
    /* M_ARENA_MAX 1: every thread shares main */
    s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 0, "o 5 1");
    assert_int_equal (run_on (s, 1, "m 1 100 100").arena, 0);
    hs_step st = run_on (s, 2, "m 2 100 100");
    assert_int_equal (st.arena, 0);
    assert_int_equal (st.n_arenas, 1);
    hs_sim_free (s);
}

/* arena_thread_freeres puts the arena on free_list (LIFO); get_free_list
 * hands it to the next thread that needs an arena, before any new one. */
static void exit_then_free_list(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    assert_int_equal (run_on (s, 1, "m 1 100 100").arena, 1);
    assert_int_equal (run_on (s, 2, "m 2 100 100").arena, 2);
    leave (s, 1);
    leave (s, 2);
    /* free_list: 2 then 1 */
    hs_step st = run_on (s, 3, "m 3 100 100");
    assert_int_equal (st.arena, 2);
    assert_int_equal (st.n_arenas, 3);
    assert_int_equal (run_on (s, 4, "m 4 100 100").arena, 1);
    assert_int_equal (run_on (s, 5, "m 5 100 100").arena, 3);    /* list empty: a new one */
    hs_sim_free (s);
}

/* tcache_thread_shutdown: the cached chunks go to their arena (fastbins
 * for 48-byte chunks) with the tcache off, then the 0x290 struct itself. */
static void exit_flushes_tcache(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 1, "m 1 40 40");
    run_on (s, 1, "m 2 40 40");
    run_on (s, 1, "m 3 200 200");                                /* keeps them off top */
    run_on (s, 1, "f 1");
    hs_step st = run_on (s, 1, "f 2");
    assert_int_equal (st.mi.smblks, 0);                       /* tcache chunks count as in use */
    uint64_t used = st.arenas[1].in_use;
    st = leave (s, 1);
    assert_int_equal (st.mi.smblks, 2);
    assert_int_equal (st.mi.fsmblks, 96);
    assert_int_equal (st.arenas[1].in_use, used - 96 - 0x290);
    assert_int_equal (st.mi.ordblks, 1 + 1 + 1);              /* two tops and the struct, unsorted */
    hs_sim_free (s);
}

/* __libc_free of another arena's chunk: the freeing thread's tcache takes
 * it while the bin has room (7); then _int_free on arena_for_chunk (p). */
static void cross_arena_free(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 0, "m 20 100 100");
    hs_step st;
    for (int i = 0; i < 8; i++) {
        char line[32];
        snprintf (line, sizeof line, "m %d 100 100", i);
        st = run_on (s, 1, line);
        assert_int_equal (st.arena, 1);
    }
    uint64_t last = st.ptr;
    for (int i = 0; i < 8; i++) {
        char line[32];
        snprintf (line, sizeof line, "f %d", i);
        st = run_on (s, 0, line);
        assert_int_equal (st.mi.smblks, i < 7 ? 0 : 1);       /* the 8th: arena 1's fastbin */
    }
    /* arena 1 in use (system_mem minus top, fastbins, bins): heap_info and
     * malloc_state (0x8d0), its tcache, the seven chunks main's tcache holds */
    assert_int_equal (st.arenas[1].in_use, 0x8d0 + 0x290 + 7 * 112);
    /* the main thread's malloc takes the last cached chunk: arena 1's */
    st = run_on (s, 0, "m 30 100 100");
    assert_int_equal (st.arena, 1);
    assert_int_equal (st.ptr, last - 112);
    hs_sim_free (s);
}

/* grow_heap: a non-main arena grows by MINSIZE + nb - top size rounded to
 * a page, without top_pad; heap_trim after a big free gives back whole
 * pages of top above top_pad + MINSIZE (shrink_heap, MADV_DONTNEED), once
 * top reaches the trim threshold. */
static void grow_and_shrink(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 0, "o 0 1048576");                                /* M_MMAP_THRESHOLD 1 MiB, trim stays 128 KiB */
    hs_step st = run_on (s, 1, "m 0 100 100");
    uint64_t sys0 = st.arenas[1].system;
    uint64_t top_size = sys0 - (0x8d0 + 0x290 + 112);
    uint64_t nb = 500 * KIB + 16;
    st = run_on (s, 1, "m 1 512000 512000");
    assert_int_equal (st.arenas[1].system, sys0 + ALIGN_UP (32 + nb - top_size, PAGE));
    uint64_t grown = st.arenas[1].system;
    uint64_t rss_before = st.rss;
    st = run_on (s, 1, "f 1");
    uint64_t top = grown - (0x8d0 + 0x290 + 112);
    uint64_t extra = (top - 32 - 1 - TOP_PAD) & ~(PAGE - 1);
    assert_int_equal (st.arenas[1].system, grown - extra);
    assert_true (st.rss < rss_before);                        /* the pages went with MADV_DONTNEED */
    hs_sim_free (s);
}

/* __malloc_trim: mtrim of every arena, but systrim only for the main one:
 * a non-main arena's top stays (below the trim threshold no free trims it). */
static void trim_leaves_thread_top(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 0, "o 2 1073741824");                             /* M_TRIM_THRESHOLD 1 GiB: no trim on free */
    run_on (s, 0, "m 0 100000 100000");
    run_on (s, 1, "m 1 100000 100000");
    run_on (s, 0, "f 0");
    hs_step st = run_on (s, 1, "f 1");
    uint64_t sys1 = st.arenas[1].system, brk = st.brk;
    st = run_on (s, 0, "T 0");
    assert_true (st.brk < brk);                               /* the main heap shrank */
    assert_int_equal (st.arenas[1].system, sys1);             /* arena 1 did not */
    /* __malloc_trim: mtrim of main, then arena 1; one return value, the OR */
    size_t n, arenas = 0, results = 0;
    const hs_event *ev = hs_sim_events (s, &n);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].code == HS_EV_MTRIM_ARENA) {
            assert_int_equal (ev[i].b, arenas);               /* main first */
            assert_int_equal (ev[i].a, arenas == 0);          /* only main gave memory back */
            assert_int_equal (results, 0);                    /* before the result */
            arenas++;
        }
        if (ev[i].code == HS_EV_MTRIM_RESULT) {
            assert_int_equal (ev[i].a, 1);
            results++;
        }
    }
    assert_int_equal (arenas, 2);
    assert_int_equal (results, 1);
    hs_sim_free (s);
}

/* sysmalloc of a non-main arena whose heap cannot grow past HEAP_MAX_SIZE:
 * new_heap (nb + MINSIZE + sizeof (heap_info), plus top_pad) becomes top,
 * whose first chunk starts right after the 48-byte heap_info; the old top,
 * minus a fencepost, is freed into the bins (and serves the next small
 * request). */
static void second_heap(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 0, "o 0 33554432");                               /* M_MMAP_THRESHOLD 32 MiB */
    run_on (s, 1, "m 0 31457280 0");
    hs_step st = run_on (s, 1, "m 1 31457280 0");
    uint64_t sys1 = st.arenas[1].system, nb = 30 * 1024 * KIB + 16;
    st = run_on (s, 1, "m 2 31457280 0");
    assert_int_equal (st.arena, 1);
    assert_int_equal (st.ptr, 48 + 16);
    assert_int_equal (st.arenas[1].system, sys1 + ALIGN_UP (nb + 32 + 48 + TOP_PAD, PAGE));
    /* the old top: after tcache and two chunks, cut for the fencepost, freed */
    uint64_t old_top = 0x8d0 + 0x290 + 2 * nb;
    st = run_on (s, 1, "m 3 100 100");
    assert_int_equal (st.ptr, old_top + 16);
    hs_sim_free (s);
}

/* A new heap whose old top (>= 64 KiB) is freed: _int_free's heap_trim
 * finds top alone in that heap and unmaps it, top goes back, sysmalloc
 * fails, and __libc_malloc's arena_get_retry serves the request from the
 * main arena (whose first chunk starts the heap: the main thread has no
 * tcache). */
static void heap_gone_then_retry(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 0, "o 0 33554432");
    run_on (s, 1, "m 0 31457280 0");
    run_on (s, 1, "m 1 31457280 0");
    run_on (s, 1, "m 2 102400 102400");
    hs_step st = run_on (s, 1, "f 2");
    uint64_t sys1 = st.arenas[1].system;
    st = run_on (s, 1, "m 3 10485760 0");
    assert_int_equal (st.arena, 0);
    assert_int_equal (st.ptr, 16);
    assert_int_equal (st.arenas[1].system, sys1);
    assert_int_equal (st.n_arenas, 2);
    hs_sim_free (s);
}

/* Applies line on thread th to both s and c and checks they answer alike. */
static void go_on_alike(hs_sim *s, hs_sim *c, int th, const char *line)
{
    hs_step a = run_on (s, th, line), b = run_on (c, th, line);
    assert_int_equal (a.has, b.has);
    if (a.has & HS_HAS_PTR)
        assert_int_equal (a.ptr, b.ptr);
    if (a.has & HS_HAS_ARENA)
        assert_int_equal (a.arena, b.arena);
    assert_int_equal (a.brk, b.brk);
    assert_int_equal (a.rss, b.rss);
    assert_int_equal (a.mi.uordblks, b.mi.uordblks);
}

/* Stepping back works on arenas: a clone goes on exactly as the original. */
static void clone_with_arenas(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 1, "m 0 5000 5000");
    run_on (s, 2, "m 1 5000 5000");
    hs_sim *c = hs_sim_clone (s);
    assert_non_null (c);
    go_on_alike (s, c, 1, "f 1");
    go_on_alike (s, c, 1, "m 2 5000 5000");
    hs_sim_free (c);
    hs_sim_free (s);
}

/* The readers renderers use (hs_sim_arena_*, hs_sim_focus): arena 1's
 * heap_info heap as new_heap made it (64 MiB reserved at a 64 MiB
 * boundary, ALIGN_UP (640 + hdr + 16 + top_pad) read-write), its chunks
 * walked from after malloc_state (the tcache struct, then the request with
 * NON_MAIN_ARENA, then top), thread 1's tcache; and reading changes
 * nothing: the model goes on exactly as a copy never focused. */
static void focus_reads_arena(void **state)
{
    (void)state;
    hs_sim *s = new_sim (HS_PROFILE_GLIBC_2_36, 2);
    run_on (s, 1, "m 0 100 100");
    run_on (s, 1, "m 1 100 100");
    run_on (s, 1, "f 1");                        /* into thread 1's tcache */
    assert_int_equal (hs_sim_arena_count (s), 2);
    assert_int_equal (hs_sim_thread_count (s), 2);
    assert_int_equal (hs_sim_thread_arena (s, 0), 0);
    assert_int_equal (hs_sim_thread_arena (s, 1), 1);
    assert_int_equal (hs_sim_thread_arena (s, 5), UINT32_MAX);
    hs_arena_view av;
    assert_true (hs_sim_arena_info (s, 1, &av));
    assert_int_equal (av.heaps, 1);
    assert_int_equal (av.attached_threads, 1);
    assert_false (av.on_free_list);
    assert_false (hs_sim_arena_info (s, 2, &av));
    hs_heap_view hv, none;
    assert_true (hs_sim_arena_heap (s, 1, 0, &hv));
    assert_false (hs_sim_arena_heap (s, 1, 1, &none));     /* one heap so far */
    assert_true (hs_sim_arena_heap (s, 0, 0, &none));      /* main: its sbrk heap, no reservation */
    assert_int_equal (none.reserved, none.mprotect_size);
    uint64_t hsize = ALIGN_UP (640 + HDR_236 + 16 + TOP_PAD, PAGE);
    assert_int_equal (hv.reserved, 64 * KIB * KIB);
    assert_int_equal (hv.base % (64 * KIB * KIB), 0);
    assert_int_equal (hv.mprotect_size, hsize);
    assert_int_equal (hv.brk, hsize);
    hs_sim *twin = hs_sim_clone (s);
    assert_non_null (twin);
    assert_int_equal (hs_sim_focus (s, 1, 2), -1);   /* no such thread */
    assert_int_equal (hs_sim_focus (s, 1, 1), 0);
    uint64_t cur = 0;
    hs_chunk_info ci;
    assert_true (hs_sim_heap_next (s, &cur, &ci));
    assert_int_equal (ci.addr, 0x8d0);               /* after heap_info and malloc_state */
    assert_int_equal (ci.size, 0x290);               /* tcache_perthread_struct */
    assert_true (hs_sim_heap_next (s, &cur, &ci));
    assert_int_equal (ci.id, 0);
    assert_int_equal (ci.size, 112);
    assert_true (ci.flags & 4);                      /* NON_MAIN_ARENA */
    assert_true (hs_sim_heap_next (s, &cur, &ci));
    assert_int_equal (ci.state, HS_CH_TCACHE);       /* slot 1, freed */
    uint64_t ent[8];
    assert_int_equal (hs_sim_bin (s, HS_BINS_TCACHE, 5, ent, 8), 1);   /* 112 = tidx 5 */
    assert_int_equal (ent[0], ci.addr);
    assert_int_equal (hs_sim_focus (s, 0, 0), 0);
    assert_null (hs_sim_check (s));
    assert_int_equal (hs_sim_bin (s, HS_BINS_TCACHE, 5, ent, 8), 0);   /* main's tcache: none */
    go_on_alike (s, twin, 1, "m 2 100 100");
    go_on_alike (s, twin, 0, "m 3 100 100");
    hs_sim_free (twin);
    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (first_malloc_makes_arena),
        cmocka_unit_test (limit_and_reuse),
        cmocka_unit_test (arena_max),
        cmocka_unit_test (exit_then_free_list),
        cmocka_unit_test (exit_flushes_tcache),
        cmocka_unit_test (cross_arena_free),
        cmocka_unit_test (grow_and_shrink),
        cmocka_unit_test (trim_leaves_thread_top),
        cmocka_unit_test (second_heap),
        cmocka_unit_test (heap_gone_then_retry),
        cmocka_unit_test (clone_with_arenas),
        cmocka_unit_test (focus_reads_arena),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
