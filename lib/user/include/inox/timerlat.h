/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel's timerlat sampler (CONFIG_TIMERLAT), from user space. */
#ifndef INOX_USER_TIMERLAT_H_
#define INOX_USER_TIMERLAT_H_

#include <inox/uapi/timerlat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Takes req->loops wake-up latencies (ns) of the kernel's highest-priority thread into
 * req->samples_ns, blocking meanwhile. 0, or -1 with errno: EINVAL, EFAULT, EINTR, ENOSYS
 * (the kernel has no CONFIG_TIMERLAT). */
int inox_timerlat(struct inox_timerlat *req);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_TIMERLAT_H_ */
