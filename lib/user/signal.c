/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signals for POSIX programs over the kernel's rt_sig* calls: sigaction() (converting to the
 * kernel's struct, with SA_RESTORER and the trampoline below), signal() with BSD semantics as
 * glibc's (SA_RESTART), the mask calls, sigset_t helpers, raise(), pause(), alarm(),
 * siglongjmp() and strsignal() (picolibc's names newlib's numbers). These objects come
 * before picolibc's libc.a, so its signal() and raise() (a user-space emulation) never link.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <inox/uapi/time.h>

#include "user.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

/* Where every handler returns: rt_sigreturn with sp at the frame the kernel built. */
void __inox_sigreturn(void);
__asm__(".section .text.__inox_sigreturn, \"ax\", @progbits\n"
	".global __inox_sigreturn\n"
	".type __inox_sigreturn, @function\n"
	"__inox_sigreturn:\n"
	"	li a7, " STR(SYS_rt_sigreturn) "\n"
					       "	ecall\n"
					       ".size __inox_sigreturn, . - __inox_sigreturn\n"
					       ".text\n");

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct inox_sigaction k;
	struct inox_sigaction old;
	long ret;

	if (act != NULL) {
		k.handler = (unsigned long)act->sa_handler;
		k.flags = (unsigned int)act->sa_flags | SA_RESTORER;
		k.mask = act->sa_mask;
		k.restorer = (unsigned long)__inox_sigreturn;
	}
	ret = inox_syscall4(SYS_rt_sigaction, sig, act != NULL ? &k : NULL,
			    oact != NULL ? &old : NULL, sizeof(sigset_t));
	if (inox_syscall_failed(ret)) {
		return inox_syscall_ret(ret);
	}
	if (oact != NULL) {
		oact->sa_handler = (_sig_func_ptr)old.handler;
		oact->sa_mask = old.mask;
		oact->sa_flags = (int)(old.flags & ~SA_RESTORER);
		oact->sa_restorer = NULL;
	}
	return 0;
}

/* BSD and glibc semantics: the handler stays, interrupted calls restart. */
_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction act = {.sa_handler = handler, .sa_flags = SA_RESTART};
	struct sigaction old;

	if (sigaction(sig, &act, &old) < 0) {
		return SIG_ERR;
	}
	return old.sa_handler;
}

int siginterrupt(int sig, int flag)
{
	struct sigaction act;

	if (sigaction(sig, NULL, &act) < 0) {
		return -1;
	}
	if (flag) {
		act.sa_flags &= ~SA_RESTART;
	} else {
		act.sa_flags |= SA_RESTART;
	}
	return sigaction(sig, &act, NULL);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	return inox_syscall_ret(
		inox_syscall4(SYS_rt_sigprocmask, how, set, oset, sizeof(sigset_t)));
}

/* One thread per process: the thread's mask is the process's. Returns an errno. */
int pthread_sigmask(int how, const sigset_t *set, sigset_t *oset)
{
	long ret = inox_syscall4(SYS_rt_sigprocmask, how, set, oset, sizeof(sigset_t));

	if (inox_syscall_failed(ret)) {
		__inox_set_errno(ret);
		return errno;
	}
	return 0;
}

int sigpending(sigset_t *set)
{
	return inox_syscall_ret(inox_syscall2(SYS_rt_sigpending, set, sizeof(sigset_t)));
}

int sigsuspend(const sigset_t *mask)
{
	return inox_syscall_ret(inox_syscall2(SYS_rt_sigsuspend, mask, sizeof(sigset_t)));
}

int pause(void)
{
	sigset_t mask;

	sigprocmask(SIG_BLOCK, NULL, &mask);
	return sigsuspend(&mask);
}

int raise(int sig)
{
	return inox_syscall_ret(inox_syscall2(SYS_tkill, getpid(), sig));
}

int tgkill(pid_t tgid, pid_t tid, int sig)
{
	return inox_syscall_ret(inox_syscall3(SYS_tgkill, tgid, tid, sig));
}

/* Seconds left of the previous alarm (rounded to the nearest, at least 1 if one was set). */
unsigned int alarm(unsigned int seconds)
{
	struct inox_itimerval nv = {.it_value = {.tv_sec = seconds}};
	struct inox_itimerval ov;

	if (inox_syscall_failed(inox_syscall3(SYS_setitimer, ITIMER_REAL, &nv, &ov))) {
		return 0;
	}
	if (ov.it_value.tv_sec == 0 && ov.it_value.tv_usec == 0) {
		return 0;
	}
	return ov.it_value.tv_sec + (ov.it_value.tv_usec >= 500000 || ov.it_value.tv_sec == 0);
}

static int sig_ok(int sig)
{
	if (sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = (1UL << (NSIG - 1)) - 1;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (!sig_ok(sig)) {
		return -1;
	}
	*set |= 1UL << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (!sig_ok(sig)) {
		return -1;
	}
	*set &= ~(1UL << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!sig_ok(sig)) {
		return -1;
	}
	return (*set >> (sig - 1)) & 1;
}

void siglongjmp(sigjmp_buf env, int val)
{
	if (env[0].__saved) {
		sigprocmask(SIG_SETMASK, &env[0].__mask, NULL);
	}
	longjmp(env[0].__jb, val);
}

static const char *const signal_names[NSIG] = {
	[SIGHUP] = "Hangup",
	[SIGINT] = "Interrupt",
	[SIGQUIT] = "Quit",
	[SIGILL] = "Illegal instruction",
	[SIGTRAP] = "Trace/breakpoint trap",
	[SIGABRT] = "Aborted",
	[SIGBUS] = "Bus error",
	[SIGFPE] = "Floating point exception",
	[SIGKILL] = "Killed",
	[SIGUSR1] = "User defined signal 1",
	[SIGSEGV] = "Segmentation fault",
	[SIGUSR2] = "User defined signal 2",
	[SIGPIPE] = "Broken pipe",
	[SIGALRM] = "Alarm clock",
	[SIGTERM] = "Terminated",
	[SIGSTKFLT] = "Stack fault",
	[SIGCHLD] = "Child exited",
	[SIGCONT] = "Continued",
	[SIGSTOP] = "Stopped (signal)",
	[SIGTSTP] = "Stopped",
	[SIGTTIN] = "Stopped (tty input)",
	[SIGTTOU] = "Stopped (tty output)",
	[SIGURG] = "Urgent I/O condition",
	[SIGXCPU] = "CPU time limit exceeded",
	[SIGXFSZ] = "File size limit exceeded",
	[SIGVTALRM] = "Virtual timer expired",
	[SIGPROF] = "Profiling timer expired",
	[SIGWINCH] = "Window changed",
	[SIGIO] = "I/O possible",
	[SIGPWR] = "Power failure",
	[SIGSYS] = "Bad system call",
};

/* glibc's wording; picolibc's psignal() prints through this one. */
char *strsignal(int sig)
{
	static char unknown[32];

	if (sig >= 1 && sig < NSIG && signal_names[sig] != NULL) {
		return (char *)signal_names[sig];
	}
	snprintf(unknown, sizeof(unknown), "Unknown signal %d", sig);
	return unknown;
}
