/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The timer: every hart's stimecmp is set for its next deadline (kernel/timeout.c picks the
 * earlier of the next tick boundary and the first timeout). With the Sstc extension (QEMU virt has it,
 * the FU540 does not) the kernel writes stimecmp itself; otherwise it asks the SBI firmware
 * (TIME extension), a trip through M-mode for every tick.
 */
#include <inox/kernel.h>
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/exfix.h>
#include <inox/arch/riscv/sbi.h>
#include "kernel_arch_interface.h"
#include "riscv_internal.h"
#include "ksched.h"

#define CSR_STIMECMP 0x14d

static bool has_sstc;

/* Whether stimecmp can be read here: an illegal-instruction trap means no Sstc (or the
 * firmware did not enable it in menvcfg). */
static bool probe_sstc(void)
{
	unsigned long ok = 0;

	__asm__ volatile("1: csrr zero, %1\n"
			 "   li %0, 1\n"
			 "2:\n" EXFIX_ENTRY(1b, 2b)
			 : "+r"(ok)
			 : "i"(CSR_STIMECMP));
	return ok != 0;
}

void arch_timer_set_deadline(uint64_t cyc)
{
	if (has_sstc) {
		__asm__ volatile("csrw %0, %1" : : "i"(CSR_STIMECMP), "r"(cyc));
	} else {
		sbi_ecall(SBI_EXT_TIME, 0, cyc, 0, 0, 0, 0, 0);
	}
}

void arch_timer_init(void)
{
	if (arch_curr_cpu()->id == 0) {
		has_sstc = IS_ENABLED(CONFIG_RISCV_SSTC) && probe_sstc();
	}
	z_sys_clock_init_cpu();
	csr_set(sie, SIE_STIE | SIE_SSIE);
}

bool z_riscv_timer_uses_sstc(void)
{
	return has_sstc;
}

void z_riscv_timer_isr(void)
{
	z_sys_clock_isr();
}
