/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupt masking on this hart, as Zephyr's arch interface:
 *
 *   unsigned long arch_irq_lock(void)       masks interrupts, returns the state before
 *   void arch_irq_unlock(unsigned long key) restores the state arch_irq_lock() returned
 *   bool arch_irq_unlocked(unsigned long key)  whether key says they were enabled
 *   void arch_irq_enable_all(void)          enables them (a thread's first run, the idle loop)
 *   bool arch_irq_pending(void)             an interrupt waits for this hart (masked or not):
 *                                           a long walk with a lock held lets it in
 */
#ifndef INOX_ARCH_IRQ_H_
#define INOX_ARCH_IRQ_H_

#if defined(CONFIG_RISCV)
#include <inox/arch/riscv/irq.h>
#else
#error "no interrupt interface for this architecture"
#endif

#endif /* INOX_ARCH_IRQ_H_ */
