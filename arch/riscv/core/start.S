/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kernel entry from the SBI firmware: S-mode, MMU off, a0 = hart id, a1 = DTB (physical),
 * running at the load address CONFIG_KERNEL_LOAD_ADDRESS.
 *
 * The kernel is linked at KERNEL_PA_TO_VA(load address). Before any absolute address is
 * used, _start turns on Sv39 with the boot page table below (gigapages: the image's GiB
 * identity-mapped for the switch itself, the image at its link address, and the direct map
 * of the first BOOT_DIRECT_MAP_GIB GiB of physical space), then jumps to its link address,
 * clears BSS and calls z_cstart(hartid, dtb_pa) on the boot stack.
 */
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/layout.h>

#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define GIB_PTE(pa, flags) ((((pa) >> 12) << 10) | (flags))

#define IMAGE_GIB_PA ((CONFIG_KERNEL_LOAD_ADDRESS >> 30) << 30)
#define IDENT_IDX    ((CONFIG_KERNEL_LOAD_ADDRESS >> 30) & 0x1ff)
#define IMAGE_IDX    ((KERNEL_PA_TO_VA_ASM(CONFIG_KERNEL_LOAD_ADDRESS) >> 30) & 0x1ff)
#define KERNEL_PA_TO_VA_ASM(pa) ((pa) + KERNEL_VIRT_OFFSET)
#define DMAP_IDX     ((DIRECT_MAP_BASE >> 30) & 0x1ff)

/*
 * Turns on Sv39 with z_boot_page_table and goes on at label `high`, by its link address (an
 * absolute address, not a PC-relative one). The code runs from its load address until then,
 * which the boot table maps to itself. Clobbers t0 and t1.
 */
.macro BOOT_MMU_ON_AT high
	lla	t0, z_boot_page_table
	srli	t0, t0, 12
	li	t1, SATP_MODE_SV39
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma
	ld	t0, 98f
	jr	t0
	.balign 8
98:	.dword	\high
.endm

	.section .text.entry, "ax"
	.global _start
_start:
	/*
	 * One hart runs the boot path. OpenSBI 1.1 on QEMU's sifive_u now and then sends a
	 * second hart here (about one boot in ten; its cold boot can even run twice): the
	 * loser goes back to the firmware's stopped state, from which z_smp_init() starts it
	 * like the others.
	 */
	lla	t0, z_boot_lottery
	li	t1, 1
	amoadd.w t1, t1, (t0)
	bnez	t1, .Lnot_boot_hart

	csrw	sie, zero
	csrw	sip, zero
	csrw	satp, zero
	BOOT_MMU_ON_AT .Lboot_high
.Lboot_high:
	lla	sp, z_boot_stack + CONFIG_BOOT_STACK_SIZE
	mv	fp, zero
	mv	tp, zero
	lla	t0, z_early_trap
	csrw	stvec, t0

	lla	t0, __bss_start
	lla	t1, __bss_end
2:
	bgeu	t0, t1, 3f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	2b
3:
	/* a0 = hart id and a1 = DTB are still as the firmware left them. */
	call	z_cstart
4:
	wfi
	j	4b

.Lnot_boot_hart:
	li	a7, 0x48534D	/* SBI HSM */
	li	a6, 1		/* hart_stop: no return if it worked */
	ecall
8:
	wfi
	j	8b

/*
 * A secondary hart, started by SBI HSM: a0 = hart id, a1 = its cpu index, MMU off. Same
 * switch to the link address, then z_secondary_cstart() on the sp the boot hart left in
 * z_secondary_sp[index].
 */
	.global z_riscv_secondary_start
z_riscv_secondary_start:
	csrw	sie, zero
	BOOT_MMU_ON_AT .Lsecondary_high
.Lsecondary_high:
	lla	t0, z_secondary_sp
	slli	t1, a1, 3
	add	t0, t0, t1
	ld	sp, 0(t0)
	mv	fp, zero
	lla	t0, z_early_trap
	csrw	stvec, t0
	call	z_secondary_cstart
7:
	wfi
	j	7b

/* Until the kernel installs its trap vector, any trap is fatal. */
	.balign 4
z_early_trap:
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	lla	sp, z_boot_stack + CONFIG_BOOT_STACK_SIZE
	call	z_early_fatal
5:
	wfi
	j	5b

	.section .data.boot_lottery, "aw"
	.balign 4
z_boot_lottery:
	.word	0

	.section .data.boot_page_table, "aw"
	.balign 4096
	.global z_boot_page_table
z_boot_page_table:
	/* Entries in ascending index order: .org cannot move backwards. */
	.org	z_boot_page_table + 8 * IDENT_IDX
	.dword	GIB_PTE(IMAGE_GIB_PA, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
	.org	z_boot_page_table + 8 * DMAP_IDX
	.set	gib, 0
	.rept	BOOT_DIRECT_MAP_GIB
	.dword	GIB_PTE(gib << 30, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G)
	.set	gib, gib + 1
	.endr
	.org	z_boot_page_table + 8 * IMAGE_IDX
	.dword	GIB_PTE(IMAGE_GIB_PA, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G)
	.org	z_boot_page_table + 4096

	.section .bss.boot_stack, "aw", @nobits
	.balign 16
	.global z_boot_stack
z_boot_stack:
	.space	CONFIG_BOOT_STACK_SIZE
