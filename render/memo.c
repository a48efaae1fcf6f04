/* render/memo.c — the chunk passes' output kept for the still frames that would draw it again.
 * Owns: hs_memo (per pass: what it depends on, the draw-list stretch and the hit boxes it made). */
#include "panels.h"

#include <stdlib.h>
#include <string.h>

/* What a pass drew on the frame it was kept from: its key (the snapshot, the
 * draw list's state and the pass's own geometry: everything it reads besides
 * the chunk list of that snapshot), its draw-list stretch and its hit boxes. */
typedef struct hs_memo {
    bool valid;
    unsigned char key[HS_MEMO_KEY];
    hs_dl_kept dl;
    hs_hit *hits;
    size_t nhits, caphits;
} hs_memo;

/* The key as kept: the pass's own bytes after what every pass depends on.
 * Returns false when no key can be made (the items are not a still
 * snapshot's, or the pass's key is too long). */
static bool full_key(const hs_scene *sc, const void *key, size_t len, unsigned char *out)
{
    struct {
        uint64_t gen;
        size_t ndr, plain;
        hs_text_width_fn width;
        void *width_ctx;
        int nclip;
        hs_rect clip, panel_r;
        const char *panel;
        bool marking;
        float u, ts;
    } k;
    if (!sc->dr_gen || len > HS_MEMO_KEY - sizeof k) return false;
    memset(&k, 0, sizeof k);   /* the padding too: keys are compared as bytes */
    k.gen = sc->dr_gen;
    k.ndr = sc->ndr;
    k.plain = sc->dr_plain;
    k.width = sc->dl.width;
    k.width_ctx = sc->dl.width_ctx;
    k.nclip = sc->dl.nclip;
    if (sc->dl.nclip > 0 && sc->dl.nclip <= HS_CLIP_DEPTH) k.clip = sc->dl.clip[sc->dl.nclip - 1];
    k.panel_r = sc->dl.panel_r;
    k.panel = sc->dl.panel;
    k.marking = sc->dl.marking;
    k.u = sc->u;
    k.ts = sc->ts;
    memset(out, 0, HS_MEMO_KEY);
    memcpy(out, &k, sizeof k);
    memcpy(out + sizeof k, key, len);
    return true;
}

bool hs_memo_replay(hs_scene *sc, int p, const void *key, size_t len)
{
    unsigned char k[HS_MEMO_KEY];
    if (!sc->memo || !sc->memo[p].valid || !full_key(sc, key, len, k) || memcmp(k, sc->memo[p].key, sizeof k))
        return false;
    const hs_memo *m = &sc->memo[p];
    while (sc->nhits + m->nhits > sc->caphits)
        if (!hs_hits_grow(sc)) return false;   /* out of memory: the pass runs (and drops boxes) */
    hs_dl_replay(&sc->dl, &m->dl);
    if (m->nhits) memcpy(sc->hits + sc->nhits, m->hits, m->nhits * sizeof *m->hits);
    sc->nhits += m->nhits;
    return true;
}

hs_memo_mark hs_memo_begin(const hs_scene *sc)
{
    return (hs_memo_mark){hs_dl_mark_now(&sc->dl), sc->nhits};
}

void hs_memo_end(hs_scene *sc, int p, hs_memo_mark at, const void *key, size_t len)
{
    if (!sc->memo) sc->memo = calloc(HS_MEMO_COUNT, sizeof *sc->memo);
    if (!sc->memo) return;
    hs_memo *m = &sc->memo[p];
    m->valid = false;
    m->nhits = 0;
    size_t nh = sc->nhits - at.nhits;
    if (nh > m->caphits) {
        hs_hit *h = realloc(m->hits, nh * sizeof *h);
        if (!h) return;
        m->hits = h;
        m->caphits = nh;
    }
    /* the key of the state the pass began in: the draw list's clip and panel are as then */
    if (!full_key(sc, key, len, m->key) || !hs_dl_keep(&sc->dl, at.dl, &m->dl)) return;
    if (nh) memcpy(m->hits, sc->hits + at.nhits, nh * sizeof *m->hits);
    m->nhits = nh;
    m->valid = true;
}

void hs_memo_free(hs_scene *sc)
{
    if (!sc->memo) return;
    for (int p = 0; p < HS_MEMO_COUNT; p++) {
        hs_dl_kept_free(&sc->memo[p].dl);
        free(sc->memo[p].hits);
    }
    free(sc->memo);
    sc->memo = NULL;
}
