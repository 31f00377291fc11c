/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Commit accounting: the private writable memory that mmap, brk, mprotect, fork and exec
 * have promised, in pages, and the overcommit policy that decides whether a new promise is
 * refused (CONFIG_MM_OVERCOMMIT_*, Linux's vm.overcommit_memory modes 0, 1 and 2). The
 * count also includes the pages of shared mappings, which exist from mmap() on
 * (mm_shared_pages()). Linux's __vm_enough_memory(), without swap.
 */
#include <inox/kernel.h>
#include <inox/mm/page.h>
#include <inox/mm/vm.h>

/* Pages of private writable memory promised now (the sum of every space's committed). */
static atomic_t vm_committed;

/* Pages of RAM the allocator manages: all of it but the kernel's reserve. */
static unsigned long managed_pages(void)
{
	struct mm_stats st;

	mm_stats_get(&st);
	return st.total_pages - st.reserved_pages;
}

/* Enforced only by strict accounting; every mode reports it, as Linux's CommitLimit. */
unsigned long vm_commit_limit(void)
{
	return managed_pages() * CONFIG_MM_OVERCOMMIT_RATIO / 100;
}

unsigned long vm_committed_pages(void)
{
	return (unsigned long)atomic_get(&vm_committed) + mm_shared_pages();
}

int vm_commit(unsigned long pages)
{
	long total;

	if (pages == 0) {
		return 0;
	}
	if (IS_ENABLED(CONFIG_MM_OVERCOMMIT_HEURISTIC) && pages > managed_pages()) {
		return -ENOMEM;
	}
	/* Charged first, then checked, so that two racing charges cannot both pass. */
	total = atomic_add(&vm_committed, pages) + pages;
	if (IS_ENABLED(CONFIG_MM_OVERCOMMIT_NEVER) &&
	    (unsigned long)total + mm_shared_pages() > vm_commit_limit()) {
		atomic_sub(&vm_committed, pages);
		return -ENOMEM;
	}
	return 0;
}

void vm_uncommit(unsigned long pages)
{
	long old = atomic_sub(&vm_committed, pages);

	if (old < (long)pages) {
		panic("vm_uncommit: %lu pages, only %ld committed", pages, old);
	}
}
