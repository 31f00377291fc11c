/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel page table (Sv39). arch_mmu_init() replaces start.S's gigapage boot table
 * with the final map: the image at its link address with per-section permissions (text
 * R+X, rodata R, data and bss R+W: W^X), and the direct map of the devicetree's RAM (R+W,
 * never X). MMIO is added by device_map() as drivers ask. Every kernel mapping is global
 * (PTE_G): process page tables will share the kernel's top-level entries.
 *
 * Page-table pages come from a static pool until the page allocator exists.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/boot_dt.h>
#include <inox/devicetree.h>
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/cpu.h>
#include <inox/arch/riscv/layout.h>
#include <inox/arch/riscv/sbi.h>
#include <inox/arch/mmu.h>
#include "kernel_arch_interface.h"

#define LEVELS       3
#define KERNEL_FLAGS (PTE_V | PTE_A | PTE_D | PTE_G)

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __image_end[];

static pte_t __aligned(PAGE_SIZE) pt_pool[CONFIG_KERNEL_PT_POOL_PAGES][512];
static unsigned int pt_pool_used;
static pte_t *kernel_root;
static struct k_spinlock mmu_lock;
unsigned long z_kernel_satp;

static pte_t *table_va(pte_t pte)
{
	return z_phys_to_virt(PTE_PA(pte));
}

/* A zeroed page-table page of the kernel's; panics when the pool is exhausted. */
static pte_t *pt_alloc(void *ctx, bool leaf)
{
	if (pt_pool_used == CONFIG_KERNEL_PT_POOL_PAGES) {
		panic("pt_alloc: kernel page-table pool of %d pages exhausted",
		      CONFIG_KERNEL_PT_POOL_PAGES);
	}
	return pt_pool[pt_pool_used++];
}

/*
 * The one walker, for the kernel's table and every process's: the entry for va at `level`,
 * creating the tables above it with alloc(ctx, leaf) (leaf: the table made is the level-0
 * one). NULL if a table is missing and alloc is NULL or fails, or if a bigger leaf maps va.
 */
static pte_t *pt_walk(pte_t *root, uintptr_t va, int level, pt_alloc_fn alloc, void *ctx)
{
	pte_t *table = root;

	for (int l = LEVELS - 1; l > level; l--) {
		pte_t *pte = &table[VPN(va, l)];

		if (*pte == 0) {
			pte_t *next = alloc != NULL ? alloc(ctx, l == 1) : NULL;

			if (next == NULL) {
				return NULL;
			}
			*pte = PA_TO_PTE(z_virt_to_phys(next)) | PTE_V;
		} else if (!(*pte & PTE_V) || PTE_IS_LEAF(*pte)) {
			/* A leaf table shared at fork (pmd_shared()), or a large page. */
			return NULL;
		}
		table = table_va(*pte);
	}
	return &table[VPN(va, level)];
}

static pte_t *walk_create(pte_t *root, uintptr_t va, int level)
{
	return pt_walk(root, va, level, pt_alloc, NULL);
}

pte_t *arch_pt_walk(pte_t *root, uintptr_t va, pt_alloc_fn alloc, void *ctx)
{
	return pt_walk(root, va, 0, alloc, ctx);
}

pte_t *arch_pt_leaf(pte_t *root, uintptr_t va, uintptr_t end, uintptr_t *stop)
{
	pte_t pte = root[VPN(va, 2)];
	uintptr_t span = PAGE_SIZE << 18;
	pte_t *l0 = NULL;

	if (pte & PTE_V) {
		span = PT_LEAF_SPAN;
		pte = table_va(pte)[VPN(va, 1)];
		l0 = (pte & PTE_V) ? table_va(pte) : NULL;
	}
	*stop = MIN(ROUND_DOWN(va, span) + span, end);
	return l0;
}

pmd_t *arch_pt_dir(pte_t *root, uintptr_t va, uintptr_t end, uintptr_t *stop, pt_alloc_fn alloc,
		   void *ctx)
{
	pte_t pte = root[VPN(va, 2)];
	uintptr_t span = PT_LEAF_SPAN;
	pmd_t *pmd = NULL;

	if (pte & PTE_V) {
		pmd = &table_va(pte)[VPN(va, 1)];
	} else if (alloc != NULL) {
		pmd = pt_walk(root, va, 1, alloc, ctx);
	} else {
		span = PAGE_SIZE << 18;
	}
	*stop = MIN(ROUND_DOWN(va, span) + span, end);
	return pmd;
}

/* The root entries of the lower half, user space; the upper half is the kernel's. */
#define USER_ROOT_ENTRIES 256

void arch_pt_root_init(pte_t *root)
{
	memcpy(&root[USER_ROOT_ENTRIES], &kernel_root[USER_ROOT_ENTRIES],
	       (512 - USER_ROOT_ENTRIES) * sizeof(pte_t));
}

unsigned long arch_vm_token(const pte_t *root)
{
	return root == NULL ? z_kernel_satp : SATP_MODE_SV39 | (z_virt_to_phys(root) >> PAGE_SHIFT);
}

/*
 * Maps [va, va + size) to pa with the largest pages (up to max_level) alignment allows.
 * Lock held, or boot.
 */
static void map_range(uintptr_t va, uintptr_t pa, size_t size, unsigned long flags, int max_level)
{
	uintptr_t end = va + ROUND_UP(size, PAGE_SIZE);

	va = ROUND_DOWN(va, PAGE_SIZE);
	pa = ROUND_DOWN(pa, PAGE_SIZE);
	while (va < end) {
		int level = 0;
		pte_t *pte;

		for (int l = max_level; l > 0; l--) {
			size_t sz = PAGE_SIZE << (9 * l);

			if (IS_ALIGNED(va | pa, sz) && end - va >= sz) {
				level = l;
				break;
			}
		}
		pte = walk_create(kernel_root, va, level);
		if (pte != NULL && !(*pte & PTE_V)) {
			*pte = PA_TO_PTE(pa) | flags | KERNEL_FLAGS;
		}
		va += PAGE_SIZE << (9 * level);
		pa += PAGE_SIZE << (9 * level);
	}
}

static void map_image(char *start, char *end, unsigned long flags)
{
	/* 4 KiB pages only, so any page (a stack's guard) can be unmapped later. */
	map_range((uintptr_t)start, KERNEL_VA_TO_PA(start), end - start, flags, 0);
}

void arch_mmu_init(void)
{
	kernel_root = pt_alloc(NULL, false);
	map_image(__text_start, __text_end, PTE_R | PTE_X);
	map_image(__rodata_start, __rodata_end, PTE_R);
	map_image(__data_start, __image_end, PTE_R | PTE_W);
	/* RAM as the firmware's devicetree (or the compiled one) says: z_boot_dt_init(). */
	for (unsigned int i = 0; i < z_num_ram_banks; i++) {
		map_range(DIRECT_MAP_BASE + z_ram_banks[i].start, z_ram_banks[i].start,
			  z_ram_banks[i].end - z_ram_banks[i].start, PTE_R | PTE_W, 2);
	}
	/* Every root entry of the direct map exists from now on: process page tables copy
	 * the kernel's root entries once, so later MMIO mappings must land below them. */
	for (int i = 0; i < BOOT_DIRECT_MAP_GIB; i++) {
		pte_t *pte = &kernel_root[VPN(DIRECT_MAP_BASE, 2) + i];

		if (!(*pte & PTE_V)) {
			*pte = PA_TO_PTE(z_virt_to_phys(pt_alloc(NULL, false))) | PTE_V;
		}
	}
	z_kernel_satp = SATP_MODE_SV39 | (z_virt_to_phys(kernel_root) >> PAGE_SHIFT);
	arch_mmu_init_secondary();
}

void arch_mmu_init_secondary(void)
{
	arch_tlb_flush_all();
	csr_write(satp, z_kernel_satp);
	arch_tlb_flush_all();
	arch_curr_cpu()->satp = z_kernel_satp;
}

void arch_vm_activate(unsigned long token)
{
	struct cpu *cpu = arch_curr_cpu();

	csr_write(satp, token);
	arch_tlb_flush_all();
	cpu->satp = token;
}

/* Bumped each time the kernel wrote user instructions; see arch_icache_sync_user(). */
static unsigned long z_icache_gen;

void arch_icache_sync_user(void)
{
	unsigned long gen = __atomic_add_fetch(&z_icache_gen, 1, __ATOMIC_RELEASE);

	__asm__ volatile("fence.i" ::: "memory");
	arch_curr_cpu()->icache_gen = gen;
}

void arch_vm_switch(struct k_thread *next)
{
	struct cpu *cpu = arch_curr_cpu();
	unsigned long gen;

	if (next->vm_token == 0) {
		if (cpu->satp != z_kernel_satp) {
			arch_vm_activate(z_kernel_satp);
		}
		return;
	}
	/* Without ASIDs the TLB may hold this space's entries from an earlier visit, changed
	 * since on another hart (fork made pages read-only there): flush unless this hart
	 * ran it last and nothing else ran it since. */
	if (cpu->satp != next->vm_token || cpu->last_user != next ||
	    next->last_cpu != (int)cpu->id) {
		arch_vm_activate(next->vm_token);
	}
	cpu->last_user = next;
	next->last_cpu = cpu->id;
	/* User text written since this hart last fenced (by another hart, or for a process
	 * now moving here): a process runs here next, so fetch what was written. Cheaper than
	 * an SBI remote fence.i to every hart at each write, and exact for where it matters. */
	gen = __atomic_load_n(&z_icache_gen, __ATOMIC_ACQUIRE);
	if (cpu->icache_gen != gen) {
		__asm__ volatile("fence.i" ::: "memory");
		cpu->icache_gen = gen;
	}
}

void *device_map(uintptr_t pa, size_t size)
{
	k_spinlock_key_t key = k_spin_lock(&mmu_lock);

	map_range(DIRECT_MAP_BASE + pa, pa, size + (pa & (PAGE_SIZE - 1)), PTE_R | PTE_W, 2);
	k_spin_unlock(&mmu_lock, key);
	arch_tlb_flush_all();
	return z_phys_to_virt(pa);
}

void arch_stack_guard_set(uintptr_t va)
{
	k_spinlock_key_t key = k_spin_lock(&mmu_lock);
	pte_t *pte = walk_create(kernel_root, va, 0);
	bool was_mapped;

	if (pte == NULL) {
		panic("arch_stack_guard_set: %lx is inside a large page", va);
	}
	was_mapped = (*pte & PTE_V) != 0;
	*pte = 0;
	k_spin_unlock(&mmu_lock, key);
	/* A stack reused (a process slot, a thread re-created) has its guard unmapped already:
	 * no hart can hold a TLB entry for it, so no flush, above all no remote one. */
	if (was_mapped) {
		arch_tlb_flush_page(va);
		arch_tlb_flush_remote(va, PAGE_SIZE);
	}
}

/* The leaf entry mapping va in the kernel table, or 0 (for reports and tests). */
pte_t z_riscv_kernel_pte(uintptr_t va)
{
	pte_t *table = kernel_root;

	for (int l = LEVELS - 1; l >= 0; l--) {
		pte_t pte = table[VPN(va, l)];

		if (!(pte & PTE_V) || PTE_IS_LEAF(pte)) {
			return pte;
		}
		table = table_va(pte);
	}
	return 0;
}
