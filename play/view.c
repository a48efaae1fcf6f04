/* play/view.c — the model at any step of a trace, its series, and what the scene draws of it.
 * Owns: checkpoints for instant stepping back, the series; the snapshot is play/snap.c's, the chunks' owners play/owners.c's, real glibc play/feed.c's. */
#include "view.h"
#include "view_internal.h"

#include "bigmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Grows *p (elements of size sz) to hold need; false when out of memory. */
bool hs_view_grow_(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : 16;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q) return false;
    *p = q;
    *cap = c;
    return true;
}

/* Reads the model's state into v->snap.  Returns -1 when out of memory. */
static int take_snap(hs_view *v)
{
    return hs_snap_take_(v->sim, &v->snap);
}

hs_vals hs_vals_of_(const hs_step *st)
{
    hs_vals x = {0};
    if (!(st->has & HS_HAS_MEASURES)) return x;
    x.brk = st->brk;
    x.rss = st->rss;
    x.minflt = st->minflt;
    x.mmapped = st->mmapped_bytes;
    x.freeb = (st->has & HS_HAS_MALLINFO) ? st->mi.fordblks : 0;
    x.has = true;
    return x;
}

static void free_fine(hs_view *v)
{
    for (size_t j = 0; j < HS_FINE; j++) {
        hs_sim_free(v->fine[j]);
        v->fine[j] = NULL;
    }
    v->fine_cost = 0;
}

/* Keeps v->cps within v->cp_budget while build_model adds them: doubles K
 * and keeps every other checkpoint (cps[k] stays "after k*K ops").
 * cost[] holds each checkpoint's hs_sim_footprint.  Cannot fail. */
static void thin_checkpoints(hs_view *v, uint64_t *cost)
{
    while (v->cp_cost > v->cp_budget && v->ncps > 2) {
        size_t kept = 0;
        v->cp_cost = 0;
        for (size_t j = 0; j < v->ncps; j++) {
            if (j % 2) {
                hs_sim_free(v->cps[j]);
                continue;
            }
            v->cps[kept] = v->cps[j];
            cost[kept] = cost[j];
            v->cp_cost += cost[kept++];
        }
        v->ncps = kept;
        v->K *= 2;
    }
}

static void free_model(hs_view *v)
{
    hs_big_free(v->owners, v->n * sizeof *v->owners);
    v->owners = NULL;
    v->nowners = 0;
    free_fine(v);
    for (size_t i = 0; i < v->ncps; i++) hs_sim_free(v->cps[i]);
    free(v->cps);
    v->cps = NULL;
    v->ncps = 0;
    hs_sim_free(v->sim);
    v->sim = NULL;
    hs_big_free(v->mv, (v->n + 1) * sizeof *v->mv);
    v->mv = NULL;
    free(v->mv_bmin);
    free(v->mv_bmax);
    v->mv_bmin = v->mv_bmax = NULL;
}

/* Each series field's least and largest value per HS_MV_BLOCK steps of
 * v->mv.  Returns -1 when out of memory. */
static int block_extremes(hs_view *v)
{
    size_t nb = v->n / HS_MV_BLOCK + 1;
    v->mv_bmin = malloc(nb * sizeof *v->mv_bmin);
    v->mv_bmax = malloc(nb * sizeof *v->mv_bmax);
    if (!v->mv_bmin || !v->mv_bmax) return -1;
    for (size_t b = 0; b < nb; b++) {
        hs_vals lo = v->mv[b * HS_MV_BLOCK], hi = lo;
        size_t end = (b + 1) * HS_MV_BLOCK < v->n + 1 ? (b + 1) * HS_MV_BLOCK : v->n + 1;
        for (size_t i = b * HS_MV_BLOCK + 1; i < end; i++) {
            const hs_vals *x = &v->mv[i];
#define HS_EXT(f) if (x->f < lo.f) lo.f = x->f; if (x->f > hi.f) hi.f = x->f;
            HS_EXT(brk) HS_EXT(rss) HS_EXT(minflt) HS_EXT(mmapped) HS_EXT(freeb)
#undef HS_EXT
        }
        v->mv_bmin[b] = lo;
        v->mv_bmax[b] = hi;
    }
    return 0;
}

/* build_model's run: ops from base on, v the view. */
struct record_ctx {
    hs_view *v;
    size_t base;
};

/* hs_sim_run's sink of build_model: op base + k's step into the series,
 * its chunk among the owners, the first abort remembered.  Never stops the
 * run; cannot fail. */
static int record_step(void *ctx, size_t k, const hs_step *out)
{
    struct record_ctx *rc = ctx;
    hs_view *v = rc->v;
    size_t i = rc->base + k;
    if ((out->has & HS_HAS_ERROR) && !v->dead_step) {
        v->dead_step = i + 1;
        snprintf(v->dead_msg, sizeof v->dead_msg, "%s", out->error);
    }
    const hs_op *op = &v->t.ops[i];
    if ((out->has & HS_HAS_PTR) && (out->has & HS_HAS_CHUNK) && op->id != HS_NO_ID &&
        out->ptr >= 16) {
        struct hs_owner o = {out->ptr - 16, out->chunk, (uint32_t)(i + 1), op->id};
        if ((out->has & HS_HAS_ARENA) && out->arena > 0)   /* its arena's heap: hs_view_former_id_in */
            o.addr |= (uint64_t)out->arena << HS_OWNER_ARENA_SHIFT;
        v->owners[v->nowners++] = o;
    }
    v->mv[i + 1] = hs_vals_of_(out);
    if (!v->mv[i + 1].has) v->mv[i + 1] = v->mv[i], v->mv[i + 1].has = false;
    const hs_vals *x = &v->mv[i + 1];
    hs_vals *m = &v->mv_max;
    if (x->rss > m->rss) m->rss = x->rss;
    if (x->minflt > m->minflt) m->minflt = x->minflt;
    if (x->mmapped > m->mmapped) m->mmapped = x->mmapped;
    if (x->freeb > m->freeb) m->freeb = x->freeb;
    if (v->mv[i + 1].brk > v->max_brk) v->max_brk = v->mv[i + 1].brk;
    if (v->mv[i + 1].mmapped > v->max_mm) v->max_mm = v->mv[i + 1].mmapped;
    return 0;
}

/* Runs the whole trace once with explanations off: the series, the
 * checkpoints, the maxima.  Returns -1 when out of memory. */
static int build_model(hs_view *v)
{
    v->K = (v->n + HS_COARSE - 1) / HS_COARSE;
    if (v->K < 32) v->K = 32;
    if (v->cp_budget == 0) v->K = v->n + 1;  /* step 0 only */
    v->fine_seg = 0;
    free_fine(v);
    v->cp_cost = 0;
    /* the series and the owners (at most one an op) are written whole: hs_big_alloc */
    v->mv = hs_big_alloc((v->n + 1) * sizeof *v->mv);
    v->owners = hs_big_alloc(v->n * sizeof *v->owners);
    v->cps = calloc(v->n / v->K + 1, sizeof *v->cps);
    uint64_t *cost = calloc(v->n / v->K + 1, sizeof *cost);
    hs_sim *s = hs_sim_new(v->profile, v->t.n_ids);
    if (!v->mv || (v->n && !v->owners) || !v->cps || !cost || !s) {
        free(cost);
        hs_sim_free(s);
        return -1;
    }
    hs_sim_set_explain(s, false);
    hs_sim_set_machine(s, &v->machine, v->t.n_threads);
    v->dead_step = 0;
    v->dead_msg[0] = '\0';
    v->max_brk = v->max_mm = 0;
    hs_status st0;
    hs_sim_status(s, &st0);
    v->mv[0].brk = st0.brk;
    v->mv[0].rss = st0.rss;
    v->mv[0].minflt = st0.minflt;
    v->mv[0].mmapped = st0.mmapped_bytes;
    v->mv[0].freeb = st0.mi.fordblks;
    v->mv[0].has = true;
    v->max_brk = st0.brk;
    v->mv_max = v->mv[0];
    for (size_t i = 0;;) {
        if (i % v->K == 0 || i % HS_COMPACT_EVERY == 0) hs_sim_compact(s);
        if (i % v->K == 0) {
            hs_sim *c = hs_sim_clone(s);
            if (!c) {
                free(cost);
                hs_sim_free(s);
                return -1;
            }
            cost[v->ncps] = hs_sim_footprint(c);
            v->cp_cost += cost[v->ncps];
            v->cps[v->ncps++] = c;
            thin_checkpoints(v, cost);
        }
        if (i == v->n) break;
        /* the ops up to the next checkpoint or compaction, in one run */
        size_t next = (i / v->K + 1) * v->K, comp = (i / HS_COMPACT_EVERY + 1) * HS_COMPACT_EVERY;
        if (comp < next) next = comp;
        if (next > v->n) next = v->n;
        struct record_ctx rc = {v, i};
        hs_step out;   /* hs_sim_run sets out.has and every field it marks: no 1.3 KB clear per op */
        hs_sim_run(s, &v->t.ops[i], next - i, true, &out, record_step, &rc);
        i = next;
    }
    hs_sim_free(s);
    free(cost);
    v->mv_max.brk = v->max_brk;
    if (block_extremes(v) != 0) return -1;
    v->K2 = v->cp_budget && v->K >= 4 * HS_FINE ? (v->K + HS_FINE - 1) / HS_FINE : 0;
    hs_owners_sort_(v->owners, v->nowners);
    return 0;
}

/* Lists the steps of the ops on each id (v->id_first, v->id_steps), so a
 * chunk's history reads its ops without a pass over the trace.  Returns -1
 * when memory runs out. */
static int index_ids(hs_view *v)
{
    uint32_t ni = v->t.n_ids;
    v->id_first = calloc((size_t)ni + 2, sizeof *v->id_first);
    if (!v->id_first) return -1;
    for (size_t i = 0; i < v->n; i++)   /* counts, one slot on: id_first[k + 2] */
        if (v->t.ops[i].id < ni) v->id_first[v->t.ops[i].id + 2]++;
    for (uint32_t k = 2; k < ni + 2; k++) v->id_first[k] += v->id_first[k - 1];
    v->id_steps = malloc((v->id_first[ni + 1] ? v->id_first[ni + 1] : 1) * sizeof *v->id_steps);
    if (!v->id_steps) return -1;
    /* each op goes where id_first[id + 1] points, which then moves on: id_first[k] ends as
     * slot k's start (traces past 2^32 ops do not fit in memory) */
    for (size_t i = 0; i < v->n; i++)
        if (v->t.ops[i].id < ni) v->id_steps[v->id_first[v->t.ops[i].id + 1]++] = (uint32_t)(i + 1);
    return 0;
}

/* Appends one explanation line; out of memory drops it. */
static void add_expl(hs_view *v, const char *line)
{
    size_t n = strlen(line);
    size_t need = (v->expl ? strlen(v->expl) : 0) + n + 2;
    if (!hs_view_grow_((void **)&v->expl, &v->explcap, need, 1)) return;
    if (v->nexpl == 0) v->expl[0] = '\0';
    else strcat(v->expl, "\n");
    strcat(v->expl, line);
    v->nexpl++;
}

/* hs_sim_explain_each's callback: keeps a non-empty line. */
static void take_expl(void *ctx, const char *line)
{
    if (line[0]) add_expl(ctx, line);
}

static void collect_expl(hs_view *v)
{
    v->nexpl = 0;
    if (v->expl) v->expl[0] = '\0';
    hs_sim_explain_each_as(v->sim, hs_trace_thread_namer, &v->t, take_expl, v);
}

/* The checkpoint nearest before `ops` ops: the coarse one of its segment or
 * a fine one past it; *from gets its op count.  Switches the fine set to
 * that segment (freeing the old one).  Cannot fail. */
static const hs_sim *nearest_checkpoint(hs_view *v, size_t ops, size_t *from)
{
    size_t seg = ops / v->K;
    if (seg >= v->ncps) seg = v->ncps - 1;
    *from = seg * v->K;
    const hs_sim *start = v->cps[seg];
    if (v->K2) {
        if (v->fine_seg != seg) {
            free_fine(v);
            v->fine_seg = seg;
        }
        for (size_t j = (ops - *from) / v->K2; j > 0; j--)
            if (j < HS_FINE && v->fine[j]) {
                start = v->fine[j];
                *from += j * v->K2;
                break;
            }
    }
    return start;
}

/* Moves s (with explanations off) from `from` ops to `ops` ops.  On the way
 * keeps one fine checkpoint: at the last K2 boundary of the segment at or
 * before `ops`, if it is missing and within half of cp_budget (so a jump
 * clones at most once more, and stepping back from there replays at most
 * K2 ops).  Out of memory: just no fine checkpoint.  Cannot fail. */
static void replay_to(hs_view *v, hs_sim *s, size_t from, size_t ops)
{
    hs_sim_set_explain(s, false);
    size_t base = v->fine_seg * v->K, want = 0;
    if (v->K2 && ops >= base) {
        size_t j = (ops - base) / v->K2;
        if (j > 0 && j < HS_FINE && !v->fine[j] && base + j * v->K2 > from) want = base + j * v->K2;
    }
    /* no step line wanted: no measures */
    if (want && want <= ops) {   /* a fine checkpoint on the way */
        hs_sim_run(s, &v->t.ops[from], want - from, false, NULL, NULL, NULL);
        from = want;
        hs_sim_compact(s);
        uint64_t c = hs_sim_footprint(s);
        if (v->fine_cost + c <= v->cp_budget / 2) {   /* over budget: no shortcut */
            size_t j = (want - base) / v->K2;
            v->fine[j] = hs_sim_clone(s);
            if (v->fine[j]) v->fine_cost += c;
        }
    }
    hs_sim_run(s, &v->t.ops[from], ops - from, false, NULL, NULL, NULL);
}

int hs_view_goto(hs_view *v, size_t step)
{
    if (step > v->n) step = v->n;
    hs_sim *s;
    hs_step out;
    memset(&out, 0, sizeof out);
    int rc = 0;
    if (v->sim && step == v->step + 1) {
        s = v->sim;
        hs_sim_set_explain(s, true);
        rc = hs_sim_apply(s, &v->t.ops[step - 1], &out);
    } else {
        size_t ops = step == 0 ? 0 : step - 1, from;
        const hs_sim *start = nearest_checkpoint(v, ops, &from);
        if (v->sim && v->step <= ops && v->step >= from) {
            /* forward, and the current model is nearer than any checkpoint:
             * no copy (the model is deterministic: the same state) */
            s = v->sim;
            from = v->step;
        } else {
            s = hs_sim_clone_reusing(start, v->sim);   /* v->sim is freed below */
            if (!s) return -1;
        }
        replay_to(v, s, from, ops);
        if (step > 0) {
            hs_sim_set_explain(s, true);
            memset(&out, 0, sizeof out);
            rc = hs_sim_apply(s, &v->t.ops[step - 1], &out);
        }
        if (s != v->sim) hs_sim_free(v->sim);
        v->sim = s;
    }
    v->step = step;
    v->last = out;
    v->last_rc = rc;
    if (step > 0) collect_expl(v);
    else v->nexpl = 0;
    hs_view_take_text_(v);
    if (take_snap(v) != 0) return -1;
    return hs_view_arena_sync_(v);
}

uint64_t hs_view_checkpoint_bytes(const hs_view *v)
{
    return v->cp_cost + v->fine_cost;
}

/* See view.h. */
uint64_t hs_view_checkpoint_budget(const hs_view *v)
{
    return v->cp_budget + v->cp_budget / 2;
}

/* See view.h. */
uint64_t hs_view_budget(uint64_t mem_available)
{
    uint64_t b = mem_available / 8;
    return b < HS_CP_BUDGET_MIN ? HS_CP_BUDGET_MIN : b > HS_CP_BUDGET ? HS_CP_BUDGET : b;
}

hs_view *hs_view_new(hs_trace *t, const char *path, hs_profile profile, const hs_machine_facts *m)
{
    return hs_view_new_budget(t, path, profile, m, HS_CP_BUDGET);
}

hs_view *hs_view_new_budget(hs_trace *t, const char *path, hs_profile profile,
                            const hs_machine_facts *m, uint64_t cp_budget)
{
    hs_view *v = calloc(1, sizeof *v);
    if (!v) {
        hs_trace_free(t);
        return NULL;
    }
    v->t = *t;
    memset(t, 0, sizeof *t);
    snprintf(v->path, sizeof v->path, "%s", path ? path : "");
    const char *slash = strrchr(v->path, '/');
    const char *base = slash ? slash + 1 : v->path;
    size_t bl = strlen(base);
    if (bl >= sizeof v->name) bl = sizeof v->name - 1;
    memcpy(v->name, base, bl);
    v->name[bl] = '\0';
    v->profile = profile;
    v->arena_sel = -1;   /* the heap map follows the current op's thread */
    v->cp_budget = cp_budget;
    if (m) {
        v->machine = *m;
    } else {   /* the model's defaults (sim.h) */
        v->machine.commit_limit = UINT64_MAX;
        v->machine.cpus_online = v->machine.cpus_sched = 2;
    }
    v->n = v->t.n_ops;
    atomic_init(&v->real_n, 0);
    atomic_init(&v->real_state, HS_REAL_NONE);
    atomic_init(&v->real_cancel, 0);
    v->rv = calloc(v->n + 1, sizeof *v->rv);
    v->dis = calloc(v->n + 1, 1);
    for (size_t i = 1; i <= v->n; i++) v->nlabelled += hs_view_label(v, i) != NULL;
    v->labelled = malloc((v->nlabelled ? v->nlabelled : 1) * sizeof *v->labelled);
    if (!v->labelled) {
        hs_view_free(v);
        return NULL;
    }
    v->nlabelled = 0;
    for (size_t i = 1; i <= v->n; i++)
        if (hs_view_label(v, i)) v->labelled[v->nlabelled++] = i;
    if (!v->rv || !v->dis || index_ids(v) != 0 || build_model(v) != 0 || hs_view_goto(v, 0) != 0) {
        hs_view_free(v);
        return NULL;
    }
    return v;
}

void hs_view_free(hs_view *v)
{
    if (!v) return;
    free_model(v);
    hs_sim_free(v->cmp);
    hs_snap_free_(&v->snap);
    hs_view_arena_free_(v);
    free(v->expl);
    hs_view_real_free_(v);
    free(v->rv);
    free(v->dis);
    free(v->labelled);
    free(v->id_first);
    free(v->id_steps);
    hs_trace_free(&v->t);
    free(v);
}

int hs_view_set_profile(hs_view *v, hs_profile p)
{
    /* Keep the old model until the new one is built. */
    struct {
        hs_profile profile;
        hs_sim *sim, **cps;
        size_t ncps, K, K2, dead_step;
        hs_vals *mv, mv_max, *mv_bmin, *mv_bmax;
        hs_snap snap;
        uint64_t max_brk, max_mm, cp_cost;
        char dead_msg[HS_ERROR_MAX];
        struct hs_owner *owners;
        size_t nowners;
    } old = {v->profile, v->sim, v->cps, v->ncps, v->K, v->K2, v->dead_step, v->mv, v->mv_max, v->mv_bmin, v->mv_bmax, v->snap,
             v->max_brk, v->max_mm, v->cp_cost, {0}, v->owners, v->nowners};
    memcpy(old.dead_msg, v->dead_msg, sizeof old.dead_msg);
    size_t step = v->step;
    free_fine(v);
    v->profile = p;
    v->sim = NULL;
    v->cps = NULL;
    v->ncps = 0;
    v->mv = NULL;
    v->mv_bmin = v->mv_bmax = NULL;
    v->owners = NULL;
    v->nowners = 0;
    memset(&v->snap, 0, sizeof v->snap);
    if (build_model(v) != 0 || hs_view_goto(v, step) != 0) {
        free_model(v);
        hs_snap_free_(&v->snap);
        v->profile = old.profile;
        v->sim = old.sim;
        v->cps = old.cps;
        v->ncps = old.ncps;
        v->K = old.K;
        v->K2 = old.K2;
        v->cp_cost = old.cp_cost;
        v->mv = old.mv;
        v->mv_max = old.mv_max;
        v->mv_bmin = old.mv_bmin;
        v->mv_bmax = old.mv_bmax;
        v->snap = old.snap;
        v->dead_step = old.dead_step;
        memcpy(v->dead_msg, old.dead_msg, sizeof v->dead_msg);
        v->max_brk = old.max_brk;
        v->max_mm = old.max_mm;
        v->owners = old.owners;
        v->nowners = old.nowners;
        v->step = step;
        hs_view_arena_sync_(v);   /* the old model's arena again (out of memory: main) */
        return -1;
    }
    hs_big_free(old.owners, v->n * sizeof *old.owners);
    for (size_t i = 0; i < old.ncps; i++) hs_sim_free(old.cps[i]);
    free(old.cps);
    hs_sim_free(old.sim);
    hs_big_free(old.mv, (v->n + 1) * sizeof *old.mv);
    free(old.mv_bmin);
    free(old.mv_bmax);
    hs_snap_free_(&old.snap);
    hs_view_reset_compare_(v);
    return 0;
}

const hs_item *hs_view_find_id(const hs_view *v, uint32_t id)
{
    if (id == HS_NO_ID) return NULL;
    for (size_t i = 0; i < v->snap.nitems; i++)
        if (v->snap.items[i].id == id && (v->snap.items[i].state == HS_CH_INUSE ||
                                          v->snap.items[i].state == HS_CH_MMAPPED))
            return &v->snap.items[i];
    for (size_t i = 0; i < v->snap.nitems; i++)
        if (v->snap.items[i].id == id) return &v->snap.items[i];
    return NULL;
}

uint32_t hs_view_slot(const hs_view *v, const char *name)
{
    for (uint32_t i = 0; i < v->t.n_ids; i++)
        if (v->t.ids[i] && strcmp(v->t.ids[i], name) == 0) return i;
    return HS_NO_ID;
}

void hs_view_heap_pages(const hs_view *v, uint64_t first, size_t n, uint8_t *out)
{
    hs_sim_heap_pages(v->sim, first, n, out);
}
