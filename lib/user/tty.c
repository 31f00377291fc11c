/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Terminals and job control: ioctl() and the POSIX calls built on it (isatty(), tcgetattr(),
 * tcsetpgrp(), ...), as glibc and musl build them on Linux's requests.
 */
#include <errno.h>
#include <stdarg.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "user.h"

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	long arg;

	va_start(ap, request);
	arg = va_arg(ap, long);
	va_end(ap);
	return inox_syscall_ret(inox_syscall3(SYS_ioctl, fd, request, arg));
}

int isatty(int fd)
{
	struct termios t;

	return tcgetattr(fd, &t) == 0;
}

int tcgetattr(int fd, struct termios *t)
{
	return ioctl(fd, TCGETS, t);
}

int tcsetattr(int fd, int action, const struct termios *t)
{
	static const unsigned long requests[] = {
		[TCSANOW] = TCSETS,
		[TCSADRAIN] = TCSETSW,
		[TCSAFLUSH] = TCSETSF,
	};

	if (action < TCSANOW || action > TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	return ioctl(fd, requests[action], t);
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t->c_oflag &= ~OPOST;
	t->c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag = (t->c_cflag & ~CSIZE) | CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

pid_t tcgetpgrp(int fd)
{
	int pgrp;

	return ioctl(fd, TIOCGPGRP, &pgrp) == 0 ? pgrp : -1;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	int id = pgrp;

	return ioctl(fd, TIOCSPGRP, &id);
}

pid_t tcgetsid(int fd)
{
	int sid;

	return ioctl(fd, TIOCGSID, &sid) == 0 ? sid : -1;
}

int setpgid(pid_t pid, pid_t pgid)
{
	return inox_syscall_ret(inox_syscall2(SYS_setpgid, pid, pgid));
}

pid_t getpgid(pid_t pid)
{
	return inox_syscall_ret(inox_syscall1(SYS_getpgid, pid));
}

pid_t getpgrp(void)
{
	return getpgid(0);
}

pid_t setsid(void)
{
	return inox_syscall_ret(inox_syscall0(SYS_setsid));
}

pid_t getsid(pid_t pid)
{
	return inox_syscall_ret(inox_syscall1(SYS_getsid, pid));
}
