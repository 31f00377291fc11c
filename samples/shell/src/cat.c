/* SPDX-License-Identifier: Apache-2.0 */
/* cat: copies standard input to standard output (there are no files to name). */
#include <stdio.h>
#include <unistd.h>
#include "io.h"

int main(int argc, char **argv)
{
	char buf[1024];
	ssize_t n;

	if (argc > 1) {
		fprintf(stderr, "usage: cat (copies stdin; there is no filesystem)\n");
		return 2;
	}
	while ((n = read(0, buf, sizeof(buf))) > 0) {
		if (write_all(1, buf, n) != 0) {
			return 1;
		}
	}
	return n < 0 ? 1 : 0;
}
