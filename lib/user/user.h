/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/user internals: the system call instruction and the errno convention.
 *
 * Linux's RISC-V convention, which the Inox kernel follows: a7 = number, a0..a5 =
 * arguments, ecall, a0 = result, or -errno (-4095..-1) on failure. The kernel preserves
 * every other register; a1 is treated as clobbered anyway, as a second result register.
 */
#ifndef INOX_LIB_USER_USER_H_
#define INOX_LIB_USER_USER_H_

#include <inox/syscall_list.h>

static inline long inox_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;
	register long a7 __asm__("a7") = n;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
			 : "memory");
	return a0;
}

#define inox_syscall0(n)          inox_syscall6(n, 0, 0, 0, 0, 0, 0)
#define inox_syscall1(n, a)       inox_syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define inox_syscall2(n, a, b)    inox_syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define inox_syscall3(n, a, b, c) inox_syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define inox_syscall4(n, a, b, c, d)                                                               \
	inox_syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* True if a raw system call result is a -errno. */
static inline int inox_syscall_failed(long ret)
{
	return (unsigned long)ret > -4096UL;
}

/* Sets errno from the -errno in ret (Linux's numbering, translated to picolibc's). */
void __inox_set_errno(long ret);

/* A raw result as the C library returns it: ret, or -1 with errno set. */
static inline long inox_syscall_ret(long ret)
{
	if (inox_syscall_failed(ret)) {
		__inox_set_errno(ret);
		return -1;
	}
	return ret;
}

void __inox_start(int argc, char **argv, char **envp) __attribute__((noreturn));

#endif /* INOX_LIB_USER_USER_H_ */
