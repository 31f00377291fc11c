/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The POSIX calls picolibc leaves to the system, each a system call or two (see user.h for
 * the convention). Every call returns -1 with errno set on failure, as POSIX says.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <inox/memstat.h>
#include <inox/timerlat.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "user.h"

/* The calls below hand picolibc's structures to the kernel, which reads and writes the
 * <inox/uapi/...> ones: the layouts must match. */
#define SAME_FIELD(a, b, field)                                                                    \
	(offsetof(a, field) == offsetof(b, field) &&                                               \
	 sizeof(((a *)0)->field) == sizeof(((b *)0)->field))
_Static_assert(sizeof(struct timespec) == sizeof(struct inox_timespec) &&
		       SAME_FIELD(struct timespec, struct inox_timespec, tv_sec) &&
		       SAME_FIELD(struct timespec, struct inox_timespec, tv_nsec),
	       "struct timespec differs from the kernel's struct inox_timespec");
_Static_assert(sizeof(struct sched_param) == sizeof(struct inox_sched_param) &&
		       SAME_FIELD(struct sched_param, struct inox_sched_param, sched_priority),
	       "struct sched_param differs from the kernel's struct inox_sched_param");

/*
 * The kernel returns Linux's errno numbers. Up to ERANGE (34) they are newlib's too; above,
 * the two differ (Linux's ENOSYS is 38, picolibc's 88), so translate the ones the kernel
 * can return, keeping strerror() and comparisons with picolibc's E* constants right.
 */
void __inox_set_errno(long ret)
{
	long e = -ret;

	switch (e) {
	case 35: /* Linux EDEADLK */
		errno = EDEADLK;
		break;
	case 36: /* Linux ENAMETOOLONG */
		errno = ENAMETOOLONG;
		break;
	case 37: /* Linux ENOLCK */
		errno = ENOLCK;
		break;
	case 38: /* Linux ENOSYS */
		errno = ENOSYS;
		break;
	case 39: /* Linux ENOTEMPTY */
		errno = ENOTEMPTY;
		break;
	case 40: /* Linux ELOOP */
		errno = ELOOP;
		break;
	case 75: /* Linux EOVERFLOW */
		errno = EOVERFLOW;
		break;
	case 84: /* Linux EILSEQ */
		errno = EILSEQ;
		break;
	case 95: /* Linux EOPNOTSUPP, alias ENOTSUP */
		errno = ENOTSUP;
		break;
	case 110: /* Linux ETIMEDOUT */
		errno = ETIMEDOUT;
		break;
	case 125: /* Linux ECANCELED */
		errno = ECANCELED;
		break;
	default:
		errno = (int)e;
		break;
	}
}

long syscall(long number, ...)
{
	long a[6];
	va_list ap;

	/* Callers pass fewer: the extra va_args read registers the ABI saved, unused. */
	va_start(ap, number);
	for (int i = 0; i < 6; i++) {
		a[i] = va_arg(ap, long);
	}
	va_end(ap);
	return inox_syscall_ret(inox_syscall6(number, a[0], a[1], a[2], a[3], a[4], a[5]));
}

ssize_t read(int fd, void *buf, size_t count)
{
	return inox_syscall_ret(inox_syscall3(SYS_read, fd, buf, count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return inox_syscall_ret(inox_syscall3(SYS_write, fd, buf, count));
}

int close(int fd)
{
	return inox_syscall_ret(inox_syscall1(SYS_close, fd));
}

int dup(int fd)
{
	return inox_syscall_ret(inox_syscall1(SYS_dup, fd));
}

/* dup3() refuses oldfd == newfd; dup2() then only checks that oldfd is open. */
int dup2(int oldfd, int newfd)
{
	int fd;

	if (oldfd != newfd) {
		return inox_syscall_ret(inox_syscall3(SYS_dup3, oldfd, newfd, 0));
	}
	fd = dup(oldfd);
	if (fd < 0) {
		return -1;
	}
	close(fd);
	return newfd;
}

int pipe(int fds[2])
{
	return inox_syscall_ret(inox_syscall2(SYS_pipe2, fds, 0));
}

pid_t fork(void)
{
	/* clone(flags, stack, parent_tid, child_tid, tls): a copy that signals SIGCHLD. */
	return inox_syscall_ret(inox_syscall6(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return inox_syscall_ret(inox_syscall3(SYS_execve, path, argv, envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/* No PATH: a name without a '/' is looked up in /bin, where the initramfs puts programs. */
int execvp(const char *file, char *const argv[])
{
	static const char dir[] = "/bin/";
	char path[128];
	size_t len = strlen(file);

	if (len == 0) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/')) {
		return execv(file, argv);
	}
	if (len >= sizeof(path) - (sizeof(dir) - 1)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, sizeof(dir) - 1);
	memcpy(path + sizeof(dir) - 1, file, len + 1);
	return execv(path, argv);
}

void _exit(int status)
{
	for (;;) {
		inox_syscall1(SYS_exit_group, status);
	}
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return inox_syscall_ret(inox_syscall4(SYS_wait4, pid, status, options, 0));
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int kill(pid_t pid, int sig)
{
	return inox_syscall_ret(inox_syscall2(SYS_kill, pid, sig));
}

pid_t getpid(void)
{
	return inox_syscall0(SYS_getpid);
}

pid_t getppid(void)
{
	return inox_syscall0(SYS_getppid);
}

/*
 * The break as the kernel last reported it; 0 until the first call. Linux's brk(addr)
 * returns the new break, or the old one if it cannot move it; brk(0) just reports it.
 */
static uintptr_t cur_brk;

int brk(void *addr)
{
	long ret = inox_syscall1(SYS_brk, addr);

	if (inox_syscall_failed(ret)) {
		__inox_set_errno(ret);
		return -1;
	}
	cur_brk = ret;
	if (cur_brk != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* picolibc's malloc() grows the heap through this. Returns the old break, or (void *)-1. */
void *sbrk(ptrdiff_t incr)
{
	uintptr_t old;

	if (cur_brk == 0) {
		long ret = inox_syscall1(SYS_brk, 0);

		if (inox_syscall_failed(ret)) {
			__inox_set_errno(ret);
			return (void *)-1;
		}
		cur_brk = ret;
	}
	old = cur_brk;
	if (incr == 0) {
		return (void *)old;
	}
	if ((incr > 0 && old + incr < old) || (incr < 0 && old + incr > old)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	if (brk((void *)(old + incr)) < 0) {
		return (void *)-1;
	}
	return (void *)old;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	long ret = inox_syscall6(SYS_mmap, (long)addr, len, prot, flags, fd, offset);

	if (inox_syscall_failed(ret)) {
		__inox_set_errno(ret);
		return MAP_FAILED;
	}
	return (void *)ret;
}

int munmap(void *addr, size_t len)
{
	return inox_syscall_ret(inox_syscall2(SYS_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return inox_syscall_ret(inox_syscall3(SYS_mprotect, addr, len, prot));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return inox_syscall_ret(inox_syscall2(SYS_nanosleep, req, rem));
}

/* Returns 0, or the whole seconds left (rounded up) when a signal cut the sleep short. */
unsigned int sleep(unsigned int seconds)
{
	struct timespec req = {.tv_sec = seconds}, rem;

	if (nanosleep(&req, &rem) == 0) {
		return 0;
	}
	if (errno != EINTR) {
		return seconds;
	}
	return rem.tv_sec + (rem.tv_nsec > 0);
}

int usleep(useconds_t usec)
{
	struct timespec req = {
		.tv_sec = usec / 1000000,
		.tv_nsec = (long)(usec % 1000000) * 1000,
	};

	return nanosleep(&req, NULL);
}

int clock_gettime(clockid_t clock_id, struct timespec *tp)
{
	return inox_syscall_ret(inox_syscall2(SYS_clock_gettime, clock_id, tp));
}

int clock_getres(clockid_t clock_id, struct timespec *res)
{
	return inox_syscall_ret(inox_syscall2(SYS_clock_getres, clock_id, res));
}

int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *req, struct timespec *rem)
{
	return (int)-inox_syscall4(SYS_clock_nanosleep, clock_id, flags, req, rem);
}

/* For picolibc's time(). The time zone is always UTC. */
int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0) {
		return -1;
	}
	if (tv) {
		tv->tv_sec = ts.tv_sec;
		tv->tv_usec = ts.tv_nsec / 1000;
	}
	return 0;
}

int sched_yield(void)
{
	return inox_syscall_ret(inox_syscall0(SYS_sched_yield));
}

int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)
{
	return inox_syscall_ret(inox_syscall3(SYS_sched_setscheduler, pid, policy, param));
}

int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)
{
	long n = inox_syscall3(SYS_sched_getaffinity, pid, cpusetsize, mask);

	/* As glibc: the kernel wrote n bytes, the rest of the caller's set is cleared. */
	if (n >= 0 && (size_t)n < cpusetsize) {
		memset((char *)mask + n, 0, cpusetsize - (size_t)n);
	}
	return n < 0 ? inox_syscall_ret(n) : 0;
}

int __inox_cpu_count(size_t size, const cpu_set_t *set)
{
	int n = 0;

	for (size_t i = 0; i < size / sizeof(unsigned long); i++) {
		n += __builtin_popcountl(set->__bits[i]);
	}
	return n;
}

int sched_getscheduler(pid_t pid)
{
	return inox_syscall_ret(inox_syscall1(SYS_sched_getscheduler, pid));
}

int sched_setparam(pid_t pid, const struct sched_param *param)
{
	return inox_syscall_ret(inox_syscall2(SYS_sched_setparam, pid, param));
}

int sched_getparam(pid_t pid, struct sched_param *param)
{
	return inox_syscall_ret(inox_syscall2(SYS_sched_getparam, pid, param));
}

int sched_get_priority_max(int policy)
{
	return inox_syscall_ret(inox_syscall1(SYS_sched_get_priority_max, policy));
}

int sched_get_priority_min(int policy)
{
	return inox_syscall_ret(inox_syscall1(SYS_sched_get_priority_min, policy));
}

int sched_rr_get_interval(pid_t pid, struct timespec *interval)
{
	return inox_syscall_ret(inox_syscall2(SYS_sched_rr_get_interval, pid, interval));
}

int uname(struct utsname *buf)
{
	return inox_syscall_ret(inox_syscall1(SYS_uname, buf));
}

int inox_fork_mode(int mode)
{
	return inox_syscall_ret(inox_syscall1(SYS_inox_fork_mode, mode));
}

int inox_timerlat(struct inox_timerlat *req)
{
	return inox_syscall_ret(inox_syscall1(SYS_inox_timerlat, req));
}

int inox_ps(struct inox_procinfo *procs, int n)
{
	return inox_syscall_ret(inox_syscall2(SYS_inox_ps, procs, n));
}

int inox_memstat(struct inox_memstat *st)
{
	return inox_syscall_ret(inox_syscall1(SYS_inox_memstat, st));
}
