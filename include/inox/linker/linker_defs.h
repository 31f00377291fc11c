/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Symbols the linker script defines (arch/<arch>/core/linker.ld.S), and what the boot code
 * leaves for the rest of the kernel, as Zephyr's linker-defined-symbols.h: declared once here
 * instead of by each file that reads them.
 */
#ifndef INOX_LINKER_LINKER_DEFS_H_
#define INOX_LINKER_LINKER_DEFS_H_

#include <stdint.h>

/* The whole kernel image, text to the end of bss (kernel virtual addresses). */
extern char __image_start[];
extern char __image_end[];
/* The initramfs (cpio) linked into the image. */
extern const char __initramfs_start[];
extern const char __initramfs_end[];

/* What the firmware handed the boot hart: its hart id and the devicetree's physical address
 * (kernel/init.c). */
extern unsigned long z_boot_hart_id;
extern uintptr_t z_boot_dtb_pa;

#endif /* INOX_LINKER_LINKER_DEFS_H_ */
