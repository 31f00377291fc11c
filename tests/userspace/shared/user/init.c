/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared anonymous memory, run as init: mmap(MAP_SHARED | MAP_ANONYMOUS) and the flag
 * checks Linux makes; one mapping written by 1..N children, which exit in every order, with
 * COW and with eager fork; a grandchild; munmap, mprotect (read-only, PROT_NONE and back) in
 * one sharer; exec dropping the mapping; and, after every test, inox_memstat's shared_pages
 * and every free page back where they started.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

#define PAGE         4096
#define PAGES        3
#define MAX_CHILDREN 5 /* each child's pipe, and stdio: 15 of the 16 fds */

static uint64_t shared_pages(void)
{
	struct inox_memstat st;

	CHECK(inox_memstat(&st) == 0);
	return st.shared_pages;
}

static volatile uint64_t *map_shared(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	return p == MAP_FAILED ? NULL : p;
}

/* Forks a child that runs fn(arg) and exits with what it returns; its pid. */
static pid_t spawn(int (*fn)(volatile uint64_t *), volatile uint64_t *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		_exit(fn(arg));
	}
	CHECK(pid > 0);
	return pid;
}

static int load(volatile uint64_t *p)
{
	return (int)*p;
}

static int store(volatile uint64_t *p)
{
	*p = 1;
	return 0;
}

/* The wait status of a child that runs fn(p). */
static int in_child(int (*fn)(volatile uint64_t *), volatile uint64_t *p)
{
	return wait_status(spawn(fn, p));
}

static int killed_by_segv(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

/* Linux's answers to the flags. */
static int flags(void)
{
	uint64_t before = shared_pages();
	int fds[2];
	char *p;

	CHECK(mmap(NULL, 0, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EINVAL);
	/* Neither shared nor private, and the types Linux does not know. */
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, PAGE, PROT_READ, 0x04 | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EINVAL);
	CHECK(mmap(NULL, PAGE, PROT_READ, 0x0f | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EINVAL);
	/* MAP_SHARED | MAP_PRIVATE is MAP_SHARED_VALIDATE: shared memory, unknown flags refused. */
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1,
		 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK(shared_pages() == before + 1);
		pid_t pid = fork();

		if (pid == 0) {
			p[0] = 42;
			_exit(0);
		}
		wait_status(pid);
		CHECK(p[0] == 42); /* shared, not private */
		CHECK(munmap(p, PAGE) == 0);
	}
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x80000000, -1,
		   0) == MAP_FAILED &&
	      errno == ENOTSUP);
	/* Plain MAP_SHARED ignores unknown flags, as Linux does. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | 0x80000000, -1, 0);
	CHECK(p != MAP_FAILED && munmap(p, PAGE) == 0);
	/* A file: a closed fd is EBADF, an open one ENODEV (nothing can be mapped). */
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, 12, 0) == MAP_FAILED && errno == EBADF);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, -1, 0) == MAP_FAILED && errno == EBADF);
	CHECK(pipe(fds) == 0);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fds[0], 0) == MAP_FAILED && errno == ENODEV);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fds[0], 0) == MAP_FAILED && errno == ENODEV);
	close(fds[0]);
	close(fds[1]);
	/* With MAP_ANONYMOUS, fd is ignored; an offset must still be page-aligned. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, 5, 0);
	CHECK(p != MAP_FAILED && munmap(p, PAGE) == 0);
	CHECK(mmap(NULL, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 100) == MAP_FAILED &&
	      errno == EINVAL);
	CHECK(mmap(NULL, PAGE, PROT_WRITE | PROT_EXEC, MAP_SHARED | MAP_ANONYMOUS, -1, 0) ==
		      MAP_FAILED &&
	      errno == EINVAL);
	/* A length that wraps when rounded, or more than memory holds: ENOMEM, nothing taken. */
	CHECK(mmap(NULL, (size_t)-1, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == ENOMEM);
	CHECK(mmap(NULL, (size_t)1 << 36, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0) ==
		      MAP_FAILED &&
	      errno == ENOMEM);
	CHECK(shared_pages() == before);
	return failures;
}

/*
 * n children each write their own word of one shared page and read everyone's; the parent
 * sees every write. Each child exits when the parent tells it to, in the order `order` gives,
 * and the page must stay right for those still running.
 */
static void share_with(int n, const int *order)
{
	volatile uint64_t *m = map_shared(PAGES * PAGE, PROT_READ | PROT_WRITE);
	int go[MAX_CHILDREN][2];
	int ready[2];
	pid_t pids[MAX_CHILDREN];

	if (m == NULL) {
		return;
	}
	CHECK(m[0] == 0 && m[PAGES * PAGE / 8 - 1] == 0); /* zeroed */
	m[0] = 1000;
	CHECK(pipe(ready) == 0);
	for (int i = 0; i < n; i++) {
		CHECK(pipe(go[i]) == 0);
		pids[i] = fork();
		if (pids[i] == 0) {
			char c;

			m[1 + i] = 100 + i;
			m[PAGE / 8 * (i % PAGES) + 16 + i] = i;
			CHECK(write(ready[1], "r", 1) == 1);
			/* Until told to exit: then every sibling still alive must see ours. */
			CHECK(read(go[i][0], &c, 1) == 1);
			CHECK(m[0] == 1000 + (uint64_t)c);
			_exit(failures);
		}
	}
	for (int i = 0; i < n; i++) {
		char c;

		CHECK(read(ready[0], &c, 1) == 1);
	}
	for (int i = 0; i < n; i++) {
		CHECK(m[1 + i] == (uint64_t)(100 + i));
		CHECK(m[PAGE / 8 * (i % PAGES) + 16 + i] == (uint64_t)i);
	}
	for (int k = 0; k < n; k++) {
		int i = order[k];
		int status;

		m[0] = 1000 + k; /* the child checks it sees this write of ours */
		CHECK(write(go[i][1], (char[]){(char)k}, 1) == 1);
		status = wait_status(pids[i]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CHECK(m[1 + i] == (uint64_t)(100 + i)); /* its pages stay ours */
		close(go[i][0]);
		close(go[i][1]);
	}
	close(ready[0]);
	close(ready[1]);
	CHECK(shared_pages() >= PAGES);
	CHECK(munmap((void *)m, PAGES * PAGE) == 0);
}

/* 1..MAX_CHILDREN sharers, exiting first to last, last to first, and interleaved. */
static int children(void)
{
	static const int orders[3][MAX_CHILDREN] = {
		{0, 1, 2, 3, 4},
		{4, 3, 2, 1, 0},
		{1, 0, 3, 2, 4},
	};
	uint64_t before = shared_pages();

	for (int n = 1; n <= MAX_CHILDREN; n++) {
		for (int o = 0; o < 3; o++) {
			int order[MAX_CHILDREN];
			int k = 0;

			/* The order's entries below n, in the order's order. */
			for (int j = 0; j < MAX_CHILDREN; j++) {
				if (orders[o][j] < n) {
					order[k++] = orders[o][j];
				}
			}
			share_with(n, order);
		}
	}
	CHECK(shared_pages() == before);
	return failures;
}

/* Eager fork copies private pages, never shared ones; a grandchild shares them too. */
static int eager_and_grandchild(void)
{
	volatile uint64_t *m = map_shared(PAGE, PROT_READ | PROT_WRITE);
	pid_t pid;

	if (m == NULL) {
		return failures;
	}
	inox_fork_mode(INOX_FORK_EAGER);
	pid = fork();
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0) {
			m[1] = 2;
			_exit(0);
		}
		wait_status(g);
		m[2] = m[1] + 1;
		_exit(failures);
	}
	CHECK(wait_status(pid) == 0);
	CHECK(m[1] == 2 && m[2] == 3);
	inox_fork_mode(INOX_FORK_COW);
	return failures;
}

/* munmap in one sharer: the others keep the page, the unmapper faults on it. */
static int unmap_one(void)
{
	volatile uint64_t *m = map_shared(2 * PAGE, PROT_READ | PROT_WRITE);
	int sync[2];
	pid_t pid;
	char c;

	if (m == NULL) {
		return failures;
	}
	CHECK(pipe(sync) == 0);
	pid = fork();
	if (pid == 0) {
		CHECK(munmap((void *)m, PAGE) == 0);
		CHECK(killed_by_segv(in_child(load, m)));
		m[PAGE / 8] = 7; /* the second page is still shared */
		CHECK(write(sync[1], "u", 1) == 1);
		_exit(failures);
	}
	CHECK(read(sync[0], &c, 1) == 1);
	m[0] = 5; /* ours is still there, and writable */
	CHECK(m[0] == 5 && m[PAGE / 8] == 7);
	CHECK(wait_status(pid) == 0);
	CHECK(m[0] == 5 && m[PAGE / 8] == 7);
	close(sync[0]);
	close(sync[1]);
	return failures;
}

/* mprotect in one sharer: read-only, then PROT_NONE, then read-write again, and the page is
 * still the one the parent writes (never a copy). */
static int protect_one(void)
{
	volatile uint64_t *m = map_shared(PAGE, PROT_READ | PROT_WRITE);
	int to_child[2];
	int to_parent[2];
	pid_t pid;
	char c;

	if (m == NULL) {
		return failures;
	}
	CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0);
	pid = fork();
	if (pid == 0) {
		CHECK(mprotect((void *)m, PAGE, PROT_READ) == 0);
		CHECK(killed_by_segv(in_child(store, m)));
		CHECK(write(to_parent[1], "1", 1) == 1);
		CHECK(read(to_child[0], &c, 1) == 1);
		CHECK(m[0] == 11); /* read-only, still the parent's page */
		CHECK(mprotect((void *)m, PAGE, PROT_NONE) == 0);
		CHECK(killed_by_segv(in_child(load, m)));
		CHECK(write(1, (void *)m, 8) == -1 && errno == EFAULT);
		CHECK(mprotect((void *)m, PAGE, PROT_READ | PROT_WRITE) == 0);
		CHECK(m[0] == 11); /* PROT_NONE kept the contents */
		m[1] = 22; /* writable in place: the parent sees it */
		CHECK(write(to_parent[1], "2", 1) == 1);
		CHECK(read(to_child[0], &c, 1) == 1);
		CHECK(m[2] == 33);
		_exit(failures);
	}
	CHECK(read(to_parent[0], &c, 1) == 1);
	m[0] = 11; /* the child's read-only mapping did not make ours read-only */
	CHECK(write(to_child[1], "a", 1) == 1);
	CHECK(read(to_parent[0], &c, 1) == 1);
	CHECK(m[1] == 22);
	m[2] = 33;
	CHECK(write(to_child[1], "b", 1) == 1);
	CHECK(wait_status(pid) == 0);
	/* The parent's own PROT_NONE and back, across a fork: still one page. */
	CHECK(mprotect((void *)m, PAGE, PROT_NONE) == 0);
	pid = fork();
	if (pid == 0) {
		CHECK(mprotect((void *)m, PAGE, PROT_READ | PROT_WRITE) == 0);
		CHECK(m[2] == 33);
		m[3] = 44;
		_exit(failures);
	}
	CHECK(wait_status(pid) == 0);
	CHECK(mprotect((void *)m, PAGE, PROT_READ | PROT_WRITE) == 0);
	CHECK(m[3] == 44);
	for (int i = 0; i < 2; i++) {
		close(to_child[i]);
		close(to_parent[i]);
	}
	return failures;
}

/* exec drops the mapping: the new program faults on its address; ours stays. */
static int exec_drops(void)
{
	volatile uint64_t *m = map_shared(PAGE, PROT_READ | PROT_WRITE);
	char arg[32];
	pid_t pid;

	if (m == NULL) {
		return failures;
	}
	m[0] = 9;
	snprintf(arg, sizeof(arg), "0x%lx", (unsigned long)(uintptr_t)m);
	pid = fork();
	if (pid == 0) {
		m[1] = 10;
		execv("/bin/shm_probe", (char *[]){"shm_probe", arg, NULL});
		_exit(99);
	}
	CHECK(wait_status(pid) == 0);
	CHECK(m[0] == 9 && m[1] == 10);
	return failures;
}

/* Private memory still copies on write next to a shared mapping. */
static int private_beside(void)
{
	volatile uint64_t *m = map_shared(PAGE, PROT_READ | PROT_WRITE);
	volatile uint64_t *p =
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	CHECK(p != MAP_FAILED);
	if (m == NULL || p == MAP_FAILED) {
		return failures;
	}
	p[0] = 1;
	pid = fork();
	if (pid == 0) {
		p[0] = 2;
		m[0] = p[0];
		_exit(0);
	}
	CHECK(wait_status(pid) == 0);
	CHECK(p[0] == 1 && m[0] == 2);
	return failures;
}

static void run(const char *name, int (*body)(void))
{
	run_counted(name, body, shared_pages, "shared pages");
}

int main(void)
{
	run("flags", flags);
	run("children", children);
	printf("shared: %d children wrote to one page, exits in every order\n", MAX_CHILDREN);
	run("eager_and_grandchild", eager_and_grandchild);
	run("unmap_one", unmap_one);
	run("protect_one", protect_one);
	run("exec_drops", exec_drops);
	run("private_beside", private_beside);
	printf("userspace shared: %d failures\n", failures);
	return failures != 0;
}
