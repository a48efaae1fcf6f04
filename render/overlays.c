/* render/overlays.c — what is drawn over the panels: tooltip, help, prompt, banner, lesson list (what differs: diff.c).
 * Owns: the overlays. */
#include "panels.h"
#include "../sim/rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- overlays ---- */

#define HS_TIP_LINES_MAX 32   /* the most lines a box is given (the chunk tooltip's 26) */

/* A box of lines (line 0 and line hist bold, the others mono) in size px:
 * its width (the widest line, at most the window's) into *w, the lines
 * each takes into nl (a line wider than the box wraps, up to 3, instead of
 * being cut); returns the box's height.  n is at most HS_TIP_LINES_MAX.
 * Never fails. */
static float lines_measure(hs_scene *sc, char (*lines)[HS_HISTORY_LINE], int n, int hist, int px, int *nl,
                           float *w)
{
    float lh = px * 1.3f;
    *w = 0;
    for (int i = 0; i < n; i++)
        *w = fmaxf(*w, hs_dl_text_w(&sc->dl, i && i != hist ? HS_FONT_MONO : HS_FONT_BOLD, px, lines[i]));
    *w += U(sc, 24);
    if (*w > sc->w - U(sc, 8)) *w = sc->w - U(sc, 8);
    int total = 0;
    for (int i = 0; i < n; i++) {
        int f = i && i != hist ? HS_FONT_MONO : HS_FONT_BOLD;
        nl[i] = 1;
        if (hs_dl_text_w(&sc->dl, f, px, lines[i]) > *w - U(sc, 20)) {
            nl[i] = hs_dl_wrap_count(&sc->dl, *w - U(sc, 20), f, px, lines[i]);
            nl[i] = nl[i] < 1 ? 1 : nl[i] > 3 ? 3 : nl[i];
        }
        total += nl[i];
    }
    return total * lh + U(sc, 16);
}

/* Draws the box lines_measure measured at box: its ground and frame, the
 * lines (rule: a rule above line hist).  Never fails. */
static void lines_draw(hs_scene *sc, hs_rect box, char (*lines)[HS_HISTORY_LINE], int n, int hist, bool rule,
                       int px, const int *nl)
{
    float lh = px * 1.3f, x = box.x, w = box.w, ly = box.y + U(sc, 8);
    hs_dl_rect(&sc->dl, box, HS_C_TIP);
    hs_dl_frame(&sc->dl, box, fmaxf(2, U(sc, 2.5f)), HS_C_FG);
    for (int i = 0; i < n; i++) {
        if (rule && i == hist && i)
            hs_dl_line(&sc->dl, x + U(sc, 8), ly - U(sc, 2), x + w - U(sc, 8), ly - U(sc, 2), 1, HS_C_RULE);
        int f = i && i != hist ? HS_FONT_MONO : HS_FONT_BOLD;
        if (nl[i] > 1)
            hs_dl_text_wrap(&sc->dl, x + U(sc, 12), ly, w - U(sc, 20), lh, nl[i], f, px, HS_C_FG, lines[i]);
        else
            hs_dl_text_fit(&sc->dl, x + U(sc, 12), ly, w - U(sc, 20), f, px, HS_C_FG, lines[i]);
        ly += nl[i] * lh;
    }
}

/* The followed id when it has no chunk at this step (not allocated yet,
 * freed and reused, or merged): its history, over the heap map. */
static void history_box(hs_scene *sc, const hs_view *v, uint32_t id)
{
    char lines[12][HS_HISTORY_LINE];
    snprintf(lines[0], sizeof lines[0], "%s has no chunk at step %zu", hs_id_name(v, id) ? hs_id_name(v, id) : "?",
             v->step);
    int n = 1 + hs_view_history(v, id, lines + 1, 10), nl[12], px = fpx(sc, 17);
    float w, hgt = lines_measure(sc, lines, n, 1, px, nl, &w);
    hs_rect at = sc->map.w > 0 ? sc->map : sc->bins;  /* presenter mode has no map */
    float x = at.x + U(sc, 8), y = at.y + U(sc, 8);
    if (x + w > sc->w) x = sc->w - w - U(sc, 4);
    lines_draw(sc, hs_rect_make(x, y, w, hgt), lines, n, 1, false, px, nl);
}

static void tip_box(hs_scene *sc, const hs_ui *ui, const hs_hit *h, bool pinned,
                    char (*lines)[HS_HISTORY_LINE], int n, int hist);

/* Hovering an arena's heap in the address-space column: its reservation in
 * words, and what a click does. */
static void arena_tip(hs_scene *sc, const hs_view *v, const hs_ui *ui, const hs_hit *h)
{
    const struct hs_rsv *rs = NULL;
    for (size_t i = 0; i < v->nrsv && !rs; i++)
        if (v->rsv[i].arena == h->info && v->rsv[i].h.base == h->addr) rs = &v->rsv[i];
    if (!rs) return;
    char lines[5][HS_HISTORY_LINE], tb[32], a[32], b[32], c[32];
    hs_bytes_short(rs->h.brk, a, sizeof a);
    hs_bytes_short(rs->h.mprotect_size, b, sizeof b);
    hs_bytes_short(rs->h.reserved - rs->h.mprotect_size, c, sizeof c);
    snprintf(lines[0], sizeof lines[0], "arena %u, heap_info heap %u (%s)", rs->arena, rs->heap + 1,
             rs->thread == UINT32_MAX ? "no thread: on the free list"
             : hs_view_thread_name(v, rs->thread, tb, sizeof tb));
    snprintf(lines[1], sizeof lines[1], "at 0x%llx, 64 MiB reserved (new_heap)",
             (unsigned long long)rs->h.base);
    snprintf(lines[2], sizeof lines[2], "%s read-write (mprotect), %s in use", b, a);
    snprintf(lines[3], sizeof lines[3], "%s PROT_NONE: reserved, never touched", c);
    snprintf(lines[4], sizeof lines[4], "(click: show this arena in the heap map and bins)");
    tip_box(sc, ui, h, false, lines, 5, 0);
}

/* Hovering a mark that stands for what had no room: a bin row's "… +N",
 * a family's "+N more bins" (hs_bins_more_lines), the address column's "+N
 * more heaps" (hs_heaps_more_lines): the box lists them.  False when the
 * pointer is over no such mark. */
static bool more_tip(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    char lines[HS_TIP_LINES_MAX][HS_HISTORY_LINE];
    int n = 0;
    hs_hit at = {0};
    if (!ui->mouse_in) return false;
    if (hs_rect_has(sc->heaps_more, ui->mx, ui->my)) {
        n = hs_heaps_more_lines(sc, v, lines, HS_TIP_LINES_MAX);
        at.r = sc->heaps_more;
    }
    for (uint32_t m = 0; n == 0 && m < sc->nbin_more; m++)
        if (hs_rect_has(sc->bin_more[m].r, ui->mx, ui->my)) {
            n = hs_bins_more_lines(sc, v, m, lines, HS_TIP_LINES_MAX);
            at.r = sc->bin_more[m].r;
        }
    if (n == 0) return false;
    tip_box(sc, ui, &at, false, lines, n, 0);
    return true;
}

void hs_draw_tooltip(hs_scene *sc, const hs_view *v, const hs_ui *ui)
{
    if (hs_draw_title_tip(sc, v, ui) || hs_draw_compare_tip(sc, v, ui) || hs_draw_smaps_tip(sc, v, ui) ||
        more_tip(sc, v, ui))
        return;
    hs_hit under;   /* what the pointer is over */
    const hs_hit *h = ui->mouse_in && hs_scene_hit(sc, ui->mx, ui->my, &under) ? &under : NULL;
    if (h && h->kind == HS_HIT_ARENA) {
        arena_tip(sc, v, ui, h);
        return;
    }
    bool pinned = false;
    hs_hit pin;   /* the chunk pinned, of its hit box (which may stand for a run) */
    if (!h && ui->follow_id != HS_NO_ID) {
        /* the followed id's chunk, wherever it is at this step */
        const hs_item *it = hs_view_find_id(v, ui->follow_id);
        uint8_t reg = it ? it->region : 0;
        uint64_t at = it ? it->addr : 0;
        bool found = it != NULL;
        /* freed: the free chunk it last was (in a bin, not merged away) */
        for (size_t i = 0; !found && i < v->snap.nheap; i++) {
            const hs_chunk_info *c = &v->snap.heap[i];
            if (c->state != HS_CH_INUSE && c->state != HS_CH_TOP &&
                hs_view_former_id(v, c->addr, c->size) == ui->follow_id)
                found = true, at = c->addr;
        }
        for (size_t i = 0; found && i < sc->nhits; i++)
            if (sc->hits[i].kind == HS_HIT_SPACE && hs_hit_covers(sc, &sc->hits[i], reg, at, &pin)) {
                h = &pin;
                pinned = true;
                break;
            }
        if (!h) {
            history_box(sc, v, ui->follow_id);
            return;
        }
    }
    if (!h && ui->has_sel) {
        for (size_t i = 0; i < sc->nhits; i++)
            if (hs_hit_covers(sc, &sc->hits[i], ui->sel_region, ui->sel_addr, &pin)) {
                h = &pin;
                pinned = true;
                break;
            }
    }
    if (!h) return;
    const hs_chunk_info *c = h->region == 0 ? (h->info < v->snap.nheap ? &v->snap.heap[h->info] : NULL)
                             : h->region == 2 ? hs_view_sel_chunk_at(v, h->addr)   /* the shown arena's */
                                            : (h->info < v->snap.nmm ? &v->snap.mm[h->info] : NULL);
    if (!c) return;
    /* highlight every box of this chunk */
    hs_hit box;
    for (size_t i = 0; i < sc->nhits; i++)
        if (hs_hit_covers(sc, &sc->hits[i], h->region, h->addr, &box))
            hs_dl_frame(&sc->dl, box.r, fmaxf(2, U(sc, 4)), HS_C_ALERT);
    char lines[26][HS_HISTORY_LINE];
    int n = 0;
    const char *nm = hs_id_name(v, c->id);
    bool former = false;
    uint32_t in = h->region == 2 ? v->arena : 0;   /* the heap of that arena (0: main) */
    if (!nm && h->region != 1 && c->state != HS_CH_TOP && c->state != HS_CH_INUSE) {
        nm = hs_id_name(v, hs_view_former_id_in(v, in, c->addr, c->size));
        former = nm != NULL;
    }
    char sz[32];
    hs_bytes_short(c->size, sz, sizeof sz);
    snprintf(lines[n++], sizeof lines[0], "chunk%s%s  (%s%s)", nm ? " " : "", nm ? nm : "",
             former ? "freed, now " : "", hs_state_name((int)c->state));
    uint64_t base = c->abs - c->addr;  /* the heap's start in the model's address space */
    if (h->region == 0)
        snprintf(lines[n++], sizeof lines[0], "address  0x%llx  (heap + 0x%llx)",
                 (unsigned long long)c->abs, (unsigned long long)c->addr);
    else if (h->region == 2)
        snprintf(lines[n++], sizeof lines[0], "address  0x%llx  (arena %u's heap + 0x%llx)",
                 (unsigned long long)c->abs, v->arena, (unsigned long long)c->addr);
    else
        snprintf(lines[n++], sizeof lines[0], "address  mmapped (0x%llx in the model)",
                 (unsigned long long)c->addr);
    /* the header words as glibc stores them, as pwndbg shows them */
    snprintf(lines[n++], sizeof lines[0], "prev_size  0x%llx", (unsigned long long)c->prev_size);
    snprintf(lines[n++], sizeof lines[0], "size  0x%llx  (%s%s%s%s%s)",
             (unsigned long long)(c->size | c->flags), sz, c->flags ? " |" : "",
             (c->flags & 1) ? " PREV_INUSE" : "", (c->flags & 2) ? " IS_MMAPPED" : "",
             (c->flags & 4) ? " NON_MAIN_ARENA" : "");
    if (c->state == HS_CH_INUSE || c->state == HS_CH_MMAPPED)
        snprintf(lines[n++], sizeof lines[0], "requested  %llu bytes", (unsigned long long)c->req);
    if (c->bin >= 0)
        snprintf(lines[n++], sizeof lines[0], "bin  %s [%d]", hs_state_name((int)c->state), c->bin);
    if (c->state == HS_CH_TCACHE || c->state == HS_CH_FASTBIN) {
        /* singly linked, safe-linked (glibc 2.32+): stored = (&fd >> 12) ^ next,
         * next a user pointer in tcache, a chunk pointer in fastbins */
        bool tc = c->state == HS_CH_TCACHE;
        snprintf(lines[n++], sizeof lines[0], "fd  0x%llx  (stored, mangled)",
                 (unsigned long long)c->fd_word);
        char to[96];
        if (c->fd == HS_NULL_PTR) snprintf(to, sizeof to, "NULL (last in its bin)");
        else {
            const hs_chunk_info *nx = h->region == 2 ? hs_view_sel_chunk_at(v, c->fd) : hs_heap_chunk_at(v, c->fd);
            const char *nn = nx ? hs_id_name(v, nx->id) : NULL;
            if (!nn && nx) nn = hs_id_name(v, hs_view_former_id_in(v, in, nx->addr, nx->size));
            snprintf(to, sizeof to, "0x%llx = %s of chunk heap + 0x%llx%s%s",
                     (unsigned long long)(base + c->fd + (tc ? 16 : 0)), tc ? "user ptr" : "start",
                     (unsigned long long)c->fd, nn ? " " : "", nn ? nn : "");
        }
        snprintf(lines[n++], sizeof lines[0], "  next %s", to);
        if (tc) {
            /* glibc 2.34+ draws tcache_key at random (tcache_key_initialize): the model's
             * value stands in for it; older ones store the tcache's own address */
            const hs_rules *rl = hs_rules_of(v->profile);
            snprintf(lines[n++], sizeof lines[0], "key  0x%llx  (%s)", (unsigned long long)c->bk_word,
                     rl && rl->tcache_key_random ? "tcache_key: random in each process; the model's stand-in"
                                                 : "the thread's tcache_perthread_struct: the double-free key");
        }
    } else if (c->state == HS_CH_UNSORTED || c->state == HS_CH_SMALL || c->state == HS_CH_LARGE) {
        char fd[64], bk[64];
        if (c->fd >> 62) snprintf(fd, sizeof fd, "&main_arena bin %llu (in libc)", (unsigned long long)(c->fd & 0xffff));
        else snprintf(fd, sizeof fd, "0x%llx (heap + 0x%llx)", (unsigned long long)(base + c->fd), (unsigned long long)c->fd);
        if (c->bk >> 62) snprintf(bk, sizeof bk, "&main_arena bin %llu (in libc)", (unsigned long long)(c->bk & 0xffff));
        else snprintf(bk, sizeof bk, "0x%llx (heap + 0x%llx)", (unsigned long long)(base + c->bk), (unsigned long long)c->bk);
        snprintf(lines[n++], sizeof lines[0], "fd  %s", fd);
        snprintf(lines[n++], sizeof lines[0], "bk  %s", bk);
        if (c->state == HS_CH_LARGE) {
            snprintf(lines[n++], sizeof lines[0], "fd_nextsize  0x%llx%s", (unsigned long long)c->fd_nextsize,
                     c->fd_nextsize ? "" : " (NULL: not the first of its size)");
            snprintf(lines[n++], sizeof lines[0], "bk_nextsize  0x%llx", (unsigned long long)c->bk_nextsize);
        }
    }
    if (h->region == 1)
        snprintf(lines[n++], sizeof lines[0], "resident pages  %llu", (unsigned long long)c->resident);
    /* its history: allocated at, freed at, the ops on its id */
    int hist = n;
    size_t since;
    uint32_t hid = hs_hit_lifetime(v, h, &since);
    n += hs_view_history_since(v, hid, since, lines + n, 24 - n);
    if (pinned)
        snprintf(lines[n++], sizeof lines[0], "%s", hid != HS_NO_ID
                 ? "(followed while stepping; . and , go to the ops on it; click elsewhere to clear)"
                 : "(selected: click elsewhere to clear)");
    tip_box(sc, ui, h, pinned, lines, n, hist);
}

/* The tooltip's box beside the pointer (pinned: beside hit h) with n lines,
 * the first bold, a rule above line hist (0: none).  Never fails. */
static void tip_box(hs_scene *sc, const hs_ui *ui, const hs_hit *h, bool pinned,
                    char (*lines)[HS_HISTORY_LINE], int n, int hist)
{
    int px = fpx(sc, 18), nl[HS_TIP_LINES_MAX];
    if (n > HS_TIP_LINES_MAX) n = HS_TIP_LINES_MAX;
    float w, hgt = lines_measure(sc, lines, n, hist, px, nl, &w);
    float x = (ui->mouse_in ? ui->mx : h->r.x + h->r.w) + U(sc, 18);
    float y = (ui->mouse_in ? ui->my : h->r.y) + U(sc, 18);
    if (pinned) x = h->r.x + h->r.w + U(sc, 18), y = h->r.y;
    if (x + w > sc->w) x = sc->w - w - U(sc, 4);
    /* never over the timeline's buttons */
    float ymax = sc->timeline.h > 0 ? sc->timeline.y : (float)sc->h;
    if (y + hgt > ymax) y = ymax - hgt - U(sc, 4);
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    lines_draw(sc, hs_rect_make(x, y, w, hgt), lines, n, hist, true, px, nl);
}

static void dim_all(hs_scene *sc)
{
    hs_dl_rect(&sc->dl, hs_rect_make(0, 0, (float)sc->w, (float)sc->h), hs_rgba(0, 0, 0, 0xa0));
}

void hs_draw_help(hs_scene *sc, const hs_view *v)
{
    dim_all(sc);
    int hpx = fpx(sc, 30), kpx = fpx(sc, 24), spx = fpx(sc, 20);
    float lh = kpx * 1.45f, slh = spx * 1.35f;
    int n = 0;
    while (hs_help_keys[n][0]) n++;
    /* what stepping costs: the checkpoints' memory and the longest replay */
    char cp[240], bs[32], bb[32];
    hs_bytes_short(hs_view_checkpoint_bytes(v), bs, sizeof bs);
    hs_bytes_short(hs_view_checkpoint_budget(v), bb, sizeof bb);
    if (v->cp_budget)
        snprintf(cp, sizeof cp, "Checkpoints: %s of %s (one every %zu steps%s), so a jump replays at most %zu ops.",
                 bs, bb, v->K, v->K2 ? ", finer near where you look" : "", v->K);
    else
        snprintf(cp, sizeof cp, "Checkpoints: none past step 0: a jump replays from the start.");
    static const char close_note[] =
        "Press H, ? or Esc to close.  Colours: Okabe-Ito; every free state also has its own pattern.";
    float w = fminf(sc->w - U(sc, 40), U(sc, 1250)), tw = w - U(sc, 72);
    int ncp = hs_dl_wrap_count(&sc->dl, tw, HS_FONT_SANS, spx, cp);
    int ncl = hs_dl_wrap_count(&sc->dl, tw, HS_FONT_SANS, spx, close_note);
    if (ncp < 1) ncp = 1;
    if (ncl < 1) ncl = 1;
    float fixed = hpx * 2.2f + U(sc, 50) + (ncp + ncl) * slh + kpx * 0.6f;
    float h = fixed + n * lh, maxh = sc->h - U(sc, 20);
    if (h > maxh) {   /* a short window: tighter lines, smaller type, nothing overlaps */
        lh = (maxh - fixed) / n;
        if (kpx > lh / 1.1f) kpx = (int)(lh / 1.1f);
        h = maxh;
    }
    hs_rect b = hs_rect_make((sc->w - w) / 2, (sc->h - h) / 2, w, h);
    hs_dl_rect(&sc->dl, b, HS_C_BG);
    hs_dl_frame(&sc->dl, b, fmaxf(2, U(sc, 4)), HS_C_FG);
    float x = b.x + U(sc, 36), y = b.y + U(sc, 24);
    hs_dl_text(&sc->dl, x, y, HS_FONT_BOLD, hpx, HS_C_FG, "Keys");
    y += hpx * 1.8f;
    for (int i = 0; i < n; i++) {
        hs_dl_text_fit(&sc->dl, x, y, U(sc, 290), HS_FONT_MONO_BOLD, kpx, HS_C_FG, hs_help_keys[i][0]);
        hs_dl_text_fit(&sc->dl, x + U(sc, 310), y, w - U(sc, 380), HS_FONT_SANS, kpx, HS_C_FG,
                       hs_help_keys[i][1]);
        y += lh;
    }
    float fy = b.y + b.h - kpx * 0.6f - (ncp + ncl) * slh;
    hs_dl_text_wrap(&sc->dl, x, fy, tw, slh, ncp, HS_FONT_SANS, spx, HS_C_DIM, cp);
    hs_dl_text_wrap(&sc->dl, x, fy + ncp * slh, tw, slh, ncl, HS_FONT_SANS, spx, HS_C_DIM, close_note);
}

void hs_draw_prompt(hs_scene *sc, const hs_ui *ui)
{
    dim_all(sc);
    int hpx = fpx(sc, 28), px = fpx(sc, 24);
    float w = fminf(sc->w - U(sc, 40), U(sc, 1300)), h = hpx * 1.5f + px * 5.2f;
    hs_rect b = hs_rect_make((sc->w - w) / 2, sc->h * 0.3f, w, h);
    hs_dl_rect(&sc->dl, b, HS_C_BG);
    hs_dl_frame(&sc->dl, b, fmaxf(2, U(sc, 4)), HS_C_FG);
    float x = b.x + U(sc, 24), y = b.y + U(sc, 16);
    bool find = ui->prompt_kind == 1;
    hs_dl_text(&sc->dl, x, y, HS_FONT_BOLD, hpx, HS_C_FG, find ? "Go to or find" : "Open a trace");
    y += hpx * 1.5f;
    hs_rect f = hs_rect_make(x, y, w - U(sc, 48), px * 1.6f);
    hs_dl_rect(&sc->dl, f, HS_C_TIP);
    hs_dl_frame(&sc->dl, f, fmaxf(2, U(sc, 2)), HS_C_FG);
    /* a long path scrolls so the cursor stays in sight */
    const char *s = ui->prompt_text;
    size_t n = strlen(s), cur = ui->prompt_cur > n ? n : ui->prompt_cur;
    float maxw = f.w - U(sc, 30);
    size_t from = 0;
    char pre[1024];
    for (;;) {
        memcpy(pre, s + from, cur - from);
        pre[cur - from] = '\0';
        if (from >= cur || hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, pre) <= maxw) break;
        from++;
        while (from < cur && ((unsigned char)s[from] & 0xC0) == 0x80) from++;
    }
    size_t len = n - from;
    char vis[1024];
    memcpy(vis, s + from, len + 1);
    while (len > 0 && hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, vis) > maxw) {
        while (len > 0 && ((unsigned char)vis[--len] & 0xC0) == 0x80) {}
        vis[len] = '\0';
    }
    hs_dl_marking(&sc->dl, true);  /* the field scrolls with the cursor */
    hs_dl_text(&sc->dl, f.x + U(sc, 10), f.y + px * 0.2f, HS_FONT_MONO, px, HS_C_FG, vis);
    hs_dl_marking(&sc->dl, false);
    float cw = hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, pre);
    hs_dl_rect(&sc->dl, hs_rect_make(f.x + U(sc, 10) + cw, f.y + px * 0.2f, fmaxf(2, U(sc, 3)), px * 1.2f),
               HS_C_FG);
    y += px * 2.1f;
    hs_dl_text_wrap(&sc->dl, x, y, w - U(sc, 48), fpx(sc, 20) * 1.2f, 2, HS_FONT_SANS, fpx(sc, 20), HS_C_DIM,
                    find ? "A step (1234), an id of the trace (followed: . and , go to its ops), an address "
                           "(0x5555...) or a heap offset (+0x320); Enter, Esc cancels."
                         : "Type a path and press Enter (Esc cancels).  You can also drop a file on the window.");
}

void hs_draw_banner(hs_scene *sc, const hs_ui *ui)
{
    int px = fpx(sc, 22), hpx = fpx(sc, 24);
    float w = sc->w - U(sc, 80);
    float lh = px * 1.3f;
    hs_rect b = hs_rect_make(U(sc, 40), sc->title.y + sc->title.h + U(sc, 16), w,
                             hpx * 1.5f + lh * 3 + U(sc, 44));
    int k = ui->banner_kind;
    bool open = k == HS_BANNER_OPEN_FAILED;
    hs_color edge = open || k == HS_BANNER_FAILED ? HS_C_ALERT : HS_C_FG;
    hs_dl_rect(&sc->dl, b, hs_rgba(0xff, 0xff, 0xff, 0xff));
    hs_dl_frame(&sc->dl, b, fmaxf(3, U(sc, 6)), edge);
    float x = b.x + U(sc, 24), y = b.y + U(sc, 14);
    hs_dl_text(&sc->dl, x, y, HS_FONT_BOLD, hpx, edge,
               open ? "\xE2\x9A\xA0 Could not open that trace"
               : k == HS_BANNER_FAILED ? "\xE2\x9A\xA0 Error"
               : k == HS_BANNER_NOT_FOUND ? "Not found" : "Note");
    y += hpx * 1.5f;
    hs_dl_text_wrap(&sc->dl, x, y, w - U(sc, 48), lh, 3, HS_FONT_MONO, px, HS_C_FG, ui->banner);
    hs_dl_text(&sc->dl, x, b.y + b.h - fpx(sc, 17) * 1.6f, HS_FONT_SANS, fpx(sc, 17), HS_C_DIM,
               open ? "Esc or a click closes this message; the trace that was open stays open."
                    : "Esc or a click closes this message.");
}

/* See panels.h. */
hs_rect hs_list_box(hs_scene *sc, float maxw)
{
    dim_all(sc);
    float w = fminf(sc->w - U(sc, 40), maxw), h = sc->h - U(sc, 60);
    hs_rect b = hs_rect_make((sc->w - w) / 2, (sc->h - h) / 2, w, h);
    hs_dl_rect(&sc->dl, b, HS_C_BG);
    hs_dl_frame(&sc->dl, b, fmaxf(2, U(sc, 4)), HS_C_FG);
    return b;
}

void hs_draw_lessons(hs_scene *sc, const hs_ui *ui)
{
    int hpx = fpx(sc, 28), px = fpx(sc, 20), spx = fpx(sc, 17);
    float lh = px * 1.5f;
    hs_rect b = hs_list_box(sc, U(sc, 1500));
    float w = b.w;
    float x = b.x + U(sc, 24), y = b.y + U(sc, 16);
    hs_dl_text_fit(&sc->dl, x, y, w - U(sc, 48), HS_FONT_BOLD, hpx, HS_C_FG,
                   "Lessons, in class order (docs/lessons.md)");
    y += hpx * 1.5f;
    hs_dl_text_fit(&sc->dl, x, y, w - U(sc, 48), HS_FONT_SANS, spx, HS_C_DIM,
                   "Up/Down choose, Enter or a click opens, Esc closes; Shift+L opens the next one");
    y += spx * 1.6f;
    float bottom = b.y + b.h - U(sc, 16) - spx * 1.4f;
    size_t n = ui->list_n, vis = (size_t)((bottom - y) / lh);
    if (vis < 1) vis = 1;
    size_t sel = ui->lesson_sel < n ? ui->lesson_sel : 0;
    size_t first = sel + 1 > vis ? sel + 1 - vis : 0;
    if (first + vis > n) first = n > vis ? n - vis : 0;
    sc->list_rows = hs_rect_make(x, y, w - U(sc, 48), (float)vis * lh);
    sc->list_rh = lh;
    sc->list_first = first;
    float nw = 0;
    for (size_t i = 0; i < n; i++)
        if (ui->list_names && ui->list_names[i])
            nw = fmaxf(nw, hs_dl_text_w(&sc->dl, HS_FONT_MONO, px, ui->list_names[i]));
    nw = fminf(nw, (w - U(sc, 48)) * 0.42f);
    char num[32];
    float numw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, "\xE2\x96\xB6 99.") + U(sc, 8);
    for (size_t i = first; i < n && i < first + vis; i++) {
        float ry = y + (float)(i - first) * lh;
        bool on = i == sel;
        if (on) hs_dl_rect(&sc->dl, hs_rect_make(x - U(sc, 8), ry, w - U(sc, 32), lh), HS_C_FG);
        hs_color ink = on ? HS_C_BG : HS_C_FG;
        snprintf(num, sizeof num, "%s%zu.", i == ui->list_cur ? "\xE2\x96\xB6 " : "", i + 1);
        float tw = hs_dl_text_w(&sc->dl, HS_FONT_BOLD, px, num);
        hs_dl_text(&sc->dl, x + numw - U(sc, 8) - tw, ry + lh * 0.15f, HS_FONT_BOLD, px, ink, num);
        const char *nm = ui->list_names && ui->list_names[i] ? ui->list_names[i] : "?";
        hs_dl_text_fit(&sc->dl, x + numw, ry + lh * 0.15f, nw, HS_FONT_MONO, px, ink, nm);
        const char *t = ui->list_titles && ui->list_titles[i] ? ui->list_titles[i] : "";
        float tx = x + numw + nw + U(sc, 20);
        hs_dl_text_fit(&sc->dl, tx, ry + lh * 0.15f, b.x + b.w - U(sc, 24) - tx, HS_FONT_SANS, px, ink, t);
    }
    /* what is out of sight, said */
    char more[96];
    if (first || first + vis < n) {
        snprintf(more, sizeof more, "%s%zu above, %zu below (Up/Down, PgUp/PgDn)",
                 "\xE2\x96\xBC ", first, n - (first + vis < n ? first + vis : n));
        hs_dl_text_fit(&sc->dl, x, bottom + U(sc, 2), w - U(sc, 48), HS_FONT_BOLD, spx, HS_C_ALERT, more);
    }
    if (n == 0)
        hs_dl_text(&sc->dl, x, y, HS_FONT_SANS, px, HS_C_FG, "no lessons");
}
