/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler's internal interface. One lock, z_sched_lock, guards the ready queue, every
 * wait queue, every thread's state and the timeout list. Functions named *_locked expect it
 * held; z_swap() and z_reschedule() release it.
 */
#ifndef INOX_KSCHED_H_
#define INOX_KSCHED_H_

#include <inox/kernel.h>
#include <inox/arch/cpu.h>

extern struct k_spinlock z_sched_lock;

void z_sched_init(void);
/* Makes thread runnable (lock held) and asks the right hart to reschedule. */
void z_ready_thread_locked(struct k_thread *thread);
/*
 * Switches to the best runnable thread (lock held, current's state already decided). The
 * lock is released and the interrupt state in key restored when the caller runs again.
 * Returns the caller's swap_retval.
 */
int z_swap(k_spinlock_key_t key);
/* Swaps if a more urgent thread became ready and key allows it; else unlocks. */
void z_reschedule(k_spinlock_key_t key);
/* Blocks the current thread on wq for up to timeout (lock held; released). Returns 0 when
 * woken by z_unpend_first_locked() + ready, -EAGAIN on timeout. */
int z_pend_curr(_wait_q_t *wq, k_timeout_t timeout, k_spinlock_key_t key);
/* As z_pend_curr(), but -EINTR at once if the thread is interrupted, now or before (see
 * k_thread_interrupt()). */
int z_pend_curr_interruptible(_wait_q_t *wq, k_timeout_t timeout, k_spinlock_key_t key);
/* Takes the most urgent waiter off wq (lock held), its timeout cancelled; NULL if none. */
struct k_thread *z_unpend_first_locked(_wait_q_t *wq);
/* Wakes every waiter of wq, each wait ending with 0 (lock held). */
void z_unpend_all_locked(_wait_q_t *wq);
/* Called from the timer interrupt on every hart: timeouts and time slices. */
void z_sched_tick(void);
/* Called at the end of every trap: switches if this hart was asked to. */
void z_sched_irq_exit(void);
/* Sets up cpu's idle thread around the stack it runs on now (boot or secondary). */
void z_idle_thread_init(struct cpu *cpu, uintptr_t stack_start, uintptr_t stack_top);
/* The idle loop: never returns. */
__noreturn void z_idle_loop(void);

/* Takes a queued ready thread off the ready queue (lock held). */
void z_runq_remove_locked(struct k_thread *t);
/* k_thread_interrupt() with the lock held: marks t interrupted and ends its wait with
 * -EINTR if it is an interruptible one. */
void z_thread_interrupt_locked(struct k_thread *t);
/* Changes t's priority and re-sorts it wherever it is queued (lock held). */
void z_thread_prio_set_locked(struct k_thread *t, int prio);

/* Timeouts; adding and aborting with z_sched_lock held. */
uint64_t z_tick_get(void);
/* Calls fn(to) from a timer interrupt (lock held) when timeout has passed (not K_FOREVER). */
void z_add_timeout_locked(struct _timeout *to, _timeout_func_t fn, k_timeout_t timeout);
void z_abort_timeout_locked(struct _timeout *to);
/* The timer interrupt of every hart: the tick's work when a tick boundary passed, then
 * every timeout due; sets the hart's next deadline. */
void z_sys_clock_isr(void);
/* Starts this hart's timer (each hart once, interrupts off). */
void z_sys_clock_init_cpu(void);

/* Every struct cpu, indexed by id. */
extern struct cpu z_cpus[CONFIG_MP_MAX_NUM_CPUS];
extern unsigned int z_num_cpus_online;

#endif /* INOX_KSCHED_H_ */
