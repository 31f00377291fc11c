/* SPDX-License-Identifier: Apache-2.0 */
/* wc: prints the lines, words and bytes of standard input, as "LINES WORDS BYTES". */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	unsigned long lines = 0, words = 0, bytes = 0;
	bool in_word = false;
	char buf[1024];
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		bytes += n;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				lines++;
			}
			if (isspace((unsigned char)buf[i])) {
				in_word = false;
			} else if (!in_word) {
				in_word = true;
				words++;
			}
		}
	}
	if (n < 0) {
		perror("wc");
		return 1;
	}
	printf("%lu %lu %lu\n", lines, words, bytes);
	return 0;
}
