/* SPDX-License-Identifier: Apache-2.0 */
/* Interrupt masking on this hart (sstatus.SIE): RISC-V's side of <inox/arch/irq.h>. */
#ifndef INOX_ARCH_RISCV_IRQ_H_
#define INOX_ARCH_RISCV_IRQ_H_

#ifndef INOX_ARCH_IRQ_H_
#error "include <inox/arch/irq.h>, not the RISC-V header"
#endif

#include <stdbool.h>
#include <inox/arch/riscv/csr.h>

static inline unsigned long arch_irq_lock(void)
{
	return csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE;
}

static inline void arch_irq_unlock(unsigned long key)
{
	if (key & SSTATUS_SIE) {
		csr_set(sstatus, SSTATUS_SIE);
	}
}

static inline bool arch_irq_unlocked(unsigned long key)
{
	return (key & SSTATUS_SIE) != 0;
}

static inline void arch_irq_enable_all(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

/* An interrupt this hart takes is pending (sip & sie), whether or not SIE lets it in now. */
static inline bool arch_irq_pending(void)
{
	return (csr_read(sip) & csr_read(sie)) != 0;
}

#endif /* INOX_ARCH_RISCV_IRQ_H_ */
