/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mutexes: recursive for their owner, with priority inheritance: while a more urgent thread
 * waits, the owner runs at the waiter's priority, and drops back on unlock.
 */
#include <inox/kernel.h>
#include "ksched.h"

int k_mutex_init(struct k_mutex *mutex)
{
	sys_dlist_init(&mutex->wait_q.waitq);
	mutex->owner = NULL;
	mutex->lock_count = 0;
	return 0;
}

int k_mutex_lock(struct k_mutex *mutex, k_timeout_t timeout)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct k_thread *cur = k_current_get();
	int ret;

	if (mutex->owner == NULL || mutex->owner == cur) {
		if (mutex->owner == NULL) {
			mutex->owner_orig_prio = cur->prio;
		}
		mutex->owner = cur;
		mutex->lock_count++;
		k_spin_unlock(&z_sched_lock, key);
		return 0;
	}
	if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
		k_spin_unlock(&z_sched_lock, key);
		return -EBUSY;
	}
	if (cur->prio < mutex->owner->prio) {
		z_thread_prio_set_locked(mutex->owner, cur->prio);
	}
	ret = z_pend_curr(&mutex->wait_q, timeout, key);
	if (ret != 0) {
		/* Timed out: the owner keeps only the boost other waiters still justify. */
		key = k_spin_lock(&z_sched_lock);
		if (mutex->owner != NULL) {
			int prio = mutex->owner_orig_prio;
			sys_dnode_t *n = sys_dlist_peek_head(&mutex->wait_q.waitq);

			if (n != NULL && CONTAINER_OF(n, struct k_thread, qnode)->prio < prio) {
				prio = CONTAINER_OF(n, struct k_thread, qnode)->prio;
			}
			z_thread_prio_set_locked(mutex->owner, prio);
		}
		z_reschedule(key);
	}
	return ret;
}

int k_mutex_unlock(struct k_mutex *mutex)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct k_thread *cur = k_current_get();
	struct k_thread *next;

	if (mutex->owner == NULL) {
		k_spin_unlock(&z_sched_lock, key);
		return -EINVAL;
	}
	if (mutex->owner != cur) {
		k_spin_unlock(&z_sched_lock, key);
		return -EPERM;
	}
	if (--mutex->lock_count > 0) {
		k_spin_unlock(&z_sched_lock, key);
		return 0;
	}
	if (cur->prio != mutex->owner_orig_prio) {
		z_thread_prio_set_locked(cur, mutex->owner_orig_prio);
	}
	next = z_unpend_first_locked(&mutex->wait_q);
	if (next != NULL) {
		/* Hand over directly, so no third thread can barge in. */
		mutex->owner = next;
		mutex->lock_count = 1;
		mutex->owner_orig_prio = next->prio;
		next->swap_retval = 0;
		z_ready_thread_locked(next);
	} else {
		mutex->owner = NULL;
	}
	z_reschedule(key);
	return 0;
}
