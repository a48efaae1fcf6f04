/* play/allocs.c — the window's allocators side by side: each replayed in turn on a thread, measured per step.
 * Owns: hs_allocs_* (the runs, glibc's smaps per step, the hand-over to the UI thread by n_in). */
#include "allocs.h"
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

hs_allocs *hs_allocs_new(const hs_trace *t, const char *replayer, const hs_alloc_target *tg,
                         size_t ntg, double timeout_s)
{
    hs_allocs *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->t = t;
    a->n = t->n_ops;
    a->timeout_s = timeout_s;
    snprintf(a->replayer, sizeof a->replayer, "%s", replayer ? replayer : "");
    if (ntg > HS_ALLOCS_MAX) ntg = HS_ALLOCS_MAX;
    a->smaps_run = ntg;
    for (size_t i = 0; i < ntg; i++) {
        hs_alloc_run *r = &a->runs[i];
        snprintf(r->name, sizeof r->name, "%s", tg[i].name ? tg[i].name : "?");
        snprintf(r->preload, sizeof r->preload, "%s", tg[i].preload ? tg[i].preload : "");
        r->variant = tg[i].variant;
        if (tg[i].err || a->n > HS_ALLOCS_MAX_STEPS) {
            if (tg[i].err) snprintf(r->msg, sizeof r->msg, "%s", tg[i].err);
            else snprintf(r->msg, sizeof r->msg, "not replayed here: %zu steps, more than %d "
                          "(heapsim compare compares any length)", a->n, HS_ALLOCS_MAX_STEPS);
            atomic_store(&r->state, HS_REAL_FAILED);
            continue;
        }
        r->vals = calloc(a->n + 1, sizeof *r->vals);
        if (!r->vals) {
            hs_allocs_free(a);
            return NULL;
        }
        r->vals[0].has = true;
        if (!r->preload[0] && !r->variant && a->smaps_run == ntg) a->smaps_run = i;
    }
    a->nruns = ntg;
    if (a->smaps_run < ntg) {
        a->smaps = calloc(a->n + 1, sizeof *a->smaps);
        if (!a->smaps) {
            hs_allocs_free(a);
            return NULL;
        }
        a->smaps_steps = a->n < HS_ALLOCS_SMAPS_STEPS ? a->n : HS_ALLOCS_SMAPS_STEPS;
    }
    return a;
}

/* What one replay's callbacks share. */
typedef struct run_ctx {
    hs_allocs *a;
    hs_alloc_run *r;
    bool smaps;               /* this run keeps smaps */
    const uint32_t *from;     /* a variant's op -> the job's step (NULL: the same) */
    size_t k;                 /* ops replayed so far */
    bool oom;
} run_ctx;

static void on_extra(void *ctx, const hs_real_extra *x)
{
    run_ctx *c = ctx;
    if (!c->smaps || !(x->has & HS_REAL_X_SMAPS) || x->step == 0 || x->step > c->a->n) return;
    hs_alloc_smaps *s = &c->a->smaps[x->step];
    s->maps = x->n_smaps ? malloc(x->n_smaps * sizeof *s->maps) : NULL;
    if (x->n_smaps && !s->maps) {
        c->oom = true;
        return;
    }
    if (x->n_smaps) memcpy(s->maps, x->smaps, x->n_smaps * sizeof *s->maps);
    s->n = (uint32_t)x->n_smaps;
    s->cut = x->smaps_cut;
    s->virt = x->vm_size;
    s->res = x->proc_rss;
    s->shr = x->shared;
    s->smaps_rss = x->smaps_rss;
    s->has = true;
}

/* Steps in .. to - 1 of r (a variant's ops left out) keep the values
 * before them; then to is published.  Cannot fail. */
static void carry(hs_alloc_run *r, size_t to)
{
    size_t in = atomic_load_explicit(&r->n_in, memory_order_relaxed);
    for (size_t i = in + 1; i < to; i++) r->vals[i] = r->vals[in];
}

static int on_step(void *ctx, const hs_step *st)
{
    run_ctx *c = ctx;
    hs_allocs *a = c->a;
    hs_alloc_run *r = c->r;
    if (atomic_load(&a->cancel)) return 1;
    if (c->oom) return 1;
    size_t k = ++c->k;
    size_t i = c->from ? c->from[k - 1] : k;   /* the job's step */
    if (st->has & HS_HAS_ERROR) {
        snprintf(r->msg, sizeof r->msg, "aborted at step %zu: %s", i ? i : k, st->error);
        return 1;
    }
    if (i == 0) return 0;   /* a variant's own op */
    if (i > a->n) return 1;
    carry(r, i);
    hs_vals v = r->vals[i - 1];
    if (st->has & HS_HAS_RSS_ANON) v.rss = st->rss_anon > 0 ? (uint64_t)st->rss_anon : 0;
    if (st->has & (HS_HAS_MEASURES | HS_HAS_MINFLT)) v.minflt = st->minflt;
    v.has = true;
    r->vals[i] = v;
    atomic_store_explicit(&r->n_in, i, memory_order_release);
    if (a->wake) a->wake(a->ctx, false);
    return 0;
}

/* Replays run k to its end and says how it went.  Never fails. */
static void run_one(hs_allocs *a, size_t k)
{
    hs_alloc_run *r = &a->runs[k];
    if (atomic_load(&r->state) != HS_REAL_NONE) return;
    if (atomic_load(&a->cancel)) {
        snprintf(r->msg, sizeof r->msg, "stopped");
        atomic_store(&r->state, HS_REAL_FAILED);
        return;
    }
    atomic_store(&r->state, HS_REAL_RUNNING);
    run_ctx c = {.a = a, .r = r, .smaps = k == a->smaps_run};
    unsigned char *at = NULL;
    hs_real_info info;
    memset(&info, 0, sizeof info);
    hs_real_opts o = {.replayer = a->replayer[0] ? a->replayer : NULL, .timeout_s = a->timeout_s,
                      .preload = r->preload[0] ? r->preload : NULL, .on_extra = on_extra,
                      .info = &info};
    if (c.smaps && a->n) {
        at = calloc(a->n, 1);
        if (at) memset(at, 1, a->smaps_steps);
        o.smaps_at = at;   /* out of memory: no smaps, the curves still come */
    }
    char msg[512] = "";
    hs_trace vt;
    uint32_t *from = NULL;
    const hs_trace *t = a->t;
    if (r->variant) {
        if (r->variant(a->t, &vt, &from) != 0) {
            free(at);
            snprintf(r->msg, sizeof r->msg, "out of memory for its trace");
            atomic_store(&r->state, HS_REAL_FAILED);
            return;
        }
        t = &vt;
        c.from = from;
    }
    int rc = hs_real_run(t, &o, on_step, &c, msg, sizeof msg);
    if (r->variant) {
        free(vt.ops);
        free(from);
        /* the job's last ops that the variant left out keep the values before them */
        if (rc == 0 && !r->msg[0] && !atomic_load(&a->cancel)) {
            carry(r, a->n + 1);
            atomic_store_explicit(&r->n_in, a->n, memory_order_release);
        }
    }
    free(at);
    snprintf(r->malloc_lib, sizeof r->malloc_lib, "%s", info.malloc_lib);
    if (c.smaps) a->smaps_rss0 = info.smaps_rss0;
    bool ok = rc == 0 && !c.oom && !atomic_load(&a->cancel);
    if (rc != 0) snprintf(r->msg, sizeof r->msg, "replay failed: %s", msg);
    else if (c.oom) snprintf(r->msg, sizeof r->msg, "out of memory for the mappings");
    else if (atomic_load(&a->cancel)) snprintf(r->msg, sizeof r->msg, "stopped");
    else if (a->allocator_is && !a->allocator_is(&info, r->preload[0] ? r->preload : NULL)) {
        char name[sizeof r->name];
        memcpy(name, r->name, sizeof name);
        snprintf(r->msg, sizeof r->msg, "the replayer's malloc is %s, not %s's",
                 info.malloc_lib[0] ? info.malloc_lib : "its own", name);
        ok = false;
    }
    atomic_store_explicit(&r->state, ok ? HS_REAL_DONE : HS_REAL_FAILED, memory_order_release);
}

void hs_allocs_run(hs_allocs *a)
{
    /* glibc first (the mappings view waits for it), then the others in order */
    if (a->smaps_run < a->nruns) run_one(a, a->smaps_run);
    for (size_t k = 0; k < a->nruns; k++) run_one(a, k);
}

static void *job_thread(void *arg)
{
    hs_allocs *a = arg;
    hs_allocs_run(a);
    if (a->wake) a->wake(a->ctx, true);
    return NULL;
}

int hs_allocs_start(hs_allocs *a, void (*wake)(void *ctx, bool done), void *ctx)
{
    a->wake = wake;
    a->ctx = ctx;
    int e = pthread_create(&a->thread, NULL, job_thread, a);
    if (e != 0) {
        for (size_t k = 0; k < a->nruns; k++) {
            if (atomic_load(&a->runs[k].state) != HS_REAL_NONE) continue;
            snprintf(a->runs[k].msg, sizeof a->runs[k].msg, "no thread for the replay: %s", strerror(e));
            atomic_store(&a->runs[k].state, HS_REAL_FAILED);
        }
        return -1;
    }
    a->threaded = true;
    return 0;
}

void hs_allocs_free(hs_allocs *a)
{
    if (!a) return;
    atomic_store(&a->cancel, 1);
    if (a->threaded) pthread_join(a->thread, NULL);
    for (size_t k = 0; k < HS_ALLOCS_MAX; k++) free(a->runs[k].vals);
    if (a->smaps)
        for (size_t i = 0; i <= a->n; i++) free(a->smaps[i].maps);
    free(a->smaps);
    free(a);
}

size_t hs_allocs_progress(const hs_allocs *a)
{
    if (!a) return 0;
    size_t p = 0;
    for (size_t k = 0; k < a->nruns; k++) {
        p += atomic_load(&a->runs[k].n_in);
        int s = atomic_load(&a->runs[k].state);
        p += s == HS_REAL_DONE || s == HS_REAL_FAILED;
    }
    return p;
}

const hs_alloc_smaps *hs_allocs_smaps_at(const hs_allocs *a, size_t step)
{
    if (!a || !a->smaps || step == 0 || step > a->n) return NULL;
    const hs_alloc_run *r = &a->runs[a->smaps_run];
    if (step > atomic_load_explicit(&r->n_in, memory_order_acquire)) return NULL;
    return a->smaps[step].has ? &a->smaps[step] : NULL;
}
