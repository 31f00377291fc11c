/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fork benchmark: what fork() costs as the parent's resident memory grows, with
 * copy-on-write and with eager copying, and what COW defers to the first writes.
 *
 * For each heap size (every page touched first) and each fork mode the kernel offers
 * (inox_fork_mode(): both when it has CONFIG_MM_COW, eager only without), one line:
 *
 *   fork size=4096KiB mode=cow kernel_cow=y pages=1024 fork_ns=... fork_exit_wait_ns=...
 *        fork_write_exit_wait_ns=... cow_fault_ns_per_page=... cow_reuse_ns_per_page=...
 *        fork_pages=... pages_copied=... peak_pages=... fork_exec_exit_wait_ns=...
 *        fork_exit_wait_rewrite_ns=... chunk_read_ns_per_chunk=... chunk_write_ns_per_chunk=...
 *
 * fork_ns                  the fork() call in the parent (the child waits on a pipe)
 * fork_exit_wait_ns        fork(), the child's _exit(0), the parent's waitpid()
 * fork_write_exit_wait_ns  the same with the child storing once to every heap page
 * cow_fault_ns_per_page    the child's first pass of stores minus its second, per page:
 *                          the store fault (trap, copy, TLB flush); about 0 when eager
 * cow_reuse_ns_per_page    the same in the parent once its children are gone: the fault
 *                          that makes a page writable in place, when it is ours alone
 * fork_pages               pages the fork() call took (free pages before minus after)
 * pages_copied             pages copied (at fork and by COW faults) in fork+exit+wait
 * peak_pages               free pages before the fork minus the lowest count seen after it
 *                          (sampled in the parent after fork() returns and in the child
 *                          after its stores) in fork+write+exit+wait
 * fork_exec_exit_wait_ns   fork(), the child's exec of /bin/exit0 (which exits at once), the
 *                          parent's waitpid()
 * fork_exit_wait_rewrite_ns  fork+exit+wait, then the parent's store to every heap page:
 *                          with COW, the in-place reuse faults that fork+exit+wait postpones
 * chunk_read_ns_per_chunk  in the child, the first load after fork from one page of each 2 MiB
 *                          chunk of the heap (each leaf page table), minus a second load, per
 *                          chunk; chunk_write_ns_per_chunk the same for the first store
 *
 * A size the kernel cannot fork in this mode (eager copies of a heap larger than the free
 * memory) prints `fork size=...KiB mode=... failed: fork errno N` instead. At sizes above
 * 64 MiB (the 4 GiB of `inox bench fork --big`) the child does not write the whole heap
 * (its copies would not fit): its figures, the COW fault and peak_pages, are `-`.
 *
 * Times come from the time CSR (rdtime, readable in U-mode), converted with the timebase
 * measured against clock_gettime() at the start; each is the minimum over 5 runs (3 from
 * 16 MiB up), and peak_pages the maximum. Under QEMU's -icount shift=0 a guest nanosecond
 * is one instruction: the `calibrate` line times a loop of known length so that the host
 * can check that (scripts/inox bench fork does).
 *
 * FORK_BENCH_MAX_KIB (a compile definition from the CMake variable of the same name) is the
 * largest size measured: the sizes are 0, 256 KiB, 1, 4, 16, 64 MiB and 4 GiB up to it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <inox/memstat.h>

#ifndef FORK_BENCH_MAX_KIB
#define FORK_BENCH_MAX_KIB 4096
#endif

#define PAGE      4096
#define KIB_PAGES (PAGE / 1024)
#define LOOP_ITER 1000000UL /* the calibration loop: two instructions each */
#define CHUNK     (2UL << 20) /* what one leaf page table maps */
/* Above this size the child does not write the whole heap: its copies would not fit. */
#define WRITE_MAX_KIB 65536UL

static const unsigned long sizes_kib[] = {0, 256, 1024, 4096, 16384, 65536, 4194304};

static uint64_t timebase_hz;
static char *heap;
static size_t heap_pages;

static inline uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static uint64_t ticks_to_ns(uint64_t ticks)
{
	return ticks * 1000000000ULL / timebase_hz;
}

static void die(const char *what)
{
	printf("fork benchmark: %s failed: errno %d\n", what, errno);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		die("clock_gettime");
	}
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static struct inox_memstat memstat(void)
{
	struct inox_memstat st;

	if (inox_memstat(&st) != 0) {
		die("inox_memstat");
	}
	return st;
}

static uint64_t copied(const struct inox_memstat *st)
{
	return st->pages_copied_at_fork + st->cow_copies;
}

/* clock_gettime(), and the time CSR read halfway through the call. */
static uint64_t now_ns_at(uint64_t *ticks)
{
	uint64_t before = rdtime();
	uint64_t ns = now_ns();

	*ticks = before + (rdtime() - before) / 2;
	return ns;
}

/* The time CSR's rate, from 20 ms of it against clock_gettime(), to the nearest kHz. */
static void measure_timebase(void)
{
	uint64_t t0;
	uint64_t t1;
	uint64_t n0 = now_ns_at(&t0);
	uint64_t n1;

	do {
		n1 = now_ns_at(&t1);
	} while (n1 - n0 < 20000000ULL);
	timebase_hz = ((t1 - t0) * 1000000000ULL / (n1 - n0) + 500) / 1000 * 1000;
	if (timebase_hz == 0) {
		printf("fork benchmark: the time CSR does not advance\n");
		exit(1);
	}
}

/* Time of 2 * LOOP_ITER instructions (plus the two reads of the time CSR). */
static uint64_t calibration_loop_ns(void)
{
	unsigned long n = LOOP_ITER;
	uint64_t t0 = rdtime();

	__asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n));
	return ticks_to_ns(rdtime() - t0);
}

/* One store to every heap page; returns its duration in time-CSR ticks. */
static uint64_t store_pass(char value)
{
	uint64_t t0 = rdtime();

	for (size_t i = 0; i < heap_pages; i++) {
		((volatile char *)heap)[i * PAGE] = value;
	}
	return rdtime() - t0;
}

/* One load (or store) to the first heap page of each 2 MiB chunk the heap overlaps, that is
 * through each leaf page table of the heap; returns its duration in time-CSR ticks. */
static uint64_t chunk_pass(bool store)
{
	uintptr_t end = (uintptr_t)heap + heap_pages * PAGE;
	uint64_t t0 = rdtime();

	for (uintptr_t va = (uintptr_t)heap; va < end; va = (va & ~(CHUNK - 1)) + CHUNK) {
		if (store) {
			*(volatile char *)va = 6;
		} else {
			(void)*(volatile char *)va;
		}
	}
	return rdtime() - t0;
}

static size_t heap_chunks(void)
{
	uintptr_t start = (uintptr_t)heap;

	if (heap_pages == 0) {
		return 0;
	}
	return ((start + heap_pages * PAGE - 1) / CHUNK) - start / CHUNK + 1;
}

/* Per-item cost of the faults of a first pass over n items over a second, rounded to nearest. */
static long fault_ns_per(uint64_t first, uint64_t second, size_t items)
{
	int64_t d = (int64_t)ticks_to_ns(first) - (int64_t)ticks_to_ns(second);
	int64_t n = (int64_t)items;

	if (n == 0) {
		return 0;
	}
	return (d >= 0 ? d + n / 2 : d - n / 2) / n;
}

static long fault_ns_per_page(uint64_t first, uint64_t second)
{
	return fault_ns_per(first, second, heap_pages);
}

static void wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		die("waitpid");
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("fork benchmark: child %d ended with status 0x%x\n", (int)pid, status);
		exit(1);
	}
}

static pid_t fork_or_die(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		die("fork");
	}
	return pid;
}

struct result {
	uint64_t fork_ns;
	uint64_t fork_exit_wait_ns;
	uint64_t fork_write_exit_wait_ns;
	long cow_fault_ns;
	long cow_reuse_ns;
	uint64_t fork_pages;
	uint64_t pages_copied;
	uint64_t peak_pages;
	uint64_t fork_exec_exit_wait_ns;
	uint64_t fork_exit_wait_rewrite_ns;
	long chunk_read_ns;
	long chunk_write_ns;
};

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* fork() alone: the child blocks on a pipe until the parent has read the clock and the
 * free pages, so it neither runs in the measured span nor frees anything before. */
static void bench_fork_call(struct result *r, bool first)
{
	struct inox_memstat before;
	struct inox_memstat after;
	int fds[2];
	uint64_t t0;
	uint64_t t1;
	pid_t pid;
	char c;

	if (pipe(fds) != 0) {
		die("pipe");
	}
	before = memstat();
	t0 = rdtime();
	pid = fork_or_die();
	if (pid == 0) {
		_exit(read(fds[0], &c, 1) == 1 ? 0 : 1);
	}
	t1 = rdtime();
	after = memstat();
	if (write(fds[1], "x", 1) != 1) {
		die("write");
	}
	wait_child(pid);
	close(fds[0]);
	close(fds[1]);
	r->fork_ns = first ? ticks_to_ns(t1 - t0) : min_u64(r->fork_ns, ticks_to_ns(t1 - t0));
	r->fork_pages = before.free_pages - after.free_pages;
}

static void bench_fork_exit_wait(struct result *r, bool first)
{
	struct inox_memstat before = memstat();
	struct inox_memstat after;
	uint64_t t0 = rdtime();
	uint64_t t;
	pid_t pid = fork_or_die();

	if (pid == 0) {
		_exit(0);
	}
	wait_child(pid);
	t = ticks_to_ns(rdtime() - t0);
	after = memstat();
	r->fork_exit_wait_ns = first ? t : min_u64(r->fork_exit_wait_ns, t);
	r->pages_copied = copied(&after) - copied(&before);
}

/* The child stores to every page twice, then sends its two pass times and the free pages
 * left at its peak through a pipe. */
static void bench_fork_write(struct result *r, bool first)
{
	struct inox_memstat before = memstat();
	uint64_t msg[3];
	uint64_t low;
	uint64_t t0;
	uint64_t t;
	int fds[2];
	pid_t pid;

	if (pipe(fds) != 0) {
		die("pipe");
	}
	t0 = rdtime();
	pid = fork_or_die();
	if (pid == 0) {
		msg[0] = store_pass(1);
		msg[1] = store_pass(2);
		msg[2] = memstat().free_pages;
		_exit(write(fds[1], msg, sizeof(msg)) == sizeof(msg) ? 0 : 1);
	}
	low = memstat().free_pages;
	wait_child(pid);
	t = ticks_to_ns(rdtime() - t0);
	if (read(fds[0], msg, sizeof(msg)) != sizeof(msg)) {
		die("read");
	}
	close(fds[0]);
	close(fds[1]);
	low = min_u64(low, msg[2]);
	r->fork_write_exit_wait_ns = first ? t : min_u64(r->fork_write_exit_wait_ns, t);
	if (first || fault_ns_per_page(msg[0], msg[1]) < r->cow_fault_ns) {
		r->cow_fault_ns = fault_ns_per_page(msg[0], msg[1]);
	}
	if (first || before.free_pages - low > r->peak_pages) {
		r->peak_pages = before.free_pages - low;
	}
}

static void keep_min(uint64_t *kept, uint64_t t, bool first)
{
	*kept = first ? t : min_u64(*kept, t);
}

static void keep_min_long(long *kept, long v, bool first)
{
	*kept = first || v < *kept ? v : *kept;
}

/* fork(), the child's exec of a program that exits at once, the parent's waitpid(). */
static void bench_fork_exec(struct result *r, bool first)
{
	uint64_t t0 = rdtime();
	pid_t pid = fork_or_die();

	if (pid == 0) {
		execv("/bin/exit0", (char *[]){"exit0", NULL});
		_exit(127);
	}
	wait_child(pid);
	keep_min(&r->fork_exec_exit_wait_ns, ticks_to_ns(rdtime() - t0), first);
}

/* fork+exit+wait, then one store by the parent to every heap page: with COW, each page is
 * still write-protected after the child is gone, and its first store is a reuse fault. */
static void bench_fork_rewrite(struct result *r, bool first)
{
	uint64_t t0 = rdtime();
	pid_t pid = fork_or_die();

	if (pid == 0) {
		_exit(0);
	}
	wait_child(pid);
	store_pass(5);
	keep_min(&r->fork_exit_wait_rewrite_ns, ticks_to_ns(rdtime() - t0), first);
}

/* The child's first load, then first store, through each leaf page table of the heap after
 * fork, each less a second pass; the child sends its four pass times through a pipe. */
static void bench_chunks(struct result *r, bool first)
{
	uint64_t msg[4];
	int fds[2];
	pid_t pid;

	if (pipe(fds) != 0) {
		die("pipe");
	}
	pid = fork_or_die();
	if (pid == 0) {
		msg[0] = chunk_pass(false);
		msg[1] = chunk_pass(false);
		msg[2] = chunk_pass(true);
		msg[3] = chunk_pass(true);
		_exit(write(fds[1], msg, sizeof(msg)) == sizeof(msg) ? 0 : 1);
	}
	wait_child(pid);
	if (read(fds[0], msg, sizeof(msg)) != sizeof(msg)) {
		die("read");
	}
	close(fds[0]);
	close(fds[1]);
	keep_min_long(&r->chunk_read_ns, fault_ns_per(msg[0], msg[1], heap_chunks()), first);
	keep_min_long(&r->chunk_write_ns, fault_ns_per(msg[2], msg[3], heap_chunks()), first);
}

/* v in decimal, or "-" when it was not measured. */
static const char *figure(char buf[24], long long v, bool measured)
{
	if (!measured) {
		return "-";
	}
	snprintf(buf, 24, "%lld", v);
	return buf;
}

static int reps_for(size_t pages)
{
	if (pages > WRITE_MAX_KIB / KIB_PAGES) {
		return 1;
	}
	return pages <= 1024 ? 5 : 3;
}

/* Whether this mode can fork the heap at all: an eager fork of more than the free memory
 * fails with ENOMEM, which is then the result. */
static bool can_fork(unsigned long kib, const char *mode_name)
{
	pid_t pid = fork();

	if (pid == 0) {
		_exit(0);
	}
	if (pid < 0 && errno == ENOMEM) {
		printf("fork size=%luKiB mode=%s failed: fork errno %d\n", kib, mode_name, errno);
		fflush(stdout);
		return false;
	}
	if (pid < 0) {
		die("fork");
	}
	wait_child(pid);
	return true;
}

static void bench_size(unsigned long kib, const char *mode_name, int kernel_cow)
{
	struct result r = {0};
	int reps = reps_for(heap_pages);
	char bufs[3][24];
	uint64_t first;
	bool written;

	if (!can_fork(kib, mode_name)) {
		return;
	}
	for (int i = 0; i < reps; i++) {
		bench_fork_call(&r, i == 0);
	}
	for (int i = 0; i < reps; i++) {
		bench_fork_exit_wait(&r, i == 0);
	}
	for (int i = 0; i < reps; i++) {
		bench_fork_rewrite(&r, i == 0);
	}
	for (int i = 0; i < reps; i++) {
		bench_fork_exec(&r, i == 0);
	}
	for (int i = 0; i < reps; i++) {
		bench_chunks(&r, i == 0);
	}
	for (int i = 0; kib <= WRITE_MAX_KIB && i < reps; i++) {
		bench_fork_write(&r, i == 0);
	}
	/* The children are gone; with COW our pages are still marked, each ours alone. This
	 * pass also leaves them writable for the next mode, as after the first touch. */
	first = store_pass(3);
	r.cow_reuse_ns = fault_ns_per_page(first, store_pass(4));

	written = kib <= WRITE_MAX_KIB;
	printf("fork size=%luKiB mode=%s kernel_cow=%c pages=%lu fork_ns=%llu "
	       "fork_exit_wait_ns=%llu fork_write_exit_wait_ns=%s cow_fault_ns_per_page=%s "
	       "cow_reuse_ns_per_page=%ld fork_pages=%llu pages_copied=%llu peak_pages=%s "
	       "fork_exec_exit_wait_ns=%llu fork_exit_wait_rewrite_ns=%llu "
	       "chunk_read_ns_per_chunk=%ld chunk_write_ns_per_chunk=%ld\n",
	       kib, mode_name, kernel_cow ? 'y' : 'n', (unsigned long)heap_pages,
	       (unsigned long long)r.fork_ns, (unsigned long long)r.fork_exit_wait_ns,
	       figure(bufs[0], (long long)r.fork_write_exit_wait_ns, written),
	       figure(bufs[1], r.cow_fault_ns, written), r.cow_reuse_ns,
	       (unsigned long long)r.fork_pages, (unsigned long long)r.pages_copied,
	       figure(bufs[2], (long long)r.peak_pages, written),
	       (unsigned long long)r.fork_exec_exit_wait_ns,
	       (unsigned long long)r.fork_exit_wait_rewrite_ns, r.chunk_read_ns, r.chunk_write_ns);
	fflush(stdout);
}

/* Grows the heap to kib KiB and stores to every page: all resident, all writable. */
static void heap_resize(unsigned long kib)
{
	size_t pages = kib / KIB_PAGES;

	if (heap == NULL) {
		heap = sbrk(0);
	}
	if (pages > heap_pages && sbrk((pages - heap_pages) * PAGE) == (void *)-1) {
		die("sbrk");
	}
	heap_pages = pages;
	store_pass(0);
}

int main(void)
{
	static const struct {
		int mode;
		const char *name;
	} modes[] = {{INOX_FORK_COW, "cow"}, {INOX_FORK_EAGER, "eager"}};
	/* Asking for COW fails (ENOTSUP) only when the kernel has it compiled out. */
	int kernel_cow = inox_fork_mode(INOX_FORK_COW) >= 0;

	measure_timebase();
	printf("fork benchmark: kernel_cow=%c max=%dKiB timebase_hz=%llu\n", kernel_cow ? 'y' : 'n',
	       FORK_BENCH_MAX_KIB, (unsigned long long)timebase_hz);
	printf("fork calibrate loop_insn=%lu loop_ns=%llu\n", 2 * LOOP_ITER,
	       (unsigned long long)calibration_loop_ns());
	fflush(stdout);

	for (size_t s = 0; s < sizeof(sizes_kib) / sizeof(sizes_kib[0]); s++) {
		if (sizes_kib[s] > FORK_BENCH_MAX_KIB) {
			break;
		}
		heap_resize(sizes_kib[s]);
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			if (!kernel_cow && modes[m].mode == INOX_FORK_COW) {
				continue;
			}
			if (kernel_cow && inox_fork_mode(modes[m].mode) < 0) {
				die("inox_fork_mode");
			}
			bench_size(sizes_kib[s], modes[m].name, kernel_cow);
		}
	}
	printf("fork benchmark: done\n");
	return 0;
}
