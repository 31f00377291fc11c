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

#include <inox/uapi/proclist.h>
#include <inox/syscall_list.h> /* INOX_FORK_* */

/* Fills up to n records, one per process. Returns how many processes there are (may be more
 * than n), or -1 with errno (EFAULT). */
int inox_ps(struct inox_procinfo *procs, int n);

/* How this process's forks copy memory: INOX_FORK_COW or INOX_FORK_EAGER (INOX_FORK_QUERY
 * only asks). Returns the mode before the call, or -1 with errno (ENOTSUP: the kernel was
 * built with CONFIG_MM_COW=n and can only copy). Children inherit the mode. */
int inox_fork_mode(int mode);

#ifdef __cplusplus
}
#endif

#endif /* INOX_USER_MEMSTAT_H_ */
