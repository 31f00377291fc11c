/* SPDX-License-Identifier: Apache-2.0 */
/*
 * k_spinlock: an interrupt-safe ticket lock, as Zephyr's. k_spin_lock() disables interrupts
 * on this hart, then spins for the lock; k_spin_unlock() releases it and restores the
 * interrupt state saved in the key. Fair between harts (tickets are served in order).
 */
#ifndef INOX_SPINLOCK_H_
#define INOX_SPINLOCK_H_

#include <stdint.h>
#include <inox/arch/riscv/csr.h>

struct k_spinlock {
	uint32_t next;
	uint32_t owner;
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

static inline k_spinlock_key_t k_spin_lock(struct k_spinlock *l)
{
	k_spinlock_key_t k = {.key = arch_irq_lock()};
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
	}
	return k;
}

/* Takes the lock only if it is free right now; returns 0 on success, -1 if busy. */
static inline int k_spin_trylock(struct k_spinlock *l, k_spinlock_key_t *k)
{
	uint32_t owner;
	uint32_t next;

	k->key = arch_irq_lock();
	owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
	next = owner;
	if (__atomic_compare_exchange_n(&l->next, &next, owner + 1, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED)) {
		return 0;
	}
	arch_irq_unlock(k->key);
	return -1;
}

/* Releases the lock without touching the interrupt state (the scheduler's hand-over). */
static inline void k_spin_release(struct k_spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline void k_spin_unlock(struct k_spinlock *l, k_spinlock_key_t k)
{
	k_spin_release(l);
	arch_irq_unlock(k.key);
}

static inline bool k_spin_is_locked(struct k_spinlock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

#endif /* INOX_SPINLOCK_H_ */
