/* SPDX-License-Identifier: Apache-2.0 */
/*
 * struct cpu: one per hart that runs the kernel, reached through tp while in the kernel.
 * The first fields are read by the trap entry in assembly at the CPU_* offsets.
 */
#ifndef INOX_ARCH_RISCV_CPU_H_
#define INOX_ARCH_RISCV_CPU_H_

#define CPU_SCRATCH0    0
#define CPU_SCRATCH1    8
#define CPU_KSTACK_TOP  16
#define CPU_STACK_LIMIT 24
#define CPU_FAULT_STACK 32

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct k_thread;

struct cpu {
	unsigned long scratch0;
	unsigned long scratch1;
	/* Top of the current thread's kernel stack: where a trap from user mode saves. */
	uintptr_t kstack_top;
	/* Lowest address the current thread's kernel stack may use (above its guard page). */
	uintptr_t stack_limit;
	/* A small stack for reporting a kernel stack overflow. */
	uintptr_t fault_stack_top;

	unsigned int id; /* 0 .. CONFIG_MP_MAX_NUM_CPUS - 1 */
	unsigned long hartid;
	struct k_thread *current;
	struct k_thread *idle_thread;
	/* Set when the scheduler should run on this hart at the next chance. */
	volatile bool need_resched;
	/* Ticks left of the current thread's time slice. */
	int slice_ticks;
	/* The time-CSR cycle of this hart's next tick, and what its timer is set for. */
	uint64_t next_tick_cyc;
	uint64_t timer_deadline;
	/* Nesting depth of interrupt handling (0: thread context). */
	unsigned int nested;
	bool online;
	/* Set while this hart prints a fatal report. */
	bool in_fatal;
	/* The satp this hart runs with, and the last process thread it ran. */
	unsigned long satp;
	struct k_thread *last_user;
	/* The z_icache_gen this hart's instruction fetch has seen (fence.i since). */
	unsigned long icache_gen;
};

/* This hart's struct cpu. */
static inline struct cpu *arch_curr_cpu(void)
{
	struct cpu *c;

	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}
#endif

#endif /* INOX_ARCH_RISCV_CPU_H_ */
