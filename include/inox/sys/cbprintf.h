/* SPDX-License-Identifier: Apache-2.0 */
/* The formatter behind printk and snprintk: each output character goes to a callback. */
#ifndef INOX_SYS_CBPRINTF_H_
#define INOX_SYS_CBPRINTF_H_

#include <stdarg.h>

typedef void (*cbprintf_cb)(char c, void *ctx);

/* Formats fmt with ap, calling out(c, ctx) per character. Returns the characters produced. */
int cbvprintf(cbprintf_cb out, void *ctx, const char *fmt, va_list ap);

#endif /* INOX_SYS_CBPRINTF_H_ */
