/* play/find.h — finding steps of one played trace: the plotted series and their big changes.
 * Owns: the series the plots draw (names, units, values), hs_find_change (the N key). */
#ifndef HS_PLAY_FIND_H
#define HS_PLAY_FIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "view.h"

/* The plotted series, in the plots' order. */
enum { HS_SER_BRK = 0, HS_SER_RSS, HS_SER_MINFLT, HS_SER_MMAPPED, HS_SER_FREE, HS_SER_COUNT };

typedef struct hs_series_def {
    const char *name;   /* "break (_edata)", "RSS", ... */
    bool bytes;         /* a byte count (sim/bytes.c formats it), else a count */
} hs_series_def;
extern const hs_series_def hs_series[HS_SER_COUNT];

/* Series s's value in x (0 for an s out of range).  Never fails. */
uint64_t hs_series_val(const hs_vals *x, int s);
/* Series s's value as the window writes it: hs_bytes_short for bytes
 * ("132K"), digits for counts.  Never fails. */
void hs_series_format(int s, uint64_t val, char *buf, size_t len);

/* The next (dir > 0) or previous (dir <= 0) step from `from` at which the
 * model's series s changes a lot: by at least a quarter of the largest
 * change any single step makes in it over the whole trace (so on every
 * trace the biggest jumps are found, and the largest one always is).
 * Returns SIZE_MAX when there is none that way (or the series never
 * changes).  Never fails. */
size_t hs_find_change(const hs_view *v, int s, size_t from, int dir);

#endif
