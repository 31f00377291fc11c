/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The load for the fork latency sampler (src/sampler.c): a 16 MiB process forks a child
 * that exits at once, over and over, for about a second with COW and a second eagerly; then
 * for a second it asks the kernel to walk huge ranges (munmap of 64 GiB that hold nothing,
 * mprotect of 4 GiB of heap beyond the break); then it sleeps while the sampler finishes
 * and prints.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <inox/check.h>
#include <inox/memstat.h>

#define HEAP_KIB   16384
#define PAGE       4096
#define PHASE_NS   1000000000ULL
#define IDLE_SLEEP 6 /* s: longer than the sampler's run */
#define GIB        (1024ULL * 1024 * 1024)
#define MMAP_AREA  0x2000000000UL /* USER_MMAP_BASE: anonymous mmap from here up */

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
	/* Ranges with no page tables under them: the kernel must not walk them page by page
	 * with interrupts off. The heap region runs from the break to MMAP_AREA. */
	uintptr_t above_brk = ((uintptr_t)sbrk(0) + 2 * GIB) & ~(GIB - 1);

	for (uint64_t end = now_ns() + PHASE_NS; now_ns() < end;) {
		CHECK(munmap((void *)(MMAP_AREA + GIB), 64 * GIB) == 0);
		CHECK(mprotect((void *)above_brk, 4 * GIB, PROT_READ | PROT_WRITE) == 0);
	}
	sleep(IDLE_SLEEP);
	return failures != 0;
}
