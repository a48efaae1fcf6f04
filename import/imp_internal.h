/* import/imp_internal.h — what the files of import/ share: the importer's state and its op helpers.
 * Owns: struct hs_imp and the helpers that apply glibc's call semantics (import.c). */
#ifndef HS_IMP_INTERNAL_H
#define HS_IMP_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>

#include "import/import.h"
#include "sim/op.h"

typedef struct imp_pending {     /* an ltrace call "<unfinished ...>" */
    uint32_t pid;
    char    *text;               /* the line from the name on, without the marker */
} imp_pending;

struct hs_imp {
    hs_imp_format fmt;
    hs_imp_emit   emit;
    void         *ctx;
    hs_addr_ids   ids;
    hs_imp_stats  st;
    const char   *caller;        /* the current call's caller text, or NULL */
    size_t        caller_len;
    uint32_t      thread;        /* the current call's thread number */
    uint32_t     *threads;       /* pids in order of appearance; [0] is the main one */
    size_t        n_threads, threads_cap;
    /* mtrace: a "<" line waiting for its ">" */
    int           open_realloc;
    uint64_t      realloc_old;
    /* ltrace: unfinished calls */
    imp_pending  *pending;
    size_t        n_pending, pending_cap;
};

/* Formats err; returns -1. */
int imp_fail(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* A call that returned ret (0 = NULL): names the block and emits the op.
 * Returns 0, or -1 with err (out of memory, the writer failed). */
int imp_alloc(hs_imp *im, int kind, uint64_t arg, uint64_t size, uint64_t ret, char *err, size_t errlen);
/* free(ptr); an unknown ptr is dropped and counted.  Same returns. */
int imp_free(hs_imp *im, uint64_t ptr, char *err, size_t errlen);
/* realloc(old, size) = ret.  Same returns. */
int imp_realloc(hs_imp *im, uint64_t old, uint64_t size, uint64_t ret, char *err, size_t errlen);
/* Makes pid the current call's thread (the first pid seen is the main one).
 * Returns 0, or -1 (out of memory). */
int imp_thread(hs_imp *im, uint32_t pid, char *err, size_t errlen);
/* Reads an unsigned number at *p (base 16 with an optional 0x, 10, or 0:
 * 0x means hex, else decimal), advancing *p.  Returns 0, or -1 when there
 * are no digits or it overflows 64 bits. */
int imp_number(const char **p, const char *end, int base, uint64_t *out);

#endif
