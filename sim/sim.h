/* sim/sim.h — the model's public face: make a heap, apply ops, read its state.
 * Owns: the hs_sim API (lifecycle, stepping, state walk, events). Pure C11: no I/O, no globals. */
#ifndef HS_SIM_H
#define HS_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "op.h"
#include "step.h"

typedef enum hs_profile {
    HS_PROFILE_GLIBC_2_36 = 0,  /* glibc 2.36, x86_64, main arena, one thread */
    HS_PROFILE_TEXTBOOK,        /* the seed articles' picture: no tcache/fastbins/top_pad */
    HS_PROFILE_GLIBC_2_31,      /* glibc 2.31 (Debian 11): the 2.36 engine with 2.31's rules */
    HS_PROFILE_GLIBC_2_41,      /* glibc 2.41 (Debian 13): the 2.36 engine with 2.41's rules */
} hs_profile;

/* Every glibc version with a profile, as "2.31 2.36 2.41" (for messages). */
#define HS_PROFILE_VERSIONS "2.31 2.36 2.41"

/* Returns the profile named "glibc-2.36" (or "glibc-2.31", "glibc-2.41",
 * "textbook"); -1 if unknown. */
int hs_profile_from_name(const char *name);
const char *hs_profile_name(hs_profile p);
/* The profile of glibc version "2.41" (or "glibc-2.41"; a longer version
 * such as "2.41.9000" counts by its major.minor); -1 if no profile models it. */
int hs_profile_from_version(const char *version);
/* The glibc version a profile models ("2.36" for textbook); never NULL. */
const char *hs_profile_version(hs_profile p);
/* Whether the profile's glibc has mallinfo2 (2.33+); before, only mallinfo,
 * whose int fields the model reports wrapped to 32 bits, unsigned. */
bool hs_profile_has_mallinfo2(hs_profile p);

typedef struct hs_sim hs_sim;   /* all state of one heap; see sim/heap.h */

/* A new, empty heap of the given profile with room for nslots trace ids.
 * Returns NULL when out of memory. */
hs_sim *hs_sim_new(hs_profile profile, uint32_t nslots);
/* A deep copy (for stepping back); NULL when out of memory. */
hs_sim *hs_sim_clone(const hs_sim *s);
/* hs_sim_clone of s that may take page buffers from spare (NULL: none), a
 * model the caller frees next: after a copy, spare must only be passed to
 * hs_sim_free.  NULL when out of memory, spare then untouched. */
hs_sim *hs_sim_clone_reusing(const hs_sim *s, hs_sim *spare);
void hs_sim_free(hs_sim *s);
/* Lets go of memory the model need not hold: heap pages whose bytes are one
 * value but for a few words keep only those words.  Nothing the model
 * reports or predicts changes; the next write to such a page may take its
 * bytes back.  Worth calling every few thousand ops and before a clone when
 * the model lives long (the window).  Never fails (out of memory: the pages
 * stay as they are). */
void hs_sim_compact(hs_sim *s);
/* About how many bytes the model holds (its pages' contents, tags and
 * arrays): what a clone costs.  Never fails. */
uint64_t hs_sim_footprint(const hs_sim *s);

/* Explanations cost time; a benchmark or validation run may turn them off.
 * On by default. */
void hs_sim_set_explain(hs_sim *s, bool on);

/* Apply one op, fill *out (every field the model predicts, thresholds
 * included) and record the op's events.  out->step is set to the number of
 * ops applied so far.  Returns 0, or 1 when glibc would abort at this op:
 * then out has HS_HAS_ERROR with glibc's message and the heap is dead
 * (further calls return 1 and do nothing).  Never fails otherwise: the model
 * allocates its own bookkeeping up front and grows it with realloc; if that
 * fails it reports "heapsim: model out of memory" as the error. */
int hs_sim_apply(hs_sim *s, const hs_op *op, hs_step *out);

/* hs_sim_apply without the step's measures: out (NULL allowed) gets step,
 * has, ptr, mmapped, chunk, arena and error as hs_sim_apply fills them, and
 * none of HS_HAS_MEASURES, HS_HAS_THRESH, HS_HAS_MALLINFO, HS_HAS_ARENAS.
 * The heap ends in the same state as after hs_sim_apply (the events too), so
 * a replay that needs no step line (a seek to a checkpoint, a benchmark) may
 * mix the two.  Returns as hs_sim_apply does. */
int hs_sim_advance(hs_sim *s, const hs_op *op, hs_step *out);
/* What hs_sim_run hands each step to: op i of the run (ops[i]) and its
 * step st, valid during the call (st->has & HS_HAS_ERROR: glibc aborted at
 * this op, or the heap was dead before it).  The heap may be read but not
 * stepped from here.  Returns nonzero to end the run after this op. */
typedef int (*hs_step_sink)(void *ctx, size_t i, const hs_step *st);
/* Applies ops[0 .. n) in order, exactly as n calls of hs_sim_apply
 * (measures true) or hs_sim_advance (false) would, without their cost per
 * call (one jump buffer for the run): each step is made in out (NULL: a
 * scratch step) and handed to sink (NULL: none; out then holds the last
 * op's step).  Returns how many ops were applied: n, or fewer when sink
 * ended the run.  An abort ends nothing: the ops after it get a dead heap's
 * steps.  Never fails otherwise (see hs_sim_apply). */
size_t hs_sim_run(hs_sim *s, const hs_op *ops, size_t n, bool measures, hs_step *out,
                  hs_step_sink sink, void *ctx);
/* The measures hs_sim_apply would have put in out after the last op
 * (brk, mmaps, rss, minflt, mallinfo, thresholds, arenas), replacing any
 * out has; none once the heap is dead.  Never fails. */
void hs_sim_measure(hs_sim *s, hs_step *out);

/* ---- events: what happened in the last op, and why ---- */

typedef struct hs_event {
    uint16_t code;      /* hs_event_code, see sim/event.h */
    uint16_t pad_;
    uint32_t id;        /* trace slot concerned, or HS_NO_ID */
    uint64_t a, b, c, d;/* the numbers that decided it (sizes, offsets, counts) */
} hs_event;

/* The events of the last applied op, oldest first.  Valid until the next
 * hs_sim_apply or hs_sim_free.  *n is 0 when explanations are off. */
const hs_event *hs_sim_events(const hs_sim *s, size_t *n);
/* One event in words a student understands, into buf (always terminated).
 * Returns the length snprintf would have written.  Thread 0 is "the main
 * thread", thread k "thread #k". */
int hs_event_format(const hs_event *e, char *buf, size_t len);
/* The model knows threads by number only; whoever shows the text names them
 * (play/ from the trace: "T1", "worker").  Returns thread t's name (t > 0),
 * written into buf (len bytes) or static, or NULL for the model's "#t". */
typedef const char *(*hs_thread_namer)(const void *ctx, uint32_t t, char *buf, size_t len);
/* hs_event_format with threads named by nm(nctx, ...) ("thread T1 needs an
 * arena"); nm NULL is hs_event_format. */
int hs_event_format_as(const hs_event *e, hs_thread_namer nm, const void *nctx, char *buf, size_t len);
/* Each event of the last applied op in words (hs_event_format), oldest
 * first, handed to fn(ctx, line) (line valid during the call).  Never fails. */
void hs_sim_explain_each(const hs_sim *s, void (*fn)(void *ctx, const char *line), void *ctx);
/* The same with threads named by nm (see hs_event_format_as).  Never fails. */
void hs_sim_explain_each_as(const hs_sim *s, hs_thread_namer nm, const void *nctx,
                            void (*fn)(void *ctx, const char *line), void *ctx);

/* ---- state, for renderers: cheap enough to call every frame ---- */

/* fd/bk of a free chunk that points at a bin head (a pseudo-chunk inside
 * main_arena in glibc) reads as HS_BIN_ADDR(bin index). */
#define HS_BIN_ADDR(i) ((UINT64_C(1) << 62) | (uint64_t)(i))

typedef enum hs_chunk_state {
    HS_CH_INUSE = 0, HS_CH_TCACHE, HS_CH_FASTBIN, HS_CH_UNSORTED,
    HS_CH_SMALL, HS_CH_LARGE, HS_CH_TOP, HS_CH_MMAPPED,
    HS_CH_STATE_COUNT
} hs_chunk_state;

typedef struct hs_chunk_info {
    uint64_t addr;       /* chunk start (header), heap offset from the break at start;
                            for mmapped chunks a model-chosen address */
    uint64_t size;       /* chunksize() */
    uint64_t prev_size;  /* as stored in the header */
    uint32_t flags;      /* low three bits of the size field: PREV_INUSE 1, IS_MMAPPED 2, NON_MAIN_ARENA 4 */
    uint32_t state;      /* hs_chunk_state */
    int32_t  bin;        /* index in its bin family (tcache idx, fastbin idx, bin idx), -1 if none */
    uint32_t id;         /* trace slot whose pointer is this chunk, or HS_NO_ID */
    uint64_t fd, bk;     /* as stored (heap offsets, or HS_BIN_ADDR(i) for a bin head), free chunks */
    uint64_t req;        /* bytes requested, in-use chunks */
    uint64_t resident;   /* resident pages of an mmapped chunk */
    /* the raw words, as pwndbg shows them (0 where the chunk has no such field) */
    uint64_t abs;        /* the chunk's address in the model's address space (hs_sim_set_bases) */
    uint64_t fd_word;    /* the fd word as stored: for tcache and fastbin chunks mangled by
                            safe-linking ((&fd >> 12) ^ next, tcache next a user pointer) */
    uint64_t bk_word;    /* the bk word as stored (the tcache key for tcache chunks) */
    uint64_t fd_nextsize, bk_nextsize;  /* large-bin chunks: the words as stored (absolute, 0 = NULL) */
} hs_chunk_info;

/* Walk the heap's chunks in address order, top chunk last.  Start with
 * *cursor = 0; returns false when there are no more.  Never fails. */
bool hs_sim_heap_next(const hs_sim *s, uint64_t *cursor, hs_chunk_info *out);
/* Walk the live mmapped chunks, oldest first, same protocol. */
bool hs_sim_mmap_next(const hs_sim *s, uint64_t *cursor, hs_chunk_info *out);

typedef enum hs_bin_family {
    HS_BINS_TCACHE = 0,  /* 64 bins */
    HS_BINS_FAST,        /* 10 bins */
    HS_BINS_UNSORTED,    /* 1 bin */
    HS_BINS_SMALL,       /* bins 2..63 */
    HS_BINS_LARGE,       /* bins 64..126 */
} hs_bin_family;

/* Copies the chunk addresses of one bin, in list order (from the head
 * following fd), into out (at most max); returns the bin's length, which
 * may exceed max.  idx is glibc's index for that family. */
size_t hs_sim_bin(const hs_sim *s, hs_bin_family fam, int idx,
                  uint64_t *out, size_t max);

typedef struct hs_status {
    uint64_t steps;            /* ops applied */
    uint64_t brk;              /* break minus break at start */
    uint64_t heap_start;       /* first chunk's offset (0 in glibc) */
    uint64_t top, top_size;    /* top chunk */
    int64_t  mmap_threshold, trim_threshold, top_pad;
    int64_t  n_mmaps_max, max_fast, perturb;
    bool     dyn_threshold;    /* the dynamic mmap threshold still on */
    uint64_t mmaps, mmapped_bytes;
    uint64_t rss, minflt;
    hs_mallinfo mi;
    bool     mi_hangs;         /* glibc's mallinfo2 would not return (a list the program
                                  broke: a fastbin cycle, a pointer overwritten after
                                  free); mi is the model's counters, and step lines say null */
    bool     dead;             /* glibc would have aborted */
} hs_status;

void hs_sim_status(const hs_sim *s, hs_status *out);

/* Residency of heap pages [first, first + n) (4 KiB pages from the break at
 * start) into out[] as 0/1.  Pages past the break read 0. */
void hs_sim_heap_pages(const hs_sim *s, uint64_t first, size_t n, uint8_t *out);

/* ---- invariants ---- */

/* Checks every invariant written in sim/heap.h.  Returns NULL when they all
 * hold, else a static description of the first one broken. */
const char *hs_sim_check(const hs_sim *s);

/* ---- appended by the model's owner ---- */

/* An fd (tcache next, fastbin fd) of hs_chunk_info that holds NULL, the end
 * of a singly linked list (0 would be the chunk at heap offset 0).  For
 * tcache and fastbin chunks fd is the next chunk's address (the stored
 * pointer demangled, and for tcache turned from user pointer to chunk), bk
 * is 0; mmapped chunks have fd = bk = 0. */
#define HS_NULL_PTR UINT64_MAX

/* The absolute addresses the model assumes: the break at start (brk0,
 * page-aligned) and the top of the kernel's mmap area (mappings go
 * top-down below it).  Only alignments above a page (memalign) and
 * safe-linking of misused lists depend on them; the defaults are what
 * heapsim-replay sees on Debian 12 x86_64 under setarch -R.  Must be called
 * before the first op; returns -1 (and changes nothing) otherwise or when
 * an address is not page-aligned, 0 on success. */
int hs_sim_set_bases(hs_sim *s, uint64_t brk0, uint64_t mmap_top);

/* The process's other mappings (libraries, the loader's, the replayer's
 * own), n [start, end) ranges below mmap_top, page-aligned and disjoint:
 * the kernel places mappings in the gaps between them, top-down, so an
 * alignment above a page (memalign) of an mmapped chunk depends on them.
 * heapsim validate passes what the replayer saw.  Must be called before the
 * first op; returns -1 (and changes nothing) otherwise, for more than 64
 * ranges, or for an empty, unaligned or overlapping one; 0 on success. */
int hs_sim_set_foreign(hs_sim *s, const uint64_t (*ranges)[2], size_t n);

/* The largest single request the kernel grants: a brk growth, a new mapping
 * or a mapping's growth by mremap of more than `bytes` fails with ENOMEM.
 * Under Linux's default heuristic overcommit (vm.overcommit_memory 0) that
 * is the machine's RAM + swap (mm/util.c, __vm_enough_memory); with no call
 * (the default) only the model's own bound (1 TiB) applies.  The app sets it
 * from the machine it runs on (real/machine.c, read by app/).  Must be called before the
 * first op; returns -1 (and changes nothing) otherwise, 0 on success. */
int hs_sim_set_commit_limit(hs_sim *s, uint64_t bytes);

/* The machine's CPU count as glibc's arena_get2 reads it, which sets the
 * arena limit (8 x CPUs, arena.c NARENAS_FROM_NCORES): `online` as
 * __get_nprocs counts them (2.31, 2.41), `sched` as __get_nprocs_sched does
 * (the process's affinity mask; 2.36).  The app reads both from the machine
 * (real/machine.c); the default is 2 and 2.  Must be called before the first
 * op; returns -1 (and changes nothing) otherwise, 0 on success. */
int hs_sim_set_cpus(hs_sim *s, uint32_t online, uint32_t sched);

/* The process runs n threads besides the main one from the start (the
 * replayer creates every thread of the trace before the first op): with
 * n > 0 every step reports the arenas one by one (hs_step.arenas), as the
 * real side does for such a trace.  Must be called before the first op;
 * returns -1 (and changes nothing) otherwise, 0 on success. */
int hs_sim_set_threads(hs_sim *s, uint32_t n);

/* Every fact of the machine the model follows, as app/ reads them
 * (real/machine.c hs_machine_read) and hands them down as plain values:
 * the kernel's largest single grant (hs_sim_set_commit_limit) and the CPU
 * counts (hs_sim_set_cpus). */
typedef struct hs_machine_facts {
    uint64_t commit_limit;
    uint32_t cpus_online, cpus_sched;
} hs_machine_facts;

/* Sets what m says (NULL: the defaults stay) and the trace's thread count
 * (hs_sim_set_threads).  Must be called before the first op; returns -1
 * (and changes nothing) otherwise, 0 on success. */
int hs_sim_set_machine(hs_sim *s, const hs_machine_facts *m, uint32_t n_threads);


/* ---- arenas and threads, for renderers (sim/arena.c) ---- */

/* One arena as a renderer draws it.  heaps: its heap regions (the main
 * arena: 1, its sbrk heap; a non-main arena: its heap_info heaps, each a
 * 64 MiB reservation (HEAP_MAX_SIZE) of which mprotect_size is read-write,
 * the rest PROT_NONE). */
typedef struct hs_arena_view {
    uint32_t heaps;            /* heap regions; the last holds top */
    uint64_t system_mem;       /* malloc_state.system_mem */
    uint32_t attached_threads; /* threads whose thread_arena it is */
    bool     on_free_list;     /* free_list holds it (no thread attached) */
    bool     free_list_head;   /* it is free_list's head: the next arena_get2 takes it */
} hs_arena_view;
/* One heap region of an arena: where it starts (model address), its break
 * (bytes in use up to top's end), the read-write part and the reservation
 * (main arena: reserved == mprotect_size == brk, no reservation). */
typedef struct hs_heap_view {
    uint64_t base, brk, mprotect_size, reserved;
} hs_heap_view;

/* Arenas in existence (main included, creation order), threads known to
 * the model (main included; a thread of the trace that has not run yet is
 * not).  Never fail. */
uint32_t hs_sim_arena_count(const hs_sim *s);
uint32_t hs_sim_thread_count(const hs_sim *s);
/* Arena k into *out; false (out untouched) when k >= hs_sim_arena_count. */
bool hs_sim_arena_info(const hs_sim *s, uint32_t k, hs_arena_view *out);
/* Heap j (0 oldest) of arena k into *out; false when there is no such heap. */
bool hs_sim_arena_heap(const hs_sim *s, uint32_t k, uint32_t j, hs_heap_view *out);
/* Thread t's thread_arena, or UINT32_MAX when it has none (not run yet,
 * exited, or t unknown).  Never fails. */
uint32_t hs_sim_thread_arena(const hs_sim *s, uint32_t t);
/* Makes arena k's heap (the one holding top) and thread t's tcache the
 * ones hs_sim_heap_next, hs_sim_bin, hs_sim_status and hs_sim_heap_pages
 * read (heap offsets then count from that heap's start).  For a copy made
 * to be read (hs_sim_clone): a focused sim must be focused back on (0, 0)
 * before the next hs_sim_apply.  Returns -1 (and changes nothing) when k or
 * t is unknown, 0 on success. */
int hs_sim_focus(hs_sim *s, uint32_t k, uint32_t t);

/* The kernel's limits on what the process may map, and what it had mapped
 * before the first op (heapsim-replay measures both: real/replay.c).  The
 * model refuses what the kernel refuses (sim/kernel.c hs_klimits_allow):
 * an mmap past vm.max_map_count (mm/mmap.c do_mmap: map_count >
 * max_map_count) or past RLIMIT_AS / RLIMIT_DATA (mm/mmap.c may_expand_vm:
 * total_vm and data_vm in pages), a brk past RLIMIT_DATA
 * (include/linux/mm.h check_data_rlimit: brk - start_brk + end_data -
 * start_data) or past may_expand_vm, an mremap growth past may_expand_vm.
 * Only the main arena's brk heap and the mmapped chunks are counted: the
 * non-main arenas' 64 MiB heaps are not (docs/real.md). */
typedef struct hs_kernel_limits {
    uint64_t as_max;      /* RLIMIT_AS soft limit, bytes; UINT64_MAX: none */
    uint64_t data_max;    /* RLIMIT_DATA soft limit, bytes; UINT64_MAX: none */
    uint64_t vm0;         /* total_vm before the first op (VmSize), bytes */
    uint64_t data0;       /* data_vm before the first op (VmData), bytes */
    uint64_t data_seg;    /* end_data - start_data of the program: brk's check adds it */
    uint32_t map_max;     /* vm.max_map_count; 0: none */
    uint32_t maps0;       /* the process's mappings (VMAs) before the first op */
    /* Bit i: the i-th range of hs_sim_set_foreign (ascending) has, at its
     * low (merge_below) or high (merge_above) end, an anonymous private
     * read-write mapping, which a mapping placed right against it merges
     * with (mm/vma.c: one VMA, the map count does not grow). */
    uint64_t merge_below, merge_above;
} hs_kernel_limits;

/* Sets the limits and the start figures above (after hs_sim_set_foreign,
 * whose ranges merge_below / merge_above index).  Without a call nothing
 * is limited.  Must be called before the first op; returns -1 (and changes
 * nothing) otherwise, 0 on success. */
int hs_sim_set_limits(hs_sim *s, const hs_kernel_limits *l);

/* The process's mappings (VMAs) as the model counts them now: maps0, the
 * brk heap once it exists, and the runs of adjacent mmapped chunks (the
 * kernel merges them).  Never fails. */
uint64_t hs_sim_map_count(const hs_sim *s);

#endif
