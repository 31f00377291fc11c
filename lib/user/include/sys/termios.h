/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What picolibc's <termios.h> includes: Linux's struct termios and flags (the layout the
 * kernel's TCGETS copies out, <inox/uapi/termios.h>) and the calls on it.
 */
#ifndef INOX_USER_SYS_TERMIOS_H_
#define INOX_USER_SYS_TERMIOS_H_

#include <sys/types.h>
#include <inox/uapi/termios.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The terminal's settings: 0, or -1 with errno (ENOTTY: fd is not a terminal). */
int tcgetattr(int fd, struct termios *t);
/* Sets them, now (TCSANOW), after output drains (TCSADRAIN) or also dropping unread input
 * (TCSAFLUSH). 0, or -1 with errno. */
int tcsetattr(int fd, int action, const struct termios *t);
/* Raw mode: no line editing, echo or signal characters; reads return each byte. */
void cfmakeraw(struct termios *t);
/* The session whose controlling terminal fd is, or -1 with errno ENOTTY. */
pid_t tcgetsid(int fd);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_SYS_TERMIOS_H_ */
