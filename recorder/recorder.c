/* recorder/recorder.c — libheapsim-recorder.so: preloaded, it logs every allocator call of a process.
 * Owns: the interposed malloc family, the per-process binary log (rec_log.h), fork/exit handling. */
#define _GNU_SOURCE 1

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "recorder/rec_log.h"

/* How it works (the rules that keep it from changing what it records):
 * - nothing here calls malloc: the log is a file written through MAP_SHARED
 *   mappings (open, ftruncate, mmap are plain system calls), so its pages
 *   belong to the page cache and survive the process, SIGKILL included;
 * - one lock around the real call and its record, so the records' order
 *   is the order in which glibc saw the calls, across threads; while the
 *   process has one thread the lock is two plain stores;
 * - a record is a few 8-byte words built with no formatting (rec_log.h):
 *   a malloc is 8 bytes (16 when large or off the main heap), a free 8; the thread is written only when it
 *   changes, the caller (--callers 1) as one of 255 slots, its address only
 *   when the slot changes; `heapsim record` turns the log into a trace
 *   after the program ended (app/rec_convert.c);
 * - records go into a ring of HS_REC_RING_BYTES mapped once and reused
 *   (rec_log.h): its pages fault once, and a full ring is appended to the
 *   file with one pwrite(2), so the recorder's memory stays bounded however
 *   long the program runs and a call costs no page fault of its own (a
 *   sliding window of fresh pages cost one fault per ~100 calls: 15 us a
 *   fault on a virtual machine, most of the recorder's time);
 * - free and realloc are logged before the real call (glibc may abort in
 *   it), realloc completed after; the others after the call returns;
 * - a fork child gets a log of its own (the atfork child handler), an exec
 *   starts a new one (a new image runs this library's lazy start again).
 * If the log cannot be made (no HEAPSIM_REC_DIR, a full disk at start), the
 * recorder steps aside and every call goes straight to glibc. */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void  __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);
extern int   __libc_mallopt(int, int);
extern char **environ;

#define PAGE     4096u
#define RING_WORDS (HS_REC_RING_BYTES / 8u)

static volatile int lock_word;         /* 0 free, 1 held */
static int state;                      /* 0 not started, 1 recording, -1 stepped aside */
static int log_fd = -1;
static int maps_fd = -1;
static hs_rec_header *hdr;             /* the first HS_REC_HEADER_BYTES, mapped */
static uint64_t *ring;                 /* the ring of records, mapped */
static uint32_t pos;                   /* the ring's words in use */
static uint64_t flushed;               /* bytes appended after the ring */
static uint32_t n_callers;
static uint64_t brk0;                  /* header.brk0 */
static uint32_t last_tid;              /* the thread of the last record, 0 before the first */
static int flushing;                   /* inside flush() */
static int stopped;                    /* an append failed: nothing more is recorded */
static int fast;                       /* recording, n_callers <= 1: malloc and free may take one_thread() */
static int fast_busy;                  /* a call that took one_thread() is running */
static uint64_t slot_tab[HS_REC_CALLER_SLOTS + 1];   /* what each caller slot names now */
static int (*real_malloc_trim)(size_t);

static __thread int tl_owner __attribute__((tls_model("initial-exec")));   /* holds the lock */
static __thread int tl_in_bt __attribute__((tls_model("initial-exec")));   /* inside backtrace() */
static __thread uint32_t tl_tid __attribute__((tls_model("initial-exec")));

/* glibc's own "no other thread yet" flag (glibc 2.32+, <sys/single_threaded.h>):
 * true until the first pthread_create, which sets it false before the new
 * thread runs (and glibc 2.36 never sets it back).  Weak: absent, the lock
 * is always atomic. */
extern char __libc_single_threaded __attribute__((weak));

/* malloc and free's short path: recording with at most one caller frame,
 * in a process that never had a second thread, outside any hook call.
 * Nobody can contend, so it takes no lock at all; fast_busy (a plain
 * global: there is one thread) makes a call made inside it (a signal
 * handler) take the general path as a call re-entered. */
static inline __attribute__((always_inline)) int one_thread(void)
{
    return fast && !fast_busy && &__libc_single_threaded != NULL && __libc_single_threaded;
}

/* Takes the lock; a call re-entered on the thread that holds it (a signal
 * handler that allocates) goes on without it.  Returns 1 when it took it.
 * While the process has one thread nobody can contend, so the lock is a
 * plain store (glibc's malloc skips its arena lock the same way,
 * SINGLE_THREAD_P): the atomic exchange was a quarter of the recorder's
 * time on an allocation loop. */
static inline __attribute__((always_inline)) int lock(void)
{
    if (tl_owner || fast_busy)
        return 0;
    if (&__libc_single_threaded != NULL && __libc_single_threaded) {
        lock_word = 1;
        tl_owner = 1;
        return 1;
    }
    for (unsigned spins = 0; __atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE); spins++)
        if (spins > 64)
            sched_yield();
    tl_owner = 1;
    return 1;
}

static inline __attribute__((always_inline)) void unlock(int took)
{
    if (!took)
        return;
    tl_owner = 0;
    __atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE);
}

/* Thread ends: a thread-specific data key whose destructor writes the
 * thread's HS_REC_F_EXIT record (rec_log.h).  Its value is set at the
 * thread's first recorded call; the destructor sets it again until the
 * last of glibc's PTHREAD_DESTRUCTOR_ITERATIONS rounds, so the record
 * comes after what other destructors free, right before glibc's own
 * tcache flush and arena release (nptl start_thread: __nptl_deallocate_tsd,
 * then __libc_thread_freeres).  Only a key of the first block (below 32)
 * is used: pthread_setspecific allocates for the others. */
static pthread_key_t exit_key;
static int exit_key_ok;
static __thread int tl_exit_rounds __attribute__((tls_model("initial-exec")));
static inline int lock(void);
static inline void unlock(int took);
static inline int64_t reserve(uint32_t w, int took);

static void thread_ended(void *v)
{
    if (++tl_exit_rounds < PTHREAD_DESTRUCTOR_ITERATIONS) {
        (void)pthread_setspecific(exit_key, v);
        return;
    }
    if (state != 1 || tl_tid == 0)
        return;
    int took = lock();
    int64_t at = reserve(1, took);
    if (at >= 0) {
        __atomic_store_n(ring + at, ((uint64_t)HS_REC_THREAD << HS_REC_KIND_SHIFT)
                         | ((uint64_t)HS_REC_F_EXIT << HS_REC_FLAGS_SHIFT) | tl_tid, __ATOMIC_RELEASE);
        last_tid = 0;   /* the next call names its thread again */
    }
    unlock(took);
}

static inline uint32_t my_tid(void)
{
    if (tl_tid == 0) {
        tl_tid = (uint32_t)syscall(SYS_gettid);
        if (exit_key_ok)
            (void)pthread_setspecific(exit_key, (void *)1);
    }
    return tl_tid;
}

/* Decimal of v into buf (at least 21 bytes); returns its length. */
static size_t utoa(uint64_t v, char *buf)
{
    char t[21];
    size_t n = 0, i;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++)
        buf[i] = t[n - 1 - i];
    buf[n] = 0;
    return n;
}

/* Appends /proc/self/maps to the maps file, after a "--" line, so that
 * `heapsim record` can name the code at the recorded return addresses.
 * Failure leaves the maps incomplete; callers are then shown as addresses. */
static void dump_maps(void)
{
    static char buf[4096];
    if (maps_fd < 0)
        return;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (write(maps_fd, "--\n", 3) != 3) {
        close(fd);
        return;
    }
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0 || write(maps_fd, buf, (size_t)n) != n)
            break;
    }
    close(fd);
}

/* Copies the environment's allocator settings (GLIBC_TUNABLES, MALLOC_*)
 * into the header.  Settings that do not fit are left out.  Never fails. */
static void copy_settings(void)
{
    size_t o = 0;
    for (char **e = environ; e != NULL && *e != NULL; e++) {
        const char *s = *e;
        if (strncmp(s, "GLIBC_TUNABLES=", 15) != 0 && strncmp(s, "MALLOC_", 7) != 0)
            continue;
        size_t n = strlen(s) + 1;
        if (o + n + 1 > sizeof hdr->settings)
            continue;
        memcpy(hdr->settings + o, s, n);
        o += n;
    }
    hdr->settings[o] = 0;
}

/* Opens DIR/PID.N.log (the first N free) and maps its header.  Called with
 * the lock held.  Returns 0, or -1 (the recorder then steps aside). */
static int open_log(const char *dir, int forked)
{
    char path[PATH_MAX];
    uint32_t pid = (uint32_t)getpid();
    size_t dl = strlen(dir);
    if (dl + 64 > sizeof path)
        return -1;
    for (uint32_t image = 0; image < 1000; image++) {
        size_t o = dl;
        memcpy(path, dir, dl);
        path[o++] = '/';
        o += utoa(pid, path + o);
        path[o++] = '.';
        o += utoa(image, path + o);
        memcpy(path + o, ".log", 5);
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (errno == EEXIST)
                continue;
            return -1;
        }
        if (ftruncate(fd, HS_REC_HEADER_BYTES + HS_REC_RING_BYTES) != 0) {
            close(fd);
            return -1;
        }
        void *h = mmap(NULL, HS_REC_HEADER_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        void *rg = mmap(NULL, HS_REC_RING_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                        HS_REC_HEADER_BYTES);
        if (h == MAP_FAILED || rg == MAP_FAILED) {
            if (h != MAP_FAILED)
                munmap(h, HS_REC_HEADER_BYTES);
            if (rg != MAP_FAILED)
                munmap(rg, HS_REC_RING_BYTES);
            close(fd);
            return -1;
        }
        for (uint32_t q = 0; q < HS_REC_RING_BYTES; q += PAGE)   /* every fault now */
            ((volatile char *)rg)[q] = 0;
        memcpy(path + o, ".maps", 6);
        maps_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_APPEND, 0600);
        log_fd = fd;
        hdr = h;
        ring = rg;
        flushed = 0;
        stopped = 0;
        last_tid = 0;
        memset(slot_tab, 0, sizeof slot_tab);
        ring[0] = (uint64_t)HS_REC_RING << HS_REC_KIND_SHIFT;   /* the ring continues offset 0 */
        pos = 1;
        hdr->version = HS_REC_VERSION;
        hdr->flushed = 0;
        hdr->n_callers = n_callers;
        hdr->pid = pid;
        hdr->ppid = (uint32_t)getppid();
        hdr->image = image;
        hdr->forked = (uint32_t)forked;
        hdr->brk0 = brk0 = (uint64_t)syscall(SYS_brk, 0);
        ssize_t n = readlink("/proc/self/exe", hdr->exe, sizeof hdr->exe - 1);
        hdr->exe[n > 0 ? n : 0] = 0;
        copy_settings();
        __atomic_store_n(&hdr->magic, HS_REC_MAGIC, __ATOMIC_RELEASE);
        dump_maps();
        return 0;
    }
    return -1;
}

/* Drops what this process maps of a log (a fork child drops its parent's,
 * without writing to it).  Never fails. */
static void forget_log(void)
{
    if (ring != NULL)
        munmap(ring, HS_REC_RING_BYTES);
    if (hdr != NULL)
        munmap(hdr, HS_REC_HEADER_BYTES);
    if (log_fd >= 0)
        close(log_fd);
    if (maps_fd >= 0)
        close(maps_fd);
    ring = NULL;
    hdr = NULL;
    log_fd = maps_fd = -1;
}

static void at_prepare(void)
{
    lock();
}

static void at_parent(void)
{
    unlock(1);
}

/* In a fork child: the lock is ours (taken in at_prepare), the log is the
 * parent's.  Start a log of its own; on failure step aside. */
static void at_child(void)
{
    tl_tid = 0;
    if (state == 1) {
        forget_log();
        const char *dir = getenv("HEAPSIM_REC_DIR");
        if (dir == NULL || open_log(dir, 1) != 0) {
            forget_log();
            state = -1;
            fast = 0;
        }
    }
    unlock(1);
}

/* The first call of a process image: read the options, open the log.
 * Called with the lock held.  Never fails: on any problem state becomes -1. */
static void start(void)
{
    const char *dir = getenv("HEAPSIM_REC_DIR");
    const char *nc = getenv("HEAPSIM_REC_CALLERS");
    state = -1;
    if (dir == NULL || dir[0] != '/')
        return;
    n_callers = 1;
    if (nc != NULL && nc[0] >= '0' && nc[0] <= '9') {
        unsigned long v = strtoul(nc, NULL, 10);
        n_callers = v > HS_REC_MAX_CALLERS ? HS_REC_MAX_CALLERS : (uint32_t)v;
    }
    if (open_log(dir, 0) != 0) {
        forget_log();
        return;
    }
    state = 1;
    fast = n_callers <= 1;
    pthread_atfork(at_prepare, at_parent, at_child);
    if (pthread_key_create(&exit_key, thread_ended) == 0) {
        if (exit_key < 32)
            exit_key_ok = 1;
        else
            (void)pthread_key_delete(exit_key);
    }
}

/* pwrite of all n bytes at off.  Returns 0, or -1 (a full disk). */
static int put(const void *buf, uint64_t n, uint64_t off)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = pwrite(log_fd, p, n, (off_t)off);
        if (w <= 0) {
            if (w < 0 && errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (uint64_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

/* Starts the emptied ring with its HS_REC_RING record (rec_log.h). */
static void ring_start(void)
{
    __atomic_store_n(&ring[0], ((uint64_t)HS_REC_RING << HS_REC_KIND_SHIFT) | (flushed & HS_REC_V48_MASK),
                     __ATOMIC_RELEASE);
    pos = 1;
}

/* Appends the ring to the file and empties it, in the order rec_log.h
 * needs: a process killed at any point leaves each record in exactly one
 * place.  Called with the lock, never from a call made inside a call.
 * Returns 0, or -1 (a full disk: the ring stays as it is). */
static int flush(void)
{
    int saved = errno;
    flushing = 1;
    int bad = put(ring, (uint64_t)pos * 8, HS_REC_HEADER_BYTES + HS_REC_RING_BYTES + flushed);
    if (!bad) {
        flushed += (uint64_t)pos * 8;
        __atomic_store_n(&hdr->flushed, flushed, __ATOMIC_RELEASE);   /* the ring is stale now */
        memset(ring, 0, (size_t)pos * 8);
        ring_start();
    }
    flushing = 0;
    errno = saved;
    return bad ? -1 : 0;
}

/* Reserves w words of the ring (appending it first when they do not fit)
 * and returns the first one's index, or -1 when the call cannot be
 * recorded, counted in header.lost: an append failed (a full disk: the log
 * ends there, no later call is recorded, so the log has no gap), or a
 * call made inside a call (took == 0: a signal handler that allocates)
 * found the ring full or being appended.  Called with the lock. */
static inline int64_t reserve(uint32_t w, int took)
{
    if (__builtin_expect(flushing || pos + w > RING_WORDS, 0)) {
        if (!took || flushing || stopped || flush() != 0) {
            if (took && !flushing && !stopped)
                stopped = hdr->stopped = 1;
            hdr->lost++;
            return -1;
        }
    }
    uint32_t at = pos;
    pos = at + w;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);   /* a nested call writes after these words */
    return at;
}

/* The flags glibc's chunk header gives the block at ret (0 for NULL). */
static inline unsigned chunk_flags(uint64_t ret)
{
    if (ret == 0)
        return 0;
    uint64_t sz = ((const uint64_t *)(uintptr_t)ret)[-1];   /* the chunk's size field */
    return (sz & 2 ? HS_REC_F_MMAPPED : 0u) | (sz & 4 ? HS_REC_F_ARENA : 0u);
}

/* The caller slot of a return address (1..HS_REC_CALLER_SLOTS), 0 for none. */
static inline unsigned slot_of(uint64_t c)
{
    if (c == 0)
        return 0;
    unsigned h = (unsigned)((c * 0x9e3779b97f4a7c15ull) >> 56);
    return h ? h : HS_REC_CALLER_SLOTS;
}

/* Writes one call's record (rec_log.h), preceded by a THREAD record when
 * the thread changed and a CALLER record when its caller's slot names
 * another address; the head word goes last.  Returns the head word's
 * index in the ring (realloc completes it), or -1 when the call cannot be
 * recorded (reserve).  Called with the lock. */
static inline __attribute__((always_inline)) int64_t
rec_call(int took, unsigned kind, uint64_t a, uint64_t b, uint64_t ret, int rc, unsigned flags, void *const *cs)
{
    uint32_t tid = my_tid();
    unsigned body = hs_rec_body_words(kind);
    if (kind == HS_REC_MALLOC && a < 65536 && ret - brk0 < (1ull << 36) && ret >= brk0 && ret % 16 == 0) {
        kind = HS_REC_MALLOC16;      /* the usual malloc in one word (rec_log.h) */
        a |= ((ret - brk0) >> 4) << 16;
        body = 0;
    }
    uint64_t c = 0;
    unsigned slot = 0, wide = a > HS_REC_V48_MASK;
    uint32_t pre = tid != last_tid;
    uint32_t frames = n_callers > 1 ? n_callers : 0;
    if (n_callers == 1) {
        c = (uint64_t)(uintptr_t)cs[0];
        slot = slot_of(c);
        if (slot_tab[slot] != c)
            pre += 2;
    }
    int64_t at = reserve(pre + 1 + wide + body + frames, took);
    if (at < 0)
        return -1;
    uint64_t *w = ring + at;
    if (tid != last_tid) {
        __atomic_store_n(w++, ((uint64_t)HS_REC_THREAD << HS_REC_KIND_SHIFT) | tid, __ATOMIC_RELEASE);
        last_tid = tid;
    }
    if (slot_tab[slot] != c) {
        w[1] = c;
        __atomic_store_n(&w[0], ((uint64_t)HS_REC_CALLER << HS_REC_KIND_SHIFT) | ((uint64_t)slot << HS_REC_SLOT_SHIFT),
                         __ATOMIC_RELEASE);
        w += 2;
        slot_tab[slot] = c;
    }
    uint64_t *head = w++;
    uint64_t hw = ((uint64_t)kind << HS_REC_KIND_SHIFT) | ((uint64_t)flags << HS_REC_FLAGS_SHIFT)
                  | ((uint64_t)slot << HS_REC_SLOT_SHIFT);
    if (wide) {
        hw |= HS_REC_WIDE;
        *w++ = a;
    } else {
        hw |= a;
    }
    if (body == 1) {
        *w++ = ret;
    } else if (body >= 2) {
        *w++ = b;
        *w++ = ret;
        if (body == 3)
            *w++ = (uint64_t)(int64_t)rc;
    }
    for (uint32_t i = 0; i < frames; i++)
        *w++ = (uint64_t)(uintptr_t)cs[i];
    __atomic_store_n(head, hw, __ATOMIC_RELEASE);
    return head - ring;
}

/* one_thread()'s record of one word (MALLOC16, FREE): hw with its caller
 * slot, when nothing else must be written first (the same thread as the
 * last record, the caller's slot already naming it, room in the ring).
 * Called only under one_thread(), outside any other hook call.
 * Returns 0, or -1 when rec_call must write it. */
static inline __attribute__((always_inline)) int fast_word(uint64_t hw, void *caller)
{
    /* one thread ever (since the log began: a fork child starts a log with
     * last_tid 0), so last_tid is this thread once it is set */
    if (__builtin_expect(last_tid == 0 || pos + 1 > RING_WORDS, 0))
        return -1;
    if (n_callers) {                     /* 1 here */
        uint64_t c = (uint64_t)(uintptr_t)caller;
        unsigned slot = slot_of(c);
        if (__builtin_expect(slot_tab[slot] != c, 0))
            return -1;
        hw |= (uint64_t)slot << HS_REC_SLOT_SHIFT;
    }
    uint32_t at = pos;
    pos = at + 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);   /* a nested call writes after this word */
    __atomic_store_n(&ring[at], hw, __ATOMIC_RELEASE);
    return 0;
}

/* The caller frames of the hook that expands this (innermost first).  N=1
 * is the hook's own return address; N>1 uses glibc's backtrace(), whose
 * first call loads libgcc_s and allocates (those calls are recorded like
 * any other: they are the program's now). */
#define CALLERS(cs)                                                            \
    void *cs[HS_REC_MAX_CALLERS + 1];                                          \
    do {                                                                       \
        cs[0] = __builtin_return_address(0);                                   \
        if (n_callers > 1 && !tl_in_bt) {                                      \
            tl_in_bt = 1;                                                      \
            int got_ = backtrace(cs, (int)n_callers + 1);                      \
            tl_in_bt = 0;                                                      \
            for (int i_ = 0; i_ < (int)n_callers; i_++)                        \
                cs[i_] = i_ + 1 < got_ ? cs[i_ + 1] : NULL;                    \
        } else {                                                               \
            for (uint32_t i_ = 1; i_ < n_callers; i_++)                       \
                cs[i_] = NULL;                                                 \
        }                                                                      \
    } while (0)

/* Starts recording if needed; returns the lock token, or -1 when the
 * recorder stands aside (the lock is then not held). */
static inline int enter(void)
{
    int took = lock();
    if (__builtin_expect(state == 0, 0))
        start();
    if (__builtin_expect(state != 1, 0)) {
        unlock(took);
        return -1;
    }
    return took;
}

/* Logs a call that already returned. */
static inline __attribute__((always_inline)) void
log_after(int took, unsigned kind, void *ret, uint64_t a, uint64_t b, int rc, void *const *cs)
{
    uint64_t r = (uint64_t)(uintptr_t)ret;
    (void)rec_call(took, kind, a, b, r, rc, chunk_flags(r) | HS_REC_F_DONE, cs);
}

void *malloc(size_t n)
{
    if (__builtin_expect(one_thread(), 1)) {
        void *c = __builtin_return_address(0);
        fast_busy = 1;
        void *p = __libc_malloc(n);
        uint64_t r = (uint64_t)(uintptr_t)p, off = r - brk0;   /* r < brk0 wraps: too far */
        if (!(n < 65536 && off < (1ull << 36) && r % 16 == 0)
            || fast_word(((uint64_t)HS_REC_MALLOC16 << HS_REC_KIND_SHIFT) | n | (off >> 4) << 16
                         | (uint64_t)(chunk_flags(r) | HS_REC_F_DONE) << HS_REC_FLAGS_SHIFT, c) != 0)
            log_after(1, HS_REC_MALLOC, p, n, 0, 0, &c);
        fast_busy = 0;
        return p;
    }
    CALLERS(cs);
    int t = enter();
    if (t < 0)
        return __libc_malloc(n);
    void *p = __libc_malloc(n);
    log_after(t, HS_REC_MALLOC, p, n, 0, 0, cs);
    unlock(t);
    return p;
}

void *calloc(size_t n, size_t s)
{
    CALLERS(cs);
    int t = enter();
    if (t < 0)
        return __libc_calloc(n, s);
    void *p = __libc_calloc(n, s);
    log_after(t, HS_REC_CALLOC, p, n, s, 0, cs);
    unlock(t);
    return p;
}

/* free is logged before the real call (glibc may abort in it) and never
 * completed: the record says all there is to say. */
void free(void *p)
{
    if (p == NULL) {          /* free(NULL) does nothing: nothing to record */
        __libc_free(p);
        return;
    }
    if (__builtin_expect(one_thread(), 1)) {
        void *c = __builtin_return_address(0);
        fast_busy = 1;
        uint64_t a = (uint64_t)(uintptr_t)p;
        if (a > HS_REC_V48_MASK || fast_word(((uint64_t)HS_REC_FREE << HS_REC_KIND_SHIFT) | a, c) != 0)
            (void)rec_call(1, HS_REC_FREE, a, 0, 0, 0, 0, &c);
        __libc_free(p);
        fast_busy = 0;
        return;
    }
    CALLERS(cs);
    int t = enter();
    if (t < 0) {
        __libc_free(p);
        return;
    }
    (void)rec_call(t, HS_REC_FREE, (uint64_t)(uintptr_t)p, 0, 0, 0, 0, cs);
    __libc_free(p);
    unlock(t);
}

/* realloc is logged before the real call (glibc may abort in it), then
 * completed in the ring: its ret word, then its head with DONE (a call
 * made inside never appends the ring, so the record is still there). */
void *realloc(void *old, size_t n)
{
    CALLERS(cs);
    int t = enter();
    if (t < 0)
        return __libc_realloc(old, n);
    uint64_t o = (uint64_t)(uintptr_t)old;
    int64_t at = rec_call(t, HS_REC_REALLOC, o, n, 0, 0, 0, cs);
    void *p = __libc_realloc(old, n);
    if (at >= 0) {
        uint64_t r = (uint64_t)(uintptr_t)p;
        uint64_t hw = ring[at];
        ring[at + 1 + !!(hw & HS_REC_WIDE) + 1] = r;
        hw |= (uint64_t)(chunk_flags(r) | HS_REC_F_DONE) << HS_REC_FLAGS_SHIFT;
        __atomic_store_n(&ring[at], hw, __ATOMIC_RELEASE);
    }
    unlock(t);
    return p;
}

/* glibc 2.36's reallocarray, through the recorded realloc. */
void *reallocarray(void *old, size_t n, size_t s)
{
    size_t bytes;
    if (__builtin_mul_overflow(n, s, &bytes)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(old, bytes);
}

static void *aligned(unsigned kind, size_t align, size_t n, void *const *cs)
{
    int t = enter();
    void *p;
    if (kind == HS_REC_VALLOC)
        p = __libc_valloc(n);
    else if (kind == HS_REC_PVALLOC)
        p = __libc_pvalloc(n);
    else
        p = __libc_memalign(align, n);
    if (t >= 0) {
        if (kind == HS_REC_VALLOC || kind == HS_REC_PVALLOC)
            log_after(t, kind, p, n, 0, 0, cs);
        else
            log_after(t, kind, p, align, n, 0, cs);
        unlock(t);
    }
    return p;
}

void *memalign(size_t align, size_t n)
{
    CALLERS(cs);
    return aligned(HS_REC_MEMALIGN, align, n, cs);
}

void *aligned_alloc(size_t align, size_t n)
{
    CALLERS(cs);
    return aligned(HS_REC_ALIGNED_ALLOC, align, n, cs);
}

void *valloc(size_t n)
{
    CALLERS(cs);
    return aligned(HS_REC_VALLOC, 0, n, cs);
}

void *pvalloc(size_t n)
{
    CALLERS(cs);
    return aligned(HS_REC_PVALLOC, 0, n, cs);
}

/* glibc 2.36's posix_memalign: the same checks, then the same
 * _mid_memalign that __libc_memalign runs. */
int posix_memalign(void **out, size_t align, size_t n)
{
    CALLERS(cs);
    if (align % sizeof(void *) != 0 || (align / sizeof(void *) & (align / sizeof(void *) - 1)) != 0
        || align == 0) {
        return EINVAL;       /* nothing reaches the allocator: nothing to record */
    }
    int t = enter();
    void *p = __libc_memalign(align, n);
    if (t >= 0) {
        log_after(t, HS_REC_POSIX_MEMALIGN, p, align, n, p ? 0 : ENOMEM, cs);
        unlock(t);
    }
    if (p == NULL)
        return ENOMEM;
    *out = p;
    return 0;
}

int mallopt(int param, int value)
{
    CALLERS(cs);
    int t = enter();
    int rc = __libc_mallopt(param, value);
    if (t >= 0) {
        log_after(t, HS_REC_MALLOPT, NULL, (uint64_t)(int64_t)param, (uint64_t)(int64_t)value, rc, cs);
        unlock(t);
    }
    return rc;
}

int malloc_trim(size_t pad)
{
    CALLERS(cs);
    /* libc exports no __libc_malloc_trim: look it up once, outside the lock
     * (dlsym may allocate; those calls are recorded like any other). */
    if (real_malloc_trim == NULL) {
        void *f = dlsym(RTLD_NEXT, "malloc_trim");
        if (f == NULL)
            return 0;
        real_malloc_trim = (int (*)(size_t))f;
    }
    int t = enter();
    int rc = real_malloc_trim(pad);
    if (t >= 0) {
        log_after(t, HS_REC_MALLOC_TRIM, NULL, pad, 0, rc, cs);
        unlock(t);
    }
    return rc;
}

/* dlopen and dlclose: the maps are dumped after a library is loaded and
 * before one is unloaded, so that code that came and went (or was still
 * there when the process was killed) can be named.  The real functions are
 * looked up once (dlsym may allocate: those calls are recorded like any
 * other).  Failures are the real functions'. */
void *dlopen(const char *file, int mode)
{
    static void *(*real_dlopen)(const char *, int);
    if (real_dlopen == NULL)
        real_dlopen = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
    if (real_dlopen == NULL)
        return NULL;
    void *h = real_dlopen(file, mode);
    int t = lock();
    if (h != NULL && state == 1)
        dump_maps();
    unlock(t);
    return h;
}

int dlclose(void *handle)
{
    static int (*real_dlclose)(void *);
    if (real_dlclose == NULL)
        real_dlclose = (int (*)(void *))dlsym(RTLD_NEXT, "dlclose");
    if (real_dlclose == NULL)
        return -1;
    int t = lock();
    if (state == 1)
        dump_maps();
    unlock(t);
    return real_dlclose(handle);
}

/* Marks how the process stopped calling the allocator; the maps are
 * dumped again so that code loaded late (dlopen) can be named.  A vfork
 * child (another pid in the parent's memory, whose log this is) that
 * _exits after a failed exec marks nothing: the parent goes on. */
static void mark_end(int how, int status)
{
    int t = lock();
    if (state == 1 && hdr != NULL && (uint32_t)getpid() == hdr->pid) {
        dump_maps();
        hdr->exit_status = status;
        __atomic_store_n(&hdr->end, (uint32_t)how, __ATOMIC_RELEASE);
    }
    unlock(t);
}

/* exec: the log is marked ended with an exec just before the process
 * image is replaced, and unmarked when the exec fails, so an image that
 * execs a program the recorder cannot see (a static one) still says how it
 * ended.  Returns 1 when it marked the log (exec_failed undoes it). */
static int exec_begin(void)
{
    int t = lock(), marked = 0;
    if (state == 1 && hdr != NULL && (uint32_t)getpid() == hdr->pid && hdr->end == HS_REC_END_NONE) {
        dump_maps();
        __atomic_store_n(&hdr->end, (uint32_t)HS_REC_END_EXEC, __ATOMIC_RELEASE);
        marked = 1;
    }
    unlock(t);
    return marked;
}

static void exec_failed(int marked)
{
    int e = errno;
    if (marked) {
        int t = lock();
        __atomic_store_n(&hdr->end, (uint32_t)HS_REC_END_NONE, __ATOMIC_RELEASE);
        unlock(t);
    }
    errno = e;
}

/* The real exec function named name (looked up once per name; dlsym may
 * allocate: those calls are recorded).  NULL when there is none. */
static void *real_exec(void **slot, const char *name)
{
    if (*slot == NULL)
        *slot = dlsym(RTLD_NEXT, name);
    return *slot;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    int m = exec_begin();
    int r = (int)syscall(SYS_execve, path, argv, envp);
    exec_failed(m);
    return r;
}

int execv(const char *path, char *const argv[])
{
    return execve(path, argv, environ);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
    static void *slot;
    int (*real)(const char *, char *const[], char *const[]) =
        (int (*)(const char *, char *const[], char *const[]))real_exec(&slot, "execvpe");
    if (real == NULL) {
        errno = ENOSYS;
        return -1;
    }
    int m = exec_begin();
    int r = real(file, argv, envp);
    exec_failed(m);
    return r;
}

int execvp(const char *file, char *const argv[])
{
    return execvpe(file, argv, environ);
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
    static void *slot;
    int (*real)(int, char *const[], char *const[]) =
        (int (*)(int, char *const[], char *const[]))real_exec(&slot, "fexecve");
    if (real == NULL) {
        errno = ENOSYS;
        return -1;
    }
    int m = exec_begin();
    int r = real(fd, argv, envp);
    exec_failed(m);
    return r;
}

/* execl, execlp, execle: their arguments as an array on the stack (no
 * allocation), then the array forms above.  how: 0 execl, 1 execlp, 2
 * execle (the environment follows the list's NULL).  Fails as they do. */
static int execl_common(int how, const char *path, const char *arg, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    size_t n = 1;
    while (va_arg(cp, char *) != NULL)
        n++;
    va_end(cp);
    char *argv[n + 1];
    argv[0] = (char *)arg;
    for (size_t i = 1; i < n; i++)
        argv[i] = va_arg(ap, char *);
    argv[n] = NULL;
    char *const *envp = environ;
    if (how == 2) {
        (void)va_arg(ap, char *);               /* the NULL that ends the list */
        envp = va_arg(ap, char *const *);
    }
    return how == 1 ? execvp(path, argv) : execve(path, argv, envp);
}

int execl(const char *path, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    int r = execl_common(0, path, arg, ap);
    va_end(ap);
    return r;
}

int execlp(const char *file, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    int r = execl_common(1, file, arg, ap);
    va_end(ap);
    return r;
}

int execle(const char *path, const char *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    int r = execl_common(2, path, arg, ap);
    va_end(ap);
    return r;
}

__attribute__((destructor)) static void at_exit_end(void)
{
    mark_end(HS_REC_END_EXIT, 0);
}

void _exit(int status)
{
    mark_end(HS_REC_END__EXIT, status);
    for (;;)
        syscall(SYS_exit_group, status);
}

void _Exit(int status)
{
    _exit(status);
}
