/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fork_tree: fork storms. Wide: 50 children alive at once. Deep: a chain of 20 generations,
 * each the child of the one before. Every process writes its own pattern over half of a
 * 32-page buffer after fork and checks all of it, before and after its relatives wrote
 * theirs, then sends a checksum of what it saw to init, which computes what each one should
 * have seen and compares. At the end every page must be free again.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

#define PAGE      4096
#define BUF_PAGES 32
#define WORDS     (PAGE / sizeof(uint64_t))
#define WIDE      50
#define DEEP      20
#define WIDE_ROOT 1000 /* owner ids of the two storms' roots, apart from the children's */
#define DEEP_ROOT 2000

static uint64_t buf[BUF_PAGES][WORDS];

/* What one process sends init: 16 bytes, so that records from many writers never mix. */
struct report {
	int32_t id;
	int32_t ok; /* every page held what it should, before and after its relatives wrote */
	uint64_t sum;
};

/* The word `owner` stores at word w of page p: different for every owner, page and word. */
static uint64_t word_of(uint32_t owner, size_t p, size_t w)
{
	uint64_t x = ((uint64_t)owner << 32 | p << 16 | w) * 0x9e3779b97f4a7c15u;

	return x ^ x >> 29;
}

static void fill_page(uint32_t owner, size_t p)
{
	for (size_t w = 0; w < WORDS; w++) {
		buf[p][w] = word_of(owner, p, w);
	}
}

static int page_is(uint32_t owner, size_t p)
{
	for (size_t w = 0; w < WORDS; w++) {
		if (buf[p][w] != word_of(owner, p, w)) {
			return 0;
		}
	}
	return 1;
}

/* Checksum of the buffer if page p belongs to owner_of(p) (to compute what a process saw). */
static uint64_t expected_sum(uint32_t (*owner_of)(size_t p, uint32_t id), uint32_t id)
{
	uint64_t sum = 0;

	for (size_t p = 0; p < BUF_PAGES; p++) {
		for (size_t w = 0; w < WORDS; w++) {
			sum = sum * 31 + word_of(owner_of(p, id), p, w);
		}
	}
	return sum;
}

static uint64_t buf_sum(void)
{
	uint64_t sum = 0;

	for (size_t p = 0; p < BUF_PAGES; p++) {
		for (size_t w = 0; w < WORDS; w++) {
			sum = sum * 31 + buf[p][w];
		}
	}
	return sum;
}

static void send_report(int fd, int32_t id, int ok)
{
	struct report r = {.id = id, .ok = ok, .sum = buf_sum()};

	if (write(fd, &r, sizeof(r)) != sizeof(r)) {
		_exit(2);
	}
}

static int processes(void)
{
	return inox_ps(NULL, 0);
}

/* -- Wide: child i owns the odd pages, the root the even ones ---------------------- */

static uint32_t wide_owner(size_t p, uint32_t id)
{
	return p % 2 ? id : WIDE_ROOT;
}

/* Child `id`: checks what it inherited, writes its pages, waits until the gate opens (every
 * sibling written by then), checks again, reports. */
static __attribute__((noreturn)) void wide_child(uint32_t id, int gate, int results)
{
	int ok = 1;
	char c;

	for (size_t p = 0; p < BUF_PAGES; p++) {
		ok &= page_is(WIDE_ROOT, p);
	}
	for (size_t p = 1; p < BUF_PAGES; p += 2) {
		fill_page(id, p);
	}
	read(gate, &c, 1);
	for (size_t p = 0; p < BUF_PAGES; p++) {
		ok &= page_is(wide_owner(p, id), p);
	}
	send_report(results, id, ok);
	_exit(ok ? 0 : 1);
}

static void wide_storm(void)
{
	pid_t pids[WIDE];
	int seen[WIDE + 1] = {0};
	int gate[2];
	int results[2];
	int forked = 0;
	int verified = 0;
	int matched = 0;
	int alive;
	uint64_t t0 = now_ms();

	for (size_t p = 0; p < BUF_PAGES; p++) {
		fill_page(WIDE_ROOT, p);
	}
	CHECK(pipe(gate) == 0 && pipe(results) == 0);
	for (int i = 0; i < WIDE; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(gate[1]);
			close(results[0]);
			wide_child(i + 1, gate[0], results[1]);
		}
		if (pids[i] < 0) {
			CHECK(pids[i] >= 0);
			break;
		}
		forked++;
	}
	alive = processes();
	close(gate[1]); /* every child's read() returns: all of them have written by now */
	close(gate[0]);
	close(results[1]);
	for (int i = 0; i < forked; i++) {
		struct report r;
		int status;

		if (read_full(results[0], &r, sizeof(r)) != 0 || r.id < 1 || r.id > WIDE ||
		    seen[r.id]++) {
			CHECK(!"a whole report from each child");
			break;
		}
		verified += r.ok;
		matched += r.sum == expected_sum(wide_owner, r.id);
		status = wait_status(pids[i]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	close(results[0]);
	for (size_t p = 0; p < BUF_PAGES; p++) {
		CHECK(page_is(WIDE_ROOT, p));
	}
	CHECK(forked == WIDE && verified == WIDE && matched == WIDE && alive > WIDE);
	printf("wide: %d children at once (%d processes alive), %d verified, %d/%d checksums "
	       "match, %llu ms\n",
	       forked, alive, verified, matched, forked, (unsigned long long)(now_ms() - t0));
}

/* -- Deep: generation g writes the pages of its parity, so each page is its own or its
 * parent's (generation 0, the root, writes them all) ---------------------------------- */

static uint32_t deep_owner(size_t p, uint32_t gen)
{
	if (gen == 0) {
		return DEEP_ROOT;
	}
	if ((p + gen) % 2 == 0) {
		return DEEP_ROOT + gen;
	}
	return gen == 1 ? DEEP_ROOT : DEEP_ROOT + gen - 1;
}

/*
 * Generation `gen` (1..DEEP): checks what it inherited, writes its pages, forks the next
 * generation and waits for it, checks its pages again, reports. Exits with the number of
 * generations from it down that verified, so the root sees DEEP if all did.
 */
static __attribute__((noreturn)) void deep_child(uint32_t gen, int results, int alive_fd)
{
	int below = 0;
	int ok = 1;

	for (size_t p = 0; p < BUF_PAGES; p++) {
		ok &= page_is(deep_owner(p, gen - 1), p);
	}
	for (size_t p = 0; p < BUF_PAGES; p++) {
		if ((p + gen) % 2 == 0) {
			fill_page(DEEP_ROOT + gen, p);
		}
	}
	if (gen < DEEP) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			deep_child(gen + 1, results, alive_fd);
		}
		ok &= pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status);
		below = ok ? WEXITSTATUS(status) : 0;
	} else {
		int alive = processes(); /* the whole chain is waiting above us */

		write(alive_fd, &alive, sizeof(alive));
	}
	for (size_t p = 0; p < BUF_PAGES; p++) {
		ok &= page_is(deep_owner(p, gen), p);
	}
	send_report(results, gen, ok);
	_exit(ok ? below + 1 : 0);
}

static void deep_storm(void)
{
	int seen[DEEP + 1] = {0};
	int results[2];
	int alive_pipe[2];
	int verified = 0;
	int matched = 0;
	int alive = 0;
	int status;
	uint64_t t0 = now_ms();
	pid_t pid;

	for (size_t p = 0; p < BUF_PAGES; p++) {
		fill_page(DEEP_ROOT, p);
	}
	CHECK(pipe(results) == 0 && pipe(alive_pipe) == 0);
	pid = fork();
	if (pid == 0) {
		close(results[0]);
		close(alive_pipe[0]);
		deep_child(1, results[1], alive_pipe[1]);
	}
	CHECK(pid > 0);
	close(results[1]);
	close(alive_pipe[1]);
	CHECK(read_full(alive_pipe[0], &alive, sizeof(alive)) == 0);
	close(alive_pipe[0]);
	for (int i = 0; i < DEEP; i++) {
		struct report r;

		if (read_full(results[0], &r, sizeof(r)) != 0 || r.id < 1 || r.id > DEEP ||
		    seen[r.id]++) {
			CHECK(!"a whole report from each generation");
			break;
		}
		verified += r.ok;
		matched += r.sum == expected_sum(deep_owner, r.id);
	}
	close(results[0]);
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == DEEP);
	for (size_t p = 0; p < BUF_PAGES; p++) {
		CHECK(page_is(DEEP_ROOT, p));
	}
	CHECK(verified == DEEP && matched == DEEP && alive > DEEP);
	printf("deep: %d generations (%d processes alive), %d verified, %d/%d checksums match, "
	       "%llu ms\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : 0, alive, verified, matched, DEEP,
	       (unsigned long long)(now_ms() - t0));
}

int main(void)
{
	struct inox_memstat st0;
	struct inox_memstat st1;
	uint64_t before;
	uint64_t after;
	int cow = inox_fork_mode(INOX_FORK_QUERY) == INOX_FORK_COW;

	printf("fork_tree: every process writes its pattern over %d of %d pages and checks all %d\n",
	       BUF_PAGES / 2, BUF_PAGES, BUF_PAGES);
	fflush(stdout);
	for (size_t p = 0; p < BUF_PAGES; p++) {
		fill_page(0, p); /* our own copies of the buffer's pages before we count */
	}
	before = free_pages();
	inox_memstat(&st0);
	wide_storm();
	deep_storm();
	inox_memstat(&st1);
	after = free_pages();

	/* Each of the 70 children wrote 16 pages after fork: with COW, 16 copies each at least. */
	if (cow) {
		CHECK(st1.cow_copies - st0.cow_copies >= (WIDE + DEEP) * BUF_PAGES / 2);
	} else {
		CHECK(st1.pages_copied_at_fork - st0.pages_copied_at_fork >=
		      (WIDE + DEEP) * BUF_PAGES);
	}
	printf("%s fork: %llu pages shared at fork, %llu copied at fork, %llu copied on write\n",
	       cow ? "COW" : "eager",
	       (unsigned long long)(st1.pages_shared_at_fork - st0.pages_shared_at_fork),
	       (unsigned long long)(st1.pages_copied_at_fork - st0.pages_copied_at_fork),
	       (unsigned long long)(st1.cow_copies - st0.cow_copies));
	CHECK(after == before);
	printf("free pages: %llu before, %llu after\n", (unsigned long long)before,
	       (unsigned long long)after);
	printf("fork_tree: %d processes forked, %d failures: %s\n", WIDE + DEEP, failures,
	       failures == 0 ? "PASS" : "FAIL");
	return failures == 0 ? 0 : 1;
}
