/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory counters SYS_inox_memstat copies out, shared by the kernel and user programs.
 * Every field is a uint64_t so the layout is the same everywhere; counters only grow, except
 * page_table_pages, free_pages, shared_pages and the commit fields, which are current values.
 * New fields go at the end, so that the old ones keep their offsets.
 */
#ifndef INOX_UAPI_MEMSTAT_H_
#define INOX_UAPI_MEMSTAT_H_

#include <stdint.h>

/* The overcommit policy (CONFIG_MM_OVERCOMMIT_*), numbered as Linux's vm.overcommit_memory. */
#define INOX_OVERCOMMIT_GUESS  0 /* heuristic: refuses only a request larger than RAM */
#define INOX_OVERCOMMIT_ALWAYS 1 /* never refuses */
#define INOX_OVERCOMMIT_NEVER  2 /* strict: charged against commit_limit_pages */

struct inox_memstat {
	uint64_t cow_faults; /* store faults on a copy-on-write page */
	uint64_t cow_copies; /* ... resolved by copying the page */
	uint64_t cow_reuses; /* ... resolved in place (last sharer) */
	uint64_t pages_shared_at_fork; /* pages fork() shared instead of copying */
	uint64_t pages_copied_at_fork; /* pages fork() copied */
	uint64_t page_table_pages; /* pages now used by user page tables */
	uint64_t free_pages; /* pages now free */
	uint64_t total_pages; /* pages the allocator manages */
	uint64_t shared_pages; /* pages now held by shared mappings (MAP_SHARED), once each */
	uint64_t committed_pages; /* promised now: private writable + shared */
	uint64_t commit_limit_pages; /* what strict accounting keeps it under (CommitLimit) */
	uint64_t overcommit_mode; /* INOX_OVERCOMMIT_*, Linux's vm.overcommit_memory */
	uint64_t icache_syncs; /* instruction fences after the kernel wrote user text */
	uint64_t tables_shared_at_fork; /* leaf page tables fork() shared (2 MiB each) */
	uint64_t table_copies; /* ... that a sharer's first access then copied */
	uint64_t table_reuses; /* ... that the last sharer's first access took back as they were */
	uint64_t zero_page_maps; /* mappings of the shared zero page now */
	uint64_t zero_page_faults; /* loads from untouched memory that mapped the zero page */
	uint64_t zero_page_breaks; /* stores that then replaced it with a page of their own */
};

#endif /* INOX_UAPI_MEMSTAT_H_ */
