/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fork bomb: every process forks until fork fails with EAGAIN (the process table) or
 * ENOMEM; then everything is reaped, the kernel still answers, and every page is back.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <inox/check.h>

/* Counts the failed fork() by its errno: EAGAIN or ENOMEM. */
static void count_failure(int *eagain, int *enomem)
{
	if (errno == EAGAIN) {
		(*eagain)++;
	} else if (errno == ENOMEM) {
		(*enomem)++;
	}
}

static int bomb(void)
{
	int fds[2];
	int eagain = 0;
	int enomem = 0;
	int forked = 0;

	if (pipe(fds) != 0) {
		return 1;
	}
	/* Each generation forks as fast as it can; children do the same. */
	for (int gen = 0; gen < 6; gen++) {
		pid_t pid = fork();

		if (pid == 0) {
			forked = 0;
			continue;
		}
		if (pid < 0) {
			count_failure(&eagain, &enomem);
			break;
		}
		forked++;
	}
	/* Keep going from the first generation until the table is full. */
	for (;;) {
		pid_t pid = fork();

		if (pid == 0) {
			char c;

			/* Hold a slot until the bomb is defused. */
			close(fds[1]);
			read(fds[0], &c, 1);
			_exit(0);
		}
		if (pid < 0) {
			count_failure(&eagain, &enomem);
			break;
		}
		forked++;
	}
	close(fds[0]);
	close(fds[1]);
	/* Reap everything this process made (its own children). */
	int status;

	while (wait(&status) > 0) {
	}
	return (eagain + enomem) > 0 ? 0 : 1;
}

static int defused(void)
{
	int fds[2];
	pid_t pid;
	int status;

	/* The bomb's top process: its descendants each ran bomb() too. */
	pid = fork();
	if (pid == 0) {
		_exit(bomb());
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The kernel answers: a fresh fork and a pipe work. */
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		_exit(write(fds[1], "ok", 2) == 2 ? 0 : 1);
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	close(fds[1]);
	return failures;
}

int main(void)
{
	int status = run_accounted("forkbomb", defused);

	CHECK(WIFEXITED(status));
	failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	printf("forkbomb: %d failures\n", failures);
	return failures != 0;
}
