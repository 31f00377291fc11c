/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Flattened devicetree reader: see include/inox/sys/fdt.h. One walker goes through the
 * structure block checking every token; the queries are visitors of it. Properties of a
 * node come before its subnodes (spec 5.4.2), which the walker enforces, so a visitor has
 * seen all of a node's properties when its first child or its end arrives.
 */
#include <inox/errno.h>
#include <stdbool.h>
#include <string.h>
#include <inox/sys/fdt.h>

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

#define HDR_SIZE  40
#define MAX_DEPTH 16

/* Length of s up to its first c or its end (the kernel's libc has no strcspn). */
static size_t until(const char *s, char c)
{
	size_t n = 0;

	while (s[n] != '\0' && s[n] != c) {
		n++;
	}
	return n;
}

/* True if c occurs in s[0..n). */
static bool has(const char *s, size_t n, char c)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == c) {
			return true;
		}
	}
	return false;
}

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Reads a number of 1 or 2 cells; false for other cell counts. */
static bool cells(const uint8_t *p, uint32_t n, uint64_t *out)
{
	if (n == 1) {
		*out = be32(p);
	} else if (n == 2) {
		*out = ((uint64_t)be32(p) << 32) | be32(p + 4);
	} else {
		return false;
	}
	return true;
}

struct walker {
	void (*begin)(struct walker *w, int depth, const char *name);
	void (*prop)(struct walker *w, int depth, const char *name, const uint8_t *val,
		     uint32_t len);
	void (*end)(struct walker *w, int depth);
	/* #address-cells / #size-cells that apply to the reg of a node at depth d. */
	uint32_t addr_cells[MAX_DEPTH + 1];
	uint32_t size_cells[MAX_DEPTH + 1];
	bool stop;
};

/* Length of the NUL-terminated string at p within [p, end), or -1 if it is not. */
static long str_len(const uint8_t *p, const uint8_t *end)
{
	for (const uint8_t *q = p; q < end; q++) {
		if (*q == '\0') {
			return q - p;
		}
	}
	return -1;
}

/*
 * Walks the structure block, calling w's visitors (any may be NULL). Returns 0, or -EINVAL
 * with *why set at the first malformed token. Checks the header too, so the visitors of a
 * query never see a malformed blob.
 */
static int walk(const void *blob, size_t max_size, struct walker *w, const char **why)
{
	const uint8_t *b = blob;
	uint32_t total, off_struct, size_struct, off_strings, size_strings;
	const uint8_t *p, *end, *strings;
	int depth = -1;
	bool saw_child[MAX_DEPTH + 1];

#define FAIL(msg)                                                                                  \
	do {                                                                                       \
		if (why != NULL) {                                                                 \
			*why = (msg);                                                              \
		}                                                                                  \
		return -EINVAL;                                                                    \
	} while (0)

	if (b == NULL || max_size < HDR_SIZE) {
		FAIL("no room for a header");
	}
	if (be32(b) != SYS_FDT_MAGIC) {
		FAIL("bad magic");
	}
	total = be32(b + 4);
	off_struct = be32(b + 8);
	off_strings = be32(b + 12);
	size_strings = be32(b + 32);
	size_struct = be32(b + 36);
	if (total < HDR_SIZE || total > max_size) {
		FAIL("totalsize out of range");
	}
	if (be32(b + 20) < 16 || be32(b + 24) > 17) {
		FAIL("unsupported version");
	}
	if (off_struct % 4 != 0 || off_struct < HDR_SIZE || off_struct > total ||
	    size_struct > total - off_struct || off_strings < HDR_SIZE || off_strings > total ||
	    size_strings > total - off_strings) {
		FAIL("blocks outside totalsize");
	}
	p = b + off_struct;
	end = p + size_struct;
	strings = b + off_strings;
	w->addr_cells[0] = 2;
	w->size_cells[0] = 1;
	for (;;) {
		uint32_t tok;

		if (end - p < 4) {
			FAIL("structure block ends without FDT_END");
		}
		tok = be32(p);
		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			long n = str_len(p, end);

			if (n < 0) {
				FAIL("unterminated node name");
			}
			if (depth >= 0) {
				saw_child[depth] = true;
			} else if (n != 0) {
				FAIL("root node has a name");
			}
			if (++depth > MAX_DEPTH) {
				FAIL("nodes nested too deeply");
			}
			if (depth < MAX_DEPTH) {
				/* Children default to the spec's 2 and 1 until the node says. */
				w->addr_cells[depth + 1] = 2;
				w->size_cells[depth + 1] = 1;
			}
			saw_child[depth] = false;
			if (w->begin != NULL && !w->stop) {
				w->begin(w, depth, (const char *)p);
			}
			p += (n + 1 + 3) & ~3L;
			break;
		}
		case FDT_END_NODE:
			if (depth < 0) {
				FAIL("FDT_END_NODE without a node");
			}
			if (w->end != NULL && !w->stop) {
				w->end(w, depth);
			}
			depth--;
			break;
		case FDT_PROP: {
			uint32_t len, nameoff;
			const char *name;

			if (depth < 0) {
				FAIL("property outside any node");
			}
			if (saw_child[depth]) {
				FAIL("property after a subnode");
			}
			if (end - p < 8) {
				FAIL("truncated property");
			}
			len = be32(p);
			nameoff = be32(p + 4);
			p += 8;
			if (len > (uint32_t)(end - p)) {
				FAIL("property value past the structure block");
			}
			if (nameoff >= size_strings ||
			    str_len(strings + nameoff, strings + size_strings) < 0) {
				FAIL("property name outside the strings block");
			}
			name = (const char *)strings + nameoff;
			if (depth < MAX_DEPTH && len == 4 && strcmp(name, "#address-cells") == 0) {
				w->addr_cells[depth + 1] = be32(p);
			} else if (depth < MAX_DEPTH && len == 4 &&
				   strcmp(name, "#size-cells") == 0) {
				w->size_cells[depth + 1] = be32(p);
			}
			if (w->prop != NULL && !w->stop) {
				w->prop(w, depth, name, p, len);
			}
			p += (len + 3) & ~3U;
			if (p > end) {
				FAIL("property padding past the structure block");
			}
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth != -1) {
				FAIL("FDT_END inside a node");
			}
			return 0;
		default:
			FAIL("unknown token");
		}
	}
#undef FAIL
}

int sys_fdt_check(const void *blob, size_t max_size, const char **why)
{
	struct walker w = {0};

	return walk(blob, max_size, &w, why);
}

uint32_t sys_fdt_size(const void *blob)
{
	return be32((const uint8_t *)blob + 4);
}

static bool prop_is(const uint8_t *val, uint32_t len, const char *s)
{
	size_t n = strlen(s);

	return len == n + 1 && memcmp(val, s, n + 1) == 0;
}

/* Memory: the reg of depth-1 nodes with device_type "memory". */
struct mem_walker {
	struct walker w;
	const uint8_t *reg;
	uint32_t reg_len;
	bool is_memory;
	struct sys_fdt_range *ranges;
	int max;
	int count;
	bool bad;
};

static void mem_begin(struct walker *w, int depth, const char *name)
{
	struct mem_walker *m = (struct mem_walker *)w;

	(void)name;
	if (depth == 1) {
		m->reg = NULL;
		m->is_memory = false;
	}
}

static void mem_prop(struct walker *w, int depth, const char *name, const uint8_t *val,
		     uint32_t len)
{
	struct mem_walker *m = (struct mem_walker *)w;

	if (depth != 1) {
		return;
	}
	if (strcmp(name, "device_type") == 0) {
		m->is_memory = prop_is(val, len, "memory");
	} else if (strcmp(name, "reg") == 0) {
		m->reg = val;
		m->reg_len = len;
	}
}

static void mem_end(struct walker *w, int depth)
{
	struct mem_walker *m = (struct mem_walker *)w;
	uint32_t ac = w->addr_cells[1], sc = w->size_cells[1];
	uint32_t entry = (ac + sc) * 4;

	if (depth != 1 || !m->is_memory || m->reg == NULL) {
		return;
	}
	if (entry == 0 || m->reg_len % entry != 0) {
		m->bad = true;
		return;
	}
	for (uint32_t off = 0; off < m->reg_len; off += entry) {
		struct sys_fdt_range r;

		if (!cells(m->reg + off, ac, &r.base) ||
		    !cells(m->reg + off + ac * 4, sc, &r.size)) {
			m->bad = true;
			return;
		}
		if (r.size == 0) {
			continue;
		}
		if (m->count < m->max) {
			m->ranges[m->count] = r;
		}
		m->count++;
	}
}

int sys_fdt_memory(const void *blob, struct sys_fdt_range *ranges, int max)
{
	struct mem_walker m = {
		.w = {.begin = mem_begin, .prop = mem_prop, .end = mem_end},
		.ranges = ranges,
		.max = max,
	};

	if (walk(blob, sys_fdt_size(blob), &m.w, NULL) != 0 || m.bad) {
		return -EINVAL;
	}
	return m.count;
}

/* Cpus: depth-2 children of the depth-1 node "cpus". */
struct cpu_walker {
	struct walker w;
	bool in_cpus;
	bool is_cpu, okay, has_mmu;
	int count;
};

static void cpu_begin(struct walker *w, int depth, const char *name)
{
	struct cpu_walker *c = (struct cpu_walker *)w;

	if (depth == 1) {
		c->in_cpus = strcmp(name, "cpus") == 0;
	} else if (depth == 2) {
		c->is_cpu = false;
		c->okay = true;
		c->has_mmu = false;
	}
}

static void cpu_prop(struct walker *w, int depth, const char *name, const uint8_t *val,
		     uint32_t len)
{
	struct cpu_walker *c = (struct cpu_walker *)w;

	if (depth != 2 || !c->in_cpus) {
		return;
	}
	if (strcmp(name, "device_type") == 0) {
		c->is_cpu = prop_is(val, len, "cpu");
	} else if (strcmp(name, "status") == 0) {
		c->okay = prop_is(val, len, "okay") || prop_is(val, len, "ok");
	} else if (strcmp(name, "mmu-type") == 0) {
		c->has_mmu = true;
	}
}

static void cpu_end(struct walker *w, int depth)
{
	struct cpu_walker *c = (struct cpu_walker *)w;

	if (depth == 2 && c->in_cpus && c->is_cpu && c->okay && c->has_mmu) {
		c->count++;
	} else if (depth == 1) {
		c->in_cpus = false;
	}
}

int sys_fdt_num_cpus(const void *blob)
{
	struct cpu_walker c = {.w = {.begin = cpu_begin, .prop = cpu_prop, .end = cpu_end}};

	if (walk(blob, sys_fdt_size(blob), &c.w, NULL) != 0) {
		return -EINVAL;
	}
	return c.count;
}

/* A property of a node given by its depth-1 name: /chosen/stdout-path, /aliases/NAME. */
struct find_prop {
	struct walker w;
	const char *node;
	const char *name;
	size_t name_len;
	bool in_node;
	const uint8_t *val;
	uint32_t len;
};

static void fp_begin(struct walker *w, int depth, const char *name)
{
	struct find_prop *f = (struct find_prop *)w;

	if (depth == 1) {
		f->in_node = strcmp(name, f->node) == 0;
	}
}

static void fp_prop(struct walker *w, int depth, const char *name, const uint8_t *val, uint32_t len)
{
	struct find_prop *f = (struct find_prop *)w;

	if (depth == 1 && f->in_node && strlen(name) == f->name_len &&
	    memcmp(name, f->name, f->name_len) == 0 && len > 0 && val[len - 1] == '\0') {
		f->val = val;
		f->len = len;
		w->stop = true;
	}
}

static const char *find_string(const void *blob, const char *node, const char *name,
			       size_t name_len)
{
	struct find_prop f = {
		.w = {.begin = fp_begin, .prop = fp_prop},
		.node = node,
		.name = name,
		.name_len = name_len,
	};

	if (walk(blob, sys_fdt_size(blob), &f.w, NULL) != 0) {
		return NULL;
	}
	return (const char *)f.val;
}

/* The reg address of the node at an absolute path. */
struct path_walker {
	struct walker w;
	const char *path;
	/* How many bytes of path the nodes at depth 0..d matched, or -1 if they did not. */
	long matched[MAX_DEPTH + 1];
	int target_depth;
	bool found;
	uint64_t addr;
};

static void pw_begin(struct walker *w, int depth, const char *name)
{
	struct path_walker *pw = (struct path_walker *)w;
	const char *comp;
	size_t clen, nlen = strlen(name);

	if (depth == 0) {
		pw->matched[0] = 0;
		return;
	}
	pw->matched[depth] = -1;
	if (pw->matched[depth - 1] < 0 || depth > pw->target_depth) {
		return;
	}
	comp = pw->path + pw->matched[depth - 1];
	if (*comp != '/') {
		return;
	}
	comp++;
	clen = until(comp, '/');
	/* A component without a unit address matches the node name before its '@'. */
	if ((clen == nlen && memcmp(comp, name, clen) == 0) ||
	    (!has(comp, clen, '@') && clen < nlen && name[clen] == '@' &&
	     memcmp(comp, name, clen) == 0)) {
		pw->matched[depth] = comp + clen - pw->path;
	}
}

static void pw_prop(struct walker *w, int depth, const char *name, const uint8_t *val, uint32_t len)
{
	struct path_walker *pw = (struct path_walker *)w;
	uint32_t ac = w->addr_cells[depth];

	if (depth == pw->target_depth && pw->matched[depth] >= 0 &&
	    pw->path[pw->matched[depth]] == '\0' && strcmp(name, "reg") == 0 && len >= ac * 4 &&
	    cells(val, ac, &pw->addr)) {
		pw->found = true;
		w->stop = true;
	}
}

int sys_fdt_stdout_addr(const void *blob, uint64_t *addr)
{
	char path[128];
	const char *sp = find_string(blob, "chosen", "stdout-path", sizeof("stdout-path") - 1);
	struct path_walker pw = {.w = {.begin = pw_begin, .prop = pw_prop}, .path = path};
	size_t n;

	if (sp == NULL) {
		return -ENOENT;
	}
	n = until(sp, ':');
	if (sp[0] != '/') {
		sp = find_string(blob, "aliases", sp, n);
		if (sp == NULL || sp[0] != '/') {
			return -ENOENT;
		}
		n = until(sp, ':');
	}
	if (n >= sizeof(path)) {
		return -ENOENT;
	}
	memcpy(path, sp, n);
	path[n] = '\0';
	pw.target_depth = 0;
	for (const char *q = path; *q != '\0'; q++) {
		pw.target_depth += *q == '/';
	}
	if (pw.target_depth == 0 || pw.target_depth > MAX_DEPTH || path[n - 1] == '/') {
		return -ENOENT;
	}
	if (walk(blob, sys_fdt_size(blob), &pw.w, NULL) != 0 || !pw.found) {
		return -ENOENT;
	}
	*addr = pw.addr;
	return 0;
}
