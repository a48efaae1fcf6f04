/* play/view.h — one open trace as the window and the PNG export see it (no SDL, no files).
 * Owns: hs_view: the model at any step (play/view.c), the per-step series, real glibc (play/feed.c). */
#ifndef HS_VIEW_H
#define HS_VIEW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../loader/trace.h"
#include "../real/real.h"
#include "../sim/bytes.h"
#include "../sim/sim.h"
#include "reallog.h"

/* The numbers the plots draw, per step (index 0 = before the first op). */
typedef struct hs_vals {
    uint64_t brk, rss, minflt, mmapped, freeb;
    bool has;
    bool no_free;   /* has, but freeb is unknown: real glibc's mallinfo2 was not called
                       (sampled) or could not walk a corrupted heap (see hs_series_has) */
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
    uint64_t gen;      /* this take's number, unique in the process (0: none yet): what a
                          frame keeps of a snapshot is kept while it stays the same */
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

/* Checkpoints: a coarse set over the whole trace (one every K ops) and a
 * fine set inside the coarse segment being looked at (one every K2 ops,
 * made one per jump: the nearest boundary before the step jumped to), so
 * memory stays bounded, a jump replays at most K ops, and stepping back
 * inside a visited stretch replays at most K2. */
#define HS_COARSE 64
#define HS_FINE 64
/* A checkpoint is a whole copy of the model, as big as its resident heap.
 * The coarse set keeps within its budget (HS_CP_BUDGET at most; past it, K
 * doubles and every other checkpoint goes), the fine set within half of
 * that (past it, no more fine ones), so a long trace with a big heap costs
 * slower jumps, not gigabytes.  The window's budget is hs_view_budget of the
 * memory the machine has available (app/ reads it), so a small machine is
 * not filled with checkpoints. */
#define HS_CP_BUDGET ((uint64_t)512 << 20)
#define HS_CP_BUDGET_MIN ((uint64_t)32 << 20)
/* While the timeline is built, the model lets go of the bytes it need not
 * hold (hs_sim_compact) every HS_COMPACT_EVERY ops and before each coarse
 * checkpoint: a heap the program wrote whole costs its headers, not its pages. */
#define HS_COMPACT_EVERY 4096

enum { HS_REAL_NONE = 0, HS_REAL_RUNNING, HS_REAL_DONE, HS_REAL_FAILED };

/* Steps per block of the model series' minima and maxima (hs_view.mv_bmin). */
#define HS_MV_BLOCK 64

typedef struct hs_view {
    hs_trace t;
    char path[1024];
    char name[256];          /* the file name, for titles */
    hs_profile profile;
    hs_machine_facts machine;   /* the machine's facts the model follows, handed down by app/ */
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
    uint64_t cp_cost, fine_cost;  /* estimated bytes of the coarse and fine sets */
    uint64_t cp_budget;      /* the coarse set's budget (the fine set's: half of it; 0: step 0
                                only, no fine set) */
    hs_vals *mv;             /* model series, n + 1 */
    hs_vals mv_max;          /* each field's largest value in mv (the plots' scale) */
    hs_vals *mv_bmin, *mv_bmax;  /* each field's least and largest value in mv over steps
                                [k * HS_MV_BLOCK, (k + 1) * HS_MV_BLOCK), k < n / HS_MV_BLOCK + 1
                                (the plots' per-pixel spans without reading every step) */
    size_t *labelled;        /* the steps whose op has a label, ascending (the timeline's) */
    size_t nlabelled;
    uint32_t *id_first, *id_steps;  /* the steps of the ops on each id, ascending: slot k's are
                                id_steps[id_first[k] .. id_first[k + 1]) (hs_view_history's) */
    uint64_t max_brk, max_mm;
    size_t dead_step;        /* first op at which glibc would abort (model), 0 if none */
    char dead_msg[HS_ERROR_MAX];

    /* real glibc.  The replay thread calls hs_view_real_push_pages, _push
     * and _finish; every other real field and function is the UI thread's.
     * Per step only compact data is kept, so a trace of millions of ops
     * fits: rv (the plots), dis, the step lines delta-coded in rlog, and
     * heap pages in rpages within HS_REAL_PAGES_BUDGET. */
    struct hs_rqueue *q;     /* steps pushed and not yet read by the UI thread */
    atomic_size_t real_n;    /* steps pushed so far (the progress) */
    atomic_int real_state;   /* HS_REAL_* */
    atomic_int real_cancel;  /* set by hs_view_real_cancel: push stops waiting */
    char real_msg[512];      /* why a replay failed; set before real_state */
    char real_glibc[64];     /* the glibc measured, for the window's words: "2.36 on this
                                machine", "2.31 from the cache" (set when a replay starts) */
    hs_rlog *rlog;           /* the real step lines read so far */
    hs_rpages *rpages;       /* their heap page runs */
    size_t rn;               /* real steps read (in rlog, rv) */
    uint64_t real_max_brk;   /* the highest real break read */
    uint32_t real_sample;    /* the replay's hs_real_opts.sample: 1 measures every step; N
                                (long traces) leaves steps HS_HAS_UNMEASURED */
    hs_vals *rv;             /* real series, n + 1 */
    uint8_t *dis;            /* dis[i]: model and real disagree at step i */
    size_t ndis, first_dis;  /* count, and the first such step (0 if none) */
    size_t cmp_n;            /* real steps compared so far (<= rn) */
    hs_sim *cmp;             /* the model advanced in step with the compared real steps */
    bool cmp_dead;

    hs_snap snap;
    /* The text of step `step` the scene draws, set by hs_view_goto. */
    const char *label;       /* the op's label ("Start" at step 0), NULL if none */
    char op_text[512];       /* the call, "C = malloc(200K)"; at step 0 "nothing has run yet" */
    char result[512];        /* what it returned and where _edata went ("" at step 0) */
    const char *note;        /* the op's note (the trace's description at step 0), or NULL */
    const char *profile_name;

    /* The arena the heap map and the bins show (play/arenas.c), set by
     * hs_view_goto and hs_view_select_arena. */
    int arena_sel;           /* -1: follow the current op's thread (the default); k: arena k */
    uint32_t arena;          /* the arena shown (0 main) */
    uint32_t arena_thread;   /* the thread whose tcache the bins show (0 main), UINT32_MAX: none */
    uint32_t n_arenas;       /* arenas in existence at this step (main included) */
    hs_arena_view arena_info;
    hs_heap_view arena_heap; /* the arena's heap that holds top */
    bool asel;               /* asnap holds (arena, arena_thread), which is not (0, 0) */
    hs_snap asnap;           /* the shown arena's heap and bins, and that thread's tcache */
    uint8_t *apages;         /* the model's residency of the shown arena's heap pages */
    size_t napages, capapages;
    /* every non-main arena's heap_info heaps at this step, by arena then
     * oldest first: the mappings the address-space column draws */
    struct hs_rsv { uint32_t arena, heap, thread; hs_heap_view h; } *rsv;
    size_t nrsv, caprsv;
    /* bin entries of the shown snapshot that are chunks of another arena's
     * heap (a thread's tcache holds what it freed of other arenas' chunks):
     * addr as the entry reads, the chunk's trace slot, size and arena */
    struct hs_xent { uint64_t addr, size; uint32_t id, arena; } *xent;
    size_t nxent, capxent;

    /* who had each heap chunk: (addr, step, id, size) of every heap chunk the
     * model handed out, sorted by address then step; a non-main arena's
     * chunks have its number above HS_OWNER_ARENA_SHIFT in addr */
    struct hs_owner { uint64_t addr, size; uint32_t step, id; } *owners;
    size_t nowners;
} hs_view;

/* Builds a view of *t at step 0, taking ownership of *t (left empty).
 * m: the machine's facts (app/ reads them, real/machine.h hs_machine_read),
 * handed to the model; NULL: the model's defaults.  path names the trace in
 * titles only (nothing is read).  Returns NULL when out of memory (then *t
 * is freed). */
hs_view *hs_view_new(hs_trace *t, const char *path, hs_profile profile, const hs_machine_facts *m);
/* The same with the coarse checkpoints kept within cp_budget bytes instead
 * of HS_CP_BUDGET.  cp_budget 0 keeps none past step 0 (no fine set
 * either): the series and maxima are still computed over the whole trace
 * (one model, run once), and a jump replays from step 0, which suits
 * drawing a few steps (`heapsim render`), not browsing. */
hs_view *hs_view_new_budget(hs_trace *t, const char *path, hs_profile profile,
                            const hs_machine_facts *m, uint64_t cp_budget);
/* The coarse checkpoints' budget for a machine with mem_available bytes
 * available (MemAvailable; UINT64_MAX: unknown): an eighth of it, within
 * HS_CP_BUDGET_MIN..HS_CP_BUDGET, so the checkpoints of both sets take at
 * most about 3/16 of what is free.  Never fails. */
uint64_t hs_view_budget(uint64_t mem_available);
/* The bytes the checkpoints take now (coarse + fine, estimated as sim_cost
 * does in play/view.c), for the window's help and the bench.  Never fails. */
uint64_t hs_view_checkpoint_bytes(const hs_view *v);
/* The most both sets may take (the coarse budget and half of it for the fine
 * set), for the window's help.  Never fails. */
uint64_t hs_view_checkpoint_budget(const hs_view *v);
void hs_view_free(hs_view *v);

/* Moves to step (clamped to 0..n).  Going back replays from the nearest
 * checkpoint, so any step is quick.  Returns 0, or -1 when out of memory
 * (the view stays at its old step). */
int hs_view_goto(hs_view *v, size_t step);
/* Rebuilds the model with another profile at the same step (real data is
 * kept and compared again).  Returns 0, or -1 when out of memory. */
int hs_view_set_profile(hs_view *v, hs_profile p);

/* Memory for real glibc's heap pages per view; past it, later steps have
 * none (the window says so) while every other real value is still kept. */
#define HS_REAL_PAGES_BUDGET ((size_t)64 << 20)

/* Real data.  hs_view_real_begin before a replay starts (UI thread, no
 * replay running); push_pages, push and finish from the replay thread (or
 * the same thread); sync and the getters from the UI thread.
 * begin returns -1 (and marks the replay failed) when out of memory. */
int hs_view_real_begin(hs_view *v);
/* The heap pages of the step pushed next (optional; hs_real_opts.on_pages
 * fits).  Out of memory: that step has no pages. */
void hs_view_real_push_pages(hs_view *v, const hs_real_pages *pg);
/* Hands one real step to the UI thread.  Waits while 16384 steps are
 * pushed and not yet read, so memory stays bounded: a caller on a single
 * thread calls hs_view_real_sync after each push.  Returns nonzero when the
 * replay should stop: all n steps are in, hs_view_real_cancel was called,
 * or memory ran out (finish then reports the replay failed). */
int hs_view_real_push(hs_view *v, const hs_step *st);
/* Makes a waiting or later push return nonzero at once.  Any thread. */
void hs_view_real_cancel(hs_view *v);
/* rc: hs_real_run's result; msg its message when rc != 0. */
void hs_view_real_finish(hs_view *v, int rc, const char *msg);
/* Reads the steps pushed since the last call and compares them with the
 * model, all of them; returns how many real steps are in (v->rn).  Out of
 * memory: what does not fit is dropped and the replay marked failed. */
size_t hs_view_real_sync(hs_view *v);
/* The same, comparing at most max steps per call (the window, so a long
 * trace or a profile switch never stalls a frame); v->cmp_n < v->rn while
 * there is comparing left. */
size_t hs_view_real_sync_some(hs_view *v, size_t max);
/* The real step line of step (1..v->rn) into *out; false when it is not in. */
bool hs_view_real_get(const hs_view *v, size_t step, hs_step *out);
/* Real glibc's heap pages [first, first + n) at step into out (1 resident,
 * 0 not, HS_PAGE_UNKNOWN past the measured runs), *pages its heap's page
 * count.  Returns HS_RPG_OK, HS_RPG_NONE (no page data for that step) or
 * HS_RPG_BUDGET (not kept: HS_REAL_PAGES_BUDGET was used up). */
int hs_view_real_heap_pages(const hs_view *v, size_t step, uint64_t first, size_t n,
                            uint8_t *out, uint64_t *pages);

/* ---- the replay that feeds it (play/feed.c) ---- */

typedef struct hs_feed hs_feed;
/* Which real glibc a replay runs on, found by app/ (app/glibc.c): the
 * replayer, and for a glibc other than the machine's its ld.so and library
 * folder (NULL ldso: the machine's own).  version names it in the window's
 * words ("2.31"; NULL: the machine's, unnamed). */
typedef struct hs_feed_target {
    const char *replayer;
    const char *ldso, *libpath;
    const char *version;
    uint32_t sample;         /* --sample (hs_real_opts.sample); 0: hs_real_sample_for's default */
} hs_feed_target;
/* Replays v's trace against real glibc on this thread (hs_real_run: a fresh
 * process), feeding and comparing every step; returns 0, or hs_real_run's
 * failure with msg set (what came in before stays). */
int hs_feed_run(hs_view *v, const hs_feed_target *to, double timeout_s, char *msg, size_t len);
/* The same on a thread of its own (no timeout): wake(ctx, done) is called
 * from that thread after each step (done false) and once at the end (done
 * true); the caller syncs (hs_view_real_sync_some) on its own thread.
 * Returns NULL when the replay cannot start: the view then says why
 * (real_state HS_REAL_FAILED, real_msg). */
hs_feed *hs_feed_start(hs_view *v, const hs_feed_target *to, void (*wake)(void *ctx, bool done),
                       void *ctx);
/* Cancels the replay (the child is killed at its next step), waits for the
 * thread and frees f.  NULL does nothing. */
void hs_feed_stop(hs_feed *f);

/* Whether real step r (of the current step) agrees with the model's, by
 * sim/step.c's rules; buf gets the differing fields ("" when they agree). */
bool hs_view_real_agrees(const hs_view *v, const hs_step *r, char *buf, size_t len);
/* The first step whose real heap pages were not kept (0: all kept). */
size_t hs_view_real_pages_full(const hs_view *v);
/* The history of trace slot id, as lines of text for the chunk detail
 * (play/text.c).  First "allocated at step A ..., freed at step F ..." for
 * the id's lifetime that holds the current step (else the last before it,
 * else the next), each with the recorded caller and thread when the trace
 * has them; then the ops on id around the current step, one a line
 * ("step 12  p = malloc(48)  · called from f (x.c:3)", the current step
 * marked "◀ now"), with "+K earlier ops" / "+K later ops" where some are
 * left out.  Writes at most max lines (max >= 4) of at most 200 bytes each.
 * Returns the lines written, 0 for HS_NO_ID or an id no op names.  Never fails. */
#define HS_HISTORY_LINE 200
int hs_view_history(const hs_view *v, uint32_t id, char (*lines)[HS_HISTORY_LINE], int max);
/* hs_view_history of the lifetime of id that began at step since (a free
 * chunk's: a recording reuses a name once its block is freed, and the name's
 * current lifetime is another chunk's); since 0: as hs_view_history. */
int hs_view_history_since(const hs_view *v, uint32_t id, size_t since, char (*lines)[HS_HISTORY_LINE],
                          int max);
/* The label of op `step` (1..n), NULL if none. */
const char *hs_view_label(const hs_view *v, size_t step);
/* The model's heap page residency at the current step (hs_sim_heap_pages). */
void hs_view_heap_pages(const hs_view *v, uint64_t first, size_t n, uint8_t *out);

/* ---- arenas (play/arenas.c) ---- */

/* Which arena the heap map and the bins show: sel -1 follows the current
 * op's thread (its thread_arena; after a thread_exit the arena it left on
 * the free list; else main), sel k shows arena k (a k that does not exist at
 * this step reads as -1 until it does).  Returns 0, or -1 when out of memory
 * (the view then shows the main arena). */
int hs_view_select_arena(hs_view *v, int sel);
/* The next (dir > 0) or previous selection in the cycle: following the
 * thread, arena 1 (main), ..., arena n, following again.  With one arena
 * only, it stays on following.  Returns hs_view_select_arena's result. */
int hs_view_cycle_arena(hs_view *v, int dir);
/* The snapshot the heap map and the bins draw: the shown arena's (asnap)
 * when it is not the main arena with the main thread, else v->snap. */
const hs_snap *hs_view_sel_snap(const hs_view *v);
/* The shown arena's heap chunk starting at heap offset addr, or NULL. */
const hs_chunk_info *hs_view_sel_chunk_at(const hs_view *v, uint64_t addr);
/* The chunk of another arena's heap that bin entry addr (of the shown
 * snapshot) is, or NULL when it is not one (or was not found). */
const struct hs_xent *hs_view_foreign_entry(const hs_view *v, uint64_t addr);
/* Thread t of trace tr's name: "main" for 0, the trace's name for the
 * others ("T3" when the trace names no such thread; buf holds it).  Never fails. */
const char *hs_thread_name(const hs_trace *tr, uint32_t t, char *buf, size_t len);
/* hs_thread_name as the model's texts ask for it (hs_thread_namer, ctx the
 * const hs_trace *), so the Why panel and `heapsim sim` name threads as the
 * narration does.  Never fails. */
const char *hs_trace_thread_namer(const void *tr, uint32_t t, char *buf, size_t len);
/* An op's call as lists of ops name it: in a trace with threads its thread
 * first ("T1: W1 = malloc(8M)"), else the call alone (hs_op_format).  Never fails. */
void hs_op_call_text(const hs_trace *tr, const hs_op *op, char *buf, size_t len);
/* Thread t's name: "main" for 0, the trace's name for the others ("T3"
 * when the trace names no such thread).  buf holds the fallback.  Never fails. */
const char *hs_view_thread_name(const hs_view *v, uint32_t t, char *buf, size_t len);

/* The item (chunk) for trace slot id in the current snapshot, or NULL. */
const hs_item *hs_view_find_id(const hs_view *v, uint32_t id);
/* The id whose chunk a free heap chunk at addr (of size bytes) was at the
 * current step: the last one handed out there with that size; HS_NO_ID if none. */
uint32_t hs_view_former_id(const hs_view *v, uint64_t addr, uint64_t size);
/* hs_view_former_id_in, with the step that handed it out there into *since
 * (the start of that chunk's lifetime; 0 with HS_NO_ID).  since may be NULL. */
uint32_t hs_view_former_owner(const hs_view *v, uint32_t k, uint64_t addr, uint64_t size, size_t *since);
/* The same for a chunk at offset addr of arena k's heap (k 0: the main
 * heap, as hs_view_former_id). */
uint32_t hs_view_former_id_in(const hs_view *v, uint32_t k, uint64_t addr, uint64_t size);
/* Where owners keep a non-main arena's number (above any heap offset). */
#define HS_OWNER_ARENA_SHIFT 48
/* Trace slot by id name, or HS_NO_ID. */
uint32_t hs_view_slot(const hs_view *v, const char *name);

#endif
