/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signals (subsys/proc/signal.c): a process's dispositions, blocked and pending sets, job
 * control state, and the hooks the rest of subsys/proc calls. Every field but the ones noted
 * is guarded by z_sched_lock, as the process table is: signals are posted from other harts
 * and from interrupt handlers.
 */
#ifndef INOX_PROC_SIGNAL_H_
#define INOX_PROC_SIGNAL_H_

#include <stdbool.h>
#include <stdint.h>
#include <inox/kernel.h>
#include <inox/uapi/signal.h>

struct proc;
struct arch_esf;

#define SIG_BIT(sig) (1UL << ((sig)-1))

/* What the receiver's siginfo says about a pending signal. */
struct sig_info {
	int code; /* SI_*, CLD_*, SEGV_* ... */
	int pid; /* the sender (kill) or the child (SIGCHLD) */
	int status; /* SIGCHLD: exit code or signal */
	uintptr_t addr; /* faults: the address */
};

struct proc_signals {
	struct inox_sigaction action[INOX_NSIG]; /* [sig]; [0] unused */
	unsigned long blocked;
	unsigned long pending;
	struct sig_info info[INOX_NSIG]; /* of each pending signal, the first one sent */
	/* rt_sigsuspend(): the mask to put back once a handler's frame has saved it. */
	unsigned long saved_mask;
	bool restore_mask;
	/* Job control: stopped by a signal; what the parent's wait4() has yet to hear. */
	bool stopped;
	int stop_report; /* the stop signal, for WUNTRACED; 0 none */
	bool cont_report; /* for WCONTINUED */
	bool autoreap; /* exited while its parent ignored SIGCHLD: its slot frees itself */
	_wait_q_t stop_wq; /* the stopped process waits here for SIGCONT or SIGKILL */
	/* A restartable system call ended with -EINTR: its first argument, to restart it.
	 * Only the process itself touches these (no lock). */
	bool restart;
	unsigned long restart_arg0;
	struct _timeout alarm; /* alarm(): posts SIGALRM (lock held by the timer code) */
	uint64_t alarm_deadline; /* in cycles; 0 when no alarm is set */
};

/* Sets up p's signal state, all defaults (p is an embryo, lock not needed). */
void signal_init(struct proc *p);
/* fork(): child takes parent's dispositions and mask, nothing pending. */
void signal_fork(struct proc *child, struct proc *parent);
/* exec(): caught signals go back to SIG_DFL; ignored ones, mask and pending stay. */
void signal_exec(struct proc *p);
/* The process exits with wait_status (lock held): SIGCHLD to the parent, and whether the
 * child reaps itself (the parent ignores SIGCHLD or set SA_NOCLDWAIT). Cancels its alarm. */
bool signal_exit_locked(struct proc *p, int wait_status);
/* wait4() of parent found live child c (lock held): if options ask for it and c stopped or
 * continued since the last report, stores the status and returns true. */
bool signal_wait_report_locked(struct proc *c, int options, int *status);
/* A system call ended with ret: -EINTR from a restartable one (read, write, wait4) is noted
 * so that the way back to user mode restarts it or lets it fail, as Linux's -ERESTARTSYS.
 * Returns what the call returns for now. */
long signal_syscall_done(struct arch_esf *esf, bool restartable, long ret);
/* A fault the kernel cannot resolve: queues sig for the handler, which runs on the way back
 * and whose return re-executes the instruction; if sig is blocked, ignored or has no
 * handler, kills the process with the fault report (proc_fault_kill()). */
void signal_fault(struct arch_esf *esf, int sig, int code, uintptr_t addr, const char *what);
/* Posts sig to the current process (SIGPIPE), as the kernel sends it. */
void signal_self(int sig);
/* On the way back to user mode of p, the current process (interrupts off): takes the pending
 * signals: default actions (may stop, or end the process), handlers (a frame each), syscall
 * restarts. */
void signal_deliver(struct proc *p, struct arch_esf *esf);

/* The system calls, for syscall.c's table (Linux's numbers and arguments). */
long z_vrfy_kill(struct arch_esf *esf);
long z_vrfy_tkill(struct arch_esf *esf);
long z_vrfy_tgkill(struct arch_esf *esf);
long z_vrfy_rt_sigaction(struct arch_esf *esf);
long z_vrfy_rt_sigprocmask(struct arch_esf *esf);
long z_vrfy_rt_sigpending(struct arch_esf *esf);
long z_vrfy_rt_sigsuspend(struct arch_esf *esf);
long z_vrfy_rt_sigreturn(struct arch_esf *esf);
long z_vrfy_setitimer(struct arch_esf *esf);

#endif /* INOX_PROC_SIGNAL_H_ */
