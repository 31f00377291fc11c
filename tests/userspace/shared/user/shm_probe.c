/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shm_probe ADDR: run through exec by a process that had a shared mapping at ADDR. The new
 * program must not have it: a load from ADDR kills a child with SIGSEGV. Exits 0 if so.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	volatile char *addr;
	int status = 0;
	pid_t pid;

	if (argc != 2) {
		return 2;
	}
	addr = (volatile char *)strtoul(argv[1], NULL, 0);
	pid = fork();
	if (pid == 0) {
		_exit(*addr);
	}
	if (waitpid(pid, &status, 0) != pid) {
		return 3;
	}
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? 0 : 1;
}
