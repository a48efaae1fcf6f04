/* play/feed.c — real glibc beside the model: the replay thread, its queue, the comparison.
 * Owns: hs_view_real_* (hand-over from the replay thread, sync, sim/step.c's comparison per step). */
#include "view.h"
#include "view_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void hs_view_reset_compare_(hs_view *v)
{
    hs_sim_free(v->cmp);
    v->cmp = NULL;
    v->cmp_n = 0;
    v->cmp_dead = false;
    v->ndis = 0;
    v->first_dis = 0;
    if (v->dis) memset(v->dis, 0, v->n + 1);
}

/* ---- real glibc: the hand-over from the replay thread ---- */

#define RQ_MAX_STEPS 16384              /* pushed and unread, before push waits */
#define RQ_MAX_RUNS (1u << 20)          /* page runs pushed and unread, likewise */

/* One pushed step; its runs are runs[run0 .. run0 + nruns) of its batch. */
typedef struct rq_ent {
    hs_step st;
    uint64_t pages, covered;
    size_t run0, nruns;
    bool has_pages;
} rq_ent;

/* A batch of pushed steps.  The replay thread fills `in` under the lock;
 * sync swaps it with `out` and reads `out` without the lock. */
typedef struct rq_batch {
    rq_ent *ent;
    size_t n, cap;
    hs_page_run *runs;
    size_t nruns, capruns;
} rq_batch;

struct hs_rqueue {
    pthread_mutex_t mu;
    rq_batch in, out;
    bool oom;                 /* a push ran out of memory: the replay failed */
    /* the replay thread's: the pages of the step it pushes next */
    hs_page_run *stage;
    size_t nstage, capstage;
    uint64_t spages, scovered;
    bool staged;
};

static void rq_free(struct hs_rqueue *q)
{
    if (!q) return;
    pthread_mutex_destroy(&q->mu);
    free(q->in.ent);
    free(q->in.runs);
    free(q->out.ent);
    free(q->out.runs);
    free(q->stage);
    free(q);
}

/* Frees everything real; the view then has no real data.  Cannot fail. */
void hs_view_real_free_(hs_view *v)
{
    rq_free(v->q);
    v->q = NULL;
    hs_rlog_free(v->rlog);
    v->rlog = NULL;
    hs_rpages_free(v->rpages);
    v->rpages = NULL;
}

int hs_view_real_begin(hs_view *v)
{
    atomic_store(&v->real_n, 0);
    atomic_store(&v->real_cancel, 0);
    if (!v->q) {
        v->q = calloc(1, sizeof *v->q);
        if (v->q && pthread_mutex_init(&v->q->mu, NULL) != 0) {
            free(v->q);
            v->q = NULL;
        }
    }
    if (!v->rlog) v->rlog = hs_rlog_new();
    if (!v->rpages) v->rpages = hs_rpages_new(HS_REAL_PAGES_BUDGET);
    if (!v->q || !v->rlog || !v->rpages) {
        hs_view_real_free_(v);
        snprintf(v->real_msg, sizeof v->real_msg, "out of memory for the real replay");
        atomic_store(&v->real_state, HS_REAL_FAILED);
        return -1;
    }
    v->q->in.n = v->q->in.nruns = v->q->out.n = v->q->out.nruns = 0;
    v->q->oom = v->q->staged = false;
    hs_rlog_clear(v->rlog);
    hs_rpages_clear(v->rpages);
    v->rn = 0;
    v->real_max_brk = 0;
    v->real_msg[0] = '\0';
    atomic_store(&v->real_state, HS_REAL_RUNNING);
    memset(v->rv, 0, (v->n + 1) * sizeof *v->rv);
    hs_view_reset_compare_(v);
    return 0;
}

void hs_view_real_push_pages(hs_view *v, const hs_real_pages *pg)
{
    struct hs_rqueue *q = v->q;
    if (!q) return;
    q->staged = hs_view_grow_((void **)&q->stage, &q->capstage, pg->n_runs, sizeof *q->stage);
    if (!q->staged) return;
    if (pg->n_runs) memcpy(q->stage, pg->runs, pg->n_runs * sizeof *q->stage);
    q->nstage = pg->n_runs;
    q->spages = pg->pages;
    q->scovered = pg->covered;
}

/* Whether the batch has room for one more step with nruns runs (an empty
 * batch always has).  Called with the lock held. */
static bool rq_room(const rq_batch *b, size_t nruns)
{
    return b->n == 0 || (b->n < RQ_MAX_STEPS && b->nruns + nruns <= RQ_MAX_RUNS);
}

int hs_view_real_push(hs_view *v, const hs_step *st)
{
    struct hs_rqueue *q = v->q;
    if (!q) return 1;
    size_t nruns = q->staged ? q->nstage : 0;
    for (;;) {
        if (atomic_load(&v->real_cancel)) return 1;
        pthread_mutex_lock(&q->mu);
        if (rq_room(&q->in, nruns)) break;
        pthread_mutex_unlock(&q->mu);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    rq_batch *b = &q->in;
    if (!hs_view_grow_((void **)&b->ent, &b->cap, b->n + 1, sizeof *b->ent) ||
        !hs_view_grow_((void **)&b->runs, &b->capruns, b->nruns + nruns, sizeof *b->runs)) {
        q->oom = true;
        pthread_mutex_unlock(&q->mu);
        return 1;
    }
    rq_ent *e = &b->ent[b->n++];
    e->st = *st;
    e->has_pages = q->staged;
    e->pages = q->spages;
    e->covered = q->scovered;
    e->run0 = b->nruns;
    e->nruns = nruns;
    if (nruns) memcpy(b->runs + b->nruns, q->stage, nruns * sizeof *b->runs);
    b->nruns += nruns;
    q->staged = false;
    size_t i = atomic_load_explicit(&v->real_n, memory_order_relaxed) + 1;
    atomic_store_explicit(&v->real_n, i, memory_order_release);
    pthread_mutex_unlock(&q->mu);
    return i >= v->n;
}

void hs_view_real_cancel(hs_view *v) { atomic_store(&v->real_cancel, 1); }

void hs_view_real_finish(hs_view *v, int rc, const char *msg)
{
    bool oom = false;
    if (v->q) {
        pthread_mutex_lock(&v->q->mu);
        oom = v->q->oom;
        pthread_mutex_unlock(&v->q->mu);
    }
    if (rc == 0 && oom) {
        rc = -1;
        msg = "out of memory while keeping the real steps";
    }
    if (rc != 0) snprintf(v->real_msg, sizeof v->real_msg, "%s", msg && *msg ? msg : "replay failed");
    atomic_store_explicit(&v->real_state, rc == 0 ? HS_REAL_DONE : HS_REAL_FAILED,
                          memory_order_release);
}

/* Takes the steps pushed since the last call into rlog, rpages and rv.
 * Out of memory: the steps that do not fit are dropped, and the replay is
 * cancelled and marked failed. */
static void real_drain(hs_view *v)
{
    struct hs_rqueue *q = v->q;
    if (!q) return;
    pthread_mutex_lock(&q->mu);
    rq_batch t = q->out;
    q->out = q->in;
    q->in = t;
    q->in.n = q->in.nruns = 0;
    pthread_mutex_unlock(&q->mu);
    rq_batch *b = &q->out;
    for (size_t k = 0; k < b->n; k++) {
        const rq_ent *e = &b->ent[k];
        size_t i = v->rn;  /* op index; step i + 1 */
        if (i >= v->n) break;
        if (hs_rlog_append(v->rlog, &e->st) != 0) {
            hs_view_real_cancel(v);
            snprintf(v->real_msg, sizeof v->real_msg, "out of memory after %zu real steps", i);
            atomic_store(&v->real_state, HS_REAL_FAILED);
            break;
        }
        hs_real_pages pg = {e->st.step, e->pages, e->covered, b->runs + e->run0, e->nruns};
        hs_rpages_append(v->rpages, e->has_pages ? &pg : NULL);  /* full: no pages from here */
        hs_vals rv = hs_vals_of_(&e->st);
        rv.no_free = rv.has && !(e->st.has & HS_HAS_MALLINFO);   /* sampled, or the walk failed */
        v->rv[i + 1] = rv.has ? rv : v->rv[i];
        v->rv[i + 1].has = rv.has;
        if (i == 0 && !v->rv[0].has) v->rv[0].has = true;  /* both start from nothing */
        if (rv.has && rv.brk > v->real_max_brk) v->real_max_brk = rv.brk;
        v->rn++;
    }
    b->n = b->nruns = 0;
}

size_t hs_view_real_sync_some(hs_view *v, size_t max)
{
    real_drain(v);
    if (v->cmp_n < v->rn && !v->cmp) {
        v->cmp = hs_sim_new(v->profile, v->t.n_ids);
        if (!v->cmp) return v->rn;
        hs_sim_set_explain(v->cmp, false);
        hs_sim_set_machine(v->cmp, &v->machine, v->t.n_threads);
    }
    for (size_t done = 0; v->cmp_n < v->rn && done < max; done++) {
        size_t i = v->cmp_n;  /* op index; step i + 1 */
        hs_step r;
        hs_rlog_get(v->rlog, i + 1, &r);
        if (!v->cmp_dead) {
            hs_step m;
            memset(&m, 0, sizeof m);
            if (hs_sim_apply(v->cmp, &v->t.ops[i], &m) != 0) v->cmp_dead = true;
            hs_step_cmp c;
            if (hs_step_compare(&m, &r, v->t.ops[i].kind, &c) != 0) {
                v->dis[i + 1] = 1;
                v->ndis++;
                if (!v->first_dis) v->first_dis = i + 1;
            }
        }
        v->cmp_n++;
    }
    return v->rn;
}

size_t hs_view_real_sync(hs_view *v) { return hs_view_real_sync_some(v, SIZE_MAX); }

bool hs_view_real_get(const hs_view *v, size_t step, hs_step *out)
{
    if (!v->rlog || step == 0 || step > v->rn) {
        memset(out, 0, sizeof *out);
        return false;
    }
    return hs_rlog_get(v->rlog, step, out);
}

int hs_view_real_heap_pages(const hs_view *v, size_t step, uint64_t first, size_t n,
                            uint8_t *out, uint64_t *pages)
{
    *pages = 0;
    if (!v->rpages || step == 0 || step > v->rn) return HS_RPG_NONE;
    return hs_rpages_get(v->rpages, step, first, n, out, pages);
}


bool hs_view_real_agrees(const hs_view *v, const hs_step *r, char *buf, size_t len)
{
    hs_step_cmp c;
    hs_step_compare(&v->last, r, v->t.ops[v->step - 1].kind, &c);
    hs_step_cmp_summary(&c, buf, len);
    return c.n == 0;
}

size_t hs_view_real_pages_full(const hs_view *v) { return v->rpages ? hs_rpages_full(v->rpages) : 0; }

/* ---- the replay itself: on this thread, or on a thread of its own ---- */

struct hs_feed {
    hs_view *v;
    hs_feed_target to;
    double timeout_s;
    void (*wake)(void *ctx, bool done);
    void *ctx;
    pthread_t thread;
    bool single;              /* run on the caller's thread: sync after each push */
};

static int feed_step(void *ctx, const hs_step *st)
{
    struct hs_feed *f = ctx;
    int stop = hs_view_real_push(f->v, st);
    if (f->single) hs_view_real_sync(f->v);
    if (f->wake) f->wake(f->ctx, false);
    return stop;
}

static void feed_pages(void *ctx, const hs_real_pages *pg)
{
    struct hs_feed *f = ctx;
    hs_view_real_push_pages(f->v, pg);
}

/* Runs the replay to its end and says so; returns hs_real_run's result. */
static int feed_run(struct hs_feed *f, char *msg, size_t len)
{
    hs_real_opts ro = {.replayer = f->to.replayer, .timeout_s = f->timeout_s, .on_pages = feed_pages,
                       .ldso = f->to.ldso, .libpath = f->to.libpath,
                       .sample = f->v->real_sample};
    int rc = hs_real_run(&f->v->t, &ro, feed_step, f, msg, len);
    hs_view_real_finish(f->v, rc, msg);
    if (f->wake) f->wake(f->ctx, true);
    return rc;
}

static void *feed_thread(void *arg)
{
    char msg[512] = "";
    feed_run(arg, msg, sizeof msg);
    return NULL;
}

/* The words for the glibc measured (hs_view.real_glibc), and the sample the
 * replay takes (long traces: as `heapsim real`). */
static void name_target(hs_view *v, const hs_feed_target *to)
{
    v->real_sample = hs_real_sample_for(&v->t, to->sample);
    if (to->ldso && to->version) snprintf(v->real_glibc, sizeof v->real_glibc, "%s from the cache", to->version);
    else if (to->version) snprintf(v->real_glibc, sizeof v->real_glibc, "%s on this machine", to->version);
    else snprintf(v->real_glibc, sizeof v->real_glibc, "on this machine");
}

int hs_feed_run(hs_view *v, const hs_feed_target *to, double timeout_s, char *msg, size_t len)
{
    name_target(v, to);
    if (hs_view_real_begin(v) != 0) {
        snprintf(msg, len, "%s", v->real_msg);
        return -1;
    }
    struct hs_feed f = {.v = v, .to = *to, .timeout_s = timeout_s, .single = true};
    int rc = feed_run(&f, msg, len);
    hs_view_real_sync(v);
    return rc;
}

hs_feed *hs_feed_start(hs_view *v, const hs_feed_target *to, void (*wake)(void *ctx, bool done),
                       void *ctx)
{
    name_target(v, to);
    if (hs_view_real_begin(v) != 0) return NULL;
    struct hs_feed *f = calloc(1, sizeof *f);
    if (!f) {
        hs_view_real_finish(v, -1, "out of memory for the real replay");
        return NULL;
    }
    *f = (struct hs_feed){.v = v, .to = *to, .wake = wake, .ctx = ctx};
    int e = pthread_create(&f->thread, NULL, feed_thread, f);
    if (e != 0) {
        hs_view_real_finish(v, -1, strerror(e));
        free(f);
        return NULL;
    }
    return f;
}

void hs_feed_stop(hs_feed *f)
{
    if (!f) return;
    hs_view_real_cancel(f->v);   /* a push waiting for room gives up, the next one stops */
    pthread_join(f->thread, NULL);
    free(f);
}
