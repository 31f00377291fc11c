/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The initramfs: a cpio "newc" archive of the user programs (/bin/NAME), built by
 * cmake/modules/user.cmake and linked into the kernel image between __initramfs_start and
 * __initramfs_end (equal when the application declares no program).
 *
 * The archive is checked as it is read: a bad magic, a non-hex field, a name without its
 * NUL, or a size that runs past the end makes the whole archive -ENOEXEC, and nothing is
 * read outside it. Every call checks the whole archive before it looks anything up, so a
 * damaged archive fails the same way whatever is asked of it. File data is 4-byte aligned
 * (newc pads to 4), so readers copy it with memcpy() rather than load 8 bytes at a time.
 */
#ifndef INOX_PROC_INITRAMFS_H_
#define INOX_PROC_INITRAMFS_H_

#include <stddef.h>

/*
 * Called for each regular file, in archive order, with its name as stored ("bin/hello": no
 * leading slash), its data and size. A non-zero return stops the walk and is returned.
 */
typedef int (*initramfs_cb_t)(const char *name, const void *data, size_t size, void *arg);

/*
 * Finds the regular file at path ("/bin/hello"; leading slashes are optional) in the
 * built-in archive. Returns 0 with *data and *size set, -ENOENT if there is no such file,
 * -ENOEXEC if the archive is malformed.
 */
int initramfs_find(const char *path, const void **data, size_t *size);

/* Calls cb for each regular file of the built-in archive. Returns 0, cb's first non-zero
 * return, or -ENOEXEC (before any call) if the archive is malformed.
 */
int initramfs_foreach(initramfs_cb_t cb, void *arg);

/* The same two, on the archive of len bytes at archive (any alignment). */
int initramfs_find_in(const void *archive, size_t len, const char *path, const void **data,
		      size_t *size);
int initramfs_foreach_in(const void *archive, size_t len, initramfs_cb_t cb, void *arg);

#endif /* INOX_PROC_INITRAMFS_H_ */
