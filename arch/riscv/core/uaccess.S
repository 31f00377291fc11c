/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The only code that touches user memory, with sstatus.SUM set for the duration. Every load
 * or store of a user address has an exception-fixup entry: a page fault there first goes
 * through the process's fault handler (a read() into a COW page just breaks the COW), and
 * if that cannot resolve it, execution continues at the fixup, which returns -EFAULT.
 * The C wrappers (<inox/uaccess.h>) have already refused addresses outside user space.
 */
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/exfix.h>
#include <inox/errno.h>

	.section .text.uaccess, "ax"

/* long z_user_copy(void *dst, const void *src, size_t n): 0 or -EFAULT. */
	.global z_user_copy
z_user_copy:
	li	t2, SSTATUS_SUM
	csrs	sstatus, t2
	or	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, 2f
1:	/* Both aligned: 8 bytes at a time. */
	li	t0, 8
	bltu	a2, t0, 2f
10:	ld	t1, 0(a1)
11:	sd	t1, 0(a0)
	EXFIX_ENTRY(10b, .Lefault)
	EXFIX_ENTRY(11b, .Lefault)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	1b
2:	beqz	a2, 3f
12:	lbu	t1, 0(a1)
13:	sb	t1, 0(a0)
	EXFIX_ENTRY(12b, .Lefault)
	EXFIX_ENTRY(13b, .Lefault)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	2b
3:	csrc	sstatus, t2
	li	a0, 0
	ret

/*
 * long z_user_strncpy(char *dst, const char *src, size_t n): copies up to n bytes, stopping
 * after a NUL; returns the string's length, n if no NUL came within n, or -EFAULT.
 */
	.global z_user_strncpy
z_user_strncpy:
	li	t2, SSTATUS_SUM
	csrs	sstatus, t2
	li	a3, 0
4:	beq	a3, a2, 5f
14:	lbu	t1, 0(a1)
	EXFIX_ENTRY(14b, .Lefault)
	add	t0, a0, a3
	sb	t1, 0(t0)
	beqz	t1, 5f
	addi	a1, a1, 1
	addi	a3, a3, 1
	j	4b
5:	csrc	sstatus, t2
	mv	a0, a3
	ret

.Lefault:
	li	t2, SSTATUS_SUM
	csrc	sstatus, t2
	li	a0, -EFAULT
	ret
