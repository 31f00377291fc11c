/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Spinlocks and atomics across harts: one thread pinned to each hart (arch_num_cpus() of
 * them; one on a single-hart board) increments a shared counter ROUNDS times, under a
 * k_spinlock with a plain read-modify-write, or with atomic_inc(). The final count must be
 * exact. Also: k_spin_lock() masks interrupts and k_spin_unlock() restores them.
 */
#include <inox/ztest.h>
#include <inox/arch/riscv/csr.h>

#define ROUNDS     100000
#define STACK_SIZE 4096
#define MAX_HARTS  CONFIG_MP_MAX_NUM_CPUS

K_THREAD_STACK_ARRAY_DEFINE(stacks, MAX_HARTS, STACK_SIZE);
static struct k_thread threads[MAX_HARTS];

static struct k_spinlock lock;
static volatile unsigned long locked_counter;
static atomic_t atomic_counter;
static atomic_t arrived;
static atomic_t inside; /* threads inside the spinlock right now */
static atomic_t overlaps;
static unsigned int ran_on[MAX_HARTS];
static bool irqs_on_inside;

/* Waits for the threads on every hart, so that they all hammer the counter at once. */
static void barrier(void)
{
	atomic_inc(&arrived);
	while (atomic_get(&arrived) < (long)arch_num_cpus()) {
	}
}

static void spin_worker(void *p1, void *p2, void *p3)
{
	ran_on[(long)p1] = arch_curr_cpu_id();
	barrier();
	for (int i = 0; i < ROUNDS; i++) {
		k_spinlock_key_t key = k_spin_lock(&lock);

		if (atomic_inc(&inside) != 0) {
			atomic_inc(&overlaps);
		}
		if (csr_read(sstatus) & SSTATUS_SIE) {
			irqs_on_inside = true;
		}
		locked_counter = locked_counter + 1;
		atomic_dec(&inside);
		k_spin_unlock(&lock, key);
	}
}

static void atomic_worker(void *p1, void *p2, void *p3)
{
	ran_on[(long)p1] = arch_curr_cpu_id();
	barrier();
	for (int i = 0; i < ROUNDS; i++) {
		atomic_inc(&atomic_counter);
	}
}

/* Runs fn on a thread pinned to each hart and waits for them all. */
static void run_on_every_hart(k_thread_entry_t fn)
{
	unsigned int n = arch_num_cpus();

	atomic_set(&arrived, 0);
	for (unsigned int i = 0; i < n; i++) {
		ran_on[i] = ~0U;
		k_thread_create(&threads[i], stacks[i], K_THREAD_STACK_SIZEOF(stacks[i]), fn,
				(void *)(long)i, NULL, NULL, 5, 0, K_FOREVER);
		zassert_ok(k_thread_cpu_pin(&threads[i], i));
		k_thread_start(&threads[i]);
	}
	for (unsigned int i = 0; i < n; i++) {
		zassert_ok(k_thread_join(&threads[i], K_SECONDS(30)), "thread on hart %u stuck", i);
		zassert_equal(ran_on[i], i, "thread pinned to hart %u ran on %u", i, ran_on[i]);
	}
}

ZTEST_SUITE(spinlock, NULL, NULL, NULL, NULL, NULL);

ZTEST(spinlock, test_spinlock_counter)
{
	unsigned long expected = (unsigned long)arch_num_cpus() * ROUNDS;

	locked_counter = 0;
	atomic_set(&overlaps, 0);
	irqs_on_inside = false;
	run_on_every_hart(spin_worker);
	zassert_equal(atomic_get(&overlaps), 0, "%ld times two harts held the lock",
		      atomic_get(&overlaps));
	zassert_equal(locked_counter, expected, "counter %lu, expected %lu", locked_counter,
		      expected);
	zassert_false(irqs_on_inside, "interrupts enabled while holding a spinlock");
	zassert_false(k_spin_is_locked(&lock));
}

ZTEST(spinlock, test_atomic_inc_every_hart)
{
	long expected = (long)arch_num_cpus() * ROUNDS;

	atomic_set(&atomic_counter, 0);
	run_on_every_hart(atomic_worker);
	zassert_equal(atomic_get(&atomic_counter), expected, "counter %ld, expected %ld",
		      atomic_get(&atomic_counter), expected);
}

ZTEST(spinlock, test_spinlock_irq_state)
{
	struct k_spinlock l = {0};
	k_spinlock_key_t outer, inner, k;

	zassume_true(csr_read(sstatus) & SSTATUS_SIE, "test runs with interrupts off");
	outer = k_spin_lock(&l);
	zassert_false(csr_read(sstatus) & SSTATUS_SIE, "k_spin_lock left interrupts on");
	zassert_true(k_spin_is_locked(&l));
	zassert_equal(k_spin_trylock(&l, &k), -1, "trylock took a held lock");
	zassert_false(csr_read(sstatus) & SSTATUS_SIE, "failed trylock turned interrupts on");
	k_spin_unlock(&l, outer);
	zassert_true(csr_read(sstatus) & SSTATUS_SIE, "k_spin_unlock did not restore interrupts");

	/* Nested locks: the inner unlock keeps interrupts off, the outer one restores them. */
	outer = k_spin_lock(&l);
	zassert_ok(k_spin_trylock(&lock, &inner), "trylock of a free lock");
	k_spin_unlock(&lock, inner);
	zassert_false(csr_read(sstatus) & SSTATUS_SIE, "inner unlock turned interrupts on");
	k_spin_unlock(&l, outer);
	zassert_true(csr_read(sstatus) & SSTATUS_SIE);
}

ZTEST(spinlock, test_atomic_ops)
{
	atomic_t a = ATOMIC_INIT(5);

	zassert_equal(atomic_add(&a, 3), 5);
	zassert_equal(atomic_sub(&a, 1), 8);
	zassert_equal(atomic_inc(&a), 7);
	zassert_equal(atomic_dec(&a), 8);
	zassert_equal(atomic_or(&a, 0x10), 7);
	zassert_equal(atomic_and(&a, 0x13), 0x17);
	zassert_equal(atomic_swap(&a, 42), 0x13);
	zassert_false(atomic_cas(&a, 41, 1), "cas with a stale value succeeded");
	zassert_true(atomic_cas(&a, 42, 1));
	zassert_equal(atomic_get(&a), 1);
}
