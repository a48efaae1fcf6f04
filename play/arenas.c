/* play/arenas.c — which arena the heap map and the bins show, and that arena's state at the current step.
 * Owns: hs_view_select_arena, the follow-the-thread rule, asnap (the shown arena's chunks, bins, tcache). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view_internal.h"

/* The arena the current op's thread works in: its thread_arena; after its
 * thread_exit the arena it left at the head of the free list; else main. */
static uint32_t follow(const hs_view *v, uint32_t *thread)
{
    *thread = 0;
    if (v->step == 0) return 0;
    const hs_op *op = &v->t.ops[v->step - 1];
    uint32_t t = op->thread;
    uint32_t a = hs_sim_thread_arena(v->sim, t);
    if (a != UINT32_MAX) {
        *thread = t;
        return a;
    }
    if (op->kind == HS_OP_THREAD_EXIT) {
        hs_arena_view ai;
        for (uint32_t k = 1; k < v->n_arenas; k++)
            if (hs_sim_arena_info(v->sim, k, &ai) && ai.free_list_head) {
                *thread = UINT32_MAX;   /* nobody's tcache: the thread is gone */
                return k;
            }
    }
    return 0;
}

/* A thread working in arena a: the current op's, else the lowest;
 * UINT32_MAX when none is attached. */
static uint32_t thread_of(const hs_view *v, uint32_t a)
{
    if (v->step > 0) {
        uint32_t t = v->t.ops[v->step - 1].thread;
        if (hs_sim_thread_arena(v->sim, t) == a) return t;
    }
    uint32_t n = hs_sim_thread_count(v->sim);
    for (uint32_t t = 0; t < n; t++)
        if (hs_sim_thread_arena(v->sim, t) == a) return t;
    return UINT32_MAX;
}

/* Every non-main arena's heaps into v->rsv.  Returns -1 when out of memory
 * (then none are listed). */
static int list_heaps(hs_view *v)
{
    v->nrsv = 0;
    hs_heap_view hv;
    for (uint32_t k = 1; k < v->n_arenas; k++)
        for (uint32_t j = 0; hs_sim_arena_heap(v->sim, k, j, &hv); j++) {
            if (!hs_view_grow_((void **)&v->rsv, &v->caprsv, v->nrsv + 1, sizeof *v->rsv)) {
                v->nrsv = 0;
                return -1;
            }
            v->rsv[v->nrsv++] = (struct hs_rsv){k, j, thread_of(v, k), hv};
        }
    return 0;
}

static int cmp_xent(const void *a, const void *b)
{
    const struct hs_xent *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The shown snapshot's bin entries that lie in another arena's heap (the
 * one holding its top: older heaps are not walked) into v->xent, with
 * their chunks' ids and sizes, one walk of each such heap.  base: the
 * model address the entries count from.  Returns -1 when out of memory
 * (then none are listed). */
static int foreign_entries(hs_view *v, uint64_t base)
{
    const hs_snap *s = hs_view_sel_snap(v);
    v->nxent = 0;
    for (size_t i = 0; i < s->nent; i++) {
        uint64_t e = s->ent[i];
        if (hs_view_sel_chunk_at(v, e)) continue;
        uint64_t abs = base + e;
        for (uint32_t k = 0; k < v->n_arenas; k++) {
            hs_heap_view hv;
            uint32_t j = 0;
            while (hs_sim_arena_heap(v->sim, k, j + 1, &hv)) j++;   /* the heap holding top */
            if (k == v->arena || !hs_sim_arena_heap(v->sim, k, j, &hv) || abs - hv.base >= hv.brk)
                continue;
            if (!hs_view_grow_((void **)&v->xent, &v->capxent, v->nxent + 1, sizeof *v->xent)) {
                v->nxent = 0;
                return -1;
            }
            v->xent[v->nxent++] = (struct hs_xent){abs, 0, HS_NO_ID, k};   /* abs until found */
            break;
        }
    }
    if (v->nxent == 0) return 0;
    qsort(v->xent, v->nxent, sizeof *v->xent, cmp_xent);
    for (uint32_t k = 0; k < v->n_arenas; k++) {
        bool any = false;
        for (size_t i = 0; i < v->nxent; i++) any |= v->xent[i].arena == k;
        if (!any || hs_sim_focus(v->sim, k, 0) != 0) continue;
        hs_heap_view hv;
        uint32_t j = 0;
        while (hs_sim_arena_heap(v->sim, k, j + 1, &hv)) j++;
        hs_sim_arena_heap(v->sim, k, j, &hv);
        uint64_t cur = 0;
        hs_chunk_info ci;
        while (hs_sim_heap_next(v->sim, &cur, &ci)) {
            struct hs_xent key = {hv.base + ci.addr, 0, 0, 0};
            struct hs_xent *x = bsearch(&key, v->xent, v->nxent, sizeof *x, cmp_xent);
            if (x && x->arena == k) {
                x->id = ci.id != HS_NO_ID ? ci.id : hs_view_former_id_in(v, k, ci.addr, ci.size);
                x->size = ci.size;
            }
        }
        hs_sim_focus(v->sim, 0, 0);
    }
    for (size_t i = 0; i < v->nxent; i++) v->xent[i].addr -= base;   /* as the entries read */
    qsort(v->xent, v->nxent, sizeof *v->xent, cmp_xent);
    return 0;
}

uint32_t hs_view_former_id_in(const hs_view *v, uint32_t k, uint64_t addr, uint64_t size)
{
    return hs_view_former_owner(v, k, addr, size, NULL);
}

const struct hs_xent *hs_view_foreign_entry(const hs_view *v, uint64_t addr)
{
    struct hs_xent key = {addr, 0, 0, 0};
    return v->nxent ? bsearch(&key, v->xent, v->nxent, sizeof key, cmp_xent) : NULL;
}

int hs_view_arena_sync_(hs_view *v)
{
    v->nxent = 0;
    v->asel = false;
    v->n_arenas = hs_sim_arena_count(v->sim);
    if (list_heaps(v) != 0) return -1;
    uint32_t a, t;
    if (v->arena_sel >= 0 && (uint32_t)v->arena_sel < v->n_arenas) {
        a = (uint32_t)v->arena_sel;
        t = thread_of(v, a);
    } else {
        a = follow(v, &t);
    }
    v->arena = a;
    v->arena_thread = t;
    if (!hs_sim_arena_info(v->sim, a, &v->arena_info)) memset(&v->arena_info, 0, sizeof v->arena_info);
    hs_heap_view hv = {0};
    for (uint32_t j = 0; hs_sim_arena_heap(v->sim, a, j, &hv); j++) v->arena_heap = hv;
    if (a == 0 && (t == 0 || t == UINT32_MAX)) return foreign_entries(v, v->arena_heap.base);
    /* read the arena and the thread's tcache from the model itself, focused
     * on them for the time of the reading (nothing is allocated), then back */
    uint32_t ft = t == UINT32_MAX ? 0 : t;
    if (hs_sim_focus(v->sim, a, ft) != 0) return 0;
    int rc = hs_snap_take_(v->sim, &v->asnap);
    size_t np = (size_t)((v->arena_heap.brk + 4095) / 4096);
    if (rc == 0 && !hs_view_grow_((void **)&v->apages, &v->capapages, np ? np : 1, 1)) rc = -1;
    if (rc == 0) {
        hs_sim_heap_pages(v->sim, 0, np, v->apages);
        v->napages = np;
    }
    hs_sim_focus(v->sim, 0, 0);
    if (rc != 0) {
        v->arena = 0;
        v->arena_thread = 0;
        return -1;
    }
    if (t == UINT32_MAX) {
        /* no thread's tcache: drop the one read through the main thread */
        size_t k = 0, e = 0;
        for (size_t i = 0; i < v->asnap.nbins; i++) {
            if (v->asnap.bins[i].fam == HS_BINS_TCACHE) continue;
            hs_binview b = v->asnap.bins[i];
            memmove(v->asnap.ent + e, v->asnap.ent + b.first, b.shown * sizeof *v->asnap.ent);
            b.first = (uint32_t)e;
            e += b.shown;
            v->asnap.bins[k++] = b;
        }
        v->asnap.nbins = k;
        v->asnap.nent = e;
    }
    v->asel = true;
    return foreign_entries(v, v->arena_heap.base);
}

void hs_view_arena_free_(hs_view *v)
{
    hs_snap_free_(&v->asnap);
    free(v->apages);
    v->apages = NULL;
    free(v->rsv);
    v->rsv = NULL;
    free(v->xent);
    v->xent = NULL;
    v->nxent = v->capxent = 0;
    v->nrsv = v->caprsv = 0;
    v->napages = v->capapages = 0;
    v->asel = false;
}

int hs_view_select_arena(hs_view *v, int sel)
{
    v->arena_sel = sel < 0 ? -1 : sel;
    return hs_view_arena_sync_(v);
}

int hs_view_cycle_arena(hs_view *v, int dir)
{
    int n = (int)v->n_arenas, sel = v->arena_sel < 0 || v->arena_sel >= n ? -1 : v->arena_sel;
    if (n <= 1) return hs_view_select_arena(v, -1);
    sel += dir > 0 ? 1 : -1;
    if (sel >= n) sel = -1;
    if (sel < -1) sel = n - 1;
    return hs_view_select_arena(v, sel);
}

const hs_snap *hs_view_sel_snap(const hs_view *v)
{
    return v->asel ? &v->asnap : &v->snap;
}

const hs_chunk_info *hs_view_sel_chunk_at(const hs_view *v, uint64_t addr)
{
    const hs_snap *s = hs_view_sel_snap(v);
    size_t lo = 0, hi = s->nheap;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->heap[mid].addr < addr) lo = mid + 1;
        else hi = mid;
    }
    return lo < s->nheap && s->heap[lo].addr == addr ? &s->heap[lo] : NULL;
}

const char *hs_thread_name(const hs_trace *tr, uint32_t t, char *buf, size_t len)
{
    if (t == 0) return "main";
    if (tr->thread_name && t <= tr->n_threads) {
        const char *s = hs_trace_str(tr, tr->thread_name[t - 1]);
        if (s && *s) return s;
    }
    snprintf(buf, len, "T%u", t);
    return buf;
}

const char *hs_trace_thread_namer(const void *tr, uint32_t t, char *buf, size_t len)
{
    return hs_thread_name(tr, t, buf, len);
}

const char *hs_view_thread_name(const hs_view *v, uint32_t t, char *buf, size_t len)
{
    return hs_thread_name(&v->t, t, buf, len);
}

void hs_op_call_text(const hs_trace *tr, const hs_op *op, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = '\0';
    if (tr->n_threads > 0) {
        char tb[32];
        snprintf(buf, len, "%s: ", hs_thread_name(tr, op->thread, tb, sizeof tb));
        k = strlen(buf);
    }
    if (k < len) hs_op_format(tr, op, buf + k, len - k);
}
