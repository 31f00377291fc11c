/* SPDX-License-Identifier: Apache-2.0 */
/* z_ztest_setjmp() / z_ztest_longjmp(): see ztest_jmp.h. */
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/ztest_jmp.h>

	.section .text.z_ztest_setjmp, "ax"
	.global	z_ztest_setjmp
	.type	z_ztest_setjmp, @function
	.balign	4
/* a0 = buf. Returns 0. */
z_ztest_setjmp:
	sd	ra, Z_ZTEST_JMP_RA(a0)
	sd	sp, Z_ZTEST_JMP_SP(a0)
	sd	s0, Z_ZTEST_JMP_S0 + 0 * 8(a0)
	sd	s1, Z_ZTEST_JMP_S0 + 1 * 8(a0)
	sd	s2, Z_ZTEST_JMP_S0 + 2 * 8(a0)
	sd	s3, Z_ZTEST_JMP_S0 + 3 * 8(a0)
	sd	s4, Z_ZTEST_JMP_S0 + 4 * 8(a0)
	sd	s5, Z_ZTEST_JMP_S0 + 5 * 8(a0)
	sd	s6, Z_ZTEST_JMP_S0 + 6 * 8(a0)
	sd	s7, Z_ZTEST_JMP_S0 + 7 * 8(a0)
	sd	s8, Z_ZTEST_JMP_S0 + 8 * 8(a0)
	sd	s9, Z_ZTEST_JMP_S0 + 9 * 8(a0)
	sd	s10, Z_ZTEST_JMP_S0 + 10 * 8(a0)
	sd	s11, Z_ZTEST_JMP_S0 + 11 * 8(a0)
	csrr	t0, sstatus
	andi	t0, t0, SSTATUS_SIE
	sd	t0, Z_ZTEST_JMP_SIE(a0)
	li	a0, 0
	ret
	.size	z_ztest_setjmp, . - z_ztest_setjmp

	.section .text.z_ztest_longjmp, "ax"
	.global	z_ztest_longjmp
	.type	z_ztest_longjmp, @function
	.balign	4
/* a0 = buf, a1 = val. Returns from z_ztest_setjmp() with val, or 1 if val is 0. */
z_ztest_longjmp:
	/* No interrupt may land while sp is half restored; SIE comes back last. */
	csrci	sstatus, SSTATUS_SIE
	ld	ra, Z_ZTEST_JMP_RA(a0)
	ld	sp, Z_ZTEST_JMP_SP(a0)
	ld	s0, Z_ZTEST_JMP_S0 + 0 * 8(a0)
	ld	s1, Z_ZTEST_JMP_S0 + 1 * 8(a0)
	ld	s2, Z_ZTEST_JMP_S0 + 2 * 8(a0)
	ld	s3, Z_ZTEST_JMP_S0 + 3 * 8(a0)
	ld	s4, Z_ZTEST_JMP_S0 + 4 * 8(a0)
	ld	s5, Z_ZTEST_JMP_S0 + 5 * 8(a0)
	ld	s6, Z_ZTEST_JMP_S0 + 6 * 8(a0)
	ld	s7, Z_ZTEST_JMP_S0 + 7 * 8(a0)
	ld	s8, Z_ZTEST_JMP_S0 + 8 * 8(a0)
	ld	s9, Z_ZTEST_JMP_S0 + 9 * 8(a0)
	ld	s10, Z_ZTEST_JMP_S0 + 10 * 8(a0)
	ld	s11, Z_ZTEST_JMP_S0 + 11 * 8(a0)
	ld	t0, Z_ZTEST_JMP_SIE(a0)
	seqz	a0, a1
	add	a0, a0, a1
	csrs	sstatus, t0
	ret
	.size	z_ztest_longjmp, . - z_ztest_longjmp
