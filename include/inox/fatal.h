/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fatal errors. A kernel fault, panic() or k_panic() prints a report that starts with
 * ">>> INOX FATAL ERROR" (the line scripts/twister recognises), then calls
 * k_sys_fatal_error_handler(), whose default stops the system.
 *
 * A test that provokes a fault on purpose first calls z_fatal_expect(true): the report then
 * starts with ">>> INOX EXPECTED FATAL ERROR" instead, and the test's own
 * k_sys_fatal_error_handler() (ztest's) decides what happens next. The text of the last
 * report is kept in z_fatal_last_report() so the test can check what it said.
 */
#ifndef INOX_FATAL_H_
#define INOX_FATAL_H_

#include <stdbool.h>
#include <inox/toolchain.h>

enum k_fatal_error_reason {
	K_ERR_CPU_EXCEPTION, /* a trap the kernel could not handle */
	K_ERR_STACK_CHK_FAIL, /* a kernel stack overflowed into its guard page */
	K_ERR_KERNEL_PANIC, /* panic(), k_panic() */
};

/* The registers saved at a trap (arch/riscv: struct arch_esf in <inox/arch/riscv/esf.h>). */
struct arch_esf;

/* Prints ">>> INOX FATAL ERROR: <message>", then k_sys_fatal_error_handler(). */
__noreturn void panic(const char *fmt, ...) __printf_like(1, 2);

#define k_panic() panic("k_panic() in %s", __func__)

/*
 * Called after every fatal report with its reason and, for a CPU exception, the saved
 * registers (else NULL). The default (weak) stops the system: z_fatal_halt(). An override
 * (ztest's) may leave by a jump back into the code that expected the fault. If it returns,
 * the faulting thread is aborted and the system goes on (as in Zephyr); a fault in an
 * interrupt handler stops the system. A thread aborted this way keeps whatever locks it
 * held, so a fault under a spinlock hangs whoever takes that lock next.
 */
void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf);

/* Stops the system after a fatal error: powers off (CONFIG_FATAL_POWEROFF) or halts. */
__noreturn void z_fatal_halt(void);

/* Declares that the next fatal error is expected (a test provokes it). */
void z_fatal_expect(bool expected);

/* The text of the most recent fatal report (empty if none), NUL-terminated. */
const char *z_fatal_last_report(void);

#endif /* INOX_FATAL_H_ */
