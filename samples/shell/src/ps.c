/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ps: lists the processes (SYS_inox_ps): pid, parent, process group, session, state as
 * Linux's ps shows STAT (R running or runnable, S sleeping, T stopped, Z zombie), resident
 * user pages, name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <inox/memstat.h>

static int by_pid(const void *a, const void *b)
{
	const struct inox_procinfo *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static char stat_letter(int state)
{
	switch (state) {
	case INOX_PROC_RUNNING:
		return 'R';
	case INOX_PROC_SLEEPING:
		return 'S';
	case INOX_PROC_STOPPED:
		return 'T';
	case INOX_PROC_ZOMBIE:
		return 'Z';
	default:
		return '?';
	}
}

int main(void)
{
	static struct inox_procinfo table[64];
	struct inox_procinfo *procs = table;
	int cap = sizeof(table) / sizeof(table[0]);
	int n;

	/* The table can grow between two calls: ask again until it fits. */
	while ((n = inox_ps(procs, cap)) > cap) {
		if (procs != table) {
			free(procs);
		}
		cap = n + 8;
		procs = malloc(cap * sizeof(*procs));
		if (procs == NULL) {
			fprintf(stderr, "ps: out of memory for %d processes\n", cap);
			return 1;
		}
	}
	if (n < 0) {
		perror("ps");
		return 1;
	}
	qsort(procs, n, sizeof(*procs), by_pid);
	printf("  PID  PPID  PGID   SID STAT PAGES NAME\n");
	for (int i = 0; i < n; i++) {
		const struct inox_procinfo *p = &procs[i];

		printf("%5d %5d %5d %5d %-4c %5llu %.*s\n", (int)p->pid, (int)p->ppid, (int)p->pgid,
		       (int)p->sid, stat_letter(p->state), (unsigned long long)p->user_pages,
		       (int)sizeof(p->name), p->name);
	}
	return 0;
}
