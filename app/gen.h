/* app/gen.h — the trace generator (app/gen.c) as `heapsim gen` (app/cmd_gen.c) drives it.
 * Owns: the mixes' names and descriptions, the generator's limits, hs_gen_write. */
#ifndef HS_GEN_H
#define HS_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define HS_GEN_MAX_OPS        10000000ull   /* --ops upper bound */
#define HS_GEN_MISUSE_MIN_OPS 18u           /* the misuse mix's setup and double free */
#define HS_GEN_MAX_THREADS    64u           /* --threads upper bound (the replayer runs 128) */

/* What a trace exercises; names and one-line descriptions below. */
enum gen_mix {
    MIX_SMALL, MIX_MIXED, MIX_LARGE, MIX_REALLOC, MIX_CALLOC,
    MIX_MEMALIGN, MIX_MALLOPT, MIX_MISUSE, MIX_ALL, MIX_COUNT
};
extern const char *const hs_gen_mix_names[MIX_COUNT];
extern const char *const hs_gen_mix_about[MIX_COUNT];

/* Writes the whole trace of nops ops (mix a gen_mix, nops >=
 * HS_GEN_MISUSE_MIN_OPS for MIX_MISUSE) to f; the same seed gives the same
 * trace.  threads (0..HS_GEN_MAX_THREADS): ops spread over the main thread
 * and threads T1..Tthreads (see hs_gen_write in app/gen.c); 0 writes no
 * "thread" field, the trace of before.  Returns 0, or -1 when f reports a
 * write error (the caller says so and removes a temp file). */
int hs_gen_write(FILE *f, uint64_t seed, uint64_t nops, int mix, bool jsonl, unsigned threads);

#endif
