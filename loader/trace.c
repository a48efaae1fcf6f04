/* loader/trace.c — loading a heapsim-trace/1 file (.json or .jsonl) into an hs_trace.
 * Owns: reading files safely, the .json walk, the .jsonl stream (a big file on two threads), cJSON's memory, hs_trace_free, accessors. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/ld_internal.h"
#include "sim/cc.h"

/* ---- cJSON's memory while loading ----
 * cJSON builds a small tree per op and the loader drops it right after:
 * while a load runs on this thread, cJSON's nodes and strings come from
 * one block, bumped, and a tree is dropped by emptying the block (no
 * malloc and free per node).  Other threads, and this one between loads,
 * get malloc and free as before. */

typedef struct ld_arena {
    char   *buf, *cur, *end;  /* the block; its free part is [cur, end) */
    void  **big;          /* what did not fit in buf: malloc'd, freed by arena_reset */
    size_t  n_big, cap_big;
} ld_arena;

#define ARENA_BYTES ((size_t)64 << 10)

static _Thread_local ld_arena *tl_arena;

/* arena_alloc's slow path: n bytes that do not fit in a->buf, malloc'd
 * and listed.  NULL when out of memory.  Kept out of line so that the
 * fast path needs no stack frame. */
HS_NOINLINE
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
    if (r - 1 < (size_t)(a->end - a->cur)) {  /* 0 < r <= room */
        void *p = a->cur;
        a->cur += r;
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
    a->cur = a->buf;
}

/* Starts the arena for a load on this thread: 0, or -1 when out of memory
 * (then cJSON uses malloc as before). */
static int arena_start(ld_arena *a)
{
    static cJSON_Hooks hooks = { arena_alloc, arena_dealloc };
    memset(a, 0, sizeof *a);
    a->buf = a->cur = malloc(ARENA_BYTES);
    if (a->buf == NULL)
        return -1;
    a->end = a->buf + ARENA_BYTES;
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

/* parse_text's failure: s->off (from text) and s->msg say why cJSON
 * refused text[0..len), stopping at end.  Never fails. */
HS_COLD
static void parse_refused(const char *text, size_t len, const char *end, ld_syntax *s)
{
    if (end == NULL || end < text || end > text + len) {
        s->off = 0;
        snprintf(s->msg, sizeof s->msg, "cannot parse this value (out of memory?)");
    } else {
        s->off = (size_t)(end - text);
        snprintf(s->msg, sizeof s->msg, "JSON syntax error");
    }
}

/* cJSON's tree of text[0..len).  NULL when cJSON refuses it, with s->off
 * (from text) and s->msg saying why: out of memory, or a case the checker
 * does not know (cJSON's position is reported). */
static inline cJSON *parse_text(const char *text, size_t len, ld_syntax *s)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (j == NULL)
        parse_refused(text, len, end, s);
    return j;
}

/* Parses text[0..len), a value inside whole[0..whole_len) that
 * ld_json_check accepted.  Returns NULL with the error set when cJSON
 * refuses it anyway (parse_text). */
static cJSON *parse_checked(ld_ctx *c, const char *text, size_t len, const char *whole, size_t whole_len)
{
    ld_syntax s;
    cJSON *j = parse_text(text, len, &s);
    if (j == NULL) {
        s.off += (size_t)(text - whole);
        syntax_fail(c, whole, whole_len, &s, 1);
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
            cJSON *k = parse_checked(c, buf + kstart, kend - kstart, buf, len);
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
                cJSON *v = parse_checked(c, buf + vstart, vend - vstart, buf, len);
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
                    cJSON *op = parse_checked(c, buf + e, eend - e, buf, len);
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
            cJSON *v = parse_checked(c, buf + vstart, vend - vstart, buf, len);
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

/* 1 if p[0..n) is only spaces, tabs and CRs.  Never fails. */
static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

/* One non-blank line of a .jsonl trace, parsed into j: the header (the
 * first one, *have_header then set) or op number ++*opno.  Returns 0, or -1
 * with the error set.  Leaves j to the caller. */
static int jsonl_item(ld_ctx *c, const cJSON *j, const char *p, size_t n, uint32_t lineno,
                      size_t *opno, int *have_header)
{
    if (*have_header) {
        c->op_text = p;
        c->op_len = n;
        return ld_op(c, j, ++*opno, lineno) < 0 ? -1 : 0;
    }
    *have_header = 1;
    if (!ld_is(j, cJSON_Object))
        return ld_fail(c, lineno, 0, "the first line of a .jsonl trace must be the header object "
                       "({\"format\": \"heapsim-trace/1\", ...}), not %s", ld_type_name(j));
    if (cJSON_GetObjectItemCaseSensitive(j, "op") != NULL)
        return ld_fail(c, lineno, 0, "the first line of a .jsonl trace must be the header object "
                       "({\"format\": \"heapsim-trace/1\", ...}), not an op");
    for (const cJSON *ch = j->child; ch != NULL; ch = ch->next) {
        const char *key = ch->string ? ch->string : "";
        if (strcmp(key, "ops") == 0)
            return ld_fail(c, lineno, 0, "the header line of a .jsonl trace has no \"ops\": "
                           "each op is a line of its own");
        if (ld_header_member(c, key, ch, lineno) < 0)
            return -1;
    }
    return 0;
}

/* Starts a line's syntax result before ld_json_check fills it (a memset
 * was a fiftieth of a load: 200 bytes a line). */
static void syntax_start(ld_syntax *s)
{
    s->off = s->top_off = 0;
    s->empty = 0;
    s->msg[0] = 0;
    s->eof_word = "end of the line";
}

/* Nonzero if one of the 16 bytes at p is below 0x20 or above 0x7F, or is
 * '\\'.  Never fails. */
static inline uint64_t unplain16(const char *p)
{
#if defined(__GNUC__)
    /* as signed bytes, those above 0x7F are below 0x20 too */
    typedef signed char v16 __attribute__((vector_size(16)));
    v16 x, m;
    uint64_t w[2];
    memcpy(&x, p, 16);
    m = (x < 0x20) | (x == '\\');
    memcpy(w, &m, 16);
    return w[0] | w[1];
#else
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t bad = 0;
    for (int k = 0; k < 2; k++) {
        uint64_t x, y;
        memcpy(&x, p + 8 * k, 8);
        y = x ^ (ones * '\\');
        /* a byte >= 0x80, a byte < 0x20, a '\\' (each test exact as to whether there is one) */
        bad |= x | ((x - ones * 0x20) & ~x) | ((y - ones) & ~y);
    }
    return bad & highs;
#endif
}

/* 1 if p[0..n) holds only the bytes 0x20..0x7F but '\\' (no tab, no other
 * control character, no escape, nothing beyond ASCII): a line on which
 * cJSON's grammar and ld_json_check's are the same.  On such text the
 * checker refuses only what cJSON refuses too, or what cJSON leaves
 * after the value (with return_parse_end, trailing text is not an error
 * to cJSON): the checker's extra rules are about NUL, control bytes,
 * UTF-8, escapes and whitespace other than ' ', and cJSON's own leniencies
 * (a "true" run on into "truex", a number run such as "1-2" that strtod
 * reads only in part) all leave a byte that no rule of cJSON's takes after
 * a value, so cJSON refuses them.  16 bytes at a time; never fails. */
static int is_plain(const char *p, size_t n)
{
    uint64_t bad = 0;
    if (n < 16) {
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] >= 0x80 || p[i] == '\\')
                return 0;
        return 1;
    }
    for (size_t i = 0; i + 16 < n; i += 16)
        bad |= unplain16(p + i);
    return (bad | unplain16(p + n - 16)) == 0;   /* the last 16, some seen already */
}

/* cJSON's tree of the non-blank line p[0..n), in this thread's arena; NULL
 * when cJSON refuses it.  *fast = 1 when the line is plain (`plain` is
 * is_plain(p, n)) and cJSON read it to its end but spaces: then
 * ld_json_check would accept it, and is not run.  Never fails otherwise. */
static cJSON *line_tree(const char *p, size_t n, int plain, int *fast)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(p, n, &end, 0);
    *fast = 0;
    if (j != NULL && plain) {
        while (end < p + n && *end == ' ')
            end++;
        *fast = end == p + n;
    }
    return j;
}

/* Line p[0..n), line number lineno, checked and bound (jsonl_item).  j:
 * its tree (NULL when cJSON refused it, or when it is not parsed yet: then
 * it is parsed here, in this thread's arena, which the caller empties);
 * fast: 1 when line_tree made j and the checker need not look (it would
 * accept the line).  Otherwise the checker looks first, as cJSON's word is
 * only "JSON syntax error": every message is the one the checker, then
 * cJSON, then jsonl_item gives.  Returns 0, or -1 with the error set. */
static int jsonl_line(ld_ctx *c, const char *p, size_t n, uint32_t lineno, const cJSON *j, int fast,
                      size_t *opno, int *have_header)
{
    cJSON *own = NULL;
    int rc;
    if (!fast) {
        ld_syntax s;
        syntax_start(&s);
        if (ld_json_check(p, n, &s) < 0)
            return syntax_fail(c, p, n, &s, lineno);
        if (j == NULL && (j = own = parse_text(p, n, &s)) == NULL)
            return syntax_fail(c, p, n, &s, lineno);
    }
    rc = jsonl_item(c, j, p, n, lineno, opno, have_header);
    if (own != NULL && tl_arena == NULL)
        cJSON_Delete(own);
    return rc;
}

/* ---- a .jsonl trace: a header line, then one op per non-blank line ----
 * The reader takes the source (a file descriptor or a buffer) a batch of
 * whole lines at a time and cuts it into chunks of PIPE_CHUNK lines.  The
 * binder takes a chunk, makes its lines' trees (line_tree, in its own
 * arena), asks the cache for their ids (ld_ops_prefetch), then checks and
 * binds them in order (jsonl_line: ld_json_check unless the line is plain,
 * jsonl_item) and drops the trees.  A big file is read on a second thread,
 * two batches taking turns, and the parsing is shared: the binder takes
 * the batch's chunks from the front, the reader from the back, building
 * their trees in the batch's own arena (cJSON then parses on two threads
 * at once; its README's conditions for that hold: cJSON_GetErrorPtr is
 * never called, the hooks are set before the reader starts); when the
 * binder reaches the reader's chunks it waits for each to be parsed and
 * binds its trees.  Whoever parsed a line, the binder checks and reports
 * it, in order, so each message is the same on one thread or two.  A
 * small file, a buffer, or a big file when no thread is to be had: the
 * reader runs on this thread, a batch at a time, and the binder parses
 * every chunk.  On one CPU the second thread costs a thread and nothing
 * else. */

#define PIPE_MIN   ((off_t)1 << 20)       /* smaller files: no second thread */
#define PIPE_TEXT  ((size_t)32 << 10)     /* bytes of lines a batch reads (a longer line grows it) */
#define PIPE_TREES ((size_t)512 << 10)    /* arena for a batch's trees (~450 bytes a line; more: malloc) */
#define PIPE_CHUNK LD_PREFETCH_OPS        /* lines the binder or the reader takes at a time */

typedef struct pipe_line {
    const char *p;
    size_t n;
    uint32_t lineno;
    int fast;                            /* once parsed: line_tree's *fast */
    cJSON *j;                            /* once parsed: its tree, NULL when cJSON refused it or the
                                            binder left it to after the checker (not plain) */
} pipe_line;

typedef struct pipe_batch {
    char *text;                          /* the batch's lines, whole */
    size_t cap, len;
    ld_arena arena;                      /* their trees */
    pipe_line *line;
    size_t n, lcap;
    int full;                            /* 1: read, for the binder; 0: for the reader */
    int last;                            /* nothing after this batch */
    int fail;                            /* 2: read error, too large (msg) after line[n - 1] */
    char msg[200];
    /* chunks of PIPE_CHUNK lines (two threads; under ld_pipe.mu): [0, front)
     * taken by the binder, [back, n_chunks) by the reader, of which
     * [rdone, n_chunks) are parsed */
    size_t n_chunks, front, back, rdone;
} pipe_batch;

typedef struct ld_pipe {
    int fd;                              /* -1: read mem */
    const char *mem;
    size_t mem_len, mem_off;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;                            /* the binder gave up: the reader ends */
    pipe_batch b[2];
    char *carry;                         /* a line begun at the end of the last read */
    size_t carry_len, carry_cap;
    uint64_t total;
    uint32_t lineno;
    int eof;
} ld_pipe;

/* Reads up to n bytes of fd into p, again after EINTR; *total counts the
 * bytes read so far.  Returns how many (0 at the end), or -1 with msg set:
 * a read error, or more than LD_MAX_BYTES in all. */
static ssize_t fd_read(int fd, char *p, size_t n, uint64_t *total, char msg[200])
{
    ssize_t r;
    do
        r = read(fd, p, n);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        snprintf(msg, 200, "read error: %s", strerror(errno));
        return -1;
    }
    *total += (size_t)r;
    if (*total > LD_MAX_BYTES) {
        snprintf(msg, 200, "the file is too large (more than 1 GiB)");
        return -1;
    }
    return r;
}

/* Appends text[0..n) to the batch's text.  -1 when out of memory. */
static int pipe_put(pipe_batch *b, const char *text, size_t n)
{
    if (n == 0)
        return 0;
    if (ld_reserve(&b->text, &b->cap, b->len + n, PIPE_TEXT) < 0)
        return -1;
    memcpy(b->text + b->len, text, n);
    b->len += n;
    return 0;
}

/* Reads the next batch of whole lines into b (the carried part first):
 * the one place the loader reads lines.  Returns 0, or -1 with b->fail = 2
 * and b->msg set. */
static int pipe_read(ld_pipe *pp, pipe_batch *b)
{
    b->len = 0;
    if (pipe_put(b, pp->carry, pp->carry_len) < 0)
        goto oom;
    pp->carry_len = 0;
    size_t whole = 0, seen = 0;                 /* bytes up to the last newline; bytes looked at */
    for (;;) {
        for (size_t i = b->len; i > seen; i--)
            if (b->text[i - 1] == '\n') {
                whole = i;
                break;
            }
        seen = b->len;
        if (pp->eof || (whole > 0 && b->len >= PIPE_TEXT)) {
            size_t keep = pp->eof ? b->len : whole, rest = b->len - keep;
            if (ld_reserve(&pp->carry, &pp->carry_cap, rest, 256) < 0)
                goto oom;
            if (rest > 0)
                memcpy(pp->carry, b->text + keep, rest);
            pp->carry_len = rest;
            b->len = keep;
            return 0;
        }
        /* room for a good read (a long line grows it) */
        if (ld_reserve(&b->text, &b->cap, b->len + PIPE_TEXT / 4, PIPE_TEXT) < 0)
            goto oom;
        ssize_t r;
        if (pp->fd >= 0) {
            r = fd_read(pp->fd, b->text + b->len, b->cap - b->len, &pp->total, b->msg);
        } else {                                    /* a buffer: copied as a file is read */
            r = (ssize_t)(pp->mem_len - pp->mem_off < b->cap - b->len ? pp->mem_len - pp->mem_off
                                                                       : b->cap - b->len);
            if (r > 0)
                memcpy(b->text + b->len, pp->mem + pp->mem_off, (size_t)r);
            pp->mem_off += (size_t)r;
        }
        if (r < 0) {
            b->fail = 2;
            return -1;
        }
        if (r == 0)
            pp->eof = 1;
        b->len += (size_t)r;
    }
oom:
    snprintf(b->msg, sizeof b->msg, "out of memory");
    b->fail = 2;
    return -1;
}

/* Lists b's non-blank lines, each without its '\n' and one '\r' (the one
 * place lines are split); their trees are not made yet.  Returns 0, or -1
 * out of memory. */
static int pipe_split(ld_pipe *pp, pipe_batch *b)
{
    const char *p = b->text, *end = b->text + b->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p), n = l;
        const char *line = p;
        p += l + (nl != NULL);
        pp->lineno++;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (is_blank(line, n))
            continue;
        if (b->n == b->lcap) {
            size_t nc = b->lcap ? b->lcap * 2 : 1024;
            pipe_line *nl2 = realloc(b->line, nc * sizeof *nl2);
            if (nl2 == NULL)
                return -1;
            b->line = nl2;
            b->lcap = nc;
        }
        pipe_line *pl = &b->line[b->n++];
        pl->p = line;
        pl->n = n;
        pl->lineno = pp->lineno;
    }
    return 0;
}

/* The reader's step: batch b read and split, b->last set.  Never fails
 * (failures go in the batch). */
static void pipe_fill(ld_pipe *pp, pipe_batch *b)
{
    b->n = 0;
    b->fail = 0;
    if (pipe_read(pp, b) == 0 && pipe_split(pp, b) < 0) {
        snprintf(b->msg, sizeof b->msg, "out of memory");
        b->fail = 2;
    }
    b->last = b->fail != 0 || (pp->eof && pp->carry_len == 0);
    b->n_chunks = b->back = b->rdone = (b->n + PIPE_CHUNK - 1) / PIPE_CHUNK;
    b->front = 0;
}

/* The reader thread's part of the binder's work: chunks of b taken from
 * the back, until they meet the binder's, each line made into a tree in
 * b's arena (line_tree; NULL when cJSON refuses it: the binder finds out
 * why when it gets there).  Stops early when the binder has stopped.
 * Never fails. */
static void pipe_trees(ld_pipe *pp, pipe_batch *b)
{
    arena_reset(&b->arena);
    tl_arena = &b->arena;
    for (;;) {
        size_t k;
        pthread_mutex_lock(&pp->mu);
        if (pp->stop || b->back <= b->front) {
            pthread_mutex_unlock(&pp->mu);
            break;
        }
        k = --b->back;
        pthread_mutex_unlock(&pp->mu);
        size_t end = (k + 1) * PIPE_CHUNK < b->n ? (k + 1) * PIPE_CHUNK : b->n;
        for (size_t i = k * PIPE_CHUNK; i < end; i++) {
            pipe_line *pl = &b->line[i];
            pl->j = line_tree(pl->p, pl->n, is_plain(pl->p, pl->n), &pl->fast);
        }
        pthread_mutex_lock(&pp->mu);
        b->rdone = k;
        pthread_cond_broadcast(&pp->cv);
        pthread_mutex_unlock(&pp->mu);
    }
    tl_arena = NULL;
}

/* The reader thread: fills the two batches in turn, each handed to the
 * binder once read and split, then parses its share of it (pipe_trees),
 * until the file ends or the binder stops it.  Never fails (failures go in
 * the batch). */
static void *pipe_reader(void *arg)
{
    ld_pipe *pp = arg;
    for (int k = 0;; k ^= 1) {
        pipe_batch *b = &pp->b[k];
        pthread_mutex_lock(&pp->mu);
        while (b->full && !pp->stop)
            pthread_cond_wait(&pp->cv, &pp->mu);
        int stop = pp->stop;
        pthread_mutex_unlock(&pp->mu);
        if (stop)
            break;
        pipe_fill(pp, b);
        pthread_mutex_lock(&pp->mu);
        b->full = 1;
        pthread_cond_broadcast(&pp->cv);
        pthread_mutex_unlock(&pp->mu);
        pipe_trees(pp, b);
        if (b->last)
            break;
    }
    return NULL;
}

/* Starts the reader thread: 1, or 0 when there is none to be had (then
 * nothing is left to undo).  Never fails otherwise. */
static int pipe_start(ld_pipe *pp)
{
    if (pthread_mutex_init(&pp->mu, NULL) != 0)
        return 0;
    if (pthread_cond_init(&pp->cv, NULL) == 0) {
        if (pthread_create(&pp->th, NULL, pipe_reader, pp) == 0)
            return 1;
        pthread_cond_destroy(&pp->cv);
    }
    pthread_mutex_destroy(&pp->mu);
    return 0;
}

/* The binder's part of a chunk of n lines: their trees made here when
 * `mine` (plain lines; the others after the checker, in jsonl_line), else
 * the reader's; their ids asked for (ld_ops_prefetch); each line checked
 * and bound in order (jsonl_line), up to the first error; then the trees
 * made here dropped (this thread's arena emptied, or each freed when it
 * has none).  Returns 0, or -1 with the error set. */
static int chunk_bind(ld_ctx *c, pipe_line *l, size_t n, int mine, size_t *opno, int *have_header)
{
    const cJSON *ops[PIPE_CHUNK];
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (mine) {
            l[i].fast = 0;
            l[i].j = is_plain(l[i].p, l[i].n) ? line_tree(l[i].p, l[i].n, 1, &l[i].fast) : NULL;
        }
        ops[i] = l[i].j;
    }
    ld_ops_prefetch(c, ops, n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        c->hint_i = i;
        rc = jsonl_line(c, l[i].p, l[i].n, l[i].lineno, l[i].j, l[i].fast, opno, have_header);
    }
    c->hint_n = 0;
    if (tl_arena != NULL)
        arena_reset(tl_arena);
    else if (mine)
        for (size_t i = 0; i < n; i++)
            cJSON_Delete(l[i].j);
    return rc;
}

/* A .jsonl trace from fd (a regular file), or from mem[0..mem_len) when fd
 * is -1; the reader on a second thread when `threads`.  Returns 0 or -1
 * with the error set. */
static int load_jsonl(ld_ctx *c, int fd, const char *mem, size_t mem_len, int threads)
{
    ld_pipe pp;
    memset(&pp, 0, sizeof pp);
    pp.fd = fd;
    pp.mem = mem;
    pp.mem_len = mem_len;
    for (int k = 0; k < 2 * threads; k++) {      /* no arena: cJSON's nodes each malloc'd */
        ld_arena *a = &pp.b[k].arena;
        a->buf = a->cur = a->end = malloc(PIPE_TREES);
        if (a->buf != NULL)
            a->end = a->buf + PIPE_TREES;
    }
    threads = threads && pipe_start(&pp);
    size_t opno = 0;
    int have_header = 0, rc = 0;
    for (int k = 0;; k ^= threads) {             /* one thread: batch 0 every time */
        pipe_batch *b = &pp.b[k];
        if (threads) {
            pthread_mutex_lock(&pp.mu);
            while (!b->full)
                pthread_cond_wait(&pp.cv, &pp.mu);
            pthread_mutex_unlock(&pp.mu);
        } else {
            pipe_fill(&pp, b);
        }
        for (size_t ch = 0; ch < b->n_chunks && rc == 0; ch++) {
            /* chunk ch: the binder's own unless the reader took it (then wait until it is parsed) */
            int mine = 1;
            if (threads) {
                pthread_mutex_lock(&pp.mu);
                if (b->front < b->back)
                    b->front = ch + 1;
                else
                    for (mine = 0; b->rdone > ch;)
                        pthread_cond_wait(&pp.cv, &pp.mu);
                pthread_mutex_unlock(&pp.mu);
            }
            size_t first = ch * PIPE_CHUNK;
            rc = chunk_bind(c, &b->line[first], b->n - first < PIPE_CHUNK ? b->n - first : PIPE_CHUNK, mine,
                            &opno, &have_header);
        }
        if (rc == 0 && b->fail == 2)
            rc = ld_fail(c, 0, 0, "%s", b->msg);
        int last = b->last || rc != 0;
        if (threads) {
            pthread_mutex_lock(&pp.mu);
            b->full = 0;
            pp.stop = rc != 0;
            pthread_cond_broadcast(&pp.cv);
            pthread_mutex_unlock(&pp.mu);
        }
        if (last)
            break;
    }
    if (threads) {
        pthread_join(pp.th, NULL);
        pthread_cond_destroy(&pp.cv);
        pthread_mutex_destroy(&pp.mu);
    }
    for (int k = 0; k < 2; k++) {
        pipe_batch *b = &pp.b[k];
        arena_reset(&b->arena);
        free(b->arena.big);
        free(b->arena.buf);
        free(b->text);
        free(b->line);
    }
    free(pp.carry);
    if (rc == 0 && !have_header)
        rc = ld_fail(c, 0, 0, "%s", EMPTY_MSG);
    return rc;
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
    ld_ops_start(c);
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
    if (rc == 0)
        rc = ld_extra_finish(c);
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
    if (jsonl)
        rc = load_jsonl(&c, -1, buf, len, 0);
    else
        rc = load_json(&c, buf ? buf : "", len);
    return ctx_done(&c, rc);
}

/* 1 if s ends with suffix.  Never fails. */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* See trace.h. */
const char *hs_file_kind(unsigned int m)
{
    if (S_ISDIR(m))  return "a directory";
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
    size_t cap = (size_t)size_hint + 1 < 4096 ? 4096 : (size_t)size_hint + 1, len = 0;
    uint64_t total = 0;
    char *buf = malloc(cap), msg[200];
    for (;;) {
        if (len == cap) {            /* the file grew (fd_read stops it past LD_MAX_BYTES) */
            cap = cap * 2 > LD_MAX_BYTES + 1 ? LD_MAX_BYTES + 1 : cap * 2;
            char *nb = realloc(buf, cap);
            if (nb == NULL)
                free(buf);
            buf = nb;
        }
        if (buf == NULL)
            return ld_fail(c, 0, 0, "out of memory");
        ssize_t r = fd_read(fd, buf + len, cap - len, &total, msg);
        if (r < 0) {
            free(buf);
            return ld_fail(c, 0, 0, "%s", msg);
        }
        if (r == 0)
            break;
        len += (size_t)r;
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
        return ctx_done(&c, ld_fail(&c, 0, 0, "is %s, not a regular file", hs_file_kind(st.st_mode)));
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
        rc = load_jsonl(&c, fd, NULL, 0, st.st_size >= PIPE_MIN);
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

void hs_trace_share(const hs_trace *t, hs_trace *out)
{
    *out = *t;
    out->ops = NULL;
    out->n_ops = 0;
    out->op_line = NULL;
    out->op_note = NULL;
    out->op_label = NULL;
    out->op_caller = NULL;
    out->op_thread = NULL;
    out->op_rec_ptr = NULL;
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
