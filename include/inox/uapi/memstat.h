/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory counters SYS_inox_memstat copies out, shared by the kernel and user programs.
 * Every field is a uint64_t so the layout is the same everywhere; counters only grow, except
 * page_table_pages and free_pages, which are current values.
 */
#ifndef INOX_UAPI_MEMSTAT_H_
#define INOX_UAPI_MEMSTAT_H_

#include <stdint.h>

struct inox_memstat {
	uint64_t cow_faults; /* store faults on a copy-on-write page */
	uint64_t cow_copies; /* ... resolved by copying the page */
	uint64_t cow_reuses; /* ... resolved in place (last sharer) */
	uint64_t pages_shared_at_fork; /* pages fork() shared instead of copying */
	uint64_t pages_copied_at_fork; /* pages fork() copied */
	uint64_t page_table_pages; /* pages now used by user page tables */
	uint64_t free_pages; /* pages now free */
	uint64_t total_pages; /* pages the allocator manages */
	uint64_t icache_syncs; /* instruction fences after the kernel wrote user text */
};

#endif /* INOX_UAPI_MEMSTAT_H_ */
