/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NS16550-compatible UART (QEMU virt's serial@10000000, the PolarFire SoC's MMUARTs).
 * Registers are 1 << reg-shift bytes apart and reg-io-width bytes wide: 1, or 4 where the
 * bus wants word accesses (the MPFS's MMUARTs sit behind a 32-bit APB); only their low
 * byte means anything. The firmware already set the line up (and, usually, enabled the
 * FIFOs); init only maps it and reads the FIFO state. Output is polled, or interrupt-driven:
 * the THR-empty interrupt (IER bit 1) calls the tx-ready callback, which refills the whole
 * FIFO (16 bytes) or, without FIFO, the holding register. Receive and transmit share the
 * UART's one interrupt line.
 */
#define DT_DRV_COMPAT ns16550

#include <stdint.h>
#include <inox/kernel.h>
#include <inox/device.h>
#include <inox/drivers/uart.h>
#include <inox/irq.h>
#include <inox/arch/mmu.h>

#define REG_RBR   0 /* receive buffer (read) */
#define REG_THR   0 /* transmit holding (write) */
#define REG_IER   1
#define REG_IIR   2 /* interrupt identification (read) */
#define REG_LSR   5
#define LSR_DR    0x01 /* data ready */
#define LSR_THRE  0x20 /* transmit holding register (or FIFO) empty */
#define IER_ERBFI 0x01 /* interrupt when received data is available */
#define IER_ETBEI 0x02 /* interrupt when the transmit holding register (or FIFO) is empty */
#define IIR_FIFO  0xc0 /* both set: the FIFOs are enabled */
#define FIFO_SIZE 16

struct ns16550_config {
	uintptr_t base_pa;
	size_t size;
	unsigned int reg_shift;
	unsigned int reg_io_width;
	unsigned int irq;
};

struct ns16550_data {
	volatile uint8_t *base;
	struct k_spinlock lock; /* IER's read-modify-write */
	unsigned int tx_depth; /* bytes the transmitter takes once THRE is set */
	uart_rx_callback_t rx_cb;
	void *rx_user;
	uart_tx_callback_t tx_cb;
	void *tx_user;
};

static inline uint8_t reg_read(const struct device *dev, unsigned int r)
{
	const struct ns16550_config *cfg = dev->config;
	struct ns16550_data *data = dev->data;
	volatile uint8_t *addr = data->base + (r << cfg->reg_shift);
	uint32_t v = cfg->reg_io_width == 4 ? *(volatile uint32_t *)addr : *addr;

	return v & 0xff;
}

static inline void reg_write(const struct device *dev, unsigned int r, uint8_t v)
{
	const struct ns16550_config *cfg = dev->config;
	struct ns16550_data *data = dev->data;
	volatile uint8_t *addr = data->base + (r << cfg->reg_shift);

	if (cfg->reg_io_width == 4) {
		*(volatile uint32_t *)addr = v;
	} else {
		*addr = v;
	}
}

static void ns16550_poll_out(const struct device *dev, unsigned char c)
{
	while ((reg_read(dev, REG_LSR) & LSR_THRE) == 0) {
	}
	reg_write(dev, REG_THR, c);
}

static int ns16550_poll_in(const struct device *dev, unsigned char *c)
{
	if ((reg_read(dev, REG_LSR) & LSR_DR) == 0) {
		return -1;
	}
	*c = reg_read(dev, REG_RBR);
	return 0;
}

static int ns16550_init(const struct device *dev)
{
	const struct ns16550_config *cfg = dev->config;
	struct ns16550_data *data = dev->data;

	data->base = device_map(cfg->base_pa, cfg->size);
	reg_write(dev, REG_IER, 0);
	data->tx_depth = (reg_read(dev, REG_IIR) & IIR_FIFO) == IIR_FIFO ? FIFO_SIZE : 1;
	return 0;
}

/* Sets the bits of `set` and clears those of `clear` in IER. */
static void ns16550_ier_update(const struct device *dev, uint8_t set, uint8_t clear)
{
	struct ns16550_data *data = dev->data;
	k_spinlock_key_t key = k_spin_lock(&data->lock);

	reg_write(dev, REG_IER, (reg_read(dev, REG_IER) & ~clear) | set);
	k_spin_unlock(&data->lock, key);
}

/*
 * Received characters first, then room in the transmitter. THRE interrupts until THR is
 * written or ETBEI cleared, and the callback does one of the two.
 */
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
	if (data->tx_cb != NULL && (reg_read(dev, REG_IER) & IER_ETBEI) &&
	    (reg_read(dev, REG_LSR) & LSR_THRE)) {
		data->tx_cb(dev, data->tx_user);
	}
}

/* Connects and enables the UART's interrupt: 0, or -ENOTSUP where it has none. */
static int ns16550_irq_connect(const struct device *dev)
{
	const struct ns16550_config *cfg = dev->config;

	if (!IS_ENABLED(CONFIG_PLIC) || cfg->irq == 0) {
		return -ENOTSUP;
	}
	irq_connect(cfg->irq, ns16550_isr, dev);
	irq_enable(cfg->irq);
	return 0;
}

static int ns16550_irq_rx_enable(const struct device *dev, uart_rx_callback_t cb, void *user)
{
	struct ns16550_data *data = dev->data;
	int ret = ns16550_irq_connect(dev);

	if (ret != 0) {
		return ret;
	}
	data->rx_cb = cb;
	data->rx_user = user;
	ns16550_ier_update(dev, IER_ERBFI, 0);
	return 0;
}

static int ns16550_irq_tx_callback_set(const struct device *dev, uart_tx_callback_t cb, void *user)
{
	struct ns16550_data *data = dev->data;
	int ret = ns16550_irq_connect(dev);

	if (ret != 0) {
		return ret;
	}
	data->tx_user = user;
	data->tx_cb = cb;
	return 0;
}

/* The 16550 raises THRE at once when ETBEI is set while THR is already empty. */
static void ns16550_irq_tx_enable(const struct device *dev)
{
	ns16550_ier_update(dev, IER_ETBEI, 0);
}

static void ns16550_irq_tx_disable(const struct device *dev)
{
	ns16550_ier_update(dev, 0, IER_ETBEI);
}

/* THRE says the whole FIFO is empty, so it takes tx_depth bytes; none while THRE is clear. */
static int ns16550_fifo_fill(const struct device *dev, const uint8_t *buf, int len)
{
	struct ns16550_data *data = dev->data;
	int n = 0;

	if ((reg_read(dev, REG_LSR) & LSR_THRE) == 0) {
		return 0;
	}
	while (n < len && n < (int)data->tx_depth) {
		reg_write(dev, REG_THR, buf[n++]);
	}
	return n;
}

static const struct uart_driver_api ns16550_api = {
	.poll_out = ns16550_poll_out,
	.poll_in = ns16550_poll_in,
	.irq_rx_enable = ns16550_irq_rx_enable,
	.irq_tx_callback_set = ns16550_irq_tx_callback_set,
	.irq_tx_enable = ns16550_irq_tx_enable,
	.irq_tx_disable = ns16550_irq_tx_disable,
	.fifo_fill = ns16550_fifo_fill,
};

#define NS16550_DEFINE(n)                                                                          \
	static const struct ns16550_config ns16550_config_##n = {                                  \
		.base_pa = DT_INST_REG_ADDR(n),                                                    \
		.size = DT_INST_REG_SIZE(n),                                                       \
		.reg_shift = DT_INST_PROP_OR(n, reg_shift, 0),                                     \
		.reg_io_width = DT_INST_PROP_OR(n, reg_io_width, 1),                               \
		.irq = COND_CODE_1(DT_IRQ_HAS_IDX(DT_DRV_INST(n), 0), (DT_INST_IRQN(n)), (0)),     \
	};                                                                                         \
	static struct ns16550_data ns16550_data_##n;                                               \
	DEVICE_DT_INST_DEFINE(n, ns16550_init, &ns16550_data_##n, &ns16550_config_##n,             \
			      PRE_KERNEL_1, 50, &ns16550_api);

DT_INST_FOREACH_STATUS_OKAY(NS16550_DEFINE)
