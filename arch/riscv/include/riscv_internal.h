/* SPDX-License-Identifier: Apache-2.0 */
/* What the RISC-V port's own files share: assembly entry points and interrupt handlers. */
#ifndef INOX_RISCV_INTERNAL_H_
#define INOX_RISCV_INTERNAL_H_

/* isr.S: the trap vector (stvec). */
void z_riscv_trap_entry(void);
/* start.S: where a secondary hart enters the kernel from SBI HSM. */
void z_riscv_secondary_start(void);
/* switch.S: where a new thread's first arch_switch() lands. */
void z_riscv_thread_start(void);
/* The timer interrupt (timer.c) and the inter-hart software interrupt (smp.c). */
void z_riscv_timer_isr(void);
void z_riscv_ipi_isr(void);

#endif /* INOX_RISCV_INTERNAL_H_ */
