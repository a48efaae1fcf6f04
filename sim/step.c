/* sim/step.c — the one rule set for comparing a model step with a real step.
 * Owns: hs_step_compare (field by field, the minflt tolerance) and its one-line summary. */
#include "step.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "op.h"

/* Adds one differing field; past HS_STEP_DIFF_MAX only the count grows. */
static void differ(hs_step_cmp *c, const char *field, const char *model, const char *real)
{
    if (c->n < HS_STEP_DIFF_MAX) {
        hs_step_diff *d = &c->d[c->n];
        d->field = field;
        snprintf (d->model, sizeof d->model, "%s", model);
        snprintf (d->real, sizeof d->real, "%s", real);
    }
    c->n++;
}

/* Compares one number; hex for an address or a heap offset (ptr, chunk,
 * brk: as the narration, the tooltips and `heapsim real`'s table write
 * them), else decimal. */
static void cmp_num(hs_step_cmp *c, const char *field, uint64_t model, uint64_t real, bool hex)
{
    c->fields++;
    if (model == real) return;
    char a[32], b[32];
    snprintf (a, sizeof a, hex ? "0x%" PRIx64 : "%" PRIu64, model);
    snprintf (b, sizeof b, hex ? "0x%" PRIx64 : "%" PRIu64, real);
    differ (c, field, a, b);
}
#define cmp_u64(c, f, m, r) cmp_num (c, f, m, r, false)
#define cmp_hex(c, f, m, r) cmp_num (c, f, m, r, true)


uint32_t hs_step_compare(const hs_step *m, const hs_step *r, int op_kind, hs_step_cmp *c)
{
    c->fields = c->n = 0;
    bool me = m->has & HS_HAS_ERROR, re = r->has & HS_HAS_ERROR;
    c->fields++;
    if (me != re || (me && strcmp (m->error, r->error) != 0))
        differ (c, "error", me ? m->error : "(none)", re ? r->error : "(none)");
    /* Whether the call returned a chunk at all: mmapped is null exactly when
     * there is no result (NULL, or an op that returns nothing), so a model
     * that returns memory where glibc returned NULL is caught here. */
    if (hs_op_returns_ptr (op_kind) && !me && !re) {
        c->fields++;
        bool mr = m->has & HS_HAS_MMAPPED, rr = r->has & HS_HAS_MMAPPED;
        if (mr != rr) differ (c, "result", mr ? "a chunk" : "NULL", rr ? "a chunk" : "NULL");
    }
    if (m->has & r->has & HS_HAS_PTR) cmp_hex (c, "ptr", m->ptr, r->ptr);
    if (m->has & r->has & HS_HAS_MMAPPED) cmp_u64 (c, "mmapped", m->mmapped, r->mmapped);
    if (m->has & r->has & HS_HAS_CHUNK) cmp_hex (c, "chunk", m->chunk, r->chunk);
    if (m->has & r->has & HS_HAS_ARENA) cmp_u64 (c, "arena", m->arena, r->arena);
    if (!(m->has & r->has & HS_HAS_MEASURES)) return c->n;
    cmp_hex (c, "brk", m->brk, r->brk);
    cmp_u64 (c, "mmaps", m->mmaps, r->mmaps);
    cmp_u64 (c, "mmapped_bytes", m->mmapped_bytes, r->mmapped_bytes);
    cmp_u64 (c, "rss", m->rss, r->rss);
    /* mallinfo2 null: glibc's walk of a corrupted heap hung or faulted (the
     * replayer's guard), which the model predicts for a fastbin cycle. */
    bool mmi = m->has & HS_HAS_MALLINFO, rmi = r->has & HS_HAS_MALLINFO;
    bool mi_taken = !((m->has | r->has) & HS_HAS_MI_UNMEASURED);   /* sampling skipped it */
    c->fields += mi_taken;
    if (mi_taken && mmi != rmi)
        differ (c, "mallinfo", mmi ? "(values)" : "null", rmi ? "(values)" : "null");
    if (mi_taken && mmi && rmi) {
        static const char *const names[9] = {
            "mallinfo.arena", "mallinfo.ordblks", "mallinfo.smblks",
            "mallinfo.hblks", "mallinfo.hblkhd", "mallinfo.uordblks",
            "mallinfo.fordblks", "mallinfo.fsmblks", "mallinfo.keepcost"};
        const uint64_t *mm = &m->mi.arena, *rm = &r->mi.arena;
        for (int i = 0; i < 9; i++) cmp_u64 (c, names[i], mm[i], rm[i]);
    }
    /* per arena, what malloc_stats prints: the count, then each arena's two
     * figures (the index goes into the values: field names are static) */
    if (m->has & r->has & HS_HAS_ARENAS) {
        cmp_u64 (c, "arenas.count", m->n_arenas, r->n_arenas);
        uint32_t n = m->n_arenas < r->n_arenas ? m->n_arenas : r->n_arenas;
        if (n > HS_STEP_ARENAS_MAX) n = HS_STEP_ARENAS_MAX;
        for (uint32_t i = 0; i < n; i++)
            for (int k = 0; k < 2; k++) {
                uint64_t mv = k ? m->arenas[i].in_use : m->arenas[i].system;
                uint64_t rv = k ? r->arenas[i].in_use : r->arenas[i].system;
                c->fields++;
                if (mv == rv) continue;
                char a[48], b[48];
                snprintf (a, sizeof a, "arena %" PRIu32 ": %" PRIu64, i, mv);
                snprintf (b, sizeof b, "arena %" PRIu32 ": %" PRIu64, i, rv);
                differ (c, k ? "arenas.in_use" : "arenas.system", a, b);
            }
    }
    /* minflt: at most 2 faults plus 1% of the real value apart. */
    c->fields++;
    uint64_t d = m->minflt > r->minflt ? m->minflt - r->minflt : r->minflt - m->minflt;
    if (d * 100 > 200 + r->minflt) {
        char a[32], b[64];
        snprintf (a, sizeof a, "%" PRIu64, m->minflt);
        snprintf (b, sizeof b, "%" PRIu64 " (tolerance 2 + 1%%)", r->minflt);
        differ (c, "minflt", a, b);
    }
    return c->n;
}

void hs_step_cmp_summary(const hs_step_cmp *c, char *buf, size_t len)
{
    hs_step_cmp_summary_as(c, "real", buf, len);
}

void hs_step_cmp_summary_as(const hs_step_cmp *c, const char *other, char *buf, size_t len)
{
    if (!buf || len == 0) return;
    buf[0] = '\0';
    size_t shown = c->n < HS_STEP_DIFF_MAX ? c->n : HS_STEP_DIFF_MAX;
    for (size_t i = 0; i < shown; i++) {
        size_t k = strlen (buf);
        if (k + 1 >= len) return;
        const hs_step_diff *d = &c->d[i];
        snprintf (buf + k, len - k, "%s%s %s (%s %s)", k ? ", " : "", d->field, d->model,
                 other, d->real);
    }
}
