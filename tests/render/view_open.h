/* tests/render/view_open.h — a view of a trace file for the render tests (app/ does this in heapsim).
 * Owns: test_view_open: load, then hs_view_new with this machine's facts (hs_machine_read);
 * test_view_of_lines: the same of a trace the test writes. */
#ifndef HS_TEST_VIEW_OPEN_H
#define HS_TEST_VIEW_OPEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "play/view.h"
#include "real/machine.h"

/* NULL with err set when the trace does not load or memory runs out. */
static inline hs_view *test_view_open(const char *path, hs_profile p, char *err, size_t errlen)
{
    hs_trace t;
    hs_trace_error e;
    if (hs_trace_load(path, &t, &e) != 0) {
        size_t k = strlen(e.msg) < errlen ? strlen(e.msg) : errlen - 1;
        memcpy(err, e.msg, k);
        err[k] = '\0';
        return NULL;
    }
    hs_machine_facts mf = hs_machine_read();
    hs_view *v = hs_view_new(&t, path, p, &mf);
    if (!v) snprintf(err, errlen, "%s: out of memory", path);
    return v;
}

/* Writes lines (a trace) to t.jsonl in a fresh directory made from dir (a
 * mkdtemp template; path gets the file's path) and opens it.  NULL with err
 * set when the file cannot be written or the trace does not load. */
static inline hs_view *test_view_of_lines(char *dir, char *path, size_t len, const char *lines, char *err,
                                          size_t errlen)
{
    FILE *f = NULL;
    if (mkdtemp(dir)) {
        snprintf(path, len, "%s/t.jsonl", dir);
        f = fopen(path, "w");
    }
    if (!f) {
        snprintf(err, errlen, "%s: cannot write a trace there", dir);
        return NULL;
    }
    fputs(lines, f);
    fclose(f);
    return test_view_open(path, HS_PROFILE_GLIBC_2_36, err, errlen);
}

#endif
