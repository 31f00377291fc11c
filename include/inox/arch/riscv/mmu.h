/* SPDX-License-Identifier: Apache-2.0 */
/* Sv39 page-table entries and the kernel's mapping calls. */
#ifndef INOX_ARCH_RISCV_MMU_H_
#define INOX_ARCH_RISCV_MMU_H_

#include <stddef.h>
#include <stdint.h>

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
