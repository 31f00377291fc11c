/* SPDX-License-Identifier: Apache-2.0 */
/* The page allocator's state, shared by its boot code (page_init.c) and page_alloc.c. */
#ifndef INOX_SUBSYS_MM_PAGE_INTERNAL_H_
#define INOX_SUBSYS_MM_PAGE_INTERNAL_H_

#include <inox/kernel.h>
#include <inox/devicetree.h>
#include <inox/boot_dt.h>
#include <inox/mm/page.h>

#define BITS_PER_WORD 64

/*
 * One RAM bank (a devicetree memory node). Its struct pages and its free map both live in
 * the bank's own RAM, reached through the direct map.
 */
struct mm_bank {
	unsigned long base_pfn;
	unsigned long npages;
	struct page *pages; /* npages of them */
	/*
	 * Bit i set: page i is in the global free map (not in a hart's cache, not allocated,
	 * not reserved). Bits past npages are 0. Guarded by mm_lock.
	 */
	unsigned long *free_map;
	unsigned long free; /* bits set in free_map; mm_lock */
	unsigned long cursor; /* word where the next single-page search starts; mm_lock */
};

/* Banks in address order; only the first mm_num_banks are filled in. */
extern struct mm_bank mm_banks[Z_RAM_BANKS_MAX];
extern unsigned int mm_num_banks;
/* Guards every bank's free_map, free and cursor. */
extern struct k_spinlock mm_lock;
extern unsigned long mm_reserved_pages;

#endif /* INOX_SUBSYS_MM_PAGE_INTERNAL_H_ */
