/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Timeouts: a list sorted by expiry tick, under z_sched_lock. Ticks come from the time CSR,
 * so every hart agrees on "now"; the boot hart's (cpu 0's) tick fires whatever is due.
 */
#include <inox/kernel.h>
#include "ksched.h"

#define CYC_PER_TICK (SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC)

static sys_dlist_t timeouts = SYS_DLIST_STATIC_INIT(&timeouts);

uint64_t z_tick_get(void)
{
	return k_cycle_get_64() / CYC_PER_TICK;
}

int64_t k_uptime_ticks(void)
{
	return (int64_t)z_tick_get();
}

#define LOOP_ITER 1000000UL /* two instructions each */

bool sys_clock_counts_instructions(void)
{
	unsigned long n = LOOP_ITER;
	unsigned long key = arch_irq_lock();
	uint64_t start = k_cycle_get_64();
	uint64_t ns;

	__asm__ volatile("1: addi %0, %0, -1\n"
			 "   bnez %0, 1b\n"
			 : "+r"(n));
	ns = k_cyc_to_ns_floor64(k_cycle_get_64() - start);
	arch_irq_unlock(key);
	return ns >= 2 * LOOP_ITER - 1000 && ns <= 2 * LOOP_ITER + 1000;
}

void z_add_timeout_locked(struct _timeout *to, _timeout_func_t fn, int64_t ticks)
{
	sys_dnode_t *n;

	/* One tick more than asked: the current tick is already partly gone. */
	to->expiry = z_tick_get() + (ticks > 0 ? ticks : 0) + 1;
	to->fn = fn;
	SYS_DLIST_FOR_EACH_NODE(&timeouts, n) {
		if (CONTAINER_OF(n, struct _timeout, node)->expiry > to->expiry) {
			sys_dlist_insert(n, &to->node);
			return;
		}
	}
	sys_dlist_append(&timeouts, &to->node);
}

void z_abort_timeout_locked(struct _timeout *to)
{
	if (sys_dnode_is_linked(&to->node)) {
		sys_dlist_remove(&to->node);
	}
}

void z_timeout_announce_locked(uint64_t now)
{
	sys_dnode_t *n;

	while ((n = sys_dlist_peek_head(&timeouts)) != NULL) {
		struct _timeout *to = CONTAINER_OF(n, struct _timeout, node);

		if (to->expiry > now) {
			break;
		}
		sys_dlist_remove(n);
		to->fn(to);
	}
}
