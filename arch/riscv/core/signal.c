/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signal frames, Linux's riscv64 rt_sigframe: siginfo then ucontext, below the interrupted
 * sp, 16-byte aligned. The handler gets a0 = sig, a1 = &siginfo, a2 = &ucontext (whatever
 * its flags: a one-argument handler ignores the other two) and returns to ra = the restorer,
 * which calls rt_sigreturn with sp back at the frame.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/uaccess.h>
#include <inox/arch/esf.h>
#include <inox/uapi/signal.h>
#include <inox/uapi/ucontext.h>
#include "kernel_arch_interface.h"

struct rt_sigframe {
	struct inox_siginfo info;
	struct inox_ucontext uc;
};

BUILD_ASSERT(sizeof(struct inox_siginfo) == 128, "siginfo is not Linux's size");
BUILD_ASSERT(offsetof(struct inox_ucontext, uc_sigmask) == 40, "ucontext is not Linux's");
BUILD_ASSERT(offsetof(struct inox_ucontext, uc_mcontext) == 176, "ucontext is not Linux's");
BUILD_ASSERT(sizeof(struct inox_ucontext) == 960, "ucontext is not Linux's size");

int arch_signal_frame_push(struct arch_esf *esf, int sig, const struct inox_siginfo *info,
			   unsigned long old_mask, uintptr_t handler, uintptr_t restorer)
{
	uintptr_t top = ESF_SP(esf);
	struct rt_sigframe *frame = (struct rt_sigframe *)ROUND_DOWN(top - sizeof(*frame), 16);
	struct rt_sigframe f;

	if (top < sizeof(*frame) || !user_range_ok((uintptr_t)frame, sizeof(*frame))) {
		return -EFAULT;
	}
	memset(&f, 0, sizeof(f));
	f.info = *info;
	f.uc.uc_stack.ss_flags = SS_DISABLE;
	f.uc.uc_sigmask = old_mask;
	f.uc.uc_mcontext.sc_regs[0] = esf->sepc;
	for (int n = 1; n < 32; n++) {
		f.uc.uc_mcontext.sc_regs[n] = esf->gpr[n];
	}
	if (copy_to_user(frame, &f, sizeof(f)) != 0) {
		return -EFAULT;
	}
	ESF_SP(esf) = (uintptr_t)frame;
	ESF_RA(esf) = restorer;
	ESF_A(esf, 0) = sig;
	ESF_A(esf, 1) = (uintptr_t)&frame->info;
	ESF_A(esf, 2) = (uintptr_t)&frame->uc;
	esf->sepc = handler;
	return 0;
}

int arch_signal_frame_pop(struct arch_esf *esf, unsigned long *mask)
{
	struct rt_sigframe *frame = (struct rt_sigframe *)ESF_SP(esf);
	unsigned long regs[32];

	if (copy_from_user(regs, frame->uc.uc_mcontext.sc_regs, sizeof(regs)) != 0 ||
	    copy_from_user(mask, &frame->uc.uc_sigmask, sizeof(*mask)) != 0) {
		return -EFAULT;
	}
	/* The registers and pc only: sstatus (privilege, interrupt enables, SUM, FPU state)
	 * stays the kernel's. A kernel pc just faults in user mode. */
	esf->sepc = regs[0];
	for (int n = 1; n < 32; n++) {
		esf->gpr[n] = regs[n];
	}
	return 0;
}
