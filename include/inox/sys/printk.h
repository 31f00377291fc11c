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

/* Writes n bytes to the console as one message (user processes' write()). */
void z_console_write(const char *buf, size_t n);

/* The console's character output; installed by the console driver once its UART works. */
typedef void (*printk_hook_t)(char c);
void z_printk_set_hook(printk_hook_t hook);

#endif /* INOX_SYS_PRINTK_H_ */
