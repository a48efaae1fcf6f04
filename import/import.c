/* import/import.c — the importers' shared core: the call semantics of glibc 2.36 turned into ops.
 * Owns: hs_imp (state, stats), and how malloc/calloc/realloc/free results name blocks. */
#include <stdlib.h>
#include <string.h>

#include "import/imp_internal.h"

/* See import.h. */
hs_imp *hs_imp_new(hs_imp_format fmt, hs_imp_emit emit, void *ctx)
{
    hs_imp *im = calloc(1, sizeof *im);
    if (im == NULL)
        return NULL;
    im->fmt = fmt;
    im->emit = emit;
    im->ctx = ctx;
    return im;
}

/* See import.h. */
int hs_imp_line(hs_imp *im, const char *line, size_t len, char *err, size_t errlen)
{
    im->st.lines++;
    if (memchr(line, 0, len) != NULL)
        return imp_fail(err, errlen, "NUL byte in the line (not a text log)");
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
        len--;                                 /* CRLF logs, padding */
    im->caller = NULL;
    im->caller_len = 0;
    if (len == 0)
        return 0;                              /* blank lines mean nothing */
    return im->fmt == HS_IMP_MTRACE ? hs_imp_mtrace_line(im, line, len, err, errlen)
                                    : hs_imp_ltrace_line(im, line, len, err, errlen);
}

/* See import.h.  The buffer holds the unfinished line at its front and grows
 * (doubling) only while one line does not fit, so it stays under 2 * max
 * plus a block. */
int hs_imp_read_line(hs_imp_reader *r, char **line, size_t *len)
{
    enum { BLOCK = 65536 };
    for (;;) {
        char *p = r->end > r->start ? r->buf + r->start : NULL;   /* buf is NULL before the first read */
        char *nl = p ? memchr(p, '\n', r->end - r->start) : NULL;
        if (nl != NULL || (r->eof && r->end > r->start)) {
            size_t n = nl ? (size_t)(nl - p) : r->end - r->start;
            if (n > r->max)
                return -2;
            p[n] = 0;                  /* the newline, or the spare byte after the end */
            r->start += n + (nl != NULL);
            *line = p;
            *len = n;
            return 1;
        }
        if (r->eof)
            return 0;
        if (r->end - r->start > r->max)
            return -2;                 /* no newline yet, and already too long */
        if (r->start > 0) {            /* the unfinished line to the front */
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->start = 0;
        }
        if (r->cap - r->end < BLOCK + 1) {
            size_t nc = r->cap ? r->cap * 2 : 4 * BLOCK;
            char *nb = realloc(r->buf, nc);
            if (nb == NULL)
                return -3;
            r->buf = nb;
            r->cap = nc;
        }
        long got = r->read(r->ctx, r->buf + r->end, r->cap - r->end - 1);
        if (got < 0)
            return -1;
        if (got == 0)
            r->eof = 1;
        r->end += (size_t)got;
    }
}

/* See import.h. */
void hs_imp_reader_free(hs_imp_reader *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = r->start = r->end = 0;
}

/* See import.h. */
int hs_imp_finish(hs_imp *im, char *err, size_t errlen)
{
    if (im->fmt == HS_IMP_MTRACE && im->open_realloc)
        return imp_fail(err, errlen, "the log ends after \"< %#llx\" without its \"> new size\" line",
                        (unsigned long long)im->realloc_old);
    for (size_t i = 0; i < im->n_pending; i++) {
        im->st.other_skipped++;                /* a call that never resumed */
        free(im->pending[i].text);
    }
    im->n_pending = 0;
    return 0;
}

const hs_imp_stats *hs_imp_get_stats(const hs_imp *im)
{
    return &im->st;
}

/* See import.h.  Never fails. */
void hs_imp_free(hs_imp *im)
{
    if (im == NULL)
        return;
    hs_ids_free(&im->ids);
    for (size_t i = 0; i < im->n_pending; i++)
        free(im->pending[i].text);
    free(im->pending);
    free(im->threads);
    free(im);
}

/* See imp_internal.h. */
int imp_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Emits op with the caller and thread of the call being imported. */
static int out(hs_imp *im, hs_imp_op *op, char *err, size_t errlen)
{
    op->caller = im->caller;
    op->caller_len = im->caller_len;
    op->thread = im->thread;
    im->st.ops++;
    if (im->emit(im->ctx, op) != 0)
        return imp_fail(err, errlen, "cannot write the trace");
    return 0;
}

#define OOM(err, n) imp_fail((err), (n), "out of memory")

/* See imp_internal.h. */
int imp_alloc(hs_imp *im, int kind, uint64_t arg, uint64_t size, uint64_t ret, char *err, size_t errlen)
{
    hs_imp_op op = { .kind = kind, .size = size, .arg = arg };
    op.id = hs_ids_bind(&im->ids, ret);
    if (op.id == 0)
        return OOM(err, errlen);
    return out(im, &op, err, errlen);
}

/* See imp_internal.h. */
int imp_free(hs_imp *im, uint64_t ptr, char *err, size_t errlen)
{
    if (ptr == 0)
        return 0;                              /* free(NULL): nothing happens */
    hs_imp_op op = { .kind = HS_OP_FREE };
    op.id = hs_ids_find(&im->ids, ptr, 1);
    if (op.id == 0) {
        im->st.unknown_dropped++;
        return 0;
    }
    if (out(im, &op, err, errlen) < 0)
        return -1;
    return hs_ids_release(&im->ids, op.id) < 0 ? OOM(err, errlen) : 0;
}

/* See imp_internal.h.  glibc 2.36: realloc(NULL, n) is malloc(n);
 * realloc(p, 0) frees p and returns NULL (REALLOC_ZERO_BYTES_FREES); a
 * failed realloc (NULL, n > 0) leaves p as it was. */
int imp_realloc(hs_imp *im, uint64_t old, uint64_t size, uint64_t ret, char *err, size_t errlen)
{
    if (old == 0)
        return imp_alloc(im, HS_OP_MALLOC, 0, size, ret, err, errlen);
    hs_imp_op op = { .kind = HS_OP_REALLOC, .size = size };
    op.id = hs_ids_find(&im->ids, old, 1);
    if (op.id == 0) {
        im->st.unknown_dropped++;
        return 0;
    }
    if (out(im, &op, err, errlen) < 0)
        return -1;
    if (size == 0)
        return hs_ids_release(&im->ids, op.id) < 0 ? OOM(err, errlen) : 0;
    return hs_ids_move(&im->ids, ret != 0 ? ret : old, op.id) < 0 ? OOM(err, errlen) : 0;
}

/* See imp_internal.h. */
int imp_thread(hs_imp *im, uint32_t pid, char *err, size_t errlen)
{
    if (im->n_threads == 0 || im->threads[0] == pid) {
        if (im->n_threads == 0) {
            im->threads = malloc(16 * sizeof *im->threads);
            if (im->threads == NULL)
                return OOM(err, errlen);
            im->threads_cap = 16;
            im->threads[im->n_threads++] = pid;
        }
        im->thread = 0;
        return 0;
    }
    for (size_t i = 1; i < im->n_threads; i++)
        if (im->threads[i] == pid) {
            im->thread = (uint32_t)i;
            return 0;
        }
    if (im->n_threads == im->threads_cap) {
        size_t nc = im->threads_cap * 2;
        uint32_t *nt = realloc(im->threads, nc * sizeof *nt);
        if (nt == NULL)
            return OOM(err, errlen);
        im->threads = nt;
        im->threads_cap = nc;
    }
    im->thread = (uint32_t)im->n_threads;
    im->threads[im->n_threads++] = pid;
    im->st.threads = (uint32_t)im->n_threads - 1;
    return 0;
}

/* See imp_internal.h. */
int imp_number(const char **p, const char *end, int base, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    int any = 0;
    if (base == 16 && end - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    else if (base == 0 && end - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        base = 16;
    } else if (base == 0)
        base = 10;
    for (; s < end; s++) {
        int d;
        if (*s >= '0' && *s <= '9') d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f') d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F') d = *s - 'A' + 10;
        else break;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return -1;
        v = v * (uint64_t)base + (uint64_t)d;
        any = 1;
    }
    if (!any)
        return -1;
    *p = s;
    *out = v;
    return 0;
}
