/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SiFive UART (FU540 uart0/uart1), polled. txdata bit 31 says the TX FIFO is full; rxdata
 * bit 31 says the RX FIFO is empty. The firmware set the baud divisor; init enables TX/RX.
 */
#define DT_DRV_COMPAT sifive_uart0

#include <stdint.h>
#include <inox/device.h>
#include <inox/drivers/uart.h>
#include <inox/arch/riscv/mmu.h>

#define REG_TXDATA 0x00
#define REG_RXDATA 0x04
#define REG_TXCTRL 0x08
#define REG_RXCTRL 0x0c
#define REG_IE     0x10
#define FIFO_FLAG  (1U << 31)

struct sifive_uart_config {
	uintptr_t base_pa;
	size_t size;
};

struct sifive_uart_data {
	volatile uint8_t *base;
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

static const struct uart_driver_api sifive_uart_api = {
	.poll_out = sifive_uart_poll_out,
	.poll_in = sifive_uart_poll_in,
};

#define SIFIVE_UART_DEFINE(n)                                                                   \
	static const struct sifive_uart_config sifive_uart_config_##n = {                       \
		.base_pa = DT_INST_REG_ADDR(n),                                                 \
		.size = DT_INST_REG_SIZE(n),                                                 \
	};                                                                                      \
	static struct sifive_uart_data sifive_uart_data_##n;                                    \
	DEVICE_DT_INST_DEFINE(n, sifive_uart_init, &sifive_uart_data_##n,                       \
			      &sifive_uart_config_##n, PRE_KERNEL_1, 50, &sifive_uart_api);

DT_INST_FOREACH_STATUS_OKAY(SIFIVE_UART_DEFINE)
