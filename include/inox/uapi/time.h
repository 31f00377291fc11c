/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Clock ids for clock_gettime() and the timespec the time calls read and write, Linux's,
 * shared by the kernel and user programs. picolibc's <time.h> numbers the clocks differently
 * (CLOCK_REALTIME 1, CLOCK_MONOTONIC 4, TIMER_ABSTIME 4); lib/user's <time.h> replaces them
 * with these.
 */
#ifndef INOX_UAPI_TIME_H_
#define INOX_UAPI_TIME_H_

#include <stdint.h>

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME  7

/* clock_nanosleep()'s flag: the time is a point on the clock, not a duration. */
#define TIMER_ABSTIME 1

/*
 * A time as the system calls pass it (Linux's struct __kernel_timespec). Named apart from
 * struct timespec, which picolibc defines for user programs; lib/user checks that the two
 * have the same layout.
 */
struct inox_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* setitimer()'s: Linux's struct __kernel_old_itimerval (timevals of two longs). */
#define ITIMER_REAL 0

struct inox_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct inox_itimerval {
	struct inox_timeval it_interval;
	struct inox_timeval it_value;
};

#endif /* INOX_UAPI_TIME_H_ */
