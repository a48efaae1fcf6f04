/* sim/rules.c — the table of version rules: which glibc differences each profile switches on.
 * Owns: the one row per glibc version; what each flag means is in sim/rules.h. */
#include "rules.h"

static const hs_rules rules_2_31 = {
    .version = "2.31", .mallinfo2 = false, .calloc_tcache = false,
    .memalign_tcache = false, .memalign_merge = false, .free_small_to_smallbin = false,
    .safe_linking = false, .tcache_scan_count = false, .tcache_key_random = false,
    .malloc_hook_ini = true, .heap_info_pagesize = false, .nprocs_sched = false,
};
static const hs_rules rules_2_36 = {
    .version = "2.36", .mallinfo2 = true, .calloc_tcache = false,
    .memalign_tcache = false, .memalign_merge = false, .free_small_to_smallbin = false,
    .safe_linking = true, .tcache_scan_count = true, .tcache_key_random = true,
    .heap_info_pagesize = true, .nprocs_sched = true,
};
static const hs_rules rules_2_41 = {
    .version = "2.41", .mallinfo2 = true, .calloc_tcache = true,
    .memalign_tcache = true, .memalign_merge = true, .free_small_to_smallbin = true,
    .safe_linking = true, .tcache_scan_count = true, .tcache_key_random = true,
    .heap_info_pagesize = true, .nprocs_sched = false, .realloc_usable = true,
};

/* See rules.h; the versions are those of the flags' comments there. */
const char *hs_rule_sentence(int id)
{
    switch ((hs_rule_id)id) {
    case HS_RULE_CALLOC_TCACHE:
        return "a glibc 2.41 rule (__libc_calloc calls tcache_try_malloc): calloc takes a cached "
               "chunk of its size first and clears it; 2.36 and older go to _int_malloc";
    case HS_RULE_MEMALIGN_TCACHE:
        return "a glibc 2.38+ rule (_mid_memalign, tcache_get_n): an already aligned chunk in the "
               "request's tcache bin is taken first; 2.36 and older skip the tcache";
    case HS_RULE_MEMALIGN_MERGE:
        return "a glibc 2.38+ rule (_int_memalign, _int_free_merge_chunk): the lead or tail goes "
               "straight back to the bins or top, never to the tcache or a fastbin; 2.36 and "
               "older free it with _int_free";
    case HS_RULE_SAFE_LINKING:
        return "a glibc 2.32+ rule (safe-linking: REVEAL_PTR, then aligned_OK): a tcache or fastbin "
               "link that does not decode to a 16-byte aligned address aborts; 2.31 stores raw "
               "pointers and follows them";
    case HS_RULE_NO_SAFE_LINKING:
        return "glibc 2.31 has no safe-linking (it came in 2.32): the raw pointer in the freed "
               "chunk is followed unchecked, so whatever was written there is handed out next";
    case HS_RULE_TCACHE_SCAN_COUNT:
        return "a glibc 2.33+ rule (_int_free's double-free scan counts entries): a tcache list "
               "longer than tcache_count aborts; 2.31 walks on";
    case HS_RULE_MALLOC_HOOK_INI:
        return "glibc before 2.34 (malloc_hook_ini, hooks.c): the process's first allocation goes "
               "through __malloc_hook, and a calloc then clears every byte, fresh pages included; "
               "2.34 removed the hooks";
    case HS_RULE_REALLOC_USABLE:
        return "a glibc 2.38+ rule (__libc_realloc, musable): a request that fits the chunk's "
               "usable bytes with under 16 bytes to spare (a page for an mmapped chunk) gets the "
               "same pointer back at once, before the tcache is made; 2.36 and older go on to "
               "_int_realloc or mremap";
    default:
        return "";
    }
}

/* See rules.h; never fails. */
const hs_rules *hs_rules_of(hs_profile p)
{
    switch (p) {
    case HS_PROFILE_GLIBC_2_31: return &rules_2_31;
    case HS_PROFILE_GLIBC_2_41: return &rules_2_41;
    default:                    return &rules_2_36;
    }
}
