/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Threads: creation and exit, join (with and without a timeout), abort of a sleeping thread,
 * k_thread_interrupt(), and the scheduling rules: priority order, cooperative threads, time
 * slices, k_yield().
 *
 * The tests run in the main thread (priority 0). Worker threads are less urgent, so when a
 * test starts several of them they only run once main blocks (in k_thread_join()): that is
 * how they are "released together". Where an order is checked they are pinned to main's own
 * hart, so on SMP no idle hart picks one up early and the order is the scheduler's alone.
 */
#include <inox/ztest.h>

#define STACK_SIZE  4096
#define NUM_WORKERS 4
#define WORKER_PRIO 5

K_THREAD_STACK_ARRAY_DEFINE(stacks, NUM_WORKERS, STACK_SIZE);
static struct k_thread workers[NUM_WORKERS];

/* Order in which workers reached a point: each appends its id. */
static atomic_t order_len;
static int order[16];

static void order_add(int id)
{
	long i = atomic_inc(&order_len);

	if (i < (long)ARRAY_SIZE(order)) {
		order[i] = id;
	}
}

/*
 * Set when a k_thread_cpu_pin() failed. Workers cannot zassert: a failed check jumps back to
 * the runner, which only works from the runner's own thread (see tests/kernel/fatal).
 */
static bool pin_failed;

/*
 * Creates worker n running fn(p1, p2, p3) at prio, not started, pinned to hart `cpu` (-1: any).
 * Returns its id; the caller starts it with k_thread_start().
 */
static k_tid_t worker_create(int n, k_thread_entry_t fn, void *p1, void *p2, void *p3, int prio,
			     int cpu)
{
	k_tid_t t = k_thread_create(&workers[n], stacks[n], K_THREAD_STACK_SIZEOF(stacks[n]), fn,
				    p1, p2, p3, prio, 0, K_FOREVER);

	if (k_thread_cpu_pin(t, cpu) != 0) {
		pin_failed = true;
	}
	return t;
}

/* Joins workers 0..n-1 (each must end within 5 s). */
static void join_all(int n)
{
	zassert_false(pin_failed, "k_thread_cpu_pin() failed");
	for (int i = 0; i < n; i++) {
		zassert_ok(k_thread_join(&workers[i], K_SECONDS(5)), "worker %d did not end", i);
	}
}

static void reset(void *fixture)
{
	atomic_set(&order_len, 0);
	memset(order, 0, sizeof(order));
}

ZTEST_SUITE(threads, NULL, NULL, reset, NULL, NULL);

/* -- Creation, exit, join ------------------------------------------------------------------ */

static void *seen_args[3];
static k_tid_t seen_self;

static void args_entry(void *p1, void *p2, void *p3)
{
	seen_args[0] = p1;
	seen_args[1] = p2;
	seen_args[2] = p3;
	seen_self = k_current_get();
}

ZTEST(threads, test_create_and_exit)
{
	k_tid_t t = k_thread_create(&workers[0], stacks[0], K_THREAD_STACK_SIZEOF(stacks[0]),
				    args_entry, (void *)0x11, (void *)0x22, (void *)0x33,
				    WORKER_PRIO, 0, K_NO_WAIT);

	zassert_equal_ptr(t, &workers[0], "k_thread_create returned another id");
	zassert_ok(k_thread_name_set(t, "args"));
	zassert_str_equal(k_thread_name_get(t), "args");
	zassert_equal(k_thread_priority_get(t), WORKER_PRIO);
	zassert_ok(k_thread_join(t, K_FOREVER), "join of a thread that returns");
	zassert_equal_ptr(seen_args[0], (void *)0x11, "p1 lost");
	zassert_equal_ptr(seen_args[1], (void *)0x22, "p2 lost");
	zassert_equal_ptr(seen_args[2], (void *)0x33, "p3 lost");
	zassert_equal_ptr(seen_self, t, "k_current_get() in the thread is not its id");
	/* Joining a thread that is already gone returns at once, whatever the timeout. */
	zassert_ok(k_thread_join(t, K_NO_WAIT));
	zassert_ok(k_thread_join(t, K_FOREVER));
}

ZTEST(threads, test_create_delayed)
{
	int64_t start;
	k_tid_t t;

	seen_self = NULL;
	start = k_uptime_ticks();
	t = k_thread_create(&workers[0], stacks[0], K_THREAD_STACK_SIZEOF(stacks[0]), args_entry,
			    NULL, NULL, NULL, WORKER_PRIO, 0, K_MSEC(20));
	zassert_ok(k_thread_join(t, K_SECONDS(1)));
	zassert_equal_ptr(seen_self, t, "the delayed thread did not run");
	zassert_true(k_uptime_ticks() - start >= K_MSEC(20).ticks, "started after %lld ticks",
		     (long long)(k_uptime_ticks() - start));
}

static struct k_sem release_sem;

static void wait_release_entry(void *p1, void *p2, void *p3)
{
	k_sem_take(&release_sem, K_FOREVER);
}

ZTEST(threads, test_join_timeout)
{
	k_tid_t t;
	uint64_t start;
	int64_t ticks;

	k_sem_init(&release_sem, 0, 1);
	t = k_thread_create(&workers[0], stacks[0], K_THREAD_STACK_SIZEOF(stacks[0]),
			    wait_release_entry, NULL, NULL, NULL, WORKER_PRIO, 0, K_NO_WAIT);
	zassert_equal(k_thread_join(t, K_NO_WAIT), -EBUSY, "K_NO_WAIT join of a live thread");
	zassert_equal(k_thread_join(k_current_get(), K_FOREVER), -EDEADLK, "joining oneself");

	start = k_cycle_get_64();
	ticks = k_uptime_ticks();
	zassert_equal(k_thread_join(t, K_MSEC(30)), -EAGAIN, "join of a blocked thread");
	ticks = k_uptime_ticks() - ticks;
	zassert_true(ticks >= K_MSEC(30).ticks, "join gave up after %lld ticks", (long long)ticks);
	zassert_true(k_cycle_get_64() - start >= 30 * SYS_CLOCK_HW_CYCLES_PER_SEC / 1000,
		     "join gave up before 30 ms of the time CSR");

	k_sem_give(&release_sem);
	zassert_ok(k_thread_join(t, K_SECONDS(1)), "join after the thread was released");
}

static volatile bool woke_up;

static void long_sleep_entry(void *p1, void *p2, void *p3)
{
	k_msleep(10000);
	woke_up = true;
}

ZTEST(threads, test_abort_sleeping)
{
	k_tid_t t;
	uint64_t start;

	woke_up = false;
	t = k_thread_create(&workers[0], stacks[0], K_THREAD_STACK_SIZEOF(stacks[0]),
			    long_sleep_entry, NULL, NULL, NULL, WORKER_PRIO, 0, K_NO_WAIT);
	/* Let it run and fall asleep. */
	k_msleep(10);
	zassert_equal(k_thread_join(t, K_NO_WAIT), -EBUSY, "the sleeper is already gone");

	start = k_cycle_get_64();
	k_thread_abort(t);
	zassert_ok(k_thread_join(t, K_NO_WAIT), "an aborted thread is still joinable as live");
	zassert_ok(k_thread_join(t, K_FOREVER));
	zassert_true(k_cycle_get_64() - start < SYS_CLOCK_HW_CYCLES_PER_SEC,
		     "abort waited for the sleep to end");
	/* Its sleep timeout went with it: nothing wakes it up later. */
	k_msleep(30);
	zassert_false(woke_up, "an aborted thread ran again");
	/* Aborting a dead thread again is harmless. */
	k_thread_abort(t);
}

static volatile bool spinner_stop;
static volatile unsigned long spinner_count;

static void spin_entry(void *p1, void *p2, void *p3)
{
	while (!spinner_stop) {
		spinner_count++;
	}
}

ZTEST(threads, test_abort_running)
{
	k_tid_t t;
	unsigned long seen;

	/*
	 * On SMP it runs on another hart while we abort it; on one hart it is merely ready.
	 * Either way it must never run again.
	 */
	spinner_stop = false;
	spinner_count = 0;
	t = k_thread_create(&workers[0], stacks[0], K_THREAD_STACK_SIZEOF(stacks[0]), spin_entry,
			    NULL, NULL, NULL, WORKER_PRIO, 0, K_NO_WAIT);
	k_msleep(5);
	k_thread_abort(t);
	zassert_ok(k_thread_join(t, K_NO_WAIT));
	seen = spinner_count;
	k_msleep(5);
	zassert_equal(seen, spinner_count, "the aborted thread still runs");
	spinner_stop = true;
}

/* -- Interrupting a thread (how a kill reaches a process) ---------------------------------- */

static struct k_sem intr_sem;
static volatile bool intr_go;
static volatile int intr_ret[4];
static volatile int64_t intr_slept_ticks;

/* Joins t within 5 s, or aborts it so that it is not left behind for the next test. */
static int join_or_abort(k_tid_t t)
{
	int ret = k_thread_join(t, K_SECONDS(5));

	if (ret != 0) {
		k_thread_abort(t);
	}
	return ret;
}

static void interruptible_entry(void *p1, void *p2, void *p3)
{
	intr_ret[0] = k_sleep_interruptible(K_SECONDS(100));
	intr_ret[1] = k_sem_take_interruptible(&intr_sem, K_FOREVER);
}

ZTEST(threads, test_interrupt_ends_the_wait_it_is_in)
{
	k_tid_t t;

	k_sem_init(&intr_sem, 0, 1);
	intr_ret[0] = intr_ret[1] = 1;
	t = k_thread_create(&workers[0], stacks[0], K_THREAD_STACK_SIZEOF(stacks[0]),
			    interruptible_entry, NULL, NULL, NULL, WORKER_PRIO, 0, K_NO_WAIT);
	k_msleep(10); /* it sleeps now */
	zassert_equal(k_thread_join(t, K_NO_WAIT), -EBUSY, "the sleeper is already gone");
	k_thread_interrupt(t);
	zassert_ok(join_or_abort(t), "the interrupted sleep went on");
	zassert_equal(intr_ret[0], -EINTR, "k_sleep_interruptible() returned %d", intr_ret[0]);
	/* A wait begun after the interrupt ends at once too. */
	zassert_equal(intr_ret[1], -EINTR, "k_sem_take_interruptible() returned %d", intr_ret[1]);
}

static void interrupted_early_entry(void *p1, void *p2, void *p3)
{
	while (!intr_go) {
	}
	intr_ret[0] = k_sleep_interruptible(K_SECONDS(100));
	intr_ret[1] = k_sem_take_interruptible(&intr_sem, K_FOREVER);
}

/*
 * The interrupt comes while the thread runs, before its wait: the wait must still end (a
 * kill that lands while a process is on its way into nanosleep() once left it asleep for
 * the whole time).
 */
ZTEST(threads, test_interrupt_before_the_wait_is_not_lost)
{
	k_tid_t t;

	k_sem_init(&intr_sem, 0, 1);
	intr_go = false;
	intr_ret[0] = intr_ret[1] = 1;
	t = k_thread_create(&workers[0], stacks[0], K_THREAD_STACK_SIZEOF(stacks[0]),
			    interrupted_early_entry, NULL, NULL, NULL, WORKER_PRIO, 0, K_NO_WAIT);
	k_msleep(5); /* it spins now, on another hart or waiting for this one */
	k_thread_interrupt(t);
	intr_go = true;
	zassert_ok(join_or_abort(t), "the interrupt was lost: the thread waits");
	zassert_equal(intr_ret[0], -EINTR, "k_sleep_interruptible() returned %d", intr_ret[0]);
	zassert_equal(intr_ret[1], -EINTR, "k_sem_take_interruptible() returned %d", intr_ret[1]);
}

static void plain_waits_entry(void *p1, void *p2, void *p3)
{
	int64_t start;

	/* Interrupted (by main) while blocked here: the wait goes on until the give. */
	intr_ret[0] = k_sem_take(&intr_sem, K_FOREVER);
	start = k_uptime_ticks();
	intr_ret[1] = k_sleep(K_MSEC(20));
	intr_slept_ticks = k_uptime_ticks() - start;
	intr_ret[2] = k_sem_take(&intr_sem, K_MSEC(20));
	intr_ret[3] = k_sleep_interruptible(K_MSEC(20));
}

ZTEST(threads, test_interrupt_spares_plain_waits)
{
	k_tid_t t;

	k_sem_init(&intr_sem, 0, 1);
	intr_ret[0] = intr_ret[1] = intr_ret[2] = intr_ret[3] = 1;
	t = k_thread_create(&workers[0], stacks[0], K_THREAD_STACK_SIZEOF(stacks[0]),
			    plain_waits_entry, NULL, NULL, NULL, WORKER_PRIO, 0, K_NO_WAIT);
	k_msleep(10); /* it waits for the semaphore now */
	k_thread_interrupt(t);
	k_msleep(10);
	zassert_equal(k_thread_join(t, K_NO_WAIT), -EBUSY, "k_sem_take() was interrupted");
	k_sem_give(&intr_sem);
	zassert_ok(join_or_abort(t), "the worker did not end");
	zassert_equal(intr_ret[0], 0, "k_sem_take() returned %d", intr_ret[0]);
	zassert_equal(intr_ret[1], 0, "k_sleep() returned %d", intr_ret[1]);
	zassert_true(intr_slept_ticks >= K_MSEC(20).ticks, "k_sleep() ended after %lld ticks",
		     (long long)intr_slept_ticks);
	zassert_equal(intr_ret[2], -EAGAIN, "k_sem_take() returned %d", intr_ret[2]);
	zassert_equal(intr_ret[3], -EINTR, "k_sleep_interruptible() returned %d", intr_ret[3]);
}

/* -- Scheduling order ---------------------------------------------------------------------- */

static void record_entry(void *p1, void *p2, void *p3)
{
	order_add((int)(long)p1);
}

ZTEST(threads, test_priority_order)
{
	static const int prios[] = {7, 3, 9, 5};
	int cpu = arch_curr_cpu_id();

	/* Started least urgent first, so a FIFO would get it wrong. */
	for (int i = 0; i < NUM_WORKERS; i++) {
		k_thread_start(worker_create(i, record_entry, (void *)(long)prios[i], NULL, NULL,
					     prios[i], cpu));
	}
	zassert_equal(atomic_get(&order_len), 0, "a less urgent thread preempted main");
	join_all(NUM_WORKERS);
	zassert_equal(atomic_get(&order_len), NUM_WORKERS);
	zassert_equal(order[0], 3, "ran %d first", order[0]);
	zassert_equal(order[1], 5, "ran %d second", order[1]);
	zassert_equal(order[2], 7, "ran %d third", order[2]);
	zassert_equal(order[3], 9, "ran %d last", order[3]);
}

/*
 * A thread that makes a more urgent one ready on its own hart is preempted at once: the
 * urgent one runs before k_thread_start() returns. Both are pinned (main is not: on SMP it
 * would carry on on another hart).
 */
static void starter_entry(void *p1, void *p2, void *p3)
{
	k_thread_start(worker_create(1, record_entry, (void *)1, NULL, NULL, WORKER_PRIO - 2,
				     arch_curr_cpu_id()));
	order_add(2);
}

ZTEST(threads, test_preempted_by_more_urgent)
{
	k_thread_start(
		worker_create(0, starter_entry, NULL, NULL, NULL, WORKER_PRIO, arch_curr_cpu_id()));
	join_all(2);
	zassert_equal(order[0], 1, "not preempted by a more urgent thread");
	zassert_equal(order[1], 2);
}

/*
 * On SMP, a thread preempted on its hart must go on running on an idle one rather than wait
 * for its own hart: main starts a cooperative thread pinned to main's hart that spins for
 * 100 ms; main must run again long before that.
 */
static volatile uint64_t hog_end;

static void hog_entry(void *p1, void *p2, void *p3)
{
	k_busy_wait(100 * 1000);
	hog_end = k_cycle_get_64();
}

ZTEST(threads, test_preempted_thread_moves_to_idle_hart)
{
	int cpu = arch_curr_cpu_id();
	uint64_t back;

	zassume_true(arch_num_cpus() > 1, "needs a second hart");
	hog_end = 0;
	k_thread_start(worker_create(0, hog_entry, NULL, NULL, NULL, K_PRIO_COOP(1), cpu));
	back = k_cycle_get_64();
	zassert_equal(hog_end, 0, "main waited for the hog to end (hart %d, then %u)", cpu,
		      arch_curr_cpu_id());
	zassert_not_equal((int)arch_curr_cpu_id(), cpu, "main shares its hart with the hog");
	join_all(1);
	zassert_true(back < hog_end, "main resumed only after the hog");
}

/*
 * A cooperative thread starts a more urgent cooperative thread and one of its own priority on
 * its hart, then spins across several time slices and ticks: neither may run until it
 * yields. Then the more urgent one runs first, the equal one next, and only after both does
 * the yielder continue.
 */
static void coop_entry(void *p1, void *p2, void *p3)
{
	int cpu = arch_curr_cpu_id();
	int prio = k_thread_priority_get(k_current_get());

	k_thread_start(worker_create(1, record_entry, (void *)1, NULL, NULL, prio - 2, cpu));
	k_thread_start(worker_create(2, record_entry, (void *)2, NULL, NULL, prio, cpu));
	k_thread_start(worker_create(3, record_entry, (void *)3, NULL, NULL, 0, cpu));
	k_busy_wait((CONFIG_TIMESLICE_SIZE * 3) * 1000);
	order_add(10);
	k_yield();
	order_add(11);
}

ZTEST(threads, test_cooperative_not_preempted)
{
	k_thread_start(
		worker_create(0, coop_entry, NULL, NULL, NULL, K_PRIO_COOP(5), arch_curr_cpu_id()));
	join_all(4);
	zassert_equal(atomic_get(&order_len), 5);
	zassert_equal(order[0], 10, "cooperative thread preempted by thread %d", order[0]);
	zassert_equal(order[1], 1, "more urgent thread did not run first at the yield");
	zassert_equal(order[2], 2, "equal thread did not run at the yield");
	zassert_equal(order[3], 11, "yielder resumed after %d", order[3]);
	zassert_equal(order[4], 3, "the preemptible thread ran before the cooperative one ended");
}

/*
 * Two busy threads of equal priority on one hart, neither yielding: each notes every time it
 * finds the other ran since its own last turn. In 8 time slices both must have had turns.
 */
static volatile int last_runner;
static volatile bool slice_stop;
static unsigned long turns[2];

static void slice_entry(void *p1, void *p2, void *p3)
{
	int me = (int)(long)p1;

	while (!slice_stop) {
		if (last_runner != me) {
			last_runner = me;
			turns[me]++;
		}
	}
}

/*
 * Two spinning threads of one priority on one hart take turns by the time slice. main looks
 * every slice until each has had two turns, for at most 5 s of guest time: where guest time is
 * the host's clock, a loaded host may run the hart for only part of any fixed window, so the
 * test waits for what it checks instead of timing it. Without slicing the second thread never
 * runs, and the test fails after the 5 s.
 */
ZTEST(threads, test_time_slicing)
{
	int cpu = arch_curr_cpu_id();
	int32_t waited = 0;

	zassume_true(IS_ENABLED(CONFIG_TIMESLICING), "time slicing is off");
	last_runner = -1;
	slice_stop = false;
	turns[0] = turns[1] = 0;
	k_thread_start(worker_create(0, slice_entry, (void *)0, NULL, NULL, WORKER_PRIO, cpu));
	k_thread_start(worker_create(1, slice_entry, (void *)1, NULL, NULL, WORKER_PRIO, cpu));
	while (!(turns[0] >= 2 && turns[1] >= 2) && waited < 5000) {
		k_msleep(CONFIG_TIMESLICE_SIZE);
		waited += CONFIG_TIMESLICE_SIZE;
	}
	slice_stop = true;
	join_all(2);
	zassert_true(turns[0] >= 2 && turns[1] >= 2, "in %d ms: %lu and %lu turns", waited,
		     turns[0], turns[1]);
}

static void yield_entry(void *p1, void *p2, void *p3)
{
	for (int i = 0; i < 4; i++) {
		order_add((int)(long)p1);
		k_yield();
	}
}

ZTEST(threads, test_yield_among_equals)
{
	int cpu = arch_curr_cpu_id();

	k_thread_start(worker_create(0, yield_entry, (void *)1, NULL, NULL, WORKER_PRIO, cpu));
	k_thread_start(worker_create(1, yield_entry, (void *)2, NULL, NULL, WORKER_PRIO, cpu));
	k_thread_start(worker_create(2, record_entry, (void *)3, NULL, NULL, WORKER_PRIO + 1, cpu));
	join_all(3);
	zassert_equal(atomic_get(&order_len), 9);
	for (int i = 0; i < 8; i++) {
		zassert_equal(order[i], 1 + i % 2, "step %d was thread %d", i, order[i]);
	}
	/* k_yield() never hands the hart to a less urgent thread. */
	zassert_equal(order[8], 3, "the less urgent thread ran before the yielders ended");
}
