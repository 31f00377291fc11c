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

/* glibc's CPU sets (_GNU_SOURCE there): room for 1024 harts. sched_getaffinity() fills in
 * the harts a process may run on (every online one on Inox) and clears the rest. */
#define CPU_SETSIZE 1024
typedef struct {
	unsigned long __bits[CPU_SETSIZE / (8 * sizeof(unsigned long))];
} cpu_set_t;

#define __CPU_WORD(cpu) ((cpu) / (8 * sizeof(unsigned long)))
#define __CPU_BIT(cpu)  (1UL << ((cpu) % (8 * sizeof(unsigned long))))
#define CPU_ZERO(set)   __builtin_memset((set), 0, sizeof(cpu_set_t))
#define CPU_SET(cpu, set)                                                                          \
	((void)((size_t)(cpu) < CPU_SETSIZE && ((set)->__bits[__CPU_WORD(cpu)] |= __CPU_BIT(cpu))))
#define CPU_CLR(cpu, set)                                                                          \
	((void)((size_t)(cpu) < CPU_SETSIZE && ((set)->__bits[__CPU_WORD(cpu)] &= ~__CPU_BIT(cpu))))
#define CPU_ISSET(cpu, set)                                                                        \
	((size_t)(cpu) < CPU_SETSIZE && ((set)->__bits[__CPU_WORD(cpu)] & __CPU_BIT(cpu)) != 0)
#define CPU_COUNT(set) __inox_cpu_count(sizeof(cpu_set_t), (set))

int __inox_cpu_count(size_t size, const cpu_set_t *set);
int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_SCHED_H_ */
