/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mutexes: recursion, unlock by a non-owner, timed locks, and priority inheritance: while a
 * more urgent thread waits, a less urgent owner runs at the waiter's priority, and drops
 * back when it unlocks (or when the waiter gives up).
 */
#include "sync.h"

#define LOW_PRIO  10
#define HIGH_PRIO 3

static struct k_mutex mutex;
static struct k_sem owner_locked;
static struct k_sem owner_release;
static volatile int result;

static void mutex_before(void *fixture)
{
	k_mutex_init(&mutex);
	k_sem_init(&owner_locked, 0, 1);
	k_sem_init(&owner_release, 0, 1);
	result = 1;
	order_reset();
}

ZTEST_SUITE(mutex, NULL, NULL, mutex_before, NULL, NULL);

static void trylock_entry(void *p1, void *p2, void *p3)
{
	result = k_mutex_lock(&mutex, K_NO_WAIT);
	if (result == 0) {
		k_mutex_unlock(&mutex);
	}
}

ZTEST(mutex, test_mutex_recursion)
{
	for (int i = 0; i < 3; i++) {
		zassert_ok(k_mutex_lock(&mutex, K_NO_WAIT), "recursive lock %d", i);
	}
	zassert_ok(k_mutex_unlock(&mutex));
	zassert_ok(k_mutex_unlock(&mutex));
	/* Still held once: another thread cannot have it. */
	worker_spawn(0, trylock_entry, NULL, 5, -1);
	workers_join(1);
	zassert_equal(result, -EBUSY, "another thread locked a held mutex: %d", result);
	zassert_ok(k_mutex_unlock(&mutex));
	zassert_equal(k_mutex_unlock(&mutex), -EINVAL, "unlocked a free mutex");
	worker_spawn(0, trylock_entry, NULL, 5, -1);
	workers_join(1);
	zassert_ok(result, "the mutex was not free after the last unlock");
}

static void unlock_entry(void *p1, void *p2, void *p3)
{
	result = k_mutex_unlock(&mutex);
}

ZTEST(mutex, test_mutex_unlock_not_owner)
{
	zassert_ok(k_mutex_lock(&mutex, K_FOREVER));
	worker_spawn(0, unlock_entry, NULL, 5, -1);
	workers_join(1);
	zassert_equal(result, -EPERM, "a non-owner's unlock returned %d", result);
	zassert_ok(k_mutex_unlock(&mutex), "the owner lost the mutex to a non-owner's unlock");
}

/* Locks the mutex, says so, holds it until told, unlocks; notes its priority as it goes. */
static int owner_prio_held, owner_prio_after;

static void owner_entry(void *p1, void *p2, void *p3)
{
	k_tid_t self = k_current_get();

	k_mutex_lock(&mutex, K_FOREVER);
	k_sem_give(&owner_locked);
	k_sem_take(&owner_release, K_FOREVER);
	owner_prio_held = k_thread_priority_get(self);
	order_add(1);
	k_mutex_unlock(&mutex);
	owner_prio_after = k_thread_priority_get(self);
}

static void high_locker_entry(void *p1, void *p2, void *p3)
{
	int32_t ms = (int32_t)(long)p1;

	result = k_mutex_lock(&mutex, ms < 0 ? K_FOREVER : K_MSEC(ms));
	if (result == 0) {
		order_add(2);
		k_mutex_unlock(&mutex);
	}
}

ZTEST(mutex, test_mutex_lock_timeout)
{
	uint64_t c0;

	worker_spawn(0, owner_entry, NULL, 5, -1);
	zassert_ok(k_sem_take(&owner_locked, K_SECONDS(1)));
	c0 = k_cycle_get_64();
	zassert_equal(k_mutex_lock(&mutex, K_NO_WAIT), -EBUSY);
	zassert_equal(k_mutex_lock(&mutex, K_MSEC(20)), -EAGAIN, "timed lock of a held mutex");
	zassert_true(k_cycle_get_64() - c0 >= 20 * (SYS_CLOCK_HW_CYCLES_PER_SEC / 1000),
		     "timed lock gave up early");
	k_sem_give(&owner_release);
	zassert_ok(k_mutex_lock(&mutex, K_SECONDS(1)), "lock after the owner let go");
	zassert_ok(k_mutex_unlock(&mutex));
	workers_join(1);
}

ZTEST(mutex, test_mutex_priority_inheritance)
{
	k_tid_t low;

	low = worker_spawn(0, owner_entry, NULL, LOW_PRIO, -1);
	zassert_ok(k_sem_take(&owner_locked, K_SECONDS(1)));
	zassert_equal(k_thread_priority_get(low), LOW_PRIO);

	worker_spawn(1, high_locker_entry, (void *)-1L, HIGH_PRIO, -1);
	/* Let the urgent thread block on the mutex. */
	k_msleep(5);
	zassert_equal(result, 1, "the urgent thread got a held mutex");
	zassert_equal(k_thread_priority_get(low), HIGH_PRIO,
		      "owner not boosted while an urgent thread waits (prio %d)",
		      k_thread_priority_get(low));

	k_sem_give(&owner_release);
	workers_join(2);
	zassert_equal(owner_prio_held, HIGH_PRIO, "owner ran its critical section at prio %d",
		      owner_prio_held);
	zassert_equal(owner_prio_after, LOW_PRIO, "owner kept prio %d after unlocking",
		      owner_prio_after);
	zassert_ok(result, "the urgent thread never got the mutex");
	zassert_equal(order[0], 1);
	zassert_equal(order[1], 2, "the urgent thread got the mutex before the owner let go");
}

ZTEST(mutex, test_mutex_priority_inheritance_timeout)
{
	k_tid_t low;

	low = worker_spawn(0, owner_entry, NULL, LOW_PRIO, -1);
	zassert_ok(k_sem_take(&owner_locked, K_SECONDS(1)));
	worker_spawn(1, high_locker_entry, (void *)30L, HIGH_PRIO, -1);
	k_msleep(5);
	zassert_equal(k_thread_priority_get(low), HIGH_PRIO, "owner not boosted");
	/* The urgent thread gives up: the owner's boost must go with it. */
	zassert_ok(k_thread_join(&workers[1], K_SECONDS(1)));
	zassert_equal(result, -EAGAIN, "timed lock returned %d", result);
	zassert_equal(k_thread_priority_get(low), LOW_PRIO,
		      "owner still boosted to %d after the waiter timed out",
		      k_thread_priority_get(low));
	k_sem_give(&owner_release);
	workers_join(1);
}

/*
 * A boosted owner on a single hart must actually run ahead of a middle-priority thread
 * (the classic inversion): owner, middle and urgent waiter pinned to one hart.
 */
static volatile bool middle_stop;

static void middle_entry(void *p1, void *p2, void *p3)
{
	while (!middle_stop) {
	}
	order_add(3);
}

static void owner_spin_entry(void *p1, void *p2, void *p3)
{
	k_mutex_lock(&mutex, K_FOREVER);
	k_sem_give(&owner_locked);
	k_busy_wait(20 * 1000);
	order_add(1);
	k_mutex_unlock(&mutex);
}

ZTEST(mutex, test_mutex_no_priority_inversion)
{
	int cpu = arch_curr_cpu_id();

	middle_stop = false;
	worker_spawn(0, owner_spin_entry, NULL, LOW_PRIO, cpu);
	zassert_ok(k_sem_take(&owner_locked, K_SECONDS(1)));
	/* The middle thread would starve the owner for ever without the boost. */
	worker_spawn(1, middle_entry, NULL, (LOW_PRIO + HIGH_PRIO) / 2, cpu);
	worker_spawn(2, high_locker_entry, (void *)-1L, HIGH_PRIO, cpu);
	zassert_ok(k_thread_join(&workers[2], K_SECONDS(2)), "the urgent thread never got in");
	middle_stop = true;
	workers_join(3);
	zassert_equal(order[0], 1);
	zassert_equal(order[1], 2, "the urgent thread did not follow the owner");
	zassert_equal(order[2], 3);
}
