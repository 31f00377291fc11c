/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sleeping: k_msleep(N) lasts at least N ms and at most N ms + 2 ticks, measured both in
 * ticks (k_uptime_ticks()) and in cycles of the time CSR; a sleep on one hart lets other
 * threads run there; threads pinned to every hart wake on time (on SMP only hart 0 fires
 * timeouts, so the others' sleepers are woken by an IPI).
 *
 * "At least" is checked everywhere. "At most" is a limit on time, which a loaded host breaks
 * when guest time is the host's clock: it is checked only where guest time counts guest
 * instructions (QEMU -icount, which CMakeLists.txt turns on for qemu_riscv64; the test
 * finds out by timing a loop of known length). Elsewhere late sleeps are printed only.
 */
#include <inox/ztest.h>

#define CYC_PER_TICK (SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC)
#define CYC_PER_MS   (SYS_CLOCK_HW_CYCLES_PER_SEC / 1000)
#define STACK_SIZE   4096
#define MAX_HARTS    CONFIG_MP_MAX_NUM_CPUS

K_THREAD_STACK_ARRAY_DEFINE(stacks, MAX_HARTS + 1, STACK_SIZE);
static struct k_thread threads[MAX_HARTS + 1];

/* What one timed sleep measured. */
struct sleep_sample {
	int64_t ticks;
	uint64_t cycles;
};

/* Sleeps ms milliseconds starting just after a tick boundary; returns what it measured. */
static struct sleep_sample timed_msleep(int32_t ms)
{
	struct sleep_sample s;
	int64_t t0;
	uint64_t c0;

	/* A wake-up lands just after a tick: the sleep then starts early in its tick. */
	k_sleep(K_TICKS(1));
	t0 = k_uptime_ticks();
	c0 = k_cycle_get_64();
	k_msleep(ms);
	s.cycles = k_cycle_get_64() - c0;
	s.ticks = k_uptime_ticks() - t0;
	return s;
}

/* Did the sleep last at least ms, in ticks and in cycles? (Always true, or a kernel bug.) */
static bool sample_long_enough(struct sleep_sample s, int32_t ms)
{
	return s.ticks >= K_MSEC(ms).ticks && s.cycles >= (uint64_t)ms * CYC_PER_MS;
}

/*
 * Did it end within ms + 2 ticks, counted in whole ticks and in cycles? (A host that stalls
 * QEMU's harts can make it late.)
 */
static bool sample_on_time(struct sleep_sample s, int32_t ms)
{
	return s.ticks <= K_MSEC(ms).ticks + 2 &&
	       s.cycles <= (uint64_t)ms * CYC_PER_MS + 2 * CYC_PER_TICK;
}

static void print_sample(const char *what, struct sleep_sample s, int32_t ms)
{
	printk("    %s k_msleep(%d): %lld ticks (%lld to %lld expected), %llu us\n", what, ms,
	       (long long)s.ticks, (long long)K_MSEC(ms).ticks, (long long)K_MSEC(ms).ticks + 2,
	       (unsigned long long)k_cyc_to_us_floor64(s.cycles));
}

static bool strict;

static void *sleep_setup(void)
{
	strict = sys_clock_counts_instructions();
	printk("sleep: guest time %s: late sleeps %s\n",
	       strict ? "counts instructions (-icount)" : "is the host's clock",
	       strict ? "fail" : "are only reported");
	return NULL;
}

ZTEST_SUITE(sleep, NULL, sleep_setup, NULL, NULL, NULL);

/* Every sleep must last at least its time, and (where checked, see the top) end within 2
 * ticks more. Each late one is printed. */
#define REPS 5

ZTEST(sleep, test_msleep_bounds)
{
	static const int32_t durations[] = {1, 10, 25, 50};

	for (size_t i = 0; i < ARRAY_SIZE(durations); i++) {
		int32_t ms = durations[i];
		int late = 0;

		for (int rep = 0; rep < REPS; rep++) {
			struct sleep_sample s = timed_msleep(ms);

			if (!sample_long_enough(s, ms)) {
				print_sample("short", s, ms);
				zassert_unreachable("k_msleep(%d) returned early", ms);
			}
			if (!sample_on_time(s, ms)) {
				print_sample("late", s, ms);
				late++;
			}
		}
		zassert_true(!strict || late == 0, "%d of %d k_msleep(%d) calls were late", late,
			     REPS, ms);
	}
}

ZTEST(sleep, test_usleep_and_busy_wait)
{
	uint64_t c0 = k_cycle_get_64();

	k_usleep(500);
	zassert_true(k_cycle_get_64() - c0 >= SYS_CLOCK_HW_CYCLES_PER_SEC / 2000,
		     "k_usleep(500) returned early");

	c0 = k_cycle_get_64();
	k_busy_wait(2000);
	zassert_true(k_cycle_get_64() - c0 >= 2 * CYC_PER_MS, "k_busy_wait(2000) returned early");

	/* The best of five: under QEMU on a loaded host a hart can lose the host CPU for a
	 * tick anywhere, but a k_sleep() that waited would wait every time. */
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 5; i++) {
		c0 = k_cycle_get_64();
		zassert_ok(k_sleep(K_NO_WAIT));
		best = MIN(best, k_cycle_get_64() - c0);
	}
	zassert_true(best < CYC_PER_TICK, "k_sleep(K_NO_WAIT) waited a tick");
}

/*
 * A sleeper and a counter share one hart, the sleeper more urgent. While it sleeps the
 * counter must run there; once it wakes it must preempt the counter.
 */
static volatile bool counter_stop;
static volatile unsigned long counter;
static unsigned long count_before, count_after;

static void counter_entry(void *p1, void *p2, void *p3)
{
	while (!counter_stop) {
		counter++;
	}
}

static void sleeper_entry(void *p1, void *p2, void *p3)
{
	count_before = counter;
	k_msleep(50);
	count_after = counter;
	counter_stop = true;
}

ZTEST(sleep, test_sleep_lets_others_run)
{
	int cpu = arch_curr_cpu_id();
	k_tid_t c = k_thread_create(&threads[0], stacks[0], STACK_SIZE, counter_entry, NULL, NULL,
				    NULL, 6, 0, K_FOREVER);
	k_tid_t s = k_thread_create(&threads[1], stacks[1], STACK_SIZE, sleeper_entry, NULL, NULL,
				    NULL, 5, 0, K_FOREVER);

	counter_stop = false;
	counter = 0;
	zassert_ok(k_thread_cpu_pin(c, cpu));
	zassert_ok(k_thread_cpu_pin(s, cpu));
	/* Both less urgent than main: they start when main blocks, the sleeper first. */
	k_thread_start(c);
	k_thread_start(s);
	zassert_ok(k_thread_join(s, K_SECONDS(1)));
	zassert_ok(k_thread_join(c, K_SECONDS(1)));
	zassert_equal(count_before, 0, "the counter ran before the sleeper");
	zassert_true(count_after > 0, "nothing ran on hart %d while its only other thread slept",
		     cpu);
}

/* One sleeper pinned to each hart: every hart's threads wake on time, not only hart 0's. */
static struct sleep_sample hart_samples[MAX_HARTS];
static unsigned int hart_ran_on[MAX_HARTS];

static void hart_sleeper_entry(void *p1, void *p2, void *p3)
{
	int i = (int)(long)p1;

	hart_samples[i] = timed_msleep(20 + 10 * i);
	hart_ran_on[i] = arch_curr_cpu_id();
}

ZTEST(sleep, test_sleep_on_every_hart)
{
	unsigned int n = arch_num_cpus();
	int late = 0;

	for (unsigned int i = 0; i < n; i++) {
		k_thread_create(&threads[i], stacks[i], STACK_SIZE, hart_sleeper_entry,
				(void *)(long)i, NULL, NULL, 1, 0, K_FOREVER);
		zassert_ok(k_thread_cpu_pin(&threads[i], i));
		k_thread_start(&threads[i]);
	}
	for (unsigned int i = 0; i < n; i++) {
		zassert_ok(k_thread_join(&threads[i], K_SECONDS(1)), "sleeper on hart %u stuck", i);
	}
	for (unsigned int i = 0; i < n; i++) {
		int32_t ms = 20 + 10 * i;

		zassert_equal(hart_ran_on[i], i, "pinned to hart %u, ran on %u", i, hart_ran_on[i]);
		if (!sample_on_time(hart_samples[i], ms)) {
			print_sample("late", hart_samples[i], ms);
			late++;
		}
		zassert_true(sample_long_enough(hart_samples[i], ms), "hart %u woke early", i);
	}
	zassert_true(!strict || late == 0, "%d of %u sleepers were late", late, n);
}
