/* SPDX-License-Identifier: Apache-2.0 */
/* UART drivers' API: polled output and input, as Zephyr's uart_poll_out/uart_poll_in. */
#ifndef INOX_DRIVERS_UART_H_
#define INOX_DRIVERS_UART_H_

#include <inox/device.h>
#include <inox/errno.h>

/* Called from the UART's interrupt for each received character. */
typedef void (*uart_rx_callback_t)(const struct device *dev, unsigned char c, void *user_data);

struct uart_driver_api {
	void (*poll_out)(const struct device *dev, unsigned char c);
	/* Returns 0 and stores a character, or -1 if none is waiting. */
	int (*poll_in)(const struct device *dev, unsigned char *c);
	/* Delivers received characters to cb from the receive interrupt: 0, or -ENOTSUP
	 * where the devicetree gives the UART no interrupt or there is no controller. */
	int (*irq_rx_enable)(const struct device *dev, uart_rx_callback_t cb, void *user_data);
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

#endif /* INOX_DRIVERS_UART_H_ */
