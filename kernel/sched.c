/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler: a ready queue per priority, shared by every hart, under one lock. A thread
 * switching out keeps z_sched_lock held across arch_switch(); the thread switched to
 * releases it. So no hart can pick a thread whose registers are still being saved.
 */
#include <string.h>
#include <inox/kernel.h>
#include "ksched.h"
#include "kernel_arch_interface.h"

struct k_spinlock z_sched_lock;

#define NUM_PRIO   (CONFIG_NUM_COOP_PRIORITIES + CONFIG_NUM_PREEMPT_PRIORITIES)
#define PRIO_WORDS ((NUM_PRIO + 63) / 64)

static sys_dlist_t runq[NUM_PRIO];
static uint64_t runq_bitmap[PRIO_WORDS];
static int slice_ticks =
	IS_ENABLED(CONFIG_TIMESLICING) ?
		(CONFIG_TIMESLICE_SIZE * CONFIG_SYS_CLOCK_TICKS_PER_SEC + 999) / 1000 :
		0;

static inline int prio_index(int prio)
{
	__ASSERT(prio >= K_HIGHEST_THREAD_PRIO && prio <= K_LOWEST_THREAD_PRIO, "bad priority %d",
		 prio);
	return prio + CONFIG_NUM_COOP_PRIORITIES;
}

void z_sched_init(void)
{
	for (int i = 0; i < NUM_PRIO; i++) {
		sys_dlist_init(&runq[i]);
	}
}

static void runq_add(struct k_thread *t, bool head)
{
	int i = prio_index(t->prio);

	if (head) {
		sys_dlist_prepend(&runq[i], &t->qnode);
	} else {
		sys_dlist_append(&runq[i], &t->qnode);
	}
	runq_bitmap[i / 64] |= 1ULL << (i % 64);
}

static void runq_remove(struct k_thread *t)
{
	int i = prio_index(t->prio);

	sys_dlist_remove(&t->qnode);
	if (sys_dlist_is_empty(&runq[i])) {
		runq_bitmap[i / 64] &= ~(1ULL << (i % 64));
	}
}

void z_runq_remove_locked(struct k_thread *t)
{
	runq_remove(t);
}

/* The most urgent ready thread allowed on cpu, or NULL. */
static struct k_thread *runq_best(struct cpu *cpu)
{
	for (int w = 0; w < PRIO_WORDS; w++) {
		uint64_t bits = runq_bitmap[w];

		while (bits != 0) {
			int i = w * 64 + __builtin_ctzll(bits);
			sys_dnode_t *n;

			SYS_DLIST_FOR_EACH_NODE(&runq[i], n) {
				struct k_thread *t = CONTAINER_OF(n, struct k_thread, qnode);

				if (t->pinned_cpu < 0 || t->pinned_cpu == (int)cpu->id) {
					return t;
				}
			}
			bits &= bits - 1;
		}
	}
	return NULL;
}

static bool is_idle(struct k_thread *t)
{
	return t->prio == K_IDLE_PRIO;
}

/* Would `t` take the hart from `cur`? */
static bool should_preempt(struct k_thread *cur, struct k_thread *t)
{
	if (is_idle(cur) || !(cur->state & THREAD_READY)) {
		return true;
	}
	if (cur->prio < 0) {
		return false;
	}
	return t->prio < cur->prio;
}

/* Asks every other hart that queued thread t may run on, and would take, to reschedule. */
static void kick_other_harts(struct k_thread *t)
{
	struct cpu *self = arch_curr_cpu();
	bool ipi = false;

	for (unsigned int i = 0; i < z_num_cpus_online; i++) {
		struct cpu *c = &z_cpus[i];

		if (c == self || (t->pinned_cpu >= 0 && t->pinned_cpu != (int)i)) {
			continue;
		}
		if (should_preempt(c->current, t)) {
			c->need_resched = true;
			ipi = true;
		}
	}
	if (ipi) {
		arch_sched_ipi();
	}
}

void z_ready_thread_locked(struct k_thread *t)
{
	struct cpu *self = arch_curr_cpu();

	t->state = (t->state &
		    ~(THREAD_PENDING | THREAD_SLEEPING | THREAD_SUSPENDED | THREAD_INTERRUPTIBLE)) |
		   THREAD_READY;
	runq_add(t, false);
	if ((t->pinned_cpu < 0 || t->pinned_cpu == (int)self->id) &&
	    should_preempt(self->current, t)) {
		self->need_resched = true;
	}
	kick_other_harts(t);
}

int z_swap(k_spinlock_key_t key)
{
	struct cpu *cpu = arch_curr_cpu();
	struct k_thread *old = cpu->current;
	struct k_thread *next = runq_best(cpu);

	/* Callers that stay runnable (yield, preemption) queued themselves already. */
	if (next == NULL) {
		next = cpu->idle_thread;
	} else {
		runq_remove(next);
	}
	cpu->need_resched = false;
	cpu->slice_ticks = slice_ticks;
	if (next == old) {
		k_spin_unlock(&z_sched_lock, key);
		return old->swap_retval;
	}
	if ((old->state & (THREAD_READY | THREAD_DEAD)) == THREAD_READY && !is_idle(old) &&
	    sys_dnode_is_linked(&old->qnode)) {
		/* Preempted or yielding, old stays runnable: an idle hart may take it at once. */
		kick_other_harts(old);
	}
	cpu->current = next;
	next->cpu = cpu;
	cpu->kstack_top = next->stack_top;
	cpu->stack_limit = next->stack_start;
	arch_vm_switch(next);
	arch_switch(&old->ctx, &next->ctx);

	/* `old` runs again, perhaps on another hart, with the lock its switcher held. */
	k_spin_release(&z_sched_lock);
	arch_irq_unlock(key.key);
	return old->swap_retval;
}

void z_reschedule(k_spinlock_key_t key)
{
	struct cpu *cpu = arch_curr_cpu();
	struct k_thread *cur = cpu->current;

	if (!cpu->need_resched || cpu->nested != 0 || !arch_irq_unlocked(key.key)) {
		k_spin_unlock(&z_sched_lock, key);
		return;
	}
	if (!is_idle(cur) && (cur->state & THREAD_READY)) {
		runq_add(cur, true);
	}
	z_swap(key);
}

void z_sched_irq_exit(void)
{
	struct cpu *cpu = arch_curr_cpu();
	struct k_thread *cur;
	k_spinlock_key_t key;

	if (!cpu->need_resched) {
		return;
	}
	key = k_spin_lock(&z_sched_lock);
	cur = cpu->current;
	if (!is_idle(cur) && (cur->state & (THREAD_READY | THREAD_DEAD)) == THREAD_READY) {
		if (cur->prio < 0) {
			cpu->need_resched = false;
			k_spin_unlock(&z_sched_lock, key);
			return;
		}
		/* A spent time slice goes to the back of the line; a preempted one stays first. */
		runq_add(cur, !(slice_ticks > 0 && cpu->slice_ticks <= 0));
	}
	z_swap(key);
}

/*
 * Every hart's tick (timeouts are fired by z_sys_clock_isr()): counts down the time slice,
 * lock-free. An expired slice just asks for a reschedule: the trap exit then queues the
 * thread behind its equals, and it runs on if it has none.
 */
void z_sched_tick(void)
{
	struct cpu *cpu = arch_curr_cpu();
	struct k_thread *cur = cpu->current;

	if (slice_ticks > 0 && !is_idle(cur) && cur->prio >= 0 && !cur->no_timeslice &&
	    --cpu->slice_ticks <= 0) {
		cpu->need_resched = true;
	}
}

void k_sched_time_slice_set(int32_t slice_ms, int prio)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	slice_ticks = (slice_ms * CONFIG_SYS_CLOCK_TICKS_PER_SEC + 999) / 1000;
	k_spin_unlock(&z_sched_lock, key);
}

/* Inserts t into wq before the first waiter less urgent than it. */
static void waitq_add(_wait_q_t *wq, struct k_thread *t)
{
	sys_dnode_t *n;

	SYS_DLIST_FOR_EACH_NODE(&wq->waitq, n) {
		if (CONTAINER_OF(n, struct k_thread, qnode)->prio > t->prio) {
			sys_dlist_insert(n, &t->qnode);
			return;
		}
	}
	sys_dlist_append(&wq->waitq, &t->qnode);
}

static void pend_timeout(struct _timeout *to)
{
	struct k_thread *t = CONTAINER_OF(to, struct k_thread, timeout);

	if (t->state & THREAD_PENDING) {
		sys_dlist_remove(&t->qnode);
		t->pended_on = NULL;
		t->swap_retval = -EAGAIN;
	}
	z_ready_thread_locked(t);
}

/* Blocks the current thread on wq with `state` (PENDING, perhaps INTERRUPTIBLE) added. */
static int pend_curr(_wait_q_t *wq, k_timeout_t timeout, k_spinlock_key_t key, uint32_t state)
{
	struct k_thread *cur = arch_curr_cpu()->current;

	cur->state = (cur->state & ~THREAD_READY) | state;
	cur->pended_on = wq;
	cur->swap_retval = -EAGAIN;
	waitq_add(wq, cur);
	if (!K_TIMEOUT_EQ(timeout, K_FOREVER)) {
		z_add_timeout_locked(&cur->timeout, pend_timeout, timeout);
	}
	return z_swap(key);
}

int z_pend_curr(_wait_q_t *wq, k_timeout_t timeout, k_spinlock_key_t key)
{
	return pend_curr(wq, timeout, key, THREAD_PENDING);
}

int z_pend_curr_interruptible(_wait_q_t *wq, k_timeout_t timeout, k_spinlock_key_t key)
{
	if (arch_curr_cpu()->current->interrupted) {
		k_spin_unlock(&z_sched_lock, key);
		return -EINTR;
	}
	return pend_curr(wq, timeout, key, THREAD_PENDING | THREAD_INTERRUPTIBLE);
}

void z_unpend_all_locked(_wait_q_t *wq)
{
	struct k_thread *t;

	while ((t = z_unpend_first_locked(wq)) != NULL) {
		t->swap_retval = 0;
		z_ready_thread_locked(t);
	}
}

struct k_thread *z_unpend_first_locked(_wait_q_t *wq)
{
	sys_dnode_t *n = sys_dlist_get(&wq->waitq);
	struct k_thread *t;

	if (n == NULL) {
		return NULL;
	}
	t = CONTAINER_OF(n, struct k_thread, qnode);
	t->pended_on = NULL;
	z_abort_timeout_locked(&t->timeout);
	return t;
}

void z_thread_interrupt_locked(struct k_thread *t)
{
	t->interrupted = true;
	if (!(t->state & THREAD_INTERRUPTIBLE)) {
		return;
	}
	if (t->state & THREAD_PENDING) {
		sys_dlist_remove(&t->qnode);
		t->pended_on = NULL;
		z_abort_timeout_locked(&t->timeout);
		t->swap_retval = -EINTR;
		z_ready_thread_locked(t);
	} else if (t->state & THREAD_SLEEPING) {
		z_abort_timeout_locked(&t->timeout);
		t->swap_retval = -EINTR;
		z_ready_thread_locked(t);
	}
}

void k_thread_interrupt(k_tid_t thread)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	z_thread_interrupt_locked(thread);
	z_reschedule(key);
}

/* Re-sorts t after a priority change (lock held). */
void z_thread_prio_set_locked(struct k_thread *t, int prio)
{
	struct cpu *cpu = t->cpu;
	bool running = cpu != NULL && cpu->current == t;

	if ((t->state & THREAD_READY) && !running && sys_dnode_is_linked(&t->qnode)) {
		runq_remove(t);
		t->prio = prio;
		runq_add(t, false);
	} else if ((t->state & THREAD_PENDING) && t->pended_on != NULL) {
		sys_dlist_remove(&t->qnode);
		t->prio = prio;
		waitq_add(t->pended_on, t);
	} else {
		t->prio = prio;
	}
	if (running || (t->state & THREAD_READY)) {
		arch_curr_cpu()->need_resched = true;
		arch_sched_ipi();
	}
}

void k_yield(void)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct k_thread *cur = arch_curr_cpu()->current;

	if (!is_idle(cur)) {
		runq_add(cur, false);
	}
	z_swap(key);
}

static void sleep_timeout(struct _timeout *to)
{
	z_ready_thread_locked(CONTAINER_OF(to, struct k_thread, timeout));
}

/* Sleeps with `state` (SLEEPING, perhaps INTERRUPTIBLE); returns 0 or -EINTR. */
static int32_t sleep_curr(k_timeout_t timeout, uint32_t state)
{
	k_spinlock_key_t key;
	struct k_thread *cur;

	if (K_TIMEOUT_EQ(timeout, K_NO_WAIT)) {
		k_yield();
		return 0;
	}
	key = k_spin_lock(&z_sched_lock);
	cur = arch_curr_cpu()->current;
	if ((state & THREAD_INTERRUPTIBLE) && cur->interrupted) {
		k_spin_unlock(&z_sched_lock, key);
		return -EINTR;
	}
	cur->state = (cur->state & ~THREAD_READY) | state;
	cur->swap_retval = 0;
	if (!K_TIMEOUT_EQ(timeout, K_FOREVER)) {
		z_add_timeout_locked(&cur->timeout, sleep_timeout, timeout);
	}
	return z_swap(key);
}

int32_t k_sleep(k_timeout_t timeout)
{
	return sleep_curr(timeout, THREAD_SLEEPING);
}

int32_t k_sleep_interruptible(k_timeout_t timeout)
{
	return sleep_curr(timeout, THREAD_SLEEPING | THREAD_INTERRUPTIBLE);
}

int32_t k_msleep(int32_t ms)
{
	return k_sleep(K_MSEC(ms));
}

int32_t k_usleep(int32_t us)
{
	return k_sleep(K_USEC(us));
}

void k_busy_wait(uint32_t us)
{
	uint64_t end = k_cycle_get_64() + (uint64_t)us * SYS_CLOCK_HW_CYCLES_PER_SEC / 1000000;

	while (k_cycle_get_64() < end) {
	}
}

bool k_is_in_isr(void)
{
	return arch_curr_cpu()->nested != 0;
}

void z_idle_thread_init(struct cpu *cpu, uintptr_t stack_start, uintptr_t stack_top)
{
	static struct k_thread idle_threads[CONFIG_MP_MAX_NUM_CPUS];
	struct k_thread *t = &idle_threads[cpu->id];

	memset(t, 0, sizeof(*t));
	t->prio = t->base_prio = K_IDLE_PRIO;
	t->state = THREAD_READY;
	t->pinned_cpu = cpu->id;
	t->cpu = cpu;
	t->stack_start = stack_start;
	t->stack_top = stack_top;
	snprintk(t->name, sizeof(t->name), "idle %u", cpu->id);
	sys_dlist_init(&t->join_queue.waitq);
	cpu->idle_thread = t;
	cpu->current = t;
	cpu->kstack_top = stack_top;
	cpu->stack_limit = stack_start;
}

__noreturn void z_idle_loop(void)
{
	for (;;) {
		struct cpu *cpu;
		unsigned long key = arch_irq_lock();

		cpu = arch_curr_cpu();
		if (cpu->need_resched) {
			arch_irq_unlock(key);
			k_yield();
			continue;
		}
		/* wfi wakes on a pending interrupt even with SIE clear; it is taken just after. */
		__asm__ volatile("wfi");
		arch_irq_enable_all();
	}
}
