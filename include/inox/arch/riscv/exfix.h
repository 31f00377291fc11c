/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exception fixups: an instruction allowed to fault in the kernel names, in section .z_exfix,
 * where execution goes on if it does (z_riscv_fixup() in the trap handler). Used to probe
 * optional CSRs (timer.c) and by every user memory access (uaccess.S).
 */
#ifndef INOX_ARCH_RISCV_EXFIX_H_
#define INOX_ARCH_RISCV_EXFIX_H_

/* The entry itself, as assembler statements: one definition for both forms below. (Left
 * alone by clang-format, which would read `.pushsection .z_exfix` as a member access.) */
/* clang-format off */
#define Z_EXFIX_ASM(insn, fixup) \
	.pushsection .z_exfix, "a"; .balign 8; .dword insn, fixup; .popsection
/* clang-format on */

/*
 * EXFIX_ENTRY(1b, 2b) makes a fault at label 1 continue at label 2: a statement in an
 * assembly file, a string to paste into inline assembly in C.
 */
#ifdef __ASSEMBLER__
#define EXFIX_ENTRY(insn, fixup) Z_EXFIX_ASM(insn, fixup)
#else
/* STRINGIFY() of toolchain.h takes one argument; the statements have commas. */
#define Z_EXFIX_STR_(...)        #__VA_ARGS__
#define Z_EXFIX_STR(...)         Z_EXFIX_STR_(__VA_ARGS__)
#define EXFIX_ENTRY(insn, fixup) Z_EXFIX_STR(Z_EXFIX_ASM(insn, fixup)) "\n"
#endif

#endif /* INOX_ARCH_RISCV_EXFIX_H_ */
