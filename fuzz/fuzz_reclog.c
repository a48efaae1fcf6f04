/* fuzz/fuzz_reclog.c — libFuzzer target for the recorder log's decoder (recorder/rec_log.h): any bytes as a stream of records.
 * Owns: the decoder's promises under fuzzing: it never reads past the words it is given, ends on anything it cannot take, and yields only call kinds. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "recorder/rec_log.h"

/* Input: one byte of n_callers (mod HS_REC_MAX_CALLERS + 1), then the
 * stream's words (a trailing part word is dropped).  The words are copied
 * to a buffer of exactly their size, so a read past them is ASan's. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static uint64_t words[4096];
    uint64_t n = (size - 1) / 8;
    if (n > sizeof words / sizeof words[0])
        n = sizeof words / sizeof words[0];
    uint64_t *w = words + (sizeof words / sizeof words[0] - n);   /* ends where the buffer ends */
    memcpy(w, data + 1, n * 8);
    hs_rec_cursor cur;
    memset(&cur, 0, sizeof cur);
    cur.n_callers = data[0] % (HS_REC_MAX_CALLERS + 1);
    cur.tid = 1;
    cur.brk0 = 0x555555554000ull;
    hs_rec r;
    uint64_t k, left = n, calls = 0;
    while ((k = hs_rec_decode(w, left, &cur, &r)) > 0) {
        assert(k <= left);
        assert(w[0] != 0);
        if (r.kind < HS_REC_KIND_COUNT) {
            assert(r.kind != HS_REC_NONE);
            assert(r.flags <= 7);
            if (cur.n_callers == 0)
                for (unsigned i = 0; i < HS_REC_MAX_CALLERS; i++)
                    assert(r.callers[i] == 0);
            calls++;
        } else {
            assert(r.kind == HS_REC_THREAD || r.kind == HS_REC_CALLER || r.kind == HS_REC_RING);
        }
        w += k;
        left -= k;
    }
    assert(calls <= n);
    assert(cur.slot[0] == 0);    /* slot 0 is "no caller", never set */
    return 0;
}
