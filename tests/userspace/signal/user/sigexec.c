/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run by the signal test's "exec resets" case after it caught SIGUSR1, ignored SIGUSR2,
 * blocked SIGHUP and raised it: exits 0 if exec kept the ignore, the mask and the pending
 * signal and reset the caught one to SIG_DFL, as Linux.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	struct sigaction usr1;
	struct sigaction usr2;
	sigset_t mask;
	sigset_t pending;

	sigaction(SIGUSR1, NULL, &usr1);
	sigaction(SIGUSR2, NULL, &usr2);
	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigpending(&pending);
	if (usr1.sa_handler != SIG_DFL || usr2.sa_handler != SIG_IGN ||
	    !sigismember(&mask, SIGHUP) || !sigismember(&pending, SIGHUP)) {
		printf("FAIL sigexec: SIGUSR1 %p, SIGUSR2 %p, mask %#lx, pending %#lx\n",
		       (void *)usr1.sa_handler, (void *)usr2.sa_handler, mask, pending);
		return 1;
	}
	return 0;
}
