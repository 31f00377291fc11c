/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The page allocator on one thread: free counts that move by exactly one, every free page
 * handed out once and none of the reserved ones, contiguous runs and their alignment,
 * reference counts past 255, and the panics for a count that would overflow or go below
 * zero or a get of a free page. Poisoning has its own app (tests/mm/page_poison).
 *
 * Fault tests come in pairs: "a" provokes the panic (ztest ends it as passed), "b" reads the
 * report the kernel kept and puts back what "a" left allocated, so the free count is exact
 * again for the tests after it.
 */
#include <string.h>
#include <inox/ztest.h>
#include <inox/devicetree.h>
#include <inox/mm/page.h>
#include <inox/arch/riscv/layout.h>

extern char __image_start[], __image_end[];
extern uintptr_t z_boot_dtb_pa;

struct range {
	uintptr_t start;
	uintptr_t end;
};

#define BANK_RANGE(node) {DT_REG_ADDR(node), DT_REG_ADDR(node) + DT_REG_SIZE(node)},
static const struct range banks[] = {DT_FOREACH_MEMORY(BANK_RANGE)};

#define BANK_PAGES(node) +DT_REG_SIZE(node) / PAGE_SIZE
#define RAM_PAGES        (0 DT_FOREACH_MEMORY(BANK_PAGES))

#if DT_NODE_EXISTS(DT_PATH(reserved_memory))
#define DT_RESERVED(node)                                                                          \
	COND_CODE_1(DT_REG_HAS_IDX(node, 0),                                                       \
		    (add_reserved(DT_REG_ADDR(node), DT_REG_ADDR(node) + DT_REG_SIZE(node));), ())
#define NUM_DT_RESERVED DT_CHILD_NUM(DT_PATH(reserved_memory))
#else
#define NUM_DT_RESERVED 0
#endif

/* Firmware, image, DTB, /reserved-memory, then one page array per bank. */
static struct range reserved[3 + NUM_DT_RESERVED + ARRAY_SIZE(banks)];
static unsigned int num_reserved;

/* One bit per page of RAM: handed out by the allocation under test. */
static unsigned long seen[RAM_PAGES / 64 + 1];

/* Index of pa's page among all RAM pages (banks in devicetree order), or -1. */
static long ram_index(uintptr_t pa)
{
	long base = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(banks); i++) {
		if (pa >= banks[i].start && pa < banks[i].end) {
			return base + (long)((pa - banks[i].start) / PAGE_SIZE);
		}
		base += (long)((banks[i].end - banks[i].start) / PAGE_SIZE);
	}
	return -1;
}

static uintptr_t ram_index_to_pa(unsigned long idx)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(banks); i++) {
		unsigned long n = (banks[i].end - banks[i].start) / PAGE_SIZE;

		if (idx < n) {
			return banks[i].start + idx * PAGE_SIZE;
		}
		idx -= n;
	}
	return 0;
}

/* The reserved range holding pa, or NULL. */
static const struct range *reserved_range(uintptr_t pa)
{
	for (unsigned int i = 0; i < num_reserved; i++) {
		if (pa >= reserved[i].start && pa < reserved[i].end) {
			return &reserved[i];
		}
	}
	return NULL;
}

static void add_reserved(uintptr_t start, uintptr_t end)
{
	reserved[num_reserved].start = start;
	reserved[num_reserved].end = end;
	num_reserved++;
}

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/*
 * What must never be handed out, found independently of the allocator: the firmware below
 * the load address, the image, the DTB from its header, /reserved-memory, and each bank's
 * page array, located from one of its pages (the array is indexed by pfn within the bank).
 */
static void *mm_setup(void)
{
	struct page *p = page_alloc();

	add_reserved(banks[0].start, CONFIG_KERNEL_LOAD_ADDRESS);
	add_reserved(KERNEL_VA_TO_PA(__image_start), KERNEL_VA_TO_PA(__image_end));
	/*
	 * The firmware's DTB need not lie in the RAM the devicetree gives Inox (QEMU's
	 * microchip-icicle-kit puts it at the end of its first GiB, past mpfs_icicle/qemu's
	 * 256 MiB): then it is neither reserved nor mapped.
	 */
	if (ram_index(z_boot_dtb_pa) >= 0) {
		const uint8_t *fdt = z_phys_to_virt(z_boot_dtb_pa);

		add_reserved(z_boot_dtb_pa, z_boot_dtb_pa + be32(fdt + 4));
	}
#if DT_NODE_EXISTS(DT_PATH(reserved_memory))
	DT_FOREACH_CHILD(DT_PATH(reserved_memory), DT_RESERVED)
#endif
	zassert_not_null(p, "no page at all");
	for (unsigned int i = 0; i < ARRAY_SIZE(banks); i++) {
		unsigned long npages = (banks[i].end - banks[i].start) / PAGE_SIZE;
		uintptr_t pa = page_to_pa(p);
		uintptr_t array;

		if (pa < banks[i].start || pa >= banks[i].end) {
			continue;
		}
		array = z_virt_to_phys(p) - (pa - banks[i].start) / PAGE_SIZE * sizeof(struct page);
		add_reserved(array, array + npages * sizeof(struct page));
	}
	page_ref_put(p);
	return NULL;
}

ZTEST_SUITE(mm_page, NULL, mm_setup, NULL, NULL, NULL);

/* -- Counts and address conversions -------------------------------------------------------- */

ZTEST(mm_page, test_1_alloc_free_counts)
{
	unsigned long free = mm_free_pages();
	struct mm_stats stats;
	struct page *p, *q;
	uintptr_t pa;

	zassert_equal(mm_total_pages(), RAM_PAGES, "total %lu, RAM has %lu pages", mm_total_pages(),
		      (unsigned long)RAM_PAGES);
	mm_stats_get(&stats);
	zassert_equal(stats.total_pages, RAM_PAGES);
	zassert_equal(stats.free_pages, free);
	zassert_true(stats.reserved_pages > 0 && stats.reserved_pages + free == RAM_PAGES,
		     "%lu reserved + %lu free != %lu", stats.reserved_pages, free,
		     (unsigned long)RAM_PAGES);

	p = page_alloc();
	zassert_not_null(p);
	zassert_equal(mm_free_pages(), free - 1, "alloc took %ld pages",
		      (long)(free - mm_free_pages()));
	zassert_equal(page_ref_count(p), 1);
	pa = page_to_pa(p);
	zassert_true(IS_ALIGNED(pa, PAGE_SIZE));
	zassert_equal(page_to_pfn(p), pa >> PAGE_SHIFT);
	zassert_equal_ptr(pa_to_page(pa), p);
	zassert_equal_ptr(pa_to_page(pa + PAGE_SIZE - 1), p);
	zassert_equal_ptr(page_to_virt(p), z_phys_to_virt(pa));

	q = page_alloc_zeroed();
	zassert_not_null(q);
	zassert_equal(mm_free_pages(), free - 2);
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
		zassert_equal(((uint64_t *)page_to_virt(q))[i], 0, "word %u not zeroed", i);
	}
	page_ref_put(q);
	zassert_equal(mm_free_pages(), free - 1, "put of the last reference freed nothing");
	page_ref_put(p);
	zassert_equal(mm_free_pages(), free);
	zassert_equal(page_ref_count(p), 0, "a free page has count %lu", page_ref_count(p));
}

ZTEST(mm_page, test_1_reserved_not_managed)
{
	for (unsigned int i = 0; i < num_reserved; i++) {
		for (uintptr_t pa = ROUND_DOWN(reserved[i].start, PAGE_SIZE); pa < reserved[i].end;
		     pa += PAGE_SIZE) {
			zassert_is_null(pa_to_page(pa), "reserved pa %lx has a struct page",
					(unsigned long)pa);
		}
	}
#if DT_NODE_EXISTS(DT_NODELABEL(test_region1))
	/* reserved_memory.overlay: its regions are out, the pages around them are not. */
	zassert_is_null(pa_to_page(DT_REG_ADDR(DT_NODELABEL(test_region0))));
	zassert_is_null(pa_to_page(DT_REG_ADDR(DT_NODELABEL(test_region1)) + 2 * PAGE_SIZE));
	zassert_not_null(pa_to_page(DT_REG_ADDR(DT_NODELABEL(test_region1)) - PAGE_SIZE));
	zassert_not_null(pa_to_page(DT_REG_ADDR(DT_NODELABEL(test_region1)) +
				    DT_REG_SIZE(DT_NODELABEL(test_region1))));
#endif
	zassert_is_null(pa_to_page(0));
	zassert_is_null(pa_to_page(banks[0].start - PAGE_SIZE));
	zassert_is_null(pa_to_page(banks[ARRAY_SIZE(banks) - 1].end));
}

ZTEST(mm_page, test_1_page_copy)
{
	struct page *a = page_alloc(), *b = page_alloc();
	uint64_t *src, *dst;

	zassert_true(a != NULL && b != NULL);
	src = page_to_virt(a);
	dst = page_to_virt(b);
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
		src[i] = 0x0123456789abcdefUL * (i + 1);
		dst[i] = 0;
	}
	page_copy(dst, src);
	zassert_mem_equal(dst, src, PAGE_SIZE);
	page_zero(src);
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
		zassert_equal(src[i], 0, "word %u", i);
	}
	page_ref_put(a);
	page_ref_put(b);
}

/* -- Every free page, once --------------------------------------------------------------- */

/* Marks pa's page as handed out; fails if it is reserved, not RAM, or handed out before. */
static void mark_seen(uintptr_t pa)
{
	long idx = ram_index(pa);
	const struct range *r = reserved_range(pa);

	zassert_true(idx >= 0, "page at %lx is not RAM", (unsigned long)pa);
	zassert_is_null(r, "page at %lx is in reserved range %lx..%lx", (unsigned long)pa,
			r ? (unsigned long)r->start : 0, r ? (unsigned long)r->end : 0);
	zassert_false(seen[idx / 64] & BIT(idx % 64), "page at %lx handed out twice",
		      (unsigned long)pa);
	seen[idx / 64] |= BIT(idx % 64);
}

/*
 * Allocates every free page, one by one after a 512-page run, until page_alloc() says
 * there is none left. Then the run's pages, freed one by one (some stay in this hart's
 * cache), must make up the only 512-page run again. Everything is freed at the end.
 */
ZTEST(mm_page, test_2_alloc_all)
{
	unsigned long free = mm_free_pages();
	unsigned long n = 512, put = 0;
	struct page *run = page_alloc_run(512);
	struct page *p;

	memset(seen, 0, sizeof(seen));
	zassert_not_null(run);
	for (unsigned int i = 0; i < 512; i++) {
		mark_seen(page_to_pa(&run[i]));
	}
	while ((p = page_alloc()) != NULL) {
		mark_seen(page_to_pa(p));
		n++;
	}
	zassert_equal(n, free, "%lu pages handed out, %lu were free", n, free);
	zassert_equal(mm_free_pages(), 0);
	zassert_is_null(page_alloc_run(1), "a run with nothing free");
	zassert_is_null(page_alloc_zeroed());

	for (unsigned int i = 0; i < 512; i++) {
		page_ref_put(&run[i]);
	}
	zassert_equal(mm_free_pages(), 512);
	zassert_equal_ptr(page_alloc_run(512), run, "the freed run did not come back whole");
	zassert_equal(mm_free_pages(), 0);

	for (unsigned long w = 0; w < ARRAY_SIZE(seen); w++) {
		for (unsigned long bits = seen[w]; bits != 0; bits &= bits - 1) {
			page_ref_put(pa_to_page(ram_index_to_pa(w * 64 + __builtin_ctzl(bits))));
			put++;
		}
	}
	zassert_equal(put, n);
	zassert_equal(mm_free_pages(), free, "%lu free after freeing all, %lu before",
		      mm_free_pages(), free);
}

/* -- Contiguous runs ------------------------------------------------------------------------- */

/* Allocates a run of n, checks it is contiguous, aligned to align pages and counted. */
static struct page *check_run(size_t n, unsigned long align)
{
	unsigned long free = mm_free_pages();
	struct page *p = page_alloc_run(n);
	uintptr_t pa;

	zassert_not_null(p, "no run of %zu pages", n);
	pa = page_to_pa(p);
	zassert_true(IS_ALIGNED(pa, align * PAGE_SIZE), "run of %zu at %lx: not aligned to %lu", n,
		     (unsigned long)pa, align);
	zassert_equal(mm_free_pages(), free - n);
	for (size_t i = 0; i < n; i++) {
		zassert_equal_ptr(pa_to_page(pa + i * PAGE_SIZE), &p[i], "page %zu of the run", i);
		zassert_equal(page_to_pa(&p[i]), pa + i * PAGE_SIZE);
		zassert_equal(page_ref_count(&p[i]), 1);
	}
	return p;
}

/* Frees a run page by page, backwards, each put freeing exactly one page. */
static void put_run(struct page *p, size_t n)
{
	unsigned long free = mm_free_pages();

	for (size_t i = n; i-- > 0;) {
		page_ref_put(&p[i]);
		zassert_equal(mm_free_pages(), free + (n - i));
	}
}

ZTEST(mm_page, test_3_runs)
{
	unsigned long free = mm_free_pages();
	struct page *r1 = check_run(1, 1);
	struct page *r16 = check_run(16, 16);
	struct page *r512 = check_run(512, 512);
	struct page *r3 = check_run(3, 4);
	struct page *r1000 = check_run(1000, 512);

	put_run(r1, 1);
	put_run(r16, 16);
	put_run(r512, 512);
	put_run(r3, 3);
	put_run(r1000, 1000);
	zassert_equal(mm_free_pages(), free);
	zassert_is_null(page_alloc_run(0));
	zassert_is_null(page_alloc_run(mm_total_pages()), "a run as big as RAM");
	zassert_equal(mm_free_pages(), free);
}

/* -- Reference counts ------------------------------------------------------------------------ */

ZTEST(mm_page, test_4_refcount_1000)
{
	unsigned long free = mm_free_pages();
	struct page *p = page_alloc();

	zassert_not_null(p);
	for (unsigned long i = 1; i < 1000; i++) {
		page_ref_get(p);
		zassert_equal(page_ref_count(p), i + 1);
	}
	zassert_equal(page_ref_count(p), 1000, "256 sharers must not wrap the count");
	zassert_equal(mm_free_pages(), free - 1);
	for (unsigned long i = 1000; i > 1; i--) {
		page_ref_put(p);
		zassert_equal(page_ref_count(p), i - 1);
		zassert_equal(mm_free_pages(), free - 1, "freed with %lu references left", i - 1);
	}
	page_ref_put(p);
	zassert_equal(mm_free_pages(), free, "the last put did not free");
}

/* State handed from each "a" test to its "b". */
static struct page *victim;
static unsigned long free_before;

static void expect_report(const char *fmt, unsigned long pfn)
{
	char text[96];

	zassert_fatal_report_expected();
	snprintk(text, sizeof(text), fmt, pfn);
	zassert_fatal_report_has(text);
}

ZTEST(mm_page, test_5a_overflow)
{
	free_before = mm_free_pages();
	victim = page_alloc();
	zassert_not_null(victim);
	/* White box: 2^31 real gets would take minutes. */
	atomic_set(&victim->count, PAGE_REF_MAX);
	ztest_set_fault_valid(true);
	page_ref_get(victim);
	zassert_unreachable("a get past PAGE_REF_MAX did not panic");
}

ZTEST(mm_page, test_5b_overflow_report)
{
	expect_report("page_ref_get: pfn %lx count 2147483647 would overflow", page_to_pfn(victim));
	zassert_equal(page_ref_count(victim), PAGE_REF_MAX, "the failed get changed the count");
	atomic_set(&victim->count, 1);
	page_ref_put(victim);
	zassert_equal(mm_free_pages(), free_before);
}

ZTEST(mm_page, test_6a_put_below_zero)
{
	free_before = mm_free_pages();
	victim = page_alloc();
	zassert_not_null(victim);
	page_ref_put(victim);
	zassert_equal(mm_free_pages(), free_before);
	ztest_set_fault_valid(true);
	page_ref_put(victim);
	zassert_unreachable("a put of a free page did not panic");
}

ZTEST(mm_page, test_6b_put_below_zero_report)
{
	expect_report("page_ref_put: pfn %lx count already 0", page_to_pfn(victim));
	zassert_equal(page_ref_count(victim), 0, "the failed put changed the count");
	zassert_equal(mm_free_pages(), free_before, "a double put freed the page twice");
}

ZTEST(mm_page, test_6c_get_of_free_page)
{
	ztest_set_fault_valid(true);
	page_ref_get(victim);
	zassert_unreachable("a get of a free page did not panic");
}

ZTEST(mm_page, test_6d_get_of_free_page_report)
{
	expect_report("page_ref_get: pfn %lx is free (count 0)", page_to_pfn(victim));
	zassert_equal(page_ref_count(victim), 0);
	zassert_equal(mm_free_pages(), free_before);
}
