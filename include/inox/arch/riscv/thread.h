/* SPDX-License-Identifier: Apache-2.0 */
/* RISC-V's side of <inox/arch/thread.h>. */
#ifndef INOX_ARCH_RISCV_THREAD_H_
#define INOX_ARCH_RISCV_THREAD_H_

/* Callee-saved registers of a switched-out thread (arch/riscv/core/switch.S). */
struct arch_context {
	unsigned long ra;
	unsigned long sp;
	unsigned long s[12];
};

#endif /* INOX_ARCH_RISCV_THREAD_H_ */
