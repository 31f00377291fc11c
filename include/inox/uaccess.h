/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Copying between the kernel and the current process's memory. Each returns 0 (or a length)
 * or -EFAULT: for an address outside user space without touching it, or when the process
 * has no memory there it may access. A page fault inside them is resolved like one from the
 * process itself (lazy pages, copy-on-write) before it counts as -EFAULT.
 */
#ifndef INOX_UACCESS_H_
#define INOX_UACCESS_H_

#include <stddef.h>
#include <stdint.h>
#include <inox/errno.h>
#include <inox/mm/vm.h>

long z_user_copy(void *dst, const void *src, size_t n);
long z_user_strncpy(char *dst, const char *src, size_t n);

/* Is [uaddr, uaddr + n) inside user space (and not wrapping)? */
static inline int user_range_ok(uintptr_t uaddr, size_t n)
{
	return uaddr >= USER_BASE && uaddr <= USER_TOP && n <= USER_TOP - uaddr;
}

static inline long copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!user_range_ok((uintptr_t)usrc, n)) {
		return -EFAULT;
	}
	return z_user_copy(dst, usrc, n);
}

static inline long copy_to_user(void *udst, const void *src, size_t n)
{
	if (!user_range_ok((uintptr_t)udst, n)) {
		return -EFAULT;
	}
	return z_user_copy(udst, src, n);
}

/* Copies a NUL-terminated string of at most n - 1 characters: its length, -EFAULT, or
 * -ENAMETOOLONG when no NUL came within n bytes. */
static inline long strncpy_from_user(char *dst, const char *usrc, size_t n)
{
	uintptr_t u = (uintptr_t)usrc;
	size_t max = n;
	long len;

	if (u < USER_BASE || u >= USER_TOP) {
		return -EFAULT;
	}
	if (max > USER_TOP - u) {
		max = USER_TOP - u;
	}
	len = z_user_strncpy(dst, usrc, max);
	if (len < 0) {
		return len;
	}
	if ((size_t)len >= n) {
		return -ENAMETOOLONG;
	}
	if ((size_t)len == max) {
		return -EFAULT; /* ran into the end of user space */
	}
	return len;
}

#endif /* INOX_UACCESS_H_ */
