/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel latencies, measured with the time CSR (k_cycle_get_64()) and averaged over
 * ITERATIONS runs, printed as Zephyr's latency_measure does: "<name> : <N> cycles , <N> ns".
 * The time CSR is slow (10 MHz on QEMU virt, 1 MHz on the FU540), so each figure is the total
 * over all runs divided by their number: the ns column keeps the resolution the cycle
 * column lacks. Nothing here passes or fails on a time; the figures are only printed.
 *
 * Everything runs in one benchmark thread and its helpers, all pinned to hart 0, so a
 * figure never includes an IPI to another hart (except where a figure says it does).
 * What each figure covers:
 *
 *   time csr read                   k_cycle_get_64() itself: on the FU540 (and QEMU's
 *                                   sifive_u) rdtime traps to the SBI firmware, which reads
 *                                   the CLINT. The figures timed one run at a time (sem
 *                                   ... switch, create ... switch, soft irq, timer) include
 *                                   one such read; the others are timed in bulk.
 *   context switch k_yield          one k_yield() from a thread to an equal one, switch
 *                                   included (two threads yield to each other; total / 2N)
 *   sem give no waiter              k_sem_give() with nobody waiting (the count goes up)
 *   sem take available              k_sem_take() of an available semaphore
 *   sem give wake and switch        from k_sem_give() to the first line after k_sem_take()
 *                                   in the more urgent thread it wakes on the same hart
 *   sem take block and switch       from k_sem_take() blocking to the first line after
 *                                   k_sem_give() in the less urgent thread that gave
 *   thread create and start         k_thread_create(K_FOREVER) + k_thread_cpu_pin() +
 *                                   k_thread_start() of a less urgent thread (no switch;
 *                                   includes the guard page's remote TLB shootdown on SMP)
 *   thread create start and switch  the same, for a more urgent thread, up to its entry
 *   soft irq entry and exit         setting sip.SSIP on this hart with interrupts on, up to
 *                                   the next instruction: the whole trap entry, dispatch to
 *                                   the (empty) software-interrupt handler and trap exit.
 *                                   Inox has no hook in that handler, so this is the
 *                                   interrupt's round trip, not its latency alone.
 *   timer deadline to thread wake   from the tick boundary the timer was programmed for to
 *                                   a thread sleeping one tick running again: SBI/Sstc
 *                                   timer delivery, trap entry, the tick handler, timeout
 *                                   processing and the switch. The timer interrupt's own
 *                                   latency (to the handler's first instruction) has no
 *                                   public hook to measure it.
 */
#include <inox/kernel.h>
#include <inox/arch/riscv/csr.h>

#define ITERATIONS   1000
#define WARMUP       10
#define TIMER_RUNS   50
#define BENCH_CPU    0
#define BENCH_PRIO   5
#define STACK_SIZE   4096
#define CYC_PER_TICK (SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC)

K_THREAD_STACK_DEFINE(bench_stack, STACK_SIZE);
K_THREAD_STACK_ARRAY_DEFINE(helper_stacks, 2, STACK_SIZE);
static struct k_thread bench_thread;
static struct k_thread helpers[2];

/* Prints one figure: `total` cycles over `count` runs. */
static void report(const char *name, uint64_t total, uint64_t count)
{
	printk("%s : %llu cycles , %llu ns\n", name,
	       (unsigned long long)((total + count / 2) / count),
	       (unsigned long long)(k_cyc_to_ns_floor64(total) / count));
}

/* Creates helper n running fn at prio, pinned to the benchmark's hart, and starts it. */
static k_tid_t helper_start(int n, k_thread_entry_t fn, int prio)
{
	k_thread_create(&helpers[n], helper_stacks[n], K_THREAD_STACK_SIZEOF(helper_stacks[n]), fn,
			NULL, NULL, NULL, prio, 0, K_FOREVER);
	k_thread_cpu_pin(&helpers[n], BENCH_CPU);
	k_thread_start(&helpers[n]);
	return &helpers[n];
}

static void bench_time_read(void)
{
	uint64_t t0 = k_cycle_get_64();
	uint64_t t1;

	for (int i = 0; i < ITERATIONS; i++) {
		(void)k_cycle_get_64();
	}
	t1 = k_cycle_get_64();
	report("time csr read", t1 - t0, ITERATIONS);
}

/* -- Context switch ------------------------------------------------------------------------ */

static uint64_t yield_total;

static void yielder_timed(void *p1, void *p2, void *p3)
{
	uint64_t start;

	for (int i = 0; i < WARMUP; i++) {
		k_yield();
	}
	start = k_cycle_get_64();
	for (int i = 0; i < ITERATIONS; i++) {
		k_yield();
	}
	yield_total = k_cycle_get_64() - start;
}

static void yielder(void *p1, void *p2, void *p3)
{
	for (int i = 0; i < WARMUP + ITERATIONS; i++) {
		k_yield();
	}
}

static void bench_yield(void)
{
	/* Less urgent than us: they run, alternating, while we wait in join. */
	helper_start(0, yielder_timed, BENCH_PRIO + 1);
	helper_start(1, yielder, BENCH_PRIO + 1);
	k_thread_join(&helpers[0], K_FOREVER);
	k_thread_join(&helpers[1], K_FOREVER);
	/* Each of the timed thread's yields is two switches: to the other thread and back. */
	report("context switch k_yield", yield_total, 2 * ITERATIONS);
}

/* -- Semaphores ---------------------------------------------------------------------------- */

static struct k_sem sem;
static volatile uint64_t give_start, take_start;
static uint64_t wake_total, block_total;

static void bench_sem_no_switch(void)
{
	uint64_t t0, t1, t2;

	k_sem_init(&sem, 0, ITERATIONS);
	t0 = k_cycle_get_64();
	for (int i = 0; i < ITERATIONS; i++) {
		k_sem_give(&sem);
	}
	t1 = k_cycle_get_64();
	for (int i = 0; i < ITERATIONS; i++) {
		k_sem_take(&sem, K_NO_WAIT);
	}
	t2 = k_cycle_get_64();
	report("sem give no waiter", t1 - t0, ITERATIONS);
	report("sem take available", t2 - t1, ITERATIONS);
}

#define SEM_ROUNDS (WARMUP + ITERATIONS)

/*
 * The more urgent waiter: notes when each take returns and when it blocks again. Take k is
 * satisfied by give k; the last one (SEM_ROUNDS) only lets it end.
 */
static void sem_waiter(void *p1, void *p2, void *p3)
{
	for (int k = 0; k <= SEM_ROUNDS; k++) {
		take_start = k_cycle_get_64();
		k_sem_take(&sem, K_FOREVER);
		if (k >= WARMUP && k < SEM_ROUNDS) {
			wake_total += k_cycle_get_64() - give_start;
		}
	}
}

static void bench_sem_switch(void)
{
	k_sem_init(&sem, 0, 1);
	wake_total = block_total = 0;
	/* More urgent than us: it runs at once and blocks in k_sem_take(). */
	helper_start(0, sem_waiter, BENCH_PRIO - 1);
	for (int j = 0; j < SEM_ROUNDS; j++) {
		give_start = k_cycle_get_64();
		k_sem_give(&sem);
		/* The waiter ran and blocked in its next take: we are back. */
		if (j >= WARMUP) {
			block_total += k_cycle_get_64() - take_start;
		}
	}
	k_sem_give(&sem);
	k_thread_join(&helpers[0], K_FOREVER);
	report("sem give wake and switch", wake_total, ITERATIONS);
	report("sem take block and switch", block_total, ITERATIONS);
}

/* -- Thread creation ----------------------------------------------------------------------- */

static volatile uint64_t entry_time;

static void empty_entry(void *p1, void *p2, void *p3)
{
	entry_time = k_cycle_get_64();
}

static void bench_thread_create(void)
{
	uint64_t no_switch = 0, with_switch = 0;

	for (int i = 0; i < ITERATIONS; i++) {
		uint64_t t0 = k_cycle_get_64();

		helper_start(0, empty_entry, BENCH_PRIO + 1);
		no_switch += k_cycle_get_64() - t0;
		k_thread_join(&helpers[0], K_FOREVER);
	}
	for (int i = 0; i < ITERATIONS; i++) {
		uint64_t t0 = k_cycle_get_64();

		helper_start(0, empty_entry, BENCH_PRIO - 1);
		with_switch += entry_time - t0;
		k_thread_join(&helpers[0], K_FOREVER);
	}
	report("thread create and start", no_switch, ITERATIONS);
	report("thread create start and switch", with_switch, ITERATIONS);
}

/* -- Interrupts ---------------------------------------------------------------------------- */

static void bench_soft_irq(void)
{
	uint64_t total = 0;
	unsigned int taken = 0;

	for (int i = 0; i < WARMUP + ITERATIONS; i++) {
		uint64_t t0 = k_cycle_get_64();
		uint64_t t1;

		csr_set(sip, SIE_SSIE);
		t1 = k_cycle_get_64();
		/* The handler clears sip.SSIP: still set means no trap was taken in between. */
		if (csr_read(sip) & SIE_SSIE) {
			csr_clear(sip, SIE_SSIE);
			continue;
		}
		if (i >= WARMUP) {
			total += t1 - t0;
			taken++;
		}
	}
	if (taken == 0) {
		printk("soft irq: the interrupt was never taken at once; no figure\n");
		return;
	}
	report("soft irq entry and exit", total, taken);
}

static void bench_timer_wake(void)
{
	uint64_t total = 0;

	for (int i = 0; i < TIMER_RUNS; i++) {
		int64_t tick;

		/* Waking from a sleep puts us at the start of a tick, far from the next one. */
		k_sleep(K_TICKS(1));
		tick = k_uptime_ticks();
		/* A one-tick sleep expires at the second tick boundary from now. */
		k_sleep(K_TICKS(1));
		total += k_cycle_get_64() - (uint64_t)(tick + 2) * CYC_PER_TICK;
	}
	report("timer deadline to thread wake", total, TIMER_RUNS);
}

static void bench_entry(void *p1, void *p2, void *p3)
{
	printk("latency_measure: %d iterations, hart %u of %u, time CSR at %u Hz\n", ITERATIONS,
	       arch_curr_cpu_id(), arch_num_cpus(), (unsigned int)SYS_CLOCK_HW_CYCLES_PER_SEC);
	bench_time_read();
	bench_yield();
	bench_sem_no_switch();
	bench_sem_switch();
	bench_thread_create();
	bench_soft_irq();
	bench_timer_wake();
}

int main(void)
{
	k_thread_create(&bench_thread, bench_stack, K_THREAD_STACK_SIZEOF(bench_stack), bench_entry,
			NULL, NULL, NULL, BENCH_PRIO, 0, K_FOREVER);
	k_thread_name_set(&bench_thread, "bench");
	k_thread_cpu_pin(&bench_thread, BENCH_CPU);
	k_thread_start(&bench_thread);
	k_thread_join(&bench_thread, K_FOREVER);
	printk("PROJECT EXECUTION SUCCESSFUL\n");
	return 0;
}
