/* app/cmd_import.c — `heapsim import mtrace|ltrace FILE [-o OUT]`: another tool's allocation log as a trace.
 * Owns: reading the log file and writing the trace; the grammar lives in import/ (no machine access there). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "rec_convert.h"
#include "../import/import.h"

static void usage_to(FILE *f)
{
    fputs("usage: heapsim import mtrace|ltrace FILE [-o OUT]\n", f);
}

static void usage(void) { usage_to(stderr); }

/* Writes one op as a trace line. */
static int emit(void *ctx, const hs_imp_op *op)
{
    hs_tw *w = ctx;
    FILE *f = hs_tw_op(w);
    fprintf(f, "{\"op\":\"%s\",\"id\":\"b%u\"", hs_op_name(op->kind), op->id);
    switch (op->kind) {
    case HS_OP_MALLOC:
    case HS_OP_REALLOC:
        fprintf(f, ",\"size\":%llu", (unsigned long long)op->size);
        break;
    case HS_OP_CALLOC:
        fprintf(f, ",\"nmemb\":%llu,\"size\":%llu", (unsigned long long)op->arg, (unsigned long long)op->size);
        break;
    case HS_OP_MEMALIGN:
        fprintf(f, ",\"alignment\":%llu,\"size\":%llu", (unsigned long long)op->arg,
                (unsigned long long)op->size);
        break;
    default:
        break;
    }
    if (op->thread)
        fprintf(f, ",\"thread\":\"T%u\"", op->thread);
    if (op->caller != NULL && op->caller_len > 0) {
        /* the log's bytes, kept to ASCII so the trace is always UTF-8 */
        char buf[512];
        size_t n = op->caller_len < sizeof buf - 1 ? op->caller_len : sizeof buf - 1;
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)op->caller[i];
            buf[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
        }
        buf[n] = 0;
        fputs(",\"caller\":", f);
        hs_print_json_str(f, buf);
    }
    fputc('}', f);
    return ferror(f) ? -1 : 0;
}

/* hs_imp_reader's read: read(2) on the log, retried when interrupted. */
static long read_fd(void *ctx, char *buf, size_t n)
{
    ssize_t got;
    do
        got = read(*(int *)ctx, buf, n);
    while (got < 0 && errno == EINTR);
    return (long)got;
}

int hs_cmd_import(int argc, char **argv)
{
    const char *fmt_name = NULL, *path = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage_to(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--out")) {
            if (i + 1 >= argc || !argv[i + 1][0]) {
                fprintf(stderr, "heapsim import: %s needs a file name\n", argv[i]);
                usage();
                return 2;
            }
            if (out) {
                fprintf(stderr, "heapsim import: %s given twice ('%s' and '%s')\n", argv[i], out, argv[i + 1]);
                return 2;
            }
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "heapsim import: unknown option '%s'\n", argv[i]);
            usage();
            return 2;
        } else if (!fmt_name) fmt_name = argv[i];
        else if (!path) path = argv[i];
        else {
            fprintf(stderr, "heapsim import: one log at a time ('%s')\n", argv[i]);
            return 2;
        }
    }
    if (!fmt_name || !path) {
        usage();
        return 2;
    }
    hs_imp_format fmt;
    if (!strcmp(fmt_name, "mtrace")) fmt = HS_IMP_MTRACE;
    else if (!strcmp(fmt_name, "ltrace")) fmt = HS_IMP_LTRACE;
    else {
        fprintf(stderr, "heapsim import: unknown log format '%s' (mtrace or ltrace)\n", fmt_name);
        return 2;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        if (fd >= 0) close(fd);
        return 2;
    }
    if (!S_ISREG(sb.st_mode)) {
        fprintf(stderr, "%s: is %s, not a regular file\n", path, hs_file_kind(sb.st_mode));
        close(fd);
        return 2;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    char out_buf[4096];
    if (out == NULL) {
        snprintf(out_buf, sizeof out_buf, "%s.json", path);
        out = out_buf;
    }
    if (hs_outfile_is(out, path)) {
        fprintf(stderr, "heapsim import: %s is the log %s itself: it would be replaced by the trace "
                "(-o another file)\n", out, path);
        close(fd);
        return 2;
    }
    char err[4096 + 256];
    char *members = NULL;
    size_t mlen = 0;
    FILE *mf = open_memstream(&members, &mlen);
    if (mf == NULL) {
        close(fd);
        fputs("heapsim import: out of memory\n", stderr);
        return 2;
    }
    char title[4200];
    snprintf(title, sizeof title, "imported from the %s log %s", fmt_name, path);
    fputs("\"title\":", mf);
    hs_print_json_str(mf, title);
    fputs(",\"touch_rule\":", mf);
    hs_print_json_str(mf, HS_REC_TOUCH_RULE);
    fclose(mf);
    hs_tw w;
    int rc = hs_tw_open(&w, out, members ? members : "", err, sizeof err);
    free(members);
    if (rc < 0) {
        close(fd);
        fprintf(stderr, "heapsim import: %s\n", err);
        return 2;
    }
    hs_imp *im = hs_imp_new(fmt, emit, &w);
    if (im == NULL) {
        hs_tw_abort(&w);
        close(fd);
        fputs("heapsim import: out of memory\n", stderr);
        return 2;
    }
    hs_imp_reader in = {read_fd, &fd, HS_IMP_LINE_MAX, NULL, 0, 0, 0, 0};
    char *line, msg[1024];
    size_t n;
    int got;
    unsigned long lineno = 0;
    rc = 0;
    while ((got = hs_imp_read_line(&in, &line, &n)) > 0) {
        lineno++;
        if (hs_imp_line(im, line, n, msg, sizeof msg) < 0) {
            fprintf(stderr, "%s:%lu: %s\n", path, lineno, msg);
            rc = 2;
            break;
        }
    }
    if (got == -2) {
        fprintf(stderr, "%s:%lu: the line is longer than %d MiB (not an %s log)\n", path, lineno + 1,
                HS_IMP_LINE_MAX >> 20, fmt_name);
        rc = 2;
    } else if (got == -3) {
        fprintf(stderr, "%s:%lu: out of memory\n", path, lineno + 1);
        rc = 2;
    } else if (got < 0) {
        fprintf(stderr, "%s: read error: %s\n", path, strerror(errno));
        rc = 2;
    } else if (rc == 0 && lineno == 0) {
        fprintf(stderr, "%s: the log is empty (an %s log has a line per call)\n", path, fmt_name);
        rc = 2;
    }
    if (rc == 0 && hs_imp_finish(im, msg, sizeof msg) < 0) {
        fprintf(stderr, "%s:%lu: %s\n", path, lineno, msg);
        rc = 2;
    }
    hs_imp_reader_free(&in);
    close(fd);
    const hs_imp_stats *st = hs_imp_get_stats(im);
    if (rc == 0 && hs_tw_commit(&w, err, sizeof err) < 0) {
        fprintf(stderr, "heapsim import: %s\n", err);
        rc = 2;
    } else if (rc != 0) {
        hs_tw_abort(&w);
    }
    if (rc == 0) {
        fprintf(stderr, "heapsim import: %s: %llu ops from %llu lines of %s", out,
                (unsigned long long)st->ops, (unsigned long long)st->lines, path);
        fprintf(stderr, "; %llu free/realloc of unknown pointers dropped",
                (unsigned long long)st->unknown_dropped);
        if (st->other_skipped)
            fprintf(stderr, "; %llu lines of other calls, exits or signals skipped",
                    (unsigned long long)st->other_skipped);
        if (st->threads)
            fprintf(stderr, "; %u other pids/threads (field \"thread\")", st->threads);
        fputc('\n', stderr);
    }
    hs_imp_free(im);
    return rc;
}
