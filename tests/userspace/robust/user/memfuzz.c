/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Model-based memory fuzzer. From a seed (printed; -s SEED replays a run), a process performs
 * random mmap (private and shared, every protection, one page to several MiB across 2 MiB
 * chunks, hints and MAP_FIXED inside existing mappings), munmap (whole, partial, spanning
 * mappings and holes), mprotect (of the heap too), brk up and down, stores, pipe write()
 * from and read() into every kind of page (mmap, heap, stack, bss, text, rodata, unmapped),
 * fork (to depth 3: the children do the same and end with a status their parent checks; on
 * a COW kernel one fork in eight copies, through inox_fork_mode()), exec of a checker that
 * verifies the new image starts clean, and exit; and calls that must fail, with the errno
 * each must fail with, after which nothing may have changed.
 *
 * The model: every page the fuzzer owns holds a generation (0: zero-filled), and word i of a
 * page of generation g is g * GEN_MUL + i * WORD_STEP, so that storing and checking a page is
 * a loop of adds. Every readable page is checked word by word every CHECK_EVERY steps, after
 * every child (shared ones all, private ones a few), and at the end of every process (its
 * unreadable pages made readable first).
 * A child's stores to shared pages it inherited are reported to its parent through a pipe
 * when it ends, and the parent's model takes them: they must show there, and its private
 * stores must not. While a child runs, its parent goes on with what cannot race with it
 * (private memory only). Stores and loads that must fault run in a child that must die of
 * SIGSEGV. At the end every child is reaped and the free pages are back where they started.
 *
 * Arguments (CONFIG_INIT_ARGS): -s SEED, -n STEPS of the first process, -r RUNS (seeds SEED,
 * SEED + 1, ...), -v to print every operation (to find the step a failure needs).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <inox/check.h>
#include <inox/syscall_list.h>

#define PAGE        4096UL
#define WORDS       (PAGE / sizeof(uint64_t))
#define MMAP_BASE   0x2000000000UL /* USER_MMAP_BASE: see doc/mm.md, Layout */
#define USER_TOP    0x4000000000UL
#define MAX_DEPTH   3
#define MAX_AREAS   64
#define LIVE_MAX    2048 /* mmap pages a process holds at most (8 MiB) */
#define GEN_SLOTS   (2 * LIVE_MAX)
#define HEAP_PAGES  1024 /* how far the break goes: 4 MiB, across a 2 MiB chunk */
#define STACK_PAGES 4
#define BSS_PAGES   4
#define DEAD_RANGES 8
#define PROBES      8
#define CHECK_EVERY 25
#define PIPE_CHUNK  256 /* a read of a page goes in pieces this large (no partial pages) */
#define CLEAN_PATH  "/bin/memfuzz-clean"

#define GEN_MUL   0x9e3779b97f4a7c15ULL /* odd: a page's word 0 gives its generation back */
#define WORD_STEP 0xd6e8feb86659fd93ULL

#ifndef MEMFUZZ_SEED
#define MEMFUZZ_SEED 0x6d66757a7aULL
#endif

/* A run of mmap pages with one protection, as the model expects the kernel to have it. */
struct area {
	uintptr_t start;
	size_t npages;
	int prot; /* PROT_*, PROT_WRITE always with PROT_READ */
	uint32_t obj; /* the shared mapping (its id), or 0 for private memory */
	uint32_t objpage; /* index in obj of the first page */
	uint32_t *gen; /* npages generations, in gens[] */
};

enum kind {
	K_NONE, /* nothing of the fuzzer's: unmapped, as far as the model knows */
	K_MMAP,
	K_HEAP,
	K_STACK,
	K_BSS,
	K_TEXT,
	K_RODATA,
};

/* What the model says of a page. */
struct where {
	enum kind kind;
	int prot;
	uint32_t *gen; /* NULL for text and rodata (compared with their first contents) */
	uint32_t obj;
	uint32_t objpage;
};

/* A store to a page of a shared mapping inherited from the parent, to report to it. */
struct shared_store {
	uint32_t obj;
	uint32_t page;
	uint32_t gen;
};

enum stat {
	ST_PROCS,
	ST_OPS,
	ST_MMAP,
	ST_MUNMAP,
	ST_MPROTECT,
	ST_BRK,
	ST_STORE,
	ST_PIPE,
	ST_FORK,
	ST_FAULT,
	ST_EXEC,
	ST_REFUSED,
	ST_PAGES_CHECKED,
	NSTATS
};

/* What a child sends its parent when it ends: the stats of its subtree, then n stores. */
struct report {
	uint64_t stats[NSTATS];
	uint32_t n;
	uint32_t magic;
};

#define REPORT_MAGIC 0x6d667a72

static uint64_t seed = MEMFUZZ_SEED;
static long root_steps = 300;
static bool verbose;

static uint64_t rng_state;
static struct area areas[MAX_AREAS];
static int nareas;
static uint32_t gens[GEN_SLOTS];
static size_t gens_used;
static uintptr_t heap_start;
static uintptr_t cur_brk;
static uint32_t heap_gen[HEAP_PAGES];
static uint8_t heap_prot[HEAP_PAGES]; /* the heap region's, split by mprotect() */
static uintptr_t stack_base;
static uint32_t stack_gen[STACK_PAGES];
static uint64_t bss_area[BSS_PAGES * WORDS] __attribute__((aligned(4096)));
static uint32_t bss_gen[BSS_PAGES];
static const uint64_t ro_page[WORDS] __attribute__((aligned(4096))) = {0x726f64617461ULL};
static uintptr_t text_page;
static uint8_t text_copy[PAGE];
static uint8_t scratch[2 * PAGE];
static struct {
	uintptr_t start, end;
} dead[DEAD_RANGES];
static unsigned int ndead;

static int depth;
static int up_fd = -1; /* the report pipe to the parent, in a child */
static uint32_t next_obj = 1;
static uint32_t inherited_below = 1; /* shared mappings below this id are the parent's too */
static struct shared_store slog[LIVE_MAX];
static int slog_len;
static uint64_t stats[NSTATS];
static bool quiet_shared; /* a child runs: leave shared pages alone */
static bool leave; /* this process stops at the next step */
static char lineage[64] = "0";
static long step_now;

static uint64_t rng(void)
{
	return xorshift64s(&rng_state);
}

static uint64_t rnd(uint64_t n)
{
	return n ? rng() % n : 0;
}

static uint32_t new_gen(void)
{
	uint32_t g;

	do {
		g = (uint32_t)(rng() >> 32);
	} while (g == 0);
	return g;
}

static uintptr_t round_up(uintptr_t v)
{
	return (v + PAGE - 1) & ~(PAGE - 1);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL memfuzz %s step %ld: ", lineage, step_now);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (++failures >= 20) {
		leave = true;
	}
}

static void trace(const char *fmt, ...)
{
	va_list ap;

	if (!verbose) {
		return;
	}
	printf("memfuzz %s step %ld: ", lineage, step_now);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* -- Pages -------------------------------------------------------------------------------- */

static void fill(uintptr_t va, uint32_t gen)
{
	uint64_t *p = (uint64_t *)va;
	uint64_t w = gen * GEN_MUL;

	for (size_t i = 0; i < WORDS; i++) {
		p[i] = w;
		w += WORD_STEP;
	}
}

static uint64_t word_of(uint32_t gen, size_t i)
{
	return gen ? gen * GEN_MUL + i * WORD_STEP : 0;
}

/* The generation a word i holding w belongs to, if any (else -1). */
static long gen_of(uint64_t w, size_t i)
{
	uint64_t inv = GEN_MUL;
	uint64_t g;

	for (int k = 0; k < 5; k++) {
		inv *= 2 - GEN_MUL * inv;
	}
	g = (w - i * WORD_STEP) * inv;
	return w == 0 ? 0 : g <= UINT32_MAX ? (long)g : -1;
}

static const char *const kind_names[] = {
	"unmapped", "mmap", "heap", "stack", "bss", "text", "rodata",
};

static bool can_read(int prot)
{
	return (prot & (PROT_READ | PROT_WRITE)) != 0;
}

static bool can_write(int prot)
{
	return (prot & PROT_WRITE) != 0;
}

static struct where lookup(uintptr_t va)
{
	va &= ~(PAGE - 1);
	for (int i = 0; i < nareas; i++) {
		struct area *a = &areas[i];

		if (va >= a->start && va < a->start + a->npages * PAGE) {
			size_t k = (va - a->start) / PAGE;

			return (struct where){K_MMAP, a->prot, &a->gen[k], a->obj,
					      a->obj ? a->objpage + (uint32_t)k : 0};
		}
	}
	if (va >= heap_start && va < heap_start + HEAP_PAGES * PAGE) {
		size_t k = (va - heap_start) / PAGE;

		return (struct where){K_HEAP, va < round_up(cur_brk) ? heap_prot[k] : 0,
				      &heap_gen[k], 0, 0};
	}
	if (va >= stack_base && va < stack_base + STACK_PAGES * PAGE) {
		return (struct where){K_STACK, PROT_READ | PROT_WRITE,
				      &stack_gen[(va - stack_base) / PAGE], 0, 0};
	}
	if (va >= (uintptr_t)bss_area && va < (uintptr_t)bss_area + BSS_PAGES * PAGE) {
		return (struct where){K_BSS, PROT_READ | PROT_WRITE,
				      &bss_gen[(va - (uintptr_t)bss_area) / PAGE], 0, 0};
	}
	if (va == text_page) {
		return (struct where){K_TEXT, PROT_READ | PROT_EXEC, NULL, 0, 0};
	}
	if (va == (uintptr_t)ro_page) {
		return (struct where){K_RODATA, PROT_READ, NULL, 0, 0};
	}
	return (struct where){K_NONE, 0, NULL, 0, 0};
}

/* Whether the process may touch the page now: not a shared one while a child runs. */
static bool usable(const struct where *w)
{
	return !(quiet_shared && w->obj != 0);
}

/* Word i of a page as the model has it (the page must be readable). */
static uint64_t model_word(const struct where *w, size_t i)
{
	if (w->kind == K_TEXT) {
		return ((const uint64_t *)text_copy)[i];
	}
	if (w->kind == K_RODATA) {
		return i == 0 ? 0x726f64617461ULL : 0;
	}
	return word_of(*w->gen, i);
}

/* Checks readable page va word by word against the model; one failure per bad page. */
static void check_page(uintptr_t va, const struct where *w)
{
	const volatile uint64_t *p = (const uint64_t *)va;

	if (!can_read(w->prot) || !usable(w)) {
		return;
	}
	stats[ST_PAGES_CHECKED]++;
	if (w->gen != NULL) {
		uint32_t gen = *w->gen;
		uint64_t want = gen * GEN_MUL;
		uint64_t step = gen ? WORD_STEP : 0;

		for (size_t i = 0; i < WORDS; i++, want += step) {
			if (p[i] != want) {
				long had = gen_of(p[i], i);
				char from[32] = "no generation";

				if (had >= 0) {
					snprintf(from, sizeof(from), "generation 0x%lx", had);
				}
				fail("%s page 0x%lx (prot %d%s) word %u: 0x%llx, expected 0x%llx of "
				     "generation 0x%x (the word is of %s)",
				     kind_names[w->kind], (unsigned long)va, w->prot,
				     w->obj ? ", shared" : "", (unsigned int)i,
				     (unsigned long long)p[i], (unsigned long long)want, gen, from);
				return;
			}
		}
		return;
	}
	for (size_t i = 0; i < WORDS; i++) {
		if (p[i] != model_word(w, i)) {
			fail("%s page 0x%lx word %u changed: 0x%llx, expected 0x%llx",
			     kind_names[w->kind], (unsigned long)va, (unsigned int)i,
			     (unsigned long long)p[i], (unsigned long long)model_word(w, i));
			return;
		}
	}
}

static void check_range(uintptr_t start, size_t npages)
{
	for (size_t k = 0; k < npages; k++) {
		struct where w = lookup(start + k * PAGE);

		check_page(start + k * PAGE, &w);
	}
}

/* Every readable page the fuzzer owns. */
static void check_all(void)
{
	for (int i = 0; i < nareas; i++) {
		check_range(areas[i].start, areas[i].npages);
	}
	check_range(heap_start, (round_up(cur_brk) - heap_start) / PAGE);
	check_range(stack_base, STACK_PAGES);
	check_range((uintptr_t)bss_area, BSS_PAGES);
	check_range(text_page, 1);
	check_range((uintptr_t)ro_page, 1);
}

/* Records a store of gen to a shared page: the parent must see it if it maps the object. */
static void note_shared(uint32_t obj, uint32_t page, uint32_t gen)
{
	if (obj == 0 || obj >= inherited_below) {
		return;
	}
	for (int i = slog_len - 1; i >= 0; i--) {
		if (slog[i].obj == obj && slog[i].page == page) {
			slog[i].gen = gen;
			return;
		}
	}
	if (slog_len == LIVE_MAX) {
		fail("more than %d shared pages stored to", LIVE_MAX);
		return;
	}
	slog[slog_len++] = (struct shared_store){obj, page, gen};
}

static void set_gen(const struct where *w, uint32_t gen)
{
	*w->gen = gen;
	note_shared(w->obj, w->objpage, gen);
}

/* -- The model's mappings ----------------------------------------------------------------- */

static size_t live_pages(void)
{
	size_t n = 0;

	for (int i = 0; i < nareas; i++) {
		n += areas[i].npages;
	}
	return n;
}

/* n zeroed generations; compacts the live ones first when the end of gens[] is reached. */
static uint32_t *gens_alloc(size_t n)
{
	uint32_t *out;

	if (gens_used + n > GEN_SLOTS) {
		uint32_t *low = gens;

		gens_used = 0;
		/* Move the areas' generations down in address order of their slots. */
		for (;;) {
			struct area *next = NULL;

			for (int i = 0; i < nareas; i++) {
				if (areas[i].gen >= low &&
				    (next == NULL || areas[i].gen < next->gen)) {
					next = &areas[i];
				}
			}
			if (next == NULL) {
				break;
			}
			memmove(&gens[gens_used], next->gen, next->npages * sizeof(uint32_t));
			low = next->gen + 1;
			next->gen = &gens[gens_used];
			gens_used += next->npages;
		}
	}
	out = &gens[gens_used];
	memset(out, 0, n * sizeof(uint32_t));
	gens_used += n;
	return out;
}

static void area_insert(const struct area *a)
{
	int i = 0;

	while (i < nareas && areas[i].start < a->start) {
		i++;
	}
	memmove(&areas[i + 1], &areas[i], (nareas - i) * sizeof(areas[0]));
	areas[i] = *a;
	nareas++;
}

static void area_remove(int i)
{
	memmove(&areas[i], &areas[i + 1], (nareas - i - 1) * sizeof(areas[0]));
	nareas--;
}

/* Splits the area holding va (page-aligned, strictly inside) in two. False if no slot. */
static bool split_at(uintptr_t va)
{
	for (int i = 0; i < nareas; i++) {
		struct area *a = &areas[i];
		size_t k = (va - a->start) / PAGE;
		struct area tail;

		if (va <= a->start || va >= a->start + a->npages * PAGE) {
			continue;
		}
		if (nareas == MAX_AREAS) {
			return false;
		}
		tail = *a;
		tail.start = va;
		tail.npages = a->npages - k;
		tail.gen = a->gen + k;
		tail.objpage = a->obj ? a->objpage + (uint32_t)k : 0;
		a->npages = k;
		area_insert(&tail);
		return true;
	}
	return true;
}

static void model_unmap(uintptr_t start, uintptr_t end)
{
	split_at(start);
	split_at(end);
	for (int i = 0; i < nareas;) {
		if (areas[i].start >= start && areas[i].start < end) {
			area_remove(i);
		} else {
			i++;
		}
	}
	dead[ndead % DEAD_RANGES].start = start;
	dead[ndead % DEAD_RANGES].end = end;
	ndead++;
}

/* Whether the areas cover every page of [start, end). */
static bool covered(uintptr_t start, uintptr_t end)
{
	uintptr_t va = start;

	for (int i = 0; i < nareas && va < end; i++) {
		if (areas[i].start + areas[i].npages * PAGE <= va) {
			continue;
		}
		if (areas[i].start > va) {
			return false;
		}
		va = areas[i].start + areas[i].npages * PAGE;
	}
	return va >= end;
}

/* -- Choosing pages ----------------------------------------------------------------------- */

/* A page of any kind: mostly the fuzzer's own, sometimes text, rodata or an unmapped one. */
static uintptr_t pick_page(void)
{
	switch (rnd(20)) {
	case 0:
	case 1:
	case 2:
		return heap_start + rnd((round_up(cur_brk) - heap_start) / PAGE + 4) * PAGE;
	case 3:
		return stack_base + rnd(STACK_PAGES) * PAGE;
	case 4:
		return (uintptr_t)bss_area + rnd(BSS_PAGES) * PAGE;
	case 5:
		return rnd(2) ? text_page : (uintptr_t)ro_page;
	case 6:
		if (ndead > 0) {
			unsigned int d = rnd(ndead < DEAD_RANGES ? ndead : DEAD_RANGES);

			return dead[d].start + rnd((dead[d].end - dead[d].start) / PAGE) * PAGE;
		}
		/* fall through */
	default:
		if (nareas == 0) {
			return heap_start;
		}
		{
			struct area *a = &areas[rnd(nareas)];

			return a->start + rnd(a->npages) * PAGE;
		}
	}
}

static int pick_prot(void)
{
	static const int prots[] = {
		PROT_READ | PROT_WRITE,
		PROT_READ | PROT_WRITE,
		PROT_READ | PROT_WRITE,
		PROT_READ,
		PROT_NONE,
		PROT_WRITE,
		PROT_READ | PROT_EXEC,
		PROT_EXEC,
	};

	return prots[rnd(sizeof(prots) / sizeof(prots[0]))];
}

static int model_prot(int prot)
{
	return (prot & PROT_WRITE) ? prot | PROT_READ : prot;
}

/* A page-aligned range inside the areas: a whole area, part of one, or a span of several. */
static void pick_range(uintptr_t *start, uintptr_t *end)
{
	struct area *a = &areas[rnd(nareas)];
	struct area *b = &areas[rnd(nareas)];
	size_t k;

	switch (rnd(4)) {
	case 0:
		*start = a->start;
		*end = a->start + a->npages * PAGE;
		break;
	case 1:
		k = rnd(a->npages);
		*start = a->start + k * PAGE;
		*end = *start + (1 + rnd(a->npages - k)) * PAGE;
		break;
	default:
		if (b < a) {
			struct area *t = a;

			a = b;
			b = t;
		}
		*start = a->start + rnd(a->npages) * PAGE;
		*end = b->start + (1 + rnd(b->npages)) * PAGE;
		if (*end <= *start) {
			*end = *start + PAGE;
		}
		break;
	}
}

static void expect_fail(const char *what, long ret, int err)
{
	if (ret != -1 || errno != err) {
		fail("%s returned %ld (errno %d), expected errno %d", what, ret,
		     ret == -1 ? errno : 0, err);
	} else {
		stats[ST_REFUSED]++;
	}
}

/* -- Operations --------------------------------------------------------------------------- */

static void op_mmap(void)
{
	size_t npages = rnd(10) < 6 ? 1 + rnd(8) : rnd(10) < 7 ? 9 + rnd(120) : 512 + rnd(640);
	int prot = pick_prot();
	bool shared = !quiet_shared && rnd(4) == 0;
	int flags = MAP_ANONYMOUS |
		    (shared ? (rnd(4) ? MAP_SHARED : MAP_SHARED_VALIDATE) : MAP_PRIVATE);
	size_t len = npages * PAGE - (rnd(4) == 0 ? rnd(PAGE) : 0);
	uintptr_t hint = 0;
	off_t off = 0;
	int err = 0;
	void *p;

	if (rnd(8) == 0) {
		flags |= MAP_NORESERVE;
	}
	if (nareas > 0 && rnd(3) == 0) {
		/* A hint inside or over a mapping: only a hint, the mapping goes elsewhere. */
		hint = pick_page();
	}
	if (nareas >= MAX_AREAS - 2 || live_pages() + npages > LIVE_MAX || rnd(6) == 0) {
		switch (rnd(9)) {
		case 0:
			len = 0;
			err = EINVAL;
			break;
		case 1:
			/* Inox refuses MAP_FIXED (doc/mm.md): nothing may change, even over a
			 * mapping of the fuzzer's own. */
			flags |= MAP_FIXED;
			hint = nareas ? areas[rnd(nareas)].start : MMAP_BASE;
			err = EINVAL;
			break;
		case 2:
			prot = PROT_WRITE | PROT_EXEC;
			err = EINVAL;
			break;
		case 3:
			prot |= 0x10;
			err = EINVAL;
			break;
		case 4:
			flags &= ~MAP_TYPE;
			err = EINVAL;
			break;
		case 5:
			flags &= ~MAP_ANONYMOUS;
			err = EBADF;
			break;
		case 6:
			off = 123;
			err = EINVAL;
			break;
		case 7:
			len = rnd(2) ? -PAGE : 1UL << 40;
			err = ENOMEM;
			break;
		default:
			/* Larger than RAM: a shared mapping is backed at once (doc/mm.md). */
			flags = MAP_SHARED | MAP_ANONYMOUS;
			len = 512UL << 20;
			err = ENOMEM;
			break;
		}
	}
	trace("mmap(0x%lx, 0x%lx, %d, 0x%x, -1, %ld)", (unsigned long)hint, (unsigned long)len,
	      prot, flags, (long)off);
	p = mmap((void *)hint, len, prot, flags, -1, off);
	stats[ST_MMAP]++;
	if (err) {
		expect_fail("mmap", p == MAP_FAILED ? -1 : (long)p, err);
		if (p != MAP_FAILED) {
			munmap(p, len);
		}
		return;
	}
	if (p == MAP_FAILED) {
		fail("mmap(0x%lx pages, prot %d, flags 0x%x): errno %d", (unsigned long)npages,
		     prot, flags, errno);
		return;
	}
	uintptr_t start = (uintptr_t)p;

	if ((start & (PAGE - 1)) || start < MMAP_BASE || start + npages * PAGE > USER_TOP) {
		fail("mmap of %lu pages returned 0x%lx, not a free range", (unsigned long)npages,
		     (unsigned long)start);
		return;
	}
	for (int i = 0; i < nareas; i++) {
		if (areas[i].start < start + npages * PAGE &&
		    start < areas[i].start + areas[i].npages * PAGE) {
			fail("mmap returned 0x%lx, over the mapping at 0x%lx", (unsigned long)start,
			     (unsigned long)areas[i].start);
			return;
		}
	}
	struct area a = {
		start, npages, model_prot(prot), shared ? next_obj++ : 0, 0, gens_alloc(npages)};

	area_insert(&a);
	/* Fresh memory reads as zeroes, from its first page to its last. */
	check_range(start, 1);
	check_range(start + (npages - 1) * PAGE, 1);
}

static void op_munmap(void)
{
	uintptr_t start, end;
	long ret;

	stats[ST_MUNMAP]++;
	if (nareas == 0 || rnd(8) == 0) {
		switch (rnd(4)) {
		case 0:
			ret = munmap((void *)(MMAP_BASE + 123), PAGE);
			expect_fail("munmap of an unaligned address", ret, EINVAL);
			return;
		case 1:
			ret = munmap((void *)MMAP_BASE, 0);
			expect_fail("munmap of 0 bytes", ret, EINVAL);
			return;
		case 2:
			ret = munmap((void *)(USER_TOP - PAGE), 2 * PAGE);
			expect_fail("munmap past user space", ret, EINVAL);
			return;
		default:
			/* An unmapped range, if the model says so: a no-op. */
			start = pick_page();
			if (lookup(start).kind != K_NONE) {
				return;
			}
			end = start + PAGE;
			break;
		}
	} else {
		pick_range(&start, &end);
	}
	/* The model splits at both ends before it drops what lies between. */
	if (nareas + 2 > MAX_AREAS) {
		struct area *a = &areas[rnd(nareas)];

		start = a->start;
		end = a->start + a->npages * PAGE;
	}
	trace("munmap(0x%lx, 0x%lx)", (unsigned long)start, (unsigned long)(end - start));
	ret = munmap((void *)start, end - start - (rnd(4) == 0 ? rnd(PAGE) : 0));
	if (ret != 0) {
		fail("munmap(0x%lx, 0x%lx): errno %d", (unsigned long)start,
		     (unsigned long)(end - start), errno);
		return;
	}
	model_unmap(start, end);
}

static void op_mprotect(void)
{
	int prot = pick_prot();
	uintptr_t start, end;
	long ret;

	stats[ST_MPROTECT]++;
	if (nareas == 0 || rnd(8) == 0) {
		switch (rnd(4)) {
		case 0:
			ret = mprotect((void *)(MMAP_BASE + 8), PAGE, PROT_READ);
			expect_fail("mprotect of an unaligned address", ret, EINVAL);
			return;
		case 1:
			start = nareas ? areas[0].start : MMAP_BASE;
			ret = mprotect((void *)start, PAGE, PROT_WRITE | PROT_EXEC);
			expect_fail("mprotect to write and execute", ret, EINVAL);
			return;
		case 2:
			start = nareas ? areas[0].start : MMAP_BASE;
			ret = mprotect((void *)start, PAGE, PROT_READ | 0x40);
			expect_fail("mprotect with an unknown bit", ret, EINVAL);
			return;
		default:
			start = nareas ? areas[0].start : MMAP_BASE;
			ret = mprotect((void *)start, 0, PROT_NONE);
			if (ret != 0) {
				fail("mprotect of 0 bytes: errno %d", errno);
			}
			return;
		}
	}
	if (rnd(5) == 0) {
		/* The heap region spans the whole window, above the break too: never a hole. */
		size_t first = rnd(HEAP_PAGES);
		size_t n = 1 + rnd(HEAP_PAGES - first < 64 ? HEAP_PAGES - first : 64);

		start = heap_start + first * PAGE;
		trace("mprotect(0x%lx, 0x%lx, %d) of the heap", (unsigned long)start,
		      (unsigned long)(n * PAGE), prot);
		ret = mprotect((void *)start, n * PAGE, prot);
		if (ret != 0) {
			fail("mprotect(0x%lx, 0x%lx, %d) of the heap: errno %d",
			     (unsigned long)start, (unsigned long)(n * PAGE), prot, errno);
			return;
		}
		memset(&heap_prot[first], model_prot(prot), n);
		return;
	}
	pick_range(&start, &end);
	if (nareas + 2 > MAX_AREAS) {
		return;
	}
	trace("mprotect(0x%lx, 0x%lx, %d)", (unsigned long)start, (unsigned long)(end - start),
	      prot);
	ret = mprotect((void *)start, end - start, prot);
	if (!covered(start, end)) {
		/* A hole in the range: refused, and nothing changes (doc/mm.md). */
		expect_fail("mprotect over a hole", ret, ENOMEM);
		return;
	}
	if (ret != 0) {
		fail("mprotect(0x%lx, 0x%lx, %d): errno %d", (unsigned long)start,
		     (unsigned long)(end - start), prot, errno);
		return;
	}
	split_at(start);
	split_at(end);
	for (int i = 0; i < nareas; i++) {
		if (areas[i].start >= start && areas[i].start < end) {
			areas[i].prot = model_prot(prot);
		}
	}
}

static void op_brk(void)
{
	uintptr_t want;
	bool valid = true;
	long ret;

	stats[ST_BRK]++;
	switch (rnd(8)) {
	case 0:
		want = heap_start - PAGE;
		valid = false;
		break;
	case 1:
		want = MMAP_BASE;
		valid = false;
		break;
	case 2:
		want = heap_start + rnd(HEAP_PAGES * PAGE);
		break;
	case 3:
		want = heap_start + PAGE * rnd(4);
		break;
	default:
		want = cur_brk + (rnd(2) ? PAGE * rnd(64) : -PAGE * rnd(64)) - rnd(2) * rnd(PAGE);
		if (want < heap_start || want > heap_start + HEAP_PAGES * PAGE) {
			want = heap_start + HEAP_PAGES * PAGE / 2;
		}
		break;
	}
	trace("brk(0x%lx) from 0x%lx", (unsigned long)want, (unsigned long)cur_brk);
	ret = syscall(SYS_brk, want);
	if ((uintptr_t)ret != (valid ? want : cur_brk)) {
		fail("brk(0x%lx) with the break at 0x%lx returned 0x%lx", (unsigned long)want,
		     (unsigned long)cur_brk, (unsigned long)ret);
		cur_brk = ret;
		return;
	}
	if (!valid) {
		stats[ST_REFUSED]++;
		return;
	}
	/* Shrinking drops the pages above the new end: they come back zeroed. */
	for (uintptr_t va = round_up(want); va < round_up(cur_brk); va += PAGE) {
		heap_gen[(va - heap_start) / PAGE] = 0;
	}
	cur_brk = want;
}

static void op_fault(uintptr_t va, const struct where *w, bool store);

/* Stores to a run of pages; a page that must not take the store is left to op_fault(). */
static void op_store(void)
{
	uintptr_t va = pick_page();
	int n = 1 + rnd(8);

	for (int k = 0; k < n; k++, va += PAGE) {
		struct where w = lookup(va);

		if (!usable(&w)) {
			return;
		}
		if (!can_write(w.prot)) {
			if (k == 0 && !quiet_shared) {
				op_fault(va, &w, true);
			}
			return;
		}
		stats[ST_STORE]++;
		set_gen(&w, new_gen());
		fill(va, *w.gen);
	}
}

/*
 * In a child, a store to (or a load from) page va that the model says must fault: the child
 * must die of SIGSEGV, and the page must be as it was.
 */
static void op_fault(uintptr_t va, const struct where *w, bool store)
{
	uintptr_t at = va + 8 * rnd(WORDS);
	int status;
	pid_t pid;

	if (store ? can_write(w->prot) : can_read(w->prot)) {
		return;
	}
	trace("fault: %s 0x%lx (%s, prot %d)", store ? "store to" : "load from", (unsigned long)at,
	      kind_names[w->kind], w->prot);
	stats[ST_FAULT]++;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (store) {
			*(volatile uint64_t *)at = 0x5e65e65e5e65e65eULL;
		} else {
			(void)*(volatile uint64_t *)at;
		}
		_exit(0);
	}
	if (pid < 0) {
		fail("fork for a fault: errno %d", errno);
		return;
	}
	status = wait_status(pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV) {
		fail("%s 0x%lx (%s, prot %d%s): wait status 0x%x, expected SIGSEGV",
		     store ? "store to" : "load from", (unsigned long)at, kind_names[w->kind],
		     w->prot, w->obj ? ", shared" : "", status);
	}
	check_page(va, w);
}

/* A load from a page that must not be read, if the one picked is such a page. */
static void op_load_fault(void)
{
	uintptr_t va = pick_page();
	struct where w = lookup(va);

	if (!can_read(w.prot)) {
		op_fault(va, &w, false);
	}
}

/* write() of src's page into a fresh pipe, then read() into dst's page, 256 bytes a call. */
static void op_pipe(void)
{
	uintptr_t src = pick_page();
	uintptr_t dst = pick_page();
	struct where ws = lookup(src);
	struct where wd = lookup(dst);
	struct where ws2 = lookup(src + PAGE);
	/* The page after a stack, bss or text page of the model's is one it does not know. */
	bool straddle = rnd(4) == 0 && (ws2.kind != K_NONE || ws.kind == K_MMAP ||
					ws.kind == K_HEAP || ws.kind == K_NONE);
	int fds[2];
	long n;
	long want;

	if (!usable(&ws) || !usable(&wd) || (straddle && !usable(&ws2))) {
		return;
	}
	stats[ST_PIPE]++;
	if (pipe(fds) != 0) {
		fail("pipe: errno %d", errno);
		return;
	}
	if (straddle) {
		/* From the middle of src's page into the next, which may not be readable: the
		 * write stops there, with what it took. */
		want = !can_read(ws.prot) ? -1 : can_read(ws2.prot) ? (long)PAGE : (long)PAGE / 2;
		trace("pipe: write 0x%lx..+4096 (%s, %s) -> %ld", (unsigned long)src + PAGE / 2,
		      kind_names[ws.kind], kind_names[ws2.kind], want);
		n = write(fds[1], (void *)(src + PAGE / 2), PAGE);
		if (want < 0) {
			expect_fail("write() from an unreadable page", n, EFAULT);
		} else if (n != want) {
			fail("write() of 0x%lx..+4096 (%s prot %d, %s prot %d) returned %ld, "
			     "expected %ld (errno %d)",
			     (unsigned long)src + PAGE / 2, kind_names[ws.kind], ws.prot,
			     kind_names[ws2.kind], ws2.prot, n, want, errno);
		} else if (read_full(fds[0], scratch, n) != 0) {
			fail("read() of %ld bytes back: errno %d", n, errno);
		} else {
			for (size_t i = 0; i < (size_t)n / 8; i++) {
				size_t word = WORDS / 2 + i;
				uint64_t m = word < WORDS ? model_word(&ws, word) :
							    model_word(&ws2, word - WORDS);

				if (((uint64_t *)scratch)[i] != m) {
					fail("write() from 0x%lx: byte %u went into the pipe as "
					     "0x%llx, the model has 0x%llx",
					     (unsigned long)src + PAGE / 2, (unsigned int)i * 8,
					     (unsigned long long)((uint64_t *)scratch)[i],
					     (unsigned long long)m);
					break;
				}
			}
		}
		goto out;
	}
	trace("pipe: 0x%lx (%s, prot %d) -> 0x%lx (%s, prot %d)", (unsigned long)src,
	      kind_names[ws.kind], ws.prot, (unsigned long)dst, kind_names[wd.kind], wd.prot);
	n = write(fds[1], (void *)src, PAGE);
	if (!can_read(ws.prot)) {
		expect_fail("write() from an unreadable page", n, EFAULT);
		goto out;
	}
	if (n != (long)PAGE) {
		fail("write() of %s page 0x%lx (prot %d): %ld, errno %d", kind_names[ws.kind],
		     (unsigned long)src, ws.prot, n, errno);
		goto out;
	}
	if (!can_write(wd.prot)) {
		/* Nothing of dst may change (checked below), and the bytes stay in the pipe. */
		n = read(fds[0], (void *)dst, PIPE_CHUNK);
		expect_fail("read() into an unwritable page", n, EFAULT);
		if (read(fds[0], scratch, PIPE_CHUNK) != PIPE_CHUNK ||
		    memcmp(scratch, (void *)src, PIPE_CHUNK) != 0) {
			fail("read() into an unwritable page lost the pipe's bytes");
		}
		check_page(dst, &wd);
		goto out;
	}
	if (ws.gen == NULL) {
		/* Text or rodata: their bytes must come out of the pipe as they are. */
		if (read_full(fds[0], scratch, PAGE) != 0 || memcmp(scratch, (void *)src, PAGE)) {
			fail("%s page 0x%lx came out of a pipe changed", kind_names[ws.kind],
			     (unsigned long)src);
		}
		goto out;
	}
	uint32_t gen = *ws.gen;

	for (size_t off = 0; off < PAGE; off += PIPE_CHUNK) {
		n = read(fds[0], (void *)(dst + off), PIPE_CHUNK);
		if (n != PIPE_CHUNK) {
			fail("read() into %s page 0x%lx (prot %d) at +%u: %ld, errno %d",
			     kind_names[wd.kind], (unsigned long)dst, wd.prot, (unsigned int)off, n,
			     errno);
			break;
		}
	}
	set_gen(&wd, gen);
	check_page(dst, &wd);
out:
	close(fds[0]);
	close(fds[1]);
}

static void op_check(void)
{
	if (nareas > 0 && rnd(2)) {
		struct area *a = &areas[rnd(nareas)];

		check_range(a->start, a->npages);
	} else {
		uintptr_t va = pick_page();

		check_range(va, 1 + rnd(16));
	}
}

/* In a child: execs the checker with up to PROBES addresses of the fuzzer's memory. */
static _Noreturn void exec_clean(void)
{
	static char bufs[PROBES][24];
	char *argv[PROBES + 2] = {CLEAN_PATH};
	int n = 1;

	for (int i = 0; i < PROBES; i++) {
		uintptr_t va = pick_page();
		enum kind k = lookup(va).kind;

		if (k == K_MMAP || k == K_HEAP || k == K_NONE) {
			snprintf(bufs[i], sizeof(bufs[i]), "0x%lx", (unsigned long)va);
			argv[n++] = bufs[i];
		}
	}
	argv[n] = NULL;
	fflush(stdout);
	execv(CLEAN_PATH, argv);
	printf("FAIL memfuzz %s: execv %s: errno %d\n", lineage, CLEAN_PATH, errno);
	_exit(127);
}

static void op_exec(void)
{
	int status;
	pid_t pid;

	stats[ST_EXEC]++;
	trace("exec %s", CLEAN_PATH);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		exec_clean();
	}
	if (pid < 0) {
		fail("fork for exec: errno %d", errno);
		return;
	}
	status = wait_status(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fail("%s: wait status 0x%x", CLEAN_PATH, status);
	}
}

static void run(long steps);
static _Noreturn void child_end(void);

/* Applies a child's report: its stores to shared pages, and its subtree's counts. */
static bool take_report(int fd)
{
	struct report r;
	struct shared_store s;

	if (read_full(fd, &r, sizeof(r)) != 0 || r.magic != REPORT_MAGIC) {
		return false;
	}
	for (int i = 0; i < NSTATS; i++) {
		stats[i] += r.stats[i];
	}
	for (uint32_t k = 0; k < r.n; k++) {
		if (read_full(fd, &s, sizeof(s)) != 0) {
			return false;
		}
		for (int i = 0; i < nareas; i++) {
			struct area *a = &areas[i];

			if (a->obj == s.obj && s.page >= a->objpage &&
			    s.page < a->objpage + a->npages) {
				a->gen[s.page - a->objpage] = s.gen;
			}
		}
		note_shared(s.obj, s.page, s.gen);
	}
	return true;
}

static void op_fork(void)
{
	uint32_t mark = next_obj;
	int rep[2];
	int status;
	int mode;
	pid_t pid;

	if (depth >= MAX_DEPTH) {
		return;
	}
	if (pipe(rep) != 0) {
		fail("pipe for a child: errno %d", errno);
		return;
	}
	stats[ST_FORK]++;
	/* A COW kernel copies at fork when asked: one fork in eight does, so that the tree
	 * mixes both kinds (without COW, this fork copies anyway). */
	mode = rnd(8) == 0 ? inox_fork_mode(INOX_FORK_EAGER) : -1;
	trace("fork");
	fflush(stdout);
	pid = fork();
	if (mode >= 0) {
		inox_fork_mode(mode);
	}
	if (pid == 0) {
		char *end = lineage + strlen(lineage);

		close(rep[0]);
		if (up_fd >= 0) {
			close(up_fd);
		}
		up_fd = rep[1];
		depth++;
		failures = 0;
		inherited_below = mark;
		slog_len = 0;
		memset(stats, 0, sizeof(stats));
		stats[ST_PROCS] = 1;
		rng_state ^= 0x5bd1e9955bd1e995ULL;
		snprintf(end, sizeof(lineage) - (end - lineage), "/%ld", step_now);
		run(8 + rnd(48));
		child_end();
	}
	close(rep[1]);
	if (pid < 0) {
		fail("fork: errno %d", errno);
		close(rep[0]);
		return;
	}
	/* What cannot race with the child: private memory. */
	quiet_shared = true;
	for (int i = rnd(8); i > 0; i--) {
		switch (rnd(7)) {
		case 0:
			op_mmap();
			break;
		case 1:
			op_munmap();
			break;
		case 2:
			op_mprotect();
			break;
		case 3:
			op_brk();
			break;
		case 4:
			op_pipe();
			break;
		case 5:
			op_check();
			break;
		default:
			op_store();
			break;
		}
	}
	quiet_shared = false;
	bool reported = take_report(rep[0]);

	close(rep[0]);
	status = wait_status(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fail("child %d: wait status 0x%x", (int)pid, status);
	} else if (!reported) {
		fail("child %d: no report", (int)pid);
	}
	/* Its stores to shared pages show here; its private ones do not (a few pages of each
	 * private mapping here, every page at the next checkpoint). */
	for (int i = 0; i < nareas; i++) {
		struct area *a = &areas[i];

		if (a->obj) {
			check_range(a->start, a->npages);
		} else {
			check_range(a->start + rnd(a->npages) * PAGE, 1);
			check_range(a->start + rnd(a->npages) * PAGE, 1);
		}
	}
	check_range(heap_start + rnd((round_up(cur_brk) - heap_start) / PAGE + 1) * PAGE, 1);
	check_range(stack_base, STACK_PAGES);
	check_range((uintptr_t)bss_area, BSS_PAGES);
}

static void one_op(void)
{
	stats[ST_OPS]++;
	switch (rnd(100)) {
	case 0 ... 13:
		op_mmap();
		break;
	case 14 ... 23:
		op_munmap();
		break;
	case 24 ... 35:
		op_mprotect();
		break;
	case 36 ... 43:
		op_brk();
		break;
	case 44 ... 61:
		op_store();
		break;
	case 62 ... 67:
		op_check();
		break;
	case 68 ... 81:
		op_pipe();
		break;
	case 82 ... 86:
		op_load_fault();
		break;
	case 87 ... 91:
		op_fork();
		break;
	case 92 ... 94:
		op_exec();
		break;
	case 95:
		if (depth > 0) {
			trace("exit");
			leave = true;
		}
		break;
	default:
		op_store();
		break;
	}
}

/* steps operations, then every page checked, the unreadable ones made readable first. */
static void run(long steps)
{
	for (step_now = 0; step_now < steps && !leave; step_now++) {
		one_op();
		if (step_now % CHECK_EVERY == CHECK_EVERY - 1) {
			check_all();
		}
	}
	for (int i = 0; i < nareas; i++) {
		if (!can_read(areas[i].prot)) {
			if (mprotect((void *)areas[i].start, areas[i].npages * PAGE, PROT_READ) !=
			    0) {
				fail("mprotect(0x%lx) to read at the end: errno %d",
				     (unsigned long)areas[i].start, errno);
			}
			areas[i].prot = PROT_READ;
		}
	}
	if (mprotect((void *)heap_start, HEAP_PAGES * PAGE, PROT_READ | PROT_WRITE) != 0) {
		fail("mprotect of the heap to read and write at the end: errno %d", errno);
	}
	memset(heap_prot, PROT_READ | PROT_WRITE, sizeof(heap_prot));
	check_all();
}

/* A child's end: the report to its parent, then exit with its status, or exec the checker. */
static _Noreturn void child_end(void)
{
	struct report r = {.n = slog_len, .magic = REPORT_MAGIC};

	memcpy(r.stats, stats, sizeof(stats));
	if (write(up_fd, &r, sizeof(r)) != sizeof(r) ||
	    write(up_fd, slog, slog_len * sizeof(slog[0])) != (long)(slog_len * sizeof(slog[0]))) {
		fail("report to the parent: errno %d", errno);
	}
	close(up_fd);
	fflush(stdout);
	if (failures == 0 && rnd(4) == 0) {
		exec_clean();
	}
	_exit(failures != 0);
}

static int fuzz(void)
{
	uint64_t stack_mem[(STACK_PAGES + 1) * WORDS];

	rng_state = seed ^ 0x2545f4914f6cdd1dULL;
	heap_start = cur_brk = syscall(SYS_brk, 0);
	CHECK((heap_start & (PAGE - 1)) == 0);
	memset(heap_prot, PROT_READ | PROT_WRITE, sizeof(heap_prot));
	stack_base = round_up((uintptr_t)stack_mem);
	for (int k = 0; k < STACK_PAGES; k++) {
		stack_gen[k] = new_gen();
		fill(stack_base + k * PAGE, stack_gen[k]);
	}
	text_page = (uintptr_t)&fuzz & ~(PAGE - 1);
	memcpy(text_copy, (void *)text_page, PAGE);
	stats[ST_PROCS] = 1;
	run(root_steps);
	if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD) {
		fail("a child was left behind");
	}
	printf("memfuzz: %llu processes, %llu operations: %llu mmap, %llu munmap, %llu mprotect, "
	       "%llu brk, %llu page stores, %llu pipe copies, %llu forks, %llu faults, %llu "
	       "execs; %llu calls refused as expected, %llu pages checked\n",
	       (unsigned long long)stats[ST_PROCS], (unsigned long long)stats[ST_OPS],
	       (unsigned long long)stats[ST_MMAP], (unsigned long long)stats[ST_MUNMAP],
	       (unsigned long long)stats[ST_MPROTECT], (unsigned long long)stats[ST_BRK],
	       (unsigned long long)stats[ST_STORE], (unsigned long long)stats[ST_PIPE],
	       (unsigned long long)stats[ST_FORK], (unsigned long long)stats[ST_FAULT],
	       (unsigned long long)stats[ST_EXEC], (unsigned long long)stats[ST_REFUSED],
	       (unsigned long long)stats[ST_PAGES_CHECKED]);
	return failures != 0;
}

static uint64_t shared_pages(void)
{
	struct inox_memstat st;

	inox_memstat(&st);
	return st.shared_pages;
}

static uint64_t committed_pages(void)
{
	struct inox_memstat st;

	inox_memstat(&st);
	return st.committed_pages;
}

int main(int argc, char **argv)
{
	long runs = 1;
	uint64_t start_ns = now_ns();

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			verbose = true;
		} else if (i + 1 < argc && strcmp(argv[i], "-s") == 0) {
			seed = strtoull(argv[++i], NULL, 0);
		} else if (i + 1 < argc && strcmp(argv[i], "-n") == 0) {
			root_steps = strtol(argv[++i], NULL, 0);
		} else if (i + 1 < argc && strcmp(argv[i], "-r") == 0) {
			runs = strtol(argv[++i], NULL, 0);
		} else {
			printf("usage: memfuzz [-s SEED] [-n STEPS] [-r RUNS] [-v]\n");
			return 2;
		}
	}
	for (long r = 0; r < runs; r++, seed++) {
		uint64_t free_before = free_pages();
		uint64_t shared_before = shared_pages();
		uint64_t committed_before = committed_pages();
		int status;

		printf("memfuzz: seed 0x%llx, %ld steps\n", (unsigned long long)seed, root_steps);
		status = run_accounted("memfuzz", fuzz);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("FAIL memfuzz: seed 0x%llx: wait status 0x%x\n",
			       (unsigned long long)seed, status);
			failures++;
		}
		printf("memfuzz: free pages %llu before, %llu after\n",
		       (unsigned long long)free_before, (unsigned long long)free_pages());
		CHECK(shared_pages() == shared_before);
		CHECK(committed_pages() == committed_before);
	}
	printf("memfuzz: %ld runs in %llu ms\n", runs,
	       (unsigned long long)((now_ns() - start_ns) / 1000000));
	printf("memfuzz: %d failures\n", failures);
	return failures != 0;
}
