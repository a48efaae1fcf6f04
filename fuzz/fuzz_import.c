/* fuzz/fuzz_import.c — libFuzzer target for the importers (import/): any bytes as an mtrace or ltrace log.
 * Owns: the importer's promises under fuzzing: no crash or leak, one-line printable errors, ops whose ids obey the loader's liveness rules;
 * and hs_imp_reader's (lines cut exactly where the bytes have newlines, however the reads split them; none longer than its max). */
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

/* The reader's source: the input, handed out in uneven pieces (1..200
 * bytes, varying per call) so that lines straddle every kind of boundary. */
typedef struct src {
    const uint8_t *data;
    size_t size, pos, calls;
} src;

static long src_read(void *ctx, char *buf, size_t n)
{
    src *s = ctx;
    size_t k = 1 + (s->calls++ * 31 + s->size) % 200;
    if (k > n) k = n;
    if (k > s->size - s->pos) k = s->size - s->pos;
    memcpy(buf, s->data + s->pos, k);
    s->pos += k;
    return (long)k;
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
    /* one input in four gets a short line limit (1..97 bytes), to reach
     * the refusal of a long line */
    src sr = {data, size, 0, 0};
    hs_imp_reader rd = {src_read, &sr, size % 4 == 3 ? 1 + size % 97 : HS_IMP_LINE_MAX, NULL, 0, 0, 0, 0};
    char *line;
    size_t n;
    int got = 0;
    while (!failed && (got = hs_imp_read_line(&rd, &line, &n)) != 0) {
        assert(got == 1 || got == -2);       /* no read error, no out of memory here */
        if (got == -2) {                     /* the line at i has no newline within max bytes */
            size_t look = size - i < rd.max + 1 ? size - i : rd.max + 1;
            assert(size - i > rd.max && memchr(data + i, '\n', look) == NULL);
            failed = 1;
            continue;
        }
        /* exactly the input's next line: its bytes, then a newline or the end */
        assert(n <= rd.max && i + n <= size && memcmp(line, data + i, n) == 0 && line[n] == 0);
        assert(i + n == size || data[i + n] == '\n');
        err[0] = 0;
        if (hs_imp_line(im, line, n, err, sizeof err) < 0) {
            check_msg(err);
            failed = 1;
        }
        i += n + 1;
    }
    if (!failed && got == 0)
        assert(i >= size);                   /* every byte was in a line */
    hs_imp_reader_free(&rd);
    if (!failed && hs_imp_finish(im, err, sizeof err) < 0)
        check_msg(err);
    const hs_imp_stats *st = hs_imp_get_stats(im);
    assert(st->lines <= size + 1);
    hs_imp_free(im);
    return 0;
}
