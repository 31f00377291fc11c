/* SPDX-License-Identifier: Apache-2.0 */
/*
 * picolibc's <unistd.h> (read, write, fork, execve, pipe, dup2, sbrk, sleep, ... are all
 * declared there), plus the two calls it lacks: brk() and the raw syscall().
 */
#ifndef INOX_USER_UNISTD_H_
#define INOX_USER_UNISTD_H_

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sets the program break to addr. Returns 0, or -1 with errno ENOMEM. */
int brk(void *addr);

/* System call number (<inox/syscall_list.h>) with up to six long arguments; -1 + errno. */
long syscall(long number, ...);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_UNISTD_H_ */
