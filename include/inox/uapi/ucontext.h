/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The user context a signal handler is given (its third argument with SA_SIGINFO) and that
 * rt_sigreturn() restores: Linux's riscv64 struct ucontext and struct sigcontext, byte for
 * byte. sc_regs[0] is the pc, sc_regs[n] register xn. Programs are soft-float and the kernel
 * keeps no FP state, so the FP area is zero and ignored on return. Only arch/riscv fills and
 * reads it (arch/riscv/core/signal.c); generic code never looks inside.
 */
#ifndef INOX_UAPI_UCONTEXT_H_
#define INOX_UAPI_UCONTEXT_H_

/* stack_t's ss_flags: there is no alternate signal stack, so a frame always says disabled. */
#define SS_ONSTACK 1
#define SS_DISABLE 2

/* stack_t: sigaltstack()'s. */
struct inox_stack {
	void *ss_sp;
	int ss_flags;
	unsigned long ss_size;
};

struct inox_sigcontext {
	union {
		unsigned long sc_regs[32]; /* Linux's kernel name */
		unsigned long __gregs[32]; /* glibc's (mcontext_t), indexed by REG_PC, REG_SP ... */
	};
	/* Linux's union __riscv_fp_state, as big as its largest (Q) member. */
	unsigned char sc_fpregs[528] __attribute__((aligned(16)));
};

struct inox_ucontext {
	unsigned long uc_flags;
	struct inox_ucontext *uc_link;
	struct inox_stack uc_stack;
	unsigned long uc_sigmask;
	/* Linux reserves room for a 1024-bit sigset_t. */
	unsigned char __uc_unused[1024 / 8 - sizeof(unsigned long)];
	struct inox_sigcontext uc_mcontext;
};

#endif /* INOX_UAPI_UCONTEXT_H_ */
