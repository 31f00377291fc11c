/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NS16550-compatible UART (QEMU virt's serial@10000000), polled. Registers are 1 byte wide,
 * 1 << reg-shift apart. The firmware already set the line up; init only checks it is there.
 */
#define DT_DRV_COMPAT ns16550

#include <stdint.h>
#include <inox/device.h>
#include <inox/drivers/uart.h>
#include <inox/arch/riscv/mmu.h>

#define REG_RBR 0 /* receive buffer (read) */
#define REG_THR 0 /* transmit holding (write) */
#define REG_IER 1
#define REG_LSR 5
#define LSR_DR   0x01 /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */

struct ns16550_config {
	uintptr_t base_pa;
	size_t size;
	unsigned int reg_shift;
};

struct ns16550_data {
	volatile uint8_t *base;
};

static inline volatile uint8_t *reg(const struct device *dev, unsigned int r)
{
	const struct ns16550_config *cfg = dev->config;
	struct ns16550_data *data = dev->data;

	return data->base + (r << cfg->reg_shift);
}

static void ns16550_poll_out(const struct device *dev, unsigned char c)
{
	while ((*reg(dev, REG_LSR) & LSR_THRE) == 0) {
	}
	*reg(dev, REG_THR) = c;
}

static int ns16550_poll_in(const struct device *dev, unsigned char *c)
{
	if ((*reg(dev, REG_LSR) & LSR_DR) == 0) {
		return -1;
	}
	*c = *reg(dev, REG_RBR);
	return 0;
}

static int ns16550_init(const struct device *dev)
{
	const struct ns16550_config *cfg = dev->config;
	struct ns16550_data *data = dev->data;

	data->base = device_map(cfg->base_pa, cfg->size);
	*reg(dev, REG_IER) = 0;
	return 0;
}

static const struct uart_driver_api ns16550_api = {
	.poll_out = ns16550_poll_out,
	.poll_in = ns16550_poll_in,
};

#define NS16550_DEFINE(n)                                                                       \
	static const struct ns16550_config ns16550_config_##n = {                               \
		.base_pa = DT_INST_REG_ADDR(n),                                                 \
		.size = DT_INST_REG_SIZE(n),                                                 \
		.reg_shift = DT_INST_PROP_OR(n, reg_shift, 0),                                  \
	};                                                                                      \
	static struct ns16550_data ns16550_data_##n;                                            \
	DEVICE_DT_INST_DEFINE(n, ns16550_init, &ns16550_data_##n, &ns16550_config_##n,          \
			      PRE_KERNEL_1, 50, &ns16550_api);

DT_INST_FOREACH_STATUS_OKAY(NS16550_DEFINE)
