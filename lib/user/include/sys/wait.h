/* SPDX-License-Identifier: Apache-2.0 */
/* picolibc's <sys/wait.h> plus what it lacks of Linux's: WCONTINUED and WIFCONTINUED(). */
#ifndef INOX_USER_SYS_WAIT_H_
#define INOX_USER_SYS_WAIT_H_

#include_next <sys/wait.h>

#ifndef WCONTINUED
#define WCONTINUED 8
#endif
#ifndef WIFCONTINUED
#define WIFCONTINUED(w) ((w) == 0xffff)
#endif

#endif /* INOX_USER_SYS_WAIT_H_ */
