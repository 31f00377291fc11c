/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scheduling policies and their priority range, Linux's, shared by the kernel and user
 * programs. struct sched_param is { int sched_priority; } on both sides (picolibc's and
 * Linux's agree).
 */
#ifndef INOX_UAPI_SCHED_H_
#define INOX_UAPI_SCHED_H_

#ifndef SCHED_OTHER
#define SCHED_OTHER 0
#endif
#ifndef SCHED_FIFO
#define SCHED_FIFO 1
#endif
#ifndef SCHED_RR
#define SCHED_RR 2
#endif
#ifndef SCHED_BATCH
#define SCHED_BATCH 3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif
/* Or'ed into sched_setscheduler()'s policy: the children of a fork start as SCHED_OTHER. */
#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

/* The real-time priorities of SCHED_FIFO and SCHED_RR (sched_get_priority_min/max). */
#define INOX_SCHED_RT_PRIO_MIN 1
#define INOX_SCHED_RT_PRIO_MAX 99

#endif /* INOX_UAPI_SCHED_H_ */
