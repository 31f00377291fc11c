/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Process groups, sessions and the console as a terminal, run as init (pid 1, which leads
 * session 1 and group 1 and has the console as controlling terminal from boot). Each test
 * checks Linux's results and errors; the ones marked "typed" print a line the runner answers
 * by typing on the console (testcase.yaml): Ctrl-C, Ctrl-\ and Ctrl-Z at a foreground group,
 * Ctrl-C in the middle of a line, and raw mode.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <inox/check.h>

/* A child in group pgid (0: a group of its own) that sleeps until killed. Both sides call
 * setpgid(), as a shell does; the parent returns once the child has, so that the child's
 * own call cannot undo a later move by the parent. */
static pid_t sleeper(pid_t pgid)
{
	int fds[2];
	pid_t pid;
	char c;

	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		setpgid(0, pgid);
		close(fds[0]);
		close(fds[1]); /* the parent's read returns */
		for (;;) {
			sleep(100);
		}
	}
	CHECK(pid > 0);
	CHECK(setpgid(pid, pgid) == 0);
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 0);
	close(fds[0]);
	return pid;
}

/* Waits until pid has exited, without reaping it. */
static void wait_zombie(pid_t pid)
{
	struct inox_procinfo ps[16];

	for (int tries = 0; tries < 1000; tries++) {
		int n = inox_ps(ps, 16);

		for (int i = 0; i < n && i < 16; i++) {
			if (ps[i].pid == pid && ps[i].state == INOX_PROC_ZOMBIE) {
				return;
			}
		}
		usleep(1000);
	}
	CHECK(!"pid never became a zombie");
}

/* Kills and reaps pid; its wait status. */
static int end(pid_t pid)
{
	kill(pid, SIGKILL);
	return wait_status(pid);
}

/* A call that must fail: -1 with errno e. */
#define CHECK_ERR(call, e) CHECK((call) == -1 && errno == (e))

static void test_ids(void)
{
	CHECK(getpid() == 1);
	CHECK(getpgrp() == 1);
	CHECK(getpgid(0) == 1);
	CHECK(getpgid(1) == 1);
	CHECK(getsid(0) == 1);
	CHECK_ERR(getpgid(9999), ESRCH);
	CHECK_ERR(getsid(9999), ESRCH);
	CHECK_ERR(getpgid(-1), ESRCH);
	/* A session leader can change neither its group nor its session. */
	CHECK_ERR(setpgid(0, 0), EPERM);
	CHECK_ERR(setsid(), EPERM);
	CHECK_ERR(setpgid(0, -1), EINVAL);
	CHECK_ERR(setpgid(9999, 0), ESRCH);
}

static int child_ids(void)
{
	int before = failures;

	CHECK(getpgrp() == 1 && getsid(0) == 1); /* inherited */
	CHECK(setpgid(0, 0) == 0);
	CHECK(getpgrp() == getpid() && getsid(0) == 1);
	CHECK(setpgid(0, 1) == 0); /* back into init's group: same session */
	CHECK(getpgrp() == 1);
	CHECK_ERR(setpgid(0, 4242), EPERM); /* no such group */
	CHECK_ERR(setpgid(1, 0), ESRCH); /* not a child of ours */
	/* A new session: leader of it and of a new group, without a controlling terminal. */
	CHECK(setsid() == getpid());
	CHECK(getsid(0) == getpid() && getpgrp() == getpid());
	CHECK_ERR(setsid(), EPERM);
	CHECK_ERR(setpgid(0, 0), EPERM);
	CHECK_ERR(setpgid(0, 1), EPERM); /* group 1 is in another session */
	CHECK(isatty(0)); /* still a terminal, only not ours */
	CHECK_ERR(tcgetpgrp(0), ENOTTY);
	CHECK_ERR(tcgetsid(0), ENOTTY);
	CHECK_ERR(tcsetpgrp(0, getpid()), ENOTTY);
	CHECK_ERR(ioctl(0, TIOCSCTTY, 0), EPERM); /* session 1 holds it */
	return failures - before;
}

static void test_setpgid(void)
{
	int fds_in[2], fds_out[2];
	pid_t a, b, pid;
	char c;

	CHECK(WEXITSTATUS(run_accounted("ids", child_ids)) == 0);

	/* The parent moves a child; the child's own view agrees. */
	a = sleeper(1);
	CHECK(getpgid(a) == 1);
	CHECK(setpgid(a, a) == 0 && getpgid(a) == a);
	b = sleeper(a); /* joins a's group */
	CHECK(getpgid(b) == a && getsid(b) == 1);
	CHECK(setpgid(b, 0) == 0 && getpgid(b) == b);
	CHECK(setpgid(b, a) == 0 && getpgid(b) == a);
	CHECK_ERR(setpgid(b, 4242), EPERM);
	end(a);
	end(b);

	/* A group whose only member has exited, not reaped yet, still exists: a pipeline's
	 * first stage may be done before the next stage joins its group. */
	a = fork();
	if (a == 0) {
		setpgid(0, 0);
		_exit(0);
	}
	CHECK(setpgid(a, a) == 0 || errno == ESRCH);
	wait_zombie(a);
	b = sleeper(a);
	CHECK(getpgid(b) == a);
	CHECK(kill(-a, 0) == 0);
	CHECK(tcsetpgrp(0, a) == 0 && tcgetpgrp(0) == a);
	CHECK(tcsetpgrp(0, 1) == 0);
	CHECK(WIFEXITED(wait_status(a)));
	end(b);

	/* A child that has exec'd is out of reach (EACCES). */
	CHECK(pipe(fds_in) == 0 && pipe(fds_out) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(fds_in[0], 0);
		dup2(fds_out[1], 1);
		close(fds_in[1]);
		close(fds_out[0]);
		execv("/bin/ready", (char *[]){"ready", NULL});
		_exit(127);
	}
	close(fds_in[0]);
	close(fds_out[1]);
	CHECK(read(fds_out[0], &c, 1) == 1 && c == 'r');
	CHECK_ERR(setpgid(pid, pid), EACCES);
	CHECK(getpgid(pid) == 1); /* exec kept the group */
	close(fds_in[1]);
	close(fds_out[0]);
	CHECK(WIFEXITED(wait_status(pid)));
}

static void test_kill_wait_group(void)
{
	pid_t a, b, c, other, pid;
	int status;

	/* kill(-pgid) reaches every member; wait4(-pgid) waits for them. */
	a = sleeper(0);
	b = sleeper(a);
	c = sleeper(a);
	other = sleeper(0);
	CHECK(waitpid(-a, &status, WNOHANG) == 0);
	CHECK(kill(-a, SIGTERM) == 0);
	for (int i = 0; i < 3; i++) {
		pid = waitpid(-a, &status, 0);
		CHECK(pid == a || pid == b || pid == c);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	}
	CHECK_ERR(waitpid(-a, &status, 0), ECHILD);
	CHECK_ERR(kill(-a, SIGTERM), ESRCH);
	CHECK_ERR(kill(-a, 0), ESRCH);
	CHECK_ERR(kill(-4242, 0), ESRCH);
	CHECK(kill(-other, 0) == 0);
	CHECK_ERR(kill(-other, 99), EINVAL);

	/* wait4(0): only children in the caller's group. */
	pid = fork();
	if (pid == 0) {
		_exit(3);
	}
	CHECK(waitpid(0, &status, 0) == pid && WEXITSTATUS(status) == 3);
	CHECK(waitpid(0, &status, WNOHANG) == -1 && errno == ECHILD); /* `other` is not in it */
	CHECK(WTERMSIG(end(other)) == SIGKILL);

	/* kill(0) from a child: its own group, itself included, and nobody else's. */
	other = sleeper(0);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		if (fork() == 0) {
			for (;;) {
				sleep(100);
			}
		}
		kill(0, SIGTERM);
		for (;;) {
			sleep(100);
		}
	}
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	/* Its child, now init's, went with it. */
	pid = waitpid(-1, &status, 0);
	CHECK(pid > 0 && pid != other && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CHECK(kill(other, 0) == 0);

	/* kill(-1): everyone but init and the caller. */
	sleeper(0);
	CHECK(kill(-1, SIGTERM) == 0);
	for (int i = 0; i < 2; i++) {
		CHECK(waitpid(-1, &status, 0) > 0 && WTERMSIG(status) == SIGTERM);
	}
	CHECK_ERR(kill(-1, 0), ESRCH);
}

static void test_ioctl(void)
{
	struct termios t, saved;
	int fds[2];
	int id;
	pid_t a;

	CHECK(sizeof(struct termios) == 36);
	CHECK(isatty(0) && isatty(1) && isatty(2));
	CHECK(pipe(fds) == 0);
	CHECK(!isatty(fds[0]) && errno == ENOTTY);
	CHECK_ERR(tcgetattr(fds[1], &t), ENOTTY);
	CHECK_ERR(tcsetpgrp(fds[1], 1), ENOTTY);
	close(fds[0]);
	close(fds[1]);
	CHECK_ERR(ioctl(99, TCGETS, &t), EBADF);
	CHECK_ERR(ioctl(0, 0x1234, 0), ENOTTY);
	CHECK_ERR(ioctl(0, TCGETS, (void *)16), EFAULT);
	CHECK_ERR(ioctl(0, TIOCGPGRP, (void *)16), EFAULT);

	CHECK(tcgetattr(0, &t) == 0);
	CHECK((t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	CHECK((t.c_iflag & ICRNL) && t.c_cc[VINTR] == 3 && t.c_cc[VQUIT] == 0x1c &&
	      t.c_cc[VSUSP] == 0x1a && t.c_cc[VEOF] == 4 && t.c_cc[VERASE] == 0x7f);
	saved = t;
	t.c_lflag &= ~ECHO;
	CHECK(tcsetattr(0, TCSANOW, &t) == 0);
	CHECK(tcgetattr(0, &t) == 0 && !(t.c_lflag & ECHO));
	CHECK_ERR(tcsetattr(0, 7, &t), EINVAL);
	CHECK(tcsetattr(0, TCSADRAIN, &saved) == 0);
	CHECK(tcgetattr(0, &t) == 0 && (t.c_lflag & ECHO));

	CHECK(tcgetpgrp(0) == 1);
	CHECK(tcgetsid(0) == 1);
	CHECK(ioctl(0, TIOCGSID, &id) == 0 && id == 1);
	CHECK(ioctl(0, TIOCSCTTY, 0) == 0); /* already ours */
	CHECK_ERR(tcsetpgrp(0, 4242), ESRCH);
	CHECK_ERR(tcsetpgrp(0, -1), EINVAL);
	a = sleeper(0);
	CHECK(tcsetpgrp(0, a) == 0 && tcgetpgrp(0) == a);
	CHECK(tcsetpgrp(0, 1) == 0 && tcgetpgrp(0) == 1);
	end(a);
}

/* In a child: read the console; exits 0 if read() failed with EIO. */
static int read_console(void)
{
	char c;

	return read(0, &c, 1) == -1 && errno == EIO ? 0 : 1;
}

/* A background child (a group of its own) that does what(); its status once it stops or
 * ends. */
static int background_child(int (*what)(void), int sig, void (*disposition)(int))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		signal(sig, disposition);
		_exit(what());
	}
	CHECK(waitpid(pid, &status, WUNTRACED) == pid);
	if (WIFSTOPPED(status)) {
		end(pid);
	}
	return status;
}

/* In a child: take the terminal; 0 if that worked. */
static int take_console(void)
{
	return tcsetpgrp(0, getpid()) == 0 ? 0 : 1;
}

static void test_background(void)
{
	pid_t fg = sleeper(0);
	struct termios t;
	int status;
	pid_t pid;

	CHECK(tcgetattr(0, &t) == 0);
	CHECK(tcsetpgrp(0, fg) == 0);
	/* Init's group is orphaned (init has no parent): from the background, a change with
	 * SIGTTOU at its default fails instead of stopping it, TIOCSPGRP with ENOTTY. */
	signal(SIGTTOU, SIG_DFL);
	CHECK_ERR(tcsetpgrp(0, 1), ENOTTY);
	CHECK_ERR(tcsetattr(0, TCSANOW, &t), EIO);
	signal(SIGTTOU, SIG_IGN);

	/* A background group's read gets SIGTTIN, which stops it; ignored, EIO. */
	status = background_child(read_console, SIGTTIN, SIG_DFL);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN);
	status = background_child(read_console, SIGTTIN, SIG_IGN);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Taking the terminal from the background: SIGTTOU, which stops it; ignored, done. */
	status = background_child(take_console, SIGTTOU, SIG_DFL);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU);
	CHECK(tcgetpgrp(0) == fg);
	status = background_child(take_console, SIGTTOU, SIG_IGN);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(tcgetpgrp(0) != fg);

	/* A reader in init's orphaned group: EIO instead of a signal. */
	CHECK(tcsetpgrp(0, fg) == 0);
	pid = fork();
	if (pid == 0) {
		_exit(read_console());
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(tcsetpgrp(0, 1) == 0); /* SIGTTOU ignored, as a shell does */
	end(fg);
}

/* Whether ps says pid is stopped (T). */
static bool ps_stopped(pid_t pid)
{
	struct inox_procinfo ps[16];
	int n = inox_ps(ps, 16);

	for (int i = 0; i < n && i < 16; i++) {
		if (ps[i].pid == pid) {
			return ps[i].state == INOX_PROC_STOPPED;
		}
	}
	return false;
}

/* Typed: a foreground child group reading the console; the runner types the key that sends
 * sig. A stop is seen with WUNTRACED and in ps, then the child is killed. */
static void test_typed_signal(const char *name, int sig)
{
	pid_t pid = fork();
	int status = -1;

	if (pid == 0) {
		char buf[16];

		setpgid(0, 0);
		tcsetpgrp(0, getpid());
		read(0, buf, sizeof(buf));
		_exit(0);
	}
	setpgid(pid, pid);
	tcsetpgrp(0, pid);
	printf("tty: type %s\n", name);
	fflush(stdout);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid);
	if (sig == SIGTSTP) {
		CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == sig);
		CHECK(ps_stopped(pid));
		status = end(pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	} else {
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig);
	}
	CHECK(tcsetpgrp(0, 1) == 0);
}

/* Typed: "dropped", Ctrl-C, "kept": init (whom SIGINT does not reach) reads only "kept". */
static void test_typed_line_drop(void)
{
	char buf[64];
	ssize_t n;

	printf("tty: type a line with Ctrl-C in it\n");
	fflush(stdout);
	n = read(0, buf, sizeof(buf));
	CHECK(n == 5 && memcmp(buf, "kept\n", 5) == 0);
}

/* Typed: raw mode hands Ctrl-C over as a byte, without a newline. */
static void test_typed_raw(void)
{
	struct termios t, saved;
	char buf[8];
	size_t got = 0;

	CHECK(tcgetattr(0, &saved) == 0);
	t = saved;
	cfmakeraw(&t);
	CHECK(tcsetattr(0, TCSAFLUSH, &t) == 0);
	printf("tty: raw\n");
	fflush(stdout);
	while (got < 2) {
		ssize_t n = read(0, buf + got, sizeof(buf) - got);

		if (n <= 0) {
			break;
		}
		got += n;
	}
	CHECK(got == 2 && buf[0] == 3 && buf[1] == 'z');
	CHECK(tcsetattr(0, TCSANOW, &saved) == 0);
}

int main(void)
{
	uint64_t before = free_pages();

	/* As a shell does: init hands the terminal around from the background. */
	signal(SIGTTOU, SIG_IGN);

	test_ids();
	test_setpgid();
	test_kill_wait_group();
	test_ioctl();
	test_background();
	test_typed_signal("Ctrl-C", SIGINT);
	test_typed_signal("Ctrl-\\", SIGQUIT);
	test_typed_signal("Ctrl-Z", SIGTSTP);
	test_typed_line_drop();
	test_typed_raw();
	CHECK(free_pages() == before);
	printf("userspace tty: %d failures\n", failures);
	return failures != 0;
}
