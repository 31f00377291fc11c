/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The user-program toolchain seen from the kernel: the build packed /bin/hello and /bin/big
 * (user/hello.c and user/big.c, linked by lib/user/user.ld) into the initramfs;
 * initramfs_find() finds them, elf_parse() accepts them with the layout user.ld promises,
 * and both readers reject damaged copies without reading outside them.
 */
#include <inox/errno.h>
#include <inox/proc/elf.h>
#include <inox/proc/initramfs.h>
#include <inox/ztest.h>

#define USER_LINK_ADDRESS 0x10000UL
#define BIG_BSS_SIZE      (4UL << 20)

extern const char __initramfs_start[];
extern const char __initramfs_end[];

/* A writable copy of a program or of the archive, to damage. */
static uint8_t copy[128 * 1024] __aligned(8);
static size_t copy_size;

static void copy_in(const void *data, size_t size)
{
	zassert_true(size <= sizeof(copy), "%lu bytes do not fit the copy", (unsigned long)size);
	memcpy(copy, data, size);
	copy_size = size;
}

static void copy_program(const char *path)
{
	const void *data;
	size_t size;

	zassert_ok(initramfs_find(path, &data, &size), "%s not found", path);
	copy_in(data, size);
}

/* ---- initramfs ---- */

ZTEST_SUITE(initramfs, NULL, NULL, NULL, NULL, NULL);

ZTEST(initramfs, test_find)
{
	const void *data = NULL;
	size_t size = 0;

	zassert_true(__initramfs_end - __initramfs_start > 0, "the initramfs is empty");
	zassert_ok(initramfs_find("/bin/hello", &data, &size));
	zassert_true(size > sizeof(struct elf64_ehdr));
	zassert_mem_equal(data, "\177ELF", 4);
	zassert_true((const char *)data >= __initramfs_start &&
		     (const char *)data + size <= __initramfs_end);
	zassert_ok(initramfs_find("/bin/big", &data, &size));
	zassert_mem_equal(data, "\177ELF", 4);
	zassert_ok(initramfs_find("bin/big", &data, &size), "the leading slash is optional");

	zassert_equal(initramfs_find("/bin/nope", &data, &size), -ENOENT);
	zassert_equal(initramfs_find("/bin", &data, &size), -ENOENT, "a folder is not a file");
	zassert_equal(initramfs_find("/bin/hell", &data, &size), -ENOENT);
	zassert_equal(initramfs_find("/bin/hello/", &data, &size), -ENOENT);
}

struct listing {
	int count;
	char names[4][16];
};

static int list_cb(const char *name, const void *data, size_t size, void *arg)
{
	struct listing *l = arg;

	if (l->count < 4) {
		strlcpy(l->names[l->count], name, sizeof(l->names[0]));
	}
	l->count++;
	return 0;
}

static int stop_cb(const char *name, const void *data, size_t size, void *arg)
{
	return 42;
}

ZTEST(initramfs, test_foreach)
{
	struct listing l = {0};

	zassert_ok(initramfs_foreach(list_cb, &l));
	zassert_equal(l.count, 2, "regular files only: %d", l.count);
	zassert_str_equal(l.names[0], "bin/big");
	zassert_str_equal(l.names[1], "bin/hello");
	zassert_equal(initramfs_foreach(stop_cb, NULL), 42);
}

/* Offsets in a newc header: magic, then 8 hex digits per field. */
#define NEWC_FILESIZE 54
#define NEWC_NAMESIZE 94

static int find_in_copy(size_t len)
{
	const void *data;
	size_t size;

	return initramfs_find_in(copy, len, "/bin/hello", &data, &size);
}

ZTEST(initramfs, test_malformed_archive)
{
	size_t len = __initramfs_end - __initramfs_start;
	struct listing l = {0};

	copy_in(__initramfs_start, len);
	zassert_ok(find_in_copy(len), "the intact copy");
	zassert_equal(find_in_copy(0), -ENOENT, "an empty archive is valid");

	zassert_equal(find_in_copy(len / 2), -ENOEXEC, "truncated in the middle");
	zassert_equal(find_in_copy(len - 8), -ENOEXEC, "truncated trailer");
	zassert_equal(initramfs_foreach_in(copy, len / 2, list_cb, &l), -ENOEXEC);
	zassert_equal(l.count, 0, "no callback on a malformed archive");

	copy[0] = '1';
	zassert_equal(find_in_copy(len), -ENOEXEC, "bad magic");
	copy_in(__initramfs_start, len);
	memcpy(copy + NEWC_FILESIZE, "FFFFFFF0", 8);
	zassert_equal(find_in_copy(len), -ENOEXEC, "file size past the end");
	copy_in(__initramfs_start, len);
	memcpy(copy + NEWC_NAMESIZE, "7FFFFFFF", 8);
	zassert_equal(find_in_copy(len), -ENOEXEC, "name size past the end");
	copy_in(__initramfs_start, len);
	memcpy(copy + NEWC_NAMESIZE, "00000003", 8);
	zassert_equal(find_in_copy(len), -ENOEXEC, "name without its NUL");
	copy_in(__initramfs_start, len);
	copy[NEWC_NAMESIZE + 3] = 'g';
	zassert_equal(find_in_copy(len), -ENOEXEC, "not a hex digit");
}

/* ---- elf_parse ---- */

static struct elf64_ehdr *ehdr(void)
{
	return (struct elf64_ehdr *)copy;
}

/* The n-th PT_LOAD program header of the copy (0: text, 1: rodata, 2: data). */
static struct elf64_phdr *load_phdr(int n)
{
	struct elf64_phdr *ph = (struct elf64_phdr *)(copy + ehdr()->e_phoff);

	for (int i = 0; i < ehdr()->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && n-- == 0) {
			return &ph[i];
		}
	}
	ztest_test_fail();
}

/* The first program header that is not PT_LOAD (PT_TLS, RISCV_ATTRIBUTES). */
static struct elf64_phdr *other_phdr(void)
{
	struct elf64_phdr *ph = (struct elf64_phdr *)(copy + ehdr()->e_phoff);

	for (int i = 0; i < ehdr()->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD) {
			return &ph[i];
		}
	}
	ztest_test_fail();
}

static int parse_copy(void)
{
	struct elf_info info;

	return elf_parse(copy, copy_size, &info);
}

static void check_layout(const struct elf_info *info)
{
	zassert_equal(info->entry, USER_LINK_ADDRESS, "_start first in text: %lx", info->entry);
	zassert_equal(info->nsegs, 3, "text, rodata, data: %u", info->nsegs);
	zassert_equal(info->seg[0].vaddr, USER_LINK_ADDRESS);
	zassert_equal(info->seg[0].flags, ELF_SEG_READ | ELF_SEG_EXEC);
	zassert_equal(info->seg[1].flags, ELF_SEG_READ);
	zassert_equal(info->seg[2].flags, ELF_SEG_READ | ELF_SEG_WRITE);
	for (unsigned int i = 0; i < info->nsegs; i++) {
		const struct elf_segment *s = &info->seg[i];

		zassert_equal(s->vaddr % ELF_PAGE_SIZE, 0, "segment %u not on a page", i);
		zassert_equal(s->offset % ELF_PAGE_SIZE, 0, "segment %u: offset %lx", i,
			      (unsigned long)s->offset);
		zassert_true(s->filesz <= s->memsz && s->memsz > 0);
		if (i > 0) {
			zassert_true(s->vaddr >= info->seg[i - 1].vaddr + info->seg[i - 1].memsz);
		}
	}
	zassert_equal(info->end % ELF_PAGE_SIZE, 0);
	zassert_true(info->end >= info->seg[2].vaddr + info->seg[2].memsz);
	zassert_true(info->end - (info->seg[2].vaddr + info->seg[2].memsz) < ELF_PAGE_SIZE);
}

ZTEST_SUITE(elf, NULL, NULL, NULL, NULL, NULL);

ZTEST(elf, test_hello)
{
	struct elf_info info;
	const void *data;
	size_t size;

	/* Straight from the archive, where file data is only 4-byte aligned. */
	zassert_ok(initramfs_find("/bin/hello", &data, &size));
	zassert_ok(elf_parse(data, size, &info));
	check_layout(&info);
	zassert_true(info.seg[2].memsz > info.seg[2].filesz, "hello has a .bss");
}

ZTEST(elf, test_big)
{
	static const char marker[] = "INOX big data marker";
	struct elf_info info;
	const struct elf_segment *data_seg = &info.seg[2];
	const char *image;
	size_t size;
	bool found = false;

	zassert_ok(initramfs_find("/bin/big", (const void **)&image, &size));
	zassert_ok(elf_parse(image, size, &info));
	check_layout(&info);
	zassert_true(data_seg->memsz - data_seg->filesz >= BIG_BSS_SIZE, "bss %lx",
		     (unsigned long)(data_seg->memsz - data_seg->filesz));
	zassert_true(data_seg->filesz > 2 * ELF_PAGE_SIZE, "8 KiB of initialized data");
	for (size_t i = 0; i + sizeof(marker) <= data_seg->filesz; i++) {
		if (memcmp(image + data_seg->offset + i, marker, sizeof(marker)) == 0) {
			found = true;
			break;
		}
	}
	zassert_true(found, "the marker is in the data segment's file bytes");
}

/* Each damaged copy of hello, checked on its own: reload, damage, expect -ENOEXEC. */
ZTEST(elf, test_truncated)
{
	struct elf64_phdr *data_ph;

	copy_program("/bin/hello");
	zassert_ok(parse_copy(), "the intact copy");
	data_ph = load_phdr(2);
	zassert_equal(elf_parse(copy, 0, NULL), -ENOEXEC);
	zassert_equal(elf_parse(copy, sizeof(struct elf64_ehdr) - 1, NULL), -ENOEXEC);
	copy_size = ehdr()->e_phoff + 10;
	zassert_equal(parse_copy(), -ENOEXEC, "cut in the program headers");
	copy_size = data_ph->p_offset + data_ph->p_filesz - 1;
	zassert_equal(parse_copy(), -ENOEXEC, "cut in the data segment");
}

ZTEST(elf, test_bad_header)
{
	copy_program("/bin/hello");
	copy[1] = 'X';
	zassert_equal(parse_copy(), -ENOEXEC, "bad magic");

	copy_program("/bin/hello");
	copy[EI_CLASS] = 1;
	zassert_equal(parse_copy(), -ENOEXEC, "32-bit");

	copy_program("/bin/hello");
	copy[EI_DATA] = 2;
	zassert_equal(parse_copy(), -ENOEXEC, "big-endian");

	copy_program("/bin/hello");
	ehdr()->e_machine = 62;
	zassert_equal(parse_copy(), -ENOEXEC, "x86-64");

	copy_program("/bin/hello");
	ehdr()->e_type = ET_DYN;
	zassert_equal(parse_copy(), -ENOEXEC, "PIE");

	copy_program("/bin/hello");
	ehdr()->e_flags |= 0x4;
	zassert_equal(parse_copy(), -ENOEXEC, "hard-float (lp64d)");

	copy_program("/bin/hello");
	ehdr()->e_phentsize = 32;
	zassert_equal(parse_copy(), -ENOEXEC, "program header size");

	copy_program("/bin/hello");
	ehdr()->e_entry = load_phdr(2)->p_vaddr;
	zassert_equal(parse_copy(), -ENOEXEC, "entry in the data segment");
}

ZTEST(elf, test_phdrs_past_end)
{
	copy_program("/bin/hello");
	ehdr()->e_phoff = copy_size - 10;
	zassert_equal(parse_copy(), -ENOEXEC, "table past the end");

	copy_program("/bin/hello");
	ehdr()->e_phoff = ~0ULL - 8;
	zassert_equal(parse_copy(), -ENOEXEC, "table offset that wraps");

	copy_program("/bin/hello");
	load_phdr(0)->p_offset = copy_size;
	zassert_equal(parse_copy(), -ENOEXEC, "text past the end");

	copy_program("/bin/hello");
	load_phdr(1)->p_filesz = copy_size;
	zassert_equal(parse_copy(), -ENOEXEC, "rodata running past the end");

	copy_program("/bin/hello");
	load_phdr(2)->p_offset = ~0ULL & ~(ELF_PAGE_SIZE - 1);
	zassert_equal(parse_copy(), -ENOEXEC, "data offset that wraps");

	copy_program("/bin/hello");
	load_phdr(1)->p_memsz = load_phdr(1)->p_filesz - 1;
	zassert_equal(parse_copy(), -ENOEXEC, "p_filesz > p_memsz");
}

ZTEST(elf, test_bad_segments)
{
	copy_program("/bin/hello");
	load_phdr(0)->p_flags |= PF_W;
	zassert_equal(parse_copy(), -ENOEXEC, "W+X text");

	copy_program("/bin/hello");
	load_phdr(2)->p_flags |= PF_X;
	zassert_equal(parse_copy(), -ENOEXEC, "W+X data");

	copy_program("/bin/hello");
	load_phdr(2)->p_vaddr += 0xffffffc000000000ULL;
	zassert_equal(parse_copy(), -ENOEXEC, "data in the kernel half");

	copy_program("/bin/hello");
	load_phdr(2)->p_vaddr = ELF_USER_TOP - ELF_PAGE_SIZE;
	load_phdr(2)->p_memsz = 2 * ELF_PAGE_SIZE;
	zassert_equal(parse_copy(), -ENOEXEC, "data across the top of user space");

	copy_program("/bin/hello");
	load_phdr(2)->p_memsz = ~0ULL;
	zassert_equal(parse_copy(), -ENOEXEC, "size that wraps");

	copy_program("/bin/hello");
	load_phdr(0)->p_vaddr = 0;
	zassert_equal(parse_copy(), -ENOEXEC, "text in page 0");

	copy_program("/bin/hello");
	load_phdr(1)->p_vaddr = load_phdr(0)->p_vaddr;
	zassert_equal(parse_copy(), -ENOEXEC, "rodata over text");

	copy_program("/bin/hello");
	load_phdr(2)->p_vaddr += 8;
	zassert_equal(parse_copy(), -ENOEXEC, "vaddr and offset not congruent");

	copy_program("/bin/hello");
	other_phdr()->p_type = PT_INTERP;
	zassert_equal(parse_copy(), -ENOEXEC, "a dynamic executable");
}
