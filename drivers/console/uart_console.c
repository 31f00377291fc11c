/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console on the devicetree's chosen inox,console UART: printk output ("\n" sent as
 * "\r\n"), and input from the UART's receive interrupt into a ring buffer that
 * console_getchar() reads.
 */
#include <inox/kernel.h>
#include <inox/console.h>
#include <inox/device.h>
#include <inox/drivers/uart.h>

#define CONSOLE_NODE DT_CHOSEN(inox_console)
#define RX_SIZE      CONFIG_CONSOLE_INPUT_BUFFER_SIZE

static const struct device *console_dev;
static bool rx_ready;

static struct {
	struct k_spinlock lock;
	unsigned char buf[RX_SIZE];
	unsigned int head; /* next to read */
	unsigned int count;
	unsigned long dropped;
	struct k_sem avail;
} rx;

static void console_putc(char c)
{
	if (c == '\n') {
		uart_poll_out(console_dev, '\r');
	}
	uart_poll_out(console_dev, (unsigned char)c);
}

static void console_rx(const struct device *dev, unsigned char c, void *user_data)
{
	k_spinlock_key_t key = k_spin_lock(&rx.lock);
	bool stored = rx.count < RX_SIZE;

	if (stored) {
		rx.buf[(rx.head + rx.count) % RX_SIZE] = c;
		rx.count++;
	} else {
		rx.dropped++;
	}
	k_spin_unlock(&rx.lock, key);
	if (stored) {
		k_sem_give(&rx.avail);
	}
}

int console_getchar(k_timeout_t timeout)
{
	k_spinlock_key_t key;
	int ret;
	int c;

	if (!rx_ready) {
		return -ENOTSUP;
	}
	ret = k_sem_take_interruptible(&rx.avail, timeout);
	if (ret != 0) {
		return ret;
	}
	key = k_spin_lock(&rx.lock);
	c = rx.buf[rx.head];
	rx.head = (rx.head + 1) % RX_SIZE;
	rx.count--;
	k_spin_unlock(&rx.lock, key);
	return c;
}

unsigned long console_dropped(void)
{
	return rx.dropped;
}

static int uart_console_init(void)
{
	console_dev = DEVICE_DT_GET(CONSOLE_NODE);
	if (!device_is_ready(console_dev)) {
		return -ENODEV;
	}
	z_printk_set_hook(console_putc);
	k_sem_init(&rx.avail, 0, RX_SIZE);
	rx_ready = uart_irq_rx_enable(console_dev, console_rx, NULL) == 0;
	return 0;
}

/* After the interrupt controller (10) and the UART drivers (50). */
SYS_INIT(uart_console_init, PRE_KERNEL_1, 60);
