/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Wake-up latency of a kernel thread while user processes fork (and ask for other long
 * walks of their address space).
 *
 * A thread of the highest priority sleeps one tick at a time and measures how late it woke:
 * a sleep started in tick t ends at the boundary of tick t + 2 (k_sleep() rounds up, see
 * kernel/timeout.c), and the thread should run right after it. Anything that keeps
 * interrupts off on the boot hart (which fires timeouts) makes it late by as long.
 *
 * Each sample is put in a kind by what the memory counters say happened meanwhile: pages
 * copied at fork (an eager fork ran), else pages shared at fork (a COW fork), else other
 * (init idle, or asking for munmap/mprotect of huge ranges).
 * After SAMPLES samples the thread prints, per kind:
 *
 *   latency kind=eager_fork samples=N max_ns=X mean_ns=Y
 *
 * The init program (user/init.c) forks for about a second in each mode, sweeps huge ranges
 * for a second, then idles until the sampler is done.
 *
 * The scenario runs QEMU with -icount shift=0 (CMakeLists.txt), where a guest nanosecond is
 * one instruction, so the figures are the same on every run. The sampler checks that first
 * (a loop of known length), and then that no sample was later than BOUND_NS: a fork that
 * kept interrupts off for its whole walk (5.7 ms for an eager fork of 16 MiB), or a munmap
 * that walked 64 GiB page by page, fails. Without -icount the figures are host time and no
 * bound is checked.
 */
#include <inox/kernel.h>
#include <inox/init.h>
#include <inox/mm/vm.h>

#define SAMPLES      300 /* a tick or two each: 3 to 6 s of guest time at 100 Hz */
#define BOUND_NS     100000 /* under -icount: 100,000 instructions */
#define STACK_SIZE   4096
#define CYC_PER_TICK (SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC)

enum kind {
	OTHER,
	COW_FORK,
	EAGER_FORK,
	KINDS
};

static const char *const kind_names[KINDS] = {"other", "cow_fork", "eager_fork"};

struct figures {
	unsigned long samples;
	uint64_t max_ns;
	uint64_t sum_ns;
};

K_THREAD_STACK_DEFINE(sampler_stack, STACK_SIZE);
static struct k_thread sampler;

static void sample_all(void *p1, void *p2, void *p3)
{
	struct figures fig[KINDS] = {0};
	bool icount = sys_clock_counts_instructions();

	for (int i = 0; i < SAMPLES; i++) {
		unsigned long shared = vm_stats.pages_shared_at_fork;
		unsigned long copied = vm_stats.pages_copied_at_fork;
		uint64_t due = ((uint64_t)k_uptime_ticks() + 2) * CYC_PER_TICK;
		uint64_t now;
		uint64_t late;
		enum kind kind;

		k_sleep(K_TICKS(1));
		now = k_cycle_get_64();
		late = now > due ? k_cyc_to_ns_floor64(now - due) : 0;
		kind = vm_stats.pages_copied_at_fork != copied ? EAGER_FORK :
		       vm_stats.pages_shared_at_fork != shared ? COW_FORK :
								 OTHER;
		fig[kind].samples++;
		fig[kind].sum_ns += late;
		fig[kind].max_ns = MAX(fig[kind].max_ns, late);
	}
	for (int k = 0; k < KINDS; k++) {
		printk("latency kind=%s samples=%lu max_ns=%llu mean_ns=%llu\n", kind_names[k],
		       fig[k].samples, (unsigned long long)fig[k].max_ns,
		       (unsigned long long)(fig[k].samples ? fig[k].sum_ns / fig[k].samples : 0));
	}
	if (!icount) {
		printk("fork_latency: no -icount (figures are host time): bound not checked\n");
	} else if (fig[COW_FORK].samples == 0 || fig[EAGER_FORK].samples == 0) {
		printk("fork_latency: FAIL: no sample fell in a fork\n");
	} else {
		uint64_t worst =
			MAX(fig[OTHER].max_ns, MAX(fig[COW_FORK].max_ns, fig[EAGER_FORK].max_ns));

		if (worst > BOUND_NS) {
			printk("fork_latency: FAIL: woke %llu ns late, bound %d\n",
			       (unsigned long long)worst, BOUND_NS);
		} else {
			printk("fork_latency: every wake within %d instructions\n", BOUND_NS);
		}
	}
	printk("fork_latency: done\n");
}

static int sampler_init(void)
{
	k_thread_create(&sampler, sampler_stack, K_THREAD_STACK_SIZEOF(sampler_stack), sample_all,
			NULL, NULL, NULL, K_HIGHEST_THREAD_PRIO, 0, K_FOREVER);
	k_thread_name_set(&sampler, "sampler");
	k_thread_cpu_pin(&sampler, 0);
	k_thread_start(&sampler);
	return 0;
}

SYS_INIT(sampler_init, APPLICATION, 0);
