/* SPDX-License-Identifier: Apache-2.0 */
/*
 * picolibc's <time.h>, plus what it leaves out for us: it declares clock_gettime() and
 * nanosleep() only where _POSIX_TIMERS is defined (it is not, for this target), and numbers
 * the clocks differently from Linux. lib/user implements both calls on the kernel's.
 */
#ifndef INOX_USER_TIME_H_
#define INOX_USER_TIME_H_

#include_next <time.h>

#undef CLOCK_REALTIME
#undef CLOCK_MONOTONIC
#include <inox/uapi/time.h>

#ifdef __cplusplus
extern "C" {
#endif

int clock_gettime(clockid_t clock_id, struct timespec *tp);
int nanosleep(const struct timespec *req, struct timespec *rem);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_TIME_H_ */
