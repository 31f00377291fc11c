/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The latency benchmark's plan: for each load, the kernel-thread sampler (cyclictest -k) and
 * then the SCHED_FIFO user sampler (cyclictest -p 99) each take LOOPS samples, 1 ms apart,
 * while /bin/load makes that load in other processes. Every phase prints
 *
 *   latency: begin sampler=kernel_thread load=regions
 *   (cyclictest -q -N -h 100: its histogram, footer and summary line)
 *   latency: end sampler=kernel_thread load=regions
 *
 * and the run ends with "latency: done" (scripts/inox bench latency reads it all). The plan
 * comes from the kernel's CONFIG_INIT_ARGS: -l LOOPS -L LOAD,LOAD,... and, for a test,
 * -b KERNEL_US,USER_US: each sampler stops and fails past its bound (cyclictest -b).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inox/check.h>

#define INTERVAL_US "1000"
#define HIST_US     "100"

static const char *const samplers[] = {"kernel_thread", "user_fifo"};

/* Starts argv[0] with argv; its stdout goes to out_fd unless that is -1. */
static pid_t spawn(char *const argv[], int out_fd)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (out_fd >= 0) {
			dup2(out_fd, 1);
			close(out_fd);
		}
		execve(argv[0], argv, (char *const[]){NULL});
		printf("latency: cannot run %s: errno %d\n", argv[0], errno);
		_exit(127);
	}
	CHECK(pid > 0);
	return pid;
}

/* Reads fd to its end into buf (at most size - 1 bytes); returns how many. */
static size_t read_all(int fd, char *buf, size_t size)
{
	size_t held = 0;
	ssize_t got;

	while (held < size - 1 && (got = read(fd, buf + held, size - 1 - held)) > 0) {
		held += got;
	}
	return held;
}

/* Waits for pid; a status other than exit 0 is a failure, named with what. */
static void expect_success(pid_t pid, const char *what, const char *load)
{
	int status = wait_status(pid);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("latency: FAIL: %s (load %s) ended with status 0x%x\n", what, load, status);
		failures++;
	}
}

/*
 * One phase: the load sets itself up (maps its regions, fills its heap) and says it is
 * ready; then the sampler starts, and the load is told to go with a deadline past the
 * sampler's end. The sampler starts before the load goes: a load that fills the process
 * table (forkbomb) would leave it no slot. The sampler's report is held here and printed,
 * between the begin and end lines, once the load has stopped, so that a load writing to the
 * console (console_flood) never cuts into it.
 */
static void phase(const char *sampler, const char *load, const char *loops, const char *bound)
{
	static char report[16384];
	bool kernel = strcmp(sampler, "kernel_thread") == 0;
	char fd_args[2][12];
	uint64_t deadline;
	int ready[2];
	int go[2];
	int out[2];
	size_t held;
	char byte;
	int status;

	CHECK(pipe(ready) == 0 && pipe(go) == 0 && pipe(out) == 0);
	snprintf(fd_args[0], sizeof(fd_args[0]), "%d", ready[1]);
	snprintf(fd_args[1], sizeof(fd_args[1]), "%d", go[0]);
	pid_t lpid =
		spawn((char *const[]){"/bin/load", (char *)load, fd_args[0], fd_args[1], NULL}, -1);

	close(ready[1]);
	close(go[0]);
	CHECK(read(ready[0], &byte, 1) == 1);
	pid_t spid = spawn((char *const[]){"/bin/cyclictest", kernel ? "-k" : "-p99", "-q", "-N",
					   "-h", HIST_US, "-i", INTERVAL_US, "-l", (char *)loops,
					   bound != NULL ? "-b" : NULL, (char *)bound, NULL},
			   out[1]);
	/* The load stops by itself at the deadline: the sampler's time plus a margin. */
	deadline = now_ns() + strtoull(loops, NULL, 10) * 1100000ULL + 50000000ULL;
	CHECK(write(go[1], &deadline, sizeof(deadline)) == sizeof(deadline));
	close(go[1]);
	close(ready[0]);
	close(out[1]);
	held = read_all(out[0], report, sizeof(report));
	close(out[0]);
	expect_success(spid, "cyclictest", load);
	expect_success(lpid, "the load", load);
	/* Orphans of the load (a kill storm leaves some) come to init: reap them. */
	while (waitpid(-1, &status, WNOHANG) > 0) {
	}
	printf("latency: begin sampler=%s load=%s\n", sampler, load);
	fflush(stdout);
	CHECK(write(1, report, held) == (ssize_t)held);
	printf("latency: end sampler=%s load=%s\n", sampler, load);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *loops = "300";
	const char *bounds[2] = {NULL, NULL};
	char *loads = "idle";
	int c;

	while ((c = getopt(argc, argv, "l:L:b:")) != -1) {
		switch (c) {
		case 'l':
			loops = optarg;
			break;
		case 'L':
			loads = optarg;
			break;
		case 'b':
			bounds[0] = strtok(optarg, ",");
			bounds[1] = strtok(NULL, ",");
			break;
		default:
			printf("latency: usage: init [-l LOOPS] [-L LOAD,...] [-b KERNEL_US,USER_US]\n");
			return 2;
		}
	}
	printf("latency: plan loops=%s loads=%s\n", loops, loads);
	for (char *load = strtok(loads, ","); load != NULL; load = strtok(NULL, ",")) {
		for (size_t s = 0; s < sizeof(samplers) / sizeof(samplers[0]); s++) {
			phase(samplers[s], load, loops, bounds[s]);
		}
	}
	printf("latency: %d failures\n", failures);
	printf("latency: done\n");
	return failures != 0;
}
