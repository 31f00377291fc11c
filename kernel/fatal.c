/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fatal errors: one recognisable report, kept as text for tests, then
 * k_sys_fatal_error_handler(). See <inox/fatal.h>.
 */
#include <stdarg.h>
#include <inox/kernel.h>
#include <inox/sys/cbprintf.h>
#include <inox/sys/poweroff.h>
#include "kernel_arch_interface.h"
#include "kernel_internal.h"

#define REPORT_SIZE 2048

static char report[REPORT_SIZE];
static size_t report_len;
static bool fatal_expected;

void z_fatal_expect(bool expected)
{
	fatal_expected = expected;
}

const char *z_fatal_last_report(void)
{
	return report;
}

static void report_out(char c, void *ctx)
{
	if (report_len + 1 < REPORT_SIZE) {
		report[report_len++] = c;
		report[report_len] = '\0';
	}
	printk("%c", c);
}

void z_fatal_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cbvprintf(report_out, NULL, fmt, ap);
	va_end(ap);
}

void z_fatal_begin(void)
{
	report_len = 0;
	report[0] = '\0';
	z_fatal_print(fatal_expected ? ">>> INOX EXPECTED FATAL ERROR: " :
				       ">>> INOX FATAL ERROR: ");
}

__noreturn void z_fatal_halt(void)
{
	printk(">>> System halted\n");
	/* Even without printk, what processes wrote must leave the console's buffer first. */
	z_console_flush();
	if (IS_ENABLED(CONFIG_FATAL_POWEROFF)) {
		sys_poweroff();
	}
	arch_cpu_halt();
}

__weak void k_sys_fatal_error_handler(unsigned int reason, const struct arch_esf *esf)
{
	z_fatal_halt();
}

__noreturn void z_fatal_error(unsigned int reason, const struct arch_esf *esf)
{
	fatal_expected = false;
	k_sys_fatal_error_handler(reason, esf);
	/*
	 * The handler returned: a test expected this fault in a thread it cannot jump back into.
	 * As in Zephyr, that thread dies and the system goes on. In an interrupt handler there is
	 * no thread to end: stop.
	 */
	if (!k_is_in_isr() && k_current_get() != NULL) {
		k_thread_abort(k_current_get());
	}
	z_fatal_halt();
}

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	z_fatal_begin();
	va_start(ap, fmt);
	cbvprintf(report_out, NULL, fmt, ap);
	va_end(ap);
	z_fatal_print("\n");
	z_fatal_error(K_ERR_KERNEL_PANIC, NULL);
}
