/* SPDX-License-Identifier: Apache-2.0 */
#include <inox/kernel.h>

int main(void)
{
	printk("Hello World! %s\n", CONFIG_BOARD_TARGET);
	return 0;
}
