/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exception fixups: an instruction allowed to fault in the kernel names, in section .z_exfix,
 * where execution goes on if it does (z_riscv_fixup() in the trap handler). Used to probe
 * optional CSRs and, later, by the uaccess helpers.
 */
#ifndef INOX_ARCH_RISCV_EXFIX_H_
#define INOX_ARCH_RISCV_EXFIX_H_

/* In inline assembly: EXFIX_ENTRY(1b, 2b) makes a fault at label 1 continue at label 2. */
#define EXFIX_ENTRY(insn, fixup)                                                                   \
	".pushsection .z_exfix, \"a\"\n"                                                           \
	".balign 8\n"                                                                              \
	".dword " #insn ", " #fixup "\n"                                                           \
	".popsection\n"

#endif /* INOX_ARCH_RISCV_EXFIX_H_ */
