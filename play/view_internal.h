/* play/view_internal.h — what play/view.c, play/feed.c and their helpers share and nobody else calls.
 * Owns: the helpers between the model half and the real half of hs_view. */
#ifndef HS_VIEW_INTERNAL_H
#define HS_VIEW_INTERNAL_H

#include "view.h"

/* Grows *p (elements of size sz) to hold need; false when out of memory. */
bool hs_view_grow_(void **p, size_t *cap, size_t need, size_t sz);
/* The plotted values of a step line (has false without measures). */
hs_vals hs_vals_of_(const hs_step *st);
/* Forgets every comparison of real steps with the model.  Cannot fail. */
void hs_view_reset_compare_(hs_view *v);
/* Sets the text of the current step the scene draws (play/text.c).
 * Cannot fail. */
void hs_view_take_text_(hs_view *v);
/* Frees everything real; the view then has no real data.  Cannot fail. */
void hs_view_real_free_(hs_view *v);

/* Sorts the n owners o (in step order) by address, then step (play/owners.c).
 * Cannot fail. */
void hs_owners_sort_(struct hs_owner *o, size_t n);

/* Reads sim's state (its loaded arena and thread) into *s.  Returns -1
 * when out of memory. */
int hs_snap_take_(const hs_sim *sim, hs_snap *s);
void hs_snap_free_(hs_snap *s);
/* Sets the shown arena for the current step (play/arenas.c); out of
 * memory: the main arena is shown.  Returns 0 or -1. */
int hs_view_arena_sync_(hs_view *v);
/* Frees what play/arenas.c holds.  Cannot fail. */
void hs_view_arena_free_(hs_view *v);

#endif
