/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Harts: the struct cpu of each, starting the others through SBI HSM, IPIs for rescheduling
 * and remote TLB flushes through SBI RFENCE. The harts that can run the kernel are the
 * devicetree's okay cpus with an mmu-type (the FU540's E51 monitor hart has none).
 */
#include <inox/kernel.h>
#include <inox/devicetree.h>
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/cpu.h>
#include <inox/arch/riscv/layout.h>
#include <inox/arch/mmu.h>
#include <inox/arch/riscv/sbi.h>
#include "kernel_arch_interface.h"
#include "riscv_internal.h"
#include "ksched.h"

#define HART_ID(node) COND_CODE_1(DT_NODE_HAS_PROP(node, mmu_type), (DT_REG_ADDR(node), ), ())

static const unsigned long dt_harts[] = {DT_FOREACH_CHILD_STATUS_OKAY(DT_PATH(cpus), HART_ID)};

struct cpu z_cpus[CONFIG_MP_MAX_NUM_CPUS];
unsigned int z_num_cpus_online;

static char __aligned(16) fault_stacks[CONFIG_MP_MAX_NUM_CPUS][CONFIG_FAULT_STACK_SIZE];
K_THREAD_STACK_ARRAY_DEFINE(idle_stacks, CONFIG_MP_MAX_NUM_CPUS, CONFIG_IDLE_STACK_SIZE);
/* Initial sp of each secondary hart, read by start.S before any C runs there. */
uintptr_t z_secondary_sp[CONFIG_MP_MAX_NUM_CPUS];
/* The hart each cpu slot is being started for: a hart given up on at boot that shows up
 * late finds another hart (or none) expected in its slot and stops itself. */
static unsigned long z_smp_expected[CONFIG_MP_MAX_NUM_CPUS];

unsigned int arch_curr_cpu_id(void)
{
	return arch_curr_cpu()->id;
}

unsigned int arch_num_cpus(void)
{
	return __atomic_load_n(&z_num_cpus_online, __ATOMIC_ACQUIRE);
}

/* Fills in the fields of cpu `id` every hart needs before its first trap. */
void arch_cpu_init(unsigned int id, unsigned long hartid)
{
	struct cpu *cpu = &z_cpus[id];

	cpu->id = id;
	cpu->hartid = hartid;
	cpu->fault_stack_top = (uintptr_t)fault_stacks[id] + CONFIG_FAULT_STACK_SIZE;
	__asm__ volatile("mv tp, %0" : : "r"(cpu));
	csr_write(sscratch, 0);
}

/* First C code of a secondary hart, on its idle stack with the boot page table. */
__noreturn void z_secondary_cstart(unsigned long hartid, unsigned long id)
{
	struct cpu *cpu = &z_cpus[id];
	uintptr_t stack = (uintptr_t)idle_stacks[id] + K_THREAD_GUARD_SIZE;

	if (__atomic_load_n(&z_smp_expected[id], __ATOMIC_ACQUIRE) != hartid) {
		sbi_ecall(SBI_EXT_HSM, 1, 0, 0, 0, 0, 0, 0); /* hart_stop */
		arch_cpu_halt();
	}
	arch_cpu_init(id, hartid);
	arch_mmu_init_secondary();
	arch_trap_init();
	z_idle_thread_init(cpu, stack, stack + CONFIG_IDLE_STACK_SIZE);
	arch_timer_init();
	cpu->online = true;
	__atomic_fetch_add(&z_num_cpus_online, 1, __ATOMIC_RELEASE);
	z_idle_loop();
}

/* Generous: on a loaded host an emulated hart can take seconds to be scheduled. */
#define SMP_START_TIMEOUT_MS 10000

/* Waits until more than `online` harts are online; false after SMP_START_TIMEOUT_MS. */
static bool wait_online(unsigned int online)
{
	uint64_t end = k_cycle_get_64() +
		       (uint64_t)SMP_START_TIMEOUT_MS * SYS_CLOCK_HW_CYCLES_PER_SEC / 1000;

	while (arch_num_cpus() == online) {
		if (k_cycle_get_64() > end) {
			return false;
		}
	}
	return true;
}

void z_smp_init(void)
{
	unsigned int id = 1;

	if (!IS_ENABLED(CONFIG_SMP)) {
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(dt_harts) && id < CONFIG_MP_MAX_NUM_CPUS; i++) {
		unsigned long hartid = dt_harts[i];
		uintptr_t stack = (uintptr_t)idle_stacks[id] + K_THREAD_GUARD_SIZE;
		unsigned int online = arch_num_cpus();
		struct sbiret ret;

		if (hartid == z_cpus[0].hartid) {
			continue;
		}
		arch_stack_guard_set((uintptr_t)idle_stacks[id]);
		__atomic_store_n(&z_smp_expected[id], hartid, __ATOMIC_RELEASE);
		z_secondary_sp[id] = stack + CONFIG_IDLE_STACK_SIZE;
		ret = sbi_ecall(SBI_EXT_HSM, 0, hartid,
				KERNEL_VA_TO_PA((uintptr_t)z_riscv_secondary_start), id, 0, 0, 0);
		if (ret.error != 0) {
			printk("smp: hart %lu did not start (SBI error %ld)\n", hartid, ret.error);
			continue;
		}
		if (!wait_online(online)) {
			/* Never count it later: a late hart stops itself (z_secondary_cstart). */
			__atomic_store_n(&z_smp_expected[id], -1UL, __ATOMIC_RELEASE);
			printk("smp: hart %lu did not come up within %d ms; going on without it\n",
			       hartid, SMP_START_TIMEOUT_MS);
			continue;
		}
		id++;
	}
	printk("smp: %u harts online\n", arch_num_cpus());
}

/* A hart mask of every online hart but this one (hart ids below 64). */
static unsigned long others_mask(void)
{
	unsigned long mask = 0;
	struct cpu *self = arch_curr_cpu();

	for (unsigned int i = 0; i < arch_num_cpus(); i++) {
		if (&z_cpus[i] != self) {
			mask |= 1UL << z_cpus[i].hartid;
		}
	}
	return mask;
}

void arch_sched_ipi(void)
{
	unsigned long mask;

	if (arch_num_cpus() < 2) {
		return;
	}
	mask = others_mask();
	if (mask != 0) {
		sbi_ecall(SBI_EXT_IPI, 0, mask, 0, 0, 0, 0, 0);
	}
}

void z_riscv_ipi_isr(void)
{
	/* The sender set need_resched; the trap exit acts on it. */
}

void arch_tlb_flush_remote(uintptr_t va, size_t size)
{
	unsigned long mask;

	if (arch_num_cpus() < 2) {
		return;
	}
	mask = others_mask();
	if (mask != 0) {
		sbi_ecall(SBI_EXT_RFENCE, 1, mask, 0, va, size ? size : (unsigned long)-1, 0, 0);
	}
}
