/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The load for the fork latency sampler (src/sampler.c): a 16 MiB process forks a child
 * that exits at once, over and over, for about a second with COW and a second eagerly, then
 * sleeps while the sampler finishes and prints.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <inox/check.h>
#include <inox/memstat.h>

#define HEAP_KIB   16384
#define PAGE       4096
#define PHASE_NS   1000000000ULL
#define IDLE_SLEEP 6 /* s: longer than the sampler's run */

static void fork_for(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (now_ns() < end) {
		pid_t pid = fork();

		if (pid == 0) {
			_exit(0);
		}
		CHECK(pid > 0);
		CHECK(wait_status(pid) == 0);
	}
}

int main(void)
{
	char *heap = malloc(HEAP_KIB * 1024);

	CHECK(heap != NULL);
	for (size_t i = 0; heap != NULL && i < HEAP_KIB * 1024; i += PAGE) {
		heap[i] = 1;
	}
	printf("fork_latency: init forks a %d KiB process, COW then eager\n", HEAP_KIB);
	fflush(stdout);
	if (inox_fork_mode(INOX_FORK_COW) >= 0) {
		fork_for(PHASE_NS);
	}
	inox_fork_mode(INOX_FORK_EAGER);
	fork_for(PHASE_NS);
	sleep(IDLE_SLEEP);
	return failures != 0;
}
