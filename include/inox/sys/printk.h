/* SPDX-License-Identifier: Apache-2.0 */
/*
 * printk(): formatted kernel messages on the console. Supports %d %i %u %x %X %o %p %s %c %%
 * with the l, ll, z, h modifiers, '-', '0' and a field width.
 */
#ifndef INOX_SYS_PRINTK_H_
#define INOX_SYS_PRINTK_H_

#include <stdarg.h>
#include <stddef.h>
#include <inox/toolchain.h>

void printk(const char *fmt, ...) __printf_like(1, 2);
void vprintk(const char *fmt, va_list ap);
int snprintk(char *buf, size_t len, const char *fmt, ...) __printf_like(3, 4);
int vsnprintk(char *buf, size_t len, const char *fmt, va_list ap);

/* Writes n bytes to the console as one message, polled, from any context: where
 * console_write() cannot buffer or sleep. */
void z_console_write(const char *buf, size_t n);

/* Sends, polled, whatever the console still buffers: before the system powers off or halts. */
void z_console_flush(void);

/*
 * What the console driver gives printk once its UART works. putc() sends one character,
 * polled. begin() runs before each message, with interrupts off and the printk lock held: it
 * sends, polled, the output console_write() buffered so far, and keeps the UART's transmit
 * interrupt from sending more until end(), so that the message goes out whole and after
 * everything written before it. begin and end may be NULL.
 */
struct printk_console {
	void (*putc)(char c);
	void (*begin)(void);
	void (*end)(void);
};

void z_printk_set_console(const struct printk_console *console);

#endif /* INOX_SYS_PRINTK_H_ */
