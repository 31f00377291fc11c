/* SPDX-License-Identifier: Apache-2.0 */
/* Prints its arguments and exits with their count: exec's argv reached it intact. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("echo_args:");
	for (int i = 1; i < argc; i++) {
		printf(" %s", argv[i]);
	}
	printf("\n");
	return argc;
}
