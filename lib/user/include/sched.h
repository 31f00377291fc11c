/* SPDX-License-Identifier: Apache-2.0 */
/* picolibc's <sched.h>, plus sched_yield(), which it declares only with POSIX threads. */
#ifndef INOX_USER_SCHED_H_
#define INOX_USER_SCHED_H_

#include_next <sched.h>

#ifdef __cplusplus
extern "C" {
#endif

int sched_yield(void);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_SCHED_H_ */
