/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prefork_server: a master that loads its content, then pre-forks workers, as prefork web
 * servers do. Each worker serves requests that arrive over its pipe (a number in; its square
 * and the checksum of one page of the master's content out) and exits after a fixed number,
 * and the master forks a fresh one in its place. As in Apache's prefork MPM, the workers keep
 * a scoreboard in memory shared with the master (mmap MAP_SHARED | MAP_ANONYMOUS): each slot
 * says which worker holds it and how many requests it has served, and the master reads it.
 * The master checks every response and the scoreboard, and prints the request rate and what
 * the workers shared with it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

#define PAGE          4096
#define CONTENT_PAGES 512 /* 2 MiB the master loads before forking */
#define WORDS         (PAGE / sizeof(uint32_t))
#define WORKERS       4
#define PER_WORKER    25 /* requests a worker serves before the master recycles it */
#define REQUESTS      500

struct response {
	uint64_t n;
	uint64_t square;
	uint64_t page_sum; /* checksum of content page n % CONTENT_PAGES */
};

struct worker {
	pid_t pid;
	int req_fd; /* the master writes requests here */
	int resp_fd; /* and reads responses here */
	int served;
};

/* One slot per worker, written by the worker that holds it, read by the master. */
struct scoreboard_slot {
	volatile int32_t pid; /* the worker's own getpid() */
	volatile uint32_t served; /* requests it has served */
	volatile uint64_t total; /* requests every holder of the slot has served */
};

static struct scoreboard_slot *scoreboard;
static uint32_t *content;
static uint64_t page_sums[CONTENT_PAGES]; /* computed at load, to check the workers' */
static struct worker workers[WORKERS];

static uint64_t page_sum(size_t p)
{
	uint64_t sum = 0;

	for (size_t w = 0; w < WORDS; w++) {
		sum = sum * 33 + content[p * WORDS + w];
	}
	return sum;
}

/* The worker in slot i: serves PER_WORKER requests, counting them on the scoreboard, then
 * exits with how many it served. */
static __attribute__((noreturn)) void worker_run(int i, int req_fd, int resp_fd)
{
	struct scoreboard_slot *slot = &scoreboard[i];
	int served = 0;

	slot->pid = getpid();
	slot->served = 0;

	while (served < PER_WORKER) {
		struct response r;

		if (read_full(req_fd, &r.n, sizeof(r.n)) != 0) {
			break;
		}
		r.square = r.n * r.n;
		r.page_sum = page_sum(r.n % CONTENT_PAGES);
		/* Counted before the answer goes, so that the master reads it once it has it. */
		slot->served++;
		slot->total++;
		if (write(resp_fd, &r, sizeof(r)) != sizeof(r)) {
			break;
		}
		served++;
	}
	_exit(served);
}

/* Forks worker i with a pair of fresh pipes. Returns 0, or -1 if pipe() or fork() failed. */
static int worker_spawn(int i)
{
	int req[2];
	int resp[2];
	pid_t pid;

	if (pipe(req) != 0) {
		return -1;
	}
	if (pipe(resp) != 0) {
		close(req[0]);
		close(req[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		/* Only our own two ends: the others' would keep their pipes open. */
		for (int j = 0; j < WORKERS; j++) {
			if (j != i && workers[j].pid > 0) {
				close(workers[j].req_fd);
				close(workers[j].resp_fd);
			}
		}
		close(req[1]);
		close(resp[0]);
		worker_run(i, req[0], resp[1]);
	}
	close(req[0]);
	close(resp[1]);
	if (pid < 0) {
		close(req[1]);
		close(resp[0]);
		return -1;
	}
	workers[i] = (struct worker){.pid = pid, .req_fd = req[1], .resp_fd = resp[0]};
	return 0;
}

/* Closes worker i's pipes and reaps it; it must have exited having served PER_WORKER, as it
 * says on the scoreboard. */
static void worker_reap(int i)
{
	int status;

	CHECK(scoreboard[i].pid == workers[i].pid);
	CHECK(scoreboard[i].served == (uint32_t)workers[i].served);
	close(workers[i].req_fd);
	close(workers[i].resp_fd);
	status = wait_status(workers[i].pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == workers[i].served);
	workers[i].pid = 0;
}

int main(void)
{
	struct inox_memstat st0;
	struct inox_memstat st1;
	int sent = 0;
	int correct = 0;
	int forked = 0;
	uint64_t t0;
	uint64_t ns;

	scoreboard = mmap(NULL, WORKERS * sizeof(*scoreboard), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (scoreboard == MAP_FAILED) {
		perror("prefork_server: scoreboard");
		return 1;
	}
	content = malloc(CONTENT_PAGES * PAGE);
	if (content == NULL) {
		printf("prefork_server: cannot allocate the content\n");
		return 1;
	}
	for (size_t i = 0; i < CONTENT_PAGES * WORDS; i++) {
		content[i] = (uint32_t)(i * 2654435761u);
	}
	for (size_t p = 0; p < CONTENT_PAGES; p++) {
		page_sums[p] = page_sum(p);
	}
	printf("prefork_server: the master holds %d KiB of content; %d workers, each recycled after "
	       "%d requests\n",
	       CONTENT_PAGES * 4, WORKERS, PER_WORKER);
	fflush(stdout);

	inox_memstat(&st0);
	t0 = now_ns();
	/* Round-robin: one request to every worker, then the answers back, until all are done. */
	while (sent < REQUESTS) {
		int batch = 0;

		for (int i = 0; i < WORKERS && sent + batch < REQUESTS; i++, batch++) {
			uint64_t n = (uint64_t)(sent + batch) * 7919 + 1000003;

			if (workers[i].pid > 0 && workers[i].served == PER_WORKER) {
				worker_reap(i);
			}
			if (workers[i].pid == 0) {
				if (worker_spawn(i) != 0) {
					CHECK(!"worker_spawn");
					return 1;
				}
				forked++;
			}
			CHECK(write(workers[i].req_fd, &n, sizeof(n)) == sizeof(n));
		}
		for (int i = 0; i < batch; i++) {
			uint64_t n = (uint64_t)(sent + i) * 7919 + 1000003;
			struct response r = {0};

			CHECK(read_full(workers[i].resp_fd, &r, sizeof(r)) == 0);
			correct += r.n == n && r.square == n * n &&
				   r.page_sum == page_sums[n % CONTENT_PAGES];
			workers[i].served++;
		}
		sent += batch;
	}
	for (int i = 0; i < WORKERS; i++) {
		if (workers[i].pid > 0) {
			worker_reap(i);
		}
	}
	ns = now_ns() - t0;
	inox_memstat(&st1);

	uint64_t counted = 0;

	for (int i = 0; i < WORKERS; i++) {
		counted += scoreboard[i].total;
	}
	CHECK(counted == REQUESTS);

	uint64_t shared = st1.pages_shared_at_fork - st0.pages_shared_at_fork;
	uint64_t copied = st1.pages_copied_at_fork - st0.pages_copied_at_fork;
	uint64_t on_write = st1.cow_copies - st0.cow_copies;

	CHECK(correct == REQUESTS);
	CHECK(forked == REQUESTS / PER_WORKER);
	CHECK(shared + copied >= (uint64_t)forked * CONTENT_PAGES);
	printf("%d requests, %d correct responses, %d workers forked (%d recycled), %llu requests/s\n",
	       sent, correct, forked, forked - WORKERS,
	       (unsigned long long)(sent * 1000000000ull / (ns ? ns : 1)));
	printf("scoreboard (shared memory): the workers counted %llu requests\n",
	       (unsigned long long)counted);
	printf("per worker: %llu pages shared at fork, %llu copied at fork, %llu copied on write\n",
	       (unsigned long long)(shared / forked), (unsigned long long)(copied / forked),
	       (unsigned long long)(on_write / forked));
	printf("prefork_server: %d failures: %s\n", failures, failures == 0 ? "PASS" : "FAIL");
	return failures == 0 ? 0 : 1;
}
