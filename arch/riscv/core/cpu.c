/* SPDX-License-Identifier: Apache-2.0 */
/* This hart's idle and halt. */
#include <inox/kernel.h>
#include <inox/arch/riscv/csr.h>
#include "kernel_arch_interface.h"

void arch_cpu_halt(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
	csr_write(sie, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}

/* A trap before the kernel's trap vector exists: report it and stop. */
void z_early_fatal(unsigned long scause, unsigned long sepc, unsigned long stval)
{
	panic("early trap: scause %lx sepc %lx stval %lx", scause, sepc, stval);
}
