/* real/real.c — hs_real_run: replays a trace against this machine's glibc in a fresh process.
 * Owns: the protocol loop (hello, steps, page runs, stderr, the timeout lease) and the verdict; spawning is real/spawn.c's. */
#define _GNU_SOURCE 1

#include "real/real.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <assert.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "real/spawn.h"
#include "real/wire.h"

#define DEFAULT_TIMEOUT_S 60.0
#define ERR_TAIL 4096          /* the last bytes of the child's stderr that we keep */

/* Checks the trace's threads (see real/wire.h): how many, and thread_exit
 * only of a thread, which then has no more ops.  -1 with msg on the first
 * bad op. */
static int check_threads(run *r, const hs_trace *t)
{
    /* hs_op.thread: the loader's numbering (sim/op.h), checked there too */
    int rc = 0;
    uint8_t *gone = calloc((size_t)HS_WIRE_MAX_THREADS + 2, 1);
    if (!gone)
        return hs_run_fail(r, "out of memory for the trace's threads");
    for (size_t i = 0; rc == 0 && i < t->n_ops; i++) {
        uint32_t k = t->ops[i].thread;
        if (k > HS_WIRE_MAX_THREADS)
            rc = hs_run_fail(r, "op %zu: the trace has more than %u threads besides the main one, "
                             "more than the replayer runs", i + 1, (unsigned)HS_WIRE_MAX_THREADS);
        else if (t->ops[i].kind == HS_OP_THREAD_EXIT && k == 0)
            rc = hs_run_fail(r, "op %zu: thread_exit of the main thread", i + 1);
        else if (gone[k])
            rc = hs_run_fail(r, "op %zu: an op of thread %s after its thread_exit", i + 1,
                             t->op_thread ? hs_trace_str(t, t->op_thread[i]) : "?");
        else if (t->ops[i].kind == HS_OP_THREAD_EXIT)
            gone[k] = 1;
    }
    free(gone);
    return rc;
}

/* Checks that every op can go on the wire; on a bad op returns -1 with msg. */
static int check_trace(run *r, const hs_trace *t)
{
    if (!t)
        return hs_run_fail(r, "no trace given");
    if (t->n_ops && !t->ops)
        return hs_run_fail(r, "trace has %zu ops but no op array", t->n_ops);
    if (t->n_ops >= UINT32_MAX)
        return hs_run_fail(r, "trace has too many ops (%zu) for one replay", t->n_ops);
    for (size_t i = 0; i < t->n_ops; i++) {
        const hs_op *op = &t->ops[i];
        if (op->kind >= HS_OP_KIND_COUNT)
            return hs_run_fail(r, "op %zu: unknown op kind %u", i + 1, (unsigned)op->kind);
        if (op->kind == HS_OP_MALLOPT) {
            if (op->param >= HS_PARAM_COUNT)
                return hs_run_fail(r, "op %zu: unknown mallopt param %u", i + 1, (unsigned)op->param);
            if (op->value < INT_MIN || op->value > INT_MAX)
                return hs_run_fail(r, "op %zu: mallopt value %lld does not fit in an int", i + 1,
                            (long long)op->value);
        } else if (op->kind != HS_OP_MALLOC_TRIM && op->kind != HS_OP_THREAD_EXIT &&
                   op->id >= t->n_ids) {
            return hs_run_fail(r, "op %zu: id slot %u out of range (trace has %u ids)", i + 1,
                        (unsigned)op->id, (unsigned)t->n_ids);
        }
    }
    return check_threads(r, t);
}





/* The last non-empty line of buf (len bytes) into out, without its newline,
 * truncated to outlen - 1 bytes; "" when there is none.  Cannot fail. */
static void last_line(const char *buf, size_t len, char *out, size_t outlen)
{
    size_t end = len;
    for (;;) {
        while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r' ||
                           buf[end - 1] == ' ' || buf[end - 1] == '\t'))
            end--;
        size_t start = end;
        while (start > 0 && buf[start - 1] != '\n')
            start--;
        if (end > start || start == 0) {
            size_t n = end - start;
            if (n >= outlen)
                n = outlen - 1;
            memcpy(out, buf + start, n);
            out[n] = '\0';
            return;
        }
        end = start;
    }
}

/* A step's start from a wire record, measured or not: cleared, its number,
 * has, and what its op returned (mmapped, chunk, and ptr for a chunk in a
 * heap).  Cannot fail. */
static void result_to_step(uint32_t step, uint32_t flags, uint64_t chunk, uint64_t ptr, uint32_t has,
                           hs_step *st)
{
    memset(st, 0, offsetof(hs_step, arenas));   /* arenas[]: only the n_arenas first are read */
    st->error[0] = '\0';
    st->step = step;
    st->has = has;
    if (flags & HS_WIRE_RESULT) {
        st->has |= HS_HAS_MMAPPED | HS_HAS_CHUNK;
        st->mmapped = (flags & HS_WIRE_MMAPPED) != 0;
        st->chunk = chunk;
        if (flags & (HS_WIRE_HEAP | HS_WIRE_NON_MAIN)) {
            st->has |= HS_HAS_PTR;
            st->ptr = ptr;
        }
    }
}

/* Converts one wire record into the contract's step: thresholds are null
 * (the replayer cannot read them), ptr only for heap chunks, mallinfo only
 * when the replayer could measure it (HS_HAS_MALLINFO: a heap corrupted
 * without glibc noticing may make mallinfo2 loop or crash, and that
 * measurement is contained; the other measures stay).  Cannot fail. */
static void to_step(const hs_wire_step *w, int rss_anon_ok, hs_step *st)
{
    result_to_step(w->step, w->flags, w->chunk, w->ptr, HS_HAS_MEASURES, st);
    if (rss_anon_ok) {
        st->has |= HS_HAS_RSS_ANON;
        st->rss_anon = w->rss_anon;
    }
    st->brk = w->brk;
    st->mmaps = w->mmaps;
    st->mmapped_bytes = w->mmapped_bytes;
    st->rss = w->rss;
    st->minflt = w->minflt;
    /* a trace with threads: the arena of the returned chunk and each arena's
     * figures (sim/step.h), for every caller's comparison alike */
    if (w->flags & HS_WIRE_ARENA) {
        st->has |= HS_HAS_ARENA;
        st->arena = w->arena;
    }
    if ((w->flags & HS_WIRE_ARENAS) && !(w->flags & HS_WIRE_ARENAS_CUT)) {
        st->has |= HS_HAS_ARENAS;
        st->n_arenas = w->n_arenas;
        for (uint32_t k = 0; k < w->n_arenas && k < HS_STEP_ARENAS_MAX && k < HS_WIRE_MAX_ARENAS; k++) {
            st->arenas[k].system = w->arenas[k][0];
            st->arenas[k].in_use = w->arenas[k][1];
        }
    }
    if (w->flags & HS_WIRE_MI_SKIPPED)
        st->has |= HS_HAS_MI_UNMEASURED;   /* sampling: mallinfo2 not called (real/wire.h) */
    if (w->flags & (HS_WIRE_NO_MALLINFO | HS_WIRE_MI_SKIPPED))
        return;
    st->has |= HS_HAS_MALLINFO;
    st->mi.arena = w->mi[0];
    st->mi.ordblks = w->mi[1];
    st->mi.smblks = w->mi[2];
    st->mi.hblks = w->mi[3];
    st->mi.hblkhd = w->mi[4];
    st->mi.uordblks = w->mi[5];
    st->mi.fordblks = w->mi[6];
    st->mi.fsmblks = w->mi[7];
    st->mi.keepcost = w->mi[8];
}

/* A step the replayer did not measure (sampling, real/wire.h): what its op
 * returned, HS_HAS_UNMEASURED, every measure null.  Cannot fail. */
static void short_to_step(const hs_wire_short *w, hs_step *st)
{
    result_to_step(w->step, w->flags, w->chunk, w->ptr, HS_HAS_UNMEASURED, st);
}

/* The arena fields of wire step w into *ar (arenas: HS_REAL_MAX_ARENAS
 * entries).  Cannot fail. */
static void to_arenas(const hs_wire_step *w, hs_real_arenas *ar, hs_real_arena *arenas)
{
    memset(ar, 0, sizeof *ar);
    ar->step = w->step;
    ar->arena = (w->flags & HS_WIRE_ARENA) ? (int32_t)w->arena : -1;
    ar->non_main = (w->flags & HS_WIRE_NON_MAIN) != 0;
    ar->arenas = arenas;
    if (!(w->flags & HS_WIRE_ARENAS))
        return;
    ar->n = w->n_arenas < HS_REAL_MAX_ARENAS ? w->n_arenas : HS_REAL_MAX_ARENAS;
    ar->cut = (w->flags & HS_WIRE_ARENAS_CUT) != 0;
    for (size_t k = 0; k < ar->n; k++) {
        arenas[k].system = w->arenas[k][0];
        arenas[k].in_use = w->arenas[k][1];
    }
}

/* The step record at buf is need bytes long without its smaps record:
 * the length with it (HS_WIRE_SMAPS), 0 while it is not all in, SIZE_MAX
 * when it announces more mappings than the protocol allows.  Cannot fail. */
static size_t smaps_len(const char *buf, size_t len, size_t need)
{
    hs_wire_step w;
    memcpy(&w, buf, sizeof w);
    if (!(w.flags & HS_WIRE_SMAPS))
        return len >= need ? need : 0;
    hs_wire_smaps sm;
    if (len < need + sizeof sm)
        return 0;
    memcpy(&sm, buf + need, sizeof sm);
    if (sm.n > HS_WIRE_MAX_SMAPS)
        return SIZE_MAX;
    need += sizeof sm + sm.n * sizeof(hs_wire_smap);
    return len >= need ? need : 0;
}

/* Whether the record at buf (whole: see unit_len) is an hs_wire_short. */
static int short_step(const char *buf)
{
    uint32_t flags;
    memcpy(&flags, buf + sizeof(uint32_t), sizeof flags);
    return (flags & HS_WIRE_UNMEASURED) != 0;
}

/* Another allocator's step: only what any allocator has stays (minflt,
 * rss_anon, whether a pointer came back; on a step not measured, nothing); brk, mmaps, mmapped_bytes, rss,
 * ptr, mmapped, chunk and mallinfo read glibc's own state and are null.
 * Cannot fail. */
static void null_glibc_only(hs_step *st)
{
    if (!(st->has & (HS_HAS_MEASURES | HS_HAS_UNMEASURED)))
        return;
    uint32_t measured = st->has & HS_HAS_MEASURES;
    st->has &= ~(uint32_t)(HS_HAS_MEASURES | HS_HAS_MALLINFO | HS_HAS_PTR | HS_HAS_MMAPPED |
                           HS_HAS_CHUNK);
    if (measured)
        st->has |= HS_HAS_MINFLT;
}

/* The any-allocator part of a step record (unit: the whole record, len
 * bytes; its smaps record, if any, at smaps_off) into *x, the mappings
 * into buf (HS_WIRE_MAX_SMAPS).  Cannot fail. */
static void take_extra(hs_real_extra *x, hs_real_smap *buf, const char *unit, size_t len,
                       size_t smaps_off)
{
    hs_wire_step w;
    memcpy(&w, unit, sizeof w);
    memset(x, 0, sizeof *x);
    x->step = w.step;
    if (w.flags & HS_WIRE_NS) {
        x->has |= HS_REAL_X_NS;
        x->ns = w.ns;
    }
    if (w.flags & HS_WIRE_MAPS) {
        x->has |= HS_REAL_X_MAPS;
        x->maps = w.maps;
        x->maps_bytes = w.maps_bytes;
    }
    x->proc_rss = w.proc_rss;
    x->vm_size = w.vm_size;
    x->shared = w.shared;
    x->smaps = buf;
    if (!(w.flags & HS_WIRE_SMAPS) || len < smaps_off + sizeof(hs_wire_smaps))
        return;
    hs_wire_smaps sm;
    memcpy(&sm, unit + smaps_off, sizeof sm);
    if (sm.n > HS_WIRE_MAX_SMAPS ||
        len < smaps_off + sizeof sm + sm.n * sizeof(hs_wire_smap))
        return;
    x->has |= HS_REAL_X_SMAPS;
    x->n_smaps = sm.n;
    x->smaps_cut = sm.cut != 0;
    x->smaps_rss = sm.rss_total;
    memcpy(buf, unit + smaps_off + sizeof sm, sm.n * sizeof(hs_wire_smap));
}

/* The length of the step record at buf (len bytes in hand) without its
 * smaps record: an hs_wire_step, followed with want_pages by its
 * hs_wire_pages and runs.  Returns 0 while it is not all in, SIZE_MAX when
 * it announces more runs than the protocol allows.  Cannot fail otherwise. */
static size_t step_part_len(const char *buf, size_t len, int want_pages)
{
    size_t need = sizeof(hs_wire_step) + (want_pages ? sizeof(hs_wire_pages) : 0);
    if (len < need)
        return 0;
    if (want_pages) {
        hs_wire_pages pg;
        memcpy(&pg, buf + sizeof(hs_wire_step), sizeof pg);
        if (!(pg.flags & HS_WIRE_PAGES_SAME)) {
            if (pg.n_runs > HS_WIRE_MAX_RUNS)
                return SIZE_MAX;
            need += pg.n_runs * sizeof(hs_wire_run);
        }
    }
    return len >= need ? need : 0;
}

/* The length of the whole step record at buf (its smaps record included);
 * 0 while it is not all in, SIZE_MAX when it is malformed.  A step the
 * replayer did not measure (sampling) is an hs_wire_short alone.  Cannot
 * fail. */
static size_t unit_len(const char *buf, size_t len, int want_pages)
{
    if (len < 2 * sizeof(uint32_t))
        return 0;
    uint32_t flags;
    memcpy(&flags, buf + sizeof(uint32_t), sizeof flags);   /* step, flags: shared */
    if (flags & HS_WIRE_UNMEASURED)
        return len >= sizeof(hs_wire_short) ? sizeof(hs_wire_short) : 0;
    size_t need = step_part_len(buf, len, want_pages);
    if (need == 0 || need == SIZE_MAX)
        return need;
    return smaps_len(buf, len, need);
}

/* Reads the page record that follows the hs_wire_step at buf (whole: see
 * unit_len) into *pg, whose runs buffer holds HS_REAL_MAX_RUNS; an
 * HS_WIRE_PAGES_SAME record keeps the previous runs.  Cannot fail. */
static void take_pages(hs_real_pages *pg, const char *buf, uint32_t step)
{
    hs_wire_pages w;
    buf += sizeof(hs_wire_step);
    memcpy(&w, buf, sizeof w);
    pg->step = step;
    if (w.flags & HS_WIRE_PAGES_SAME)
        return;
    pg->pages = w.pages;
    pg->covered = w.covered < w.pages ? w.covered : w.pages;
    pg->n_runs = w.n_runs;
    memcpy((hs_page_run *)pg->runs, buf + sizeof w, w.n_runs * sizeof(hs_wire_run));
}



/* See real/real.h. */
uint32_t hs_real_sample_for(const hs_trace *t, uint32_t asked)
{
    if (t && hs_trace_threaded(t))
        return 1;   /* threads: the replayer measures every step (real/wire.h) */
    if (asked)
        return asked;
    return t && t->n_ops > HS_REAL_SAMPLE_UP_TO ? HS_REAL_SAMPLE_AUTO : 1;
}

/* See real/real.h.  Details of this implementation:
 * - the timeout is a lease renewed by every step (and by the hello): the
 *   child is killed when one step takes more than timeout_s seconds (the
 *   message names it: number and call), so a long trace is not cut short;
 *   time spent in fn counts as progress;
 * - when fn asks to stop, the child is killed and 0 is returned with no
 *   error step;
 * - the child's whole process group is killed before it is reaped, so
 *   nothing it started survives;
 * - a caller that sets SIGCHLD to SIG_IGN lets the kernel reap the child:
 *   the exit status is then lost and the run fails with "cannot reap". */
int hs_real_run(const hs_trace *t, const hs_real_opts *opts,
                hs_real_step_fn fn, void *ctx, char *msg, size_t msglen)
{
    run r = { .pid = -1, .ops_fd = -1, .null_fd = -1,
              .steps = { -1, -1 }, .err = { -1, -1 }, .exec_err = { -1, -1 },
              .msg = msg, .msglen = msglen };
    if (msg && msglen)
        msg[0] = '\0';
    if (check_trace(&r, t) < 0)
        return -1;
    double timeout = opts && opts->timeout_s > 0 ? opts->timeout_s : DEFAULT_TIMEOUT_S;
    char path[PATH_MAX];
    int want_pages = opts && opts->on_pages;
    if (hs_run_spawn(&r, t, opts, want_pages, path, sizeof path) < 0)
        return -1;

    /* Read steps and stderr together until both close, or until the child
     * has made no progress (no hello, no step) for `timeout` seconds: a long
     * trace may take minutes, a hung child is caught anyway. */
    double deadline = hs_run_now() + timeout;
    static_assert(sizeof(hs_wire_step) < PIPE_BUF, "a step is one atomic pipe write");
    static_assert(HS_REAL_MAX_RUNS == HS_WIRE_MAX_RUNS, "one bound on both sides");
    static_assert(HS_REAL_MAX_ARENAS == HS_WIRE_MAX_ARENAS, "one bound on both sides");
    static_assert(sizeof(hs_page_run) == sizeof(hs_wire_run), "runs are copied as they come");
    /* Room for 64 steps, or two of the largest step records with pages. */
    size_t in_cap = 2 * (sizeof(hs_wire_step) + sizeof(hs_wire_pages) +
                         HS_WIRE_MAX_RUNS * sizeof(hs_wire_run));
    if (!want_pages)
        in_cap = 64 * sizeof(hs_wire_step);
    in_cap += 2 * (sizeof(hs_wire_smaps) + HS_WIRE_MAX_SMAPS * sizeof(hs_wire_smap));
    static_assert(sizeof(hs_real_smap) == sizeof(hs_wire_smap), "mappings are copied as they come");
    hs_real_smap *smaps = opts && opts->on_extra ? malloc(HS_WIRE_MAX_SMAPS * sizeof *smaps) : NULL;
    int glibc_malloc = 1;
    char *inbuf = malloc(in_cap);
    hs_page_run *runs = want_pages ? malloc(HS_REAL_MAX_RUNS * sizeof *runs) : NULL;
    if (!inbuf || (want_pages && !runs) || (opts && opts->on_extra && !smaps)) {
        free(inbuf);
        free(runs);
        free(smaps);
        hs_run_reap(r.pid, 1);
        hs_run_close_all(&r);
        return hs_run_fail(&r, "out of memory for the replay's buffers");
    }
    hs_real_pages pages = { 0, 0, 0, runs, 0 };
    size_t in_len = 0;
    int have_hello = 0, rss_anon_ok = 0;
    size_t n_steps = 0;
    char tail[ERR_TAIL];
    size_t tail_len = 0;
    int timed_out = 0, stopped = 0, proto_err = 0;
    char proto_msg[200] = "";

    while ((r.steps[0] >= 0 || r.err[0] >= 0) && !stopped && !proto_err) {
        double left = deadline - hs_run_now();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        struct pollfd pf[2] = { { r.steps[0], POLLIN, 0 }, { r.err[0], POLLIN, 0 } };
        int ms = left > 1000.0 ? 1000000 : (int)(left * 1000.0) + 1;
        int rc = poll(pf, 2, ms);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            proto_err = 1;
            snprintf(proto_msg, sizeof proto_msg, "poll: %s", strerror(errno));
            break;
        }
        if (pf[1].revents) {
            char buf[4096];
            ssize_t n = read(r.err[0], buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                hs_run_close_fd(&r.err[0]);
            } else {
                if ((size_t)n >= ERR_TAIL) {
                    memcpy(tail, buf + n - ERR_TAIL, ERR_TAIL);
                    tail_len = ERR_TAIL;
                } else {
                    if (tail_len + (size_t)n > ERR_TAIL) {
                        size_t drop = tail_len + (size_t)n - ERR_TAIL;
                        memmove(tail, tail + drop, tail_len - drop);
                        tail_len -= drop;
                    }
                    memcpy(tail + tail_len, buf, (size_t)n);
                    tail_len += (size_t)n;
                }
            }
        }
        if (pf[0].revents) {
            ssize_t n = read(r.steps[0], inbuf + in_len, in_cap - in_len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                hs_run_close_fd(&r.steps[0]);
                continue;
            }
            in_len += (size_t)n;
            size_t off = 0;
            while (!stopped && !proto_err) {
                size_t want = have_hello ? unit_len(inbuf + off, in_len - off, want_pages)
                                         : in_len - off >= sizeof(hs_wire_hello)
                                               ? sizeof(hs_wire_hello) : 0;
                if (want == SIZE_MAX) {
                    proto_err = 1;
                    snprintf(proto_msg, sizeof proto_msg, "replayer sent too many page runs");
                    break;
                }
                if (want == 0)
                    break;
                if (!have_hello) {
                    hs_wire_hello hello;
                    memcpy(&hello, inbuf + off, sizeof hello);
                    off += sizeof hello;
                    have_hello = 1;
                    rss_anon_ok = hello.rss_anon_ok != 0;
                    glibc_malloc = hello.other_malloc == 0;
                    if (opts && opts->info) {
                        opts->info->glibc_malloc = glibc_malloc;
                        hello.malloc_lib[sizeof hello.malloc_lib - 1] = '\0';
                        snprintf(opts->info->malloc_lib, sizeof opts->info->malloc_lib, "%s",
                                 hello.malloc_lib);
                        opts->info->smaps_rss0 = hello.smaps_rss0;
                    }
                    if (hello.magic != HS_WIRE_MAGIC || hello.version != HS_WIRE_VERSION ||
                        hello.n_ops != t->n_ops) {
                        proto_err = 1;
                        snprintf(proto_msg, sizeof proto_msg,
                                 "it does not speak this build's protocol");
                    } else if (glibc_malloc && (hello.arena0 != 0 || hello.hblkhd0 != 0)) {
                        proto_err = 1;
                        snprintf(proto_msg, sizeof proto_msg,
                                 "the replayer's heap was already in use before the first op "
                                 "(mallinfo2: arena %llu, hblkhd %llu); is something preloaded?",
                                 (unsigned long long)hello.arena0,
                                 (unsigned long long)hello.hblkhd0);
                    } else if (opts && opts->on_start) {
                        opts->on_start(ctx, hello.brk0, hello.mmap_top);
                        if (opts->on_foreign)
                            opts->on_foreign(ctx, (const uint64_t (*)[2])hello.foreign,
                                             hello.n_foreign <= HS_WIRE_MAX_FOREIGN ? hello.n_foreign : 0);
                    }
                    if (!proto_err && opts && opts->on_limits) {
                        hs_kernel_limits lim = {
                            .as_max = hello.rlim_as, .data_max = hello.rlim_data,
                            .vm0 = hello.vm_size0, .data0 = hello.vm_data0,
                            .data_seg = hello.data_seg, .map_max = hello.map_max,
                            .maps0 = hello.maps0, .merge_below = hello.merge_below,
                            .merge_above = hello.merge_above };
                        opts->on_limits(ctx, &lim);
                    }
                    if (!proto_err && opts && opts->on_threads && hs_trace_threaded(t)) {
                        hs_real_threads th = { hello.n_threads, hello.cpus, hello.setup_allocs,
                                               hello.setup_bytes, hello.stack_size };
                        opts->on_threads(ctx, &th);
                    }
                    continue;
                }
                if (want == sizeof(hs_wire_short) && short_step(inbuf + off)) {
                    /* a step not measured: no pages, arenas or statm to hand on */
                    hs_wire_short w;
                    memcpy(&w, inbuf + off, sizeof w);
                    if (w.step != n_steps + 1 || n_steps >= t->n_ops) {
                        proto_err = 1;
                        snprintf(proto_msg, sizeof proto_msg, "replayer sent step %u, expected %zu",
                                 (unsigned)w.step, n_steps + 1);
                        break;
                    }
                    off += sizeof w;
                    n_steps++;
                    if (opts && opts->on_extra) {
                        hs_real_extra x;
                        memset(&x, 0, sizeof x);
                        x.step = w.step;
                        x.has = HS_REAL_X_UNMEASURED;
                        if (w.flags & HS_WIRE_NS) {
                            x.has |= HS_REAL_X_NS;
                            x.ns = w.ns;
                        }
                        x.smaps = smaps;
                        opts->on_extra(ctx, &x);
                    }
                    hs_step st;
                    short_to_step(&w, &st);
                    if (!glibc_malloc)
                        null_glibc_only(&st);
                    if (fn && fn(ctx, &st) != 0)
                        stopped = 1;
                    continue;
                }
                hs_wire_step w;
                memcpy(&w, inbuf + off, sizeof w);
                off += sizeof w;
                if (w.step != n_steps + 1 || n_steps >= t->n_ops) {
                    proto_err = 1;
                    snprintf(proto_msg, sizeof proto_msg, "replayer sent step %u, expected %zu",
                             (unsigned)w.step, n_steps + 1);
                    break;
                }
                n_steps++;
                const char *unit = inbuf + off - sizeof w;
                if (opts && opts->on_extra) {
                    hs_real_extra x;
                    take_extra(&x, smaps, unit, want,
                               step_part_len(unit, want, want_pages));
                    opts->on_extra(ctx, &x);
                }
                if (opts && opts->on_arenas && hs_trace_threaded(t)) {
                    hs_real_arena arenas[HS_REAL_MAX_ARENAS];
                    hs_real_arenas ar;
                    to_arenas(&w, &ar, arenas);
                    opts->on_arenas(ctx, &ar);
                }
                if (want_pages) {
                    take_pages(&pages, unit, w.step);
                    opts->on_pages(ctx, &pages);
                }
                off = (size_t)(unit - inbuf) + want;
                hs_step st;
                to_step(&w, rss_anon_ok, &st);
                if (!glibc_malloc)
                    null_glibc_only(&st);
                if (fn && fn(ctx, &st) != 0)
                    stopped = 1;
            }
            memmove(inbuf, inbuf + off, in_len - off);
            in_len -= off;
            if (off)   /* progress (the callback's own time included): a new lease */
                deadline = hs_run_now() + timeout;
        }
    }

    /* Reap: kill first if we gave up on it; otherwise give it until the
     * deadline to finish exiting. */
    free(inbuf);
    free(runs);
    free(smaps);
    int must_kill = timed_out || stopped || proto_err;
    if (!must_kill && !hs_run_wait_dead(r.pid, deadline)) {
        timed_out = 1;
        must_kill = 1;
    }
    int status = hs_run_reap(r.pid, must_kill);
    hs_run_close_all(&r);
    char err_line[HS_ERROR_MAX];
    last_line(tail, tail_len, err_line, sizeof err_line);

    if (stopped)
        return 0;
    if (timed_out) {
        /* Name the step that took too long: the one after the last reported
         * (or the hello, before step 1, or the exit after the last). */
        if (n_steps >= t->n_ops)
            return hs_run_fail(&r, "the replayer did not exit within %g s of its last step "
                               "(all %zu steps done) and was killed", timeout, n_steps);
        char call[160];
        hs_op_format(t, &t->ops[n_steps], call, sizeof call);
        if (!have_hello)
            return hs_run_fail(&r, "the replayer did not start within %g s (before step 1, %s) "
                               "and was killed", timeout, call);
        return hs_run_fail(&r, "step %zu (%s) took more than %g s: the replayer was killed "
                           "(after %zu of %zu steps)", n_steps + 1, call, timeout, n_steps,
                           t->n_ops);
    }
    if (proto_err)
        return hs_run_fail(&r, "replay with %s failed: %s", path, proto_msg);
    if (status == -1)
        return hs_run_fail(&r, "cannot reap the replayer: %s", strerror(errno));
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (code == 0 && have_hello && n_steps == t->n_ops)
            return 0;
        if (code == 0)
            return hs_run_fail(&r, "the replayer ended after %zu of %zu steps", n_steps, t->n_ops);
        return hs_run_fail(&r, "the replayer exited with status %d after %zu of %zu steps%s%s", code,
                    n_steps, t->n_ops, err_line[0] ? ": " : "", err_line);
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *what = NULL;
        if (sig == SIGABRT)
            what = err_line[0] ? err_line : "Aborted";
        else if (sig == SIGSEGV)
            what = "Segmentation fault";
        else if (sig == SIGBUS)
            what = "Bus error";
        else if (sig == SIGKILL)
            what = "Killed (SIGKILL: out of memory?)";
        if (!what || !have_hello || n_steps >= t->n_ops) {
            const char *d = sigdescr_np(sig);
            return hs_run_fail(&r, "the replayer was killed by signal %d (%s) after %zu of %zu steps%s%s",
                        sig, d ? d : "?", n_steps, t->n_ops, err_line[0] ? ": " : "", err_line);
        }
        hs_step st;
        memset(&st, 0, sizeof st);
        st.step = (uint32_t)(n_steps + 1);
        st.has = HS_HAS_ERROR;
        snprintf(st.error, sizeof st.error, "%s", what);
        if (fn)
            fn(ctx, &st);
        return 0;
    }
    return hs_run_fail(&r, "the replayer ended with wait status %d", status);
}
