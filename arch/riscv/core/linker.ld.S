/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel image: linked at KERNEL_PA_TO_VA(CONFIG_KERNEL_LOAD_ADDRESS), loaded (LMA) at
 * the physical load address. Text, rodata and data each start on a page so the final
 * kernel map can give them different permissions (W^X). Alignments are in the section
 * headers: with a MEMORY region, ld ignores `. = ALIGN()` between output sections.
 */
#include <inox/arch/riscv/layout.h>
#include <inox/devicetree.h>

OUTPUT_ARCH(riscv)
ENTRY(_start)

/*
 * One region, from the load address to the end of the RAM bank it is in: the image's
 * whole budget, so that the link fails if the image outgrows it, and so that the
 * linker's --print-memory-usage summary (Zephyr prints it after every link) says how
 * much of it the image takes.
 */
#define SRAM DT_CHOSEN(inox_sram)
MEMORY
{
	RAM (rwx) : ORIGIN = CONFIG_KERNEL_LOAD_ADDRESS + KERNEL_VIRT_OFFSET,
		    LENGTH = DT_REG_ADDR(SRAM) + DT_REG_SIZE(SRAM) - CONFIG_KERNEL_LOAD_ADDRESS
}

#define LMA(sec) AT(ADDR(sec) - KERNEL_VIRT_OFFSET)

SECTIONS
{
	. = CONFIG_KERNEL_LOAD_ADDRESS + KERNEL_VIRT_OFFSET;
	__image_start = .;

	.text : LMA(.text) {
		__text_start = .;
		KEEP(*(.text.entry))
		*(.text .text.*)
		__text_end = .;
	} > RAM

	.rodata : LMA(.rodata) ALIGN(4096) {
		__rodata_start = .;
		*(.rodata .rodata.* .srodata .srodata.*)
		. = ALIGN(8);
		__init_start = .;
		__init_PRE_KERNEL_1_start = .;
		KEEP(*(SORT_BY_INIT_PRIORITY(.z_init_0.*)))
		__init_PRE_KERNEL_2_start = .;
		KEEP(*(SORT_BY_INIT_PRIORITY(.z_init_1.*)))
		__init_POST_KERNEL_start = .;
		KEEP(*(SORT_BY_INIT_PRIORITY(.z_init_2.*)))
		__init_APPLICATION_start = .;
		KEEP(*(SORT_BY_INIT_PRIORITY(.z_init_3.*)))
		__init_end = .;
		. = ALIGN(8);
		__device_start = .;
		KEEP(*(.z_device))
		__device_end = .;
		. = ALIGN(8);
		__ztest_suite_start = .;
		KEEP(*(SORT(.z_ztest_suite.*)))
		__ztest_suite_end = .;
		. = ALIGN(8);
		__ztest_test_start = .;
		KEEP(*(SORT(.z_ztest_test.*)))
		__ztest_test_end = .;
		. = ALIGN(8);
		__exfix_start = .;
		KEEP(*(.z_exfix))
		__exfix_end = .;
		__rodata_end = .;
	} > RAM

	.data : LMA(.data) ALIGN(4096) {
		__data_start = .;
		*(.data.boot_page_table)
		*(.data .data.* .sdata .sdata.*)
		__data_end = .;
	} > RAM

	/*
	 * After every section with code or initialised data, so that the second link adding
	 * the real table moves no function; before .bss, so that inox.bin (objcopy -O binary,
	 * which fills gaps with zeros) ends here and carries no .bss: start.S clears it.
	 */
	.inox_symtab : LMA(.inox_symtab) ALIGN(8) {
		__symtab_start = .;
		KEEP(*(.inox_symtab))
		__symtab_end = .;
	} > RAM

	.bss (NOLOAD) : {
		. = ALIGN(8);
		__bss_start = .;
		*(.bss.boot_stack)
		*(.sbss .sbss.* .bss .bss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	} > RAM

	__image_end = ALIGN(__bss_end, 4096);

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .note .note.* .comment)
	}
}
