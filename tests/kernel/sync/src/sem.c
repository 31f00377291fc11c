/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Semaphores: counting, the limit, K_NO_WAIT and timed takes, and which waiter a give wakes:
 * the most urgent, and among equals the one that waited longest.
 */
#include "sync.h"

#define CYC_PER_MS (SYS_CLOCK_HW_CYCLES_PER_SEC / 1000)

static struct k_sem sem;

static void sem_before(void *fixture)
{
	order_reset();
}

ZTEST_SUITE(sem, NULL, NULL, sem_before, NULL, NULL);

ZTEST(sem, test_sem_give_take)
{
	zassert_ok(k_sem_init(&sem, 0, 10));
	zassert_equal(k_sem_take(&sem, K_NO_WAIT), -EBUSY, "took an empty semaphore");
	for (int i = 0; i < 3; i++) {
		k_sem_give(&sem);
	}
	zassert_equal(k_sem_count_get(&sem), 3);
	for (int i = 0; i < 3; i++) {
		zassert_ok(k_sem_take(&sem, K_NO_WAIT), "take %d of 3", i);
	}
	zassert_equal(k_sem_count_get(&sem), 0);
	zassert_equal(k_sem_take(&sem, K_NO_WAIT), -EBUSY);
	k_sem_give(&sem);
	zassert_ok(k_sem_take(&sem, K_FOREVER), "K_FOREVER take of an available semaphore");
}

ZTEST(sem, test_sem_limit)
{
	zassert_equal(k_sem_init(&sem, 0, 0), -EINVAL, "limit 0 accepted");
	zassert_equal(k_sem_init(&sem, 3, 2), -EINVAL, "initial count above the limit accepted");
	zassert_ok(k_sem_init(&sem, 1, 2));
	for (int i = 0; i < 5; i++) {
		k_sem_give(&sem);
	}
	zassert_equal(k_sem_count_get(&sem), 2, "count went past the limit");
	k_sem_reset(&sem);
	zassert_equal(k_sem_count_get(&sem), 0);
}

ZTEST(sem, test_sem_take_timeout)
{
	int64_t t0;
	uint64_t c0;

	zassert_ok(k_sem_init(&sem, 0, 1));
	t0 = k_uptime_ticks();
	c0 = k_cycle_get_64();
	zassert_equal(k_sem_take(&sem, K_MSEC(30)), -EAGAIN, "a timed take of an empty semaphore");
	zassert_true(k_uptime_ticks() - t0 >= K_MSEC(30).ticks, "gave up after %lld ticks",
		     (long long)(k_uptime_ticks() - t0));
	zassert_true(k_cycle_get_64() - c0 >= 30 * CYC_PER_MS, "gave up before 30 ms");
	/* The waiter that timed out is gone from the queue: a give now only counts. */
	k_sem_give(&sem);
	zassert_equal(k_sem_count_get(&sem), 1);
}

static void giver_entry(void *p1, void *p2, void *p3)
{
	k_msleep(20);
	k_sem_give(&sem);
}

ZTEST(sem, test_sem_take_woken_by_give)
{
	uint64_t c0;

	zassert_ok(k_sem_init(&sem, 0, 1));
	worker_spawn(0, giver_entry, NULL, 5, -1);
	c0 = k_cycle_get_64();
	zassert_ok(k_sem_take(&sem, K_SECONDS(1)), "not woken by the give");
	zassert_true(k_cycle_get_64() - c0 >= 20 * CYC_PER_MS, "woken before the give");
	zassert_equal(k_sem_count_get(&sem), 0, "the give was counted as well as handed over");
	workers_join(1);
}

static void waiter_entry(void *p1, void *p2, void *p3)
{
	if (k_sem_take(&sem, K_SECONDS(5)) == 0) {
		order_add((int)(long)p1);
	}
}

ZTEST(sem, test_sem_wake_order)
{
	/* Waiters by start order; the two of priority 5 must wake in the order they waited. */
	static const int prios[] = {6, 4, 5, 5};

	zassert_ok(k_sem_init(&sem, 0, 10));
	for (int i = 0; i < NUM_WORKERS; i++) {
		worker_spawn(i, waiter_entry, (void *)(long)i, prios[i], -1);
		/* Let it block before the next one comes. */
		k_msleep(2);
	}
	/* One give at a time, each waking one waiter who records itself. */
	for (int i = 0; i < NUM_WORKERS; i++) {
		k_sem_give(&sem);
		k_msleep(2);
		zassert_equal(atomic_get(&order_len), i + 1, "give %d woke %ld waiters", i,
			      atomic_get(&order_len) - i);
	}
	workers_join(NUM_WORKERS);
	zassert_equal(order[0], 1, "woke worker %d (prio %d) first", order[0], prios[order[0]]);
	zassert_equal(order[1], 2, "woke worker %d second", order[1]);
	zassert_equal(order[2], 3, "woke worker %d third", order[2]);
	zassert_equal(order[3], 0, "woke worker %d last", order[3]);
}

ZTEST(sem, test_sem_reset_wakes_waiters)
{
	zassert_ok(k_sem_init(&sem, 0, 1));
	worker_spawn(0, waiter_entry, (void *)7, 5, -1);
	k_msleep(2);
	k_sem_reset(&sem);
	workers_join(1);
	zassert_equal(atomic_get(&order_len), 0, "a waiter got the semaphore from a reset");
}
