/* SPDX-License-Identifier: Apache-2.0 */
/* What the filter programs (cat, upper, seq) share: writing a whole buffer to a pipe. */
#ifndef SHELL_IO_H_
#define SHELL_IO_H_

#include <stddef.h>

/* Writes all n bytes to fd, resuming after short writes. Returns 0, or -1 with errno (EPIPE
 * once the reader is gone). */
int write_all(int fd, const void *buf, size_t n);

#endif /* SHELL_IO_H_ */
