/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signal tests, run as init: the calls' errors as Linux gives them, handlers (plain,
 * SA_SIGINFO with siginfo and ucontext, SA_NODEFER, SA_RESETHAND), masks and pending
 * signals, sigsuspend, pause and alarm, EINTR and SA_RESTART, every signal's default action,
 * stop and continue with wait4()'s WUNTRACED and WCONTINUED, SIGCHLD (and SIG_IGN reaping),
 * SIGPIPE, faults caught (the handler fixes the page, or siglongjmp()s out) and uncaught,
 * fork and exec inheritance, init's immunity, kill(-1), a signal to a process spinning on
 * another hart, and frames that cannot be written or read. Each case runs in a child, so that
 * its dispositions and mask start from the defaults; one line per case, then a summary.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <inox/check.h>

#define SET(sig) (1UL << ((sig)-1))

static volatile sig_atomic_t hits;
static volatile sig_atomic_t last_sig;
static volatile int depth, max_depth;

static void count(int sig)
{
	hits++;
	last_sig = sig;
}

static void nested(int sig)
{
	depth++;
	if (depth > max_depth) {
		max_depth = depth;
	}
	if (hits++ == 0) {
		raise(sig); /* SA_NODEFER: runs again at once, inside this one */
	}
	depth--;
}

static void on(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = {.sa_handler = fn, .sa_flags = flags};

	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

static sigset_t current_mask(void)
{
	sigset_t m;

	CHECK(sigprocmask(SIG_BLOCK, NULL, &m) == 0);
	return m;
}

/* Runs fn in a child and returns its wait status; the child exits with fn's failures. */
static int in_child(int (*fn)(void))
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int ret;

		failures = 0; /* the child's own count */
		ret = fn();

		fflush(stdout);
		_exit(ret);
	}
	CHECK(pid > 0);
	return wait_status(pid);
}

static int cases;

/* A child tells its parent it is ready (its handler installed) through a pipe. */
static int sync_fds[2];

static void sync_open(void)
{
	CHECK(pipe(sync_fds) == 0);
}

static void sync_ready(void)
{
	write(sync_fds[1], "r", 1);
}

static void sync_wait(void)
{
	char c;

	CHECK(read(sync_fds[0], &c, 1) == 1);
	close(sync_fds[0]);
	close(sync_fds[1]);
}

/* A case: fn in a child, which must exit 0. */
static void run(const char *name, int (*fn)(void))
{
	int status = in_child(fn);

	cases++;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("FAIL %s: status %#x\n", name, status);
		failures++;
	} else {
		printf("ok %s\n", name);
	}
}

/* -- The calls' errors ---------------------------------------------------------------- */

/* Linux's riscv64 struct sigaction as a raw rt_sigaction() reads it, and a canary after. */
struct raw_sigaction {
	unsigned long handler;
	unsigned long flags;
	unsigned long mask;
	unsigned long canary;
};

static void *const bad = (void *)16;

static int errors(void)
{
	struct raw_sigaction raw = {.handler = 1 /* SIG_IGN */, .mask = SET(SIGUSR2)};
	struct raw_sigaction old = {.canary = 0x5a5a};
	struct sigaction sa = {.sa_handler = SIG_IGN};
	sigset_t set = 0;

	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, &raw, NULL, 8) == 0);
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 8) == 0);
	CHECK(old.handler == 1 && old.mask == SET(SIGUSR2) && old.canary == 0x5a5a);
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, &raw, NULL, 4) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_sigaction, 0, &raw, NULL, 8) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_sigaction, 65, &raw, NULL, 8) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, bad, NULL, 8) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, NULL, bad, 8) == -1 && errno == EFAULT);
	CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
	CHECK(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL);
	CHECK(sigaction(SIGKILL, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL);
	CHECK(signal(SIGSTOP, SIG_IGN) == SIG_ERR && errno == EINVAL);
	CHECK(sigprocmask(3, &set, NULL) == -1 && errno == EINVAL);
	CHECK(sigprocmask(3, NULL, NULL) == 0); /* no set: how is not looked at */
	CHECK(sigprocmask(SIG_BLOCK, bad, NULL) == -1 && errno == EFAULT);
	CHECK(sigprocmask(SIG_BLOCK, NULL, bad) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 16) == -1 && errno == EINVAL);
	CHECK(sigpending(bad) == -1 && errno == EFAULT);
	CHECK(sigsuspend(bad) == -1 && errno == EFAULT);
	CHECK(kill(getpid(), 32) == -1 && errno == EINVAL);
	CHECK(kill(getpid(), -1) == -1 && errno == EINVAL);
	CHECK(kill(30000, 0) == -1 && errno == ESRCH);
	CHECK(kill(getpid(), 0) == 0);
	CHECK(tgkill(getpid(), getpid() + 1, SIGUSR1) == -1 && errno == ESRCH);
	CHECK(tgkill(getpid(), 0, SIGUSR1) == -1 && errno == EINVAL);
	/* SIGKILL and SIGSTOP cannot be blocked: dropped from the mask without an error. */
	sigfillset(&set);
	CHECK(sigprocmask(SIG_SETMASK, &set, NULL) == 0);
	set = current_mask();
	CHECK(!sigismember(&set, SIGKILL) && !sigismember(&set, SIGSTOP) &&
	      sigismember(&set, SIGTERM));
	CHECK(sigaddset(&set, 0) == -1 && errno == EINVAL);
	return failures;
}

/* -- Handlers ----------------------------------------------------------------------- */

static int handler_runs(void)
{
	on(SIGUSR1, count, 0);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(hits == 1 && last_sig == SIGUSR1); /* taken on the way back from kill() */
	CHECK(raise(SIGUSR1) == 0 && hits == 2);
	CHECK(tgkill(getpid(), getpid(), SIGUSR1) == 0 && hits == 3);
	CHECK(signal(SIGUSR1, SIG_IGN) == count);
	CHECK(raise(SIGUSR1) == 0 && hits == 3);
	return failures;
}

static volatile siginfo_t seen_info;
static volatile sigset_t seen_mask;
static volatile unsigned long seen_uc_mask;
static volatile int info_ok;

static void with_info(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	seen_info = *si;
	seen_mask = current_mask();
	seen_uc_mask = uc->uc_sigmask;
	info_ok = (void *)si < ctx && uc->uc_mcontext.sc_regs[0] != 0 && uc->uc_link == NULL;
}

static int siginfo_and_masks(void)
{
	struct sigaction sa = {.sa_sigaction = with_info, .sa_flags = SA_SIGINFO};
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGHUP);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(seen_info.si_signo == SIGUSR1 && seen_info.si_code == SI_USER &&
	      seen_info.si_pid == getpid());
	CHECK(info_ok);
	/* In the handler: the old mask, the signal itself and sa_mask. */
	CHECK(seen_mask == (SET(SIGUSR2) | SET(SIGUSR1) | SET(SIGHUP)));
	/* The frame saved the mask from before, and rt_sigreturn put it back. */
	CHECK(seen_uc_mask == SET(SIGUSR2));
	CHECK(current_mask() == SET(SIGUSR2));
	return failures;
}

static int nodefer_resethand(void)
{
	struct sigaction sa;

	on(SIGUSR1, nested, SA_NODEFER);
	CHECK(raise(SIGUSR1) == 0 && hits == 2 && max_depth == 2);
	hits = 0;
	on(SIGUSR2, count, SA_RESETHAND);
	CHECK(raise(SIGUSR2) == 0 && hits == 1);
	CHECK(sigaction(SIGUSR2, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL);
	return failures;
}

/* -- Masks, pending, sigsuspend, pause and alarm --------------------------------------- */

static int blocked_pending(void)
{
	sigset_t set;

	on(SIGUSR1, count, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0 && raise(SIGUSR1) == 0 && hits == 0);
	CHECK(sigpending(&set) == 0 && set == SET(SIGUSR1));
	/* Pending while ignored: dropped (POSIX). A blocked SIGUSR2 stays pending. */
	sigaddset(&set, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(raise(SIGUSR2) == 0);
	CHECK(sigpending(&set) == 0 && set == (SET(SIGUSR1) | SET(SIGUSR2)));
	CHECK(signal(SIGUSR2, SIG_IGN) == SIG_DFL);
	CHECK(sigpending(&set) == 0 && set == SET(SIGUSR1));
	/* Unblocked: taken once (not queued) before sigprocmask() returns. */
	CHECK(sigprocmask(SIG_SETMASK, &(sigset_t){0}, NULL) == 0);
	CHECK(hits == 1);
	CHECK(sigpending(&set) == 0 && set == 0);
	return failures;
}

static int suspend(void)
{
	sigset_t block = SET(SIGUSR1);
	pid_t parent = getpid();
	pid_t pid;

	on(SIGUSR1, count, 0);
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	pid = fork();
	if (pid == 0) {
		usleep(20000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK(sigsuspend(&(sigset_t){0}) == -1 && errno == EINTR);
	CHECK(hits == 1);
	CHECK(current_mask() == SET(SIGUSR1)); /* the mask from before sigsuspend() */
	CHECK(waitpid(pid, NULL, 0) == pid);
	return failures;
}

static int pause_alarm(void)
{
	uint64_t start = now_ms();

	on(SIGALRM, count, 0);
	CHECK(alarm(5) == 0);
	CHECK(alarm(1) >= 4); /* what was left of the first */
	CHECK(pause() == -1 && errno == EINTR);
	CHECK(hits == 1 && last_sig == SIGALRM);
	CHECK(now_ms() - start >= 990 && now_ms() - start < 1500);
	CHECK(alarm(0) == 0);
	if (failures != 0) {
		return failures;
	}
	/* Unhandled, SIGALRM ends the process. */
	signal(SIGALRM, SIG_DFL);
	alarm(1);
	for (;;) {
		pause();
	}
}

/* -- EINTR and SA_RESTART ------------------------------------------------------------ */

/* A child that reads a pipe with a SIGUSR1 handler of flags; the parent signals it, then
 * writes a byte 20 ms later. The child exits 1 if read() failed with EINTR, 2 if it got
 * the byte, 3 otherwise. */
static int read_interrupted(int flags)
{
	int fds[2];
	int status;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	sync_open();
	pid = fork();
	if (pid == 0) {
		char c;
		ssize_t n;

		on(SIGUSR1, count, flags);
		sync_ready();
		n = read(fds[0], &c, 1);
		_exit(n == -1 && errno == EINTR && hits == 1 ? 1 : n == 1 && hits == 1 ? 2 : 3);
	}
	sync_wait();
	usleep(50000); /* into its read() */
	kill(pid, SIGUSR1);
	usleep(50000);
	CHECK(write(fds[1], "x", 1) == 1);
	status = wait_status(pid);
	close(fds[0]);
	close(fds[1]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int eintr_restart(void)
{
	struct timespec req = {.tv_sec = 5}, rem;
	pid_t parent = getpid();
	pid_t pid;
	int status;

	CHECK(read_interrupted(0) == 1);
	CHECK(read_interrupted(SA_RESTART) == 2);
	/* An ignored signal interrupts nothing. */
	CHECK(signal(SIGURG, SIG_IGN) == SIG_DFL);
	/* nanosleep: EINTR with the time left, even with SA_RESTART (Linux). */
	on(SIGUSR1, count, SA_RESTART);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		kill(parent, SIGURG);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK(nanosleep(&req, &rem) == -1 && errno == EINTR);
	CHECK(rem.tv_sec >= 4 && rem.tv_sec <= 5 && hits == 1);
	/* wait4: restarted with SA_RESTART, EINTR without. */
	CHECK(waitpid(pid, &status, 0) == pid);
	on(SIGUSR1, count, 0);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		kill(parent, SIGUSR1);
		usleep(50000);
		_exit(7);
	}
	CHECK(waitpid(pid, &status, 0) == -1 && errno == EINTR && hits == 2);
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 7);
	return failures;
}

/* -- Default actions, stop and continue ---------------------------------------------- */

static int default_actions(void)
{
	for (int sig = 1; sig < NSIG; sig++) {
		bool stop = sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
		bool ign = sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			kill(getpid(), sig);
			_exit(0);
		}
		if (stop) {
			CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
			      WSTOPSIG(status) == sig);
			CHECK(kill(pid, SIGCONT) == 0);
			/* The child goes on to exit, maybe on another hart before this wait: then
			 * the wait reports the exit, as Linux's does, and not the continue. */
			CHECK(waitpid(pid, &status, WCONTINUED) == pid);
			if (WIFCONTINUED(status)) {
				CHECK(waitpid(pid, &status, 0) == pid);
			}
		} else {
			CHECK(waitpid(pid, &status, 0) == pid);
		}
		if (stop || ign) {
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		} else {
			/* Terminate or core: the signal, and no core bit (no core is dumped). */
			if (!(WIFSIGNALED(status) && WTERMSIG(status) == sig)) {
				printf("FAIL default action of %d (%s): status %#x\n", sig,
				       strsignal(sig), status);
				failures++;
			}
			CHECK((status & 0x80) == 0);
		}
	}
	return failures;
}

static volatile int chld_codes[8];

static void on_chld(int sig, siginfo_t *si, void *ctx)
{
	if (si->si_code >= 0 && si->si_code < 8) {
		chld_codes[si->si_code]++;
	}
}

static pid_t spinner(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;) {
			usleep(5000);
		}
	}
	return pid;
}

static int stop_continue(void)
{
	struct sigaction sa = {.sa_sigaction = on_chld, .sa_flags = SA_SIGINFO | SA_RESTART};
	pid_t pid = spinner();
	int status;

	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
	      WSTOPSIG(status) == SIGSTOP && status == 0x137f);
	CHECK(waitpid(pid, &status, WUNTRACED | WNOHANG) == 0); /* reported once */
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, WCONTINUED) == pid && WIFCONTINUED(status));
	CHECK(chld_codes[CLD_STOPPED] == 1 && chld_codes[CLD_CONTINUED] == 1);
	/* SIGKILL ends a stopped process. */
	CHECK(kill(pid, SIGTSTP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WSTOPSIG(status) == SIGTSTP);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL);
	CHECK(chld_codes[CLD_KILLED] == 1);
	/* SA_NOCLDSTOP: no SIGCHLD for a stop, still one for the exit. */
	sa.sa_flags |= SA_NOCLDSTOP;
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	pid = spinner();
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
	CHECK(chld_codes[CLD_STOPPED] == 2); /* SIGSTOP's and SIGTSTP's above, not this one */
	CHECK(kill(pid, SIGTERM) == 0); /* pending while stopped */
	CHECK(waitpid(pid, &status, WNOHANG) == 0);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WTERMSIG(status) == SIGTERM);
	CHECK(chld_codes[CLD_KILLED] == 2);
	return failures;
}

/* -- SIGCHLD and SIGPIPE ---------------------------------------------------------------- */

static int sigchld_exit_and_ignore(void)
{
	struct sigaction sa = {.sa_sigaction = with_info, .sa_flags = SA_SIGINFO};
	sigset_t block = SET(SIGCHLD);
	int status;
	pid_t pid;

	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	pid = fork();
	if (pid == 0) {
		_exit(42);
	}
	CHECK(sigsuspend(&(sigset_t){0}) == -1 && errno == EINTR);
	CHECK(seen_info.si_signo == SIGCHLD && seen_info.si_code == CLD_EXITED &&
	      seen_info.si_pid == pid && seen_info.si_status == 42);
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 42);
	/* SIGCHLD ignored: children reap themselves; wait() waits for them all, then ECHILD.
	 * More of them than the process table holds: their slots come back. */
	CHECK(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
	for (int i = 0; i < 80; i++) {
		while ((pid = fork()) < 0 && errno == EAGAIN) {
			usleep(1000); /* the last ones are still leaving their slots */
		}
		if (pid == 0) {
			_exit(0);
		}
		CHECK(pid > 0);
		if (pid < 0) {
			break;
		}
	}
	CHECK(wait(&status) == -1 && errno == ECHILD);
	return failures;
}

static int sigpipe(void)
{
	int fds[2];
	int status;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	close(fds[0]);
	pid = fork();
	if (pid == 0) {
		write(fds[1], "x", 1);
		_exit(0);
	}
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
	on(SIGPIPE, count, 0);
	CHECK(write(fds[1], "x", 1) == -1 && errno == EPIPE && hits == 1);
	return failures;
}

/* -- Faults ------------------------------------------------------------------------- */

static char *ro_page;
static void *volatile fault_addr;
static volatile int fault_code;

static void make_writable(int sig, siginfo_t *si, void *ctx)
{
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	mprotect(ro_page, 4096, PROT_READ | PROT_WRITE);
}

static sigjmp_buf jump;

static void jump_out(int sig, siginfo_t *si, void *ctx)
{
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(jump, sig);
}

/* Skips the 4-byte instruction that trapped (Linux's and glibc's names for the pc). */
static void skip(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	last_sig = sig;
	if (sig == SIGILL) {
		uc->uc_mcontext.sc_regs[0] += 4;
	} else {
		uc->uc_mcontext.__gregs[REG_PC] += 4;
	}
}

static void catch (int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = {.sa_sigaction = fn, .sa_flags = SA_SIGINFO};

	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

static int write_ro(void)
{
	ro_page[1] = 1;
	return 0;
}

static int faults_caught(void)
{
	volatile int *volatile null = NULL;
	int v;

	ro_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro_page != MAP_FAILED);
	catch (SIGSEGV, make_writable);
	*(volatile char *)&ro_page[8] =
		7; /* faults, the handler makes it writable, the store runs again */
	CHECK(ro_page[8] == 7);
	CHECK(fault_addr == ro_page + 8 && fault_code == SEGV_ACCERR);
	catch (SIGSEGV, jump_out);
	v = sigsetjmp(jump, 1);
	if (v == 0) {
		v = *null;
		CHECK(0); /* not reached */
	}
	CHECK(v == SIGSEGV && fault_addr == NULL && fault_code == SEGV_MAPERR);
	CHECK(current_mask() == 0); /* siglongjmp() put the mask back */
	catch (SIGILL, skip);
	__asm__ volatile(".4byte 0x00000000"); /* an illegal instruction */
	CHECK(last_sig == SIGILL);
	catch (SIGTRAP, skip);
	__asm__ volatile(".4byte 0x00100073"); /* ebreak, uncompressed */
	CHECK(last_sig == SIGTRAP);
	return failures;
}

static int faults_uncaught(void)
{
	sigset_t block = SET(SIGSEGV);
	int status;

	ro_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Blocked, or ignored, when the fault comes: the process ends all the same. */
	catch (SIGSEGV, make_writable);
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	status = in_child(write_ro);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	CHECK(sigprocmask(SIG_UNBLOCK, &block, NULL) == 0);
	signal(SIGSEGV, SIG_IGN);
	status = in_child(write_ro);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	return failures;
}

/* A handler's frame below an sp that points nowhere: SIGSEGV. */
static int frame_unwritable(void)
{
	long pid = getpid();

	on(SIGUSR1, count, 0);
	register long a0 __asm__("a0") = pid;
	register long a1 __asm__("a1") = SIGUSR1;
	register long a7 __asm__("a7") = SYS_kill;

	__asm__ volatile("mv s1, sp\n\tli sp, 64\n\tecall\n\tmv sp, s1"
			 : "+r"(a0)
			 : "r"(a1), "r"(a7)
			 : "s1", "memory");
	return 100; /* not reached */
}

/* rt_sigreturn with no frame to read: SIGSEGV, never a jump to what it might hold. */
static int frame_unreadable(void)
{
	register long a7 __asm__("a7") = SYS_rt_sigreturn;

	__asm__ volatile("mv s1, sp\n\tli sp, 64\n\tecall\n\tmv sp, s1"
			 :
			 : "r"(a7)
			 : "s1", "memory");
	return 100;
}

static int bad_frames(void)
{
	int status = in_child(frame_unwritable);

	if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)) {
		printf("FAIL unwritable frame: status %#x\n", status);
		failures++;
	}
	status = in_child(frame_unreadable);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	return failures;
}

/* -- Inheritance, init, kill(-1), another hart ------------------------------------------ */

static int fork_inherits(void)
{
	sigset_t block = SET(SIGUSR2);
	struct sigaction sa;
	sigset_t set;
	int status;
	pid_t pid;

	on(SIGUSR1, count, SA_RESTART);
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	CHECK(raise(SIGUSR2) == 0);
	pid = fork();
	if (pid == 0) {
		int ok = sigaction(SIGUSR1, NULL, &sa) == 0 && sa.sa_handler == count &&
			 (sa.sa_flags & SA_RESTART) && current_mask() == SET(SIGUSR2) &&
			 sigpending(&set) == 0 && set == 0;

		_exit(ok ? 0 : 1);
	}
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return failures;
}

static int exec_resets(void)
{
	sigset_t block = SET(SIGHUP);

	on(SIGUSR1, count, 0);
	signal(SIGUSR2, SIG_IGN);
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	CHECK(raise(SIGHUP) == 0);
	execv("/bin/sigexec", (char *[]){"sigexec", NULL});
	return 100;
}

static int kill_all(void)
{
	int status;
	pid_t pid;

	sync_open();
	pid = fork();
	if (pid == 0) {
		on(SIGUSR1, count, 0);
		sync_ready();
		while (hits == 0) {
			pause();
		}
		_exit(0);
	}
	sync_wait();
	on(SIGUSR1, count, 0);
	CHECK(kill(-1, SIGUSR1) == 0); /* the child; not the caller, not init */
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0 && hits == 0);
	return failures;
}

/* A process that never enters the kernel, maybe on another hart: the signal interrupts it. */
static int other_hart(void)
{
	int status;
	pid_t pid;

	sync_open();
	pid = fork();
	if (pid == 0) {
		on(SIGUSR1, count, 0);
		sync_ready();
		while (hits == 0) {
		}
		_exit(0);
	}
	sync_wait();
	CHECK(kill(pid, SIGUSR1) == 0);
	status = wait_status(pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pid = spinner();
	usleep(20000);
	CHECK(kill(pid, SIGINT) == 0);
	status = wait_status(pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
	return failures;
}

static int abort_raises(void)
{
	abort();
}

/* Init gets only the signals it has a handler for. */
static int kill_init(void)
{
	CHECK(kill(1, SIGKILL) == 0 && kill(1, SIGSTOP) == 0 && kill(1, SIGTERM) == 0);
	CHECK(kill(1, SIGUSR2) == 0);
	return failures;
}

int main(void)
{
	int status;

	run("errors", errors);
	run("handler", handler_runs);
	run("siginfo and masks", siginfo_and_masks);
	run("SA_NODEFER and SA_RESETHAND", nodefer_resethand);
	run("blocked and pending", blocked_pending);
	run("sigsuspend", suspend);
	status = in_child(pause_alarm);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);
	printf("%s pause and alarm\n", WIFSIGNALED(status) ? "ok" : "FAIL");
	cases++;
	run("EINTR and SA_RESTART", eintr_restart);
	run("default actions of 1..31", default_actions);
	run("stop and continue", stop_continue);
	run("SIGCHLD", sigchld_exit_and_ignore);
	run("SIGPIPE", sigpipe);
	run("faults caught", faults_caught);
	run("faults uncaught", faults_uncaught);
	run("bad frames", bad_frames);
	run("fork inherits", fork_inherits);
	run("exec resets", exec_resets);
	run("kill(-1)", kill_all);
	run("another hart", other_hart);
	status = in_child(abort_raises);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	printf("%s abort\n", WIFSIGNALED(status) ? "ok" : "FAIL");
	cases++;
	on(SIGUSR2, count, SA_RESTART); /* init waits for the case meanwhile */
	hits = 0;
	run("init", kill_init);
	CHECK(hits == 1 && last_sig == SIGUSR2);
	printf("userspace signal: %d cases, %d failures\n", cases, failures);
	return failures == 0 ? 0 : 1;
}
