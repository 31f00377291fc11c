/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memfuzz's exec checker: a process that execs starts clean. argv[1..] are addresses that
 * the process mapped before its execve() (mmap and heap pages, and pages it had unmapped):
 * none may be reachable now (a write() from each to a pipe fails with EFAULT). The bss reads
 * as zeroes, the data as the program has it, and the break is page-aligned past the image;
 * fresh mmap and heap pages read as zeroes and keep what is stored. Prints a FAIL line for
 * each check that fails and exits with their number.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <inox/check.h>
#include <inox/syscall_list.h>

#define PAGE 4096UL

extern char _end[];

static uint64_t zeroes[2 * PAGE / sizeof(uint64_t)];
static volatile uint64_t marker = 0x636c65616e;

/* Whether the n words at p read as zeroes, and then keep what is stored there. */
static int zero_then_store(uint64_t *p, size_t n)
{
	int ok = 1;

	for (size_t i = 0; i < n; i++) {
		ok &= p[i] == 0;
		p[i] = ~i;
	}
	for (size_t i = 0; i < n; i++) {
		ok &= p[i] == ~i;
	}
	return ok;
}

int main(int argc, char **argv)
{
	uintptr_t brk0 = syscall(SYS_brk, 0);
	int fds[2];
	void *p;

	CHECK(pipe(fds) == 0);
	for (int i = 1; i < argc; i++) {
		uintptr_t addr = strtoul(argv[i], NULL, 0);
		long n;

		if (addr < brk0) {
			continue; /* this program's own image */
		}
		n = write(fds[1], (void *)addr, 1);
		if (n != -1 || errno != EFAULT) {
			printf("FAIL memfuzz-clean: 0x%lx is still there after exec: write() "
			       "returned %ld\n",
			       (unsigned long)addr, n);
			failures++;
		}
		if (n == 1) {
			char c;

			CHECK(read(fds[0], &c, 1) == 1);
		}
	}
	for (size_t i = 0; i < sizeof(zeroes) / sizeof(zeroes[0]); i++) {
		CHECK(zeroes[i] == 0);
	}
	CHECK(marker == 0x636c65616e);
	CHECK((brk0 & (PAGE - 1)) == 0 && brk0 >= (uintptr_t)_end);

	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK(zero_then_store(p, 3 * PAGE / sizeof(uint64_t)));
		CHECK(munmap(p, 3 * PAGE) == 0);
	}
	CHECK(syscall(SYS_brk, brk0 + 2 * PAGE) == (long)(brk0 + 2 * PAGE));
	CHECK(zero_then_store((uint64_t *)brk0, 2 * PAGE / sizeof(uint64_t)));
	CHECK(syscall(SYS_brk, brk0) == (long)brk0);
	if (failures) {
		printf("FAIL memfuzz-clean: %d failures\n", failures);
	}
	return failures;
}
