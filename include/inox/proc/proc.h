/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Processes: a kernel thread with a user context (its trap frame at the top of its kernel
 * stack), an address space, a file table and a parent. The process table, every parent and
 * child link and every process state are guarded by z_sched_lock, the lock the wait queues
 * need anyway; nothing slow (freeing memory, copying) happens under it.
 */
#ifndef INOX_PROC_PROC_H_
#define INOX_PROC_PROC_H_

#include <inox/kernel.h>
#include <inox/mm/vm.h>
#include <inox/uapi/signal.h>
#include <inox/proc/signal.h>

struct file;
struct arch_esf;

enum proc_state {
	PROC_FREE,
	PROC_EMBRYO, /* being created */
	PROC_RUNNING,
	PROC_ZOMBIE, /* exited, not yet reaped by its parent */
};

struct proc {
	int pid;
	enum proc_state state;
	struct proc *parent;
	sys_dlist_t children;
	sys_dnode_t sibling;
	struct k_thread thread;
	k_thread_stack_t *kstack;
	struct vm_space *vm;
	struct file *fds[CONFIG_PROC_MAX_FDS];
	int wait_status; /* as waitpid() reports it */
	struct proc_signals sig; /* see <inox/proc/signal.h> */
	bool fork_eager; /* its forks copy eagerly (inherited; SYS_inox_fork_mode) */
	/* sched_setscheduler(): SCHED_*, the real-time priority (0 for SCHED_OTHER), and
	 * whether its forks' children start as SCHED_OTHER. Inherited by fork, kept by exec. */
	int policy;
	int rt_priority;
	bool sched_reset_on_fork;
	/* Job control (pgrp.c, tty.c): the process group and session, inherited by fork and
	 * kept by exec; whether it has exec'd since its fork (setpgid() then refuses); whether
	 * it gave up the console as controlling terminal (TIOCNOTTY). */
	int pgid;
	int sid;
	bool did_exec;
	bool no_ctty;
	_wait_q_t child_wq; /* the process waits here for its children */
	char name[16];
};

/* Whether p has anything for signal_deliver() to do on its way back to user mode: a signal
 * posted (thread.interrupted), a system call to restart, a mask to restore. Read without the
 * lock: every poster sets interrupted before it makes the thread's hart trap, so what this
 * misses is looked at on that next trap. */
static inline bool signal_work(struct proc *p)
{
	return *(volatile bool *)&p->thread.interrupted || p->sig.restart || p->sig.restore_mask;
}

/* Wait status encodings (Linux's). */
#define W_EXITCODE(code) (((code)&0xff) << 8)
#define W_TERMSIG(sig)   ((sig)&0x7f)

/* The process the running thread belongs to, or NULL for a kernel thread. */
struct proc *proc_current(void);

/* Starts CONFIG_INIT_PROGRAM as pid 1, waits for it to exit and returns its wait status
 * (or -errno if it could not start). */
int proc_run_init(void);

/* fork(): a copy of the current process that returns 0 from the same system call. The
 * child's pid, or -EAGAIN (process limit), -ENOMEM. */
long proc_fork(struct arch_esf *esf);
/* execve() with argv/envp already copied into the kernel (NULL-terminated arrays). Returns
 * 0 with esf set up for the new program, or -errno with the old program untouched. */
long proc_exec(struct arch_esf *esf, const char *path, char *const argv[], char *const envp[]);
/* Ends the current process with a wait status; never returns. */
__noreturn void proc_exit(int wait_status);
/* waitpid(): pid > 0 that child, -1 any, 0 any of the caller's group, < -1 any of group
 * -pid. Returns the pid and stores the status, 0 (WNOHANG
 * and none ready), -ECHILD, -EINTR. */
long proc_wait(int pid, int *status, int options);
/* kill(): pid > 0 that process, -1 every process but init and the caller. 0, -ESRCH,
 * -EINVAL (sig not 0..31). Init gets only the signals it has a handler for, as on Linux. */
long proc_kill(int pid, int sig);
/* Posts sig (1..31) to p as kill() does, honouring its disposition and mask; z_sched_lock
 * held; callable from interrupt context. Returns 0, or -EINVAL for a bad number. */
int proc_signal_locked(struct proc *p, int sig);
/* Is p the first process (it gets only the signals it handles)? */
bool proc_is_init(const struct proc *p);
/* The running (not embryo, not zombie) process pid, or NULL. Expects z_sched_lock. */
struct proc *proc_find_locked(int pid);
/* Process table slot `slot` whatever its state, or NULL past the end: for walks of the
 * whole table under z_sched_lock. */
struct proc *proc_slot(int slot);
/* Kills the current process for a fault it cannot survive: prints
 * "pid N (name): <what> at 0x<addr> pc 0x<pc>" and exits with signal sig. */
__noreturn void proc_fault_kill(const struct arch_esf *esf, uintptr_t addr, const char *what,
				int sig);

/*
 * Scheduling of process pid (0: the caller): sets policy (SCHED_*) and real-time priority
 * prio, both already checked (proc_sched_check()); with policy < 0, keeps the policy and sets
 * only prio. 0 or -ESRCH. The process's thread moves to the kernel priority the pair maps to
 * (see proc_sched_kernel_prio()) at once, wherever it is queued.
 */
long proc_sched_set(int pid, int policy, int prio, bool reset_on_fork);
/* The policy (with SCHED_RESET_ON_FORK or'ed in when set) and priority of pid (0: the
 * caller): 0 or -ESRCH. */
long proc_sched_get(int pid, int *policy, int *prio);
/* 0 if prio is valid for policy (1..99 for SCHED_FIFO/RR, 0 for the others), else -EINVAL;
 * -EINVAL too for an unknown policy. */
int proc_sched_check(int policy, int prio);
/* The kernel thread priority a process of policy and prio runs at: SCHED_FIFO/RR between
 * the kernel's preemptible priority 0 and CONFIG_PROC_PRIORITY - 1, higher rt priority more
 * urgent; SCHED_OTHER/BATCH at CONFIG_PROC_PRIORITY; SCHED_IDLE just below. */
int proc_sched_kernel_prio(int policy, int prio);

/* -- Process groups and sessions (pgrp.c); each returns what the system call does. ------- */

/* setpgid(pid, pgid): 0, -EINVAL, -ESRCH, -EPERM, -EACCES (a child that has exec'd). */
long proc_setpgid(int pid, int pgid);
/* getpgid(pid) and getsid(pid), pid 0 the caller: the id or -ESRCH. */
long proc_getpgid(int pid);
long proc_getsid(int pid);
/* setsid(): the new session's id, or -EPERM (the caller leads a process group). */
long proc_setsid(void);
/* kill(-pgid, sig) and kill(0, sig) (pgid 0: the caller's group): 0, -ESRCH (nobody
 * there), -EINVAL. */
long proc_kill_group(int pgid, int sig);
/* Whether group pgid has a member (running or zombie) in session sid (0: any). Expects
 * z_sched_lock. */
bool pgrp_exists_locked(int pgid, int sid);
/* Sends sig to every running process of group pgid; how many members (zombies too) it
 * has. Expects z_sched_lock. */
int pgrp_signal_locked(int pgid, int sig);
/* Whether group pgid is orphaned: no member has a parent in another group of its session.
 * Expects z_sched_lock. */
bool pgrp_orphaned_locked(int pgid);
/* Whether child c is one that wait4(pid) of w waits for (pid > 0 that one, -1 any, 0 w's
 * group, < -1 group -pid). Expects z_sched_lock. */
bool pgrp_wait_matches(const struct proc *w, const struct proc *c, int pid);
/* fork(): the child joins the parent's group and session. */
void pgrp_fork(struct proc *child, const struct proc *parent);
/* The first process leads session and group 1, which the console controls from boot. */
void tty_attach_init(struct proc *init);
/* p is exiting (z_sched_lock held): a session leader's exit hangs up its terminal. */
void tty_exit_locked(struct proc *p);

/* Counts for tests and `ps`. */
unsigned int proc_count(void);

struct inox_procinfo;
/* Describes process table slot `slot`: 1 and *info filled if a process lives there, 0 if the
 * slot is free, -1 past the end of the table. */
int proc_info(int slot, struct inox_procinfo *info);

#endif /* INOX_PROC_PROC_H_ */
