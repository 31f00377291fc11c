/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stdin, stdout and stderr for picolibc's tiny stdio, which leaves them to the system: three
 * buffered FILEs on file descriptors 0, 1 and 2, reading and writing through read() and
 * write(). stdout and stderr are line-buffered, as on a terminal (there is no isatty() to
 * ask), so a line reaches the console whole even when processes share it; reading stdin
 * first flushes stdout (picolibc does that), so a prompt shows before the input.
 *
 * picolibc's exit() runs the atexit handlers and the destructors but does not flush stdio;
 * flush_std_streams() is the last destructor, so a partial line printed before exit() or a
 * return from main() is not lost. _exit() flushes nothing, as POSIX says.
 */
#include <errno.h>
#include <stdio.h>
#include <stdio-bufio.h>
#include <unistd.h>

/* The standard streams are not seekable (console, pipe). */
static off_t no_lseek(int fd, off_t offset, int whence)
{
	errno = ESPIPE;
	return -1;
}

static char stdin_buf[BUFSIZ];
static char stdout_buf[BUFSIZ];
static char stderr_buf[BUFSIZ];

static struct __file_bufio stdin_file = FDEV_SETUP_BUFIO(
	0, stdin_buf, sizeof(stdin_buf), read, write, no_lseek, close, _FDEV_SETUP_READ, 0);
static struct __file_bufio stdout_file = FDEV_SETUP_BUFIO(
	1, stdout_buf, sizeof(stdout_buf), read, write, no_lseek, close, _FDEV_SETUP_WRITE, __BLBF);
static struct __file_bufio stderr_file = FDEV_SETUP_BUFIO(
	2, stderr_buf, sizeof(stderr_buf), read, write, no_lseek, close, _FDEV_SETUP_WRITE, __BLBF);

FILE *const stdin = &stdin_file.xfile.cfile.file;
FILE *const stdout = &stdout_file.xfile.cfile.file;
FILE *const stderr = &stderr_file.xfile.cfile.file;

/* Priority 101, the lowest: destructors run in reverse, so this one runs last. */
__attribute__((destructor(101))) static void flush_std_streams(void)
{
	fflush(stdout);
	fflush(stderr);
}
