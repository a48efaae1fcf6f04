/* play/reallog.h — real glibc's steps and heap pages kept compactly, for traces of millions of ops.
 * Owns: hs_rlog (step lines, delta-coded with keyframes) and hs_rpages (page runs, within a byte budget). */
#ifndef HS_REALLOG_H
#define HS_REALLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../real/real.h"
#include "../sim/step.h"

/* ---- step lines ----
 * Every field of hs_step but the error text is stored as the change from
 * the step before (a bit mask, then varints); every HS_RLOG_KEY-th step
 * starts from zero, so any step decodes in at most HS_RLOG_KEY records.  A
 * typical step takes 15-30 bytes instead of sizeof(hs_step).  Error texts
 * (glibc's abort, at most one per replay) are kept aside. */
#define HS_RLOG_KEY 64

typedef struct hs_rlog hs_rlog;

/* An empty log; NULL when out of memory. */
hs_rlog *hs_rlog_new(void);
void hs_rlog_free(hs_rlog *l);
/* Forgets every step (keeps the memory).  Cannot fail. */
void hs_rlog_clear(hs_rlog *l);
/* Appends the next step (steps 1, 2, ... in order; st->step is not
 * checked).  Returns 0, or -1 when out of memory (nothing is appended). */
int hs_rlog_append(hs_rlog *l, const hs_step *st);
/* Steps stored. */
size_t hs_rlog_count(const hs_rlog *l);
/* Step `step` (1..count) into *out; false (and *out zeroed) when it is not
 * stored.  Decoding the step after the last one read is one record.  Not
 * thread-safe: it moves the log's read cursor. */
bool hs_rlog_get(hs_rlog *l, size_t step, hs_step *out);
/* Bytes of memory the log holds. */
size_t hs_rlog_bytes(const hs_rlog *l);

/* ---- heap page runs ----
 * Each step's runs (real/real.h) as varints; a step whose runs did not
 * change shares the previous step's bytes.  Steps are stored while the
 * memory used stays under the budget; from the first step that does not
 * fit on, nothing more is stored (hs_rpages_full). */
typedef struct hs_rpages hs_rpages;

/* What hs_rpages_get found. */
enum { HS_RPG_OK = 0, HS_RPG_NONE, HS_RPG_BUDGET };
/* A page past the runs' coverage: real glibc's residency is not known there. */
#define HS_PAGE_UNKNOWN 2

/* An empty store of at most budget bytes; NULL when out of memory. */
hs_rpages *hs_rpages_new(size_t budget);
void hs_rpages_free(hs_rpages *p);
void hs_rpages_clear(hs_rpages *p);
/* Stores the runs of the next step (steps in order, from 1).  pg NULL: that
 * step has no page data.  Returns 0; 1 when the budget is exhausted (this
 * step and every later one are not stored); -1 when out of memory (the
 * store then also stops, as if full). */
int hs_rpages_append(hs_rpages *p, const hs_real_pages *pg);
/* The first step not stored for lack of room, 0 while everything fits. */
size_t hs_rpages_full(const hs_rpages *p);
/* Residency of pages [first, first + n) at step into out: 1 resident,
 * 0 not (pages past the break included), HS_PAGE_UNKNOWN past the runs'
 * coverage.  *pages gets the real heap's page count.  Returns HS_RPG_OK;
 * HS_RPG_NONE when the step has no page data (not in yet, not measured);
 * HS_RPG_BUDGET when it was not stored for lack of room. */
int hs_rpages_get(const hs_rpages *p, size_t step, uint64_t first, size_t n, uint8_t *out,
                  uint64_t *pages);
/* Bytes of memory the store holds. */
size_t hs_rpages_bytes(const hs_rpages *p);

#endif
