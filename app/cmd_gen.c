/* app/cmd_gen.c — `heapsim gen`: its options, checked, and where the trace goes.
 * Owns: gen's argv parsing, usage and the atomic --out; the generator itself is app/gen.c. */
#include "app.h"
#include "gen.h"
#include "../loader/outfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the command ---------------------------------------------------- */

/* Prints gen's usage to f.  Cannot fail (stdio errors are ignored here). */
static void usage(FILE *f)
{
    fputs("usage: heapsim gen --seed N --ops N [--mix M] [--threads N] [--out FILE] [--jsonl]\n"
          "  --seed N   any integer 0..18446744073709551615; the same seed gives the same trace\n"
          "  --ops N    number of ops, 0..10000000 (misuse needs at least 18)\n"
          "  --mix M    what the trace exercises (default mixed):\n", f);
    for (int m = 0; m < MIX_COUNT; m++) fprintf(f, "             %-9s %s\n", hs_gen_mix_names[m], hs_gen_mix_about[m]);
    fputs("  --threads N  spread the ops over the main thread and threads T1..TN, 0..64 (default 0):\n"
          "             frees across threads, about half the threads end (thread_exit) near the end\n"
          "  --out FILE write FILE (atomically) instead of stdout; FILE.jsonl implies --jsonl\n"
          "  --jsonl    JSON Lines: a header line, then one op per line\n", f);
}

/* Parses a decimal unsigned integer (no sign, no junk, no overflow).
 * Returns 0 on success, -1 on anything else. */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s) return -1;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* True when s ends with suf.  Cannot fail. */
static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* heapsim gen: see usage().  Returns 0, or 2 on a usage error or when the
 * output cannot be written (then no partial --out file is left behind). */
int hs_cmd_gen(int argc, char **argv)
{
    uint64_t seed = 0, nops = 0, threads = 0;
    bool have_seed = false, have_ops = false, jsonl = false;
    int mix = MIX_MIXED;
    const char *out = NULL;
    unsigned given = 0;          /* the value options seen, a bit each */

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        char key[16];
        const char *eq = strchr(a, '=');
        if (!strncmp(a, "--", 2) && eq && (size_t)(eq - a) < sizeof key) {
            memcpy(key, a, (size_t)(eq - a));
            key[eq - a] = 0;
            val = eq + 1;
        } else {
            snprintf(key, sizeof key, "%s", strlen(a) < sizeof key ? a : "?");
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(key, "--jsonl") && !val) {
            jsonl = true;
            continue;
        }
        static const char *const takes_value[] = {"--seed", "--ops", "--mix", "--out", "--threads"};
        const int n_takes = (int)(sizeof takes_value / sizeof takes_value[0]);
        int k = 0;
        while (k < n_takes && strcmp(key, takes_value[k])) k++;
        if (k == n_takes) {
            fprintf(stderr, "heapsim gen: unknown argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
        if (given & (1u << k)) {     /* which of two values was meant? */
            fprintf(stderr, "heapsim gen: %s given twice\n", key);
            return 2;
        }
        given |= 1u << k;
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "heapsim gen: %s needs a value\n", key);
                return 2;
            }
            val = argv[++i];
        }
        if (!strcmp(key, "--seed")) {
            if (parse_u64(val, &seed)) {
                fprintf(stderr, "heapsim gen: --seed '%s' is not an integer 0..18446744073709551615\n", val);
                return 2;
            }
            have_seed = true;
        } else if (!strcmp(key, "--ops")) {
            if (parse_u64(val, &nops) || nops > HS_GEN_MAX_OPS) {
                fprintf(stderr, "heapsim gen: --ops '%s' is not an integer 0..%llu\n", val,
                        (unsigned long long)HS_GEN_MAX_OPS);
                return 2;
            }
            have_ops = true;
        } else if (!strcmp(key, "--threads")) {
            if (parse_u64(val, &threads) || threads > HS_GEN_MAX_THREADS) {
                fprintf(stderr, "heapsim gen: --threads '%s' is not an integer 0..%u\n", val,
                        HS_GEN_MAX_THREADS);
                return 2;
            }
        } else if (!strcmp(key, "--mix")) {
            mix = -1;
            for (int m = 0; m < MIX_COUNT; m++)
                if (!strcmp(val, hs_gen_mix_names[m])) mix = m;
            if (mix < 0) {
                fprintf(stderr, "heapsim gen: unknown --mix '%s' (small, mixed, large, realloc, "
                        "calloc, memalign, mallopt, misuse, all)\n", val);
                return 2;
            }
        } else {
            if (!*val) {
                fputs("heapsim gen: --out needs a file name\n", stderr);
                return 2;
            }
            out = val;
        }
    }
    if (!have_seed || !have_ops) {
        fprintf(stderr, "heapsim gen: %s is required\n", !have_seed ? "--seed N" : "--ops N");
        usage(stderr);
        return 2;
    }
    if (mix == MIX_MISUSE && nops < HS_GEN_MISUSE_MIN_OPS) {
        fprintf(stderr, "heapsim gen: --mix misuse needs --ops %u or more (its double free needs a setup)\n",
                HS_GEN_MISUSE_MIN_OPS);
        return 2;
    }
    if (out && ends_with(out, ".jsonl")) jsonl = true;
    else if (out && jsonl) {
        fprintf(stderr, "heapsim gen: --jsonl output must go to a file ending in .jsonl "
                "(the loader picks the format by name), not '%s'\n", out);
        return 2;
    }

    if (!out) {
        hs_app_big_stdout();   /* an op a line (before any output) */
        int rc = hs_gen_write(stdout, seed, nops, mix, jsonl, (unsigned)threads);
        if (rc || fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "heapsim gen: cannot write the trace to stdout: %s\n", strerror(errno));
            return 2;
        }
        return 0;
    }

    /* --out: the file appears whole or not at all (loader/outfile.h) */
    hs_outfile o;
    char err[4608];
    FILE *f = hs_outfile_open(&o, out, err, sizeof err);
    if (!f) {
        fprintf(stderr, "heapsim gen: %s\n", err);
        return 2;
    }
    if (hs_gen_write(f, seed, nops, mix, jsonl, (unsigned)threads) != 0) {
        fprintf(stderr, "heapsim gen: cannot write '%s': %s\n", out, strerror(errno));
        hs_outfile_abort(&o);
        return 2;
    }
    if (hs_outfile_commit(&o, err, sizeof err) != 0) {
        fprintf(stderr, "heapsim gen: %s\n", err);
        return 2;
    }
    return 0;
}
