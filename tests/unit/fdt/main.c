/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host test of lib/os/fdt.c. Builds DTBs token by token (a tree like QEMU virt's: two
 * memory banks, three cpus of which one disabled and one without an MMU, a UART named by
 * an alias in stdout-path), checks every query against what was built, then breaks the blob
 * in each way the reader must catch and, last, flips random bytes of a good blob 100,000
 * times: the reader must answer (0 or -EINVAL) without reading outside the blob, which
 * test_unit.py checks by building this with AddressSanitizer. Prints what it checked and
 * exits 0, or names the first failure and exits 1.
 */
#include <inox/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inox/sys/fdt.h>

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL line %d: %s\n", __LINE__, #cond);                             \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* A DTB under construction: structure and strings blocks. */
struct dtb {
	uint8_t st[4096];
	size_t st_len;
	char str[1024];
	size_t str_len;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void tok(struct dtb *d, uint32_t t)
{
	put32(d->st + d->st_len, t);
	d->st_len += 4;
}

static void begin(struct dtb *d, const char *name)
{
	size_t n = strlen(name) + 1;

	tok(d, 1);
	memset(d->st + d->st_len, 0, (n + 3) & ~3UL);
	memcpy(d->st + d->st_len, name, n);
	d->st_len += (n + 3) & ~3UL;
}

static void prop(struct dtb *d, const char *name, const void *val, uint32_t len)
{
	uint32_t off = 0;

	while (off < d->str_len && strcmp(d->str + off, name) != 0) {
		off += strlen(d->str + off) + 1;
	}
	if (off >= d->str_len) {
		strcpy(d->str + d->str_len, name);
		d->str_len += strlen(name) + 1;
	}
	tok(d, 3);
	tok(d, len);
	tok(d, off);
	memset(d->st + d->st_len, 0, (len + 3) & ~3U);
	memcpy(d->st + d->st_len, val, len);
	d->st_len += (len + 3) & ~3U;
}

static void prop_str(struct dtb *d, const char *name, const char *s)
{
	prop(d, name, s, strlen(s) + 1);
}

static void prop_cells(struct dtb *d, const char *name, const uint32_t *c, int n)
{
	uint8_t buf[64];

	for (int i = 0; i < n; i++) {
		put32(buf + 4 * i, c[i]);
	}
	prop(d, name, buf, 4 * n);
}

/* Header + structure + strings into out; returns the total size. */
static size_t finish(struct dtb *d, uint8_t *out)
{
	size_t off_st = 40 + 16; /* header, then an empty reservation map */
	size_t off_str = off_st + d->st_len;
	size_t total = off_str + d->str_len;

	memset(out, 0, total);
	put32(out, SYS_FDT_MAGIC);
	put32(out + 4, total);
	put32(out + 8, off_st);
	put32(out + 12, off_str);
	put32(out + 16, 40);
	put32(out + 20, 17);
	put32(out + 24, 16);
	put32(out + 32, d->str_len);
	put32(out + 36, d->st_len);
	memcpy(out + off_st, d->st, d->st_len);
	memcpy(out + off_str, d->str, d->str_len);
	return total;
}

static void cpu(struct dtb *d, const char *name, const char *status, int mmu)
{
	begin(d, name);
	prop_str(d, "device_type", "cpu");
	if (status != NULL) {
		prop_str(d, "status", status);
	}
	if (mmu) {
		prop_str(d, "mmu-type", "riscv,sv39");
	}
	tok(d, 2);
}

/* The good tree; stdout is "serial0:115200n8" (an alias) or a path. */
static size_t good(uint8_t *out, const char *stdout_path)
{
	static struct dtb d;
	static const uint32_t two[] = {2}, one[] = {1};
	static const uint32_t mem0[] = {0, 0x80000000, 0, 0x20000000};
	static const uint32_t mem1[] = {0x1, 0x00000000, 0, 0x10000000, 0, 0, 0, 0};
	static const uint32_t uart[] = {0, 0x10000000, 0, 0x100};

	memset(&d, 0, sizeof(d));
	begin(&d, "");
	prop_cells(&d, "#address-cells", two, 1);
	prop_cells(&d, "#size-cells", two, 1);
	prop_str(&d, "compatible", "riscv-virtio");
	begin(&d, "chosen");
	prop_str(&d, "stdout-path", stdout_path);
	tok(&d, 2);
	begin(&d, "aliases");
	prop_str(&d, "serial0", "/soc/serial@10000000");
	tok(&d, 2);
	begin(&d, "memory@80000000");
	prop_str(&d, "device_type", "memory");
	prop_cells(&d, "reg", mem0, 4);
	tok(&d, 2);
	begin(&d, "memory@100000000");
	prop_str(&d, "device_type", "memory");
	prop_cells(&d, "reg", mem1, 8); /* second entry has size 0: skipped */
	tok(&d, 2);
	begin(&d, "cpus");
	prop_cells(&d, "#address-cells", one, 1);
	prop_cells(&d, "#size-cells", (const uint32_t[]){0}, 1);
	cpu(&d, "cpu@0", NULL, 1);
	cpu(&d, "cpu@1", "okay", 1);
	cpu(&d, "cpu@2", "disabled", 1);
	cpu(&d, "cpu@3", "okay", 0);
	tok(&d, 2);
	begin(&d, "soc");
	prop_cells(&d, "#address-cells", two, 1);
	prop_cells(&d, "#size-cells", two, 1);
	begin(&d, "serial@10000000");
	prop_cells(&d, "reg", uart, 4);
	tok(&d, 2);
	tok(&d, 2);
	tok(&d, 4); /* a NOP between nodes */
	tok(&d, 2);
	tok(&d, 9);
	return finish(&d, out);
}

static void test_queries(void)
{
	static uint8_t blob[8192];
	size_t n = good(blob, "serial0:115200n8");
	struct sys_fdt_range r[4];
	const char *why = NULL;
	uint64_t addr = 0;

	CHECK(sys_fdt_check(blob, n, &why) == 0);
	CHECK(sys_fdt_check(blob, n - 1, &why) == -EINVAL); /* totalsize past what we have */
	CHECK(sys_fdt_size(blob) == n);
	CHECK(sys_fdt_memory(blob, r, 4) == 2);
	CHECK(r[0].base == 0x80000000 && r[0].size == 0x20000000);
	CHECK(r[1].base == 0x100000000ULL && r[1].size == 0x10000000);
	CHECK(sys_fdt_memory(blob, r, 1) == 2); /* count beyond max still reported */
	CHECK(sys_fdt_num_cpus(blob) == 2);
	CHECK(sys_fdt_stdout_addr(blob, &addr) == 0 && addr == 0x10000000);
	n = good(blob, "/soc/serial@10000000");
	CHECK(sys_fdt_stdout_addr(blob, &addr) == 0 && addr == 0x10000000);
	n = good(blob, "/soc/serial");
	CHECK(sys_fdt_stdout_addr(blob, &addr) == 0 && addr == 0x10000000);
	n = good(blob, "/soc/uart@10000000");
	CHECK(sys_fdt_stdout_addr(blob, &addr) == -ENOENT);
	n = good(blob, "serial9");
	CHECK(sys_fdt_stdout_addr(blob, &addr) == -ENOENT);
	n = good(blob, "/soc");
	CHECK(sys_fdt_stdout_addr(blob, &addr) == -ENOENT); /* soc has no reg */
	printf("fdt: queries on a good tree passed\n");
}

/* The blob must be refused for reason. */
static void expect_bad(const uint8_t *b, size_t n, const char *reason, int line)
{
	const char *why = NULL;

	if (sys_fdt_check(b, n, &why) != -EINVAL || why == NULL || strcmp(why, reason) != 0) {
		printf("FAIL line %d: expected '%s', got '%s'\n", line, reason,
		       why ? why : "(none)");
		failures++;
	}
}

/* Each corruption at a known place must be caught, with its reason. */
static void test_malformed(void)
{
	static uint8_t good_blob[8192], b[8192];
	size_t n = good(good_blob, "serial0");
	uint32_t off_st = 56;
	const char *why;
	struct {
		size_t at;
		uint32_t val;
		const char *reason;
	} cases[] = {
		{0, 0xd00dfeee, "bad magic"},
		{4, 39, "totalsize out of range"},
		{4, 0x7fffffff, "totalsize out of range"},
		{8, 57, "blocks outside totalsize"}, /* misaligned structure block */
		{36, 0x10000, "blocks outside totalsize"}, /* structure past the end */
		{32, 0x10000, "blocks outside totalsize"}, /* strings past the end */
		{20, 15, "unsupported version"},
		{off_st, 7, "unknown token"},
		{off_st, 3, "property outside any node"},
		{off_st + 4, 0x61000000, "root node has a name"},
		{36, 8, "structure block ends without FDT_END"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(b, good_blob, n);
		put32(b + cases[i].at, cases[i].val);
		expect_bad(b, n, cases[i].reason, __LINE__);
	}
	CHECK(sys_fdt_check(NULL, 100, &why) == -EINVAL);
	CHECK(sys_fdt_check(good_blob, 10, &why) == -EINVAL);

	/* A property after a subnode, and a property name past the strings block. */
	{
		static struct dtb d;

		memset(&d, 0, sizeof(d));
		begin(&d, "");
		begin(&d, "a");
		tok(&d, 2);
		prop_str(&d, "late", "x");
		tok(&d, 2);
		tok(&d, 9);
		n = finish(&d, b);
		expect_bad(b, n, "property after a subnode", __LINE__);
		memset(&d, 0, sizeof(d));
		begin(&d, "");
		prop_str(&d, "p", "x");
		tok(&d, 2);
		tok(&d, 9);
		n = finish(&d, b);
		put32(b + 56 + 8 + 8, 1000); /* BEGIN_NODE "", PROP, len: nameoff */
		expect_bad(b, n, "property name outside the strings block", __LINE__);
		memset(&d, 0, sizeof(d));
		begin(&d, "");
		for (int i = 0; i < 20; i++) {
			begin(&d, "n");
		}
		for (int i = 0; i < 21; i++) {
			tok(&d, 2);
		}
		tok(&d, 9);
		n = finish(&d, b);
		expect_bad(b, n, "nodes nested too deeply", __LINE__);
		memset(&d, 0, sizeof(d));
		begin(&d, "");
		tok(&d, 9);
		n = finish(&d, b);
		expect_bad(b, n, "FDT_END inside a node", __LINE__);
	}
	printf("fdt: every malformed blob rejected with its reason\n");
}

static void test_fuzz(void)
{
	static uint8_t good_blob[8192];
	size_t n = good(good_blob, "serial0");
	unsigned long accepted = 0;

	srand(12345);
	for (int i = 0; i < 100000; i++) {
		/* Exactly n bytes on the heap, so ASan sees any read past them. */
		uint8_t *b = malloc(n);
		struct sys_fdt_range r[4];
		uint64_t addr;
		int flips = 1 + rand() % 4;

		memcpy(b, good_blob, n);
		for (int f = 0; f < flips; f++) {
			b[rand() % n] ^= 1 << (rand() % 8);
		}
		if (sys_fdt_check(b, n, NULL) == 0) {
			accepted++;
			(void)sys_fdt_memory(b, r, 4);
			(void)sys_fdt_num_cpus(b);
			(void)sys_fdt_stdout_addr(b, &addr);
		}
		free(b);
	}
	printf("fdt: 100000 corrupted blobs, %lu still well-formed and queried\n", accepted);
}

int main(void)
{
	test_queries();
	test_malformed();
	test_fuzz();
	if (failures != 0) {
		printf("fdt: %d FAILURES\n", failures);
		return 1;
	}
	printf("fdt: all passed\n");
	return 0;
}
