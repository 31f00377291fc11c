/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The overcommit policy of this image (inox_memstat's overcommit_mode), run as init: what
 * every mode charges to the commit count (private writable mmap, mprotect to writable, brk,
 * shared mappings, fork, exec; MAP_NORESERVE), then what the mode refuses: the heuristic
 * a single request larger than RAM (xv6's sbrkfail: sbrk(1000 MiB)), always nothing, strict
 * anything past the limit, and a fork that cannot be backed, at once with ENOMEM. After
 * every test, the charge and every free page are back where they started.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

#define PAGE 4096UL
#define MIB  (1024 * 1024UL)

static struct inox_memstat stat_now(void)
{
	struct inox_memstat st;

	CHECK(inox_memstat(&st) == 0);
	return st;
}

static uint64_t committed(void)
{
	return stat_now().committed_pages;
}

static void *map(size_t len, int prot, int flags)
{
	return mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
}

/* Forks a child that waits for a byte on fd, then exits 0; its pid. */
static pid_t parked_child(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		char c;

		_exit(read(fd, &c, 1) == 1 ? 0 : 1);
	}
	return pid;
}

/* What every mode charges, and gives back. */
static int charges(void)
{
	int mode = stat_now().overcommit_mode;
	uint64_t c0 = committed();
	uint64_t c1;
	int fds[2];
	char *rw;
	char *ro;
	char *sh;
	char *nr;
	pid_t pid;
	int status;

	/* Private writable mmap: its pages; read-only: nothing. */
	rw = map(100 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK(rw != MAP_FAILED && committed() == c0 + 100);
	ro = map(100 * PAGE, PROT_READ, MAP_PRIVATE);
	CHECK(ro != MAP_FAILED && committed() == c0 + 100);
	/* Made writable: charged (half of it); made read-only again: still charged (Linux). */
	CHECK(mprotect(ro, 50 * PAGE, PROT_READ | PROT_WRITE) == 0 && committed() == c0 + 150);
	CHECK(mprotect(ro, 100 * PAGE, PROT_READ) == 0 && committed() == c0 + 150);
	CHECK(mprotect(ro, 100 * PAGE, PROT_READ | PROT_WRITE) == 0 && committed() == c0 + 200);
	/* munmap gives back exactly what it unmaps, a hole in the middle too. */
	CHECK(munmap(rw + 10 * PAGE, 20 * PAGE) == 0 && committed() == c0 + 180);
	CHECK(munmap(rw, 100 * PAGE) == 0 && committed() == c0 + 100);
	CHECK(munmap(ro, 100 * PAGE) == 0 && committed() == c0);
	/* brk: what it grows by, to the page, and back. */
	CHECK(sbrk(10 * PAGE) != (void *)-1 && committed() == c0 + 10);
	CHECK(sbrk(-5 * (long)PAGE) != (void *)-1 && committed() == c0 + 5);
	CHECK(sbrk(-5 * (long)PAGE) != (void *)-1 && committed() == c0);
	/* A shared mapping: its pages, once, whoever maps them. */
	sh = map(10 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(sh != MAP_FAILED && committed() == c0 + 10);
	/* MAP_NORESERVE: not charged, but under strict accounting, which ignores it. */
	nr = map(10 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	CHECK(nr != MAP_FAILED);
	CHECK(committed() == c0 + 10 + (mode == INOX_OVERCOMMIT_NEVER ? 10 : 0));
	CHECK(munmap(nr, 10 * PAGE) == 0 && committed() == c0 + 10);
	/* fork: the child is charged what we are (our stack alone is 256 pages); the shared
	 * pages are not charged twice. */
	c1 = committed();
	CHECK(pipe(fds) == 0);
	pid = parked_child(fds[0]);
	CHECK(pid > 0);
	CHECK(committed() >= c1 + 256);
	CHECK(write(fds[1], "x", 1) == 1);
	CHECK(wait_status(pid) == 0);
	CHECK(committed() == c1);
	CHECK(munmap(sh, 10 * PAGE) == 0 && committed() == c0);
	/* exec: the new program's charge replaces the old one's, and goes at its exit. */
	pid = fork();
	if (pid == 0) {
		close(1); /* memstat's output is not this test's */
		execv("/bin/memstat", (char *[]){"memstat", NULL});
		_exit(99);
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status));
	CHECK(committed() == c0);
	close(fds[0]);
	close(fds[1]);
	return failures;
}

/* Heuristic (Linux's mode 0): only a single request larger than RAM is refused. */
static int heuristic(void)
{
	struct inox_memstat st = stat_now();
	size_t more = st.total_pages * PAGE + MIB; /* than all of RAM */
	size_t step = st.total_pages * 6 / 10 * PAGE;
	uint64_t c0 = st.committed_pages;
	char *p;

	/* xv6's sbrkfail on the 256 MiB boards, then more than RAM on any board. */
	CHECK(st.total_pages * PAGE >= 1000 * MIB ||
	      (sbrk(1000 * MIB) == (void *)-1 && errno == ENOMEM));
	CHECK(sbrk(more) == (void *)-1 && errno == ENOMEM);
	CHECK(map(more, PROT_READ | PROT_WRITE, MAP_PRIVATE) == MAP_FAILED && errno == ENOMEM);
	CHECK(committed() == c0);
	/* Not charged, so not refused: read-only, or MAP_NORESERVE. */
	p = map(more, PROT_READ, MAP_PRIVATE);
	CHECK(p != MAP_FAILED);
	CHECK(mprotect(p, more, PROT_READ | PROT_WRITE) == -1 && errno == ENOMEM);
	CHECK(munmap(p, more) == 0);
	p = map(more, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	CHECK(p != MAP_FAILED);
	p[more / 2] = 1;
	CHECK(munmap(p, more) == 0);
	/* Each request below RAM is promised, however many (more than RAM in all). */
	CHECK(sbrk(step) != (void *)-1);
	CHECK(sbrk(step) != (void *)-1);
	CHECK(committed() == c0 + 2 * step / PAGE);
	CHECK(sbrk(-2 * (long)step) != (void *)-1 && committed() == c0);
	return failures;
}

/* Always (Linux's mode 1): nothing is refused. */
static int always(void)
{
	uint64_t c0 = committed();
	char *brk0 = sbrk(0);
	char *p;

	CHECK(sbrk(1000 * MIB) == brk0);
	brk0[999 * MIB] = 1;
	CHECK(committed() == c0 + 1000 * MIB / PAGE);
	p = map(4000 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK(p != MAP_FAILED);
	p[3999 * MIB] = 1;
	CHECK(committed() == c0 + 5000 * MIB / PAGE);
	CHECK(munmap(p, 4000 * MIB) == 0);
	CHECK(sbrk(-1000 * (long)MIB) != (void *)-1 && committed() == c0);
	return failures;
}

/* Whether fork() fails with ENOMEM (a child it made anyway exits at once). */
static bool fork_refused(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		_exit(0);
	}
	if (pid > 0) {
		wait_status(pid);
	}
	return pid == -1 && errno == ENOMEM;
}

static int store_first_page(char *p)
{
	pid_t pid = fork();

	if (pid == 0) {
		p[0] = 1;
		_exit(0);
	}
	return wait_status(pid);
}

/* Strict (Linux's mode 2): nothing past the limit, and a fork that could not be backed
 * fails at once instead of a kill later. */
static int strict(void)
{
	struct inox_memstat st = stat_now();
	uint64_t limit = st.commit_limit_pages;
	uint64_t c0 = st.committed_pages;
	uint64_t room = limit - c0;
	char *big;
	char *ro;
	int status;

	/* RAM less the kernel's reserve, times CONFIG_MM_OVERCOMMIT_RATIO (50 or 80) percent. */
	CHECK(limit < st.total_pages * 81 / 100 && limit > st.total_pages * 45 / 100);
	CHECK(c0 < limit);
	CHECK(map((room + 1) * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE) == MAP_FAILED &&
	      errno == ENOMEM);
	CHECK(committed() == c0);
	big = map(room * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK(big != MAP_FAILED && committed() == limit);
	if (big == MAP_FAILED) {
		return failures;
	}
	/* At the limit: brk, a writable mapping, a shared one, mprotect to writable and fork
	 * all fail with ENOMEM, and change nothing. */
	CHECK(sbrk(PAGE) == (void *)-1 && errno == ENOMEM);
	CHECK(map(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE) == MAP_FAILED && errno == ENOMEM);
	CHECK(map(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE) == MAP_FAILED &&
	      errno == ENOMEM);
	CHECK(map(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED) == MAP_FAILED && errno == ENOMEM);
	ro = map(PAGE, PROT_READ, MAP_PRIVATE);
	CHECK(ro != MAP_FAILED);
	CHECK(mprotect(ro, PAGE, PROT_READ | PROT_WRITE) == -1 && errno == ENOMEM);
	CHECK(fork_refused());
	CHECK(committed() == limit);
	/* Half the room left: our fork could not be backed (the child would need all we hold),
	 * so it fails at once; with most of it given back, it works. */
	CHECK(munmap(big + room / 2 * PAGE, (room - room / 2) * PAGE) == 0);
	CHECK(committed() == limit - (room - room / 2));
	CHECK(fork_refused());
	CHECK(munmap(big, room / 2 * PAGE) == 0 && committed() == c0);
	/* A fork that fits; the refused mprotect left the page read-only. */
	status = store_first_page(ro);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	CHECK(munmap(ro, PAGE) == 0 && committed() == c0);
	return failures;
}

static void run(const char *name, int (*body)(void))
{
	run_counted(name, body, committed, "pages committed");
}

int main(void)
{
	struct inox_memstat st = stat_now();
	pid_t pid;

	run("charges", charges);
	switch (st.overcommit_mode) {
	case INOX_OVERCOMMIT_GUESS:
		run("heuristic", heuristic);
		printf("overcommit: heuristic; sbrk() of more than RAM fails with ENOMEM\n");
		break;
	case INOX_OVERCOMMIT_ALWAYS:
		run("always", always);
		printf("overcommit: always; sbrk(1000 MiB) succeeds\n");
		break;
	case INOX_OVERCOMMIT_NEVER:
		run("strict", strict);
		printf("overcommit: strict, limit %llu pages; a fork that cannot be backed fails "
		       "with ENOMEM\n",
		       (unsigned long long)st.commit_limit_pages);
		break;
	default:
		CHECK(!"overcommit_mode");
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv("/bin/memstat", (char *[]){"memstat", NULL});
		_exit(99);
	}
	CHECK(wait_status(pid) == 0);
	printf("userspace overcommit: %d failures\n", failures);
	return failures != 0;
}
