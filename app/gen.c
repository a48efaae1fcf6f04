/* app/gen.c — the trace generator behind `heapsim gen`: a random but valid heapsim-trace/1 trace.
 * Owns: the generator's PRNG, its model of live ids, the op mixes (argv parsing: app/cmd_gen.c). */
#include "app.h"
#include "gen.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- limits ---------------------------------------------------------- */

#define GEN_MAX_LIVE       200u                 /* live blocks at most */
#define GEN_MAX_LIVE_BYTES (512ull << 20)       /* requested bytes of live blocks, strictly below */
#define GEN_NAME_LEN       16

#define KiB (1ull << 10)
#define MiB (1ull << 20)

/* ---- PRNG: splitmix64 seeds xoshiro256**, both exact integer code ----- */

typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

/* splitmix64: the next value of the seed sequence.  Cannot fail. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* x rotated left by k (0 < k < 64).  Cannot fail. */
static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* Seeds the generator from one 64-bit seed.  Cannot fail. */
static void rng_seed(gen_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

/* Next 64 random bits (xoshiro256**).  Cannot fail. */
static uint64_t rng_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n); n == 0 gives 0.  Unbiased (rejection).  Cannot fail. */
static uint64_t rng_below(gen_rng *r, uint64_t n)
{
    if (n == 0) return 0;
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do v = rng_next(r); while (v >= lim);
    return v % n;
}

/* Uniform in [lo, hi] (inclusive; hi < lo gives lo).  Cannot fail. */
static uint64_t rng_range(gen_rng *r, uint64_t lo, uint64_t hi)
{
    if (hi <= lo) return lo;
    if (hi - lo == UINT64_MAX) return rng_next(r);
    return lo + rng_below(r, hi - lo + 1);
}

/* True with probability pct/100.  Cannot fail. */
static bool rng_pct(gen_rng *r, unsigned pct)
{
    return rng_below(r, 100) < pct;
}

/* Roughly log-uniform integer in [lo, hi], integer arithmetic only, so the
 * same seed gives the same trace everywhere: picks a bit length uniformly,
 * then a value of that length, then clamps.  Cannot fail. */
static uint64_t rng_logu(gen_rng *r, uint64_t lo, uint64_t hi)
{
    if (hi <= lo) return lo;
    int blo = 0, bhi = 0;
    for (uint64_t v = lo; v; v >>= 1) blo++;
    for (uint64_t v = hi; v; v >>= 1) bhi++;
    int b = (int)rng_range(r, (uint64_t)blo, (uint64_t)bhi);
    uint64_t v = b == 0 ? 0 : rng_range(r, 1ull << (b - 1), b >= 64 ? UINT64_MAX : (1ull << b) - 1);
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    return v;
}

/* ---- mixes ----------------------------------------------------------- */

const char *const hs_gen_mix_names[MIX_COUNT] = {
    "small", "mixed", "large", "realloc", "calloc", "memalign", "mallopt", "misuse", "all"
};

const char *const hs_gen_mix_about[MIX_COUNT] = {
    "small requests (1..1100 bytes): tcache, fastbin and smallbin traffic",
    "sizes log-uniform from 1 byte to 4 MiB",
    "large requests (64 KiB..8 MiB): mmap threshold traffic, the dynamic threshold moves",
    "realloc growing and shrinking, also across the mmap threshold",
    "calloc of many shapes, with malloc and free around it",
    "memalign with alignments 1..4096, powers of two and not",
    "every mallopt param at random moments, and malloc_trim",
    "a valid prefix (blocks of 1033..64K, all freed again), then one double free chosen by the seed (tcache, fasttop, !prev, top); the trace ends there",
    "everything: every op, size class and mallopt param",
};

/* op kinds the generator can pick (weights per mix) */
enum gen_kind {
    K_MALLOC, K_CALLOC, K_REALLOC, K_MEMALIGN, K_FREE, K_TOUCH, K_MALLOPT, K_TRIM, K_COUNT
};

static const unsigned mix_weights[MIX_COUNT][K_COUNT] = {
    /*             malloc calloc realloc memalign free touch mallopt trim */
    [MIX_SMALL]    = {46,   4,     4,      2,     38,   6,    0,      0},
    [MIX_MIXED]    = {40,   5,     5,      3,     38,   9,    0,      0},
    [MIX_LARGE]    = {42,   3,     5,      2,     40,   8,    0,      0},
    [MIX_REALLOC]  = {28,   2,    36,      1,     24,   9,    0,      0},
    [MIX_CALLOC]   = {16,  34,     3,      1,     38,   8,    0,      0},
    [MIX_MEMALIGN] = {14,   2,     2,     38,     38,   6,    0,      0},
    [MIX_MALLOPT]  = {34,   4,     5,      3,     34,   6,   11,      3},
    [MIX_MISUSE]   = {46,   8,     0,      0,     38,   8,    0,      0},
    [MIX_ALL]      = {28,   8,    12,      6,     32,   7,    5,      2},
};

/* size classes (what part of glibc a request exercises) */
enum gen_class {
    C_ZERO,      /* 0: the minimum chunk */
    C_TINY,      /* 1..24: the 32-byte chunk */
    C_FAST,      /* 25..120: fastbin range */
    C_TCACHE,    /* 121..1032: tcache, smallbin */
    C_LARGEBIN,  /* 1033..64K: large bins, unsorted */
    C_MID,       /* 64K..128K: below the default mmap threshold */
    C_MMAP,      /* 128K..4M: above the default threshold */
    C_HUGE,      /* 4M..40M: above the dynamic threshold's ceiling (32 MiB) too */
    C_FAIL,      /* a request glibc refuses: NULL */
    C_COUNT
};

/* ---- the generator's model of the trace ----------------------------- */

typedef struct gen_blk {
    char     name[GEN_NAME_LEN];
    uint64_t req;     /* requested bytes (what touch may cover) */
    bool     null;    /* the call returns NULL: never touch or realloc it */
} gen_blk;

typedef struct gen {
    gen_rng   r;
    int       mix;
    FILE     *f;
    bool      jsonl;
    uint64_t  emitted;                 /* ops written so far */
    gen_blk   live[GEN_MAX_LIVE];      /* the live ids, in no order */
    unsigned  n_live;
    unsigned  max_live;
    uint64_t  live_bytes;
    uint64_t  next_name;               /* for fresh names p0, p1, ... */
    char      dead[64][GEN_NAME_LEN];  /* recently freed names, rebound now and then */
    unsigned  n_dead;
    unsigned  cover;                   /* MIX_ALL: next coverage item */
    bool      mallopt_ok;              /* false: the prefix of misuse avoids mallopt */
    /* --threads (see hs_gen_write): its own PRNG, so the ops are drawn as without it */
    unsigned  threads;                 /* T1..Tthreads besides the main thread; 0: none */
    gen_rng   tr;
    unsigned  cur;                     /* thread of the op being written, 0 main */
    bool      gone[HS_GEN_MAX_THREADS + 1];
    uint64_t  exit_at[HS_GEN_MAX_THREADS];   /* op index of each thread_exit, ascending */
    unsigned  n_exit, next_exit;       /* thread_exit k ends thread k + 1 */
} gen;

/* ---- output ---------------------------------------------------------- */

/* Starts one op object: separators, then {"op": "KIND".  Write errors are
 * caught by the caller's ferror() at the end. */
static void op_begin(gen *g, const char *kind)
{
    if (g->jsonl) fputs("{", g->f);
    else fputs(g->emitted ? ",\n  {" : "  {", g->f);
    fprintf(g->f, "\"op\": \"%s\"", kind);
}

/* Ends one op object (with its thread, when not the main one) and counts it. */
static void op_end(gen *g)
{
    if (g->cur) fprintf(g->f, ", \"thread\": \"T%u\"", g->cur);
    fputs(g->jsonl ? "}\n" : "}", g->f);
    g->emitted++;
}

/* Writes , "key": "val".  Write errors show in ferror() at the end. */
static void put_str(gen *g, const char *key, const char *val)
{
    fprintf(g->f, ", \"%s\": \"%s\"", key, val);   /* ids and names need no escapes */
}

/* Writes , "key": v.  Write errors show in ferror() at the end. */
static void put_i64(gen *g, const char *key, int64_t v)
{
    fprintf(g->f, ", \"%s\": %" PRId64, key, v);
}

/* A size-like number: usually an integer, sometimes a string "30K", "2M",
 * "4KiB" or plain digits, as the contract allows. */
static void put_size(gen *g, const char *key, uint64_t v)
{
    static const char *const suffix[3][2] = {{"K", "KiB"}, {"M", "MiB"}, {"G", "GiB"}};
    if (rng_pct(&g->r, 25)) {
        for (int s = 2; s >= 0; s--) {
            uint64_t unit = 1ull << (10 * (s + 1));
            if (v >= unit && v % unit == 0) {
                fprintf(g->f, ", \"%s\": \"%" PRIu64 "%s\"", key, v / unit,
                        suffix[s][rng_pct(&g->r, 25)]);
                return;
            }
        }
        if (rng_pct(&g->r, 30)) {
            fprintf(g->f, ", \"%s\": \"%" PRIu64 "\"", key, v);
            return;
        }
    }
    fprintf(g->f, ", \"%s\": %" PRIu64, key, v);
}

/* The touch field of an allocation of req bytes: true, false or N <= req;
 * sometimes omitted (the default, true).  Big blocks are mostly written only
 * in part, so traces replay fast. */
static void put_touch(gen *g, uint64_t req, bool can_touch)
{
    if (!can_touch) {
        fputs(", \"touch\": false", g->f);
        return;
    }
    unsigned p = (unsigned)rng_below(&g->r, 100);
    bool big = req > 1 * MiB;
    if (p < (big ? 15u : 35u)) return;                         /* default: all */
    if (p < (big ? 25u : 50u)) { fputs(", \"touch\": true", g->f); return; }
    if (p < 70u) { fputs(", \"touch\": false", g->f); return; }
    uint64_t hi = big ? 256 * KiB : req;
    fprintf(g->f, ", \"touch\": %" PRIu64, rng_range(&g->r, 0, hi < req ? hi : req));
}

/* ---- the id model ------------------------------------------------- */

/* A name that is not live: a recently freed one now and then (rebinding),
 * else a fresh one.  Cannot fail. */
static void new_name(gen *g, char out[GEN_NAME_LEN])
{
    if (g->n_dead && rng_pct(&g->r, 20)) {
        unsigned i = (unsigned)rng_below(&g->r, g->n_dead);
        memcpy(out, g->dead[i], GEN_NAME_LEN);
        memmove(g->dead[i], g->dead[i + 1], (size_t)(g->n_dead - i - 1) * GEN_NAME_LEN);
        g->n_dead--;
        return;
    }
    snprintf(out, GEN_NAME_LEN, "p%" PRIu64, g->next_name++);
}

/* Records name as live with req requested bytes (null: the call returns
 * NULL).  The caller checked n_live < max_live.  Cannot fail. */
static void bind(gen *g, const char *name, uint64_t req, bool null)
{
    gen_blk *b = &g->live[g->n_live++];
    memcpy(b->name, name, GEN_NAME_LEN);
    b->req = req;
    b->null = null;
    if (!null) g->live_bytes += req;
}

/* Forgets live block i (freed); its name may be rebound later. */
static void unbind(gen *g, unsigned i)
{
    gen_blk *b = &g->live[i];
    if (!b->null) g->live_bytes -= b->req;
    if (g->n_dead == 64) {
        memmove(g->dead[0], g->dead[1], 63 * GEN_NAME_LEN);
        g->n_dead--;
    }
    memcpy(g->dead[g->n_dead++], b->name, GEN_NAME_LEN);
    g->live[i] = g->live[--g->n_live];
}

/* A random live block that is not NULL and has at least min_req bytes;
 * -1 if there is none. */
static int pick_block(gen *g, uint64_t min_req)
{
    if (!g->n_live) return -1;
    unsigned start = (unsigned)rng_below(&g->r, g->n_live);
    for (unsigned k = 0; k < g->n_live; k++) {
        unsigned i = (start + k) % g->n_live;
        if (!g->live[i].null && g->live[i].req >= min_req) return (int)i;
    }
    return -1;
}

/* ---- sizes -------------------------------------------------------- */

/* A request size in size class c (C_FAIL gives 0: see do_malloc_fail).
 * Cannot fail. */
static uint64_t class_size(gen *g, int c)
{
    gen_rng *r = &g->r;
    switch (c) {
    case C_ZERO:     return 0;
    case C_TINY:     return rng_range(r, 1, 24);
    case C_FAST:     return rng_range(r, 25, 120);
    case C_TCACHE:   return rng_range(r, 121, 1032);
    case C_LARGEBIN: return rng_logu(r, 1033, 64 * KiB - 1);
    case C_MID:      return rng_range(r, 64 * KiB, 128 * KiB - 1);
    case C_MMAP:     return rng_logu(r, 128 * KiB, 4 * MiB);
    case C_HUGE:     return rng_logu(r, 4 * MiB, 40 * MiB);
    default:         return 0;
    }
}

/* A request size for the mix (never a failing one; see C_FAIL).  Sizes are
 * rounded to whole KiB now and then so "30K"-style strings appear. */
static uint64_t mix_size(gen *g)
{
    gen_rng *r = &g->r;
    uint64_t s;
    switch (g->mix) {
    case MIX_MISUSE:
        /* never a tcache or fastbin size: see gen_misuse_tail() */
        return rng_logu(r, 1033, 64 * KiB - 1);
    case MIX_SMALL:
        switch (rng_below(r, 20)) {
        case 0:  s = rng_pct(r, 20) ? 0 : rng_range(r, 1, 24); break;
        case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8:
                 s = rng_range(r, 1, 120); break;
        case 9: case 10: case 11: case 12: case 13: case 14: case 15: case 16:
                 s = rng_range(r, 121, 1032); break;
        default: s = rng_range(r, 1033, 1100); break;
        }
        return s;
    case MIX_LARGE:
        s = rng_logu(r, 64 * KiB, 8 * MiB);
        break;
    case MIX_ALL: {
        /* every class, the costly big ones rarely (replays stay fast) */
        static const unsigned w[C_HUGE + 1] = {3, 12, 20, 20, 20, 10, 12, 3};
        unsigned x = (unsigned)rng_below(r, 100);
        int c = 0;
        while (x >= w[c]) x -= w[c++];
        s = class_size(g, c);
        break;
    }
    default:
        s = rng_logu(r, 1, 4 * MiB);
        break;
    }
    if (s >= 4 * KiB && rng_pct(r, 30)) s &= ~(KiB - 1);
    return s;
}

/* The largest request a mix makes (realloc growth stays inside it). */
static uint64_t mix_max_size(int mix)
{
    switch (mix) {
    case MIX_SMALL:  return 1100;
    case MIX_MISUSE: return 64 * KiB - 1;
    case MIX_MIXED:  return 4 * MiB;
    case MIX_ALL:    return 40 * MiB;
    default:         return 8 * MiB;
    }
}

/* s clipped so that live bytes stay below GEN_MAX_LIVE_BYTES (when freeing
 * `old` bytes at the same time). */
static uint64_t fit_budget(gen *g, uint64_t s, uint64_t old)
{
    uint64_t room = GEN_MAX_LIVE_BYTES - 1000 - (g->live_bytes - old);
    if (s > room) s = room / 2;
    return s;
}

/* ---- one op of each kind ------------------------------------------ */
/* Each returns true when it wrote an op, false when it is not possible now
 * (no live block to free, the live set is full, ...): nothing written then. */

/* malloc(s) of a fresh id; false when the live set is full. */
static bool do_malloc_size(gen *g, uint64_t s)
{
    if (g->n_live >= g->max_live) return false;
    char name[GEN_NAME_LEN];
    new_name(g, name);
    s = fit_budget(g, s, 0);
    op_begin(g, "malloc");
    put_str(g, "id", name);
    put_size(g, "size", s);
    put_touch(g, s, true);
    op_end(g);
    bind(g, name, s, false);
    return true;
}

/* A request glibc refuses (NULL): above PTRDIFF_MAX, or so big that mmap
 * and brk both fail.  Nothing is written (touch false). */
static bool do_malloc_fail(gen *g)
{
    if (g->n_live >= g->max_live) return false;
    static const uint64_t sizes[] = {1ull << 62, 1ull << 63, (1ull << 63) + 4096};
    char name[GEN_NAME_LEN];
    new_name(g, name);
    uint64_t s = sizes[rng_below(&g->r, 3)];
    op_begin(g, "malloc");
    put_str(g, "id", name);
    if (rng_pct(&g->r, 50)) fprintf(g->f, ", \"size\": \"%" PRIu64 "\"", s);
    else fprintf(g->f, ", \"size\": %" PRIu64, s);
    fputs(", \"touch\": false", g->f);
    op_end(g);
    bind(g, name, s, true);
    return true;
}

/* malloc of a size from the mix; false when the live set is full. */
static bool do_malloc(gen *g)
{
    return do_malloc_size(g, mix_size(g));
}

/* calloc(nmemb, size); shape 0 any, 1 an overflowing product (NULL),
 * 2 a zero factor.  False when the live set is full. */
static bool do_calloc_shape(gen *g, int shape)
{
    if (g->n_live >= g->max_live) return false;
    gen_rng *r = &g->r;
    uint64_t total = mix_size(g), nmemb, size;
    if (shape == 1) {
        nmemb = (1ull << 32) + rng_below(r, 1000);
        size = (1ull << 32) + rng_below(r, 1000);
    } else if (shape == 2) {
        nmemb = rng_pct(r, 50) ? 0 : rng_range(r, 1, 100);   /* never in misuse */
        size = nmemb ? 0 : rng_range(r, 0, 4096);
    } else {
        switch (rng_below(r, 4)) {
        case 0:  nmemb = 1; break;
        case 1:  nmemb = rng_range(r, 2, 16); break;
        case 2:  nmemb = (uint64_t)1 << rng_range(r, 1, 10); break;
        default: nmemb = rng_range(r, 1, 1000); break;
        }
        total = fit_budget(g, total, 0);
        if (nmemb > total) nmemb = total ? total : 1;
        size = total / nmemb;                    /* the product stays <= total */
        if (g->mix == MIX_MISUSE && nmemb * size < 1033) {
            nmemb = 1;                           /* keep misuse's prefix out of tcache */
            size = total;
        }
    }
    bool overflow = shape == 1;
    uint64_t bytes = overflow ? 0 : nmemb * size;
    char name[GEN_NAME_LEN];
    new_name(g, name);
    op_begin(g, "calloc");
    put_str(g, "id", name);
    put_size(g, "nmemb", nmemb);
    put_size(g, "size", size);
    put_touch(g, bytes, !overflow);
    op_end(g);
    bind(g, name, bytes, overflow);
    return true;
}

/* calloc of the mix's usual shape; false when the live set is full. */
static bool do_calloc(gen *g)
{
    return do_calloc_shape(g, g->mix != MIX_MISUSE && rng_pct(&g->r, 3) ? 2 : 0);
}

/* memalign(a, size of the mix); false when the live set is full. */
static bool do_memalign_a(gen *g, uint64_t a)
{
    if (g->n_live >= g->max_live) return false;
    char name[GEN_NAME_LEN];
    new_name(g, name);
    uint64_t s = fit_budget(g, mix_size(g), 0);
    op_begin(g, "memalign");
    put_str(g, "id", name);
    put_size(g, "alignment", a);
    put_size(g, "size", s);
    put_touch(g, s, true);
    op_end(g);
    bind(g, name, s, false);
    return true;
}

/* memalign with a random alignment: a power of two 1..4096 or, one time in
 * four, any number up to 4096 (glibc rounds it up to a power of two).  False
 * when the live set is full. */
static bool do_memalign(gen *g)
{
    gen_rng *r = &g->r;
    uint64_t a = rng_pct(r, 25) ? rng_range(r, 1, 4096) : 1ull << rng_range(r, 0, 12);
    return do_memalign_a(g, a);
}

/* free of live block i.  Always writes the op (returns true). */
static bool do_free_i(gen *g, unsigned i)
{
    op_begin(g, "free");
    put_str(g, "id", g->live[i].name);
    op_end(g);
    unbind(g, i);
    return true;
}

/* free of a random live block; false when none is live. */
static bool do_free(gen *g)
{
    if (!g->n_live) return false;
    return do_free_i(g, (unsigned)rng_below(&g->r, g->n_live));
}

/* realloc modes */
enum { R_ANY, R_GROW, R_SHRINK, R_UP, R_DOWN, R_ZERO };

/* realloc of a live block; mode picks the new size.  Size 0 frees the id.
 * False when no live block fits the mode (none, or none >= 128K for R_DOWN). */
static bool do_realloc_mode(gen *g, int mode)
{
    gen_rng *r = &g->r;
    int i = pick_block(g, mode == R_DOWN ? 128 * KiB : 0);
    if (i < 0) return false;
    gen_blk *b = &g->live[i];
    uint64_t old = b->req, s;
    if (mode == R_ANY) {
        unsigned p = (unsigned)rng_below(r, 100);
        if (g->mix != MIX_REALLOC) mode = p < 4 ? R_ZERO : p < 50 ? R_ANY : p < 80 ? R_GROW : R_SHRINK;
        else mode = p < 4 ? R_ZERO : p < 12 ? R_ANY : p < 45 ? R_GROW : p < 75 ? R_SHRINK
                  : p < 88 ? R_UP : R_DOWN;
        if (mode == R_DOWN && old < 128 * KiB) mode = R_UP;
    }
    switch (mode) {
    case R_GROW:
        s = old + rng_range(r, 1, old < 16 ? 64 : old * 3);
        if (rng_pct(r, 15)) s = old + rng_range(r, 1, 16);      /* small steps: in place */
        break;
    case R_SHRINK:
        s = old ? rng_range(r, old / 4, old - (old > 1)) : 0;
        if (s == 0) s = 1;
        break;
    case R_UP:   s = rng_logu(r, 128 * KiB, 2 * MiB); break;
    case R_DOWN: s = rng_logu(r, 1, 100 * KiB); break;
    case R_ZERO: s = 0; break;
    default:     s = mix_size(g); if (s == 0) s = 1; break;
    }
    if (mode != R_ZERO) {
        uint64_t cap = mix_max_size(g->mix);
        if (s > cap) s = rng_range(r, cap / 2, cap);
        s = fit_budget(g, s, old);
        if (s == 0) s = 1;
    }
    op_begin(g, "realloc");
    put_str(g, "id", b->name);
    if (s == 0) fputs(", \"size\": 0", g->f);
    else put_size(g, "size", s);
    if (s) put_touch(g, s, true);
    op_end(g);
    if (s == 0) {
        unbind(g, (unsigned)i);                                  /* realloc(p, 0) frees */
    } else {
        g->live_bytes += s - old;
        b->req = s;
    }
    return true;
}

/* realloc in the mix's usual way; false when no block can be realloc'd. */
static bool do_realloc(gen *g)
{
    return do_realloc_mode(g, R_ANY);
}

/* touch op; form 0 random, 1 offset+len, 2 offset only, 3 len only, 4 neither.
 * False when no live block has a byte to write. */
static bool do_touch_form(gen *g, int form)
{
    gen_rng *r = &g->r;
    int i = pick_block(g, 1);
    if (i < 0) return false;
    gen_blk *b = &g->live[i];
    if (form == 0) form = 1 + (int)rng_below(r, 4);
    uint64_t cap = b->req > 1 * MiB ? 256 * KiB : b->req;      /* keep replay fast */
    uint64_t off = rng_below(r, b->req);
    uint64_t room = b->req - off;
    uint64_t len = rng_range(r, 0, room < cap ? room : cap);
    op_begin(g, "touch");
    put_str(g, "id", b->name);
    if (form == 4 && b->req > cap) form = 3;
    if (form == 2 && room > cap) form = 1;
    if (form == 1 || form == 2) put_size(g, "offset", off);
    if (form == 1) put_size(g, "len", len);
    if (form == 3) put_size(g, "len", len < cap ? len : cap);
    op_end(g);
    return true;
}

/* touch op of a random form; false when no live block has a byte. */
static bool do_touch(gen *g)
{
    return do_touch_form(g, 0);
}

/* A sensible value for param p (an hs_param, named by hs_param_name).  Cannot fail. */
static int64_t param_value(gen *g, int p)
{
    gen_rng *r = &g->r;
    static const int64_t mmap_thr[] = {4096, 65536, 131072, 262144, 1048576, 4194304, 33554432};
    static const int64_t mmap_max[] = {0, 0, 1, 4, 65536};
    static const int64_t trim_thr[] = {-1, -1, 0, 4096, 131072, 1048576, 67108864};
    static const int64_t top_pad[]  = {0, 4096, 65536, 131072, 1048576};
    static const int64_t perturb[]  = {0, 1, 0x5a, 0xa5, 0xff};
    static const int64_t arena[]    = {1, 2, 8};
#define PICK(a) a[rng_below(r, sizeof a / sizeof a[0])]
    switch (p) {
    case 0: return PICK(mmap_thr);
    case 1: return PICK(mmap_max);
    case 2: return PICK(trim_thr);
    case 3: return PICK(top_pad);
    case 4: return PICK(perturb);
    case 5: return PICK(arena);
    case 6: return PICK(arena);
    default: return rng_pct(r, 20) ? (int64_t)(rng_below(r, 6) * 32) : (int64_t)rng_range(r, 0, 160);
    }
#undef PICK
}

/* mallopt(param p, value); false when the mix must not call mallopt. */
static bool do_mallopt_p(gen *g, int p, int64_t value)
{
    if (!g->mallopt_ok) return false;
    op_begin(g, "mallopt");
    put_str(g, "param", hs_param_name(p));
    put_i64(g, "value", value);
    op_end(g);
    return true;
}

/* mallopt of a random param; false when the mix must not call mallopt. */
static bool do_mallopt(gen *g)
{
    int p = (int)rng_below(&g->r, 8);
    return do_mallopt_p(g, p, param_value(g, p));
}

/* malloc_trim(pad); false when the mix must not call it. */
static bool do_trim(gen *g)
{
    if (!g->mallopt_ok) return false;
    static const uint64_t pads[] = {0, 0, 4096, 65536, 131072, 1048576};
    uint64_t pad = rng_pct(&g->r, 25) ? rng_range(&g->r, 0, 256 * KiB)
                                       : pads[rng_below(&g->r, sizeof pads / sizeof pads[0])];
    op_begin(g, "malloc_trim");
    put_size(g, "pad", pad);
    op_end(g);
    return true;
}

/* One op of kind k; false when that kind is not possible now. */
static bool do_kind(gen *g, int k)
{
    switch (k) {
    case K_MALLOC:   return do_malloc(g);
    case K_CALLOC:   return do_calloc(g);
    case K_REALLOC:  return do_realloc(g);
    case K_MEMALIGN: return do_memalign(g);
    case K_FREE:     return do_free(g);
    case K_TOUCH:    return do_touch(g);
    case K_MALLOPT:  return do_mallopt(g);
    default:         return do_trim(g);
    }
}

/* ---- MIX_ALL: a coverage schedule ------------------------------------ */

/* Item n of the schedule that makes `--mix all` cover every op, size class
 * and mallopt param (one item every third op until the list is done).
 * Returns false when the item is not possible now; it is tried again. */
static bool do_cover(gen *g, unsigned n)
{
    if (n < C_COUNT) {
        if (n == C_FAIL) return do_malloc_fail(g);
        return do_malloc_size(g, fit_budget(g, class_size(g, (int)n), 0));
    }
    n -= C_COUNT;
    if (n < 8) {                                     /* every param; the notable values */
        int64_t v = param_value(g, (int)n);
        if (n == 1) v = 0;                           /* M_MMAP_MAX 0 */
        if (n == 2) v = -1;                          /* M_TRIM_THRESHOLD -1 */
        return do_mallopt_p(g, (int)n, v);
    }
    n -= 8;
    switch (n) {
    case 0:  return do_calloc_shape(g, 0);
    case 1:  return do_calloc_shape(g, 1);
    case 2:  return do_calloc_shape(g, 2);
    case 3:  return do_realloc_mode(g, R_GROW);
    case 4:  return do_realloc_mode(g, R_SHRINK);
    case 5:  return do_realloc_mode(g, R_UP);
    case 6:  return do_realloc_mode(g, R_DOWN);
    case 7:  return do_realloc_mode(g, R_ZERO);
    case 8:  return do_memalign_a(g, 4096);
    case 9:  return do_memalign_a(g, 48);
    case 10: return do_touch_form(g, 1);
    case 11: return do_touch_form(g, 2);
    case 12: return do_touch_form(g, 3);
    case 13: return do_touch_form(g, 4);
    case 14: return do_free(g);
    case 15: return do_trim(g);
    /* back to the defaults, so the rest of the trace sees mmap and trims again */
    case 16: return do_mallopt_p(g, 1, 65536);
    case 17: return do_mallopt_p(g, 2, 131072);
    case 18: return do_mallopt_p(g, 0, 131072);
    case 19: return do_mallopt_p(g, 7, 128);
    default: return false;
    }
}
#define COVER_ITEMS (C_COUNT + 8 + 20)

/* ---- threads --------------------------------------------------- */

/* Picks the thread of the next op: uniform over the main thread and every
 * thread not yet exited; the last thread (with 2 or more) only once a
 * thread has exited, so it is created late and takes that thread's arena.
 * Draws nothing without --threads.  Cannot fail. */
static void pick_thread(gen *g)
{
    if (!g->threads) return;
    unsigned cand[HS_GEN_MAX_THREADS + 1], n = 0;
    cand[n++] = 0;
    for (unsigned k = 1; k <= g->threads; k++) {
        bool late = g->threads >= 2 && k == g->threads && g->n_exit && g->next_exit == 0;
        if (!g->gone[k] && !late) cand[n++] = k;
    }
    g->cur = cand[rng_below(&g->tr, n)];
}

/* Plans the thread_exits: threads T1..Tm (m = threads / 2, at least 1, never
 * the late last thread) end at random ops of the last tenth of the trace
 * (none when it has fewer than 2m ops).  Cannot fail. */
static void plan_exits(gen *g, uint64_t nops)
{
    unsigned m = g->threads / 2 ? g->threads / 2 : g->threads;
    uint64_t tail = nops / 10;
    if (!m || tail < 2ull * m) return;
    for (unsigned k = 0; k < m; k++)
        g->exit_at[k] = rng_range(&g->tr, nops - tail, nops - 1);
    for (unsigned i = 1; i < m; i++)                 /* ascending (insertion sort) */
        for (unsigned j = i; j > 0 && g->exit_at[j - 1] > g->exit_at[j]; j--) {
            uint64_t t = g->exit_at[j];
            g->exit_at[j] = g->exit_at[j - 1];
            g->exit_at[j - 1] = t;
        }
    g->n_exit = m;
}

/* Writes the next planned thread_exit when its op index has come; returns
 * whether it wrote one.  Cannot fail. */
static bool thread_exit_due(gen *g)
{
    if (g->next_exit >= g->n_exit || g->emitted < g->exit_at[g->next_exit]) return false;
    g->cur = ++g->next_exit;
    g->gone[g->cur] = true;
    op_begin(g, "thread_exit");
    op_end(g);
    return true;
}

/* ---- one random op ---------------------------------------------- */

/* Writes exactly one op for the mix, in a thread pick_thread chose.  Cannot
 * fail (malloc or free is always possible). */
static void gen_one(gen *g)
{
    pick_thread(g);
    if (g->mix == MIX_ALL && g->cover < COVER_ITEMS && g->emitted % 3 == 0) {
        if (do_cover(g, g->cover)) {
            g->cover++;
            return;
        }
    }
    const unsigned *w = mix_weights[g->mix];
    unsigned total = 0;
    for (int k = 0; k < K_COUNT; k++) total += w[k];
    for (;;) {
        /* a full live set frees; an empty one allocates */
        if (g->n_live >= g->max_live && rng_pct(&g->r, 50) && do_free(g)) return;
        if (g->live_bytes > GEN_MAX_LIVE_BYTES / 2 && rng_pct(&g->r, 30) && do_free(g)) return;
        unsigned x = (unsigned)rng_below(&g->r, total);
        int k = 0;
        while (x >= w[k]) x -= w[k++];
        if (do_kind(g, k)) return;
        if (do_malloc(g) || do_free(g)) return;
    }
}

/* ---- misuse: the double-free tails ----------------------------------- */

enum { MU_TCACHE, MU_FASTTOP, MU_PREV, MU_TOP, MU_COUNT };
static const char *const misuse_names[MU_COUNT] = {"tcache", "fasttop", "!prev", "top"};
static const char *const misuse_msg[MU_COUNT] = {
    "free(): double free detected in tcache 2",
    "double free or corruption (fasttop)",
    "double free or corruption (!prev)",
    "double free or corruption (top)",
};
static const unsigned misuse_len[MU_COUNT] = {18, 17, 5, 4};

/* A plain malloc op of the misuse tail (touch defaults to all).  Cannot fail. */
static void tail_malloc(gen *g, const char *name, uint64_t size)
{
    op_begin(g, "malloc");
    put_str(g, "id", name);
    put_size(g, "size", size);
    op_end(g);
}

/* A free op of the misuse tail, with an optional note.  Cannot fail. */
static void tail_free(gen *g, const char *name, const char *note)
{
    op_begin(g, "free");
    put_str(g, "id", name);
    if (note) fprintf(g->f, ", \"note\": \"%s\"", note);
    op_end(g);
}

/* The tail of --mix misuse, written after the prefix has freed every block
 * it allocated.  The prefix only ever frees chunks too big for tcache and
 * fastbins (requests >= 1033), so they all coalesce back into top: the
 * heap is the tcache block and top, and every block below comes from top
 * with exactly its request's chunk size.  That makes glibc's check of kind
 * `kind` fire for every seed.  Writes misuse_len[kind] ops (ids m*, which
 * the prefix never uses). */
static void gen_misuse_tail(gen *g, int kind)
{
    char note[200], nm[GEN_NAME_LEN];
    snprintf(note, sizeof note, "double free (%s): glibc aborts with '%s'",
             misuse_names[kind], misuse_msg[kind]);
    if (kind == MU_TCACHE || kind == MU_FASTTOP) {
        /* 8 blocks of one class; freeing 7 fills its tcache bin.  tcache: one
         * malloc takes an entry back, so X goes to tcache and its second free
         * finds it there.  fasttop: the bin stays full, so X goes to the top
         * of a fastbin and its second free finds it on top. */
        uint64_t s = kind == MU_TCACHE ? rng_range(&g->r, 1, 1032) : rng_range(&g->r, 1, 120);
        for (int i = 1; i <= 7; i++) {
            snprintf(nm, sizeof nm, "mF%d", i);
            tail_malloc(g, nm, s);
        }
        tail_malloc(g, "mX", s);
        for (int i = 1; i <= 7; i++) {
            snprintf(nm, sizeof nm, "mF%d", i);
            tail_free(g, nm, NULL);
        }
        if (kind == MU_TCACHE) tail_malloc(g, "mG", s);
        tail_free(g, "mX", NULL);
        tail_free(g, "mX", note);
        return;
    }
    /* !prev and top: blocks too big for tcache and fastbins, below the mmap
     * threshold, one after the other from top.  W keeps X from merging
     * backward; N (for !prev) keeps it from merging into top. */
    tail_malloc(g, "mW", rng_range(&g->r, 1033, 60000));
    tail_malloc(g, "mX", rng_range(&g->r, 1033, 60000));
    if (kind == MU_PREV) tail_malloc(g, "mN", rng_range(&g->r, 1033, 60000));
    tail_free(g, "mX", NULL);
    tail_free(g, "mX", note);
}

/* The prefix of --mix misuse: random ops, then a free of every live block,
 * so that exactly `target` ops are written.  Cannot fail. */
static void gen_misuse_prefix(gen *g, uint64_t target)
{
    while (g->emitted + g->n_live < target) {
        if (g->emitted + g->n_live + 1 == target) {
            /* one op short: a touch (malloc would need two: itself and its free) */
            if (!do_touch_form(g, 4)) {
                op_begin(g, "malloc_trim");
                fputs(", \"pad\": 0", g->f);
                op_end(g);
            }
            continue;
        }
        gen_one(g);
    }
    while (g->n_live) do_free_i(g, g->n_live - 1);
}

/* See app/gen.h.  With threads: every op goes to a thread pick_thread()
 * chooses (frees pick any live block, so many are cross-thread frees);
 * about half the threads end with a thread_exit in the last tenth of the
 * trace (plan_exits), and the last thread starts only after the first exit.
 * The misuse mix keeps its tail (the double free) in the main thread and
 * ends no thread.  The ops themselves are drawn as without threads. */
int hs_gen_write(FILE *f, uint64_t seed, uint64_t nops, int mix, bool jsonl, unsigned threads)
{
    static gen g;                       /* large; zeroed here */
    memset(&g, 0, sizeof g);
    rng_seed(&g.r, seed);
    g.mix = mix;
    g.f = f;
    g.jsonl = jsonl;
    g.max_live = mix == MIX_MISUSE ? 150 : GEN_MAX_LIVE;
    g.mallopt_ok = mix == MIX_MALLOPT || mix == MIX_ALL;
    g.threads = threads > HS_GEN_MAX_THREADS ? HS_GEN_MAX_THREADS : threads;
    rng_seed(&g.tr, seed ^ 0x7468726561647321ull);   /* "threads!" */

    int mkind = mix == MIX_MISUSE ? (int)rng_below(&g.r, MU_COUNT) : -1;
    char title[160], desc[400];
    snprintf(title, sizeof title, "gen --seed %" PRIu64 " --ops %" PRIu64 " --mix %s",
             seed, nops, hs_gen_mix_names[mix]);
    if (g.threads)
        snprintf(title + strlen(title), sizeof title - strlen(title), " --threads %u", g.threads);
    if (mkind >= 0)
        snprintf(desc, sizeof desc, "Random trace from heapsim gen: %s; the double free is of kind %s "
                 "and glibc aborts with '%s'.", hs_gen_mix_about[mix], misuse_names[mkind], misuse_msg[mkind]);
    else
        snprintf(desc, sizeof desc, "Random trace from heapsim gen: %s.", hs_gen_mix_about[mix]);

    fprintf(f, jsonl ? "{\"format\": \"heapsim-trace/1\", \"title\": \"%s\", \"description\": \"%s\"}\n"
                     : "{\n \"format\": \"heapsim-trace/1\",\n \"title\": \"%s\",\n"
                       " \"description\": \"%s\",\n \"ops\": [\n", title, desc);
    if (mkind >= 0) {
        gen_misuse_prefix(&g, nops - misuse_len[mkind]);
        g.cur = 0;
        gen_misuse_tail(&g, mkind);
    } else {
        plan_exits(&g, nops);
        while (g.emitted < nops) {
            if (!thread_exit_due(&g))
                gen_one(&g);
            if (ferror(f)) return -1;
        }
    }
    if (!jsonl) fputs(g.emitted ? "\n ]\n}\n" : " ]\n}\n", f);
    return ferror(f) ? -1 : 0;
}

