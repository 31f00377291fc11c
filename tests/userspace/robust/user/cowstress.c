/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMP COW stress: one worker per hart, each forking children in a loop for STRESS_SECONDS
 * of guest time; parents and children write the pages they share, each side keeping a
 * checksum of what it should see, and checking it: a lost write (a COW copy that came too
 * late) or a foreign one (a write that leaked through a page still shared) changes a
 * checksum. No leak (free pages back), no kernel fatal error.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sched.h>
#include <inox/check.h>

#ifndef STRESS_SECONDS
#define STRESS_SECONDS 60
#endif
#define WORKERS 4
#define PAGES   32
#define PAGE    4096

static uint64_t shared[PAGES][PAGE / 8];

/* Writes a pattern derived from tag into every page, word by word. */
static void scribble(uint64_t tag)
{
	for (int p = 0; p < PAGES; p++) {
		for (int w = 0; w < PAGE / 8; w += 8) {
			shared[p][w] = tag ^ ((uint64_t)p << 32) ^ w;
		}
	}
}

static int consistent(uint64_t tag)
{
	for (int p = 0; p < PAGES; p++) {
		for (int w = 0; w < PAGE / 8; w += 8) {
			if (shared[p][w] != (tag ^ ((uint64_t)p << 32) ^ w)) {
				return 0;
			}
		}
	}
	return 1;
}

static int worker(int id)
{
	uint64_t end = now_ns() + (uint64_t)STRESS_SECONDS * 1000000000ULL;
	uint64_t tag = (uint64_t)id << 56;
	long rounds = 0;

	scribble(tag);
	while (now_ns() < end) {
		uint64_t child_tag = tag ^ 0xc0ffee00ULL ^ (uint64_t)rounds;
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			/* The child first sees the parent's pages, then its own writes. */
			if (!consistent(tag)) {
				_exit(2);
			}
			scribble(child_tag);
			sched_yield();
			_exit(consistent(child_tag) ? 0 : 3);
		}
		if (pid < 0) {
			if (errno == EAGAIN || errno == ENOMEM) {
				continue;
			}
			return 1;
		}
		/* Meanwhile the parent writes its own new pattern into the same pages. */
		tag ^= 0x1111111111ULL;
		scribble(tag);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			printf("FAIL worker %d round %ld: child status 0x%x\n", id, rounds, status);
			return 1;
		}
		if (!consistent(tag)) {
			printf("FAIL worker %d round %ld: parent's pages changed\n", id, rounds);
			return 1;
		}
		rounds++;
	}
	printf("worker %d: %ld rounds\n", id, rounds);
	return 0;
}

static int stress(void)
{
	pid_t pids[WORKERS];
	int bad = 0;

	for (int i = 0; i < WORKERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int ret = worker(i);

			fflush(stdout);
			_exit(ret);
		}
	}
	for (int i = 0; i < WORKERS; i++) {
		int status = wait_status(pids[i]);

		bad |= !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	return bad;
}

int main(void)
{
	int status;

	printf("cowstress: %d workers for %d s\n", WORKERS, STRESS_SECONDS);
	status = run_accounted("cowstress", stress);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("cowstress: %d failures\n", failures);
	return failures != 0;
}
