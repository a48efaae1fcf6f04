/* real/machine.h — facts about the machine heapsim runs on that the model needs to predict it.
 * Owns: the kernel's largest single grant (heuristic overcommit), read once per call. */
#ifndef HS_MACHINE_H
#define HS_MACHINE_H

#include <stdint.h>

/* The largest brk growth, mapping or mapping growth this machine's kernel
 * grants in one request, for hs_sim_set_commit_limit: RAM + swap under
 * vm.overcommit_memory 0 (the default; mm/util.c, __vm_enough_memory).
 * UINT64_MAX (no limit the model knows) under mode 1 (always grant), under
 * mode 2 (strict accounting: not modelled) or when the machine cannot be
 * asked.  Never fails. */
uint64_t hs_machine_commit_limit(void);

/* The CPU counts glibc's arena_get2 reads, for hs_sim_set_cpus: *online as
 * __get_nprocs counts them (sysconf (_SC_NPROCESSORS_ONLN)), *sched as
 * __get_nprocs_sched does (CPUs in this process's affinity mask).  A count
 * that cannot be read is 2, glibc's own guess (arena.c).  Never fails. */
void hs_machine_cpus(uint32_t *online, uint32_t *sched);

/* The memory this machine has available now (/proc/meminfo's MemAvailable;
 * without it, sysinfo's free + buffer RAM), for the window's checkpoint
 * budget (play/view.h hs_view_budget).  UINT64_MAX when neither can be
 * read.  Never fails. */
uint64_t hs_machine_mem_available(void);

/* Both of the above, as the model takes them (hs_sim_set_machine).  Never
 * fails. */
#include "sim/sim.h"
hs_machine_facts hs_machine_read(void);

#endif
