/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tick: every hart asks for a timer interrupt at each tick boundary of the time CSR,
 * CONFIG_SYS_CLOCK_TICKS_PER_SEC times a second. With the Sstc extension (QEMU virt has it,
 * the FU540 does not) the kernel writes stimecmp itself; otherwise it asks the SBI firmware
 * (TIME extension), a trip through M-mode for every tick.
 */
#include <inox/kernel.h>
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/exfix.h>
#include <inox/arch/riscv/sbi.h>
#include "arch_cpu.h"
#include "ksched.h"

#define CYC_PER_TICK (SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC)
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

static void set_next_tick(void)
{
	uint64_t next = (k_cycle_get_64() / CYC_PER_TICK + 1) * CYC_PER_TICK;

	if (has_sstc) {
		__asm__ volatile("csrw %0, %1" : : "i"(CSR_STIMECMP), "r"(next));
	} else {
		sbi_ecall(SBI_EXT_TIME, 0, next, 0, 0, 0, 0, 0);
	}
}

void z_riscv_timer_init(void)
{
	if (arch_curr_cpu()->id == 0) {
		has_sstc = IS_ENABLED(CONFIG_RISCV_SSTC) && probe_sstc();
	}
	set_next_tick();
	csr_set(sie, SIE_STIE | SIE_SSIE);
}

bool z_riscv_timer_uses_sstc(void)
{
	return has_sstc;
}

void z_riscv_timer_isr(void)
{
	set_next_tick();
	z_sched_tick();
}
