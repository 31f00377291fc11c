/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Open files: the console and pipe ends, reference-counted so that dup() and fork() share
 * them. Each process has a table of CONFIG_PROC_MAX_FDS of them.
 */
#ifndef INOX_PROC_FILE_H_
#define INOX_PROC_FILE_H_

#include <stddef.h>
#include <inox/sys/atomic.h>

struct file;

struct file_ops {
	/* Both take a user buffer; return bytes moved or -errno. */
	long (*read)(struct file *f, char *ubuf, size_t n);
	long (*write)(struct file *f, const char *ubuf, size_t n);
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

/* The console (reads a line with echo, writes to the console UART). Returns a new
 * reference. */
struct file *console_file(void);
/* A pipe: its read and write ends, or -ENOMEM. */
int pipe_create(struct file **rd, struct file **wr);

#endif /* INOX_PROC_FILE_H_ */
