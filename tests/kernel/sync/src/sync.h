/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the semaphore, mutex and contention tests: a pool of worker threads. */
#ifndef SYNC_TEST_H_
#define SYNC_TEST_H_

#include <inox/ztest.h>

#define NUM_WORKERS 4

extern struct k_thread workers[NUM_WORKERS];

/* Starts worker n: fn(p1, NULL, NULL) at prio, pinned to hart `cpu` (-1: any). Test thread only. */
k_tid_t worker_spawn(int n, k_thread_entry_t fn, void *p1, int prio, int cpu);

/* Joins workers 0..n-1; each must end within 10 s. Test thread only. */
void workers_join(int n);

/* Order in which workers reached a point. order_reset() empties it. */
extern atomic_t order_len;
extern int order[16];
void order_add(int id);
void order_reset(void);

#endif /* SYNC_TEST_H_ */
