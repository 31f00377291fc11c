/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel image: linked at KERNEL_PA_TO_VA(CONFIG_KERNEL_LOAD_ADDRESS), loaded (LMA) at
 * the physical load address. Text, rodata and data each start on a page so the final
 * kernel map can give them different permissions (W^X).
 */
#include <inox/arch/riscv/layout.h>

OUTPUT_ARCH(riscv)
ENTRY(_start)

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
	}

	. = ALIGN(4096);
	.rodata : LMA(.rodata) {
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
	}

	. = ALIGN(4096);
	.data : LMA(.data) {
		__data_start = .;
		*(.data.boot_page_table)
		*(.data .data.* .sdata .sdata.*)
		__data_end = .;
	}

	/*
	 * After every section with code or initialised data, so that the second link adding
	 * the real table moves no function; before .bss, so that inox.bin (objcopy -O binary,
	 * which fills gaps with zeros) ends here and carries no .bss: start.S clears it.
	 */
	. = ALIGN(8);
	.inox_symtab : LMA(.inox_symtab) {
		__symtab_start = .;
		KEEP(*(.inox_symtab))
		__symtab_end = .;
	}

	.bss (NOLOAD) : {
		. = ALIGN(8);
		__bss_start = .;
		*(.bss.boot_stack)
		*(.sbss .sbss.* .bss .bss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	}

	. = ALIGN(4096);
	__image_end = .;

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .note .note.* .comment)
	}
}
