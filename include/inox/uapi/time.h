/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Clock ids for clock_gettime(), Linux's, shared by the kernel and user programs (picolibc's
 * <time.h> numbers them differently: CLOCK_REALTIME 1, CLOCK_MONOTONIC 4, TIMER_ABSTIME 4). The timespec a
 * system call reads or writes is Linux's on RV64: { int64_t tv_sec; long tv_nsec; }.
 */
#ifndef INOX_UAPI_TIME_H_
#define INOX_UAPI_TIME_H_

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME  7

/* clock_nanosleep()'s flag: the time is a point on the clock, not a duration. */
#define TIMER_ABSTIME 1

#endif /* INOX_UAPI_TIME_H_ */
