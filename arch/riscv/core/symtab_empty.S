/* SPDX-License-Identifier: Apache-2.0 */
/* The first link's symbol table: empty, in the same place as the real one. */
	.section .inox_symtab, "a"
	.balign 8
	.global z_symtab_count, z_symtab_addrs, z_symtab_names, z_symtab_strings
z_symtab_count:
	.dword 0
z_symtab_addrs:
z_symtab_names:
z_symtab_strings:
	.byte 0
