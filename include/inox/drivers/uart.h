/* SPDX-License-Identifier: Apache-2.0 */
/* UART drivers' API: polled output and input, as Zephyr's uart_poll_out/uart_poll_in. */
#ifndef INOX_DRIVERS_UART_H_
#define INOX_DRIVERS_UART_H_

#include <inox/device.h>

struct uart_driver_api {
	void (*poll_out)(const struct device *dev, unsigned char c);
	/* Returns 0 and stores a character, or -1 if none is waiting. */
	int (*poll_in)(const struct device *dev, unsigned char *c);
};

static inline void uart_poll_out(const struct device *dev, unsigned char c)
{
	((const struct uart_driver_api *)dev->api)->poll_out(dev, c);
}

static inline int uart_poll_in(const struct device *dev, unsigned char *c)
{
	return ((const struct uart_driver_api *)dev->api)->poll_in(dev, c);
}

#endif /* INOX_DRIVERS_UART_H_ */
