/* SPDX-License-Identifier: Apache-2.0 */
/* Instruction-cache coherence for user text the kernel wrote: see <inox/mm/vm.h>. */
#include <inox/kernel.h>
#include <inox/mm/vm.h>
#include <inox/arch/mmu.h>

void vm_icache_sync_user(void)
{
	__atomic_fetch_add(&vm_stats.icache_syncs, 1, __ATOMIC_RELAXED);
	arch_icache_sync_user();
}
