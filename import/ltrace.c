/* import/ltrace.c — ltrace's log of malloc, calloc, realloc, free (and memalign and friends) line by line.
 * Owns: the ltrace grammar: pid prefixes, "lib->" prefixes, "name(args) = ret", "<unfinished ...>" / "<... name resumed>". */
#include <stdlib.h>
#include <string.h>

#include "import/imp_internal.h"

static const char UNFINISHED[] = " <unfinished ...>";

/* A pointer argument or result: 0x..., 0, nil, (nil), NULL.  Returns 0, or -1. */
static int ptr_at(const char **p, const char *end, uint64_t *v)
{
    static const char *const nulls[] = { "(nil)", "nil", "NULL" };
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(nulls[i]);
        if ((size_t)(end - *p) >= n && memcmp(*p, nulls[i], n) == 0) {
            *p += n;
            *v = 0;
            return 0;
        }
    }
    return imp_number(p, end, 0, v);
}

/* Parses "NAME(ARGS) = RET" in s[0..n) and applies it.  Returns 0, or -1
 * with err. */
static int call(hs_imp *im, const char *s, size_t n, char *err, size_t errlen)
{
    const char *p = s, *end = s + n;
    const char *open = memchr(s, '(', n);
    if (open == NULL)
        return imp_fail(err, errlen, "not an ltrace call line (expected NAME(ARGS) = RESULT)");
    /* "prog->malloc(" : the caller is what comes before "->" */
    for (const char *q = s; q + 1 < open; q++)
        if (q[0] == '-' && q[1] == '>') {
            im->caller = s;
            im->caller_len = (size_t)(q - s);
            p = q + 2;
        }
    size_t nl = (size_t)(open - p);
    static const struct { const char *name; int nargs; } fns[] = {
        {"malloc", 1}, {"calloc", 2}, {"realloc", 2}, {"free", 1},
        {"memalign", 2}, {"aligned_alloc", 2}, {"valloc", 1}, {"pvalloc", 1},
    };
    int fn = -1;
    for (int i = 0; i < (int)(sizeof fns / sizeof fns[0]); i++)
        if (strlen(fns[i].name) == nl && memcmp(p, fns[i].name, nl) == 0)
            fn = i;
    if (fn < 0) {
        for (const char *q = p; q < open; q++)
            if (!(*q == '_' || *q == '@' || *q == '.' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')
                  || (*q >= '0' && *q <= '9')))
                return imp_fail(err, errlen, "not an ltrace call line (expected NAME(ARGS) = RESULT)");
        im->st.other_skipped++;                 /* a function the trace has no op for */
        return 0;
    }
    uint64_t a[2] = { 0, 0 }, ret = 0;
    p = open + 1;
    for (int i = 0; i < fns[fn].nargs; i++) {
        if (i > 0) {
            if (end - p < 2 || p[0] != ',' || p[1] != ' ')
                return imp_fail(err, errlen, "%s takes %d arguments, separated by \", \"", fns[fn].name,
                                fns[fn].nargs);
            p += 2;
        }
        if (ptr_at(&p, end, &a[i]) < 0)
            return imp_fail(err, errlen, "argument %d of %s is not a number", i + 1, fns[fn].name);
    }
    if (p >= end || *p != ')')
        return imp_fail(err, errlen, "expected ')' after the %d argument%s of %s", fns[fn].nargs,
                        fns[fn].nargs > 1 ? "s" : "", fns[fn].name);
    p++;
    while (p < end && *p == ' ')
        p++;
    if (p >= end || *p != '=')
        return imp_fail(err, errlen, "expected \" = RESULT\" after the call");
    p++;
    while (p < end && *p == ' ')
        p++;
    int is_free = strcmp(fns[fn].name, "free") == 0;
    if (is_free) {
        if ((size_t)(end - p) < 6 || memcmp(p, "<void>", 6) != 0)
            return imp_fail(err, errlen, "free returns \"<void>\"");
        p += 6;
    } else if (ptr_at(&p, end, &ret) < 0) {
        return imp_fail(err, errlen, "the result of %s is not a pointer", fns[fn].name);
    }
    if (p != end)
        return imp_fail(err, errlen, "unexpected text after the result");
    switch (fn) {
    case 0: return imp_alloc(im, HS_OP_MALLOC, 0, a[0], ret, err, errlen);
    case 1: return imp_alloc(im, HS_OP_CALLOC, a[0], a[1], ret, err, errlen);
    case 2: return imp_realloc(im, a[0], a[1], ret, err, errlen);
    case 3: return imp_free(im, a[0], err, errlen);
    case 4:
    case 5: return imp_alloc(im, HS_OP_MEMALIGN, a[0], a[1], ret, err, errlen);
    case 6: return imp_alloc(im, HS_OP_MEMALIGN, 4096, a[0], ret, err, errlen);
    default:
        return imp_alloc(im, HS_OP_MEMALIGN, 4096, a[0] <= UINT64_MAX - 4095 ? (a[0] + 4095) & ~(uint64_t)4095 : a[0],
                         ret, err, errlen);
    }
}

/* See import.h (used by hs_imp_line). */
int hs_imp_ltrace_line(hs_imp *im, const char *line, size_t len, char *err, size_t errlen)
{
    const char *p = line, *end = line + len;
    uint64_t pid = 0;
    /* "[pid 123] " (ltrace -f on stderr) or "123 " (ltrace -f -o FILE) */
    if (end - p > 5 && memcmp(p, "[pid ", 5) == 0) {
        p += 5;
        if (imp_number(&p, end, 10, &pid) < 0 || end - p < 2 || p[0] != ']' || p[1] != ' ' || pid > UINT32_MAX)
            return imp_fail(err, errlen, "a \"[pid N]\" prefix must hold a process id");
        p += 2;
    } else if (*p >= '0' && *p <= '9') {
        if (imp_number(&p, end, 10, &pid) < 0 || p >= end || *p != ' ' || pid > UINT32_MAX)
            return imp_fail(err, errlen, "a line starting with a digit must start with a process id and a space");
        p++;
    }
    if (imp_thread(im, (uint32_t)pid, err, errlen) < 0)
        return -1;
    if (end - p >= 4 && (memcmp(p, "+++ ", 4) == 0 || memcmp(p, "--- ", 4) == 0)) {
        im->st.other_skipped++;                 /* an exit or a signal */
        return 0;
    }
    size_t ul = sizeof UNFINISHED - 1;
    if ((size_t)(end - p) > ul && memcmp(end - ul, UNFINISHED, ul) == 0) {
        for (size_t i = 0; i < im->n_pending; i++)
            if (im->pending[i].pid == (uint32_t)pid)
                return imp_fail(err, errlen, "process %llu already has an unfinished call",
                                (unsigned long long)pid);
        if (im->n_pending == im->pending_cap) {
            size_t nc = im->pending_cap ? im->pending_cap * 2 : 8;
            imp_pending *np = realloc(im->pending, nc * sizeof *np);
            if (np == NULL)
                return imp_fail(err, errlen, "out of memory");
            im->pending = np;
            im->pending_cap = nc;
        }
        char *t = malloc((size_t)(end - ul - p) + 1);
        if (t == NULL)
            return imp_fail(err, errlen, "out of memory");
        memcpy(t, p, (size_t)(end - ul - p));
        t[end - ul - p] = 0;
        im->pending[im->n_pending++] = (imp_pending){ (uint32_t)pid, t };
        return 0;
    }
    if (end - p >= 5 && memcmp(p, "<... ", 5) == 0) {
        const char *r = p + 5, *sp = memchr(r, ' ', (size_t)(end - r));
        static const char RESUMED[] = " resumed> ";
        if (sp == NULL || (size_t)(end - sp) < sizeof RESUMED - 1 || memcmp(sp, RESUMED, sizeof RESUMED - 1) != 0)
            return imp_fail(err, errlen, "expected \"<... NAME resumed> \"");
        size_t i = 0;
        for (; i < im->n_pending && im->pending[i].pid != (uint32_t)pid; i++)
            ;
        if (i == im->n_pending)
            return imp_fail(err, errlen, "a resumed call that process %llu never started",
                            (unsigned long long)pid);
        const char *rest = sp + sizeof RESUMED - 1;
        size_t tl = strlen(im->pending[i].text), rl = (size_t)(end - rest);
        char *full = malloc(tl + rl + 1);
        if (full == NULL)
            return imp_fail(err, errlen, "out of memory");
        memcpy(full, im->pending[i].text, tl);
        memcpy(full + tl, rest, rl);
        full[tl + rl] = 0;
        free(im->pending[i].text);
        im->pending[i] = im->pending[--im->n_pending];
        const char *open = memchr(full, '(', tl);
        size_t nlen = (size_t)(sp - r);
        /* the resumed name must be the unfinished call's */
        int same = open != NULL && (size_t)(open - full) >= nlen && memcmp(open - nlen, r, nlen) == 0;
        int rc = same ? call(im, full, tl + rl, err, errlen)
                      : imp_fail(err, errlen, "the resumed call is not the one process %llu left unfinished",
                                 (unsigned long long)pid);
        im->caller = NULL;                      /* it pointed into full */
        free(full);
        return rc;
    }
    return call(im, p, (size_t)(end - p), err, errlen);
}
