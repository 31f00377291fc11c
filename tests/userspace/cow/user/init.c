/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Copy-on-write fork, as the classic COW lab checks it and beyond: a fork of a process that
 * holds 60% of free memory (works with COW; ENOMEM without), three generations writing,
 * read() from a pipe into a buffer shared COW, two processes forking in loops at once, a
 * store to program text after fork, 300 children sharing one page, running out of memory
 * while copying (only the child dies), bad pointers to every pointer-taking call, the
 * instruction fences after exec and eager fork wrote text, and the free page count back
 * where it started after each test.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

int main(void);

#define PAGE 4096

static int cow; /* does fork share pages (CONFIG_MM_COW)? */

#define CHECK_FREE(before)                                                                         \
	do {                                                                                       \
		uint64_t now = free_pages();                                                       \
		if (now != (before)) {                                                             \
			printf("FAIL %s:%d: free pages %llu, before %llu\n", __func__, __LINE__,   \
			       (unsigned long long)now, (unsigned long long)(before));             \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static void *volatile bad_low = (void *)16;
static void *volatile bad_kernel = (void *)0xffffffff80200000UL;

static int exited_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* -- A fork of a process holding 60% of free memory ------------------------------ */

static void test_big_fork(void)
{
	uint64_t before = free_pages();
	size_t pages = before * 6 / 10;
	char *mem = sbrk(pages * PAGE);
	pid_t pid;

	CHECK(mem != (void *)-1);
	for (size_t i = 0; i < pages; i++) {
		mem[i * PAGE] = (char)i;
	}
	pid = fork();
	if (cow) {
		CHECK(pid >= 0);
		if (pid == 0) {
			mem[0] = 'c';
			_exit(mem[PAGE] == 1 ? 0 : 1);
		}
		CHECK(exited_ok(wait_status(pid)));
		CHECK(mem[0] == 0);
	} else {
		CHECK(pid == -1 && errno == ENOMEM);
		if (pid == 0) {
			_exit(0);
		}
	}
	CHECK(sbrk(-(intptr_t)(pages * PAGE)) != (void *)-1);
	CHECK_FREE(before);
	printf("big fork: %zu pages held, fork %s\n", pages,
	       pid > 0 ? "shared them" : "failed with ENOMEM");
}

/* -- Three generations, each writing its own copy --------------------------------- */

static char pattern[8 * PAGE];

static int fill_and_check(char c)
{
	for (size_t i = 0; i < sizeof(pattern); i += 512) {
		pattern[i] = c;
	}
	for (size_t i = 0; i < sizeof(pattern); i += 512) {
		if (pattern[i] != c) {
			return 1;
		}
	}
	return 0;
}

/*
 * Each test measures free memory after its own first writes: the tester shares its pages
 * with init, which forked it, so those writes give it private copies that it keeps.
 */
static void test_generations(void)
{
	uint64_t before;
	pid_t child;

	fill_and_check('a');
	before = free_pages();
	child = fork();
	if (child == 0) {
		pid_t grandchild;
		int bad = fill_and_check('b');

		grandchild = fork();
		if (grandchild == 0) {
			int gbad = pattern[0] != 'b' || fill_and_check('c');

			pid_t great = fork();

			if (great == 0) {
				_exit(pattern[512] != 'c' || fill_and_check('d'));
			}
			gbad |= !exited_ok(wait_status(great)) || pattern[0] != 'c';
			_exit(gbad);
		}
		bad |= !exited_ok(wait_status(grandchild)) || pattern[1024] != 'b';
		_exit(bad);
	}
	CHECK(exited_ok(wait_status(child)));
	for (size_t i = 0; i < sizeof(pattern); i += 512) {
		if (pattern[i] != 'a') {
			CHECK(pattern[i] == 'a');
			break;
		}
	}
	CHECK_FREE(before);
}

/* -- read() from a pipe into a buffer shared copy-on-write -------------------------- */

static char shared_buf[2 * PAGE];

static void test_read_into_cow(void)
{
	uint64_t before;
	int fds[2];
	pid_t pid;

	memset(shared_buf, 'p', sizeof(shared_buf));
	before = free_pages();
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		/* The kernel stores into a page the child shares with its parent. */
		ssize_t n = read(fds[0], shared_buf + PAGE - 3, 6);

		_exit(n == 6 && memcmp(shared_buf + PAGE - 3, "kernel", 6) == 0 ? 0 : 1);
	}
	CHECK(write(fds[1], "kernel", 6) == 6);
	CHECK(exited_ok(wait_status(pid)));
	CHECK(shared_buf[PAGE - 3] == 'p' && shared_buf[PAGE + 2] == 'p');
	close(fds[0]);
	close(fds[1]);
	CHECK_FREE(before);
}

/* -- Two processes forking in loops at the same time -------------------------------- */

static int fork_loop(void)
{
	static char page[PAGE];
	int bad = 0;

	for (int i = 0; i < 40; i++) {
		pid_t pid;

		page[0] = (char)i;
		pid = fork();
		if (pid == 0) {
			page[1] = 1;
			_exit(page[0] == (char)i ? 0 : 1);
		}
		if (pid < 0) {
			return 1;
		}
		bad |= !exited_ok(wait_status(pid));
	}
	return bad;
}

static void test_concurrent_fork_loops(void)
{
	uint64_t before = free_pages();
	pid_t a = fork();

	if (a == 0) {
		_exit(fork_loop());
	}
	pid_t b = fork();

	if (b == 0) {
		_exit(fork_loop());
	}
	CHECK(exited_ok(wait_status(a)));
	CHECK(exited_ok(wait_status(b)));
	CHECK_FREE(before);
}

/* -- A store to program text after fork kills the child and nothing else ------------ */

static void test_text_store_after_fork(void)
{
	uint64_t before = free_pages();
	pid_t pid = fork();

	if (pid == 0) {
		*(volatile unsigned int *)(void *)main = 0;
		_exit(0);
	}
	int status = wait_status(pid);

	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	CHECK_FREE(before);
}

/* -- 300 children share one page ---------------------------------------------------- */

#define SHARERS 300

static char one_page[PAGE] = "shared by three hundred";

static void test_300_sharers(void)
{
	uint64_t before = free_pages();
	struct inox_memstat st0;
	struct inox_memstat st1;
	int fds[2];
	pid_t pids[SHARERS];
	int ok = 1;

	CHECK(pipe(fds) == 0);
	inox_memstat(&st0);
	for (int i = 0; i < SHARERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			char c;

			close(fds[1]);
			/* Wait until all are there, then check the page. */
			read(fds[0], &c, 1);
			_exit(strcmp(one_page, "shared by three hundred") == 0 ? 0 : 1);
		}
		if (pids[i] < 0) {
			CHECK(pids[i] >= 0);
			break;
		}
	}
	inox_memstat(&st1);
	close(fds[0]);
	close(fds[1]); /* every child's read() returns now */
	for (int i = 0; i < SHARERS && pids[i] > 0; i++) {
		ok &= exited_ok(wait_status(pids[i]));
	}
	CHECK(ok);
	if (cow) {
		CHECK(st1.pages_shared_at_fork - st0.pages_shared_at_fork >= SHARERS);
	}
	CHECK_FREE(before);
}

/* -- Out of memory while copying: only the child dies -------------------------------- */

static void test_oom_during_cow(void)
{
	uint64_t before = free_pages();
	size_t pages = before * 6 / 10;
	char *mem = sbrk(pages * PAGE);
	pid_t pid;
	int status;

	if (!cow) {
		CHECK(sbrk(-(intptr_t)(pages * PAGE)) != (void *)-1);
		return;
	}
	for (size_t i = 0; i < pages; i++) {
		mem[i * PAGE] = 1;
	}
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		/* Writing every page needs 60% more memory than there is: it must run out. */
		for (size_t i = 0; i < pages; i++) {
			mem[i * PAGE] = 2;
		}
		_exit(0);
	}
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK(mem[0] == 1 && mem[(pages - 1) * PAGE] == 1);
	CHECK(sbrk(-(intptr_t)(pages * PAGE)) != (void *)-1);
	CHECK_FREE(before);
}

/* -- Every pointer-taking call refuses bad pointers with EFAULT ---------------------- */

static void test_efault_everywhere(void)
{
	uint64_t before = free_pages();
	int fds[2];

	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], "abc", 3) == 3);
	CHECK(read(fds[0], bad_low, 1) == -1 && errno == EFAULT);
	CHECK(read(fds[0], bad_kernel, 1) == -1 && errno == EFAULT);
	CHECK(write(fds[1], bad_low, 1) == -1 && errno == EFAULT);
	CHECK(write(fds[1], bad_kernel, 1) == -1 && errno == EFAULT);
	CHECK(pipe(bad_kernel) == -1 && errno == EFAULT);
	CHECK(execve(bad_low, NULL, NULL) == -1 && errno == EFAULT);
	CHECK(execve("/bin/init", bad_low, NULL) == -1 && errno == EFAULT);
	CHECK(execve("/bin/init", (char *[]){bad_low, NULL}, NULL) == -1 && errno == EFAULT);
	CHECK(nanosleep(bad_low, NULL) == -1 && errno == EFAULT);
	CHECK(clock_gettime(CLOCK_MONOTONIC, bad_kernel) == -1 && errno == EFAULT);
	CHECK(uname(bad_low) == -1 && errno == EFAULT);
	CHECK(inox_memstat(bad_kernel) == -1 && errno == EFAULT);
	pid_t pid = fork();

	if (pid == 0) {
		_exit(0);
	}
	CHECK(waitpid(pid, bad_kernel, 0) == -1 && errno == EFAULT);
	CHECK(exited_ok(wait_status(pid)));
	close(fds[0]);
	close(fds[1]);
	CHECK_FREE(before);
}

/* -- The COW fault path: a copy while the page is shared, a reuse once it is not ------- */

static char fault_page[PAGE];

static void test_copy_then_reuse(void)
{
	struct inox_memstat st0;
	struct inox_memstat st1;
	struct inox_memstat st2;
	int fds[2];
	pid_t pid;
	char c;

	if (!cow) {
		return;
	}
	fault_page[0] = 1; /* our own copy first (we share our pages with init) */
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		read(fds[0], &c, 1); /* keep sharing until the parent has written */
		_exit(fault_page[0] == 1 ? 0 : 1);
	}
	inox_memstat(&st0);
	fault_page[0] = 2; /* shared with the child: the fault copies */
	inox_memstat(&st1);
	close(fds[1]);
	CHECK(exited_ok(wait_status(pid)));
	close(fds[0]);
	CHECK(st1.cow_copies >= st0.cow_copies + 1);

	pid = fork();
	if (pid == 0) {
		_exit(0);
	}
	CHECK(exited_ok(wait_status(pid)));
	inox_memstat(&st1);
	fault_page[0] = 3; /* the child is gone: our page is ours alone again, reused in place */
	inox_memstat(&st2);
	CHECK(st2.cow_reuses >= st1.cow_reuses + 1);
	CHECK(st2.cow_copies == st1.cow_copies || st2.cow_copies == st1.cow_copies + 1);
	CHECK(fault_page[0] == 3);
}

/* -- memstat, the program ---------------------------------------------------------- */

static void test_memstat_program(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execv("/bin/memstat", (char *[]){"memstat", NULL});
		_exit(127);
	}
	CHECK(exited_ok(wait_status(pid)));
}

/* -- Instruction fences after the kernel wrote user text ------------------------------ */

/* Eager fork copies our text (a fence per run of pages it copies, and a run ends early when
 * an interrupt waits: one fork may fence more often than another), COW fork none; exec loads
 * /bin/memstat's text (one executable segment: one fence), counted from the child's side of
 * the fork, which it sends up a pipe. */
static void test_icache_syncs(void)
{
	struct inox_memstat st0;
	struct inox_memstat st1;
	struct inox_memstat st2;
	uint64_t by_fork;
	uint64_t by_exec;
	int fds[2];
	pid_t pid;

	inox_memstat(&st0);
	pid = fork();
	if (pid == 0) {
		_exit(0);
	}
	CHECK(exited_ok(wait_status(pid)));
	inox_memstat(&st1);
	by_fork = st1.icache_syncs - st0.icache_syncs;
	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		inox_memstat(&st1);
		if (write(fds[1], &st1, sizeof(st1)) != sizeof(st1)) {
			_exit(126);
		}
		execv("/bin/memstat", (char *[]){"memstat", NULL});
		_exit(127);
	}
	CHECK(read(fds[0], &st1, sizeof(st1)) == sizeof(st1));
	CHECK(exited_ok(wait_status(pid)));
	inox_memstat(&st2);
	close(fds[0]);
	close(fds[1]);
	by_exec = st2.icache_syncs - st1.icache_syncs;
	CHECK(cow ? by_fork == 0 : by_fork >= 1);
	CHECK(by_exec == 1);
	printf("icache syncs: fork %llu, exec %llu\n", (unsigned long long)by_fork,
	       (unsigned long long)by_exec);
}

static int run_tests(void)
{
	struct inox_memstat st0;
	struct inox_memstat st1;
	pid_t pid;

	/* Which fork is this? COW counts shared pages, eager fork counts copies. */
	inox_memstat(&st0);
	pid = fork();
	if (pid == 0) {
		_exit(0);
	}
	wait_status(pid);
	inox_memstat(&st1);
	cow = st1.pages_shared_at_fork > st0.pages_shared_at_fork;
	printf("fork is %s\n", cow ? "copy-on-write" : "eager");

	test_big_fork();
	test_generations();
	test_read_into_cow();
	test_concurrent_fork_loops();
	test_text_store_after_fork();
	test_300_sharers();
	test_oom_during_cow();
	test_efault_everywhere();
	test_copy_then_reuse();
	test_memstat_program();
	test_icache_syncs();
	return failures;
}

int main(void)
{
	/* In a child, so that every page the tests took must be back once it is reaped. */
	int status = run_accounted("userspace cow", run_tests);

	CHECK(WIFEXITED(status));
	failures += WEXITSTATUS(status);
	printf("userspace cow: %d failures\n", failures);
	return failures == 0 ? 0 : 1;
}
