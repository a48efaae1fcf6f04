/* fuzz/sim_encoding.h — the byte encoding fuzz_sim decodes into hs_op values, and its encoder for seeds.
 * Owns: the record layout, the size classes, the budget clamps and the loader's guarantees replayed on decoded ops. */
#ifndef HS_FUZZ_SIM_ENCODING_H
#define HS_FUZZ_SIM_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sim/op.h"
#include "sim/sim.h"

/* Input layout:
 *   byte 0  flags: bit 0 textbook profile, bit 1 explanations on, bit 2 clone
 *           check, bit 3 misuse allowed (free of an id that is not live)
 *   byte 1  nslots - 1 (1..256 ids)
 *   byte 2  clone_at: the heap is cloned before this op (1-based) and the rest
 *           is applied to both, which must agree field by field
 *   then records of HSF_REC bytes, one op each (a short tail is dropped):
 *   r[0]      kind = r[0] % 8; touch mode = (r[0] >> 4) & 3 (0 and 3 all,
 *             1 none, 2 c % (req + 1))
 *   r[1]      id = r[1] % nslots; mallopt param = r[1] % 8
 *   r[2]      low nibble: class of a (size, pad); high nibble: class of b
 *             (nmemb, alignment)
 *   r[3..6]   a, r[7..10] b, r[11..14] c: little-endian uint32
 *   r[15]     touch op: len mode (& 3: 0 the rest, 1 c % (rest + 1), 2 none,
 *             3 min(c, rest)); mallopt: value class (& 3)
 *
 * The decoded ops are what a loaded trace can hold (loader/trace.h): ids
 * below nslots; malloc/calloc/memalign only on an id that is not live;
 * realloc and touch only on a live id; free only on an id bound before;
 * touch fields within the requested size.  A free of an id that is not
 * live (a double free, or a free through a stale pointer: legal in a trace)
 * is kept only when the misuse bit is set; then `misused` records that the
 * program may have corrupted its heap the way it would corrupt glibc's, and
 * the invariants of sim/heap.h no longer have to hold.  An op that would
 * break these rules is turned into one that does not (an allocation of
 * that id, or a realloc).
 *
 * Budget: the model keeps bookkeeping in proportion to the simulated break
 * (about a quarter of it, plus the pages written) and to the mappings (a
 * byte per page), so sizes the kernel would grant but that cost the model
 * more than libFuzzer allows are folded down: any size in (HSF_MAX_REQ,
 * HSF_CHEAP_HUGE] is taken modulo HSF_FOLD, a calloc product there makes
 * nmemb 1, alignments in
 * (HSF_MAX_ALIGN, HSF_CHEAP_HUGE] become HSF_MAX_ALIGN, M_TOP_PAD above
 * HSF_MAX_TOP_PAD is folded, and fuzz_sim stops an input once the break
 * passes HSF_MAX_BRK or the mappings HSF_MAX_MMAPPED.  Sizes above
 * HSF_CHEAP_HUGE are kept: the model refuses them at once (its kernel
 * grants nothing above 1 TiB), as glibc returns NULL. */

#define HSF_HEADER 3
#define HSF_REC 16
#define HSF_MAX_REQ      (UINT64_C(40) << 20)
#define HSF_FOLD         (UINT64_C(256) << 10)
#define HSF_MAX_ALIGN    (UINT64_C(32) << 20)
#define HSF_MAX_TOP_PAD  (UINT64_C(16) << 20)
#define HSF_CHEAP_HUGE   (UINT64_C(1) << 41)
#define HSF_MAX_BRK      (UINT64_C(48) << 20)
#define HSF_MAX_MMAPPED  (UINT64_C(16) << 30)
#define HSF_MAX_SLOTS    256

static const uint64_t hsf_size_edges[] = {
    0, 1, 8, 24, 25, 1032, 1033, 1040, 65536, 131072, 131064, 135168, 0x7ffff, 33554432,
    UINT64_C(1) << 40, (UINT64_C(1) << 40) + 1, UINT64_C(1) << 62, UINT64_C(0x7fffffffffffffff),
    UINT64_C(0x8000000000000000), UINT64_MAX, UINT64_MAX - 4095, UINT64_MAX - 24,
};
static const uint64_t hsf_align_edges[] = {
    0, 1, 2, 8, 16, 24, 32, 48, 64, 4096, UINT64_C(1) << 20, UINT64_C(1) << 62,
    UINT64_C(1) << 63, (UINT64_C(1) << 63) + 1, UINT64_MAX, UINT64_C(1) << 41,
};
static const int32_t hsf_value_edges[] = {
    INT32_MIN, INT32_MAX, -1, 0, 1, 2, 7, 8, 160, 161, 128, 131072, 33554432, 33554433,
    -131072, -4096, 65536,
};

#define HSF_N(a) (sizeof (a) / sizeof (a)[0])

/* A size from its class k (0..15) and raw value v; see the layout above.
 * Never fails (any k, v decode to a size within the budget). */
static inline uint64_t hsf_size(unsigned k, uint32_t v)
{
    uint64_t x;
    switch (k & 15) {
    case 0:  x = v; break;
    case 1:  x = v % 1100; break;
    case 2:  x = v % 140000; break;
    case 3: {
        int64_t y = (int64_t)(v % 80) * 16 + (int64_t)((v >> 8) % 32) - 16;
        x = y < 0 ? 0 : (uint64_t)y;
        break;
    }
    case 4:  x = hsf_size_edges[v % HSF_N(hsf_size_edges)] + (uint64_t)((v >> 8) % 33) - 16; break;
    case 5:  x = 0; break;
    case 6:  x = v % HSF_MAX_REQ; break;
    case 7:  x = v % 4096; break;
    default: x = v % 600; break;
    }
    if (x > HSF_MAX_REQ && x <= HSF_CHEAP_HUGE)
        x %= HSF_FOLD;
    return x;
}

/* An alignment from its class k and raw value v.  Never fails. */
static inline uint64_t hsf_align(unsigned k, uint32_t v)
{
    uint64_t x;
    switch (k & 15) {
    case 0:  x = v; break;
    case 1:  x = UINT64_C(1) << (v % 26); break;
    case 2:  x = v % 5000; break;
    case 3:  x = hsf_align_edges[v % HSF_N(hsf_align_edges)]; break;
    default: x = UINT64_C(1) << (v % 13); break;
    }
    if (x > HSF_MAX_ALIGN && x <= HSF_CHEAP_HUGE)
        x = HSF_MAX_ALIGN;
    return x;
}

/* A mallopt value for param from its class k and raw value v.  Never fails. */
static inline int64_t hsf_value(unsigned k, int param, uint32_t v)
{
    int64_t x;
    switch (k & 3) {
    case 0:  x = (int32_t)v; break;
    case 1:  x = v % 300000; break;
    case 2:  x = (int64_t)(v % 40) - 8; break;
    default: x = hsf_value_edges[v % HSF_N(hsf_value_edges)]; break;
    }
    if (param == HS_M_TOP_PAD && x > (int64_t)HSF_MAX_TOP_PAD)
        x %= (int64_t)HSF_MAX_TOP_PAD;
    return x;
}

/* The little-endian uint32 at p.  Never fails. */
static inline uint32_t hsf_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* What the loader knows about one id: the rules of loader/ops.c. */
typedef struct hsf_slot {
    uint8_t  bound, live;
    uint64_t size;        /* requested bytes while live (UINT64_MAX: calloc overflow) */
} hsf_slot;

typedef struct hsf_decoder {
    const uint8_t *p;
    size_t n, off;
    hs_profile profile;
    bool explain, clone, misuse;
    bool misused;         /* a free of an id that was not live was decoded */
    uint32_t nslots;
    size_t clone_at;
    hsf_slot slots[HSF_MAX_SLOTS];
} hsf_decoder;

/* Reads the header; an input shorter than it gives defaults.  Never fails. */
static inline void hsf_decoder_init(hsf_decoder *d, const uint8_t *data, size_t size)
{
    memset(d, 0, sizeof *d);
    d->p = data;
    d->n = size;
    uint8_t h[HSF_HEADER] = {0, 7, 1};
    memcpy(h, data, size < HSF_HEADER ? size : HSF_HEADER);
    d->profile = (h[0] & 1) ? HS_PROFILE_TEXTBOOK : HS_PROFILE_GLIBC_2_36;
    d->explain = (h[0] & 2) != 0;
    d->clone = (h[0] & 4) != 0;
    d->misuse = (h[0] & 8) != 0;
    d->nslots = (uint32_t)h[1] + 1;
    d->clone_at = (size_t)h[2] + 1;
    d->off = HSF_HEADER;
}

/* The touch of an allocation of req bytes (fails: calloc overflow): at
 * most req, 0 when the call must fail.  Never fails. */
static inline uint64_t hsf_touch(unsigned mode, uint32_t c, uint64_t req, bool fails)
{
    if (fails)
        return 0;
    switch (mode & 3) {
    case 1:  return 0;
    case 2:  return req == UINT64_MAX ? c : c % (req + 1);
    default: return req;
    }
}

/* Decodes the next op into *op; false when the input is used up.  The op
 * keeps every guarantee a loaded trace gives (see above). */
static inline bool hsf_next(hsf_decoder *d, hs_op *op)
{
    if (d->n < d->off || d->n - d->off < HSF_REC)
        return false;
    const uint8_t *r = d->p + d->off;
    d->off += HSF_REC;
    memset(op, 0, sizeof *op);
    op->id = HS_NO_ID;
    /* HS_OP_WRITE (added later) is left out so the saved corpus decodes as before */
    unsigned kind = r[0] % HS_OP_WRITE, tmode = (r[0] >> 4) & 3;
    uint32_t a = hsf_u32(r + 3), b = hsf_u32(r + 7), c = hsf_u32(r + 11);
    uint32_t id = r[1] % d->nslots;
    hsf_slot *sl = &d->slots[id];

    if (kind == HS_OP_MALLOPT) {
        op->kind = HS_OP_MALLOPT;
        op->param = (uint8_t)(r[1] % HS_PARAM_COUNT);
        op->value = hsf_value(r[15], op->param, c);
        return true;
    }
    if (kind == HS_OP_MALLOC_TRIM) {
        op->kind = HS_OP_MALLOC_TRIM;
        op->size = hsf_size(r[2] & 15, a);
        return true;
    }
    /* Turn an op the loader would refuse into one it accepts. */
    if ((kind == HS_OP_FREE && (!sl->bound || (!sl->live && !d->misuse))) ||
        ((kind == HS_OP_REALLOC || kind == HS_OP_TOUCH) && !sl->live))
        kind = HS_OP_MALLOC;
    else if ((kind == HS_OP_MALLOC || kind == HS_OP_CALLOC || kind == HS_OP_MEMALIGN) && sl->live)
        kind = HS_OP_REALLOC;
    op->kind = (uint8_t)kind;
    op->id = id;
    switch (kind) {
    case HS_OP_MALLOC:
        op->size = hsf_size(r[2] & 15, a);
        op->touch = hsf_touch(tmode, c, op->size, false);
        sl->bound = sl->live = 1;
        sl->size = op->size;
        break;
    case HS_OP_CALLOC: {
        op->size = hsf_size(r[2] & 15, a);
        op->arg = hsf_size(r[2] >> 4, b);
        bool fails = op->arg != 0 && op->size > UINT64_MAX / op->arg;
        if (!fails) {
            uint64_t prod = op->arg * op->size;
            if (prod > HSF_MAX_REQ && prod <= HSF_CHEAP_HUGE)
                op->arg = 1;
        }
        uint64_t req = fails ? UINT64_MAX : op->arg * op->size;
        op->touch = hsf_touch(tmode, c, req, fails);
        sl->bound = sl->live = 1;
        sl->size = req;
        break;
    }
    case HS_OP_MEMALIGN:
        op->size = hsf_size(r[2] & 15, a);
        op->arg = hsf_align(r[2] >> 4, b);
        op->touch = hsf_touch(tmode, c, op->size, false);
        sl->bound = sl->live = 1;
        sl->size = op->size;
        break;
    case HS_OP_REALLOC:
        op->size = hsf_size(r[2] & 15, a);
        op->touch = hsf_touch(tmode, c, op->size, false);
        if (op->size == 0)
            sl->live = 0;
        else
            sl->size = op->size;
        break;
    case HS_OP_FREE:
        if (!sl->live)
            d->misused = true;
        sl->live = 0;
        break;
    case HS_OP_TOUCH: {
        uint64_t size = sl->size;
        uint64_t off = size == UINT64_MAX ? b : b % (size + 1);
        uint64_t rest = size - off, len;
        switch (r[15] & 3) {
        case 1:  len = rest == UINT64_MAX ? c : c % (rest + 1); break;
        case 2:  len = 0; break;
        case 3:  len = c < rest ? c : rest; break;
        default: len = rest; break;
        }
        op->arg = off;
        op->size = len;
        break;
    }
    }
    return true;
}

/* ---- the encoder (fuzz/sim_seed.c): one loaded op into one record ---- */

/* Writes v little-endian at p.  Never fails. */
static inline void hsf_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Class and raw value that decode to size x: exactly when x fits in 32
 * bits or is an edge (plus or minus 16) of the table; otherwise a value the
 * decoder treats alike (folded below HSF_MAX_REQ, or refused).  Never fails. */
static inline void hsf_size_code(uint64_t x, unsigned *k, uint32_t *v)
{
    *k = 0;
    *v = (uint32_t)x;
    if (x <= UINT32_MAX)
        return;
    *k = 4;
    for (uint32_t cand = 0; cand < (UINT32_C(33) << 8); cand++)
        if (hsf_size(4, cand) == x) {
            *v = cand;
            return;
        }
    if (x <= HSF_CHEAP_HUGE) {
        *k = 0;
        *v = (uint32_t)(x % HSF_FOLD);
    } else {
        *v = 19;   /* UINT64_MAX - 16: refused, as x is */
    }
}

/* Same for an alignment.  Never fails. */
static inline void hsf_align_code(uint64_t x, unsigned *k, uint32_t *v)
{
    *k = 0;
    *v = (uint32_t)x;
    if (x <= UINT32_MAX)
        return;
    *k = 3;
    for (uint32_t i = 0; i < HSF_N(hsf_align_edges); i++)
        if (hsf_align_edges[i] == x) {
            *v = i;
            return;
        }
    *k = 1;
    *v = 25;
}

/* One record for a loaded op; rec is HSF_REC bytes.  Ids must be below
 * HSF_MAX_SLOTS to come back unchanged.  Never fails. */
static inline void hsf_encode(const hs_op *op, uint8_t *rec)
{
    unsigned ka = 0, kb = 0;
    uint32_t a = 0, b = 0, c = 0;
    memset(rec, 0, HSF_REC);
    rec[1] = op->id == HS_NO_ID ? 0 : (uint8_t)op->id;
    switch (op->kind) {
    case HS_OP_MALLOPT:
        rec[1] = op->param;
        c = (uint32_t)(int32_t)op->value;
        break;
    case HS_OP_MALLOC_TRIM:
        hsf_size_code(op->size, &ka, &a);
        break;
    case HS_OP_FREE:
        break;
    case HS_OP_TOUCH:
        b = (uint32_t)op->arg;
        c = (uint32_t)op->size;
        rec[15] = 3;
        break;
    default: {
        uint64_t req = op->size;
        hsf_size_code(op->size, &ka, &a);
        if (op->kind == HS_OP_CALLOC) {
            hsf_size_code(op->arg, &kb, &b);
            req = op->arg != 0 && op->size > UINT64_MAX / op->arg ? 0 : op->arg * op->size;
        } else if (op->kind == HS_OP_MEMALIGN) {
            hsf_align_code(op->arg, &kb, &b);
        }
        if (op->touch == 0 && req != 0)
            rec[0] = 1 << 4;
        else if (op->touch != req) {
            rec[0] = 2 << 4;
            c = (uint32_t)op->touch;
        }
        break;
    }
    }
    rec[0] |= op->kind;
    rec[2] = (uint8_t)(ka | kb << 4);
    hsf_put_u32(rec + 3, a);
    hsf_put_u32(rec + 7, b);
    hsf_put_u32(rec + 11, c);
}

#endif
