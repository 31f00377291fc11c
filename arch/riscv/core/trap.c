/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trap dispatch (interrupts and exceptions) and the kernel fault report: cause, stval,
 * sepc with the function it falls in, the registers, and a frame-pointer backtrace with
 * function names from the image's symbol table.
 */
#include <inox/kernel.h>
#include <inox/irq.h>
#include <inox/arch/cpu.h>
#include <inox/arch/esf.h>
#include <inox/kernel/user_entry.h>
#include "kernel_arch_interface.h"
#include "riscv_internal.h"
#include "kernel_internal.h"
#include "ksched.h"
#include "symtab.h"

#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9

#define EXC_INST_MISALIGNED  0
#define EXC_ILLEGAL_INST     2
#define EXC_BREAKPOINT       3
#define EXC_LOAD_MISALIGNED  4
#define EXC_STORE_MISALIGNED 6
#define EXC_ECALL_U          8
#define EXC_INST_PAGE_FAULT  12
#define EXC_LOAD_PAGE_FAULT  13
#define EXC_STORE_PAGE_FAULT 15

#define BACKTRACE_MAX 32

extern char z_boot_stack[];

void arch_trap_init(void)
{
	csr_write(stvec, (unsigned long)z_riscv_trap_entry);
}

static const char *const cause_names[] = {
	"Instruction address misaligned",
	"Instruction access fault",
	"Illegal instruction",
	"Breakpoint",
	"Load address misaligned",
	"Load access fault",
	"Store/AMO address misaligned",
	"Store/AMO access fault",
	"Environment call from U-mode",
	"Environment call from S-mode",
	"Reserved (10)",
	"Reserved (11)",
	"Instruction page fault",
	"Load page fault",
	"Reserved (14)",
	"Store/AMO page fault",
};

static const char *z_riscv_cause_name(unsigned long scause)
{
	return scause < ARRAY_SIZE(cause_names) ? cause_names[scause] : "Unknown exception";
}

static void print_location(const char *label, uintptr_t addr)
{
	uintptr_t off;
	const char *name = z_symtab_lookup(addr, &off);

	if (name != NULL) {
		z_fatal_print("%s0x%016lx <%s+0x%lx>\n", label, addr, name, off);
	} else {
		z_fatal_print("%s0x%016lx\n", label, addr);
	}
}

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
	"a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
	"s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static void print_registers(const struct arch_esf *esf)
{
	for (int i = 1; i < 32; i++) {
		z_fatal_print("%4s %016lx%s", reg_names[i], esf->gpr[i], i % 4 == 3 ? "\n" : "  ");
	}
	z_fatal_print("\n sstatus %016lx\n", esf->sstatus);
}

/* Is [fp - 16, fp) inside the stack the frame chain started on? (fp 0 ends a chain.) */
static bool frame_ok(uintptr_t fp, uintptr_t lo, uintptr_t hi)
{
	return IS_ALIGNED(fp, 8) && fp >= lo + 16 && fp <= hi;
}

/*
 * Walks the frame-pointer chain: ra at fp - 8, the caller's fp at fp - 16. A leaf function
 * saves only fp, at fp - 8: if that slot holds a stack address, the fault was in a leaf and
 * its caller is in the trap frame's ra (the same test Linux makes).
 */
static void print_backtrace(const struct arch_esf *esf, uintptr_t lo, uintptr_t hi)
{
	uintptr_t fp = ESF_FP(esf);
	int i = 1;

	z_fatal_print("Backtrace:\n");
	print_location("  #0  ", esf->sepc);
	if (frame_ok(fp, lo, hi) && frame_ok(((uintptr_t *)fp)[-1], lo, hi)) {
		print_location("  #1  ", ESF_RA(esf));
		fp = ((uintptr_t *)fp)[-1];
		i = 2;
	}
	for (; i < BACKTRACE_MAX && frame_ok(fp, lo, hi); i++) {
		uintptr_t ra = ((uintptr_t *)fp)[-1];
		char label[8];

		if (ra == 0) {
			break;
		}
		snprintk(label, sizeof(label), "  #%-2d ", i);
		print_location(label, ra);
		fp = ((uintptr_t *)fp)[-2];
	}
}

/* Reports a kernel-mode exception and ends in z_fatal_error(); returns never. */
static __noreturn void kernel_fault(struct arch_esf *esf)
{
	struct cpu *cpu = arch_curr_cpu();
	struct k_thread *cur = cpu->current;
	unsigned long cause = esf->scause;
	uintptr_t sp = ESF_SP(esf);
	bool on_fault_stack = (uintptr_t)esf < cpu->fault_stack_top &&
			      (uintptr_t)esf >= cpu->fault_stack_top - CONFIG_FAULT_STACK_SIZE;
	bool in_guard = cur != NULL && cur->stack_guard != 0 &&
			((esf->stval >= cur->stack_guard && esf->stval < cur->stack_start) ||
			 (sp >= cur->stack_guard && sp < cur->stack_start));
	unsigned int reason = K_ERR_CPU_EXCEPTION;

	/* A fault while reporting one (say, a console driver that faults) would loop. */
	if (cpu->in_fatal) {
		arch_cpu_halt();
	}
	cpu->in_fatal = true;
	z_fatal_begin();
	if (on_fault_stack || in_guard) {
		reason = K_ERR_STACK_CHK_FAIL;
		z_fatal_print("kernel stack overflow in thread '%s': sp 0x%lx, stack 0x%lx-0x%lx, "
			      "guard page at 0x%lx\n",
			      cur ? cur->name : "?", sp, cur ? cur->stack_start : 0,
			      cur ? cur->stack_top : 0, cur ? cur->stack_guard : 0);
	}
	z_fatal_print("%s in kernel mode (scause %lu)\n", z_riscv_cause_name(cause), cause);
	z_fatal_print("  hart %lu, thread '%s'\n", cpu->hartid, cur ? cur->name : "?");
	z_fatal_print("  stval 0x%016lx\n", esf->stval);
	print_location("  sepc  ", esf->sepc);
	print_location("  ra    ", ESF_RA(esf));
	print_registers(esf);
	if (cur != NULL && cur->stack_top != 0) {
		print_backtrace(esf, cur->stack_start, cur->stack_top);
	}
	/* The report is out; the handler may recover (a test that expected this fault). */
	cpu->in_fatal = false;
	z_fatal_error(reason, esf);
}

static bool is_page_fault(unsigned long cause)
{
	return cause == EXC_INST_PAGE_FAULT || cause == EXC_LOAD_PAGE_FAULT ||
	       cause == EXC_STORE_PAGE_FAULT;
}

/* External interrupts, to the interrupt controller's driver (PLIC). */
static void (*external_isr)(void);

void arch_irq_external_handler_set(void (*isr)(void))
{
	external_isr = isr;
}

/*
 * A trap from user mode but an interrupt: a system call, or a fault, decoded into the
 * generic calls of <inox/kernel/user_entry.h>. Interrupts are on while they run.
 */
static void user_trap(struct arch_esf *esf)
{
	unsigned long cause = esf->scause;
	enum user_fault fault;

	if (!IS_ENABLED(CONFIG_USERSPACE)) {
		kernel_fault(esf);
	}
	if (cause == EXC_ECALL_U) {
		long ret;

		esf->sepc += 4;
		arch_irq_enable_all();
		ret = syscall_dispatch(ESF_A(esf, 7), esf);
		arch_irq_lock();
		arch_esf_set_retval(esf, ret);
		return;
	}
	switch (cause) {
	case EXC_LOAD_PAGE_FAULT:
		fault = USER_FAULT_READ;
		break;
	case EXC_STORE_PAGE_FAULT:
		fault = USER_FAULT_WRITE;
		break;
	case EXC_INST_PAGE_FAULT:
		fault = USER_FAULT_EXEC;
		break;
	case EXC_ILLEGAL_INST:
		fault = USER_FAULT_ILLEGAL;
		break;
	case EXC_BREAKPOINT:
		fault = USER_FAULT_BREAKPOINT;
		break;
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		fault = USER_FAULT_MISALIGNED;
		break;
	default:
		fault = USER_FAULT_OTHER;
		break;
	}
	arch_irq_enable_all();
	user_fault(esf, fault, esf->stval, z_riscv_cause_name(cause));
	arch_irq_lock();
}

/*
 * A page fault of copy_to_user() and its kin: resolved as a user's fault would be (true), or
 * not (false: the caller's fixup). With interrupts on if the copy ran with them on, as
 * Linux's do_page_fault() does: the fault may copy a page or a page table (a few thousand
 * instructions) and must not hold interrupts off for that. A copy with interrupts off
 * keeps them off.
 */
static bool uaccess_fault(struct arch_esf *esf)
{
	bool irqs = (esf->sstatus & SSTATUS_SPIE) != 0;
	bool ok;

	if (irqs) {
		arch_irq_enable_all();
	}
	ok = user_uaccess_fault(esf->stval, esf->scause == EXC_STORE_PAGE_FAULT);
	if (irqs) {
		arch_irq_lock();
	}
	return ok;
}

/* Before any return to user mode. */
static void return_to_user(struct arch_esf *esf)
{
	if (IS_ENABLED(CONFIG_USERSPACE)) {
		user_return(esf);
	}
}

void z_riscv_trap(struct arch_esf *esf)
{
	struct cpu *cpu = arch_curr_cpu();
	unsigned long cause = esf->scause;

	/*
	 * On the fault stack, the trapped stack was (nearly) full: even an interrupt must not
	 * go on from here, or it could switch threads off a stack that is not theirs.
	 */
	if ((uintptr_t)esf < cpu->fault_stack_top &&
	    (uintptr_t)esf >= cpu->fault_stack_top - CONFIG_FAULT_STACK_SIZE) {
		kernel_fault(esf);
	}
	if (cause & SCAUSE_INTERRUPT) {
		cpu->nested++;
		switch (cause & ~SCAUSE_INTERRUPT) {
		case IRQ_S_SOFT:
			csr_clear(sip, SIE_SSIE);
			z_riscv_ipi_isr();
			break;
		case IRQ_S_TIMER:
			z_riscv_timer_isr();
			break;
		case IRQ_S_EXT:
			if (external_isr == NULL) {
				panic("z_riscv_trap: external interrupt %lu with no controller driver",
				      cause & ~SCAUSE_INTERRUPT);
			}
			external_isr();
			break;
		default:
			panic("z_riscv_trap: unexpected interrupt %lu", cause & ~SCAUSE_INTERRUPT);
		}
		cpu->nested--;
		z_sched_irq_exit();
		if (!(esf->sstatus & SSTATUS_SPP)) {
			return_to_user(esf);
		}
		return;
	}
	if (!(esf->sstatus & SSTATUS_SPP)) {
		user_trap(esf);
		z_sched_irq_exit();
		return_to_user(esf);
		return;
	}
	if (z_riscv_has_fixup(esf->sepc)) {
		if (IS_ENABLED(CONFIG_USERSPACE) && is_page_fault(cause) && uaccess_fault(esf)) {
			return;
		}
		z_riscv_fixup(esf);
		return;
	}
	kernel_fault(esf);
}
