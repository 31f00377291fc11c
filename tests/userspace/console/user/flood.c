/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console output through the buffered, interrupt-driven path, run as init. A flood: 64 KiB of
 * numbered lines, far more than the console's buffer, in write() calls of sizes from 1 byte
 * to 9000 that cut lines anywhere; every call must return its full count, and the runner
 * checks sampled lines, in order, then the summary, then the kernel's "init: exited" line
 * after them. Then a kill: a child that writes without end (blocked, most of the time, on
 * the full buffer) gets SIGKILL from its parent and must be reaped with that signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <inox/check.h>

#define LINE_LEN  64
#define LINES     1024
#define FLOOD_LEN (LINE_LEN * LINES)

static char flood[FLOOD_LEN];

/* Line i: "flood NNNN " and 52 letters starting at 'a' + i % 26, then "\n": 64 bytes. */
static void make_flood(void)
{
	for (int i = 0; i < LINES; i++) {
		char *line = &flood[i * LINE_LEN];
		int n = snprintf(line, LINE_LEN, "flood %04d ", i);

		for (int j = n; j < LINE_LEN - 1; j++) {
			line[j] = (char)('a' + (i + j - n) % 26);
		}
		line[LINE_LEN - 1] = '\n';
	}
}

/* FNV-1a over the bytes, so that the summary says the same 64 KiB were handed over. */
static uint32_t fnv1a(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++) {
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	}
	return h;
}

static void test_flood(void)
{
	static const size_t sizes[] = {1, 7, 64, 255, 256, 257, 1000, 3, 4096, 9000, 63, 511};
	size_t done = 0;
	unsigned int calls = 0;
	unsigned int short_writes = 0;

	make_flood();
	while (done < FLOOD_LEN) {
		size_t want = sizes[calls % (sizeof(sizes) / sizeof(sizes[0]))];
		ssize_t n;

		if (want > FLOOD_LEN - done) {
			want = FLOOD_LEN - done;
		}
		n = write(STDOUT_FILENO, flood + done, want);
		calls++;
		if (n != (ssize_t)want) {
			short_writes++;
			if (n <= 0) {
				break;
			}
		}
		done += (size_t)n;
	}
	CHECK(short_writes == 0);
	printf("flood: %u bytes in %u writes, %u short, fnv1a 0x%08x\n", (unsigned int)done, calls,
	       short_writes, (unsigned int)fnv1a(flood, done));
	fflush(stdout);
}

/* Writes 4 KiB at a time, forever: with the buffer full, mostly asleep in write(). */
static _Noreturn void write_forever(void)
{
	static char buf[4096];

	for (size_t i = 0; i < sizeof(buf); i++) {
		buf[i] = (i % LINE_LEN == LINE_LEN - 1) ? '\n' : 'v';
	}
	for (;;) {
		write(STDOUT_FILENO, buf, sizeof(buf));
	}
}

static void test_kill_writer(void)
{
	static const struct timespec delay = {.tv_nsec = 50 * 1000 * 1000};
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		write_forever();
	}
	CHECK(pid > 0);
	nanosleep(&delay, NULL);
	CHECK(kill(pid, SIGKILL) == 0);
	status = wait_status(pid);
	/* The victim's last line may be cut short: start on a fresh one. */
	printf("\nkill: writer %s by signal %d\n",
	       WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "killed" : "NOT killed",
	       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

int main(void)
{
	test_flood();
	test_kill_writer();
	printf("userspace console: %d failures\n", failures);
	return failures != 0;
}
