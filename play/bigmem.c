/* play/bigmem.c — big zeroed arrays that a run fills whole, in 2 MiB pages where the kernel has them.
 * Owns: hs_big_alloc/hs_big_free; see bigmem.h. */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((size_t)2 << 20)

/* n rounded up to whole pages: what hs_big_alloc keeps mapped. */
static size_t mapped_len(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return (n + page - 1) / page * page;
}

void *hs_big_alloc(size_t n)
{
    if (n == 0) return NULL;
    if (n < HUGE_PAGE) return calloc(1, n);
    if (n > SIZE_MAX - HUGE_PAGE) return NULL;
    size_t want = n + HUGE_PAGE;   /* room to start on a 2 MiB boundary */
    uint8_t *q = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED) return NULL;
    uint8_t *p = (uint8_t *)(((uintptr_t)q + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    size_t head = (size_t)(p - q), used = mapped_len(n);
    if (head) munmap(q, head);
    if (want - head > used) munmap(p + used, want - head - used);
    madvise(p, n / HUGE_PAGE * HUGE_PAGE, MADV_HUGEPAGE);   /* a hint: refused, small pages */
    return p;
}

void hs_big_free(void *p, size_t n)
{
    if (!p) return;
    if (n < HUGE_PAGE) free(p);
    else munmap(p, mapped_len(n));
}
