/* play/vdiff.h — one trace on two profiles' models, stepped together: which steps differ.
 * Owns: the two-model comparison loop `heapsim diff` and the window's "what differs" list share
 * (hs_vdiff_run, hs_vdiff_list); how one step is compared stays sim/step.c's (hs_step_compare). */
#ifndef HS_PLAY_VDIFF_H
#define HS_PLAY_VDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../loader/trace.h"
#include "../sim/sim.h"

/* One step of the two models, handed to the caller's callback. */
typedef struct hs_vdiff_step {
    size_t step;                 /* 1-based */
    const hs_op *op;
    const hs_step *st[2];        /* each side's step line */
    const hs_step_cmp *cmp;      /* the fields that differ (cmp->n 0: the sides agree) */
    const char *sum;             /* cmp in one line, the second side named by its profile */
} hs_vdiff_step;

/* What a run found.  Invariant: first is 0 exactly when differ is 0, and
 * first <= done <= the trace's ops; the run stops after the step at which
 * either model aborts (dead[k]), so done < ops only then. */
typedef struct hs_vdiff_result {
    size_t done;                 /* steps compared */
    size_t differ;               /* of them, the steps that differ */
    size_t first;                /* the first that differs, 0 if none */
    bool dead[2];                /* side k stopped at step done (glibc aborts) */
    char first_call[256];        /* the first differing op as a C call */
    char first_sum[600];         /* and its differences in one line */
} hs_vdiff_result;

/* Runs t on models of p[0] and p[1] together (m: the machine's facts,
 * handed down by app/; NULL: the model's defaults), calling each(ctx, step) for
 * every step (each may be NULL), and fills *r.  An abort on one side only
 * is a difference (an error text on one side).  Returns 0, or -1 when out
 * of memory (no callback made, *r zeroed). */
int hs_vdiff_run(const hs_trace *t, const hs_profile p[2], const hs_machine_facts *m,
                 void (*each)(void *ctx, const hs_vdiff_step *s), void *ctx, hs_vdiff_result *r);

/* One differing step as the window lists it: the call, and each side's
 * values of the fields that differ, "field value" each, separated by
 * HS_VDIFF_SEP ("ptr 672" HS_VDIFF_SEP "chunk 48"), so a drawer can show
 * the fields that fit and count the rest. */
#define HS_VDIFF_TEXT 400
#define HS_VDIFF_SEP '\x1f'
typedef struct hs_vdiff_row {
    size_t step;
    char call[96];
    char val[2][HS_VDIFF_TEXT];
} hs_vdiff_row;

/* The differing steps of a trace on two profiles, the first HS_VDIFF_ROWS
 * of them kept as rows (r.differ counts them all). */
#define HS_VDIFF_ROWS 10000
typedef struct hs_vdiff_list {
    hs_profile p[2];
    hs_vdiff_result r;
    hs_vdiff_row *rows;
    size_t nrows, cap;
} hs_vdiff_list;

/* Builds the list of t on a and b into *l (its old rows freed).  Returns 0,
 * or -1 when out of memory (then l is empty, nrows 0). */
int hs_vdiff_list_build(hs_vdiff_list *l, const hs_trace *t, hs_profile a, hs_profile b,
                        const hs_machine_facts *m);
void hs_vdiff_list_free(hs_vdiff_list *l);
/* The first row whose step is >= step (l->nrows if none).  Never fails. */
size_t hs_vdiff_list_row_at(const hs_vdiff_list *l, size_t step);
/* The profile after (dir > 0) or before other in the order glibc-2.31,
 * glibc-2.36, glibc-2.41, textbook, skipping cur: the window's D key
 * cycles the version compared with the one shown.  Never fails. */
hs_profile hs_vdiff_next_other(hs_profile cur, hs_profile other, int dir);

#endif
