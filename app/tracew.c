/* app/tracew.c — writing a heapsim-trace/1 file, op by op, as .json or .jsonl, atomically.
 * Owns: the trace file's framing (header, separators) for `heapsim record` and `heapsim import`. */
#include <string.h>

#include "app.h"

/* 1 if s ends with suffix.  Never fails. */
static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* See app.h. */
int hs_tw_open(hs_tw *w, const char *path, const char *members, char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    w->jsonl = ends_with(path, ".jsonl");
    w->f = hs_outfile_open(&w->out, path, err, errlen);
    if (w->f == NULL)
        return -1;
    fprintf(w->f, "{\"format\":\"heapsim-trace/1\"%s%s", members && *members ? "," : "",
            members ? members : "");
    fputs(w->jsonl ? "}\n" : ",\n\"ops\":[\n", w->f);
    return 0;
}

/* See app.h. */
FILE *hs_tw_op(hs_tw *w)
{
    if (!w->jsonl && w->n_ops > 0)
        fputs(",\n", w->f);
    else if (w->jsonl && w->n_ops > 0)
        fputc('\n', w->f);
    w->n_ops++;
    return w->f;
}

/* See app.h. */
int hs_tw_commit(hs_tw *w, char *err, size_t errlen)
{
    if (w->jsonl)
        fputs(w->n_ops ? "\n" : "", w->f);
    else
        fputs("\n]}\n", w->f);
    w->f = NULL;
    return hs_outfile_commit(&w->out, err, errlen);
}

/* See app.h. */
void hs_tw_abort(hs_tw *w)
{
    if (w->f != NULL)
        hs_outfile_abort(&w->out);
    w->f = NULL;
}
