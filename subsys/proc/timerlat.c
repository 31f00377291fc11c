/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The timerlat sampler (CONFIG_TIMERLAT): a kernel thread of the highest priority, pinned to
 * the boot hart, that wakes at absolute deadlines and records how late it ran. Its samples
 * go to a static buffer, then to the calling process (<inox/uapi/timerlat.h>). One run at a
 * time: a second caller waits for the first.
 */
#include <inox/kernel.h>
#include <inox/init.h>
#include <inox/uaccess.h>
#include <inox/proc/timerlat.h>

#define STACK_SIZE 4096

K_THREAD_STACK_DEFINE(timerlat_stack, STACK_SIZE);
static struct k_thread timerlat_thread;
static K_MUTEX_DEFINE(timerlat_lock);
static K_SEM_DEFINE(timerlat_start, 0, 1);
static K_SEM_DEFINE(timerlat_done, 0, 1);
static uint32_t samples[CONFIG_TIMERLAT_MAX_SAMPLES];

static struct {
	uint64_t interval_cyc;
	uint32_t loops;
	bool stop; /* the caller was killed: end the run early */
} run;

/* Sleeps to each deadline and records the lateness; skips deadlines already missed, as
 * cyclictest does, so one long stall counts once. */
static void timerlat_sample(void *p1, void *p2, void *p3)
{
	for (;;) {
		uint64_t next;

		k_sem_take(&timerlat_start, K_FOREVER);
		next = k_cycle_get_64() + run.interval_cyc;
		for (uint32_t i = 0; i < run.loops && !__atomic_load_n(&run.stop, __ATOMIC_RELAXED);
		     i++) {
			uint64_t now;

			k_sleep(K_TIMEOUT_ABS_CYC(next));
			now = k_cycle_get_64();
			samples[i] = (uint32_t)MIN(k_cyc_to_ns_floor64(now - next), UINT32_MAX);
			do {
				next += run.interval_cyc;
			} while (next <= now);
		}
		k_sem_give(&timerlat_done);
	}
}

long timerlat_run(uint32_t interval_us, uint32_t loops, uint32_t *usamples)
{
	long ret;

	if (interval_us == 0 || interval_us > 1000000 || loops == 0 ||
	    loops > CONFIG_TIMERLAT_MAX_SAMPLES) {
		return -EINVAL;
	}
	if (!user_range_ok((uintptr_t)usamples, loops * sizeof(uint32_t))) {
		return -EFAULT;
	}
	k_mutex_lock(&timerlat_lock, K_FOREVER);
	run.interval_cyc = (uint64_t)interval_us * SYS_CLOCK_HW_CYCLES_PER_SEC / 1000000;
	run.loops = loops;
	run.stop = false;
	k_sem_give(&timerlat_start);
	if (k_sem_take_interruptible(&timerlat_done, K_FOREVER) != 0) {
		/* Killed: the thread stops at its next wake; the buffer is free once it has. */
		__atomic_store_n(&run.stop, true, __ATOMIC_RELAXED);
		k_sem_take(&timerlat_done, K_FOREVER);
		k_mutex_unlock(&timerlat_lock);
		return -EINTR;
	}
	ret = copy_to_user(usamples, samples, loops * sizeof(uint32_t));
	k_mutex_unlock(&timerlat_lock);
	return ret;
}

static int timerlat_init(void)
{
	k_thread_create(&timerlat_thread, timerlat_stack, K_THREAD_STACK_SIZEOF(timerlat_stack),
			timerlat_sample, NULL, NULL, NULL, K_HIGHEST_THREAD_PRIO, 0, K_FOREVER);
	k_thread_name_set(&timerlat_thread, "timerlat");
	k_thread_cpu_pin(&timerlat_thread, 0);
	k_thread_start(&timerlat_thread);
	return 0;
}

SYS_INIT(timerlat_init, APPLICATION, 0);
