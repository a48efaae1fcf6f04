/* play/find.c — finding steps of one played trace: the plotted series and their big changes.
 * Owns: hs_series (the plots' series), hs_series_val/_format, hs_find_change. */
#include "find.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const hs_series_def hs_series[HS_SER_COUNT] = {
    {"break (_edata)", true}, {"RSS", true}, {"minor faults", false},
    {"mmapped bytes", true},  {"free in heap", true},
};

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

size_t hs_find_touch(const hs_view *v, uint32_t id, size_t from, int dir)
{
    if (id == HS_NO_ID) return SIZE_MAX;
    if (dir > 0) {
        for (size_t i = from + 1; i <= v->n; i++)
            if (v->t.ops[i - 1].id == id) return i;
    } else {
        size_t i = from > v->n + 1 ? v->n + 1 : from;
        while (i > 1)
            if (v->t.ops[--i - 1].id == id) return i;
    }
    return SIZE_MAX;
}

/* The chunk of the current snapshot holding model address a (heap offset
 * when heap_off), or false. */
static bool chunk_holding(const hs_view *v, uint64_t a, bool heap_off, hs_find *out)
{
    for (size_t i = 0; i < v->snap.nheap; i++) {
        const hs_chunk_info *c = &v->snap.heap[i];
        uint64_t lo = heap_off ? c->addr : c->abs;
        if (a >= lo && a - lo < c->size) {
            out->region = 0;
            out->addr = c->addr;
            return true;
        }
    }
    for (size_t i = 0; i < v->snap.nmm && !heap_off; i++) {
        const hs_chunk_info *c = &v->snap.mm[i];
        if ((a >= c->abs && a - c->abs < c->size) || (a >= c->addr && a - c->addr < c->size)) {
            out->region = 1;
            out->addr = c->addr;
            return true;
        }
    }
    return false;
}

int hs_find_parse(const hs_view *v, const char *text, hs_find *out)
{
    memset(out, 0, sizeof *out);
    out->id = HS_NO_ID;
    while (isspace((unsigned char)*text)) text++;
    size_t n = strlen(text);
    while (n && isspace((unsigned char)text[n - 1])) n--;
    char s[256];
    if (n == 0 || n >= sizeof s) {
        snprintf(out->msg, sizeof out->msg, n ? "too long: type a step, an id or an address"
                                              : "type a step number, an id or an address");
        return out->kind = HS_FIND_NONE;
    }
    memcpy(s, text, n);
    s[n] = '\0';
    /* an id of the trace first: ids may look like anything */
    uint32_t id = hs_view_slot(v, s);
    if (id != HS_NO_ID) {
        out->id = id;
        size_t at = v->step;
        const hs_item *it = hs_view_find_id(v, id);
        if (!it || (it->state != HS_CH_INUSE && it->state != HS_CH_MMAPPED)) {
            at = hs_find_touch(v, id, v->step, 1);
            if (at == SIZE_MAX) at = hs_find_touch(v, id, v->step + 1, -1);
            if (at == SIZE_MAX) at = v->step;
        }
        out->step = at;
        return out->kind = HS_FIND_ID;
    }
    const char *d = s[0] == '#' ? s + 1 : s;
    if (*d && strspn(d, "0123456789") == strlen(d)) {
        unsigned long long k = strtoull(d, NULL, 10);
        if (strlen(d) > 19 || k > v->n) {
            snprintf(out->msg, sizeof out->msg, "step %.40s is past the end (the last is %zu)", d, v->n);
            return out->kind = HS_FIND_NONE;
        }
        out->step = (size_t)k;
        return out->kind = HS_FIND_STEP;
    }
    bool heap_off = false;
    const char *h = s;
    if (!strncmp(h, "heap", 4)) h += 4, heap_off = true;
    while (*h == ' ') h++;
    if (*h == '+') h++, heap_off = true;
    while (*h == ' ') h++;
    if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X') && h[2] && strspn(h + 2, "0123456789abcdefABCDEF") == strlen(h + 2) &&
        strlen(h + 2) <= 16) {
        uint64_t a = strtoull(h + 2, NULL, 16);
        if (chunk_holding(v, a, heap_off, out)) return out->kind = HS_FIND_CHUNK;
        snprintf(out->msg, sizeof out->msg, "no chunk holds %.60s at step %zu", s, v->step);
        return out->kind = HS_FIND_NONE;
    }
    snprintf(out->msg, sizeof out->msg,
             "'%.60s' is no step, id or address of this trace (a step: 1234; an id: as the trace names it; "
             "an address: 0x..., or a heap offset: +0x...)", s);
    return out->kind = HS_FIND_NONE;
}
