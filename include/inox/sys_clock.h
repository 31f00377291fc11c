/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Time from the RISC-V `time` CSR, which counts at the devicetree's
 * /cpus/timebase-frequency (10 MHz on QEMU virt, 1 MHz on the FU540).
 */
#ifndef INOX_SYS_CLOCK_H_
#define INOX_SYS_CLOCK_H_

#include <stdbool.h>
#include <stdint.h>
#include <inox/devicetree.h>

#define SYS_CLOCK_HW_CYCLES_PER_SEC DT_PROP(DT_PATH(cpus), timebase_frequency)

/* The time CSR: cycles of the timebase since reset. */
static inline uint64_t k_cycle_get_64(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static inline uint64_t k_cyc_to_ns_floor64(uint64_t cycles)
{
	return cycles / SYS_CLOCK_HW_CYCLES_PER_SEC * 1000000000ULL +
	       cycles % SYS_CLOCK_HW_CYCLES_PER_SEC * 1000000000ULL / SYS_CLOCK_HW_CYCLES_PER_SEC;
}

static inline uint64_t k_cyc_to_us_floor64(uint64_t cycles)
{
	return k_cyc_to_ns_floor64(cycles) / 1000;
}

/* Milliseconds since boot of the hardware (not of the kernel), from the time CSR. */
static inline int64_t k_uptime_get(void)
{
	return (int64_t)(k_cyc_to_ns_floor64(k_cycle_get_64()) / 1000000);
}

/*
 * Whether a nanosecond of this clock is one instruction, as under QEMU -icount shift=0: times
 * a loop of known length with interrupts off (about 2 ms of guest time). Tests that bound
 * how long something may take check it first, since without it guest time is the host's
 * clock and a loaded host breaks any bound.
 */
bool sys_clock_counts_instructions(void);

#endif /* INOX_SYS_CLOCK_H_ */
