/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System calls, Linux's RISC-V convention: a7 = number, a0..a5 = arguments, a negative
 * errno back in a0. Each call is a verifier (z_vrfy_*: checks every argument, copies what
 * it needs from user memory, may fail) and an implementation (z_impl_* or the subsystem's
 * call) that trusts what it is given. Unknown numbers return -ENOSYS.
 */
#include <limits.h>
#include <string.h>
#include <inox/kernel.h>
#include <inox/syscall_list.h>
#include <inox/uaccess.h>
#include <inox/mm/page.h>
#include <inox/mm/vm.h>
#include <inox/proc/file.h>
#include <inox/proc/proc.h>
#include <inox/proc/timerlat.h>
#include <inox/uapi/memstat.h>
#include <inox/uapi/mman.h>
#include <inox/uapi/proclist.h>
#include <inox/uapi/sched.h>
#include <inox/uapi/time.h>
#include <inox/uapi/timerlat.h>
#include <inox/uapi/utsname.h>
#include <inox/arch/esf.h>

#define ARG(n) arch_esf_syscall_arg(esf, n)

/* -- Files -------------------------------------------------------------------- */

static long z_vrfy_read(struct arch_esf *esf)
{
	struct file *f = fd_file(proc_current(), ARG(0));
	size_t n = ARG(2);

	if (f == NULL) {
		return -EBADF;
	}
	if (!user_range_ok(ARG(1), n)) {
		return -EFAULT;
	}
	return f->ops->read(f, (char *)ARG(1), n);
}

static long z_vrfy_write(struct arch_esf *esf)
{
	struct file *f = fd_file(proc_current(), ARG(0));
	size_t n = ARG(2);

	if (f == NULL) {
		return -EBADF;
	}
	if (!user_range_ok(ARG(1), n)) {
		return -EFAULT;
	}
	return f->ops->write(f, (const char *)ARG(1), n);
}

/* ioctl(fd, request, arg): the console's terminal requests; ENOTTY on anything else. */
static long z_vrfy_ioctl(struct arch_esf *esf)
{
	struct file *f = fd_file(proc_current(), (int)ARG(0));

	if (f == NULL) {
		return -EBADF;
	}
	if (f->ops->ioctl == NULL) {
		return -ENOTTY;
	}
	return f->ops->ioctl(f, (unsigned int)ARG(1), ARG(2));
}

static long z_vrfy_close(struct arch_esf *esf)
{
	return fd_close(proc_current(), ARG(0));
}

static long z_vrfy_dup(struct arch_esf *esf)
{
	return fd_dup(proc_current(), ARG(0));
}

/* dup3(old, new, flags); dup2 is dup3 with flags 0 (and returns new when old == new). */
static long z_vrfy_dup3(struct arch_esf *esf)
{
	if (ARG(2) != 0) {
		return -EINVAL;
	}
	return fd_dup_to(proc_current(), ARG(0), ARG(1));
}

/* pipe2(fds, flags): no flags. */
static long z_vrfy_pipe2(struct arch_esf *esf)
{
	struct proc *p = proc_current();
	int fds[2];
	int ret;

	if (ARG(1) != 0) {
		return -EINVAL;
	}
	if (!user_range_ok(ARG(0), sizeof(fds))) {
		return -EFAULT;
	}
	ret = fd_pipe(p, fds);
	if (ret == 0 && copy_to_user((void *)ARG(0), fds, sizeof(fds)) != 0) {
		fd_close(p, fds[0]);
		fd_close(p, fds[1]);
		ret = -EFAULT;
	}
	return ret;
}

/* -- Processes ---------------------------------------------------------------- */

static long z_vrfy_exit(struct arch_esf *esf)
{
	proc_exit(W_EXITCODE(ARG(0)));
}

/* WNOHANG, WUNTRACED, WCONTINUED, and Linux's __WNOTHREAD, __WALL, __WCLONE (no threads:
 * nothing to choose between). */
#define WAIT4_OPTIONS (1UL | 2UL | 8UL | 0xe0000000UL)

/* wait4(pid, status, options, rusage): pid > 0 that child, -1 any, 0 one of the caller's
 * group, < -1 one of group -pid; rusage must be NULL. */
static long z_vrfy_wait4(struct arch_esf *esf)
{
	int pid = (int)ARG(0);
	int status = 0;
	long ret;

	if ((ARG(2) & ~WAIT4_OPTIONS) != 0 || ARG(3) != 0) {
		return -EINVAL;
	}
	if (pid == INT_MIN) {
		return -ESRCH; /* Linux: -INT_MIN names no group */
	}
	if (ARG(1) != 0 && !user_range_ok(ARG(1), sizeof(int))) {
		return -EFAULT;
	}
	ret = proc_wait(pid, &status, ARG(2));
	if (ret > 0 && ARG(1) != 0 && copy_to_user((void *)ARG(1), &status, sizeof(status)) != 0) {
		return -EFAULT;
	}
	return ret;
}

static long z_vrfy_setpgid(struct arch_esf *esf)
{
	return proc_setpgid((int)ARG(0), (int)ARG(1));
}

static long z_vrfy_getpgid(struct arch_esf *esf)
{
	return proc_getpgid((int)ARG(0));
}

static long z_vrfy_getsid(struct arch_esf *esf)
{
	return proc_getsid((int)ARG(0));
}

static long z_vrfy_setsid(struct arch_esf *esf)
{
	return proc_setsid();
}

/* clone(flags, stack, ...): only fork's form, flags = SIGCHLD and no new stack. */
static long z_vrfy_clone(struct arch_esf *esf)
{
	if (ARG(0) != SIGCHLD || ARG(1) != 0) {
		return -EINVAL;
	}
	return proc_fork(esf);
}

#define EXEC_MAX_ARGS 64

/* Copies a NULL-terminated user vector of strings into buf (pointers first, then the
 * strings). 0, -EFAULT, -E2BIG. */
static long copy_vector(uintptr_t uvec, char *buf, size_t size, char ***out)
{
	char **vec = (char **)buf;
	char *str = buf + (EXEC_MAX_ARGS + 1) * sizeof(char *);
	char *end = buf + size;
	size_t n = 0;

	*out = vec;
	if (uvec == 0) {
		vec[0] = NULL;
		return 0;
	}
	for (;; n++) {
		uintptr_t uptr;
		long len;

		if (n == EXEC_MAX_ARGS) {
			return -E2BIG;
		}
		if (copy_from_user(&uptr, (void *)(uvec + n * sizeof(uintptr_t)), sizeof(uptr))) {
			return -EFAULT;
		}
		if (uptr == 0) {
			break;
		}
		len = strncpy_from_user(str, (const char *)uptr, end - str);
		if (len < 0) {
			return len == -ENAMETOOLONG ? -E2BIG : len;
		}
		vec[n] = str;
		str += len + 1;
	}
	vec[n] = NULL;
	return 0;
}

static long z_vrfy_execve(struct arch_esf *esf)
{
	struct page *pg = page_alloc();
	char path[64];
	char *buf;
	char **argv;
	char **envp;
	long ret;

	if (pg == NULL) {
		return -ENOMEM;
	}
	buf = page_to_virt(pg);
	ret = strncpy_from_user(path, (const char *)ARG(0), sizeof(path));
	if (ret >= 0) {
		ret = copy_vector(ARG(1), buf, PAGE_SIZE / 2, &argv);
	}
	if (ret >= 0) {
		ret = copy_vector(ARG(2), buf + PAGE_SIZE / 2, PAGE_SIZE / 2, &envp);
	}
	if (ret >= 0) {
		ret = proc_exec(esf, path, argv, envp);
	}
	page_ref_put(pg);
	return ret;
}

/* -- Memory --------------------------------------------------------------------- */

static long z_vrfy_brk(struct arch_esf *esf)
{
	return vm_brk(proc_current()->vm, ARG(0));
}

/* VM_* permissions of PROT_* bits (already checked). PROT_WRITE implies read, as Linux
 * maps it on RISC-V, which has no write-only pages; PROT_EXEC alone stays execute-only. */
static unsigned int prot_to_vm(unsigned long prot)
{
	return ((prot & (PROT_READ | PROT_WRITE)) ? VM_READ : 0) |
	       ((prot & PROT_WRITE) ? VM_WRITE : 0) | ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

/* Whether prot is PROT_* bits only, and never writable and executable at once (W^X). */
static bool prot_ok(unsigned long prot)
{
	return (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) == 0 &&
	       (prot & (PROT_WRITE | PROT_EXEC)) != (PROT_WRITE | PROT_EXEC);
}

/* The flags Linux knew before MAP_SHARED_VALIDATE (its LEGACY_MAP_MASK): the only ones that
 * mapping type accepts. */
#define MAP_LEGACY_FLAGS                                                                           \
	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE |   \
	 MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |           \
	 MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

/*
 * mmap(addr, len, prot, flags, fd, off): anonymous memory, private or shared, in Linux's order
 * of checks: an offset that is not page-aligned (EINVAL), a closed fd without MAP_ANONYMOUS
 * (EBADF), len 0 (EINVAL), the type (EINVAL unless private, shared or shared-validate, the
 * last refusing unknown flags with EOPNOTSUPP), then an open fd without MAP_ANONYMOUS (ENODEV:
 * no file can be mapped). With MAP_ANONYMOUS, fd and offset are ignored, as on Linux. Inox
 * adds EINVAL for MAP_FIXED and for a writable and executable prot.
 */
static long z_vrfy_mmap(struct arch_esf *esf)
{
	unsigned long prot = ARG(2);
	unsigned long flags = ARG(3);
	bool shared;

	if (!IS_ALIGNED(ARG(5), PAGE_SIZE)) {
		return -EINVAL;
	}
	/* Linux's fd is an unsigned int: the high 32 bits of the argument are ignored. */
	if (!(flags & MAP_ANONYMOUS) && fd_file(proc_current(), (unsigned int)ARG(4)) == NULL) {
		return -EBADF;
	}
	if (ARG(1) == 0) {
		return -EINVAL;
	}
	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (flags & ~MAP_LEGACY_FLAGS) {
			return -EOPNOTSUPP;
		}
		shared = true;
		break;
	case MAP_SHARED:
		shared = true;
		break;
	case MAP_PRIVATE:
		shared = false;
		break;
	default:
		return -EINVAL;
	}
	if (!(flags & MAP_ANONYMOUS)) {
		return -ENODEV;
	}
	if ((flags & MAP_FIXED) || !prot_ok(prot)) {
		return -EINVAL;
	}
	/* MAP_NORESERVE: not charged, except under strict accounting, which ignores it (Linux). */
	return vm_mmap(proc_current()->vm, ARG(0), ARG(1), prot_to_vm(prot),
		       (shared ? VM_REGION_SHARED : 0) |
			       ((flags & MAP_NORESERVE) && !IS_ENABLED(CONFIG_MM_OVERCOMMIT_NEVER) ?
					VM_REGION_NORESERVE :
					0));
}

static long z_vrfy_munmap(struct arch_esf *esf)
{
	uintptr_t addr = ARG(0);
	size_t len = ROUND_UP(ARG(1), PAGE_SIZE);

	if (!IS_ALIGNED(addr, PAGE_SIZE) || len == 0 || !user_range_ok(addr, len)) {
		return -EINVAL;
	}
	return vm_unmap(proc_current()->vm, addr, addr + len);
}

/* mprotect(addr, len, prot): never writable and executable at once. */
static long z_vrfy_mprotect(struct arch_esf *esf)
{
	uintptr_t addr = ARG(0);
	size_t len = ROUND_UP(ARG(1), PAGE_SIZE);
	unsigned long prot = ARG(2);

	if (!IS_ALIGNED(addr, PAGE_SIZE) || !user_range_ok(addr, len) || !prot_ok(prot)) {
		return -EINVAL;
	}
	if (len == 0) {
		return 0;
	}
	return vm_protect(proc_current()->vm, addr, addr + len, prot_to_vm(prot));
}

static long z_vrfy_inox_memstat(struct arch_esf *esf)
{
	struct inox_memstat st = {
		.cow_faults = vm_stats.cow_faults,
		.cow_copies = vm_stats.cow_copies,
		.cow_reuses = vm_stats.cow_reuses,
		.pages_shared_at_fork = vm_stats.pages_shared_at_fork,
		.pages_copied_at_fork = vm_stats.pages_copied_at_fork,
		.page_table_pages = vm_stats.page_table_pages,
		.free_pages = mm_free_pages(),
		.total_pages = mm_total_pages(),
		.shared_pages = mm_shared_pages(),
		.committed_pages = vm_committed_pages(),
		.commit_limit_pages = vm_commit_limit(),
		.overcommit_mode = IS_ENABLED(CONFIG_MM_OVERCOMMIT_ALWAYS) ?
					   INOX_OVERCOMMIT_ALWAYS :
				   IS_ENABLED(CONFIG_MM_OVERCOMMIT_NEVER) ? INOX_OVERCOMMIT_NEVER :
									    INOX_OVERCOMMIT_GUESS,
		.icache_syncs = vm_stats.icache_syncs,
		.tables_shared_at_fork = vm_stats.tables_shared_at_fork,
		.table_copies = vm_stats.table_copies,
		.table_reuses = vm_stats.table_reuses,
		.zero_page_maps = vm_zero_page_maps(),
		.zero_page_faults = vm_stats.zero_page_faults,
		.zero_page_breaks = vm_stats.zero_page_breaks,
	};

	return copy_to_user((void *)ARG(0), &st, sizeof(st));
}

/* -- Time and the rest -------------------------------------------------------------- */

#define NSEC_PER_SEC 1000000000LL

/* Every clock is the time CSR since boot: none can be set, so CLOCK_REALTIME is the same. */
static bool clock_known(int clock_id)
{
	return clock_id == CLOCK_REALTIME || clock_id == CLOCK_MONOTONIC ||
	       clock_id == CLOCK_BOOTTIME;
}

static struct inox_timespec ns_to_timespec(uint64_t ns)
{
	return (struct inox_timespec){.tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC};
}

/*
 * Sleeps until the time CSR reaches the cycle that ts names (abs: a point on the clock; else
 * a duration from now), never earlier. 0 when it has, or -EINTR (a kill) with the time left
 * in *left. A deadline beyond what the clock can count (Linux's 292 years) is forever.
 */
static long z_impl_clock_nanosleep(const struct inox_timespec *ts, bool abs, uint64_t *left)
{
	uint64_t now = k_cycle_get_64();
	uint64_t cyc =
		k_ns_to_cyc_ceil64(ts->tv_sec > INT64_MAX / NSEC_PER_SEC ?
					   UINT64_MAX :
					   (uint64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec);
	uint64_t deadline = abs ? cyc : (cyc > INT64_MAX - now ? UINT64_MAX : now + cyc);
	long ret;

	ret = k_sleep_interruptible(deadline >= INT64_MAX / 2 ? K_FOREVER :
								K_TIMEOUT_ABS_CYC(deadline));
	now = k_cycle_get_64();
	*left = deadline > now ? deadline - now : 0;
	return ret;
}

/* Checks a timespec a sleep was given: 0, -EFAULT, -EINVAL. */
static long timespec_from_user(struct inox_timespec *ts, uintptr_t uts)
{
	if (copy_from_user(ts, (void *)uts, sizeof(*ts)) != 0) {
		return -EFAULT;
	}
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC) {
		return -EINVAL;
	}
	return 0;
}

/* clock_nanosleep(clock, flags, req, rem): rem gets the time left of an interrupted
 * relative sleep (and is not touched otherwise), as Linux. */
static long sleep_common(int clock_id, int flags, uintptr_t ureq, uintptr_t urem)
{
	bool abs = (flags & TIMER_ABSTIME) != 0;
	struct inox_timespec ts;
	uint64_t left;
	long ret;

	if (!clock_known(clock_id)) {
		return -EINVAL;
	}
	ret = timespec_from_user(&ts, ureq);
	if (ret != 0) {
		return ret;
	}
	ret = z_impl_clock_nanosleep(&ts, abs, &left);
	if (ret == -EINTR && !abs && urem != 0) {
		struct inox_timespec rem = ns_to_timespec(k_cyc_to_ns_floor64(left));

		if (copy_to_user((void *)urem, &rem, sizeof(rem)) != 0) {
			return -EFAULT;
		}
	}
	return ret;
}

static long z_vrfy_nanosleep(struct arch_esf *esf)
{
	return sleep_common(CLOCK_MONOTONIC, 0, ARG(0), ARG(1));
}

static long z_vrfy_clock_nanosleep(struct arch_esf *esf)
{
	return sleep_common((int)ARG(0), (int)ARG(1), ARG(2), ARG(3));
}

static long z_vrfy_clock_gettime(struct arch_esf *esf)
{
	struct inox_timespec ts = ns_to_timespec(k_cyc_to_ns_floor64(k_cycle_get_64()));

	if (!clock_known((int)ARG(0))) {
		return -EINVAL;
	}
	return copy_to_user((void *)ARG(1), &ts, sizeof(ts));
}

/* The clocks count the time CSR: one cycle, rounded up to a ns. */
static long z_vrfy_clock_getres(struct arch_esf *esf)
{
	struct inox_timespec ts = ns_to_timespec((NSEC_PER_SEC + SYS_CLOCK_HW_CYCLES_PER_SEC - 1) /
						 SYS_CLOCK_HW_CYCLES_PER_SEC);

	if (!clock_known((int)ARG(0))) {
		return -EINVAL;
	}
	if (ARG(1) == 0) {
		return 0;
	}
	return copy_to_user((void *)ARG(1), &ts, sizeof(ts));
}

/* -- Scheduling policies: Linux's calls, mapped onto thread priorities (proc.c) -------- */

static long sched_param_from_user(struct inox_sched_param *param, uintptr_t uparam)
{
	if (uparam == 0) {
		return -EINVAL;
	}
	return copy_from_user(param, (void *)uparam, sizeof(*param)) != 0 ? -EFAULT : 0;
}

static long z_vrfy_sched_setscheduler(struct arch_esf *esf)
{
	int pid = (int)ARG(0);
	int policy = (int)ARG(1);
	bool reset = (policy & SCHED_RESET_ON_FORK) != 0;
	struct inox_sched_param param;
	long ret;

	policy &= ~SCHED_RESET_ON_FORK;
	if (pid < 0 || policy < 0) {
		return -EINVAL;
	}
	ret = sched_param_from_user(&param, ARG(2));
	if (ret == 0) {
		ret = proc_sched_check(policy, param.sched_priority);
	}
	return ret != 0 ? ret : proc_sched_set(pid, policy, param.sched_priority, reset);
}

static long z_vrfy_sched_setparam(struct arch_esf *esf)
{
	int pid = (int)ARG(0);
	struct inox_sched_param param;
	int policy;
	int prio;
	long ret;

	if (pid < 0) {
		return -EINVAL;
	}
	ret = sched_param_from_user(&param, ARG(1));
	if (ret == 0) {
		ret = proc_sched_get(pid, &policy, &prio);
	}
	if (ret == 0) {
		ret = proc_sched_check(policy & ~SCHED_RESET_ON_FORK, param.sched_priority);
	}
	return ret != 0 ? ret : proc_sched_set(pid, -1, param.sched_priority, false);
}

/* The policy and priority of the process a system call names (argument 0, an int; 0: the
 * caller): 0, -EINVAL (a negative pid), -ESRCH. */
static long sched_of_arg(struct arch_esf *esf, int *policy, int *prio)
{
	int pid = (int)ARG(0);

	return pid < 0 ? -EINVAL : proc_sched_get(pid, policy, prio);
}

static long z_vrfy_sched_getscheduler(struct arch_esf *esf)
{
	int policy;
	int prio;
	long ret = sched_of_arg(esf, &policy, &prio);

	return ret != 0 ? ret : policy;
}

static long z_vrfy_sched_getparam(struct arch_esf *esf)
{
	struct inox_sched_param param;
	int policy;
	long ret;

	if (ARG(1) == 0) {
		return -EINVAL;
	}
	ret = sched_of_arg(esf, &policy, &param.sched_priority);
	if (ret != 0) {
		return ret;
	}
	return copy_to_user((void *)ARG(1), &param, sizeof(param));
}

static long z_vrfy_sched_get_priority_max(struct arch_esf *esf)
{
	int policy = (int)ARG(0);

	if (proc_sched_check(policy, INOX_SCHED_RT_PRIO_MAX) == 0) {
		return INOX_SCHED_RT_PRIO_MAX;
	}
	return proc_sched_check(policy, 0);
}

static long z_vrfy_sched_get_priority_min(struct arch_esf *esf)
{
	int policy = (int)ARG(0);

	if (proc_sched_check(policy, INOX_SCHED_RT_PRIO_MIN) == 0) {
		return INOX_SCHED_RT_PRIO_MIN;
	}
	return proc_sched_check(policy, 0);
}

/* The time slice of SCHED_RR and SCHED_OTHER processes; 0 for SCHED_FIFO. */
static long z_vrfy_sched_rr_get_interval(struct arch_esf *esf)
{
	struct inox_timespec ts = {0};
	int policy;
	int prio;
	long ret = sched_of_arg(esf, &policy, &prio);

	if (ret != 0) {
		return ret;
	}
	if ((policy & ~SCHED_RESET_ON_FORK) != SCHED_FIFO && IS_ENABLED(CONFIG_TIMESLICING)) {
		ts = ns_to_timespec((uint64_t)CONFIG_TIMESLICE_SIZE * 1000000);
	}
	return copy_to_user((void *)ARG(1), &ts, sizeof(ts));
}

/*
 * sched_getaffinity(pid, len, mask): Inox runs a process on any online hart, so the mask is
 * every online hart, as Linux's for a process nobody pinned. Linux's checks in its order:
 * -EINVAL for a len too short for the harts the kernel can have or not a whole number of
 * longs, -ESRCH, then -EFAULT. Returns the bytes written (one long).
 */
static long z_vrfy_sched_getaffinity(struct arch_esf *esf)
{
	int pid = (int)ARG(0);
	size_t len = (size_t)ARG(1);
	unsigned long mask = 0;
	int policy;
	int prio;

	BUILD_ASSERT(CONFIG_MP_MAX_NUM_CPUS <= 8 * sizeof(mask), "one long holds every hart");
	if (len * 8 < CONFIG_MP_MAX_NUM_CPUS || len % sizeof(mask) != 0) {
		return -EINVAL;
	}
	if (pid < 0 || proc_sched_get(pid, &policy, &prio) != 0) {
		return -ESRCH;
	}
	for (unsigned int i = 0; i < arch_num_cpus(); i++) {
		mask |= 1UL << i;
	}
	if (copy_to_user((void *)ARG(2), &mask, sizeof(mask)) != 0) {
		return -EFAULT;
	}
	return sizeof(mask);
}

static long z_vrfy_sched_yield(struct arch_esf *esf)
{
	k_yield();
	return 0;
}

static long z_vrfy_getpid(struct arch_esf *esf)
{
	return proc_current()->pid;
}

static long z_vrfy_getppid(struct arch_esf *esf)
{
	struct proc *parent = proc_current()->parent;

	return parent != NULL ? parent->pid : 0;
}

static long z_vrfy_uname(struct arch_esf *esf)
{
	static const struct utsname uts = {
		.sysname = "Inox",
		.nodename = CONFIG_BOARD_TARGET,
		.release = INOX_VERSION_STRING,
		.version = "Inox " INOX_VERSION_STRING,
		.machine = "riscv64",
	};

	return copy_to_user((void *)ARG(0), &uts, sizeof(uts));
}

/* inox_ps(records, n): fills up to n records; returns how many processes exist. */
static long z_vrfy_inox_ps(struct arch_esf *esf)
{
	struct inox_procinfo info;
	long n = ARG(1);
	long count = 0;

	if (n < 0 || (n > 0 && !user_range_ok(ARG(0), n * sizeof(info)))) {
		return -EFAULT;
	}
	for (int i = 0;; i++) {
		int ret = proc_info(i, &info);

		if (ret < 0) {
			break;
		}
		if (ret == 0) {
			continue;
		}
		if (count < n && copy_to_user((struct inox_procinfo *)ARG(0) + count, &info,
					      sizeof(info)) != 0) {
			return -EFAULT;
		}
		count++;
	}
	return count;
}

/* inox_fork_mode(mode): COW or eager copying for this process's forks (and its children's),
 * to compare the two in one run; the default is COW when CONFIG_MM_COW=y. */
static long z_vrfy_inox_fork_mode(struct arch_esf *esf)
{
	struct proc *p = proc_current();
	long old = (p->fork_eager || !IS_ENABLED(CONFIG_MM_COW)) ? INOX_FORK_EAGER : INOX_FORK_COW;

	switch (ARG(0)) {
	case INOX_FORK_QUERY:
		break;
	case INOX_FORK_COW:
		if (!IS_ENABLED(CONFIG_MM_COW)) {
			return -ENOTSUP;
		}
		p->fork_eager = false;
		break;
	case INOX_FORK_EAGER:
		p->fork_eager = true;
		break;
	default:
		return -EINVAL;
	}
	return old;
}

/* inox_timerlat(req): the kernel thread's wake-up latencies (CONFIG_TIMERLAT). */
static long z_vrfy_inox_timerlat(struct arch_esf *esf)
{
	struct inox_timerlat req;

	if (!IS_ENABLED(CONFIG_TIMERLAT)) {
		return -ENOSYS;
	}
	if (copy_from_user(&req, (void *)ARG(0), sizeof(req)) != 0) {
		return -EFAULT;
	}
	return timerlat_run(req.interval_us, req.loops, req.samples_ns);
}

typedef long (*syscall_fn)(struct arch_esf *esf);

static const syscall_fn syscalls[] = {
	[SYS_read] = z_vrfy_read,
	[SYS_write] = z_vrfy_write,
	[SYS_ioctl] = z_vrfy_ioctl,
	[SYS_close] = z_vrfy_close,
	[SYS_dup] = z_vrfy_dup,
	[SYS_dup3] = z_vrfy_dup3,
	[SYS_pipe2] = z_vrfy_pipe2,
	[SYS_exit] = z_vrfy_exit,
	[SYS_exit_group] = z_vrfy_exit,
	[SYS_wait4] = z_vrfy_wait4,
	[SYS_kill] = z_vrfy_kill,
	[SYS_tkill] = z_vrfy_tkill,
	[SYS_tgkill] = z_vrfy_tgkill,
	[SYS_rt_sigsuspend] = z_vrfy_rt_sigsuspend,
	[SYS_rt_sigaction] = z_vrfy_rt_sigaction,
	[SYS_rt_sigprocmask] = z_vrfy_rt_sigprocmask,
	[SYS_rt_sigpending] = z_vrfy_rt_sigpending,
	[SYS_rt_sigreturn] = z_vrfy_rt_sigreturn,
	[SYS_setitimer] = z_vrfy_setitimer,
	[SYS_setpgid] = z_vrfy_setpgid,
	[SYS_getpgid] = z_vrfy_getpgid,
	[SYS_getsid] = z_vrfy_getsid,
	[SYS_setsid] = z_vrfy_setsid,
	[SYS_getpid] = z_vrfy_getpid,
	[SYS_getppid] = z_vrfy_getppid,
	[SYS_brk] = z_vrfy_brk,
	[SYS_munmap] = z_vrfy_munmap,
	[SYS_clone] = z_vrfy_clone,
	[SYS_execve] = z_vrfy_execve,
	[SYS_mmap] = z_vrfy_mmap,
	[SYS_mprotect] = z_vrfy_mprotect,
	[SYS_nanosleep] = z_vrfy_nanosleep,
	[SYS_clock_gettime] = z_vrfy_clock_gettime,
	[SYS_clock_getres] = z_vrfy_clock_getres,
	[SYS_clock_nanosleep] = z_vrfy_clock_nanosleep,
	[SYS_sched_setparam] = z_vrfy_sched_setparam,
	[SYS_sched_setscheduler] = z_vrfy_sched_setscheduler,
	[SYS_sched_getscheduler] = z_vrfy_sched_getscheduler,
	[SYS_sched_getparam] = z_vrfy_sched_getparam,
	[SYS_sched_get_priority_max] = z_vrfy_sched_get_priority_max,
	[SYS_sched_get_priority_min] = z_vrfy_sched_get_priority_min,
	[SYS_sched_rr_get_interval] = z_vrfy_sched_rr_get_interval,
	[SYS_sched_getaffinity] = z_vrfy_sched_getaffinity,
	[SYS_sched_yield] = z_vrfy_sched_yield,
	[SYS_uname] = z_vrfy_uname,
	[SYS_inox_memstat] = z_vrfy_inox_memstat,
	[SYS_inox_ps] = z_vrfy_inox_ps,
	[SYS_inox_fork_mode] = z_vrfy_inox_fork_mode,
	[SYS_inox_timerlat] = z_vrfy_inox_timerlat,
};

long syscall_dispatch(unsigned long nr, struct arch_esf *esf)
{
	if (nr >= ARRAY_SIZE(syscalls) || syscalls[nr] == NULL) {
		return -ENOSYS;
	}
	/* The slow calls a signal handler may interrupt and SA_RESTART restart. */
	return signal_syscall_done(esf, nr == SYS_read || nr == SYS_write || nr == SYS_wait4,
				   syscalls[nr](esf));
}
