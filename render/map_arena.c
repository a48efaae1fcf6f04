/* render/map_arena.c — the heap map of a non-main arena (A; play/arenas.c): what differs from the main heap's.
 * Owns: the shown arena's chunks as items, the map's title naming the arena, its reservation line. */
#include "panels.h"

#include <stdio.h>
#include <stdlib.h>

/* The shown non-main arena's chunks as items of region 2 (info indexes
 * hs_view_sel_snap's heap; no animation between steps: its chunks are new
 * each frame); NULL when memory runs out. */
dritem *hs_map_arena_items(const hs_view *v, size_t *n)
{
    const hs_snap *s = hs_view_sel_snap(v);
    *n = 0;
    dritem *d = calloc(s->nheap ? s->nheap : 1, sizeof *d);
    if (!d) return NULL;
    for (size_t i = 0; i < s->nheap; i++) {
        const hs_chunk_info *c = &s->heap[i];
        d[*n] = (dritem){.region = 2, .s_from = (uint8_t)c->state, .s_to = (uint8_t)c->state,
                         .current = true, .lo = (double)c->addr, .hi = (double)(c->addr + c->size),
                         .t = 1, .alpha = 1, .id = c->id, .info = (uint32_t)i, .addr = c->addr};
        (*n)++;
    }
    return d;
}

/* The heap map's title: which arena, and whose thread. */
void hs_map_arena_title(const hs_view *v, char *buf, size_t len)
{
    char tb[32];
    if (v->n_arenas <= 1 && !v->asel) {
        buf[0] = '\0';
        return;
    }
    char an[32];
    const char *who = v->arena_thread == UINT32_MAX
                          ? "no thread"
                          : hs_view_thread_name(v, v->arena_thread, tb, sizeof tb);
    /* arenas numbered as the step line and the explanations do: 0 is main */
    if (v->arena == 0) snprintf(an, sizeof an, "main arena");
    else snprintf(an, sizeof an, "arena %u", v->arena);
    snprintf(buf, len, ": %s (%s%s, %u arenas)", an, v->arena_thread == UINT32_MAX ? "" : "thread ",
             who, v->n_arenas);
}

/* The arena's heap: the read-write part of its 64 MiB reservation and the
 * PROT_NONE rest, as a bar to scale (the read-write part at least a few
 * pixels wide) with the numbers beside it.  Returns the line's height. */
float hs_map_arena_reservation(hs_scene *sc, const hs_view *v, float x, float y, float w, bool draw)
{
    int spx = fpx(sc, 16);
    float h = spx * 1.3f;
    if (!draw) return h;
    const hs_heap_view *hv = &v->arena_heap;
    char a[32], b[32], c[32], line[200], more[48] = "";
    hs_bytes_short(hv->brk, a, sizeof a);
    hs_bytes_short(hv->mprotect_size, b, sizeof b);
    hs_bytes_short(hv->reserved - hv->mprotect_size, c, sizeof c);
    if (v->arena_info.heaps > 1)
        snprintf(more, sizeof more, "; +%u older heap%s (not drawn)", v->arena_info.heaps - 1,
                 v->arena_info.heaps == 2 ? "" : "s");
    float bw = fminf(U(sc, 120), w * 0.18f), bh = spx * 0.8f, by = y + (h - bh) / 2 - U(sc, 1);
    /* the most words that fit: the heap's address, then the older heaps' count go first */
    float tw = w - bw - U(sc, 8);
    snprintf(line, sizeof line, "0x%llx: %s used, %s rw, %s PROT_NONE%s",
             (unsigned long long)hv->base, a, b, c, more);
    if (hs_dl_text_w(&sc->dl, HS_FONT_SANS, spx, line) > tw)
        snprintf(line, sizeof line, "%s used, %s rw, %s PROT_NONE%s", a, b, c, more);
    if (hs_dl_text_w(&sc->dl, HS_FONT_SANS, spx, line) > tw && v->arena_info.heaps > 1)
        snprintf(line, sizeof line, "%s used, %s rw, %s PROT_NONE; +%u older", a, b, c,
                 v->arena_info.heaps - 1);
    if (hs_dl_text_w(&sc->dl, HS_FONT_SANS, spx, line) > tw)
        snprintf(line, sizeof line, "%s rw, %s PROT_NONE", b, c);
    hs_dl_rect(&sc->dl, hs_rect_make(x, by, bw, bh), HS_C_VOID);
    float uw = hv->reserved ? bw * (float)((double)hv->mprotect_size / (double)hv->reserved) : 0;
    if (uw < U(sc, 4)) uw = U(sc, 4);
    hs_dl_rect(&sc->dl, hs_rect_make(x, by, uw, bh), hs_state_color(HS_CH_TOP));
    hs_dl_frame(&sc->dl, hs_rect_make(x, by, bw, bh), fmaxf(1, U(sc, 1.5f)), HS_C_FG);
    hs_dl_text_fit(&sc->dl, x + bw + U(sc, 8), y, tw, HS_FONT_SANS, spx, HS_C_DIM, line);
    return h;
}

