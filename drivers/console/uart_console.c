/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console on the devicetree's chosen inox,console UART ("\n" sent as "\r\n").
 *
 * Output: printk() polls its text out with interrupts off (see lib/os/printk.c). Threads
 * (user processes' write()) go through console_write(), into a transmit ring that the
 * UART's transmit interrupt drains: a writer copies at most TX_HOLD bytes per hold of
 * tx.lock and sleeps, interruptibly, while the ring is full. A write becomes visible to the
 * interrupt and to printk as a whole when it is done (committed), so a printk line never
 * lands inside it. printk first sends the committed bytes itself, polled, then its own text,
 * while the interrupt holds off (tx.held). Without a transmit interrupt console_write()
 * falls back to the polled z_console_write().
 *
 * Input: the UART's receive interrupt fills a ring buffer that console_getchar() reads,
 * after offering each byte to the input filter (the terminal's Ctrl-C), which may keep it.
 */
#include <inox/kernel.h>
#include <inox/console.h>
#include <inox/device.h>
#include <inox/drivers/uart.h>

#define CONSOLE_NODE DT_CHOSEN(inox_console)
#define RX_SIZE      CONFIG_CONSOLE_INPUT_BUFFER_SIZE
#define TX_SIZE      CONFIG_CONSOLE_OUTPUT_BUFFER_SIZE
/* Bytes moved per hold of tx.lock, by a writer or by the transmit interrupt: bounds the time
 * interrupts are off on their account, whatever a process writes. */
#define TX_HOLD 64

static const struct device *console_dev;
static bool rx_ready;
static bool tx_ready;

static struct {
	struct k_spinlock lock;
	unsigned char buf[RX_SIZE];
	unsigned int head; /* next to read */
	unsigned int count;
	unsigned long dropped;
	/* One count per byte stored, or more: console_input_flush() empties the ring without
	 * taking them back, and console_getchar() skips a count that finds the ring empty. */
	struct k_sem avail;
	console_input_filter_t filter;
} rx;

/*
 * The ring holds bytes as they go on the wire ("\r\n" already). [head, head + count) is
 * committed: the interrupt or printk sends it, in order. The next `staged` bytes belong to
 * the writer that holds `writer` and are not sent before it commits them.
 */
static struct {
	struct k_spinlock lock;
	uint8_t buf[TX_SIZE];
	unsigned int head;
	unsigned int count;
	unsigned int staged;
	unsigned int owner; /* the hart holding lock: its id + 1, 0 when free */
	bool irq_on; /* the UART's transmit interrupt is enabled */
	bool held; /* a printk message is going out: the interrupt sends nothing */
	bool waiting; /* the writer sleeps on `room` */
	struct k_sem room; /* given by the interrupt once a waiting writer has room */
	struct k_mutex writer; /* one writer at a time (see console_write()) */
} tx;

static void console_putc(char c)
{
	if (c == '\n') {
		uart_poll_out(console_dev, '\r');
	}
	uart_poll_out(console_dev, (unsigned char)c);
}

/*
 * tx.lock, noting its owner: a hart that faults while holding it must still get its fatal
 * report out (printk's begin() then leaves the buffered output alone instead of waiting for
 * itself).
 */
static k_spinlock_key_t tx_lock(void)
{
	k_spinlock_key_t key = k_spin_lock(&tx.lock);

	__atomic_store_n(&tx.owner, arch_curr_cpu_id() + 1, __ATOMIC_RELAXED);
	return key;
}

static void tx_unlock(k_spinlock_key_t key)
{
	__atomic_store_n(&tx.owner, 0, __ATOMIC_RELAXED);
	k_spin_unlock(&tx.lock, key);
}

static bool tx_locked_here(void)
{
	return __atomic_load_n(&tx.owner, __ATOMIC_RELAXED) == arch_curr_cpu_id() + 1;
}

/* Turns the transmit interrupt on if there is work for it. Expects tx.lock. */
static void tx_kick_locked(void)
{
	__ASSERT(tx_locked_here(), "tx_kick_locked: tx.lock not held (owner %u)", tx.owner);
	if (!tx.held && !tx.irq_on && (tx.count > 0 || tx.waiting)) {
		tx.irq_on = true;
		uart_irq_tx_enable(console_dev);
	}
}

/* Makes the staged bytes sendable. Expects tx.lock. */
static void tx_commit_locked(void)
{
	__ASSERT(tx_locked_here(), "tx_commit_locked: tx.lock not held (owner %u)", tx.owner);
	tx.count += tx.staged;
	tx.staged = 0;
	tx_kick_locked();
}

/*
 * Copies the start of buf (at most TX_HOLD bytes) after the staged bytes, "\n" as "\r\n",
 * as far as the ring has room; returns how many bytes of buf it took. Expects tx.lock.
 */
static size_t tx_stage_locked(const char *buf, size_t n)
{
	size_t i;

	__ASSERT(tx_locked_here(), "tx_stage_locked: tx.lock not held (owner %u)", tx.owner);
	for (i = 0; i < n && i < TX_HOLD; i++) {
		unsigned int need = buf[i] == '\n' ? 2 : 1;

		if (tx.count + tx.staged + need > TX_SIZE) {
			break;
		}
		if (buf[i] == '\n') {
			tx.buf[(tx.head + tx.count + tx.staged++) % TX_SIZE] = '\r';
		}
		tx.buf[(tx.head + tx.count + tx.staged++) % TX_SIZE] = (uint8_t)buf[i];
	}
	return i;
}

/* True where a writer may sleep: in a thread, with interrupts on. */
static bool tx_can_sleep(void)
{
	unsigned long key = arch_irq_lock();

	arch_irq_unlock(key);
	return arch_irq_unlocked(key) && !k_is_in_isr();
}

long console_write(const char *buf, size_t n)
{
	k_spinlock_key_t key;
	size_t done = 0;
	int ret = 0;

	if (!tx_ready || !tx_can_sleep()) {
		z_console_write(buf, n);
		return (long)n;
	}
	/*
	 * A mutex, for its priority inheritance: an urgent writer is not kept waiting by a
	 * CPU-bound process more urgent than the writer ahead of it. The wait is not
	 * interruptible, but it is bounded: that writer's buffer-full waits are, so it is done
	 * or killed once the UART has sent at most a buffer and its write.
	 */
	k_mutex_lock(&tx.writer, K_FOREVER);
	while (done < n) {
		size_t k;

		key = tx_lock();
		k = tx_stage_locked(buf + done, n - done);
		done += k;
		if (k == 0) {
			/* Full. Only with nothing committed is it all ours: a write longer than
			 * the ring goes out in ring-sized pieces. */
			if (tx.count == 0) {
				tx_commit_locked();
			}
			tx.waiting = true;
			tx_kick_locked();
			tx_unlock(key);
			ret = k_sem_take_interruptible(&tx.room, K_FOREVER);
			if (ret != 0) {
				break;
			}
			continue;
		}
		tx_unlock(key);
	}
	key = tx_lock();
	tx.waiting = false; /* ours, if a kill ended the wait */
	tx_commit_locked();
	tx_unlock(key);
	k_mutex_unlock(&tx.writer);
	return done > 0 ? (long)done : ret;
}

/*
 * The UART's tx-ready callback, in its interrupt: hands it up to TX_HOLD committed bytes,
 * turns the interrupt off once there are none (or printk holds the line), and wakes a
 * waiting writer once the ring is half empty.
 */
static void console_tx_ready(const struct device *dev, void *user_data)
{
	k_spinlock_key_t key = tx_lock();
	unsigned int budget = TX_HOLD;
	bool wake;

	while (!tx.held && tx.count > 0 && budget > 0) {
		unsigned int k = MIN(MIN(tx.count, TX_SIZE - tx.head), budget);
		int sent = uart_fifo_fill(dev, &tx.buf[tx.head], (int)k);

		tx.head = (tx.head + sent) % TX_SIZE;
		tx.count -= sent;
		budget -= sent;
		if ((unsigned int)sent < k) {
			break;
		}
	}
	if (tx.held || tx.count == 0) {
		tx.irq_on = false;
		uart_irq_tx_disable(dev);
	}
	wake = tx.waiting && tx.count <= TX_SIZE / 2;
	if (wake) {
		tx.waiting = false;
	}
	tx_unlock(key);
	if (wake) {
		k_sem_give(&tx.room);
	}
}

/*
 * printk's begin(): with the printk lock held and interrupts off. Stops the interrupt and
 * sends, polled, what was committed when the message began (not what writers on other harts
 * add meanwhile: that waits for end(), so a busy writer cannot keep printk here). Wakes
 * nobody: printk may run under the scheduler's lock. Does nothing on a hart that faulted
 * holding tx.lock.
 */
static void console_printk_begin(void)
{
	k_spinlock_key_t key;
	unsigned int left;

	if (tx_locked_here()) {
		return;
	}
	key = tx_lock();
	left = tx.count;
	tx.held = true;
	tx_unlock(key);
	/* Held, the interrupt no longer moves head, and writers only add after the committed
	 * bytes: [head, head + left) stays put while it is sent. */
	while (left > 0) {
		unsigned int k = MIN(left, TX_HOLD);

		for (unsigned int i = 0; i < k; i++) {
			uart_poll_out(console_dev, tx.buf[(tx.head + i) % TX_SIZE]);
		}
		key = tx_lock();
		tx.head = (tx.head + k) % TX_SIZE;
		tx.count -= k;
		tx_unlock(key);
		left -= k;
	}
}

/* printk's end(): the interrupt may send again, and wakes a writer if one waits. */
static void console_printk_end(void)
{
	k_spinlock_key_t key;

	if (tx_locked_here()) {
		return;
	}
	key = tx_lock();
	tx.held = false;
	tx_kick_locked();
	tx_unlock(key);
}

static const struct printk_console printk_console = {
	.putc = console_putc,
	.begin = console_printk_begin,
	.end = console_printk_end,
};

static void console_rx(const struct device *dev, unsigned char c, void *user_data)
{
	console_input_filter_t filter = __atomic_load_n(&rx.filter, __ATOMIC_ACQUIRE);
	k_spinlock_key_t key;
	bool stored;

	if (filter != NULL && filter(c)) {
		return;
	}
	key = k_spin_lock(&rx.lock);
	stored = rx.count < RX_SIZE;

	if (stored) {
		rx.buf[(rx.head + rx.count) % RX_SIZE] = c;
		rx.count++;
	} else {
		rx.dropped++;
	}
	k_spin_unlock(&rx.lock, key);
	if (stored) {
		k_sem_give(&rx.avail);
	}
}

int console_getchar(k_timeout_t timeout)
{
	k_spinlock_key_t key;
	int ret;
	int c;

	if (!rx_ready) {
		return -ENOTSUP;
	}
	do {
		ret = k_sem_take_interruptible(&rx.avail, timeout);
		if (ret != 0) {
			return ret;
		}
		key = k_spin_lock(&rx.lock);
		c = -1;
		if (rx.count > 0) {
			c = rx.buf[rx.head];
			rx.head = (rx.head + 1) % RX_SIZE;
			rx.count--;
		}
		k_spin_unlock(&rx.lock, key);
	} while (c < 0); /* a count left over by a flush */
	return c;
}

void console_input_flush(void)
{
	k_spinlock_key_t key = k_spin_lock(&rx.lock);

	rx.head = (rx.head + rx.count) % RX_SIZE;
	rx.count = 0;
	k_spin_unlock(&rx.lock, key);
}

void console_set_input_filter(console_input_filter_t filter)
{
	__atomic_store_n(&rx.filter, filter, __ATOMIC_RELEASE);
}

unsigned long console_dropped(void)
{
	return rx.dropped;
}

static int uart_console_init(void)
{
	console_dev = DEVICE_DT_GET(CONSOLE_NODE);
	if (!device_is_ready(console_dev)) {
		return -ENODEV;
	}
	k_sem_init(&tx.room, 0, 1);
	k_mutex_init(&tx.writer);
	z_printk_set_console(&printk_console);
	k_sem_init(&rx.avail, 0, RX_SIZE);
	rx_ready = uart_irq_rx_enable(console_dev, console_rx, NULL) == 0;
	tx_ready = uart_irq_tx_callback_set(console_dev, console_tx_ready, NULL) == 0;
	return 0;
}

/* After the interrupt controller (10) and the UART drivers (50). */
SYS_INIT(uart_console_init, PRE_KERNEL_1, 60);
