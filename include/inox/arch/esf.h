/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A user context (struct arch_esf, the registers saved at a trap) as generic code may touch
 * it, by meaning: the system call's arguments and result, the pc and stack pointer, and a
 * fresh context for a new program. Implemented inline by each architecture:
 *
 *   unsigned long arch_esf_syscall_arg(const struct arch_esf *, int n)   argument n (0..5)
 *   void arch_esf_set_retval(struct arch_esf *, long ret)  what the system call returns
 *   uintptr_t arch_esf_pc(const struct arch_esf *), arch_esf_sp(const struct arch_esf *)
 *   void arch_esf_user_init(struct arch_esf *, uintptr_t pc, uintptr_t sp)
 *                                  a new program's first context: every register 0 but
 *                                  pc and sp, user mode, interrupts on, no FPU state
 *   void arch_esf_syscall_restart(struct arch_esf *, unsigned long arg0)
 *                                  after a system call: back to the instruction that made
 *                                  it, with argument 0 (the result overwrote it) put back
 */
#ifndef INOX_ARCH_ESF_H_
#define INOX_ARCH_ESF_H_

#if defined(CONFIG_RISCV)
#include <inox/arch/riscv/esf.h>
#else
#error "no user context interface for this architecture"
#endif

#endif /* INOX_ARCH_ESF_H_ */
