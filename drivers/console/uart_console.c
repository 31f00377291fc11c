/* SPDX-License-Identifier: Apache-2.0 */
/* printk on the devicetree's chosen inox,console UART, with "\n" sent as "\r\n". */
#include <inox/kernel.h>
#include <inox/device.h>
#include <inox/drivers/uart.h>

#define CONSOLE_NODE DT_CHOSEN(inox_console)

static const struct device *console_dev;

static void console_putc(char c)
{
	if (c == '\n') {
		uart_poll_out(console_dev, '\r');
	}
	uart_poll_out(console_dev, (unsigned char)c);
}

static int uart_console_init(void)
{
	console_dev = DEVICE_DT_GET(CONSOLE_NODE);
	if (!device_is_ready(console_dev)) {
		return -1;
	}
	z_printk_set_hook(console_putc);
	return 0;
}

/* After the UART drivers (PRE_KERNEL_1, 50). */
SYS_INIT(uart_console_init, PRE_KERNEL_1, 60);
