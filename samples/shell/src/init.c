/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The first process: becomes the shell. exec keeps pid 1, so `ps` names it sh and the system
 * powers off with the shell's exit status.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char *argv[] = {"sh", NULL};

	execv("/bin/sh", argv);
	perror("init: /bin/sh");
	return 1;
}
