/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ztest's own setjmp/longjmp (arch/riscv/core/ztest_jmp.S): the kernel links no libc. Saves what the RISC-V
 * calling convention preserves across a call (ra, sp, s0-s11) plus sstatus.SIE, so a jump out
 * of a trap handler back to the runner also restores the interrupt enable it had.
 */
#ifndef INOX_ARCH_RISCV_ZTEST_JMP_H_
#define INOX_ARCH_RISCV_ZTEST_JMP_H_

/* Offsets used by ztest_jmp.S: ra, sp, s0..s11, then the sstatus.SIE bit. */
#define Z_ZTEST_JMP_RA   0
#define Z_ZTEST_JMP_SP   8
#define Z_ZTEST_JMP_S0   16
#define Z_ZTEST_JMP_SIE  112
#define Z_ZTEST_JMP_SIZE 120

#ifndef __ASSEMBLER__

struct z_ztest_jmp_buf {
	unsigned long regs[Z_ZTEST_JMP_SIZE / 8];
};

/* Returns 0 when called, then `val` (never 0) each time z_ztest_longjmp(buf, val) lands. */
int z_ztest_setjmp(struct z_ztest_jmp_buf *buf) __attribute__((returns_twice));

/* Returns again from the z_ztest_setjmp() that filled buf, whose frame must still be live. */
__attribute__((noreturn)) void z_ztest_longjmp(struct z_ztest_jmp_buf *buf, int val);

#endif /* __ASSEMBLER__ */
#endif /* INOX_ARCH_RISCV_ZTEST_JMP_H_ */
