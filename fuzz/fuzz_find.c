/* fuzz/fuzz_find.c — libFuzzer target for the window's "go to / find" text (play/find.c).
 * Owns: the promises of hs_find_parse over any text, and of hs_view_history on what it finds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "play/find.h"

static const char TRACE[] =
    "{\"format\": \"heapsim-trace/1\", \"ops\": ["
    "{\"op\": \"malloc\", \"id\": \"p\", \"size\": 48, \"caller\": \"main (x.c:3)\"},"
    "{\"op\": \"malloc\", \"id\": \"0x10\", \"size\": 300000},"
    "{\"op\": \"malloc\", \"id\": \"12\", \"size\": 100},"
    "{\"op\": \"free\", \"id\": \"p\", \"thread\": \"T1\"},"
    "{\"op\": \"malloc\", \"id\": \"+0x20\", \"size\": 40},"
    "{\"op\": \"free\", \"id\": \"12\"}]}";

static hs_view *view(void)
{
    static hs_view *v;
    if (!v) {
        hs_trace t;
        hs_trace_error e;
        if (hs_trace_load_mem("f.json", TRACE, sizeof TRACE - 1, 0, &t, &e) != 0) abort();
        v = hs_view_new(&t, "f.json", HS_PROFILE_GLIBC_2_36, NULL);
        if (!v || hs_view_goto(v, 5) != 0) abort();
    }
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hs_view *v = view();
    char text[600];
    if (size >= sizeof text) size = sizeof text - 1;
    memcpy(text, data, size);
    text[size] = '\0';
    hs_find f;
    int k = hs_find_parse(v, text, &f);
    if (k != f.kind) abort();
    if (memchr(f.msg, '\0', sizeof f.msg) == NULL) abort();
    switch (k) {
    case HS_FIND_NONE:
        if (!f.msg[0]) abort();
        break;
    case HS_FIND_STEP:
        if (f.step > v->n) abort();
        break;
    case HS_FIND_ID: {
        if (f.id >= v->t.n_ids || f.step > v->n) abort();
        char lines[6][HS_HISTORY_LINE];
        int n = hs_view_history(v, f.id, lines, 6);
        if (n < 1 || n > 6) abort();
        for (int i = 0; i < n; i++)
            if (memchr(lines[i], '\0', HS_HISTORY_LINE) == NULL) abort();
        break;
    }
    case HS_FIND_CHUNK: {
        int found = 0;
        if (f.region == 0)
            for (size_t i = 0; i < v->snap.nheap; i++) found |= v->snap.heap[i].addr == f.addr;
        else if (f.region == 1)
            for (size_t i = 0; i < v->snap.nmm; i++) found |= v->snap.mm[i].addr == f.addr;
        if (!found) abort();
        break;
    }
    default:
        abort();
    }
    return 0;
}
