/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Leaf page tables shared at fork (CONFIG_MM_COW_SHARED_PT). A 2 MiB-aligned chunk of
 * private memory, every page written, is shared by 2, 3 and 6 processes (the tester and its
 * children, all forked before any of them touches it again); then each child does one
 * operation on it while the tester checks that its own contents never change: stores, loads,
 * munmap of half, mprotect (read-only, PROT_NONE, back), brk down and up over a heap chunk,
 * exec, exit, an eager fork, read() into and write() from the chunk through a pipe. Then
 * three generations forking from tables still shared, a MAP_SHARED mapping beside private
 * memory in one chunk, and rounds where half the sharers exit while the others and the
 * tester store (on other harts with qemu_riscv64/smp). Each case runs in a child and must
 * give back every page and page-table page. Last, the shared zero page (CONFIG_MM_ZERO_PAGE):
 * loads from untouched memory that take no page, and what fork, exec, read(), mprotect,
 * munmap and brk do with such mappings.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

#define PAGE  4096UL
#define CHUNK (2UL << 20)
#define NPG   (CHUNK / PAGE)

static int tables_on; /* does fork share leaf tables? */

static int exited_ok(int status)
{
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static struct inox_memstat stat_now(void)
{
	struct inox_memstat st = {0};

	inox_memstat(&st);
	return st;
}

static uint64_t table_pages(void)
{
	return stat_now().page_table_pages;
}

static char tag_of(int tag, size_t i)
{
	return (char)(tag * 31 + i);
}

/* Writes tag's pattern to pages [first, last) of c: the first and last byte of each. */
static void fill(char *c, int tag, size_t first, size_t last)
{
	for (size_t i = first; i < last; i++) {
		c[i * PAGE] = tag_of(tag, i);
		c[i * PAGE + PAGE - 1] = tag_of(tag, i);
	}
}

/* Whether pages [first, last) of c hold tag's pattern. */
static int holds(const char *c, int tag, size_t first, size_t last)
{
	for (size_t i = first; i < last; i++) {
		if (c[i * PAGE] != tag_of(tag, i) || c[i * PAGE + PAGE - 1] != tag_of(tag, i)) {
			return 0;
		}
	}
	return 1;
}

/* A fresh private chunk, 2 MiB-aligned (its own leaf table), every page written with tag 1. */
static char *chunk_new(void)
{
	char *m = mmap(NULL, 2 * CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *c;

	if (m == MAP_FAILED) {
		return NULL;
	}
	c = (char *)(((uintptr_t)m + CHUNK - 1) & ~(CHUNK - 1));
	fill(c, 1, 0, NPG);
	return c;
}

/*
 * What one child does with the shared chunk c (who: 1..n-1); returns 0 when all was as
 * expected. The child touches nothing of c before it runs.
 */
typedef int (*op_fn)(char *c, int who);

static int op_write(char *c, int who)
{
	fill(c, 10 + who, 0, NPG);
	return !holds(c, 10 + who, 0, NPG);
}

static int op_read(char *c, int who)
{
	return !holds(c, 1, 0, NPG);
}

static int op_exit(char *c, int who)
{
	return 0;
}

static int op_munmap(char *c, int who)
{
	if (munmap(c + CHUNK / 2, CHUNK / 2) != 0 || !holds(c, 1, 0, NPG / 2)) {
		return 1;
	}
	fill(c, 10 + who, 0, NPG / 4);
	return !holds(c, 10 + who, 0, NPG / 4) || !holds(c, 1, NPG / 4, NPG / 2);
}

static int op_mprotect(char *c, int who)
{
	int bad = mprotect(c, CHUNK / 2, PROT_READ) != 0 || !holds(c, 1, 0, NPG);

	bad |= mprotect(c + CHUNK / 2, CHUNK / 2, PROT_NONE) != 0;
	/* The kernel cannot read a PROT_NONE page either. */
	bad |= write(1, c + CHUNK / 2, 1) != -1 || errno != EFAULT;
	bad |= mprotect(c, CHUNK, PROT_READ | PROT_WRITE) != 0 || !holds(c, 1, 0, NPG);
	fill(c, 10 + who, NPG / 2, NPG);
	return bad || !holds(c, 1, 0, NPG / 2) || !holds(c, 10 + who, NPG / 2, NPG);
}

static int op_exec(char *c, int who)
{
	execv("/bin/nop", (char *[]){"nop", NULL});
	return 1;
}

/* An eager fork of a process whose tables are shared: the grandchild gets private copies. */
static int op_eager_fork(char *c, int who)
{
	pid_t pid;
	int bad;

	if (inox_fork_mode(INOX_FORK_EAGER) < 0) {
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		int gbad = !holds(c, 1, 0, NPG);

		fill(c, 20 + who, 0, NPG);
		_exit(gbad || !holds(c, 20 + who, 0, NPG));
	}
	bad = pid < 0 || !exited_ok(wait_status(pid));
	return bad || !holds(c, 1, 0, NPG);
}

/* write() from the shared chunk into a pipe (the kernel loads from it), read() back into
 * another page of it (the kernel stores into it). */
static int op_pipe(char *c, int who)
{
	int fds[2];
	int bad;

	if (pipe(fds) != 0) {
		return 1;
	}
	bad = write(fds[1], c + 3 * PAGE, PAGE) != (ssize_t)PAGE;
	bad |= read_full(fds[0], c + 7 * PAGE, PAGE) != 0;
	bad |= memcmp(c + 7 * PAGE, c + 3 * PAGE, PAGE) != 0;
	close(fds[0]);
	close(fds[1]);
	return bad || !holds(c, 1, 0, 7) || !holds(c, 1, 8, NPG);
}

/*
 * Shares chunk c among n processes: forks n-1 children, which wait on a pipe until all exist
 * (so that the table has n holders), then each runs op. The tester checks its own contents
 * while they run and after, then stores to every page. Returns 0 or 1.
 */
static int share_and_run(char *c, int n, op_fn op)
{
	struct inox_memstat st0 = stat_now();
	struct inox_memstat st1;
	pid_t pids[16];
	int go[2];
	int bad = 0;

	if (pipe(go) != 0) {
		return 1;
	}
	for (int i = 1; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			char b;

			close(go[1]);
			_exit(read(go[0], &b, 1) != 1 || op(c, i));
		}
		bad |= pids[i] < 0;
	}
	st1 = stat_now();
	/* Each fork shared the chunk's table (and the tester's others): nothing per page. */
	if (tables_on) {
		CHECK(st1.tables_shared_at_fork - st0.tables_shared_at_fork >= (uint64_t)(n - 1));
	}
	for (int i = 1; i < n; i++) {
		CHECK(write(go[1], "g", 1) == 1);
	}
	bad |= !holds(c, 1, 0, NPG);
	for (int i = 1; i < n; i++) {
		int status = wait_status(pids[i]);

		if (!exited_ok(status)) {
			printf("FAIL share_and_run: sharer %d of %d: status %#x\n", i, n, status);
			bad = 1;
		}
	}
	bad |= !holds(c, 1, 0, NPG);
	fill(c, 2, 0, NPG);
	bad |= !holds(c, 2, 0, NPG);
	close(go[0]);
	close(go[1]);
	return bad;
}

static const struct {
	const char *name;
	op_fn op;
} ops[] = {
	{"write", op_write},           {"read", op_read},         {"exit", op_exit},
	{"munmap", op_munmap},         {"mprotect", op_mprotect}, {"exec", op_exec},
	{"eager fork", op_eager_fork}, {"pipe", op_pipe},
};

static int case_op;
static int case_n;

static int run_case(void)
{
	char *c = chunk_new();

	return c == NULL || share_and_run(c, case_n, ops[case_op].op);
}

/* brk: a heap chunk shared, one sharer shrinks the break into it and grows it back (the pages
 * above must come back zeroed), the others and the tester keep theirs. */
static int op_brk(char *c, int who)
{
	char *top = sbrk(0);
	int bad;

	if (brk(c + CHUNK / 2) != 0) {
		return 1;
	}
	bad = !holds(c, 1, 0, NPG / 2);
	bad |= brk(top) != 0;
	for (size_t i = NPG / 2; i < NPG; i++) {
		bad |= c[i * PAGE] != 0 || c[i * PAGE + PAGE - 1] != 0;
	}
	fill(c, 10 + who, 0, NPG);
	return bad || !holds(c, 10 + who, 0, NPG);
}

static int run_brk_case(void)
{
	char *m = sbrk(2 * CHUNK);
	char *c;

	if (m == (void *)-1) {
		return 1;
	}
	c = (char *)(((uintptr_t)m + CHUNK - 1) & ~(CHUNK - 1));
	/* The break at the chunk's end, so that op_brk() can move it back there. */
	if (brk(c + CHUNK) != 0) {
		return 1;
	}
	fill(c, 1, 0, NPG);
	return share_and_run(c, case_n, op_brk);
}

/* A fork of a process whose tables are still shared by its own parent, three deep. */
static int run_generations(void)
{
	char *c = chunk_new();
	pid_t child;
	int bad = 0;

	if (c == NULL) {
		return 1;
	}
	child = fork();
	if (child == 0) {
		/* Forks before touching anything: its tables are still shared with the tester. */
		pid_t grandchild = fork();
		int cbad = 0;

		if (grandchild == 0) {
			pid_t great = fork();
			int gbad = 0;

			if (great == 0) {
				int xbad = !holds(c, 1, 0, NPG);

				fill(c, 40, 0, NPG);
				_exit(xbad || !holds(c, 40, 0, NPG));
			}
			gbad |= !holds(c, 1, 0, NPG);
			fill(c, 30, 0, NPG / 2);
			gbad |= !exited_ok(wait_status(great));
			_exit(gbad || !holds(c, 30, 0, NPG / 2) || !holds(c, 1, NPG / 2, NPG));
		}
		cbad |= !exited_ok(wait_status(grandchild));
		cbad |= !holds(c, 1, 0, NPG);
		fill(c, 20, NPG / 2, NPG);
		_exit(cbad || !holds(c, 1, 0, NPG / 2) || !holds(c, 20, NPG / 2, NPG));
	}
	bad |= !holds(c, 1, 0, NPG);
	bad |= !exited_ok(wait_status(child));
	bad |= !holds(c, 1, 0, NPG);
	fill(c, 2, 0, NPG);
	return bad || !holds(c, 2, 0, NPG);
}

/* A MAP_SHARED mapping and private memory in one chunk, whose table fork shares: a store to
 * the shared pages reaches every sharer, one to the private pages only the one that made it. */
static int run_shared_mapping(void)
{
	char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int bad = 0;

	if (s == MAP_FAILED || p == MAP_FAILED) {
		return 1;
	}
	/* Consecutive mappings: in one chunk unless they straddle a 2 MiB line. */
	if (((uintptr_t)s ^ (uintptr_t)p) >= CHUNK) {
		s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
	}
	CHECK(((uintptr_t)s ^ (uintptr_t)p) < CHUNK);
	s[0] = 'a';
	p[0] = 'a';
	pid = fork();
	if (pid == 0) {
		int cbad = s[0] != 'a' || p[0] != 'a';

		s[0] = 'c';
		p[0] = 'c';
		s[PAGE] = 'c';
		_exit(cbad || s[0] != 'c' || p[0] != 'c');
	}
	bad |= !exited_ok(wait_status(pid));
	bad |= s[0] != 'c' || s[PAGE] != 'c' || p[0] != 'a';
	p[0] = 'b';
	bad |= s[0] != 'c' || p[0] != 'b';
	return bad;
}

/*
 * The last sharers going while others take their copies: each round forks 4 children that
 * wait on one pipe; released at once, two exit, two store to the chunk, and the tester
 * stores too. On an SMP board these run on several harts at once.
 */
#define RACE_ROUNDS 40

static int run_race(void)
{
	char *c = chunk_new();
	int bad = 0;

	if (c == NULL) {
		return 1;
	}
	for (int round = 0; round < RACE_ROUNDS && !bad; round++) {
		int tag = 1 + round % 50;
		pid_t pids[4];
		int go[2];

		fill(c, tag, 0, NPG);
		if (pipe(go) != 0) {
			return 1;
		}
		for (int i = 0; i < 4; i++) {
			pids[i] = fork();
			if (pids[i] == 0) {
				char b[1];

				close(go[1]);
				if (read(go[0], b, 1) != 1) {
					_exit(1);
				}
				if (i < 2) {
					_exit(0);
				}
				fill(c, 60 + i, (i - 2) * NPG / 2, (i - 1) * NPG / 2);
				_exit(!holds(c, tag, (3 - i) * NPG / 2, (4 - i) * NPG / 2) ||
				      !holds(c, 60 + i, (i - 2) * NPG / 2, (i - 1) * NPG / 2));
			}
		}
		CHECK(write(go[1], "gggg", 4) == 4);
		bad |= !holds(c, tag, 0, NPG);
		fill(c, tag + 1, 0, NPG);
		for (int i = 0; i < 4; i++) {
			bad |= !exited_ok(wait_status(pids[i]));
		}
		bad |= !holds(c, tag + 1, 0, NPG);
		close(go[0]);
		close(go[1]);
	}
	return bad;
}

/* -- The zero page --------------------------------------------------------------- */

#define ZPAGES 64

static int zero_on; /* does a load from untouched memory map the zero page? */

static uint64_t zero_maps(void)
{
	return stat_now().zero_page_maps;
}

/* Whether pages [0, n) of m read as zero (the first and last byte of each). */
static int all_zero(const char *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m[i * PAGE] != 0 || m[i * PAGE + PAGE - 1] != 0) {
			return 0;
		}
	}
	return 1;
}

/*
 * Loads from untouched private memory (mmap, heap, a PROT_WRITE-only mapping) take no page;
 * the first store to each gives it a zeroed page of its own. Then fork (COW and eager)
 * with zero pages mapped, read() into one, mprotect over them, munmap of them, brk down
 * over them.
 */
static int run_zero_page(void)
{
	struct inox_memstat st0;
	char *m = mmap(NULL, ZPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	char *w = mmap(NULL, 4 * PAGE, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *h = sbrk(ZPAGES * PAGE);
	struct inox_memstat st1;
	uint64_t before;
	int fds[2];
	pid_t pid;
	int bad = 0;

	if (m == MAP_FAILED || w == MAP_FAILED || h == (void *)-1) {
		return 1;
	}
	/* The first load of each may take a page-table page (free_pages() counts it free) or
	 * take back a table still shared with our parent (whose copy raises the count of the
	 * zero page for the parent's own mappings of it): measure from there. */
	bad |= m[0] != 0 || h[0] != 0 || w[0] != 0;
	st0 = stat_now();
	before = free_pages();
	bad |= !all_zero(m, ZPAGES) || !all_zero(h, ZPAGES) || !all_zero(w, 4);
	st1 = stat_now();
	if (zero_on) {
		CHECK(free_pages() == before);
		CHECK(st1.zero_page_maps - st0.zero_page_maps == 2 * ZPAGES + 4 - 3);
		CHECK(st1.zero_page_faults - st0.zero_page_faults == 2 * ZPAGES + 4 - 3);
	}
	/* A store: a zeroed page of its own, the neighbours still zero. */
	m[5 * PAGE + 7] = 'x';
	w[PAGE] = 'w';
	h[3 * PAGE] = 'h';
	bad |= m[5 * PAGE + 7] != 'x' || m[5 * PAGE] != 0 || m[5 * PAGE + PAGE - 1] != 0;
	bad |= w[PAGE] != 'w' || h[3 * PAGE] != 'h' || !all_zero(m, 5) || m[6 * PAGE] != 0;
	if (zero_on) {
		CHECK(zero_maps() == st1.zero_page_maps - 3);
		CHECK(stat_now().zero_page_breaks - st1.zero_page_breaks == 3);
	}
	/* Fork with zero pages mapped: the child's stores stay its own. */
	pid = fork();
	if (pid == 0) {
		int cbad = !all_zero(m + 6 * PAGE, ZPAGES - 6) || m[5 * PAGE + 7] != 'x';

		memset(m + 10 * PAGE, 'c', PAGE);
		_exit(cbad || m[10 * PAGE + 100] != 'c');
	}
	bad |= !exited_ok(wait_status(pid)) || !all_zero(m + 6 * PAGE, ZPAGES - 6);
	/* The same with an eager fork: the child maps the zero page too, copying nothing. */
	if (inox_fork_mode(INOX_FORK_EAGER) >= 0) {
		pid = fork();
		if (pid == 0) {
			int cbad = !all_zero(m + 6 * PAGE, ZPAGES - 6);

			memset(m + 11 * PAGE, 'e', PAGE);
			_exit(cbad || m[11 * PAGE + 100] != 'e');
		}
		bad |= !exited_ok(wait_status(pid)) || !all_zero(m + 6 * PAGE, ZPAGES - 6);
		inox_fork_mode(INOX_FORK_COW);
	}
	/* The kernel stores into a zero-page mapping. */
	if (pipe(fds) != 0) {
		return 1;
	}
	bad |= write(fds[1], "kernel", 6) != 6 || read(fds[0], m + 20 * PAGE + 10, 6) != 6;
	bad |= memcmp(m + 20 * PAGE + 10, "kernel", 6) != 0 || m[20 * PAGE] != 0;
	close(fds[0]);
	close(fds[1]);
	/* Read-only, then writable again: the store still gets a page of its own. */
	bad |= mprotect(m + 30 * PAGE, 2 * PAGE, PROT_READ) != 0 || m[30 * PAGE] != 0;
	bad |= mprotect(m + 30 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE) != 0;
	m[31 * PAGE] = 'p';
	bad |= m[31 * PAGE] != 'p' || m[30 * PAGE] != 0 || m[32 * PAGE] != 0;
	/* munmap and brk give the mappings back. */
	bad |= munmap(m, ZPAGES * PAGE) != 0 || munmap(w, 4 * PAGE) != 0;
	bad |= sbrk(-(intptr_t)(ZPAGES * PAGE)) == (void *)-1;
	if (zero_on) {
		CHECK(zero_maps() == st0.zero_page_maps - 3);
	}
	return bad;
}

static int (*case_body)(void);

/* A case's result: what it returned, or a failed CHECK() in its process. */
static int case_wrap(void)
{
	return case_body() != 0 || failures != 0;
}

static void counted(const char *name, int (*body)(void))
{
	case_body = body;
	run_counted(name, case_wrap, table_pages, "page-table pages");
}

static int run_tests(void)
{
	static const int sharers[] = {2, 3, 6};
	char name[64];
	struct inox_memstat st0 = stat_now();
	pid_t pid = fork();

	if (pid == 0) {
		_exit(0);
	}
	wait_status(pid);
	tables_on = stat_now().tables_shared_at_fork > st0.tables_shared_at_fork;
	printf("sharedpt: leaf tables shared at fork: %s\n", tables_on ? "yes" : "no");

	for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		for (size_t k = 0; k < sizeof(sharers) / sizeof(sharers[0]); k++) {
			case_op = (int)o;
			case_n = sharers[k];
			snprintf(name, sizeof(name), "%s, %d sharers", ops[o].name, case_n);
			counted(name, run_case);
		}
	}
	for (size_t k = 0; k < sizeof(sharers) / sizeof(sharers[0]); k++) {
		case_n = sharers[k];
		snprintf(name, sizeof(name), "brk, %d sharers", case_n);
		counted(name, run_brk_case);
	}
	counted("generations", run_generations);
	counted("shared mapping", run_shared_mapping);
	counted("race", run_race);
	{
		char *z = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			       0);
		uint64_t faults = stat_now().zero_page_faults;

		zero_on = z != MAP_FAILED && z[0] == 0 && stat_now().zero_page_faults > faults;
		printf("sharedpt: zero page: %s\n", zero_on ? "yes" : "no");
		case_body = run_zero_page;
		run_counted("zero page", case_wrap, zero_maps, "zero page mappings");
	}
	if (tables_on) {
		struct inox_memstat st1 = stat_now();

		/* Sharers took copies, and last sharers took tables back as they were. */
		CHECK(st1.table_copies > st0.table_copies);
		CHECK(st1.table_reuses > st0.table_reuses);
	}
	printf("sharedpt: 3 generations, %d race rounds\n", RACE_ROUNDS);
	return failures;
}

int main(void)
{
	/* In a child, so that every page the tests took must be back once it is reaped. */
	int status = run_accounted("userspace sharedpt", run_tests);

	CHECK(WIFEXITED(status));
	failures += WEXITSTATUS(status);
	printf("userspace sharedpt: %d failures\n", failures);
	return failures != 0;
}
