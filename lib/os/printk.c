/* SPDX-License-Identifier: Apache-2.0 */
/*
 * printk and snprintk. Until the console driver installs itself, output goes through the
 * SBI firmware's legacy console (CONFIG_EARLY_CONSOLE_SBI), so early faults are visible.
 * Output is always polled, with interrupts off: printk works in any context, and a message
 * is on the wire when printk returns.
 */
#include <stdarg.h>
#include <inox/kernel.h>
#include <inox/sys/cbprintf.h>
#include <inox/arch/riscv/sbi.h>
#include <inox/arch/riscv/cpu.h>

static const struct printk_console *printk_console;

#define PRINTK_NESTED (1UL << 63)

void z_printk_set_console(const struct printk_console *console)
{
	printk_console = console;
}

static void console_out(char c, void *ctx)
{
	if (printk_console != NULL) {
		printk_console->putc(c);
	} else if (IS_ENABLED(CONFIG_EARLY_CONSOLE_SBI)) {
		sbi_console_putchar(c);
	}
}

/*
 * One message at a time on the console, so lines from different harts do not interleave.
 * The owner is a cpu index + 1; a hart that faults while printing (the same hart again) does
 * not wait for itself.
 */
static unsigned long printk_owner;

static unsigned long printk_lock(void)
{
	unsigned long key = arch_irq_lock();
	struct cpu *cpu = arch_curr_cpu();
	unsigned long me;
	unsigned long free = 0;

	/* Before arch_cpu_init() there is no struct cpu, and only one hart runs. */
	if (cpu == NULL) {
		return key | PRINTK_NESTED;
	}
	me = cpu->id + 1;

	if (__atomic_load_n(&printk_owner, __ATOMIC_RELAXED) == me) {
		return key | PRINTK_NESTED;
	}
	while (!__atomic_compare_exchange_n(&printk_owner, &free, me, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		free = 0;
	}
	return key;
}

static void printk_unlock(unsigned long key)
{
	if (!(key & PRINTK_NESTED)) {
		__atomic_store_n(&printk_owner, 0, __ATOMIC_RELEASE);
	}
	arch_irq_unlock(key & ~PRINTK_NESTED);
}

/*
 * printk_lock(), then the console's begin(): buffered output first, and none of it in the
 * middle of this message. A nested message (this hart faulted while printing) is already
 * inside its outer one's begin(); before arch_cpu_init() nothing can be buffered yet.
 */
static unsigned long printk_begin(void)
{
	unsigned long key = printk_lock();

	if (!(key & PRINTK_NESTED) && printk_console != NULL && printk_console->begin != NULL) {
		printk_console->begin();
	}
	return key;
}

static void printk_end(unsigned long key)
{
	if (!(key & PRINTK_NESTED) && printk_console != NULL && printk_console->end != NULL) {
		printk_console->end();
	}
	printk_unlock(key);
}

void vprintk(const char *fmt, va_list ap)
{
	unsigned long key;

	if (!IS_ENABLED(CONFIG_PRINTK)) {
		return;
	}
	key = printk_begin();
	cbvprintf(console_out, NULL, fmt, ap);
	printk_end(key);
}

void z_console_write(const char *buf, size_t n)
{
	unsigned long key = printk_begin();

	for (size_t i = 0; i < n; i++) {
		console_out(buf[i], NULL);
	}
	printk_end(key);
}

void z_console_flush(void)
{
	printk_end(printk_begin());
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

struct str_ctx {
	char *buf;
	size_t len;
	size_t pos;
};

static void str_out(char c, void *ctx)
{
	struct str_ctx *s = ctx;

	if (s->pos + 1 < s->len) {
		s->buf[s->pos] = c;
	}
	s->pos++;
}

int vsnprintk(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct str_ctx s = {.buf = buf, .len = len, .pos = 0};
	int n = cbvprintf(str_out, &s, fmt, ap);

	if (len > 0) {
		buf[s.pos < len ? s.pos : len - 1] = '\0';
	}
	return n;
}

int snprintk(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintk(buf, len, fmt, ap);
	va_end(ap);
	return n;
}
