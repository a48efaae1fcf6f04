/* sim/heap.h — the state of one simulated glibc 2.36 main arena (struct hs_sim) and its invariants.
 * Owns: struct hs_sim, glibc's constants under glibc's names, and the model's internal API. */
#ifndef HS_HEAP_H
#define HS_HEAP_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cc.h"
#include "sim.h"
#include "sparse.h"
#include "event.h"
#include "rules.h"

/* The jump out of an op that glibc aborts (hs_printerr, hs_segv, hs_oom) back
 * to apply.  GCC's and Clang's builtin pair saves three words instead of
 * every callee-saved register and the signal-mask flag: it is taken once per
 * op.  Sanitizer builds keep the libc pair, which AddressSanitizer knows how
 * to unwind (GCC says so with __SANITIZE_ADDRESS__, Clang with
 * __has_feature). */
#if defined(__SANITIZE_ADDRESS__)
#  define HS_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define HS_ASAN 1
#  endif
#endif
#if defined(__GNUC__) && !defined(HS_ASAN)
typedef void *hs_jmp_buf[5];
#  define HS_SETJMP(b)  __builtin_setjmp (b)
#  define HS_LONGJMP(b) __builtin_longjmp (b, 1)
#else
typedef sigjmp_buf hs_jmp_buf;
#  define HS_SETJMP(b)  sigsetjmp (b, 0)
#  define HS_LONGJMP(b) siglongjmp (b, 1)
#endif

/* ---- glibc's constants (malloc.c, x86_64) ---- */
#define SIZE_SZ            UINT64_C(8)
#define MALLOC_ALIGNMENT   UINT64_C(16)
#define MALLOC_ALIGN_MASK  UINT64_C(15)
#define CHUNK_HDR_SZ       UINT64_C(16)
#define MINSIZE            UINT64_C(32)
#define PREV_INUSE         UINT64_C(1)
#define IS_MMAPPED         UINT64_C(2)
#define NON_MAIN_ARENA     UINT64_C(4)
#define SIZE_BITS          UINT64_C(7)
#define NBINS              128
#define NSMALLBINS         64
#define MIN_LARGE_SIZE     UINT64_C(1024)
#define NFASTBINS          10
#define MAX_FAST_SIZE      UINT64_C(160)                 /* 80 * SIZE_SZ / 4 */
#define DEFAULT_MXFAST     UINT64_C(128)                 /* 64 * SIZE_SZ / 4 */
#define TCACHE_MAX_BINS    64
#define TCACHE_FILL_COUNT  7
#define MAX_TCACHE_SIZE    UINT64_C(1032)                /* tidx2usize (63) */
#define BINMAPSIZE         4
#define FASTBIN_CONSOLIDATION_THRESHOLD UINT64_C(65536)
#define DEFAULT_MMAP_THRESHOLD      UINT64_C(131072)
#define DEFAULT_MMAP_THRESHOLD_MAX  UINT64_C(33554432)   /* 4 * 1024 * 1024 * sizeof (long) */
#define DEFAULT_TRIM_THRESHOLD      UINT64_C(131072)
#define DEFAULT_TOP_PAD             UINT64_C(131072)     /* malloc-machine.h, not malloc.c:952 */
#define MMAP_AS_MORECORE_SIZE       UINT64_C(1048576)    /* malloc.c:2415, 1024 * 1024 */
#define DEFAULT_MMAP_MAX            65536
#define HEAP_MAX_SIZE               UINT64_C(67108864)   /* 2 * DEFAULT_MMAP_THRESHOLD_MAX (arena.c) */
#define MAX_ITERS                   10000
#define PTRDIFF_MAX_U               UINT64_C(0x7fffffffffffffff)
#define HS_PAGE                     UINT64_C(4096)
#define HS_PAGE_SHIFT               12
#define TCACHE_STRUCT_BYTES         UINT64_C(640)        /* sizeof (tcache_perthread_struct) */

#define request2size(req) \
    (((req) + SIZE_SZ + MALLOC_ALIGN_MASK < MINSIZE) ? MINSIZE \
     : ((req) + SIZE_SZ + MALLOC_ALIGN_MASK) & ~MALLOC_ALIGN_MASK)
#define csize2tidx(x)     (((x) - MINSIZE + MALLOC_ALIGNMENT - 1) / MALLOC_ALIGNMENT)
#define fastbin_index(sz) ((unsigned)(((uint32_t)(sz)) >> 4) - 2)
#define in_smallbin_range(sz) ((uint64_t)(sz) < MIN_LARGE_SIZE)
#define smallbin_index(sz)    ((int)(((uint32_t)(sz)) >> 4))
#define largebin_index(sz)                                              \
    ((((uint64_t)(sz)) >> 6) <= 48 ?  48 + (int)(((uint64_t)(sz)) >> 6) : \
     (((uint64_t)(sz)) >> 9) <= 20 ?  91 + (int)(((uint64_t)(sz)) >> 9) : \
     (((uint64_t)(sz)) >> 12) <= 10 ? 110 + (int)(((uint64_t)(sz)) >> 12) : \
     (((uint64_t)(sz)) >> 15) <= 4 ? 119 + (int)(((uint64_t)(sz)) >> 15) : \
     (((uint64_t)(sz)) >> 18) <= 2 ? 124 + (int)(((uint64_t)(sz)) >> 18) : 126)
#define bin_index(sz) (in_smallbin_range (sz) ? smallbin_index (sz) : largebin_index (sz))
#define ALIGN_UP(x, a)   (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))

/* ---- the model's address space ----
 * Pointers inside the model are model addresses, so that 0 is NULL as in
 * glibc: heap offset o lives at s->heap_base + o (HS_HEAP_BASE by default,
 * which matters only for alignments above a page and for safe-linking); the bin heads (pseudo
 * chunks inside main_arena) are HS_BIN_ADDR(i); mmapped regions are placed
 * top-down below HS_MMAP_TOP, the way the kernel's mmap places them.  The
 * API (sim.h) speaks heap offsets.  The defaults are what heapsim-replay
 * sees on Debian 12 x86_64 with ASLR off (strace); hs_sim_set_bases sets
 * others.  Absolute addresses matter only for alignments above 4096 and for
 * safe-linked pointers that a misused heap reveals. */
#define HS_HEAP_BASE  UINT64_C(0x555555572000)   /* heapsim-replay's sbrk (0) under setarch -R */
#define HS_MMAP_TOP   UINT64_C(0x7ffff7dcf000)   /* below libc's TLS block in a libc-only process */
#define HS_MMAP_FLOOR UINT64_C(0x600000000000)
#define HS_MAX_FOREIGN 64
#define IS_BIN_ADDR(p) (((p) >> 62) == 1)
#define BIN_OF(p)      ((int)((p) & 0xff))
#define bin_at(i)      HS_BIN_ADDR(i)
#define unsorted_chunks() bin_at (1)
#define HS_TCACHE_KEY UINT64_C(0x9e3779b97f4a7c15)   /* tcache_key: any value no program writes */

/* Page states (kernel view of one 4 KiB page of anonymous memory). */
enum { PG_NONE = 0,   /* not mapped: not resident; reads as zero */
       PG_ZERO = 1,   /* the shared zero page after a read: resident for mincore */
       PG_DATA = 2,   /* a private page after a write: resident, its bytes in pmem[page] */
       PG_FILL = 3 }; /* a private page whose every byte is pfill[page] (a whole-page
                         memset: touch, calloc, perturb; 0 for a page glibc only wrote
                         words to) except the aligned words listed in pword[page]: up
                         to HS_WORDS_MAX of them, then the page becomes PG_DATA */
/* The most words a PG_FILL page lists before the model keeps all its bytes:
 * a page of chunk headers and nothing else (a program that never writes
 * its chunks) costs ~200 bytes, not 4096. */
#define HS_WORDS_MAX 64

/* Page states of a mapping, kept sparse so that a huge untouched mapping
 * costs next to nothing: leaf[i] holds the states of pages [i * HS_PV_LEAF,
 * (i + 1) * HS_PV_LEAF) (16 MiB of memory), and a NULL leaf means all
 * PG_NONE.  nleaf covers the mapping's length. */
#define HS_PV_SHIFT 12
#define HS_PV_LEAF  (UINT64_C(1) << HS_PV_SHIFT)
typedef struct hs_pvec {
    uint8_t **leaf;
    uint64_t nleaf;
} hs_pvec;

/* The state of page pg of a sparse page vector.  Never fails. */
static inline uint8_t hs_pv_get(const hs_pvec *v, uint64_t pg)
{
    uint64_t l = pg >> HS_PV_SHIFT;
    return l < v->nleaf && v->leaf[l] ? v->leaf[l][pg & (HS_PV_LEAF - 1)] : 0;
}

/* Chunk tags for the state walk: one per 16-byte granule of the heap (kept
 * per page, HS_TAGS_PER_PAGE to a page, in an hs_tagpage: listed while few,
 * then in place; NULL when none is set),
 * meaningful only at chunk starts: low 3 bits hs_chunk_state (INUSE, TCACHE,
 * FASTBIN, UNSORTED, SMALL, LARGE), the rest (slot + 1) of an in-use chunk
 * handed to the trace, 0 for none. */
#define HS_TAGS_PER_PAGE 256
#define TAG(st, slot) ((uint32_t)(st) | ((uint32_t)((slot) + 1) << 3))
#define TAG_STATE(t)  ((t) & 7u)
#define TAG_SLOT(t)   (((t) >> 3) ? ((t) >> 3) - 1 : HS_NO_ID)

/* One mmapped region, as the kernel and munmap_chunk see it. */
typedef struct hs_map {
    uint64_t base, len;     /* the mapping: [base, base + len), len page-aligned */
    uint64_t chunk;         /* the chunk in it: base + prev_size */
    uint64_t prev_size;     /* its header words (chunk is the only thing glibc writes) */
    uint64_t size_field;
    uint64_t seq;           /* creation order (oldest first in the walk) */
    hs_pvec  pv;            /* page states, len / 4096 of them (sparse) */
    uint64_t resident;      /* pages of pv that are not PG_NONE */
    uint64_t req;           /* bytes requested (for the walk) */
    uint32_t slot;          /* trace slot holding it, or HS_NO_ID */
    uint8_t  live;
    uint8_t  orphan;        /* glibc unmapped it but the kernel refused (the munmap would
                               split a VMA past vm.max_map_count): still mapped, resident
                               and counted by the kernel, no longer a chunk of glibc's */
    uint64_t av;            /* its anon_vma: adjacent mappings with the same one are one
                               VMA (kernel.c); HS_FOREIGN_AV(i) when merged into foreign[i] */
    uint64_t pgoff;         /* vm_pgoff of its first page: base / 4096 when mapped, kept when
                               mremap moves it (then it merges with no fresh neighbour) */
} hs_map;
#define HS_FOREIGN_AV(i) ((UINT64_C(1) << 63) | (uint64_t)(i))

/* ---- arenas and threads (sim/arena.c, glibc's arena.c) ---- */
#define HEAP_MIN_SIZE      UINT64_C(32768)                /* 32 * 1024 (arena.c) */
#define HS_MSTATE_SZ       UINT64_C(2200)                 /* sizeof (struct malloc_state), x86_64 */
/* sizeof (heap_info): ar_ptr, prev, size, mprotect_size (+ pagesize since
 * 2.35, rules->heap_info_pagesize), padded so that sizeof + 16 is a
 * multiple of MALLOC_ALIGNMENT. */
#define HS_HEAP_INFO_SZ(s) ((s)->rules->heap_info_pagesize ? UINT64_C(48) : UINT64_C(32))
#define HS_NO_ARENA        UINT32_MAX

/* The memory of one heap region (the main heap, or a non-main arena's
 * heap_info heap).  The loaded region is hs_sim's mem, whose fields hs_sim
 * also names directly (s->brk): one field list for both. */
#define HS_HEAPMEM_FIELDS \
    uint64_t heap_base;     /* model address of the break at start (page-aligned) */ \
    uint64_t heap_start;    /* offset of the heap's first chunk (main: 0) */ \
    uint64_t brk;           /* break minus break at start (page-aligned; textbook: + 16, see H2) */ \
    uint64_t brk_w;         /* brk / 8, set with it (hs_set_brk): F and W's bound, one compare */ \
    uint64_t max_brk; \
    uint8_t **pmem;         /* the 4096 bytes of each PG_DATA page, NULL for the others */ \
    uint8_t *pst;           /* page states */ \
    uint8_t *pfill;         /* the byte of each PG_FILL page */ \
    hs_sparse **pword;      /* the words of a PG_FILL page that differ from its fill, NULL for none */ \
    hs_tagpage **ptag;      /* chunk tags of each page (HS_TAGS_PER_PAGE slots), NULL = all 0 */ \
    uint64_t cap;           /* bytes the per-page arrays cover ([0, cap / 4096), a multiple of 4096) */ \
    uint64_t heap_resident; /* pages of [0, brk) not PG_NONE */
typedef struct hs_heapmem {
    HS_HEAPMEM_FIELDS
} hs_heapmem;
/* Sets a heap region's break (a multiple of 8) and the word count F and W
 * compare with.  Never fails. */
#define hs_set_brk(m, b) \
    do { uint64_t b_ = (b); (m)->brk = b_; (m)->brk_w = b_ >> 3; } while (0)

/* One arena's struct malloc_state and the model's counts of its lists.  The
 * loaded arena's is hs_sim's st, whose fields hs_sim also names directly
 * (s->aw): one field list for both.  aw[] holds top, last_remainder and
 * bins[254] back to back exactly as malloc_state lays them out, so
 * bin_at(i)'s field k (prev_size 0, size 1, fd 2, bk 3, fd_nextsize 4,
 * bk_nextsize 5) is aw[2 * i - 2 + k]. */
#define HS_MSTATE_FIELDS \
    uint64_t aw[2 + NBINS * 2 - 2]; \
    uint32_t binmap[BINMAPSIZE]; \
    uint64_t fastbinsY[NFASTBINS]; \
    int      have_fastchunks; \
    uint64_t system_mem, max_system_mem; \
    uint64_t n_binned, binned_bytes;   /* chunks in bins 1..127 (what int_mallinfo would sum) */ \
    uint64_t n_fast, fast_bytes;       /* chunks in fastbins */
typedef struct hs_mstate {
    HS_MSTATE_FIELDS
} hs_mstate;

/* One arena (struct malloc_state, plus its heap's memory) while it is not
 * the loaded one; ar[cur_ar] is stale (its state lives in hs_sim). */
typedef struct hs_arena {
    hs_heapmem mem;             /* main: the sbrk heap; others: their heap_info heap at mem.heap_base */
    hs_mstate st;
    uint64_t mprotect_size;     /* heap_info.mprotect_size (non-main) */
    uint32_t next;              /* malloc_state.next: the arena list, main -> newest -> ... -> main */
    uint32_t next_free;         /* next_free: the free list, HS_NO_ARENA at its end */
    uint32_t attached_threads;
} hs_arena;

/* An earlier heap_info heap of a non-main arena (the arena's mem is the
 * heap that holds its top; sysmalloc chains a new heap when one is full). */
typedef struct hs_xheap {
    hs_heapmem mem;
    uint32_t arena;
    uint64_t mprotect_size;
} hs_xheap;

/* One thread: its tcache (tcache_perthread_struct) and thread_arena, while
 * it is not the loaded one; th[cur_th] is stale (its tcache lives in hs_sim). */
typedef struct hs_thread {
    uint64_t tcache;
    uint16_t tc_counts[TCACHE_MAX_BINS];
    uint64_t tc_entries[TCACHE_MAX_BINS];
    uint32_t arena;             /* thread_arena, HS_NO_ARENA = NULL */
    bool     shutting_down;     /* tcache_shutting_down: the thread exited */
} hs_thread;

/* All state of one heap.  Nothing lives outside this struct: two heaps run
 * side by side; hs_sim_clone copies every array.
 *
 * INVARIANTS (checked by hs_sim_check after every op in the tests):
 *  H1 Tiling: once the heap exists (brk > 0), chunks laid end to end from
 *     heap_start (offset 0: the break at start is page-aligned) tile the heap
 *     exactly up to top, and top + chunksize(top) == brk.  Before the first
 *     sysmalloc top is bin_at(1) (initial_top) with size 0 and brk is 0.
 *  H2 Sizes: every heap chunk size is a multiple of 16 and >= MINSIZE, except
 *     top, which is >= MINSIZE (>= 0 in the textbook profile, whose break
 *     need not be page-aligned: there the model keeps the 16 bytes of top's
 *     header mapped past the reported break, so brk = reported + 16 and
 *     top + chunksize (top) + 16 == brk).  No heap chunk
 *     has IS_MMAPPED or NON_MAIN_ARENA set; top always has PREV_INUSE.
 *  H3 PREV_INUSE: the bit of each chunk says whether the chunk before it is
 *     in use; tcache and fastbin chunks count as in use.  A free chunk (in
 *     unsorted, small or large bins) has its size in the next chunk's
 *     prev_size (set_foot).
 *  H4 Coalescing: no two free chunks of the bins are adjacent, and no free
 *     chunk of the bins is next to top.
 *  H5 Bins: bin 1 (unsorted) holds any size; small bin i holds exactly size
 *     i * 16; large bin i holds sizes with largebin_index == i, sorted by
 *     size, largest first from fd, and the fd_nextsize/bk_nextsize ring links
 *     the first chunk of each size.  Every list is doubly linked and circular
 *     through its head; binmap bit i (i >= 2) is set whenever bin i is non-empty.
 *  H6 Fastbins: fastbin i holds chunks of size (i + 2) * 16 <= max_fast,
 *     singly linked through fd, NULL-terminated, no cycles.
 *  H7 tcache: counts[i] equals the length of entries[i] and is <= the
 *     tcache_count (7); entries are chunk + 16 of chunks of size
 *     csize2tidx^-1(i), each with key == tcache_key; no chunk is in two lists.
 *  H8 Accounting: system_mem == brk; n_binned/binned_bytes and
 *     n_fast/fast_bytes equal the counts and byte sums of the lists, so the
 *     mallinfo fields equal what int_mallinfo would compute; n_mmaps equals
 *     the live mappings that are not orphans (n_orphans counts those) and
 *     mmapped_mem the sum of their lengths.
 *  H9 Pages: no page at or above the break is resident; heap_resident counts
 *     the pages below the break that are not PG_NONE (PG_ZERO, PG_DATA and
 *     PG_FILL are resident, as mincore sees them), and each mapping's
 *     resident count matches its page states.  pmem[pg] is non-NULL exactly
 *     when page pg is PG_DATA, so the model holds bytes only for pages the
 *     simulated program has made private: its memory follows the simulated
 *     RSS, not the break or the mappings' lengths.  pword[pg] is non-NULL
 *     only for a PG_FILL page, lists at most HS_WORDS_MAX words, each one
 *     different from the page's fill pattern (so a page of headers only
 *     costs its headers); tag and word arrays keep hs_sparse's invariant.
 *     minflt counts every PG_NONE -> resident and every PG_ZERO -> written
 *     transition.
 *  H10 Tags: every binned or cached chunk's tag names its bin family, and
 *     every in-use chunk's tag says in use (with the slot holding it).  A
 *     chunk whose tag says fastbin when it is freed into a fastbin is
 *     already in one (a cycle, see mi_suspect): every free, glibc's own
 *     included, starts from a chunk tagged in use.
 *  H11 Measures: plain_measures implies the profile has mallinfo2 and is
 *     not the textbook, !mi_suspect, own_map is UINT32_MAX, n_ar == 1,
 *     n_xh == 0 and !threaded (the cases step_measures's short path leaves
 *     out).
 *  A1 Arenas (sim/arena.c): between ops the main arena (cur_ar 0) and the
 *     main thread's tcache (cur_th 0) are loaded, so H1-H10 speak of the main
 *     heap; every other arena k satisfies H1-H8 and H10 on its own heap when
 *     loaded, with chunks tiling from heap_start (after heap_info and, in the
 *     arena's first heap, its malloc_state) to top, top + chunksize (top) ==
 *     heap_base + brk, brk <= mprotect_size <= HEAP_MAX_SIZE, heap_base
 *     aligned to HEAP_MAX_SIZE; system_mem is brk plus the sizes of the
 *     arena's earlier heaps (xh), which end in a fencepost and are not walked.  H9's pages hold
 *     per heap.  Chunks handed to the program from a non-main arena have
 *     NON_MAIN_ARENA set (H2 holds for the main heap only).
 *  A2 Arena list: ar[0].next ... visits every arena once and returns to 0;
 *     the free list (free_list, next_free) holds only arenas with
 *     attached_threads 0, each once; attached_threads of an arena equals the
 *     running threads whose thread_arena it is (main's counts the main thread).
 *  A3 tcache entries of any thread are chunks of some arena's heap (a free
 *     of another arena's chunk goes to the freeing thread's tcache).
 * The heap is "dead" after glibc would have aborted (or faulted): nothing
 * above is promised then, and every further op returns the same error.
 */
struct hs_sim {
    hs_profile profile;
    bool textbook;              /* HS_PROFILE_TEXTBOOK: the articles' simplified allocator */
    const hs_rules *rules;      /* the profile's glibc version rules (sim/rules.h) */
    bool hook_ini;              /* __malloc_hook is still malloc_hook_ini (rules->malloc_hook_ini) */

    /* ---- mp_ (struct malloc_par) ---- */
    uint64_t trim_threshold;    /* unsigned long: -1 means never trim */
    uint64_t top_pad;
    uint64_t mmap_threshold;
    uint64_t arena_test, arena_max;
    int32_t  n_mmaps, n_mmaps_max, max_n_mmaps;
    int      no_dyn_threshold;  /* set by any of M_MMAP_THRESHOLD/M_TRIM_THRESHOLD/M_TOP_PAD/M_MMAP_MAX */
    uint64_t mmapped_mem, max_mmapped_mem;
    uint64_t sbrk_base;         /* model address of the first sbrk, 0 before */
    uint64_t tcache_bins, tcache_max_bytes, tcache_count, tcache_unsorted_limit;
    int      perturb_byte;
    uint64_t global_max_fast;

    /* ---- the loaded arena's malloc_state (main_arena between ops), moved whole ---- */
    union {
        hs_mstate st;
        struct { HS_MSTATE_FIELDS };
    };

    /* ---- the thread's tcache (tcache_perthread_struct, in the heap) ---- */
    uint64_t tcache;            /* model address of the struct (chunk2mem of the 0x290 chunk), 0 = NULL */
    uint16_t tc_counts[TCACHE_MAX_BINS];
    uint64_t tc_entries[TCACHE_MAX_BINS];

    /* ---- mallinfo bookkeeping (the counts are in st) ---- */
    bool     mi_suspect;               /* the lists may no longer be what the counters
                                          say: a chunk went into a fastbin it was already
                                          in (a-b-a), or the program wrote into a chunk it
                                          does not hold.  From then on mallinfo is computed
                                          by walking the lists as glibc does (hs_walk_mallinfo) */
    bool     mi_hung;                  /* that walk failed once: glibc's mallinfo2 would
                                          have hung or crashed there, so the steps say
                                          null from then on (as the replayer does) */
    bool     plain_measures;           /* none of the step's rare measures applies yet
                                          (invariant H11): step_measures takes its
                                          short path.  Cleared where one starts to
                                          (the textbook, mi_suspect, own_map, a second
                                          arena, a thread), never set again */

    /* ---- the kernel's view: break, memory, pages ---- */
    uint64_t mmap_top;          /* the kernel's top-down mmap start */
    uint64_t foreign[HS_MAX_FOREIGN][2];  /* the process's own mappings below mmap_top
                                   (libraries, stacks of the loader): [start, end),
                                   sorted and disjoint; the kernel places around them */
    uint32_t n_foreign;
    hs_kernel_limits lim;       /* RLIMIT_AS, RLIMIT_DATA, vm.max_map_count (hs_sim_set_limits) */
    uint64_t map_len;           /* bytes of every live mapping */
    int64_t  vmas;              /* VMAs the live mappings add to lim.maps0: one per run of
                                   adjacent mappings with one anon_vma, less the runs merged
                                   into a foreign mapping */
    uint64_t av_seq;            /* the last anon_vma number given out */
    uint64_t td_base, td_len;   /* top-down hint (kernel.c hs_kmmap): no gap between the
                                   mappings above td_base holds td_len bytes; td_len 0: none */
    uint32_t n_orphans;         /* live mappings with orphan set */
    uint64_t orphan_resident;   /* their resident pages when they became orphans */
    uint64_t commit_max;        /* the largest single brk growth, mmap or mremap growth
                                   the kernel grants (hs_sim_set_commit_limit) */
    /* the loaded heap region (the main heap between ops), moved whole */
    union {
        hs_heapmem mem;
        struct { HS_HEAPMEM_FIELDS };
    };
    uint64_t minflt;            /* faults since the start */

    hs_map  *maps;              /* mapping records (live and reusable) */
    uint32_t n_maps, maps_cap;
    uint32_t *live;             /* indices of live records, oldest first */
    uint32_t n_live, live_cap;
    uint32_t *by_addr;          /* indices of live records, by base address */
    uint32_t *free_maps;        /* reusable record indices */
    uint32_t n_free_maps;
    uint64_t map_seq;
    uint64_t map_resident;      /* resident pages of all live mappings */
    uint64_t map_bytes;         /* sum of chunksize of live mapped chunks */
    uint32_t own_map;           /* record of glibc's own mmapped chunk (the tcache struct,
                                   when M_MMAP_THRESHOLD 0 came first), UINT32_MAX if none:
                                   counted in mallinfo, not among the program's chunks */

    /* ---- the trace's pointers (one per trace id) ---- */
    uint64_t *slot_mem;         /* the pointer the program holds (chunk2mem), 0 for NULL;
                                   kept after free: a second free uses it */
    uint64_t *slot_req;         /* bytes it asked for (for the walk) */
    uint32_t nslots;

    /* ---- stepping, explanations, abort ---- */
    uint64_t steps;
    bool     dead;
    char     error[HS_ERROR_MAX];
    bool     explain;
    hs_event *ev;               /* the op's events: [ev, ev_at) written, room up to ev_end */
    hs_event *ev_at, *ev_end;
    uint32_t cur_id;            /* slot of the op being applied, for events */
    bool     foreign_av;        /* this op's chunk claims a non-main arena: glibc goes on
                                   with an arena pointer it read from wherever
                                   heap_for_ptr points, and faults when it uses it */
    hs_jmp_buf *jb;             /* where malloc_printerr jumps to (set during apply) */
    size_t   run_at;            /* hs_sim_run: the index of the op being applied */

    /* ---- arenas and threads (sim/arena.c) ---- */
    hs_arena *ar;               /* ar[0] main_arena, ar[k] the k-th arena created */
    uint32_t n_ar, ar_cap, cur_ar;
    uint32_t free_list;         /* arena.c free_list, HS_NO_ARENA = empty */
    uint32_t next_to_use;       /* reused_arena's next_to_use, HS_NO_ARENA = NULL */
    uint64_t narenas_limit;     /* arena_get2's static narenas_limit (0: not yet set) */
    uint64_t aligned_heap_area; /* new_heap's hint, 0 = NULL */
    uint32_t ncpus;             /* __get_nprocs (_sched) of the machine (hs_sim_set_cpus) */
    hs_thread *th;              /* th[0] the main thread, th[k] the trace's thread k */
    uint32_t n_th, cur_th;
    bool     threaded;          /* a thread other than main has run an op: steps carry arenas */
    hs_xheap *xh;               /* the non-main arenas' earlier heaps, oldest first */
    uint32_t n_xh, xh_cap;
};

/* ---- internal API, by file ---- */

/* The lists may no longer be what the counters say (mi_suspect): mallinfo
 * is walked from now on, and the step's measures are no longer plain
 * (H11).  Never fails. */
static inline void hs_mi_suspect(hs_sim *s)
{
    s->mi_suspect = true;
    s->plain_measures = false;
}

/* error.c-like helpers (sim.c): stop the op with glibc's message. Never return. */
_Noreturn void hs_printerr(hs_sim *s, const char *msg);
/* The same, after an HS_EV_VERSION_RULE naming the version rule (an
 * hs_rule_id) whose check aborts. */
_Noreturn void hs_printerr_rule(hs_sim *s, int rule, const char *msg);
_Noreturn void hs_segv(hs_sim *s);
_Noreturn void hs_oom(hs_sim *s);

/* pages.c: memory and residency */
uint64_t hs_rd_slow(hs_sim *s, uint64_t p, int k);
void     hs_wr_slow(hs_sim *s, uint64_t p, int k, uint64_t v);
void     hs_mem_fill_pages(hs_sim *s, uint64_t addr, uint64_t len, int byte);
void     hs_mem_read(hs_sim *s, uint64_t addr, uint64_t len);
void     hs_mem_copy(hs_sim *s, uint64_t dst, uint64_t src, uint64_t len);
void     hs_heap_release(hs_sim *s, uint64_t off, uint64_t len);
uint64_t hs_mem_dontneed(hs_sim *s, uint64_t addr, uint64_t len);
void     hs_heap_grow(hs_sim *s, uint64_t new_brk);
hs_map  *hs_map_find(const hs_sim *s, uint64_t addr);
uint64_t hs_peek(const hs_sim *s, uint64_t p, int k);
void     hs_heap_private(hs_sim *s, uint64_t off);
void     hs_tag_set(hs_sim *s, uint64_t off, uint32_t tag);

/* kernel.c: page state vectors */
void     hs_pv_set(hs_sim *s, hs_pvec *v, uint64_t pg, uint8_t st);
uint64_t hs_pv_cut(hs_pvec *v, uint64_t first);
uint64_t hs_pv_count(const hs_pvec *v);
int      hs_pv_resize(hs_pvec *v, uint64_t npages);
void     hs_pv_free(hs_pvec *v);
int      hs_pv_dup(hs_pvec *d, const hs_pvec *v);

/* kernel.c: the mmap area */
hs_map  *hs_kmmap(hs_sim *s, uint64_t len);
void     hs_kmunmap(hs_sim *s, hs_map *m);
uint64_t hs_ktopdown(hs_sim *s, uint64_t len);
bool     hs_kfree_range(const hs_sim *s, uint64_t addr, uint64_t len);
hs_map  *hs_kmremap(hs_sim *s, hs_map *m, uint64_t new_len);
bool     hs_klimits_allow(hs_sim *s, uint64_t bytes, int how);
bool     hs_kmunmap_splits_past(hs_sim *s, hs_map *m);
void     hs_korphan(hs_sim *s, hs_map *m);

/* madvise.c: the program's madvise (the madvise op) */
void     hs_sys_madvise(hs_sim *s, uint64_t addr, uint64_t len, int advice);

/* malloc.c */
uint64_t hs_libc_malloc(hs_sim *s, uint64_t bytes);
uint64_t hs_int_malloc(hs_sim *s, uint64_t bytes);
void     hs_tcache_init(hs_sim *s);
uint64_t hs_tcache_get(hs_sim *s, uint64_t tc_idx);
void     hs_unlink_chunk(hs_sim *s, uint64_t p);
void     hs_alloc_perturb(hs_sim *s, uint64_t mem, uint64_t n);
void     hs_free_perturb(hs_sim *s, uint64_t mem, uint64_t n);

/* free.c */
void     hs_tcache_put(hs_sim *s, uint64_t chunk, uint64_t tc_idx);
void     hs_libc_free(hs_sim *s, uint64_t mem);
void     hs_int_free(hs_sim *s, uint64_t p);
void     hs_int_free_carved(hs_sim *s, uint64_t p);
void     hs_int_free_merge_chunk(hs_sim *s, uint64_t p, uint64_t size);
void     hs_int_free_create_chunk(hs_sim *s, uint64_t p, uint64_t size, uint64_t nextchunk,
                                  uint64_t nextsize);
void     hs_malloc_consolidate(hs_sim *s, int why);
void     hs_arena_for_chunk(hs_sim *s, uint64_t p);

/* sysmalloc.c */
uint64_t hs_sysmalloc(hs_sim *s, uint64_t nb);
uint64_t hs_sysmalloc_mmap(hs_sim *s, uint64_t nb);
uint64_t hs_morecore(hs_sim *s, int64_t increment);
int      hs_systrim(hs_sim *s, uint64_t pad);
void     hs_munmap_chunk(hs_sim *s, uint64_t p);
uint64_t hs_mremap_chunk(hs_sim *s, uint64_t p, uint64_t new_size);

/* realloc.c, calloc.c, memalign.c, mallopt.c */
uint64_t hs_libc_realloc(hs_sim *s, uint64_t oldmem, uint64_t bytes);
uint64_t hs_libc_calloc(hs_sim *s, uint64_t n, uint64_t elem, bool *overflow);
uint64_t hs_libc_memalign(hs_sim *s, uint64_t alignment, uint64_t bytes);
int      hs_libc_mallopt(hs_sim *s, int param, int value);
int      hs_malloc_trim(hs_sim *s, uint64_t pad);

/* arena.c */
int      hs_arena_setup(hs_sim *s);
int      hs_arena_clone(hs_sim *c, const hs_sim *s);
void     hs_arena_free(hs_sim *s);
void     hs_arena_load(hs_sim *s, uint32_t k);
void     hs_thread_enter(hs_sim *s, uint32_t t);
void     hs_arena_home(hs_sim *s);
void     hs_arena_get(hs_sim *s, uint64_t size);
void     hs_arena_get_retry(hs_sim *s, uint64_t bytes);
int      hs_region_other(const hs_sim *s, uint64_t a);
uint32_t hs_region_arena(const hs_sim *s, uint32_t r);
uint64_t hs_arena_old_heaps(const hs_sim *s, uint32_t a);
int      hs_mem_dup(hs_heapmem *d, const hs_heapmem *m);
int      hs_mem_dup_reusing(hs_heapmem *d, const hs_heapmem *m, hs_heapmem *spare);
void     hs_mem_release(hs_heapmem *m);
void     hs_mem_enter(hs_sim *s, uint32_t k, hs_heapmem *save);
void     hs_mem_leave(hs_sim *s, uint32_t k, const hs_heapmem *save);
int      hs_arena_of_heap(const hs_sim *s, uint64_t h);
uint64_t hs_heap_sysmalloc(hs_sim *s, uint64_t nb);
void     hs_heap_trim(hs_sim *s, uint64_t pad);
void     hs_thread_exit(hs_sim *s);
void     hs_arena_measures(hs_sim *s, hs_step *out);
uint64_t hs_arenas_resident(const hs_sim *s);
bool     hs_arena_reserved(const hs_sim *s, uint64_t addr, uint64_t len, uint64_t *below);
const char *hs_arena_check(const hs_sim *s);
void     hs_set_tag_other(hs_sim *s, uint64_t p, uint32_t tag);
uint32_t hs_get_tag_other(const hs_sim *s, uint64_t p);

/* explain.c: makes room for one more event in the op's log; -1 when the
 * log cannot grow (the event is then dropped: an explanation is never worth
 * failing the op). */
int      hs_emit_grow(hs_sim *s);
/* Appends one event to the op's log (explanations on).  Never fails. */
HS_ALWAYS_INLINE
static inline void hs_emit_(hs_sim *s, int code, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    hs_event *e = s->ev_at;
    if (e == s->ev_end) {
        if (hs_emit_grow (s) < 0)
            return;
        e = s->ev_at;
    }
    s->ev_at = e + 1;
    e->code = (uint16_t)code;
    e->pad_ = 0;
    e->id = s->cur_id;
    e->a = a;
    e->b = b;
    e->c = c;
    e->d = d;
}
/* An event of the op, when explanations are on (the arguments are not
 * evaluated when they are off). */
#define  hs_emit(s, code, a, b, c, d) \
    do { if ((s)->explain) hs_emit_ ((s), (code), (a), (b), (c), (d)); } while (0)

/* state.c */
void     hs_fill_mallinfo(const hs_sim *s, hs_mallinfo *mi);
bool     hs_walk_mallinfo(const hs_sim *s, hs_mallinfo *mi);
bool     hs_step_mallinfo(const hs_sim *s, hs_mallinfo *mi);
void     hs_program_maps(const hs_sim *s, uint64_t *n, uint64_t *bytes, uint64_t *pages);
uint64_t hs_resident_bytes(const hs_sim *s, uint64_t map_pages);
void     hs_step_measures(hs_sim *s, hs_step *out);

/* textbook.c; HS_TB_HDR is the top header the textbook keeps past its break */
#define HS_TB_HDR(s) ((s)->textbook && (s)->brk ? CHUNK_HDR_SZ : 0)
/* av->system_mem as glibc's sanity checks use it; the textbook's top can be
 * empty, so a chunk may be as big as all of the heap: no limit there. */
#define SYSTEM_MEM(s) ((s)->textbook ? UINT64_MAX / 2 : (s)->system_mem)
void     hs_textbook_setup(hs_sim *s);
uint64_t hs_textbook_sysmalloc(hs_sim *s, uint64_t nb);
int      hs_textbook_systrim(hs_sim *s, uint64_t pad);

#endif
