/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Process groups and sessions, as Linux has them: a group is the processes with one pgid, a
 * session the groups with one sid; the ids are those of the group's and the session's first
 * process (its leader), and live as long as some process carries them. fork() passes both
 * on and exec() keeps them. The signals and waits that address a group walk the table.
 * Locking: z_sched_lock, which guards the table and every process's ids.
 */
#include <inox/kernel.h>
#include <inox/proc/proc.h>
#include "ksched.h"

/* Whether p is a member of its group: running, or a zombie (as on Linux, a process keeps
 * its ids until it is reaped, so a pipeline's first stage that has already exited still
 * holds the group the later stages join). */
static bool is_member(const struct proc *p)
{
	return p->state == PROC_RUNNING || (p->state == PROC_ZOMBIE && !p->sig.autoreap);
}

bool pgrp_exists_locked(int pgid, int sid)
{
	struct proc *p;

	for (int i = 0; (p = proc_slot(i)) != NULL; i++) {
		if (is_member(p) && p->pgid == pgid && (sid == 0 || p->sid == sid)) {
			return true;
		}
	}
	return false;
}

void pgrp_fork(struct proc *child, const struct proc *parent)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->no_ctty = parent->no_ctty;
	k_spin_unlock(&z_sched_lock, key);
}

/* Linux's order of checks (kernel/sys.c): the target, then its session and exec, then
 * whether it leads a session, then the group it joins. */
long proc_setpgid(int pid, int pgid)
{
	struct proc *self = proc_current();
	k_spinlock_key_t key;
	struct proc *p;
	long ret;

	if (pgid < 0) {
		return -EINVAL;
	}
	key = k_spin_lock(&z_sched_lock);
	p = pid == 0 ? self : proc_find_locked(pid);
	if (pid < 0 || p == NULL) {
		ret = -ESRCH;
	} else if (p != self && p->parent != self) {
		ret = -ESRCH;
	} else if (p != self && p->sid != self->sid) {
		ret = -EPERM;
	} else if (p != self && p->did_exec) {
		ret = -EACCES;
	} else if (p->sid == p->pid) {
		ret = -EPERM;
	} else {
		if (pgid == 0) {
			pgid = p->pid;
		}
		/* A new group takes the process's own pid; an existing one must be in the
		 * caller's session. */
		if (pgid != p->pid && !pgrp_exists_locked(pgid, self->sid)) {
			ret = -EPERM;
		} else {
			p->pgid = pgid;
			ret = 0;
		}
	}
	k_spin_unlock(&z_sched_lock, key);
	return ret;
}

/* The caller for pid 0, else the running process pid (NULL: -ESRCH, and so is pid < 0). */
static struct proc *proc_of_arg_locked(int pid)
{
	return pid == 0 ? proc_current() : pid > 0 ? proc_find_locked(pid) : NULL;
}

/* pid's (0: the caller's) session id, or else its group id; -ESRCH if there is no pid. */
static long proc_id(int pid, bool session)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	struct proc *p = proc_of_arg_locked(pid);
	long ret = p == NULL ? -ESRCH : session ? p->sid : p->pgid;

	k_spin_unlock(&z_sched_lock, key);
	return ret;
}

long proc_getpgid(int pid)
{
	return proc_id(pid, false);
}

long proc_getsid(int pid)
{
	return proc_id(pid, true);
}

long proc_setsid(void)
{
	struct proc *self = proc_current();
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	long ret;

	if (pgrp_exists_locked(self->pid, 0)) {
		ret = -EPERM;
	} else {
		self->pgid = self->pid;
		self->sid = self->pid;
		self->no_ctty = false; /* a new session starts without a terminal */
		ret = self->pid;
	}
	k_spin_unlock(&z_sched_lock, key);
	return ret;
}

int pgrp_signal_locked(int pgid, int sig)
{
	struct proc *p;
	int n = 0;

	for (int i = 0; (p = proc_slot(i)) != NULL; i++) {
		if (is_member(p) && p->pgid == pgid) {
			if (sig != 0 && p->state == PROC_RUNNING) {
				proc_signal_locked(p, sig);
			}
			n++;
		}
	}
	return n;
}

long proc_kill_group(int pgid, int sig)
{
	k_spinlock_key_t key;
	long ret;

	if (sig < 0 || sig >= INOX_NSIG) {
		return -EINVAL;
	}
	key = k_spin_lock(&z_sched_lock);
	if (pgid == 0) {
		pgid = proc_current()->pgid;
	}
	/* Its running members get sig; a group of zombies alone exists, and gets nothing. */
	ret = pgrp_signal_locked(pgid, sig) == 0 ? -ESRCH : 0;
	k_spin_unlock(&z_sched_lock, key);
	return ret;
}

/* Linux also skips a member whose parent is init (will_become_orphaned_pgrp()), which makes
 * every group of a shell that runs as init orphaned, and so deaf to Ctrl-Z; Inox counts init
 * like any parent, so that samples/shell, which is init, has job control. */
bool pgrp_orphaned_locked(int pgid)
{
	struct proc *p;

	for (int i = 0; (p = proc_slot(i)) != NULL; i++) {
		if (p->state != PROC_RUNNING || p->pgid != pgid || p->parent == NULL) {
			continue;
		}
		if (p->parent->pgid != pgid && p->parent->sid == p->sid) {
			return false;
		}
	}
	return true;
}

bool pgrp_wait_matches(const struct proc *w, const struct proc *c, int pid)
{
	if (pid > 0) {
		return c->pid == pid;
	}
	if (pid == -1) {
		return true;
	}
	return c->pgid == (pid == 0 ? w->pgid : -pid);
}
