/* real/wire.h — the binary protocol between hs_real_run (real/real.c) and heapsim-replay.
 * Owns: the op stream (fd 3: header + fixed-size op records) and the step records (fd 4). */
#ifndef HS_REAL_WIRE_H
#define HS_REAL_WIRE_H

#include <stdint.h>

/* Both ends are built from the same tree on the same machine, so records are
 * plain structs with explicit widths and no implicit padding. */

#define HS_WIRE_MAGIC   0x31595248u   /* "HRY1" little-endian */
#define HS_WIRE_VERSION 10u

/* The child's fixed file descriptors. */
#define HS_WIRE_FD_OPS   3   /* read: hs_wire_header, then n_ops hs_wire_op */
#define HS_WIRE_FD_STEPS 4   /* write: one hs_wire_hello, then one hs_wire_step per op (each
                                followed by an hs_wire_pages with HS_WIRE_WANT_PAGES), or with
                                sampling an hs_wire_short for a step not measured */

/* Start of the op stream. */
typedef struct hs_wire_header {
    uint32_t magic;      /* HS_WIRE_MAGIC */
    uint32_t version;    /* HS_WIRE_VERSION */
    uint64_t n_ops;
    uint32_t n_ids;      /* slots are 0 .. n_ids-1 */
    uint32_t op_size;    /* sizeof(hs_wire_op), a check */
    uint32_t flags;      /* HS_WIRE_WANT_* */
    uint32_t sample;     /* (version 9) 0 or 1: measure after every op; N > 1: only after
                            the steps the replayer must measure (see HS_WIRE_UNMEASURED) */
} hs_wire_header;

/* hs_wire_header.flags */
enum {
    HS_WIRE_WANT_PAGES = 1u << 0,  /* follow every step with the main heap's resident pages */
    HS_WIRE_WANT_ARENAS = 1u << 1, /* the trace has threads: run them, report arenas (below) */
    HS_WIRE_WANT_MAPS  = 1u << 2,  /* count the anonymous mappings after every step (maps) */
};

/* One op: the fields of hs_op (sim/op.h) that the replayer uses. */
typedef struct hs_wire_op {
    uint8_t  kind;       /* hs_op_kind */
    uint8_t  param;      /* hs_param (MALLOPT) */
    uint16_t pad_;
    uint32_t id;         /* slot or HS_NO_ID */
    uint64_t size;
    uint64_t arg;
    uint64_t touch;
    int64_t  value;
    uint32_t thread;     /* 0: the main thread; k >= 1: the trace's k-th thread name
                            (order of first appearance), at most HS_WIRE_MAX_THREADS */
    uint32_t flags;      /* HS_WIRE_OP_* */
} hs_wire_op;

/* Threads the replayer runs besides the main one (see docs/real.md: their
 * stacks stay in glibc's stack cache, whose 40 MiB limit they must not
 * reach, or a join would free a DTV mid-replay). */
#define HS_WIRE_MAX_THREADS 128

/* hs_wire_op.flags */
enum {
    HS_WIRE_OP_SMAPS = 1u << 0,   /* after this op, an hs_wire_smaps record follows the step */
};

/* First record on fd 4, written once the ops are read and before the first
 * op: what the process looked like before it replayed anything. */
#define HS_WIRE_MAX_FOREIGN 64
#define HS_WIRE_MMAP_FLOOR  UINT64_C(0x600000000000)   /* below: the heap and the program */

typedef struct hs_wire_hello {
    uint32_t magic;        /* HS_WIRE_MAGIC */
    uint32_t version;
    uint64_t n_ops;        /* echo of the header */
    uint64_t arena0;       /* mallinfo2().arena before the first op (must be 0) */
    uint64_t hblkhd0;      /* mallinfo2().hblkhd before the first op (must be 0) */
    uint64_t brk0;         /* sbrk(0) at the start of main (informational) */
    uint64_t mmap_top;     /* end of where a fresh one-page mmap landed just before the
                              first op: the kernel places mappings top-down below it */
    uint32_t persona;      /* personality(0xffffffff): ADDR_NO_RANDOMIZE expected */
    uint32_t rss_anon_ok;  /* 1 when /proc/self/status could be read */
    uint32_t n_foreign;    /* ranges in foreign[]; 0 when /proc/self/maps could not be read
                              (then mmap_top is the probe's) */
    uint32_t pad;
    uint64_t foreign[HS_WIRE_MAX_FOREIGN][2];  /* the process's mappings below mmap_top
                              (then the kernel's mmap_base: the end of the highest mapping
                              below the stack), [start, end), ascending, adjacent ones merged;
                              the highest HS_WIRE_MAX_FOREIGN */
    /* Threads (HS_WIRE_WANT_ARENAS), created before the first op and before
     * foreign[] was read, so their stacks are in it: */
    uint32_t n_threads;    /* threads started besides the main one */
    uint32_t cpus;         /* CPUs in the affinity mask (what glibc's arena limit counts) */
    uint64_t setup_allocs; /* calloc/malloc calls thread creation made (the DTVs), served
                              from the replayer's own pool, not from glibc's arenas */
    uint64_t setup_bytes;  /* ... their bytes */
    uint64_t stack_size;   /* each thread's stack (pthread_attr_setstacksize) */
    /* Which malloc the dynamic linker bound (another allocator preloaded?):
     * the object holding the address the replayer's malloc pointer got. */
    uint32_t other_malloc; /* 0: that object is the one holding gnu_get_libc_version (libc):
                              glibc's malloc; 1: another allocator, whose replay takes none
                              of the glibc-only measures */
    uint32_t pad2;
    char     malloc_lib[256];  /* its path as the dynamic linker names it, NUL-terminated */
    uint64_t smaps_rss0;   /* Rss of the heap and anonymous mappings before the first op
                              (bytes; 0 unless some op asks for smaps) */
    /* The kernel's limits and what counts against them before the first op
     * (version 8; the model's hs_kernel_limits, sim/sim.h): */
    uint64_t rlim_as, rlim_data; /* soft limits, bytes; UINT64_MAX: RLIM_INFINITY */
    uint64_t vm_size0;     /* VmSize of /proc/self/status (total_vm), bytes; 0 unread */
    uint64_t vm_data0;     /* VmData (data_vm), bytes; 0 unread */
    uint64_t data_seg;     /* end_data - start_data (/proc/self/stat) */
    uint32_t map_max;      /* vm.max_map_count; 0 unread */
    uint32_t maps0;        /* the process's VMAs (lines of /proc/self/maps, not [vsyscall]);
                              0 unread */
    uint64_t merge_below;  /* bit i: foreign[i]'s lowest mapping is anonymous private rw */
    uint64_t merge_above;  /* bit i: ... its highest one */
} hs_wire_hello;

/* hs_wire_step.flags */
enum {
    HS_WIRE_RESULT  = 1u << 0,  /* the op returned a non-NULL pointer */
    HS_WIRE_MMAPPED = 1u << 1,  /* ... whose chunk has IS_MMAPPED */
    HS_WIRE_HEAP    = 1u << 2,  /* ... which lies in [brk0, brk): ptr is valid */
    /* mallinfo2 could not be measured (mi[] is 0): the heap is corrupted so
     * that mallinfo2 looped, faulted or aborted in a step where the program
     * itself went on.  Set on that step and on every later one (mallinfo2 is
     * not called again).  Everything else in the record stays measured. */
    HS_WIRE_NO_MALLINFO = 1u << 3,
    HS_WIRE_MI_FAILED   = 1u << 4,  /* ... and this step's measurement is the one that failed */
    HS_WIRE_NS          = 1u << 5,  /* ns holds the time of the op's allocator call */
    HS_WIRE_MAPS        = 1u << 6,  /* maps, maps_bytes were measured (HS_WIRE_WANT_MAPS) */
    HS_WIRE_SMAPS       = 1u << 7,  /* an hs_wire_smaps record follows (after the pages) */
};
/* With HS_WIRE_NO_MALLINFO, bits 8-15 of flags hold the signal that ended
 * the failed mallinfo2: SIGPROF (its CPU-time limit: an endless walk),
 * SIGSEGV, SIGBUS or SIGABRT (glibc's own check, e.g. "int_mallinfo():
 * unaligned fastbin chunk detected"). */
#define HS_WIRE_MI_SIG_SHIFT 8u
#define HS_WIRE_MI_SIG(flags) (((flags) >> HS_WIRE_MI_SIG_SHIFT) & 0xffu)

/* More hs_wire_step.flags, for traces with threads (HS_WIRE_WANT_ARENAS). */
enum {
    HS_WIRE_ARENA    = 1u << 16,  /* arena holds the arena of the returned chunk */
    HS_WIRE_NON_MAIN = 1u << 17,  /* the chunk has NON_MAIN_ARENA: ptr is p & (64 MiB - 1),
                                     its offset in its heap_info heap */
    HS_WIRE_ARENAS   = 1u << 18,  /* n_arenas and arenas[] are measured */
    HS_WIRE_ARENAS_CUT = 1u << 19,/* more arenas than HS_WIRE_MAX_ARENAS: the first ones */
};
#define HS_WIRE_MAX_ARENAS 32u

/* Sampling (hs_wire_header.sample = N > 1, version 9): the replayer takes
 * the measures (getrusage, statm, mincore, mallinfo2, the arena walk, the
 * maps count, the pages record) only after step 1, the last step, every
 * N-th step (step % N == 0), a step whose op moved the break, added or
 * removed a live mmapped chunk, or may have dropped pages (malloc_trim,
 * madvise, a thread's exit), a step whose op asks for smaps, and every step
 * from the first misuse on.  Any other step goes out as an hs_wire_short
 * with HS_WIRE_UNMEASURED: what the op returned and its time.  A trace with
 * threads (HS_WIRE_WANT_ARENAS) is measured after every op whatever sample
 * says: the replayer does not see its arenas' heaps grow without the walk. */
enum {
    HS_WIRE_UNMEASURED = 1u << 20,  /* this record is an hs_wire_short; no pages record follows */
    /* (version 10) a measured step whose mallinfo2 was not called (mi[] is
     * 0; everything else measured): with sampling, mallinfo2's walk of
     * every free chunk is rationed so that, on average, it visits at most
     * HS_WIRE_MI_VISITS free chunks per op.  After a call that counted F
     * free chunks (ordblks + smblks) on step k, the next call is on the
     * first measured step from k + F / HS_WIRE_MI_VISITS on; step 1, the
     * last step and every step from the first misuse on always call it. */
    HS_WIRE_MI_SKIPPED = 1u << 21,
};
#define HS_WIRE_MI_VISITS 2u

typedef struct hs_wire_short {
    uint32_t step;           /* as hs_wire_step: the two first fields are shared */
    uint32_t flags;          /* HS_WIRE_UNMEASURED | HS_WIRE_RESULT, _MMAPPED, _HEAP, _NS */
    uint64_t ptr, chunk;     /* as hs_wire_step */
    uint64_t ns;
} hs_wire_short;

/* One record per completed op, written with a single write(2) (< PIPE_BUF). */
typedef struct hs_wire_step {
    uint32_t step;           /* 1-based op index */
    uint32_t flags;          /* HS_WIRE_* */
    uint64_t ptr;            /* p - brk0 (HS_WIRE_HEAP) */
    uint64_t chunk;          /* size word & ~7 (HS_WIRE_RESULT) */
    uint64_t brk;            /* sbrk(0) - brk0 */
    uint64_t mmaps, mmapped_bytes;
    uint64_t rss;            /* bytes resident (mincore): heap + live mmapped chunks */
    int64_t  rss_anon;       /* RssAnon minus its value before the first op, bytes */
    uint64_t minflt;         /* ru_minflt minus its value before the first op */
    uint64_t mi[9];          /* mallinfo2(): arena ordblks smblks hblks hblkhd
                                uordblks fordblks fsmblks keepcost */
    /* Traces with threads (HS_WIRE_WANT_ARENAS), else 0: */
    uint32_t arena;          /* HS_WIRE_ARENA: 0 main_arena, k the k-th arena created */
    uint32_t n_arenas;       /* HS_WIRE_ARENAS: entries of arenas[], creation order, main first */
    uint64_t arenas[HS_WIRE_MAX_ARENAS][2];  /* system_mem, in use (malloc_stats' "system
                                bytes" and "in use bytes" of that arena, see docs/real.md) */
    /* Measured for any allocator: */
    uint64_t ns;             /* CLOCK_MONOTONIC around the allocator call alone (HS_WIRE_NS) */
    uint64_t proc_rss;       /* statm resident, bytes (top's RES) */
    uint64_t vm_size;        /* statm size, bytes (top's VIRT) */
    uint64_t shared;         /* statm shared, bytes (top's SHR) */
    int64_t  maps;           /* anonymous mappings (and [heap]) minus before the first op */
    int64_t  maps_bytes;     /* their bytes, minus before the first op */
} hs_wire_step;

/* After a step whose op has HS_WIRE_OP_SMAPS (HS_WIRE_SMAPS set), after its
 * pages record if any: one hs_wire_smaps and n hs_wire_smap, the heap and
 * anonymous mappings of /proc/self/smaps in address order (the replayer's
 * own buffers included: they are anonymous too), the first
 * HS_WIRE_MAX_SMAPS of them; rss_total sums Rss over all of them. */
#define HS_WIRE_MAX_SMAPS 256u

typedef struct hs_wire_smaps {
    uint32_t n;          /* hs_wire_smap records that follow */
    uint32_t cut;        /* 1: more mappings than HS_WIRE_MAX_SMAPS (rss_total has them all) */
    uint64_t rss_total;  /* bytes */
} hs_wire_smaps;

typedef struct hs_wire_smap {
    uint64_t start, end;
    uint64_t size, rss, pss, private_dirty, anonymous, anon_huge;   /* bytes */
    char     name[16];   /* "[heap]", or "" for an anonymous mapping */
} hs_wire_smap;

/* With HS_WIRE_WANT_PAGES, every hs_wire_step is followed (in the same
 * write) by one hs_wire_pages and n_runs hs_wire_run: the resident pages of
 * the main heap, from brk0 rounded down to a page up to the break, as
 * mincore(2) saw them for the step's rss.  Page numbers count from brk0.
 * At most HS_WIRE_MAX_RUNS runs are sent per step: a heap whose residency
 * is more fragmented than that is cut, and the runs then describe only
 * pages [0, covered) (HS_WIRE_PAGES_CUT); past covered nothing is known. */
#define HS_WIRE_MAX_RUNS 4096u

/* hs_wire_pages.flags */
enum {
    HS_WIRE_PAGES_SAME = 1u << 0,  /* the same runs as the previous step: none follow */
    HS_WIRE_PAGES_CUT  = 1u << 1,  /* more than HS_WIRE_MAX_RUNS runs: covered < pages */
};

typedef struct hs_wire_pages {
    uint32_t n_runs;     /* hs_wire_run records that follow (0 with HS_WIRE_PAGES_SAME) */
    uint32_t flags;      /* HS_WIRE_PAGES_* */
    uint64_t pages;      /* heap pages: [0, pages) lies below the break */
    uint64_t covered;    /* the runs describe pages [0, covered); = pages unless cut */
} hs_wire_pages;

/* Resident pages [first, first + count). */
typedef struct hs_wire_run {
    uint32_t first, count;
} hs_wire_run;

#endif
