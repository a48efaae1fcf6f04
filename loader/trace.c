/* loader/trace.c — loading a heapsim-trace/1 file (.json or .jsonl) into an hs_trace.
 * Owns: reading files safely, the .json walk, the .jsonl stream, cJSON's memory, hs_trace_free, accessors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/ld_internal.h"

/* ---- cJSON's memory while loading ----
 * cJSON builds a small tree per op and the loader drops it right after:
 * while a load runs on this thread, cJSON's nodes and strings come from
 * one block, bumped, and a tree is dropped by emptying the block (no
 * malloc and free per node).  Other threads, and this one between loads,
 * get malloc and free as before. */

typedef struct ld_arena {
    char   *buf;
    size_t  cap, used;
    void  **big;          /* what did not fit in buf: malloc'd, freed by arena_reset */
    size_t  n_big, cap_big;
} ld_arena;

#define ARENA_BYTES ((size_t)64 << 10)

static _Thread_local ld_arena *tl_arena;

/* arena_alloc's slow path: n bytes that do not fit in a->buf, malloc'd
 * and listed.  NULL when out of memory.  Kept out of line so that the
 * fast path needs no stack frame. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void *arena_big(ld_arena *a, size_t n)
{
    void *p;
    if (a->n_big == a->cap_big) {
        size_t ncap = a->cap_big ? a->cap_big * 2 : 16;
        void **nb = realloc(a->big, ncap * sizeof *nb);
        if (nb == NULL)
            return NULL;
        a->big = nb;
        a->cap_big = ncap;
    }
    p = malloc(n ? n : 1);
    if (p != NULL)
        a->big[a->n_big++] = p;
    return p;
}

/* cJSON's allocate hook.  NULL when out of memory (cJSON then fails). */
static void *arena_alloc(size_t n)
{
    ld_arena *a = tl_arena;
    size_t r = (n + 15) & ~(size_t)15;  /* 0 for 0 and past SIZE_MAX - 15 */
    if (a == NULL)
        return malloc(n);
    if (r - 1 < a->cap - a->used) {     /* 0 < r <= room */
        void *p = a->buf + a->used;
        a->used += r;
        return p;
    }
    return arena_big(a, n);
}

/* cJSON's deallocate hook: nothing while a load runs (arena_reset frees).
 * Never fails. */
static void arena_dealloc(void *p)
{
    if (tl_arena == NULL)
        free(p);
}

/* Drops every cJSON tree made since the last reset.  Never fails. */
static void arena_reset(ld_arena *a)
{
    for (size_t i = 0; i < a->n_big; i++)
        free(a->big[i]);
    a->n_big = 0;
    a->used = 0;
}

/* Starts the arena for a load on this thread: 0, or -1 when out of memory
 * (then cJSON uses malloc as before). */
static int arena_start(ld_arena *a)
{
    static cJSON_Hooks hooks = { arena_alloc, arena_dealloc };
    memset(a, 0, sizeof *a);
    a->buf = malloc(ARENA_BYTES);
    if (a->buf == NULL)
        return -1;
    a->cap = ARENA_BYTES;
    cJSON_InitHooks(&hooks);           /* the same two functions every time */
    tl_arena = a;
    return 0;
}

/* Ends it: the trees are gone, cJSON is back to malloc on this thread.
 * Never fails. */
static void arena_stop(ld_arena *a)
{
    if (tl_arena == a) {
        tl_arena = NULL;
        arena_reset(a);
    }
    free(a->big);
    free(a->buf);
    memset(a, 0, sizeof *a);
}

/* Frees a tree parse_checked made (NULL is fine).  Never fails. */
static void tree_done(cJSON *j)
{
    if (tl_arena != NULL)
        arena_reset(tl_arena);
    else
        cJSON_Delete(j);
}

/* "NAME:LINE:COL: msg" for a syntax error at s->off of text[0..len) whose
 * first line is line `first_line`.  Always returns -1. */
static int syntax_fail(ld_ctx *c, const char *text, size_t len, const ld_syntax *s, uint32_t first_line)
{
    uint32_t line, col;
    ld_line_col(text, len, s->off, &line, &col);
    snprintf(c->err->msg, sizeof c->err->msg, "%s:%u:%u: %s", c->name, first_line + line - 1, col, s->msg);
    return -1;
}

/* Parses text[0..len) that ld_json_check accepted.  Returns NULL with the
 * error set when cJSON refuses it anyway (then it is out of memory, or a
 * case the checker does not know: cJSON's position is reported). */
static cJSON *parse_checked(ld_ctx *c, const char *text, size_t len, const char *whole, size_t whole_len,
                            uint32_t first_line)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (j == NULL) {
        ld_syntax s;
        memset(&s, 0, sizeof s);
        if (end == NULL || end < text || end > text + len) {
            s.off = (size_t)(text - whole);
            snprintf(s.msg, sizeof s.msg, "cannot parse this value (out of memory?)");
        } else {
            s.off = (size_t)(end - whole);
            snprintf(s.msg, sizeof s.msg, "JSON syntax error");
        }
        syntax_fail(c, whole, whole_len, &s, first_line);
    }
    return j;
}

/* The message for a file with nothing but whitespace in it. */
static const char *EMPTY_MSG = "the file is empty (a trace is a JSON object with \"ops\", "
                               "see docs/trace-format.md)";

/* One JSON document: checked whole by ld_json_check, then walked; each op
 * and each top-level member is parsed by cJSON on its own, so memory stays
 * proportional to the compact ops, not to a cJSON tree of the file. */
static int load_json(ld_ctx *c, const char *buf, size_t len)
{
    ld_syntax s;
    ld_lines lc = { buf, 0, 1 };
    size_t i;
    uint32_t top_line;

    memset(&s, 0, sizeof s);
    s.eof_word = "end of file";
    if (ld_json_check(buf, len, &s) < 0) {
        if (s.empty)
            return ld_fail(c, 0, 0, "%s", EMPTY_MSG);
        return syntax_fail(c, buf, len, &s, 1);
    }
    i = s.top_off;
    top_line = ld_line_at(&lc, i);
    if (buf[i] != '{') {
        const char *what = buf[i] == '[' ? "an array" : buf[i] == '"' ? "a string"
                         : buf[i] == 't' ? "true" : buf[i] == 'f' ? "false" : buf[i] == 'n' ? "null" : "a number";
        return ld_fail(c, top_line, 0, "the top level must be an object with \"ops\", not %s%s", what,
                       buf[i] == '[' ? " (put the ops in {\"ops\": [...]})" : "");
    }
    i = ld_skip_ws(buf, len, i + 1);
    while (i < len && buf[i] != '}') {
        size_t kstart = i, kend = ld_skip_string(buf, len, i), vstart, vend;
        char *key = NULL;
        uint32_t vline;
        int rc = 0;

        /* the member name: raw when it has no escape, else decoded by cJSON */
        if (memchr(buf + kstart, '\\', kend - kstart) == NULL) {
            key = strndup(buf + kstart + 1, kend - kstart - 2);
        } else {
            cJSON *k = parse_checked(c, buf + kstart, kend - kstart, buf, len, 1);
            if (k == NULL)
                return -1;
            key = strdup(ld_is(k, cJSON_String) ? k->valuestring : "");
            tree_done(k);
        }
        if (key == NULL)
            return ld_fail(c, 0, 0, "out of memory");
        i = ld_skip_ws(buf, len, kend);
        vstart = ld_skip_ws(buf, len, i + 1);            /* past ':' */
        vend = ld_skip_value(buf, len, vstart);
        vline = ld_line_at(&lc, vstart);

        if (strcmp(key, "ops") == 0) {
            rc = ld_header_member(c, key, NULL, vline);
            if (rc == 0 && buf[vstart] != '[') {
                cJSON *v = parse_checked(c, buf + vstart, vend - vstart, buf, len, 1);
                rc = -1;
                if (v != NULL)
                    ld_fail(c, vline, 0, "\"ops\" must be an array of ops, not %s", ld_type_name(v));
                tree_done(v);
            }
            if (rc == 0) {
                size_t e = ld_skip_ws(buf, len, vstart + 1), opno = 0;
                while (e < len && buf[e] != ']') {
                    size_t eend = ld_skip_value(buf, len, e);
                    uint32_t line = ld_line_at(&lc, e);
                    cJSON *op = parse_checked(c, buf + e, eend - e, buf, len, 1);
                    if (op == NULL) {
                        rc = -1;
                        break;
                    }
                    c->op_text = buf + e;
                    c->op_len = eend - e;
                    rc = ld_op(c, op, ++opno, line);
                    tree_done(op);
                    if (rc < 0)
                        break;
                    e = ld_skip_ws(buf, len, eend);
                    if (e < len && buf[e] == ',')
                        e = ld_skip_ws(buf, len, e + 1);
                }
            }
        } else if (strcmp(key, "format") == 0 || strcmp(key, "title") == 0
                   || strcmp(key, "description") == 0 || ld_header_extra_key(key)) {
            cJSON *v = parse_checked(c, buf + vstart, vend - vstart, buf, len, 1);
            rc = v == NULL ? -1 : ld_header_member(c, key, v, vline);
            tree_done(v);
        }
        free(key);
        if (rc < 0)
            return -1;
        i = ld_skip_ws(buf, len, vend);
        if (i < len && buf[i] == ',')
            i = ld_skip_ws(buf, len, i + 1);
    }
    if (!c->seen_ops)
        return ld_fail(c, top_line, 0, "missing \"ops\" (the array of operations)");
    return 0;
}

/* Lines of a .jsonl trace, read from a file descriptor through one
 * buffer (a line never outlives the next call), or from memory. */
typedef struct ld_src {
    int         fd;       /* -1: read mem */
    char       *buf;      /* the file's bytes [start, end) not yet returned */
    size_t      cap, start, end;
    int         eof;
    const char *mem;
    size_t      mem_len, mem_off;
    uint64_t    total;    /* bytes of the lines returned so far */
} ld_src;

#define SRC_CHUNK ((size_t)64 << 10)

/* Reads more of the file into src->buf after its unread bytes, moved to
 * the front (the buffer grows when a line fills it).  Returns 0 (at the
 * end: src->eof), or -1 with the error set (read error, a line beyond
 * LD_MAX_BYTES, out of memory). */
static int src_fill(ld_ctx *c, ld_src *src)
{
    ssize_t r;
    if (src->start > 0) {
        memmove(src->buf, src->buf + src->start, src->end - src->start);
        src->end -= src->start;
        src->start = 0;
    }
    if (src->end == src->cap) {
        size_t ncap = src->cap ? src->cap * 2 : SRC_CHUNK;
        char *nb;
        if (src->cap > LD_MAX_BYTES)     /* a line longer than any file we read */
            return ld_fail(c, 0, 0, "the file is too large (more than 1 GiB)");
        if (ncap > LD_MAX_BYTES + 1)
            ncap = LD_MAX_BYTES + 1;
        nb = realloc(src->buf, ncap);
        if (nb == NULL)
            return ld_fail(c, 0, 0, "out of memory");
        src->buf = nb;
        src->cap = ncap;
    }
    do
        r = read(src->fd, src->buf + src->end, src->cap - src->end);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return ld_fail(c, 0, 0, "read error: %s", strerror(errno));
    if (r == 0)
        src->eof = 1;
    src->end += (size_t)r;
    return 0;
}

/* The next line without its '\n' (and '\r').  Returns 1, 0 at the end, or
 * -1 with the error set (read error, file grown beyond LD_MAX_BYTES). */
static int next_line(ld_ctx *c, ld_src *src, const char **p, size_t *n)
{
    size_t l;
    if (src->fd >= 0) {
        const char *nl;
        size_t scanned = 0;
        for (;;) {
            nl = src->end > src->start + scanned
                 ? memchr(src->buf + src->start + scanned, '\n', src->end - src->start - scanned) : NULL;
            if (nl != NULL || src->eof)
                break;
            scanned = src->end - src->start;
            if (src_fill(c, src) < 0)
                return -1;
        }
        if (nl == NULL && src->start == src->end)
            return 0;
        *p = src->buf + src->start;
        l = nl ? (size_t)(nl - *p) + 1 : src->end - src->start;
        src->start += l;
        src->total += l;
        if (src->total > LD_MAX_BYTES)
            return ld_fail(c, 0, 0, "the file is too large (more than 1 GiB)");
    } else {
        const char *nl;
        if (src->mem_off >= src->mem_len)
            return 0;
        *p = src->mem + src->mem_off;
        nl = memchr(*p, '\n', src->mem_len - src->mem_off);
        l = nl ? (size_t)(nl - *p) + 1 : src->mem_len - src->mem_off;
        src->mem_off += l;
    }
    if (l > 0 && (*p)[l - 1] == '\n')
        l--;
    if (l > 0 && (*p)[l - 1] == '\r')
        l--;
    *n = l;
    return 1;
}

/* 1 if p[0..n) is only spaces, tabs and CRs.  Never fails. */
static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

/* A .jsonl trace: a header line, then one op per non-empty line. */
static int load_jsonl(ld_ctx *c, ld_src *src)
{
    const char *p = NULL;
    size_t n = 0, opno = 0;
    uint32_t lineno = 0;
    int have_header = 0, r;

    while ((r = next_line(c, src, &p, &n)) > 0) {
        ld_syntax s;
        cJSON *j;
        lineno++;
        if (is_blank(p, n))
            continue;
        s.off = s.top_off = 0;          /* ld_json_check sets the rest (a memset was a */
        s.empty = 0;                    /* fiftieth of a load: 200 bytes a line) */
        s.msg[0] = 0;
        s.eof_word = "end of the line";
        if (ld_json_check(p, n, &s) < 0)
            return syntax_fail(c, p, n, &s, lineno);
        j = parse_checked(c, p, n, p, n, lineno);
        if (j == NULL)
            return -1;
        if (!have_header) {
            const cJSON *ch;
            have_header = 1;
            if (!ld_is(j, cJSON_Object)) {
                ld_fail(c, lineno, 0, "the first line of a .jsonl trace must be the header object "
                        "({\"format\": \"heapsim-trace/1\", ...}), not %s", ld_type_name(j));
                tree_done(j);
                return -1;
            }
            if (cJSON_GetObjectItemCaseSensitive(j, "op") != NULL) {
                ld_fail(c, lineno, 0, "the first line of a .jsonl trace must be the header object "
                        "({\"format\": \"heapsim-trace/1\", ...}), not an op");
                tree_done(j);
                return -1;
            }
            for (ch = j->child; ch != NULL; ch = ch->next) {
                const char *key = ch->string ? ch->string : "";
                if (strcmp(key, "ops") == 0) {
                    ld_fail(c, lineno, 0, "the header line of a .jsonl trace has no \"ops\": "
                            "each op is a line of its own");
                    tree_done(j);
                    return -1;
                }
                if (ld_header_member(c, key, ch, lineno) < 0) {
                    tree_done(j);
                    return -1;
                }
            }
        } else {
            c->op_text = p;
            c->op_len = n;
            r = ld_op(c, j, ++opno, lineno);
            if (r < 0) {
                tree_done(j);
                return -1;
            }
        }
        tree_done(j);
    }
    if (r < 0)
        return -1;
    if (!have_header)
        return ld_fail(c, 0, 0, "%s", EMPTY_MSG);
    return 0;
}

/* Common start and end of a load: c set up, *t emptied; on failure the
 * half-built trace is freed. */
static void ctx_init(ld_ctx *c, const char *name, hs_trace *t, hs_trace_error *err)
{
    memset(c, 0, sizeof *c);
    memset(t, 0, sizeof *t);
    c->name = name != NULL && name[0] != 0 ? name : "(trace)";
    c->t = t;
    c->err = err;
    c->arena = malloc(sizeof *c->arena);
    if (c->arena != NULL && arena_start(c->arena) < 0) {
        free(c->arena);
        c->arena = NULL;
    }
}

/* Ends a load with result rc: frees the context, and the half-built trace
 * when rc < 0.  Returns 0 or -1 (rc). */
static int ctx_done(ld_ctx *c, int rc)
{
    if (c->arena != NULL) {
        arena_stop(c->arena);
        free(c->arena);
        c->arena = NULL;
    }
    if (rc == 0)
        rc = ld_ids_finish(c);
    ld_ctx_fini(c);
    if (rc < 0) {
        hs_trace_free(c->t);
        return -1;
    }
    /* give back the growth slack of the op arrays */
    if (c->t->n_ops > 0 && c->t->n_ops < c->ops_cap) {
        hs_op *o = realloc(c->t->ops, c->t->n_ops * sizeof *o);
        if (o != NULL)
            c->t->ops = o;
        if (c->t->op_line != NULL) {
            uint32_t *l = realloc(c->t->op_line, c->t->n_ops * sizeof *l);
            if (l != NULL)
                c->t->op_line = l;
        }
    }
    ld_extra_shrink(c);
    return 0;
}

/* See trace.h.  Buffers over 1 GiB are refused like files. */
int hs_trace_load_mem(const char *name, const char *buf, size_t len, int jsonl,
                      hs_trace *t, hs_trace_error *err)
{
    ld_ctx c;
    hs_trace_error dummy;
    int rc;
    if (err == NULL)
        err = &dummy;
    err->msg[0] = 0;
    ctx_init(&c, name, t, err);
    if (buf == NULL && len > 0)
        return ctx_done(&c, ld_fail(&c, 0, 0, "no buffer"));
    if ((uint64_t)len > LD_MAX_BYTES)
        return ctx_done(&c, ld_fail(&c, 0, 0, "the trace is too large (%zu bytes; the limit is 1 GiB)", len));
    if (jsonl) {
        ld_src src;
        memset(&src, 0, sizeof src);
        src.fd = -1;
        src.mem = buf;
        src.mem_len = len;
        rc = load_jsonl(&c, &src);
    } else {
        rc = load_json(&c, buf ? buf : "", len);
    }
    return ctx_done(&c, rc);
}

/* 1 if s ends with suffix.  Never fails. */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* "a FIFO", "a character device", ...: what a non-regular file is.  Never fails. */
static const char *file_kind(mode_t m)
{
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m))  return "a character device";
    if (S_ISBLK(m))  return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

/* Reads all of fd (a regular file) into a new buffer.  Returns 0, or -1
 * with the error set (read error, more than LD_MAX_BYTES). */
static int read_all(ld_ctx *c, int fd, off_t size_hint, char **out, size_t *out_len)
{
    size_t cap = (size_t)size_hint + 1, len = 0;
    char *buf;
    if (cap < 4096)
        cap = 4096;
    buf = malloc(cap);
    if (buf == NULL)
        return ld_fail(c, 0, 0, "out of memory");
    for (;;) {
        ssize_t r;
        if (len == cap) {
            size_t ncap = cap * 2;
            char *nb;
            if (ncap > LD_MAX_BYTES + 1)
                ncap = LD_MAX_BYTES + 1;
            if (ncap <= cap) {
                free(buf);
                return ld_fail(c, 0, 0, "the file is too large (more than 1 GiB)");
            }
            nb = realloc(buf, ncap);
            if (nb == NULL) {
                free(buf);
                return ld_fail(c, 0, 0, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            {
                int e = errno;
                free(buf);
                return ld_fail(c, 0, 0, "read error: %s", strerror(e));
            }
        }
        if (r == 0)
            break;
        len += (size_t)r;
        if ((uint64_t)len > LD_MAX_BYTES) {
            free(buf);
            return ld_fail(c, 0, 0, "the file is too large (more than 1 GiB)");
        }
    }
    *out = buf;
    *out_len = len;
    return 0;
}

/* See trace.h.  Opens with O_NONBLOCK so that a FIFO cannot block, then
 * refuses anything but a regular file of at most 1 GiB; a .jsonl file is
 * read a chunk at a time, a .json file whole. */
int hs_trace_load(const char *path, hs_trace *t, hs_trace_error *err)
{
    ld_ctx c;
    hs_trace_error dummy;
    struct stat st;
    int fd, rc, jsonl;
    if (err == NULL)
        err = &dummy;
    err->msg[0] = 0;
    ctx_init(&c, path, t, err);
    if (path == NULL || path[0] == 0)
        return ctx_done(&c, ld_fail(&c, 0, 0, "no file name"));
    jsonl = ends_with(path, ".jsonl");

    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return ctx_done(&c, ld_fail(&c, 0, 0, "cannot open: %s", strerror(errno)));
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return ctx_done(&c, ld_fail(&c, 0, 0, "cannot stat: %s", strerror(e)));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return ctx_done(&c, ld_fail(&c, 0, 0, "is a directory, not a trace file"));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return ctx_done(&c, ld_fail(&c, 0, 0, "is %s, not a regular file", file_kind(st.st_mode)));
    }
    if ((uint64_t)st.st_size > LD_MAX_BYTES) {
        close(fd);
        return ctx_done(&c, ld_fail(&c, 0, 0, "the file is too large (%lld bytes; the limit is 1 GiB)",
                                    (long long)st.st_size));
    }
    {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }

    if (jsonl) {
        ld_src src;
        memset(&src, 0, sizeof src);
        src.fd = fd;
        rc = load_jsonl(&c, &src);
        free(src.buf);
        close(fd);
    } else {
        char *buf = NULL;
        size_t len = 0;
        rc = read_all(&c, fd, st.st_size, &buf, &len);
        close(fd);
        if (rc == 0)
            rc = load_json(&c, buf, len);
        free(buf);
    }
    return ctx_done(&c, rc);
}

/* See trace.h.  Never fails; NULL and an empty trace are fine, and the
 * trace is left empty (safe to free twice). */
void hs_trace_free(hs_trace *t)
{
    if (t == NULL)
        return;
    free(t->title);
    free(t->description);
    free(t->ops);
    free(t->op_line);
    free(t->ids);
    free(t->id_names);
    free(t->pool);
    free(t->op_note);
    free(t->op_label);
    free(t->touch_rule);
    free(t->settings);
    free(t->op_caller);
    free(t->op_thread);
    free(t->thread_name);
    free(t->op_rec_ptr);
    memset(t, 0, sizeof *t);
}

/* See trace.h.  Never fails: a bad offset gives NULL. */
const char *hs_trace_str(const hs_trace *t, uint32_t off)
{
    if (t == NULL || off == HS_NO_STR || t->pool == NULL || off >= t->pool_len)
        return NULL;
    return t->pool + off;
}

/* See trace.h.  Never fails. */
const char *hs_trace_note(const hs_trace *t, size_t i)
{
    if (t == NULL || t->op_note == NULL || i >= t->n_ops)
        return NULL;
    return hs_trace_str(t, t->op_note[i]);
}

/* See trace.h.  Never fails. */
const char *hs_trace_label(const hs_trace *t, size_t i)
{
    if (t == NULL || t->op_label == NULL || i >= t->n_ops)
        return NULL;
    return hs_trace_str(t, t->op_label[i]);
}

/* See trace.h.  Never fails. */
uint32_t hs_trace_op_line(const hs_trace *t, size_t i)
{
    if (t == NULL || i >= t->n_ops)
        return 0;
    if (t->op_line != NULL)
        return t->op_line[i];
    return t->op_line0 == 0 ? 0 : t->op_line0 + (uint32_t)i;
}
