/* sim/event.h — the codes of hs_event: what the model did during one op, and why.
 * Owns: hs_event_code and the meaning of each event's numbers a, b, c, d (formatted by sim/explain.c). */
#ifndef HS_EVENT_H
#define HS_EVENT_H

/* Each code lists what a, b, c, d hold.  Sizes are bytes, addresses are
 * heap offsets (from the break at start) unless said otherwise. */
typedef enum hs_event_code {
    HS_EV_NONE = 0,

    /* ---- requests ---- */
    HS_EV_REQUEST,          /* a = bytes requested, b = chunk size nb (request2size) */
    HS_EV_REFUSED,          /* a = bytes requested: > PTRDIFF_MAX, malloc returns NULL (ENOMEM) */
    HS_EV_CALLOC_OVERFLOW,  /* a = nmemb, b = size: nmemb * size overflows, NULL */
    HS_EV_TCACHE_INIT,      /* a = 640 (sizeof tcache_perthread_struct), b = its chunk size (0x290): made before the request */
    HS_EV_RESULT,           /* a = chunk, b = chunk size, c = 1 if mmapped: what the call returned */
    HS_EV_RESULT_NULL,      /* the call returned NULL */

    /* ---- tcache ---- */
    HS_EV_TCACHE_HIT,       /* a = chunk, b = chunk size, c = tcache index, d = entries left: reused tcache chunk (LIFO) */
    HS_EV_TCACHE_PUT,       /* a = chunk, b = chunk size, c = tcache index, d = count after */
    HS_EV_TCACHE_FULL,      /* a = chunk size, b = tcache index, c = count (7): bin full, chunk goes on */
    HS_EV_TCACHE_REFILL,    /* a = chunks moved, b = chunk size, c = 1 fastbin / 2 smallbin: stashed into tcache (order reversed) */

    /* ---- fastbins ---- */
    HS_EV_FASTBIN_HIT,      /* a = chunk, b = chunk size, c = fastbin index */
    HS_EV_FASTBIN_PUT,      /* a = chunk, b = chunk size, c = fastbin index, d = max_fast */
    HS_EV_CONSOLIDATE,      /* a = reason (HS_WHY_*), b = fast chunks merged into unsorted/top */

    /* ---- small/large/unsorted bins ---- */
    HS_EV_SMALLBIN_HIT,     /* a = chunk, b = chunk size, c = bin index */
    HS_EV_LAST_REMAINDER,   /* a = chunk, b = nb, c = remainder size: split from the last remainder */
    HS_EV_UNSORTED_EXACT,   /* a = chunk, b = chunk size: exact fit taken from unsorted */
    HS_EV_UNSORTED_CACHED,  /* a = chunk, b = chunk size, c = tcache count after: exact fit stashed in tcache */
    HS_EV_UNSORTED_SORT,    /* a = chunk, b = chunk size, c = bin index: moved from unsorted into its bin */
    HS_EV_RETURN_CACHED,    /* a = chunk, b = chunk size: returned one of the chunks just cached */
    HS_EV_BIN_FIT,          /* a = chunk, b = chunk size, c = bin index, d = 1 same bin (best fit) / 2 binmap scan */
    HS_EV_SPLIT,            /* a = chunk, b = nb, c = remainder, d = remainder size: remainder goes to unsorted */
    HS_EV_EXHAUST,          /* a = chunk, b = chunk size, c = nb: remainder < MINSIZE, whole chunk used */

    /* ---- top, brk, mmap ---- */
    HS_EV_USE_TOP,          /* a = chunk, b = nb, c = top size before, d = top size after */
    HS_EV_TOP_TOO_SMALL,    /* a = top size, b = nb, c = 1 textbook (no MINSIZE): top < nb + MINSIZE */
    HS_EV_MMAP,             /* a = nb, b = mmap threshold, c = mapping size, d = n_mmaps after */
    HS_EV_MMAP_MAX,         /* a = nb, b = mmap threshold, c = n_mmaps, d = n_mmaps_max: no mmap, count at the limit */
    HS_EV_BRK_GROW,         /* a = bytes the break grows by, b = nb, c = top_pad, d = old top size */
    HS_EV_BRK_FIRST,        /* a = bytes: the first sbrk makes the heap */
    HS_EV_TRIM,             /* a = bytes released, b = top size after, c = pad: the break moves down */
    HS_EV_NO_TRIM,          /* a = top size, b = trim threshold: top below the threshold, no trim */
    HS_EV_TRIM_NOTHING,     /* a = top size, b = pad: less than a page above the pad, nothing to release */
    HS_EV_MUNMAP,           /* a = mapping size, b = n_mmaps after */
    HS_EV_DYN_THRESHOLD,    /* a = new mmap threshold, b = new trim threshold, c = old mmap threshold */
    HS_EV_DYN_NOCHANGE,     /* a = chunk size, b = mmap threshold, c = reason (1 off by mallopt, 2 <= threshold, 3 > 32 MiB, 4 textbook) */

    /* ---- free ---- */
    HS_EV_FREE_NULL,        /* free(NULL) does nothing */
    HS_EV_MERGE_PREV,       /* a = previous chunk, b = its size, c = merged size */
    HS_EV_MERGE_NEXT,       /* a = next chunk, b = its size, c = merged size */
    HS_EV_MERGE_TOP,        /* a = chunk, b = top size after */
    HS_EV_TO_UNSORTED,      /* a = chunk, b = chunk size; c = 1 + small bin index when
                               glibc 2.41 binned it directly (0: the unsorted bin) */
    HS_EV_FREE_BIG,         /* a = merged size, b = 1 textbook: >= FASTBIN_CONSOLIDATION_THRESHOLD (64 KiB) */

    /* ---- realloc, calloc, memalign ---- */
    HS_EV_REALLOC_NULL,     /* realloc(NULL, n) is malloc(n) */
    HS_EV_REALLOC_ZERO,     /* realloc(p, 0) frees p and returns NULL */
    HS_EV_REALLOC_SAME,     /* a = chunk size, b = nb: already big enough, stays in place */
    HS_EV_REALLOC_TOP,      /* a = chunk, b = old size, c = nb: grows in place into top */
    HS_EV_REALLOC_NEXT,     /* a = next chunk, b = its size, c = old size: grows in place into the free next chunk */
    HS_EV_REALLOC_MOVE,     /* a = old chunk, b = new chunk, c = bytes copied: allocate, copy, free */
    HS_EV_REALLOC_SHRINK,   /* a = remainder, b = remainder size: tail split off and freed */
    HS_EV_MREMAP,           /* a = old mapping size, b = new mapping size, c = 1 if same pages (no syscall) */
    HS_EV_CALLOC_CLEAR,     /* a = bytes cleared */
    HS_EV_CALLOC_NOCLEAR,   /* a = reason (1 mmapped: fresh pages are zero, 2 fresh top memory), b = bytes not cleared */
    HS_EV_MEMALIGN,         /* a = alignment (rounded), b = alignment asked, c = request to _int_malloc */
    HS_EV_MEMALIGN_LEAD,    /* a = lead chunk, b = lead size: given back */
    HS_EV_MEMALIGN_TAIL,    /* a = tail chunk, b = tail size: given back */
    HS_EV_MEMALIGN_MALLOC,  /* a = alignment <= 16: plain malloc */

    /* ---- mallopt, malloc_trim, perturb ---- */
    HS_EV_MALLOPT,          /* a = hs_param, b = value (as int64), c = 1 ok / 0 refused, d = 1 if this turns the dynamic threshold off */
    HS_EV_MADVISE,          /* a = first byte, b = bytes, c = pages that were resident: MADV_DONTNEED */
    HS_EV_MTRIM_RESULT,     /* a = malloc_trim's return: 1 if memory was released in any arena */
    HS_EV_PERTURB_ALLOC,    /* a = bytes filled, b = byte */
    HS_EV_PERTURB_FREE,     /* a = bytes filled, b = byte */

    /* ---- pages ---- */
    HS_EV_TOUCH,            /* a = bytes written, b = pages newly faulted */
    HS_EV_PAGES,            /* a = faults during this op, b = resident bytes after */

    /* ---- misuse ---- */
    HS_EV_DOUBLE_FREE_SCAN, /* a = chunk, b = tcache index: key matches tcache_key, scan the bin */
    HS_EV_FASTBIN_CYCLE,    /* a = chunk, b = fastbin index: freed into a fastbin it is already in */
    HS_EV_ABORT,            /* glibc prints the error (the step's error) and aborts */
    HS_EV_SEGV,             /* a = address: the access faults: Segmentation fault */
    HS_EV_DEAD,             /* the heap already aborted: nothing happens */

    /* ---- the textbook profile ---- */
    HS_EV_TB_BRK,           /* a = bytes the break grows by (exactly the missing part of the chunk), b = nb */
    HS_EV_TB_TRIM,          /* a = bytes released (all of top above pad), b = trim threshold, c = pad */

    /* ---- the kernel ---- */
    HS_EV_ARENA_FOR_CHUNK,  /* a = chunk, b = heap_info address (chunk rounded down to 64 MiB): the size has NON_MAIN_ARENA */
    HS_EV_KERNEL_REFUSES,   /* a = bytes asked for at once, b = the largest grant (RAM + swap), c = 0 mmap, 1 brk, 2 mremap growth */
    HS_EV_PROG_MADVISE,     /* a = first byte, b = whole-page bytes advised, c = resident pages dropped,
                               d = bytes the program named (the madvise op) */

    /* ---- arenas and threads (arena.c); k is the arena's number (0 main, creation order) ---- */
    HS_EV_ARENA_NEW,        /* a = k, b = thread, c = narenas_limit (0: not set yet), d = CPUs: _int_new_arena */
    HS_EV_ARENA_REUSE,      /* a = k, b = thread, c = narenas_limit, d = CPUs: the limit is reached, reused_arena */
    HS_EV_ARENA_FREE_LIST,  /* a = k, b = thread: taken from the free list (get_free_list) */
    HS_EV_ARENA_FREED,      /* a = k: its last thread exited, it goes on the free list */
    HS_EV_HEAP_NEW,         /* a = heap address, b = read-write size, c = HEAP_MAX_SIZE: new_heap */
    HS_EV_HEAP_GROW,        /* a = old size, b = new size: grow_heap (mprotect) */
    HS_EV_HEAP_SHRINK,      /* a = old size, b = new size, c = pages dropped: shrink_heap (MADV_DONTNEED) */
    HS_EV_ARENA_RETRY,      /* a = the arena that failed, b = bytes: arena_get_retry tries another arena */
    HS_EV_HEAP_GONE,        /* a = heap address, b = its size, c = the new top's size: heap_trim unmaps an emptied later heap */
    HS_EV_HEAP_FULL,        /* a = nb, b = heap size, c = HEAP_MAX_SIZE: the heap cannot grow and new_heap fails */
    HS_EV_CROSS_FREE,       /* a = the chunk's arena, b = the freeing thread's arena (HS_NO_ARENA as UINT64_MAX), c = thread,
                               d = 1 if the thread has a tcache that may take it (none while tcache_thread_shutdown flushes) */
    HS_EV_THREAD_EXIT,      /* a = thread, b = tcache chunks flushed, c = 1 if it had a tcache, d = its arena (UINT64_MAX none) */

    /* ---- glibc versions ---- */
    HS_EV_VERSION_RULE,     /* a = hs_rule_id (sim/rules.h): a rule of some glibc versions only decided the event before */

    /* ---- the kernel's limits (sim/kernel.c) ---- */
    HS_EV_KERNEL_LIMIT,     /* a = bytes asked for (0 for munmap), b = in use (bytes; mappings for
                               HS_LIM_MAPS), c = the limit, d = HS_LIM_* * 4 + how (0 mmap, 1 brk,
                               2 mremap growth, 3 munmap): the kernel refuses, ENOMEM */
    HS_EV_MMAP_FALLBACK,    /* a = bytes mapped (or tried), b = nb, c = 1 if the kernel granted them:
                               MORECORE failed, sysmalloc_mmap_fallback tries mmap instead */
    HS_EV_MTRIM_ARENA,      /* a = 1 if this arena gave memory back, b = arena: one arena's mtrim
                               (only when there are several; malloc_trim returns the OR) */
    HS_EV_REALLOC_USABLE,   /* a = usable bytes, b = bytes asked, c = 1 if mmapped: 2.38+, the request
                               fits the chunk as it is: the same pointer back (rules->realloc_usable) */
    HS_EV_REALLOC_RETRY,    /* a = the chunk's arena, b = bytes: _int_realloc found no memory there;
                               a process with threads tries __libc_malloc, copies and frees */

    HS_EV_COUNT
} hs_event_code;

/* Which limit refused (HS_EV_KERNEL_LIMIT d / 4). */
enum {
    HS_LIM_AS = 0,     /* RLIMIT_AS: total_vm (may_expand_vm) */
    HS_LIM_DATA,       /* RLIMIT_DATA: data_vm (may_expand_vm) */
    HS_LIM_BRK_DATA,   /* RLIMIT_DATA: brk's check_data_rlimit (heap + data segment) */
    HS_LIM_MAPS,       /* vm.max_map_count */
};

/* Why malloc_consolidate ran (HS_EV_CONSOLIDATE a). */
enum {
    HS_WHY_LARGE_REQUEST = 1,  /* a large request and there are fast chunks */
    HS_WHY_TOP_SMALL,          /* top too small and there are fast chunks */
    HS_WHY_FREE_BIG,           /* free of >= 64 KiB */
    HS_WHY_MALLOPT,            /* every mallopt call */
    HS_WHY_TRIM,               /* malloc_trim */
};

#endif
