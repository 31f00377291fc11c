/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the test and sample programs share: CHECK() and the failure count it keeps, the free
 * page count they compare before and after, waiting for a child, running a test in a child
 * that must give back every page (and bring a counter back), reading a whole record from a pipe, a seeded random
 * sequence, and the monotonic clock.
 *
 * Header only, and the names are short (no inox_ prefix): only programs that want these
 * helpers include it. Each source file that includes it has its own `failures`; every program
 * that uses it is one source file.
 */
#ifndef INOX_USER_CHECK_H_
#define INOX_USER_CHECK_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <inox/memstat.h>

/* How many checks failed in this process. A program adds its test children's counts (their
 * exit statuses) and reports the total at the end. */
static int failures;

/* If cond is false, prints "FAIL function:line: cond" and counts a failure; goes on either way. */
#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s:%d: %s\n", __func__, __LINE__, #cond);                     \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/*
 * Free pages plus page-table pages: a test must give back every page it took, but the
 * tester's own page tables may stay grown (shrinking the heap unmaps pages but, unlike
 * Linux, Inox keeps the tables that held them), and those are counted in page_table_pages.
 */
static inline uint64_t free_pages(void)
{
	struct inox_memstat st;

	inox_memstat(&st);
	return st.free_pages + st.page_table_pages;
}

/* Waits for child pid and returns its wait status, or -1 if waitpid() failed (a CHECK fails). */
static inline int wait_status(pid_t pid)
{
	int status = -1;

	CHECK(waitpid(pid, &status, 0) == pid);
	return status;
}

/*
 * Runs body() in a child, which exits with what body() returns (so that whatever it takes
 * must come back when it is reaped), and compares free_pages() before and after: a
 * difference prints "FAIL name: free pages ..." and counts a failure. Returns the child's
 * wait status.
 */
static inline int run_accounted(const char *name, int (*body)(void))
{
	uint64_t before;
	int status;
	pid_t pid;

	fflush(stdout);
	before = free_pages();
	pid = fork();
	if (pid == 0) {
		int ret = body();

		fflush(stdout);
		_exit(ret);
	}
	status = wait_status(pid);
	if (free_pages() != before) {
		printf("FAIL %s: free pages %llu after, %llu before\n", name,
		       (unsigned long long)free_pages(), (unsigned long long)before);
		failures++;
	}
	return status;
}

/*
 * run_accounted(name, body), where body() must also return 0, and what counter() counts (a
 * memstat field: shared pages, committed pages) must be back where it started: a difference
 * prints "FAIL name: N <what> after, M before" and counts a failure.
 */
static inline void run_counted(const char *name, int (*body)(void), uint64_t (*counter)(void),
			       const char *what)
{
	uint64_t before = counter();
	int status = run_accounted(name, body);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("FAIL %s: status %#x\n", name, status);
		failures++;
	}
	if (counter() != before) {
		printf("FAIL %s: %llu %s after, %llu before\n", name, (unsigned long long)counter(),
		       what, (unsigned long long)before);
		failures++;
	}
}

/* The next number of a seeded pseudo-random sequence (xorshift64*; *state must not be 0),
 * for tests that print their seed so that a failure can be replayed. */
static inline uint64_t xorshift64s(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

/* CLOCK_MONOTONIC (time since boot) in nanoseconds. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* CLOCK_MONOTONIC in milliseconds, rounded down. */
static inline uint64_t now_ms(void)
{
	return now_ns() / 1000000;
}

/* Reads exactly n bytes from fd into dst, resuming after short reads (a pipe returns what it
 * holds). Returns 0, or -1 at end of file or on an error (with errno then). */
static inline int read_full(int fd, void *dst, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, (char *)dst + got, n - got);

		if (k <= 0) {
			return -1;
		}
		got += k;
	}
	return 0;
}

#endif /* INOX_USER_CHECK_H_ */
