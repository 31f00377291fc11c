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

#include <stdint.h>
#include <string.h>
#include <inox/arch/riscv/csr.h>

/* RISC-V's side of <inox/arch/esf.h>: Linux's calling convention, a0..a5 in, a0 out. */
static inline unsigned long arch_esf_syscall_arg(const struct arch_esf *esf, int n)
{
	return ESF_A(esf, n);
}

static inline void arch_esf_set_retval(struct arch_esf *esf, long ret)
{
	ESF_A(esf, 0) = ret;
}

static inline uintptr_t arch_esf_pc(const struct arch_esf *esf)
{
	return esf->sepc;
}

static inline uintptr_t arch_esf_sp(const struct arch_esf *esf)
{
	return ESF_SP(esf);
}

/* ecall is 4 bytes (there is no compressed form). */
static inline void arch_esf_syscall_restart(struct arch_esf *esf, unsigned long arg0)
{
	ESF_A(esf, 0) = arg0;
	esf->sepc -= 4;
}

static inline void arch_esf_user_init(struct arch_esf *esf, uintptr_t pc, uintptr_t sp)
{
	memset(esf->gpr, 0, sizeof(esf->gpr));
	ESF_SP(esf) = sp;
	esf->sepc = pc;
	/* sret to user mode with interrupts on; no FPU state (FS off: a float instruction is
	 * refused); SUM off, so user mode never sees the kernel's uaccess window. */
	esf->sstatus =
		(csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SUM | SSTATUS_SIE | SSTATUS_FS)) |
		SSTATUS_SPIE;
}
#endif

#endif /* INOX_ARCH_RISCV_ESF_H_ */
