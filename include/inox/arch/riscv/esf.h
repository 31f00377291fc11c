/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exception stack frame: every register saved at a trap, on the trapped thread's kernel
 * stack. gpr[n] is register xn (gpr[0] is unused), so the assembly uses n * 8 as offsets.
 */
#ifndef INOX_ARCH_RISCV_ESF_H_
#define INOX_ARCH_RISCV_ESF_H_

#define ESF_GPR(n)  ((n)*8)
#define ESF_SEPC    (32 * 8)
#define ESF_SSTATUS (33 * 8)
#define ESF_SCAUSE  (34 * 8)
#define ESF_STVAL   (35 * 8)
#define ESF_SIZE    (36 * 8)

#ifndef __ASSEMBLER__
struct arch_esf {
	unsigned long gpr[32];
	unsigned long sepc;
	unsigned long sstatus;
	unsigned long scause;
	unsigned long stval;
};

#define ESF_RA(esf)   ((esf)->gpr[1])
#define ESF_SP(esf)   ((esf)->gpr[2])
#define ESF_FP(esf)   ((esf)->gpr[8])
#define ESF_A(esf, n) ((esf)->gpr[10 + (n)])
#endif

#endif /* INOX_ARCH_RISCV_ESF_H_ */
