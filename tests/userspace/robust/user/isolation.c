/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Isolation: loads and stores to kernel addresses, another process's memory at the same
 * address, executing data, the stack and kernel text, ecall with garbage in every register.
 * Each offender dies alone, with the right signal, and its parent sees how.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <inox/check.h>

static volatile uintptr_t target;

static int load_target(void)
{
	return *(volatile int *)target;
}

static int store_target(void)
{
	*(volatile int *)target = 1;
	return 0;
}

static int jump_target(void)
{
	((void (*)(void))target)();
	return 0;
}

/* Expects fn to die of sig with target set to addr. */
static void expect_death(const char *what, int (*fn)(void), uintptr_t addr, int sig)
{
	int status;
	pid_t pid;

	target = addr;
	pid = fork();
	if (pid == 0) {
		_exit(fn() == 12345 ? 0 : 0);
	}
	status = wait_status(pid);
	if (!(WIFSIGNALED(status) && WTERMSIG(status) == sig)) {
		printf("FAIL %s at 0x%lx: status 0x%x, expected signal %d\n", what,
		       (unsigned long)addr, status, sig);
		failures++;
	}
}

static const uintptr_t kernel_addrs[] = {
	0xffffffff80200000UL, /* kernel text */
	0xffffffff80210000UL, /* kernel data */
	0xffffffc080000000UL, /* direct map of RAM */
	0xffffffc010000000UL, /* the UART through the direct map */
	0x80200000UL, /* the kernel's physical address */
	0x10000000UL, /* the UART's physical address */
	0x4000000000UL, /* just past user space */
	0xffffffffffff0000UL,
};

static char data_code[64];

static int exec_stack(void)
{
	uint32_t code[4] = {0x00008067}; /* ret */

	((void (*)(void))(uintptr_t)code)();
	return 0;
}

static int garbage_ecall(void)
{
	/* Every register holds junk, including sp and the syscall number. */
	for (unsigned long n = 0; n < 2000; n += 7) {
		register unsigned long a0 __asm__("a0") = 0xdeadbeefdeadbeefUL;
		register unsigned long a1 __asm__("a1") = 0xffffffff80200000UL;
		register unsigned long a2 __asm__("a2") = ~0UL;
		register unsigned long a3 __asm__("a3") = n;
		register unsigned long a4 __asm__("a4") = 0x10;
		register unsigned long a5 __asm__("a5") = 0xffffffc000000000UL;
		register unsigned long a7 __asm__("a7") = 1000 + n * 977;

		__asm__ volatile("ecall"
				 : "+r"(a0)
				 : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
				 : "memory");
		if ((long)a0 != -38) { /* ENOSYS */
			return 1;
		}
	}
	return 0;
}

static int isolation(void)
{
	int status;
	pid_t pid;
	static int secret = 1;

	for (size_t i = 0; i < sizeof(kernel_addrs) / sizeof(kernel_addrs[0]); i++) {
		expect_death("load", load_target, kernel_addrs[i], SIGSEGV);
		expect_death("store", store_target, kernel_addrs[i], SIGSEGV);
		expect_death("jump", jump_target, kernel_addrs[i], SIGSEGV);
	}
	/* Data and heap are not executable. */
	memset(data_code, 0, sizeof(data_code));
	expect_death("execute data", jump_target, (uintptr_t)data_code, SIGSEGV);
	char *heap = malloc(64);

	expect_death("execute heap", jump_target, (uintptr_t)heap, SIGSEGV);
	free(heap);
	target = 0;
	pid = fork();
	if (pid == 0) {
		_exit(exec_stack());
	}
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);

	/* Another process's memory at the same address is its own: a child's write to
	 * `secret` never shows here, and ours never shows there. One pipe each way. */
	int up[2];
	int down[2];
	char c;

	CHECK(pipe(up) == 0 && pipe(down) == 0);
	pid = fork();
	if (pid == 0) {
		secret = 2;
		write(up[1], "w", 1);
		read(down[0], &c, 1);
		_exit(secret == 2 ? 0 : 1);
	}
	CHECK(read(up[0], &c, 1) == 1);
	CHECK(secret == 1);
	secret = 3;
	write(down[1], "r", 1);
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);

	/* Junk system calls return ENOSYS and nothing else happens. */
	pid = fork();
	if (pid == 0) {
		_exit(garbage_ecall());
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return failures;
}

int main(void)
{
	int status = run_accounted("isolation", isolation);

	CHECK(WIFEXITED(status));
	failures += WEXITSTATUS(status);
	printf("isolation: %d failures\n", failures);
	return failures != 0;
}
