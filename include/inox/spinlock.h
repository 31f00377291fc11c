/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k_spinlock: an interrupt-safe spinlock, as Zephyr's. k_spin_lock() disables interrupts on
 * this hart, then spins for the lock; k_spin_unlock() releases it and restores the
 * interrupt state saved in the key.
 *
 * A test-and-test-and-set lock, not a ticket lock: under QEMU the harts are threads the
 * host schedules, and a ticket lock makes every waiter wait for the one whose turn it is,
 * even when the host is not running that one (we saw four harts stall for seconds).
 */
#ifndef INOX_SPINLOCK_H_
#define INOX_SPINLOCK_H_

#include <stdbool.h>
#include <stdint.h>
#include <inox/arch/riscv/csr.h>

struct k_spinlock {
	uint32_t locked;
};

typedef struct {
	unsigned long key;
} k_spinlock_key_t;

/* Disables interrupts on this hart; returns the previous state for arch_irq_unlock(). */
static inline unsigned long arch_irq_lock(void)
{
	return csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE;
}

static inline void arch_irq_unlock(unsigned long key)
{
	if (key & SSTATUS_SIE) {
		csr_set(sstatus, SSTATUS_SIE);
	}
}

/* True if key (from arch_irq_lock()) says interrupts were enabled, as Zephyr's. */
static inline bool arch_irq_unlocked(unsigned long key)
{
	return (key & SSTATUS_SIE) != 0;
}

static inline k_spinlock_key_t k_spin_lock(struct k_spinlock *l)
{
	k_spinlock_key_t k = {.key = arch_irq_lock()};

	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0) {
		}
	}
	return k;
}

/* Takes the lock only if it is free right now; returns 0 on success, -1 if busy. */
static inline int k_spin_trylock(struct k_spinlock *l, k_spinlock_key_t *k)
{
	k->key = arch_irq_lock();
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0) {
		return 0;
	}
	arch_irq_unlock(k->key);
	return -1;
}

/* Releases the lock without touching the interrupt state (the scheduler's hand-over). */
static inline void k_spin_release(struct k_spinlock *l)
{
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

#endif /* INOX_SPINLOCK_H_ */
