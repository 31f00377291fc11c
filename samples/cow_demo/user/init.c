/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cow_demo: what copy-on-write fork saves. A parent holding 16 MiB of heap forks a child
 * that writes 10% of it, once with COW fork and once with eager fork (inox_fork_mode()), and
 * prints, from the kernel's counters, what each fork shared and copied, how long fork()
 * took and how much memory the child cost.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

#define PAGE       4096
#define HEAP_PAGES 4096 /* 16 MiB */
#define WRITE_STEP 10 /* the child writes every 10th page */

struct fork_result {
	uint64_t fork_ns;
	uint64_t shared; /* pages fork() shared */
	uint64_t copied_at_fork;
	uint64_t copied_on_write; /* COW copies while the child wrote */
	uint64_t child_pages; /* free pages the child took, page tables included */
};

/* The byte page i holds in the parent: the child checks it reads exactly these. */
static char parent_byte(size_t i)
{
	return (char)(i * 7 + 1);
}

/*
 * The child: writes every WRITE_STEP-th page, checks every page reads what it should, and
 * reports the free pages left while it still holds its copies. Exits 0 if all pages matched.
 */
static int child_run(char *heap, int fd)
{
	struct inox_memstat st;
	int bad = 0;

	for (size_t i = 0; i < HEAP_PAGES; i += WRITE_STEP) {
		memset(heap + i * PAGE, 'c', 64);
	}
	for (size_t i = 0; i < HEAP_PAGES; i++) {
		char want = i % WRITE_STEP == 0 ? 'c' : parent_byte(i);

		bad |= heap[i * PAGE] != want || heap[i * PAGE + PAGE - 1] != parent_byte(i);
	}
	inox_memstat(&st);
	if (write(fd, &st.free_pages, sizeof(st.free_pages)) != sizeof(st.free_pages)) {
		bad = 1;
	}
	return bad;
}

/* Forks a child that runs child_run() under the given fork mode; fills *res. */
static void measure(char *heap, struct fork_result *res)
{
	struct inox_memstat before;
	struct inox_memstat after;
	uint64_t child_free = 0;
	uint64_t t0;
	int fds[2];
	int go[2];
	int status;
	pid_t pid;

	CHECK(pipe(fds) == 0 && pipe(go) == 0);
	fflush(stdout);
	inox_memstat(&before);
	t0 = now_ns();
	pid = fork();
	if (pid == 0) {
		char c;

		/* Wait for the parent to stop its clock: fork()'s time must not include ours. */
		close(go[1]);
		read(go[0], &c, 1);
		close(fds[0]);
		_exit(child_run(heap, fds[1]));
	}
	res->fork_ns = now_ns() - t0;
	CHECK(pid > 0);
	close(go[0]);
	close(go[1]);
	close(fds[1]);
	CHECK(read(fds[0], &child_free, sizeof(child_free)) == sizeof(child_free));
	close(fds[0]);
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	inox_memstat(&after);
	res->shared = after.pages_shared_at_fork - before.pages_shared_at_fork;
	res->copied_at_fork = after.pages_copied_at_fork - before.pages_copied_at_fork;
	res->copied_on_write = after.cow_copies - before.cow_copies;
	res->child_pages = before.free_pages - child_free;

	/* Whatever the child wrote, the parent's heap is unchanged. */
	for (size_t i = 0; i < HEAP_PAGES; i++) {
		if (heap[i * PAGE] != parent_byte(i)) {
			CHECK(heap[i * PAGE] == parent_byte(i));
			break;
		}
	}
}

static void print_row(const char *name, const struct fork_result *r)
{
	char fork_time[32];
	char cost[32];

	snprintf(fork_time, sizeof(fork_time), "%llu.%02llu ms",
		 (unsigned long long)(r->fork_ns / 1000000),
		 (unsigned long long)(r->fork_ns / 10000 % 100));
	snprintf(cost, sizeof(cost), "%llu.%llu MiB", (unsigned long long)(r->child_pages / 256),
		 (unsigned long long)(r->child_pages % 256 * 10 / 256));
	printf("%-10s %9s %7llu %15llu %16llu %11s\n", name, fork_time,
	       (unsigned long long)r->shared, (unsigned long long)r->copied_at_fork,
	       (unsigned long long)r->copied_on_write, cost);
}

int main(void)
{
	const size_t written = (HEAP_PAGES + WRITE_STEP - 1) / WRITE_STEP;
	struct fork_result cow = {0};
	struct fork_result eager = {0};
	char *heap = malloc((size_t)HEAP_PAGES * PAGE);
	int have_cow;

	if (heap == NULL) {
		printf("cow_demo: cannot allocate %d MiB\n", HEAP_PAGES / 256);
		return 1;
	}
	for (size_t i = 0; i < HEAP_PAGES; i++) {
		memset(heap + i * PAGE, parent_byte(i), PAGE);
	}
	printf("cow_demo: the parent holds %d MiB (%d pages, all touched); each child writes %zu of "
	       "them\n",
	       HEAP_PAGES / 256, HEAP_PAGES, written);
	printf("%-10s %9s %7s %15s %16s %11s\n", "", "fork()", "shared", "copied at fork",
	       "copied on write", "child cost");

	have_cow = inox_fork_mode(INOX_FORK_COW) >= 0;
	if (have_cow) {
		measure(heap, &cow);
		print_row("COW fork", &cow);
		CHECK(cow.shared >= HEAP_PAGES && cow.copied_at_fork == 0);
		CHECK(cow.copied_on_write >= written && cow.copied_on_write < written + 64);
	} else {
		CHECK(errno == ENOTSUP);
		printf("COW fork   not built (CONFIG_MM_COW=n)\n");
	}

	CHECK(inox_fork_mode(INOX_FORK_EAGER) >= 0);
	measure(heap, &eager);
	print_row("eager fork", &eager);
	CHECK(eager.shared == 0 && eager.copied_at_fork >= HEAP_PAGES);
	CHECK(eager.copied_on_write == 0 && eager.child_pages >= HEAP_PAGES);

	if (have_cow) {
		uint64_t saved = eager.child_pages - cow.child_pages;

		CHECK(eager.child_pages > cow.child_pages);
		printf("COW fork saved %llu.%llu MiB (%llu%% of the eager child's memory), fork %llux "
		       "faster\n",
		       (unsigned long long)(saved / 256),
		       (unsigned long long)(saved % 256 * 10 / 256),
		       (unsigned long long)(saved * 100 / eager.child_pages),
		       (unsigned long long)(eager.fork_ns / (cow.fork_ns ? cow.fork_ns : 1)));
	}
	printf("cow_demo: %s\n", failures == 0 ? "PASS" : "FAIL");
	return failures == 0 ? 0 : 1;
}
