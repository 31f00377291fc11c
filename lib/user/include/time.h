/* SPDX-License-Identifier: Apache-2.0 */
/*
 * picolibc's <time.h>, plus what it leaves out for us: it declares clock_gettime() and
 * nanosleep() only where _POSIX_TIMERS is defined (it is not, for this target), and numbers
 * the clocks and TIMER_ABSTIME differently from Linux. lib/user implements the calls on the
 * kernel's.
 */
#ifndef INOX_USER_TIME_H_
#define INOX_USER_TIME_H_

#include_next <time.h>

#undef CLOCK_REALTIME
#undef CLOCK_MONOTONIC
#undef CLOCK_BOOTTIME
#undef TIMER_ABSTIME
#include <inox/uapi/time.h>

#ifdef __cplusplus
extern "C" {
#endif

int clock_gettime(clockid_t clock_id, struct timespec *tp);
int clock_getres(clockid_t clock_id, struct timespec *res);
int nanosleep(const struct timespec *req, struct timespec *rem);
/* POSIX: returns 0 or an errno value (not -1), as glibc and musl. */
int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *req,
		    struct timespec *rem);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_TIME_H_ */
