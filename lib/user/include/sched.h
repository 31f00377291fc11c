/* SPDX-License-Identifier: Apache-2.0 */
/* picolibc's <sched.h>, plus sched_yield() and the scheduling-policy calls, which it declares
 * only with POSIX threads and priority scheduling (Linux's numbers, <inox/uapi/sched.h>). */
#ifndef INOX_USER_SCHED_H_
#define INOX_USER_SCHED_H_

#include_next <sched.h>
#include <sys/types.h>
#include <time.h>

#undef SCHED_OTHER
#undef SCHED_FIFO
#undef SCHED_RR
#include <inox/uapi/sched.h>

#ifdef __cplusplus
extern "C" {
#endif

int sched_yield(void);
int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param);
int sched_getscheduler(pid_t pid);
int sched_setparam(pid_t pid, const struct sched_param *param);
int sched_getparam(pid_t pid, struct sched_param *param);
int sched_get_priority_max(int policy);
int sched_get_priority_min(int policy);
int sched_rr_get_interval(pid_t pid, struct timespec *interval);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_SCHED_H_ */
