/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console input: characters typed on the chosen inox,console UART arrive through its
 * receive interrupt into a buffer (CONFIG_CONSOLE_INPUT_BUFFER_SIZE; when full, new
 * characters are dropped and counted).
 */
#ifndef INOX_CONSOLE_H_
#define INOX_CONSOLE_H_

#include <inox/kernel.h>

/* The next character typed, waiting up to timeout: 0..255, or -EAGAIN / -EBUSY when none
 * came, -EINTR when the thread is interrupted (k_thread_interrupt(): its process was
 * killed), -ENOTSUP when the console UART has no receive interrupt. */
int console_getchar(k_timeout_t timeout);

/* Characters dropped because the buffer was full. */
unsigned long console_dropped(void);

#endif /* INOX_CONSOLE_H_ */
