/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What SYS_inox_ps copies out: one record per process, shared by the kernel and user
 * programs (the `ps` of samples/shell).
 */
#ifndef INOX_UAPI_PROCLIST_H_
#define INOX_UAPI_PROCLIST_H_

#include <stdint.h>

/* What Linux's ps shows as STAT R, Z, S and T. */
#define INOX_PROC_RUNNING  1 /* running, or ready to run */
#define INOX_PROC_ZOMBIE   2
#define INOX_PROC_SLEEPING 3 /* blocked: a read, a wait, a sleep */
#define INOX_PROC_STOPPED  4

struct inox_procinfo {
	int32_t pid;
	int32_t ppid;
	int32_t state; /* INOX_PROC_* */
	int32_t pgid; /* process group */
	int32_t sid; /* session */
	int32_t pad;
	uint64_t user_pages; /* resident user pages (shared ones counted in every sharer) */
	char name[16];
};

#endif /* INOX_UAPI_PROCLIST_H_ */
