/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Open files: the console (its line discipline and job control are in tty.c) and pipes (a 4 KiB ring per pipe; a read blocks until
 * there is data or no writer is left, a write blocks while the pipe is full and fails with
 * -EPIPE once no reader is left). Pipe state is guarded by z_sched_lock, whose wait queues
 * it uses; user memory is copied outside the lock, through a small bounce buffer. And the
 * fd tables of processes, which hold references to them.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/uaccess.h>
#include <inox/mm/cache.h>
#include <inox/mm/page.h>
#include <inox/proc/file.h>
#include <inox/proc/proc.h>
#include <inox/arch/mmu.h>
#include "ksched.h"

#define CHUNK 256

static MM_CACHE_DEFINE(file_cache, struct file);

struct file *file_get(struct file *f)
{
	atomic_inc(&f->refs);
	return f;
}

void file_put(struct file *f)
{
	atomic_val_t old = atomic_dec(&f->refs);

	if (old == 1) {
		if (f->ops->release != NULL) {
			f->ops->release(f);
		}
		mm_cache_free(&file_cache, f);
	} else if (old <= 0) {
		panic("file_put: file %p count already %ld", f, old);
	}
}

static struct file *file_alloc(const struct file_ops *ops, void *priv)
{
	struct file *f = mm_cache_alloc(&file_cache);

	if (f == NULL) {
		return NULL;
	}
	f->ops = ops;
	f->priv = priv;
	atomic_set(&f->refs, 1);
	return f;
}

/* -- The console (tty.c) ------------------------------------------------------ */

struct file *console_file(void)
{
	return file_alloc(&tty_file_ops, NULL);
}

/* -- Pipes ------------------------------------------------------------------- */

#define PIPE_SIZE 4096

struct pipe {
	char *buf;
	size_t head; /* next byte to read */
	size_t count;
	int readers;
	int writers;
	_wait_q_t readq;
	_wait_q_t writeq;
	struct page *buf_page;
	/* Held by a reader from taking bytes to dropping them from the pipe, never while it
	 * waits for bytes: two readers never get the same bytes. */
	struct k_mutex read_lock;
};

static MM_CACHE_DEFINE(pipe_cache, struct pipe);

/*
 * Bytes leave the pipe only once they are in the reader's buffer: a bad buffer gets -EFAULT
 * and leaves them for the next read, as Linux's pipe_read() does. No lock is held while user
 * memory is touched but the pipe's read_lock, a mutex.
 */
static long pipe_read(struct file *f, char *ubuf, size_t n)
{
	struct pipe *p = f->priv;
	char buf[CHUNK];
	k_spinlock_key_t key;
	size_t k;

	for (;;) {
		key = k_spin_lock(&z_sched_lock);
		while (p->count == 0) {
			if (p->writers == 0 || n == 0) {
				k_spin_unlock(&z_sched_lock, key);
				return 0;
			}
			if (z_pend_curr_interruptible(&p->readq, K_FOREVER, key) == -EINTR) {
				return -EINTR;
			}
			key = k_spin_lock(&z_sched_lock);
		}
		k_spin_unlock(&z_sched_lock, key);
		k_mutex_lock(&p->read_lock, K_FOREVER);
		key = k_spin_lock(&z_sched_lock);
		if (p->count != 0) {
			break;
		}
		/* Another reader took them between the wait and the mutex. */
		k_spin_unlock(&z_sched_lock, key);
		k_mutex_unlock(&p->read_lock);
	}
	k = MIN(MIN(n, sizeof(buf)), p->count);
	for (size_t i = 0; i < k; i++) {
		buf[i] = p->buf[(p->head + i) % PIPE_SIZE];
	}
	k_spin_unlock(&z_sched_lock, key);
	if (copy_to_user(ubuf, buf, k) != 0) {
		k_mutex_unlock(&p->read_lock);
		return -EFAULT;
	}
	/* Only readers take bytes, and they hold read_lock: the k bytes are still there. */
	key = k_spin_lock(&z_sched_lock);
	p->head = (p->head + k) % PIPE_SIZE;
	p->count -= k;
	z_unpend_all_locked(&p->writeq);
	z_reschedule(key);
	k_mutex_unlock(&p->read_lock);
	return (long)k;
}

static long pipe_write(struct file *f, const char *ubuf, size_t n)
{
	struct pipe *p = f->priv;
	char buf[CHUNK];
	size_t done = 0;

	while (done < n) {
		size_t k = MIN(n - done, sizeof(buf));
		size_t put = 0;
		k_spinlock_key_t key;

		if (copy_from_user(buf, ubuf + done, k) != 0) {
			return done > 0 ? (long)done : -EFAULT;
		}
		key = k_spin_lock(&z_sched_lock);
		while (put < k) {
			if (p->readers == 0) {
				k_spin_unlock(&z_sched_lock, key);
				/* SIGPIPE even after a partial write, as Linux. */
				signal_self(SIGPIPE);
				return done + put > 0 ? (long)(done + put) : -EPIPE;
			}
			if (p->count == PIPE_SIZE) {
				if (z_pend_curr_interruptible(&p->writeq, K_FOREVER, key) ==
				    -EINTR) {
					return done + put > 0 ? (long)(done + put) : -EINTR;
				}
				key = k_spin_lock(&z_sched_lock);
				continue;
			}
			while (put < k && p->count < PIPE_SIZE) {
				p->buf[(p->head + p->count) % PIPE_SIZE] = buf[put++];
				p->count++;
			}
			z_unpend_all_locked(&p->readq);
		}
		z_reschedule(key);
		done += k;
	}
	return done;
}

static void pipe_release(struct file *f, bool reader)
{
	struct pipe *p = f->priv;
	k_spinlock_key_t key = k_spin_lock(&z_sched_lock);
	bool last;

	if (reader) {
		p->readers--;
	} else {
		p->writers--;
	}
	last = p->readers == 0 && p->writers == 0;
	z_unpend_all_locked(&p->readq);
	z_unpend_all_locked(&p->writeq);
	z_reschedule(key);
	if (last) {
		page_ref_put(p->buf_page);
		mm_cache_free(&pipe_cache, p);
	}
}

static void pipe_release_read(struct file *f)
{
	pipe_release(f, true);
}

static void pipe_release_write(struct file *f)
{
	pipe_release(f, false);
}

static long bad_read(struct file *f, char *ubuf, size_t n)
{
	return -EBADF;
}

static long bad_write(struct file *f, const char *ubuf, size_t n)
{
	return -EBADF;
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read,
	.write = bad_write,
	.release = pipe_release_read,
};

static const struct file_ops pipe_write_ops = {
	.read = bad_read,
	.write = pipe_write,
	.release = pipe_release_write,
};

int pipe_create(struct file **rd, struct file **wr)
{
	struct pipe *p = mm_cache_zalloc(&pipe_cache);
	struct page *bp = page_alloc();

	if (p == NULL || bp == NULL) {
		goto fail;
	}
	p->buf = page_to_virt(bp);
	p->buf_page = bp;
	p->readers = 1;
	p->writers = 1;
	sys_dlist_init(&p->readq.waitq);
	sys_dlist_init(&p->writeq.waitq);
	k_mutex_init(&p->read_lock);
	*rd = file_alloc(&pipe_read_ops, p);
	*wr = *rd != NULL ? file_alloc(&pipe_write_ops, p) : NULL;
	if (*wr == NULL) {
		if (*rd != NULL) {
			mm_cache_free(&file_cache, *rd);
		}
		goto fail;
	}
	return 0;
fail:
	if (p != NULL) {
		mm_cache_free(&pipe_cache, p);
	}
	if (bp != NULL) {
		page_ref_put(bp);
	}
	return -ENOMEM;
}

/* -- File descriptor tables ----------------------------------------------------- */

struct file *fd_file(struct proc *p, long fd)
{
	if (fd < 0 || fd >= CONFIG_PROC_MAX_FDS) {
		return NULL;
	}
	return p->fds[fd];
}

/* The lowest free fd at or above min, or -EMFILE. */
static int fd_free(struct proc *p, int min)
{
	for (int fd = min; fd < CONFIG_PROC_MAX_FDS; fd++) {
		if (p->fds[fd] == NULL) {
			return fd;
		}
	}
	return -EMFILE;
}

int fd_close(struct proc *p, long fd)
{
	struct file *f = fd_file(p, fd);

	if (f == NULL) {
		return -EBADF;
	}
	p->fds[fd] = NULL;
	file_put(f);
	return 0;
}

int fd_dup(struct proc *p, long fd)
{
	struct file *f = fd_file(p, fd);
	int newfd;

	if (f == NULL) {
		return -EBADF;
	}
	newfd = fd_free(p, 0);
	if (newfd >= 0) {
		p->fds[newfd] = file_get(f);
	}
	return newfd;
}

int fd_dup_to(struct proc *p, long oldfd, long newfd)
{
	struct file *f = fd_file(p, oldfd);

	if (f == NULL || newfd < 0 || newfd >= CONFIG_PROC_MAX_FDS) {
		return -EBADF;
	}
	if (newfd == oldfd) {
		return -EINVAL;
	}
	if (p->fds[newfd] != NULL) {
		file_put(p->fds[newfd]);
	}
	p->fds[newfd] = file_get(f);
	return newfd;
}

int fd_pipe(struct proc *p, int fds[2])
{
	struct file *rd;
	struct file *wr;
	int ret;

	fds[0] = fd_free(p, 0);
	fds[1] = fds[0] >= 0 ? fd_free(p, fds[0] + 1) : -EMFILE;
	if (fds[1] < 0) {
		return -EMFILE;
	}
	ret = pipe_create(&rd, &wr);
	if (ret != 0) {
		return ret;
	}
	p->fds[fds[0]] = rd;
	p->fds[fds[1]] = wr;
	return 0;
}

int fd_open_console(struct proc *p)
{
	struct file *console = console_file();

	if (console == NULL) {
		return -ENOMEM;
	}
	for (int fd = 0; fd < 3; fd++) {
		p->fds[fd] = file_get(console);
	}
	file_put(console);
	return 0;
}

void fd_table_copy(struct proc *child, struct proc *parent)
{
	for (int fd = 0; fd < CONFIG_PROC_MAX_FDS; fd++) {
		child->fds[fd] = parent->fds[fd] != NULL ? file_get(parent->fds[fd]) : NULL;
	}
}

void fd_table_close(struct proc *p)
{
	for (int fd = 0; fd < CONFIG_PROC_MAX_FDS; fd++) {
		fd_close(p, fd);
	}
}
