/* SPDX-License-Identifier: Apache-2.0 */
/* The C side of program start-up, called by crt0.S. */
#include <stdlib.h>

#include "user.h"

extern char **environ;
int main(int argc, char **argv, char **envp);
void __libc_init_array(void);

/* Runs the constructors and main(), then exit(), which runs atexit handlers and destructors
 * (flushing stdio, see stdio.c) before _exit(). Never returns.
 */
void __inox_start(int argc, char **argv, char **envp)
{
	environ = envp;
	__libc_init_array();
	exit(main(argc, argv, envp));
}
