/* SPDX-License-Identifier: Apache-2.0 */
/* Kernel objects: threads, timeouts, wait queues, semaphores, mutexes. */
#ifndef INOX_KERNEL_THREAD_H_
#define INOX_KERNEL_THREAD_H_

#include <stdbool.h>
#include <stdint.h>
#include <inox/toolchain.h>
#include <inox/sys/dlist.h>
#include <inox/sys/util.h>
#include <inox/arch/thread.h>

/* -- Time ------------------------------------------------------------------- */

typedef struct {
	/* K_FOREVER: -1; K_NO_WAIT: 0; a relative wait: ticks > 0; an absolute one: the cycle
	 * c of the time CSR, held as -2 - c (see K_TIMEOUT_ABS_CYC). */
	int64_t ticks;
} k_timeout_t;

#define K_TICKS(t) ((k_timeout_t){.ticks = (t)})
#define K_FOREVER  K_TICKS(-1)
#define K_NO_WAIT  K_TICKS(0)
/* Rounded up to whole ticks, so a wait is never shorter than asked. */
#define K_USEC(us)         K_TICKS(((int64_t)(us)*CONFIG_SYS_CLOCK_TICKS_PER_SEC + 999999) / 1000000)
#define K_MSEC(ms)         K_TICKS(((int64_t)(ms)*CONFIG_SYS_CLOCK_TICKS_PER_SEC + 999) / 1000)
#define K_SECONDS(s)       K_TICKS((int64_t)(s)*CONFIG_SYS_CLOCK_TICKS_PER_SEC)
#define K_TIMEOUT_EQ(a, b) ((a).ticks == (b).ticks)
/* Until the time CSR reads `cyc` (at once if it already has): cycle-exact, as Zephyr's
 * K_TIMEOUT_ABS_TICKS is tick-exact. */
#define K_TIMEOUT_ABS_CYC(cyc)  K_TICKS(-2 - (int64_t)(cyc))
#define K_TIMEOUT_IS_ABS(t)     ((t).ticks <= -2)
#define K_TIMEOUT_ABS_CYC_OF(t) ((uint64_t)(-2 - (t).ticks))

struct _timeout;
typedef void (*_timeout_func_t)(struct _timeout *t);

struct _timeout {
	sys_dnode_t node;
	uint64_t expiry; /* the cycle of the time CSR it fires at */
	_timeout_func_t fn;
};

/* -- Threads ---------------------------------------------------------------- */

typedef struct {
	sys_dlist_t waitq;
} _wait_q_t;

#define Z_WAIT_Q_INIT(wq)                                                                          \
	{                                                                                          \
		SYS_DLIST_STATIC_INIT(&(wq)->waitq)                                                \
	}

/* Thread states (bits of k_thread.state). */
#define THREAD_READY         BIT(0) /* in the ready queue, or running */
#define THREAD_PENDING       BIT(1) /* waiting on a wait queue */
#define THREAD_SLEEPING      BIT(2) /* in k_sleep() */
#define THREAD_DEAD          BIT(3) /* exited or aborted */
#define THREAD_SUSPENDED     BIT(4) /* created with a delay not yet over */
#define THREAD_INTERRUPTIBLE BIT(5) /* its wait (pending or sleeping) ends if interrupted */

typedef void (*k_thread_entry_t)(void *p1, void *p2, void *p3);

struct k_thread {
	struct arch_context ctx;
	sys_dnode_t qnode; /* ready queue or wait queue */
	_wait_q_t *pended_on;
	struct _timeout timeout;
	uint32_t state;
	int prio;
	int base_prio;
	int swap_retval;
	/* k_thread_interrupt() was called: every interruptible wait ends at once. */
	bool interrupted;
	/* Never loses its hart to the time slice, only to a more urgent thread (SCHED_FIFO). */
	bool no_timeslice;
	/* Index of the hart it must run on, or -1 for any (idle threads are pinned). */
	int pinned_cpu;
	struct cpu *cpu; /* where it runs or last ran */
	uintptr_t stack_guard; /* the guard page below the stack */
	uintptr_t stack_start; /* lowest usable address */
	uintptr_t stack_top;
	_wait_q_t join_queue;
	sys_dnode_t all_node;
	char name[32];
	void *user_data;
	/* A process's thread: the token of its address space (arch_vm_token(); 0: a kernel
	 * thread), and the hart it last ran on (a TLB there may hold its entries). */
	unsigned long vm_token;
	int last_cpu;
};

typedef struct k_thread *k_tid_t;

#define K_THREAD_GUARD_SIZE      4096
#define K_THREAD_STACK_LEN(size) (ROUND_UP(size, 4096) + K_THREAD_GUARD_SIZE)

/* A kernel thread stack with a guard page below it (page-aligned, unmapped on use). */
#define K_THREAD_STACK_DEFINE(sym, size)                                                           \
	char __aligned(4096) __section(".bss.stacks") sym[K_THREAD_STACK_LEN(size)]
#define K_THREAD_STACK_ARRAY_DEFINE(sym, n, size)                                                  \
	char __aligned(4096) __section(".bss.stacks") sym[n][K_THREAD_STACK_LEN(size)]
#define K_THREAD_STACK_SIZEOF(sym) (sizeof(sym) - K_THREAD_GUARD_SIZE)
typedef char k_thread_stack_t;

/* -- Synchronisation -------------------------------------------------------- */

struct k_sem {
	_wait_q_t wait_q;
	unsigned int count;
	unsigned int limit;
};

#define K_SEM_MAX_LIMIT 0xffffffffU
#define K_SEM_DEFINE(name, initial, max)                                                           \
	struct k_sem name = {Z_WAIT_Q_INIT(&(name).wait_q), (initial), (max)}

struct k_mutex {
	_wait_q_t wait_q;
	struct k_thread *owner;
	unsigned int lock_count;
	int owner_orig_prio;
};

#define K_MUTEX_DEFINE(name) struct k_mutex name = {Z_WAIT_Q_INIT(&(name).wait_q), NULL, 0, 0}

#endif /* INOX_KERNEL_THREAD_H_ */
