/* SPDX-License-Identifier: Apache-2.0 */
/*
 * struct arch_context: what a switched-out thread's registers are saved in, by arch_switch()
 * (kernel_arch_interface.h). The kernel only embeds it in struct k_thread.
 */
#ifndef INOX_ARCH_THREAD_H_
#define INOX_ARCH_THREAD_H_

#if defined(CONFIG_RISCV)
#include <inox/arch/riscv/thread.h>
#else
#error "no thread context for this architecture"
#endif

#endif /* INOX_ARCH_THREAD_H_ */
