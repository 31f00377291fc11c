/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The loads the latency samplers run against: `load NAME READY_FD GO_FD` sets load NAME up,
 * writes a byte to READY_FD, reads a deadline (CLOCK_MONOTONIC ns, 8 bytes) from GO_FD, and
 * makes the load in this process and its children until then; then it cleans up and exits 0
 * (1 if something it checked went wrong). Each is something a hostile or merely busy
 * process may do, and each makes the kernel walk or copy a lot:
 *
 *   idle           nothing (the baseline)
 *   regions        20,000 one-page mappings, then fork, mprotect over all, munmap and fault
 *   fork_cow       a 64 MiB process forks; the child writes every page (COW)
 *   fork_eager     the same with eager copying (inox_fork_mode)
 *   forkbomb       children to the end of the process table, refilled as they exit
 *   killstorm      /bin/killstorm (tests/userspace/robust) over and over
 *   pipe_flood     64 KiB writes into a pipe, a child reading
 *   console_flood  1 MiB written to stdout
 *   brk_storm      the break grown and shrunk by 32 MiB, pages touched between
 *   fuzz           /bin/fuzz (the syscall fuzzer) over and over
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <inox/check.h>

#define PAGE           4096
#define REGIONS        20000
#define FORK_HEAP      (64UL << 20)
#define BRK_STEP       (32UL << 20)
#define PIPE_CHUNK     65536
#define CONSOLE_BYTES  (1UL << 20)
#define FORKBOMB_SLEEP 3000000L /* ns a forkbomb child lives */

static uint64_t deadline;
static int ready_fd;
static int go_fd;

/* Setup done: tells init, and waits for the go and the deadline. */
static void ready(void)
{
	CHECK(write(ready_fd, "r", 1) == 1);
	CHECK(read_full(go_fd, &deadline, sizeof(deadline)) == 0);
	close(ready_fd);
	close(go_fd);
}

static bool running(void)
{
	return now_ns() < deadline;
}

static void sleep_until_deadline(void)
{
	struct timespec ts = {.tv_sec = deadline / 1000000000ULL,
			      .tv_nsec = deadline % 1000000000ULL};

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static int load_idle(void)
{
	ready();
	sleep_until_deadline();
	return 0;
}

/* Many regions (alternate permissions, so no two neighbours could ever be one), then the
 * operations that walk them: fork, mprotect over all of them, munmap and a new fault. */
static int load_regions(void)
{
	char *first = NULL;
	char *last = NULL;
	int n;

	for (n = 0; n < REGIONS; n++) {
		int prot = (n & 1) ? PROT_READ : PROT_READ | PROT_WRITE;
		char *p = mmap(NULL, PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			break;
		}
		if (prot & PROT_WRITE) {
			p[0] = 1;
		}
		first = first ? first : p;
		last = p;
	}
	printf("load regions: %d one-page regions\n", n);
	fflush(stdout);
	ready();
	for (int round = 0; running(); round++) {
		pid_t pid = fork();
		char *victim = first + ((round * 2 + 1) % n) * PAGE;
		char *p;

		if (pid == 0) {
			_exit(0);
		}
		CHECK(pid > 0 && wait_status(pid) == 0);
		CHECK(mprotect(first, last + PAGE - first, PROT_READ) == 0 || errno == ENOMEM);
		CHECK(munmap(victim, PAGE) == 0);
		p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			p[0] = 1;
			CHECK(munmap(p, PAGE) == 0);
		}
	}
	return failures != 0;
}

/* A 64 MiB process forks; each child writes every page (a COW fault or a copy each). */
static int load_fork(int mode)
{
	char *heap = malloc(FORK_HEAP);

	if (heap == NULL) {
		printf("load fork: no 64 MiB heap\n");
		return 1;
	}
	for (size_t i = 0; i < FORK_HEAP; i += PAGE) {
		heap[i] = 1;
	}
	inox_fork_mode(mode);
	ready();
	while (running()) {
		pid_t pid = fork();

		if (pid == 0) {
			for (size_t i = 0; i < FORK_HEAP; i += PAGE) {
				heap[i] = 2;
			}
			_exit(0);
		}
		CHECK(pid > 0 && wait_status(pid) == 0);
	}
	return failures != 0;
}

/* Children to the end of the process table, each living a few ms, refilled as they go. */
static int load_forkbomb(void)
{
	int live = 0;
	int status;

	ready();
	while (running()) {
		pid_t pid = fork();

		if (pid == 0) {
			struct timespec ts = {.tv_nsec = FORKBOMB_SLEEP};

			nanosleep(&ts, NULL);
			_exit(0);
		}
		if (pid > 0) {
			live++;
			continue;
		}
		CHECK(errno == EAGAIN || errno == ENOMEM);
		/* The table is full: wait for one to go. */
		if (live > 0 && waitpid(-1, &status, 0) > 0) {
			live--;
		}
	}
	while (live > 0 && waitpid(-1, &status, 0) > 0) {
		live--;
	}
	return failures != 0;
}

/* Runs a program of the initramfs again and again until the deadline. Its own checks may
 * fail here (its free-page accounting sees the samplers' memory come and go): only a death
 * by a signal counts. */
static int load_program(const char *path)
{
	ready();
	while (running()) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			execve(path, (char *const[]){(char *)path, NULL}, (char *const[]){NULL});
			_exit(127);
		}
		CHECK(pid > 0);
		status = wait_status(pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 127);
	}
	return failures != 0;
}

static int load_pipe_flood(void)
{
	static char buf[PIPE_CHUNK];
	int fds[2];
	pid_t pid;

	CHECK(pipe(fds) == 0);
	ready();
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		while (read(fds[0], buf, sizeof(buf)) > 0) {
		}
		_exit(0);
	}
	close(fds[0]);
	while (running()) {
		CHECK(write(fds[1], buf, sizeof(buf)) == sizeof(buf));
	}
	close(fds[1]);
	CHECK(wait_status(pid) == 0);
	return failures != 0;
}

static int load_console_flood(void)
{
	static char line[4096];

	for (size_t i = 0; i < sizeof(line); i++) {
		line[i] = (i % 64 == 63) ? '\n' : '.';
	}
	ready();
	for (size_t done = 0; done < CONSOLE_BYTES && running(); done += sizeof(line)) {
		CHECK(write(1, line, sizeof(line)) == sizeof(line));
	}
	sleep_until_deadline();
	return failures != 0;
}

static int load_brk_storm(void)
{
	ready();
	while (running()) {
		char *p = sbrk(BRK_STEP);

		if (p == (char *)-1) {
			printf("load brk_storm: sbrk failed: errno %d\n", errno);
			return 1;
		}
		for (size_t i = 0; i < BRK_STEP; i += 16 * PAGE) {
			p[i] = 1;
		}
		CHECK(sbrk(-(intptr_t)BRK_STEP) == p + BRK_STEP);
	}
	return failures != 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "";

	if (argc != 4) {
		printf("usage: load NAME READY_FD GO_FD\n");
		return 2;
	}
	ready_fd = atoi(argv[2]);
	go_fd = atoi(argv[3]);
	if (!strcmp(name, "idle")) {
		return load_idle();
	} else if (!strcmp(name, "regions")) {
		return load_regions();
	} else if (!strcmp(name, "fork_cow")) {
		return load_fork(INOX_FORK_COW);
	} else if (!strcmp(name, "fork_eager")) {
		return load_fork(INOX_FORK_EAGER);
	} else if (!strcmp(name, "forkbomb")) {
		return load_forkbomb();
	} else if (!strcmp(name, "killstorm")) {
		return load_program("/bin/killstorm");
	} else if (!strcmp(name, "pipe_flood")) {
		return load_pipe_flood();
	} else if (!strcmp(name, "console_flood")) {
		return load_console_flood();
	} else if (!strcmp(name, "brk_storm")) {
		return load_brk_storm();
	} else if (!strcmp(name, "fuzz")) {
		return load_program("/bin/fuzz");
	}
	printf("load: unknown load %s\n", name);
	return 2;
}
