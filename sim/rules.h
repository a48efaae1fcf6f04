/* sim/rules.h — what differs between the glibc versions the model follows, one flag per rule.
 * Owns: hs_rules (each difference named, with its version and malloc.c function) and its table. */
#ifndef HS_RULES_H
#define HS_RULES_H

#include <stdbool.h>

#include "sim.h"

/* The engine is glibc 2.36's; a profile of another version switches these
 * rules, each the difference its malloc.c shows against 2.36.  Every field
 * says which version has it and which function it lives in. */
typedef struct hs_rules {
    const char *version;        /* "2.31", "2.36", "2.41" */
    /* 2.33+: __libc_mallinfo2 (size_t fields).  2.31 has only __libc_mallinfo,
     * whose int fields wrap past 2 GiB: the model reports each field mod 2^32. */
    bool mallinfo2;
    /* 2.41: __libc_calloc first calls tcache_try_malloc: a cached chunk of the
     * request's size is taken (and cleared) before _int_malloc runs. */
    bool calloc_tcache;
    /* 2.38+: _mid_memalign first walks the tcache bin of the request's size for
     * a chunk already aligned (tcache_get_n from the middle of the list). */
    bool memalign_tcache;
    /* 2.38+: _int_memalign gives back the lead with _int_free_merge_chunk (never
     * to tcache or fastbins) and the tail with _int_free_create_chunk when it is
     * >= MINSIZE or borders top or a free chunk (2.36: only a tail > MINSIZE,
     * through _int_free). */
    bool memalign_merge;
    /* 2.41: _int_free_create_chunk puts a freed small chunk straight into its
     * smallbin (2.36: every coalesced chunk goes to the unsorted bin first). */
    bool free_small_to_smallbin;
    /* 2.32+: safe-linking.  tcache_put/_int_free store a list's next pointer
     * mangled (PROTECT_PTR: (pos >> 12) ^ ptr), and tcache_get, _int_malloc's
     * fastbin paths, malloc_consolidate, int_mallinfo and the double-free scan
     * abort on an entry that is not 16-byte aligned.  2.31 stores raw pointers
     * and checks no alignment there. */
    bool safe_linking;
    /* 2.33+: tcache double-free scan in _int_free stops a list longer than
     * tcache_count ("free(): too many chunks detected in tcache"); 2.31 walks
     * on (a cycle: forever). */
    bool tcache_scan_count;
    /* 2.34+: tcache_key is random (tcache_key_initialize); 2.31's tcache_put
     * writes the tcache_perthread_struct's address as e->key. */
    bool tcache_key_random;
    /* Before 2.34: __malloc_hook starts as malloc_hook_ini (hooks.c), which
     * the first malloc, calloc or realloc (realloc_hook_ini) clears.  A calloc
     * that finds it set (the process's first allocation) goes through it:
     * __libc_calloc takes the memory from __libc_malloc and memsets all sz
     * bytes, fresh mmapped or sbrk'd pages included.  2.34 removed the hooks. */
    bool malloc_hook_ini;
    /* 2.35+: heap_info has a pagesize field (arena.c), so sizeof (heap_info)
     * is 48, not 32: a non-main arena's first chunk starts 16 bytes later. */
    bool heap_info_pagesize;
    /* 2.36 (only): arena_get2 counts CPUs with __get_nprocs_sched (the
     * process's affinity mask); 2.31 and 2.41 with __get_nprocs (online
     * CPUs).  The machine hands both numbers in (hs_sim_set_cpus). */
    bool nprocs_sched;
    /* 2.38+: __libc_realloc returns the chunk unchanged, before it makes the
     * tcache or checks the pointer, when the request fits its usable bytes
     * (musable) with under 2 * SIZE_SZ to spare, or at most a page for an
     * mmapped chunk (glibc commits f4f2ca1509 and 2fb12bbd09, BZ #30579). */
    bool realloc_usable;
} hs_rules;

/* The rules of profile p (textbook: 2.36's).  Never fails. */
const hs_rules *hs_rules_of(hs_profile p);

/* The version rules an explanation names (HS_EV_VERSION_RULE's a): the
 * model emits one where such a rule decided what happened, so the Why
 * panel and `heapsim sim` say which glibc versions behave so. */
typedef enum hs_rule_id {
    HS_RULE_NONE = 0,
    HS_RULE_CALLOC_TCACHE,      /* calloc_tcache took a cached chunk */
    HS_RULE_MEMALIGN_TCACHE,    /* memalign_tcache took an aligned cached chunk */
    HS_RULE_MEMALIGN_MERGE,     /* memalign_merge gave a lead or tail back */
    HS_RULE_SAFE_LINKING,       /* safe_linking: an unaligned link aborts */
    HS_RULE_NO_SAFE_LINKING,    /* !safe_linking: an unaligned tcache link is followed */
    HS_RULE_TCACHE_SCAN_COUNT,  /* tcache_scan_count: the double-free scan stops */
    HS_RULE_MALLOC_HOOK_INI,    /* malloc_hook_ini: the first calloc clears everything */
    HS_RULE_REALLOC_USABLE,     /* realloc_usable: a realloc within the usable bytes returns at once */
    HS_RULE_COUNT
} hs_rule_id;

/* The sentence for rule id, naming its versions and function; "" for an
 * unknown id.  Never fails. */
const char *hs_rule_sentence(int id);

#endif
