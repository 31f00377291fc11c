/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sys_poweroff(): every way the devicetree and the firmware offer to stop the system, in
 * order of preference. Each returns only if it did not work.
 */
#include <stdint.h>
#include <inox/kernel.h>
#include <inox/devicetree.h>
#include <inox/sys/poweroff.h>
#include <inox/arch/riscv/layout.h>
#include <inox/arch/mmu.h>
#include <inox/arch/riscv/sbi.h>
#include "kernel_arch_interface.h"

static __unused void mmio_write32(uintptr_t pa, uint32_t value)
{
	*(volatile uint32_t *)z_phys_to_virt(pa) = value;
}

static __unused uint32_t mmio_read32(uintptr_t pa)
{
	return *(volatile uint32_t *)z_phys_to_virt(pa);
}

static __unused void short_delay(void)
{
	for (volatile int i = 0; i < 100000; i++) {
	}
}

#if defined(CONFIG_POWEROFF_SYSCON)
#define SYSCON_NODE DT_INST(0, syscon_poweroff)
/* Linux's syscon-poweroff: update the bits of `mask` (default all) to `value`. */
static void syscon_poweroff(void)
{
	uintptr_t reg = DT_REG_ADDR(DT_PHANDLE(SYSCON_NODE, regmap)) + DT_PROP(SYSCON_NODE, offset);
	uint32_t mask = DT_PROP_OR(SYSCON_NODE, mask, 0xffffffff);
	uint32_t value = DT_PROP_OR(SYSCON_NODE, value, mask);

	mmio_write32(reg, (mmio_read32(reg) & ~mask) | (value & mask));
}
#endif

#if defined(CONFIG_POWEROFF_SIFIVE_TEST)
#define SIFIVE_TEST_FINISHER_PASS 0x5555
static void sifive_test_poweroff(void)
{
	mmio_write32(DT_REG_ADDR(DT_INST(0, sifive_test0)), SIFIVE_TEST_FINISHER_PASS);
}
#endif

#if defined(CONFIG_POWEROFF_GPIO_RESTART)
#define RESTART_NODE    DT_INST(0, gpio_restart)
#define RESTART_GPIO    DT_PHANDLE(RESTART_NODE, gpios)
#define GPIO_OUTPUT_EN  0x08
#define GPIO_OUTPUT_VAL 0x0c
#define GPIO_ACTIVE_LOW 1
/* Drives the restart line inactive, then active: the edge resets the SoC. */
static void gpio_restart(void)
{
	uintptr_t base = DT_REG_ADDR(RESTART_GPIO);
	uint32_t bit = 1U << DT_PHA(RESTART_NODE, gpios, pin);
	bool active_low = DT_PHA(RESTART_NODE, gpios, flags) & GPIO_ACTIVE_LOW;
	uint32_t val = mmio_read32(base + GPIO_OUTPUT_VAL);
	uint32_t inactive = active_low ? (val | bit) : (val & ~bit);
	uint32_t active = active_low ? (val & ~bit) : (val | bit);

	mmio_write32(base + GPIO_OUTPUT_VAL, inactive);
	mmio_write32(base + GPIO_OUTPUT_EN, mmio_read32(base + GPIO_OUTPUT_EN) | bit);
	short_delay();
	mmio_write32(base + GPIO_OUTPUT_VAL, active);
	short_delay();
}
#endif

/* Maps the registers used above, so that a power-off never has to allocate. */
static int poweroff_init(void)
{
#if defined(CONFIG_POWEROFF_SYSCON)
	device_map(DT_REG_ADDR(DT_PHANDLE(SYSCON_NODE, regmap)),
		   DT_REG_SIZE(DT_PHANDLE(SYSCON_NODE, regmap)));
#endif
#if defined(CONFIG_POWEROFF_SIFIVE_TEST)
	device_map(DT_REG_ADDR(DT_INST(0, sifive_test0)), DT_REG_SIZE(DT_INST(0, sifive_test0)));
#endif
#if defined(CONFIG_POWEROFF_GPIO_RESTART)
	device_map(DT_REG_ADDR(RESTART_GPIO), DT_REG_SIZE(RESTART_GPIO));
#endif
	return 0;
}

SYS_INIT(poweroff_init, PRE_KERNEL_1, 40);

__noreturn void sys_poweroff(void)
{
	bool srst;

	/* What processes wrote may still wait in the console's buffer for its interrupt. */
	z_console_flush();
	srst = IS_ENABLED(CONFIG_POWEROFF_SBI) && sbi_probe_extension(SBI_EXT_SRST);
	if (srst) {
		sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE);
	}
#if defined(CONFIG_POWEROFF_SYSCON)
	syscon_poweroff();
	short_delay();
#endif
#if defined(CONFIG_POWEROFF_SIFIVE_TEST)
	sifive_test_poweroff();
	short_delay();
#endif
	if (IS_ENABLED(CONFIG_POWEROFF_BY_RESET)) {
		if (srst) {
			sbi_system_reset(SBI_SRST_TYPE_COLD_REBOOT, SBI_SRST_REASON_NONE);
		}
#if defined(CONFIG_POWEROFF_GPIO_RESTART)
		gpio_restart();
#endif
	}
	printk("sys_poweroff: no way to power off here; halting\n");
	arch_cpu_halt();
}
