/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel's virtual address layout (Sv39, upper half; see doc/kernel.md).
 *
 *   0xffffffff80000000 + (pa - 0x80000000)  the kernel image (linked there; text, rodata, data)
 *   0xffffffc000000000 + pa                 the direct map: all RAM and the MMIO the
 *                                           devicetree names
 *   0x0000000000000000 .. 0x0000003fffffffff  user space (later)
 *
 * The kernel sits in the upper half, which user space never uses, so that it can be mapped in
 * every address space and a trap never switches satp. (The top 2 GiB also keeps the image
 * within reach of -mcmodel=medlow code, though the kernel is built medany.)
 */
#ifndef INOX_ARCH_RISCV_LAYOUT_H_
#define INOX_ARCH_RISCV_LAYOUT_H_

#define KERNEL_VIRT_OFFSET 0xffffffff00000000
#define DIRECT_MAP_BASE    0xffffffc000000000
/* Physical range the boot page table's direct map covers: 16 GiB from 0, in gigapages. */
#define BOOT_DIRECT_MAP_GIB 16

#ifndef __ASSEMBLER__
#include <stdint.h>

/* A kernel-image virtual address from its physical address and back. */
#define KERNEL_PA_TO_VA(pa) ((uintptr_t)(pa) + KERNEL_VIRT_OFFSET)
#define KERNEL_VA_TO_PA(va) ((uintptr_t)(va)-KERNEL_VIRT_OFFSET)

/* Direct-map virtual address of physical address pa (RAM or MMIO). */
static inline void *z_phys_to_virt(uintptr_t pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}

/* Physical address behind a direct-map or kernel-image virtual address. */
static inline uintptr_t z_virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	return v >= KERNEL_VIRT_OFFSET ? v - KERNEL_VIRT_OFFSET : v - DIRECT_MAP_BASE;
}
#endif

#endif /* INOX_ARCH_RISCV_LAYOUT_H_ */
