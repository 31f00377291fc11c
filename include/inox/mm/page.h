/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Physical pages (subsys/mm): one struct page per 4 KiB page of every RAM bank, with an
 * atomic reference count, and the allocator that hands them out.
 *
 * A page from page_alloc() has a count of 1. page_ref_get() adds a reference and
 * page_ref_put() drops one; the put that takes the count to 0 frees the page. Counts need
 * no lock: they are atomics, and "last" is decided by the value the decrement returned.
 *
 * Never handed out: the firmware below the kernel load address, the kernel image, the
 * DTB, the devicetree's /reserved-memory and the allocator's own page arrays. pa_to_page()
 * returns NULL for those, as for any address outside RAM.
 */
#ifndef INOX_MM_PAGE_H_
#define INOX_MM_PAGE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <inox/sys/atomic.h>
#include <inox/sys/util.h>
#include <inox/arch/mmu.h>

/*
 * One physical page. 16 bytes; the arrays of them are carved out of each bank's own RAM at
 * boot, so a count costs 0.4% of RAM and nothing for holes between banks.
 */
struct page {
	/* References: 0 while free. A long, so no sharer count can wrap it. */
	atomic_t count;
	/* PAGE_FLAG_*; changed only by whoever owns the page (the allocator while it is free). */
	uint32_t flags;
	/* Free for the address-space code (4 bytes of padding otherwise). */
	uint32_t spare;
};

/* Never handed out (firmware, image, DTB, /reserved-memory, page arrays). */
#define PAGE_FLAG_RESERVED BIT(0)
/* Filled with PAGE_POISON when freed; checked when next allocated (CONFIG_MM_PAGE_POISON). */
#define PAGE_FLAG_POISONED BIT(1)
/* A page of a shared mapping: counted in mm_stats.shared_pages until it is freed. */
#define PAGE_FLAG_SHARED BIT(2)

/*
 * The highest count a page may reach. A get beyond it is a reference leak (nothing shares
 * a page two billion times), so it panics rather than counting on.
 */
#define PAGE_REF_MAX 0x7fffffffL

/*
 * What a freed page is filled with: not a canonical Sv39 address, so a stale pointer loaded
 * from it faults when followed.
 */
#define PAGE_POISON 0x6b6b6b6b6b6b6b6bUL

/*
 * The page allocator's counters, read together with mm_stats_get(). Those of address spaces
 * (page-table pages, COW faults and copies) are in struct vm_stats, <inox/mm/vm.h>.
 */
struct mm_stats {
	unsigned long total_pages; /* pages of RAM in every bank */
	unsigned long free_pages; /* of which free, counting the per-hart caches */
	unsigned long reserved_pages; /* of which never handed out */
	unsigned long shared_pages; /* of which held by shared mappings (page_mark_shared()) */
};

/* Returns a free page with count 1, or NULL when none is left (never panics). */
struct page *page_alloc(void);

/* As page_alloc(), with the page's memory zeroed. */
struct page *page_alloc_zeroed(void);

/*
 * Returns the first of n physically contiguous pages (struct pages consecutive too), each
 * with count 1, or NULL if no such run is free (or n is 0). The run starts at a physical
 * address aligned to n pages rounded up to a power of two, at most 512 pages (2 MiB): a
 * 512-page run fits one Sv39 megapage. Each page is freed on its own, by its last put.
 */
struct page *page_alloc_run(size_t n);

/* The slow paths of the two below (out of line: panics, freeing). */
void z_page_ref_get_bad(struct page *page, long old);
void z_page_ref_put_last(struct page *page, long old);

/* Adds a reference. Panics if the page is free or would exceed PAGE_REF_MAX. Inline: fork
 * takes one per shared page. */
static inline void page_ref_get(struct page *page)
{
	long old = __atomic_fetch_add(&page->count, 1, __ATOMIC_RELAXED);

	if (__builtin_expect(old <= 0 || old >= PAGE_REF_MAX, 0)) {
		z_page_ref_get_bad(page, old);
	}
}

/*
 * page_ref_get() for fork's loop, which adds one reference per PTE it writes: the count then
 * stays below the number of PTEs that fit in RAM, far from PAGE_REF_MAX, so only the check
 * that the page is not free remains (one branch per page instead of three instructions).
 */
static inline void page_ref_get_mapped(struct page *page)
{
	long old = __atomic_fetch_add(&page->count, 1, __ATOMIC_RELAXED);

	if (__builtin_expect(old <= 0, 0)) {
		z_page_ref_get_bad(page, old);
	}
}

/* Drops a reference; the last one frees the page. Panics if the count is already 0. The
 * decision comes from the value the decrement returned, never from a re-read. */
static inline void page_ref_put(struct page *page)
{
	long old = atomic_add_acq_rel(&page->count, -1);

	if (__builtin_expect(old <= 1, 0)) {
		z_page_ref_put_last(page, old);
	}
}

/*
 * Drops a reference unless it is the last: true when it dropped one (others remain), false
 * when the caller holds the only one, which it keeps (count still 1). For an object whose
 * last holder must empty it before it is freed (a leaf table shared at fork puts the pages it
 * maps): "last" is decided by an atomic compare, never a read then a put, and the false
 * answer is an acquire, so that the caller sees what the other holders wrote before their
 * puts. Panics if the page is free.
 */
bool page_ref_put_unless_last(struct page *page);

/*
 * For loops over many pages of one bank (fork, exit): the struct page array of the bank
 * holding pa, with that bank's first pfn and size, or NULL if pa is not managed RAM. The
 * page of a pfn in [*base_pfn, *base_pfn + *npages) is then pages[pfn - *base_pfn].
 */
struct page *mm_bank_of(uintptr_t pa, unsigned long *base_pfn, unsigned long *npages);

/* The reference count right now (0: free). */
unsigned long page_ref_count(const struct page *page);

unsigned long page_to_pfn(const struct page *page);
uintptr_t page_to_pa(const struct page *page);
/* The page's direct-map address. */
void *page_to_virt(const struct page *page);
/* The struct page of the RAM page holding pa; NULL if pa is not RAM the allocator manages. */
struct page *pa_to_page(uintptr_t pa);

/* Pages free now, including those in the per-hart caches (exact when nothing allocates). */
unsigned long mm_free_pages(void);
/* Pages of RAM in every bank, reserved ones included. */
unsigned long mm_total_pages(void);
/* Pages of shared mappings now allocated (Linux's Shmem). */
unsigned long mm_shared_pages(void);
/* Counts p, which the caller has just allocated, as a page of a shared mapping until its last
 * put frees it. */
void page_mark_shared(struct page *p);
/* Fills *stats with a snapshot of the counters. */
void mm_stats_get(struct mm_stats *stats);

/* Copies one 4 KiB page; both addresses page-aligned. */
void page_copy(void *dst, const void *src);
/* Zeroes one 4 KiB page; dst page-aligned. */
void page_zero(void *dst);
/* Fills the 4 KiB page at dst with word (the poison of freed pages, zero, ...). */
void page_fill(void *dst, uint64_t word);

#endif /* INOX_MM_PAGE_H_ */
