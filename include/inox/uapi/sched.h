/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scheduling policies, their priority range and the parameter block of the sched_* calls,
 * Linux's, shared by the kernel and user programs. picolibc's <sched.h> has SCHED_OTHER,
 * SCHED_FIFO and SCHED_RR too (same values); lib/user's <sched.h> replaces them with these.
 */
#ifndef INOX_UAPI_SCHED_H_
#define INOX_UAPI_SCHED_H_

#include <stdint.h>

#define SCHED_OTHER 0
#define SCHED_FIFO  1
#define SCHED_RR    2
#define SCHED_BATCH 3
#define SCHED_IDLE  5
/* Or'ed into sched_setscheduler()'s policy: the children of a fork start as SCHED_OTHER. */
#define SCHED_RESET_ON_FORK 0x40000000

/* The real-time priorities of SCHED_FIFO and SCHED_RR (sched_get_priority_min/max). */
#define INOX_SCHED_RT_PRIO_MIN 1
#define INOX_SCHED_RT_PRIO_MAX 99

/*
 * What sched_setparam() and friends read and write: Linux's struct sched_param. Named apart
 * from picolibc's struct sched_param; lib/user checks that the two have the same layout.
 */
struct inox_sched_param {
	int32_t sched_priority;
};

#endif /* INOX_UAPI_SCHED_H_ */
