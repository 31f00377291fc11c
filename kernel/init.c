/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Boot, from the first C function to main(). On the boot stack: this hart's struct cpu, the
 * final kernel page table, the trap vector, the scheduler, PRE_KERNEL_1/2 and the banner.
 * Then the boot context becomes hart 0's idle thread and the main thread starts: it brings
 * up the other harts, runs POST_KERNEL and APPLICATION, main(), and powers off.
 */
#include <inox/kernel.h>
#include <inox/boot_dt.h>
#include <inox/devicetree.h>
#include <inox/linker/linker_defs.h>
#include <inox/sys/poweroff.h>
#include <inox/arch/cpu.h>
#include "kernel_arch_interface.h"
#include "ksched.h"

unsigned long z_boot_hart_id;
uintptr_t z_boot_dtb_pa;

extern char z_boot_stack[];

static struct k_thread main_thread;
K_THREAD_STACK_DEFINE(z_main_stack, CONFIG_MAIN_STACK_SIZE);

/* The application's entry point; an application without one just boots and powers off. */
__weak int main(void)
{
	return 0;
}

static void print_banner(void)
{
	z_boot_dt_report();
	if (!IS_ENABLED(CONFIG_BOOT_BANNER)) {
		return;
	}
	printk("*** Booting Inox v" INOX_VERSION_STRING " on %s: boot hart %lu, "
	       "%lu MiB RAM at 0x%lx ***\n",
	       CONFIG_BOARD_TARGET, z_boot_hart_id, (unsigned long)(z_ram_size() >> 20),
	       (unsigned long)z_ram_banks[0].start);
}

/*
 * With user programs in the image, the first process is CONFIG_INIT_PROGRAM, and the
 * system powers off when it exits; otherwise the application's main() runs here.
 */
__weak bool z_proc_have_init(void)
{
	return false;
}

__weak int proc_run_init(void)
{
	return -ENOSYS;
}

static void main_thread_entry(void *p1, void *p2, void *p3)
{
	z_smp_init();
	z_sys_init_run_level(INIT_LEVEL_POST_KERNEL);
	z_sys_init_run_level(INIT_LEVEL_APPLICATION);
	if (z_proc_have_init()) {
		int status = proc_run_init();

		if (status < 0) {
			printk("init: could not start (%d)\n", status);
		} else if ((status & 0x7f) != 0) {
			printk("init: killed by signal %d\n", status & 0x7f);
		} else {
			printk("init: exited with status %d\n", (status >> 8) & 0xff);
		}
	} else {
		main();
	}
	sys_poweroff();
}

/* Called by start.S on the boot stack with the boot page table; never returns. */
__noreturn void z_cstart(unsigned long hartid, uintptr_t dtb_pa)
{
	struct cpu *cpu = &z_cpus[0];

	z_boot_hart_id = hartid;
	z_boot_dtb_pa = dtb_pa;
	arch_cpu_init(0, hartid);
	z_boot_dt_init(dtb_pa);
	arch_mmu_init();
	arch_trap_init();
	z_sched_init();
	z_idle_thread_init(cpu, (uintptr_t)z_boot_stack,
			   (uintptr_t)z_boot_stack + CONFIG_BOOT_STACK_SIZE);
	cpu->online = true;
	z_num_cpus_online = 1;

	z_sys_init_run_level(INIT_LEVEL_PRE_KERNEL_1);
	z_sys_init_run_level(INIT_LEVEL_PRE_KERNEL_2);
	print_banner();

	k_thread_create(&main_thread, z_main_stack, K_THREAD_STACK_SIZEOF(z_main_stack),
			main_thread_entry, NULL, NULL, NULL, CONFIG_MAIN_THREAD_PRIORITY, 0,
			K_NO_WAIT);
	k_thread_name_set(&main_thread, "main");
	arch_timer_init();
	z_idle_loop();
}
