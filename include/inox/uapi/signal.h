/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signal numbers, Linux's (asm-generic/signal.h), shared by the kernel and user programs.
 * picolibc's <sys/signal.h> has newlib's BSD numbers (SIGCHLD 20, SIGBUS 10, ...); lib/user's
 * wrapper replaces them with these so kill() and wait statuses mean the same on both sides.
 */
#ifndef INOX_UAPI_SIGNAL_H_
#define INOX_UAPI_SIGNAL_H_

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGIOT    6
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPOLL   SIGIO
#define SIGPWR    30
#define SIGSYS    31

/* Signals 1..31 exist; a set (sigset_t, Linux's 64-bit kernel one) has bit sig - 1 for sig. */
#define INOX_NSIG 32

/* sa_handler values (user space spells them SIG_DFL and SIG_IGN). */
#define INOX_SIG_DFL 0UL
#define INOX_SIG_IGN 1UL

/* sa_flags, Linux's. */
#define SA_NOCLDSTOP 0x00000001 /* no SIGCHLD when a child stops or continues */
#define SA_NOCLDWAIT 0x00000002 /* children are reaped at exit, never zombies */
#define SA_SIGINFO   0x00000004 /* handler(sig, siginfo *, ucontext *) */
#define SA_RESTORER  0x04000000 /* sa_restorer holds the code that calls rt_sigreturn */
#define SA_ONSTACK   0x08000000 /* accepted, no alternate stack (sigaltstack) exists */
#define SA_RESTART   0x10000000 /* a slow system call it interrupts restarts */
#define SA_NODEFER   0x40000000 /* sig is not blocked while its handler runs */
#define SA_RESETHAND 0x80000000 /* the action goes back to SIG_DFL on delivery */

/* rt_sigprocmask()'s how, Linux's (picolibc numbers them differently). */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* si_code values, Linux's. */
#define SI_USER       0 /* kill() */
#define SI_KERNEL     0x80 /* the kernel (a terminal, a pipe without readers) */
#define SI_TKILL      (-6) /* tkill(), tgkill() */
#define ILL_ILLOPC    1
#define FPE_INTDIV    1
#define SEGV_MAPERR   1 /* no mapping at the address */
#define SEGV_ACCERR   2 /* a mapping that forbids the access */
#define BUS_ADRALN    1
#define TRAP_BRKPT    1
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_DUMPED    3
#define CLD_STOPPED   5
#define CLD_CONTINUED 6

/*
 * What rt_sigaction() reads and writes: Linux's riscv64 struct sigaction (handler, flags,
 * mask: 24 bytes), then sa_restorer, which the kernel reads only when sa_flags has
 * SA_RESTORER and never writes back (see doc/processes.md: the return trampoline). User
 * programs use lib/user's POSIX struct sigaction, which sigaction() converts.
 */
struct inox_sigaction {
	unsigned long handler; /* INOX_SIG_DFL, INOX_SIG_IGN or the handler's address */
	unsigned long flags;
	unsigned long mask;
	unsigned long restorer;
};

/*
 * Linux's siginfo_t (128 bytes): signo, errno and code, then a union whose members lie at the
 * offsets Linux gives them: the sender's pid and uid (kill, SIGCHLD, with the child's status
 * and times for SIGCHLD), or the faulting address.
 */
typedef struct inox_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int __si_pad0;
	union {
		struct {
			int si_pid;
			unsigned int si_uid;
			int si_status;
			int __si_pad1;
			long si_utime;
			long si_stime;
		};
		void *si_addr;
		int __si_pad[28];
	};
} inox_siginfo_t;

#endif /* INOX_UAPI_SIGNAL_H_ */
