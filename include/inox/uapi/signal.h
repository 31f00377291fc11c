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

#endif /* INOX_UAPI_SIGNAL_H_ */
