/* play/vdiff.c — one trace on two profiles' models, stepped together: which steps differ.
 * Owns: hs_vdiff_run (the loop `heapsim diff` and the window share) and the window's list of rows. */
#include "vdiff.h"
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hs_vdiff_run(const hs_trace *t, const hs_profile p[2], const hs_machine_facts *m,
                 void (*each)(void *ctx, const hs_vdiff_step *s), void *ctx, hs_vdiff_result *r)
{
    memset(r, 0, sizeof *r);
    hs_sim *s[2];
    for (int k = 0; k < 2; k++) {
        s[k] = hs_sim_new(p[k], t->n_ids);
        if (s[k] == NULL) {
            if (k) hs_sim_free(s[0]);
            return -1;
        }
        hs_sim_set_machine(s[k], m, t->n_threads);
    }
    const char *nb = hs_profile_name(p[1]);
    hs_step st[2];
    static const hs_step_cmp zero;
    hs_step_cmp *c = malloc(sizeof *c);
    char *sum = malloc(600);
    if (c == NULL || sum == NULL) {
        free(c);
        free(sum);
        hs_sim_free(s[0]);
        hs_sim_free(s[1]);
        return -1;
    }
    for (size_t i = 0; i < t->n_ops && !r->dead[0] && !r->dead[1]; i++) {
        for (int k = 0; k < 2; k++)
            r->dead[k] = hs_sim_apply(s[k], &t->ops[i], &st[k]) != 0;
        r->done = i + 1;
        *c = zero;
        uint32_t n = hs_step_compare(&st[0], &st[1], t->ops[i].kind, c);
        hs_step_cmp_summary_as(c, nb, sum, 600);
        if (n && r->differ++ == 0) {
            r->first = i + 1;
            hs_op_format(t, &t->ops[i], r->first_call, sizeof r->first_call);
            snprintf(r->first_sum, sizeof r->first_sum, "%s", sum);
        }
        if (each) {
            hs_vdiff_step vs = {i + 1, &t->ops[i], {&st[0], &st[1]}, c, sum};
            each(ctx, &vs);
        }
    }
    free(c);
    free(sum);
    hs_sim_free(s[0]);
    hs_sim_free(s[1]);
    return 0;
}

/* Appends "field value" to buf (HS_VDIFF_SEP between), cut to fit. */
static void add_field(char *buf, size_t len, const char *field, const char *val)
{
    size_t n = strlen(buf);
    if (n + 1 >= len) return;
    snprintf(buf + n, len - n, "%s%s %s", n ? (char[]){HS_VDIFF_SEP, 0} : "", field, val);
}

typedef struct collect {
    hs_vdiff_list *l;
    const hs_trace *t;
    bool oom;
} collect;

static void collect_row(void *ctx, const hs_vdiff_step *s)
{
    collect *cx = ctx;
    hs_vdiff_list *l = cx->l;
    if (s->cmp->n == 0 || cx->oom || l->nrows >= HS_VDIFF_ROWS) return;
    if (l->nrows == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        hs_vdiff_row *p = realloc(l->rows, cap * sizeof *p);
        if (p == NULL) {
            cx->oom = true;
            return;
        }
        l->rows = p;
        l->cap = cap;
    }
    hs_vdiff_row *row = &l->rows[l->nrows++];
    memset(row, 0, sizeof *row);
    row->step = s->step;
    hs_op_call_text(cx->t, s->op, row->call, sizeof row->call);   /* "T1: ..." with threads */
    for (uint32_t j = 0; j < s->cmp->n; j++) {
        add_field(row->val[0], sizeof row->val[0], s->cmp->d[j].field, s->cmp->d[j].model);
        add_field(row->val[1], sizeof row->val[1], s->cmp->d[j].field, s->cmp->d[j].real);
    }
}

int hs_vdiff_list_build(hs_vdiff_list *l, const hs_trace *t, hs_profile a, hs_profile b,
                        const hs_machine_facts *m)
{
    l->nrows = 0;
    l->p[0] = a;
    l->p[1] = b;
    collect cx = {l, t, false};
    const hs_profile p[2] = {a, b};
    if (hs_vdiff_run(t, p, m, collect_row, &cx, &l->r) != 0 || cx.oom) {
        l->nrows = 0;
        memset(&l->r, 0, sizeof l->r);
        return -1;
    }
    return 0;
}

void hs_vdiff_list_free(hs_vdiff_list *l)
{
    free(l->rows);
    l->rows = NULL;
    l->nrows = l->cap = 0;
}

size_t hs_vdiff_list_row_at(const hs_vdiff_list *l, size_t step)
{
    size_t lo = 0, hi = l->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->rows[mid].step < step) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

hs_profile hs_vdiff_next_other(hs_profile cur, hs_profile other, int dir)
{
    static const hs_profile order[] = {HS_PROFILE_GLIBC_2_31, HS_PROFILE_GLIBC_2_36,
                                       HS_PROFILE_GLIBC_2_41, HS_PROFILE_TEXTBOOK};
    const int n = (int)(sizeof order / sizeof order[0]);
    int at = 0;
    for (int i = 0; i < n; i++)
        if (order[i] == other) at = i;
    for (int k = 1; k <= n; k++) {
        hs_profile q = order[((at + (dir > 0 ? k : -k)) % n + n) % n];
        if (q != cur) return q;
    }
    return other;
}
