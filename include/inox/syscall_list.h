/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System call numbers, shared by the kernel and user programs.
 *
 * They are Linux's for RISC-V (asm-generic/unistd.h), so that the calling convention, the
 * numbers and the semantics match a system the user-space tools already know: a7 = number,
 * a0..a5 = arguments, a0 = result or a negative errno. Numbers 500 and up are Inox's own.
 * No includes: usable from C and assembly, in the kernel and in user space.
 */
#ifndef INOX_SYSCALL_LIST_H_
#define INOX_SYSCALL_LIST_H_

#define SYS_dup                    23
#define SYS_dup3                   24 /* dup2() is built on it */
#define SYS_ioctl                  29 /* the console's terminal requests, <inox/uapi/termios.h> */
#define SYS_openat                 56 /* reserved: no file system yet */
#define SYS_close                  57
#define SYS_pipe2                  59
#define SYS_read                   63
#define SYS_write                  64
#define SYS_exit                   93
#define SYS_exit_group             94 /* what _exit() calls, as glibc and musl do */
#define SYS_waitid                 95 /* reserved: wait4() is the one used */
#define SYS_nanosleep              101
#define SYS_setitimer              103 /* ITIMER_REAL only: alarm() */
#define SYS_clock_gettime          113
#define SYS_clock_getres           114
#define SYS_clock_nanosleep        115
#define SYS_sched_setparam         118
#define SYS_sched_setscheduler     119
#define SYS_sched_getscheduler     120
#define SYS_sched_getparam         121
#define SYS_sched_getaffinity      123 /* every online hart: no affinity */
#define SYS_sched_yield            124
#define SYS_sched_get_priority_max 125
#define SYS_sched_get_priority_min 126
#define SYS_sched_rr_get_interval  127
#define SYS_kill                   129
#define SYS_tkill                  130
#define SYS_tgkill                 131
#define SYS_rt_sigsuspend          133
#define SYS_rt_sigaction           134
#define SYS_rt_sigprocmask         135
#define SYS_rt_sigpending          136
#define SYS_rt_sigreturn           139
#define SYS_setpgid                154
#define SYS_getpgid                155
#define SYS_getsid                 156
#define SYS_setsid                 157
#define SYS_uname                  160
#define SYS_getpid                 172
#define SYS_getppid                173
#define SYS_brk                    214
#define SYS_munmap                 215
#define SYS_clone                  220 /* fork() is clone(SIGCHLD, 0, 0, 0, 0) */
#define SYS_execve                 221
#define SYS_mmap                   222
#define SYS_mprotect               226
#define SYS_wait4                  260

/* Inox's own. */
#define SYS_inox_memstat   500 /* struct inox_memstat, <inox/uapi/memstat.h> */
#define SYS_inox_ps        501 /* struct inox_procinfo[n], <inox/uapi/proclist.h> */
#define SYS_inox_fork_mode 502 /* INOX_FORK_* below: how this process's forks copy memory */
#define SYS_inox_timerlat  503 /* struct inox_timerlat, <inox/uapi/timerlat.h> */

/* SYS_inox_fork_mode: returns the mode before the call, or -ENOTSUP (COW compiled out). */
#define INOX_FORK_QUERY 0
#define INOX_FORK_COW   1
#define INOX_FORK_EAGER 2

#endif /* INOX_SYSCALL_LIST_H_ */
