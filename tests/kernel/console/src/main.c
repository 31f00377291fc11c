/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console input through the UART's receive interrupt: with nothing typed a read times out;
 * then the runner types a line, which must arrive whole and in order.
 */
#include <inox/kernel.h>
#include <inox/console.h>

int main(void)
{
	char line[64];
	size_t n = 0;
	int c = console_getchar(K_MSEC(50));

	printk("console: empty read returned %d (%s)\n", c, c == -EAGAIN ? "timeout" : "WRONG");
	printk("console: ready for a line\n");
	while (n < sizeof(line) - 1) {
		c = console_getchar(K_SECONDS(10));
		if (c < 0) {
			printk("console: no input (%d)\n", c);
			return 0;
		}
		if (c == '\r' || c == '\n') {
			break;
		}
		line[n++] = (char)c;
	}
	line[n] = '\0';
	printk("console: got '%s' (%u characters, %lu dropped)\n", line, (unsigned int)n,
	       console_dropped());
	return 0;
}
