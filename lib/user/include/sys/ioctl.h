/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ioctl(), which picolibc does not declare, with Linux's request numbers for the console
 * (<inox/uapi/termios.h>: TCGETS, TIOCSPGRP, ...).
 */
#ifndef INOX_USER_SYS_IOCTL_H_
#define INOX_USER_SYS_IOCTL_H_

#include <inox/uapi/termios.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Request on fd, with one argument (an int or a pointer, as the request says). Returns what
 * the request does (0 for most), or -1 with errno: ENOTTY when fd is not a terminal. */
int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_SYS_IOCTL_H_ */
