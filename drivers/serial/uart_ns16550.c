/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NS16550-compatible UART (QEMU virt's serial@10000000), polled. Registers are 1 byte wide,
 * 1 << reg-shift apart. The firmware already set the line up; init only checks it is there.
 */
#define DT_DRV_COMPAT ns16550

#include <stdint.h>
#include <inox/kernel.h>
#include <inox/device.h>
#include <inox/drivers/uart.h>
#include <inox/irq.h>
#include <inox/arch/riscv/mmu.h>

#define REG_RBR   0 /* receive buffer (read) */
#define REG_THR   0 /* transmit holding (write) */
#define REG_IER   1
#define REG_LSR   5
#define LSR_DR    0x01 /* data ready */
#define LSR_THRE  0x20 /* transmit holding register empty */
#define IER_ERBFI 0x01 /* interrupt when received data is available */

struct ns16550_config {
	uintptr_t base_pa;
	size_t size;
	unsigned int reg_shift;
	unsigned int irq;
};

struct ns16550_data {
	volatile uint8_t *base;
	uart_rx_callback_t rx_cb;
	void *rx_user;
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

static void ns16550_isr(const void *arg)
{
	const struct device *dev = arg;
	struct ns16550_data *data = dev->data;
	unsigned char c;

	while (ns16550_poll_in(dev, &c) == 0) {
		if (data->rx_cb != NULL) {
			data->rx_cb(dev, c, data->rx_user);
		}
	}
}

static int ns16550_irq_rx_enable(const struct device *dev, uart_rx_callback_t cb, void *user)
{
	const struct ns16550_config *cfg = dev->config;
	struct ns16550_data *data = dev->data;

	if (!IS_ENABLED(CONFIG_PLIC) || cfg->irq == 0) {
		return -ENOTSUP;
	}
	data->rx_cb = cb;
	data->rx_user = user;
	irq_connect(cfg->irq, ns16550_isr, dev);
	irq_enable(cfg->irq);
	*reg(dev, REG_IER) = IER_ERBFI;
	return 0;
}

static const struct uart_driver_api ns16550_api = {
	.poll_out = ns16550_poll_out,
	.poll_in = ns16550_poll_in,
	.irq_rx_enable = ns16550_irq_rx_enable,
};

#define NS16550_DEFINE(n)                                                                          \
	static const struct ns16550_config ns16550_config_##n = {                                  \
		.base_pa = DT_INST_REG_ADDR(n),                                                    \
		.size = DT_INST_REG_SIZE(n),                                                       \
		.reg_shift = DT_INST_PROP_OR(n, reg_shift, 0),                                     \
		.irq = COND_CODE_1(DT_IRQ_HAS_IDX(DT_DRV_INST(n), 0), (DT_INST_IRQN(n)), (0)),     \
	};                                                                                         \
	static struct ns16550_data ns16550_data_##n;                                               \
	DEVICE_DT_INST_DEFINE(n, ns16550_init, &ns16550_data_##n, &ns16550_config_##n,             \
			      PRE_KERNEL_1, 50, &ns16550_api);

DT_INST_FOREACH_STATUS_OKAY(NS16550_DEFINE)
