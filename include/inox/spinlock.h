/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k_spinlock: an interrupt-safe spinlock, as Zephyr's. k_spin_lock() disables interrupts on
 * this hart, then spins for the lock; k_spin_unlock() releases it and restores the
 * interrupt state saved in the key.
 *
 * A test-and-test-and-set lock, not a ticket lock: under QEMU the harts are threads the
 * host schedules, and a ticket lock makes every waiter wait for the one whose turn it is,
 * even when the host is not running that one (we saw four harts stall for seconds).
 *
 * With CONFIG_ASSERT a lock records the hart that holds it, so that a function whose
 * contract says "lock held" can check it: __ASSERT(k_spin_is_held(&lock), ...), as Linux's
 * lockdep_assert_held().
 */
#ifndef INOX_SPINLOCK_H_
#define INOX_SPINLOCK_H_

#include <stdbool.h>
#include <stdint.h>
#include <inox/arch/cpu.h>
#include <inox/arch/irq.h>

struct k_spinlock {
	uint32_t locked;
#ifdef CONFIG_ASSERT
	uint32_t owner; /* the holder's cpu id + 1, 0 when free */
#endif
};

typedef struct {
	unsigned long key;
} k_spinlock_key_t;

/* Who "this hart" is for the owner record (before its struct cpu is set up, only the boot
 * hart runs: it counts as cpu 0). */
static inline uint32_t z_spin_self(void)
{
	struct cpu *cpu = arch_curr_cpu();

	return cpu != NULL ? cpu->id + 1 : 1;
}

static inline void z_spin_acquired(struct k_spinlock *l)
{
#ifdef CONFIG_ASSERT
	l->owner = z_spin_self();
#endif
}

static inline k_spinlock_key_t k_spin_lock(struct k_spinlock *l)
{
	k_spinlock_key_t k = {.key = arch_irq_lock()};

	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0) {
		}
	}
	z_spin_acquired(l);
	return k;
}

/* Takes the lock only if it is free right now; returns 0 on success, -1 if busy. */
static inline int k_spin_trylock(struct k_spinlock *l, k_spinlock_key_t *k)
{
	k->key = arch_irq_lock();
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0) {
		z_spin_acquired(l);
		return 0;
	}
	arch_irq_unlock(k->key);
	return -1;
}

/* Releases the lock without touching the interrupt state (the scheduler's hand-over). */
static inline void k_spin_release(struct k_spinlock *l)
{
#ifdef CONFIG_ASSERT
	l->owner = 0;
#endif
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void k_spin_unlock(struct k_spinlock *l, k_spinlock_key_t k)
{
	k_spin_release(l);
	arch_irq_unlock(k.key);
}

static inline bool k_spin_is_locked(struct k_spinlock *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

/* Whether this hart holds l. Without CONFIG_ASSERT nobody records the holder: then only
 * whether someone does (the callers are __ASSERT()s, compiled out there). */
static inline bool k_spin_is_held(struct k_spinlock *l)
{
#ifdef CONFIG_ASSERT
	return k_spin_is_locked(l) && l->owner == z_spin_self();
#else
	return k_spin_is_locked(l);
#endif
}

#endif /* INOX_SPINLOCK_H_ */
