/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UART drivers' API, in Zephyr's shape: polled output and input (uart_poll_out/uart_poll_in),
 * receive by interrupt, and interrupt-driven transmit (uart_irq_tx_enable/disable and
 * uart_fifo_fill from a tx-ready callback).
 */
#ifndef INOX_DRIVERS_UART_H_
#define INOX_DRIVERS_UART_H_

#include <stdint.h>
#include <inox/device.h>
#include <inox/errno.h>

/* Called from the UART's interrupt for each received character. */
typedef void (*uart_rx_callback_t)(const struct device *dev, unsigned char c, void *user_data);

/*
 * Called from the UART's interrupt while its transmit interrupt is enabled and the
 * transmitter can take more: the callback refills it with uart_fifo_fill(), and disables the
 * interrupt (uart_irq_tx_disable()) once it has nothing left to send, or it is called again.
 */
typedef void (*uart_tx_callback_t)(const struct device *dev, void *user_data);

struct uart_driver_api {
	void (*poll_out)(const struct device *dev, unsigned char c);
	/* Returns 0 and stores a character, or -1 if none is waiting. */
	int (*poll_in)(const struct device *dev, unsigned char *c);
	/* Delivers received characters to cb from the receive interrupt: 0, or -ENOTSUP
	 * where the devicetree gives the UART no interrupt or there is no controller. */
	int (*irq_rx_enable)(const struct device *dev, uart_rx_callback_t cb, void *user_data);
	/* Installs the tx-ready callback (the transmit interrupt stays off): 0, or -ENOTSUP
	 * as irq_rx_enable. */
	int (*irq_tx_callback_set)(const struct device *dev, uart_tx_callback_t cb,
				   void *user_data);
	void (*irq_tx_enable)(const struct device *dev);
	void (*irq_tx_disable)(const struct device *dev);
	/* Puts up to len bytes into the transmitter without waiting; returns how many. */
	int (*fifo_fill)(const struct device *dev, const uint8_t *buf, int len);
};

static inline void uart_poll_out(const struct device *dev, unsigned char c)
{
	((const struct uart_driver_api *)dev->api)->poll_out(dev, c);
}

static inline int uart_poll_in(const struct device *dev, unsigned char *c)
{
	return ((const struct uart_driver_api *)dev->api)->poll_in(dev, c);
}

static inline int uart_irq_rx_enable(const struct device *dev, uart_rx_callback_t cb,
				     void *user_data)
{
	const struct uart_driver_api *api = dev->api;

	return api->irq_rx_enable ? api->irq_rx_enable(dev, cb, user_data) : -ENOTSUP;
}

/* 0, or -ENOTSUP where the UART cannot interrupt for transmit: then use uart_poll_out(). */
static inline int uart_irq_tx_callback_set(const struct device *dev, uart_tx_callback_t cb,
					   void *user_data)
{
	const struct uart_driver_api *api = dev->api;

	return api->irq_tx_callback_set ? api->irq_tx_callback_set(dev, cb, user_data) : -ENOTSUP;
}

/* Lets the transmit interrupt call the tx-ready callback; only after it was set. Any context. */
static inline void uart_irq_tx_enable(const struct device *dev)
{
	((const struct uart_driver_api *)dev->api)->irq_tx_enable(dev);
}

static inline void uart_irq_tx_disable(const struct device *dev)
{
	((const struct uart_driver_api *)dev->api)->irq_tx_disable(dev);
}

/* Returns how many of the len bytes the transmitter took (0 when it is full); never waits. */
static inline int uart_fifo_fill(const struct device *dev, const uint8_t *buf, int len)
{
	return ((const struct uart_driver_api *)dev->api)->fifo_fill(dev, buf, len);
}

#endif /* INOX_DRIVERS_UART_H_ */
