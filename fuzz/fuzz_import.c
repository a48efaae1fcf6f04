/* fuzz/fuzz_import.c — libFuzzer target for the importers (import/): any bytes as an mtrace or ltrace log.
 * Owns: the importer's promises under fuzzing: no crash or leak, one-line printable errors, ops whose ids obey the loader's liveness rules. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "sim/op.h"

#ifndef HSF_FMT
#define HSF_FMT HS_IMP_MTRACE
#endif

#define MAX_IDS 65536

typedef struct fz {
    unsigned char live[MAX_IDS + 1];
    unsigned char bound[MAX_IDS + 1];
    const char *buf;
    size_t len;
} fz;

/* Every op must be one a loaded trace could hold: alloc on a dead id,
 * realloc and free on a live one; the caller inside the input. */
static int emit(void *ctx, const hs_imp_op *op)
{
    fz *z = ctx;
    assert(op->id >= 1);
    if (op->id > MAX_IDS)
        return 0;
    switch (op->kind) {
    case HS_OP_MALLOC: case HS_OP_CALLOC: case HS_OP_MEMALIGN:
        assert(!z->live[op->id]);
        z->live[op->id] = z->bound[op->id] = 1;
        break;
    case HS_OP_REALLOC:
        assert(z->live[op->id]);
        if (op->size == 0)
            z->live[op->id] = 0;
        break;
    case HS_OP_FREE:
        assert(z->live[op->id]);
        z->live[op->id] = 0;
        break;
    default:
        assert(!"unexpected op kind");
    }
    if (op->caller != NULL)
        assert(op->caller_len <= z->len || op->caller_len < 1u << 20);
    return 0;
}

/* A message: non-empty, one line, printable. */
static void check_msg(const char *m)
{
    assert(m[0] != 0);
    for (const char *p = m; *p; p++)
        assert((unsigned char)*p >= 0x20 && *p != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz z;
    memset(&z, 0, sizeof z);
    z.buf = (const char *)data;
    z.len = size;
    hs_imp *im = hs_imp_new(HSF_FMT, emit, &z);
    if (im == NULL)
        return 0;
    char err[512];
    size_t i = 0;
    int failed = 0;
    while (i < size && !failed) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : size - i;
        err[0] = 0;
        if (hs_imp_line(im, (const char *)data + i, n, err, sizeof err) < 0) {
            check_msg(err);
            failed = 1;
        }
        i += n + 1;
    }
    if (!failed && hs_imp_finish(im, err, sizeof err) < 0)
        check_msg(err);
    const hs_imp_stats *st = hs_imp_get_stats(im);
    assert(st->lines <= size + 1);
    hs_imp_free(im);
    return 0;
}
