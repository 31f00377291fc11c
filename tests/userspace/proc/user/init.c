/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Process tests, run as init: fork and wait statuses, exec with arguments, pipes, private
 * copies after fork, sbrk up and down, anonymous mmap (write-only and execute-only as Linux
 * maps them), faults that kill only the offender, kill (also on the way into a wait; never
 * of init), bad pointers given to system calls, and free memory back where it started.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

/* Addresses the compiler cannot see through: the tests hand them to the kernel on purpose. */
static void *volatile bad_low = (void *)16;
static void *volatile bad_kernel = (void *)0xffffffc000001000UL;

/* Forks a child that runs fn and exits with its return value; returns the wait status. */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		_exit(fn());
	}
	CHECK(pid > 0);
	return wait_status(pid);
}

static int exit42(void)
{
	return 42;
}

static void test_fork_wait(void)
{
	int status = in_child(exit42);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	CHECK(getppid() == 1); /* the tests run in init's child */
	CHECK(getpid() > 1);
	CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD);
}

static void test_exec(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = {"/bin/echo_args", "alpha", "beta", NULL};

		execv(argv[0], argv);
		_exit(99);
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	CHECK(execv("/bin/nonexistent", (char *[]){"x", NULL}) == -1 && errno == ENOENT);
}

static void test_pipe(void)
{
	const char msg[] = "through the pipe";
	char buf[64];
	int fds[2];
	int status;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		_exit(write(fds[1], msg, sizeof(msg)) == sizeof(msg) ? 0 : 1);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + got, sizeof(buf) - got)) > 0) {
		got += n;
	}
	CHECK(n == 0); /* EOF once the writer is gone */
	CHECK(got == sizeof(msg) && memcmp(buf, msg, sizeof(msg)) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);

	/* Writing with no reader left: EPIPE, once SIGPIPE (which would end the writer, see
	 * tests/userspace/signal) is ignored. */
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	CHECK(signal(SIGPIPE, SIG_IGN) == SIG_DFL);
	CHECK(write(fds[1], "x", 1) == -1 && errno == EPIPE);
	CHECK(signal(SIGPIPE, SIG_DFL) == SIG_IGN);
	close(fds[1]);
}

static int shared_value = 1;

static int child_writes(void)
{
	shared_value = 2;
	return shared_value == 2 ? 0 : 1;
}

static void test_private_after_fork(void)
{
	int status = in_child(child_writes);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(shared_value == 1);
}

static void test_sbrk(void)
{
	char *start = sbrk(0);

	CHECK(sbrk(1 << 20) == start);
	memset(start, 0x5a, 1 << 20);
	CHECK(start[(1 << 20) - 1] == 0x5a);
	CHECK(sbrk(-(1 << 20)) != (void *)-1);
	CHECK(sbrk(0) == start);
}

static char *mapped;

static int touch_unmapped(void)
{
	mapped[0] = 1;
	return 0;
}

/* The first page of `mapped`, PROT_NONE in the parent, made writable again: its contents. */
static int protect_back_and_check(void)
{
	if (mprotect(mapped, 4096, PROT_READ | PROT_WRITE) != 0) {
		return 1;
	}
	mapped[1] = 6; /* our copy: the parent must still read 5 */
	return mapped[0] == 1 && mapped[1] == 6 ? 0 : 2;
}

static void test_mmap(void)
{
	int status;

	mapped = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mapped != MAP_FAILED);
	mapped[0] = 1;
	mapped[3 * 4096 - 1] = 2;
	CHECK(mapped[0] == 1 && mapped[1] == 0);
	/* Read-only now: a store kills; back to read-write: the data is still there. */
	CHECK(mprotect(mapped, 4096, PROT_READ) == 0);
	status = in_child(touch_unmapped);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	CHECK(mprotect(mapped, 4096, PROT_READ | PROT_WRITE) == 0);
	mapped[1] = 5;
	CHECK(mapped[0] == 1 && mapped[1] == 5);
	CHECK(mprotect(mapped, 4096, PROT_WRITE | PROT_EXEC) == -1 && errno == EINVAL);
	/* PROT_NONE: neither the process nor the kernel on its behalf may touch it. */
	CHECK(mprotect(mapped, 4096, PROT_NONE) == 0);
	CHECK(write(1, mapped, 4) == -1 && errno == EFAULT);
	status = in_child(touch_unmapped);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	/* The contents survive PROT_NONE, as on Linux, also in a child forked meanwhile. */
	status = in_child(protect_back_and_check);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(mprotect(mapped, 4096, PROT_READ | PROT_WRITE) == 0);
	CHECK(mapped[0] == 1 && mapped[1] == 5);
	CHECK(munmap(mapped, 3 * 4096) == 0);
	status = in_child(touch_unmapped);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

static int null_store(void)
{
	*(volatile int *)bad_low = 1;
	return 0;
}

static int text_store(void)
{
	*(volatile unsigned int *)(void *)text_store = 0;
	return 0;
}

static int kernel_load(void)
{
	return *(volatile int *)0xffffffff80200000UL;
}

static int load_mapped(void)
{
	return *(volatile char *)mapped;
}

/* Linux's answers on RISC-V: a PROT_WRITE-only mapping is readable (there are no write-only
 * pages), also by write(); a PROT_EXEC-only one is executable and nothing else. */
static void test_prot_write_only_exec_only(void)
{
	int fds[2];
	char buf[8] = {0};
	ssize_t n;
	int status;

	mapped = mmap(NULL, 4096, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mapped != MAP_FAILED);
	/* Before any store: the first touch is a load, or the kernel's load in write(). */
	status = in_child(load_mapped);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(pipe(fds) == 0);
	n = write(fds[1], mapped, 1);
	CHECK(n == 1);
	CHECK(n != 1 || (read(fds[0], buf, sizeof(buf)) == 1 && buf[0] == 0));
	memcpy(mapped, "wonly", 6);
	CHECK(strcmp(mapped, "wonly") == 0);
	CHECK(write(fds[1], mapped, 6) == 6);
	CHECK(read(fds[0], buf, sizeof(buf)) == 6 && strcmp(buf, "wonly") == 0);
	/* mprotect(PROT_WRITE) the same: still readable. */
	CHECK(mprotect(mapped, 4096, PROT_READ) == 0);
	CHECK(mprotect(mapped, 4096, PROT_WRITE) == 0);
	status = in_child(load_mapped);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 'w');
	/* Execute-only: a c.ret there runs and returns; a load and write() from it fail. */
	*(volatile uint16_t *)mapped = 0x8082; /* c.ret */
	CHECK(mprotect(mapped, 4096, PROT_EXEC) == 0);
	__asm__ volatile(".word 0x0000100f" ::: "memory"); /* fence.i: see our own store */
	((void (*)(void))(uintptr_t)mapped)();
	status = in_child(load_mapped);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	CHECK(write(fds[1], mapped, 2) == -1 && errno == EFAULT);
	CHECK(munmap(mapped, 4096) == 0);
	close(fds[0]);
	close(fds[1]);
}

/* Linux delivers to init only signals it handles: no process can kill it. */
static void test_init_unkillable(void)
{
	struct inox_procinfo ps[8];
	bool init_runs = false;
	int n;

	CHECK(kill(1, SIGKILL) == 0);
	CHECK(kill(1, SIGTERM) == 0);
	CHECK(kill(1, 0) == 0);
	/* A kill lands on the next return to user mode: give init the chance. */
	usleep(10000);
	n = inox_ps(ps, 8);
	for (int i = 0; i < n && i < 8; i++) {
		/* Alive: running, or (waiting for this test) sleeping. */
		init_runs |= ps[i].pid == 1 && (ps[i].state == INOX_PROC_RUNNING ||
						ps[i].state == INOX_PROC_SLEEPING);
	}
	CHECK(init_runs);
	CHECK(getppid() == 1);
}

static void test_faults_kill_only_the_offender(void)
{
	int status = in_child(null_store);

	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	status = in_child(text_store);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	status = in_child(kernel_load);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

static void test_kill(void)
{
	int fds[2];
	int status;
	pid_t spinner = fork();

	if (spinner == 0) {
		for (;;) {
		}
	}
	CHECK(kill(spinner, SIGKILL) == 0);
	status = wait_status(spinner);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* A child blocked reading an empty pipe dies of SIGTERM too. */
	CHECK(pipe(fds) == 0);
	pid_t reader = fork();

	if (reader == 0) {
		char c;

		_exit(read(fds[0], &c, 1) == 1 ? 0 : 1);
	}
	usleep(20000);
	CHECK(kill(reader, SIGTERM) == 0);
	status = wait_status(reader);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	close(fds[0]);
	close(fds[1]);
	CHECK(kill(99999, SIGKILL) == -1 && errno == ESRCH);
}

/*
 * A kill that lands while the child is on its way into a wait (in the kernel, not blocked
 * yet) must still end that wait. The child goes straight to a 100 s sleep; the parent kills
 * it after a delay that sweeps across the child's path into nanosleep(), on another hart
 * where there is one. A lost kill leaves the wait below hanging until the test times out.
 */
static void test_kill_on_the_way_into_a_wait(void)
{
	static const struct timespec long_sleep = {.tv_sec = 100};
	int killed = 0;

	for (int i = 0; i < 400; i++) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			nanosleep(&long_sleep, NULL);
			_exit(0);
		}
		for (volatile int spin = 0; spin < i * 8; spin++) {
		}
		CHECK(kill(pid, SIGKILL) == 0);
		status = wait_status(pid);
		killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	}
	CHECK(killed == 400);
}

static int use_fpu(void)
{
	__asm__ volatile(".word 0xf0000053"); /* fmv.w.x ft0, zero */
	return 0;
}

static void test_bad_pointers(void)
{
	int fds[2];

	CHECK(write(1, bad_low, 4) == -1 && errno == EFAULT);
	CHECK(write(1, bad_kernel, 4) == -1 && errno == EFAULT);
	CHECK(pipe(bad_low) == -1 && errno == EFAULT);
	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], "text", 4) == 4);
	/* read() into program text must fail, never write there. */
	CHECK(read(fds[0], (void *)test_bad_pointers, 4) == -1 && errno == EFAULT);
	/* ... and loses nothing: the bytes are still in the pipe, as on Linux. */
	char back[4];

	CHECK(read(fds[0], back, 4) == 4 && memcmp(back, "text", 4) == 0);
	close(fds[0]);
	close(fds[1]);
	CHECK(execv(bad_low, (char *[]){NULL}) == -1 && errno == EFAULT);
	CHECK(waitpid(-1, bad_low, 0) == -1); /* no children: ECHILD or EFAULT */
	CHECK(read(42, fds, 1) == -1 && errno == EBADF);
	/* No FPU for user programs: an FP instruction is illegal, not shared state. */
	int status = in_child(use_fpu);

	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGILL);
}

/* A child that leaves a grandchild behind: the orphan becomes init's (pid 1). */
static void test_orphans(void)
{
	int fds[2];
	int status;
	pid_t ppid = 0;
	pid_t child;

	CHECK(pipe(fds) == 0);
	child = fork();
	if (child == 0) {
		if (fork() == 0) {
			usleep(30000); /* until its parent has gone */
			ppid = getppid();
			write(fds[1], &ppid, sizeof(ppid));
			_exit(0);
		}
		_exit(0);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status));
	close(fds[1]);
	CHECK(read(fds[0], &ppid, sizeof(ppid)) == sizeof(ppid));
	CHECK(ppid == 1);
	close(fds[0]);
}

/* Past the process table (CONFIG_MAX_PROCS) fork fails with EAGAIN, and nothing breaks. */
static void test_process_limit(void)
{
	pid_t pids[128];
	int n = 0;
	int fds[2];
	int status;

	CHECK(pipe(fds) == 0);
	for (; n < 128; n++) {
		pids[n] = fork();
		if (pids[n] == 0) {
			char c;

			close(fds[1]);
			read(fds[0], &c, 1);
			_exit(0);
		}
		if (pids[n] < 0) {
			break;
		}
	}
	CHECK(n < 128 && pids[n] == -1 && errno == EAGAIN);
	close(fds[0]);
	close(fds[1]);
	for (int i = 0; i < n; i++) {
		CHECK(waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status));
	}
	printf("process limit: %d more processes, then EAGAIN\n", n);
}

static int run_tests(void)
{
	test_fork_wait();
	test_exec();
	test_pipe();
	test_private_after_fork();
	test_sbrk();
	test_mmap();
	test_prot_write_only_exec_only();
	test_faults_kill_only_the_offender();
	test_kill();
	test_init_unkillable();
	test_kill_on_the_way_into_a_wait();
	test_bad_pointers();
	test_orphans();
	test_process_limit();
	return failures;
}

/*
 * The tests run in a child, so that everything they took (their processes, pages, page
 * tables, pipes) must be back when it has been reaped: init compares the free pages.
 */
int main(void)
{
	struct inox_memstat before;
	struct inox_memstat after;
	int status;
	pid_t pid;

	fflush(stdout);
	inox_memstat(&before);
	pid = fork();
	if (pid == 0) {
		int ret = run_tests();

		fflush(stdout);
		_exit(ret);
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status));
	failures += WEXITSTATUS(status);
	inox_memstat(&after);
	printf("free pages: before %lu, after %lu\n", (unsigned long)before.free_pages,
	       (unsigned long)after.free_pages);
	CHECK(after.free_pages == before.free_pages);
	printf("userspace proc: %d failures\n", failures);
	return failures == 0 ? 0 : 1;
}
