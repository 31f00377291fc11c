/* SPDX-License-Identifier: Apache-2.0 */
/* A new thread's first context: arch_switch() "returns" into z_riscv_thread_start. */
#include <inox/kernel.h>
#include "kernel_arch_interface.h"
#include "riscv_internal.h"

void arch_new_thread(struct k_thread *thread, k_thread_entry_t entry, void *p1, void *p2, void *p3)
{
	thread->ctx.ra = (unsigned long)z_riscv_thread_start;
	thread->ctx.sp = thread->stack_top;
	thread->ctx.s[0] = 0;
	thread->ctx.s[1] = (unsigned long)entry;
	thread->ctx.s[2] = (unsigned long)p1;
	thread->ctx.s[3] = (unsigned long)p2;
	thread->ctx.s[4] = (unsigned long)p3;
}
