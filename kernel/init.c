/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Boot, from the first C function to main(): init levels, the banner, the application's
 * main(), and power-off when main returns.
 */
#include <inox/kernel.h>
#include <inox/devicetree.h>
#include <inox/sys/poweroff.h>
#include <inox/arch/riscv/layout.h>

unsigned long z_boot_hart_id;
uintptr_t z_boot_dtb_pa;

/* The application's entry point; an application without one just boots and powers off. */
__weak int main(void)
{
	return 0;
}

#define RAM_NODE DT_CHOSEN(inox_sram)

static void print_banner(void)
{
	unsigned long ram = DT_REG_SIZE(RAM_NODE);

	if (!IS_ENABLED(CONFIG_BOOT_BANNER)) {
		return;
	}
	printk("*** Booting Inox v" INOX_VERSION_STRING " on %s: boot hart %lu, "
	       "%lu MiB RAM at 0x%lx ***\n",
	       CONFIG_BOARD_TARGET, z_boot_hart_id, ram >> 20, (unsigned long)DT_REG_ADDR(RAM_NODE));
}

/* Called by start.S on the boot stack with the MMU on; never returns. */
__noreturn void z_cstart(unsigned long hartid, uintptr_t dtb_pa)
{
	z_boot_hart_id = hartid;
	z_boot_dtb_pa = dtb_pa;

	z_sys_init_run_level(INIT_LEVEL_PRE_KERNEL_1);
	z_sys_init_run_level(INIT_LEVEL_PRE_KERNEL_2);
	print_banner();
	z_sys_init_run_level(INIT_LEVEL_POST_KERNEL);
	z_sys_init_run_level(INIT_LEVEL_APPLICATION);

	main();
	sys_poweroff();
}
