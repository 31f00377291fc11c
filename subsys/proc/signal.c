/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signals, Linux's semantics for signals 1..31 (no queued real-time signals): posting
 * (kill, the kernel, faults), dispositions and masks, delivery on the way back to user mode
 * (default actions, handler frames through the arch, system call restarts), job control
 * stops, SIGCHLD, and the rt_sig* system calls. Locking: z_sched_lock guards every process's
 * struct proc_signals (see <inox/proc/signal.h>), as it guards the process table.
 */
#include <limits.h>
#include <string.h>
#include <inox/kernel.h>
#include <inox/uaccess.h>
#include <inox/proc/proc.h>
#include <inox/uapi/time.h>
#include <inox/arch/esf.h>
#include "ksched.h"
#include "kernel_arch_interface.h"

#define UNBLOCKABLE  (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))
#define STOP_SIGNALS (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU))
#define ALL_SIGNALS  ((1UL << (INOX_NSIG - 1)) - 1)

static int post(struct proc *p, int sig, const struct sig_info *info);

enum sig_default {
	SIG_DEFAULT_TERM, /* end the process (Linux's "core" too: no core is dumped) */
	SIG_DEFAULT_IGNORE,
	SIG_DEFAULT_STOP,
	SIG_DEFAULT_CONT,
};

static enum sig_default default_action(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
		return SIG_DEFAULT_IGNORE;
	case SIGCONT:
		return SIG_DEFAULT_CONT;
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return SIG_DEFAULT_STOP;
	default:
		return SIG_DEFAULT_TERM;
	}
}

static bool valid_signal(int sig)
{
	return sig >= 1 && sig < INOX_NSIG;
}

/* A handler (not SIG_DFL, not SIG_IGN) is installed for sig (lock held). */
static bool has_handler(const struct proc *p, int sig)
{
	unsigned long h = p->sig.action[sig].handler;

	return h != INOX_SIG_DFL && h != INOX_SIG_IGN;
}

/* Would sig do nothing if p took it now (lock held)? A blocked signal stays pending: the
 * disposition may change before it is unblocked (Linux's sig_ignored()). */
static bool ignored(const struct proc *p, int sig)
{
	unsigned long h = p->sig.action[sig].handler;

	if ((p->sig.blocked & SIG_BIT(sig)) && sig != SIGKILL) {
		return false;
	}
	return h == INOX_SIG_IGN ||
	       (h == INOX_SIG_DFL && (default_action(sig) == SIG_DEFAULT_IGNORE ||
				      default_action(sig) == SIG_DEFAULT_CONT));
}

/* Makes p's thread notice its pending signals: its interruptible wait ends, and a hart
 * running it traps so that it passes through signal_deliver() (lock held). */
static void kick(struct proc *p)
{
	z_thread_interrupt_locked(&p->thread);
	if (p->thread.cpu != NULL && p->thread.cpu->current == &p->thread) {
		p->thread.cpu->need_resched = true;
		arch_sched_ipi();
	}
}

/* Whether p has a signal it would act on now, and its thread's interrupted flag set to
 * match (lock held; p is the caller, or cannot be running). */
static bool recalc_locked(struct proc *p)
{
	bool ready = (p->sig.pending & ~(p->sig.blocked & ~UNBLOCKABLE)) != 0;

	p->thread.interrupted = ready;
	return ready;
}

/* Tells c's parent that c stopped, continued or exited (code CLD_*): wakes its wait4() and
 * sends SIGCHLD, unless a stop or continue and the parent asked SA_NOCLDSTOP (lock held). */
static void notify_parent_locked(struct proc *c, int code, int status)
{
	struct proc *parent = c->parent;
	struct sig_info info = {.code = code, .pid = c->pid, .status = status};

	if (parent == NULL) {
		return;
	}
	z_unpend_all_locked(&parent->child_wq);
	if ((code == CLD_STOPPED || code == CLD_CONTINUED) &&
	    (parent->sig.action[SIGCHLD].flags & SA_NOCLDSTOP)) {
		return;
	}
	post(parent, SIGCHLD, &info);
}

/* The core of every sending (lock held): job control side effects first (SIGCONT wakes a
 * stopped process and drops its pending stops; a stop drops a pending SIGCONT; SIGKILL ends
 * a stop), then the signal is dropped if p would ignore it, else made pending. */
static int post(struct proc *p, int sig, const struct sig_info *info)
{
	unsigned long bit = SIG_BIT(sig);

	if (p->state != PROC_RUNNING) {
		return 0;
	}
	/* Linux's init takes only the signals it handles (SIGKILL and SIGSTOP never). */
	if (proc_is_init(p) && !has_handler(p, sig)) {
		return 0;
	}
	if (sig == SIGCONT) {
		p->sig.pending &= ~STOP_SIGNALS;
		if (p->sig.stopped) {
			p->sig.stopped = false;
			p->sig.stop_report = 0;
			p->sig.cont_report = true;
			z_unpend_all_locked(&p->sig.stop_wq);
			notify_parent_locked(p, CLD_CONTINUED, SIGCONT);
		}
	} else if (bit & STOP_SIGNALS) {
		p->sig.pending &= ~SIG_BIT(SIGCONT);
	} else if (sig == SIGKILL) {
		z_unpend_all_locked(&p->sig.stop_wq);
	}
	if (ignored(p, sig)) {
		return 0;
	}
	if (!(p->sig.pending & bit)) {
		p->sig.pending |= bit;
		p->sig.info[sig] = *info;
	}
	if (!(p->sig.blocked & bit) || (bit & UNBLOCKABLE)) {
		kick(p);
	}
	return 0;
}

int proc_signal_locked(struct proc *p, int sig)
{
	struct proc *sender = k_is_in_isr() ? NULL : proc_current();
	struct sig_info info = {.code = sender != NULL ? SI_USER : SI_KERNEL};

	if (!valid_signal(sig)) {
		return -EINVAL;
	}
	info.pid = sender != NULL ? sender->pid : 0;
	return post(p, sig, &info);
}

void signal_self(int sig)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	proc_signal_locked(proc_current(), sig);
	k_spin_unlock(&z_sched_lock, key);
}

void signal_init(struct proc *p)
{
	sys_dlist_init(&p->sig.stop_wq.waitq);
}

void signal_fork(struct proc *child, struct proc *parent)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	memcpy(child->sig.action, parent->sig.action, sizeof(child->sig.action));
	child->sig.blocked = parent->sig.blocked;
	k_spin_unlock(&z_sched_lock, key);
}

void signal_exec(struct proc *p)
{
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);

	for (int sig = 1; sig < INOX_NSIG; sig++) {
		struct inox_sigaction *a = &p->sig.action[sig];

		if (a->handler != INOX_SIG_IGN) {
			memset(a, 0, sizeof(*a));
		}
	}
	k_spin_unlock(&z_sched_lock, key);
}

bool signal_exit_locked(struct proc *p, int wait_status)
{
	struct proc *parent = p->parent;
	int code = (wait_status & 0x7f) ? CLD_KILLED : CLD_EXITED;
	int status = code == CLD_KILLED ? (wait_status & 0x7f) : ((wait_status >> 8) & 0xff);

	z_abort_timeout_locked(&p->sig.alarm);
	p->sig.alarm_deadline = 0;
	if (parent == NULL) {
		return false;
	}
	notify_parent_locked(p, code, status);
	/* Linux: a parent that ignores SIGCHLD (or says SA_NOCLDWAIT) never sees a zombie. */
	return !proc_is_init(parent) && (parent->sig.action[SIGCHLD].handler == INOX_SIG_IGN ||
					 (parent->sig.action[SIGCHLD].flags & SA_NOCLDWAIT));
}

bool signal_wait_report_locked(struct proc *c, int options, int *status)
{
	if ((options & 2 /* WUNTRACED */) && c->sig.stop_report != 0) {
		*status = (c->sig.stop_report << 8) | 0x7f;
		c->sig.stop_report = 0;
		return true;
	}
	if ((options & 8 /* WCONTINUED */) && c->sig.cont_report) {
		*status = 0xffff;
		c->sig.cont_report = false;
		return true;
	}
	return false;
}

long signal_syscall_done(struct arch_esf *esf, bool restartable, long ret)
{
	struct proc *p = proc_current();

	if (ret == -EINTR && restartable) {
		p->sig.restart = true;
		p->sig.restart_arg0 = arch_esf_syscall_arg(esf, 0);
	}
	return ret;
}

void signal_fault(struct arch_esf *esf, int sig, int code, uintptr_t addr, const char *what)
{
	struct proc *p = proc_current();
	struct sig_info info = {.code = code, .addr = addr};
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	bool catchable = has_handler(p, sig) && !(p->sig.blocked & SIG_BIT(sig));

	/* Linux's force_sig(): a fault nobody catches ends the process, blocked or not. */
	if (catchable) {
		p->sig.pending |= SIG_BIT(sig);
		p->sig.info[sig] = info;
		p->thread.interrupted = true;
	}
	k_spin_unlock(&z_sched_lock, key);
	if (!catchable) {
		proc_fault_kill(esf, addr, what, sig);
	}
}

/* Stops the current process for sig until SIGCONT or SIGKILL (lock held on entry and on
 * return; sleeps in between). */
static k_spinlock_key_t stop_locked(struct proc *p, int sig, k_spinlock_key_t key)
{
	p->sig.stopped = true;
	p->sig.stop_report = sig;
	p->sig.cont_report = false;
	notify_parent_locked(p, CLD_STOPPED, sig);
	while (p->sig.stopped && !(p->sig.pending & SIG_BIT(SIGKILL))) {
		z_pend_curr(&p->sig.stop_wq, K_FOREVER, key);
		key = k_spin_lock(&z_sched_lock);
	}
	p->sig.stopped = false;
	return key;
}

/* The siginfo a handler of sig is given, from what post() kept. */
static void fill_siginfo(inox_siginfo_t *si, int sig, const struct sig_info *info)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = info->code;
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
		if (info->code > 0 && info->code < SI_KERNEL) {
			si->si_addr = (void *)info->addr;
			return;
		}
	}
	si->si_pid = info->pid;
	si->si_status = info->status;
}

/* The lowest-numbered signal in set, SIGKILL first. */
static int next_signal(unsigned long set)
{
	if (set & SIG_BIT(SIGKILL)) {
		return SIGKILL;
	}
	return __builtin_ctzl(set) + 1;
}

void signal_deliver(struct proc *p, struct arch_esf *esf)
{
	k_spinlock_key_t key;

	/* The common case without the lock (see signal_work()). */
	if (!signal_work(p)) {
		return;
	}
	key = k_spin_lock(&z_sched_lock);

	for (;;) {
		unsigned long ready = p->sig.pending & ~(p->sig.blocked & ~UNBLOCKABLE);
		struct inox_sigaction act;
		inox_siginfo_t si;
		unsigned long old;
		int sig;
		int ret;

		if (ready == 0) {
			break;
		}
		sig = next_signal(ready);
		p->sig.pending &= ~SIG_BIT(sig);
		act = p->sig.action[sig];
		if (act.handler == INOX_SIG_IGN && sig != SIGKILL) {
			continue;
		}
		if (act.handler == INOX_SIG_DFL || sig == SIGKILL) {
			switch (default_action(sig)) {
			case SIG_DEFAULT_IGNORE:
			case SIG_DEFAULT_CONT:
				continue;
			case SIG_DEFAULT_STOP:
				if (!proc_is_init(p)) {
					key = stop_locked(p, sig, key);
				}
				continue;
			case SIG_DEFAULT_TERM:
				k_spin_unlock(&z_sched_lock, key);
				proc_exit(W_TERMSIG(sig));
			}
		}
		fill_siginfo(&si, sig, &p->sig.info[sig]);
		old = p->sig.restore_mask ? p->sig.saved_mask : p->sig.blocked;
		p->sig.restore_mask = false;
		p->sig.blocked |= act.mask | ((act.flags & SA_NODEFER) ? 0 : SIG_BIT(sig));
		p->sig.blocked &= ~UNBLOCKABLE;
		if (act.flags & SA_RESETHAND) {
			p->sig.action[sig].handler = INOX_SIG_DFL;
			p->sig.action[sig].flags &= ~SA_SIGINFO;
		}
		k_spin_unlock(&z_sched_lock, key);

		/* A slow call a handler interrupted: -EINTR, or again with SA_RESTART. */
		if (p->sig.restart) {
			p->sig.restart = false;
			if (act.flags & SA_RESTART) {
				arch_esf_syscall_restart(esf, p->sig.restart_arg0);
			}
		}
		arch_irq_enable_all();
		ret = !(act.flags & SA_RESTORER) ?
			      -EFAULT :
			      arch_signal_frame_push(esf, sig, &si, old, act.handler, act.restorer);
		arch_irq_lock();
		if (ret != 0) {
			/* Linux's force_sigsegv(): no frame, no handler; the process ends. */
			arch_irq_enable_all();
			proc_fault_kill(esf, arch_esf_sp(esf), "cannot write a signal frame",
					SIGSEGV);
		}
		key = k_spin_lock(&z_sched_lock);
	}
	if (p->sig.restore_mask) {
		p->sig.blocked = p->sig.saved_mask;
		p->sig.restore_mask = false;
	}
	recalc_locked(p);
	k_spin_unlock(&z_sched_lock, key);
	/* Interrupted, but no handler ran (ignored, or a stop and a continue): as if nothing
	 * happened, the call starts again. */
	if (p->sig.restart) {
		p->sig.restart = false;
		arch_esf_syscall_restart(esf, p->sig.restart_arg0);
	}
}

/* -- System calls ----------------------------------------------------------------------- */

#define ARG(n) arch_esf_syscall_arg(esf, n)

/* kill(pid, sig): pid > 0 one process; -1 every process but init and the caller; 0 the
 * caller's process group, < -1 group -pid (pgrp.c). */
long z_vrfy_kill(struct arch_esf *esf)
{
	long pid = (int)ARG(0);
	int sig = (int)ARG(1);

	if (sig < 0 || sig >= INOX_NSIG) {
		return -EINVAL;
	}
	if (pid == INT_MIN) {
		return -ESRCH; /* Linux: -INT_MIN names no group */
	}
	if (pid == 0 || pid < -1) {
		return proc_kill_group(-pid, sig);
	}
	return proc_kill(pid, sig);
}

/* tgkill(tgid, tid, sig) and tkill(tid, sig): one thread per process, tid is the pid. */
static long thread_kill(long tgid, long tid, int sig)
{
	if (tid <= 0 || (tgid != -1 && tgid <= 0) || sig < 0 || sig >= INOX_NSIG) {
		return -EINVAL;
	}
	if (tgid != -1 && tgid != tid) {
		return -ESRCH;
	}
	return proc_kill(tid, sig);
}

long z_vrfy_tkill(struct arch_esf *esf)
{
	return thread_kill(-1, (int)ARG(0), (int)ARG(1));
}

long z_vrfy_tgkill(struct arch_esf *esf)
{
	return thread_kill((int)ARG(0), (int)ARG(1), (int)ARG(2));
}

/* rt_sigaction(sig, act, oact, sigsetsize). */
long z_vrfy_rt_sigaction(struct arch_esf *esf)
{
	struct proc *p = proc_current();
	int sig = (int)ARG(0);
	uintptr_t uact = ARG(1);
	uintptr_t uoact = ARG(2);
	struct inox_sigaction act;
	struct inox_sigaction old;
	k_spinlock_key_t key;

	if (ARG(3) != sizeof(unsigned long)) {
		return -EINVAL;
	}
	if (uact != 0) {
		/* The restorer word only exists for a caller that says SA_RESTORER. */
		memset(&act, 0, sizeof(act));
		if (copy_from_user(&act, (void *)uact, offsetof(struct inox_sigaction, restorer))) {
			return -EFAULT;
		}
		if ((act.flags & SA_RESTORER) &&
		    copy_from_user(&act.restorer,
				   (char *)uact + offsetof(struct inox_sigaction, restorer),
				   sizeof(act.restorer))) {
			return -EFAULT;
		}
		act.mask &= ALL_SIGNALS & ~UNBLOCKABLE;
	}
	/* Linux's order: a bad pointer is -EFAULT before a bad signal is -EINVAL. */
	if (!valid_signal(sig) || (uact != 0 && (sig == SIGKILL || sig == SIGSTOP))) {
		return -EINVAL;
	}
	key = k_spin_lock(&z_sched_lock);
	old = p->sig.action[sig];
	if (uact != 0) {
		p->sig.action[sig] = act;
		/* Now ignored: a pending one goes (POSIX), as Linux does. */
		if (act.handler == INOX_SIG_IGN ||
		    (act.handler == INOX_SIG_DFL && default_action(sig) == SIG_DEFAULT_IGNORE)) {
			p->sig.pending &= ~SIG_BIT(sig);
		}
	}
	k_spin_unlock(&z_sched_lock, key);
	if (uoact != 0 &&
	    copy_to_user((void *)uoact, &old, offsetof(struct inox_sigaction, restorer)) != 0) {
		return -EFAULT;
	}
	return 0;
}

/* rt_sigprocmask(how, set, oset, sigsetsize). */
long z_vrfy_rt_sigprocmask(struct arch_esf *esf)
{
	struct proc *p = proc_current();
	int how = (int)ARG(0);
	unsigned long set = 0;
	unsigned long old;
	k_spinlock_key_t key;

	if (ARG(3) != sizeof(unsigned long)) {
		return -EINVAL;
	}
	if (ARG(1) != 0) {
		if (copy_from_user(&set, (void *)ARG(1), sizeof(set)) != 0) {
			return -EFAULT;
		}
		if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK) {
			return -EINVAL;
		}
		set &= ALL_SIGNALS & ~UNBLOCKABLE;
	}
	key = k_spin_lock(&z_sched_lock);
	old = p->sig.blocked;
	if (ARG(1) != 0) {
		p->sig.blocked = how == SIG_BLOCK   ? old | set :
				 how == SIG_UNBLOCK ? old & ~set :
						      set;
		recalc_locked(p);
	}
	k_spin_unlock(&z_sched_lock, key);
	if (ARG(2) != 0 && copy_to_user((void *)ARG(2), &old, sizeof(old)) != 0) {
		return -EFAULT;
	}
	return 0;
}

/* rt_sigpending(set, sigsetsize): the pending signals that are blocked (the others are
 * being delivered), as Linux. */
long z_vrfy_rt_sigpending(struct arch_esf *esf)
{
	struct proc *p = proc_current();
	k_spinlock_key_t key;
	unsigned long set;

	if (ARG(1) != sizeof(unsigned long)) {
		return -EINVAL;
	}
	key = k_spin_lock(&z_sched_lock);
	set = p->sig.pending & p->sig.blocked;
	k_spin_unlock(&z_sched_lock, key);
	return copy_to_user((void *)ARG(0), &set, sizeof(set));
}

/* rt_sigsuspend(mask, sigsetsize): waits with mask until a signal is taken; always -EINTR.
 * The old mask comes back after the handler's frame saved it (signal_deliver()). */
long z_vrfy_rt_sigsuspend(struct arch_esf *esf)
{
	struct proc *p = proc_current();
	unsigned long mask;
	k_spinlock_key_t key;

	if (ARG(1) != sizeof(unsigned long)) {
		return -EINVAL;
	}
	if (copy_from_user(&mask, (void *)ARG(0), sizeof(mask)) != 0) {
		return -EFAULT;
	}
	key = k_spin_lock(&z_sched_lock);
	p->sig.saved_mask = p->sig.blocked;
	p->sig.restore_mask = true;
	p->sig.blocked = mask & ALL_SIGNALS & ~UNBLOCKABLE;
	while (!recalc_locked(p)) {
		k_spin_unlock(&z_sched_lock, key);
		k_sleep_interruptible(K_FOREVER);
		key = k_spin_lock(&z_sched_lock);
	}
	k_spin_unlock(&z_sched_lock, key);
	return -EINTR;
}

/* rt_sigreturn(): back to the context the handler's frame saved, with its mask. */
long z_vrfy_rt_sigreturn(struct arch_esf *esf)
{
	struct proc *p = proc_current();
	unsigned long mask;
	k_spinlock_key_t key;

	if (arch_signal_frame_pop(esf, &mask) != 0) {
		proc_fault_kill(esf, arch_esf_sp(esf), "bad signal frame at rt_sigreturn", SIGSEGV);
	}
	key = k_spin_lock(&z_sched_lock);
	p->sig.blocked = mask & ALL_SIGNALS & ~UNBLOCKABLE;
	recalc_locked(p);
	k_spin_unlock(&z_sched_lock, key);
	/* The interrupted context's a0, which the dispatcher writes back. */
	return ARG(0);
}

/* -- setitimer(ITIMER_REAL): SIGALRM after a time (alarm() is built on it) -------------- */

static void alarm_expired(struct _timeout *to)
{
	struct proc *p = CONTAINER_OF(to, struct proc, sig.alarm);

	p->sig.alarm_deadline = 0;
	post(p, SIGALRM, &(struct sig_info){.code = SI_KERNEL});
}

/* setitimer(which, new, old): ITIMER_REAL only, no interval (it_interval must be 0). */
long z_vrfy_setitimer(struct arch_esf *esf)
{
	struct proc *p = proc_current();
	struct inox_itimerval nv;
	struct inox_itimerval ov = {0};
	k_spinlock_key_t key;
	uint64_t now;
	uint64_t us;

	if (ARG(0) != ITIMER_REAL) {
		return -EINVAL;
	}
	if (ARG(1) == 0 || copy_from_user(&nv, (void *)ARG(1), sizeof(nv)) != 0) {
		return -EFAULT;
	}
	if (nv.it_value.tv_sec < 0 || nv.it_value.tv_usec < 0 || nv.it_value.tv_usec >= 1000000 ||
	    nv.it_interval.tv_sec != 0 || nv.it_interval.tv_usec != 0) {
		return -EINVAL;
	}
	us = (uint64_t)nv.it_value.tv_sec * 1000000 + nv.it_value.tv_usec;
	key = k_spin_lock(&z_sched_lock);
	now = k_cycle_get_64();
	if (p->sig.alarm_deadline > now) {
		uint64_t left = k_cyc_to_ns_floor64(p->sig.alarm_deadline - now) / 1000;

		ov.it_value.tv_sec = left / 1000000;
		ov.it_value.tv_usec = left % 1000000;
	}
	z_abort_timeout_locked(&p->sig.alarm);
	p->sig.alarm_deadline = 0;
	if (us != 0) {
		p->sig.alarm_deadline = now + k_ns_to_cyc_ceil64(us * 1000);
		z_add_timeout_locked(&p->sig.alarm, alarm_expired,
				     K_TIMEOUT_ABS_CYC(p->sig.alarm_deadline));
	}
	k_spin_unlock(&z_sched_lock, key);
	if (ARG(2) != 0 && copy_to_user((void *)ARG(2), &ov, sizeof(ov)) != 0) {
		return -EFAULT;
	}
	return 0;
}
