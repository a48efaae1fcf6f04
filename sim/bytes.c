/* sim/bytes.c — byte counts as text: words (explanations), exact (op text), short (the window).
 * Owns: hs_bytes_words, hs_bytes_exact, hs_bytes_short; see sim/bytes.h for each style. */
#include "bytes.h"

#include <inttypes.h>
#include <stdio.h>

void hs_bytes_words(uint64_t v, char *buf, size_t len)
{
    const uint64_t K = 1024, M = K * K, G = M * K;
    if (v >= G && v % G == 0)
        snprintf (buf, len, "%" PRIu64 " GiB", v / G);
    else if (v >= M && v % M == 0)
        snprintf (buf, len, "%" PRIu64 " MiB", v / M);
    else if (v >= K && v % K == 0)
        snprintf (buf, len, "%" PRIu64 " KiB", v / K);
    else if (v < 10 * K)
        snprintf (buf, len, "%" PRIu64 " bytes", v);
    else if (v < 10 * M)
        snprintf (buf, len, "%" PRIu64 " KiB + %" PRIu64 " bytes", v / K, v % K);
    else if (v < 10 * G)
        snprintf (buf, len, "%.2f MiB", (double)v / (double)M);
    else
        snprintf (buf, len, "%.2f GiB", (double)v / (double)G);
}

void hs_bytes_exact(uint64_t v, char *buf, size_t len)
{
    if (v != 0 && v % ((uint64_t)1 << 30) == 0)
        snprintf (buf, len, "%" PRIu64 "G", v >> 30);
    else if (v != 0 && v % ((uint64_t)1 << 20) == 0)
        snprintf (buf, len, "%" PRIu64 "M", v >> 20);
    else if (v != 0 && v % ((uint64_t)1 << 10) == 0)
        snprintf (buf, len, "%" PRIu64 "K", v >> 10);
    else
        snprintf (buf, len, "%" PRIu64, v);
}

void hs_bytes_short(uint64_t b, char *buf, size_t len)
{
    const char *suf[] = {"K", "M", "G", "T"};
    if (b < 1024 || (b % 1024 && b < 10240)) {
        snprintf (buf, len, "%llu", (unsigned long long)b);
        return;
    }
    double v = (double)b / 1024;
    int k = 0;
    while (v >= 1024 && k < 3) {
        v /= 1024;
        k++;
    }
    if (v == (double)(uint64_t)v) snprintf (buf, len, "%llu%s", (unsigned long long)v, suf[k]);
    else if (v < 10) snprintf (buf, len, "%.1f%s", v, suf[k]);
    else snprintf (buf, len, "%.0f%s", v, suf[k]);
}
