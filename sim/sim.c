/* sim/sim.c — the model's lifecycle and stepping: hs_sim_new/clone/free and hs_sim_apply.
 * Owns: malloc_init_state and mp_'s defaults, the trace's slots, turning one hs_op into calls and one hs_step. */
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "measure.h"

/* See sim.h; also accepts "glibc".  -1 for NULL or an unknown name. */
int hs_profile_from_name(const char *name)
{
    if (!name)
        return -1;
    if (strcmp (name, "glibc-2.36") == 0 || strcmp (name, "glibc") == 0)
        return HS_PROFILE_GLIBC_2_36;
    if (strcmp (name, "textbook") == 0)
        return HS_PROFILE_TEXTBOOK;
    if (strcmp (name, "glibc-2.31") == 0)
        return HS_PROFILE_GLIBC_2_31;
    if (strcmp (name, "glibc-2.41") == 0)
        return HS_PROFILE_GLIBC_2_41;
    return -1;
}

/* See sim.h; never fails. */
const char *hs_profile_name(hs_profile p)
{
    switch (p) {
    case HS_PROFILE_TEXTBOOK:   return "textbook";
    case HS_PROFILE_GLIBC_2_31: return "glibc-2.31";
    case HS_PROFILE_GLIBC_2_41: return "glibc-2.41";
    default:                    return "glibc-2.36";
    }
}

/* See sim.h; -1 for NULL, a malformed or an unmodelled version. */
int hs_profile_from_version(const char *version)
{
    if (!version)
        return -1;
    if (strncmp (version, "glibc-", 6) == 0)
        version += 6;
    static const struct { const char *v; hs_profile p; } known[] = {
        {"2.31", HS_PROFILE_GLIBC_2_31}, {"2.36", HS_PROFILE_GLIBC_2_36},
        {"2.41", HS_PROFILE_GLIBC_2_41},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t n = strlen (known[i].v);
        if (strncmp (version, known[i].v, n) == 0 && (version[n] == 0 || version[n] == '.'))
            return (int)known[i].p;
    }
    return -1;
}

/* See sim.h; never fails. */
const char *hs_profile_version(hs_profile p)
{
    return hs_rules_of (p)->version;
}

/* See sim.h; never fails. */
bool hs_profile_has_mallinfo2(hs_profile p)
{
    return hs_rules_of (p)->mallinfo2;
}

/* Stops the op being applied with glibc's message: malloc_printerr
 * (malloc.c:5658) prints it and aborts.  Does not return. */
_Noreturn void hs_printerr(hs_sim *s, const char *msg)
{
    size_t n = strlen (msg);
    if (n >= sizeof s->error)
        n = sizeof s->error - 1;
    memcpy (s->error, msg, n);
    s->error[n] = 0;
    hs_emit (s, HS_EV_ABORT, 0, 0, 0, 0);
    HS_LONGJMP (*s->jb);
}

/* See heap.h: the version rule, then hs_printerr.  Does not return. */
_Noreturn void hs_printerr_rule(hs_sim *s, int rule, const char *msg)
{
    hs_emit (s, HS_EV_VERSION_RULE, (uint64_t)rule, 0, 0, 0);
    hs_printerr (s, msg);
}

/* An access to memory nothing maps: the process dies of SIGSEGV.  Does not
 * return. */
_Noreturn void hs_segv(hs_sim *s)
{
    strcpy (s->error, "Segmentation fault");
    hs_emit (s, HS_EV_SEGV, 0, 0, 0, 0);
    HS_LONGJMP (*s->jb);
}

/* The model's own bookkeeping could not grow.  Does not return. */
_Noreturn void hs_oom(hs_sim *s)
{
    strcpy (s->error, "heapsim: model out of memory");
    HS_LONGJMP (*s->jb);
}

/* ptmalloc_init + malloc_init_state (malloc.c:1954) + mp_'s initializer
 * (1929): every bin empty and circular, max_fast 128, top = initial_top. */
static void init_state(hs_sim *s)
{
    s->top_pad = DEFAULT_TOP_PAD;
    s->n_mmaps_max = DEFAULT_MMAP_MAX;
    s->mmap_threshold = DEFAULT_MMAP_THRESHOLD;
    s->trim_threshold = DEFAULT_TRIM_THRESHOLD;
    s->arena_test = 8;                       /* NARENAS_FROM_NCORES (1) */
    s->tcache_count = TCACHE_FILL_COUNT;
    s->tcache_bins = TCACHE_MAX_BINS;
    s->tcache_max_bytes = MAX_TCACHE_SIZE;
    s->tcache_unsorted_limit = 0;
    for (int i = 1; i < NBINS; i++)
        BIN_FD (s, i) = BIN_BK (s, i) = bin_at (i);
    s->global_max_fast = DEFAULT_MXFAST;     /* set_max_fast (DEFAULT_MXFAST) */
    s->have_fastchunks = 0;
    TOP (s) = bin_at (1);                    /* initial_top */
    s->heap_base = HS_HEAP_BASE;
    s->mmap_top = HS_MMAP_TOP;
    s->commit_max = UINT64_MAX;
    s->lim.as_max = s->lim.data_max = UINT64_MAX;
    s->own_map = UINT32_MAX;
}

/* A new heap; NULL when out of memory. */
hs_sim *hs_sim_new(hs_profile profile, uint32_t nslots)
{
    hs_sim *s = calloc (1, sizeof *s);
    if (!s)
        return NULL;
    s->profile = profile;
    s->rules = hs_rules_of (profile);
    s->hook_ini = s->rules->malloc_hook_ini;
    s->nslots = nslots;
    s->slot_mem = calloc (nslots ? nslots : 1, sizeof *s->slot_mem);
    s->slot_req = calloc (nslots ? nslots : 1, sizeof *s->slot_req);
    s->ev = malloc (64 * sizeof *s->ev);
    s->ev_at = s->ev;
    s->ev_end = s->ev ? s->ev + 64 : NULL;
    if (!s->slot_mem || !s->slot_req || !s->ev) {
        hs_sim_free (s);
        return NULL;
    }
    s->explain = true;
    s->cur_id = HS_NO_ID;
    s->plain_measures = s->rules->mallinfo2;   /* (before 2.33: mallinfo's int fields) */
    init_state (s);
    if (hs_arena_setup (s) < 0) {
        hs_sim_free (s);
        return NULL;
    }
    if (profile == HS_PROFILE_TEXTBOOK)
        hs_textbook_setup (s);
    return s;
}

/* Frees what the heap's arrays own (heap regions, the mappings' page
 * vectors) and the arrays; entries may be NULL.  Never fails. */
static void free_arrays(hs_sim *s)
{
    hs_arena_free (s);
    hs_mem_release (&s->mem);
    if (s->maps)
        for (uint32_t i = 0; i < s->n_maps; i++)
            hs_pv_free (&s->maps[i].pv);
    free (s->maps);
    free (s->live);
    free (s->by_addr);
    free (s->free_maps);
    free (s->slot_mem);
    free (s->slot_req);
    free (s->ev);
}

/* Frees the heap and everything it owns; NULL is fine. */
void hs_sim_free(hs_sim *s)
{
    if (!s)
        return;
    free_arrays (s);
    free (s);
}

/* Duplicates n bytes, or NULL for n == 0 / no source; *ok cleared when out
 * of memory. */
static void *dup_mem(const void *src, size_t n, bool *ok)
{
    if (!src || n == 0)
        return NULL;
    void *d = malloc (n);
    if (!d) {
        *ok = false;
        return NULL;
    }
    memcpy (d, src, n);
    return d;
}

/* A deep copy; its memory follows the heap's resident pages and the
 * mappings' touched pages, not the break.  With spare, the loaded heap's
 * page buffers come from spare's where it has them, copied last (after
 * everything that can fail).  NULL when out of memory, spare untouched. */
static hs_sim *clone_sim(const hs_sim *s, hs_sim *spare)
{
    hs_sim *c = malloc (sizeof *c);
    if (!c)
        return NULL;
    *c = *s;
    c->jb = NULL;
    memset (&c->mem, 0, sizeof c->mem);      /* copied last, below */
    bool ok = true;
    c->maps = dup_mem (s->maps, s->maps_cap * sizeof *s->maps, &ok);
    c->live = dup_mem (s->live, s->live_cap * sizeof *s->live, &ok);
    c->by_addr = dup_mem (s->by_addr, s->live_cap * sizeof *s->by_addr, &ok);
    c->free_maps = dup_mem (s->free_maps, s->maps_cap * sizeof *s->free_maps, &ok);
    c->slot_mem = dup_mem (s->slot_mem, (s->nslots ? s->nslots : 1) * sizeof *s->slot_mem, &ok);
    c->slot_req = dup_mem (s->slot_req, (s->nslots ? s->nslots : 1) * sizeof *s->slot_req, &ok);
    c->ev = dup_mem (s->ev, (size_t)(s->ev_end - s->ev) * sizeof *s->ev, &ok);
    c->ev_at = c->ev ? c->ev + (s->ev_at - s->ev) : NULL;   /* the copy's own buffer */
    c->ev_end = c->ev ? c->ev + (s->ev_end - s->ev) : NULL;
    if (c->maps) {
        for (uint32_t i = 0; i < s->n_maps; i++)
            c->maps[i].pv = (hs_pvec){ NULL, 0 };
        for (uint32_t i = 0; i < s->n_maps && ok; i++)
            if (hs_pv_dup (&c->maps[i].pv, &s->maps[i].pv))
                ok = false;
    }
    c->ar = NULL;                /* hs_arena_clone's, or nothing to free */
    c->th = NULL;
    c->xh = NULL;
    if (ok && hs_arena_clone (c, s) < 0)
        ok = false;
    if (ok && c->slot_mem && c->slot_req && c->ev)
        ok = (spare ? hs_mem_dup_reusing (&c->mem, &s->mem, &spare->mem)
                    : hs_mem_dup (&c->mem, &s->mem)) == 0;
    if (!ok || !c->slot_mem || !c->slot_req || !c->ev) {
        free_arrays (c);
        free (c);
        return NULL;
    }
    return c;
}

/* See sim.h. */
hs_sim *hs_sim_clone(const hs_sim *s)
{
    return clone_sim (s, NULL);
}

/* See sim.h. */
hs_sim *hs_sim_clone_reusing(const hs_sim *s, hs_sim *spare)
{
    return clone_sim (s, spare);
}

/* See sim.h: -1 after the first op or for unaligned or overlapping bases. */
int hs_sim_set_bases(hs_sim *s, uint64_t brk0, uint64_t mmap_top)
{
    if (s->steps || (brk0 & (HS_PAGE - 1)) || (mmap_top & (HS_PAGE - 1)) || brk0 == 0
        || IS_BIN_ADDR (brk0) || mmap_top <= HS_MMAP_FLOOR || brk0 >= HS_MMAP_FLOOR)
        return -1;
    s->heap_base = brk0;
    s->mmap_top = mmap_top;
    return 0;
}

/* See sim.h: -1 after the first op, for too many ranges or a bad one. */
int hs_sim_set_foreign(hs_sim *s, const uint64_t (*ranges)[2], size_t n)
{
    if (s->steps || n > HS_MAX_FOREIGN)
        return -1;
    uint64_t r[HS_MAX_FOREIGN][2];
    for (size_t i = 0; i < n; i++) {
        if (ranges[i][0] >= ranges[i][1] || ((ranges[i][0] | ranges[i][1]) & (HS_PAGE - 1)))
            return -1;
        /* insertion sort by start */
        size_t k = i;
        while (k > 0 && r[k - 1][0] > ranges[i][0]) {
            r[k][0] = r[k - 1][0];
            r[k][1] = r[k - 1][1];
            k--;
        }
        r[k][0] = ranges[i][0];
        r[k][1] = ranges[i][1];
    }
    for (size_t i = 1; i < n; i++)
        if (r[i][0] < r[i - 1][1])
            return -1;
    memcpy (s->foreign, r, n * sizeof r[0]);
    s->n_foreign = (uint32_t)n;
    return 0;
}

/* See sim.h: -1 after the first op. */
int hs_sim_set_commit_limit(hs_sim *s, uint64_t bytes)
{
    if (s->steps)
        return -1;
    s->commit_max = bytes;
    return 0;
}

/* See sim.h; turning it off also forgets the last op's events.  Never fails. */
void hs_sim_set_explain(hs_sim *s, bool on)
{
    s->explain = on;
    if (!on)
        s->ev_at = s->ev;
}

/* Header words of the chunk returned at mem, read without any page effect
 * (the model's bookkeeping must not fault pages the program did not). */
static inline uint64_t peek_size(hs_sim *s, uint64_t mem)
{
    uint64_t p = mem2chunk (mem), off = HOFF (s, p) + 8;
    if (HS_WORD_AT (off) < s->brk_w && HPAGE (s, off >> HS_PAGE_SHIFT)) {
        uint64_t v;
        memcpy (&v, HPAGE (s, off >> HS_PAGE_SHIFT) + (off & (HS_PAGE - 1)), 8);
        return v;
    }
    return hs_peek (s, p, 1);
}

/* Binds slot id to the result of an allocating call and tags the chunk;
 * fills the result fields of the step. */
HS_ALWAYS_INLINE
static inline void bind_result(hs_sim *s, uint32_t id, uint64_t mem, uint64_t req, hs_step *out)
{
    if (id < s->nslots) {
        s->slot_mem[id] = mem;
        s->slot_req[id] = req;
    }
    if (mem == 0) {
        hs_emit (s, HS_EV_RESULT_NULL, 0, 0, 0, 0);
        return;
    }
    /* the main heap, loaded, its size word on a written page (most
     * results): what the general case below works out, with EVOFF of the
     * chunk being its heap offset; the size word read as peek_size reads it */
    const uint8_t *head = s->cur_ar == 0 ? hs_word_ptr (s, mem2chunk (mem), 1) : NULL;
    uint64_t sz = IS_MMAPPED;
    if (head)
        memcpy (&sz, head, 8);
    if (!(sz & IS_MMAPPED)) {
        uint64_t off = HOFF (s, mem);
        out->has |= HS_HAS_MMAPPED | HS_HAS_CHUNK | HS_HAS_PTR | HS_HAS_ARENA;
        out->chunk = sz & ~SIZE_BITS;
        out->mmapped = 0;
        out->arena = 0;
        out->ptr = off;
        set_tag (s, mem2chunk (mem), TAG (HS_CH_INUSE, id));
        hs_emit (s, HS_EV_RESULT, off - CHUNK_HDR_SZ, out->chunk, 0, 0);
        return;
    }
    sz = peek_size (s, mem);
    out->has |= HS_HAS_MMAPPED | HS_HAS_CHUNK;
    out->chunk = sz & ~SIZE_BITS;
    out->mmapped = (sz & IS_MMAPPED) != 0;
    if (!out->mmapped) {
        /* which arena's heap: the loaded one, or another (a tcache chunk of
         * this thread may come from any arena) */
        int k = HOFF (s, mem) < s->brk ? (int)s->cur_ar : hs_region_other (s, mem);
        if (k > 0)
            k = (int)hs_region_arena (s, (uint32_t)k);
        out->has |= HS_HAS_PTR | HS_HAS_ARENA;
        out->arena = k < 0 ? 0 : (uint32_t)k;
        out->ptr = k > 0 ? mem & (HEAP_MAX_SIZE - 1) : mem - s->ar[0].mem.heap_base;
        if (k == 0 && s->cur_ar == 0)
            out->ptr = HOFF (s, mem);
        if (k > 0 && !(sz & NON_MAIN_ARENA))   /* set_non_main_arena: what av != &main_arena adds */
            RMW (s, mem2chunk (mem), 1, NON_MAIN_ARENA, ~UINT64_C(0));
        set_tag (s, mem2chunk (mem), TAG (HS_CH_INUSE, id));
    } else {
        hs_map *m = hs_map_find (s, mem2chunk (mem));
        if (m) {
            m->slot = id;
            m->req = req;
        }
    }
    hs_emit (s, HS_EV_RESULT, out->mmapped ? 0 : EVOFF (s, mem2chunk (mem)), out->chunk,
             out->mmapped, 0);
}

/* A failed realloc leaves the old chunk in use but no longer named by the
 * program (p = realloc (p, n) lost it): the walk shows it without a slot.
 * (Frees need nothing: every chunk start gets a fresh tag when it is binned,
 * cached or handed out again.) */
static void orphan(hs_sim *s, uint64_t mem)
{
    if (mem == 0)
        return;
    uint64_t p = mem2chunk (mem), off = HOFF (s, p);
    hs_map *m = off < s->brk ? NULL : hs_map_find (s, p);
    if (m)
        m->slot = HS_NO_ID;
    else if (TAG_STATE (get_tag (s, off)) == HS_CH_INUSE)   /* any arena's heap */
        set_tag (s, p, TAG (HS_CH_INUSE, HS_NO_ID));
}

/* The program writes len bytes at mem (memset (p, 1, len)). */
HS_ALWAYS_INLINE
static inline void touch(hs_sim *s, uint64_t mem, uint64_t len)
{
    if (mem == 0 || len == 0)
        return;
    uint64_t f0 = s->minflt;
    hs_mem_fill (s, mem, len, 1);
    hs_emit (s, HS_EV_TOUCH, len, s->minflt - f0, 0, 0);
}

/* What the measures would have changed in the model had they been taken
 * (hs_sim_advance skips them): a list walk that fails once makes every
 * later step say mallinfo null (mi_hung), so it is still done when the lists
 * are suspect; the arenas' walks (hs_arena_measures) change nothing but
 * which arena is loaded.  Never fails. */
static void measure_effects(hs_sim *s)
{
    hs_mallinfo mi;
    if (s->mi_suspect && !s->mi_hung && !step_mallinfo (s, &mi))
        s->mi_hung = true;
}

/* The slot of trace id id, NULL for an id past them (HS_NO_ID).  Never fails. */
static inline uint64_t *op_slot(hs_sim *s, uint32_t id)
{
    return id < s->nslots ? &s->slot_mem[id] : NULL;
}

/* The step of an op on a dead heap, or of the op glibc aborted: its number
 * and glibc's message, nothing else.  Returns 1 (apply's answer then). */
HS_COLD
static int step_error(const hs_sim *s, hs_step *out)
{
    memset (out, 0, offsetof (hs_step, error));
    out->step = (uint32_t)s->steps;
    out->has = HS_HAS_ERROR;
    memcpy (out->error, s->error, sizeof out->error);
    return 1;
}

/* The op itself, once hs_sim_run has set the jump buffer: the calls, the
 * result, the touches, the measures and the closing events.  Inline in
 * run_ops, not in hs_sim_run, so that the registers it uses are not spilled
 * around the setjmp (GCC keeps every value live across __builtin_setjmp in
 * memory).  glibc's aborts and SIGSEGV leave it through the jump buffer. */
HS_ALWAYS_INLINE
static inline void apply_op(hs_sim *s, const hs_op *op, hs_step *out, bool measures)
{
    /* every field the step has is written below (no memset: this is the
     * per-op path of a million-op run) */
    out->step = (uint32_t)s->steps;
    out->has = 0;
    out->ptr = 0;
    out->mmapped = 0;
    out->chunk = 0;
    out->error[0] = 0;
    uint64_t f0 = s->minflt;
    s->cur_id = op->id;
    s->foreign_av = false;
    if (op->thread != s->cur_th)
        hs_thread_enter (s, op->thread);  /* its tcache; its arena when it needs one */
    uint64_t mem;
    switch (op->kind) {
    case HS_OP_MALLOC:
        hs_emit (s, HS_EV_REQUEST, op->size,
                 op->size > PTRDIFF_MAX_U ? 0 : request2size (op->size), 0, 0);
        mem = libc_malloc (s, op->size);
        bind_result (s, op->id, mem, op->size, out);
        if (mem)
            touch (s, mem, op->touch);
        break;
    case HS_OP_CALLOC: {
        bool overflow;
        mem = hs_libc_calloc (s, op->arg, op->size, &overflow);
        bind_result (s, op->id, mem, overflow ? 0 : op->arg * op->size, out);
        if (mem)
            touch (s, mem, op->touch);
        break;
    }
    case HS_OP_REALLOC: {
        uint64_t *slot = op_slot (s, op->id);
        uint64_t old = slot ? *slot : 0;
        mem = hs_libc_realloc (s, old, op->size);
        if (mem == 0 && op->size == 0 && old != 0) {
            if (slot)                          /* freed: the id holds NULL */
                *slot = 0;
            hs_emit (s, HS_EV_RESULT_NULL, 0, 0, 0, 0);
        } else {
            if (mem == 0)
                orphan (s, old);
            bind_result (s, op->id, mem, op->size, out);
        }
        if (mem)
            touch (s, mem, op->touch);
        break;
    }
    case HS_OP_MEMALIGN:
        mem = hs_libc_memalign (s, op->arg, op->size);
        bind_result (s, op->id, mem, op->size, out);
        if (mem)
            touch (s, mem, op->touch);
        break;
    case HS_OP_FREE: {
        uint64_t *slot = op_slot (s, op->id);
        if (slot)
            libc_free (s, *slot);
        break;
    }
    case HS_OP_TOUCH: {
        uint64_t *slot = op_slot (s, op->id);
        if (slot && *slot) {
            uint64_t off = HOFF (s, mem2chunk (*slot));
            if (off < s->brk && get_tag (s, off) != TAG (HS_CH_INUSE, op->id))
                hs_mi_suspect (s);          /* use after free: glibc's lists may be hit */
            touch (s, *slot + op->arg, op->size);
        }
        break;
    }
    case HS_OP_WRITE: {
        uint64_t *slot = op_slot (s, op->id);
        /* the program's own store; into a freed chunk it may break glibc's lists */
        if (slot && *slot) {
            uint64_t off = HOFF (s, mem2chunk (*slot)), fl = s->minflt;
            if ((off >= s->brk && hs_region_other (s, *slot) < 0)
                || get_tag (s, off) != TAG (HS_CH_INUSE, op->id))
                hs_mi_suspect (s);
            uint64_t v = (uint64_t)op->value;
            if (op->size != 0)      /* value_of: that id's pointer, as the program holds it */
                v = op->size - 1 < s->nslots ? s->slot_mem[op->size - 1] : 0;
            W (s, *slot + op->arg, 0, v);
            hs_emit (s, HS_EV_TOUCH, 8, s->minflt - fl, 0, 0);
        }
        break;
    }
    case HS_OP_MADVISE: {
        uint64_t *slot = op_slot (s, op->id);
        if (slot && *slot)
            hs_sys_madvise (s, *slot + op->arg, op->size, op->param);
        break;
    }
    case HS_OP_MALLOPT:
        hs_libc_mallopt (s, op->param, (int)(int32_t)(uint32_t)(uint64_t)op->value);
        break;
    case HS_OP_MALLOC_TRIM:
        hs_malloc_trim (s, op->size);
        break;
    case HS_OP_THREAD_EXIT:
        if (op->thread != 0)
            hs_thread_exit (s);
        break;
    default:
        break;
    }
    s->jb = NULL;
    s->cur_id = HS_NO_ID;
    if ((s->cur_ar | s->cur_th) != 0)   /* either not the main one */
        hs_arena_home (s);
    if (measures)
        step_measures (s, out);
    else
        measure_effects (s);
    if (s->explain) {
        uint64_t n, bytes, pages;
        if (!measures)
            program_maps (s, &n, &bytes, &pages);
        hs_emit_ (s, HS_EV_PAGES, s->minflt - f0, measures ? out->rss : resident_bytes (s, pages), 0, 0);
    }
}

/* ops[s->run_at ..) of hs_sim_run, under its jump buffer jb: each op's step
 * into out, then to sink.  Returns how many of ops[0 .. n) are applied when
 * it ends (n, or one past the op after which sink said stop); an abort
 * leaves it through jb with s->run_at the op that aborted. */
HS_NOINLINE
static size_t run_ops(hs_sim *s, const hs_op *ops, size_t n, bool measures, hs_step *out,
                      hs_step_sink sink, void *ctx, hs_jmp_buf *jb)
{
    for (size_t i = s->run_at; i < n; i++) {
        s->run_at = i;
        s->ev_at = s->ev;
        ++s->steps;
        if (s->dead) {
            hs_emit (s, HS_EV_DEAD, 0, 0, 0, 0);
            step_error (s, out);
        } else {
            s->jb = jb;
            apply_op (s, &ops[i], out, measures);
        }
        if (sink && sink (ctx, i, out))
            return i + 1;
    }
    return n;
}

/* See sim.h.  The jump buffer catches glibc's aborts (hs_printerr), SIGSEGV
 * (hs_segv) and the model's own out-of-memory: the op's step is then the
 * error, and the ops after it are a dead heap's. */
size_t hs_sim_run(hs_sim *s, const hs_op *ops, size_t n, bool measures, hs_step *out,
                  hs_step_sink sink, void *ctx)
{
    hs_step scratch;
    if (!out)
        out = &scratch;
    s->run_at = 0;
    hs_jmp_buf jb;
    if (HS_SETJMP (jb)) {
        /* op s->run_at aborted (only s's fields are trusted after the jump) */
        s->dead = true;
        s->jb = NULL;
        hs_arena_home (s);
        step_error (s, out);
        if (sink && sink (ctx, s->run_at, out))
            return s->run_at + 1;
        s->run_at++;
    }
    return run_ops (s, ops, n, measures, out, sink, ctx, &jb);
}

/* See sim.h. */
int hs_sim_apply(hs_sim *s, const hs_op *op, hs_step *out)
{
    hs_sim_run (s, op, 1, true, out, NULL, NULL);
    return (out->has & HS_HAS_ERROR) != 0;
}

/* See sim.h: hs_sim_run without measures; a NULL out gets a scratch step. */
int hs_sim_advance(hs_sim *s, const hs_op *op, hs_step *out)
{
    hs_step scratch;
    if (!out)
        out = &scratch;
    hs_sim_run (s, op, 1, false, out, NULL, NULL);
    return (out->has & HS_HAS_ERROR) != 0;
}

/* See sim.h: hs_step_measures of the state now.  Never fails. */
void hs_sim_measure(hs_sim *s, hs_step *out)
{
    out->has &= ~(uint32_t)(HS_HAS_MEASURES | HS_HAS_THRESH | HS_HAS_MALLINFO | HS_HAS_ARENAS);
    if (!s->dead)
        hs_step_measures (s, out);
}
