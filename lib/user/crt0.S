/* SPDX-License-Identifier: Apache-2.0 */
/*
 * _start, the entry point of every user program. The kernel enters it as Linux does, with
 * the System V initial stack and nothing in the argument registers:
 *
 *   sp -> argc                 (8 bytes; sp is 16-byte aligned)
 *         argv[0] .. argv[argc-1], NULL
 *         envp[0] .. envp[n-1], NULL
 *         auxv pairs (a_type, a_val) .. AT_NULL
 *         the strings they point to
 *
 * It sets gp and tp (picolibc keeps errno in thread-local storage), then calls
 * __inox_start(argc, argv, envp), which never returns. .bss is not cleared here: the
 * kernel maps a segment's bytes past p_filesz zero-filled, as the ELF format requires.
 */
	.section .text._start, "ax", @progbits
	.global _start
	.type _start, @function
_start:
	.cfi_startproc
	.cfi_undefined ra
	/* gp cannot be loaded gp-relative: no linker relaxation for this one. */
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base
	ld	a0, 0(sp)		/* argc */
	addi	a1, sp, 8		/* argv */
	slli	a2, a0, 3
	add	a2, a2, a1
	addi	a2, a2, 8		/* envp = &argv[argc + 1] */
	andi	sp, sp, -16
	li	s0, 0			/* the outermost frame, for debuggers and backtraces */
	li	ra, 0
	call	__inox_start
	.cfi_endproc
	.size _start, . - _start
