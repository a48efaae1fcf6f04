/* tests/sim/test_limits.c — the kernel's limits in the model: vm.max_map_count, RLIMIT_AS, RLIMIT_DATA.
 * Owns: tests of hs_sim_set_limits and hs_sim_map_count (the VMA count with the kernel's merges). */
#include "simtest.h"
#include "sim/event.h"

#define KIB UINT64_C(1024)
#define MIB (UINT64_C(1) << 20)

/* The event of the last op with this code, or NULL. */
static const hs_event *event(hs_sim *s, int code)
{
    size_t n;
    const hs_event *ev = hs_sim_events (s, &n);
    for (size_t i = 0; i < n; i++)
        if (ev[i].code == code)
            return &ev[i];
    return NULL;
}

static hs_kernel_limits no_limits(void)
{
    hs_kernel_limits l = { .as_max = UINT64_MAX, .data_max = UINT64_MAX, .maps0 = 10 };
    return l;
}

/* Adjacent mmapped chunks are one VMA (the kernel merges anonymous
 * mappings that touch); freeing one in the middle splits it, one at an end
 * does not, a new one placed against another joins it.  The same figures
 * as the replayer's /proc/self/maps (tests/app/validate_limits.sh counts
 * them on the same ops: tests/app/data/limits/merge.json). */
static void adjacent_mappings_merge(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    hs_kernel_limits l = no_limits ();
    assert_int_equal (hs_sim_set_limits (s, &l), 0);
    assert_int_equal (hs_sim_map_count (s), 10);
    ops (s, "m 0 200000 1", "m 1 200000 1", "m 2 200000 1", "m 3 200000 1", "m 4 200000 1",
         "m 5 200000 1", "m 6 200000 1", "m 7 200000 1", "m 8 200000 1", "m 9 200000 1", NULL);
    assert_int_equal (hs_sim_map_count (s), 10 + 1 + 1);       /* the heap (tcache), one run */
    ops (s, "f 1", "f 3", "f 5", "f 7", NULL);   /* the threshold rises to 200704 */
    assert_int_equal (hs_sim_map_count (s), 10 + 1 + 5);
    ops (s, "f 0", NULL);                    /* block 0 was a run of its own: one fewer */
    assert_int_equal (hs_sim_map_count (s), 10 + 1 + 4);
    ops (s, "m 10 300000 1", NULL);          /* at the top, touching nothing: one more */
    assert_int_equal (hs_sim_map_count (s), 10 + 1 + 5);
    ops (s, "f 2", NULL);                    /* alone between two holes: one fewer */
    assert_int_equal (hs_sim_map_count (s), 10 + 1 + 4);
    ops (s, "m 11 300000 1", NULL);          /* right below block 10: joins it */
    assert_int_equal (hs_sim_map_count (s), 10 + 1 + 4);
    assert_null (hs_sim_check (s));
    hs_sim_free (s);
}

/* Past vm.max_map_count the kernel refuses a new mapping (do_mmap) and a
 * brk growth (do_brk_flags); glibc's heap then cannot take the request
 * either and malloc returns NULL.  A munmap that brings the count back
 * lets the next mmap through. */
static void map_count_limit(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    hs_kernel_limits l = no_limits ();
    l.maps0 = 3;
    l.map_max = 4;
    assert_int_equal (hs_sim_set_limits (s, &l), 0);
    hs_sim_set_explain (s, true);
    hs_step st;
    ops (s, "m 0 100 1", NULL);                 /* the heap: 4 mappings, not more than 4 */
    assert_int_equal (apply_line (s, "m 1 200000 1", &st), 0);
    assert_true (st.has & HS_HAS_MMAPPED && st.mmapped);
    assert_int_equal (hs_sim_map_count (s), 5);
    /* 5 > 4: the mmap is refused, then the break (the top is too small) */
    assert_int_equal (apply_line (s, "m 2 200000 1", &st), 0);
    assert_false (st.has & HS_HAS_PTR && st.ptr);
    const hs_event *e = event (s, HS_EV_KERNEL_LIMIT);
    assert_non_null (e);
    assert_int_equal (e->d, HS_LIM_MAPS * 4 + 0);
    assert_int_equal (e->b, 5);
    assert_int_equal (e->c, 4);
    assert_non_null (event (s, HS_EV_MMAP_FALLBACK));
    char buf[400];
    hs_event_format (e, buf, sizeof buf);
    assert_non_null (strstr (buf, "vm.max_map_count"));
    /* a small request still fits the top: no system call */
    assert_int_equal (apply_line (s, "m 3 1000 1", &st), 0);
    assert_true (st.has & HS_HAS_PTR && st.ptr);
    /* the mapping goes: 4 mappings, the next mmap passes */
    ops (s, "f 1", NULL);                       /* (the threshold rises to 200704) */
    assert_int_equal (apply_line (s, "m 4 300000 1", &st), 0);
    assert_true (st.has & HS_HAS_MMAPPED && st.mmapped);
    assert_null (hs_sim_check (s));
    assert_int_equal (hs_sim_set_limits (s, &l), -1);    /* too late */
    hs_sim_free (s);
}

/* At vm.max_map_count, freeing a block in the middle of a run would split
 * its VMA: the kernel refuses the munmap, glibc forgets the block anyway
 * (n_mmaps and mmapped_bytes drop) and it stays mapped (the count does not
 * move, the range stays taken); a new block then fills the other hole and
 * joins both neighbours. */
static void munmap_split_refused(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    hs_kernel_limits l = no_limits ();
    l.maps0 = 3;
    l.map_max = 6;
    assert_int_equal (hs_sim_set_limits (s, &l), 0);
    hs_sim_set_explain (s, true);
    ops (s, "o 0 131072", "m 0 100 1", "m 1 200000 1", "m 2 200000 1", "m 3 200000 1",
         "m 4 200000 1", "m 5 200000 1", "m 6 200000 1", NULL);   /* a fixed threshold */
    assert_int_equal (hs_sim_map_count (s), 5);
    ops (s, "f 2", NULL);                            /* a split: 6 */
    assert_int_equal (hs_sim_map_count (s), 6);
    hs_step st;
    assert_int_equal (apply_line (s, "f 4", &st), 0);  /* would make 7 > 6: refused */
    const hs_event *e = event (s, HS_EV_KERNEL_LIMIT);
    assert_non_null (e);
    assert_int_equal (e->d, HS_LIM_MAPS * 4 + 3);
    assert_int_equal (hs_sim_map_count (s), 6);
    assert_int_equal (st.mmaps, 4);                  /* glibc's count: 5 - 1 */
    hs_status ss;
    hs_sim_status (s, &ss);
    assert_int_equal (ss.mmaps, 4);
    uint64_t cur = 0, n = 0;
    hs_chunk_info ci;
    while (hs_sim_mmap_next (s, &cur, &ci))
        n++;
    assert_int_equal (n, 4);
    assert_null (hs_sim_check (s));
    /* the new block goes where block 2 was (block 4's range is still
     * mapped), touching blocks 1 and 3: one VMA fewer */
    assert_int_equal (apply_line (s, "m 7 200000 1", &st), 0);
    assert_true (st.has & HS_HAS_MMAPPED && st.mmapped);
    assert_int_equal (hs_sim_map_count (s), 5);
    assert_null (hs_sim_check (s));
    hs_sim_free (s);
}

/* RLIMIT_AS counts the whole address space (VmSize at start, the heap, the
 * mappings): a mapping that would pass it is refused and glibc falls back
 * to the break, which takes less when the top is already large; what fits
 * nowhere is NULL. */
static void address_space_limit(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    hs_kernel_limits l = no_limits ();
    l.vm0 = 2 * MIB;
    l.as_max = 8 * MIB;
    assert_int_equal (hs_sim_set_limits (s, &l), 0);
    hs_sim_set_explain (s, true);
    hs_step st;
    /* a 2 MiB top: M_TOP_PAD 2 MiB, then a small malloc */
    ops (s, "o 3 2097152", "m 0 100 1", NULL);
    /* 2 MiB + 2 MiB heap + 4 MiB + 4 KiB mapping > 8 MiB: refused; the
     * break grows by 4 MiB + 2 MiB pad - the 2 MiB top = ~4 MiB: too much
     * as well, so the request ends NULL */
    assert_int_equal (apply_line (s, "m 1 4194304 0", &st), 0);
    assert_false (st.has & HS_HAS_PTR && st.ptr);
    const hs_event *e = event (s, HS_EV_KERNEL_LIMIT);
    assert_non_null (e);
    assert_int_equal (e->d / 4, HS_LIM_AS);
    /* 3 MiB: the mapping passes (2 + ~2 + 3 < 8) */
    assert_int_equal (apply_line (s, "m 2 3145728 0", &st), 0);
    assert_true (st.has & HS_HAS_MMAPPED && st.mmapped);
    assert_null (hs_sim_check (s));
    hs_sim_free (s);
}

/* RLIMIT_DATA: brk's own check (the heap and the data segment) refuses the
 * break; the 1 MiB mmap fallback is refused by data_vm; NULL. */
static void data_limit_on_brk(void **state)
{
    (void)state;
    hs_sim *s = new_glibc ();
    hs_kernel_limits l = no_limits ();
    l.data0 = 512 * KIB;
    l.data_seg = 16 * KIB;
    l.data_max = 1 * MIB;
    assert_int_equal (hs_sim_set_limits (s, &l), 0);
    hs_sim_set_explain (s, true);
    hs_step st;
    int nulls = 0;
    char line[64];
    for (int i = 0; i < 16; i++) {
        snprintf (line, sizeof line, "m %d 65536 0", i);
        assert_int_equal (apply_line (s, line, &st), 0);
        if (!(st.has & HS_HAS_PTR && st.ptr)) {
            nulls++;
            assert_non_null (event (s, HS_EV_KERNEL_LIMIT));
            const hs_event *f = event (s, HS_EV_MMAP_FALLBACK);
            assert_non_null (f);
            assert_int_equal (f->c, 0);            /* refused */
            assert_true (f->a >= MIB);
        }
    }
    assert_true (nulls > 0 && nulls < 16);
    hs_status sst;
    hs_sim_status (s, &sst);
    assert_true (sst.brk + l.data_seg <= l.data_max);
    assert_null (hs_sim_check (s));
    hs_sim_free (s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (adjacent_mappings_merge),
        cmocka_unit_test (map_count_limit),
        cmocka_unit_test (munmap_split_refused),
        cmocka_unit_test (address_space_limit),
        cmocka_unit_test (data_limit_on_brk),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
