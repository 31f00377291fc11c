/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading the initramfs, a cpio "newc" archive (the format of Linux's initramfs, see
 * scripts/build/mkcpio.py). Each entry is a 110-byte ASCII header, the name with its NUL,
 * padding to 4 bytes, the data, padding to 4 bytes; "TRAILER!!!" ends the archive:
 *
 *   "070701" then 13 fields of 8 hex digits: ino mode uid gid nlink mtime filesize
 *   devmajor devminor rdevmajor rdevminor namesize check
 *
 * Offsets and padding are relative to the start of the archive.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <inox/errno.h>
#include <inox/linker/linker_defs.h>
#include <inox/proc/initramfs.h>

#define CPIO_MAGIC       "070701"
#define CPIO_HEADER_SIZE 110
#define CPIO_TRAILER     "TRAILER!!!"

/* Field indexes, after the 6-byte magic. */
#define CPIO_F_MODE     1
#define CPIO_F_FILESIZE 6
#define CPIO_F_NAMESIZE 11

#define S_IFMT  0170000
#define S_IFREG 0100000

struct cpio_entry {
	const char *name;
	const void *data;
	size_t size;
	uint32_t mode;
};

/* Parses the 8 hex digits at s into *out. Returns false on any other character. */
static bool parse_hex8(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		uint32_t d;

		if (c >= '0' && c <= '9') {
			d = c - '0';
		} else if (c >= 'a' && c <= 'f') {
			d = c - 'a' + 10;
		} else if (c >= 'A' && c <= 'F') {
			d = c - 'A' + 10;
		} else {
			return false;
		}
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

static size_t align4(size_t off)
{
	return (off + 3) & ~(size_t)3;
}

/*
 * Reads the entry at *off of the archive ar[0..len) into *e and moves *off past it.
 * Returns 1 for an entry, 0 at the trailer, -ENOEXEC if the entry is malformed or runs past
 * len; reads only inside ar[0..len).
 */
static int next_entry(const char *ar, size_t len, size_t *off, struct cpio_entry *e)
{
	const char *h = ar + *off;
	uint32_t namesize, filesize;
	size_t name_off, data_off;

	if (*off > len || len - *off < CPIO_HEADER_SIZE) {
		return -ENOEXEC;
	}
	if (memcmp(h, CPIO_MAGIC, 6) != 0 || !parse_hex8(h + 6 + 8 * CPIO_F_MODE, &e->mode) ||
	    !parse_hex8(h + 6 + 8 * CPIO_F_FILESIZE, &filesize) ||
	    !parse_hex8(h + 6 + 8 * CPIO_F_NAMESIZE, &namesize)) {
		return -ENOEXEC;
	}
	/* The name: namesize bytes, the last the only NUL. */
	name_off = *off + CPIO_HEADER_SIZE;
	if (namesize == 0 || namesize > len - name_off) {
		return -ENOEXEC;
	}
	e->name = ar + name_off;
	if (strnlen(e->name, namesize) != namesize - 1) {
		return -ENOEXEC;
	}
	if (strcmp(e->name, CPIO_TRAILER) == 0) {
		return 0;
	}
	data_off = align4(name_off + namesize);
	if (data_off > len || filesize > len - data_off) {
		return -ENOEXEC;
	}
	e->data = ar + data_off;
	e->size = filesize;
	*off = align4(data_off + filesize);
	return 1;
}

/*
 * Walks every entry up to the trailer, calling cb (if not NULL) for each regular file.
 * Returns 0, cb's first non-zero return, or -ENOEXEC at the first malformed entry or if the
 * trailer is missing. An empty archive (len 0) has no entries and is valid.
 */
static int walk(const void *archive, size_t len, initramfs_cb_t cb, void *arg)
{
	struct cpio_entry e;
	size_t off = 0;
	int ret;

	if (len == 0) {
		return 0;
	}
	while ((ret = next_entry(archive, len, &off, &e)) > 0) {
		if (cb && (e.mode & S_IFMT) == S_IFREG) {
			ret = cb(e.name, e.data, e.size, arg);
			if (ret) {
				return ret;
			}
		}
	}
	return ret;
}

int initramfs_foreach_in(const void *archive, size_t len, initramfs_cb_t cb, void *arg)
{
	int ret = walk(archive, len, NULL, NULL);

	return ret ? ret : walk(archive, len, cb, arg);
}

struct find_arg {
	const char *path;
	const void *data;
	size_t size;
};

/* Archive names may start with "./" or "/"; lookups compare what follows. */
static const char *strip_root(const char *name)
{
	if (name[0] == '.' && name[1] == '/') {
		name++;
	}
	while (*name == '/') {
		name++;
	}
	return name;
}

static int match_cb(const char *name, const void *data, size_t size, void *arg)
{
	struct find_arg *f = arg;

	if (strcmp(strip_root(name), f->path) != 0) {
		return 0;
	}
	f->data = data;
	f->size = size;
	return 1;
}

int initramfs_find_in(const void *archive, size_t len, const char *path, const void **data,
		      size_t *size)
{
	struct find_arg f = {.path = strip_root(path)};
	int ret;

	ret = initramfs_foreach_in(archive, len, match_cb, &f);
	if (ret < 0) {
		return ret;
	}
	if (ret == 0) {
		return -ENOENT;
	}
	*data = f.data;
	*size = f.size;
	return 0;
}

int initramfs_find(const char *path, const void **data, size_t *size)
{
	return initramfs_find_in(__initramfs_start, __initramfs_end - __initramfs_start, path, data,
				 size);
}

int initramfs_foreach(initramfs_cb_t cb, void *arg)
{
	return initramfs_foreach_in(__initramfs_start, __initramfs_end - __initramfs_start, cb,
				    arg);
}
