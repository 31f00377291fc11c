/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel's public API in one include, as Zephyr's <zephyr/kernel.h>. */
#ifndef INOX_KERNEL_H_
#define INOX_KERNEL_H_

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <inox/toolchain.h>
#include <inox/sys/util.h>
#include <inox/sys/printk.h>
#include <inox/init.h>
#include <inox/fatal.h>
#include <inox/spinlock.h>
#include <inox/sys_clock.h>
#include <inox/sys/atomic.h>
#include <inox/kernel/thread.h>
#include <inox/errno.h>
#include <inox/sys/__assert.h>

#define INOX_VERSION_STRING "0.1.0"

/* The hart the firmware booted the kernel on. */
extern unsigned long z_boot_hart_id;

/* Priorities: lower is more urgent. Negative ones are cooperative (never preempted). */
#define K_PRIO_COOP(x)        (-(CONFIG_NUM_COOP_PRIORITIES - (x)))
#define K_PRIO_PREEMPT(x)     (x)
#define K_LOWEST_THREAD_PRIO  (CONFIG_NUM_PREEMPT_PRIORITIES - 1)
#define K_HIGHEST_THREAD_PRIO (-CONFIG_NUM_COOP_PRIORITIES)
#define K_IDLE_PRIO           (K_LOWEST_THREAD_PRIO + 1)

/*
 * Creates a thread that runs entry(p1, p2, p3) at prio on `stack` (K_THREAD_STACK_DEFINE;
 * stack_size as K_THREAD_STACK_SIZEOF gives), after `delay`. Returns its id. The stack's
 * guard page is unmapped, so an overflow faults instead of corrupting memory.
 */
k_tid_t k_thread_create(struct k_thread *thread, k_thread_stack_t *stack, size_t stack_size,
			k_thread_entry_t entry, void *p1, void *p2, void *p3, int prio,
			uint32_t options, k_timeout_t delay);
/* Waits for thread to exit: 0, -EBUSY (K_NO_WAIT and still running), -EAGAIN (timeout),
 * -EDEADLK (joining itself). */
int k_thread_join(struct k_thread *thread, k_timeout_t timeout);
/* Ends thread (itself too); it never runs again. */
void k_thread_abort(k_tid_t thread);
/* The thread running on this hart; inline, since every fault and every return to user mode
 * asks (through proc_current()). */
static inline k_tid_t k_current_get(void)
{
	return arch_curr_cpu()->current;
}

/* True in an interrupt handler (Zephyr's k_is_in_isr()). */
bool k_is_in_isr(void);
int k_thread_name_set(k_tid_t thread, const char *name);
const char *k_thread_name_get(k_tid_t thread);
int k_thread_priority_get(k_tid_t thread);
void k_thread_priority_set(k_tid_t thread, int prio);
/* Pins a thread that has not started (K_FOREVER delay) to one hart, or -1 for any. */
int k_thread_cpu_pin(k_tid_t thread, int cpu);
/* Starts a thread created with a K_FOREVER delay. */
void k_thread_start(k_tid_t thread);

/*
 * Interrupts a thread (Inox's addition, how a kill reaches a process): from now on every
 * interruptible wait of the thread ends at once with -EINTR, the one it may be in and any
 * it starts later, so the interrupt cannot be missed by a thread on its way into a wait.
 * There is no way back: the thread is expected to wind up (a killed process exits at its
 * next return to user mode). Plain waits (k_sleep(), k_sem_take(), k_mutex_lock(),
 * k_thread_join()) are not affected.
 */
void k_thread_interrupt(k_tid_t thread);

void k_yield(void);
/* Sleeps for timeout; returns 0 (the whole time slept). */
int32_t k_sleep(k_timeout_t timeout);
/* k_sleep() that is interruptible: 0 after the whole time, -EINTR once interrupted. */
int32_t k_sleep_interruptible(k_timeout_t timeout);
int32_t k_msleep(int32_t ms);
int32_t k_usleep(int32_t us);
/* Spins for us microseconds without giving up the hart. */
void k_busy_wait(uint32_t us);
/* Ticks since boot (CONFIG_SYS_CLOCK_TICKS_PER_SEC a second). */
int64_t k_uptime_ticks(void);
/* ns of the time CSR as cycles, rounded up (UINT64_MAX past about 29,000 years at 10 MHz):
 * for an absolute wait (K_TIMEOUT_ABS_CYC) that must not end early. */
uint64_t k_ns_to_cyc_ceil64(uint64_t ns);

/* Sets the time slice among preemptible threads of equal priority to slice_ms (rounded up
 * to ticks; 0: off). prio is accepted for Zephyr compatibility and ignored: every
 * preemptible priority gets the same slice. */
void k_sched_time_slice_set(int32_t slice_ms, int prio);

int k_sem_init(struct k_sem *sem, unsigned int initial, unsigned int limit);
/* 0, -EBUSY (K_NO_WAIT and none), -EAGAIN (timed out). */
int k_sem_take(struct k_sem *sem, k_timeout_t timeout);
/* k_sem_take() that is interruptible: -EINTR once interrupted (k_thread_interrupt()). */
int k_sem_take_interruptible(struct k_sem *sem, k_timeout_t timeout);
void k_sem_give(struct k_sem *sem);
unsigned int k_sem_count_get(struct k_sem *sem);
void k_sem_reset(struct k_sem *sem);

int k_mutex_init(struct k_mutex *mutex);
/* 0, -EBUSY (K_NO_WAIT and owned), -EAGAIN (timed out). Recursive for its owner. */
int k_mutex_lock(struct k_mutex *mutex, k_timeout_t timeout);
/* 0, -EINVAL (not locked), -EPERM (not the owner). */
int k_mutex_unlock(struct k_mutex *mutex);

/* The index of the hart running this (0 .. arch_num_cpus() - 1), and how many run. */
unsigned int arch_curr_cpu_id(void);
unsigned int arch_num_cpus(void);

#endif /* INOX_KERNEL_H_ */
