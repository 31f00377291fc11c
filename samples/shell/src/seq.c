/* SPDX-License-Identifier: Apache-2.0 */
/* seq [FIRST] LAST: prints the numbers FIRST (default 1) to LAST, one a line. */
#include <stdio.h>
#include <stdlib.h>
#include "io.h"

/* Parses a decimal number into *out. Returns 0, or -1 if s is not one. */
static int parse_long(const char *s, long *out)
{
	char *end;

	*out = strtol(s, &end, 10);
	return (*s == '\0' || *end != '\0') ? -1 : 0;
}

int main(int argc, char **argv)
{
	char buf[1024];
	size_t len = 0;
	long first = 1, last;

	if (argc < 2 || argc > 3 || parse_long(argv[argc - 1], &last) != 0 ||
	    (argc == 3 && parse_long(argv[1], &first) != 0)) {
		fprintf(stderr, "usage: seq [FIRST] LAST\n");
		return 2;
	}
	/* Whole buffers, not a write per line: a pipe to the next stage costs a system call. */
	for (long i = first; i <= last; i++) {
		len += snprintf(buf + len, sizeof(buf) - len, "%ld\n", i);
		if (len > sizeof(buf) - 24 || i == last) {
			if (write_all(1, buf, len) != 0) {
				return 1;
			}
			len = 0;
		}
	}
	return 0;
}
