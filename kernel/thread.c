/* SPDX-License-Identifier: Apache-2.0 */
/* Threads: creation, start, names, priorities, exit, abort and join. */
#include <string.h>
#include <inox/kernel.h>
#include "ksched.h"
#include "kernel_arch_interface.h"

static sys_dlist_t all_threads = SYS_DLIST_STATIC_INIT(&all_threads);

/* First C code of a new thread: it was switched to with z_sched_lock held. */
__noreturn void z_thread_entry(k_thread_entry_t entry, void *p1, void *p2, void *p3)
{
	k_spin_release(&z_sched_lock);
	arch_irq_enable_all();
	entry(p1, p2, p3);
	k_thread_abort(k_current_get());
	CODE_UNREACHABLE;
}

static void start_timeout(struct _timeout *to)
{
	z_ready_thread_locked(CONTAINER_OF(to, struct k_thread, timeout));
}

k_tid_t k_thread_create(struct k_thread *thread, k_thread_stack_t *stack, size_t stack_size,
			k_thread_entry_t entry, void *p1, void *p2, void *p3, int prio,
			uint32_t options, k_timeout_t delay)
{
	uintptr_t guard = (uintptr_t)stack;
	k_spinlock_key_t key;

	__ASSERT(IS_ALIGNED(guard, K_THREAD_GUARD_SIZE), "stack %p not page-aligned", stack);
	__ASSERT(prio >= K_HIGHEST_THREAD_PRIO && prio <= K_LOWEST_THREAD_PRIO, "prio %d", prio);
	memset(thread, 0, sizeof(*thread));
	thread->stack_guard = guard;
	thread->stack_start = guard + K_THREAD_GUARD_SIZE;
	thread->stack_top = thread->stack_start + ROUND_DOWN(stack_size, 16);
	thread->prio = thread->base_prio = prio;
	thread->pinned_cpu = -1;
	thread->state = THREAD_SUSPENDED;
	sys_dlist_init(&thread->join_queue.waitq);
	arch_stack_guard_set(guard);
	arch_new_thread(thread, entry, p1, p2, p3);

	key = k_spin_lock(&z_sched_lock);
	sys_dlist_append(&all_threads, &thread->all_node);
	if (K_TIMEOUT_EQ(delay, K_FOREVER)) {
		k_spin_unlock(&z_sched_lock, key);
	} else if (K_TIMEOUT_EQ(delay, K_NO_WAIT)) {
		z_ready_thread_locked(thread);
		z_reschedule(key);
	} else {
		z_add_timeout_locked(&thread->timeout, start_timeout, delay);
		k_spin_unlock(&z_sched_lock, key);
	}
	return thread;
}

void k_thread_start(k_tid_t thread)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	if (!(thread->state & THREAD_SUSPENDED)) {
		k_spin_unlock(&z_sched_lock, key);
		return;
	}
	z_abort_timeout_locked(&thread->timeout);
	z_ready_thread_locked(thread);
	z_reschedule(key);
}

int k_thread_cpu_pin(k_tid_t thread, int cpu)
{
	if (!(thread->state & THREAD_SUSPENDED) || cpu >= (int)CONFIG_MP_MAX_NUM_CPUS) {
		return -EINVAL;
	}
	thread->pinned_cpu = cpu;
	return 0;
}

int k_thread_name_set(k_tid_t thread, const char *name)
{
	strlcpy((thread ? thread : k_current_get())->name, name, sizeof(thread->name));
	return 0;
}

const char *k_thread_name_get(k_tid_t thread)
{
	return thread->name;
}

int k_thread_priority_get(k_tid_t thread)
{
	return thread->prio;
}

void k_thread_priority_set(k_tid_t thread, int prio)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	thread->base_prio = prio;
	z_thread_prio_set_locked(thread, prio);
	z_reschedule(key);
}

/* Is t running on a hart other than this one right now? (lock held) */
static bool running_elsewhere(struct k_thread *t)
{
	return t->cpu != NULL && t->cpu != arch_curr_cpu() && t->cpu->current == t;
}

void k_thread_abort(k_tid_t thread)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct k_thread *waiter;

	while (running_elsewhere(thread)) {
		/* Ask its hart to switch away, then look again: it cannot die mid-switch. */
		thread->cpu->need_resched = true;
		thread->state |= THREAD_DEAD;
		k_spin_unlock(&z_sched_lock, key);
		arch_sched_ipi();
		key = k_spin_lock(&z_sched_lock);
	}
	if ((thread->state & THREAD_DEAD) && !sys_dnode_is_linked(&thread->all_node)) {
		k_spin_unlock(&z_sched_lock, key);
		return;
	}
	if (thread->state & THREAD_PENDING) {
		sys_dlist_remove(&thread->qnode);
		thread->pended_on = NULL;
	} else if ((thread->state & THREAD_READY) && sys_dnode_is_linked(&thread->qnode)) {
		z_runq_remove_locked(thread);
	}
	z_abort_timeout_locked(&thread->timeout);
	thread->state = THREAD_DEAD;
	sys_dlist_remove(&thread->all_node);
	while ((waiter = z_unpend_first_locked(&thread->join_queue)) != NULL) {
		waiter->swap_retval = 0;
		z_ready_thread_locked(waiter);
	}
	if (thread == arch_curr_cpu()->current) {
		z_swap(key);
		CODE_UNREACHABLE;
	}
	z_reschedule(key);
}

int k_thread_join(struct k_thread *thread, k_timeout_t timeout)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	if ((thread->state & THREAD_DEAD) && !sys_dnode_is_linked(&thread->all_node)) {
		k_spin_unlock(&z_sched_lock, key);
		return 0;
	}
	if (thread == arch_curr_cpu()->current) {
		k_spin_unlock(&z_sched_lock, key);
		return -EDEADLK;
	}
	if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
		k_spin_unlock(&z_sched_lock, key);
		return -EBUSY;
	}
	return z_pend_curr(&thread->join_queue, timeout, key);
}

/* Calls fn on every live thread, with the scheduler lock held (fn must not block). */
void z_thread_foreach(void (*fn)(struct k_thread *t, void *arg), void *arg)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	sys_dnode_t *n;

	SYS_DLIST_FOR_EACH_NODE(&all_threads, n) {
		fn(CONTAINER_OF(n, struct k_thread, all_node), arg);
	}
	k_spin_unlock(&z_sched_lock, key);
}
