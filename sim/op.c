/* sim/op.c — what each op and mallopt parameter is called in the trace contract.
 * Owns: hs_op_name, hs_param_name, hs_advice_name (hs_op_returns_ptr, hs_param_glibc and the madvise rule are inline in op.h). */
#include "op.h"

static const char *const op_names[HS_OP_KIND_COUNT] = {
    [HS_OP_MALLOC] = "malloc",   [HS_OP_CALLOC] = "calloc",   [HS_OP_REALLOC] = "realloc",
    [HS_OP_MEMALIGN] = "memalign", [HS_OP_FREE] = "free",     [HS_OP_TOUCH] = "touch",
    [HS_OP_MALLOPT] = "mallopt", [HS_OP_MALLOC_TRIM] = "malloc_trim",
    [HS_OP_WRITE] = "write",     [HS_OP_THREAD_EXIT] = "thread_exit",
    [HS_OP_MADVISE] = "madvise",
};

static const char *const advice_names[HS_ADVICE_COUNT] = {
    [HS_MADV_DONTNEED] = "MADV_DONTNEED",
};

static const char *const param_names[HS_PARAM_COUNT] = {
    [HS_M_MMAP_THRESHOLD] = "M_MMAP_THRESHOLD", [HS_M_MMAP_MAX] = "M_MMAP_MAX",
    [HS_M_TRIM_THRESHOLD] = "M_TRIM_THRESHOLD", [HS_M_TOP_PAD] = "M_TOP_PAD",
    [HS_M_PERTURB] = "M_PERTURB",               [HS_M_ARENA_MAX] = "M_ARENA_MAX",
    [HS_M_ARENA_TEST] = "M_ARENA_TEST",         [HS_M_MXFAST] = "M_MXFAST",
};

/* Out of range gives "?", never NULL. */
const char *hs_op_name(int kind)
{
    return kind >= 0 && kind < HS_OP_KIND_COUNT ? op_names[kind] : "?";
}

/* Out of range gives "?", never NULL. */
const char *hs_param_name(int param)
{
    return param >= 0 && param < HS_PARAM_COUNT ? param_names[param] : "?";
}

/* Out of range gives "?", never NULL. */
const char *hs_advice_name(int advice)
{
    return advice >= 0 && advice < HS_ADVICE_COUNT ? advice_names[advice] : "?";
}
