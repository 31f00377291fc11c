/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A line through printf(), then a partial line that only exit()'s flush of stdout can get
 * out; exit status 3.
 */
#include <stdio.h>

int main(void)
{
	printf("hello from user space\n");
	printf("bye (no newline)");
	return 3;
}
