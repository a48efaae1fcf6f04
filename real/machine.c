/* real/machine.c — facts about the machine heapsim runs on that the model (and the window) need.
 * Owns: reading vm.overcommit_memory, RAM + swap (sysinfo), available memory and the CPU counts glibc sees. */
#define _GNU_SOURCE 1
#include "machine.h"

#include <sched.h>
#include <stdio.h>
#include <unistd.h>
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

/* See machine.h: UINT64_MAX when it cannot be read. */
uint64_t hs_machine_mem_available(void)
{
    unsigned long long kb = 0;
    char line[128];
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) break;
        fclose(f);
    }
    if (kb) return (uint64_t)kb * 1024;
    struct sysinfo si;
    if (sysinfo(&si) != 0 || si.mem_unit == 0) return UINT64_MAX;
    return ((uint64_t)si.freeram + (uint64_t)si.bufferram) * si.mem_unit;
}

/* See machine.h: 2 for a count that cannot be read. */
void hs_machine_cpus(uint32_t *online, uint32_t *sched)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    *online = n >= 1 ? (uint32_t)n : 2;
    cpu_set_t set;
    CPU_ZERO(&set);
    int c = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
    *sched = c >= 1 ? (uint32_t)c : 2;
}

/* See machine.h. */
hs_machine_facts hs_machine_read(void)
{
    hs_machine_facts m;
    m.commit_limit = hs_machine_commit_limit();
    hs_machine_cpus(&m.cpus_online, &m.cpus_sched);
    return m;
}
