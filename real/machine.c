/* real/machine.c — facts about the machine heapsim runs on that the model needs to predict it.
 * Owns: reading vm.overcommit_memory and RAM + swap (sysinfo). */
#include "machine.h"

#include <stdio.h>
#include <sys/sysinfo.h>

/* See machine.h: UINT64_MAX whenever a fact cannot be read. */
uint64_t hs_machine_commit_limit(void)
{
    int mode = 0;
    FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
    if (f) {
        if (fscanf(f, "%d", &mode) != 1)
            mode = 0;
        fclose(f);
    }
    if (mode != 0)
        return UINT64_MAX;
    struct sysinfo si;
    if (sysinfo(&si) != 0 || si.mem_unit == 0)
        return UINT64_MAX;
    return ((uint64_t)si.totalram + (uint64_t)si.totalswap) * si.mem_unit;
}
