/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SiFive UART (FU540 uart0/uart1). txdata bit 31 says the TX FIFO (8 entries) is full; rxdata
 * bit 31 says the RX FIFO is empty. The firmware set the baud divisor; init enables TX/RX and
 * sets the transmit watermark. Output is polled, or interrupt-driven: the txwm interrupt
 * (pending while the TX FIFO holds fewer than txctrl.txcnt entries) calls the tx-ready
 * callback, which refills the FIFO until it is full. Receive and transmit share the UART's
 * one interrupt line.
 */
#define DT_DRV_COMPAT sifive_uart0

#include <stdint.h>
#include <inox/kernel.h>
#include <inox/device.h>
#include <inox/drivers/uart.h>
#include <inox/irq.h>
#include <inox/arch/mmu.h>

#define REG_TXDATA      0x00
#define REG_RXDATA      0x04
#define REG_TXCTRL      0x08
#define REG_RXCTRL      0x0c
#define REG_IE          0x10
#define REG_IP          0x14
#define FIFO_FLAG       (1U << 31)
#define IE_TXWM         (1U << 0) /* transmit FIFO below its watermark */
#define IE_RXWM         (1U << 1) /* receive FIFO above its watermark (0: not empty) */
#define TXCTRL_EN       (1U << 0)
#define TXCTRL_CNT(n)   ((uint32_t)(n) << 16)
#define TXCTRL_CNT_MASK TXCTRL_CNT(7)
/* Interrupt with 3 characters still queued: about 260 us at 115200 baud to refill. */
#define TX_WATERMARK 4

struct sifive_uart_config {
	uintptr_t base_pa;
	size_t size;
	unsigned int irq;
};

struct sifive_uart_data {
	volatile uint8_t *base;
	struct k_spinlock lock; /* ie's read-modify-write */
	uart_rx_callback_t rx_cb;
	void *rx_user;
	uart_tx_callback_t tx_cb;
	void *tx_user;
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
	*reg(dev, REG_TXCTRL) = (*reg(dev, REG_TXCTRL) & ~TXCTRL_CNT_MASK) | TXCTRL_EN |
				TXCTRL_CNT(TX_WATERMARK);
	*reg(dev, REG_RXCTRL) |= 1; /* rxen */
	return 0;
}

/* Sets the bits of `set` and clears those of `clear` in ie. */
static void sifive_uart_ie_update(const struct device *dev, uint32_t set, uint32_t clear)
{
	struct sifive_uart_data *data = dev->data;
	k_spinlock_key_t key = k_spin_lock(&data->lock);

	*reg(dev, REG_IE) = (*reg(dev, REG_IE) & ~clear) | set;
	k_spin_unlock(&data->lock, key);
}

/* Received characters first, then room in the transmitter (txwm stays pending until the
 * callback fills the FIFO to the watermark or disables it). */
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
	if (data->tx_cb != NULL && (*reg(dev, REG_IE) & IE_TXWM) && (*reg(dev, REG_IP) & IE_TXWM)) {
		data->tx_cb(dev, data->tx_user);
	}
}

/* Connects and enables the UART's interrupt: 0, or -ENOTSUP where it has none. */
static int sifive_uart_irq_connect(const struct device *dev)
{
	const struct sifive_uart_config *cfg = dev->config;

	if (!IS_ENABLED(CONFIG_PLIC) || cfg->irq == 0) {
		return -ENOTSUP;
	}
	irq_connect(cfg->irq, sifive_uart_isr, dev);
	irq_enable(cfg->irq);
	return 0;
}

static int sifive_uart_irq_rx_enable(const struct device *dev, uart_rx_callback_t cb, void *user)
{
	struct sifive_uart_data *data = dev->data;
	int ret = sifive_uart_irq_connect(dev);

	if (ret != 0) {
		return ret;
	}
	data->rx_cb = cb;
	data->rx_user = user;
	sifive_uart_ie_update(dev, IE_RXWM, 0);
	return 0;
}

static int sifive_uart_irq_tx_callback_set(const struct device *dev, uart_tx_callback_t cb,
					   void *user)
{
	struct sifive_uart_data *data = dev->data;
	int ret = sifive_uart_irq_connect(dev);

	if (ret != 0) {
		return ret;
	}
	data->tx_user = user;
	data->tx_cb = cb;
	return 0;
}

static void sifive_uart_irq_tx_enable(const struct device *dev)
{
	sifive_uart_ie_update(dev, IE_TXWM, 0);
}

static void sifive_uart_irq_tx_disable(const struct device *dev)
{
	sifive_uart_ie_update(dev, 0, IE_TXWM);
}

static int sifive_uart_fifo_fill(const struct device *dev, const uint8_t *buf, int len)
{
	int n = 0;

	while (n < len && (*reg(dev, REG_TXDATA) & FIFO_FLAG) == 0) {
		*reg(dev, REG_TXDATA) = buf[n++];
	}
	return n;
}

static const struct uart_driver_api sifive_uart_api = {
	.poll_out = sifive_uart_poll_out,
	.poll_in = sifive_uart_poll_in,
	.irq_rx_enable = sifive_uart_irq_rx_enable,
	.irq_tx_callback_set = sifive_uart_irq_tx_callback_set,
	.irq_tx_enable = sifive_uart_irq_tx_enable,
	.irq_tx_disable = sifive_uart_irq_tx_disable,
	.fifo_fill = sifive_uart_fifo_fill,
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
