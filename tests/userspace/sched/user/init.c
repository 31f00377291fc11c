/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scheduling policies and sleeps, as Linux programs use them: sched_setscheduler() and the
 * calls around it (bad policies and priorities refused with EINVAL, a missing process with
 * ESRCH, what fork keeps and SCHED_RESET_ON_FORK resets, SCHED_FIFO taking the hart from an
 * ordinary process at once), and clock_nanosleep() (absolute and relative, never early,
 * EINVAL for bad times, a sleep of INT64_MAX seconds that lasts until a kill, the time left
 * after an interrupted relative sleep).
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <inox/check.h>

#define MS 1000000ULL

static int set(pid_t pid, int policy, int prio)
{
	struct sched_param p = {.sched_priority = prio};

	return sched_setscheduler(pid, policy, &p) == 0 ? 0 : errno;
}

static void test_limits(void)
{
	struct timespec ts;

	CHECK(sched_get_priority_max(SCHED_FIFO) == 99 && sched_get_priority_min(SCHED_FIFO) == 1);
	CHECK(sched_get_priority_max(SCHED_RR) == 99 && sched_get_priority_min(SCHED_RR) == 1);
	CHECK(sched_get_priority_max(SCHED_OTHER) == 0 && sched_get_priority_min(SCHED_OTHER) == 0);
	CHECK(sched_get_priority_max(42) == -1 && errno == EINVAL);
	CHECK(sched_get_priority_min(-1) == -1 && errno == EINVAL);
	printf("sched: priorities SCHED_FIFO %d..%d, SCHED_RR %d..%d, SCHED_OTHER %d..%d\n",
	       sched_get_priority_min(SCHED_FIFO), sched_get_priority_max(SCHED_FIFO),
	       sched_get_priority_min(SCHED_RR), sched_get_priority_max(SCHED_RR),
	       sched_get_priority_min(SCHED_OTHER), sched_get_priority_max(SCHED_OTHER));
	CHECK(sched_rr_get_interval(0, &ts) == 0 && (ts.tv_sec > 0 || ts.tv_nsec > 0));
}

static void test_errors(void)
{
	struct sched_param p = {.sched_priority = 10};

	CHECK(set(0, 42, 10) == EINVAL);
	CHECK(set(0, SCHED_FIFO, 0) == EINVAL);
	CHECK(set(0, SCHED_FIFO, 100) == EINVAL);
	CHECK(set(0, SCHED_RR, -1) == EINVAL);
	CHECK(set(0, SCHED_OTHER, 5) == EINVAL);
	CHECK(set(-1, SCHED_FIFO, 10) == EINVAL);
	CHECK(set(99999, SCHED_FIFO, 10) == ESRCH);
	CHECK(sched_setscheduler(0, SCHED_FIFO, NULL) == -1 && errno == EINVAL);
	CHECK(sched_setscheduler(0, SCHED_FIFO, (void *)16) == -1 && errno == EFAULT);
	CHECK(sched_getscheduler(99999) == -1 && errno == ESRCH);
	CHECK(sched_getscheduler(-5) == -1 && errno == EINVAL);
	CHECK(sched_getparam(0, NULL) == -1 && errno == EINVAL);
	/* SCHED_OTHER takes only priority 0. */
	CHECK(sched_setparam(0, &p) == -1 && errno == EINVAL);
	/* Unchanged by all of that. */
	CHECK(sched_getscheduler(0) == SCHED_OTHER);
}

/* Set, get, inherit over fork, reset with SCHED_RESET_ON_FORK. */
static int policies(void)
{
	struct sched_param p;
	int status;
	pid_t pid;

	CHECK(set(0, SCHED_RR, 20) == 0);
	CHECK(sched_getscheduler(0) == SCHED_RR);
	CHECK(sched_getparam(0, &p) == 0 && p.sched_priority == 20);
	p.sched_priority = 30;
	CHECK(sched_setparam(0, &p) == 0);
	CHECK(sched_getparam(getpid(), &p) == 0 && p.sched_priority == 30);
	pid = fork();
	if (pid == 0) {
		struct sched_param q;

		_exit(sched_getscheduler(0) == SCHED_RR && sched_getparam(0, &q) == 0 &&
				      q.sched_priority == 30 ?
			      0 :
			      1);
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(set(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 40) == 0);
	CHECK(sched_getscheduler(0) == (SCHED_FIFO | SCHED_RESET_ON_FORK));
	pid = fork();
	if (pid == 0) {
		struct sched_param q;

		_exit(sched_getscheduler(0) == SCHED_OTHER && sched_getparam(0, &q) == 0 &&
				      q.sched_priority == 0 ?
			      0 :
			      1);
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return failures;
}

/* The harts this process may run on (sched_getaffinity()): every online one, at least 1. */
static int harts(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 0;
}

/* sched_getaffinity() as Linux: the online harts, the rest of the set cleared, and EINVAL,
 * ESRCH, EFAULT for a bad size, process or buffer. */
static void test_affinity(void)
{
	cpu_set_t set;
	int n = harts();

	CHECK(n >= 1);
	memset(&set, 0xff, sizeof(set));
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0);
	CHECK(CPU_ISSET(0, &set) && CPU_COUNT(&set) == n && !CPU_ISSET(CPU_SETSIZE - 1, &set));
	CHECK(sched_getaffinity(getpid(), sizeof(set), &set) == 0 && CPU_COUNT(&set) == n);
	CHECK(sched_getaffinity(0, 4, &set) == -1 && errno == EINVAL);
	CHECK(sched_getaffinity(0, 0, &set) == -1 && errno == EINVAL);
	CHECK(sched_getaffinity(99999, sizeof(set), &set) == -1 && errno == ESRCH);
	CHECK(sched_getaffinity(0, sizeof(set), (void *)16) == -1 && errno == EFAULT);
	printf("sched: %d hart%s online\n", n, n == 1 ? "" : "s");
}

/*
 * A SCHED_FIFO process takes the hart from an ordinary one as soon as it wakes: a child
 * raised to SCHED_FIFO sleeps 5 ms while this (SCHED_OTHER) process spins for 9 ms without a
 * system call, then looks whether the child has already exited. An ordinary child could not
 * have: the spinner's time slice (2 ticks, 20 ms) cannot end within 10 ms of its wake-up.
 * On more than one hart both run at once, which the check allows; there the child's hart is
 * a host thread that the host may not run for a while, so the parent then also waits for it
 * (up to a second), with system calls: the 9 ms prove nothing there anyway.
 */
static int fifo_preempts(void)
{
	bool done;
	int fds[2];
	pid_t pid;
	char c;

	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		struct timespec ts = {.tv_nsec = 5 * MS};

		CHECK(set(0, SCHED_FIFO, 50) == 0);
		CHECK(write(fds[1], "x", 1) == 1);
		clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
		_exit(failures);
	}
	CHECK(read(fds[0], &c, 1) == 1);
	uint64_t start = now_ns();

	while (now_ns() - start < 9 * MS) {
	}
	done = waitpid(pid, NULL, WNOHANG) == pid;
	for (int i = 0; !done && i < 1000 && harts() > 1; i++) {
		struct timespec ms = {.tv_nsec = MS};

		nanosleep(&ms, NULL);
		done = waitpid(pid, NULL, WNOHANG) == pid;
	}
	CHECK(done);
	close(fds[0]);
	close(fds[1]);
	return failures;
}

static uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ULL + ts->tv_nsec;
}

static void test_sleeps(void)
{
	struct timespec ts;
	struct timespec rem = {.tv_sec = 77};
	uint64_t start;
	uint64_t target;

	/* Absolute: wakes at or after the point, never before. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	target = ts_ns(&ts) + 3 * MS;
	ts.tv_sec = target / 1000000000ULL;
	ts.tv_nsec = target % 1000000000ULL;
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == 0);
	CHECK(now_ns() >= target);
	/* A point already passed returns at once. */
	ts.tv_sec = 0;
	ts.tv_nsec = 1;
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == 0);
	/* Relative: at least as long as asked. */
	start = now_ns();
	ts = (struct timespec){.tv_nsec = 2500000};
	CHECK(clock_nanosleep(CLOCK_REALTIME, 0, &ts, &rem) == 0);
	CHECK(now_ns() - start >= 2500000);
	CHECK(rem.tv_sec == 77); /* untouched when not interrupted */
	/* Bad times and clocks: the error number, not -1 (POSIX). */
	ts = (struct timespec){.tv_sec = 0, .tv_nsec = 1000000000};
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL) == EINVAL);
	ts = (struct timespec){.tv_sec = -1};
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL) == EINVAL);
	ts = (struct timespec){.tv_nsec = 1};
	CHECK(clock_nanosleep(12345, 0, &ts, NULL) == EINVAL);
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, (void *)16, NULL) == EFAULT);
	CHECK(nanosleep(&(struct timespec){.tv_nsec = -1}, NULL) == -1 && errno == EINVAL);
	CHECK(clock_getres(CLOCK_MONOTONIC, &ts) == 0 && ts.tv_sec == 0 && ts.tv_nsec > 0);
}

/*
 * A sleep of about forever (INT64_MAX seconds once overflowed into 3 ms) must last until
 * killed; an interrupted relative sleep reports what was left.
 */
static void test_long_sleeps(void)
{
	for (int abs = 0; abs < 2; abs++) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			struct timespec ts = {.tv_sec = INT64_MAX, .tv_nsec = 999999999};

			if (abs) {
				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
			} else {
				nanosleep(&ts, NULL);
			}
			_exit(3); /* woke: wrong */
		}
		struct timespec wait = {.tv_nsec = 30 * MS};

		nanosleep(&wait, NULL);
		CHECK(waitpid(pid, &status, WNOHANG) == 0); /* still asleep */
		CHECK(kill(pid, SIGKILL) == 0);
		status = wait_status(pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
}

static int run_tests(void)
{
	int status;

	test_limits();
	test_errors();
	test_affinity();
	test_sleeps();
	test_long_sleeps();
	status = run_accounted("policies", policies);
	failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	status = run_accounted("fifo_preempts", fifo_preempts);
	failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	return failures;
}

int main(void)
{
	int status = run_accounted("sched", run_tests);

	CHECK(WIFEXITED(status));
	failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	printf("userspace sched: %d failures\n", failures);
	return failures != 0;
}
