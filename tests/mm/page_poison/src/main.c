/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CONFIG_MM_PAGE_POISON: a freed page is filled with PAGE_POISON, and a page written after
 * its last put panics, naming its pfn and the offset of the changed word, when it is next
 * allocated. The panic test is a pair: "a" provokes it (ztest ends it as passed), "b" reads
 * the report and frees the page "a" left allocated.
 */
#include <string.h>
#include <inox/ztest.h>
#include <inox/mm/page.h>

static uintptr_t victim_pa;
static unsigned long free_before;

ZTEST_SUITE(mm_poison, NULL, NULL, NULL, NULL, NULL);

ZTEST(mm_poison, test_1_poison_fill)
{
	struct page *p = page_alloc();
	const uint64_t *w;

	zassert_not_null(p);
	w = page_to_virt(p);
	page_ref_put(p);
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
		zassert_equal(w[i], PAGE_POISON, "freed page word %u is %lx", i,
			      (unsigned long)w[i]);
	}
}

/* A page freed and left alone comes back without a panic, and zeroed when asked. */
ZTEST(mm_poison, test_1_clean_reuse)
{
	unsigned long key = arch_irq_lock();
	struct page *p = page_alloc(), *q;

	zassert_not_null(p);
	page_ref_put(p);
	q = page_alloc_zeroed();
	arch_irq_unlock(key);
	zassert_equal_ptr(q, p, "this hart's cache did not hand back the page just freed");
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
		zassert_equal(((uint64_t *)page_to_virt(q))[i], 0, "word %u", i);
	}
	page_ref_put(q);
}

/*
 * Frees a page, stores value at word `word` of it, and allocates again. With interrupts
 * off the thread stays on one hart, and that hart's cache is a stack: the next page_alloc()
 * returns the page just freed, so the check cannot miss it.
 */
static void write_after_free(unsigned int word, uint64_t value)
{
	struct page *p;
	uint64_t *w;
	unsigned long key;

	free_before = mm_free_pages();
	p = page_alloc();
	zassert_not_null(p);
	victim_pa = page_to_pa(p);
	w = page_to_virt(p);
	key = arch_irq_lock();
	page_ref_put(p);
	w[word] = value;
	ztest_set_fault_valid(true);
	p = page_alloc();
	arch_irq_unlock(key);
	zassert_unreachable("page %lx came back written after free without a panic",
			    (unsigned long)page_to_pa(p));
}

/* Checks the report names the victim's pfn and `detail`, then frees the victim again. */
static void check_report_and_free(const char *detail)
{
	struct page *p = pa_to_page(victim_pa);
	char text[64];

	zassert_fatal_report_expected();
	snprintk(text, sizeof(text), "page_alloc: pfn %lx written after free: ",
		 (unsigned long)(victim_pa >> PAGE_SHIFT));
	zassert_fatal_report_has(text);
	zassert_fatal_report_has(detail);
	zassert_fatal_report_has("(use after free)");
	/* The page was handed out (count 1) when the check fired. */
	zassert_equal(page_ref_count(p), 1);
	page_ref_put(p);
	zassert_equal(mm_free_pages(), free_before);
}

ZTEST(mm_poison, test_2a_use_after_free)
{
	write_after_free(100, 0x1234);
}

ZTEST(mm_poison, test_2b_use_after_free_report)
{
	check_report_and_free("offset 0x320 holds 0x1234 ");
}

/* The whole page is checked, up to its last word. */
ZTEST(mm_poison, test_3a_use_after_free_last_word)
{
	write_after_free(PAGE_SIZE / 8 - 1, 0);
}

ZTEST(mm_poison, test_3b_use_after_free_last_word_report)
{
	check_report_and_free("offset 0xff8 holds 0x0 ");
}
