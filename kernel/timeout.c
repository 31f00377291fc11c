/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Timeouts: a list sorted by expiry, in cycles of the time CSR, under z_sched_lock. Every
 * hart agrees on "now", and every hart's timer fires what is due: the timer of each hart is
 * set for the earlier of its next tick boundary (time slices) and the first expiry, so a
 * timeout ends when it is due, not at the next tick, and no one hart's interrupt latency is
 * everyone's.
 */
#include <inox/kernel.h>
#include "ksched.h"
#include "kernel_arch_interface.h"

#define CYC_PER_TICK (SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC)

static sys_dlist_t timeouts = SYS_DLIST_STATIC_INIT(&timeouts);
/* The head's expiry (UINT64_MAX: none), read without the lock by every hart's timer. */
static uint64_t next_expiry = UINT64_MAX;

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

uint64_t k_ns_to_cyc_ceil64(uint64_t ns)
{
	uint64_t sec = ns / 1000000000ULL;
	uint64_t rest = ns % 1000000000ULL;

	if (sec > UINT64_MAX / 2 / SYS_CLOCK_HW_CYCLES_PER_SEC) {
		return UINT64_MAX;
	}
	return sec * SYS_CLOCK_HW_CYCLES_PER_SEC +
	       (rest * SYS_CLOCK_HW_CYCLES_PER_SEC + 999999999ULL) / 1000000000ULL;
}

/* Sets this hart's timer for the earlier of its next tick and the first expiry. */
static void program_timer(struct cpu *cpu)
{
	uint64_t deadline =
		MIN(cpu->next_tick_cyc, __atomic_load_n(&next_expiry, __ATOMIC_RELAXED));

	cpu->timer_deadline = deadline;
	arch_timer_set_deadline(deadline);
}

/* The cycle a timeout of `timeout` started now ends at. A relative wait of n ticks ends at
 * the boundary of tick now + n + 1: the current tick is already partly gone. */
static uint64_t expiry_of(k_timeout_t timeout)
{
	if (K_TIMEOUT_IS_ABS(timeout)) {
		return K_TIMEOUT_ABS_CYC_OF(timeout);
	}
	return (z_tick_get() + (timeout.ticks > 0 ? timeout.ticks : 0) + 1) * CYC_PER_TICK;
}

void z_add_timeout_locked(struct _timeout *to, _timeout_func_t fn, k_timeout_t timeout)
{
	struct cpu *cpu = arch_curr_cpu();
	sys_dnode_t *n;

	to->expiry = expiry_of(timeout);
	to->fn = fn;
	/* Behind its equals: timeouts due together fire in the order they were added. */
	SYS_DLIST_FOR_EACH_NODE(&timeouts, n) {
		if (CONTAINER_OF(n, struct _timeout, node)->expiry > to->expiry) {
			break;
		}
	}
	sys_dlist_insert(n, &to->node);
	if (sys_dlist_peek_head(&timeouts) == &to->node) {
		__atomic_store_n(&next_expiry, to->expiry, __ATOMIC_RELAXED);
		/* This hart fires it, unless another hart's timer comes first. */
		if (to->expiry < cpu->timer_deadline) {
			program_timer(cpu);
		}
	}
}

static void update_next_expiry(void)
{
	sys_dnode_t *n = sys_dlist_peek_head(&timeouts);

	__atomic_store_n(&next_expiry,
			 n != NULL ? CONTAINER_OF(n, struct _timeout, node)->expiry : UINT64_MAX,
			 __ATOMIC_RELAXED);
}

void z_abort_timeout_locked(struct _timeout *to)
{
	if (sys_dnode_is_linked(&to->node)) {
		sys_dlist_remove(&to->node);
		update_next_expiry();
	}
}

void z_sys_clock_isr(void)
{
	struct cpu *cpu = arch_curr_cpu();
	uint64_t now = k_cycle_get_64();

	if (now >= cpu->next_tick_cyc) {
		cpu->next_tick_cyc = (now / CYC_PER_TICK + 1) * CYC_PER_TICK;
		z_sched_tick();
	}
	if (now >= __atomic_load_n(&next_expiry, __ATOMIC_RELAXED)) {
		k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
		sys_dnode_t *n;

		while ((n = sys_dlist_peek_head(&timeouts)) != NULL) {
			struct _timeout *to = CONTAINER_OF(n, struct _timeout, node);

			if (to->expiry > now) {
				break;
			}
			sys_dlist_remove(n);
			to->fn(to);
		}
		update_next_expiry();
		k_spin_unlock(&z_sched_lock, key);
	}
	program_timer(cpu);
}

void z_sys_clock_init_cpu(void)
{
	struct cpu *cpu = arch_curr_cpu();

	cpu->next_tick_cyc = (k_cycle_get_64() / CYC_PER_TICK + 1) * CYC_PER_TICK;
	program_timer(cpu);
}
