/* SPDX-License-Identifier: Apache-2.0 */
/*
 * <sys/signal.h> (which picolibc's <signal.h> includes) for Inox, in place of picolibc's:
 * Linux's signal numbers, flags and siginfo_t from <inox/uapi/signal.h> instead of newlib's
 * BSD numbers, a 64-bit sigset_t with bit sig - 1 for sig (Linux's), a POSIX struct sigaction
 * that sigaction() converts to the kernel's, and ucontext_t (Linux riscv64's layout). The
 * calls are lib/user's (signal.c); picolibc's <signal.h> adds SIG_DFL, SIG_IGN, SIG_ERR,
 * signal(), raise() and psignal().
 */
#ifndef INOX_USER_SYS_SIGNAL_H_
#define INOX_USER_SYS_SIGNAL_H_
#define _SYS_SIGNAL_H /* picolibc's own is never read */

#include <sys/cdefs.h>
#include <sys/features.h>
#include <sys/types.h>
#include <sys/_sigset.h>
#include <sys/_timespec.h>
#include <stdint.h>
#include <inox/uapi/signal.h>
#include <inox/uapi/ucontext.h>

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(_SIGSET_T_DECLARED)
#define _SIGSET_T_DECLARED
typedef __sigset_t sigset_t;
#endif

#define SIGCLD     SIGCHLD
#define NSIG       INOX_NSIG
#define SA_ONESHOT SA_RESETHAND
#define SA_NOMASK  SA_NODEFER

typedef void (*_sig_func_ptr)(int);

union sigval {
	int sival_int;
	void *sival_ptr;
};

typedef inox_siginfo_t siginfo_t;

struct sigaction {
	union {
		_sig_func_ptr sa_handler;
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	sigset_t sa_mask;
	int sa_flags;
	void (*sa_restorer)(void);
};

/* glibc's indices into uc_mcontext.__gregs. */
#define REG_PC    0
#define REG_RA    1
#define REG_SP    2
#define REG_TP    4
#define REG_S0    8
#define REG_S1    9
#define REG_A0    10
#define REG_S2    18
#define REG_NARGS 8

typedef struct inox_stack stack_t;
typedef struct inox_sigcontext mcontext_t;
typedef struct inox_ucontext ucontext_t;

#define MINSIGSTKSZ 2048
#define SIGSTKSZ    8192

int kill(pid_t pid, int sig);
int sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
int sigprocmask(int how, const sigset_t *set, sigset_t *oset);
int pthread_sigmask(int how, const sigset_t *set, sigset_t *oset);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int siginterrupt(int sig, int flag);
int tgkill(pid_t tgid, pid_t tid, int sig);

#ifdef __cplusplus
}
#endif

#ifndef _SIGNAL_H_
#include <signal.h>
#endif

#endif /* INOX_USER_SYS_SIGNAL_H_ */
