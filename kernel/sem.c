/* SPDX-License-Identifier: Apache-2.0 */
/* Counting semaphores. Waiters queue by priority, FIFO within one. */
#include <inox/kernel.h>
#include "ksched.h"

int k_sem_init(struct k_sem *sem, unsigned int initial, unsigned int limit)
{
	if (limit == 0 || initial > limit) {
		return -EINVAL;
	}
	sys_dlist_init(&sem->wait_q.waitq);
	sem->count = initial;
	sem->limit = limit;
	return 0;
}

void k_sem_give(struct k_sem *sem)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct k_thread *t = z_unpend_first_locked(&sem->wait_q);

	if (t != NULL) {
		t->swap_retval = 0;
		z_ready_thread_locked(t);
	} else if (sem->count < sem->limit) {
		sem->count++;
	}
	z_reschedule(key);
}

static int sem_take(struct k_sem *sem, k_timeout_t timeout, bool interruptible)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	if (sem->count > 0) {
		sem->count--;
		k_spin_unlock(&z_sched_lock, key);
		return 0;
	}
	if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
		k_spin_unlock(&z_sched_lock, key);
		return -EBUSY;
	}
	return interruptible ? z_pend_curr_interruptible(&sem->wait_q, timeout, key) :
			       z_pend_curr(&sem->wait_q, timeout, key);
}

int k_sem_take(struct k_sem *sem, k_timeout_t timeout)
{
	return sem_take(sem, timeout, false);
}

int k_sem_take_interruptible(struct k_sem *sem, k_timeout_t timeout)
{
	return sem_take(sem, timeout, true);
}

unsigned int k_sem_count_get(struct k_sem *sem)
{
	return __atomic_load_n(&sem->count, __ATOMIC_RELAXED);
}

void k_sem_reset(struct k_sem *sem)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct k_thread *t;

	while ((t = z_unpend_first_locked(&sem->wait_q)) != NULL) {
		t->swap_retval = -EAGAIN;
		z_ready_thread_locked(t);
	}
	sem->count = 0;
	z_reschedule(key);
}
