/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Syscall fuzzer: random system call numbers with random arguments drawn from a pool of
 * nasty values (wild and kernel pointers, huge and negative lengths, bad fds and flags, every
 * boundary: 0, 1, -1, INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, a page and a byte either side),
 * and any of them, or a small number, with garbage in the high 32 bits or cut to 32 bits (an
 * int argument from a caller that left the upper half of the register dirty, or clean),
 * FUZZ_CALLS calls in all, from a sequence of child processes (a child may well unmap its
 * own code or stack; it dies and the next one goes on with the sequence). The seed is
 * printed and can be changed with FUZZ_SEED. Passes when every call returned (the kernel
 * answered), no kernel fatal error happened (the runner would see it), and the free pages
 * are back once the children are reaped.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <inox/check.h>
#include <inox/syscall_list.h>

#ifndef FUZZ_CALLS
#define FUZZ_CALLS 1000000
#endif
#ifndef FUZZ_SEED
#define FUZZ_SEED 0x1d0c5eed
#endif
#define CALLS_PER_CHILD 20000
/* A child that has not finished its calls in this much time (guest ns) is killed: a fuzzed
 * call may leave it spinning in user mode for good (it jumped into its own data, say), which
 * is the process's business, not a kernel failure. */
#define CHILD_TIME_NS 20000000000ULL

static uint64_t rng_state;

static uint64_t rng(void)
{
	return xorshift64s(&rng_state);
}

static char buffer[8192];

static unsigned long wild(void)
{
	static const unsigned long pool[] = {
		0,
		1,
		2,
		3,
		16,
		4095,
		4096,
		4097,
		-1UL,
		0x7fffffffffffffffUL, /* LONG_MAX */
		0xffffffff80000000UL, /* INT_MIN, sign-extended */
		-4095UL, /* the last errno value a call can return */
		-4096UL,
		0x100000000UL,
		-2UL,
		0x7fffffffUL,
		0x80000000UL,
		0xffffffffUL,
		0x4000000000UL,
		0x3ffffff000UL,
		0xffffffc000000000UL,
		0xffffffff80200000UL,
		0xffffffffffff0000UL,
		0x10000,
		0x1000,
		0x2000000000UL,
		1UL << 63, /* LONG_MIN */
	};
	switch (rng() % 8) {
	case 0:
		return (uintptr_t)buffer + (rng() % sizeof(buffer));
	case 1:
		return (uintptr_t)&rng_state;
	case 2:
		return rng();
	case 3:
		return rng() % 64;
	case 6:
		/* A small value or a boundary with garbage above bit 31: what an int argument
		 * looks like when the caller left the upper half of the register dirty. */
		return ((rng() & 1) ? rng() % 64 : pool[rng() % (sizeof(pool) / sizeof(pool[0]))]) ^
		       ((rng() | 1) << 32);
	case 7:
		/* The same value sign- or zero-extended the other way: 0xffffffff (-1 as an int
		 * seen unsigned), 0x7fffffff (INT_MAX) and their neighbours. */
		return (uint32_t)(pool[rng() % (sizeof(pool) / sizeof(pool[0]))] + rng() % 3 - 1);
	default:
		return pool[rng() % (sizeof(pool) / sizeof(pool[0]))];
	}
}

/* Calls that would end the fuzzer by design, or block it for good, are steered. */
static long one_call(void)
{
	static const long nrs[] = {
		SYS_read,
		SYS_write,
		SYS_close,
		SYS_dup,
		SYS_dup3,
		SYS_pipe2,
		SYS_wait4,
		SYS_getpid,
		SYS_getppid,
		SYS_brk,
		SYS_munmap,
		SYS_clone,
		SYS_execve,
		SYS_mmap,
		SYS_mprotect,
		SYS_nanosleep,
		SYS_clock_gettime,
		SYS_sched_yield,
		SYS_uname,
		SYS_inox_memstat,
		SYS_inox_ps,
		SYS_inox_fork_mode,
		SYS_kill,
		SYS_openat,
		SYS_clock_nanosleep,
		SYS_clock_getres,
		SYS_sched_setscheduler,
		SYS_sched_setparam,
		SYS_sched_getscheduler,
		SYS_sched_getparam,
		SYS_sched_get_priority_max,
		SYS_sched_rr_get_interval,
		SYS_inox_timerlat,
	};
	unsigned long a[6];
	long nr;

	for (int i = 0; i < 6; i++) {
		a[i] = wild();
	}
	nr = (rng() % 8 == 0) ? (long)(rng() % 1100) : nrs[rng() % (sizeof(nrs) / sizeof(nrs[0]))];
	switch (nr) {
	case SYS_exit:
	case SYS_exit_group:
		return 0;
	case SYS_read:
		if ((uint32_t)a[0] == 0) {
			a[0] = 3; /* never wait for the console, even if fds are read as ints */
		}
		break;
	case SYS_kill:
		a[0] = 100000 + (rng() % 1000); /* no such process: never kill a real one */
		break;
	case SYS_wait4:
		a[2] |= 1; /* WNOHANG */
		break;
	case SYS_nanosleep:
		a[0] = (uintptr_t)buffer; /* a zero time: it returns at once */
		memset(buffer, 0, 16);
		break;
	case SYS_clock_nanosleep:
		a[1] &= ~1UL; /* relative (TIMER_ABSTIME off), and zero: returns at once */
		a[2] = (uintptr_t)buffer;
		memset(buffer, 0, 16);
		break;
	case SYS_inox_timerlat:
		a[0] = (uintptr_t)buffer; /* zero loops: refused, never a long sampling run */
		memset(buffer, 0, 16);
		break;
	case SYS_sched_setscheduler:
	case SYS_sched_setparam:
		/* No such process: a fuzzer at a real-time priority would starve whatever shares
		 * the machine (a latency sampler, the test's init). The calls' checks are
		 * exercised all the same; tests/userspace/sched changes priorities for real. */
		a[0] = 100000 + (rng() % 1000);
		break;
	case SYS_inox_fork_mode:
		a[0] = rng() % 4;
		break;
	default:
		break;
	}
	register long r0 __asm__("a0") = a[0];
	register long r1 __asm__("a1") = a[1];
	register long r2 __asm__("a2") = a[2];
	register long r3 __asm__("a3") = a[3];
	register long r4 __asm__("a4") = a[4];
	register long r5 __asm__("a5") = a[5];
	register long r7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(r0)
			 : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7)
			 : "memory");
	if (nr == SYS_clone && r0 == 0) {
		_exit(0); /* a fuzzed fork's child leaves at once */
	}
	if (nr == SYS_clone && r0 > 0) {
		waitpid(r0, NULL, 0); /* and is reaped here, not left to init */
	}
	return r0;
}

static int killed_slow;

/* Waits for child pid, killing it if it runs longer than CHILD_TIME_NS; its wait status. */
static int wait_bounded(pid_t pid)
{
	uint64_t end = now_ns() + CHILD_TIME_NS;
	struct timespec tick = {.tv_nsec = 10000000};
	int status;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ns() > end) {
			killed_slow++;
			kill(pid, SIGKILL);
			return wait_status(pid);
		}
		nanosleep(&tick, NULL);
	}
	return status;
}

static int fuzz(void)
{
	long done = 0;
	int children = 0;
	int died = 0;

	printf("fuzz: seed 0x%llx, %d calls\n", (unsigned long long)FUZZ_SEED, FUZZ_CALLS);
	fflush(stdout);
	while (done < FUZZ_CALLS) {
		long n = FUZZ_CALLS - done < CALLS_PER_CHILD ? FUZZ_CALLS - done : CALLS_PER_CHILD;
		int status;
		pid_t pid;

		/* Each child starts from its own point of the sequence, so a run repeats. */
		rng_state = FUZZ_SEED ^ ((uint64_t)done * 0x9e3779b97f4a7c15ULL) ^ 1;
		pid = fork();
		if (pid == 0) {
			/* No console: random writes would only fill it with noise. */
			close(0);
			close(1);
			close(2);
			for (long i = 0; i < n; i++) {
				one_call();
			}
			_exit(0);
		}
		if (pid < 0) {
			printf("FAIL fuzz: fork: errno %d\n", errno);
			return 1;
		}
		status = wait_bounded(pid);
		children++;
		died += !WIFEXITED(status);
		/* Reap what fuzzed forks left behind. */
		while (waitpid(-1, &status, WNOHANG) > 0) {
		}
		done += n;
	}
	printf("fuzz: %ld calls returned, %d children, %d died of a signal, %d killed for "
	       "running over %llu s\n",
	       done, children, died, killed_slow, CHILD_TIME_NS / 1000000000ULL);
	return 0;
}

int main(void)
{
	int status = run_accounted("fuzz", fuzz);

	CHECK(WIFEXITED(status));
	failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	printf("fuzz: %d failures\n", failures);
	return failures != 0;
}
