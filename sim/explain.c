/* sim/explain.c — explanations: recording hs_events and turning one into a sentence a student understands.
 * Owns: the event log's growth (hs_emit_grow; heap.h's hs_emit_ appends) and hs_event_format. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bytes.h"
#include "heap.h"
#include "rules.h"

/* See heap.h: doubles the log (hs_emit_ appends to it).  -1 when out of
 * memory, the log unchanged. */
int hs_emit_grow(hs_sim *s)
{
    size_t n = (size_t)(s->ev_at - s->ev), cap = (size_t)(s->ev_end - s->ev);
    size_t nc = cap ? cap * 2 : 64;
    hs_event *ne = realloc (s->ev, nc * sizeof *ne);
    if (!ne)
        return -1;
    s->ev = ne;
    s->ev_at = ne + n;
    s->ev_end = ne + nc;
    return 0;
}

/* A size in the units a person reads (sim/bytes.h, hs_bytes_words). */
typedef struct { char s[40]; } sz_t;
static sz_t SZ(uint64_t v)
{
    sz_t r;
    hs_bytes_words (v, r.s, sizeof r.s);
    return r;
}

/* A threshold that may be "never" (SIZE_MAX: -1 as mallopt sets it). */
static sz_t TH(uint64_t v)
{
    if (v == UINT64_MAX) {
        sz_t r;
        snprintf (r.s, sizeof r.s, "never (-1)");
        return r;
    }
    return SZ (v);
}

/* The contract's name of an hs_param; "unknown param" out of range. */
static const char *param_name(uint64_t p)
{
    return p < HS_PARAM_COUNT ? hs_param_name ((int)p) : "unknown param";
}

/* Why malloc_consolidate ran, in words; "?" for an unknown reason. */
static const char *why_name(uint64_t w)
{
    switch (w) {
    case HS_WHY_LARGE_REQUEST: return "a large request while fast chunks wait";
    case HS_WHY_TOP_SMALL:     return "top too small while fast chunks wait";
    case HS_WHY_FREE_BIG:      return "a free of 64 KiB or more";
    case HS_WHY_MALLOPT:       return "mallopt (every call does it)";
    case HS_WHY_TRIM:          return "malloc_trim";
    default:                   return "?";
    }
}

/* Thread t as a sentence names it: "the main thread" (0), else "thread "
 * and nm's name for it, or "#t" without nm.  Never fails. */
static const char *thread_words(hs_thread_namer nm, const void *nctx, uint64_t t, char *buf, size_t len)
{
    if (t == 0)
        return "the main thread";
    char name[48];
    const char *n = nm ? nm (nctx, (uint32_t)t, name, sizeof name) : NULL;
    if (n)
        snprintf (buf, len, "thread %s", n);
    else
        snprintf (buf, len, "thread #%" PRIu64, t);
    return buf;
}

int hs_event_format(const hs_event *e, char *buf, size_t len)
{
    return hs_event_format_as (e, NULL, NULL, buf, len);
}

/* See sim.h: one sentence per code, with the event's numbers; an unknown
 * code gives "(event N)".  Truncates to len (snprintf), never fails. */
int hs_event_format_as(const hs_event *e, hs_thread_namer nm, const void *nctx, char *buf, size_t len)
{
    const uint64_t a = e->a, b = e->b, c = e->c, d = e->d;
    char tw[64];
#define WHO(t) thread_words (nm, nctx, (t), tw, sizeof tw)
#define P(...) return snprintf (buf, len, __VA_ARGS__)
#define X "0x%" PRIx64
#define U "%" PRIu64
    switch ((hs_event_code)e->code) {
    case HS_EV_NONE:
        P ("(nothing)");
    case HS_EV_REQUEST:
        if (a == 0 && b == 32)
            P ("request 0 bytes: still a chunk of the minimum size 32 bytes");
        P ("request %s: chunk size %s (request + 8 bytes of header, rounded up to 16, at least 32)",
           SZ (a).s, SZ (b).s);
    case HS_EV_REFUSED:
        P ("%s is more than PTRDIFF_MAX: glibc refuses at once and returns NULL (ENOMEM)", SZ (a).s);
    case HS_EV_CALLOC_OVERFLOW:
        P ("calloc(" U ", " U "): the product overflows: returns NULL (ENOMEM)", a, b);
    case HS_EV_TCACHE_INIT:
        P ("first use of the heap by this thread: glibc first makes its tcache "
           "(tcache_perthread_struct, %s, so a chunk of %s, 0x%" PRIx64 ")", SZ (a).s, SZ (b).s, b);
    case HS_EV_RESULT:
        if (c)
            P ("returns an mmapped chunk of %s (its own mapping, outside the heap)", SZ (b).s);
        P ("returns the chunk at " X " (%s); the pointer is " X, a, SZ (b).s, a + 16);
    case HS_EV_RESULT_NULL:
        P ("returns NULL");
    case HS_EV_TCACHE_HIT:
        P ("reused tcache chunk " X " (%s, LIFO: the one freed last); " U " left in tcache bin " U,
           a, SZ (b).s, d, c);
    case HS_EV_TCACHE_PUT:
        P ("chunk " X " (%s) goes to tcache bin " U " (" U " of 7): it stays marked in use, no merging",
           a, SZ (b).s, c, d);
    case HS_EV_TCACHE_FULL:
        P ("tcache bin for %s chunks is full (" U "): this free skips the tcache", SZ (a).s, c);
    case HS_EV_TCACHE_REFILL:
        P ("while there: moved " U " more %s chunk%s from the %s into the tcache (their order reverses)",
           a, SZ (b).s, a == 1 ? "" : "s", c == 1 ? "fastbin" : "small bin");
    case HS_EV_FASTBIN_HIT:
        P ("reused fastbin chunk " X " (%s, fastbin " U ", LIFO)", a, SZ (b).s, c);
    case HS_EV_FASTBIN_PUT:
        P ("%s <= max_fast %s: chunk " X " goes to fastbin " U " (stays marked in use, no merging)",
           SZ (b).s, SZ (d).s, a, c);
    case HS_EV_CONSOLIDATE:
        P ("malloc_consolidate, because of %s: " U " fast chunk%s merged with free neighbours into the unsorted bin or top",
           why_name (a), b, b == 1 ? "" : "s");
    case HS_EV_SMALLBIN_HIT:
        P ("took the oldest chunk " X " of small bin " U " (%s, an exact fit)", a, c, SZ (b).s);
    case HS_EV_LAST_REMAINDER:
        P ("split %s from the unsorted chunk " X " (%s, the last remainder); remainder %s goes to unsorted (last remainder)",
           SZ (b).s, a, SZ (d).s, SZ (c).s);
    case HS_EV_UNSORTED_EXACT:
        P ("exact fit in the unsorted bin: chunk " X " (%s)", a, SZ (b).s);
    case HS_EV_UNSORTED_CACHED:
        P ("exact fit " X " (%s) in the unsorted bin is stashed into the tcache (" U "); the scan goes on",
           a, SZ (b).s, c);
    case HS_EV_UNSORTED_SORT:
        P ("unsorted chunk " X " (%s) does not fit: sorted into %s bin " U, a, SZ (b).s,
           c < NSMALLBINS ? "small" : "large", c);
    case HS_EV_RETURN_CACHED:
        P ("returns the last chunk stashed into the tcache: " X, a);
    case HS_EV_BIN_FIT:
        if (d == 1)
            P ("best fit in large bin " U ": chunk " X " (%s)", c, a, SZ (b).s);
        P ("the binmap finds the next non-empty bin " U ": its smallest chunk " X " (%s)", c, a, SZ (b).s);
    case HS_EV_SPLIT:
        P ("split %s from chunk " X "; remainder " X " (%s) goes to unsorted", SZ (b).s, a, c, SZ (d).s);
    case HS_EV_EXHAUST:
        P ("remainder %s < MINSIZE (32 bytes): the whole chunk " X " (%s) is used",
           SZ (b - c).s, a, SZ (b).s);
    case HS_EV_USE_TOP:
        P ("split %s off top at " X "; top shrinks from %s to %s", SZ (b).s, a, SZ (c).s, SZ (d).s);
    case HS_EV_TOP_TOO_SMALL:
        if (c)
            P ("top (%s) is smaller than the chunk (%s)", SZ (a).s, SZ (b).s);
        P ("top (%s) is smaller than the chunk (%s) plus MINSIZE (32 bytes)", SZ (a).s, SZ (b).s);
    case HS_EV_MMAP:
        P ("%s >= mmap threshold %s: mmap %s (" U " mmapped chunk%s now)", SZ (a).s, TH (b).s,
           SZ (c).s, d, d == 1 ? "" : "s");
    case HS_EV_MMAP_MAX:
        P ("%s >= mmap threshold %s, but " U " mmapped chunks reach M_MMAP_MAX %" PRId64 ": the heap serves it",
           SZ (a).s, TH (b).s, c, (int64_t)d);
    case HS_EV_BRK_GROW:
        P ("brk grows by %s: the chunk (%s) plus top_pad (%s) plus 32 bytes, minus what top has (%s), rounded up to whole pages",
           SZ (a).s, SZ (b).s, SZ (c).s, SZ (d).s);
    case HS_EV_BRK_FIRST:
        P ("the heap starts: brk grows by %s: the chunk (%s) plus top_pad (%s) plus 32 bytes, rounded up to whole pages",
           SZ (a).s, SZ (b).s, SZ (c).s);
    case HS_EV_TRIM:
        if ((int64_t)a < 0)
            P ("trim of a top of only 32 bytes: glibc's arithmetic goes negative and the break grows by %s",
               SZ ((uint64_t)0 - a).s);
        P ("trim: the break moves down by %s; top keeps %s (pad %s plus MINSIZE, rounded to the page)",
           SZ (a).s, SZ (b).s, SZ (c).s);
    case HS_EV_NO_TRIM:
        P ("top %s < trim threshold %s: no trim", SZ (a).s, TH (b).s);
    case HS_EV_TRIM_NOTHING:
        P ("top (%s) holds less than a page above pad (%s) + MINSIZE: nothing to give back", SZ (a).s, SZ (b).s);
    case HS_EV_MUNMAP:
        P ("munmap %s: the mapping and its pages go back at once (" U " mmapped chunk%s left)",
           SZ (a).s, b, b == 1 ? "" : "s");
    case HS_EV_DYN_THRESHOLD:
        P ("free of an mmapped chunk: mmap threshold raised from %s to %s, trim threshold to %s",
           SZ (c).s, SZ (a).s, SZ (b).s);
    case HS_EV_DYN_NOCHANGE:
        if (c == 4)
            P ("free of an mmapped chunk: the textbook allocator keeps its fixed thresholds");
        if (c == 1)
            P ("free of an mmapped chunk: thresholds stay (mallopt turned the dynamic threshold off)");
        if (c == 2)
            P ("free of an mmapped chunk of %s <= mmap threshold %s: thresholds stay", SZ (a).s, TH (b).s);
        P ("free of an mmapped chunk of %s > 32 MiB (DEFAULT_MMAP_THRESHOLD_MAX): thresholds stay", SZ (a).s);
    case HS_EV_FREE_NULL:
        P ("free(NULL) does nothing");
    case HS_EV_MERGE_PREV:
        P ("merged with the free chunk before it (" X ", %s): now %s", a, SZ (b).s, SZ (c).s);
    case HS_EV_MERGE_NEXT:
        P ("merged with the free chunk after it (" X ", %s): now %s", a, SZ (b).s, SZ (c).s);
    case HS_EV_MERGE_TOP:
        P ("it borders top: merged into top, which now starts at " X " with %s", a, SZ (b).s);
    case HS_EV_TO_UNSORTED:
        if (c)
            P ("chunk " X " (%s) goes straight to small bin " U " (glibc 2.41's _int_free_create_chunk; "
               "before 2.41 it went to the unsorted bin first)", a, SZ (b).s, c - 1);
        P ("chunk " X " (%s) goes to the unsorted bin (one chance to be reused before sorting)", a, SZ (b).s);
    case HS_EV_FREE_BIG:
        if (b)
            P ("%s >= 64 KiB: consider trimming the top", SZ (a).s);
        P ("%s >= 64 KiB (FASTBIN_CONSOLIDATION_THRESHOLD): consolidate fast chunks and consider trimming",
           SZ (a).s);
    case HS_EV_REALLOC_NULL:
        P ("realloc(NULL, %s) is malloc(%s)", SZ (a).s, SZ (a).s);
    case HS_EV_REALLOC_ZERO:
        P ("realloc(p, 0) frees p and returns NULL");
    case HS_EV_REALLOC_SAME:
        P ("the chunk (%s) is already big enough for %s: it stays in place", SZ (a).s, SZ (b).s);
    case HS_EV_REALLOC_TOP:
        P ("the chunk " X " (%s) borders top: it grows in place to %s", a, SZ (b).s, SZ (c).s);
    case HS_EV_REALLOC_NEXT:
        P ("the next chunk " X " (%s) is free: the chunk (%s) grows in place into it", a, SZ (b).s, SZ (c).s);
    case HS_EV_REALLOC_MOVE:
        P ("no room in place: allocate a new chunk, copy %s, free the old chunk " X, SZ (c).s, a);
    case HS_EV_REALLOC_USABLE:
        P ("%s fits in the %schunk as it is (%s usable, %s to spare): realloc returns the same "
           "pointer at once", SZ (b).s, c ? "mmapped " : "", SZ (a).s, SZ (a - b).s);
    case HS_EV_REALLOC_RETRY:
        P ("arena " U " has no room for %s: with threads, realloc tries harder (malloc.c:3495): "
           "malloc (this thread's arena, then the one arena_get_retry picks), copy, free the old "
           "chunk", a, SZ (b).s);
    case HS_EV_REALLOC_SHRINK:
        P ("the tail " X " (%s) is split off and freed", a, SZ (b).s);
    case HS_EV_MREMAP:
        if (c)
            P ("mmapped chunk: still %s of pages, nothing to do (same pointer)", SZ (a).s);
        P ("mmapped chunk: mremap %s -> %s (it stays mmapped)", SZ (a).s, SZ (b).s);
    case HS_EV_CALLOC_CLEAR:
        P ("calloc clears %s (memory that may hold old data)", SZ (a).s);
    case HS_EV_CALLOC_NOCLEAR:
        if (a == 1)
            P ("calloc: an mmapped chunk is fresh from the kernel, already zero: nothing cleared");
        P ("calloc: %s of the chunk lie beyond the old top, memory sbrk just added: fresh zero pages, not cleared",
           SZ (b).s);
    case HS_EV_MEMALIGN:
        if (a != b)
            P ("memalign: alignment %s rounded up to %s; asks _int_malloc for %s (size + alignment + MINSIZE)",
               SZ (b).s, SZ (a).s, SZ (c).s);
        P ("memalign(%s): asks _int_malloc for %s (size + alignment + MINSIZE) and cuts out an aligned chunk",
           SZ (a).s, SZ (c).s);
    case HS_EV_MEMALIGN_LEAD:
        if (c)
            P ("memalign in an mmapped chunk: the chunk just starts %s further in", SZ (b).s);
        P ("the lead of %s before the aligned spot (chunk " X ") is given back (freed)", SZ (b).s, a);
    case HS_EV_MEMALIGN_TAIL:
        P ("the spare tail of %s at the end (chunk " X ") is given back (freed)", SZ (b).s, a);
    case HS_EV_MEMALIGN_MALLOC:
        P ("alignment " U " <= 16: every chunk is aligned that much, plain malloc", a);
    case HS_EV_MALLOPT:
        if (!c)
            P ("mallopt(%s, %" PRId64 ") is refused (returns 0): nothing changes", param_name (a), (int64_t)b);
        if (d)
            P ("mallopt(%s, %" PRId64 "): set; this turns the dynamic mmap threshold off for good",
               param_name (a), (int64_t)b);
        P ("mallopt(%s, %" PRId64 "): set", param_name (a), (int64_t)b);
    case HS_EV_MADVISE:
        P ("malloc_trim: MADV_DONTNEED on the %s of whole free pages from " X " (" U " resident page%s dropped)",
           SZ (b).s, a, c, c == 1 ? "" : "s");
    case HS_EV_MTRIM_RESULT:
        P ("malloc_trim returns %d", a ? 1 : 0);
    case HS_EV_MTRIM_ARENA:
        if (b == 0)
            P ("the main arena: %s (mtrim)", a ? "memory given back" : "nothing given back");
        P ("arena " U ": %s (mtrim)", b, a ? "memory given back" : "nothing given back");
    case HS_EV_PERTURB_ALLOC:
        P ("M_PERTURB: the new block's %s are filled with 0x%02" PRIx64, SZ (a).s, b);
    case HS_EV_PERTURB_FREE:
        P ("M_PERTURB: the freed chunk's %s are filled with 0x%02" PRIx64, SZ (a).s, b);
    case HS_EV_TOUCH:
        P ("the program writes %s: " U " page%s fault%s in", SZ (a).s, b, b == 1 ? "" : "s", b == 1 ? "s" : "");
    case HS_EV_PAGES:
        P (U " minor fault%s; resident now %s", a, a == 1 ? "" : "s", SZ (b).s);
    case HS_EV_VERSION_RULE:
        if (a < HS_RULE_COUNT && a != HS_RULE_NONE)
            P ("%s", hs_rule_sentence ((int)a));
        P ("a rule of some glibc versions only (rule " U ")", a);
    case HS_EV_DOUBLE_FREE_SCAN:
        P ("the chunk " X " carries the tcache key: glibc scans tcache bin " U " for a double free", a, b);
    case HS_EV_ABORT:
        P ("glibc detects the misuse, prints the message and aborts (SIGABRT)");
    case HS_EV_SEGV:
        P ("the access hits memory nothing maps: SIGSEGV");
    case HS_EV_DEAD:
        P ("the process already died: nothing happens");
    case HS_EV_TB_BRK:
        P ("brk (_edata) moves up by %s: exactly what the %s chunk still needs", SZ (a).s, SZ (b).s);
    case HS_EV_TB_TRIM:
        P ("trim: the break (_edata) moves down by %s, all the free space at the top above pad %s (trim threshold %s)",
           SZ (a).s, SZ (c).s, TH (b).s);
    case HS_EV_FASTBIN_CYCLE:
        P ("the chunk at " X " is already in fastbin %u further down the list: only the "
           "first entry is checked (fasttop), so it goes in twice and the list becomes a cycle; "
           "malloc will hand it out twice, and mallinfo2, which walks the list, never returns", a, (unsigned)b);
    case HS_EV_ARENA_FOR_CHUNK:
        P ("the chunk's size field has NON_MAIN_ARENA (4) set, so arena_for_chunk takes it for a chunk "
           "of another thread's heap and reads that heap's arena pointer at " X
           " (the chunk rounded down to 64 MiB, heap_for_ptr)", b);
    case HS_EV_KERNEL_REFUSES:
        P ("the kernel refuses %s %s at once: more than this machine's RAM + swap (%s), "
           "which its overcommit heuristic (vm.overcommit_memory 0) never grants: ENOMEM",
           c == 0 ? "to mmap" : c == 1 ? "to grow the break by" : "to grow a mapping by",
           SZ (a).s, SZ (b).s);
    case HS_EV_KERNEL_LIMIT: {
        static const char *const how[] = { "mmap", "grow the break by", "grow a mapping by", "munmap" };
        const char *what = how[d & 3];
        switch (d / 4) {
        case HS_LIM_AS:
            P ("the kernel refuses to %s %s: the process already has %s of address space and "
               "RLIMIT_AS (ulimit -v) is %s (may_expand_vm): ENOMEM", what, SZ (a).s, SZ (b).s, SZ (c).s);
        case HS_LIM_DATA:
            P ("the kernel refuses to %s %s: the process already has %s of private writable memory "
               "(data_vm) and RLIMIT_DATA (ulimit -d) is %s (may_expand_vm): ENOMEM",
               what, SZ (a).s, SZ (b).s, SZ (c).s);
        case HS_LIM_BRK_DATA:
            P ("the kernel refuses to grow the break by %s: the heap and the program's data segment "
               "already take %s and RLIMIT_DATA (ulimit -d) is %s (brk's check_data_rlimit): ENOMEM",
               SZ (a).s, SZ (b).s, SZ (c).s);
        default:
            if ((d & 3) == 3)
                P ("munmap of this block would split a mapping in two while the process already has "
                   U " mappings, vm.max_map_count " U ": the kernel refuses (ENOMEM) and glibc, which "
                   "does not check munmap, forgets the block anyway: it stays mapped and resident, "
                   "out of glibc's counts", b, c);
            P ("the kernel refuses to %s %s: the process has " U " mappings, more than "
               "vm.max_map_count " U ": ENOMEM", what, SZ (a).s, b, c);
        }
    }
    case HS_EV_MMAP_FALLBACK:
        if (c)
            P ("brk failed, so sysmalloc tries mmap instead (sysmalloc_mmap_fallback, at least 1 MiB): "
               "the kernel would map %s for a %s chunk, a main heap in two pieces that the model does not "
               "have: it says NULL (not modelled)", SZ (a).s, SZ (b).s);
        P ("brk failed, so sysmalloc tries mmap instead (sysmalloc_mmap_fallback, at least 1 MiB): "
           "%s, refused too; malloc returns NULL with errno ENOMEM", SZ (a).s);
    case HS_EV_ARENA_NEW:
        if (c == 0)
            P ("%s needs an arena and the free list is empty: a new arena, number " U
               " (arena_get2: " U " arena%s so far, not more than M_ARENA_TEST, so no limit yet)", WHO (b),
               a, a, a == 1 ? "" : "s");
        P ("%s needs an arena and the free list is empty: a new arena, number " U
           " (arena_get2: " U " arena%s < the limit " U "%s)", WHO (b), a, a, a == 1 ? "" : "s", c,
           d && c == 8 * d ? " = 8 x CPUs" : ", M_ARENA_MAX");
    case HS_EV_ARENA_REUSE:
        P ("%s needs an arena but the limit of " U " arena%s is reached (%s): it shares arena " U
           " (reused_arena takes the next in the arena list)", WHO (b), c, c == 1 ? "" : "s",
           d && c == 8 * d ? "8 x CPUs" : "M_ARENA_MAX", a);
    case HS_EV_ARENA_FREE_LIST:
        P ("%s takes arena " U " from the free list, left there by a thread that exited "
           "(get_free_list)", WHO (b), a);
    case HS_EV_ARENA_FREED:
        P ("arena " U " has no thread left: it goes on the free list for the next new thread "
           "(arena_thread_freeres); its memory stays", a);
    case HS_EV_HEAP_NEW:
        P ("new_heap reserves %s of address space at " X " (PROT_NONE, aligned to its size) and makes "
           "the first %s read-write (mprotect)", SZ (c).s, a, SZ (b).s);
    case HS_EV_HEAP_GROW:
        P ("the arena's heap grows from %s to %s (grow_heap: mprotect more of its 64 MiB; no top_pad "
           "outside the main arena)", SZ (a).s, SZ (b).s);
    case HS_EV_HEAP_SHRINK:
        P ("the arena's heap shrinks from %s to %s (shrink_heap: madvise MADV_DONTNEED, " U
           " resident pages dropped)", SZ (a).s, SZ (b).s, c);
    case HS_EV_ARENA_RETRY:
        if (a != 0)
            P ("arena " U " could not serve %s: arena_get_retry tries the main arena", a, SZ (b).s);
        P ("the main arena could not serve %s: arena_get_retry asks arena_get2 for another, which "
           "becomes this thread's arena", SZ (b).s);
    case HS_EV_HEAP_GONE:
        P ("the arena's later heap at " X " (%s) holds nothing but top: heap_trim unmaps its 64 MiB and "
           "top moves back into the previous heap (%s)", a, SZ (b).s, SZ (c).s);
    case HS_EV_HEAP_FULL:
        P ("the arena's heap (%s) cannot grow by a %s chunk past %s, and no new heap can be made "
           "for it: glibc tries mmap", SZ (b).s, SZ (a).s, SZ (c).s);
    case HS_EV_CROSS_FREE:
        if (b == UINT64_MAX)
            P ("the chunk belongs to arena " U " (arena_for_chunk); %s frees it into that arena",
               a, WHO (c));
        P ("the chunk belongs to arena " U " but %s uses arena " U
           ": %sit goes back to arena " U " (arena_for_chunk)", a, WHO (c), b,
           d ? "unless its own tcache takes it, " : "", a);
    case HS_EV_THREAD_EXIT:
        P ("%s exits: its tcache (%s) is flushed, " U " chunks back to their arenas, "
           "then the tcache itself (tcache_thread_shutdown)", WHO (a), c ? "640 bytes" : "none", b);
    case HS_EV_PROG_MADVISE:
        if (!b)
            P ("madvise(MADV_DONTNEED) of %s holds no whole page: nothing happens (the kernel "
               "acts on whole pages only)", SZ (d).s);
        P ("madvise(MADV_DONTNEED) on the %s of whole pages from " X ": " U " resident page%s "
           "leave RSS; they read as zero if touched again", SZ (b).s, a, c, c == 1 ? "" : "s");
    case HS_EV_COUNT:
        break;
    }
#undef P
#undef X
#undef U
    return snprintf (buf, len, "(event %u)", (unsigned)e->code);
}

/* See sim.h. */
void hs_sim_explain_each(const hs_sim *s, void (*fn)(void *ctx, const char *line), void *ctx)
{
    hs_sim_explain_each_as (s, NULL, NULL, fn, ctx);
}

void hs_sim_explain_each_as(const hs_sim *s, hs_thread_namer nm, const void *nctx,
                            void (*fn)(void *ctx, const char *line), void *ctx)
{
    size_t n;
    const hs_event *ev = hs_sim_events (s, &n);
    for (size_t i = 0; i < n; i++) {
        char line[512];
        hs_event_format_as (&ev[i], nm, nctx, line, sizeof line);
        fn (ctx, line);
    }
}
