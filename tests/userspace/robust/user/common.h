/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the robustness programs: checks, wait helpers, free-page accounting. */
#ifndef ROBUST_COMMON_H_
#define ROBUST_COMMON_H_

#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <inox/memstat.h>

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s:%d: %s\n", __func__, __LINE__, #cond);                     \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* Free pages plus page-table pages (a process's page tables may stay grown). */
static inline uint64_t free_pages(void)
{
	struct inox_memstat st;

	inox_memstat(&st);
	return st.free_pages + st.page_table_pages;
}

static inline int wait_status(pid_t pid)
{
	int status = -1;

	CHECK(waitpid(pid, &status, 0) == pid);
	return status;
}

/* Runs body() in a child (so that whatever it takes must come back when it is reaped) and
 * checks the free pages before and after. Returns the child's exit status. */
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

#endif /* ROBUST_COMMON_H_ */
