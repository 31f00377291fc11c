/* SPDX-License-Identifier: Apache-2.0 */
/* Built, never run, by tests/scripts/test_twister_filter.py: only the yaml filters matter. */
#include <inox/kernel.h>

int main(void)
{
	printk("filter fixture\n");
	return 0;
}
