/* SPDX-License-Identifier: Apache-2.0 */
/* ready: says "r" on stdout once it runs (so its parent knows it has exec'd), then waits for
 * end of file on stdin. */
#include <unistd.h>

int main(void)
{
	char c;

	write(1, "r", 1);
	while (read(0, &c, 1) > 0) {
	}
	return 0;
}
