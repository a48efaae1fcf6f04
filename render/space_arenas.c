/* render/space_arenas.c — the address-space column's band of non-main arena heaps (heap_info, 64 MiB each).
 * Owns: the band's boxes and labels, its "+N more heaps" line and what the pointer over it lists. */
#include "panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* See panels.h. */
float hs_space_reservations(hs_scene *sc, const hs_view *v, float x0, float x1, float y, float max_h,
                            bool draw)
{
    int px = fpx(sc, 14);
    float lh = px * 1.25f, gap = U(sc, 4), box_h = fmaxf(lh * 1.1f, U(sc, 26));
    size_t fit = (size_t)fmaxf(0, (max_h - lh) / (box_h + gap));
    size_t shown = v->nrsv <= fit ? v->nrsv : (fit > 0 ? fit - 1 : 0);
    bool more = shown < v->nrsv;
    float h = lh + (float)shown * (box_h + gap) + (more ? lh : 0);
    if (!draw) return h;
    const char *head = "arena heaps: 64 MiB reserved each (//: not to scale)";
    if (hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, head) > x1 - x0) head = "arena heaps (64M each)";
    if (hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, head) > x1 - x0) head = "arenas";
    hs_dl_text_fit(&sc->dl, x0, y, x1 - x0, HS_FONT_BOLD, px, HS_C_FG, head);
    y += lh;
    /* the heaps in sight: from the first, or so that the shown arena's last heap is in */
    size_t from = 0;
    for (size_t i = 0; i < v->nrsv; i++)
        if (v->rsv[i].arena == v->arena && i >= shown) from = i + 1 - shown;
    for (size_t i = from; i < from + shown; i++, y += box_h + gap) {
        const struct hs_rsv *rs = &v->rsv[i];
        hs_rect box = hs_rect_make(x0, y, x1 - x0, box_h);
        hs_dl_rect(&sc->dl, box, HS_C_VOID);
        double f = rs->h.reserved ? (double)rs->h.mprotect_size / (double)rs->h.reserved : 0;
        float rw = fmaxf(U(sc, 4), (float)(f * box.w));
        hs_chunk_box(sc, hs_rect_make(x0, y, rw, box_h), hs_state_color(HS_CH_INUSE), HS_CH_INUSE, 1);
        bool shown_arena = v->arena == rs->arena;
        hs_dl_frame(&sc->dl, box, shown_arena ? fmaxf(2, U(sc, 4)) : fmaxf(1, U(sc, 1.5f)), HS_C_FG);
        hs_add_hit(sc, box, HS_HIT_ARENA, 3, rs->arena, rs->h.base);   /* a click shows it (A's choice) */
        hs_enlarged_mark(sc, box);
        char tb[32], mp[32], lab[96];
        hs_bytes_short(rs->h.mprotect_size, mp, sizeof mp);
        const char *who = rs->thread == UINT32_MAX ? "free" : hs_view_thread_name(v, rs->thread, tb, sizeof tb);
        if (rs->heap == 0) snprintf(lab, sizeof lab, "arena %u (%s): %s rw", rs->arena, who, mp);
        else snprintf(lab, sizeof lab, "arena %u heap %u: %s rw", rs->arena, rs->heap + 1, mp);
        /* right of the read-write part, else (nearly all read-write) on it */
        float tx = x0 + rw + U(sc, 4), tw = x1 - tx - U(sc, 26);
        if (tw < U(sc, 60)) tx = x0 + U(sc, 4), tw = x1 - tx - U(sc, 26);
        if (tw < hs_dl_text_w(&sc->dl, HS_FONT_SANS, px, lab)) {
            /* narrow: fewer words */
            if (rs->heap == 0) snprintf(lab, sizeof lab, "a%u %s", rs->arena, mp);
            else snprintf(lab, sizeof lab, "a%u h%u %s", rs->arena, rs->heap + 1, mp);
            if (tw < hs_dl_text_w(&sc->dl, HS_FONT_SANS, px, lab)) snprintf(lab, sizeof lab, "a%u", rs->arena);
        }
        hs_tag(sc, tx, y + (box_h - px * 1.2f) / 2, HS_FONT_SANS, px, HS_C_FG, HS_C_VOID, lab, tw);
    }
    if (more) {
        char m[64];
        snprintf(m, sizeof m, "+%zu more heap%s", v->nrsv - shown, v->nrsv - shown == 1 ? "" : "s");
        if (hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, m) > x1 - x0) snprintf(m, sizeof m, "+%zu more", v->nrsv - shown);
        hs_dl_marking(&sc->dl, true);
        float mw = hs_dl_text_fit(&sc->dl, x0, y, x1 - x0, HS_FONT_BOLD, px, HS_C_ALERT, m);
        hs_dl_marking(&sc->dl, false);
        /* the pointer over it lists them (hs_heaps_more_lines) */
        sc->heaps_more = hs_rect_make(x0, y, mw, lh);
        sc->heaps_from = (uint32_t)from;
        sc->heaps_shown = (uint32_t)shown;
    }
    return h;
}

/* See panels.h. */
int hs_heaps_more_lines(const hs_scene *sc, const hs_view *v, char (*lines)[HS_HISTORY_LINE], int max)
{
    if (sc->heaps_more.w <= 0 || max < 2 || sc->heaps_from + sc->heaps_shown > v->nrsv) return 0;
    size_t hidden = v->nrsv - sc->heaps_shown;
    snprintf(lines[0], sizeof lines[0], "%zu more arena heap%s (64 MiB reserved each; no room for them here)",
             hidden, hidden == 1 ? "" : "s");
    int n = 1;
    for (size_t i = 0; i < v->nrsv; i++) {
        if (i >= sc->heaps_from && i < (size_t)sc->heaps_from + sc->heaps_shown) continue;
        size_t left = hidden - (size_t)(n - 1);   /* this one and the hidden ones after it */
        if (n == max - 1 && left > 1) {         /* room for one line: the rest counted */
            snprintf(lines[n++], sizeof lines[0], "and %zu more", left);
            break;
        }
        const struct hs_rsv *rs = &v->rsv[i];
        char tb[32], mp[32], br[32];
        hs_bytes_short(rs->h.mprotect_size, mp, sizeof mp);
        hs_bytes_short(rs->h.brk, br, sizeof br);
        snprintf(lines[n++], sizeof lines[0], "arena %u heap %u (%s): %s read-write, %s in use, at 0x%llx",
                 rs->arena, rs->heap + 1,
                 rs->thread == UINT32_MAX ? "free" : hs_view_thread_name(v, rs->thread, tb, sizeof tb), mp, br,
                 (unsigned long long)rs->h.base);
        if (n == max) break;
    }
    return n;
}
