/* SPDX-License-Identifier: Apache-2.0 */
/*
 * picolibc's <sys/signal.h> (which <signal.h> includes) with Linux's signal numbers in place
 * of newlib's BSD ones: the kernel speaks Linux numbers (SIGCHLD is 17, not 20), and kill()
 * and WTERMSIG() must agree with it. Everything else is picolibc's.
 */
#ifndef INOX_USER_SYS_SIGNAL_H_
#define INOX_USER_SYS_SIGNAL_H_

#include_next <sys/signal.h>

#undef SIGHUP
#undef SIGINT
#undef SIGQUIT
#undef SIGILL
#undef SIGTRAP
#undef SIGABRT
#undef SIGIOT
#undef SIGEMT
#undef SIGBUS
#undef SIGFPE
#undef SIGKILL
#undef SIGUSR1
#undef SIGSEGV
#undef SIGUSR2
#undef SIGPIPE
#undef SIGALRM
#undef SIGTERM
#undef SIGCHLD
#undef SIGCLD
#undef SIGCONT
#undef SIGSTOP
#undef SIGTSTP
#undef SIGTTIN
#undef SIGTTOU
#undef SIGURG
#undef SIGXCPU
#undef SIGXFSZ
#undef SIGVTALRM
#undef SIGPROF
#undef SIGWINCH
#undef SIGIO
#undef SIGPOLL
#undef SIGLOST
#undef SIGSYS

#include <inox/uapi/signal.h>

#define SIGCLD SIGCHLD

#endif /* INOX_USER_SYS_SIGNAL_H_ */
