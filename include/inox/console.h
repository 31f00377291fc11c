/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console on the chosen inox,console UART. Output from threads is buffered
 * (CONFIG_CONSOLE_OUTPUT_BUFFER_SIZE) and sent by the UART's transmit interrupt; printk()
 * sends what is buffered before its own text. Input: characters typed arrive through the
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

/*
 * Writes n bytes to the console as one piece (no printk() line lands inside it unless it is
 * longer than the output buffer), sleeping while the buffer is full. Returns n; or, once
 * the thread is interrupted (k_thread_interrupt(): its process was killed), the bytes
 * accepted until then, or -EINTR if none. Where the UART has no transmit interrupt, or the
 * caller cannot sleep (an interrupt handler, interrupts off), it sends them polled, as
 * z_console_write().
 */
long console_write(const char *buf, size_t n);

/* Drops the characters typed and not read yet. Callable from interrupt context. */
void console_input_flush(void);

/*
 * A function the receive interrupt hands each character to before it buffers it: true when
 * it took the character (the terminal's Ctrl-C, which then never reaches a reader). It runs
 * in interrupt context, with no console lock held. NULL: none, every character is buffered.
 */
typedef bool (*console_input_filter_t)(unsigned char c);
void console_set_input_filter(console_input_filter_t filter);

/* Characters dropped because the input buffer was full. */
unsigned long console_dropped(void);

#endif /* INOX_CONSOLE_H_ */
