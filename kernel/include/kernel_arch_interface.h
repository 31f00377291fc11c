/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The arch_ interface the kernel uses, owned by the kernel (as Zephyr's
 * kernel_arch_interface.h) and implemented in arch/<arch>/core. The MMU's part is
 * <inox/arch/mmu.h>, interrupt masking <inox/arch/irq.h>; doc/porting.md lists it all.
 */
#ifndef INOX_KERNEL_ARCH_INTERFACE_H_
#define INOX_KERNEL_ARCH_INTERFACE_H_

#include <stdint.h>
#include <inox/toolchain.h>
#include <inox/kernel/thread.h>

struct arch_esf;

/* Disables interrupts on this hart and waits forever. */
__noreturn void arch_cpu_halt(void);

/* Saves the running thread's callee-saved registers in old, continues new (switch.S). */
void arch_switch(struct arch_context *old, struct arch_context *new);

/* Prepares thread's context so that its first switch-in calls entry(p1, p2, p3). */
void arch_new_thread(struct k_thread *thread, k_thread_entry_t entry, void *p1, void *p2, void *p3);

/*
 * Before switching to next: gives this hart next's address space (a process's, or the
 * kernel's for a kernel thread, so no hart keeps using a space that may be freed), and
 * flushes the TLB when it may hold stale entries of that space.
 */
void arch_vm_switch(struct k_thread *next);

/* Unmaps the kernel page at va (a stack's guard page) on every hart. */
void arch_stack_guard_set(uintptr_t va);

/* Enters user mode with the context esf (the top of the current thread's kernel stack),
 * interrupts off on the way; never returns. */
__noreturn void arch_user_mode_enter(struct arch_esf *esf);

/*
 * Signal frames (a signal handler's way in and out, Linux's rt_sigframe on the user stack).
 * arch_signal_frame_push() saves esf's user registers, old_mask and info below the user sp
 * and points esf at handler(sig, &info, &ucontext) returning to restorer. 0, or -EFAULT if
 * the frame cannot be written (the caller kills the process). Interrupts on.
 */
struct inox_siginfo;
int arch_signal_frame_push(struct arch_esf *esf, int sig, const struct inox_siginfo *info,
			   unsigned long old_mask, uintptr_t handler, uintptr_t restorer);
/*
 * rt_sigreturn(): restores esf from the frame at the user sp and stores the mask it saved in
 * *mask. Only what user mode may set is taken (registers and pc; never privileged status
 * bits). 0, or -EFAULT (unreadable frame). Interrupts on.
 */
int arch_signal_frame_pop(struct arch_esf *esf, unsigned long *mask);

/* Interrupts every other online hart so it looks at its need_resched flag. */
void arch_sched_ipi(void);

/* Sets up this hart's struct cpu (id, hart id) and points the trap entry at it. */
void arch_cpu_init(unsigned int id, unsigned long hartid);
/* Builds the final kernel page table and switches this hart to it (boot hart, once). */
void arch_mmu_init(void);
/* Switches a secondary hart to the kernel page table. */
void arch_mmu_init_secondary(void);
/* Installs the trap vector on this hart. */
void arch_trap_init(void);
/* Starts the timer interrupt on this hart. */
void arch_timer_init(void);
/* Starts the other harts (from the main thread). */
void z_smp_init(void);
/* Raises this hart's timer interrupt when the time CSR reaches cyc (interrupts off). */
void arch_timer_set_deadline(uint64_t cyc);

#endif /* INOX_KERNEL_ARCH_INTERFACE_H_ */
