/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sv39 page-table entries and the kernel's mapping calls: RISC-V's side of the MMU interface
 * (<inox/arch/mmu.h>, which generic code includes instead of this). The only file that knows
 * what the bits of a PTE mean, bit 8 (the first RSW bit) marking a COW page among them.
 */
#ifndef INOX_ARCH_RISCV_MMU_H_
#define INOX_ARCH_RISCV_MMU_H_

#ifndef INOX_ARCH_MMU_H_
#error "include <inox/arch/mmu.h>, the MMU interface, not the RISC-V header"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <inox/arch/riscv/layout.h>

typedef uint64_t pte_t;

#define PAGE_SIZE        4096UL
#define PAGE_SHIFT       12
#define PTE_V            (1UL << 0)
#define PTE_R            (1UL << 1)
#define PTE_W            (1UL << 2)
#define PTE_X            (1UL << 3)
#define PTE_U            (1UL << 4)
#define PTE_G            (1UL << 5)
#define PTE_A            (1UL << 6)
#define PTE_D            (1UL << 7)
#define PTE_COW          (1UL << 8) /* first RSW bit: a shared page to copy on write */
#define PTE_PPN_SHIFT    10
#define PTE_PA(pte)      (((pte) >> PTE_PPN_SHIFT) << PAGE_SHIFT)
#define PA_TO_PTE(pa)    (((uintptr_t)(pa) >> PAGE_SHIFT) << PTE_PPN_SHIFT)
#define PTE_IS_LEAF(pte) (((pte) & (PTE_R | PTE_W | PTE_X)) != 0)

/* Index of va in the page table of `level` (2: root, 1: 2 MiB, 0: 4 KiB). */
#define VPN(va, level) (((uintptr_t)(va) >> (PAGE_SHIFT + 9 * (level))) & 0x1ff)

#define PT_LEAF_ENTRIES 512
#define PT_LEAF_SPAN    (PAGE_SIZE * PT_LEAF_ENTRIES)
#define PTE_USER        (PTE_V | PTE_U | PTE_A | PTE_D)
#define PTE_PERMS       (PTE_R | PTE_W | PTE_X)

/* What one level-1 table (512 pmd_t) covers. */
#define PT_DIR_SPAN (PT_LEAF_SPAN * 512)

/* The leaf entry for va under root when both tables above it are installed, else NULL (a
 * table missing or shared, or a large page): the fault path's common case, inline. */
static inline pte_t *pt_lookup(pte_t *root, uintptr_t va)
{
	pte_t e = root[VPN(va, 2)];

	if ((e & (PTE_V | PTE_PERMS)) != PTE_V) {
		return NULL;
	}
	e = ((pte_t *)z_phys_to_virt(PTE_PA(e)))[VPN(va, 1)];
	if ((e & (PTE_V | PTE_PERMS)) != PTE_V) {
		return NULL;
	}
	return &((pte_t *)z_phys_to_virt(PTE_PA(e)))[VPN(va, 0)];
}

static inline unsigned int pt_leaf_index(uintptr_t va)
{
	return VPN(va, 0);
}

/* Nothing mapped: the kernel writes an unmapped leaf entry as 0, never as a stray bit. */
static inline bool pte_none(pte_t pte)
{
	return pte == 0;
}

static inline bool pte_writable(pte_t pte)
{
	return (pte & PTE_W) != 0;
}

static inline bool pte_is_cow(pte_t pte)
{
	return (pte & PTE_COW) != 0;
}

static inline bool pte_exec(pte_t pte)
{
	return (pte & PTE_X) != 0;
}

/* The pfn: bits 10..53 (bits 54..63 are 0 in every PTE Inox writes: no Svpbmt, no Svnapot). */
static inline unsigned long pte_pfn(pte_t pte)
{
	return pte >> PTE_PPN_SHIFT;
}

static inline uintptr_t pte_pa(pte_t pte)
{
	return PTE_PA(pte);
}

/* The PTE bits of VM_* permissions (W without R is reserved: write implies read). */
static inline pte_t pte_prot_bits(unsigned int prot)
{
	if (prot & VM_WRITE) {
		prot |= VM_READ;
	}
	return ((prot & VM_READ) ? PTE_R : 0) | ((prot & VM_WRITE) ? PTE_W : 0) |
	       ((prot & VM_EXEC) ? PTE_X : 0);
}

/* A user entry's bits around permissions perms. With no permission at all, V stays clear (V
 * without R, W or X would point to a page table): the entry still holds its page, but neither
 * the process nor the kernel's uaccess can reach it. */
static inline pte_t pte_user_bits(pte_t perms)
{
	return perms != 0 ? PTE_USER | perms : PTE_USER & ~PTE_V;
}

static inline pte_t pte_mk_user(uintptr_t pa, unsigned int prot)
{
	return PA_TO_PTE(pa) | pte_user_bits(pte_prot_bits(prot));
}

/* Fork's share of a page: read-only and COW-marked when cow (a page of a writable region),
 * as it is otherwise. Branch-free, so that fork's loop keeps the masks in registers. */
static inline pte_t pte_share(pte_t pte, bool cow)
{
	pte_t clear = cow ? PTE_W : 0;
	pte_t set = cow ? PTE_COW : 0;

	return (pte & ~clear) | set;
}

static inline pte_t pte_mkwrite(pte_t pte)
{
	return (pte & ~PTE_COW) | PTE_W;
}

static inline pte_t pte_modify(pte_t pte, unsigned int prot)
{
	return (pte & ~(PTE_PERMS | PTE_USER)) | pte_user_bits(pte_prot_bits(prot) & ~PTE_W);
}

static inline pte_t pte_move(pte_t pte, uintptr_t pa, bool writable)
{
	return PA_TO_PTE(pa) | (pte & ((1UL << PTE_PPN_SHIFT) - 1) & ~(PTE_COW | PTE_W)) |
	       (writable ? PTE_W : 0);
}

/*
 * Level-1 entries (pmd_t), each covering one leaf table's PT_LEAF_SPAN. A non-leaf Sv39 entry
 * has no write bit, so a leaf table fork shares cannot be made read-only from above: the entry
 * is made invalid instead (V clear, which the MMU reads as "fault", ignoring every other bit)
 * and keeps the table's pfn and PMD_SHARED (the first RSW bit) for the fault handler.
 */
typedef pte_t pmd_t;

#define PMD_SHARED (1UL << 8)

static inline bool pmd_none(pmd_t pmd)
{
	return pmd == 0;
}

/* A leaf table installed: the MMU walks through it. */
static inline bool pmd_present(pmd_t pmd)
{
	return (pmd & PTE_V) != 0;
}

/* Invalid, and holding a leaf table shared at fork. */
static inline bool pmd_shared(pmd_t pmd)
{
	return (pmd & (PTE_V | PMD_SHARED)) == PMD_SHARED;
}

/* The leaf table's physical address, installed or shared. */
static inline uintptr_t pmd_pa(pmd_t pmd)
{
	return PTE_PA(pmd);
}

static inline pmd_t pmd_mk_table(uintptr_t table_pa)
{
	return PA_TO_PTE(table_pa) | PTE_V;
}

static inline pmd_t pmd_mk_shared(uintptr_t table_pa)
{
	return PA_TO_PTE(table_pa) | PMD_SHARED;
}

/*
 * Maps the MMIO range [pa, pa + size) into the kernel (read/write, never executable) and
 * returns its virtual address. Drivers call it from their init with DT_REG_ADDR/SIZE.
 */
void *device_map(uintptr_t pa, size_t size);

/* Flushes this hart's TLB entry for va (all address spaces), or everything. */
static inline void arch_tlb_flush_page(uintptr_t va)
{
	__asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}

static inline void arch_tlb_flush_all(void)
{
	__asm__ volatile("sfence.vma" : : : "memory");
}

/* Flushes va (or, with size 0, everything) on every other online hart, through SBI RFENCE. */
void arch_tlb_flush_remote(uintptr_t va, size_t size);

/*
 * The kernel has just written instructions a process will fetch (exec's text, an eager
 * fork's copy of it): makes this hart's instruction fetches see them (fence.i), and has
 * every other hart do the same before it next runs a process (arch_vm_switch). RISC-V keeps
 * instruction fetch coherent with stores only through fence.i, and only on the hart that
 * executes it.
 */
void arch_icache_sync_user(void);

#endif /* INOX_ARCH_RISCV_MMU_H_ */
