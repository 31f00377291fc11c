/* SPDX-License-Identifier: Apache-2.0 */
/* sleep SECONDS: sleeps, then exits with status 0. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long seconds;

	seconds = argc == 2 ? strtol(argv[1], &end, 10) : -1;
	if (argc != 2 || *argv[1] == '\0' || *end != '\0' || seconds < 0) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 2;
	}
	while (seconds > 0) {
		seconds = sleep(seconds);
	}
	return 0;
}
