/* SPDX-License-Identifier: Apache-2.0 */
/* The arch_ interface the kernel uses (private to the kernel). */
#ifndef INOX_ARCH_CPU_H_
#define INOX_ARCH_CPU_H_

#include <inox/toolchain.h>

/* Disables interrupts on this hart and waits forever. */
__noreturn void arch_cpu_halt(void);

#endif /* INOX_ARCH_CPU_H_ */
