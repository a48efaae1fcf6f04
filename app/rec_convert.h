/* app/rec_convert.h — one recorder log to one heapsim-trace/1 file.
 * Owns: hs_rec_convert and what it reports (hs_rec_stats), and the touch rule of recorded traces. */
#ifndef HS_REC_CONVERT_H
#define HS_REC_CONVERT_H

#include <stddef.h>
#include <stdint.h>

/* The rule written in every recorded trace's "touch_rule". */
extern const char HS_REC_TOUCH_RULE[];

typedef struct hs_rec_stats {
    uint64_t records;          /* complete records in the log */
    uint64_t ops;              /* ops written */
    uint64_t ids;              /* distinct ids used */
    uint64_t unknown_dropped;  /* free/realloc of a pointer no recorded call returned */
    uint64_t mallopt_dropped;  /* mallopt params the trace format has no name for */
    uint64_t settings_ops;     /* mallopt ops made from the environment's settings */
    uint64_t settings_dropped; /* settings no op expresses (tcache, check, hugetlb) */
    uint64_t threaded_ops;     /* ops from threads other than the main one */
    size_t   threads;          /* threads other than the main one */
    uint64_t thread_exits;     /* of those, the ones whose end was recorded (thread_exit ops) */
    uint64_t lost;             /* calls the log is missing (rec_log.h header.lost) */
    int      stopped;          /* the log could not grow (a full disk): it ends early */
    uint32_t pid, ppid, image;
    int      forked;
    char     exe[1024];        /* the image's program (/proc/self/exe when it started) */
    int      truncated;        /* no end marker (killed, or ended in a way not seen), or the log stopped growing */
    int      ended_exec;       /* it ended with an exec (the recorder's mark, or execd) */
} hs_rec_stats;

/* Converts log_path (maps_path: its maps, may be missing) into out_path
 * (.jsonl when it ends so), titled after command.  execd says that the same
 * pid logged a later image: this one ended with an exec, not cut short.
 * is_main says it is the program's own trace: then each allocator setting
 * no op expresses is named on stderr; otherwise (another process of the
 * run) the title also names its pid and program, and such settings are
 * only counted (st->settings_dropped: a wrapper's many images share the
 * program's environment).  Missing calls are only
 * counted (st->lost, st->stopped): the caller reports them.
 * Returns 0, or -1 with a message in err (then nothing is left at out_path). */
int hs_rec_convert(const char *log_path, const char *maps_path, const char *out_path,
                   const char *command, int execd, int is_main, hs_rec_stats *st, char *err, size_t errlen);

#endif
