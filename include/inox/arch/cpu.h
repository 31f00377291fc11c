/* SPDX-License-Identifier: Apache-2.0 */
/*
 * struct cpu, one per hart that runs the kernel, and arch_curr_cpu(), this hart's: the
 * kernel's per-hart state (current thread, scheduling flags, timer) around the fields the
 * architecture's trap entry reads.
 */
#ifndef INOX_ARCH_CPU_H_
#define INOX_ARCH_CPU_H_

#if defined(CONFIG_RISCV)
#include <inox/arch/riscv/cpu.h>
#else
#error "no struct cpu for this architecture"
#endif

#endif /* INOX_ARCH_CPU_H_ */
