/* render/view.h — one open trace as the window and the PNG export see it.
 * Owns: hs_view: the model at any step (checkpoints), the per-step series, real-glibc data. */
#ifndef HS_VIEW_H
#define HS_VIEW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../loader/trace.h"
#include "../sim/sim.h"

/* The numbers the plots draw, per step (index 0 = before the first op). */
typedef struct hs_vals {
    uint64_t brk, rss, minflt, mmapped, freeb;
    bool has;
} hs_vals;

/* One chunk as the views draw it: a byte range in its region.  Heap ranges
 * are heap offsets; mmap ranges are offsets down from the top of the mmap
 * area (mappings stacked as the kernel hands them out, newest lowest). */
typedef struct hs_item {
    uint8_t  region;   /* 0 heap, 1 mmap */
    uint8_t  state;    /* hs_chunk_state */
    uint32_t id;       /* trace slot or HS_NO_ID */
    uint64_t lo, hi;   /* [lo, hi) in the region */
    uint64_t addr;     /* the model's chunk address */
    uint32_t info;     /* index into hs_snap.heap or hs_snap.mm */
} hs_item;

/* One non-empty bin, entries in list order (at most HS_BIN_SHOWN kept). */
#define HS_BIN_SHOWN 24
typedef struct hs_binview {
    uint8_t  fam;      /* hs_bin_family */
    int16_t  idx;      /* glibc's index in that family */
    uint32_t len;      /* the bin's full length */
    uint32_t first;    /* first entry in hs_snap.ent */
    uint32_t shown;    /* entries kept */
} hs_binview;

/* The model's state at the current step, read once per step. */
typedef struct hs_snap {
    hs_status st;
    hs_chunk_info *heap, *mm;
    size_t nheap, nmm, capheap, capmm;
    hs_item *items;
    size_t nitems, capitems;
    hs_binview *bins;
    size_t nbins, capbins;
    uint64_t *ent;
    size_t nent, capent;
} hs_snap;

/* Checkpoints: a coarse set over the whole trace and a fine set inside the
 * coarse segment being looked at, so memory stays bounded and any step is
 * at most K2 ops of replay away once its segment has been visited. */
#define HS_COARSE 64
#define HS_FINE 64

enum { HS_REAL_NONE = 0, HS_REAL_RUNNING, HS_REAL_DONE, HS_REAL_FAILED };

typedef struct hs_view {
    hs_trace t;
    char path[1024];
    char name[256];          /* the file name, for titles */
    hs_profile profile;
    size_t n;                /* ops */
    size_t step;             /* current step, 0..n */

    hs_sim *sim;             /* after `step` ops */
    hs_step last;            /* the model's step line of op `step` (step > 0) */
    int last_rc;             /* hs_sim_apply's result for op `step` */
    char *expl;              /* explanations of op `step`, one per line */
    size_t nexpl, explcap;

    hs_sim **cps;            /* cps[k]: after k*K ops (at most HS_COARSE + 1) */
    size_t ncps, K;
    hs_sim *fine[HS_FINE];   /* fine[j]: after fine_seg*K + j*K2 ops, made on demand */
    size_t fine_seg, K2;     /* the coarse segment they belong to; K2 0: none */
    hs_vals *mv;             /* model series, n + 1 */
    uint64_t max_brk, max_mm;
    size_t dead_step;        /* first op at which glibc would abort (model), 0 if none */
    char dead_msg[HS_ERROR_MAX];

    /* real glibc: written by the replay thread, read by the UI thread */
    hs_step *rs;             /* n, allocated when a replay begins */
    atomic_size_t real_n;    /* steps in rs */
    atomic_int real_state;   /* HS_REAL_* */
    char real_msg[512];      /* why a replay failed; set before real_state */
    hs_vals *rv;             /* real series, n + 1 (UI thread) */
    uint8_t *dis;            /* dis[i]: model and real disagree at step i (UI thread) */
    size_t ndis, first_dis;  /* count, and the first such step (0 if none) */
    size_t cmp_n;            /* real steps compared so far */
    hs_sim *cmp;             /* the model advanced in step with the compared real steps */
    bool cmp_dead;

    hs_snap snap;

    /* who had each heap chunk: (addr, step, id, size) of every heap chunk the
     * model handed out, sorted by address then step */
    struct hs_owner { uint64_t addr, size; uint32_t step, id; } *owners;
    size_t nowners;
} hs_view;

/* Loads the trace at path and builds a view at step 0.  Returns NULL and
 * fills err with the loader's message (or "out of memory") on failure. */
hs_view *hs_view_open(const char *path, hs_profile profile, char *err, size_t errlen);
/* Builds a view of *t at step 0, taking ownership of *t (left empty).
 * Returns NULL when out of memory (then *t is freed). */
hs_view *hs_view_new(hs_trace *t, const char *path, hs_profile profile);
void hs_view_free(hs_view *v);

/* Moves to step (clamped to 0..n).  Going back replays from the nearest
 * checkpoint, so any step is quick.  Returns 0, or -1 when out of memory
 * (the view stays at its old step). */
int hs_view_goto(hs_view *v, size_t step);
/* Rebuilds the model with another profile at the same step (real data is
 * kept and compared again).  Returns 0, or -1 when out of memory. */
int hs_view_set_profile(hs_view *v, hs_profile p);

/* Real data.  hs_view_real_begin before a replay starts (UI thread);
 * push and finish from the replay thread; sync from the UI thread.
 * begin returns -1 (and marks the replay failed) when out of memory. */
int hs_view_real_begin(hs_view *v);
/* Stores one real step; returns nonzero once all n steps are in (stop). */
int hs_view_real_push(hs_view *v, const hs_step *st);
/* rc: hs_real_run's result; msg its message when rc != 0. */
void hs_view_real_finish(hs_view *v, int rc, const char *msg);
/* Compares the real steps that arrived since the last call with the model;
 * returns how many real steps are in.  Out of memory: compares nothing. */
size_t hs_view_real_sync(hs_view *v);
/* The real step line of step (1..n), or NULL if not in yet. */
const hs_step *hs_view_real_step(const hs_view *v, size_t step);

/* Compares one model and one real step line as `heapsim validate` does
 * (TRACE_FORMAT.md section 3).  Writes the differing fields to buf ("" when
 * they agree) and returns true when they agree. */
bool hs_steps_agree(const hs_step *model, const hs_step *real, char *buf, size_t len);

/* The item (chunk) for trace slot id in the current snapshot, or NULL. */
const hs_item *hs_view_find_id(const hs_view *v, uint32_t id);
/* The id whose chunk a free heap chunk at addr (of size bytes) was at the
 * current step: the last one handed out there with that size; HS_NO_ID if none. */
uint32_t hs_view_former_id(const hs_view *v, uint64_t addr, uint64_t size);
/* Trace slot by id name, or HS_NO_ID. */
uint32_t hs_view_slot(const hs_view *v, const char *name);
/* Formats a byte count the way the seed articles do: "30K", "200K", "1.5M", "656". */
void hs_fmt_bytes(char *buf, size_t len, uint64_t b);

#endif
