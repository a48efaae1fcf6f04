/* tests/sim/simtest.h — helpers shared by the model's unit tests: ops from one-line text, rows of real glibc's numbers.
 * Owns: run_rows (apply ops, hs_sim_check after every one, compare with what real glibc printed) and small op builders. */
#ifndef HS_SIMTEST_H
#define HS_SIMTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim/sim.h"

/* One op and what real glibc 2.36 (Debian 2.36-9+deb12u14, x86_64, under
 * setarch -R) printed after it.  The op is one line of the throwaway
 * harness's format:
 *   m ID SIZE TOUCH | c ID NMEMB SIZE TOUCH | r ID SIZE TOUCH |
 *   a ID ALIGN SIZE TOUCH | f ID | t ID OFF LEN | o PARAM VALUE | T PAD
 * (PARAM is the hs_param index).  -1 in ptr/mmapped/chunk means "no value"
 * (NULL, mmapped, or no result).  A row with .error ends the trace: glibc
 * aborted there with that message (or died of SIGSEGV). */
typedef struct row {
    const char *op;
    int64_t ptr, mmapped, chunk;
    uint64_t brk, mmaps, mmapped_bytes, rss;
    uint64_t mi[9];
    uint64_t minflt;
    const char *error;
} row;

/* Parses one op line into *op.  Fails the test on a malformed line. */
static inline void parse_op(const char *line, hs_op *op)
{
    memset (op, 0, sizeof *op);
    op->id = HS_NO_ID;
    unsigned long long a = 0, b = 0, c = 0, d = 0;
    long long v = 0;
    unsigned id = 0;
    switch (line[0]) {
    case 'm':
        assert_int_equal (sscanf (line + 1, "%u %llu %llu", &id, &a, &b), 3);
        op->kind = HS_OP_MALLOC; op->id = id; op->size = a; op->touch = b;
        break;
    case 'c':
        assert_int_equal (sscanf (line + 1, "%u %llu %llu %llu", &id, &a, &b, &c), 4);
        op->kind = HS_OP_CALLOC; op->id = id; op->arg = a; op->size = b; op->touch = c;
        break;
    case 'r':
        assert_int_equal (sscanf (line + 1, "%u %llu %llu", &id, &a, &b), 3);
        op->kind = HS_OP_REALLOC; op->id = id; op->size = a; op->touch = b;
        break;
    case 'a':
        assert_int_equal (sscanf (line + 1, "%u %llu %llu %llu", &id, &a, &b, &c), 4);
        op->kind = HS_OP_MEMALIGN; op->id = id; op->arg = a; op->size = b; op->touch = c;
        break;
    case 'f':
        assert_int_equal (sscanf (line + 1, "%u", &id), 1);
        op->kind = HS_OP_FREE; op->id = id;
        break;
    case 't':
        assert_int_equal (sscanf (line + 1, "%u %llu %llu", &id, &a, &d), 3);
        op->kind = HS_OP_TOUCH; op->id = id; op->arg = a; op->size = d;
        break;
    case 'o':
        assert_int_equal (sscanf (line + 1, "%llu %lld", &a, &v), 2);
        op->kind = HS_OP_MALLOPT; op->param = (uint8_t)a; op->value = v;
        break;
    case 'T':
        assert_int_equal (sscanf (line + 1, "%llu", &a), 1);
        op->kind = HS_OP_MALLOC_TRIM; op->size = a;
        break;
    default:
        fail_msg ("bad op line '%s'", line);
    }
}

/* Applies one op line on thread th (0 = main), checks every invariant
 * (hs_sim_check: A1-A3, H1-H10 of every arena) afterwards, and fails the
 * test on an abort or a broken invariant. */
static inline hs_step run_on(hs_sim *s, int th, const char *line)
{
    hs_op op;
    parse_op (line, &op);
    op.thread = (uint16_t)th;
    hs_step st;
    if (hs_sim_apply (s, &op, &st) != 0)
        fail_msg ("'%s' on thread %d: the model aborts: %s", line, th, st.error);
    const char *broken = hs_sim_check (s);
    if (broken)
        fail_msg ("after '%s' on thread %d: %s", line, th, broken);
    return st;
}

/* Applies one op line, checks every invariant afterwards, returns
 * hs_sim_apply's result. */
static inline int apply_line(hs_sim *s, const char *line, hs_step *st)
{
    hs_op op;
    parse_op (line, &op);
    int r = hs_sim_apply (s, &op, st);
    const char *broken = hs_sim_check (s);
    if (broken)
        fail_msg ("after '%s': invariant broken: %s", line, broken);
    return r;
}

/* Runs rows on s and compares every field with real glibc's numbers;
 * minflt within 2 + 1% of the real count, as `heapsim validate` allows.
 * Returns the number of rows applied. */
static inline size_t run_rows(hs_sim *s, const row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const row *w = &rows[i];
        hs_step st;
        int r = apply_line (s, w->op, &st);
        if (w->error) {
            if (r != 1)
                fail_msg ("row %zu '%s': glibc aborts with '%s', the model does not", i, w->op, w->error);
            if (strcmp (st.error, w->error) != 0)
                fail_msg ("row %zu '%s': glibc says '%s', the model '%s'", i, w->op, w->error, st.error);
            return i + 1;
        }
        if (r != 0)
            fail_msg ("row %zu '%s': the model aborts with '%s'", i, w->op, st.error);
        if (w->ptr >= 0) {
            if (!(st.has & HS_HAS_PTR) || st.ptr != (uint64_t)w->ptr)
                fail_msg ("row %zu '%s': ptr %lld expected, model %s%llu", i, w->op, (long long)w->ptr,
                          (st.has & HS_HAS_PTR) ? "" : "null/", (unsigned long long)st.ptr);
        } else if (st.has & HS_HAS_PTR)
            fail_msg ("row %zu '%s': ptr null expected, model %llu", i, w->op, (unsigned long long)st.ptr);
        if (w->chunk >= 0) {
            if (!(st.has & HS_HAS_CHUNK) || st.chunk != (uint64_t)w->chunk || st.mmapped != w->mmapped)
                fail_msg ("row %zu '%s': chunk %lld mmapped %lld expected, model %llu %u", i, w->op,
                          (long long)w->chunk, (long long)w->mmapped, (unsigned long long)st.chunk, st.mmapped);
        } else if (st.has & HS_HAS_CHUNK)
            fail_msg ("row %zu '%s': no result expected", i, w->op);
#define EQ(field, want) \
        if ((uint64_t)(field) != (uint64_t)(want)) \
            fail_msg ("row %zu '%s': %s %llu expected, model %llu", i, w->op, #field, \
                      (unsigned long long)(want), (unsigned long long)(field))
        EQ (st.brk, w->brk);
        EQ (st.mmaps, w->mmaps);
        EQ (st.mmapped_bytes, w->mmapped_bytes);
        EQ (st.rss, w->rss);
        EQ (st.mi.arena, w->mi[0]);
        EQ (st.mi.ordblks, w->mi[1]);
        EQ (st.mi.smblks, w->mi[2]);
        EQ (st.mi.hblks, w->mi[3]);
        EQ (st.mi.hblkhd, w->mi[4]);
        EQ (st.mi.uordblks, w->mi[5]);
        EQ (st.mi.fordblks, w->mi[6]);
        EQ (st.mi.fsmblks, w->mi[7]);
        EQ (st.mi.keepcost, w->mi[8]);
#undef EQ
        uint64_t tol = 2 + w->minflt / 100;
        if (st.minflt + tol < w->minflt || st.minflt > w->minflt + tol)
            fail_msg ("row %zu '%s': minflt %llu expected (+-%llu), model %llu", i, w->op,
                      (unsigned long long)w->minflt, (unsigned long long)tol,
                      (unsigned long long)st.minflt);
    }
    return n;
}

#define RUN_ROWS(s, rows) run_rows ((s), (rows), sizeof (rows) / sizeof (rows)[0])

/* A fresh glibc heap with room for 64 ids.  Fails the test if NULL. */
static inline hs_sim *new_glibc(void)
{
    hs_sim *s = hs_sim_new (HS_PROFILE_GLIBC_2_36, 64);
    assert_non_null (s);
    return s;
}

/* Applies op lines that must not abort (for setting up a state). */
static inline void ops(hs_sim *s, ...)
{
    va_list ap;
    va_start (ap, s);
    const char *line;
    while ((line = va_arg (ap, const char *)) != NULL) {
        hs_step st;
        if (apply_line (s, line, &st) != 0)
            fail_msg ("'%s' aborted: %s", line, st.error);
    }
    va_end (ap);
}

/* The chunk addresses of one bin, into out; returns the count. */
static inline size_t bin_list(hs_sim *s, hs_bin_family fam, int idx, uint64_t *out, size_t max)
{
    return hs_sim_bin (s, fam, idx, out, max);
}

/* True if some event of the last op has this code. */
static inline bool has_event(hs_sim *s, int code)
{
    size_t n;
    const hs_event *ev = hs_sim_events (s, &n);
    for (size_t i = 0; i < n; i++)
        if (ev[i].code == code)
            return true;
    return false;
}

#endif
