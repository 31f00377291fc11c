/* SPDX-License-Identifier: Apache-2.0 */
/* upper: copies standard input to standard output in upper case. */
#include <ctype.h>
#include <unistd.h>
#include "io.h"

int main(void)
{
	char buf[1024];
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			buf[i] = toupper((unsigned char)buf[i]);
		}
		if (write_all(1, buf, n) != 0) {
			return 1;
		}
	}
	return n < 0 ? 1 : 0;
}
