/* play/bigmem.h — big zeroed arrays that a run fills whole, in 2 MiB pages where the kernel has them.
 * Owns: hs_big_alloc/hs_big_free (the model's series and owners, the headless canvas). */
#ifndef HS_BIGMEM_H
#define HS_BIGMEM_H

#include <stddef.h>

/* n zeroed bytes; NULL when out of memory (and for n == 0).  From 2 MiB
 * up, a mapping of its own whose whole 2 MiB stretches the kernel may back
 * with huge pages (the tail in 4 KiB ones: no memory beyond n): a run that
 * writes such an array whole pays a page fault per 2 MiB, not per 4 KiB
 * (~4 us each on a VM: a 1920x1080 canvas was 2,025 of them, the series and
 * owners of a 100k-op trace 1,700).  Below 2 MiB, calloc. */
void *hs_big_alloc(size_t n);
/* Frees p from hs_big_alloc(n), n the same; NULL: nothing.  Never fails. */
void hs_big_free(void *p, size_t n);

#endif
