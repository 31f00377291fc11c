/* SPDX-License-Identifier: Apache-2.0 */
#include "sync.h"

#define STACK_SIZE 4096

K_THREAD_STACK_ARRAY_DEFINE(worker_stacks, NUM_WORKERS, STACK_SIZE);
struct k_thread workers[NUM_WORKERS];
atomic_t order_len;
int order[16];

k_tid_t worker_spawn(int n, k_thread_entry_t fn, void *p1, int prio, int cpu)
{
	k_tid_t t = k_thread_create(&workers[n], worker_stacks[n],
				    K_THREAD_STACK_SIZEOF(worker_stacks[n]), fn, p1, NULL, NULL,
				    prio, 0, K_FOREVER);

	zassert_ok(k_thread_cpu_pin(t, cpu), "pinning worker %d to hart %d", n, cpu);
	k_thread_start(t);
	return t;
}

void workers_join(int n)
{
	for (int i = 0; i < n; i++) {
		zassert_ok(k_thread_join(&workers[i], K_SECONDS(10)), "worker %d did not end", i);
	}
}

void order_add(int id)
{
	long i = atomic_inc(&order_len);

	if (i < (long)ARRAY_SIZE(order)) {
		order[i] = id;
	}
}

void order_reset(void)
{
	atomic_set(&order_len, 0);
	memset(order, 0, sizeof(order));
}
