/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User address spaces: a root page table whose kernel half is the kernel's own, and a list
 * of regions (text, data, heap, stack, anonymous mmap), each with its permissions. The fault
 * handler decides from the region, never from PTE bits alone.
 *
 * Locking: vm->lock (a spinlock) guards the page tables and the region list. A process has
 * one thread, so the lock is contended only by fork of the same space (the parent itself)
 * and by nobody else; it is still taken so that the rules hold when that changes. Fork
 * relies on the one thread: it lets the lock go between chunks of its walk, so that a long
 * fork does not keep interrupts off, knowing nobody else changes the space meanwhile. A
 * multi-threaded process would need fork to keep the other threads out some other way.
 */
#ifndef INOX_MM_VM_H_
#define INOX_MM_VM_H_

#include <stdbool.h>
#include <stdint.h>
#include <inox/spinlock.h>
#include <inox/sys/rbtree.h>
#include <inox/arch/riscv/mmu.h>

/* User space: [USER_BASE, USER_TOP). */
#define USER_BASE      0x1000UL
#define USER_TOP       0x4000000000UL
#define USER_STACK_TOP USER_TOP
#define USER_MMAP_BASE 0x2000000000UL

#define VM_READ  0x1
#define VM_WRITE 0x2
#define VM_EXEC  0x4

enum vm_kind {
	VM_TEXT,
	VM_DATA,
	VM_HEAP,
	VM_STACK,
	VM_MMAP,
};

struct vm_region {
	struct rbnode node; /* in vm_space.regions, by address */
	uintptr_t start;
	uintptr_t end;
	unsigned int prot;
	enum vm_kind kind;
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
/* Frees every user page (one reference each), every page table and the space itself. */
void vm_space_destroy(struct vm_space *vm);
/* Switches this hart to vm (NULL: the kernel's own table) and flushes the TLB. */
void vm_space_activate(struct vm_space *vm);
/* The satp value that selects vm (NULL: the kernel's table). */
unsigned long vm_space_satp(const struct vm_space *vm);

/* Adds a region [start, end) (page-aligned): 0, -EINVAL (overlap, outside user space),
 * -ENOMEM (no memory, or CONFIG_MM_MAX_REGIONS reached). */
int vm_region_add(struct vm_space *vm, uintptr_t start, uintptr_t end, unsigned int prot,
		  enum vm_kind kind);
/* The region containing va, or NULL; O(log regions). vm->lock held. */
struct vm_region *vm_region_find(struct vm_space *vm, uintptr_t va);
/* Unmaps [start, end) (page-aligned) and drops those regions or parts of them: 0, or
 * -ENOMEM (a region would split in two, and there is no memory for the record or the region
 * cap is reached; nothing changed). */
int vm_unmap(struct vm_space *vm, uintptr_t start, uintptr_t end);

/* Changes the permissions of [start, end) (page-aligned), splitting regions: 0, -ENOMEM
 * (a page of the range in no region, or no memory or region cap for a split; nothing
 * changed). */
int vm_protect(struct vm_space *vm, uintptr_t start, uintptr_t end, unsigned int prot);

/* Maps one page at va to a new zeroed page with permissions prot (replacing any page mapped
 * there) and returns its kernel address, or NULL when out of memory. For loading programs. */
void *vm_map_new_page(struct vm_space *vm, uintptr_t va, unsigned int prot);

/* Copies the user part of src into a new space: sharing pages copy-on-write when cow (only
 * with CONFIG_MM_COW), else copying them. On failure returns NULL having freed everything it
 * took (out of memory: -ENOMEM to the caller). */
struct vm_space *vm_space_fork(struct vm_space *src, bool cow);

/* Sets the program break: returns the new break, or the old one if brk cannot move there. */
uintptr_t vm_brk(struct vm_space *vm, uintptr_t brk);
/* Anonymous private mapping of len bytes with prot; returns its address or -errno. */
long vm_mmap(struct vm_space *vm, uintptr_t hint, size_t len, unsigned int prot);

/*
 * Resolves a page fault at va (write: a store; exec: an instruction fetch) in vm: lazy
 * allocation of a zeroed page in any region that allows the access (the heap only below the
 * break), and copy-on-write. Returns 0 when resolved,
 * -EFAULT when the access is not allowed (no region, wrong permission), -ENOMEM when a
 * page could not be had. Takes vm->lock.
 */
int vm_fault(struct vm_space *vm, uintptr_t va, bool write, bool exec);

#endif /* INOX_MM_VM_H_ */
