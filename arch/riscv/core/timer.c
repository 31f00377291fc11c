/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tick: every hart asks the SBI firmware (TIME extension) for a timer interrupt at
 * each tick boundary of the time CSR, CONFIG_SYS_CLOCK_TICKS_PER_SEC times a second.
 */
#include <inox/kernel.h>
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/sbi.h>
#include "arch_cpu.h"
#include "ksched.h"

#define CYC_PER_TICK (SYS_CLOCK_HW_CYCLES_PER_SEC / CONFIG_SYS_CLOCK_TICKS_PER_SEC)

static void set_next_tick(void)
{
	uint64_t next = (k_cycle_get_64() / CYC_PER_TICK + 1) * CYC_PER_TICK;

	sbi_ecall(SBI_EXT_TIME, 0, next, 0, 0, 0, 0, 0);
}

void z_riscv_timer_init(void)
{
	set_next_tick();
	csr_set(sie, SIE_STIE | SIE_SSIE);
}

void z_riscv_timer_isr(void)
{
	set_next_tick();
	z_sched_tick();
}
