/* fuzz/sim_seed.c — hs_fuzz_seed: turns a trace into a fuzz_sim input, for the seed corpus.
 * Owns: nothing but the command line around hsf_encode (fuzz/sim_encoding.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/trace.h"
#include "fuzz/sim_encoding.h"

/* True when every op of t comes back unchanged through the encoding: at
 * most HSF_MAX_SLOTS ids, every number within 32 bits and no size the
 * budget folds.  Never fails. */
static bool exact(const hs_trace *t)
{
    if (t->n_ids > HSF_MAX_SLOTS)
        return false;
    for (size_t i = 0; i < t->n_ops; i++) {
        const hs_op *o = &t->ops[i];
        if (o->size > HSF_MAX_REQ || o->arg > UINT32_MAX || o->touch > UINT32_MAX ||
            (o->kind == HS_OP_CALLOC && o->arg * o->size > HSF_MAX_REQ) ||
            (o->kind == HS_OP_MEMALIGN && o->arg > HSF_MAX_ALIGN) ||
            (o->kind == HS_OP_MALLOPT && o->param == HS_M_TOP_PAD && o->value > (int64_t)HSF_MAX_TOP_PAD) ||
            o->kind == HS_OP_WRITE ||   /* not in the encoding (yet): see sim_encoding.h */
            o->kind == HS_OP_THREAD_EXIT || o->thread != 0
            || o->kind == HS_OP_MADVISE)   /* threads, madvise: neither */
            return false;
    }
    return true;
}

/* hs_fuzz_seed --check TRACE...: encodes each trace and decodes it back;
 * every op must come back as loaded.  Returns 0, 1 on a difference (with a
 * message), 2 on a trace that cannot be loaded or encoded. */
static int check(int n, char **paths)
{
    int rc = 0;
    for (int i = 0; i < n; i++) {
        hs_trace t;
        hs_trace_error err;
        if (hs_trace_load(paths[i], &t, &err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        if (!exact(&t)) {
            printf("%s: skipped (ids, sizes, write ops or threads the encoding folds)\n", paths[i]);
            hs_trace_free(&t);
            continue;
        }
        size_t len = HSF_HEADER + t.n_ops * HSF_REC;
        uint8_t *buf = calloc(len, 1);
        if (!buf) {
            fprintf(stderr, "hs_fuzz_seed: out of memory\n");
            hs_trace_free(&t);
            return 2;
        }
        buf[0] = 8;
        buf[1] = (uint8_t)(t.n_ids ? t.n_ids - 1 : 0);
        for (size_t k = 0; k < t.n_ops; k++)
            hsf_encode(&t.ops[k], buf + HSF_HEADER + k * HSF_REC);
        hsf_decoder d;
        hsf_decoder_init(&d, buf, len);
        hs_op op;
        size_t k = 0;
        while (hsf_next(&d, &op)) {
            const hs_op *o = &t.ops[k];
            if (op.kind != o->kind || op.id != o->id || op.size != o->size || op.arg != o->arg ||
                op.touch != o->touch || op.value != o->value ||
                (o->kind == HS_OP_MALLOPT && op.param != o->param)) {
                char want[160];
                hs_op_format(&t, o, want, sizeof want);
                fprintf(stderr, "hs_fuzz_seed: %s: op %zu (%s) decodes as kind %u id %u size %llu "
                        "arg %llu touch %llu value %lld\n", paths[i], k + 1, want, op.kind, op.id,
                        (unsigned long long)op.size, (unsigned long long)op.arg,
                        (unsigned long long)op.touch, (long long)op.value);
                rc = 1;
            }
            k++;
        }
        if (k != t.n_ops) {
            fprintf(stderr, "hs_fuzz_seed: %s: %zu ops decoded, %zu loaded\n", paths[i], k, t.n_ops);
            rc = 1;
        }
        free(buf);
        hs_trace_free(&t);
    }
    return rc;
}

/* usage: hs_fuzz_seed TRACE OUT [FLAGS [CLONE_AT]], or --check TRACE...
 * FLAGS is the header's byte 0 (1 textbook, 2 explanations, 4 clone check,
 * 8 misuse allowed: added by itself when the trace frees an id that is not live).
 * Exit status 0, 2 on a bad trace or argument, 1 when OUT cannot be written. */
int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--check") == 0)
        return check(argc - 2, argv + 2);
    if (argc < 3 || argc > 5) {
        fputs("usage: hs_fuzz_seed TRACE OUT [FLAGS [CLONE_AT]]\n", stderr);
        return 2;
    }
    hs_trace t;
    hs_trace_error err;
    if (hs_trace_load(argv[1], &t, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    if (t.n_ids > HSF_MAX_SLOTS) {
        fprintf(stderr, "hs_fuzz_seed: %s has %u ids; the encoding holds %d\n", argv[1], t.n_ids,
                HSF_MAX_SLOTS);
        hs_trace_free(&t);
        return 2;
    }
    unsigned long flags = argc > 3 ? strtoul(argv[3], NULL, 0) : 2;
    unsigned long clone_at = argc > 4 ? strtoul(argv[4], NULL, 0) : 1;
    if (clone_at < 1 || clone_at > 256) {
        fputs("hs_fuzz_seed: CLONE_AT is 1..256\n", stderr);
        hs_trace_free(&t);
        return 2;
    }
    FILE *f = fopen(argv[2], "wb");
    if (!f) {
        perror(argv[2]);
        hs_trace_free(&t);
        return 1;
    }
    /* A trace that frees an id that is not live needs the misuse bit. */
    uint8_t live[HSF_MAX_SLOTS] = {0};
    for (size_t i = 0; i < t.n_ops; i++) {
        const hs_op *o = &t.ops[i];
        if (o->id == HS_NO_ID)
            continue;
        if (o->kind == HS_OP_FREE && !live[o->id])
            flags |= 8;
        live[o->id] = o->kind == HS_OP_FREE ? 0 : o->kind == HS_OP_REALLOC ? o->size != 0
                    : o->kind == HS_OP_TOUCH ? live[o->id] : 1;
    }
    uint8_t hdr[HSF_HEADER] = { (uint8_t)flags, (uint8_t)(t.n_ids ? t.n_ids - 1 : 0),
                                (uint8_t)(clone_at - 1) };
    fwrite(hdr, 1, sizeof hdr, f);
    for (size_t i = 0; i < t.n_ops; i++) {
        uint8_t rec[HSF_REC];
        hsf_encode(&t.ops[i], rec);
        fwrite(rec, 1, sizeof rec, f);
    }
    hs_trace_free(&t);
    if (fclose(f) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
