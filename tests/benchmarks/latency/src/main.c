/* SPDX-License-Identifier: Apache-2.0 */
/* The latency benchmark runs in user space (user/init.c); the kernel only says whether its
 * clock counts instructions, which the figures' meaning depends on. */
#include <inox/kernel.h>
#include <inox/init.h>

static int report_icount(void)
{
	printk("latency: icount=%d\n", sys_clock_counts_instructions() ? 1 : 0);
	return 0;
}

SYS_INIT(report_icount, APPLICATION, 1);
