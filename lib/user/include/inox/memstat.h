/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel's memory counters (copy-on-write, fork, free pages), read from user space. */
#ifndef INOX_USER_MEMSTAT_H_
#define INOX_USER_MEMSTAT_H_

#include <inox/uapi/memstat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fills *st with a snapshot of the counters. Returns 0, or -1 with errno (EFAULT). */
int inox_memstat(struct inox_memstat *st);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_MEMSTAT_H_ */
