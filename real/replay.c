/* real/replay.c — heapsim-replay: replays ops read from fd 3 against this process's glibc.
 * Owns: the child side of real/wire.h; running a trace's threads; measuring brk, rss (and, when asked, the heap's resident pages), faults, mallinfo2, the arenas, time per call and mappings after each op. */

/* Rules of this file, because the process it builds is the thing measured:
 * - nothing here calls malloc (no stdio, no getenv, no opendir...) between
 *   the start of main and the last op; all buffers are static or mmapped and
 *   pre-touched before the first op;
 * - every allocator call goes through a volatile function pointer so the
 *   compiler cannot merge, move or drop it;
 * - output is fixed-size records written with write(2) to fd 4; errors are
 *   written to fd 2 with write(2);
 * - only the program's own calls may end the process: the replayer's
 *   measurement (mallinfo2) runs under a guard, see guarded_mallinfo2().
 * Exit status: 0 all ops replayed; 2 bad input on fd 3; 3 an I/O error;
 * 4 the replay cannot go on faithfully (see need_arena_lock()).
 * glibc itself may end the process (SIGABRT, SIGSEGV): that is data.
 * Argument (tests only): --test-arena-unknown behaves as if glibc's
 * main_arena had not been found, to exercise the fallback. */

#include <errno.h>
#include <link.h>
#include <malloc.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <unistd.h>

#include "sim/op.h"
#include "real/wire.h"

/* A replayer built with HS_REPLAY_NO_THREADS runs no threads (a trace with
 * threads is refused with a message).  The glibc 2.31 replayer links that
 * glibc's libpthread, where pthread_create lived before 2.34, and runs them. */
#ifndef HS_REPLAY_NO_THREADS
#include <gnu/libc-version.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
/* glibc's own entry points: the program's calls go straight to them, past
 * this file's malloc, calloc, realloc and free (see "Threads" below). */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);
#define HS_LIBC(f) __libc_##f
#else
#define HS_LIBC(f) f
#endif

#define PAGE 4096u
#define VEC_PAGES 16384u            /* one mincore call covers 64 MiB */
#define STACK_PRETOUCH (256u * 1024u)
#define SIZE_BITS 7u                /* PREV_INUSE | IS_MMAPPED | NON_MAIN_ARENA */
#define IS_MMAPPED_BIT 2u
#define MM_CAP0 65536u              /* DEFAULT_MMAP_MAX: room for every live mmapped chunk */

/* The allocator, behind volatile pointers: no builtin folding. */
/* The allocator the replay calls: glibc's own entry points (past this
 * file's malloc family, see "Threads"), or with another allocator preloaded
 * (LD_PRELOAD, heapsim real --allocator) that allocator's, found by
 * pick_allocator() before the first op. */
static void *(*volatile raw_malloc)(size_t) = HS_LIBC(malloc);
static void *(*volatile raw_calloc)(size_t, size_t) = HS_LIBC(calloc);
static void *(*volatile raw_realloc)(void *, size_t) = HS_LIBC(realloc);
static void *(*volatile raw_memalign)(size_t, size_t) = HS_LIBC(memalign);
static void (*volatile raw_free)(void *) = HS_LIBC(free);
static int (*volatile raw_mallopt)(int, int) = mallopt;
static int (*volatile raw_malloc_trim)(size_t) = malloc_trim;
/* The replay's calls: the raw ones between two clock reads (see timed_*). */
static void *timed_malloc(size_t);
static void *timed_calloc(size_t, size_t);
static void *timed_realloc(void *, size_t);
static void *timed_memalign(size_t, size_t);
static void timed_free(void *);
static int timed_mallopt(int, int);
static int timed_malloc_trim(size_t);
static void *(*volatile hs_malloc)(size_t) = timed_malloc;
static void *(*volatile hs_calloc)(size_t, size_t) = timed_calloc;
static void *(*volatile hs_realloc)(void *, size_t) = timed_realloc;
static void *(*volatile hs_memalign)(size_t, size_t) = timed_memalign;
static void (*volatile hs_free)(void *) = timed_free;
static int (*volatile hs_mallopt)(int, int) = timed_mallopt;
static int (*volatile hs_malloc_trim)(size_t) = timed_malloc_trim;
static void *(*volatile hs_memset)(void *, int, size_t) = memset;
#ifdef HS_REPLAY_MALLINFO_INT
/* The replayer built for glibc before 2.33 (heapsim-replay-2.31, see
 * CMakeLists.txt): that libc has only mallinfo(), whose fields are int and
 * wrap past 2 GiB.  Each field is reported as its 32 bits read unsigned
 * (what printf's %u shows); heapsim marks such steps "mallinfo_fn":"mallinfo". */
struct mallinfo2 {
    size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
};
static struct mallinfo (*volatile hs_mallinfo_int)(void) = mallinfo;
static struct mallinfo2 mallinfo2_of_int(void)
{
    struct mallinfo m = hs_mallinfo_int();
    struct mallinfo2 r = {
        (unsigned)m.arena, (unsigned)m.ordblks, (unsigned)m.smblks, (unsigned)m.hblks,
        (unsigned)m.hblkhd, (unsigned)m.usmblks, (unsigned)m.fsmblks, (unsigned)m.uordblks,
        (unsigned)m.fordblks, (unsigned)m.keepcost,
    };
    return r;
}
static struct mallinfo2 (*volatile hs_mallinfo2)(void) = mallinfo2_of_int;
#else
static struct mallinfo2 (*volatile hs_mallinfo2)(void) = mallinfo2;
#endif

/* One live mmapped chunk, as the replayer tracks it. */
typedef struct mm_ent {
    uintptr_t mem;        /* the pointer returned to the program */
    uintptr_t map;        /* start of its mapping: chunk - prev_size */
    uint64_t  map_len;    /* prev_size + chunksize */
    uint64_t  chunk;      /* chunksize */
    uint64_t  res;        /* its resident bytes at the last measurement (see measure()) */
    uint32_t  owner;      /* slot holding it, or HS_NO_ID once the slot lost it */
    uint32_t  stale;      /* 1 while listed in R.stale: res must be measured again */
} mm_ent;

#define MAX_STALE 256u /* mappings changed since the last measurement (sampling keeps
                          them across skipped steps); more: rescan them all */

/* All the replayer's state, in one place: static storage, never malloc'd
 * (see the rules above); the fields are what the sections below use. */
static struct replay {
    uintptr_t brk0;
    const hs_wire_op *ops;   /* read-only: map_ops */
    uint64_t n_ops;
    uint32_t n_ids;
    void **slot_p;         /* p[id] */
    uint32_t *slot_mm;     /* index + 1 into mm, 0 when the slot holds no live mmapped chunk */
    uint8_t *slot_live;    /* 1 between a successful allocation and its free */
    mm_ent *mm;
    uint64_t n_mm, mm_bytes, mm_cap;
    unsigned char vec[VEC_PAGES];
    char statm_buf[256];
    int statm_fd;
    int64_t rss_anon0;
    uint64_t minflt0;
    unsigned char scratch[64 * 1024];
    char maps_buf[65536];   /* room for 128 threads' stacks and guards too */
    int want_pages;
    int want_arenas;       /* the trace has threads (HS_WIRE_WANT_ARENAS) */
    hs_wire_run run_buf[2][HS_WIRE_MAX_RUNS];
    int run_cur;           /* run_buf[run_cur] holds the runs of the last measurement */
    hs_wire_pages pages_cur;
    int pages_sent;        /* 0 until the first step's runs went out */
    unsigned char out_buf[sizeof(hs_wire_step) + sizeof(hs_wire_pages) +
                             HS_WIRE_MAX_RUNS * sizeof(hs_wire_run)];
    sigjmp_buf guard_env;
    volatile sig_atomic_t guard_armed;   /* 1 only while mallinfo2 runs */
    volatile sig_atomic_t guard_sig;     /* the signal that ended it, or 0 */
    int mi_lost;                 /* 0, or the signal that ended the failed measurement */
    int arena_lock_held;         /* main_arena's mutex is left held by that measurement */
    volatile int *arena_mutex;   /* &main_arena.mutex; NULL when not found */
    int side_pipe[2];   /* fd 2 during mallinfo2 */
    int saved_stderr;       /* the real fd 2 */
    struct rlimit as_limit;      /* RLIMIT_AS as the replayer found it */
    int as_limit_ok;
    char side_buf[512];          /* what glibc wrote while aborting in mallinfo2 */
    uintptr_t arena_found;
    unsigned arena_matches;
    int heap_suspect;      /* 1 from the first op that may have corrupted the heap (suspect()) */
    int rss_dirty;         /* rescan the heap and every mapping at the next measurement */
    uint64_t heap_res;     /* resident bytes of the heap at the last measurement */
    uint64_t heap_low;     /* pages of the heap from its first on that were all resident at
                              the last measurement (heap_resident: not asked again) */
    uint64_t mm_res;       /* sum of mm[].res over the entries not stale */
    uint64_t stale[MAX_STALE];   /* indices into mm whose res the ops since the last
                                    measurement may have changed */
    uint32_t n_stale;
    uint64_t last_faults;
    uintptr_t last_brk;
    uint64_t last_rss;
    /* Appended for the other allocators, time per call, mappings, smaps: */
    int glibc;             /* 1: malloc is glibc's (find_malloc); 0: the glibc-only code is skipped */
    uint64_t t0, ns;       /* the clock before the current call; its duration */
    uint64_t t_end;        /* the clock after it, 0 once the step is sent */
    int timed;             /* 1 once the current op's allocator call was timed */
    int want_maps;
    int64_t maps0, maps_bytes0;
    char stream_buf[65536];  /* /proc/self/maps and smaps, read in pieces */
    hs_wire_smap smap[HS_WIRE_MAX_SMAPS];
    unsigned char smaps_out[sizeof(hs_wire_smaps) + HS_WIRE_MAX_SMAPS * sizeof(hs_wire_smap)];
    char malloc_lib[256];  /* the object holding the malloc the dynamic linker bound */
    int64_t statm_last[3];   /* statm3's last size, resident, shared (pages) */
    /* Step records waiting to go out together (out_put, out_flush) */
    unsigned char *obuf;         /* OUT_BUF bytes, mapped and touched before the first op */
    volatile sig_atomic_t olen;  /* bytes in obuf */
    uint64_t oflush_ns;          /* the clock at the last flush */
    /* Sampling (hs_wire_header.sample, see real/wire.h) */
    uint32_t sample;             /* 0 or 1: measure after every op */
    uint64_t mm_changes;         /* mm_add and mm_remove calls so far */
    uint64_t statm_mm;           /* mm_changes when statm was last read (measure()) */
    int statm_read;              /* 1 once measure() read statm during the replay */
    uint64_t mi_next;            /* the first step whose measures call mallinfo2 again
                                    (HS_WIRE_MI_SKIPPED: its walk's ration) */
} R = {.statm_fd = -1, .side_pipe = {-1, -1}, .saved_stderr = -1, .rss_dirty = 1};

#define OUT_BUF      (256u << 10)   /* step records kept before one write */
#define OUT_EVERY_NS 20000000ull    /* and kept at most this long: the window streams them */
#define OUT_BIG_OP   (64ull << 20)  /* an op of this size or touch may be slow: flush before it */

/* Writes a message to stderr and exits with status code; never returns. */
static void die(int code, const char *a, const char *b)
{
    const char *pre = "heapsim-replay: ";
    ssize_t r;
    r = write(2, pre, strlen(pre));
    r = write(2, a, strlen(a));
    if (b) {
        r = write(2, ": ", 2);
        r = write(2, b, strlen(b));
    }
    r = write(2, "\n", 1);
    (void)r;
    _exit(code);
}

/* Reads exactly len bytes from fd; exits 2 on a short stream, 3 on an error. */
static void read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t r = read(fd, p, len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            die(3, "cannot read the R.ops (fd 3)", strerror(errno));
        }
        if (r == 0)
            die(2, "the op stream on fd 3 is truncated", NULL);
        p += r;
        len -= (size_t)r;
    }
}

/* Writes exactly len bytes to fd 4; exits 3 on an error (the parent went away). */
static void write_all(const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t r = write(HS_WIRE_FD_STEPS, p, len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            _exit(3);
        }
        p += r;
        len -= (size_t)r;
    }
}

static uint64_t now_ns(void);   /* (below) */

/* Sends the step records kept in R.obuf with one write (exits 3 as
 * write_all).  Also called by guard_handler before the program's own
 * crash ends the process, so every finished step reaches the parent. */
static void out_flush(void)
{
    size_t n = (size_t)R.olen;
    if (n) {
        write_all(R.obuf, n);
        R.olen = 0;
    }
}

/* Keeps len bytes of step records for the parent: one write per OUT_BUF
 * bytes or OUT_EVERY_NS, not one per step (the write and the parent's wake
 * per step were most of real mode's cost).  Before the buffer exists, and
 * for records larger than it, writes at once.  Exits 3 as write_all. */
static void out_put(const void *buf, size_t len)
{
    if (R.obuf == NULL || len > OUT_BUF) {
        out_flush();
        write_all(buf, len);
        return;
    }
    if ((size_t)R.olen + len > OUT_BUF)
        out_flush();
    memcpy(R.obuf + R.olen, buf, len);
    R.olen = (sig_atomic_t)(R.olen + len);
}

/* After a step, the clock then being t: sends the kept records when they
 * have waited long enough. */
static void out_tick(uint64_t t)
{
    if (t - R.oflush_ns >= OUT_EVERY_NS) {
        out_flush();
        R.oflush_ns = t;
    }
}

/* An anonymous mapping of at least len bytes, every page written once;
 * exits 3 when the kernel refuses. */
static void *map_touched(size_t len)
{
    if (len == 0)
        len = 1;
    len = (len + PAGE - 1) & ~(size_t)(PAGE - 1);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die(3, "cannot map the replay buffers", strerror(errno));
    memset(p, 0, len);
    return p;
}

/* The op records after the header on fd 3 (a file: real/spawn.c's
 * make_ops_file), mapped read-only with every page already in the page
 * tables (MAP_POPULATE), so the replay loop never faults on them: a 1M-op
 * trace's 48 MB are neither copied nor zeroed first.  Where the kernel will
 * not map the file, they are read into a touched anonymous mapping as
 * before.  Exits 2 on a short stream, 3 when neither works. */
static const hs_wire_op *map_ops(void)
{
    size_t off = sizeof(hs_wire_header), len = R.n_ops * sizeof(hs_wire_op);
    struct stat sb;
    if (fstat(HS_WIRE_FD_OPS, &sb) == 0 && S_ISREG(sb.st_mode)) {
        if ((uint64_t)sb.st_size < off + len)
            die(2, "the op stream on fd 3 is truncated", NULL);
        void *p = mmap(NULL, off + len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, HS_WIRE_FD_OPS, 0);
        if (p != MAP_FAILED)
            return (const hs_wire_op *)(void *)((char *)p + off);
    }
    hs_wire_op *ops = map_touched(len);
    read_all(HS_WIRE_FD_OPS, ops, len);
    return ops;
}

/* Writes one byte per page of the next STACK_PRETOUCH bytes of stack, so the
 * replay loop never faults a stack page in.  Cannot fail. */
static __attribute__((noinline)) void pretouch_stack(void)
{
    volatile char buf[STACK_PRETOUCH];
    for (size_t i = 0; i < sizeof buf; i += PAGE / 2)
        buf[i] = 0;
    buf[sizeof buf - 1] = 0;
}

/* Parses a hex number at *s, advancing *s.  Cannot fail (no digits: 0). */
static uintptr_t hex(const char **s)
{
    uintptr_t v = 0;
    for (;;) {
        char c = **s;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return v;
        v = v * 16 + (uintptr_t)d;
        (*s)++;
    }
}

/* Faults in one mapping line of /proc/self/maps: every page of a readable
 * mapping is read, every page of a private writable one is also written
 * back with its own value (the copy-on-write fault of libc's .data, where
 * main_arena and mp_ live, happens now, not in the first mallopt or free).
 * Kernel pseudo-mappings ([vvar], [vdso], [stack]...) are left alone.
 * Cannot fail: a line it does not understand is skipped. */
static void prefault_line(const char *s)
{
    uintptr_t start = hex(&s);
    if (*s++ != '-')
        return;
    uintptr_t end = hex(&s);
    if (*s++ != ' ')
        return;
    char r = s[0], w = s[1], p = s[3];
    if (r != 'r')
        return;
    /* Skip offset, device and inode to the path (if any). */
    for (int field = 0; field < 4 && *s; field++) {
        while (*s && *s != ' ')
            s++;
        while (*s == ' ')
            s++;
    }
    if (*s == '[')
        return;
    if (*s == '\0' && !R.glibc)
        return;   /* anonymous: another allocator may have reserved it already (prefault_maps) */
    for (uintptr_t a = start; a < end; a += PAGE) {
        volatile unsigned char *b = (volatile unsigned char *)a;
        unsigned char v = *b;
        if (w == 'w' && p == 'p')
            *b = v;
    }
}

/* Reads /proc/self/maps whole into R.maps_buf (open/read, no malloc), NUL
 * terminated; returns false if it cannot be opened.  A map longer than the
 * buffer is cut (its first lines kept). */
static bool read_maps(void)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    /* Read all of it first: touching pages while reading could change it. */
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, R.maps_buf + len, sizeof R.maps_buf - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        if (len == sizeof R.maps_buf - 1)
            break;   /* longer than the buffer: the first lines are the ones that matter */
    }
    close(fd);
    R.maps_buf[len] = '\0';
    return true;
}

/* Faults in this process's own mappings (code, libc's data, our buffers) so
 * that only the allocator's memory faults during the replay, one line of
 * /proc/self/maps at a time; if it cannot be read, nothing is prefaulted
 * (minflt may then include a few faults on libc's pages). */
static void prefault_maps(void)
{
    /* With another allocator, anonymous mappings are left alone: jemalloc
     * and tcmalloc reserve and map their arenas before main, and writing
     * them here would make their pages resident before the first op.  The
     * replayer's own static state is then faulted in by hand. */
    if (!R.glibc)
        for (size_t i = 0; i < sizeof R; i += PAGE / 2)
            ((volatile unsigned char *)&R)[i] = ((volatile unsigned char *)&R)[i];
    if (!read_maps())
        return;
    char *line = R.maps_buf;
    while (*line) {
        char *nl = strchr(line, '\n');
        if (!nl)
            break;   /* a cut line at the end of a full buffer */
        *nl = '\0';
        prefault_line(line);
        line = nl + 1;
    }
}

/* The process's mappings where the kernel would put the allocator's, for
 * the model (hs_sim_set_foreign): mmap_top becomes the kernel's mmap_base
 * (the end of the highest mapping below the stack) and foreign[] the
 * ranges between HS_WIRE_MMAP_FLOOR and it, adjacent ones merged, the
 * highest HS_WIRE_MAX_FOREIGN kept.  Leaves the hello alone (n_foreign 0)
 * if the map cannot be read or shows no stack. */
/* Whether the /proc/self/maps line at s (up to nl) is an anonymous
 * private read-write mapping, which the kernel merges a new anonymous
 * mapping with when they touch (mm/vma.c).  Cannot fail. */
static bool anon_rw_line(const char *s, const char *nl)
{
    const char *p = memchr(s, ' ', (size_t)(nl - s));
    if (!p || nl - p < 6 || memcmp(p + 1, "rw-p ", 5) != 0)
        return false;
    p += 6;
    for (int field = 0; field < 2 && p < nl; field++) {   /* offset, dev */
        while (p < nl && *p != ' ')
            p++;
        while (p < nl && *p == ' ')
            p++;
    }
    if (p >= nl || *p != '0' || (p + 1 < nl && p[1] != ' '))
        return false;                                        /* inode 0 */
    for (p++; p < nl; p++)
        if (*p != ' ')
            return false;                                    /* no name */
    return true;
}

static void find_foreign(hs_wire_hello *h)
{
    if (!read_maps())
        return;
    uint64_t stack = 0;
    for (const char *s = R.maps_buf; *s;) {
        const char *nl = strchr(s, '\n');
        if (!nl)
            break;
        const char *p = s;
        uint64_t start = hex(&p);
        if (memmem(s, (size_t)(nl - s), "[stack]", 7))
            stack = start;
        s = nl + 1;
    }
    if (!stack)
        return;
    uint64_t base = 0, n = 0, r[HS_WIRE_MAX_FOREIGN][2];
    bool lo_anon[HS_WIRE_MAX_FOREIGN], hi_anon[HS_WIRE_MAX_FOREIGN];
    for (const char *s = R.maps_buf; *s;) {
        const char *nl = strchr(s, '\n');
        if (!nl)
            break;
        const char *p = s;
        uint64_t start = hex(&p), end = *p == '-' ? (p++, hex(&p)) : 0;
        bool anon = anon_rw_line(s, nl);
        s = nl + 1;
        if (start < HS_WIRE_MMAP_FLOOR || end > stack || end <= start)
            continue;
        if (end > base)
            base = end;
        if (n && r[(n - 1) % HS_WIRE_MAX_FOREIGN][1] == start) {
            r[(n - 1) % HS_WIRE_MAX_FOREIGN][1] = end;
            hi_anon[(n - 1) % HS_WIRE_MAX_FOREIGN] = anon;
            continue;
        }
        r[n % HS_WIRE_MAX_FOREIGN][0] = start;     /* a ring: the highest ones stay */
        r[n % HS_WIRE_MAX_FOREIGN][1] = end;
        lo_anon[n % HS_WIRE_MAX_FOREIGN] = hi_anon[n % HS_WIRE_MAX_FOREIGN] = anon;
        n++;
    }
    if (!base)
        return;
    uint64_t keep = n < HS_WIRE_MAX_FOREIGN ? n : HS_WIRE_MAX_FOREIGN;
    for (uint64_t i = 0; i < keep; i++) {
        uint64_t k = (n - keep + i) % HS_WIRE_MAX_FOREIGN;
        h->foreign[i][0] = r[k][0];
        h->foreign[i][1] = r[k][1];
        h->merge_below |= (uint64_t)lo_anon[k] << i;
        h->merge_above |= (uint64_t)hi_anon[k] << i;
    }
    h->n_foreign = (uint32_t)keep;
    h->mmap_top = base;
}

/* The value of "Key:" in a /proc/self/status text, in kB times 1024; 0
 * if it is not there.  Cannot fail. */
static uint64_t status_bytes(const char *buf, const char *key)
{
    const char *p = strstr(buf, key);
    if (!p)
        return 0;
    p += strlen(key);
    while (*p == ' ' || *p == '\t')
        p++;
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9')
        v = v * 10 + (uint64_t)(*p++ - '0');
    return v * 1024;
}

/* Reads a whole small /proc file into buf (len bytes, NUL-terminated, with
 * open and read: no malloc).  Returns the length, 0 when it cannot be read. */
static size_t read_small(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t n = 0;
    while (n < len - 1) {
        ssize_t r = read(fd, buf + n, len - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    return n;
}

/* The kernel's limits on this process and what counts against them just
 * before the first op, for the model (hs_sim_set_limits): RLIMIT_AS and
 * RLIMIT_DATA (soft), vm.max_map_count, VmSize and VmData (total_vm and
 * data_vm), end_data - start_data (/proc/self/stat fields 45-46, brk's
 * check_data_rlimit adds it) and the mappings counted from R.maps_buf
 * (read by find_foreign just before; [vsyscall] is not a VMA of the
 * process).  A figure that cannot be read stays 0 (limits: none). */
static void find_limits(hs_wire_hello *h)
{
    struct rlimit rl;
    h->rlim_as = getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                 ? (uint64_t)rl.rlim_cur : UINT64_MAX;
    h->rlim_data = getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                   ? (uint64_t)rl.rlim_cur : UINT64_MAX;
    char buf[4096];
    if (read_small("/proc/sys/vm/max_map_count", buf, sizeof buf))
        h->map_max = (uint32_t)strtoul(buf, NULL, 10);
    if (read_small("/proc/self/status", buf, sizeof buf)) {
        h->vm_size0 = status_bytes(buf, "VmSize:");
        h->vm_data0 = status_bytes(buf, "VmData:");
    }
    if (read_small("/proc/self/stat", buf, sizeof buf)) {
        const char *p = strrchr(buf, ')');
        uint64_t v[47] = {0};
        for (int field = 3; p && field <= 46; field++) {
            p = strchr(p, ' ');
            if (p)
                v[field] = strtoull(++p, NULL, 10);
        }
        if (p && v[46] >= v[45])
            h->data_seg = v[46] - v[45];
    }
    uint32_t n = 0;
    for (const char *s = R.maps_buf; *s;) {
        const char *nl = strchr(s, '\n');
        if (!nl)
            break;
        n += !memmem(s, (size_t)(nl - s), "[vsyscall]", 10);
        s = nl + 1;
    }
    h->maps0 = n;
}

/* The main heap's resident pages as runs, when the parent asks for them
 * (HS_WIRE_WANT_PAGES): built by resident() from the same mincore vector
 * it counts, into one of two static buffers (the other holds the runs last
 * sent, to spot an unchanged heap).  See real/wire.h for the cut. */
typedef struct runs_acc {
    hs_wire_run *run;     /* HS_WIRE_MAX_RUNS entries */
    uint32_t n;
    int cut;              /* a run did not fit: covered is where it began */
    uint64_t covered;
} runs_acc;

/* Adds pages [page, page + n) of R.vec's verdicts (bit 0: resident) to acc.
 * Cannot fail: past HS_WIRE_MAX_RUNS runs it marks acc cut and stops adding. */
static void runs_add(runs_acc *acc, uint64_t page, uint64_t n, const unsigned char *v)
{
    for (uint64_t i = 0; i < n && !acc->cut; i++) {
        if (!(v[i] & 1u))
            continue;
        uint64_t p = page + i;
        hs_wire_run *last = acc->n ? &acc->run[acc->n - 1] : NULL;
        if (last && (uint64_t)last->first + last->count == p) {
            last->count++;
        } else if (acc->n == HS_WIRE_MAX_RUNS || p > UINT32_MAX - 1) {
            acc->cut = 1;
            acc->covered = p;
        } else {
            acc->run[acc->n].first = (uint32_t)p;
            acc->run[acc->n].count = 1;
            acc->n++;
        }
    }
}

/* Resident bytes of [start, end) (page-rounded) by mincore(2), in pieces of
 * VEC_PAGES; a range mincore refuses counts as 0.  With acc, the resident
 * pages also go into acc's runs, numbered from page0 at start's page.  With
 * lead, *lead gets how many pages from start on are all resident.  Cannot
 * fail. */
static uint64_t resident_at(uintptr_t start, uintptr_t end, runs_acc *acc, uint64_t page0,
                            uint64_t *lead)
{
    uint64_t n = 0, page = page0;
    int leading = 1;
    if (lead)
        *lead = 0;
    start &= ~(uintptr_t)(PAGE - 1);
    end = (end + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
    while (start < end) {
        uintptr_t pages = (end - start) / PAGE;
        if (pages > VEC_PAGES)
            pages = VEC_PAGES;
        if (mincore((void *)start, pages * PAGE, R.vec) == 0) {
            for (uintptr_t i = 0; i < pages; i++)
                n += R.vec[i] & 1u;
            if (acc)
                runs_add(acc, page, pages, R.vec);
            for (uintptr_t i = 0; lead && leading && i < pages; i++)
                if (R.vec[i] & 1u)
                    ++*lead;
                else
                    leading = 0;
        } else {
            leading = 0;
        }
        start += pages * PAGE;
        page += pages;
    }
    return n * PAGE;
}

/* See resident_at: pages numbered from 0, no lead.  Cannot fail. */
static uint64_t resident(uintptr_t start, uintptr_t end, runs_acc *acc)
{
    return resident_at(start, end, acc, 0, NULL);
}

/* Resident bytes of the main heap [brk0, brk), acc as resident()'s.  Heap
 * pages leave memory only through what marks rss_dirty (malloc_trim,
 * madvise) or a lower break, so the first heap_low pages, all resident at
 * the last measurement, still are: only the pages from there on are asked
 * of mincore.  On a recording's heap, written as it grows, that is the last
 * few pages instead of all of it (rescanning all of it was a quarter of real
 * mode's time on a 100 MB heap).  Cannot fail. */
static uint64_t heap_resident(uintptr_t brk, runs_acc *acc)
{
    uintptr_t base = R.brk0 & ~(uintptr_t)(PAGE - 1);
    uint64_t pages = brk > base ? (brk - base + PAGE - 1) / PAGE : 0;
    uint64_t low = R.rss_dirty ? 0 : R.heap_low < pages ? R.heap_low : pages;
    if (low > UINT32_MAX)
        low = 0;   /* a run numbers its pages in 32 bits: ask for all of them */
    if (acc && low) {
        acc->run[0].first = 0;
        acc->run[0].count = (uint32_t)low;
        acc->n = 1;
    }
    uint64_t lead;
    uint64_t n = low * PAGE + resident_at(base + low * PAGE, brk, acc, low, &lead);
    R.heap_low = low + lead;
    return n;
}

/* statm's first three fields (size, resident, shared: pages) into f, by a
 * pread into a static buffer; all 0 when it cannot be read.  Cannot fail. */
static void statm3(int64_t f[3])
{
    f[0] = f[1] = f[2] = 0;
    if (R.statm_fd < 0)
        return;
    ssize_t r = pread(R.statm_fd, R.statm_buf, sizeof R.statm_buf - 1, 0);
    if (r <= 0)
        return;
    R.statm_buf[r] = '\0';
    const char *s = R.statm_buf;
    for (int i = 0; i < 3; i++) {
        while (*s == ' ')
            s++;
        while (*s >= '0' && *s <= '9')
            f[i] = f[i] * 10 + (*s++ - '0');
    }
    memcpy(R.statm_last, f, sizeof R.statm_last);
}

/* Reads /proc/self/statm (statm3): *vm_pages gets the
 * size of the address space in pages (the kernel's total_vm, which
 * RLIMIT_AS is checked against) and the result is RssAnon in bytes:
 * resident minus shared (RssFile + RssShmem), computed by the kernel from
 * the same counters as /proc/self/status's RssAnon at a fraction of the
 * cost.  Both are 0 when it cannot be read. */
static int64_t read_statm(uint64_t *vm_pages)
{
    int64_t f[3];
    statm3(f);
    *vm_pages = (uint64_t)f[0];
    return (f[1] - f[2]) * (int64_t)PAGE;   /* size resident shared: pages */
}

/* RssAnon in bytes (see read_statm). */
static int64_t rss_anon_now(void)
{
    uint64_t vm;
    return read_statm(&vm);
}

/* ---- The measurement guard ----
 * A trace may corrupt the heap without glibc noticing (a cyclic fastbin
 * after free(a), free(b), free(a); a bin link the program overwrote).  The
 * program would go on; but mallinfo2() walks every bin and may then loop
 * forever, abort ("int_mallinfo(): unaligned fastbin chunk detected") or
 * fault.  So mallinfo2 runs under a guard: handlers for SIGSEGV, SIGBUS and
 * SIGABRT (installed once by guard_init: six sigaction calls per step were
 * a fifth of real mode's cost; outside the call the handler puts back the
 * default and raises the signal again, so the program's own crashes end
 * the process by the same signal as before), a CPU-time limit (ITIMER_PROF -> SIGPROF) for the
 * endless loop, fd 2 pointed at a side pipe (glibc's message for an abort
 * inside mallinfo2 must not read as the program's), and RLIMIT_AS lowered
 * to the current size (__libc_message maps a page for __abort_msg before it
 * aborts: refused, so no mapping of ours shifts the program's mmaps).  When
 * the guard fires, the handler siglongjmps out; mallinfo is reported as
 * unavailable from that step on, and mallinfo2 is never called again.
 *
 * mallinfo2 holds main_arena's mutex while it walks the bins, and the
 * interrupted call never releases it.  Single-threaded glibc 2.36 skips the
 * lock in malloc, calloc, realloc, memalign and most of free, but takes it
 * in mallopt, malloc_trim and in free's "invalid next size (fast)" check:
 * the program would deadlock there.  So the replayer finds main_arena at
 * startup (find_main_arena) and, after a fire, releases the mutex (glibc's
 * lll lock: an int, 0 when free); the program's later calls then run as
 * they would have.  If main_arena cannot be found, the lock stays held and
 * a later mallopt or malloc_trim ends the replay with exit status 4 and a
 * message (need_arena_lock); free's "invalid next size (fast)" path would
 * then hang until the parent's no-progress timeout.
 *
 * Until an op misuses memory (suspect() below), the heap is what glibc made
 * it and mallinfo2 cannot loop, fault or abort: it runs unguarded then, as
 * the guard's system calls (setrlimit, dup2, setitimer, sigprocmask) were
 * most of real mode's cost per step.  From the first such op on, every call
 * is guarded. */

#define MI_CPU_LIMIT_S 1   /* CPU seconds one mallinfo2 call may take */

/* glibc 2.36 x86_64 struct malloc_state (malloc.c), offsets in bytes. */
#define ARENA_TOP       0x60   /* mchunkptr top */
#define ARENA_BINS      0x70   /* mchunkptr bins[254] */
#define ARENA_NEXT      0x870  /* struct malloc_state *next */
#define ARENA_ATTACHED  0x880  /* INTERNAL_SIZE_T attached_threads */
#define ARENA_SYSMEM    0x888  /* INTERNAL_SIZE_T system_mem */
#define ARENA_SIZE      0x898
#define ARENA_NBINS     127

/* SIGSEGV, SIGBUS, SIGABRT and SIGPROF (installed for the whole run).  Armed: leave mallinfo2 by siglongjmp.
 * Not armed: a SIGPROF is a tick that lost the race with the call's return
 * and is dropped; any other signal is not ours to catch and kills the
 * process as it would have. */
static void guard_handler(int sig)
{
    if (!R.guard_armed) {
        if (sig == SIGPROF)
            return;
        out_flush();   /* the steps before the program's crash */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigaction(sig, &dfl, NULL);
        raise(sig);
        return;
    }
    R.guard_armed = 0;
    R.guard_sig = sig;
    siglongjmp(R.guard_env, 1);
}

/* Calls mallinfo2 into *out under the guard described above.  vm_pages is
 * the process's size (read_statm), 0 if unknown.  Returns 0 when the call
 * returned, else the signal that ended it (SIGPROF: the CPU limit); *out is
 * then meaningless.  Cannot fail otherwise: a part of the guard the kernel
 * refuses (setrlimit, dup2) is skipped. */
static __attribute__((noinline)) int guarded_mallinfo2(struct mallinfo2 *out, uint64_t vm_pages)
{
    if (!R.heap_suspect) {
        *out = hs_mallinfo2();
        return 0;
    }
    volatile int limited = 0, redirected = 0;
    if (R.as_limit_ok && vm_pages && vm_pages * PAGE < R.as_limit.rlim_cur) {
        struct rlimit l = { vm_pages * PAGE, R.as_limit.rlim_max };
        limited = setrlimit(RLIMIT_AS, &l) == 0;
    }
    if (R.saved_stderr >= 0)
        redirected = dup2(R.side_pipe[1], 2) == 2;
    struct itimerval limit, off;
    memset(&limit, 0, sizeof limit);
    memset(&off, 0, sizeof off);
    limit.it_value.tv_sec = MI_CPU_LIMIT_S;
    R.guard_sig = 0;
    if (sigsetjmp(R.guard_env, 1) == 0) {
        setitimer(ITIMER_PROF, &limit, NULL);
        R.guard_armed = 1;
        *out = hs_mallinfo2();
        R.guard_armed = 0;
    }
    setitimer(ITIMER_PROF, &off, NULL);
    if (redirected)
        dup2(R.saved_stderr, 2);
    if (limited)
        setrlimit(RLIMIT_AS, &R.as_limit);
    return R.guard_sig;
}

/* Sets up what the guard needs, before the first measurement: the
 * handlers, the side pipe for fd 2, the saved fd 2 and RLIMIT_AS.  Exits 3
 * when a handler cannot be installed; the other parts are optional. */
static void guard_init(void)
{
    static const int sigs[4] = { SIGPROF, SIGSEGV, SIGBUS, SIGABRT };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = guard_handler;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 4; i++)
        if (sigaction(sigs[i], &sa, NULL) != 0)
            die(3, "cannot install the measurement guard", strerror(errno));
    if (pipe2(R.side_pipe, O_NONBLOCK | O_CLOEXEC) == 0) {
        R.saved_stderr = fcntl(2, F_DUPFD_CLOEXEC, 10);
        if (R.saved_stderr < 0) {
            close(R.side_pipe[0]);
            close(R.side_pipe[1]);
            R.side_pipe[0] = R.side_pipe[1] = -1;
        }
    }
    R.as_limit_ok = getrlimit(RLIMIT_AS, &R.as_limit) == 0;
}

/* Whether the bytes at a are glibc 2.36's main_arena as malloc_init_state
 * leaves it before the first allocation: mutex free, top = the unsorted
 * bin, every bin empty (fd = bk = itself), next = itself, one attached
 * thread, no system memory.  a must have ARENA_SIZE readable bytes. */
static int is_fresh_main_arena(uintptr_t a)
{
    const volatile uintptr_t *w = (const volatile uintptr_t *)a;
    if (w[ARENA_NEXT / 8] != a || *(const volatile int *)a != 0)
        return 0;
    uintptr_t bin = a + ARENA_BINS - 2 * sizeof(uintptr_t);   /* bin_at(av, 1) */
    if (w[ARENA_TOP / 8] != bin || w[ARENA_ATTACHED / 8] != 1 || w[ARENA_SYSMEM / 8] != 0)
        return 0;
    for (unsigned i = 0; i < ARENA_NBINS; i++, bin += 2 * sizeof(uintptr_t))
        if (w[ARENA_BINS / 8 + 2 * i] != bin || w[ARENA_BINS / 8 + 2 * i + 1] != bin)
            return 0;
    return 1;
}

/* dl_iterate_phdr callback: scans every writable PT_LOAD segment (.data and
 * .bss) of every loaded object for main_arena.  Cannot fail. */
static int scan_object(struct dl_phdr_info *info, size_t size, void *ctx)
{
    (void)size;
    (void)ctx;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) || ph->p_memsz < ARENA_SIZE)
            continue;
        uintptr_t start = (info->dlpi_addr + ph->p_vaddr + 7) & ~(uintptr_t)7;
        uintptr_t end = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
        for (uintptr_t a = start; a + ARENA_SIZE <= end; a += 8)
            if (is_fresh_main_arena(a)) {
                R.arena_found = a;
                R.arena_matches++;
            }
    }
    return 0;
}

/* Finds main_arena's mutex (see the guard above); leaves R.arena_mutex NULL
 * when there is not exactly one match (another glibc, another layout).
 * Runs after the first mallinfo2 (malloc is initialised) and before the
 * first op.  Cannot fail. */
static void find_main_arena(void)
{
    R.arena_found = 0;
    R.arena_matches = 0;
    dl_iterate_phdr(scan_object, NULL);
    if (R.arena_matches == 1)
        R.arena_mutex = (volatile int *)R.arena_found;
}

/* Called before a program call that takes main_arena's mutex even in a
 * single-threaded process (mallopt, malloc_trim): if a failed measurement
 * left the lock held, the call would deadlock where the program would not,
 * so the replay ends here (exit 4).  Returns only when the lock is free. */
static void need_arena_lock(const char *call)
{
    if (R.arena_lock_held)
        die(4, call, "glibc's arena lock is held by an interrupted measurement of a corrupted heap");
}

/* Residency can only grow through a page fault, and only shrink when the
 * break moves down, a mapping goes away or moves (munmap, mremap), or
 * malloc_trim madvises pages away.  So measure() keeps the heap's count and
 * one count per live mmapped chunk (mm_ent.res) and measures again only what
 * the op can have changed: the heap when a fault happened or the break
 * moved; a mapping only when the op created it or wrote into it (mark_stale:
 * nothing but the program's ops and glibc's header writes fault pages into
 * an mmapped chunk, and those land in the chunk the op returned or
 * touched); a mapping that goes away takes its count with it (mm_remove).
 * The cost per step then does not grow with the number of live mappings.
 * R.rss_dirty (malloc_trim, a failed measurement, more than MAX_STALE
 * mappings written into since the last measurement: one op, or the ops of
 * the steps sampling skipped) falls back to measuring everything. */

/* Lists mm entry i as changed by the current op.  Cannot fail. */
static void mark_stale(uint64_t i)
{
    if (R.mm[i].stale)
        return;
    if (R.n_stale == MAX_STALE) {
        R.rss_dirty = 1;
        return;
    }
    R.mm[i].stale = 1;
    R.mm_res -= R.mm[i].res;
    R.mm[i].res = 0;
    R.stale[R.n_stale++] = i;
}

/* Lists every live mapping overlapping [a, a + len) as changed (a write
 * through a pointer that may be stale).  Cannot fail. */
static void mark_stale_range(uintptr_t a, uint64_t len)
{
    for (uint64_t i = 0; i < R.n_mm; i++)
        if (a < R.mm[i].map + R.mm[i].map_len && R.mm[i].map < a + (len ? len : 1))
            mark_stale(i);
}

/* Where the op at hand writes [a, a + len) through slot id: the slot's own
 * live mmapped chunk when the range lies inside it, else every mapping it
 * overlaps.  A range inside the heap changes no mapping.  Cannot fail. */
static void mark_written(uint32_t id, uintptr_t a, uint64_t len)
{
    if (R.slot_live[id] && R.slot_mm[id]) {
        const mm_ent *e = &R.mm[R.slot_mm[id] - 1];
        if (a >= e->map && a + len <= e->map + e->map_len) {
            mark_stale(R.slot_mm[id] - 1);
            return;
        }
    }
    if (a >= R.brk0 && a + len <= (uintptr_t)sbrk(0))
        return;
    mark_stale_range(a, len);
}

/* Fills the measured fields of s (everything but step, ptr, chunk; flags
 * gets the HS_WIRE_MI_* bits).  Cannot fail; a value the kernel will not
 * give reads as 0, and mallinfo that cannot be measured is flagged. */
static void measure(hs_wire_step *s)
{
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    getrusage(RUSAGE_SELF, &ru);
    uint64_t faults = (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;
    s->minflt = (uint64_t)ru.ru_minflt - R.minflt0;

    uintptr_t brk = (uintptr_t)sbrk(0);
    s->brk = brk - R.brk0;
    s->mmaps = R.n_mm;
    s->mmapped_bytes = R.mm_bytes;
    /* statm (VmSize, resident, shared) can only have changed through a
     * fault, the break, a mapping glibc made or dropped, or pages given back
     * (rss_dirty); without any of them its last read stands (a third of a
     * measured step's cost).  Always read for another allocator (its
     * mappings are not tracked), a trace with threads (their heaps), and
     * once the heap is suspect (the guard needs the size). */
    int statm_same = R.statm_read && R.glibc && !R.want_arenas && !R.heap_suspect &&
                     !R.rss_dirty && faults == R.last_faults && brk == R.last_brk &&
                     R.mm_changes == R.statm_mm;
    if (R.rss_dirty || faults != R.last_faults || brk != R.last_brk) {
        runs_acc acc = { R.run_buf[R.run_cur ^ 1], 0, 0, 0 };
        R.heap_res = heap_resident(brk, R.want_pages ? &acc : NULL);
        if (R.want_pages) {
            hs_wire_pages pg;
            memset(&pg, 0, sizeof pg);
            pg.n_runs = acc.n;
            pg.pages = ((brk - (R.brk0 & ~(uintptr_t)(PAGE - 1))) + PAGE - 1) / PAGE;
            pg.covered = acc.cut ? acc.covered : pg.pages;
            pg.flags = acc.cut ? HS_WIRE_PAGES_CUT : 0;
            if (!R.pages_sent || pg.n_runs != R.pages_cur.n_runs || pg.pages != R.pages_cur.pages ||
                pg.covered != R.pages_cur.covered ||
                memcmp(R.run_buf[R.run_cur], acc.run, acc.n * sizeof(hs_wire_run)) != 0) {
                R.run_cur ^= 1;
                R.pages_cur = pg;
                R.pages_sent = 0;   /* changed: the next record carries the runs */
            }
        }
        R.last_faults = faults;
        R.last_brk = brk;
    }
    if (R.rss_dirty) {
        R.mm_res = 0;
        for (uint64_t i = 0; i < R.n_mm; i++) {
            R.mm[i].res = resident(R.mm[i].map, R.mm[i].map + R.mm[i].map_len, NULL);
            R.mm[i].stale = 0;
            R.mm_res += R.mm[i].res;
        }
    } else {
        for (uint32_t k = 0; k < R.n_stale; k++) {
            mm_ent *e = &R.mm[R.stale[k]];
            e->res = resident(e->map, e->map + e->map_len, NULL);
            e->stale = 0;
            R.mm_res += e->res;
        }
    }
    R.n_stale = 0;
    R.rss_dirty = 0;
    s->rss = R.heap_res + R.mm_res;
    uint64_t vm_pages;
    if (statm_same) {
        vm_pages = (uint64_t)R.statm_last[0];
        s->rss_anon = (R.statm_last[1] - R.statm_last[2]) * (int64_t)PAGE - R.rss_anon0;
    } else {
        s->rss_anon = read_statm(&vm_pages) - R.rss_anon0;
        R.statm_read = 1;
        R.statm_mm = R.mm_changes;
    }

    /* Sampling: mallinfo2 walks every free chunk (int_mallinfo) and, on a
     * heap holding tens of thousands of them, costs more than hundreds of
     * ops; it is called again once the ops since its last call pay for that
     * walk (real/wire.h HS_WIRE_MI_SKIPPED).  Never on a suspect heap: the
     * step where the walk would hang must be found. */
    if (!R.mi_lost && R.glibc) {
        if (R.sample > 1 && !R.heap_suspect && s->step > 1 && s->step < R.n_ops && s->step < R.mi_next) {
            s->flags |= HS_WIRE_MI_SKIPPED;
            return;
        }
        struct mallinfo2 mi;
        memset(&mi, 0, sizeof mi);
        int sig = guarded_mallinfo2(&mi, vm_pages);
        if (!sig) {
            s->mi[0] = mi.arena;
            s->mi[1] = mi.ordblks;
            s->mi[2] = mi.smblks;
            s->mi[3] = mi.hblks;
            s->mi[4] = mi.hblkhd;
            s->mi[5] = mi.uordblks;
            s->mi[6] = mi.fordblks;
            s->mi[7] = mi.fsmblks;
            s->mi[8] = mi.keepcost;
            R.mi_next = s->step + (mi.ordblks + mi.smblks) / HS_WIRE_MI_VISITS;
            return;
        }
        R.mi_lost = sig;
        s->flags |= HS_WIRE_MI_FAILED;
        /* The interrupted call holds main_arena's mutex (unless the CPU
         * limit struck after it let go): release it, or remember. */
        if (R.arena_mutex) {
            if (*R.arena_mutex != 0)
                *R.arena_mutex = 0;
        } else {
            R.arena_lock_held = 1;
        }
        /* glibc's message, if it aborted: kept out of the program's stderr. */
        if (R.side_pipe[0] >= 0)
            while (read(R.side_pipe[0], R.side_buf, sizeof R.side_buf) > 0)
                ;
        /* Pages the failed call faulted in (a wild pointer it followed) are
         * the replayer's, not the program's: leave them out of minflt. */
        struct rusage after;
        memset(&after, 0, sizeof after);
        getrusage(RUSAGE_SELF, &after);
        if ((uint64_t)after.ru_minflt > (uint64_t)ru.ru_minflt) {
            R.minflt0 += (uint64_t)after.ru_minflt - (uint64_t)ru.ru_minflt;
            R.rss_dirty = 1;
        }
    }
    s->flags |= HS_WIRE_NO_MALLINFO | ((uint32_t)R.mi_lost << HS_WIRE_MI_SIG_SHIFT);
}

/* Starts tracking the mmapped chunk at mem for slot id.  The table has room
 * for DEFAULT_MMAP_MAX chunks (or one per allocating op); past that it grows
 * with mremap, which faults pages in mid-replay.  Exits 3 if it cannot grow. */
static void mm_add(uint32_t id, uintptr_t mem)
{
    if (R.n_mm == R.mm_cap) {
        size_t old = (R.mm_cap * sizeof(mm_ent) + PAGE - 1) & ~(size_t)(PAGE - 1);
        void *p = mremap(R.mm, old, 2 * old, MREMAP_MAYMOVE);
        if (p == MAP_FAILED)
            die(3, "cannot grow the mmapped-chunk table", strerror(errno));
        R.mm = p;
        R.mm_cap = 2 * old / sizeof(mm_ent);
    }
    const volatile size_t *hdr = (const volatile size_t *)mem;
    uint64_t chunk = hdr[-1] & ~(uint64_t)SIZE_BITS;
    uint64_t prev = hdr[-2];
    mm_ent *e = &R.mm[R.n_mm];
    e->mem = mem;
    e->map = mem - 2 * sizeof(size_t) - prev;
    e->map_len = prev + chunk;
    e->chunk = chunk;
    e->owner = id;
    e->res = 0;
    e->stale = 0;
    R.n_mm++;
    R.mm_changes++;
    R.mm_bytes += chunk;
    R.slot_mm[id] = (uint32_t)R.n_mm;
    mark_stale(R.n_mm - 1);   /* measured after the op, its touch included */
}

/* Stops tracking entry i (swap-remove).  Cannot fail. */
static void mm_remove(uint64_t i)
{
    R.mm_bytes -= R.mm[i].chunk;
    R.mm_res -= R.mm[i].res;   /* 0 while stale */
    if (R.mm[i].stale) {       /* out of the stale list */
        for (uint32_t k = 0; k < R.n_stale; k++)
            if (R.stale[k] == i) {
                R.stale[k] = R.stale[--R.n_stale];
                break;
            }
    }
    if (R.mm[i].owner != HS_NO_ID && R.slot_mm[R.mm[i].owner] == i + 1)
        R.slot_mm[R.mm[i].owner] = 0;
    R.n_mm--;
    R.mm_changes++;
    if (i != R.n_mm) {
        for (uint32_t k = 0; k < R.n_stale; k++)   /* the last entry moves to i */
            if (R.stale[k] == R.n_mm)
                R.stale[k] = i;
        R.mm[i] = R.mm[R.n_mm];
        if (R.mm[i].owner != HS_NO_ID)
            R.slot_mm[R.mm[i].owner] = (uint32_t)(i + 1);
    }
}

/* Bytes the live chunk at p may be written without touching glibc's
 * metadata (malloc_usable_size's rule, from the chunk header).  Only for a
 * pointer glibc returned and that is still live.  Cannot fail. */
static uint64_t usable(const void *p)
{
    if (!R.glibc)
        return UINT64_MAX;   /* another allocator's header is not glibc's: no check */
    size_t word = ((const volatile size_t *)p)[-1];
    uint64_t cs = word & ~(size_t)SIZE_BITS;
    uint64_t over = (word & IS_MMAPPED_BIT) ? 2 * sizeof(size_t) : sizeof(size_t);
    return cs > over ? cs - over : 0;
}

/* Marks the heap as possibly corrupted by the program (see the guard): from
 * now on mallinfo2 runs guarded.  Cannot fail. */
/* The op about to run misuses memory: from here on glibc may abort, fault
 * or loop forever in any call, so the steps kept so far go out now and
 * every later step goes out at once (the parent names the step that never
 * ended).  Exits 3 as write_all. */
static void suspect(void)
{
    R.heap_suspect = 1;
    out_flush();
}

static void threads_chunk(uintptr_t mem, size_t word, hs_wire_step *s);

/* Records what an allocating op returned in slot id and in step s, then
 * writes touch bytes.  Cannot fail. */
static void got(uint32_t id, void *r, uint64_t touch, hs_wire_step *s)
{
    R.slot_p[id] = r;
    if (!r)
        return;
    R.slot_live[id] = 1;
    if (!R.glibc) {   /* another allocator: no glibc chunk header to read */
        s->flags |= HS_WIRE_RESULT;
        if (touch)
            hs_memset(r, 1, touch);
        return;
    }
    uintptr_t u = (uintptr_t)r;
    size_t word = ((const volatile size_t *)r)[-1];
    s->flags |= HS_WIRE_RESULT;
    s->chunk = word & ~(size_t)SIZE_BITS;
    if (word & IS_MMAPPED_BIT) {
        s->flags |= HS_WIRE_MMAPPED;
        mm_add(id, u);
    } else if (u >= R.brk0 && u < (uintptr_t)sbrk(0)) {
        s->flags |= HS_WIRE_HEAP;
        s->ptr = u - R.brk0;
    }
    threads_chunk(u, word, s);
    if (touch) {
        if (touch > usable(r))
            suspect();
        hs_memset(r, 1, touch);
    }
}

/* The slot id lets go of its chunk (freed, or realloc moved it): untrack the
 * chunk if it was a live mmapped one.  Cannot fail. */
static void drop_slot(uint32_t id)
{
    if (R.slot_mm[id])
        mm_remove(R.slot_mm[id] - 1);
    R.slot_live[id] = 0;
}

/* Writes step s to fd 4 with one write, followed, when the parent asked for
 * pages, by the heap's runs (or HS_WIRE_PAGES_SAME when they did not change
 * since the last record).  Exits 3 on an error, as write_all. */
static void send_step(const hs_wire_step *s)
{
    if (!R.want_pages) {
        out_put(s, sizeof *s);
        return;
    }
    hs_wire_pages pg = R.pages_cur;
    size_t len = sizeof *s + sizeof pg;
    if (R.pages_sent) {
        pg.flags |= HS_WIRE_PAGES_SAME;
        pg.n_runs = 0;
    }
    memcpy(R.out_buf, s, sizeof *s);
    memcpy(R.out_buf + sizeof *s, &pg, sizeof pg);
    memcpy(R.out_buf + len, R.run_buf[R.run_cur], pg.n_runs * sizeof(hs_wire_run));
    len += pg.n_runs * sizeof(hs_wire_run);
    R.pages_sent = 1;
    out_put(R.out_buf, len);
}

static void replay_madvise(uintptr_t a, uint64_t len, int advice);   /* (below) */

/* Sampling (real/wire.h): whether step i + 1, whose op has just run, must
 * be measured: always without sampling; else the first and last step,
 * every R.sample-th, a step that moved the break (sbrk(0): no system call),
 * added or removed a live mmapped chunk (mm_changes: R.mm_changes before
 * the op), may have dropped pages (rss_dirty: malloc_trim, madvise, or
 * more changed mappings than the stale list holds), asks for smaps, or
 * comes after a misuse.  A skipped step's faults and the mappings it wrote
 * into (the stale list) are caught by the next measured one.  Cannot fail. */
static int must_measure(uint64_t i, uint64_t mm_changes)
{
    return R.sample <= 1 || i == 0 || i + 1 == R.n_ops || (i + 1) % R.sample == 0 ||
           R.heap_suspect || R.rss_dirty || R.mm_changes != mm_changes ||
           (R.ops[i].flags & HS_WIRE_OP_SMAPS) || (uintptr_t)sbrk(0) != R.last_brk;
}

/* Sends step s, not measured, as an hs_wire_short: what its op returned
 * (got()) and the time of its call.  Exits 3 as write_all. */
static void send_short(const hs_wire_step *s)
{
    hs_wire_short w;
    w.step = s->step;
    w.flags = HS_WIRE_UNMEASURED |
              (s->flags & (HS_WIRE_RESULT | HS_WIRE_MMAPPED | HS_WIRE_HEAP));
    w.ptr = s->ptr;
    w.chunk = s->chunk;
    w.ns = 0;
    if (R.timed) {
        w.flags |= HS_WIRE_NS;
        w.ns = R.ns;
    }
    R.timed = 0;
    out_put(&w, sizeof w);
}

/* Replays op i into step s (flags, ptr, chunk).  Misuse is replayed as is:
 * glibc may abort the process here. */
static void replay_one(const hs_wire_op *op, hs_wire_step *s)
{
    uint32_t id = op->id;
    void *r, *old;
    switch (op->kind) {
    case HS_OP_MALLOC:
        r = hs_malloc(op->size);
        got(id, r, op->touch, s);
        break;
    case HS_OP_CALLOC:
        r = hs_calloc(op->arg, op->size);
        got(id, r, op->touch, s);
        break;
    case HS_OP_MEMALIGN:
        r = hs_memalign(op->arg, op->size);
        got(id, r, op->touch, s);
        break;
    case HS_OP_REALLOC:
        old = R.slot_p[id];
        if (old != NULL && !R.slot_live[id])
            suspect();
        r = hs_realloc(old, op->size);
        if (r != NULL || (old != NULL && op->size == 0)) {
            drop_slot(id);           /* moved, resized in place, or freed */
        } else if (R.slot_mm[id]) {    /* failed: the old chunk stays live, unnamed */
            mark_stale(R.slot_mm[id] - 1);
            R.mm[R.slot_mm[id] - 1].owner = HS_NO_ID;
            R.slot_mm[id] = 0;
            R.slot_live[id] = 0;
        } else {
            R.slot_live[id] = 0;
        }
        got(id, r, op->touch, s);
        break;
    case HS_OP_FREE:
        old = R.slot_p[id];
        if (old != NULL && !R.slot_live[id])
            suspect();
        hs_free(old);
        if (R.slot_live[id]) {
            drop_slot(id);
        } else if (old != NULL) {
            /* A stale pointer glibc accepted: if a live mapping now sits at
             * that address, it was just unmapped. */
            for (uint64_t i = 0; i < R.n_mm; i++)
                if (R.mm[i].mem == (uintptr_t)old) {
                    mm_remove(i);
                    break;
                }
        }
        break;
    case HS_OP_TOUCH:
        if (R.slot_p[id]) {
            if (!R.slot_live[id] || op->arg + op->size > usable(R.slot_p[id]) ||
                op->arg + op->size < op->arg)
                suspect();
            hs_memset((char *)R.slot_p[id] + op->arg, 1, op->size);
            mark_written(id, (uintptr_t)R.slot_p[id] + op->arg, op->size);
        }
        break;
    case HS_OP_WRITE:   /* the program's store, maybe into freed memory: misuse on purpose */
        suspect();
        if (R.slot_p[id])
            *(volatile uint64_t *)(void *)((char *)R.slot_p[id] + op->arg) =
                op->size ? (uint64_t)(uintptr_t)R.slot_p[op->size - 1] : (uint64_t)op->value;
        if (R.slot_p[id])
            mark_written(id, (uintptr_t)R.slot_p[id] + op->arg, sizeof(uint64_t));
        break;
    case HS_OP_MADVISE:
        if (R.slot_p[id])
            replay_madvise((uintptr_t)R.slot_p[id] + op->arg, op->size, op->param);
        break;
    case HS_OP_MALLOPT:
        need_arena_lock("cannot run mallopt");
        hs_mallopt(hs_param_glibc(op->param), (int)op->value);
        break;
    case HS_OP_MALLOC_TRIM:
        need_arena_lock("cannot run malloc_trim");
        hs_malloc_trim(op->size);
        R.rss_dirty = 1;
        break;
    }
}

/* ---- Threads and arenas (issue 13; docs/real.md "Threads") ----
 * A trace whose ops name threads (HS_WIRE_WANT_ARENAS) runs each named
 * thread as a real pthread, all created before the first op, each blocked on
 * its own semaphore.  The main thread stays the conductor: for an op of
 * thread k it posts k's semaphore and waits on `done`; k replays the op
 * (replay_one, the same code as the main thread's ops) and posts `done`.  So
 * exactly one thread runs at a time, in trace order, and sem_post/sem_wait
 * (futexes) are the whole hand-over: nothing in it mallocs.  Measurement
 * happens in the main thread, after the op's thread posted `done`, while
 * every other thread is blocked.  A thread_exit op posts the thread's
 * semaphore with no op: it returns from its start routine (glibc then runs
 * tcache_thread_shutdown and arena_thread_freeres) and the main thread joins
 * it before measuring.
 *
 * pthread_create itself callocs the new thread's DTV (17 * 16 bytes with
 * glibc 2.36 here) in the calling thread's arena.  That would put a chunk
 * (and 132 KiB of break) into the main heap before the first op, which a
 * single-threaded replay of the same ops would not have.  So this file
 * defines malloc, calloc, realloc and free: while the threads are being
 * created (TH.in_setup) they serve from a static pool; otherwise they pass
 * straight to glibc's __libc_* (the program's own ops call __libc_* directly,
 * see hs_malloc).  The hello reports what the pool served.
 *
 * Stacks are glibc's (mmap, with a guard page), HS_THREAD_STACK each; they
 * are mapped before foreign[] is read, so the hello lists them.  A joined
 * thread's stack goes to glibc's stack cache; the cache frees stacks (and
 * their DTVs) only past 40 MiB, which HS_WIRE_MAX_THREADS stacks of this
 * size never reach: a join frees nothing of glibc's heap. */

#ifndef HS_REPLAY_NO_THREADS

#define HS_THREAD_STACK (256u * 1024u)
#define THREAD_PRETOUCH (160u * 1024u)
#define HEAP_MAX ((uintptr_t)64 << 20)     /* HEAP_MAX_SIZE on x86_64 (arena.c) */
#define NON_MAIN_BIT 4u                    /* NON_MAIN_ARENA */
#define ARENA_FASTBINS 0x10                /* mfastbinptr fastbinsY[NFASTBINS] */
#define ARENA_NFASTBINS 10
#define HEAP_PREV 8                        /* heap_info: ar_ptr, prev, size */
#define HEAP_SIZE 16
#define MAX_ARENAS_SEEN 1024u              /* arenas tracked (reported: HS_WIRE_MAX_ARENAS) */
#define MAX_HEAPS_WALK 4096u               /* heaps of one arena walked for rss */
#define POOL_SIZE (64u * 1024u)

typedef struct worker {
    pthread_t tid;
    sem_t go;
    const hs_wire_op *op;   /* the op to replay; NULL: return (thread_exit) */
    hs_wire_step *s;
    int exited;
} worker;

static struct threads {
    int on;                         /* the trace has threads */
    uint32_t n;                     /* workers 1..n */
    worker w[HS_WIRE_MAX_THREADS + 1];
    sem_t done;
    volatile int in_setup;          /* thread creation under way: allocate from pool */
    _Alignas(16) unsigned char pool[POOL_SIZE];
    size_t pool_used;
    uint64_t setup_allocs, setup_bytes;
    int safe_linking;               /* glibc >= 2.32 mangles fastbin links */
    uintptr_t step_ar;              /* arena of the chunk the current op returned, 0 none */
    uintptr_t step_heap;            /* ... or, for a non-main chunk, its heap_info (read at
                                       the measurement, under the guard once suspect) */
    uintptr_t ar[MAX_ARENAS_SEEN];  /* arenas in creation order, main first */
    uint32_t n_ar;
    uintptr_t walk[MAX_ARENAS_SEEN];
    int lost;                       /* the arena walk faulted or looped: no more arena data */
    uint64_t heaps_res, heaps_sig, faults_seen;
    int heaps_measured;
} TH;

/* ---- the allocator during thread creation ---- */

/* A zeroed pool block of n bytes, 16-aligned, its size in the 16 bytes
 * before it; NULL when the pool is full (pthread_create then fails and the
 * replayer exits 3). */
static void *pool_alloc(size_t n)
{
    size_t need = ((n + 15) & ~(size_t)15) + 16;
    if (n > POOL_SIZE || need > POOL_SIZE - TH.pool_used)
        return NULL;
    unsigned char *p = TH.pool + TH.pool_used;
    TH.pool_used += need;
    memset(p, 0, need);
    *(size_t *)(void *)p = n;
    TH.setup_allocs++;
    TH.setup_bytes += n;
    return p + 16;
}

static int in_pool(const void *p)
{
    return (const unsigned char *)p >= TH.pool && (const unsigned char *)p < TH.pool + POOL_SIZE;
}

/* The process's malloc, calloc, realloc and free (glibc's own calls, ld.so's
 * included, come here): the pool during thread creation, glibc otherwise.
 * They fail as glibc's do (NULL). */
void *malloc(size_t n)
{
    return TH.in_setup ? pool_alloc(n) : __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    if (!TH.in_setup)
        return __libc_calloc(n, size);
    if (size && n > SIZE_MAX / size)
        return NULL;
    return pool_alloc(n * size);
}

void *realloc(void *p, size_t n)
{
    if (!in_pool(p))
        return TH.in_setup && !p ? pool_alloc(n) : __libc_realloc(p, n);
    size_t old = *(const size_t *)(const void *)((const unsigned char *)p - 16);
    void *q = TH.in_setup ? pool_alloc(n) : __libc_malloc(n);
    if (q)
        memcpy(q, p, old < n ? old : n);
    return q;
}

void free(void *p)
{
    if (!in_pool(p))   /* a pool block is never given back */
        __libc_free(p);
}

/* ---- the threads ---- */

/* Writes one byte per half page of the next THREAD_PRETOUCH bytes of this
 * thread's stack.  Cannot fail. */
static __attribute__((noinline)) void pretouch_thread_stack(void)
{
    volatile char buf[THREAD_PRETOUCH];
    for (size_t i = 0; i < sizeof buf; i += PAGE / 2)
        buf[i] = 0;
    buf[sizeof buf - 1] = 0;
}

/* A trace thread: waits for its ops, replays them, returns at thread_exit.
 * SIGPROF (the measurement guard's CPU limit) is blocked here so that it is
 * always delivered to the main thread, which measures. */
static void *worker_main(void *arg)
{
    worker *w = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPROF);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pretouch_thread_stack();
    sem_post(&TH.done);
    for (;;) {
        while (sem_wait(&w->go) != 0)
            ;
        if (!w->op)
            return NULL;
        replay_one(w->op, w->s);
        sem_post(&TH.done);
    }
}

/* Starts the trace's threads (the highest thread index of the ops), each
 * with its stack pre-touched and blocked on its semaphore.  Exits 3 when a
 * thread cannot be created. */
static void threads_start(void)
{
    const char *v = gnu_get_libc_version();
    unsigned major = 0, minor = 0;
    while (*v >= '0' && *v <= '9')
        major = major * 10 + (unsigned)(*v++ - '0');
    if (*v == '.')
        v++;
    while (*v >= '0' && *v <= '9')
        minor = minor * 10 + (unsigned)(*v++ - '0');
    TH.safe_linking = major > 2 || (major == 2 && minor >= 32);
    for (uint64_t i = 0; i < R.n_ops; i++)
        if (R.ops[i].thread > TH.n)
            TH.n = R.ops[i].thread;
    if (sem_init(&TH.done, 0, 0) != 0)
        die(3, "cannot start the trace's threads", strerror(errno));
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, HS_THREAD_STACK);
    TH.in_setup = 1;
    for (uint32_t k = 1; k <= TH.n; k++) {
        worker *w = &TH.w[k];
        int e = sem_init(&w->go, 0, 0) != 0 ? errno : pthread_create(&w->tid, &at, worker_main, w);
        if (e != 0)
            die(3, "cannot start the trace's threads", strerror(e));
        while (sem_wait(&TH.done) != 0)
            ;
    }
    TH.in_setup = 0;
    pthread_attr_destroy(&at);
}

/* Replays op into s in the op's thread (see above).  Misuse is replayed as
 * is: glibc may abort the process in any thread. */
static void run_op(const hs_wire_op *op, hs_wire_step *s)
{
    if (!TH.on || op->thread == 0) {
        replay_one(op, s);
        return;
    }
    worker *w = &TH.w[op->thread];
    if (op->kind == HS_OP_THREAD_EXIT) {
        w->op = NULL;
        sem_post(&w->go);
        pthread_join(w->tid, NULL);
        w->exited = 1;
        R.rss_dirty = 1;   /* the exit's frees may have trimmed a heap */
        return;
    }
    w->op = op;
    w->s = s;
    sem_post(&w->go);
    while (sem_wait(&TH.done) != 0)
        ;
}

/* Called by got() for every chunk an op returned: notes its arena (for the
 * measurement) and, for a chunk of a non-main arena, its offset in its
 * heap_info heap (arena.c heap_for_ptr, arena_for_chunk).  Cannot fail. */
static void threads_chunk(uintptr_t mem, size_t word, hs_wire_step *s)
{
    if (!TH.on || (word & IS_MMAPPED_BIT))
        return;
    if (word & NON_MAIN_BIT) {
        uintptr_t heap = (mem - 2 * sizeof(size_t)) & ~(HEAP_MAX - 1);
        s->flags |= HS_WIRE_NON_MAIN;
        s->ptr = mem & (HEAP_MAX - 1);
        TH.step_heap = heap;   /* a size word the program forged may point anywhere */
    } else {
        TH.step_ar = (uintptr_t)R.arena_mutex;   /* &main_arena, 0 when not found */
    }
}

/* ---- the arena walk (main thread, every other thread blocked) ---- */

/* chunksize() of the chunk at p. */
static uint64_t csize(uintptr_t p)
{
    return ((const volatile size_t *)p)[1] & ~(size_t)SIZE_BITS;
}

/* Brings TH.ar up to date from main_arena.next (_int_new_arena pushes a new
 * arena right after main_arena, so the list runs newest first; arenas are
 * never freed).  Returns 0, or -1 when the list does not close within
 * MAX_ARENAS_SEEN (a corrupted arena). */
static int arenas_refresh(void)
{
    uintptr_t main = R.arena_found;
    uint32_t n = 0;
    for (uintptr_t a = ((const volatile uintptr_t *)main)[ARENA_NEXT / 8]; a != main;
         a = ((const volatile uintptr_t *)a)[ARENA_NEXT / 8]) {
        if (n == MAX_ARENAS_SEEN - 1)
            return -1;
        TH.walk[n++] = a;
    }
    if (TH.n_ar == 0)
        TH.ar[TH.n_ar++] = main;
    for (uint32_t k = n - (TH.n_ar - 1); k-- > 0;)   /* the new ones, oldest first */
        TH.ar[TH.n_ar++] = TH.walk[k];
    return 0;
}

/* malloc_stats' figures for arena a (int_mallinfo: system bytes =
 * system_mem; in use = system_mem - top - free chunks in the fastbins and
 * bins; tcache'd chunks count as in use).  Returns -1 when a list does not
 * end within what the arena's size allows (a cycle). */
static int arena_figures(uintptr_t a, uint64_t *system, uint64_t *in_use)
{
    const volatile uintptr_t *w = (const volatile uintptr_t *)a;
    uint64_t sys = w[ARENA_SYSMEM / 8], avail = csize(w[ARENA_TOP / 8]);
    uint64_t budget = sys / 32 + 4;
    for (int i = 0; i < ARENA_NFASTBINS; i++)
        for (uintptr_t p = w[ARENA_FASTBINS / 8 + i]; p; ) {
            if (budget-- == 0)
                return -1;
            avail += csize(p);
            uintptr_t fd = ((const volatile uintptr_t *)p)[2];
            p = TH.safe_linking ? ((p + 16) >> 12) ^ fd : fd;
        }
    uintptr_t b = a + ARENA_BINS - 2 * sizeof(uintptr_t);   /* bin_at(av, 1) */
    for (unsigned i = 0; i < ARENA_NBINS; i++, b += 2 * sizeof(uintptr_t))
        for (uintptr_t p = ((const volatile uintptr_t *)b)[3]; p != b;
             p = ((const volatile uintptr_t *)p)[3]) {
            if (budget-- == 0)
                return -1;
            avail += csize(p);
        }
    *system = sys;
    *in_use = sys - avail;
    return 0;
}

/* Resident bytes of every non-main arena's heaps, [heap_info, + size) each
 * (the part grow_heap made read-write and shrink_heap did not give back),
 * measured again only when a fault happened, a heap changed size or count,
 * or dirty.  Returns -1 on a heap list that does not end. */
static int heaps_resident(int dirty, uint64_t *out)
{
    uint64_t sig = 0;
    for (uint32_t k = 1; k < TH.n_ar; k++) {
        uintptr_t h = ((const volatile uintptr_t *)TH.ar[k])[ARENA_TOP / 8] & ~(HEAP_MAX - 1);
        for (unsigned n = 0; h; n++, h = ((const volatile uintptr_t *)h)[HEAP_PREV / 8]) {
            if (n == MAX_HEAPS_WALK)
                return -1;
            sig = sig * 1000003u + h + ((const volatile uint64_t *)h)[HEAP_SIZE / 8];
        }
    }
    if (!dirty && TH.heaps_measured && sig == TH.heaps_sig && R.last_faults == TH.faults_seen) {
        *out = TH.heaps_res;
        return 0;
    }
    uint64_t res = 0;
    for (uint32_t k = 1; k < TH.n_ar; k++) {
        uintptr_t h = ((const volatile uintptr_t *)TH.ar[k])[ARENA_TOP / 8] & ~(HEAP_MAX - 1);
        for (; h; h = ((const volatile uintptr_t *)h)[HEAP_PREV / 8])
            res += resident(h, h + ((const volatile uint64_t *)h)[HEAP_SIZE / 8], NULL);
    }
    TH.heaps_res = res;
    TH.heaps_sig = sig;
    TH.faults_seen = R.last_faults;
    TH.heaps_measured = 1;
    *out = res;
    return 0;
}

/* The walk proper: arena index of this op's chunk, the arenas' figures
 * (with mallinfo: the same heap state glibc's mallinfo2 just walked) and
 * their heaps' residency added to rss.  Returns 0, or -1 (a list that does
 * not end). */
static int arenas_walk(hs_wire_step *s, int dirty)
{
    if (arenas_refresh() != 0)
        return -1;
    if (TH.step_heap)
        TH.step_ar = *(const volatile uintptr_t *)TH.step_heap;   /* heap_info.ar_ptr */
    if (TH.step_ar)
        for (uint32_t k = 0; k < TH.n_ar; k++)
            if (TH.ar[k] == TH.step_ar) {
                s->flags |= HS_WIRE_ARENA;
                s->arena = k;
                break;
            }
    if (s->flags & HS_WIRE_MI_FAILED)   /* the failed mallinfo2 left an arena locked */
        for (uint32_t k = 0; k < TH.n_ar; k++)
            if (*(volatile int *)TH.ar[k] != 0)
                *(volatile int *)TH.ar[k] = 0;
    uint64_t res;
    if (heaps_resident(dirty, &res) != 0)
        return -1;
    s->rss += res;
    if (s->flags & HS_WIRE_NO_MALLINFO)
        return 0;
    uint32_t n = TH.n_ar < HS_WIRE_MAX_ARENAS ? TH.n_ar : HS_WIRE_MAX_ARENAS;
    for (uint32_t k = 0; k < n; k++)
        if (arena_figures(TH.ar[k], &s->arenas[k][0], &s->arenas[k][1]) != 0)
            return -1;
    s->n_arenas = n;
    s->flags |= HS_WIRE_ARENAS | (TH.n_ar > n ? HS_WIRE_ARENAS_CUT : 0);
    return 0;
}

/* After measure(): the arena fields of s (see wire.h) when the trace has
 * threads and main_arena was found.  dirty: measure() rescanned everything.
 * Once the heap is suspect the walk runs under the measurement guard (it
 * reads what the program may have overwritten); if it faults or loops, no
 * arena data is reported from then on (rss then leaves the arenas' heaps
 * out).  Cannot fail. */
static __attribute__((noinline)) void measure_arenas(hs_wire_step *s, int dirty)
{
    if (!TH.on || TH.lost || !R.arena_mutex) {
        TH.step_ar = TH.step_heap = 0;
        return;
    }
    hs_wire_step keep = *s;
    if (!R.heap_suspect) {
        if (arenas_walk(s, dirty) != 0) {
            *s = keep;
            TH.lost = 1;
        }
        TH.step_ar = TH.step_heap = 0;
        return;
    }
    R.guard_sig = 0;
    volatile int failed = 1;
    if (sigsetjmp(R.guard_env, 1) == 0) {
        R.guard_armed = 1;
        failed = arenas_walk(s, dirty) != 0;
        R.guard_armed = 0;
    }
    if (failed) {
        *s = keep;
        TH.lost = 1;
    }
    TH.step_ar = TH.step_heap = 0;
}

/* Checks the ops' threads: an index within HS_WIRE_MAX_THREADS (and none
 * unless the header said threads), no thread_exit of the main thread, no op
 * of a thread after its exit.  Exits 2 on the first bad one. */
static void threads_check_ops(int want)
{
    static uint8_t gone[HS_WIRE_MAX_THREADS + 1];
    for (uint64_t i = 0; i < R.n_ops; i++) {
        const hs_wire_op *op = &R.ops[i];
        if (op->thread > HS_WIRE_MAX_THREADS || (op->thread && !want))
            die(2, "bad op stream", "thread index out of range");
        if (op->kind == HS_OP_THREAD_EXIT && op->thread == 0)
            die(2, "bad op stream", "thread_exit of the main thread");
        if (gone[op->thread])
            die(2, "bad op stream", "an op of a thread after its thread_exit");
        if (op->kind == HS_OP_THREAD_EXIT)
            gone[op->thread] = 1;
    }
    TH.on = want;
}

/* CPUs in this process's affinity mask (glibc's __get_nprocs_sched), 0 if
 * unknown. */
static uint32_t cpus_now(void)
{
    static cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 0;
    return (uint32_t)CPU_COUNT(&set);
}

#else  /* HS_REPLAY_NO_THREADS: a trace with threads is refused */

static void threads_chunk(uintptr_t mem, size_t word, hs_wire_step *s)
{
    (void)mem; (void)word; (void)s;
}

static void run_op(const hs_wire_op *op, hs_wire_step *s)
{
    replay_one(op, s);
}

static void measure_arenas(hs_wire_step *s, int dirty)
{
    (void)s; (void)dirty;
}

static void threads_check_ops(int want)
{
    for (uint64_t i = 0; i < R.n_ops; i++)
        if (want || R.ops[i].thread || R.ops[i].kind == HS_OP_THREAD_EXIT)
            die(2, "bad op stream", "this replayer was built without threads (HS_REPLAY_NO_THREADS)");
}

static void threads_start(void)
{
}

static uint32_t cpus_now(void)
{
    return 0;
}

#define HS_THREAD_STACK 0u
static struct { uint32_t n; uint64_t setup_allocs, setup_bytes; int on; } TH;

#endif

/* ---- Any allocator: which malloc, time per call, mappings, smaps ----
 * The replayer may run with another allocator preloaded (heapsim real
 * --allocator: LD_PRELOAD set by real/spawn.c).  find_malloc() tells which
 * object the dynamic linker bound malloc to; unless it is libc, R.glibc is 0
 * and everything that reads glibc's internals (chunk headers in got() and
 * usable(), mallinfo2, main_arena) is skipped: it would read another
 * allocator's memory as if it were glibc's.  What any allocator has is
 * measured for all: the time of each call, the process's RSS (statm), its
 * anonymous mappings, and on request its smaps. */

/* CLOCK_MONOTONIC in nanoseconds (vDSO: no system call, no malloc).  Cannot fail. */
static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The second clock read of a timed call: its duration into R.ns.  Cannot fail. */
static inline void timed_end(void)
{
    R.t_end = now_ns();
    R.ns = R.t_end - R.t0;
    R.timed = 1;
}

/* The allocator's calls, each between two clock reads and nothing else
 * (measure() runs after): the op's ns.  They fail as the call they wrap. */
static void *timed_malloc(size_t n)
{
    R.t0 = now_ns();
    void *p = raw_malloc(n);
    timed_end();
    return p;
}
static void *timed_calloc(size_t m, size_t n)
{
    R.t0 = now_ns();
    void *p = raw_calloc(m, n);
    timed_end();
    return p;
}
static void *timed_realloc(void *o, size_t n)
{
    R.t0 = now_ns();
    void *p = raw_realloc(o, n);
    timed_end();
    return p;
}
static void *timed_memalign(size_t a, size_t n)
{
    R.t0 = now_ns();
    void *p = raw_memalign(a, n);
    timed_end();
    return p;
}
static void timed_free(void *p)
{
    R.t0 = now_ns();
    raw_free(p);
    timed_end();
}
static int timed_mallopt(int param, int value)
{
    R.t0 = now_ns();
    int r = raw_mallopt(param, value);
    timed_end();
    return r;
}
static int timed_malloc_trim(size_t pad)
{
    R.t0 = now_ns();
    int r = raw_malloc_trim(pad);
    timed_end();
    return r;
}

/* dl_iterate_phdr's question: which loaded object holds addr? */
typedef struct obj_query {
    uintptr_t addr;
    uintptr_t base;     /* its load address, when found */
    const char *name;   /* its name ("" for the executable) */
    int found;
} obj_query;

/* dl_iterate_phdr callback: stops at the object one of whose PT_LOAD
 * segments holds q->addr.  Cannot fail. */
static int find_object(struct dl_phdr_info *info, size_t size, void *ctx)
{
    (void)size;
    obj_query *q = ctx;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t a = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && q->addr >= a && q->addr < a + ph->p_memsz) {
            q->base = info->dlpi_addr;
            q->name = info->dlpi_name ? info->dlpi_name : "";
            q->found = 1;
            return 1;
        }
    }
    return 0;
}

/* With another allocator preloaded (LD_PRELOAD, set by real/spawn.c for
 * --allocator), the replay's calls go to it: the definitions after this
 * executable's own (which pass to glibc, see "Threads") are the preloaded
 * library's, found with dlsym(RTLD_NEXT).  Without LD_PRELOAD, or when a
 * lookup fails, glibc's stay.  Called before the first op.  Cannot fail. */
static void pick_allocator(void)
{
#ifndef HS_REPLAY_NO_THREADS
    const char *pre = getenv("LD_PRELOAD");
    if (pre == NULL || pre[0] == '\0')
        return;
    void *f;
    if ((f = dlsym(RTLD_NEXT, "malloc")) != NULL) raw_malloc = (void *(*)(size_t))f;
    if ((f = dlsym(RTLD_NEXT, "calloc")) != NULL) raw_calloc = (void *(*)(size_t, size_t))f;
    if ((f = dlsym(RTLD_NEXT, "realloc")) != NULL) raw_realloc = (void *(*)(void *, size_t))f;
    if ((f = dlsym(RTLD_NEXT, "memalign")) != NULL) raw_memalign = (void *(*)(size_t, size_t))f;
    if ((f = dlsym(RTLD_NEXT, "free")) != NULL) raw_free = (void (*)(void *))f;
#endif
}

/* Which malloc the dynamic linker bound: R.malloc_lib gets the name of the
 * object holding it, and R.glibc is 1 when that object also holds
 * gnu_get_libc_version (libc: glibc's own malloc), 0 otherwise (a preloaded allocator).  When
 * the object cannot be found (never seen), glibc is assumed, as before.
 * Cannot fail. */
static void find_malloc(void)
{
    obj_query m = { (uintptr_t)raw_malloc, 0, "", 0 };
    obj_query c = { (uintptr_t)&gnu_get_libc_version, 0, "", 0 };   /* libc's alone:
                                   tcmalloc defines sbrk, every allocator malloc_usable_size */
    dl_iterate_phdr(find_object, &m);
    dl_iterate_phdr(find_object, &c);
    R.glibc = !m.found || !c.found || m.base == c.base;
    const char *n = m.found ? m.name : "?";
    size_t len = strlen(n);
    if (len >= sizeof R.malloc_lib)
        len = sizeof R.malloc_lib - 1;
    memcpy(R.malloc_lib, n, len);
    R.malloc_lib[len] = '\0';
}

/* Calls fn on every line (NUL-terminated, without its newline) of the
 * /proc file at path, read in pieces into R.stream_buf: no malloc, any
 * length.  A line longer than the buffer comes in pieces.  Returns false
 * when the file cannot be opened. */
static bool each_line(const char *path, void (*fn)(char *line, void *ctx), void *ctx)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    size_t have = 0;
    for (;;) {
        ssize_t n = read(fd, R.stream_buf + have, sizeof R.stream_buf - 1 - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        have += (size_t)n;
        char *line = R.stream_buf, *nl;
        while ((nl = memchr(line, '\n', have - (size_t)(line - R.stream_buf))) != NULL) {
            *nl = '\0';
            fn(line, ctx);
            line = nl + 1;
        }
        size_t rest = have - (size_t)(line - R.stream_buf);
        if (rest == sizeof R.stream_buf - 1) {   /* one line fills the buffer */
            R.stream_buf[rest] = '\0';
            fn(line, ctx);
            rest = 0;
        }
        memmove(R.stream_buf, line, rest);
        have = rest;
    }
    if (have) {
        R.stream_buf[have] = '\0';
        fn(R.stream_buf, ctx);
    }
    close(fd);
    return true;
}

/* Whether a /proc/self/maps line (or an smaps header line) is the heap or
 * an anonymous mapping (no path): then 1 with its range and name ("[heap]"
 * or ""); 0 for anything else (files, [stack], [vdso], a key line). */
static int anon_line(const char *s, uint64_t *start, uint64_t *end, const char **name)
{
    if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
        return 0;
    *start = hex(&s);
    if (*s++ != '-')
        return 0;
    *end = hex(&s);
    if (*s != ' ')
        return 0;
    for (int field = 0; field < 4 && *s; field++) {   /* perms offset dev inode */
        while (*s == ' ')
            s++;
        while (*s && *s != ' ')
            s++;
    }
    while (*s == ' ')
        s++;
    if (*s == '\0') {
        *name = "";
        return 1;
    }
    if (strcmp(s, "[heap]") == 0) {
        *name = "[heap]";
        return 1;
    }
    return 0;
}

typedef struct maps_count {
    int64_t n, bytes;
} maps_count;

/* each_line callback: counts the heap and anonymous mappings.  Cannot fail. */
static void count_line(char *line, void *ctx)
{
    maps_count *c = ctx;
    uint64_t a, b;
    const char *name;
    if (anon_line(line, &a, &b, &name)) {
        c->n++;
        c->bytes += (int64_t)(b - a);
    }
}

/* The heap and anonymous mappings (VMAs: adjacent anonymous mappings with
 * the same permissions are one) now: *n and *bytes; 0 when /proc/self/maps
 * cannot be read.  Cannot fail. */
static void count_maps(int64_t *n, int64_t *bytes)
{
    maps_count c = { 0, 0 };
    each_line("/proc/self/maps", count_line, &c);
    *n = c.n;
    *bytes = c.bytes;
}

/* The statm fields any allocator has, into s: VIRT, RES, SHR in bytes as
 * top shows them, from the statm read measure() just made (statm3 keeps
 * it); 0 when statm cannot be read.  Cannot fail. */
static void read_statm_top(hs_wire_step *s)
{
    const int64_t *f = R.statm_last;   /* measure()'s read of this step: no second pread */
    s->vm_size = (uint64_t)f[0] * PAGE;
    s->proc_rss = (uint64_t)f[1] * PAGE;
    s->shared = (uint64_t)f[2] * PAGE;
}

/* What measure() leaves out, for any allocator, after it (outside the
 * timed call): the call's ns, statm, and with HS_WIRE_WANT_MAPS the
 * mappings' count and bytes against the baseline.  Cannot fail. */
static void measure_any(hs_wire_step *s)
{
    if (R.timed) {
        s->flags |= HS_WIRE_NS;
        s->ns = R.ns;
    }
    R.timed = 0;
    read_statm_top(s);
    if (R.want_maps) {
        int64_t n, bytes;
        count_maps(&n, &bytes);
        s->flags |= HS_WIRE_MAPS;
        s->maps = n - R.maps0;
        s->maps_bytes = bytes - R.maps_bytes0;
    }
}

typedef struct smaps_acc {
    hs_wire_smaps head;
    hs_wire_smap spare;   /* a mapping past HS_WIRE_MAX_SMAPS: counted, not sent */
    hs_wire_smap *cur;    /* the mapping whose keys follow, NULL: not ours */
} smaps_acc;

/* The value of an smaps key line "Key:   N kB" in bytes, when the line is key.  Cannot fail. */
static int smaps_key(const char *line, const char *key, uint64_t *out)
{
    size_t k = strlen(key);
    if (strncmp(line, key, k) != 0 || line[k] != ':')
        return 0;
    const char *p = line + k + 1;
    uint64_t v = 0;
    while (*p == ' ')
        p++;
    while (*p >= '0' && *p <= '9')
        v = v * 10 + (uint64_t)(*p++ - '0');
    *out = v * 1024u;
    return 1;
}

/* each_line callback for /proc/self/smaps: a header line starts a mapping
 * (kept when it is the heap or anonymous), a key line fills it.  Cannot fail. */
static void smaps_line(char *line, void *ctx)
{
    smaps_acc *a = ctx;
    uint64_t start, end;
    const char *name;
    if ((*line >= '0' && *line <= '9') || (*line >= 'a' && *line <= 'f')) {
        a->cur = NULL;
        if (!anon_line(line, &start, &end, &name))
            return;
        if (a->head.n < HS_WIRE_MAX_SMAPS) {
            a->cur = &R.smap[a->head.n++];
        } else {
            a->head.cut = 1;
            a->cur = &a->spare;
        }
        memset(a->cur, 0, sizeof *a->cur);
        a->cur->start = start;
        a->cur->end = end;
        memcpy(a->cur->name, name, strlen(name) + 1);
        return;
    }
    if (!a->cur)
        return;
    hs_wire_smap *m = a->cur;
    if (smaps_key(line, "Rss", &m->rss))
        a->head.rss_total += m->rss;
    else if (!smaps_key(line, "Size", &m->size) && !smaps_key(line, "Pss", &m->pss) &&
             !smaps_key(line, "Private_Dirty", &m->private_dirty) &&
             !smaps_key(line, "Anonymous", &m->anonymous))
        smaps_key(line, "AnonHugePages", &m->anon_huge);
}

/* Reads the heap and anonymous mappings of /proc/self/smaps into
 * R.smaps_out (an hs_wire_smaps and its records); returns its length.
 * n is 0 when smaps cannot be read.  Cannot fail. */
static size_t read_smaps(void)
{
    smaps_acc a;
    memset(&a, 0, sizeof a);
    each_line("/proc/self/smaps", smaps_line, &a);
    memcpy(R.smaps_out, &a.head, sizeof a.head);
    memcpy(R.smaps_out + sizeof a.head, R.smap, a.head.n * sizeof(hs_wire_smap));
    return sizeof a.head + a.head.n * sizeof(hs_wire_smap);
}

/* The madvise op: madvise(2) on the whole pages of [a, a + len)
 * (hs_madvise_range, the model's rule too), timed like an allocator call;
 * the pages it drops are measured again (rss_dirty).  A refusal of the
 * kernel is not the program's to see: nothing happens.  Cannot fail. */
static void replay_madvise(uintptr_t a, uint64_t len, int advice)
{
    uint64_t start, bytes;
    hs_madvise_range(a, len, &start, &bytes);
    int adv = hs_advice_linux(advice);
    R.t0 = now_ns();
    if (bytes && adv >= 0)
        madvise((void *)(uintptr_t)start, bytes, adv);
    timed_end();
    R.rss_dirty = 1;
}

/* Checks every op before anything runs; exits 2 on the first bad one. */
static void check_ops(void)
{
    for (uint64_t i = 0; i < R.n_ops; i++) {
        const hs_wire_op *op = &R.ops[i];
        int needs_id = op->kind != HS_OP_MALLOPT && op->kind != HS_OP_MALLOC_TRIM &&
                       op->kind != HS_OP_THREAD_EXIT;
        if (op->kind >= HS_OP_KIND_COUNT)
            die(2, "bad op stream", "unknown op kind");
        if (op->kind == HS_OP_WRITE && op->size > R.n_ids)
            die(2, "bad op stream", "write: value_of slot out of range");
        if (needs_id && op->id >= R.n_ids)
            die(2, "bad op stream", "id slot out of range");
        if (op->kind == HS_OP_MALLOPT &&
            (op->param >= HS_PARAM_COUNT || op->value < INT32_MIN || op->value > INT32_MAX))
            die(2, "bad op stream", "bad mallopt param or value");
    }
    threads_check_ops(R.want_arenas);
}

int main(int argc, char **argv)
{
    R.brk0 = (uintptr_t)sbrk(0);
    int arena_unknown = argc > 1 && strcmp(argv[1], "--test-arena-unknown") == 0;

    if (fcntl(HS_WIRE_FD_OPS, F_GETFD) < 0 || fcntl(HS_WIRE_FD_STEPS, F_GETFD) < 0)
        die(2, "no op stream on fd 3 or no step pipe on fd 4",
            "this program is started by heapsim (see real/real.h), not by hand");
    hs_wire_header h;
    read_all(HS_WIRE_FD_OPS, &h, sizeof h);
    if (h.magic != HS_WIRE_MAGIC || h.version != HS_WIRE_VERSION ||
        h.op_size != sizeof(hs_wire_op))
        die(2, "bad op stream", "wrong header (heapsim and heapsim-replay from different builds?)");
    if (h.n_ops >= UINT32_MAX)
        die(2, "bad op stream", "too many R.ops");
    R.n_ops = h.n_ops;
    R.n_ids = h.n_ids;
    R.want_pages = (h.flags & HS_WIRE_WANT_PAGES) != 0;
    R.want_arenas = (h.flags & HS_WIRE_WANT_ARENAS) != 0;
    R.want_maps = (h.flags & HS_WIRE_WANT_MAPS) != 0;
    R.sample = R.want_arenas ? 1 : h.sample;   /* threads: every step (real/wire.h) */
    pick_allocator();
    find_malloc();

    /* Every buffer the replay loop uses, mapped and written now. */
    R.ops = map_ops();
    close(HS_WIRE_FD_OPS);
    check_ops();
    R.slot_p = map_touched((size_t)R.n_ids * sizeof(void *));
    R.slot_mm = map_touched((size_t)R.n_ids * sizeof(uint32_t));
    R.slot_live = map_touched(R.n_ids);
    uint64_t allocs = 0;
    for (uint64_t i = 0; i < R.n_ops; i++)
        allocs += hs_op_returns_ptr(R.ops[i].kind);
    R.mm_cap = allocs < MM_CAP0 ? allocs + 1 : MM_CAP0;
    R.mm = map_touched(R.mm_cap * sizeof(mm_ent));
    R.obuf = map_touched(OUT_BUF);
    memset(R.vec, 0, sizeof R.vec);
    memset(R.run_buf, 0, sizeof R.run_buf);
    memset(R.out_buf, 0, sizeof R.out_buf);
    memset(R.statm_buf, 0, sizeof R.statm_buf);
    R.statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    guard_init();

    /* The first measurement: it also faults in the code and data of every
     * call the loop makes (mincore, pread, getrusage, mallinfo2 and its
     * guard, memset). */
    hs_wire_step dry;
    memset(&dry, 0, sizeof dry);
    measure(&dry);
    if ((dry.flags & HS_WIRE_NO_MALLINFO) && R.glibc)
        die(3, "mallinfo2 failed before the first op", NULL);
    measure_any(&dry);   /* faults in statm's and /proc/self/maps' paths and the clock */
    (void)now_ns();
    for (size_t n = 1; n <= sizeof R.scratch; n *= 4)
        hs_memset(R.scratch, 1, n);
    hs_memset(R.scratch, 1, sizeof R.scratch);
    pretouch_stack();
    if (!arena_unknown && R.glibc)
        find_main_arena();   /* malloc is initialised by the first mallinfo2 */
    if (TH.on)
        threads_start();     /* before the maps are read: their stacks are foreign */
    prefault_maps();

    hs_wire_hello hello;
    memset(&hello, 0, sizeof hello);
    /* Where would the kernel put the next mapping?  A one-page probe, gone
     * again before the first op, tells the model the top of the free gap. */
    void *probe = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (probe != MAP_FAILED) {
        hello.mmap_top = (uint64_t)(uintptr_t)probe + 4096;
        munmap(probe, 4096);
    }
    find_foreign(&hello);
    find_limits(&hello);
    hello.magic = HS_WIRE_MAGIC;
    hello.version = HS_WIRE_VERSION;
    hello.n_ops = R.n_ops;
    hello.arena0 = dry.mi[0];
    hello.hblkhd0 = dry.mi[4];
    hello.brk0 = R.brk0;
    hello.persona = (uint32_t)personality(0xffffffff);
    hello.rss_anon_ok = R.statm_fd >= 0;
    hello.n_threads = TH.n;
    hello.cpus = cpus_now();
    hello.setup_allocs = TH.setup_allocs;
    hello.setup_bytes = TH.setup_bytes;
    hello.stack_size = TH.on ? HS_THREAD_STACK : 0;
    hello.other_malloc = (uint32_t)!R.glibc;
    memcpy(hello.malloc_lib, R.malloc_lib, sizeof hello.malloc_lib);
    for (uint64_t i = 0; i < R.n_ops; i++)
        if (R.ops[i].flags & HS_WIRE_OP_SMAPS) {
            hs_wire_smaps sm;
            read_smaps();
            memcpy(&sm, R.smaps_out, sizeof sm);
            hello.smaps_rss0 = sm.rss_total;
            break;
        }
    write_all(&hello, sizeof hello);

    /* Baselines, then the ops: nothing between here and the last op mallocs. */
    R.rss_anon0 = rss_anon_now();
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    getrusage(RUSAGE_SELF, &ru);
    R.minflt0 = (uint64_t)ru.ru_minflt;
    R.rss_dirty = 1;
    R.pages_sent = 0;   /* the first step always carries its runs */
    if (R.want_maps)
        count_maps(&R.maps0, &R.maps_bytes0);
    R.timed = 0;
    R.oflush_ns = now_ns();
    for (uint64_t i = 0; i < R.n_ops; i++) {
        hs_wire_step s;
        /* the op fills step, flags, ptr, chunk; the rest only when measured */
        memset(&s, 0, offsetof(hs_wire_step, brk));
        s.step = (uint32_t)(i + 1);
        uint64_t mm_changes = R.mm_changes;
        run_op(&R.ops[i], &s);
        int measured = must_measure(i, mm_changes);
        if (!measured) {
            send_short(&s);
        } else {
            memset((char *)&s + offsetof(hs_wire_step, brk), 0,
                   sizeof s - offsetof(hs_wire_step, brk));
            int dirty = R.rss_dirty;
            measure(&s);
            measure_arenas(&s, dirty);
            measure_any(&s);
            if (R.ops[i].flags & HS_WIRE_OP_SMAPS)
                s.flags |= HS_WIRE_SMAPS;
            send_step(&s);
            if (s.flags & HS_WIRE_SMAPS)
                out_put(R.smaps_out, read_smaps());
        }
        /* at once when the next op may be long (a big block to write or
         * map) or the heap may be corrupted: the parent's timeout then
         * names the right step */
        if (R.heap_suspect || (i + 1 < R.n_ops && (R.ops[i + 1].size >= OUT_BIG_OP ||
                                                   R.ops[i + 1].touch >= OUT_BIG_OP)))
            out_flush();
        else   /* a step not measured: the clock its op's call read last (no third read) */
            out_tick(measured || !R.t_end ? now_ns() : R.t_end);
        R.t_end = 0;
    }
    out_flush();
    return 0;
}
