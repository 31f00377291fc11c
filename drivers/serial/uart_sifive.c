/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SiFive UART (FU540 uart0/uart1), polled. txdata bit 31 says the TX FIFO is full; rxdata
 * bit 31 says the RX FIFO is empty. The firmware set the baud divisor; init enables TX/RX.
 */
#define DT_DRV_COMPAT sifive_uart0

#include <stdint.h>
#include <inox/kernel.h>
#include <inox/device.h>
#include <inox/drivers/uart.h>
#include <inox/irq.h>
#include <inox/arch/riscv/mmu.h>

#define REG_TXDATA 0x00
#define REG_RXDATA 0x04
#define REG_TXCTRL 0x08
#define REG_RXCTRL 0x0c
#define REG_IE     0x10
#define FIFO_FLAG  (1U << 31)
#define IE_RXWM    (1U << 1) /* receive FIFO above its watermark (0: not empty) */

struct sifive_uart_config {
	uintptr_t base_pa;
	size_t size;
	unsigned int irq;
};

struct sifive_uart_data {
	volatile uint8_t *base;
	uart_rx_callback_t rx_cb;
	void *rx_user;
};

static inline volatile uint32_t *reg(const struct device *dev, unsigned int off)
{
	struct sifive_uart_data *data = dev->data;

	return (volatile uint32_t *)(data->base + off);
}

static void sifive_uart_poll_out(const struct device *dev, unsigned char c)
{
	while (*reg(dev, REG_TXDATA) & FIFO_FLAG) {
	}
	*reg(dev, REG_TXDATA) = c;
}

static int sifive_uart_poll_in(const struct device *dev, unsigned char *c)
{
	uint32_t v = *reg(dev, REG_RXDATA);

	if (v & FIFO_FLAG) {
		return -1;
	}
	*c = (unsigned char)v;
	return 0;
}

static int sifive_uart_init(const struct device *dev)
{
	const struct sifive_uart_config *cfg = dev->config;
	struct sifive_uart_data *data = dev->data;

	data->base = device_map(cfg->base_pa, cfg->size);
	*reg(dev, REG_IE) = 0;
	*reg(dev, REG_TXCTRL) |= 1; /* txen */
	*reg(dev, REG_RXCTRL) |= 1; /* rxen */
	return 0;
}

static void sifive_uart_isr(const void *arg)
{
	const struct device *dev = arg;
	struct sifive_uart_data *data = dev->data;
	unsigned char c;

	while (sifive_uart_poll_in(dev, &c) == 0) {
		if (data->rx_cb != NULL) {
			data->rx_cb(dev, c, data->rx_user);
		}
	}
}

static int sifive_uart_irq_rx_enable(const struct device *dev, uart_rx_callback_t cb, void *user)
{
	const struct sifive_uart_config *cfg = dev->config;
	struct sifive_uart_data *data = dev->data;

	if (!IS_ENABLED(CONFIG_PLIC) || cfg->irq == 0) {
		return -ENOTSUP;
	}
	data->rx_cb = cb;
	data->rx_user = user;
	irq_connect(cfg->irq, sifive_uart_isr, dev);
	irq_enable(cfg->irq);
	*reg(dev, REG_IE) = IE_RXWM;
	return 0;
}

static const struct uart_driver_api sifive_uart_api = {
	.poll_out = sifive_uart_poll_out,
	.poll_in = sifive_uart_poll_in,
	.irq_rx_enable = sifive_uart_irq_rx_enable,
};

#define SIFIVE_UART_DEFINE(n)                                                                      \
	static const struct sifive_uart_config sifive_uart_config_##n = {                          \
		.base_pa = DT_INST_REG_ADDR(n),                                                    \
		.size = DT_INST_REG_SIZE(n),                                                       \
		.irq = COND_CODE_1(DT_IRQ_HAS_IDX(DT_DRV_INST(n), 0), (DT_INST_IRQN(n)), (0)),     \
	};                                                                                         \
	static struct sifive_uart_data sifive_uart_data_##n;                                       \
	DEVICE_DT_INST_DEFINE(n, sifive_uart_init, &sifive_uart_data_##n, &sifive_uart_config_##n, \
			      PRE_KERNEL_1, 50, &sifive_uart_api);

DT_INST_FOREACH_STATUS_OKAY(SIFIVE_UART_DEFINE)
