/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fatal errors. k_panic()/panic() print a report that starts with ">>> INOX FATAL ERROR"
 * (the line scripts/twister recognises) and stop the system.
 */
#ifndef INOX_FATAL_H_
#define INOX_FATAL_H_

#include <inox/toolchain.h>

/* Prints ">>> INOX FATAL ERROR: <message>" and stops every hart. */
__noreturn void panic(const char *fmt, ...) __printf_like(1, 2);

#define k_panic() panic("k_panic() in %s", __func__)

#endif /* INOX_FATAL_H_ */
