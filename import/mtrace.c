/* import/mtrace.c — glibc's MALLOC_TRACE log (mtrace(3)) line by line.
 * Owns: the mtrace grammar: "= Start"/"= End", "@ caller" prefixes, "+ ptr size", "- ptr", "< old"/"> new size", "! old size". */
#include <string.h>

#include "import/imp_internal.h"

/* A pointer as mtrace prints it (%p: 0x... or "(nil)").  Returns 0, or -1. */
static int ptr_at(const char **p, const char *end, uint64_t *v)
{
    if (end - *p >= 5 && memcmp(*p, "(nil)", 5) == 0) {
        *p += 5;
        *v = 0;
        return 0;
    }
    if (end - *p < 2 || (*p)[0] != '0' || (*p)[1] != 'x')
        return -1;
    return imp_number(p, end, 16, v);
}

/* " " then a pointer; " " then a size (%#lx: 0x... or 0) when want_size;
 * then the end of the line.  Returns 0, or -1 with err. */
static int fields(const char *p, const char *end, uint64_t *ptr, uint64_t *size, char *err, size_t errlen)
{
    if (p >= end || *p != ' ' || (p++, ptr_at(&p, end, ptr) < 0))
        return imp_fail(err, errlen, "expected a space and a pointer such as 0x55555555a2a0 after the op");
    if (size != NULL) {
        if (p >= end || *p != ' ' || (p++, imp_number(&p, end, 16, size) < 0))
            return imp_fail(err, errlen, "expected a size in hexadecimal such as 0x64 after the pointer");
    }
    if (p != end)
        return imp_fail(err, errlen, "unexpected text after the %s", size ? "size" : "pointer");
    return 0;
}

/* See import.h (used by hs_imp_line). */
int hs_imp_mtrace_line(hs_imp *im, const char *line, size_t len, char *err, size_t errlen)
{
    const char *p = line, *end = line + len;
    uint64_t ptr = 0, size = 0;
    if (*p == '=') {
        if (im->open_realloc)
            return imp_fail(err, errlen, "expected the \"> new size\" line of the realloc on the line before");
        return 0;                                  /* "= Start", "= End" */
    }
    if (end - p >= 2 && p[0] == '@' && p[1] == ' ') {
        /* "@ file:(sym+off)[0xaddr] " or "@ [0xaddr] ": up to the first "] " before an op */
        const char *q = p + 2, *found = NULL;
        for (; q + 2 < end; q++)
            if (q[0] == ']' && q[1] == ' ' && q[2] != 0 && strchr("+-<>!", q[2]) != NULL
                && (q + 3 == end || q[3] == ' ')) {
                found = q;
                break;
            }
        if (found == NULL)
            return imp_fail(err, errlen, "a caller \"@ ...[0x...]\" must be followed by an op (+, -, <, >, !)");
        im->caller = p + 2;
        im->caller_len = (size_t)(found + 1 - (p + 2));
        p = found + 2;
    }
    char op = *p++;
    if (im->open_realloc && op != '>')
        return imp_fail(err, errlen, "expected the \"> new size\" line of the realloc on the line before");
    switch (op) {
    case '+':
        if (fields(p, end, &ptr, &size, err, errlen) < 0)
            return -1;
        return imp_alloc(im, HS_OP_MALLOC, 0, size, ptr, err, errlen);
    case '-':
        if (fields(p, end, &ptr, NULL, err, errlen) < 0)
            return -1;
        return imp_free(im, ptr, err, errlen);
    case '<':
        if (fields(p, end, &ptr, NULL, err, errlen) < 0)
            return -1;
        im->open_realloc = 1;
        im->realloc_old = ptr;
        return 0;
    case '>':
        if (!im->open_realloc)
            return imp_fail(err, errlen, "a \"> new size\" line without the \"< old\" line before it");
        if (fields(p, end, &ptr, &size, err, errlen) < 0)
            return -1;
        im->open_realloc = 0;
        return imp_realloc(im, im->realloc_old, size, ptr, err, errlen);
    case '!':
        if (fields(p, end, &ptr, &size, err, errlen) < 0)
            return -1;
        return imp_realloc(im, ptr, size, 0, err, errlen);   /* failed: the block stays */
    default:
        return imp_fail(err, errlen, "not an mtrace line (expected \"= Start\", \"@ caller\", "
                        "\"+ ptr size\", \"- ptr\", \"< ptr\", \"> ptr size\" or \"! ptr size\")");
    }
}
