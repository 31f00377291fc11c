/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console. Input through the UART's receive interrupt: with nothing typed a read times
 * out; then the runner types a line, which must arrive whole and in order.
 *
 * Output through console_write() and the transmit interrupt, made deterministic by masking
 * the UART's interrupt at the controller, so that nothing drains the buffer but printk:
 * - a writer whose write does not fit behind what is already buffered sleeps; a printk then
 *   sends the earlier write and its own line, but nothing of the sleeping writer's, whose
 *   line comes out whole once the interrupt is back;
 * - a writer asleep on a full buffer that is interrupted (how a kill reaches it) returns the
 *   bytes it got in, and a printk sends them before its own line.
 */
#include <string.h>
#include <inox/kernel.h>
#include <inox/console.h>
#include <inox/irq.h>

#define CONSOLE_IRQ DT_IRQN(DT_CHOSEN(inox_console))
#define OUT_SIZE    CONFIG_CONSOLE_OUTPUT_BUFFER_SIZE
#define LONG_LEN    (3 * OUT_SIZE)
#define NOT_YET     (-1000)

static struct k_thread writer;
K_THREAD_STACK_DEFINE(writer_stack, 8192);

/* What the writers write; a '\n' takes two bytes ("\r\n") in the buffer. */
static char first[OUT_SIZE / 2 - 1]; /* "aaa...\n": half the buffer */
static char second[OUT_SIZE - 2]; /* "bbb...\n": one byte less than the whole buffer */
static char long_text[LONG_LEN]; /* "ccc...": three buffers */
static volatile long writer_ret;

static void writer_entry(void *text, void *len, void *p3)
{
	writer_ret = console_write(text, (size_t)len);
}

/* Starts the writer thread, cooperative: if it spun instead of sleeping, main would not run
 * again on a one-hart board. */
static void writer_start(const char *text, size_t len)
{
	writer_ret = NOT_YET;
	k_thread_create(&writer, writer_stack, K_THREAD_STACK_SIZEOF(writer_stack), writer_entry,
			(void *)text, (void *)len, NULL,
			K_PRIO_COOP(CONFIG_NUM_COOP_PRIORITIES - 1), 0, K_NO_WAIT);
	k_msleep(50);
}

static void test_input(void)
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
			return;
		}
		if (c == '\r' || c == '\n') {
			break;
		}
		line[n++] = (char)c;
	}
	line[n] = '\0';
	printk("console: got '%s' (%u characters, %lu dropped)\n", line, (unsigned int)n,
	       console_dropped());
}

static void test_output_whole(void)
{
	long ret;

	memset(first, 'a', sizeof(first) - 1);
	first[sizeof(first) - 1] = '\n';
	memset(second, 'b', sizeof(second) - 1);
	second[sizeof(second) - 1] = '\n';
	irq_disable(CONSOLE_IRQ);
	ret = console_write(first, sizeof(first));
	writer_start(second, sizeof(second));
	printk("console: first write returned %ld, second %s\n", ret,
	       writer_ret == NOT_YET ? "asleep" : "WRONG: did not wait");
	irq_enable(CONSOLE_IRQ);
	k_thread_join(&writer, K_FOREVER);
	printk("console: second write returned %ld\n", writer_ret);
}

static void test_output_interrupted(void)
{
	memset(long_text, 'c', sizeof(long_text));
	irq_disable(CONSOLE_IRQ);
	writer_start(long_text, sizeof(long_text));
	if (writer_ret != NOT_YET) {
		printk("console: WRONG: a write of %u bytes did not wait\n", LONG_LEN);
	}
	k_thread_interrupt(&writer);
	k_thread_join(&writer, K_FOREVER);
	printk("\nconsole: interrupted writer returned %ld of %u bytes\n", writer_ret, LONG_LEN);
	irq_enable(CONSOLE_IRQ);
}

int main(void)
{
	test_input();
	test_output_whole();
	test_output_interrupted();
	printk("console: done\n");
	return 0;
}
