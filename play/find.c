/* play/find.c — finding steps of one played trace: the plotted series and their big changes.
 * Owns: hs_series (the plots' series), hs_series_val/_format, hs_find_change. */
#include "find.h"

#include <stdio.h>

const hs_series_def hs_series[HS_SER_COUNT] = {
    {"break (_edata)", true}, {"RSS", true}, {"minor faults", false},
    {"mmapped bytes", true},  {"free in heap", true},
};

uint64_t hs_series_val(const hs_vals *x, int s)
{
    switch (s) {
    case HS_SER_BRK: return x->brk;
    case HS_SER_RSS: return x->rss;
    case HS_SER_MINFLT: return x->minflt;
    case HS_SER_MMAPPED: return x->mmapped;
    case HS_SER_FREE: return x->freeb;
    default: return 0;
    }
}

void hs_series_format(int s, uint64_t val, char *buf, size_t len)
{
    if (s >= 0 && s < HS_SER_COUNT && hs_series[s].bytes) hs_bytes_short(val, buf, len);
    else snprintf(buf, len, "%llu", (unsigned long long)val);
}

/* |value at i - value at i - 1| of series s (i >= 1). */
static uint64_t delta(const hs_view *v, int s, size_t i)
{
    uint64_t a = hs_series_val(&v->mv[i - 1], s), b = hs_series_val(&v->mv[i], s);
    return a > b ? a - b : b - a;
}

size_t hs_find_change(const hs_view *v, int s, size_t from, int dir)
{
    if (s < 0 || s >= HS_SER_COUNT || v->n == 0) return SIZE_MAX;
    uint64_t max = 0;
    for (size_t i = 1; i <= v->n; i++) {
        uint64_t d = delta(v, s, i);
        if (d > max) max = d;
    }
    if (max == 0) return SIZE_MAX;
    uint64_t big = max / 4 ? max / 4 : 1;
    if (dir > 0) {
        for (size_t i = from + 1; i <= v->n; i++)
            if (delta(v, s, i) >= big) return i;
    } else {
        size_t i = from > v->n + 1 ? v->n + 1 : from;
        while (i > 1)
            if (delta(v, s, --i) >= big) return i;
    }
    return SIZE_MAX;
}
