/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The MMU interface: what generic memory management (subsys/mm) asks of an architecture, by
 * meaning, as FreeBSD's pmap and Linux's PTE accessors. Owned by the kernel, implemented by
 * each architecture in <inox/arch/<arch>/mmu.h> (inline: the PTE accessors sit in fork's and
 * exit's per-page loops) and its mmu.c. Generic code never sees a PTE bit, a CSR or a
 * register; doc/porting.md lists this interface with its contracts.
 *
 * Page tables form a tree whose leaves are tables of PT_LEAF_ENTRIES entries, each covering
 * PT_LEAF_SPAN bytes of address space. A leaf entry (pte_t) is 0 when nothing is mapped: a
 * loop over a table may test `pte_none()` and skip.
 *
 * Permissions are VM_READ, VM_WRITE, VM_EXEC. Write implies read (no architecture we know
 * has write-only pages). A user PTE is never writable and COW-marked at once.
 */
#ifndef INOX_ARCH_MMU_H_
#define INOX_ARCH_MMU_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VM_READ  0x1
#define VM_WRITE 0x2
#define VM_EXEC  0x4

#if defined(CONFIG_RISCV)
#include <inox/arch/riscv/mmu.h>
#else
#error "no MMU interface for this architecture"
#endif

/*
 * Implemented by every architecture, inline in its mmu.h:
 *
 *   PAGE_SIZE, PAGE_SHIFT, PT_LEAF_ENTRIES, PT_LEAF_SPAN, pte_t
 *   PT_DIR_SPAN                                    what one table of level-1 entries covers:
 *                                                  within a PT_DIR_SPAN-aligned span, the
 *                                                  entry after a pmd_t covers the next
 *                                                  PT_LEAF_SPAN (arch_pt_dir()'s + 1)
 *   unsigned int pt_leaf_index(uintptr_t va)       va's entry in its leaf table
 *   pte_t *pt_lookup(pte_t *root, uintptr_t va)    va's leaf entry if every table on the way
 *                                                  is installed, else NULL (no allocation)
 *   bool pte_none(pte_t)                           nothing mapped (the entry is 0)
 *   bool pte_writable(pte_t), pte_is_cow(pte_t), pte_exec(pte_t)
 *   unsigned long pte_pfn(pte_t); uintptr_t pte_pa(pte_t)
 *   pte_t pte_mk_user(uintptr_t pa, unsigned int prot)   a user page with prot; with prot 0
 *                                                  the entry holds the page (not none) but
 *                                                  no access reaches it, not even uaccess
 *   pte_t pte_share(pte_t, bool cow)               fork's share: read-only and COW-marked
 *                                                  when cow, else unchanged
 *   pte_t pte_mkwrite(pte_t)                       writable, the COW mark gone
 *   pte_t pte_modify(pte_t, unsigned int prot)     prot, but never writable (the fault grants it);
 *                                                  prot 0 as for pte_mk_user()
 *   pte_t pte_move(pte_t, uintptr_t pa, bool writable)   the same page's bits over another
 *                                                  page: the COW mark gone, W as told
 *   pmd_t                                          a level-1 entry: none, a leaf table
 *                                                  installed, or one shared at fork
 *   bool pmd_none(pmd_t), pmd_present(pmd_t)       0; a table the MMU walks through
 *   bool pmd_shared(pmd_t)                         no translation (any access faults), but
 *                                                  holding a leaf table fork shared
 *   uintptr_t pmd_pa(pmd_t)                        the leaf table, installed or shared
 *   pmd_t pmd_mk_table(uintptr_t), pmd_mk_shared(uintptr_t)   the two from a table's address
 *   void arch_tlb_flush_page(uintptr_t va), arch_tlb_flush_all(void)   this hart's TLB
 *   void arch_icache_sync_user(void)    the kernel wrote instructions user space will run:
 *                                       make every hart's fetches see them (see doc/mm.md)
 */

/* Allocates a zeroed page-table page (leaf: a leaf table, that the caller may fill whole
 * instead) for a walk; NULL when out of memory. */
typedef pte_t *(*pt_alloc_fn)(void *ctx, bool leaf);

/*
 * The leaf table covering va under root, or NULL if there is none (or it is shared, not
 * installed); *stop is set to the end,
 * capped at end, of the range the answer holds for (the leaf table's span, or all of a
 * missing upper table's, so that walks over empty space skip it whole). No locking of its
 * own: the caller keeps the tables still.
 */
pte_t *arch_pt_leaf(pte_t *root, uintptr_t va, uintptr_t end, uintptr_t *stop);
/* The level-1 entry for va under root, or NULL if its upper table is missing, with *stop as
 * for arch_pt_leaf(); or, with alloc, creating that table (NULL when alloc fails). */
pmd_t *arch_pt_dir(pte_t *root, uintptr_t va, uintptr_t end, uintptr_t *stop, pt_alloc_fn alloc,
		   void *ctx);
/* The leaf entry for va under root, creating the tables on the way with alloc(ctx, ...)
 * (NULL when it fails, when alloc is NULL and a table is missing, or when the level-1 entry
 * holds a shared table: pmd_shared(), which the caller resolves first). */
pte_t *arch_pt_walk(pte_t *root, uintptr_t va, pt_alloc_fn alloc, void *ctx);
/* Makes a new root (zeroed by the caller) share the kernel's half of the address space. */
void arch_pt_root_init(pte_t *root);
/* The token that selects root on this hart (root NULL: the kernel's own table). */
unsigned long arch_vm_token(const pte_t *root);
/* Switches this hart to the address space of token and flushes its TLB. */
void arch_vm_activate(unsigned long token);

#endif /* INOX_ARCH_MMU_H_ */
