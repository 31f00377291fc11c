/* SPDX-License-Identifier: Apache-2.0 */
/* Fatal errors: one recognisable report, then the system stops. */
#include <stdarg.h>
#include <inox/kernel.h>
#include <inox/sys/poweroff.h>
#include "arch_cpu.h"

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	printk(">>> INOX FATAL ERROR: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n>>> System halted\n");
	if (IS_ENABLED(CONFIG_FATAL_POWEROFF)) {
		sys_poweroff();
	}
	arch_cpu_halt();
}
