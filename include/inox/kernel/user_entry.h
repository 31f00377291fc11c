/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the architecture's trap code enters the generic kernel for what user mode did, once
 * it has decoded the trap: a system call, a fault, and the way back to user mode. The arch
 * knows registers and cause codes; what is declared here knows neither (it reads a user
 * context only through <inox/arch/esf.h>). Implemented by subsys/proc (CONFIG_USERSPACE).
 */
#ifndef INOX_KERNEL_USER_ENTRY_H_
#define INOX_KERNEL_USER_ENTRY_H_

#include <stdbool.h>
#include <stdint.h>
#include <inox/toolchain.h>

struct arch_esf;

/* What a faulting user instruction did, as far as the kernel's answer goes. */
enum user_fault {
	USER_FAULT_READ, /* a load's page fault */
	USER_FAULT_WRITE, /* a store's page fault */
	USER_FAULT_EXEC, /* an instruction fetch's page fault */
	USER_FAULT_ILLEGAL, /* SIGILL */
	USER_FAULT_BREAKPOINT, /* SIGTRAP */
	USER_FAULT_MISALIGNED, /* SIGBUS */
	USER_FAULT_OTHER, /* any other exception: SIGSEGV */
};

/*
 * System call nr with the arguments of the user context esf (interrupts on). Returns what
 * the call returns (a negative errno on failure, -ENOSYS for an unknown number); the arch
 * puts it in the context.
 */
long syscall_dispatch(unsigned long nr, struct arch_esf *esf);

/*
 * A fault of the current process at addr (interrupts on). A page fault is resolved (lazy
 * allocation, copy-on-write) and the call returns; anything it cannot resolve raises the
 * matching signal: with a handler installed and the signal not blocked, the call returns and
 * the handler runs on the way back (its return re-executes the instruction); otherwise the
 * process ends with a line naming pid, cause (what, the arch's name for it) and address.
 */
void user_fault(struct arch_esf *esf, enum user_fault fault, uintptr_t addr, const char *what);

/* A page fault at user address addr inside a uaccess helper: whether the process's fault
 * handler resolved it (false: the helper returns -EFAULT). */
bool user_uaccess_fault(uintptr_t addr, bool write);

/* Before every return to user mode (interrupts off): pending signals are taken here (default
 * actions, handler frames, system call restarts; subsys/proc/signal.c). */
void user_return(struct arch_esf *esf);

#endif /* INOX_KERNEL_USER_ENTRY_H_ */
