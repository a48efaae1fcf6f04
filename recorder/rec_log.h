/* recorder/rec_log.h — the binary log the recorder writes, one file per process image.
 * Owns: the log's layout (header, fixed-size records), shared by the recorder and `heapsim record`. */
#ifndef HS_REC_LOG_H
#define HS_REC_LOG_H

#include <stdint.h>

/* A log is a file HEAPSIM_REC_DIR/PID.N.log (N counts the images one pid
 * ran: 0, then 1 after an exec, ...).  It starts with one hs_rec_header of
 * HS_REC_HEADER_BYTES, then records of header.rec_size bytes each, record
 * k at HS_REC_HEADER_BYTES + k * rec_size, k = the call's sequence number
 * in this process (the global order of the calls, every thread included).
 * The recorder writes it through MAP_SHARED mappings, so whatever was
 * written survives the process, SIGKILL included.
 * Records are written into a ring of ring_recs slots right after the
 * header (file offset HS_REC_HEADER_BYTES, HS_REC_RING_BYTES long), a
 * window the recorder maps once and reuses, so its pages fault once, not
 * once per 100 calls.  When the ring is full the recorder appends it to
 * the file with pwrite(2) and starts it again: record k < flushed lies at
 * HS_REC_HEADER_BYTES + HS_REC_RING_BYTES + k * rec_size, record
 * k >= flushed in ring slot k - flushed.  flushed grows only after its
 * pwrite returned, so a process killed at any point leaves every record
 * it finished in one of the two places.
 * Invariants (checked by the reader, never trusted):
 *   - a record whose kind is 0 was never completed: the log ends before it;
 *   - flushed is a multiple of ring_recs, n_recs - flushed <= ring_recs,
 *     ring_recs == HS_REC_RING_BYTES / rec_size;
 *   - end != 0 only after the process stopped calling the allocator
 *     (exit, _exit, exec); n_recs is then the number of records;
 *   - rec_size == sizeof(hs_rec) + 8 * n_callers, n_callers <= HS_REC_MAX_CALLERS. */

#define HS_REC_MAGIC        0x31474c5245524853ull   /* "SHRERLG1" */
#define HS_REC_VERSION      2u
#define HS_REC_HEADER_BYTES 8192u
#define HS_REC_MAX_CALLERS  16u
#define HS_REC_SETTINGS     4096u   /* bytes of environment settings kept */
#define HS_REC_RING_BYTES   (256u << 10)   /* the reused ring of records (see above) */

/* Record kinds: the call that was made. */
enum hs_rec_kind {
    HS_REC_NONE = 0,
    HS_REC_MALLOC, HS_REC_CALLOC, HS_REC_REALLOC, HS_REC_FREE,
    HS_REC_MEMALIGN, HS_REC_POSIX_MEMALIGN, HS_REC_ALIGNED_ALLOC,
    HS_REC_VALLOC, HS_REC_PVALLOC, HS_REC_MALLOPT, HS_REC_MALLOC_TRIM,
    HS_REC_KIND_COUNT
};

/* Record flags. */
#define HS_REC_F_MMAPPED   0x01u   /* the returned chunk has IS_MMAPPED */
#define HS_REC_F_ARENA     0x02u   /* the returned chunk has NON_MAIN_ARENA */
#define HS_REC_F_DONE      0x04u   /* the call returned (free/realloc are logged before) */

/* How the process stopped calling the allocator (hs_rec_header.end). */
enum hs_rec_end {
    HS_REC_END_NONE = 0,   /* still running, or killed by a signal */
    HS_REC_END_EXIT,       /* exit(), return from main, last thread's pthread_exit */
    HS_REC_END__EXIT,      /* _exit() or _Exit() */
    HS_REC_END_EXEC        /* a successful execve (the new image logs anew) */
};

/* One call.  Fields per kind:
 *   MALLOC, VALLOC, PVALLOC   a = size
 *   CALLOC                    a = nmemb, b = size
 *   REALLOC                   a = old pointer, b = size
 *   FREE                      a = pointer
 *   MEMALIGN, ALIGNED_ALLOC, POSIX_MEMALIGN   a = alignment, b = size,
 *                             (POSIX_MEMALIGN: rc = the error number returned)
 *   MALLOPT                   a = glibc's param number, b = value, rc = return
 *   MALLOC_TRIM               a = pad, rc = return
 * ret is the returned pointer (0 for NULL and for calls returning none).
 * Followed by n_callers return addresses, innermost first (0 = none). */
typedef struct hs_rec {
    uint64_t ret;
    uint64_t a;
    uint64_t b;
    uint32_t tid;     /* the kernel's thread id of the caller */
    uint8_t  kind;    /* hs_rec_kind; written last */
    uint8_t  flags;   /* HS_REC_F_* */
    int16_t  rc;
} hs_rec;

typedef struct hs_rec_header {
    uint64_t magic;
    uint32_t version;
    uint32_t rec_size;
    uint32_t n_callers;
    uint32_t pid;
    uint32_t ppid;
    uint32_t image;          /* N of PID.N.log */
    uint32_t forked;         /* 1: this process started as a fork of a recorded one */
    uint32_t end;            /* hs_rec_end */
    int32_t  exit_status;    /* for END_EXIT/_EXIT when known, else 0 */
    uint32_t pad_;
    uint64_t brk0;           /* the break before the first call */
    uint64_t n_recs;         /* records begun (sequence numbers handed out) */
    char     exe[1024];      /* /proc/self/exe at start */
    char     settings[HS_REC_SETTINGS];  /* "NAME=value\0..." (GLIBC_TUNABLES, MALLOC_*), "\0" ends */
    uint64_t flushed;        /* records appended after the ring (see above) */
    uint32_t ring_recs;      /* slots in the ring */
    uint32_t pad2_;
} hs_rec_header;

_Static_assert(sizeof(hs_rec_header) <= HS_REC_HEADER_BYTES, "the header fits its bytes");

#endif
