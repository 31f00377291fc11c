/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arch_switch(struct arch_context *old, struct arch_context *new): saves the callee-saved
 * registers of the running thread in *old and continues the thread whose registers are in
 * *new. tp is not switched: it belongs to the hart. Interrupts stay as they are (disabled:
 * the scheduler calls this with its lock held).
 */
	.section .text.switch, "ax"
	.balign 4
	.global arch_switch
arch_switch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	sd	s0, 16(a0)
	sd	s1, 24(a0)
	sd	s2, 32(a0)
	sd	s3, 40(a0)
	sd	s4, 48(a0)
	sd	s5, 56(a0)
	sd	s6, 64(a0)
	sd	s7, 72(a0)
	sd	s8, 80(a0)
	sd	s9, 88(a0)
	sd	s10, 96(a0)
	sd	s11, 104(a0)

	ld	ra, 0(a1)
	ld	sp, 8(a1)
	ld	s0, 16(a1)
	ld	s1, 24(a1)
	ld	s2, 32(a1)
	ld	s3, 40(a1)
	ld	s4, 48(a1)
	ld	s5, 56(a1)
	ld	s6, 64(a1)
	ld	s7, 72(a1)
	ld	s8, 80(a1)
	ld	s9, 88(a1)
	ld	s10, 96(a1)
	ld	s11, 104(a1)
	ret

/*
 * First code of every new kernel thread: arch_new_thread() set ra here, s1 = entry and
 * s2..s4 = its arguments p1..p3 (s0 = 0). z_thread_entry() never returns.
 */
	.global z_riscv_thread_start
z_riscv_thread_start:
	mv	a0, s1
	mv	a1, s2
	mv	a2, s3
	mv	a3, s4
	mv	s0, zero	/* ends frame-pointer backtraces here */
	call	z_thread_entry
1:
	j	1b
