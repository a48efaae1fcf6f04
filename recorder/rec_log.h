/* recorder/rec_log.h — the binary log the recorder writes, one file per process image.
 * Owns: the log's layout (header, a stream of word records) and its decoder, shared by the recorder and `heapsim record`. */
#ifndef HS_REC_LOG_H
#define HS_REC_LOG_H

#include <stdint.h>

/* A log is a file HEAPSIM_REC_DIR/PID.N.log (N counts the images one pid
 * ran: 0, then 1 after an exec, ...).  It starts with one hs_rec_header of
 * HS_REC_HEADER_BYTES, then a ring of HS_REC_RING_BYTES (mapped once by
 * the recorder and reused, so its pages fault once), then the tail: the
 * ring's contents appended with pwrite(2) each time it filled up.  Both
 * hold one stream of 8-byte little-endian words, records of 1..N words
 * (below); the log's calls are the tail's first header.flushed bytes, then
 * the ring's records.  The records' order is the order in which glibc saw
 * the calls, every thread included.
 *
 * A record starts with its head word:
 *   bits  0..47  v48: the call's first argument (HS_REC_RING: the stream
 *                offset; HS_REC_THREAD: the thread id), unless WIDE;
 *   bits 48..51  kind (hs_rec_kind); a head word of 0 ends the stream;
 *   bits 52..54  flags (HS_REC_F_MMAPPED, _ARENA, _DONE);
 *   bit  55      WIDE: the first argument did not fit in 48 bits and is
 *                the word after the head;
 *   bits 56..63  caller slot (with n_callers == 1): 0 none, else the
 *                address the last HS_REC_CALLER record of that slot set.
 * then, in this order: [the first argument, when WIDE], b and ret (every
 * call kind but MALLOC, VALLOC, PVALLOC and FREE, which have only ret or,
 * FREE, nothing), rc (POSIX_MEMALIGN, MALLOPT, MALLOC_TRIM), then with
 * n_callers > 1 n_callers return addresses (innermost first, 0 = none).
 * MALLOC, VALLOC, PVALLOC have ret and no b.  HS_REC_MALLOC16, one word, is
 * the usual malloc: v48 = size | ((ret - header.brk0) / 16) << 16, for a
 * size below 65536 and a ret from brk0 to brk0 + 2^36 (the main arena's
 * heap).  HS_REC_CALLER has one word,
 * the return address its slot now names; HS_REC_THREAD and HS_REC_RING
 * none: the calls that follow a THREAD record were made by that thread
 * (before the first one: by the process's main thread).  A THREAD record
 * with HS_REC_F_EXIT says its thread ended and changes no caller: the
 * recorder writes one when a thread that made calls exits (after its
 * other thread-specific destructors, before glibc's tcache flush); a later
 * call with that thread id is a new thread's (the kernel reuses ids).
 *
 * The recorder writes a record's other words first and its head word last
 * (one 8-byte store), so a process killed at any point leaves a stream
 * whose records are complete up to the first zero head word.  The ring
 * always starts with a HS_REC_RING record whose v48 is the stream offset
 * the ring continues (the tail's length when it was last emptied): the
 * ring is read only when that equals header.flushed, so a process killed
 * while it appended the ring, or while it emptied it afterwards, leaves
 * every record it finished in exactly one of the two places.
 * Invariants (checked by the reader, never trusted):
 *   - header.flushed is a multiple of 8 and no larger than the tail;
 *   - a record never crosses the end of the ring or of the tail;
 *   - end != 0 only after the process stopped calling the allocator
 *     (exit, _exit, exec; a failed exec clears it again);
 *   - n_callers <= HS_REC_MAX_CALLERS. */

#define HS_REC_MAGIC        0x31474c5245524853ull   /* "SHRERLG1" */
#define HS_REC_VERSION      3u
#define HS_REC_HEADER_BYTES 8192u
#define HS_REC_MAX_CALLERS  16u
#define HS_REC_SETTINGS     4096u   /* bytes of environment settings kept */
#define HS_REC_RING_BYTES   (256u << 10)   /* the reused ring of records (see above) */
#define HS_REC_CALLER_SLOTS 255u    /* caller slots 1..255 */

/* Record kinds: the call that was made, or a record about the stream. */
enum hs_rec_kind {
    HS_REC_NONE = 0,
    HS_REC_MALLOC, HS_REC_CALLOC, HS_REC_REALLOC, HS_REC_FREE,
    HS_REC_MEMALIGN, HS_REC_POSIX_MEMALIGN, HS_REC_ALIGNED_ALLOC,
    HS_REC_VALLOC, HS_REC_PVALLOC, HS_REC_MALLOPT, HS_REC_MALLOC_TRIM,
    HS_REC_KIND_COUNT,                    /* calls are 1 .. HS_REC_KIND_COUNT - 1 */
    HS_REC_THREAD = HS_REC_KIND_COUNT,    /* the calls that follow are this thread's */
    HS_REC_CALLER,                        /* sets a caller slot */
    HS_REC_RING,                          /* the ring's first record */
    HS_REC_MALLOC16                       /* a malloc in one word (see above) */
};

/* Record flags (head word bits 52..54). */
#define HS_REC_F_MMAPPED   0x01u   /* the returned chunk has IS_MMAPPED */
#define HS_REC_F_ARENA     0x02u   /* the returned chunk has NON_MAIN_ARENA */
#define HS_REC_F_DONE      0x04u   /* the call returned (realloc is logged before, completed after;
                                      free is logged before and never completed) */
#define HS_REC_F_EXIT      0x01u   /* on a HS_REC_THREAD record: the thread v48 names ended (its
                                      thread-specific data destructors ran; glibc then flushes its
                                      tcache and puts its arena on the free list); the calls that
                                      follow are not that thread's */

/* Head word fields. */
#define HS_REC_V48_MASK    0xffffffffffffull
#define HS_REC_KIND_SHIFT  48
#define HS_REC_FLAGS_SHIFT 52
#define HS_REC_WIDE        (1ull << 55)
#define HS_REC_SLOT_SHIFT  56

/* How the process stopped calling the allocator (hs_rec_header.end). */
enum hs_rec_end {
    HS_REC_END_NONE = 0,   /* still running, or killed by a signal */
    HS_REC_END_EXIT,       /* exit(), return from main, last thread's pthread_exit */
    HS_REC_END__EXIT,      /* _exit() or _Exit() */
    HS_REC_END_EXEC        /* an execve (marked just before it, unmarked when it fails); the new
                              image logs anew, unless the recorder cannot see it (a static one) */
};

/* Words a call record of kind has after its head, but the WIDE word and
 * the n_callers > 1 frames: b and ret, ret, rc. */
static inline unsigned hs_rec_body_words(unsigned kind)
{
    switch (kind) {
    case HS_REC_FREE:
        return 0;
    case HS_REC_MALLOC: case HS_REC_VALLOC: case HS_REC_PVALLOC:
        return 1;                                  /* ret */
    case HS_REC_POSIX_MEMALIGN: case HS_REC_MALLOPT: case HS_REC_MALLOC_TRIM:
        return 3;                                  /* b, ret, rc */
    default:
        return 2;                                  /* b, ret */
    }
}

/* One call, decoded.  Fields per kind:
 *   MALLOC, VALLOC, PVALLOC   a = size
 *   CALLOC                    a = nmemb, b = size
 *   REALLOC                   a = old pointer, b = size
 *   FREE                      a = pointer
 *   MEMALIGN, ALIGNED_ALLOC, POSIX_MEMALIGN   a = alignment, b = size,
 *                             (POSIX_MEMALIGN: rc = the error number returned)
 *   MALLOPT                   a = glibc's param number, b = value, rc = return
 *   MALLOC_TRIM               a = pad, rc = return
 * ret is the returned pointer (0 for NULL and for calls returning none). */
typedef struct hs_rec {
    uint64_t ret;
    uint64_t a;
    uint64_t b;
    uint32_t tid;     /* the kernel's thread id of the caller */
    uint8_t  kind;    /* hs_rec_kind, a call */
    uint8_t  flags;   /* HS_REC_F_* */
    int16_t  rc;
    uint64_t callers[HS_REC_MAX_CALLERS];   /* innermost first, 0 = none */
} hs_rec;

/* The reader's state along one log's stream: the thread of the calls and
 * the caller slots. */
typedef struct hs_rec_cursor {
    uint32_t n_callers;
    uint32_t tid;
    uint64_t brk0;            /* header.brk0 (HS_REC_MALLOC16) */
    uint64_t slot[HS_REC_CALLER_SLOTS + 1];
} hs_rec_cursor;

/* Decodes the record at w[0] (n words left in this part of the stream).
 * Stream records (THREAD, CALLER, RING) update cur and set out->kind to
 * their kind; a call fills *out.  Returns the words it took, or 0 at the
 * end: a zero head, an unknown kind, a record that does not fit in n. */
static inline uint64_t hs_rec_decode(const uint64_t *w, uint64_t n, hs_rec_cursor *cur, hs_rec *out)
{
    if (n == 0 || w[0] == 0)
        return 0;
    uint64_t h = w[0], k = 1;
    unsigned kind = (unsigned)(h >> HS_REC_KIND_SHIFT) & 15u;
    out->kind = (uint8_t)kind;
    out->flags = (uint8_t)((h >> HS_REC_FLAGS_SHIFT) & 7u);
    out->a = h & HS_REC_V48_MASK;
    if (h & HS_REC_WIDE) {
        if (n < 2)
            return 0;
        out->a = w[k++];
    }
    if (kind == HS_REC_THREAD) {
        if (!(out->flags & HS_REC_F_EXIT))
            cur->tid = (uint32_t)out->a;
        out->tid = (uint32_t)out->a;
        return k;
    }
    if (kind == HS_REC_RING)
        return k;
    unsigned slot = (unsigned)(h >> HS_REC_SLOT_SHIFT);
    if (kind == HS_REC_CALLER) {
        if (n < k + 1 || slot == 0)
            return 0;
        cur->slot[slot] = w[k];
        return k + 1;
    }
    if (kind == HS_REC_NONE || (kind >= HS_REC_KIND_COUNT && kind != HS_REC_MALLOC16))
        return 0;
    unsigned body = kind == HS_REC_MALLOC16 ? 0 : hs_rec_body_words(kind);
    uint64_t frames = cur->n_callers > 1 ? cur->n_callers : 0;
    if (n < k + body + frames)
        return 0;
    out->b = out->ret = 0;
    out->rc = 0;
    if (kind == HS_REC_MALLOC16) {
        if (h & HS_REC_WIDE)
            return 0;
        out->kind = HS_REC_MALLOC;
        out->ret = cur->brk0 + ((out->a >> 16) << 4);
        out->a &= 0xffff;
    } else if (body == 1)
        out->ret = w[k++];
    else if (body >= 2) {
        out->b = w[k++];
        out->ret = w[k++];
        if (body == 3)
            out->rc = (int16_t)w[k++];
    }
    out->tid = cur->tid;
    for (uint32_t i = 0; i < HS_REC_MAX_CALLERS; i++)
        out->callers[i] = 0;
    if (cur->n_callers == 1)
        out->callers[0] = cur->slot[slot];
    for (uint64_t i = 0; i < frames; i++)
        out->callers[i] = w[k++];
    return k;
}

typedef struct hs_rec_header {
    uint64_t magic;
    uint32_t version;
    uint32_t rec_size_;      /* unused since version 3 (records vary in size) */
    uint32_t n_callers;
    uint32_t pid;
    uint32_t ppid;
    uint32_t image;          /* N of PID.N.log */
    uint32_t forked;         /* 1: this process started as a fork of a recorded one */
    uint32_t end;            /* hs_rec_end */
    int32_t  exit_status;    /* for END_EXIT/_EXIT when known, else 0 */
    uint32_t pad_;
    uint64_t brk0;           /* the break before the first call */
    uint64_t n_recs_;        /* unused since version 3 */
    char     exe[1024];      /* /proc/self/exe at start */
    char     settings[HS_REC_SETTINGS];  /* "NAME=value\0..." (GLIBC_TUNABLES, MALLOC_*), "\0" ends */
    uint64_t flushed;        /* bytes of the stream appended after the ring (see above) */
    uint64_t lost;           /* calls not recorded: after an append failed, or made inside a call
                                (a signal handler) that found the ring full */
    uint32_t stopped;        /* 1: an append failed (a full disk): the log ends there */
    uint32_t pad3_;
} hs_rec_header;

_Static_assert(sizeof(hs_rec_header) <= HS_REC_HEADER_BYTES, "the header fits its bytes");

#endif
