/* play/find.h — finding steps of one played trace: the plotted series and their big changes.
 * Owns: the series the plots draw (names, units, values), hs_find_change (the N key),
 * the steps that touch an id, and what a "go to / find" text means (hs_find_parse). */
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

/* Series s's value in x (0 for an s out of range).  Never fails.  Inline:
 * the plots read it for every step of every series each frame. */
static inline uint64_t hs_series_val(const hs_vals *x, int s)
{
    switch (s) {
    case HS_SER_BRK: return x->brk;
    case HS_SER_RSS: return x->rss;
    case HS_SER_MINFLT: return x->minflt;
    case HS_SER_MMAPPED: return x->mmapped;
    case HS_SER_FREE: return x->freeb;
    default: return 0;
    }
}
/* Whether x holds series s's value (a real step may lack the free bytes:
 * hs_vals.no_free).  Never fails. */
static inline bool hs_series_has(const hs_vals *x, int s)
{
    return x->has && !(s == HS_SER_FREE && x->no_free);
}
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

/* The next (dir > 0) or previous (dir <= 0) step from `from` whose op
 * names trace slot id (allocates, frees, reallocs, touches or writes it).
 * SIZE_MAX when none (or id is HS_NO_ID).  Never fails. */
size_t hs_find_touch(const hs_view *v, uint32_t id, size_t from, int dir);

/* What a "go to / find" text names (the G prompt). */
enum { HS_FIND_NONE = 0, HS_FIND_STEP, HS_FIND_ID, HS_FIND_CHUNK };
typedef struct hs_find {
    int kind;           /* HS_FIND_* */
    size_t step;        /* STEP: the step; ID: where to look (the current step if the id's
                           chunk is there, else the next step that touches it, else the previous) */
    uint32_t id;        /* ID */
    uint8_t region;     /* CHUNK: 0 heap, 1 mmap */
    uint64_t addr;      /* CHUNK: the chunk's address (hs_chunk_info.addr) */
    char msg[256];      /* NONE: why nothing was found */
} hs_find;

/* Reads text at v's current step: a step number ("1234", "#1234"), an id
 * of the trace ("p26929"), or an address in the model's address space
 * ("0x5555555a2320") or a heap offset ("+0x320", "heap+0x320"), found as the
 * chunk of the current step that holds it.  Returns the kind; NONE fills
 * msg (empty text, a step past the end, an unknown id, an address in no
 * chunk).  Never fails. */
int hs_find_parse(const hs_view *v, const char *text, hs_find *out);

#endif
