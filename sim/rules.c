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
    .heap_info_pagesize = true, .nprocs_sched = false,
};

/* See rules.h; never fails. */
const hs_rules *hs_rules_of(hs_profile p)
{
    switch (p) {
    case HS_PROFILE_GLIBC_2_31: return &rules_2_31;
    case HS_PROFILE_GLIBC_2_41: return &rules_2_41;
    default:                    return &rules_2_36;
    }
}
