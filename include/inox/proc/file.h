/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Open files: the console and pipe ends, reference-counted so that dup() and fork() share
 * them. Each process has a table of CONFIG_PROC_MAX_FDS of them, indexed by fd.
 *
 * A table has no lock: only its process's one thread changes it, except at fork (the child
 * does not run yet) and after exit (the process no longer runs).
 */
#ifndef INOX_PROC_FILE_H_
#define INOX_PROC_FILE_H_

#include <stddef.h>
#include <inox/sys/atomic.h>

struct file;
struct proc;

struct file_ops {
	/* Both take a user buffer; return bytes moved or -errno. */
	long (*read)(struct file *f, char *ubuf, size_t n);
	long (*write)(struct file *f, const char *ubuf, size_t n);
	/* ioctl(): request and argument as the caller passed them (arg often a user pointer);
	 * -errno. NULL: the file is not a terminal, and every request fails with -ENOTTY. */
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	/* The last reference went away. */
	void (*release)(struct file *f);
};

struct file {
	const struct file_ops *ops;
	atomic_t refs;
	void *priv;
};

struct file *file_get(struct file *f);
void file_put(struct file *f);

/* The console as a terminal (tty.c): reads a line with echo, writes to the console UART,
 * answers the terminal ioctls. */
extern const struct file_ops tty_file_ops;
/* A new open file on the console, or NULL (no memory). */
struct file *console_file(void);
/* A pipe: its read and write ends, or -ENOMEM. */
int pipe_create(struct file **rd, struct file **wr);

/* The open file behind fd in p's table (no new reference), or NULL if fd is out of range or
 * not open. */
struct file *fd_file(struct proc *p, long fd);
/* close(): 0, or -EBADF. */
int fd_close(struct proc *p, long fd);
/* dup(): the lowest free fd now refers to fd's file too. That fd, or -EBADF, -EMFILE. */
int fd_dup(struct proc *p, long fd);
/* dup3() without flags: newfd refers to oldfd's file, closing what newfd had. newfd, or
 * -EBADF, -EINVAL (newfd == oldfd). */
int fd_dup_to(struct proc *p, long oldfd, long newfd);
/* pipe2() without flags: a new pipe in the two lowest free fds, its read end in fds[0]. 0, or
 * -EMFILE, -ENOMEM with the table unchanged. */
int fd_pipe(struct proc *p, int fds[2]);
/* Opens the console as fds 0, 1 and 2 of p, whose table is empty. 0, or -ENOMEM. */
int fd_open_console(struct proc *p);
/* Gives child, whose table is empty, a reference to each of parent's open files at the same
 * fd. */
void fd_table_copy(struct proc *child, struct proc *parent);
/* Closes every fd of p. */
void fd_table_close(struct proc *p);

#endif /* INOX_PROC_FILE_H_ */
