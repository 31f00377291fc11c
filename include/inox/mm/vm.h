/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User address spaces: a root page table whose kernel half is the kernel's own, and a list
 * of regions (text, data, heap, stack, anonymous mmap), each with its permissions. The fault
 * handler decides from the region, never from PTE bits alone.
 *
 * Locking: vm->lock (a spinlock) guards the page tables, the region tree, brk and
 * mmap_next; CONFIG_ASSERT builds check it (k_spin_is_held()) wherever they are changed. A
 * process has one thread, so the lock is contended only by fork of the same space (the
 * parent itself) and by nobody else; it is still taken so that the rules hold when that changes. Fork
 * relies on the one thread: it lets the lock go between chunks of its walk, so that a long
 * fork does not keep interrupts off, knowing nobody else changes the space meanwhile. A
 * multi-threaded process would need fork to keep the other threads out some other way.
 */
#ifndef INOX_MM_VM_H_
#define INOX_MM_VM_H_

#include <stdbool.h>
#include <stdint.h>
#include <inox/spinlock.h>
#include <inox/sys/util.h>
#include <inox/sys/rbtree.h>
#include <inox/arch/mmu.h>

/* User space: [USER_BASE, USER_TOP). */
#define USER_BASE      0x1000UL
#define USER_TOP       0x4000000000UL
#define USER_STACK_TOP USER_TOP
#define USER_MMAP_BASE 0x2000000000UL

enum vm_kind {
	VM_TEXT,
	VM_DATA,
	VM_HEAP,
	VM_STACK,
	VM_MMAP,
};

/*
 * A shared region (MAP_SHARED | MAP_ANONYMOUS): its pages are the same physical pages in
 * every process that maps it, allocated and mapped whole at mmap() and never copied on write
 * (fork maps them in the child as they are, with a reference each).
 */
#define VM_REGION_SHARED BIT(0)
/*
 * Private memory charged to the commit count (Linux's VM_ACCOUNT): a region made writable,
 * for its whole extent (the heap up to the break). It stays charged if made read-only
 * again, as on Linux; munmap, a shrinking brk and the end of the space give the pages back.
 */
#define VM_REGION_ACCOUNT BIT(1)
/* MAP_NORESERVE outside strict accounting: never charged, even if made writable. */
#define VM_REGION_NORESERVE BIT(2)

struct vm_region {
	struct rbnode node; /* in vm_space.regions, by address */
	uintptr_t start;
	uintptr_t end;
	unsigned int prot;
	enum vm_kind kind;
	unsigned int flags; /* VM_REGION_* */
};

struct vm_space {
	struct k_spinlock lock;
	pte_t *root;
	struct rbtree regions; /* non-overlapping, sorted by start */
	unsigned int nr_regions; /* at most CONFIG_MM_MAX_REGIONS */
	uintptr_t brk_start;
	uintptr_t brk;
	uintptr_t mmap_next;
	unsigned long pt_pages; /* page-table pages, root included */
	unsigned long pt_head; /* pfn of the newest table; the rest chained (vm.c) */
	unsigned long user_pages; /* user pages mapped (shared ones too) */
	unsigned long committed; /* pages its VM_REGION_ACCOUNT regions charged (vm_commit()) */
	/* Reachable from nowhere but its caller (a fork's child being built, a space being
	 * destroyed): changed without the lock. */
	bool detached;
};

/* Memory counters, readable from user space (SYS_inox_memstat). */
struct vm_stats {
	unsigned long cow_faults;
	unsigned long cow_copies;
	unsigned long cow_reuses;
	unsigned long pages_shared_at_fork;
	unsigned long pages_copied_at_fork;
	unsigned long page_table_pages;
	unsigned long lazy_faults;
	unsigned long icache_syncs; /* vm_icache_sync_user() calls */
};

extern struct vm_stats vm_stats;

/*
 * Call after the kernel wrote instructions into user pages (exec's text, eager fork's copy
 * of it), before the process runs them: counts it and makes every hart's instruction fetch
 * see them (arch_icache_sync_user()). doc/mm.md says where and why.
 */
void vm_icache_sync_user(void);

/* A new, empty space (kernel half shared). NULL when out of memory. */
struct vm_space *vm_space_create(void);
/* Frees every user page (one reference each), every page table and the space itself, and
 * gives back its commit charge. */
void vm_space_destroy(struct vm_space *vm);
/* Switches this hart to vm (NULL: the kernel's own table) and flushes the TLB. */
void vm_space_activate(struct vm_space *vm);
/* The token that selects vm on a hart (arch_vm_token(); NULL: the kernel's table). */
unsigned long vm_space_token(const struct vm_space *vm);

/* Adds a region [start, end) (page-aligned), charged to the commit count when writable (the
 * heap up to vm->brk): 0, -EINVAL (overlap, outside user space), -ENOMEM (no memory,
 * CONFIG_MM_MAX_REGIONS reached, or the overcommit policy). */
int vm_region_add(struct vm_space *vm, uintptr_t start, uintptr_t end, unsigned int prot,
		  enum vm_kind kind);
/* The region containing va, or NULL; O(log regions). vm->lock held. */
struct vm_region *vm_region_find(struct vm_space *vm, uintptr_t va);
/* Unmaps [start, end) (page-aligned) and drops those regions or parts of them: 0, or
 * -ENOMEM (a region would split in two, and there is no memory for the record or the region
 * cap is reached; nothing changed). */
int vm_unmap(struct vm_space *vm, uintptr_t start, uintptr_t end);

/* Changes the permissions of [start, end) (page-aligned), splitting regions, and charges a
 * private region made writable for the first time: 0, -ENOMEM (a page of the range in no
 * region, no memory or region cap for a split, or the overcommit policy; nothing changed). */
int vm_protect(struct vm_space *vm, uintptr_t start, uintptr_t end, unsigned int prot);

/* Maps one page at va to a new zeroed page with permissions prot (replacing any page mapped
 * there) and returns its kernel address, or NULL when out of memory. For loading programs. */
void *vm_map_new_page(struct vm_space *vm, uintptr_t va, unsigned int prot);

/* Copies the user part of src into a new space: sharing pages copy-on-write when cow (only
 * with CONFIG_MM_COW), else copying them, and charging the child what the parent has
 * committed. On failure returns NULL having freed and uncharged everything it took (out of
 * memory or refused by the overcommit policy: -ENOMEM to the caller). */
struct vm_space *vm_space_fork(struct vm_space *src, bool cow);

/* Sets the program break, charging what it grows by and giving back what it shrinks by:
 * returns the new break, or the old one if brk cannot move there (outside the heap, or the
 * overcommit policy refuses the growth). */
uintptr_t vm_brk(struct vm_space *vm, uintptr_t brk);
/*
 * Anonymous mapping of len bytes with prot and flags (VM_REGION_SHARED, VM_REGION_NORESERVE),
 * private (zeroed pages at first touch; charged when writable) or shared (every page
 * allocated zeroed and mapped now, see VM_REGION_SHARED). Returns its address, or -EINVAL
 * (len), -ENOMEM (no room, no memory, region cap, the overcommit policy; nothing left
 * mapped or charged).
 */
long vm_mmap(struct vm_space *vm, uintptr_t hint, size_t len, unsigned int prot,
	     unsigned int flags);

/*
 * Commit accounting (subsys/mm/commit.c). vm_commit() charges pages of memory about to be
 * promised: 0, or -ENOMEM when the overcommit policy (CONFIG_MM_OVERCOMMIT_*) refuses them,
 * nothing charged. vm_uncommit() gives back pages charged before. vm_committed_pages() is
 * what is charged now, the pages of shared mappings included (Linux's Committed_AS), and
 * vm_commit_limit() the limit strict accounting keeps it under (Linux's CommitLimit).
 */
int vm_commit(unsigned long pages);
void vm_uncommit(unsigned long pages);
unsigned long vm_committed_pages(void);
unsigned long vm_commit_limit(void);

/*
 * Resolves a page fault at va (access: VM_READ for a load, VM_WRITE for a store, VM_EXEC
 * for an instruction fetch) in vm: lazy
 * allocation of a zeroed page in any region that allows the access (the heap only below the
 * break), and copy-on-write. Returns 0 when resolved,
 * -EFAULT when no region allows it, -EACCES when the region there forbids it, -ENOMEM when a
 * page could not be had. Takes vm->lock.
 */
int vm_fault(struct vm_space *vm, uintptr_t va, unsigned int access);

#endif /* INOX_MM_VM_H_ */
