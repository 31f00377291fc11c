/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trap entry and exit. While a hart runs the kernel, tp holds its struct cpu and sscratch is
 * 0; while it runs user code, sscratch holds the struct cpu. So the entry tells where the
 * trap came from by swapping tp and sscratch: non-zero means user mode.
 *
 * From user mode the frame goes on the current thread's kernel stack (cpu->kstack_top);
 * from kernel mode on the current stack, unless that would go below cpu->stack_limit (the
 * guard page of the thread's stack): then on the cpu's fault stack, and the C handler
 * reports a stack overflow. Either way z_riscv_trap(esf) runs with interrupts disabled; it
 * may switch threads, and the frame is restored when this thread runs again.
 */
#include <inox/arch/riscv/csr.h>
#include <inox/arch/riscv/esf.h>
#include <inox/arch/riscv/cpu.h>

/* Every general register but sp (x2) and tp (x4), which the paths save themselves. */
.macro FOR_GPRS op
	\op x1, ESF_GPR(1)(sp)
	\op x3, ESF_GPR(3)(sp)
	.irp n, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	\op x\n, ESF_GPR(\n)(sp)
	.endr
.endm

	.section .text.trap, "ax"
	.balign 4
	.global z_riscv_trap_entry
z_riscv_trap_entry:
	csrrw	tp, sscratch, tp
	bnez	tp, .Lfrom_user

	/* From the kernel: take the cpu pointer back, leave sscratch 0. */
	csrrw	tp, sscratch, tp
	sd	t0, CPU_SCRATCH0(tp)
	sd	t1, CPU_SCRATCH1(tp)
	addi	t0, sp, -ESF_SIZE
	ld	t1, CPU_STACK_LIMIT(tp)
	bltu	t0, t1, .Loverflow
	ld	t0, CPU_SCRATCH0(tp)
	ld	t1, CPU_SCRATCH1(tp)
	addi	sp, sp, -ESF_SIZE
	FOR_GPRS sd
	addi	t0, sp, ESF_SIZE
	sd	t0, ESF_GPR(2)(sp)
	sd	tp, ESF_GPR(4)(sp)
	j	.Lsave_csrs

.Loverflow:
	ld	t0, CPU_SCRATCH0(tp)
	ld	t1, CPU_SCRATCH1(tp)
	sd	sp, CPU_SCRATCH0(tp)
	ld	sp, CPU_FAULT_STACK(tp)
	addi	sp, sp, -ESF_SIZE
	FOR_GPRS sd
	ld	t0, CPU_SCRATCH0(tp)
	sd	t0, ESF_GPR(2)(sp)
	sd	tp, ESF_GPR(4)(sp)
	j	.Lsave_csrs

.Lfrom_user:
	/* tp = struct cpu, sscratch = the user's tp. */
	sd	sp, CPU_SCRATCH0(tp)
	ld	sp, CPU_KSTACK_TOP(tp)
	addi	sp, sp, -ESF_SIZE
	FOR_GPRS sd
	ld	t0, CPU_SCRATCH0(tp)
	sd	t0, ESF_GPR(2)(sp)
	csrrw	t0, sscratch, zero
	sd	t0, ESF_GPR(4)(sp)

.Lsave_csrs:
	csrr	t0, sepc
	sd	t0, ESF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, ESF_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, ESF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, ESF_STVAL(sp)
	/* The kernel must not read user memory by accident: SUM stays off. */
	li	t0, SSTATUS_SUM
	csrc	sstatus, t0
	mv	a0, sp
	call	z_riscv_trap
	mv	a0, sp

/* Restores the frame at a0 and returns from the trap (also how new user threads start:
 * arch_user_mode_enter()). */
	.global arch_user_mode_enter
arch_user_mode_enter:
	mv	sp, a0
	ld	t0, ESF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, ESF_SSTATUS(sp)
	csrw	sstatus, t0
	andi	t0, t0, SSTATUS_SPP
	bnez	t0, .Lret_kernel

	/* To user mode: the next trap finds this hart's struct cpu in sscratch. */
	csrw	sscratch, tp
	FOR_GPRS ld
	ld	tp, ESF_GPR(4)(sp)
	ld	sp, ESF_GPR(2)(sp)
	sret

.Lret_kernel:
	/* tp stays: the thread may have moved to another hart while it was switched out. */
	FOR_GPRS ld
	ld	sp, ESF_GPR(2)(sp)
	sret
